"""Structured agglomerative clustering: the merges restricted to the edges of a connectivity graph.

scikit-learn merges, among the pairs of clusters joined by an edge, the closest pair first (a heap of the edges'
linkage distances); the merged cluster has the edges of both. Its linkage keeps to the edges: complete and
average take the distances over the edges alone (a cluster with an edge to one side only takes that side's
distance), Ward the distance between the clusters' means whatever the edges. On a graph these are no longer
"reducible" (a merged cluster can be nearer to a third than either part was), so the rounds of reciprocal
nearest neighbours (`_reciprocal`) do not apply; the merges are found greedily by Müllner's "generic" algorithm
(Müllner, arXiv:1109.2378, 2011, fig. 2), on the dense matrix D of linkage distances (inf without an edge; Ward: a
matrix of edges beside it):

- each row keeps its nearest neighbour and a lower bound of the distance to it. A step takes the row of the
  smallest bound: if its neighbour is still at that distance, no pair is closer and the two merge (one row and
  column of D rewritten, by the Lance-Williams formula, `_linkage.lance_williams`); if not, the row looks for
  its nearest neighbour again;
- after a merge, a row that finds the merged cluster nearer than its bound takes it; a row whose neighbour was
  one of the two merged clusters keeps its bound, a lower bound still, until it is picked.

Each step is O(n); there are n - 1 merges and as many refreshes as rows left stale (about 2 a merge): O(n²) time
in practice, O(n³) at worst, O(n²) memory. The steps run in rounds of as many steps as merges are left, with one
read of the count of merges a round.

Before that, the graph's connected components (`components`, by min-label propagation) are joined as scikit-learn
joins them (`join_components`), so that the tree reaches one cluster.
"""

from __future__ import annotations

import math

from .._backend import Backend, compiles_per_shape, device_of
from ..utils._set_line import line_setter
from ._linkage import empty_record, lance_williams, live_row, record_merge, steps_runner

__all__ = ["components", "generic_merges", "join_components"]


def generic_merges(xp, backend: Backend, D, linkage: str, n_merges: int, adjacency=None):
    """The first n_merges merges of complete, average or Ward linkage (left (n - 1,), right (n - 1,), height
    (n - 1,)), in the order they happen: the clusters merged (each named by one of its points) and their
    linkage distance.

    D : (n, n) the distances between the points, inf on the diagonal (and, structured complete or average,
        between points without an edge).
    adjacency : bool (n, n), the edges (structured Ward), or None.
    """
    n, device = D.shape[0], device_of(D)
    link = D if adjacency is None else xp.where(adjacency, D, math.inf)  # (n, n): the pairs that may merge
    size = xp.ones(n, dtype=D.dtype, device=device)  # the clusters' sizes (0: merged away)
    nn, bound = xp.argmin(link, axis=1), xp.min(link, axis=1)  # each row's nearest neighbour, and a lower bound
    carry = (D, adjacency, size, nn, bound, _next_pair(xp, D, adjacency, size, nn, bound),
             *empty_record(xp, n, D.dtype, device))
    run, put, done = steps_runner(_generic_step, backend, 4), line_setter(D), 0
    while done < n_merges:  # rounds of as many steps as merges are left: a step merges, or refreshes a row
        steps = n_merges - done
        if compiles_per_shape(backend):  # rounds of one length, compiled once (steps after the last merge do nothing)
            steps = min(2 ** math.ceil(math.log2(n)), 256)
        carry = run(xp, linkage, put, n_merges, carry, (xp.arange(steps, device=device),))
        done = int(carry[-1])  # one read a round
    return carry[-4:-1]


def _generic_step(xp, linkage, put, n_merges, carry, x):
    D, adjacency, size, nn, bound, pair, left, right, height, count = carry
    r, c, row_r, row_c, edges_r, edges_c = pair  # the row of the smallest bound, its nearest neighbour, their rows
    index = xp.arange(D.shape[0], device=device_of(D))
    alive = size > 0
    link_r = row_r if adjacency is None else xp.where(edges_r, row_r, math.inf)  # (n,): those r may merge with
    d = xp.take(row_r, c[None])[0]
    merge = (xp.take(link_r, c[None])[0] == xp.take(bound, r[None])[0]) & (count < n_merges) & (d < math.inf)
    # the merged cluster k = r ∪ c, at the smaller index; its row by the Lance-Williams formula
    s, gone = xp.minimum(r, c), xp.maximum(r, c)
    # (on a step that merges nothing, sizes 1 and d = 0 keep the unused row_k free of NaN: no 0 inf, no inf - inf)
    n_r, n_c = (xp.where(merge, xp.take(size, i[None])[0], 1.0) for i in (r, c))
    others = alive & (index != r) & (index != c)  # (n,)
    row_k = xp.where(others, lance_williams(xp, linkage, row_r, row_c, xp.where(merge, d, 0.0), n_r, n_c, size),
                     math.inf)  # (n,)
    # the row (and column) this step writes: k's, or r's own again (a step that merges nothing changes nothing)
    q = xp.where(merge, s, r)
    D = put(D, q, xp.where(merge, row_k, row_r))
    link_k = row_k
    if adjacency is not None:
        edges_k = (edges_r | edges_c) & others  # (n,)
        adjacency = put(adjacency, q, xp.where(merge, edges_k, edges_r))
        link_k = xp.where(edges_k, row_k, math.inf)
    size = xp.where(merge & (index == s), n_r + n_c, xp.where(merge & (index == gone), 0.0, size))
    # the rows that find k nearer than their bound take it; the row written finds its nearest neighbour anew
    nearer = merge & (link_k < bound)  # (n,)
    nn, bound = xp.where(nearer, s, nn), xp.where(nearer, link_k, bound)
    link_q = xp.where(merge, link_k, link_r)  # (n,)
    nn = xp.where(index == q, xp.argmin(link_q), nn)
    bound = xp.where(index == q, xp.min(link_q), xp.where(merge & (index == gone), math.inf, bound))
    left, right, height, count = record_merge(xp, left, right, height, count, merge, r, c, d)
    return D, adjacency, size, nn, bound, _next_pair(xp, D, adjacency, size, nn, bound), left, right, height, count


def _next_pair(xp, D, adjacency, size, nn, bound):
    """The pair the next step looks at: the row r of the smallest bound and its nearest neighbour c, and their
    rows of D (and of the edges), read here, after this step's write: a compiled loop that read them before the
    write would copy D to keep them (XLA recomputes such reads where they are used)."""
    alive = size > 0
    r = xp.argmin(bound)
    c = xp.take(nn, r[None])[0]
    edges = (None, None) if adjacency is None else tuple(live_row(xp, adjacency, alive, i) for i in (r, c))
    return r, c, live_row(xp, D, alive, r), live_row(xp, D, alive, c), *edges


def components(xp, edges):
    """The connected components of the graph `edges` (n, n): each point's component (n,), numbered in the order
    of their smallest point, and their number. Min-label propagation: each point takes the smallest label among
    its neighbours, then its label's label (pointer jumping), until nothing changes."""
    n = edges.shape[0]
    index = xp.arange(n, device=device_of(edges))
    label = index
    while True:
        new = xp.minimum(label, xp.min(xp.where(edges, label[None, :], n), axis=1))  # (n,)
        for _ in range(math.ceil(math.log2(max(n, 2)))):
            new = xp.take(new, new)
        if not bool(xp.any(new != label)):
            break
        label = new
    first = label == index  # (n,): the smallest point of each component
    number = xp.cumulative_sum(xp.astype(first, index.dtype)) - 1
    return xp.take(number, label), int(xp.sum(xp.astype(first, index.dtype)))


def join_components(xp, edges, D, component, n_components: int):
    """`edges` with an edge between the nearest points of every two components a > b (the first such pair, the
    point of a first, as scikit-learn finds it), by the distances D (n, n)."""
    n = edges.shape[0]
    index = xp.arange(n, device=device_of(edges))
    joins = []
    for b in range(n_components):
        to_b = xp.where((component == b)[None, :], D, math.inf)  # (n, n)
        nearest, distance = xp.argmin(to_b, axis=1), xp.min(to_b, axis=1)  # (n,) each: each point's nearest in b
        for a in range(b + 1, n_components):
            p = xp.argmin(xp.where(component == a, distance, math.inf))
            joins.append((p, xp.take(nearest, p[None])[0]))
    p = xp.stack([pair[0] for pair in joins])  # (k,)
    q = xp.stack([pair[1] for pair in joins])
    P = xp.astype(p[:, None] == index[None, :], D.dtype)  # (k, n)
    Q = xp.astype(q[:, None] == index[None, :], D.dtype)
    new = (P.T @ Q) > 0  # (n, n)
    return edges | new | new.T
