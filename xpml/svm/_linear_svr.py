"""Linear support vector regression: a linear fit that ignores residuals smaller than ε.

LinearSVR finds the weights w and intercept b that minimize LIBLINEAR's objective (so scikit-learn's)

    ½‖w‖² + ½(b/a)² + C Σᵢ ωᵢ L(yᵢ - xᵢ·w - b),     L(r) = max(0, |r| - ε) or max(0, |r| - ε)²,

the ε-insensitive loss or its square: residuals inside the tube |r| <= ε cost nothing. As in LinearSVC, the
intercept is the weight of a constant feature a = intercept_scaling, penalized like the others (a larger a
penalizes it less), and ω are sample weights.

It is LinearSVC's problem with real targets in place of the signs ±1, and `_solver.py` minimizes both the
same way, with the shared L-BFGS (`xpml.optim.lbfgs`): the squared loss directly (it is differentiable with a
Lipschitz gradient); the ε-insensitive loss, which has kinks at r = ±ε, by rounds of the proximal point method
on its dual (each round an L-BFGS fit of a smoothed loss, which converge to the exact optimum, not to that of
a smoothed problem), stopped on the duality gap.

References: Ho & Lin, "Large-scale linear support vector regression", JMLR 13, 2012; Fan, Chang, Hsieh,
Wang & Lin, "LIBLINEAR: a library for large linear classification", JMLR 9, 2008.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, RegressorMixin
from ..exceptions import ConvergenceWarning
from ..linear_model._base import LinearModel
from ..utils._param_validation import Interval, Options
from ..utils._warnings import warn
from ..utils.validation import check_sample_weight
from ._solver import solve

__all__ = ["LinearSVR"]


class LinearSVR(LinearModel, RegressorMixin, BaseEstimator):
    """Linear support vector regression (LIBLINEAR's L2-regularized ε-insensitive regression).

    Parameters
    ----------
    epsilon : float, default=0.0
        The half-width ε >= 0 of the tube within which residuals cost nothing. (scikit-learn accepts a
        negative value, which LIBLINEAR then refuses at fit with a ValueError: xpml refuses it at fit too.)
    tol : float, default=1e-4
        loss="epsilon_insensitive": stop when the relative duality gap (primal - dual) / primal is <= tol:
        the objective is then within a fraction tol of its minimum. loss="squared_epsilon_insensitive":
        stop when the largest gradient entry is <= tol times its value at the start (as LIBLINEAR's
        primal solver).
    C : float, default=1.0
        The weight of the losses against the penalty: larger C, less regularization.
    loss : {"epsilon_insensitive", "squared_epsilon_insensitive"}, default="epsilon_insensitive"
        max(0, |r| - ε) (the L1 loss of support vector regression) or its square.
    fit_intercept : bool, default=True
        Learn an intercept (penalized, through `intercept_scaling`).
    intercept_scaling : float, default=1.0
        The value a of the constant feature whose weight v gives the intercept b = a v. The penalty
        on the intercept is ½ (b / a)²: a larger a penalizes it less.
    dual : "auto" or bool, default="auto"
        Whether LIBLINEAR solves the dual or the primal problem. Both have the same optimum, which
        xpml reaches from the primal; the value is checked as scikit-learn does
        (loss="epsilon_insensitive" needs dual=True or "auto").
    verbose : int, default=0
        Print the progress of the solver if > 0.
    random_state : int, numpy.random.Generator or None, default=None
        Accepted for scikit-learn compatibility: it shuffles LIBLINEAR's dual coordinate descent;
        xpml's solver draws no random numbers.
    max_iter : int, default=1000
        The most L-BFGS iterations, over all rounds.
    backend : str or Backend, optional
        Where to compute ("numpy", "cupy", "torch", "jax", ..., optionally with a device). None uses
        the backend in force at fit time.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in. By default floating input keeps its precision.

    Attributes
    ----------
    coef_ : array of shape (n_features,)
    intercept_ : array of shape (1,), or of shape () (0) with fit_intercept=False
    n_iter_ : int
        L-BFGS iterations made.
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.svm import LinearSVR
    >>> model = LinearSVR(C=10.0, tol=1e-8).fit([[0.0], [1.0], [2.0], [3.0]], [1.0, 3.0, 5.0, 7.0])
    >>> [round(float(v), 3) for v in model.predict([[4.0]])]
    [9.0]
    """

    _parameter_constraints = {
        "epsilon": [Interval(Real, 0, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="neither")],
        "C": [Interval(Real, 0, None, closed="neither")],
        "loss": [Options({"epsilon_insensitive", "squared_epsilon_insensitive"})],
        "fit_intercept": ["boolean"],
        "intercept_scaling": [Interval(Real, 0, None, closed="neither")],
        "dual": ["boolean", Options({"auto"})],
        "verbose": [Interval(Integral, 0, None, closed="left"), "boolean"],
        "random_state": ["random_state"],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        **BACKEND_CONSTRAINTS,
    }

    _accepts_sparse = True  # the solver reads X through X @ W and Xᵀ R

    def __init__(self, *, epsilon: float = 0.0, tol: float = 1e-4, C: float = 1.0, loss: str = "epsilon_insensitive",
                 fit_intercept: bool = True, intercept_scaling: float = 1.0, dual: Any = "auto", verbose: int = 0,
                 random_state: Any = None, max_iter: int = 1000, backend: Any = None, dtype: str | None = None):
        self.epsilon = epsilon
        self.tol = tol
        self.C = C
        self.loss = loss
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.dual = dual
        self.verbose = verbose
        self.random_state = random_state
        self.max_iter = max_iter
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LinearSVR:
        """Fit the weights by minimizing the primal objective.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Per-sample multipliers of C.

        Returns
        -------
        self
        """
        X, y = self._validate_data(X, y, multi_output=False)
        if self.loss == "epsilon_insensitive" and self.dual is False:
            raise ValueError("loss='epsilon_insensitive' needs dual=True (or 'auto'): LIBLINEAR solves it in the "
                             "dual only; use loss='squared_epsilon_insensitive' for dual=False.")
        xp = self._xp
        n, p = X.shape
        c = self.C * check_sample_weight(sample_weight, self._backend, n_samples=n, dtype=self._dtype)  # (n,)
        a = float(self.intercept_scaling) if self.fit_intercept else None
        theta, self.n_iter_, converged, self._duality_gap = solve(
            xp, X, y[:, None], c[:, None], a, squared=self.loss == "squared_epsilon_insensitive",
            epsilon=float(self.epsilon), tol=self.tol, max_iter=self.max_iter, verbose=self.verbose, name="LinearSVR")
        if not converged:
            warn(f"LinearSVR did not converge in max_iter={self.max_iter} iterations (relative duality gap "
                 f"{self._duality_gap:.2g}, tol={self.tol}). Increase max_iter or scale the features.",
                 ConvergenceWarning)
        self.coef_ = theta[:p]  # (p,)
        self.intercept_ = a * theta[p:] if a is not None else xp.zeros((), dtype=X.dtype, device=X.device)
        return self
