"""Linear quantile regression with an L1 penalty (Koenker & Bassett 1978), by an interior-point method.

QuantileRegressor predicts the q-th conditional quantile of y by the linear fit that minimizes scikit-learn's
objective, with sample weights sᵢ (S = Σᵢ sᵢ):

    F(w, b) = Σᵢ sᵢ ρ_q(yᵢ - xᵢ·w - b) + α S ‖w‖₁,    ρ_q(r) = q·max(r, 0) + (1 - q)·max(-r, 0).

F is piecewise linear: a linear program, which scikit-learn hands to HiGHS (`scipy.optimize.linprog`). xpml solves
the same program on the backend's arrays by Mehrotra's primal-dual interior-point method on its dual, k × k normal
equations per iteration (k = n_features + 1), then moves to the optimal vertex, the answer of a simplex method
(`_quantile_lp.py`, with the derivation and references).

Reference: R. Koenker and G. Bassett, "Regression quantiles", Econometrica 46 (1978).
"""

from __future__ import annotations

from numbers import Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, RegressorMixin
from ..exceptions import ConvergenceWarning
from ..utils._param_validation import Interval, Options
from ..utils._warnings import warn
from ..utils.validation import check_sample_weight
from ._base import LinearModel
from ._quantile_lp import interior_point, quantile_lp, vertex

__all__ = ["QuantileRegressor"]

_MAX_ITER = 100  # interior-point iterations by default (they take 10 to 30 on well-posed data)
# scikit-learn's solver_options go to scipy's linprog: these are its methods' options (HiGHS's, and those of the legacy
# interior-point and revised simplex). xpml reads "maxiter" and "ipm_optimality_tolerance"; the others tune those
# solvers (presolve, pivoting, display) and are accepted as such.
_HIGHS_OPTIONS = {"maxiter", "ipm_optimality_tolerance", "disp", "presolve", "time_limit", "dual_feasibility_tolerance",
                  "primal_feasibility_tolerance", "simplex_dual_edge_weight_strategy", "mip_rel_gap", "autoscale",
                  "lstsq", "tol", "sym_pos", "cholesky", "pc", "ip", "permc_spec", "rr", "rr_method", "maxupdate",
                  "mast", "pivot"}


class QuantileRegressor(LinearModel, RegressorMixin, BaseEstimator):
    """Linear regression of a conditional quantile: the pinball loss with an L1 penalty, robust to outliers.

    Parameters
    ----------
    quantile : float, default=0.5
        q in (0, 1), the quantile predicted (0.5: the median).
    alpha : float, default=1.0
        α >= 0, the strength of the L1 penalty α S ‖w‖₁ (S: the sum of the sample weights; the intercept is not
        penalized).
    fit_intercept : bool, default=True
        Whether to fit the intercept b.
    solver : {"highs", "highs-ds", "highs-ipm", "interior-point", "revised simplex"}, default="highs"
        scikit-learn's linprog method. xpml runs one method for every name: its interior-point method followed by
        a move to the optimal vertex, which is what HiGHS's simplex ("highs-ds", and "highs", which picks it) and
        its interior point with crossover ("highs-ipm") return. "interior-point" and "revised simplex", which
        SciPy 1.11 removed and deprecated, are accepted as names of it too, dense or sparse X alike.
    solver_options : dict, default=None
        linprog's options. xpml reads "maxiter" (the most interior-point iterations, default 100) and
        "ipm_optimality_tolerance" (stop when the duality gap is at most that times the objective; default
        float eps^(3/4), 2e-12 in float64); HiGHS's other options are accepted and tune nothing here.
    backend : str or Backend, optional
        Where to compute ("numpy", "cupy", "torch", "jax", ...); None: the backend in force at fit.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in. By default floating input keeps its precision.

    Attributes
    ----------
    coef_ : array of shape (n_features,)
    intercept_ : array of shape ()
        b (0 with fit_intercept=False).
    n_iter_ : int
        Interior-point iterations made.
    n_features_in_ : int
    feature_names_in_ : array of shape (n_features_in_,)
        The column names of a DataFrame X (only then).

    Examples
    --------
    >>> from xpml.linear_model import QuantileRegressor
    >>> X = [[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]]
    >>> model = QuantileRegressor(quantile=0.5, alpha=0.0).fit(X, [0.3, 1.1, 2.4, 2.9, 4.2, 20.0])
    >>> round(float(model.coef_[0]), 6), round(float(model.intercept_), 6)  # the line through the 1st and 5th
    (0.975, 0.3)
    """

    _parameter_constraints = {
        "quantile": [Interval(Real, 0, 1, closed="neither")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "fit_intercept": ["boolean"],
        "solver": [Options({"highs-ds", "highs-ipm", "highs", "interior-point", "revised simplex"})],
        "solver_options": [None, "dict"],
        **BACKEND_CONSTRAINTS,
    }

    _accepts_sparse = True  # X is read through products and a Gram matrix summed over dense blocks of rows

    def __init__(self, *, quantile: float = 0.5, alpha: float = 1.0, fit_intercept: bool = True,
                 solver: str = "highs", solver_options: dict | None = None, backend: Any = None,
                 dtype: str | None = None):
        self.quantile = quantile
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.solver_options = solver_options
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> QuantileRegressor:
        """Fit w and b by solving the linear program of the q-th quantile.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        X, y = self._validate_data(X, y, multi_output=False)
        max_iter, tol = self._options()
        xp = self._xp
        s = check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)  # (n,)
        lam = float(self.alpha) * xp.sum(s)  # (): λ = α S, as scikit-learn scales its penalty
        lp = quantile_lp(xp, X, y, s, quantile=float(self.quantile), lam=lam, penalized=self.alpha > 0,
                         fit_intercept=self.fit_intercept, backend=self._backend)
        state, n_iter, converged = interior_point(
            xp, lp, tol=float(xp.finfo(y.dtype).eps) ** 0.75 if tol is None else tol, max_iter=max_iter,
            backend=self._backend)
        if not converged:
            warn(f"QuantileRegressor did not converge: the interior-point method reached maxiter={max_iter} "
                 f"iterations before its duality gap fell to the tolerance. Increase solver_options['maxiter'].",
                 ConvergenceWarning)
        beta, _ = vertex(xp, lp, state)  # (k,)
        self.n_iter_ = n_iter
        p = X.shape[1]
        self.coef_ = beta[:p]  # (p,)
        self.intercept_ = beta[p] if self.fit_intercept else xp.zeros((), dtype=beta.dtype, device=beta.device)
        return self

    def _options(self) -> tuple[int, float | None]:
        """(maxiter, tolerance or None for the default) from solver_options, checked."""
        options = dict(self.solver_options or {})
        unknown = sorted(set(options) - _HIGHS_OPTIONS)
        if unknown:
            raise ValueError(f"solver_options has unknown option(s) {unknown}: expected linprog's options, of which "
                             f"xpml reads 'maxiter' and 'ipm_optimality_tolerance'.")
        max_iter, tol = options.get("maxiter", _MAX_ITER), options.get("ipm_optimality_tolerance")
        if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 0:
            raise ValueError(f"solver_options['maxiter']={max_iter!r} should be an int >= 0.")
        if tol is not None and (isinstance(tol, bool) or not isinstance(tol, Real) or not 0 < tol < 1):
            raise ValueError(f"solver_options['ipm_optimality_tolerance']={tol!r} should be a number > 0 and < 1.")
        return max_iter, None if tol is None else float(tol)
