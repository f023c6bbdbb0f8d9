"""PowerTransformer: a power transform of each feature (Box-Cox or Yeo-Johnson), its exponent λ fitted by
maximum likelihood (`_power_likelihood.py` has the transforms and the fit), to make the feature more Gaussian;
then, with `standardize`, zero mean and unit variance, by StandardScaler's sums (`_column_moments`) over the
observed values. NaN values are missing: left out of the fit and of the standardization, kept by transform.

The inverses, for inverse_transform, undo ψ = expm1(m v) / m (see `_power_likelihood`) as
v = log1p(m ψ) / m (v = ψ at m = 0):

    box-cox:      x = exp(v)
    yeo-johnson:  x = expm1(v) for ψ >= 0 (m = λ),  x = -expm1(v) for ψ < 0 (m = 2 - λ, of -ψ)

References: G. E. P. Box and D. R. Cox, An analysis of transformations, Journal of the Royal Statistical
Society B 26 (1964) 211-252; I.-K. Yeo and R. A. Johnson, A new family of power transformations to improve
normality or symmetry, Biometrika 87 (2000) 954-959.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, check_is_fitted
from ..utils._errstate import float_errors_ignored
from ..utils._feature_names import check_feature_names_in
from ..utils._lazy import read_values
from ..utils._param_validation import Options
from ..utils._threads import one_host_thread
from ._data import StandardScaler, _column_moments
from ._power_likelihood import box_cox, box_cox_lambdas, yeo_johnson, yeo_johnson_lambdas

__all__ = ["PowerTransformer", "power_transform"]


def _log_scale(xp, Y, m):
    """v = log1p(m Y) / m (Y at m = 0): the inverse of Y = expm1(m v) / m. (n, p), m (p,)"""
    zero = m == 0
    return xp.where(zero, Y, xp.log1p(m * Y) / xp.where(zero, 1.0, m))


def _box_cox_inverse(xp, Y, lmbda):
    return xp.exp(_log_scale(xp, Y, lmbda))


def _yeo_johnson_inverse(xp, Y, lmbda):
    return xp.where(Y >= 0, xp.expm1(_log_scale(xp, Y, lmbda)), -xp.expm1(_log_scale(xp, -Y, 2 - lmbda)))


_TRANSFORMS = {"box-cox": (box_cox, _box_cox_inverse), "yeo-johnson": (yeo_johnson, _yeo_johnson_inverse)}


class PowerTransformer(TransformerMixin, BaseEstimator):
    """Apply a power transform to each feature, its exponent fitted by maximum likelihood, to make the
    data more Gaussian; then standardize it.

    Parameters
    ----------
    method : {"yeo-johnson", "box-cox"}, default="yeo-johnson"
        "yeo-johnson" takes any real values; "box-cox" strictly positive ones only.
    standardize : bool, default=True
        Give the transformed features zero mean and unit variance.
    copy : bool, default=True
        Accepted for scikit-learn compatibility: xpml never modifies X, whatever its value.
    backend : str or Backend, optional
        Where to compute ("numpy", "torch", "torch:cuda", "jax", ...); None: the backend in force at fit.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in; by default floating input keeps its precision.

    Attributes
    ----------
    lambdas_ : array of shape (n_features,)
        The fitted exponent λ of each feature (1 for a constant feature under Yeo-Johnson).
    n_features_in_ : int
    feature_names_in_ : array of shape (n_features_in_,), if X had string column names

    Notes
    -----
    NaN values are missing: left out of the fit, kept as NaN by transform and inverse_transform. λ is
    searched in float64 (where the device has it) whatever X's precision. Under Yeo-Johnson a feature that
    is constant apart from its NaN keeps λ = 1, where scikit-learn fits an arbitrary λ.

    Examples
    --------
    >>> from xpml.preprocessing import PowerTransformer
    >>> pt = PowerTransformer().fit([[1.0, 2.0], [3.0, 2.0], [4.0, 5.0]])
    >>> [round(v, 3) for v in pt.lambdas_.tolist()]
    [1.387, -3.101]
    """

    _parameter_constraints = {"method": [Options({"yeo-johnson", "box-cox"})], "standardize": ["boolean"],
                              "copy": ["boolean"], **BACKEND_CONSTRAINTS}

    def __init__(self, method: str = "yeo-johnson", *, standardize: bool = True, copy: bool = True,
                 backend: Any = None, dtype: str | None = None):
        self.method = method
        self.standardize = standardize
        self.copy = copy
        self.backend = backend
        self.dtype = dtype

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # missing values: left out of the fit, kept by transform
        return tags

    def fit(self, X: Any, y: Any = None) -> PowerTransformer:
        """Fit λ for each feature of X, of shape (n_samples, n_features) (NaN left out), and, with standardize,
        the mean and scale of the transformed features. Returns self."""
        self._fit(X)
        return self

    def fit_transform(self, X: Any, y: Any = None):
        """Fit to X, then transform it: an array of shape (n_samples, n_features)."""
        return self._output(self._fit(X), X)

    def _fit(self, X: Any):
        X = self._validate(X, reset=True)
        with one_host_thread(self._backend):  # the λ search's kernels are block-sized: see xpml.utils._threads
            return self._fit_validated(X)

    def _fit_validated(self, X: Any):
        xp, backend = self._xp, self._backend
        work = xp.astype(X, backend.float_dtype, copy=False)  # λ searched in float64 where there is float64
        observed = ~xp.isnan(work)  # (n, p)
        count = xp.sum(xp.astype(observed, work.dtype), axis=0)  # (p,)
        empty, missing = read_values(backend, count == 0, xp.any(~observed))  # missing: whether any value is NaN
        observed_only = (lambda A: xp.where(observed, A, 0.0)) if missing else (lambda A: A)  # (n, p), 0 if missing
        total = lambda A: xp.sum(observed_only(A), axis=0)  # (p,) over the observed entries
        if empty.any():
            raise ValueError(f"Column {int(empty.argmax())} of X must not be all NaN: PowerTransformer needs observed "
                             f"values to fit its lambda.")
        with float_errors_ignored():
            if self.method == "box-cox":
                lambdas = box_cox_lambdas(backend, work, observed, X.dtype, bool(missing))
            else:
                mean, m2, _ = _column_moments(backend, observed_only(work), count, total)
                var = m2 / count  # (p,) in the units of the columns; the test below does not depend on them
                eps = xp.finfo(work.dtype).eps
                constant = var <= count * eps * var + (count * mean * eps) ** 2  # as StandardScaler's
                lambdas = yeo_johnson_lambdas(backend, work, observed, X.dtype, bool(missing), constant)
            self.lambdas_ = xp.astype(lambdas, X.dtype)
            Y = _TRANSFORMS[self.method][0](xp, X, self.lambdas_)  # (n, p)
        self._scaler = None
        if self.standardize:
            self._scaler = StandardScaler(copy=False, backend=self.backend, dtype=self.dtype)
            self._scaler._backend, self._scaler._dtype, self._scaler.n_features_in_ = backend, self._dtype, X.shape[1]
            Y_work = observed_only(xp.astype(Y, work.dtype))
            self._scaler._merge(count, *_column_moments(backend, Y_work, count, total), True, Y.dtype)
            self._scaler.n_samples_seen_ = xp.astype(count, backend.int_dtype)
            Y = (Y - self._scaler.mean_) / self._scaler.scale_
        return Y

    def _validate(self, X: Any, reset: bool, positive: bool = True):
        """X on the backend, NaN allowed (missing); under Box-Cox (`positive`), its observed values > 0."""
        X = self._validate_X(X, reset=reset, ensure_finite="allow-nan")
        if positive and self.method == "box-cox":
            xp = self._xp
            missing = xp.isnan(X)
            low, high = read_values(self._backend, xp.min(xp.where(missing, math.inf, X), axis=0),
                                    xp.max(xp.where(missing, -math.inf, X), axis=0))  # (p,) each, in one read
            if (low <= 0).any():
                j = int(low.argmin())
                raise ValueError(f"The Box-Cox transformation can only be applied to strictly positive data; column "
                                 f"{j} of X holds {float(low[j])!r}. Use method='yeo-johnson' for data <= 0.")
            if reset and (high == low).any():
                j = int((high == low).argmax())
                raise ValueError(f"Data must not be constant: column {j} of X holds the single value "
                                 f"{float(low[j])!r}, for which Box-Cox's lambda is undefined.")
        return X

    def transform(self, X: Any):
        """Apply the fitted power transform (then the standardization) to X: an array of shape (n_samples,
        n_features), NaN kept."""
        check_is_fitted(self)
        X_in, X = X, self._validate(X, reset=False)
        with float_errors_ignored():
            Y = _TRANSFORMS[self.method][0](self._xp, X, self.lambdas_)
        if self.standardize:
            Y = (Y - self._scaler.mean_) / self._scaler.scale_
        return self._output(Y, X_in)

    def inverse_transform(self, X: Any):
        """Undo `transform`: the standardization, then the power transform. Values outside the transform's
        range (beyond -1/λ) give NaN, with a warning naming their columns."""
        check_is_fitted(self)
        X_in, X = X, self._validate(X, reset=False, positive=False)
        xp = self._xp
        Y = X * self._scaler.scale_ + self._scaler.mean_ if self.standardize else X
        with float_errors_ignored():
            out = _TRANSFORMS[self.method][1](xp, Y, self.lambdas_)
        lost, = read_values(self._backend, xp.any(xp.isnan(out) & ~xp.isnan(X), axis=0))  # (p,)
        for j in lost.nonzero()[0].tolist():
            warnings.warn(f"Some values in column {j} of the inverse-transformed data are NaN: they lie outside the "
                          f"range of the power transform with lambda={float(self.lambdas_[j])!r} (extremely skewed "
                          f"data or numerical issues). Consider inspecting the input data.", UserWarning, stacklevel=2)
        return self._output(out, X_in)

    def get_feature_names_out(self, input_features: Any = None):
        """The output column names: the input's (`feature_names_in_`, or x0, x1, ...), one for one."""
        check_is_fitted(self)
        return check_feature_names_in(self, input_features)


def power_transform(X: Any, method: str = "yeo-johnson", *, standardize: bool = True, copy: bool = True):
    """Power-transform each feature of X to make it more Gaussian (see PowerTransformer): fit and transform.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    method : {"yeo-johnson", "box-cox"}, default="yeo-johnson"
    standardize : bool, default=True
    copy : bool, default=True
        Accepted for scikit-learn compatibility: X is never changed.

    Returns
    -------
    X_trans : array of shape (n_samples, n_features), in X's library (computed on the backend in force)
    """
    return PowerTransformer(method=method, standardize=standardize, copy=copy).fit_transform(X)
