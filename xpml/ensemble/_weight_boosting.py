"""AdaBoost for classification with the SAMME algorithm: weak learners fitted one after another,
each on the samples reweighted towards those the ones before it got wrong.

With K classes and sample weights w (summing to 1), round m fits a classifier h_m on (X, y, w) and
measures its weighted error e_m = Σ w_i [h_m(x_i) ≠ y_i]. Its say in the vote is

    α_m = learning_rate · (log((1 - e_m) / e_m) + log(K - 1)),

and each misclassified sample's weight is multiplied by exp(α_m) before the weights are normalized
again. A learner no better than chance (e_m ≥ 1 - 1/K) ends the boosting; a perfect one (e_m = 0)
ends it too, with α_m = 1. The ensemble's score for class k is Σ_m α_m (1 if h_m says k, else
-1/(K-1)), divided by Σ_m α_m; its probabilities are a softmax of the scores / (K - 1).

Reference: Zhu, Zou, Rosset & Hastie, "Multi-class AdaBoost", Statistics and its Interface 2 (2009).
"""

from __future__ import annotations

import math
import sys
from numbers import Integral, Real
from typing import Any, ClassVar

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, ClassifierMixin
from ..tree import DecisionTreeClassifier
from ..utils._param_validation import Interval
from ..utils._random import check_random_state
from ..utils._special import safe_log
from ..utils.validation import check_sample_weight
from ._members import (
    accepts_sample_weight,
    ask,
    check_member,
    fit_member,
    make_member,
    one_hot,
    weighted_importances,
)

__all__ = ["AdaBoostClassifier"]

_LOG_MAX = math.log(sys.float_info.max)  # the largest α whose exp(α) is a float


class AdaBoostClassifier(ClassifierMixin, BaseEstimator):
    """An AdaBoost classifier (SAMME): a weighted vote of weak classifiers fitted on reweighted samples.

    Parameters
    ----------
    estimator : xpml classifier, optional
        The weak learner; its `fit` must take `sample_weight`. None: DecisionTreeClassifier(max_depth=1),
        a stump.
    n_estimators : int, default=50
        The most rounds of boosting (fewer if a learner is perfect or no better than chance).
    learning_rate : float, default=1.0
        Multiplies each learner's say α_m.
    random_state : int, Generator, RandomState or None
        Seeds the random_state parameters of the learners (one draw per learner).
    backend, dtype
        Where and in what precision to compute.

    Attributes
    ----------
    estimator_ : estimator
        The template of the learners.
    estimators_ : list of estimators
        The fitted learners (fitted on class indices 0 .. n_classes-1).
    estimator_weights_ : array of shape (n_estimators,)
        Each learner's say α_m (0 for the rounds not run).
    estimator_errors_ : array of shape (n_estimators,)
        Each learner's weighted error e_m (1 for the rounds not run).
    classes_, n_classes_, n_features_in_, feature_importances_
    """

    _parameter_constraints: ClassVar[dict] = {
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0.0, None, closed="neither")],
        "random_state": ["random_state"],
        **BACKEND_CONSTRAINTS,
    }

    def __init__(self, estimator=None, *, n_estimators=50, learning_rate=1.0, random_state=None, backend=None,
                 dtype=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.random_state = random_state
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None):
        """Boost the learners on X and the labels y (with optional sample weights). Returns self."""
        X, y_index = self._validate_labels(X, y)
        xp, K, T = self._xp, len(self.classes_), self.n_estimators
        self.n_classes_ = K
        self.estimator_ = DecisionTreeClassifier(max_depth=1) if self.estimator is None else self.estimator
        check_member(self.estimator_, "estimator")
        if not accepts_sample_weight(self.estimator_):
            raise ValueError(f"estimator={self.estimator_!r} does not take sample_weight in fit; AdaBoost needs a "
                             f"learner that does.")
        w = check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)  # (n,)
        if float(xp.min(w)) < 0:
            raise ValueError("sample_weight should be >= 0; it has negative values.")
        w = w / xp.sum(w)
        zero = w == 0  # weights that stay 0; the others are kept above the machine epsilon
        eps = xp.finfo(w.dtype).eps
        rng = check_random_state(self.random_state)
        self.estimators_, alphas, errors = [], [], []
        for m in range(T):
            w = xp.where(zero, 0.0, xp.clip(w, eps, None))  # (n,)
            member = fit_member(make_member(self.estimator_, rng), self._backend, X, y_index, w)
            wrong = xp.astype(ask(member, "predict", X, self._backend) != y_index, w.dtype)  # (n,)
            error = float(xp.sum(w * wrong) / xp.sum(w))
            if error <= 0:  # a perfect learner: it decides alone
                self.estimators_.append(member)
                alphas.append(1.0), errors.append(0.0)
                break
            if error >= 1.0 - 1.0 / K:  # no better than chance: boosting cannot go on
                if not self.estimators_:
                    raise ValueError(f"The first learner's weighted error {error:.4g} is >= 1 - 1/n_classes = "
                                     f"{1 - 1 / K:.4g} (no better than chance): AdaBoostClassifier cannot be fit.")
                break
            self.estimators_.append(member)
            alpha = self.learning_rate * (math.log((1.0 - error) / error) + math.log(K - 1.0))
            alphas.append(alpha), errors.append(error)
            if m == T - 1 or alpha > _LOG_MAX:  # past _LOG_MAX, exp(α) overflows: the misclassified samples alone
                break                              # would count, as when the weights' total overflows below
            w = w * (1.0 + (math.exp(alpha) - 1.0) * wrong)  # (n,) misclassified samples weigh exp(α) more
            total = float(xp.sum(w))
            if not math.isfinite(total) or total <= 0:
                break
            w = w / total
        done = len(alphas)
        self.estimator_weights_ = self._to_backend(alphas + [0.0] * (T - done), dtype=self._dtype)
        self.estimator_errors_ = self._to_backend(errors + [1.0] * (T - done), dtype=self._dtype)
        return self

    # ---- the vote ------------------------------------------------------------------------------

    def _votes(self, X):
        """Each learner's vote (n, K): α_m where it predicts the class, -α_m/(K-1) elsewhere; with its α_m."""
        xp, K = self._xp, self.n_classes_
        for member, alpha in zip(self.estimators_, self.estimator_weights_):
            said = one_hot(xp, self._device, ask(member, "predict", X, self._backend), K, X.dtype)  # (n, K)
            yield alpha, alpha * (said - (1.0 - said) / (K - 1))

    def _staged_scores(self, X):
        """The decision function after each round, on validated X: (n, K), or (n,) with two classes."""
        total, norm = None, 0.0
        for alpha, vote in self._votes(X):
            total, norm = vote if total is None else total + vote, norm + alpha
            scores = total / norm
            yield scores[:, 1] - scores[:, 0] if self.n_classes_ == 2 else scores

    def _scores(self, X):
        """The decision function of the whole ensemble (its last stage; the rounds not run have α = 0)."""
        for scores in self._staged_scores(X):
            pass
        return scores

    def _proba(self, scores):
        xp = self._xp
        scores = xp.stack([-scores, scores], axis=1) / 2 if self.n_classes_ == 2 else scores / (self.n_classes_ - 1)
        scores = scores - xp.max(scores, axis=1, keepdims=True)
        e = xp.exp(scores)
        return e / xp.sum(e, axis=1, keepdims=True)  # (n, K)

    def _label_of(self, scores, X_in):
        xp = self._xp
        if self.n_classes_ == 2:  # the second class where the score is positive
            scores = xp.stack([xp.zeros_like(scores), scores], axis=1)
        index = xp.argmax(scores, axis=1)
        return self._labels(index, X_in)

    def decision_function(self, X: Any):
        """The weighted vote: (n_samples, n_classes), or (n_samples,) with two classes (positive: classes_[1])."""
        X_in = X
        return self._output(self._scores(self._validate_X(X, reset=False)), X_in)

    def predict(self, X: Any):
        """The class with the largest weighted vote."""
        X_in = X
        return self._label_of(self._scores(self._validate_X(X, reset=False)), X_in)

    def predict_proba(self, X: Any):
        """(n_samples, n_classes): a softmax of the decision function divided by n_classes - 1."""
        X_in = X
        return self._output(self._proba(self._scores(self._validate_X(X, reset=False))), X_in)

    def predict_log_proba(self, X: Any):
        """The logarithm of `predict_proba` (-inf, without a warning, where it is 0)."""
        X_in = X
        return self._output(safe_log(self._proba(self._scores(self._validate_X(X, reset=False)))), X_in)

    def staged_decision_function(self, X: Any):
        """The decision function after each round (a generator)."""
        X_in = X
        for scores in self._staged_scores(self._validate_X(X, reset=False)):
            yield self._output(scores, X_in)

    def staged_predict(self, X: Any):
        """The predicted classes after each round (a generator)."""
        X_in = X
        for scores in self._staged_scores(self._validate_X(X, reset=False)):
            yield self._label_of(scores, X_in)

    def staged_predict_proba(self, X: Any):
        """The class probabilities after each round (a generator)."""
        X_in = X
        for scores in self._staged_scores(self._validate_X(X, reset=False)):
            yield self._output(self._proba(scores), X_in)

    def staged_score(self, X: Any, y: Any, sample_weight: Any = None):
        """The accuracy on (X, y) after each round (a generator)."""
        from ..metrics import accuracy_score

        for labels in self.staged_predict(X):
            yield accuracy_score(y, labels, sample_weight=sample_weight)

    @property
    def feature_importances_(self):
        """(n_features,): the learners' feature importances, weighted by their say α_m."""
        return weighted_importances(self._xp, self.estimators_, self.estimator_weights_)
