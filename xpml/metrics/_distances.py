"""Distances between the rows of two arrays, under a named metric, a block of rows at a time.

    euclidean      ‖x - y‖₂ = √(‖x‖² - 2 x·y + ‖y‖²)     (also "l2"; the product form of `euclidean_distances`)
    sqeuclidean    Σⱼ (xⱼ - yⱼ)²                          (from the differences, as scipy's)
    manhattan      Σⱼ |xⱼ - yⱼ|                           (also "cityblock", "l1")
    chebyshev      maxⱼ |xⱼ - yⱼ|
    minkowski      (Σⱼ wⱼ |xⱼ - yⱼ|ᵖ)^(1/p)               (p from the keywords, default 2; weights w)
    cosine         1 - x·y / (‖x‖ ‖y‖), clipped to [0, 2]  (1 against a zero row)
    nan_euclidean  √(n_features / |C| · Σ_{j∈C} (xⱼ - yⱼ)²), C the coordinates present in both rows

Each metric is an object with the methods of a kernel of `kernel_matrix` (`left`, `right` factors, `block`
of (b, m) values from a block of the left factor's rows) and a `finish` applied after any reduction of the
blocks (the square root of euclidean, which the nearest-row search (`_nearest`) takes of the minima only).
The product forms are one matrix product a block: ‖x - y‖² as [-2x, ‖x‖², 1]·[y, 1, ‖y‖²], and with missing
coordinates, zeroed, as [x², -2x, mₓ]·[m_y, y, y²] (m the masks of present values), whose count of common
coordinates is mₓ·m_y. The sums over features are `_feature_sums`'.

Reference: J. K. Dixon, "Pattern recognition with partly missing data", IEEE Trans. SMC 9(10), 1979
(the nan-euclidean distance).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .._backend import device_of, to_numpy
from ._common import to_float
from ._feature_sums import FeatureSum, minkowski
from .pairwise import _check_pair, distance_factors, euclidean_distances, kernel_matrix

__all__ = ["cosine_distances", "manhattan_distances", "nan_euclidean_distances", "paired_cosine_distances",
           "paired_distances", "paired_euclidean_distances", "paired_manhattan_distances", "pairwise_distances"]

METRICS = {"euclidean": "euclidean", "l2": "euclidean", "sqeuclidean": "sqeuclidean", "manhattan": "manhattan",
           "cityblock": "manhattan", "l1": "manhattan", "chebyshev": "chebyshev", "minkowski": "minkowski",
           "cosine": "cosine", "nan_euclidean": "nan_euclidean"}
_KEYWORDS = {"euclidean": ("squared", "X_norm_squared", "Y_norm_squared"), "minkowski": ("p", "w"),
             "nan_euclidean": ("squared", "missing_values", "copy")}


@dataclass(frozen=True)
class ProductDistance:
    """A distance from one matrix product of factors of the rows, as a kernel of `kernel_matrix`.

    name : "sqeuclidean" (the product form), "cosine" or "nan_euclidean"
    root : take the square root in `finish` (euclidean, nan_euclidean)
    missing : nan_euclidean's marker of a missing value (NaN or a number)
    """

    name: str
    root: bool = False
    missing: float = math.nan

    def _nan_factors(self, xp, X):
        absent = xp.isnan(X) if math.isnan(self.missing) else X == self.missing  # (n, p)
        Z = xp.where(absent, 0.0, X)  # the missing coordinates zeroed
        return Z, xp.astype(~absent, X.dtype)  # (n, p), (n, p): mask of the present ones

    def left(self, xp, X):
        if self.name == "nan_euclidean":
            Z, present = self._nan_factors(xp, X)
            return xp.concat([Z * Z, -2 * Z, present, present], axis=1)  # (n, 4p)
        return distance_factors(xp, X, self.name)[0]

    def right(self, xp, Y):
        if self.name == "nan_euclidean":
            Z, present = self._nan_factors(xp, Y)
            return xp.concat([present, Z, Z * Z, present], axis=1)  # (m, 4p)
        return distance_factors(xp, Y, self.name)[1]

    def block(self, xp, rows, right):
        """(b, m) squared distances (euclidean, nan_euclidean) or cosine distances."""
        if self.name != "nan_euclidean":
            P = rows @ right.T  # (b, m)
            return xp.clip(P, 0.0, 2.0) if self.name == "cosine" else xp.clip(P, 0.0, None)
        p = rows.shape[1] // 4
        D = xp.clip(rows[:, :3 * p] @ right[:, :3 * p].T, 0.0, None)  # (b, m): Σ over common coordinates
        common = rows[:, 3 * p:] @ right[:, 3 * p:].T  # (b, m): how many
        return xp.where(common == 0, xp.nan, D / xp.clip(common, 1.0, None) * p)

    def finish(self, xp, D):
        return xp.sqrt(D) if self.root else D


@dataclass(frozen=True)
class CalledDistance:
    """A callable metric(x, y, **kwds), called on each pair of rows (1-D numpy arrays) on the host."""

    metric: Any
    kwds: dict

    def left(self, xp, X):
        return X

    def right(self, xp, Y):
        return Y

    def block(self, xp, rows, Y):
        A, B = to_numpy(rows), to_numpy(Y)
        values = [[float(self.metric(a, b, **self.kwds)) for b in B] for a in A]
        return xp.asarray(values, dtype=rows.dtype, device=device_of(rows))  # (b, m)

    def finish(self, xp, D):
        return D


def resolve_distance(metric: Any, kwds: dict, backend, n_features: int, caller: str):
    """The distance object of a metric name (or callable) and its keywords (unknown ones: TypeError)."""
    if callable(metric):
        return CalledDistance(metric, dict(kwds))
    name = metric_name(metric, caller)
    unknown = sorted(set(kwds) - set(_KEYWORDS.get(name, ())))
    if unknown:
        raise TypeError(f"metric={metric!r} takes the keywords {list(_KEYWORDS.get(name, ()))}; got {unknown}.")
    if name in ("euclidean", "nan_euclidean"):
        if name == "euclidean" and (kwds.get("X_norm_squared") is not None or kwds.get("Y_norm_squared") is not None):
            raise TypeError(f"{caller} computes the squared norms itself: X_norm_squared and Y_norm_squared are "
                            f"for euclidean_distances and pairwise_distances.")
        return ProductDistance("sqeuclidean" if name == "euclidean" else name, root=not kwds.get("squared", False),
                               missing=kwds.get("missing_values", math.nan))
    if name == "cosine":
        return ProductDistance("cosine")
    if name == "minkowski":
        w = kwds.get("w")
        if w is not None:
            w = to_float(w, backend, "w", keep_float=True)
            if w.ndim != 1 or w.shape[0] != n_features:
                raise ValueError(f"w should hold one weight per feature ({n_features}); got shape {tuple(w.shape)}.")
        return minkowski(kwds.get("p", 2), w)
    if name == "sqeuclidean":
        return FeatureSum("minkowski", p=2.0, root=False)
    return FeatureSum(name)


def metric_name(metric: Any, caller: str) -> str:
    """The metric's canonical name ("l1" -> "manhattan", ...), or ValueError naming the ones xpml computes."""
    if not isinstance(metric, str) or metric not in METRICS:
        raise ValueError(f"metric={metric!r} is not a metric {caller} computes; expected one of {sorted(METRICS)} "
                         f"or a callable.")
    return METRICS[metric]


def _diagonal_zero(xp, D, keep_nan: bool = False):
    """D (n, n) of rows against themselves, with the rounding of d(x, x) set to 0 (NaN kept, with `keep_nan`)."""
    index = xp.arange(D.shape[0], device=device_of(D))
    eye = index[:, None] == index[None, :]  # (n, n)
    return xp.where(eye & ~xp.isnan(D) if keep_nan else eye, 0.0, D)


def _matrix(distance, X, Y, ensure_finite: Any = True):
    backend, X, Y = _check_pair(X, Y, ensure_finite)
    xp = backend.xp
    return xp, kernel_matrix(distance, xp, backend, X, Y)


def manhattan_distances(X: Any, Y: Any = None):
    """The L1 distances Σⱼ |xⱼ - yⱼ| between the rows of X and of Y (Y = X if None), (n_samples_X, n_samples_Y)."""
    return _matrix(FeatureSum("manhattan"), X, Y)[1]


def cosine_distances(X: Any, Y: Any = None):
    """1 - cos(x, y) between the rows of X and of Y (Y = X if None), clipped to [0, 2], (n_samples_X, n_samples_Y).

    A zero row has cosine 0 with every row (distance 1); a row's distance to itself is 0 when Y is None.
    """
    xp, D = _matrix(ProductDistance("cosine"), X, Y)
    return _diagonal_zero(xp, D) if Y is None else D


def nan_euclidean_distances(X: Any, Y: Any = None, *, squared: bool = False, missing_values: Any = math.nan,
                            copy: bool = True):
    """Euclidean distances that leave out missing values, scaled up to all the features, (n_samples_X, n_samples_Y).

    d(x, y) = √(n_features / |C| · Σ_{j∈C} (xⱼ - yⱼ)²), C the coordinates present in both rows; NaN where
    they share none. `copy` is accepted for scikit-learn's signature: the inputs are never written.
    """
    nan = isinstance(missing_values, float) and math.isnan(missing_values)
    distance = ProductDistance("nan_euclidean", root=not squared, missing=float(missing_values))
    xp, D = _matrix(distance, X, Y, "allow-nan" if nan else True)
    if Y is None:
        D = _diagonal_zero(xp, D, keep_nan=True)
    return distance.finish(xp, D)


def pairwise_distances(X: Any, Y: Any = None, metric: Any = "euclidean", *, n_jobs: Any = None,
                       ensure_all_finite: bool | str = True, **kwds: Any):
    """The distances between the rows of X and of Y (Y = X if None) under a metric, (n_samples_X, n_samples_Y).

    Parameters
    ----------
    X : array-like of shape (n_samples_X, n_features), or (n_samples_X, n_samples_Y) if metric="precomputed"
    Y : array-like of shape (n_samples_Y, n_features), optional
    metric : str or callable, default="euclidean"
        "euclidean", "l2", "sqeuclidean", "manhattan", "cityblock", "l1", "chebyshev", "minkowski" (keywords p
        and w), "cosine", "nan_euclidean", "precomputed" (X is returned, checked), or a callable metric(x, y,
        **kwds) called on each pair of rows (1-D numpy arrays, on the host: slow).
    n_jobs : int, optional
        Accepted for scikit-learn compatibility: the blocks are array operations.
    ensure_all_finite : bool or "allow-nan", default=True
        Refuse infinity and NaN (with "allow-nan", infinity only) where scikit-learn checks: for the precomputed,
        chebyshev, minkowski and sqeuclidean metrics and callables. nan_euclidean allows NaN.
    **kwds
        The metric's keywords (euclidean: squared, X_norm_squared, Y_norm_squared).

    Returns
    -------
    D : array of shape (n_samples_X, n_samples_Y), on the backend of X
    """
    if isinstance(metric, str) and metric == "precomputed":
        backend, D, _ = _check_pair(X, None, ensure_all_finite)
        if Y is not None and D.shape[1] != len(Y):
            raise ValueError(f"Precomputed metric requires shape (n_queries, n_indexed). Got {tuple(D.shape)} for "
                             f"{len(Y)} indexed.")
        if bool(backend.xp.any(D < 0)):
            raise ValueError("Negative values in data passed to pairwise_distances: precomputed distances should be "
                             "non-negative.")
        return D
    name = metric if callable(metric) else metric_name(metric, "pairwise_distances")
    if name == "euclidean":
        return euclidean_distances(X, Y, **kwds)
    if name == "nan_euclidean":
        return nan_euclidean_distances(X, Y, **kwds)
    if name in ("manhattan", "cosine") and kwds:
        raise TypeError(f"metric={metric!r} takes no keywords; got {sorted(kwds)}.")
    if name == "manhattan":
        return manhattan_distances(X, Y)
    if name == "cosine":
        return cosine_distances(X, Y)
    backend, X, Y = _check_pair(X, Y, ensure_all_finite)
    distance = resolve_distance(metric, kwds, backend, X.shape[1], "pairwise_distances")
    xp = backend.xp
    if Y is None and callable(metric):
        return _called_with_itself(xp, distance, X)
    return distance.finish(xp, kernel_matrix(distance, xp, backend, X, Y))


def _called_with_itself(xp, distance: CalledDistance, X):
    """A callable metric between the rows of X, as scikit-learn calls it: each pair i < j once (the matrix is
    made symmetric), then d(xᵢ, xᵢ). (n, n)"""
    A, n = to_numpy(X), X.shape[0]
    values = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            values[i][j] = values[j][i] = float(distance.metric(A[i], A[j], **distance.kwds))
        values[i][i] = float(distance.metric(A[i], A[i], **distance.kwds))
    return xp.asarray(values, dtype=X.dtype, device=device_of(X))


# ---- distances between paired rows ------------------------------------------------------------------------------


def _paired(X, Y):
    backend, X, Y = _check_pair(X, Y)
    if X.shape != Y.shape:
        raise ValueError(f"X and Y should be of same shape. They were respectively {tuple(X.shape)} and "
                         f"{tuple(Y.shape)} long.")
    return backend.xp, X, Y


def paired_euclidean_distances(X: Any, Y: Any):
    """‖xᵢ - yᵢ‖₂ for each pair of rows, (n_samples,)."""
    xp, X, Y = _paired(X, Y)
    return xp.sqrt(xp.sum((X - Y) ** 2, axis=1))


def paired_manhattan_distances(X: Any, Y: Any):
    """Σⱼ |xᵢⱼ - yᵢⱼ| for each pair of rows, (n_samples,)."""
    xp, X, Y = _paired(X, Y)
    return xp.sum(xp.abs(X - Y), axis=1)


def paired_cosine_distances(X: Any, Y: Any):
    """½ ‖x̂ᵢ - ŷᵢ‖² for each pair of rows scaled to unit length (1 - cos; ½ against a zero row), (n_samples,)."""
    xp, X, Y = _paired(X, Y)
    U, V = distance_factors(xp, X, "cosine")[1][:, :-1], distance_factors(xp, Y, "cosine")[1][:, :-1]  # unit rows
    return 0.5 * xp.sum((U - V) ** 2, axis=1)


_PAIRED = {"euclidean": paired_euclidean_distances, "l2": paired_euclidean_distances,
           "manhattan": paired_manhattan_distances, "l1": paired_manhattan_distances,
           "cityblock": paired_manhattan_distances, "cosine": paired_cosine_distances}


def paired_distances(X: Any, Y: Any, *, metric: Any = "euclidean", **kwds: Any):
    """The distance between each row of X and the row of Y at the same index, (n_samples,).

    Parameters
    ----------
    X, Y : array-like of shape (n_samples, n_features)
    metric : {"euclidean", "l2", "manhattan", "l1", "cityblock", "cosine"} or callable, default="euclidean"
        A callable metric(x, y) is called on each pair (1-D numpy arrays, on the host).
    **kwds
        Accepted for scikit-learn's signature (which passes none to the metric).
    """
    if callable(metric):
        xp, X, Y = _paired(X, Y)
        A, B = to_numpy(X), to_numpy(Y)
        return xp.asarray([float(metric(a, b)) for a, b in zip(A, B)], dtype=X.dtype, device=device_of(X))
    if not isinstance(metric, str) or metric not in _PAIRED:
        raise ValueError(f"metric={metric!r} is not a paired distance; expected one of {sorted(_PAIRED)} or a "
                         f"callable.")
    return _PAIRED[metric](X, Y)
