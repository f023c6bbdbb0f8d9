"""Brute-force k-nearest-neighbour search, shared by the kNN classifier and regressor.

For each query x the search returns the k training points nearest to x under a metric:

    euclidean  d(x, y) = ‖x - y‖₂                      (also "l2", and "minkowski" with p=2)
    manhattan  d(x, y) = Σⱼ |xⱼ - yⱼ|                  (also "l1", "cityblock", and "minkowski" with p=1)
    chebyshev  d(x, y) = maxⱼ |xⱼ - yⱼ|                (also "infinity", and "minkowski" with p=inf)
    minkowski  d(x, y) = (Σⱼ wⱼ |xⱼ - yⱼ|ᵖ)^(1/p)      (weights w from metric_params, default ones)
    cosine     d(x, y) = 1 - x·y / (‖x‖ ‖y‖)          (a zero vector has cosine 0 with everything)
    a callable metric(x, y, **metric_params), called on every pair (slow, as in scikit-learn)

The metric is resolved at fit as scikit-learn resolves it (`effective_metric_`,
`effective_metric_params_`): "minkowski" with p = 1, 2 or inf and no weights becomes the named metric.

Brute force means every query is compared with every training point. It is simple, and it is one
matrix product at heart, which GPUs and BLAS libraries run fast. It runs in three steps:

1. Rank. A block of queries gets a ranking key against all n training points, one (c, n) block at a
   time, so memory stays near `_BLOCK_BYTES` however many queries there are. The key orders each
   row as the distance does and comes from one matrix product: ‖y‖² - 2 x·y for euclidean (the
   squared distance less the row's constant ‖x‖², as (x, 1)·(-2y, ‖y‖²)), -x̂·ŷ for cosine.
   The other metrics have no product form and sum |xⱼ - yⱼ| (or its power, or take its maximum)
   feature by feature.
2. Select the k + 8 smallest keys of each row (`xpml.utils._topk.topk`, in O(n) per row; ties go to
   the lower index).
3. Measure. The distances to those candidates are computed again directly from the differences, so
   they carry no cancellation error from step 1 (a duplicate point is at distance exactly 0); each
   row is put in (distance, index) order (by squared euclidean distance, free of the square root's
   rounding) and cut at k. The spare candidates let the exact distances, not the rounding of the
   product form, decide near-ties at the k-th place.

Reference: Cover & Hart, "Nearest neighbor pattern classification", IEEE Trans. Inf. Theory 13(1), 1967.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

from .._backend import config_context, get_config, to_numpy
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, check_is_fitted
from ..utils._chunks import row_slices
from ..utils._csr import CSR, is_csr
from ..utils._one_hot import has_scipy
from ..utils._param_validation import Interval, Options
from ..utils._sparse_input import csr_to_dense, sparse_output
from ..utils._threads import host_workers, on_workers, one_host_thread
from ..utils._topk import order_rows, topk
from ..utils._warnings import warn
from ._sparse import sparse_exact_distances, sparse_fit_key, sparse_ranking_key

__all__ = ["NeighborsBase"]

# Memory for one block of ranking keys, (queries in the block) x (training points), in bytes.
_BLOCK_BYTES = 2**28
# Candidates kept beyond k by the ranking step, so that points whose keys differ from the exact
# distance order only by rounding (near-ties at the k-th place) are settled by the exact distances.
_SPARE_CANDIDATES = 8
# scikit-learn's other names for the metrics computed here.
_ALIASES = {"l2": "euclidean", "l1": "manhattan", "cityblock": "manhattan", "infinity": "chebyshev"}
METRICS = {"minkowski", "euclidean", "manhattan", "chebyshev", "cosine", *_ALIASES}


class NeighborsBase(BaseEstimator):
    """What the kNN estimators share: the parameters, `fit`'s bookkeeping and `kneighbors`."""

    _scales_out = True  # on dask: computed per chunk and reduced across chunks (tests/test_dask.py)

    _squares_X = True  # squared distances / variances of X: values beyond ~1e150 are refused at input
    _accepts_sparse = True  # euclidean and cosine distances from sparse products; other metrics make X dense

    _parameter_constraints = {
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "weights": [Options({"uniform", "distance"}), "callable", None],
        "algorithm": [Options({"auto", "ball_tree", "kd_tree", "brute"})],
        "leaf_size": [Interval(Integral, 1, None, closed="left")],
        "p": [Interval(Real, 0, None, closed="right", allow_inf=True), None],  # p=inf: the Chebyshev distance
        "metric": [Options(METRICS), "callable"],
        "metric_params": ["dict", None],
        "n_jobs": [Interval(Integral, None, None), None],
        **BACKEND_CONSTRAINTS,
    }

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

    def _resolve_metric(self) -> None:
        """`effective_metric_` and `effective_metric_params_` as scikit-learn sets them, and the metric computed."""
        params = dict(self.metric_params or {})
        if "p" in params and self.p is not None:
            warn("Parameter p is found in metric_params. The corresponding parameter from __init__ is ignored.",
                 SyntaxWarning)
        self.effective_metric_ = self.metric
        if self.metric == "minkowski":
            p, w = params.pop("p", self.p if self.p is not None else 2), params.pop("w", None)
            named = {1: "manhattan", 2: "euclidean", math.inf: "chebyshev"}.get(p) if w is None else None
            if named:
                self.effective_metric_ = named
            else:
                params.update(p=p, w=w)
                if p < 1 and self.algorithm in ("kd_tree", "ball_tree"):
                    raise ValueError(f'algorithm="{self.algorithm}" does not support 0 < p < 1 for the Minkowski '
                                     f'metric. To resolve this problem either set p >= 1 or algorithm="brute".')
                if p < 1:
                    warn("Mind that for 0 < p < 1, Minkowski metrics are not distance metrics. Continuing the "
                         "execution with `algorithm='brute'`.", UserWarning)
        self.effective_metric_params_ = params
        self._metric = "callable" if callable(self.metric) else _ALIASES.get(self.effective_metric_, self.effective_metric_)
        self._p = params.get("p", 2)
        w = params.get("w")
        self._w = None if w is None else self._to_backend(w, dtype=self._dtype)  # (p,)

    def _fit_points(self, X) -> None:
        """Keep the training points (n, p) and what the ranking step needs from them."""
        xp = self._xp
        self._resolve_metric()
        if is_csr(X) and self._metric not in ("euclidean", "cosine"):
            X = csr_to_dense(X, f"{type(self).__name__}(metric={self.metric!r})", "metric='euclidean' or 'cosine'")
        self._fit_X = X
        self.n_samples_fit_ = X.shape[0]
        if is_csr(X):  # sparse training points: distances from sparse products (`_sparse`)
            self._fit_key = sparse_fit_key(xp, X, self._metric)
        elif self._metric == "euclidean":  # rows (-2y, ‖y‖²), so that (x, 1)·(-2y, ‖y‖²) = ‖y‖² - 2 x·y
            self._fit_key = xp.concat([-2 * X, xp.sum(X * X, axis=1, keepdims=True)], axis=1)  # (n, p + 1)
        elif self._metric == "cosine":
            self._fit_key = -_unit_rows(xp, X)  # (n, p): x̂·(-ŷ) = -cos

    # ---- the search ----------------------------------------------------------------------------

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
        check_is_fitted(self)
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        if isinstance(k, bool) or not isinstance(k, Integral) or k < 1:
            raise ValueError(f"n_neighbors={k!r} should be an int >= 1.")
        X_in = X
        if X is None:
            distances, indices = self._kneighbors_of_training(int(k))
        else:
            distances, indices = self._kneighbors(self._validate_data(X, reset=False), int(k))
        indices = self._output(indices, X_in)
        return (self._output(distances, X_in), indices) if return_distance else indices

    def kneighbors_graph(self, X: Any = None, n_neighbors: int | None = None, mode: str = "connectivity"):
        """The graph of `kneighbors`: a sparse (n_queries, n_samples_fit) matrix whose row i holds, at the columns of
        query i's neighbours (nearest first), 1 (mode="connectivity") or their distance (mode="distance"). A scipy
        CSR matrix; under set_config(output="backend") the backend's own sparse matrix."""
        if mode not in ("connectivity", "distance"):
            raise ValueError(f"mode={mode!r} should be 'connectivity' or 'distance'.")
        if get_config()["output"] != "backend" and not has_scipy():
            raise ImportError("kneighbors_graph returns a scipy.sparse matrix: install scipy, or use "
                              "xpml.set_config(output='backend') for the backend's own sparse matrix.")
        with config_context(output="backend"):
            distances, indices = self.kneighbors(X, n_neighbors)
        xp, (q, k) = self._xp, indices.shape
        data = xp.reshape(distances, (-1,)) if mode == "distance" else xp.ones(q * k, dtype=distances.dtype,
                                                                              device=distances.device)
        indptr = xp.arange(0, q * k + 1, k, dtype=indices.dtype, device=indices.device)
        return sparse_output(CSR(indptr, xp.reshape(indices, (-1,)), data, (q, self.n_samples_fit_)), X)

    def _kneighbors(self, X, k: int):
        """Distances (q, k) and indices (q, k) of the k nearest training points to each row of X."""
        xp = self._xp
        n = self.n_samples_fit_
        if k > n:
            raise ValueError(f"n_neighbors={k} should be <= n_samples_fit={n}, the number of training samples.")
        itemsize = 4 if X.dtype == xp.float32 else 8
        rows = max(1, _BLOCK_BYTES // (n * itemsize))

        def run(part: list) -> list:  # a worker's consecutive blocks of queries
            return [self._kneighbors_block(X.row_block(block.start, block.stop) if is_csr(X) else X[block, :], k)
                    for block in part]

        # On the host, workers share the blocks, each kernel on one thread (see xpml.utils._threads)
        with one_host_thread(self._backend):
            parts = on_workers(run, row_slices(X.shape[0], rows), host_workers(self._backend))
        blocks = [block for part in parts for block in part]
        if len(blocks) == 1:
            return blocks[0]
        return xp.concat([d for d, _ in blocks], axis=0), xp.concat([i for _, i in blocks], axis=0)

    def _kneighbors_block(self, X, k: int):
        """Rank, select, measure for one block of c queries. Returns (c, k), (c, k)."""
        xp = self._xp
        if is_csr(X):  # a block of sparse queries, made dense
            X = X.toarray()  # (c, p)
        if is_csr(self._fit_X):
            m = min(k + _SPARE_CANDIDATES, self.n_samples_fit_)
            _, candidates = topk(sparse_ranking_key(xp, self._fit_X, self._fit_key, X, self._metric), m, largest=False)
            distances = sparse_exact_distances(xp, self._fit_X, self._fit_key, X, candidates, self._metric)  # (c, m)
            distances, indices = order_rows(distances, candidates)
            return (xp.sqrt(distances[:, :k]) if self._metric == "euclidean" else distances[:, :k]), indices[:, :k]
        if self._metric == "callable":  # every distance computed exactly: nothing to refine
            distances, candidates = topk(self._called_distances(X), k, largest=False)  # (c, k)
            return order_rows(distances, candidates)
        m = min(k + _SPARE_CANDIDATES, self.n_samples_fit_)
        _, candidates = topk(self._ranking_key(X), m, largest=False)  # (c, m)
        c, p = X.shape
        points = xp.reshape(xp.take(self._fit_X, xp.reshape(candidates, (-1,)), axis=0), (c, m, p))  # (c, m, p)
        distances, indices = order_rows(self._exact_distances(X, points), candidates)  # (c, m)
        distances, indices = distances[:, :k], indices[:, :k]
        if self._metric == "minkowski":
            return distances ** (1 / self._p), indices
        return (xp.sqrt(distances) if self._metric == "euclidean" else distances), indices

    def _called_distances(self, X):
        """(c, n): a callable metric's distance from each query to each training point, called as scikit-learn
        calls it, on two 1-D numpy arrays (and metric_params), one pair at a time on the host."""
        queries, points = to_numpy(X), to_numpy(self._fit_X)
        rows = [[float(self.metric(x, y, **self.effective_metric_params_)) for y in points] for x in queries]
        return self._xp.asarray(rows, dtype=X.dtype, device=X.device)

    def _ranking_key(self, X):
        """(c, n): a key that orders each row of training points as their distance to that query does."""
        xp = self._xp
        if self._metric == "euclidean":
            ones = xp.ones((X.shape[0], 1), dtype=X.dtype, device=X.device)
            return xp.concat([X, ones], axis=1) @ self._fit_key.T  # ‖y‖² - 2 x·y = d² - ‖x‖², one product
        if self._metric == "cosine":
            return _unit_rows(xp, X) @ self._fit_key.T  # -cos = d - 1
        Y = self._fit_X  # the others: one feature at a time keeps memory at (c, n)
        key = self._feature_term(xp.abs(X[:, 0:1] - Y[:, 0]), 0)
        for j in range(1, X.shape[1]):
            term = self._feature_term(xp.abs(X[:, j:j + 1] - Y[:, j]), j)
            key = xp.maximum(key, term) if self._metric == "chebyshev" else key + term
        return key

    def _feature_term(self, gap, j: int):
        """Feature j's share of the distance, from |xⱼ - yⱼ| (any shape): wⱼ |xⱼ - yⱼ|ᵖ for minkowski."""
        if self._metric != "minkowski":
            return gap
        term = gap ** self._p
        return term if self._w is None else term * self._w[j]

    def _exact_distances(self, X, neighbours):
        """Distances from each query (c, p) to its own m candidates (c, m, p), from the differences. (c, m).

        Euclidean distances come squared (exact sums on integer data, so exact ties stay ties), and
        minkowski ones to the power p.
        """
        xp = self._xp
        if self._metric == "cosine":
            cosine = xp.sum(_unit_rows(xp, X)[:, None, :] * _unit_rows(xp, neighbours), axis=2)  # (c, m)
            return xp.clip(1 - cosine, 0.0, 2.0)
        gap = xp.abs(X[:, None, :] - neighbours)  # (c, m, p)
        if self._metric == "euclidean":
            return xp.sum(gap * gap, axis=2)
        if self._metric == "chebyshev":
            return xp.max(gap, axis=2)
        if self._metric == "manhattan":
            return xp.sum(gap, axis=2)
        return xp.sum(gap ** self._p if self._w is None else gap ** self._p * self._w, axis=2)

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

    # ---- what the estimators do with neighbours ----------------------------------------------

    def _neighbour_weights(self, distances):
        """(q, k) vote weights: ones, 1/d, or the callable's; at "distance", a query at distance 0 from some
        points gives them the vote. A callable `weights` gets the distances, an array of the backend."""
        xp = self._xp
        if callable(self.weights):
            return xp.asarray(self.weights(distances), dtype=distances.dtype, device=distances.device)
        if self.weights in (None, "uniform"):
            return xp.ones_like(distances)
        at_zero = distances == 0  # (q, k)
        inverse = 1 / xp.where(at_zero, xp.ones_like(distances), distances)
        return xp.where(xp.any(at_zero, axis=1, keepdims=True), xp.astype(at_zero, distances.dtype), inverse)


def _unit_rows(xp, X):
    """Vectors along the last axis scaled to unit length; zero vectors stay zero. (..., p)."""
    norms = xp.sqrt(xp.sum(X * X, axis=-1, keepdims=True))  # (..., 1)
    return X / xp.where(norms == 0, xp.ones_like(norms), norms)
