"""Every pair of training points within a bound of each other, found by a sweep along one axis: the radius search of
the points among themselves that DBSCAN's ε-graph needs, without comparing every point with every other.

A pair within distance r differs by at most r in each feature, under the metrics summed or maximised feature by
feature (euclidean, manhattan, chebyshev, unweighted minkowski): |xₐ - yₐ| <= d(x, y). So, with the points sorted
along one axis a (the one of the widest spread),

1. cut the sorted points into blocks of consecutive rows; the partners of a block's points lie in one window of
   consecutive points, from the first within r along a of the block's first point to the last within r of its
   last point (two binary searches in the sorted coordinates);
2. search each block against its window only, by the blocked search's steps (`_base`): rank by a matrix product
   (or feature by feature), keep the pairs whose key is within the bound by more than the margin of its rounding
   error, and measure exactly, feature by feature as `_radius` does, those within that margin of the bound (the same
   decisions as measuring every pair: `margin_bound`). The pairs come out by row, in the sorted order;
3. put the rows back in the points' own order: row i of the answer is the sorted order's row of point i, moved
   whole (a gather of each row's run of pairs), its columns renamed to the points' own indices. Within a row the
   columns stay in the sorted order, along the axis.

On points in a few dimensions the windows are short (on eight clusters of 20,000 points in 3-D, a fifth of the
points), so the matrix products cover a fifth of the n² pairs, and only the pairs within the bound are gathered and
moved (DBSCAN's 20,000 points took some 0.8 s by the plain search and 0.2 s by the sweep, on one core). The windows
have each their own width, a new shape each; backends that compile each new shape (jax) and accelerators (where the
whole search is a few large products anyway) keep the plain search.

This is the one-dimensional "sort and sweep" of collision detection, a k-d tree's first cut made at every point.
"""

from __future__ import annotations

import math

from .._backend import compiles_per_shape, device_of, on_accelerator, to_numpy
from ..utils._bincount import bincount
from ..utils._csr import is_csr
from ..utils._threads import host_workers, on_workers, one_host_thread
from . import _base
from ._base import margin_bound, ranking_key
from ._radius import _measured_pairs

__all__ = ["pairs_by_sweep", "sweeps"]

# The window's reach along the axis, widened by this factor: the exact measure rounds each term by a few units in
# the last place (a relative 6e-8 in float32), so a pair it keeps may differ by a hair more than r along the axis.
_REACH_SLACK = 1e-4
# In more dimensions the windows span nearly every point (and a block's candidate pairs, gathered with their
# features to be measured, weigh p times its keys): the plain search.
_MAX_FEATURES = 16
# The fewest blocks: a block's window reaches r beyond its ends, so blocks short along the axis keep windows short.
_MIN_BLOCKS = 16


def sweeps(search) -> bool:
    """Whether `pairs_by_sweep` searches the fitted NearestNeighbors `search`: dense points in at most `_MAX_FEATURES`
    dimensions, a metric with |xₐ - yₐ| <= d(x, y) (unweighted), on a backend that neither compiles each shape nor
    runs on an accelerator."""
    return (search._metric in ("euclidean", "manhattan", "chebyshev", "minkowski") and search._w is None
            and not is_csr(search._fit_X) and search._fit_X.shape[1] <= _MAX_FEATURES
            and not compiles_per_shape(search._backend) and not on_accelerator(search._backend))


def pairs_by_sweep(search, bound: float):
    """The pairs (i, j) of the training points of `search` (a fitted NearestNeighbors for which `sweeps`) at raw
    distance <= bound (r² for euclidean, rᵖ for minkowski: `_raw`), each point with itself included: rows (pairs,),
    ascending, and columns (pairs,), within a row in the order of the points along the sweep's axis."""
    xp, X = search._xp, search._fit_X
    axis = int(xp.argmax(xp.max(X, axis=0) - xp.min(X, axis=0)))  # the axis of the widest spread
    order = xp.argsort(X[:, axis])  # (n,): the points along the axis
    points = xp.take(X, order, axis=0)  # (n, p), sorted
    keys = None if getattr(search, "_fit_key", None) is None else xp.take(search._fit_key, order, axis=0)
    blocks = _windows(xp, points[:, axis], _reach(search, bound), _rows_per_block(search))

    def run(part: list) -> list:  # a worker's blocks: (block number, first row, end of the rows, window)
        return [(number, _block_pairs(search, points, keys, order, bound, *block)) for number, *block in part]

    workers = host_workers(search._backend)
    numbered = [(number, *block) for number, block in enumerate(blocks)]
    interleaved = [block for w in range(workers) for block in numbered[w::workers]]  # windows vary along the axis
    with one_host_thread(search._backend):
        found = dict(pair for part in on_workers(run, interleaved, workers) for pair in part)
    counts = xp.concat([found[b][0] for b in range(len(blocks))])  # (n,): pairs of each sorted row
    columns = xp.concat([found[b][1] for b in range(len(blocks))])  # (pairs,): by sorted row, in own indices
    return _rows_in_own_order(xp, order, counts, columns)


def _rows_in_own_order(xp, order, counts, columns):
    """The pairs of the sorted rows (counts (n,) of each, their columns (pairs,) end to end) as the rows of the points
    themselves: row i is sorted row rank[i] (order[rank[i]] = i), its run of pairs moved whole. (rows, columns), each
    (pairs,), rows ascending."""
    rank = xp.argsort(order)  # (n,)
    first = xp.cumulative_sum(counts) - counts  # (n,): where each sorted row's run begins
    own_counts = xp.take(counts, rank)  # (n,): pairs of point i
    own_first = xp.cumulative_sum(own_counts) - own_counts  # (n,): where point i's run begins in the answer
    shift = xp.repeat(xp.take(first, rank) - own_first, own_counts)  # (pairs,): from answer slot to sorted slot
    source = shift + xp.arange(columns.shape[0], dtype=shift.dtype, device=device_of(shift))  # (pairs,)
    rows = xp.repeat(xp.arange(rank.shape[0], dtype=rank.dtype, device=device_of(rank)), own_counts)  # (pairs,)
    return rows, xp.take(columns, source)


def _reach(search, bound: float) -> float:
    """How far along an axis a pair at raw distance <= bound may differ: r, from r², rᵖ or r itself, with slack."""
    if search._metric == "euclidean":
        reach = math.sqrt(bound)
    elif search._metric == "minkowski":
        reach = bound ** (1 / search._p)
    else:
        reach = bound
    return reach * (1 + _REACH_SLACK)


def _rows_per_block(search) -> int:
    """Rows per block: at most what against every point would hold `_base._BLOCK_BYTES` of keys, and a sixteenth
    of the points, so that the windows stay short (each block's window reaches r beyond both of its ends)."""
    n, itemsize = search.n_samples_fit_, 4 if search._fit_X.dtype == search._xp.float32 else 8
    return max(1, min(_base._BLOCK_BYTES // (n * itemsize), math.ceil(n / _MIN_BLOCKS)))


def _windows(xp, along, reach: float, rows: int) -> list[tuple[int, int, int, int]]:
    """(start, stop, first, end) of each block of rows start..stop - 1 of the sorted coordinates `along` (n,): first and
    end - 1 are the first and the last point within `reach` of the block's first and last points. Found in float64,
    with a margin of a few units in the last place of the sums, so that no partner falls outside."""
    n = along.shape[0]
    starts = list(range(0, n, rows))
    stops = [min(start + rows, n) for start in starts]
    along = xp.astype(along, xp.float64)  # (n,)
    low = xp.take(along, xp.asarray(starts, device=device_of(along)))  # (blocks,)
    high = xp.take(along, xp.asarray([stop - 1 for stop in stops], device=device_of(along)))  # (blocks,)
    firsts = xp.searchsorted(along, low - reach - 2.0**-50 * xp.abs(low), side="left")  # (blocks,)
    ends = xp.searchsorted(along, high + reach + 2.0**-50 * xp.abs(high), side="right")  # (blocks,)
    return list(zip(starts, stops, *(to_numpy(bounds).tolist() for bounds in (firsts, ends))))


def _block_pairs(search, points, keys, order, bound: float, start: int, stop: int, first: int, end: int):
    """The pairs (i, j) within the bound of the sorted points i in start..stop - 1 and j in first..end - 1: how many
    each i has (c,), and their columns j (pairs,), by row, in the sorted order, named by the points' own indices
    (`order`). The key decides the pairs surely within and surely beyond (`margin_bound`); those within its margin of
    the bound are measured exactly, as `_radius` measures every pair."""
    xp, metric, p, w = search._xp, search._metric, search._p, search._w
    X, Y = points[start:stop, :], points[first:end, :]  # (c, p), (m, p): the block and its window
    window_keys = None if keys is None else keys[first:end, :]  # (m, p + 1) for euclidean
    y_squared = None if keys is None else window_keys[:, -1]  # (m,): ‖y‖² (euclidean)
    key = ranking_key(xp, metric, p, w, X, Y, window_keys)  # (c, m)
    flat = xp.nonzero(xp.reshape(key <= margin_bound(xp, metric, X, y_squared, bound), (-1,)))[0]  # (candidates,)
    rows = flat // (end - first)  # (candidates,): positions in the block
    columns = flat - rows * (end - first) + first  # (candidates,): positions in the sorted order
    sure = margin_bound(xp, metric, X, y_squared, bound, sure=True)  # (c, 1), or a number
    sure = xp.take(sure[:, 0], rows) if getattr(sure, "ndim", 0) == 2 else sure  # (candidates,), or a number
    unsure = xp.nonzero(xp.take(xp.reshape(key, (-1,)), flat) > sure)[0]  # (u,): the candidates to measure
    raw = _measured_pairs(xp, metric, p, w, X, points, xp.take(rows, unsure), xp.take(columns, unsure))  # (u,)
    beyond = xp.take(unsure, xp.nonzero(raw > bound)[0])  # (b,): the candidates measured beyond the bound
    if beyond.shape[0]:
        kept = xp.nonzero(bincount(beyond, flat.shape[0], xp=xp) == 0)[0]  # (pairs,)
        rows, columns = xp.take(rows, kept), xp.take(columns, kept)
    return bincount(rows, stop - start, xp=xp), xp.take(order, columns)
