"""Hierarchical agglomerative clustering: the merges of single, complete, average and Ward linkage.

Agglomerative clustering starts from n clusters of one point each and merges, n - 1 times, the two clusters at
the smallest linkage distance. Between clusters A and B, of the distances d(a, b) between their points:

    single    min {d(a, b) : a in A, b in B}
    complete  max {d(a, b) : a in A, b in B}
    average   the mean of d(a, b) over A x B
    ward      sqrt(2 |A| |B| / (|A| + |B|)) ‖mean(A) - mean(B)‖₂  (how much merging them adds to the variance)

Two algorithms (Müllner, "Modern hierarchical, agglomerative clustering algorithms", arXiv:1109.2378, 2011):

- Single linkage is the minimum spanning tree of the points (Gower & Ross, 1969), grown by Prim's algorithm
  (`prim_merges`): each step adds the point nearest to the tree and lowers every other point's distance to the
  tree to its distance to the point just added, one row of distances computed from X on the fly. n - 1 steps,
  O(n² p) time, O(n p) memory: no n x n matrix. The tree's edges, sorted by length, are the merges. The steps are
  one compiled loop on jax (`compiled_steps`); elsewhere a Python loop of some p + 8 whole-array operations a step
  (`_eager_prim`), whose cost at a few thousand points is their dispatch, not their arithmetic. (Borůvka's
  algorithm, O(log n) rounds over all pairs, would not reproduce scikit-learn's children_ where heights tie: that
  numbering follows the order in which Prim's algorithm adds the points, which another minimum spanning tree of
  the same points can change.)
- The others keep the matrix D of linkage distances between clusters, updated after each merge of clusters i
  and j into k by the Lance-Williams formula (Lance & Williams, 1967), for every other cluster r:

      complete  d(k, r) = max(d(i, r), d(j, r))
      average   d(k, r) = (|i| d(i, r) + |j| d(j, r)) / (|i| + |j|)
      ward      d(k, r) = sqrt(((|i| + |r|) d(i, r)² + (|j| + |r|) d(j, r)² - |r| d(i, j)²) / (|i| + |j| + |r|))

  (`lance_williams`), and merge, round after round, every two clusters that are each other's nearest neighbour
  (`_reciprocal`): some 40 to 80 rounds of a few passes over D for thousands of points, O(n²) time and memory in
  practice. The merges come out of order; sorted by height, they are the greedy sequence (as scipy's `linkage`,
  whose nearest-neighbour chain finds the same merges one at a time, sorts them).

With a connectivity graph, the merges are the greedy sequence over the graph's edges (`_structured`).
"""

from __future__ import annotations

import math

from .._backend import Backend, capability, compiles_per_shape, device_of
from ..utils._chunks import RowBlocks, chunk_rows, row_slices
from ..utils._compile import compiled_steps

__all__ = ["distance_matrix", "distance_rows", "empty_record", "lance_williams", "live_row",
           "prim_merges", "record_merge", "steps_runner", "unit_rows"]


def distance_rows(xp, metric: str, A, B):
    """(a, b): the distance from each row of A (a, p) to each row of B (b, p), "euclidean", "sqeuclidean" (its
    square), "manhattan" or "cosine" (A and B then of unit rows: `unit_rows`). Up to 16 features, summed feature
    by feature: the same additions in the same order on every backend, so that equal distances stay equal
    everywhere; beyond (the features of FeatureAgglomeration are points of n_samples coordinates), 16 at a time."""
    p, step = A.shape[1], _features_at_once(A.shape[1])
    total = None
    for j in range(0, p, step):
        if step == 1:  # one feature: (a, 1) and (1, b), the (a, b) terms without a sum over a third axis
            a, b = A[:, j:j + 1], xp.reshape(B[:, j], (1, -1))
        else:
            a, b = A[:, None, j:min(j + step, p)], B[None, :, j:min(j + step, p)]  # (a, 1, s), (1, b, s)
        gap = a * b if metric == "cosine" else a - b  # (a, b) or (a, b, s)
        term = gap if metric == "cosine" else xp.abs(gap) if metric == "manhattan" else gap * gap
        term = term if step == 1 else xp.sum(term, axis=2)
        total = term if total is None else total + term  # (a, b)
    if metric == "euclidean":
        return xp.sqrt(total)
    return xp.clip(1 - total, 0.0, 2.0) if metric == "cosine" else total  # cosine: 1 - cos, as scipy clips it


def _features_at_once(p: int) -> int:
    return 1 if p <= 16 else 16


def unit_rows(xp, X):
    """X (n, p) with each row divided by its euclidean norm (summed as `distance_rows` sums), for the cosine."""
    p, step = X.shape[1], _features_at_once(X.shape[1])
    squares = sum(xp.sum(X[:, j:min(j + step, p)] ** 2, axis=1) for j in range(0, p, step))  # (n,)
    return X / xp.sqrt(squares)[:, None]


def distance_matrix(xp, backend: Backend, metric: str, X):
    """(n, n): the distances between the rows of X (n, p), inf on the diagonal (no point is its own neighbour).

    A block of rows at a time, each measured against the rows from its own first on (the upper triangle); its part
    left of that is the mirror of the blocks above it, small blocks transposed. Where each new shape compiles anew
    (jax), each block is measured against every row instead."""
    n, device = X.shape[0], device_of(X)
    blocks = row_slices(n, chunk_rows(backend, n * _features_at_once(X.shape[1])))
    first = [0 if compiles_per_shape(backend) else rows.start for rows in blocks]  # each block's first column
    measured = [distance_rows(xp, metric, X[rows, :], X[f:, :]) for rows, f in zip(blocks, first)]  # (width, n - f)
    D = RowBlocks(xp, n)
    for i, (rows, f) in enumerate(zip(blocks, first)):
        left = [measured[i][:, :rows.start]] if f == 0 else [
            measured[k][:, rows.start - above.start:rows.stop - above.start].T for k, above in enumerate(blocks[:i])]
        own, width = measured[i][:, rows.start - f:], rows.stop - rows.start  # (width, n - rows.start)
        diagonal = xp.arange(width, device=device)
        own_block = xp.where(diagonal[:, None] == diagonal[None, :], math.inf, own[:, :width])  # (width, width)
        D.put(rows, xp.concat(left + [own_block, own[:, width:]], axis=1))  # (width, n)
    return D.result()


# ---- single linkage: Prim's minimum spanning tree ----------------------------------------------------------------


def prim_merges(xp, backend: Backend, points, metric: str, adjacency=None):
    """Single linkage's n - 1 merges (left (n - 1,), right (n - 1,), height (n - 1,)), in the order Prim's
    algorithm adds the points from point 0: right is the point added, height its distance to the tree, and left
    the point added before it (MST-LINKAGE-CORE's record, which scikit-learn keeps: sorted by height, each merge
    joins the same two clusters as the tree's own edge would), or, on a graph, the tree point it joins (the edge).

    points : X (n, p) (unit rows for "cosine"), or the distances (n, n) for metric "precomputed".
    adjacency : bool (n, n) or None: the edges a merge may follow (a connected graph), or every pair.
    """
    n, device = points.shape[0], device_of(points)
    index = _index_dtype(xp, device)
    if adjacency is None and capability(backend, "compile_scan") is None:
        return _eager_prim(xp, points, metric, index)
    carry = (xp.zeros(n, dtype=xp.bool, device=device),  # in the tree
             xp.full(n, math.inf, dtype=points.dtype, device=device),  # distance to the tree
             xp.zeros(n, dtype=index, device=device),  # the tree point at that distance
             xp.zeros((), dtype=index, device=device),  # the point added last: 0 first
             *empty_record(xp, n, points.dtype, device))
    steps = xp.arange(n - 1, device=device)
    *_, left, right, height, _ = steps_runner(_prim_step, backend, 2)(xp, metric, points, adjacency, carry, (steps,))
    return left, right, height


def _eager_prim(xp, points, metric: str, index):
    """`prim_merges` without a graph where each array step is dispatched on its own (no compiled loop): the same
    steps in fewer, larger array operations. X is held as its columns (p, n), so that a point's distances to all the
    others are one subtraction (p, n), one square and p - 1 additions of whole rows, feature after feature in
    `distance_rows`'s order (the same distances, bit for bit); the points in the tree keep an inf distance, and the
    merges are collected as 0-d arrays and stacked once at the end (no per-step write into (n - 1,) arrays)."""
    n, device = points.shape[0], device_of(points)
    p, precomputed = points.shape[1], metric == "precomputed"
    by_feature = _features_at_once(p) == 1 and not precomputed  # else 16 features at a time: `distance_rows`
    columns = xp.stack([points[:, j] for j in range(p)]) if by_feature else None  # (p, n), contiguous rows
    ids = xp.arange(n, device=device)
    in_tree = ids == 0  # (n,)
    best = xp.full(n, math.inf, dtype=points.dtype, device=device)  # (n,): distance to the tree
    current, added, heights = xp.zeros((), dtype=index, device=device), [], []
    for _ in range(n - 1):
        if precomputed:
            d = xp.take(points, current[None], axis=0)[0, :]  # (n,)
        elif by_feature:
            d = _distances_to_one(xp, metric, xp.take(columns, current[None], axis=1), columns)  # (n,)
        else:
            d = distance_rows(xp, metric, xp.take(points, current[None], axis=0), points)[0, :]  # (n,)
        best = xp.where(in_tree, math.inf, xp.minimum(best, d))  # (n,): outside the tree, its distance to it
        current = xp.argmin(best)  # the point nearest to the tree (the first of equals)
        added.append(current)
        heights.append(xp.take(best, current[None])[0])
        in_tree = in_tree | (ids == current)
    right = xp.astype(xp.stack(added), index)  # (n - 1,)
    left = xp.concat([xp.zeros(1, dtype=index, device=device), right[:-1]])  # the point added before each
    return left, right, xp.stack(heights)


def _distances_to_one(xp, metric: str, here, columns):
    """(n,): `distance_rows` from one point (p, 1) to the points held as columns (p, n), p <= 16: the same terms
    added in the same order."""
    gap = here * columns if metric == "cosine" else here - columns  # (p, n)
    term = gap if metric == "cosine" else xp.abs(gap) if metric == "manhattan" else gap * gap  # (p, n)
    total = term[0, :]
    for j in range(1, columns.shape[0]):
        total = total + term[j, :]  # (n,)
    if metric == "euclidean":
        return xp.sqrt(total)
    return xp.clip(1 - total, 0.0, 2.0) if metric == "cosine" else total


def _prim_step(xp, metric, points, adjacency, carry, x):
    in_tree, best, via, current, left, right, height, count = carry
    n = points.shape[0]
    in_tree = in_tree | (xp.arange(n, device=device_of(points)) == current)  # (n,)
    here = xp.take(points, current[None], axis=0)  # (1, p), or its row of distances (1, n)
    d = here[0, :] if metric == "precomputed" else distance_rows(xp, metric, here, points)[0, :]  # (n,)
    if adjacency is not None:
        d = xp.where(xp.take(adjacency, current[None], axis=0)[0, :], d, math.inf)
    nearer = ~in_tree & (d < best)  # (n,): the points the one just added brings nearer to the tree
    best, via = xp.where(nearer, d, best), xp.where(nearer, current, via)
    outside = xp.where(in_tree, math.inf, best)
    added = xp.argmin(outside)  # the point nearest to the tree (the first of equals)
    joins = current if adjacency is None else xp.take(via, added[None])[0]
    left, right, height, count = record_merge(xp, left, right, height, count, None, joins, added, xp.min(outside))
    return in_tree, best, via, added, left, right, height, count


# ---- complete, average and Ward linkage: the Lance-Williams formula ------------------------------------------------


def lance_williams(xp, linkage: str, d_i, d_j, d_ij, n_i, n_j, n_r):
    """The linkage distance (n,) from the merge of clusters i and j (sizes n_i, n_j) to every cluster r (sizes n_r
    (n,)), from d_i = d(i, r) (n,), d_j = d(j, r) (n,) and d_ij, in scipy's order of operations (so that equal
    distances stay equal as in scipy). For complete and average, inf stands for a missing edge of a graph: a
    cluster with an edge to one side only takes that side's distance."""
    if linkage == "ward":
        t = 1 / (n_i + n_j + n_r)  # (n,)
        squared = (n_r + n_i) * t * d_i * d_i + (n_r + n_j) * t * d_j * d_j - n_r * t * d_ij * d_ij  # (n,)
        return xp.sqrt(xp.maximum(squared, 0.0))  # >= 0, but for rounding where it is 0
    both = xp.maximum(d_i, d_j) if linkage == "complete" else (n_i * d_i + n_j * d_j) / (n_i + n_j)
    return xp.where((d_i < math.inf) & (d_j < math.inf), both, xp.minimum(d_i, d_j))


# ---- the machinery: rows of D, the record of the merges, the loop ---------------------------------------------------


def live_row(xp, M, alive, q):
    """Row q (n,) of M, inf (False) at the clusters merged away."""
    row = xp.take(M, q[None], axis=0)[0, :]
    return xp.where(alive, row, math.inf if xp.isdtype(M.dtype, "real floating") else False)


def _index_dtype(xp, device):
    return xp.__array_namespace_info__().default_dtypes(device=device)["indexing"]


def empty_record(xp, n: int, dtype, device):
    """Empty (left, right, height) of n - 1 merges, and their count (0-d)."""
    index = _index_dtype(xp, device)
    return (xp.zeros(n - 1, dtype=index, device=device), xp.zeros(n - 1, dtype=index, device=device),
            xp.zeros(n - 1, dtype=dtype, device=device), xp.zeros((), dtype=index, device=device))


def record_merge(xp, left, right, height, count, merge, a, b, h):
    """The record with merge number `count` set to (a, b, h) where `merge` (0-d bool, or None: always) holds, and
    the new count."""
    slot = xp.arange(left.shape[0], device=device_of(left)) == count  # (n - 1,)
    if merge is None:
        return xp.where(slot, a, left), xp.where(slot, b, right), xp.where(slot, h, height), count + 1
    slot = slot & merge
    return (xp.where(slot, a, left), xp.where(slot, b, right), xp.where(slot, h, height),
            count + xp.astype(merge, count.dtype))


_RUNS: dict = {}


def steps_runner(step, backend: Backend, n_static: int):
    """`compiled_steps(step)` for the backend (one compiled loop per step function, backend and device)."""
    key = (step, backend.name, repr(backend.device))
    if key not in _RUNS:
        _RUNS[key] = compiled_steps(step, backend, n_static=n_static)
    return _RUNS[key]
