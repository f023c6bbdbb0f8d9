"""Filter feature selectors: VarianceThreshold (drop features of low variance), SelectKBest and SelectPercentile
(keep the features of highest univariate score, e.g. the ANOVA F of f_classif).

SelectKBest keeps the last k features of a stable ascending sort of the scores, so that among equal scores
the later features win, and a NaN score counts as the lowest float. SelectPercentile keeps the scores above
the (100 - percentile)-th percentile (linear interpolation) and fills up to int(p · percentile / 100) features
with the first ties at the threshold. VarianceThreshold uses the population variance (NaN ignored); with
threshold 0 it uses min(variance, peak-to-peak range), so that a constant column whose variance rounds to
a tiny positive number is still dropped.

Reference: I. Guyon and A. Elisseeff, An introduction to variable and feature selection, JMLR 3 (2003)
1157-1182.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from .._backend import to_numpy
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, check_is_fitted
from ..utils._host import host_namespace
from ..utils._param_validation import Interval, Options
from ..utils._warnings import warn
from ._base import SelectorMixin, clean_nans
from ._univariate import f_classif

__all__ = ["SelectKBest", "SelectPercentile", "VarianceThreshold"]


class _ScoreFilter(SelectorMixin, TransformerMixin, BaseEstimator):
    """Fit runs score_func(X, y): scores_ (and pvalues_ if it returns a pair)."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags

    def fit(self, X: Any, y: Any = None):
        """Score each feature of X (n_samples, n_features) against y with score_func. Returns self."""
        self._validate_params()
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None: it scores the "
                             f"features against y.")
        X = self._validate_X(X, reset=True)
        self._check_k()
        result = self.score_func(X, y)
        scores, pvalues = result if isinstance(result, (list, tuple)) else (result, None)
        self.scores_ = self._to_backend(scores)
        self.pvalues_ = None if pvalues is None else self._to_backend(pvalues)
        return self

    def _check_k(self):
        pass


class SelectKBest(_ScoreFilter):
    """Keep the k features of highest score.

    Parameters
    ----------
    score_func : callable, default=f_classif
        (X, y) -> scores, or (scores, pvalues); arrays of shape (n_features,).
    k : int or "all", default=10
    backend, dtype : see xpml.use_backend.

    Attributes
    ----------
    scores_, pvalues_ : arrays of shape (n_features,) (pvalues_ None if score_func gives scores alone)
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,), where X has column names

    Examples
    --------
    >>> from xpml.feature_selection import SelectKBest
    >>> SelectKBest(k=1).fit([[1.0, 0.0], [2.0, 0.1], [8.0, 0.0], [9.0, 0.1]], [0, 0, 1, 1]).get_support().tolist()
    [True, False]
    """

    _parameter_constraints = {"score_func": ["callable"], "k": [Options({"all"}), Interval(Integral, 0, None)],
                              **BACKEND_CONSTRAINTS}

    def __init__(self, score_func=f_classif, *, k: int | str = 10, backend: Any = None, dtype: str | None = None):
        self.score_func = score_func
        self.k = k
        self.backend = backend
        self.dtype = dtype

    def _check_k(self):
        if self.k != "all" and self.k > self.n_features_in_:
            warn(f"k={self.k} is greater than n_features={self.n_features_in_}. All the features will be returned.")

    def _get_support_mask(self):
        check_is_fitted(self)
        hnp = host_namespace()
        p = self.n_features_in_
        if self.k == "all":
            return hnp.ones(p, dtype=bool)
        order = hnp.argsort(clean_nans(to_numpy(self.scores_)), kind="stable")  # ascending; ties keep their order
        rank = hnp.argsort(order)  # (p,) each feature's position in that order
        return rank >= p - min(self.k, p)


class SelectPercentile(_ScoreFilter):
    """Keep the features whose score is in the top `percentile` percent.

    Parameters
    ----------
    score_func : callable, default=f_classif
        (X, y) -> scores, or (scores, pvalues); arrays of shape (n_features,).
    percentile : float in [0, 100], default=10
    backend, dtype : see xpml.use_backend.

    Attributes
    ----------
    scores_, pvalues_ : arrays of shape (n_features,) (pvalues_ None if score_func gives scores alone)
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,), where X has column names
    """

    _parameter_constraints = {"score_func": ["callable"], "percentile": [Interval(Real, 0, 100, closed="both")],
                              **BACKEND_CONSTRAINTS}

    def __init__(self, score_func=f_classif, *, percentile: float = 10, backend: Any = None,
                 dtype: str | None = None):
        self.score_func = score_func
        self.percentile = percentile
        self.backend = backend
        self.dtype = dtype

    def _get_support_mask(self):
        check_is_fitted(self)
        hnp = host_namespace()
        p = self.n_features_in_
        if self.percentile == 100 or self.percentile == 0:
            return hnp.full(p, self.percentile == 100)
        scores = clean_nans(to_numpy(self.scores_))
        threshold = hnp.percentile(scores, 100 - self.percentile)
        above = scores > threshold  # (p,)
        ties = hnp.flatnonzero(scores == threshold)
        room = int(p * self.percentile / 100) - int(above.sum())
        return above | hnp.isin(hnp.arange(p), ties[:max(room, 0)])


class VarianceThreshold(SelectorMixin, TransformerMixin, BaseEstimator):
    """Drop the features whose variance is not above `threshold` (by default, the constant ones).

    Parameters
    ----------
    threshold : float, default=0
    backend, dtype : see xpml.use_backend.

    Attributes
    ----------
    variances_ : array of shape (n_features,), the population variance of each feature (NaN ignored)
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,), where X has column names

    Examples
    --------
    >>> from xpml.feature_selection import VarianceThreshold
    >>> VarianceThreshold().fit_transform([[0.0, 2.0, 1.0], [0.0, 1.0, 1.0], [0.0, 4.0, 1.0]]).tolist()
    [[2.0], [1.0], [4.0]]
    """

    _parameter_constraints = {"threshold": [Interval(Real, 0, None, closed="left")], **BACKEND_CONSTRAINTS}

    def __init__(self, threshold: float = 0.0, *, backend: Any = None, dtype: str | None = None):
        self.threshold = threshold
        self.backend = backend
        self.dtype = dtype

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags

    def _finite_in_transform(self):
        return "allow-nan"

    def fit(self, X: Any, y: Any = None):
        """Compute the variance of each feature of X (n_samples, n_features); y is ignored. Returns self."""
        self._validate_params()
        X = self._validate_X(X, reset=True, ensure_finite="allow-nan")
        xp = self._xp
        missing = xp.isnan(X)  # (n, p)
        count = xp.sum(xp.astype(~missing, X.dtype), axis=0)  # (p,)
        mean = xp.sum(xp.where(missing, 0.0, X), axis=0) / count  # (p,)
        variances = xp.sum(xp.where(missing, 0.0, (X - mean) ** 2), axis=0) / count  # (p,)
        if self.threshold == 0:
            top = xp.max(xp.where(missing, -xp.inf, X), axis=0)
            bottom = xp.min(xp.where(missing, xp.inf, X), axis=0)
            spread = xp.where(count > 0, top - bottom, xp.nan)  # (p,) peak to peak
            variances = xp.where(xp.isnan(variances), spread, xp.minimum(variances, spread))
        self.variances_ = variances
        if not bool(xp.any(xp.isfinite(variances) & (variances > self.threshold))):
            message = f"No feature in X meets the variance threshold {self.threshold:.5f}"
            raise ValueError(message + (" (X contains only one sample)" if X.shape[0] == 1 else ""))
        return self

    def _get_support_mask(self):
        check_is_fitted(self)
        return to_numpy(self.variances_ > self.threshold)
