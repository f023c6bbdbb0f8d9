"""AdaBoost for regression (AdaBoost.R2): regressors fitted one after another, each on a sample of the rows
drawn with the current weights, the rows it predicted worst weighing more for the next.

Round m draws n rows with replacement, row i with probability w_i, and fits h_m on them. Each row's loss
is its error relative to the largest, L_i = |h_m(x_i) - y_i| / max_j |h_m(x_j) - y_j| (squared, or
1 - exp(-·), with loss="square" or "exponential"); the learner's error is ē = Σ w_i L_i. With
β = ē / (1 - ē), its say is α_m = learning_rate · log(1 / β), and each weight is multiplied by
β^((1 - L_i) · learning_rate), so that the rows predicted well weigh less. A learner with ē ≥ 0.5
ends the boosting. The ensemble predicts the weighted median of its learners' predictions (the
smallest prediction whose learners hold at least half of Σ α_m).

Reference: Drucker, "Improving Regressors using Boosting Techniques", ICML (1997).
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any, ClassVar

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, RegressorMixin
from ..tree import DecisionTreeRegressor
from ..utils._param_validation import Interval, Options
from ..utils._random import check_random_state, weighted_sampler
from ..utils.validation import check_sample_weight
from ._members import ask, check_member, fit_member, make_member, weighted_importances

__all__ = ["AdaBoostRegressor"]


class AdaBoostRegressor(RegressorMixin, BaseEstimator):
    """An AdaBoost regressor (AdaBoost.R2): the weighted median of regressors fitted on reweighted samples.

    Parameters
    ----------
    estimator : xpml regressor, optional
        The learner (None: DecisionTreeRegressor(max_depth=3)); it is fitted on rows drawn with the weights.
    n_estimators : int, default=50
        The most rounds of boosting (fewer if a learner is perfect or its error reaches 0.5).
    learning_rate : float, default=1.0
        Scales each learner's say and the weight updates.
    loss : {"linear", "square", "exponential"}, default="linear"
        How a row's relative error becomes its loss.
    random_state : int, Generator, RandomState or None
        Seeds the rows drawn, and the learners' random_state parameters.
    backend, dtype
        Where and in what precision to compute.

    Attributes
    ----------
    estimator_, estimators_, estimator_weights_ (n_estimators,), estimator_errors_ (n_estimators,),
    n_features_in_, feature_importances_
    """

    _parameter_constraints: ClassVar[dict] = {
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0.0, None, closed="neither")],
        "loss": [Options({"linear", "square", "exponential"})],
        "random_state": ["random_state"],
        **BACKEND_CONSTRAINTS,
    }

    def __init__(self, estimator=None, *, n_estimators=50, learning_rate=1.0, loss="linear", random_state=None,
                 backend=None, dtype=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.loss = loss
        self.random_state = random_state
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None):
        """Boost the learners on X and the targets y (with optional sample weights). Returns self."""
        X, y = self._validate_data(X, y, multi_output=False)
        xp, T = self._xp, self.n_estimators
        self.estimator_ = DecisionTreeRegressor(max_depth=3) if self.estimator is None else self.estimator
        check_member(self.estimator_, "estimator")
        w = check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)  # (n,)
        if float(xp.min(w)) < 0:
            raise ValueError("sample_weight should be >= 0; it has negative values.")
        w = w / xp.sum(w)
        zero, eps = w == 0, xp.finfo(w.dtype).eps
        rng = check_random_state(self.random_state)
        self.estimators_, alphas, errors = [], [], []
        for m in range(T):
            w = xp.where(zero, 0.0, xp.clip(w, eps, None))  # (n,)
            rows = weighted_sampler(rng, self._backend, w)(X.shape[0])  # (n,) drawn with the weights
            member = make_member(self.estimator_, rng)
            fit_member(member, self._backend, xp.take(X, rows, axis=0), xp.take(y, rows, axis=0))
            loss = self._row_losses(xp.abs(ask(member, "predict", X, self._backend) - y), w > 0)  # (n,)
            error = float(xp.sum(w * loss))
            if error <= 0:  # a perfect learner: it decides alone
                self.estimators_.append(member)
                alphas.append(1.0), errors.append(0.0)
                break
            if error >= 0.5:  # worse than the weights allow: boosting stops (the first learner is kept)
                if not self.estimators_:
                    self.estimators_.append(member)
                break
            self.estimators_.append(member)
            beta = error / (1.0 - error)
            alphas.append(self.learning_rate * math.log(1.0 / beta)), errors.append(error)
            if m == T - 1:
                break
            w = w * beta ** ((1.0 - loss) * self.learning_rate)  # (n,) rows predicted well weigh less
            total = float(xp.sum(w))
            if not math.isfinite(total) or total <= 0:
                break
            w = w / total
        done = len(alphas)
        self.estimator_weights_ = self._to_backend(alphas + [0.0] * (T - done), dtype=self._dtype)
        self.estimator_errors_ = self._to_backend(errors + [1.0] * (T - done), dtype=self._dtype)
        return self

    def _row_losses(self, error, counted):
        """(n,): each row's error relative to the largest among the rows of nonzero weight, through the loss."""
        xp = self._xp
        largest = xp.max(xp.where(counted, error, 0.0))
        error = error / largest if float(largest) != 0 else error
        if self.loss == "square":
            error = error**2
        elif self.loss == "exponential":
            error = 1.0 - xp.exp(-error)
        return xp.where(counted, error, 0.0)

    def _median(self, X, limit):
        """(n,): the weighted median of the first `limit` learners' predictions on validated X."""
        xp = self._xp
        members = self.estimators_[:limit]
        predictions = xp.stack([ask(m, "predict", X, self._backend) for m in members], axis=1)  # (n, m)
        order = xp.argsort(predictions, axis=1, stable=True)  # (n, m)
        weights = xp.reshape(xp.take(self.estimator_weights_[:limit], xp.reshape(order, (-1,))), order.shape)  # (n, m)
        cdf = xp.cumulative_sum(weights, axis=1)  # (n, m) the weight of the learners predicting at most each value
        at_median = xp.argmax(xp.astype(cdf >= 0.5 * cdf[:, -1:], xp.int8), axis=1)  # (n,) first at or above half
        picked = xp.astype(at_median[:, None] == xp.arange(limit, device=self._device), predictions.dtype)  # (n, m)
        return xp.sum(xp.sort(predictions, axis=1, stable=False) * picked, axis=1)  # (n,)

    def predict(self, X: Any):
        """The weighted median of the learners' predictions."""
        X_in = X
        return self._output(self._median(self._validate_X(X, reset=False), len(self.estimators_)), X_in)

    def staged_predict(self, X: Any):
        """The prediction after each round (a generator)."""
        X_in, X = X, self._validate_X(X, reset=False)
        for limit in range(1, len(self.estimators_) + 1):
            yield self._output(self._median(X, limit), X_in)

    def staged_score(self, X: Any, y: Any, sample_weight: Any = None):
        """R² on (X, y) after each round (a generator)."""
        from ..metrics import r2_score

        for prediction in self.staged_predict(X):
            yield r2_score(y, prediction, sample_weight=sample_weight)

    @property
    def feature_importances_(self):
        """(n_features,): the learners' feature importances, weighted by their say α_m."""
        return weighted_importances(self._xp, self.estimators_, self.estimator_weights_)
