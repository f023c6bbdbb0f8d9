"""The initial estimators of gradient boosting (`init_` when init=None): a constant learnt from y.

GradientBoostingClassifier starts from the class priors (each class's share of the weight), and
GradientBoostingRegressor from the mean of y (squared_error), its median (absolute_error, huber) or its
α-quantile (quantile): the constant that minimizes the loss. scikit-learn names them DummyClassifier(strategy=
"prior") and DummyRegressor(strategy="mean" or "quantile"); these are those two, reduced to these strategies.
Without sample weights a quantile interpolates linearly between the order statistics (numpy's percentile);
with them it is the smallest value whose cumulative weight reaches the quantile (scikit-learn's weighted
percentile), as in scikit-learn.
"""

from __future__ import annotations

from numbers import Real
from typing import Any, ClassVar

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, ClassifierMixin, RegressorMixin
from ..utils._bincount import bincount
from ..utils._binning import integer_dtype
from ..utils._param_validation import Interval, Options
from ..utils.validation import check_sample_weight
from ._gb_losses import segment_quantiles, unweighted_quantile

__all__ = ["DummyClassifier", "DummyRegressor"]


class DummyClassifier(ClassifierMixin, BaseEstimator):
    """Predicts the class priors, whatever X: gradient boosting's initial classifier.

    Parameters
    ----------
    strategy : {"prior"}, default="prior"
    random_state, constant : None
        scikit-learn's parameters of its other strategies (unused).
    backend : str or Backend, optional
    dtype : {"float32", "float64"}, optional

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    class_prior_ : array of shape (n_classes,)
        Each class's share of the (weighted) samples.
    n_classes_, n_outputs_ : int
    """

    _parameter_constraints: ClassVar[dict] = {"strategy": [Options({"prior"})], "random_state": ["random_state"],
                                              "constant": [None], **BACKEND_CONSTRAINTS}

    def __init__(self, *, strategy="prior", random_state=None, constant=None, backend=None, dtype=None):
        self.strategy = strategy
        self.random_state = random_state
        self.constant = constant
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None):
        """Learn the class priors from the labels y (and the weights). Returns self."""
        X, y_index = self._validate_labels(X, y)
        w = check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)
        counts = bincount(y_index, len(self.classes_), w, xp=self._xp)  # (C,)
        self.class_prior_ = counts / self._xp.sum(counts)
        self.n_classes_, self.n_outputs_ = len(self.classes_), 1
        return self

    def predict_proba(self, X: Any):
        """The class priors for every sample, shape (n_samples, n_classes)."""
        X_in, X = X, self._validate_X(X, reset=False)
        return self._output(self._xp.broadcast_to(self.class_prior_[None, :], (X.shape[0], self.n_classes_)), X_in)

    def predict(self, X: Any):
        """The most probable class a priori, for every sample."""
        xp, X_in, X = self._xp, X, self._validate_X(X, reset=False)
        top = xp.argmax(self.class_prior_)
        return self._labels(xp.broadcast_to(xp.reshape(top, (1,)), (X.shape[0],)), X_in)


class DummyRegressor(RegressorMixin, BaseEstimator):
    """Predicts a constant, whatever X: the mean of y, or a quantile of y (gradient boosting's initial regressor).

    Parameters
    ----------
    strategy : {"mean", "median", "quantile"}, default="mean"
    constant : None
        scikit-learn's parameter of its "constant" strategy (unused).
    quantile : float in [0, 1], optional
        The quantile of strategy="quantile".
    backend : str or Backend, optional
    dtype : {"float32", "float64"}, optional

    Attributes
    ----------
    constant_ : array of shape (1, 1)
    n_outputs_ : int
    """

    _parameter_constraints: ClassVar[dict] = {"strategy": [Options({"mean", "median", "quantile"})],
                                              "constant": [None], "quantile": [Interval(Real, 0, 1), None],
                                              **BACKEND_CONSTRAINTS}

    def __init__(self, *, strategy="mean", constant=None, quantile=None, backend=None, dtype=None):
        self.strategy = strategy
        self.constant = constant
        self.quantile = quantile
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None):
        """Learn the constant from the targets y (and the weights). Returns self."""
        X, y = self._validate_data(X, y, multi_output=False)
        xp = self._xp
        q = 0.5 if self.strategy == "median" else self.quantile
        if self.strategy == "quantile" and q is None:
            raise ValueError("strategy='quantile' needs quantile=<a number in [0, 1]>; got quantile=None.")
        w = check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)
        if self.strategy == "mean":
            value = xp.sum(w * y) / xp.sum(w)
        elif sample_weight is None:
            value = unweighted_quantile(xp, y, q)
        else:
            one = xp.zeros(y.shape[0], dtype=integer_dtype(xp, y), device=self._device)  # one segment: all of y
            value = segment_quantiles(xp, y, w, one, 1, q)[0]
        self.constant_ = xp.reshape(value, (1, 1))
        self.n_outputs_ = 1
        return self

    def predict(self, X: Any):
        """The constant for every sample, shape (n_samples,)."""
        X_in, X = X, self._validate_X(X, reset=False)
        return self._output(self._xp.broadcast_to(self.constant_[0, :], (X.shape[0],)), X_in)
