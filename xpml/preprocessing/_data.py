"""Feature scaling: standardization (StandardScaler) and rescaling to a range (MinMaxScaler).

StandardScaler maps each feature to z = (x - μ) / σ, with the (weighted) mean μ and the population
standard deviation σ. `partial_fit` learns from batches: a batch's count n_b, mean μ_b and sum of
squared deviations M_b merge with the running ones by Chan, Golub & LeVeque's update

    n = n_a + n_b,  δ = μ_b - μ_a,  μ = μ_a + δ n_b / n,  M = M_a + M_b + δ² n_a n_b / n,

which is as accurate as a single pass over all the data. The sums are kept in float64 where the
device has it, float32 data included (as scikit-learn does): in float32, data far from the origin
(a mean of 1e5, a spread of 1) would leave too few digits to tell its spread from rounding error.
A feature whose variance is within rounding error of 0 (a constant) gets σ = 1, so it maps to 0
instead of dividing by zero.

MinMaxScaler maps each feature linearly from [min, max] (of the data seen) to `feature_range`.

Reference: T. F. Chan, G. H. Golub and R. J. LeVeque, Algorithms for computing the sample
variance: analysis and recommendations, The American Statistician 37 (1983) 242-247.
"""

from __future__ import annotations

import math
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, check_is_fitted
from ..utils._errstate import float_errors_ignored
from ..utils._feature_names import check_feature_names_in
from ..utils._csr import is_csr
from ..utils._lazy import materialize
from ..utils.validation import check_sample_weight

__all__ = ["MinMaxScaler", "StandardScaler"]


def _safe_scale(xp, scale, constant=None):
    """`scale` with 1 where the feature is `constant` (a test relative to its mean, given by the caller),
    or, without one, where it is (nearly) zero: no division by zero. A std of 1e-16 around 1e-10 is data."""
    tiny = constant if constant is not None else scale < 10 * xp.finfo(scale.dtype).eps
    return xp.where(tiny | (scale == 0), xp.ones_like(scale), scale)


def _power_of_two_near_max(xp, X):
    """For each column, 2^round(log2 max|x|) (1 for a column of zeros): dividing by it is exact. (p,)"""
    top = xp.max(xp.abs(X), axis=0)  # (p,)
    return xp.where(top > 0, 2.0 ** xp.round(xp.log2(xp.where(top > 0, top, 1.0))), 1.0)


def _column_moments(backend, X, n, total):
    """The mean and the sum of squared deviations m2 of each column of X (n, p), in units of `unit`, a power of
    two per column: (mean, m2, unit), (p,) each. `total(A)` sums A's rows (weighted, or the observed entries
    only), `n` is what it counts (a number, or (p,))."""
    xp = backend.xp
    # Each column is divided by a power of two near its largest |value| (exact), so that squares of
    # values beyond 1e154 cannot overflow; the running state (_mean, _m2) is kept in those units, _unit.
    # Reductions used again row by row are computed first: a lazy backend (dask) would otherwise hold every
    # chunk of X in memory until they are known.
    unit, = materialize(backend, _power_of_two_near_max(xp, X))  # (p,)
    X = X / unit
    mean, = materialize(backend, total(X) / n)  # (p,)
    # the corrected two-pass sums (Chan, Golub & LeVeque 1983): the deviations D from that mean still sum to its
    # rounding error, which then comes off the mean and the squares: the mean is good to the deviations' rounding,
    # not to |mean|'s (a column of -3 + 1e-3·N(0, 1) came 8 times nearer the exact values with torch's sums)
    D = X - mean  # (n, p)
    shift, m2 = total(D) / n, total(D**2)  # (p,) each: one pass
    return mean + shift, xp.maximum(m2 - n * shift**2, 0.0), unit  # Σ w(x - mean)² >= 0


class _IncrementalFit:
    """`fit` forgets what was learned, then learns from X as one batch of `partial_fit`."""

    _state = ("n_samples_seen_",)

    def fit(self, X: Any, y: Any = None, **fit_params: Any):
        for name in self._state:
            if hasattr(self, name):
                delattr(self, name)
        return self.partial_fit(X, y, **fit_params)

    def _check_fitted_X(self, X: Any):
        return self._validate_data(X, reset=False)

    def get_feature_names_out(self, input_features: Any = None):
        """The output column names: the input's (`feature_names_in_`, or x0, x1, ...), one for one."""
        return check_feature_names_in(self, input_features)


class StandardScaler(_IncrementalFit, TransformerMixin, BaseEstimator):
    """Standardize features: subtract the mean, divide by the standard deviation.

    Parameters
    ----------
    copy : bool, default=True
        Accepted for scikit-learn compatibility: xpml never modifies X, whatever its value.
    with_mean : bool, default=True
        Subtract the mean.
    with_std : bool, default=True
        Divide by the standard deviation (constant features are left at scale 1).
    backend : str or Backend, optional
        Where to compute ("numpy", "torch", "torch:cuda", "jax", ...); None: the backend in force at fit.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in; by default floating input keeps its precision.

    Attributes
    ----------
    mean_ : array of shape (n_features,), or None if with_mean=False and with_std=False
    var_ : array of shape (n_features,), or None if with_std=False
        The population variance of each feature.
    scale_ : array of shape (n_features,), or None if with_std=False
        The standard deviation, 1 for constant features.
    n_samples_seen_ : int, or a 0-d array (the total weight) after a fit with sample_weight
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.preprocessing import StandardScaler
    >>> StandardScaler().fit_transform([[0.0, 1.0], [2.0, 1.0]]).tolist()
    [[-1.0, 0.0], [1.0, 0.0]]
    """

    _scales_out = True  # on dask: computed per chunk and reduced across chunks (tests/test_dask.py)

    _parameter_constraints = {"copy": ["boolean"], "with_mean": ["boolean"], "with_std": ["boolean"],
                              **BACKEND_CONSTRAINTS}
    _state = ("n_samples_seen_", "mean_", "var_", "scale_", "_mean", "_m2", "_unit")

    _accepts_sparse = True  # with_mean=False: sparse columns scaled, the result sparse

    def __init__(self, *, copy: bool = True, with_mean: bool = True, with_std: bool = True, backend: Any = None,
                 dtype: str | None = None):
        self.copy = copy
        self.with_mean = with_mean
        self.with_std = with_std
        self.backend = backend
        self.dtype = dtype

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = not self.with_mean  # centring sparse X is refused, as in scikit-learn
        return tags

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> StandardScaler:
        """Learn mean_ and scale_ from X of shape (n_samples, n_features), forgetting any earlier fit;
        `sample_weight` of shape (n_samples,) weighs each sample, as in `partial_fit`. Returns self."""
        return super().fit(X, y, sample_weight=sample_weight)

    def partial_fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> StandardScaler:
        """Update the mean and variance with a batch of samples.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        first = not hasattr(self, "n_samples_seen_")
        X = self._validate_data(X, reset=first)
        if is_csr(X):
            return self._partial_fit_sparse(X, sample_weight, first)
        xp, dtype = self._xp, X.dtype
        X = xp.astype(X, self._backend.float_dtype, copy=False)  # the sums in float64 where there is float64
        if sample_weight is None:
            n_b, total = X.shape[0], lambda A: xp.sum(A, axis=0)  # (p,)
        else:
            w = check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)
            w = xp.astype(w, X.dtype, copy=False)
            n_b, total = xp.sum(w), lambda A: w @ A  # (p,) weighted
        mean_b, m2_b, unit_b = _column_moments(self._backend, X, n_b, total)
        return self._merge(n_b, mean_b, m2_b, unit_b, first, dtype)

    def _partial_fit_sparse(self, X, sample_weight, first: bool) -> StandardScaler:
        """partial_fit on a sparse X (a CSR): its columns' mean and variance, zeros included; X is only scaled
        (with_mean=False), as scikit-learn does, since centring would fill it in."""
        if self.with_mean:
            raise ValueError("Cannot center sparse matrices: pass `with_mean=False` instead. See docstring for "
                             "motivation and alternatives.")
        xp, dtype = self._xp, X.dtype
        X = X.astype(self._backend.float_dtype)
        w = None if sample_weight is None else xp.astype(check_sample_weight(
            sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype), X.dtype, copy=False)
        n_b = X.shape[0] if w is None else xp.sum(w)
        mean_b, var_b = X.column_mean_variance(w)  # (p,) each
        unit = xp.ones_like(mean_b)  # sparse columns are not rescaled before squaring
        return self._merge(n_b, mean_b, var_b * n_b, unit, first, dtype)

    def _merge(self, n_b, mean_b, m2_b, unit_b, first: bool, dtype) -> StandardScaler:
        """Add a batch's count, mean and sum of squared deviations to the running state (Chan et al.)."""
        xp = self._xp
        if first:
            n, mean, m2, unit = n_b, mean_b, m2_b, unit_b
        else:
            n_a, unit = self.n_samples_seen_, xp.maximum(self._unit, unit_b)
            mean_a, m2_a = self._mean * (self._unit / unit), self._m2 * (self._unit / unit) ** 2
            mean_b, m2_b = mean_b * (unit_b / unit), m2_b * (unit_b / unit) ** 2
            n = n_a + n_b
            delta = mean_b - mean_a  # (p,)
            mean = mean_a + delta * (n_b / n)
            m2 = m2_a + m2_b + delta**2 * (n_a * n_b / n)
        self.n_samples_seen_, self._mean, self._m2, self._unit = n, mean, m2, unit  # the running state
        var = m2 / n  # in units of unit²
        # Constant features: a variance within the rounding error of computing it (Chan et al.) is 0.
        eps = xp.finfo(mean.dtype).eps
        constant = var <= n * eps * var + (n * mean * eps) ** 2
        # reported in the data's dtype; var_ overflows to inf beyond 1e154, scale_ does not
        with float_errors_ignored():
            self.mean_, self.var_ = xp.astype(mean * unit, dtype), xp.astype(var * unit * unit, dtype)
        self.scale_ = xp.astype(_safe_scale(xp, xp.sqrt(var), constant) * xp.where(constant, 1.0, unit), dtype) \
            if self.with_std else None
        if not self.with_std:
            self.var_ = None
        if not (self.with_mean or self.with_std):
            self.mean_ = None
        return self

    def transform(self, X: Any, copy: Any = None):
        """Standardize X: (X - mean_) / scale_. Returns a new array of shape (n_samples, n_features).

        `copy` is accepted for scikit-learn's signature: xpml never writes X in place, so X is left
        unchanged whatever its value."""
        X_in, X = X, self._check_fitted_X(X)
        if is_csr(X):  # fitted with_mean=False: the columns are scaled, the zeros stay
            return self._output(X.scale_columns(1.0 / self.scale_) if self.with_std else X, X_in)
        if self.with_mean:
            X = X - self.mean_
        if self.with_std:
            X = X / self.scale_
        return self._output(X, X_in)

    def inverse_transform(self, X: Any, copy: Any = None):
        """Undo `transform`: X * scale_ + mean_, as a new array (`copy` is accepted, as in `transform`:
        X is never written in place)."""
        X_in, X = X, self._check_fitted_X(X)
        if is_csr(X):
            return self._output(X.scale_columns(self.scale_) if self.with_std else X, X_in)
        if self.with_std:
            X = X * self.scale_
        if self.with_mean:
            X = X + self.mean_
        return self._output(X, X_in)


class MinMaxScaler(_IncrementalFit, TransformerMixin, BaseEstimator):
    """Rescale each feature linearly so that its minimum and maximum map to `feature_range`.

    Parameters
    ----------
    feature_range : tuple (low, high), default=(0, 1)
    copy : bool, default=True
        Accepted for scikit-learn compatibility: xpml never modifies X, whatever its value.
    clip : bool, default=False
        Clip transformed values of new data to `feature_range`.
    backend, dtype : as in StandardScaler

    Attributes
    ----------
    data_min_, data_max_, data_range_ : arrays of shape (n_features,)
    scale_ : array of shape (n_features,)
        (high - low) / data_range_ (a constant feature's range counts as 1).
    min_ : array of shape (n_features,)
        low - data_min_ * scale_, so that transform(X) = X * scale_ + min_.
    n_samples_seen_ : int
    n_features_in_ : int
    """

    _scales_out = True  # on dask: computed per chunk and reduced across chunks (tests/test_dask.py)

    _parameter_constraints = {"feature_range": [tuple], "copy": ["boolean"], "clip": ["boolean"],
                              **BACKEND_CONSTRAINTS}
    _state = ("n_samples_seen_", "data_min_", "data_max_", "data_range_", "scale_", "min_")

    def __init__(self, feature_range: tuple = (0, 1), *, copy: bool = True, clip: bool = False, backend: Any = None,
                 dtype: str | None = None):
        self.feature_range = feature_range
        self.copy = copy
        self.clip = clip
        self.backend = backend
        self.dtype = dtype

    def partial_fit(self, X: Any, y: Any = None) -> MinMaxScaler:
        """Update the minimum and maximum of each feature with a batch of samples. Returns self."""
        first = not hasattr(self, "n_samples_seen_")
        X = self._validate_data(X, reset=first)  # validates the parameters first
        low, high = self._range()
        xp = self._xp
        data_min, data_max = xp.min(X, axis=0), xp.max(X, axis=0)  # (p,), (p,)
        if not first:
            data_min, data_max = xp.minimum(data_min, self.data_min_), xp.maximum(data_max, self.data_max_)
            self.n_samples_seen_ += X.shape[0]
        else:
            self.n_samples_seen_ = X.shape[0]
        self.data_min_, self.data_max_ = data_min, data_max
        self.data_range_ = data_max - data_min
        # constant: a range within rounding of the values themselves (a range of 1e-160 is data)
        constant = self.data_range_ <= 10 * xp.finfo(X.dtype).eps * xp.maximum(xp.abs(data_min), xp.abs(data_max))
        self.scale_ = (high - low) / _safe_scale(xp, self.data_range_, constant)
        self.min_ = low - data_min * self.scale_
        return self

    def _range(self) -> tuple[float, float]:
        bad = len(self.feature_range) != 2 or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in self.feature_range)
        if bad or not self.feature_range[0] < self.feature_range[1]:
            raise ValueError(f"feature_range={self.feature_range!r} should be a pair (low, high) of numbers with "
                             f"low < high (both finite).")
        return float(self.feature_range[0]), float(self.feature_range[1])

    def transform(self, X: Any):
        """Scale X: (X - data_min_) * scale_ + low, which is X * scale_ + min_ (clipped to feature_range if
        clip). Shape (n_samples, n_features).

        The difference comes first: X * scale_ and min_ nearly cancel for data far from the origin (in
        float32, at 1e5, they would leave 3 of 7 digits), while X - data_min_ is exact there.
        """
        check_is_fitted(self)
        X_in, X = X, self._check_fitted_X(X)
        low, high = self._range()
        X = (X - self.data_min_) * self.scale_ + low
        if self.clip:
            X = self._xp.clip(X, low, high)
        return self._output(X, X_in)

    def inverse_transform(self, X: Any):
        """Undo `transform`: (X - low) / scale_ + data_min_."""
        X_in, X = X, self._check_fitted_X(X)
        return self._output((X - self._range()[0]) / self.scale_ + self.data_min_, X_in)
