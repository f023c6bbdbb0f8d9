"""Every training point within a radius of each query: `radius_neighbors` and its graph, for the estimators that
search by radius (RadiusNeighborsClassifier, RadiusNeighborsRegressor, NearestNeighbors).

The blocked search of `_base`, with a mask where the k-nearest search takes a top-k: for each block of
c queries,

1. rank every training point by the key of one matrix product, and keep the (query, point) pairs whose
   key puts them within the radius, plus a margin for the key's rounding (`_within_margin`);
2. measure those pairs exactly, from the differences summed feature by feature in order (as scikit-learn's
   trees sum them), and keep those at raw distance <= the raw radius (r² for euclidean, rᵖ for minkowski:
   scikit-learn's rule, d <= r);
3. count each query's pairs.

The pairs of all blocks, in row order, are a sparse (n_queries, n_samples_fit) matrix of distances (a
CSR): the graph itself, and what the radius models vote or average over, on the backend. Only
`radius_neighbors`, whose answer is a ragged list (a numpy object array of one array per query, as in
scikit-learn), splits it into rows, on the host, at the very end (`xpml.utils._ragged`).
"""

from __future__ import annotations

from numbers import Real
from typing import Any

from .._backend import device_of
from ..utils._bincount import bincount
from ..utils._compile import compiled_once
from ..utils._csr import CSR, is_csr
from ..utils._ragged import split_rows
from ..utils._sparse_input import sparse_output
from . import _base
from ._base import RADIUS, WEIGHTS, NeighborsBase, check_graph_mode, leave_out, raw_distances

__all__ = ["RadiusNeighborsMixin"]


class RadiusNeighborsMixin:
    """`radius_neighbors` and `radius_neighbors_graph`, and the constructor of the radius regressor."""

    _parameter_constraints = {**NeighborsBase._parameter_constraints, "radius": RADIUS, "weights": WEIGHTS}

    def __init__(self, radius: float = 1.0, *, weights: Any = "uniform", algorithm: str = "auto",
                 leaf_size: int = 30, p: float = 2, metric: str = "minkowski", metric_params: dict | None = None,
                 n_jobs: int | None = None, backend: Any = None, dtype: str | None = None):
        self.radius = radius
        self.weights = weights
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.p = p
        self.metric = metric
        self.metric_params = metric_params
        self.n_jobs = n_jobs
        self.backend = backend
        self.dtype = dtype

    def radius_neighbors(self, X: Any = None, radius: float | None = None, return_distance: bool = True,
                         sort_results: bool = False):
        """The training points within `radius` of each query.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), optional
            The queries. None means the training points themselves, each not counted as its own neighbour.
        radius : float, optional
            The largest distance of a neighbour (inclusive); by default the `radius` given at construction.
        return_distance : bool, default=True
            Return the distances too.
        sort_results : bool, default=False
            Each query's neighbours nearest first (equally distant ones by index); else in index order.

        Returns
        -------
        distances : ndarray of shape (n_queries,), of dtype object
            Only if `return_distance`: for each query, the array of its neighbours' distances.
        indices : ndarray of shape (n_queries,), of dtype object
            For each query, the array of its neighbours' rows of the training data.
            The arrays are numpy's for numpy input, else of the input's library (the backend's under
            set_config(output="backend")); the object array holding them is numpy's, as in scikit-learn.
        """
        if sort_results and not return_distance:
            raise ValueError("return_distance must be True if sort_results is True.")
        X_in, X = X, self._queries(X, "radius_neighbors")
        graph = self._radius_graph(X, self._radius_of(radius), sort=sort_results)
        indices = split_rows(graph.indptr, graph.indices, X_in, self._backend)
        return (split_rows(graph.indptr, graph.data, X_in, self._backend), indices) if return_distance else indices

    def radius_neighbors_graph(self, X: Any = None, radius: float | None = None, mode: str = "connectivity",
                               sort_results: bool = False):
        """The graph of `radius_neighbors`: a sparse (n_queries, n_samples_fit) matrix whose row i holds, at the
        columns of query i's neighbours, 1 (mode="connectivity") or their distance (mode="distance"; nearest first
        with `sort_results`). A scipy CSR matrix; under set_config(output="backend") the backend's own sparse
        matrix."""
        check_graph_mode(mode, "radius_neighbors_graph")
        graph = self._radius_graph(self._queries(X, "radius_neighbors_graph"), self._radius_of(radius),
                                   sort=sort_results and mode == "distance")
        if mode == "connectivity":
            graph = graph.with_data(self._xp.ones_like(graph.data))
        return sparse_output(graph, X)

    def _radius_of(self, radius: float | None) -> float:
        radius = self.radius if radius is None else radius
        if isinstance(radius, bool) or not isinstance(radius, Real) or not radius >= 0:
            raise ValueError(f"radius={radius!r} should be a number >= 0.")
        return float(radius)

    def _radius_graph(self, X, radius: float, sort: bool = False) -> CSR:
        """The neighbours within `radius` of each query of X, or of each training point but itself (X=None), as a
        CSR (n_queries, n_samples_fit) of their distances, each row in index order (distance order with `sort`)."""
        indptr, _, columns, distances = self._radius_pairs(X, radius, sort)
        return CSR(indptr, columns, distances, (indptr.shape[0] - 1, self.n_samples_fit_))

    def _radius_pairs(self, X, radius: float, sort: bool = False):
        """The (query, neighbour) pairs within `radius`, in row order: indptr (q + 1,), and each pair's row, column
        and distance (nnz,) (a CSR's layout, with the rows besides)."""
        indptr, rows, columns, raw = self._pairs_within(X, self._raw(radius), sort)
        return indptr, rows, columns, self._finish(raw)

    def _pairs_within(self, X, bound: float, sort: bool = False):
        """`_radius_pairs` by a bound on the raw distances (`_raw`: r² for euclidean, rᵖ for minkowski), which it
        returns raw (DBSCAN's sqeuclidean metric is the euclidean search with the bound eps)."""
        xp = self._xp
        leave_out_self = X is None
        X = self._fit_X if X is None else X
        blocks = self._blocks(X, lambda block, start: self._radius_block(block, start, bound, leave_out_self, sort))
        counts, rows, columns, raw = (xp.concat([b[i] for b in blocks]) if len(blocks) > 1 else blocks[0][i]
                                      for i in range(4))
        indptr = xp.astype(xp.cumulative_sum(counts, include_initial=True), columns.dtype)  # (q + 1,)
        return indptr, rows, columns, raw

    def _radius_block(self, X, start: int, bound: float, leave_out_self: bool, sort: bool):
        """One block of c queries (rows start, start + 1, ...): each query's number of neighbours (c,), and the
        neighbours' rows, columns and raw distances (pairs,), in row order.

        Where each new shape costs a compilation (jax), the steps whose length is the number of candidate pairs run
        as two compiled calls (`_measured_pairs`, `_kept_first`), not a dozen operations each compiled anew."""
        xp = self._xp
        if is_csr(X):  # a block of sparse queries, made dense
            X = X.toarray()  # (c, p)
        c, n = X.shape[0], self.n_samples_fit_
        if self._metric == "callable":
            called = self._called_distances(X)  # (c, n), exact
            near = leave_out(xp, called <= bound, start) if leave_out_self else called <= bound
        else:
            near = self._within_margin(X, bound, start, leave_out_self)  # (c, n): the candidates
        flat = xp.nonzero(xp.reshape(near, (-1,)))[0]  # (pairs,): numpy finds them ~10 times faster than in 2-D
        rows, columns = flat // n, flat % n  # (pairs,) each, in row order, then index order
        if self._metric == "callable":
            raw = xp.take(xp.reshape(called, (-1,)), flat)
        else:
            raw = self._measure_pairs(X, rows, columns)
        keep = compiled_once(_kept_first, self._backend, ("xp", "sort", "n_rows"))
        rows, columns, raw, counts = keep(xp, sort, c, rows, columns, raw, bound)
        kept = int(xp.sum(counts))  # a read of the block's number of pairs: the arrays' length
        return counts, rows[:kept] + start, columns[:kept], raw[:kept]

    def _measure_pairs(self, X, rows, columns):
        """Raw distances (pairs,) of the (query, training point) pairs: query rows[i] of X (c, p), training point
        columns[i]; the pairs measured a batch at a time, each batch's gathered rows near `_BLOCK_BYTES`."""
        xp = self._xp
        pairs = rows.shape[0]
        step = max(1, _base._BLOCK_BYTES // (X.shape[1] * (4 if X.dtype == xp.float32 else 8)))
        batches = [slice(s, min(s + step, pairs)) for s in range(0, pairs, step)]
        if is_csr(self._fit_X):  # each batch as c queries of one candidate each
            parts = [xp.reshape(self._measure(xp.take(X, rows[b], axis=0), columns[b, None]), (-1,)) for b in batches]
        else:
            measure = compiled_once(_measured_pairs, self._backend, ("xp", "metric", "p"))
            parts = [measure(xp, self._metric, self._p, self._w, X, self._fit_X, rows[b], columns[b]) for b in batches]
        if not parts:
            return xp.zeros((0,), dtype=X.dtype, device=X.device)
        return parts[0] if len(parts) == 1 else xp.concat(parts)


def _measured_pairs(xp, metric: str, p: float, w, X, Y, rows, columns):
    """Raw distances (pairs,) between query rows[i] of X and training point columns[i] of Y: the features' terms
    summed one at a time, in order, as scikit-learn's trees sum them, so that a pair at exactly the radius is
    decided as there, and alike on every backend (a library's sum along an axis adds in an order of its own)."""
    A, B = xp.take(X, rows, axis=0), xp.take(Y, columns, axis=0)  # (pairs, p) each
    if metric == "cosine":
        return raw_distances(xp, metric, p, w, A, B)
    gap = xp.abs(A - B)  # (pairs, p)
    if metric == "euclidean":
        term = gap * gap
    elif metric == "minkowski":
        term = gap ** p if w is None else gap ** p * w
    else:
        term = gap
    total = term[:, 0]  # (pairs,)
    for j in range(1, term.shape[1]):
        total = xp.maximum(total, term[:, j]) if metric == "chebyshev" else total + term[:, j]
    return total


def _kept_first(xp, sort: bool, n_rows: int, rows, columns, raw, bound):
    """The pairs (pairs,) at raw distance <= bound first, in row order (in index order within a row, or by distance
    with `sort`, equal distances in index order), then the others; and how many each row keeps (n_rows,)."""
    row = xp.where(raw <= bound, rows, n_rows)  # (pairs,): the pairs beyond the bound after every row
    order = xp.argsort(raw, stable=True) if sort else xp.arange(raw.shape[0], device=device_of(raw))
    order = xp.take(order, xp.argsort(xp.take(row, order), stable=True))  # by row, the index order within
    counts = bincount(row, n_rows + 1, xp=xp)[:n_rows]  # (n_rows,)
    return xp.take(row, order), xp.take(columns, order), xp.take(raw, order), counts
