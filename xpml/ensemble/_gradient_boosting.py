"""GradientBoostingClassifier and GradientBoostingRegressor: scikit-learn's estimators.

Each is the boosting loop of `_gb_base` with a loss of `_gb_losses`: the regressor's squared, absolute,
Huber or quantile loss with one tree per stage; the classifier's log loss with one tree per stage for two
classes (the logit) and one per class for more (the multinomial logits), or, for two classes, the
exponential loss (AdaBoost's), whose raw prediction is half the logit.

Reference: Friedman, "Greedy Function Approximation: A Gradient Boosting Machine", Annals of Statistics 29
(2001); scikit-learn's `GradientBoostingClassifier` / `GradientBoostingRegressor`.
"""

from __future__ import annotations

from numbers import Real
from typing import Any, ClassVar

from ..base import ClassifierMixin, RegressorMixin
from ..utils._bincount import bincount
from ..utils._binning import integer_dtype
from ..utils._param_validation import Interval, Options
from ..utils._special import safe_log
from ..utils.validation import check_sample_weight
from . import _gb_losses as losses
from ._gb_base import CONSTRAINTS, BaseGradientBoosting
from ._gb_init import DummyClassifier, DummyRegressor

__all__ = ["GradientBoostingClassifier", "GradientBoostingRegressor"]

_PARAMETERS = """learning_rate : float, default=0.1
        The shrinkage of each tree's leaf values.
    n_estimators : int, default=100
        The number of boosting stages.
    subsample : float, default=1.0
        The share of the samples each stage's trees are grown on, drawn without replacement (stochastic gradient
        boosting); below 1, the others score the stage out of bag.
    criterion : {"friedman_mse", "squared_error"}, default="deprecated"
        No effect: both choose the same splits (`_gb_trees`); scikit-learn 1.9 deprecates it, and any value but
        the default warns (FutureWarning), as there.
    min_samples_split, min_samples_leaf, min_weight_fraction_leaf, min_impurity_decrease, max_leaf_nodes, ccp_alpha
        As for `DecisionTreeRegressor`: each tree's.
    max_depth : int or None, default=3
        The depth of each tree.
    init : estimator, "zero" or None, default=None
        The initial estimator, whose METHOD gives the raw predictions the trees add to; "zero": 0; None: the
        constant that minimizes the loss.
    random_state : int, Generator, RandomState or None
        Seeds the subsamples, the trees' feature draws and the early-stopping split.
    max_features : int, float, {"sqrt", "log2"} or None, default=None
        How many features each node chooses its split among (drawn at random when fewer than all).
    verbose : int, default=0
        1: print the training loss of stages 1 to 10, 20, ..., 100, 200, ...; more: of every stage.
    warm_start : bool, default=False
        Whether a new fit adds stages (up to n_estimators) to those of the previous one instead of starting anew.
    validation_fraction : float, default=0.1
        The share of the samples held out for early stopping (with n_iter_no_change).
    n_iter_no_change : int or None, default=None
        Stop when the held-out loss has not improved on any of the last n_iter_no_change by more than tol.
    tol : float, default=1e-4
"""

_ATTRIBUTES = """n_estimators_ : int
        The stages fitted (fewer than n_estimators after early stopping).
    n_trees_per_iteration_ : int
    estimators_ : ndarray of DecisionTreeRegressor of shape (n_estimators_, n_trees_per_iteration_)
        Each tree's leaves hold its steps, before the shrinkage by learning_rate.
    init_ : estimator or "zero"
    train_score_ : array of shape (n_estimators_,)
        The loss on the (in-bag) training samples after each stage (the deviance for squared_error and binary
        log_loss: twice the half loss).
    oob_scores_, oob_improvement_ : array of shape (n_estimators_,)
        With subsample < 1: the out-of-bag loss after each stage, and its decrease in the stage.
    oob_score_ : float
        With subsample < 1: the last out-of-bag loss.
    feature_importances_ : array of shape (n_features,)
    max_features_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Where X was a DataFrame.
"""


def _init(self, params):
    for name, value in params.items():
        if name not in ("self", "__class__"):
            setattr(self, name, value)


class GradientBoostingRegressor(RegressorMixin, BaseGradientBoosting):
    __doc__ = f"""Gradient boosting of regression trees for regression.

    Parameters
    ----------
    loss : {{"squared_error", "absolute_error", "huber", "quantile"}}, default="squared_error"
    {_PARAMETERS.replace("METHOD", "predict")}    alpha : float, default=0.9
        The quantile predicted with loss="quantile", and the quantile of |y - F| where huber turns linear.
    backend : str or Backend, optional
    dtype : {{"float32", "float64"}}, optional

    Attributes
    ----------
    {_ATTRIBUTES}
    Examples
    --------
    >>> from xpml.ensemble import GradientBoostingRegressor
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> model = GradientBoostingRegressor(n_estimators=50, learning_rate=0.5).fit(X, [1.0, 1.0, 5.0, 5.0])
    >>> [round(v, 2) for v in model.predict([[0.5], [2.5]]).tolist()]
    [1.0, 5.0]
    """

    _parameter_constraints: ClassVar[dict] = {
        **CONSTRAINTS, "loss": [Options({"squared_error", "absolute_error", "huber", "quantile"})],
        "alpha": [Interval(Real, 0.0, 1.0, closed="neither")]}

    def __init__(self, *, loss="squared_error", learning_rate=0.1, n_estimators=100, subsample=1.0,
                 criterion="deprecated", min_samples_split=2, min_samples_leaf=1, min_weight_fraction_leaf=0.0,
                 max_depth=3, min_impurity_decrease=0.0, init=None, random_state=None, max_features=None, alpha=0.9,
                 verbose=0, max_leaf_nodes=None, warm_start=False, validation_fraction=0.1, n_iter_no_change=None,
                 tol=1e-4, ccp_alpha=0.0, backend=None, dtype=None):
        _init(self, locals())

    def _encode(self, X, y, sample_weight):
        """(X, y, weights, whether weights were given), validated on the backend."""
        X, y = self._validate_data(X, y, multi_output=False)
        self.n_trees_per_iteration_ = 1
        w = check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)
        return X, y, w, sample_weight is not None

    def _default_init(self):
        if self.loss == "squared_error":
            return DummyRegressor(strategy="mean")
        return DummyRegressor(strategy="quantile", quantile=self.alpha if self.loss == "quantile" else 0.5)

    def predict(self, X: Any):
        """The predicted target of each sample, shape (n_samples,)."""
        X_in = X
        return self._output(self._raw_predict(self._validate_X(X, reset=False))[:, 0], X_in)

    def staged_predict(self, X: Any):
        """The prediction after each stage, as a generator of arrays of shape (n_samples,)."""
        X_in = X
        for F in self._staged_raw_predict(self._validate_X(X, reset=False)):
            yield self._output(F[:, 0], X_in)

    def apply(self, X: Any):
        """The leaf each sample falls in, in each tree: shape (n_samples, n_estimators), as floats."""
        X_in = X
        return self._output(self._leaves(self._validate_X(X, reset=False))[:, :, 0], X_in)


class GradientBoostingClassifier(ClassifierMixin, BaseGradientBoosting):
    __doc__ = f"""Gradient boosting of regression trees for classification.

    Parameters
    ----------
    loss : {{"log_loss", "exponential"}}, default="log_loss"
        "exponential" (two classes only) boosts as AdaBoost does.
    {_PARAMETERS.replace("METHOD", "predict_proba")}    backend : str or Backend, optional
    dtype : {{"float32", "float64"}}, optional

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    {_ATTRIBUTES}
    Examples
    --------
    >>> from xpml.ensemble import GradientBoostingClassifier
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> model = GradientBoostingClassifier(n_estimators=10).fit(X, [0, 0, 1, 1])
    >>> model.predict([[0.5], [2.5]]).tolist()
    [0, 1]
    """

    _init_method = "predict_proba"
    _parameter_constraints: ClassVar[dict] = {**CONSTRAINTS, "loss": [Options({"log_loss", "exponential"})]}

    def __init__(self, *, loss="log_loss", learning_rate=0.1, n_estimators=100, subsample=1.0,
                 criterion="deprecated", min_samples_split=2, min_samples_leaf=1, min_weight_fraction_leaf=0.0,
                 max_depth=3, min_impurity_decrease=0.0, init=None, random_state=None, max_features=None, verbose=0,
                 max_leaf_nodes=None, warm_start=False, validation_fraction=0.1, n_iter_no_change=None, tol=1e-4,
                 ccp_alpha=0.0, backend=None, dtype=None):
        _init(self, locals())

    def _encode(self, X, y, sample_weight):
        """(X, class indices, weights, whether weights were given); sets classes_ and the trees per stage."""
        X, y = self._validate_labels(X, y)
        xp, C = self._xp, len(self.classes_)
        w = check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)
        weighted = int(xp.sum(xp.astype(bincount(y, C, w, xp=xp) > 0, integer_dtype(xp, y))))
        if weighted < 2:
            raise ValueError(f"y has {weighted} class with a positive sample weight; a classifier needs at least 2.")
        if self.loss == "exponential" and C > 2:
            raise ValueError(f"loss='exponential' is only suitable for a binary classification problem, you have "
                             f"n_classes={C}. Please use loss='log_loss' instead.")
        self.n_classes_, self.n_trees_per_iteration_ = C, 1 if C == 2 else C
        return X, y, w, sample_weight is not None

    def _default_init(self):
        return DummyClassifier(strategy="prior")

    def decision_function(self, X: Any):
        """The raw predictions: shape (n_samples,) for two classes (the logit; half of it with the exponential
        loss), else (n_samples, n_classes)."""
        X_in = X
        F = self._raw_predict(self._validate_X(X, reset=False))
        return self._output(F[:, 0] if F.shape[1] == 1 else F, X_in)

    def staged_decision_function(self, X: Any):
        """The raw predictions after each stage, as a generator of arrays of shape (n_samples, K): K = 1 for two
        classes (as scikit-learn's, unlike `decision_function`), else the number of classes."""
        X_in = X
        for F in self._staged_raw_predict(self._validate_X(X, reset=False)):
            yield self._output(F, X_in)

    def predict_proba(self, X: Any):
        """The probability of each class, shape (n_samples, n_classes)."""
        X_in = X
        return self._output(losses.proba_of_raw(self._xp, self.loss, self._raw_predict(
            self._validate_X(X, reset=False))), X_in)

    def predict_log_proba(self, X: Any):
        """The logarithm of `predict_proba`, shape (n_samples, n_classes)."""
        X_in, xp = X, self._xp
        proba = losses.proba_of_raw(xp, self.loss, self._raw_predict(self._validate_X(X, reset=False)))
        return self._output(safe_log(proba, xp=xp), X_in)

    def staged_predict_proba(self, X: Any):
        """The class probabilities after each stage, as a generator."""
        X_in = X
        for F in self._staged_raw_predict(self._validate_X(X, reset=False)):
            yield self._output(losses.proba_of_raw(self._xp, self.loss, F), X_in)

    def predict(self, X: Any):
        """The predicted class of each sample (that of the largest raw prediction; two classes: the logit >= 0)."""
        X_in = X
        return self._labels(self._argmax(self._raw_predict(self._validate_X(X, reset=False))), X_in)

    def staged_predict(self, X: Any):
        """The predicted classes after each stage, as a generator."""
        X_in = X
        for F in self._staged_raw_predict(self._validate_X(X, reset=False)):
            yield self._labels(self._argmax(F), X_in)

    def apply(self, X: Any):
        """The leaf each sample falls in, in each tree: shape (n_samples, n_estimators, n_trees_per_iteration_),
        as floats."""
        X_in = X
        return self._output(self._leaves(self._validate_X(X, reset=False)), X_in)

    def _argmax(self, F):
        xp = self._xp
        return xp.astype(F[:, 0] >= 0, integer_dtype(xp, F)) if F.shape[1] == 1 else xp.argmax(F, axis=1)
