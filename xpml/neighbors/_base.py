"""Brute-force neighbour search, shared by every estimator of `xpml.neighbors`: the k nearest training points
of each query (`_kneighbors`), or all those within a radius (`_radius`).

The distances, under a metric:

    euclidean  d(x, y) = ‖x - y‖₂                      (also "l2", and "minkowski" with p=2)
    manhattan  d(x, y) = Σⱼ |xⱼ - yⱼ|                  (also "l1", "cityblock", and "minkowski" with p=1)
    chebyshev  d(x, y) = maxⱼ |xⱼ - yⱼ|                (also "infinity", and "minkowski" with p=inf)
    minkowski  d(x, y) = (Σⱼ wⱼ |xⱼ - yⱼ|ᵖ)^(1/p)      (weights w from metric_params, default ones)
    cosine     d(x, y) = 1 - x·y / (‖x‖ ‖y‖)          (a zero vector has cosine 0 with everything)
    a callable metric(x, y, **metric_params), called on every pair (slow, as in scikit-learn)

The metric is resolved at fit as scikit-learn resolves it (`effective_metric_`,
`effective_metric_params_`): "minkowski" with p = 1, 2 or inf and no weights becomes the named metric.

Brute force means every query is compared with every training point. It is simple, and it is one
matrix product at heart, which GPUs and BLAS libraries run fast. Both searches run in three steps:

1. Rank. A block of queries gets a ranking key against all n training points, one (c, n) block at a
   time, so memory stays near `_BLOCK_BYTES` however many queries there are (`_blocks`). The key orders
   each row as the distance does and comes from one matrix product: ‖y‖² - 2 x·y for euclidean (the
   squared distance less the row's constant ‖x‖², as (x, 1)·(-2y, ‖y‖²)), -x̂·ŷ for cosine.
   The other metrics have no product form and sum |xⱼ - yⱼ| (or its power, or take its maximum)
   feature by feature.
2. Select the candidates of each row: the k + 8 smallest keys (`xpml.utils._topk.topk`, in O(n) per row;
   ties go to the lower index), or every key within the radius plus a margin for the key's rounding.
3. Measure. The distances to the candidates are computed again directly from the differences
   (`_measure`), so they carry no cancellation error from step 1 (a duplicate point is at distance
   exactly 0). They stay "raw" (euclidean squared, minkowski to the power p) until `_finish`; the k
   nearest, or those within the radius, are kept by these exact distances, not by the rounding of
   the product form.

Reference: Cover & Hart, "Nearest neighbor pattern classification", IEEE Trans. Inf. Theory 13(1), 1967.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

from .._backend import capability, device_of, get_config, on_accelerator, to_numpy
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, check_is_fitted
from ..utils._bincount import bincount
from ..utils._chunks import row_slices
from ..utils._compile import compiled_once
from ..utils._csr import is_csr
from ..utils._lazy import maps_rows
from ..utils._one_hot import has_scipy
from ..utils._param_validation import Interval, Options
from ..utils._sparse_input import csr_to_dense
from ..utils._threads import host_workers, on_workers, one_host_thread
from ..utils._warnings import warn
from ._sparse import sparse_exact_distances, sparse_fit_key, sparse_ranking_key

__all__ = ["NeighborsBase", "check_graph_mode", "leave_out", "neighbour_weights", "ranking_key", "raw_distances",
           "margin_bound", "within_margin"]

# Memory for one block of ranking keys, (queries in the block) x (training points), in bytes, on the host: at most
# 16 MiB, which stays in the last-level cache and under the C library's 32 MiB threshold above which each allocation
# is mapped afresh and faulted in page by page (2**28: 0.7 to 1.4 s in the kernel for 0.85 s of search, 10,000 x
# 50,000 x 32; 2**24: none, for 1.0 to 1.2 s); a quarter of that where it still holds `_ROWS` queries (the top-k's
# passes over a row then find it in cache: 15.6 against 18 ms for 2,000 x 2,000), else `_ROWS` as far as 16 MiB
# go (a product of fewer rows repacks the training points too often). An accelerator, or a backend whose every call
# costs much ("block_scale": jax), takes blocks 16 times larger.
_BLOCK_BYTES = 2**24
_ROWS = 256
_LARGE_BLOCKS = 16
# scikit-learn's other names for the metrics computed here.
_ALIASES = {"l2": "euclidean", "l1": "manhattan", "cityblock": "manhattan", "infinity": "chebyshev"}
METRICS = {"minkowski", "euclidean", "manhattan", "chebyshev", "cosine", *_ALIASES}
# The parameters of the estimators that search by number of neighbours, by radius, and how they weigh them.
N_NEIGHBORS = [Interval(Integral, 1, None, closed="left")]
RADIUS = [Interval(Real, 0, None, closed="left", allow_inf=True)]
WEIGHTS = [Options({"uniform", "distance"}), "callable", None]


class NeighborsBase(BaseEstimator):
    """What the neighbour estimators share: the metric, `fit`'s bookkeeping and the blocked search's steps.

    The searches themselves are the mixins `KNeighborsMixin` (`_kneighbors`) and `RadiusNeighborsMixin`
    (`_radius`); each estimator declares its own `__init__` and parameters, as in scikit-learn.
    """

    _scales_out = True  # on dask: computed per chunk and reduced across chunks (tests/test_dask.py)

    _squares_X = True  # squared distances / variances of X: values beyond ~1e150 are refused at input
    _accepts_sparse = True  # euclidean and cosine distances from sparse products; other metrics make X dense

    _parameter_constraints = {
        "algorithm": [Options({"auto", "ball_tree", "kd_tree", "brute"})],
        "leaf_size": [Interval(Integral, 1, None, closed="left")],
        "p": [Interval(Real, 0, None, closed="right", allow_inf=True), None],  # p=inf: the Chebyshev distance
        "metric": [Options(METRICS), "callable"],
        "metric_params": ["dict", None],
        "n_jobs": [Interval(Integral, None, None), None],
        **BACKEND_CONSTRAINTS,
    }

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
        metric = self.effective_metric_
        self._metric = "callable" if callable(self.metric) else _ALIASES.get(metric, metric)
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

    def _queries(self, X: Any, method: str):
        """The queries of a search method, checked against the fit; None (the training points) stays None."""
        check_is_fitted(self)
        if maps_rows(self._backend):
            raise ValueError(f"{type(self).__name__}.{method} does not run on backend={self._backend.name!r}: its "
                             f"results are whole arrays (or ragged lists), not chunks. Load the model onto another "
                             f"backend (xpml.io.load(path, backend='numpy')) to search; predict runs chunk by chunk.")
        return None if X is None else self._validate_data(X, reset=False)

    # ---- the steps of the search ------------------------------------------------------------------

    def _blocks(self, X, search):
        """search(block, start) for consecutive blocks of the queries X (n_queries, p), dense or CSR, each
        block's (c, n) keys near `_BLOCK_BYTES` at most; the results in order. On the host, workers share the
        blocks, as many to each, each kernel on one thread (see xpml.utils._threads)."""
        backend, q = self._backend, X.shape[0]
        large = on_accelerator(backend) or (capability(backend, "block_scale") or 1) > 1
        row_bytes = self.n_samples_fit_ * (4 if X.dtype == self._xp.float32 else 8)
        rows = max(1, _BLOCK_BYTES * _LARGE_BLOCKS // row_bytes) if large else \
            max(1, _BLOCK_BYTES // 4 // row_bytes, min(_BLOCK_BYTES // row_bytes, _ROWS))
        workers = host_workers(backend) if q * row_bytes >= _BLOCK_BYTES // 16 else 1  # small: one thread
        n_blocks = workers * math.ceil(math.ceil(q / rows) / workers)  # a multiple of the workers
        rows = math.ceil(q / n_blocks)  # blocks of equal size

        def run(part: list) -> list:  # a worker's consecutive blocks of queries
            return [search(X.row_block(block.start, block.stop) if is_csr(X) else X[block, :], block.start)
                    for block in part]

        with one_host_thread(backend):
            parts = on_workers(run, row_slices(q, rows), workers)
        return [result for part in parts for result in part]

    def _ranking_key(self, X):
        """(c, n): a key that orders each row of training points as their distance to that dense query does."""
        if is_csr(self._fit_X):
            return sparse_ranking_key(self._xp, self._fit_X, self._fit_key, X, self._metric)
        return ranking_key(self._xp, self._metric, self._p, self._w, X, self._fit_X, getattr(self, "_fit_key", None))

    def _within_margin(self, X, bound: float, start: int, leave_out_self: bool):
        """(c, n) mask of the training points whose raw distance to a dense query of X (rows start, start + 1, ...)
        may be <= bound (`within_margin`), each query's own row left out with `leave_out_self`. Dense training
        points: one compiled call where each new shape costs a compilation (jax)."""
        xp = self._xp
        if is_csr(self._fit_X):
            return within_margin(xp, self._metric, self._ranking_key(X), X, self._fit_key, bound, start,
                                 leave_out_self)
        near = compiled_once(_dense_within_margin, self._backend, ("xp", "metric", "p", "leave_out_self"))
        return near(xp, self._metric, self._p, self._w, X, self._fit_X, getattr(self, "_fit_key", None), bound, start,
                    leave_out_self)  # _fit_key: euclidean and cosine only

    def _measure(self, X, candidates):
        """Raw distances (c, m) from each dense query of X (c, p) to its own m candidates (c, m), from the
        differences (`raw_distances`)."""
        xp = self._xp
        if is_csr(self._fit_X):
            return sparse_exact_distances(xp, self._fit_X, self._fit_key, X, candidates, self._metric)
        (c, m), p = candidates.shape, X.shape[1]
        points = xp.reshape(xp.take(self._fit_X, xp.reshape(candidates, (-1,)), axis=0), (c, m, p))  # (c, m, p)
        return raw_distances(xp, self._metric, self._p, self._w, X[:, None, :], points)

    def _raw(self, radius: float) -> float:
        """A radius in the units of the raw distances: squared (euclidean), to the power p (minkowski)."""
        return radius ** 2 if self._metric == "euclidean" else radius ** self._p if self._metric == "minkowski" \
            else radius

    def _finish(self, raw):
        """The distances from raw ones (any shape): the square root (euclidean), the p-th root (minkowski)."""
        if self._metric == "euclidean":
            return self._xp.sqrt(raw)
        return raw ** (1 / self._p) if self._metric == "minkowski" else raw

    def _called_distances(self, X):
        """(c, n): a callable metric's distance from each query to each training point, called as scikit-learn
        calls it, on two 1-D numpy arrays (and metric_params), one pair at a time on the host."""
        queries, points = to_numpy(X), to_numpy(self._fit_X)
        rows = [[float(self.metric(x, y, **self.effective_metric_params_)) for y in points] for x in queries]
        return self._xp.asarray(rows, dtype=X.dtype, device=X.device)

    # ---- what the estimators do with neighbours ----------------------------------------------

    def _neighbour_weights(self, distances):
        """(q, k) vote weights of the k nearest neighbours (`neighbour_weights`)."""
        return neighbour_weights(self._xp, self.weights, distances)


def ranking_key(xp, metric: str, p: float, w, X, Y, fit_key):
    """(c, n): a key that orders each row of the dense training points Y (n, p) as their distance to that query of
    X (c, p) does; fit_key is what `_fit_points` keeps of Y for it."""
    if metric == "euclidean":
        ones = xp.ones((X.shape[0], 1), dtype=X.dtype, device=device_of(X))
        return xp.concat([X, ones], axis=1) @ fit_key.T  # ‖y‖² - 2 x·y = d² - ‖x‖², one product
    if metric == "cosine":
        return _unit_rows(xp, X) @ fit_key.T  # -cos = d - 1
    key = None  # the others: one feature at a time keeps memory at (c, n)
    for j in range(X.shape[1]):
        term = xp.abs(X[:, j:j + 1] - Y[:, j])  # (c, n) |xⱼ - yⱼ|
        if metric == "minkowski":  # wⱼ |xⱼ - yⱼ|ᵖ
            term = term ** p if w is None else term ** p * w[j]
        key = term if key is None else xp.maximum(key, term) if metric == "chebyshev" else key + term
    return key


def within_margin(xp, metric: str, key, X, y_squared, bound, start, leave_out_self: bool):
    """(c, n) mask of the training points whose raw distance to a query of X may be <= bound: every one that is,
    and a few beyond, by the ranking key (c, n) and its `margin_bound`. y_squared (n,): ‖y‖² (euclidean).
    With `leave_out_self`, the queries are the training points start, start + 1, ..., each left out of its row."""
    near = key <= margin_bound(xp, metric, X, y_squared, bound)  # one pass
    return leave_out(xp, near, start) if leave_out_self else near


def margin_bound(xp, metric: str, X, y_squared, bound, sure: bool = False):
    """The largest ranking key of a training point whose raw distance to a query of X (c, p) may be <= bound: (c, 1)
    for euclidean (d² = key + ‖x‖²), else a number; the key's rounding error is below the margin (the product form's
    (p + 2) roundings, each at most eps (‖x‖² + ‖y‖²) for euclidean, eps for cosine). With `sure`, the margin is
    taken off instead: the key below which the raw distance measured from the differences (`raw_distances`) is surely
    <= bound, the margin being above the errors of the key and of that measure together (euclidean: about (3p + 2)
    and (2p + 6) half-eps of ‖x‖² + ‖y‖², against the margin's 4 (p + 2) eps)."""
    tol = (-4 if sure else 4) * (X.shape[1] + 2) * xp.finfo(X.dtype).eps
    if metric == "euclidean":
        x_squared = xp.sum(X * X, axis=1, keepdims=True)  # (c, 1)
        return bound - x_squared + tol * (x_squared + xp.max(y_squared))
    if metric == "cosine":
        return bound - 1 + tol  # d = key + 1
    return bound * (1 + tol)  # sums of exact terms: only their order of summation differs


def leave_out(xp, near, start):
    """The (c, n) mask `near` of queries that are the training points start, start + 1, ..., each without itself."""
    c, n = near.shape
    me = xp.arange(c, device=device_of(near)) + start  # (c,)
    return near & (xp.arange(n, device=device_of(near))[None, :] != me[:, None])


def _dense_within_margin(xp, metric: str, p: float, w, X, Y, fit_key, bound, start, leave_out_self: bool):
    y_squared = fit_key[:, -1] if metric == "euclidean" else None  # (n,)
    return within_margin(xp, metric, ranking_key(xp, metric, p, w, X, Y, fit_key), X, y_squared, bound, start,
                         leave_out_self)


def raw_distances(xp, metric: str, p: float, w, A, B):
    """Raw distances between the vectors of A and B (broadcast together, (..., n_features)), from the differences:
    euclidean squared (exact sums on integer data, so exact ties stay ties), minkowski to the power p (feature
    weights w, or None), the others as they are. (...)."""
    if metric == "cosine":
        return xp.clip(1 - xp.sum(_unit_rows(xp, A) * _unit_rows(xp, B), axis=-1), 0.0, 2.0)
    gap = xp.abs(A - B)  # (..., n_features)
    if metric == "euclidean":
        return xp.sum(gap * gap, axis=-1)
    if metric == "chebyshev":
        return xp.max(gap, axis=-1)
    if metric == "manhattan":
        return xp.sum(gap, axis=-1)
    return xp.sum(gap ** p if w is None else gap ** p * w, axis=-1)


def neighbour_weights(xp, weights, distances, rows=None, n_rows: int | None = None):
    """Vote weights of neighbours: of (q, k) distances, or of the flat (nnz,) distances of ragged rows (radius
    neighbours), each in row `rows[i]` of n_rows. Ones (weights "uniform" or None), 1/d ("distance"), or those of
    the callable `weights`, which gets the distances as they are, an array of the backend; at "distance", a query at
    distance 0 from some points gives them the vote."""
    if callable(weights):
        return xp.asarray(weights(distances), dtype=distances.dtype, device=distances.device)
    if weights in (None, "uniform"):
        return xp.ones_like(distances)
    at_zero = distances == 0  # (q, k) or (nnz,)
    inverse = 1 / xp.where(at_zero, xp.ones_like(distances), distances)
    if rows is None:
        row_has_zero = xp.any(at_zero, axis=1, keepdims=True)  # (q, 1)
    else:
        zeros_in_row = bincount(rows, n_rows, xp.astype(at_zero, distances.dtype), xp=xp)  # (n_rows,)
        row_has_zero = xp.take(zeros_in_row > 0, rows)  # (nnz,)
    return xp.where(row_has_zero, xp.astype(at_zero, distances.dtype), inverse)


def check_graph_mode(mode: str, method: str) -> None:
    """A graph's mode, and scipy where the graph is returned as scipy's."""
    if mode not in ("connectivity", "distance"):
        raise ValueError(f"mode={mode!r} should be 'connectivity' or 'distance'.")
    if get_config()["output"] != "backend" and not has_scipy():
        raise ImportError(f"{method} returns a scipy.sparse matrix: install scipy, or use "
                          "xpml.set_config(output='backend') for the backend's own sparse matrix.")


def _unit_rows(xp, X):
    """Vectors along the last axis scaled to unit length; zero vectors stay zero. (..., p)."""
    norms = xp.sqrt(xp.sum(X * X, axis=-1, keepdims=True))  # (..., 1)
    return X / xp.where(norms == 0, xp.ones_like(norms), norms)
