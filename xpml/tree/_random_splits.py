"""Random splits: the Extra-Trees rule on the raw feature values, and the features each node draws.

Extremely randomized trees (Geurts, Ernst & Wehenkel 2006) split a node thus: for each of K candidate
features, one threshold t drawn uniformly between the smallest and the largest value of that feature
among the node's samples; of those K splits "x_j <= t", the one the criterion prefers. The trees of an
isolation forest (Liu, Ting & Zhou 2008) are the case K = 1, where the criterion chooses nothing.

A random split searches nothing, so it needs neither bins nor histograms: it reads the raw values,
and the rule holds exactly whatever a feature's number of distinct values. For all the nodes of a
level at once, `random_splits`:

1. takes each node's range [lo, hi] of every feature among its samples (`value_ranges`: a segmented
   maximum of the values, and of their negatives, by node);
2. draws each node's K candidate features (`draw_features`) and, for each, t = lo + u · (hi - lo), u
   uniform in [0, 1) (`uniform_thresholds`; a t that rounding carries up to hi becomes lo, as in
   scikit-learn, so that each side holds a sample);
3. sums the statistics of each node's samples that have x_j <= t, for each of its candidates: one
   weighted count over the (sample, candidate) pairs, a bounded block of samples at a time; the right
   child's are the node's total minus them;
4. scores the K splits (`_criteria`) and keeps each node's first of the best score.

The split's threshold is t itself: the samples move to the children by "x_j <= t" on their raw values
(`_grow`), as predict, apply and decision_path send them.

The candidate features (`draw_features`): K drawn without replacement among those not constant in the
node, constant ones coming only where fewer than K vary (they give no split). scikit-learn's splitter
draws features one at a time and stops after K, or later if all it met were constant: the same law for
K = 1 (uniform among the varying features), and for larger K a draw that here never wastes a candidate
on a constant feature. A forest whose trees see subsets of the features (an isolation forest's
max_features) draws each tree's nodes' features among its own (`allowed`).

References: Geurts, Ernst & Wehenkel, "Extremely randomized trees", Machine Learning 63 (2006);
Liu, Ting & Zhou, "Isolation Forest", ICDM 2008.
"""

from __future__ import annotations

import math

from .._backend import backend_of, device_of
from ..utils._bincount import bincount
from ..utils._chunks import chunk_rows, row_slices
from ..utils._segments import segment_max
from . import _criteria as crit

__all__ = ["draw_features", "random_splits", "uniform_thresholds", "value_ranges"]


def random_splits(xp, X, rows, node, stats, rules, n_nodes: int, u, cut_u, allowed=None, tie=1e-12):
    """Steps 1 to 4 for the nodes 0 .. n_nodes - 1 of the samples (`rows` (n,) of X (n_rows, p), `node` (n,),
    `stats` (n, k)). `u` (n_nodes, p), uniform, orders the features (None: all p are candidates), `cut_u`
    (n_nodes, f), uniform, places the thresholds, `allowed` (n_nodes, p), bool, the features of each node's tree.
    Returns, each with n_nodes rows: the node's total (m, k), its best split's left child (m, k - 1, no count),
    whether it has one, and its feature and threshold."""
    M, p, f = n_nodes, X.shape[1], cut_u.shape[1]
    live = (stats[:, 0] > 0) & (node < M)  # (n,): samples that count, at a node of this level
    at = xp.where(live, node, M)  # (n,): the others to a last, discarded node
    lo, hi = value_ranges(xp, X, rows, at, M)  # (M, p) each
    if u is None:
        features = xp.broadcast_to(xp.arange(p, dtype=node.dtype, device=device_of(node))[None, :], (M, p))
    else:
        features = draw_features(xp, u, f, constant=hi <= lo, allowed=allowed)  # (M, f)
    features = xp.astype(features, node.dtype)
    flat = xp.arange(M, dtype=node.dtype, device=device_of(node))[:, None] * p + features  # (M, f)
    lo, hi = _gather(xp, lo, flat), _gather(xp, hi, flat)  # (M, f) each
    varies = hi > lo  # (M, f): constant features, and nodes without samples, give no split
    t = uniform_thresholds(xp, lo, hi, varies, xp.astype(cut_u, X.dtype))  # (M, f)
    total, left = _left_sums(xp, X, rows, at, stats, features, t, M)  # (M, k), (M, f, k)
    right = total[:, None, :] - left  # (M, f, k)
    c = rules.criterion
    valid = varies & (left[..., 0] >= rules.min_samples_leaf) & (right[..., 0] >= rules.min_samples_leaf)
    if rules.min_weight_leaf > 0:
        valid = valid & (crit.weight(xp, left[..., 1:], c) >= rules.min_weight_leaf) & (
            crit.weight(xp, right[..., 1:], c) >= rules.min_weight_leaf)
    score = xp.where(valid, crit.proxy(xp, left[..., 1:], right[..., 1:], c), -math.inf)  # (M, f)
    top = xp.max(score, axis=1, keepdims=True)  # (M, 1)
    # the first of the candidates as good as the best, to rounding: the same choice on every backend
    best = xp.astype(xp.argmax(xp.astype(score >= top - tie * xp.abs(top), xp.int8), axis=1), node.dtype)  # (M,)
    pick = xp.arange(M, dtype=node.dtype, device=device_of(node)) * f + best  # (M,)
    best_left = xp.take(xp.reshape(left[..., 1:], (M * f, -1)), pick, axis=0)  # (M, k - 1)
    return total, best_left, top[:, 0] > -math.inf, xp.take(xp.reshape(features, (-1,)), pick), xp.take(
        xp.reshape(t, (-1,)), pick)


def draw_features(xp, u, f: int, constant=None, allowed=None):
    """(m, f): each node's first f features in the random order u (m, p): varying ones first, then constant ones
    (`constant` (m, p)), then those its tree may not use (not `allowed` (m, p))."""
    priority = u
    if constant is not None:
        priority = priority + xp.astype(constant, u.dtype)  # u < 1: every varying feature before every constant one
    if allowed is not None:
        priority = priority + 2 * xp.astype(~allowed, u.dtype)
    return xp.argsort(priority, axis=1)[:, :f]


def value_ranges(xp, X, rows, at, n_nodes: int):
    """(lo, hi), each (n_nodes, p): the smallest and largest value of each feature among the samples (`rows` (n,)
    of X (n_rows, p)) of each node (`at` (n,); those at node n_nodes are left out); lo = +inf, hi = -inf for a node
    without samples."""
    p = X.shape[1]
    order = xp.argsort(at)
    ids = xp.take(at, order)  # (n,) sorted
    V = xp.take(X, xp.take(rows, order), axis=0)  # (n, p)
    segments = xp.reshape(xp.arange(p, dtype=ids.dtype, device=device_of(ids))[:, None] * (n_nodes + 1)
                          + ids[None, :], (-1,))  # (p·n,), sorted: feature-major, then node
    values = xp.reshape(xp.permute_dims(V, (1, 0)), (-1,))  # (p·n,)
    n_segments = p * (n_nodes + 1)
    hi = xp.reshape(segment_max(values, segments, n_segments, xp=xp), (p, n_nodes + 1))[:, :n_nodes]  # (p, m)
    lo = -xp.reshape(segment_max(-values, segments, n_segments, xp=xp), (p, n_nodes + 1))[:, :n_nodes]
    return xp.permute_dims(lo, (1, 0)), xp.permute_dims(hi, (1, 0))


def uniform_thresholds(xp, lo, hi, varies, u):
    """(m, f): lo + u · (hi - lo) for u uniform in [0, 1) (m, f), in [lo, hi) where `varies` (hi > lo): a draw that
    rounding carries to hi is lo instead; computed from half the range, which stays finite where hi - lo would
    overflow. Where the feature does not vary, any finite value (no split takes it)."""
    lo, hi = xp.where(varies, lo, 0.0), xp.where(varies, hi, 0.0)
    half = hi / 2 - lo / 2  # (m, f)
    t = (lo + u * half) + u * half  # (m, f)
    return xp.where(t < hi, xp.maximum(t, lo), lo)


def _left_sums(xp, X, rows, at, stats, features, t, n_nodes: int):
    """(total (M, k), left (M, f, k)): the sums of `stats` (n, k) over each node's samples, and over those whose
    value of its candidate s (`features` (M, f)) is <= t[node, s] (t (M, f)); samples at node M are left out."""
    (n, k), (M, f), p = stats.shape, features.shape, X.shape[1]
    total = xp.stack([bincount(at, M + 1, stats[:, c], xp=xp)[:M] for c in range(k)], axis=1)  # (M, k)
    slots = xp.arange(f, dtype=at.dtype, device=device_of(at))  # (f,)
    values, chosen, drawn = xp.reshape(X, (-1,)), xp.reshape(features, (-1,)), xp.reshape(t, (-1,))
    sums = [None] * k
    # a block's temporaries are its (sample, candidate) pairs times a few numbers: bounded whatever n and f
    for block in row_slices(n, chunk_rows(backend_of(stats), f * (k + 3), scale=16)):
        inside = at[block] < M  # (b,)
        pair = xp.where(inside, at[block], 0)[:, None] * f + slots  # (b, f): (node, candidate) of each pair
        feature = xp.reshape(xp.take(chosen, xp.reshape(pair, (-1,))), pair.shape)  # (b, f)
        x = xp.reshape(xp.take(values, xp.reshape(rows[block][:, None] * p + feature, (-1,))), pair.shape)  # (b, f)
        goes_left = x <= xp.reshape(xp.take(drawn, xp.reshape(pair, (-1,))), pair.shape)  # (b, f)
        index = xp.reshape(xp.where(inside[:, None] & goes_left, pair, M * f), (-1,))  # (b·f,): the others discarded
        for c in range(k):
            weights = xp.reshape(xp.broadcast_to(stats[block, c:c + 1], pair.shape), (-1,))  # (b·f,)
            counted = bincount(index, M * f + 1, weights, xp=xp)  # (M·f + 1,)
            sums[c] = counted if sums[c] is None else sums[c] + counted
    if sums[0] is None:  # no samples
        sums = [xp.zeros(M * f + 1, dtype=stats.dtype, device=device_of(stats))] * k
    return total, xp.reshape(xp.stack(sums, axis=1)[:M * f, :], (M, f, k))


def _gather(xp, table, index):
    """table's entries (flattened) at the positions `index` (m, f): an array of index's shape."""
    return xp.reshape(xp.take(xp.reshape(table, (-1,)), xp.reshape(index, (-1,))), index.shape)
