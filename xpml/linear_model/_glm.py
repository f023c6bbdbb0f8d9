"""Generalized linear models: Poisson, gamma and Tweedie regression, fitted by L-BFGS or Newton-Cholesky.

A generalized linear model (GLM) predicts the mean of y, μ = h(x·w + b), through the inverse h of a link function,
and measures its errors by the deviance of a distribution whose variance grows as a power p of its mean (the Tweedie
family, `xpml.metrics._deviance`):

    PoissonRegressor    p = 1, log link:  counts and other targets y >= 0 (Var y ∝ μ)
    GammaRegressor      p = 2, log link:  positive targets y > 0 with a constant relative spread (Var y ∝ μ²)
    TweedieRegressor    any p, log or identity link: p = 0 normal, 1 < p < 2 compound Poisson-gamma (y >= 0,
                        with exact zeros: insurance claims), p = 3 inverse Gaussian; "auto" picks the identity
                        for p <= 0 and the log link otherwise

The log link makes the effects multiplicative, μ = e^b ∏ⱼ e^(wⱼ xⱼ), and keeps every prediction positive. The fit
minimizes scikit-learn's objective, half the mean deviance plus an L2 penalty on w (not on b):

    F(w, b) = (1 / (2 Σᵢ sᵢ)) Σᵢ sᵢ d(yᵢ, μᵢ) + (α/2) ‖w‖²,     μᵢ = h(xᵢ·w + b)

which is convex in (w, b) under the log link for 1 <= p <= 2 (the Poisson's is its canonical link) and, where α > 0
or X has full column rank, has one minimizer. `_glm_loss` gives F, its gradient and Hessian; `_glm_base` the
estimators' shared fit, predict and score. The solvers start from w = 0 and b = g(ȳ), the link of the weighted mean
of y (the best constant), or with warm_start from the last fit:

- "lbfgs": `xpml.optim.lbfgs`, L-BFGS with a strong-Wolfe line search, stopping when max|∇F| <= tol or when F stops
  decreasing (64 machine epsilons, relative), scikit-learn's settings for scipy's L-BFGS-B;
- "newton-cholesky": Newton's method, the Hessian factored by Cholesky, with a backtracking line search
  (`_glm_newton`); few iterations, each O(n k² + k³) for k = n_features (+1): the solver for n_samples >> n_features.

`score` is D², the share of the deviance of the best constant (ȳ) that the model explains (`d2_tweedie_score` of
the model's power), as scikit-learn's GLMs have it.

Reference: P. McCullagh and J. A. Nelder, Generalized Linear Models (2nd ed.), Chapman & Hall, 1989, chapters 2
and 6 to 8; B. Jørgensen, The Theory of Dispersion Models, Chapman & Hall, 1997, chapter 4.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

from ..utils._param_validation import Interval, Options
from ._glm_base import GLM_CONSTRAINTS, GeneralizedLinearRegressor

__all__ = ["GammaRegressor", "PoissonRegressor", "TweedieRegressor"]


class PoissonRegressor(GeneralizedLinearRegressor):
    """Generalized linear model with a Poisson deviance and a log link: for counts, and targets y >= 0.

    Parameters
    ----------
    alpha : float, default=1
        α >= 0, the strength of the penalty (α/2)‖w‖² (the intercept is not penalized). With α = 0, X should have
        full column rank.
    fit_intercept : bool, default=True
        Whether to fit the intercept b (added to the linear predictor X @ coef_).
    solver : {"lbfgs", "newton-cholesky"}, default="lbfgs"
        "lbfgs": L-BFGS (`xpml.optim.lbfgs`). "newton-cholesky": Newton steps solved by a Cholesky factorization of
        the (n_features + 1)² Hessian, for n_samples >> n_features; where the Hessian cannot guide it, it hands over
        to L-BFGS with a warning.
    max_iter : int, default=100
        The most iterations of the solver, >= 1.
    tol : float, default=1e-4
        > 0. Stop when the largest absolute entry of the objective's gradient is <= tol (with "newton-cholesky",
        half the Newton decrement too).
    warm_start : bool, default=False
        Start from the previous fit's coef_ and intercept_ (when their shapes fit) instead of w = 0, b = log(ȳ).
    verbose : int, default=0
        Print the solver's progress if > 0.
    backend : str or Backend, optional
        Where to compute ("numpy", "cupy", "torch", "jax", ...); None: the backend in force at fit.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in. By default floating input keeps its precision.

    Attributes
    ----------
    coef_ : array of shape (n_features,)
        w: the predicted mean is exp(X @ coef_ + intercept_).
    intercept_ : array of shape ()
        b (0 with fit_intercept=False).
    n_iter_ : int
        Iterations the solver ran.
    n_features_in_ : int
    feature_names_in_ : numpy array of shape (n_features_in_,)
        The column names of a DataFrame X (set only then).

    Examples
    --------
    >>> from xpml.linear_model import PoissonRegressor
    >>> model = PoissonRegressor().fit([[1, 2], [2, 3], [3, 4], [4, 3]], [12, 17, 22, 21])
    >>> round(model.score([[1, 2], [2, 3], [3, 4], [4, 3]], [12, 17, 22, 21]), 3)
    0.99
    """

    def __init__(self, *, alpha: float = 1.0, fit_intercept: bool = True, solver: str = "lbfgs", max_iter: int = 100,
                 tol: float = 1e-4, warm_start: bool = False, verbose: int = 0, backend: Any = None,
                 dtype: str | None = None):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.verbose = verbose
        self.backend = backend
        self.dtype = dtype

    def _family(self) -> tuple[float, str]:
        return 1.0, "log"


class GammaRegressor(GeneralizedLinearRegressor):
    """Generalized linear model with a gamma deviance and a log link: for targets y > 0 whose spread grows with
    their mean (costs, durations); the deviance weighs relative errors.

    Parameters
    ----------
    alpha, fit_intercept, solver, max_iter, tol, warm_start, verbose, backend, dtype
        As PoissonRegressor's (default alpha=1, "lbfgs", max_iter=100, tol=1e-4).

    Attributes
    ----------
    coef_ : array of shape (n_features,)
        w: the predicted mean is exp(X @ coef_ + intercept_).
    intercept_ : array of shape ()
    n_iter_ : int
    n_features_in_ : int
    feature_names_in_ : numpy array of shape (n_features_in_,)

    Examples
    --------
    >>> from xpml.linear_model import GammaRegressor
    >>> model = GammaRegressor().fit([[1, 2], [2, 3], [3, 4], [4, 3]], [19, 26, 33, 30])
    >>> round(model.score([[1, 2], [2, 3], [3, 4], [4, 3]], [19, 26, 33, 30]), 3)
    0.773
    """

    def __init__(self, *, alpha: float = 1.0, fit_intercept: bool = True, solver: str = "lbfgs", max_iter: int = 100,
                 tol: float = 1e-4, warm_start: bool = False, verbose: int = 0, backend: Any = None,
                 dtype: str | None = None):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.verbose = verbose
        self.backend = backend
        self.dtype = dtype

    def _family(self) -> tuple[float, str]:
        return 2.0, "log"


class TweedieRegressor(GeneralizedLinearRegressor):
    """Generalized linear model with the Tweedie deviance of a power p, and a log or identity link.

    Parameters
    ----------
    power : float, default=0
        p, the power of the variance function Var(y) ∝ μᵖ: 0 normal (y any real), 1 Poisson, (1, 2) compound
        Poisson-gamma (y >= 0, with exact zeros), 2 gamma, 3 inverse Gaussian (p >= 2: y > 0). No distribution has
        0 < p < 1, but its deviance is still a loss for the mean there (y >= 0), as in scikit-learn.
    alpha : float, default=1
        α >= 0, the strength of the penalty (α/2)‖w‖² (the intercept is not penalized).
    fit_intercept : bool, default=True
        Whether to fit the intercept b.
    link : {"auto", "identity", "log"}, default="auto"
        μ = η (identity) or μ = exp(η) (log), η = X @ coef_ + intercept_. "auto": identity for p <= 0, else log.
        The identity link with p != 0 needs μ > 0 at every training sample.
    solver, max_iter, tol, warm_start, verbose, backend, dtype
        As PoissonRegressor's (default "lbfgs", max_iter=100, tol=1e-4).

    Attributes
    ----------
    coef_ : array of shape (n_features,)
    intercept_ : array of shape ()
    n_iter_ : int
    n_features_in_ : int
    feature_names_in_ : numpy array of shape (n_features_in_,)

    Examples
    --------
    >>> from xpml.linear_model import TweedieRegressor
    >>> model = TweedieRegressor().fit([[1, 2], [2, 3], [3, 4], [4, 3]], [2, 3.5, 5, 5.5])
    >>> round(model.score([[1, 2], [2, 3], [3, 4], [4, 3]], [2, 3.5, 5, 5.5]), 3)
    0.839
    """

    _parameter_constraints = {
        **GLM_CONSTRAINTS,
        "power": [Interval(Real, None, None)],
        "link": [Options({"auto", "identity", "log"})],
    }

    def __init__(self, *, power: float = 0.0, alpha: float = 1.0, fit_intercept: bool = True, link: str = "auto",
                 solver: str = "lbfgs", max_iter: int = 100, tol: float = 1e-4, warm_start: bool = False,
                 verbose: int = 0, backend: Any = None, dtype: str | None = None):
        self.power = power
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.link = link
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.verbose = verbose
        self.backend = backend
        self.dtype = dtype

    def _family(self) -> tuple[float, str]:
        power = float(self.power)
        link = self.link if self.link != "auto" else ("identity" if power <= 0 else "log")
        return power, link

    def _name(self) -> str:
        return f"TweedieRegressor(power={self.power!r})"
