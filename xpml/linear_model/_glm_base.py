"""What the generalized linear models share (`_glm`): fit (the start, the checks of y and the solver), predict (the
mean μ) and score (D²). The objective and its derivatives are in `_glm_loss`, the Newton-Cholesky solver in
`_glm_newton`; `_glm` explains the models.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, RegressorMixin
from ..exceptions import ConvergenceWarning
from ..metrics._deviance import deviance_explained
from ..optim import lbfgs
from ..utils._errstate import float_errors_ignored
from ..utils._param_validation import Interval, Options
from ..utils._warnings import warn
from ..utils.validation import check_sample_weight, check_target
from ._base import LinearModel
from ._glm_loss import GLMLoss
from ._glm_newton import newton_cholesky

__all__ = ["GLM_CONSTRAINTS", "GeneralizedLinearRegressor"]

GLM_CONSTRAINTS = {
    "alpha": [Interval(Real, 0, None, closed="left")],
    "fit_intercept": ["boolean"],
    "solver": [Options({"lbfgs", "newton-cholesky"})],
    "max_iter": [Interval(Integral, 1, None, closed="left")],
    "tol": [Interval(Real, 0, None, closed="neither")],
    "warm_start": ["boolean"],
    "verbose": [Interval(Integral, 0, None, closed="left"), "boolean"],
    **BACKEND_CONSTRAINTS,
}


class GeneralizedLinearRegressor(LinearModel, RegressorMixin, BaseEstimator):
    """What the GLMs share: fit, predict (the mean μ) and score (D²). A subclass says its power and link (`_family`)."""

    _parameter_constraints = GLM_CONSTRAINTS

    def _family(self) -> tuple[float, str]:
        """(Tweedie power p, link "log" or "identity")."""
        raise NotImplementedError

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> GeneralizedLinearRegressor:
        """Fit w and b by minimizing half the mean deviance plus (α/2)‖w‖².

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            In the deviance's domain: y >= 0 for Poisson, y > 0 for gamma (see TweedieRegressor's power).
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        X, y = self._validate_data(X, y, multi_output=False)
        xp, power, link = self._xp, *self._family()
        self._check_y(y)
        s = check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)  # (n,)
        loss = GLMLoss(xp, X, y, s, power=power, link=link, alpha=float(self.alpha), fit_intercept=self.fit_intercept)
        theta0 = self._start(loss, y, s)  # (p [+ 1],)
        with float_errors_ignored():  # the line searches meet overflowing steps (exp), and judge them by their NaN/inf
            self._check_start(loss, theta0, power, link)
            solve = newton_cholesky if self.solver == "newton-cholesky" else lbfgs
            result = solve(loss, theta0, max_iter=self.max_iter, tol=float(self.tol), verbose=int(self.verbose))
        if not result.converged:
            warn(f"{type(self).__name__} (solver={self.solver!r}) did not converge: {result.message}. Increase "
                 f"max_iter, or scale the features (xpml.preprocessing.StandardScaler).", ConvergenceWarning)
        self.n_iter_ = result.n_iter
        self.coef_, self.intercept_ = loss.unpack(result.x)  # (p,), ()
        return self

    def _y_rule(self):
        """(the rule y must meet, as text; the test of it; why), for the model's power p (None: any y)."""
        p = self._family()[0]
        if p >= 2:
            why = "the gamma deviance takes log y" if p == 2 else f"with power={p!r} >= 2 the deviance takes y^(2-p)"
            return "> 0", (lambda v: v > 0), why
        if p > 0:
            why = ("the Poisson deviance takes y log y" if p == 1 else
                   f"with 0 < power={p!r} < 2 the deviance takes y^(2-p)")
            return ">= 0", (lambda v: v >= 0), why
        return None, None, None

    def _check_y(self, y) -> None:
        """Refuse y outside the deviance's domain, naming the rule and the value that breaks it."""
        rule, holds, why = self._y_rule()
        if rule is not None and not bool(self._xp.all(holds(y))):
            low = float(self._xp.min(y))
            raise ValueError(f"{self._name()} needs y {rule} ({why}); y holds {low!r}.")

    def _name(self) -> str:
        return type(self).__name__

    def _start(self, loss, y, s):
        """θ₀ = (w, [b]): (0, [link(ȳ)]), ȳ the weighted mean of y; or with warm_start the previous fit's when its
        shape fits."""
        xp, p = self._xp, loss.X.shape[1]
        coef = vars(self).get("coef_")
        if self.warm_start and coef is not None and coef.shape == (p,):
            parts = [coef, self.intercept_] if self.fit_intercept else [coef]
            return xp.concat([xp.reshape(self._to_backend(v, self._dtype), (-1,)) for v in parts])
        w0 = xp.zeros(p, dtype=y.dtype, device=y.device)  # (p,)
        if not self.fit_intercept:
            return w0
        y_mean = xp.sum(s * y) / xp.sum(s)  # ()
        if loss.link == "log" and not float(y_mean) > 0:
            raise ValueError(f"{self._name()} with a log link starts from the intercept log(ȳ), which needs the "
                             f"weighted mean of y > 0; y's is {float(y_mean)!r} (all zero?): no finite fit has it.")
        return xp.concat([w0, loss.link_of(y_mean)[None]])

    def _check_start(self, loss, theta0, power: float, link: str) -> None:
        """Refuse a start where the objective is not finite, which no solver could leave, naming why."""
        f0 = float(loss(theta0)[0])
        if math.isfinite(f0):
            return
        why = (f"link='identity' with power={power!r} needs μ > 0, and w = 0 without an intercept predicts μ = 0; "
               "fit the intercept or use the log link" if link == "identity" and power != 0 and not self.fit_intercept
               else f"the deviance of power={power!r} overflows with this X and y: rescale them")
        raise ValueError(f"{self._name()}'s objective at its starting point is {f0}: {why}.")

    def _mean(self, X):
        """μ = h(X @ coef_ + intercept_), the predicted mean, for a validated X. (n_samples,)"""
        eta = self._decision(X)  # (n,)
        return self._xp.exp(eta) if self._family()[1] == "log" else eta

    def predict(self, X: Any):
        """The predicted mean μ = h(X @ coef_ + intercept_) of each sample, shape (n_samples,)."""
        X_in = X
        X = self._validate_data(X, reset=False)
        with float_errors_ignored():  # exp of a huge linear predictor is inf, as in scikit-learn
            return self._output(self._mean(X), X_in)

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """D², the share of the deviance of the (weighted) mean of y that the predictions explain: 1 - D(y, μ) /
        D(y, ȳ), with the deviance of the model's power. 1 is perfect; it can be negative.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            In the deviance's domain, as for fit.
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        float
        """
        X = self._validate_data(X, reset=False)
        y = check_target(y, self._backend, n_samples=X.shape[0], dtype=self._dtype, multi_output=False)
        self._check_y(y)
        s = None if sample_weight is None else check_sample_weight(sample_weight, self._backend,
                                                                   n_samples=X.shape[0], dtype=self._dtype)
        with float_errors_ignored():
            return deviance_explained(self._xp, y, self._mean(X), s, self._family()[0])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        try:
            tags.target_tags.positive_only = self._y_rule()[0] is not None  # y = -1 is outside the domain
        except (TypeError, ValueError):  # TweedieRegressor with a power that is no number: the default tags
            pass
        return tags
