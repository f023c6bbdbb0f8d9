"""SelectFromModel: keep the features whose importance in a fitted model reaches a threshold.

The importance of feature j is |coef_j| (or the `norm_order`-norm of column j of a 2-D coef_, one row per class
or target), or feature_importances_[j] (trees, forests), or what `importance_getter` names. The threshold is a
number, "mean" or "median" of the importances, optionally scaled ("1.25*mean"); by default 1e-5 for an
L1-penalized model (Lasso, penalty="l1", l1_ratio=1), else "mean". With max_features, at most that many of the
largest importances are kept (a stable sort, so the first of equal importances wins). The importances are one
number per feature: the mask is computed on the host.

Reference: I. Guyon and A. Elisseeff, An introduction to variable and feature selection, JMLR 3 (2003)
1157-1182, §4 (embedded methods).
"""

from __future__ import annotations

import copy
import math
from numbers import Integral, Real
from operator import attrgetter
from typing import Any

from .._backend import to_numpy, use_backend
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, check_is_fitted, clone
from ..exceptions import not_fitted_error
from ..utils._host import host_namespace
from ..utils._param_validation import Interval
from ._base import SelectorMixin

__all__ = ["SelectFromModel", "feature_importances"]


def feature_importances(estimator: Any, getter: Any = "auto", norm_order: Any = 1):
    """The importance of each feature in a fitted `estimator`, a host array of shape (n_features,)."""
    hnp = host_namespace()
    if callable(getter):
        values = getter(estimator)
    elif getter == "auto":
        if hasattr(estimator, "coef_"):
            values = estimator.coef_
        elif hasattr(estimator, "feature_importances_"):
            values = estimator.feature_importances_
        else:
            raise ValueError(f"when importance_getter=='auto', the underlying estimator {type(estimator).__name__} "
                             f"should have `coef_` or `feature_importances_` attribute. Either pass a fitted "
                             f"estimator to feature selector or call fit before calling transform.")
    else:
        values = attrgetter(getter)(estimator)
    values = hnp.asarray(to_numpy(values) if not isinstance(values, hnp.ndarray) else values, dtype=float)
    if values.ndim == 1:
        return hnp.abs(values)
    return hnp.linalg.norm(values, axis=0, ord=norm_order)  # (p,) one norm per feature over classes or targets


def _is_fitted(estimator: Any) -> bool:
    """Whether an xpml or scikit-learn estimator is fitted: its own answer, or a fitted attribute (name_)."""
    if callable(getattr(estimator, "__sklearn_is_fitted__", None)):
        return bool(estimator.__sklearn_is_fitted__())
    return any(k.endswith("_") and not k.startswith("__") for k in vars(estimator))


def _l1_penalized(estimator: Any) -> bool:
    name, hnp = type(estimator).__name__, host_namespace()
    l1_ratio = getattr(estimator, "l1_ratio", None)
    fitted_ratio = getattr(estimator, "l1_ratio_", None)
    return (getattr(estimator, "penalty", None) == "l1" or "Lasso" in name
            or (name in ("ElasticNet", "LogisticRegression") and isinstance(l1_ratio, Real)
                and bool(hnp.isclose(l1_ratio, 1.0)))
            or (name in ("ElasticNetCV", "LogisticRegressionCV") and fitted_ratio is not None
                and bool(hnp.all(hnp.isclose(to_numpy(fitted_ratio) if not isinstance(fitted_ratio, Real)
                                             else fitted_ratio, 1.0)))))


def threshold_value(estimator: Any, importances, threshold: Any) -> float:
    """The number that `threshold` (None, a number, "mean", "median" or "<scale>*mean|median") stands for."""
    hnp = host_namespace()
    if threshold is None:
        threshold = 1e-5 if _l1_penalized(estimator) else "mean"
    if not isinstance(threshold, str):
        return float(threshold)
    scale, reference = 1.0, threshold
    if "*" in threshold:
        scale_text, reference = (part.strip() for part in threshold.split("*", 1))
        scale = float(scale_text)
        if reference not in ("mean", "median"):
            raise ValueError(f"Unknown reference: {reference}; threshold should be '<scale>*mean' or "
                             f"'<scale>*median'.")
    elif reference not in ("mean", "median"):
        raise ValueError(f"Expected threshold='mean' or threshold='median' got {threshold}")
    return scale * float(hnp.median(importances) if reference == "median" else hnp.mean(importances))


class SelectFromModel(SelectorMixin, TransformerMixin, BaseEstimator):
    """Keep the features whose importance in a fitted model is at least `threshold`.

    Parameters
    ----------
    estimator : estimator
        An xpml (or scikit-learn) estimator with `coef_` or `feature_importances_` once fitted.
    threshold : str or float, default=None
    prefit : bool, default=False
        Whether `estimator` is already fitted (then `fit` copies it, and does not refit it).
    norm_order : non-zero int, inf or -inf, default=1
    max_features : int or callable, default=None
    importance_getter : str or callable, default="auto"
    backend, dtype : see xpml.use_backend.

    Attributes
    ----------
    estimator_ : the fitted estimator
    threshold_ : float
    max_features_ : int (where max_features is given)
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,), where X has column names
    """

    _parameter_constraints = {
        "estimator": [object],  # checked in fit: an estimator with a fit method
        "threshold": [Interval(Real, None, None, closed="both"), "str", None],
        "prefit": ["boolean"],
        "norm_order": [Interval(Real, None, None, closed="both", allow_inf=True)],  # and in fit: an int != 0 or ±inf
        "max_features": [Interval(Integral, 0, None, closed="left"), "callable", None],
        "importance_getter": ["str", "callable"],
        **BACKEND_CONSTRAINTS,
    }

    def __init__(self, estimator: Any, *, threshold: Any = None, prefit: bool = False, norm_order: Any = 1,
                 max_features: Any = None, importance_getter: Any = "auto", backend: Any = None,
                 dtype: str | None = None):
        self.estimator = estimator
        self.threshold = threshold
        self.prefit = prefit
        self.norm_order = norm_order
        self.max_features = max_features
        self.importance_getter = importance_getter
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any = None, **fit_params: Any):
        """Fit a clone of `estimator` on (X, y) (or copy it, with prefit=True). Returns self."""
        self._validate_params()
        if not callable(getattr(self.estimator, "fit", None)) or isinstance(self.estimator, type):
            raise TypeError(f"estimator should be an estimator with a fit method; got {self.estimator!r}.")
        order = self.norm_order
        if isinstance(order, bool) or not (math.isinf(order) or (order == int(order) and order != 0)):
            raise ValueError(f"norm_order={order!r} should be a non-zero int, inf or -inf.")
        X_in, X = X, self._validate_X(X, reset=True)
        if self.max_features is not None:
            count = self.max_features(X_in) if callable(self.max_features) else self.max_features
            if not isinstance(count, Integral) or isinstance(count, bool) or count < 0:
                raise ValueError(f"max_features should be an int >= 0; got {count!r}.")
            self.max_features_ = int(count)
        if self.prefit:
            if not _is_fitted(self.estimator):
                raise not_fitted_error("When `prefit=True`, `estimator` is expected to be a fitted estimator.")
            self.estimator_ = copy.deepcopy(self.estimator)
        else:
            with use_backend(self._backend):
                self.estimator_ = clone(self.estimator).fit(X_in, y, **fit_params)
        return self

    @property
    def threshold_(self) -> float:
        """The threshold the importances are compared with (a number)."""
        check_is_fitted(self)
        scores = feature_importances(self.estimator_, self.importance_getter, self.norm_order)
        return threshold_value(self.estimator_, scores, self.threshold)

    def _get_support_mask(self):
        check_is_fitted(self)
        hnp = host_namespace()
        scores = feature_importances(self.estimator_, self.importance_getter, self.norm_order)  # (p,)
        threshold = threshold_value(self.estimator_, scores, self.threshold)
        keep = scores >= threshold
        if self.max_features is not None:
            order = hnp.argsort(-scores, kind="stable")  # largest first; equal importances keep their order
            top = hnp.isin(hnp.arange(len(scores)), order[:self.max_features_])
            keep = keep & top
        return keep
