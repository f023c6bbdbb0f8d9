"""The k nearest training points of each query: `kneighbors` and its graph, for the estimators that search by
number of neighbours (KNeighborsClassifier, KNeighborsRegressor, NearestNeighbors).

The blocked search of `_base`: rank every training point by a key of one matrix product, select the
k + 8 smallest keys of each row (`xpml.utils._topk.topk`), measure those candidates exactly and keep
the k nearest, in (distance, index) order. The spare candidates let the exact distances, not the
rounding of the product form, decide near-ties at the k-th place.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

from .._backend import config_context
from ..utils._csr import CSR, is_csr
from ..utils._sparse_input import sparse_output
from ..utils._topk import order_rows, topk
from ._base import N_NEIGHBORS, WEIGHTS, NeighborsBase, check_graph_mode

__all__ = ["KNeighborsMixin"]

# Candidates kept beyond k by the ranking step, so that points whose keys differ from the exact
# distance order only by rounding (near-ties at the k-th place) are settled by the exact distances.
_SPARE_CANDIDATES = 8


class KNeighborsMixin:
    """`kneighbors` and `kneighbors_graph`, and the constructor of the k-nearest-neighbour models."""

    _parameter_constraints = {**NeighborsBase._parameter_constraints, "n_neighbors": N_NEIGHBORS, "weights": WEIGHTS}

    def __init__(self, n_neighbors: int = 5, *, weights: Any = "uniform", algorithm: str = "auto",
                 leaf_size: int = 30, p: float = 2, metric: str = "minkowski", metric_params: dict | None = None,
                 n_jobs: int | None = None, backend: Any = None, dtype: str | None = None):
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.p = p
        self.metric = metric
        self.metric_params = metric_params
        self.n_jobs = n_jobs
        self.backend = backend
        self.dtype = dtype

    def kneighbors(self, X: Any = None, n_neighbors: int | None = None, return_distance: bool = True):
        """The nearest training points of each query, nearest first.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), optional
            The queries. None means the training points themselves, each not counted as its own
            neighbour.
        n_neighbors : int, optional
            How many neighbours; by default the `n_neighbors` given at construction.
        return_distance : bool, default=True
            Return the distances too.

        Returns
        -------
        distances : array of shape (n_queries, n_neighbors)
            Only if `return_distance`. Each row is non-decreasing.
        indices : array of shape (n_queries, n_neighbors)
            Rows of the training data. Among equally distant points the lower index comes first.
        """
        X_in, X = X, self._queries(X, "kneighbors")
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        if isinstance(k, bool) or not isinstance(k, Integral) or k < 1:
            raise ValueError(f"n_neighbors={k!r} should be an int >= 1.")
        distances, indices = self._kneighbors_of_training(int(k)) if X is None else self._kneighbors(X, int(k))
        indices = self._output(indices, X_in)
        return (self._output(distances, X_in), indices) if return_distance else indices

    def kneighbors_graph(self, X: Any = None, n_neighbors: int | None = None, mode: str = "connectivity"):
        """The graph of `kneighbors`: a sparse (n_queries, n_samples_fit) matrix whose row i holds, at the columns of
        query i's neighbours (nearest first), 1 (mode="connectivity") or their distance (mode="distance"). A scipy
        CSR matrix; under set_config(output="backend") the backend's own sparse matrix."""
        check_graph_mode(mode, "kneighbors_graph")
        with config_context(output="backend"):
            distances, indices = self.kneighbors(X, n_neighbors)
        xp, (q, k) = self._xp, indices.shape
        data = xp.reshape(distances, (-1,)) if mode == "distance" else xp.ones(q * k, dtype=distances.dtype,
                                                                              device=distances.device)
        indptr = xp.arange(0, q * k + 1, k, dtype=indices.dtype, device=indices.device)
        return sparse_output(CSR(indptr, xp.reshape(indices, (-1,)), data, (q, self.n_samples_fit_)), X)

    def _kneighbors(self, X, k: int):
        """Distances (q, k) and indices (q, k) of the k nearest training points to each row of X."""
        n = self.n_samples_fit_
        if k > n:
            raise ValueError(f"n_neighbors={k} should be <= n_samples_fit={n}, the number of training samples.")
        blocks = self._blocks(X, lambda block, start: self._kneighbors_block(block, k))
        if len(blocks) == 1:
            return blocks[0]
        xp = self._xp
        return xp.concat([d for d, _ in blocks], axis=0), xp.concat([i for _, i in blocks], axis=0)

    def _kneighbors_block(self, X, k: int):
        """Rank, select, measure for one block of c queries. Returns (c, k), (c, k)."""
        if is_csr(X):  # a block of sparse queries, made dense
            X = X.toarray()  # (c, p)
        if self._metric == "callable":  # every distance computed exactly: nothing to refine
            distances, candidates = topk(self._called_distances(X), k, largest=False)  # (c, k)
            return order_rows(distances, candidates)
        m = min(k + _SPARE_CANDIDATES, self.n_samples_fit_)
        _, candidates = topk(self._ranking_key(X), m, largest=False, ordered=False)  # (c, m), in index order
        distances = self._measure(X, candidates)  # (c, m), raw
        nearest = self._xp.argsort(distances, axis=1, stable=True)[:, :k]  # (c, k): equal distances in index order
        distances, indices = (self._xp.take_along_axis(a, nearest, axis=1) for a in (distances, candidates))
        return self._finish(distances), indices

    def _kneighbors_of_training(self, k: int):
        """Neighbours of the training points among the others: search k + 1, then drop the point itself."""
        xp = self._xp
        n = self.n_samples_fit_
        if k >= n:
            raise ValueError(f"n_neighbors={k} should be < n_samples_fit={n} when X is None (a point is not "
                             f"its own neighbour).")
        distances, indices = self._kneighbors(self._fit_X, k + 1)  # (n, k + 1)
        me = xp.arange(n, dtype=indices.dtype, device=indices.device)[:, None]  # (n, 1)
        is_me = indices == me  # (n, k + 1)
        # Drop the column holding the point itself; if more than k duplicates crowd it out, drop the first.
        drop = xp.where(xp.any(is_me, axis=1), xp.argmax(xp.astype(is_me, xp.int8), axis=1), 0)  # (n,)
        cols = xp.arange(k, dtype=drop.dtype, device=drop.device)[None, :]  # (1, k)
        keep = cols + xp.astype(cols >= drop[:, None], drop.dtype)  # (n, k): skip the dropped column
        return xp.take_along_axis(distances, keep, axis=1), xp.take_along_axis(indices, keep, axis=1)
