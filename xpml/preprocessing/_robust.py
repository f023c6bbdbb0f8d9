"""RobustScaler: centre each feature on its median and divide by its interquartile range.

The statistics are quantiles of each column, NaN left out (missing values pass through transform as
NaN): the column is sorted (NaN, read as +inf, last), and quantile q of its c observed values is read
at the virtual index h = (c - 1) q between the order statistics x_(⌊h⌋) and x_(⌊h⌋+1), by linear
interpolation, as numpy's default `percentile` does (Hyndman & Fan's definition 7), in numpy's
arithmetic (`xpml.utils._quantiles`, which QuantileTransformer and KBinsDiscretizer share). A scale
within rounding of 0 (a constant feature) is 1. With `unit_variance`, the scale is divided by the
interquartile range of the standard normal distribution, Φ⁻¹(q_max) - Φ⁻¹(q_min), so that normal data
get variance 1.

scipy.sparse input (CSR or CSC), with_centering=False only (centring would fill it in), is scaled on
the host, stored values only, as MaxAbsScaler does; its quantiles count the zeros that are not stored
without making them: the k-th smallest value of a column is among its sorted stored values, below,
among or above its implicit zeros. The fitted center_ and scale_ are arrays of the backend.

Reference: R. J. Hyndman and Y. Fan, Sample quantiles in statistical packages, The American
Statistician 50 (1996) 361-365.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import Any

from .._backend import float_dtype_for, resolve_backend, to_numpy
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, check_is_fitted
from ..utils._feature_names import check_feature_names, check_feature_names_in
from ..utils._host import host_namespace
from ..utils._quantiles import nan_quantiles, stored_and_zero_quantiles
from ..utils._sparse_columns import is_sparse, scale_sparse_columns
from ..utils._sparse_input import host_sparse, scipy_output
from ..utils._values import ALLOW_NAN, check_values
from ..utils.validation import check_n_features
from ._data import _safe_scale

__all__ = ["RobustScaler"]


def _sparse_column_quantiles(S, qs: tuple) -> list:
    """The quantiles qs (percent) of each column of a scipy CSC matrix S, its zeros counted, NaN left out, on the
    host: a list of (p,) numpy arrays."""
    hxp = host_namespace()
    probabilities = [q / 100 for q in qs]
    columns = [stored_and_zero_quantiles(S.data[S.indptr[j]:S.indptr[j + 1]],
                                         S.shape[0] - int(S.indptr[j + 1] - S.indptr[j]), probabilities)
               for j in range(S.shape[1])]  # (m,) each
    found = hxp.stack(columns, axis=1)  # (m, p)
    return [hxp.astype(found[i, :], S.dtype) for i in range(len(qs))]


class RobustScaler(TransformerMixin, BaseEstimator):
    """Scale features with statistics robust to outliers: (x - median) / (q_max - q_min quantile range).

    Parameters
    ----------
    with_centering : bool, default=True
        Subtract the median (not for sparse X).
    with_scaling : bool, default=True
        Divide by the quantile range (constant features are left at scale 1).
    quantile_range : tuple (q_min, q_max), default=(25.0, 75.0)
        The quantiles, in percent, whose difference is the scale: 0 <= q_min <= q_max <= 100.
    copy : bool, default=True
        Accepted for scikit-learn compatibility: xpml never modifies X, whatever its value.
    unit_variance : bool, default=False
        Divide the scale by the standard normal distribution's range between the same quantiles.
    backend : str or Backend, optional
        Where to compute ("numpy", "torch", "torch:cuda", "jax", ...); None: the backend in force at fit.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in; by default floating input keeps its precision.

    Attributes
    ----------
    center_ : array of shape (n_features,), or None if with_centering=False
        The median of each feature (NaN left out).
    scale_ : array of shape (n_features,), or None if with_scaling=False
        The quantile range of each feature, 1 for constant ones.
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.preprocessing import RobustScaler
    >>> RobustScaler().fit_transform([[1.0], [2.0], [3.0], [4.0], [100.0]]).ravel().tolist()
    [-1.0, -0.5, 0.0, 0.5, 48.5]
    """

    _parameter_constraints = {"with_centering": ["boolean"], "with_scaling": ["boolean"], "quantile_range": [tuple],
                              "copy": ["boolean"], "unit_variance": ["boolean"], **BACKEND_CONSTRAINTS}

    def __init__(self, *, with_centering: bool = True, with_scaling: bool = True,
                 quantile_range: tuple = (25.0, 75.0), copy: bool = True, unit_variance: bool = False,
                 backend: Any = None, dtype: str | None = None):
        self.with_centering = with_centering
        self.with_scaling = with_scaling
        self.quantile_range = quantile_range
        self.copy = copy
        self.unit_variance = unit_variance
        self.backend = backend
        self.dtype = dtype

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # missing values are left out of the quantiles and kept by transform
        tags.input_tags.sparse = not self.with_centering
        return tags

    def _quantiles(self) -> tuple[float, float]:
        q = self.quantile_range
        if len(q) != 2 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in q) or \
                not 0 <= q[0] <= q[1] <= 100:
            raise ValueError(f"quantile_range={q!r} should be a pair (q_min, q_max) of percentages with "
                             f"0 <= q_min <= q_max <= 100.")
        if self.unit_variance and not 0 < q[0] < q[1] < 100:
            raise ValueError(f"unit_variance=True needs 0 < q_min < q_max < 100, whose normal quantiles are finite "
                             f"and apart; got quantile_range={q!r}.")
        return float(q[0]), float(q[1])

    def fit(self, X: Any, y: Any = None) -> RobustScaler:
        """Learn the median and quantile range of each feature of X, of shape (n_samples, n_features), NaN left
        out; X may be a scipy.sparse matrix with with_centering=False. Returns self."""
        X = host_sparse(X)
        if is_sparse(X):
            return self._fit_sparse(X)
        X = self._validate(X, reset=True)
        xp, (q_min, q_max) = self._xp, self._quantiles()
        found = xp.astype(nan_quantiles(X, [q_min / 100, 0.5, q_max / 100]), X.dtype)  # (3, p)
        low, median, high = found[0, :], found[1, :], found[2, :]  # (p,) each
        return self._set_statistics(median, high - low)

    def _fit_sparse(self, X: Any) -> RobustScaler:
        self._validate_params()
        if self.with_centering:
            raise ValueError("with_centering=True cannot centre a sparse X: subtracting the medians would fill in its "
                             "zeros. Pass with_centering=False, or make X dense (X.toarray()) if it fits in memory.")
        self._backend = resolve_backend(self.backend)
        check_feature_names(self, X, reset=True)  # a sparse matrix has no column names
        X = self._check_sparse(X, float_dtype_for(X.dtype.name, self._backend, self.dtype))
        self.n_features_in_, self._dtype = X.shape[1], X.dtype.name
        low, high = _sparse_column_quantiles(X.tocsc(), self._quantiles())
        return self._set_statistics(None, self._to_backend(high - low, dtype=self._dtype))

    def _set_statistics(self, median, spread) -> RobustScaler:
        self.center_ = median if self.with_centering else None
        self.scale_ = None
        if self.with_scaling:
            scale = _safe_scale(self._xp, spread)
            if self.unit_variance:
                q_min, q_max = self._quantiles()
                normal = NormalDist()
                scale = scale / (normal.inv_cdf(q_max / 100) - normal.inv_cdf(q_min / 100))
            self.scale_ = scale
        return self

    def _validate(self, X: Any, reset: bool):
        """A dense X on the backend: NaN allowed (missing), infinity refused."""
        return self._validate_X(X, reset=reset, ensure_finite=ALLOW_NAN)

    def _check_sparse(self, X: Any, dtype: str):
        """X as a CSR or CSC matrix of `dtype`, checked as a dense X is (NaN allowed), a new matrix."""
        if X.format not in ("csr", "csc"):
            X = X.tocsr()
        if X.shape[0] == 0 or X.shape[1] == 0:
            raise ValueError(f"X has {X.shape[0]} sample(s) and {X.shape[1]} feature(s) (shape={X.shape}); a minimum "
                             f"of 1 of each is required.")
        if X.dtype.kind not in "biuf":
            raise TypeError(f"X should contain numbers; got a sparse matrix of dtype {X.dtype.str}.")
        X = X.astype(dtype, copy=True)
        check_values(X.data, "X", ensure_finite=ALLOW_NAN)
        return X

    def _sparse_scaled(self, X: Any, inverse: bool):
        if self.with_centering:
            raise ValueError("X is sparse, but this RobustScaler was fitted with with_centering=True, which would "
                             "fill in its zeros; make X dense (X.toarray()) first.")
        X = self._check_sparse(X, self._dtype)
        check_n_features(self, X.shape[1])
        if not self.with_scaling:
            return scipy_output(X, self._backend)
        scale = to_numpy(self.scale_)
        return scipy_output(scale_sparse_columns(X, scale if inverse else 1.0 / scale), self._backend)

    def transform(self, X: Any):
        """Scale X: (X - center_) / scale_, NaN kept. An array of shape (n_samples, n_features), or a sparse matrix
        of X's type for a scipy.sparse X (with_centering=False)."""
        check_is_fitted(self)
        X = host_sparse(X)
        if is_sparse(X):
            return self._sparse_scaled(X, inverse=False)
        X_in, X = X, self._validate(X, reset=False)
        if self.with_centering:
            X = X - self.center_
        if self.with_scaling:
            X = X / self.scale_
        return self._output(X, X_in)

    def inverse_transform(self, X: Any):
        """Undo `transform`: X * scale_ + center_ (an array, or a sparse matrix of X's type)."""
        check_is_fitted(self)
        X = host_sparse(X)
        if is_sparse(X):
            return self._sparse_scaled(X, inverse=True)
        X_in, X = X, self._validate(X, reset=False)
        if self.with_scaling:
            X = X * self.scale_
        if self.with_centering:
            X = X + self.center_
        return self._output(X, X_in)

    def get_feature_names_out(self, input_features: Any = None):
        """The output column names: the input's (`feature_names_in_`, or x0, x1, ...), one for one."""
        check_is_fitted(self)
        return check_feature_names_in(self, input_features)
