"""Complete, average and Ward linkage by rounds of reciprocal nearest neighbours.

These linkages are "reducible" (Bruynooghe, 1977): merging clusters i and j never brings the merged cluster nearer
to a third cluster r than the nearer of i and j was,

    d(i ∪ j, r) >= min(d(i, r), d(j, r)).

So two clusters that are each other's nearest neighbour ("reciprocal nearest neighbours") stay so whatever merges
happen around them, and merging them at once gives the same tree as the greedy algorithm, which merges the closest
pair of the whole matrix first. Every reciprocal pair of a round can then merge together (Murtagh, "A survey of
recent advances in hierarchical clustering algorithms", The Computer Journal 26, 1983; Müllner, arXiv:1109.2378):

1. each cluster's nearest neighbour: one argmin over each row of the matrix D of linkage distances (the first of
   equals);
2. the reciprocal pairs (a, b), a < b: nn[nn[a]] = a. There is always one, the closest pair of D;
3. every merged cluster k = a ∪ b gets its row of D by the Lance-Williams formula (`_linkage.lance_williams`), all
   of them in one array step: first its distance to each cluster of the round before (from the rows of a and b),
   then, where that cluster was merged too (k' = a' ∪ b'), the formula once more, from the distances to a' and b';
4. b's row and column of D become k's (`xpml.utils._set_line.set_lines`, in place where the library can); a's
   become inf, its size 0.

Each round merges some 15% of the clusters left (at most n/4 pairs: the others wait a round), so that some 40 to
80 rounds build a tree of 2,000 to 10,000 points, each a few passes over D: O(n²) work in practice, in tens of array
steps where the nearest-neighbour chain took 3(n - 1) (and O(n³) at worst, n - 1 rounds of one pair: points whose
gaps grow along a line). The merges of a round are recorded by their smaller cluster a; sorted by height (stably,
`_agglomerative`), they are the greedy sequence, as scipy's `linkage` sorts its chain's: the same merges at the
same heights, to the rounding of the Lance-Williams updates, made here in another order. Ward's D holds squared
distances, whose update takes no square root (`_lance_williams`).

Once a third of D's clusters are merged away, D keeps only the rows and columns of those left (two gathers), so
that the rounds shrink with the clusters. Where each new shape compiles anew (jax), D keeps its n x n instead, each
round one compiled function that takes n/4 rows as its pairs (the real ones first, by masks): the same pairs in the
same order from the same arithmetic, so that every backend builds the same tree, ties included.
"""

from __future__ import annotations

import math

from .._backend import Backend, compiles_per_shape, device_of, namespace_of
from ..utils._argmin import argmin_along
from ..utils._compile import compiled_once
from ..utils._set_line import set_lines

__all__ = ["reciprocal_merges"]


def reciprocal_merges(xp, backend: Backend, D, linkage: str):
    """Complete, average or Ward linkage's n - 1 merges (left (n - 1,), right (n - 1,), height (n - 1,)), round
    after round, each round's by its left cluster: the clusters merged, each named by one of its points (left <
    right), and their linkage distance. D (n, n): the distances between the points (Ward: their squares), inf on
    the diagonal."""
    n, device = D.shape[0], device_of(D)
    size = xp.ones(n, dtype=D.dtype, device=device)  # the clusters' sizes (0: merged away)
    slots = max(1, n // 4)  # the most pairs a round merges (the others wait a round)
    if compiles_per_shape(backend):
        return _full_size_rounds(xp, backend, D, size, linkage, slots)
    names, left, right, height, alive = xp.arange(n, device=device), [], [], [], n
    while alive > 1:
        first, second, nn, a, b, d, rows = _round(xp, linkage, D, size, slots, full_size=False)
        left, right, height = left + [xp.take(names, a)], right + [xp.take(names, b)], height + [d]
        # the merged clusters' rows and columns written at the b's (which hold them); the a's leave (inf)
        D = set_lines(set_lines(D, b, rows), a, xp.full_like(rows, math.inf))
        size, alive = _merged_sizes(xp, size, first, second, nn), alive - a.shape[0]
        if 3 * alive <= 2 * D.shape[0]:  # a third of D's clusters merged away: D keeps only those left
            stay = xp.nonzero(size > 0)[0]  # (alive,)
            D = xp.take(xp.take(D, stay, axis=0), stay, axis=1)  # (alive, alive)
            size, names = xp.take(size, stay), xp.take(names, stay)
    height = xp.concat(height)
    return xp.concat(left), xp.concat(right), xp.sqrt(height) if linkage == "ward" else height


def _full_size_rounds(xp, backend: Backend, D, size, linkage: str, slots: int):
    """The rounds on D at its full size, each one compiled call, with one read of the clusters left a round; the
    merges recorded by their left cluster (each point is a left once, but the last cluster's)."""
    n, index = D.shape[0], _index(D)
    partner, height = xp.zeros(n, dtype=index.dtype, device=device_of(D)), xp.zeros_like(size)
    when = xp.full(n, n, dtype=index.dtype, device=device_of(D))  # the round of each point's merge as a left
    run = compiled_once(_full_size_round, backend, ("xp", "linkage", "slots"))
    for t in range(n - 1):
        D, size, partner, height, when = run(xp, linkage, slots, D, size, partner, height, when, xp.asarray(t))
        if int(xp.sum(xp.astype(size > 0, index.dtype))) == 1:
            break
    left = xp.argsort(when * n + index, stable=True)[:n - 1]  # round after round, each round's by its left point
    height = xp.take(height, left)
    return left, xp.take(partner, left), xp.sqrt(height) if linkage == "ward" else height


def _full_size_round(xp, linkage: str, slots: int, D, size, partner, height, when, t):
    first, second, nn, a, b, d, rows = _round(xp, linkage, D, size, slots, full_size=True)
    # the merged clusters' rows and columns at the b's (each the row of its pair's slot); the a's leave (inf)
    full = xp.take(rows, _slot_of_pair(xp, first, nn), axis=0)  # (n, n)
    D = xp.where(second[:, None], full, xp.where(second[None, :], full.T, D))
    D = xp.where(first[:, None] | first[None, :], math.inf, D)
    slot = _slot_of_pair(xp, first, _index(D))  # (n,): at each a
    return (D, _merged_sizes(xp, size, first, second, nn), xp.where(first, nn, partner),
            xp.where(first, xp.take(d, slot), height), xp.where(first, xp.astype(t, when.dtype), when))


def _round(xp, linkage: str, D, size, slots: int, *, full_size: bool):
    """One round on D (m, m) and size (m,): the masks of the pairs' smaller (first) and larger (second) clusters,
    each cluster's nearest neighbour nn (m,), the reciprocal pairs (a (q,), b (q,)) (`slots` of them with
    full_size, the pairs first, then rows that are none), their distances d (q,), and the merged clusters' rows of
    D, (q, m): step 3 of the docstring."""
    index = _index(D)
    # (m,): each cluster's nearest neighbour, the first of equals (compiled, XLA's argmin is slow: `argmin_along`)
    nn = argmin_along(D, 1, xp=xp) if full_size else xp.argmin(D, axis=1)
    reciprocal = (size > 0) & (xp.take(nn, nn) == index)  # (m,)
    first = reciprocal & (index < nn)  # (m,): the smaller of a reciprocal pair...
    first = first & (xp.cumulative_sum(xp.astype(first, index.dtype)) <= slots)  # ... of the first `slots` pairs
    second = reciprocal & (nn < index) & xp.take(first, nn)  # (m,): the larger
    a = xp.argsort(xp.where(first, index, index + D.shape[0]))[:slots] if full_size else xp.nonzero(first)[0]
    b = xp.take(nn, a)  # (q,)
    d = xp.take(xp.reshape(D, (-1,)), a * D.shape[0] + b)  # (q,): D[a, b]
    n_a, n_b, pair = xp.take(size, a), xp.take(size, b), xp.arange(a.shape[0], device=device_of(D))
    # k = a ∪ b to every cluster r of the round before: from d(a, r) and d(b, r)
    rows = _lance_williams(xp, linkage, xp.take(D, a, axis=0), xp.take(D, b, axis=0), d[:, None], n_a[:, None],
                          n_b[:, None], size[None, :])  # (q, m)
    # k to every merged cluster k' = a' ∪ b': from d(k, a') and d(k, b'), the same formula; once for two pairs
    between = _lance_williams(xp, linkage, xp.take(rows, a, axis=1), xp.take(rows, b, axis=1), d[None, :],
                             n_a[None, :], n_b[None, :], (n_a + n_b)[:, None])  # (q, q)
    between = xp.where(pair[:, None] < pair[None, :], between, between.T)
    between = xp.where(pair[:, None] == pair[None, :], math.inf, between)
    # k's row: its distance to each merged cluster k' at the b' that holds it (inf where D is: at the clusters merged
    # away, and at the a's, whose columns the caller writes inf)
    rows = xp.where(second[None, :], xp.take(between, _slot_of_pair(xp, first, nn), axis=1), rows)  # (q, m)
    return first, second, nn, a, b, d, rows


def _slot_of_pair(xp, first, of):
    """(m,): the slot of the pair whose a is of[i] (the rank of that a among the pairs' a's), 0 where of[i] is no
    pair's a."""
    rank = xp.cumulative_sum(xp.astype(first, xp.int32)) - 1  # (m,)
    return xp.where(xp.take(first, of), xp.take(rank, of), 0)


def _lance_williams(xp, linkage: str, d_i, d_j, d_ij, n_i, n_j, n_r):
    """`_linkage.lance_williams` where no edge is missing, Ward's on squared distances D² (the same values to
    rounding, without a square root and three products a distance):

        s(k, r) = ((|i| + |r|) s(i, r) + (|j| + |r|) s(j, r) - |r| s(i, j)) / (|i| + |j| + |r|),  s = d².

    inf (the diagonal, the clusters merged away) gives inf, or NaN in rows that are no pair, which are never read."""
    if linkage == "ward":
        return xp.maximum(((n_r + n_i) * d_i + (n_r + n_j) * d_j - n_r * d_ij) / (n_i + n_j + n_r), 0.0)
    return xp.maximum(d_i, d_j) if linkage == "complete" else (n_i * d_i + n_j * d_j) / (n_i + n_j)


def _merged_sizes(xp, size, first, second, nn):
    """The sizes after a round: each b's that of the merged cluster, each a's 0."""
    return xp.where(second, size + xp.take(size, nn), xp.where(first, 0.0, size))


def _index(D):
    xp = namespace_of(D)
    return xp.arange(D.shape[0], device=device_of(D))
