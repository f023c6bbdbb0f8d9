"""Huber regression with a concomitant scale: a linear fit robust to outliers (Huber 1981; Owen 2007).

With residuals rᵢ = yᵢ - xᵢ·w - b, sample weights sᵢ and ε >= 1, HuberRegressor minimizes scikit-learn's
objective over the coefficients w, the intercept b and a scale σ > 0 learnt with them:

    F(w, b, σ) = Σᵢ sᵢ (σ + σ H(rᵢ/σ)) + α‖w‖²,    H(z) = z² if |z| <= ε, else 2ε|z| - ε².

Residuals up to εσ are squared, larger ones (the outliers) count linearly; σ makes the split invariant
to the scale of y. F is jointly convex (σ H(r/σ) is the perspective of H), which shows in the form

    σ H(r/σ) = max over |β| <= ε of  2βr - β²σ,    maximized by β = clip(r/σ, -ε, ε),

a maximum of functions linear in (r, σ). β is the slope of (half) the Huber loss of SGDRegressor at
r/σ (`_sgd_losses.Huber`), and by the envelope theorem the gradient is

    ∂F/∂w = -2 Xᵀ(s∘β) + 2αw,    ∂F/∂b = -2 Σᵢ sᵢβᵢ,    ∂F/∂σ = Σᵢ sᵢ (1 - βᵢ²).

The bound σ > 0 (scikit-learn gives scipy's L-BFGS-B the bound σ >= 10·eps): the same maximum defines F
for every σ, and for σ <= 0 it is reached at |β| = ε, F = Σᵢ sᵢ (σ(1 - ε²) + 2ε|rᵢ|) + α‖w‖²: convex, equal to
scikit-learn's F for σ > 0, and for ε > 1 strictly decreasing in σ on σ <= 0 (slope Σᵢ sᵢ(1 - ε²) < 0). So
every point with σ <= 0 is beaten by one with σ > 0, and the unconstrained minimizer of this F, which the
shared L-BFGS (`xpml.optim.lbfgs`) finds without any bound, is the constrained minimizer of scikit-learn's.
Only where the minimum lies at σ = 0 (an exact fit of enough samples), or for ε = 1 (F then does not depend
on σ <= 0), can the minimizer have σ <= 10·eps; projecting σ onto that bound then leaves F unchanged (up to
10·eps), and `scale_` is the projection. (F is then not differentiable at its minimum: it is 2εΣᵢ sᵢ|rᵢ| +
α‖w‖² there, with a kink wherever a residual is 0, and L-BFGS, xpml's as scikit-learn's, stops near it.)
The loss is not divided by anything, so `tol` bounds the same gradient as scikit-learn's (its projected
gradient, which is the gradient where the bound is not active).

References: P. J. Huber, Robust Statistics, Wiley, 1981 (concomitant scale, section 7.7); A. B. Owen, "A
robust hybrid of lasso and ridge regression", Contemporary Mathematics 443, 2007.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, RegressorMixin
from ..exceptions import ConvergenceWarning
from ..optim import lbfgs
from ..utils._csr import is_csr
from ..utils._param_validation import Interval
from ..utils._warnings import warn
from ..utils.validation import check_sample_weight
from ._base import LinearModel
from ._sgd_losses import Huber

__all__ = ["HuberRegressor"]

_SCALE_BOUND = 10 * 2.220446049250313e-16  # scikit-learn's lower bound on σ: 10 float64 epsilons


class HuberRegressor(LinearModel, RegressorMixin, BaseEstimator):
    """L2-regularized linear regression that is robust to outliers (Huber loss with a learnt scale).

    Parameters
    ----------
    epsilon : float, default=1.35
        ε >= 1: residuals beyond ε·scale_ count linearly (outliers). Smaller is more robust.
    max_iter : int, default=100
        The most L-BFGS iterations.
    alpha : float, default=0.0001
        α >= 0, the strength of the penalty α‖w‖² (the intercept and the scale are not penalized).
    warm_start : bool, default=False
        Start from the previous fit's coef_, intercept_ and scale_ (when their shapes fit) instead of w = 0,
        b = 0, σ = 1.
    fit_intercept : bool, default=True
        Whether to fit the intercept b.
    tol : float, default=1e-05
        Stop when the largest absolute entry of the objective's gradient (in w, b and σ) is <= tol.
    backend : str or Backend, optional
        Where to compute ("numpy", "cupy", "torch", "jax", ...); None: the backend in force at fit.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in. By default floating input keeps its precision.

    Attributes
    ----------
    coef_ : array of shape (n_features,)
    intercept_ : array of shape ()
        b (0 with fit_intercept=False).
    scale_ : array of shape ()
        σ, the scale by which the residuals are divided.
    n_iter_ : int
        L-BFGS iterations made.
    outliers_ : array of bool, shape (n_samples,)
        True for the training samples whose residual is beyond ε·scale_.
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.linear_model import HuberRegressor
    >>> X = [[0.0], [1.0], [2.0], [3.0], [4.0], [5.0], [6.0]]
    >>> model = HuberRegressor().fit(X, [0.2, 0.9, 2.1, 2.9, 4.1, 4.9, 30.0])
    >>> model.outliers_.tolist(), round(float(model.coef_[0]), 3)
    ([False, False, False, False, False, False, True], 1.007)
    """

    _parameter_constraints = {
        "epsilon": [Interval(Real, 1.0, None, closed="left")],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "fit_intercept": ["boolean"],
        "tol": [Interval(Real, 0, None, closed="left")],
        **BACKEND_CONSTRAINTS,
    }

    _accepts_sparse = True  # the loss reads X through X @ w and Xᵀ(s∘β)

    def __init__(self, *, epsilon: float = 1.35, max_iter: int = 100, alpha: float = 0.0001, warm_start: bool = False,
                 fit_intercept: bool = True, tol: float = 1e-05, backend: Any = None, dtype: str | None = None):
        self.epsilon = epsilon
        self.max_iter = max_iter
        self.alpha = alpha
        self.warm_start = warm_start
        self.fit_intercept = fit_intercept
        self.tol = tol
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> HuberRegressor:
        """Fit w, b and σ by minimizing the Huber objective with L-BFGS.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        X, y = self._validate_data(X, y, multi_output=False)
        xp = self._xp
        s = check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)  # (n,)
        loss = _HuberLoss(xp, X, y, s, epsilon=float(self.epsilon), alpha=float(self.alpha),
                          fit_intercept=self.fit_intercept)
        result = lbfgs(loss, self._start(X), max_iter=self.max_iter, tol=self.tol)
        if not result.converged:
            warn(f"HuberRegressor did not converge: {result.message}. Increase max_iter, or scale the features "
                 f"(xpml.preprocessing.StandardScaler).", ConvergenceWarning)
        self.n_iter_ = result.n_iter
        p = X.shape[1]
        self.coef_ = result.x[:p]  # (p,)
        self.intercept_ = result.x[p] if self.fit_intercept else xp.zeros((), dtype=X.dtype, device=X.device)
        self.scale_ = xp.maximum(result.x[-1], _SCALE_BOUND)  # () (see the module docstring)
        self.outliers_ = xp.abs(loss.residuals(self.coef_, self.intercept_)) > self.scale_ * self.epsilon  # (n,)
        return self

    def _start(self, X):
        """θ₀ = (w, [b,] σ): (0, [0,] 1), or with warm_start the previous fit's when its shape fits."""
        xp, p = self._xp, X.shape[1]
        theta0 = xp.concat([xp.zeros(p + int(self.fit_intercept), dtype=X.dtype, device=X.device),
                            xp.ones(1, dtype=X.dtype, device=X.device)])  # (p [+ 1] + 1,)
        coef = vars(self).get("coef_")
        if not self.warm_start or coef is None or coef.shape != (p,):
            return theta0
        parts = [coef, self.intercept_, self.scale_] if self.fit_intercept else [coef, self.scale_]
        return xp.concat([xp.reshape(self._to_backend(v, self._dtype), (-1,)) for v in parts])


class _HuberLoss:
    """`loss(θ) -> (F, ∇F)` for θ = (w, [b,] σ), the objective of the module docstring, defined for every σ."""

    def __init__(self, xp, X, y, sample_weight, *, epsilon: float, alpha: float, fit_intercept: bool):
        self.xp, self.X, self.y, self.s = xp, X, y, sample_weight
        self.epsilon, self.alpha, self.fit_intercept = epsilon, alpha, fit_intercept
        self.slope = Huber(epsilon).gradient  # clip(z, -ε, ε): the Huber loss's slope at z (its half, as SGD's)

    def residuals(self, w, b):
        """y - X w - b, (n,)."""
        return self.y - self.X @ w - b

    def __call__(self, theta):
        xp, p = self.xp, self.X.shape[1]
        w, sigma = theta[:p], theta[-1]  # (p,), ()
        r = self.residuals(w, theta[p] if self.fit_intercept else 0.0)  # (n,)
        positive = sigma > 0  # 0-d bool
        # β, the maximizer of 2βr - β²σ over |β| <= ε: clip(r/σ, -ε, ε) for σ > 0, ε·sign(r) for σ <= 0
        beta = xp.where(positive, self.slope(xp, 0.0, r / xp.where(positive, sigma, 1.0)),
                        self.epsilon * (2 * xp.astype(r >= 0, r.dtype) - 1))  # (n,)
        s_beta = self.s * beta  # (n,)
        loss = xp.sum(self.s * (sigma + 2 * beta * r - beta * beta * sigma)) + self.alpha * xp.sum(w * w)
        grad_w = -2 * (self.X.T @ s_beta if is_csr(self.X) else s_beta @ self.X) + 2 * self.alpha * w  # (p,)
        parts = [grad_w]
        if self.fit_intercept:
            parts.append(-2 * xp.sum(s_beta)[None])  # (1,)
        parts.append(xp.sum(self.s * (1 - beta * beta))[None])  # (1,): ∂F/∂σ
        return loss, xp.concat(parts)
