"""Ridge regression: least squares with an L2 penalty, solved in closed form.

Ridge chooses w and b to minimize (scikit-learn's objective, weights sᵢ optional)

    Σᵢ sᵢ (yᵢ - xᵢ·w - b)² + α ||w||²

The intercept is not penalized, so the problem splits as in least squares: centre X and y on their
weighted means and scale rows by √sᵢ (`center_data`), solve for w, then b = ȳ - x̄·w. Setting the
gradient to zero gives the normal equations

    (XᵀX + αI) w = Xᵀy           or, when n < p, w = Xᵀ(XXᵀ + αI)⁻¹ y   (the same w; the "dual" form)

whose matrix is symmetric positive definite for α > 0. Two solvers:

- "cholesky" (scikit-learn's name) solves the normal equations directly, through the smaller of
  the two Gram matrices: O(n·p·min(n, p)) to form it, O(min(n, p)³) to solve. The array API has
  no triangular solve, so `xp.linalg.solve` factors the system.
- "svd" uses X = U S Vᵀ: w = V diag(sᵢ / (sᵢ² + α)) Uᵀ y. Slower, but exact for α = 0 (the
  minimum-norm least-squares solution) and for badly conditioned X.

With several targets, α may be one value per target. A sparse X (scipy.sparse) is centred implicitly
and solved by conjugate gradients on the normal equations (`_sparse_lsq`, scikit-learn's
"sparse_cg"), or with positive=True by the projected solver on the same operator (`_positive`).

Reference: A. E. Hoerl and R. W. Kennard, "Ridge regression: biased estimation for nonorthogonal
problems", Technometrics 12 (1970); T. Hastie, R. Tibshirani and J. Friedman, The Elements of
Statistical Learning (2nd ed.), section 3.4.1.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, RegressorMixin
from ..exceptions import ConvergenceWarning, LinAlgWarning
from ..utils._host import host_array
from ..utils._param_validation import Interval, Options
from ..utils._warnings import warn
from ..utils.validation import check_array
from ._base import LinearModel
from ._positive import nonnegative_least_squares
from ._sparse_lsq import CentredSparse, normal_equations_cg

__all__ = ["Ridge", "ridge_coef"]


def ridge_coef(W, X_offset, y_offset, one_d: bool):
    """(coef_, intercept_) from W (n_features, n_targets), in scikit-learn's shapes for its ridge models: coef_
    is (n_features,) when there is one column of targets (even of a 2-D y), else (n_targets, n_features);
    intercept_ = ȳ - x̄·w is a 0-d array for a 1-D y (`one_d`), else (n_targets,)."""
    intercept = y_offset - X_offset @ W  # (t,)
    return (W[:, 0] if W.shape[1] == 1 else W.T), (intercept[0] if one_d else intercept)


class _BaseRidge(LinearModel):
    """What Ridge and RidgeClassifier share: their parameters, and the solvers on the centred, weighted problem."""

    _parameter_constraints = {
        "alpha": [Interval(Real, 0, None, closed="left"), "array-like"],
        "fit_intercept": ["boolean"],
        "copy_X": ["boolean"],
        "max_iter": [Interval(Integral, 1, None), None],
        "tol": [Interval(Real, 0, None, closed="left")],
        "solver": [Options({"auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga", "lbfgs"})],
        "positive": ["boolean"],
        "random_state": ["random_state"],
        **BACKEND_CONSTRAINTS,
    }
    _accepts_sparse = True  # solved by conjugate gradients on the normal equations, X centred implicitly

    def _fit_centred(self, Xs, Ys, X_offset, y_offset, one_d: bool) -> None:
        """Solve for the centred, weighted Xs (n, p) (or its sparse operator) and Ys (n, t); set coef_,
        intercept_, solver_ and n_iter_."""
        xp = self._xp
        alphas = self._alphas(Ys.shape[1])  # (t,)
        self.solver_, self.n_iter_ = self._choose_solver(alphas), None
        if isinstance(Xs, CentredSparse) and self.solver_ != "lbfgs":  # sparse X: CG, as scikit-learn's "sparse_cg"
            self.solver_ = "sparse_cg"
            max_iter = 10 * (Xs.shape[1] + 1) if self.max_iter is None else self.max_iter
            W, n_iter = normal_equations_cg(xp, Xs, Ys, alphas, tol=self.tol, max_iter=max_iter)
            self.n_iter_ = host_array([n_iter] * Ys.shape[1], "int32")  # (t,)
        elif self.solver_ == "lbfgs":
            max_iter = 15000 if self.max_iter is None else self.max_iter
            W, n_iter, converged = nonnegative_least_squares(xp, Xs, Ys, alphas, tol=self.tol, max_iter=max_iter)
            self.n_iter_ = host_array([n_iter] * Ys.shape[1], "int32")  # (t,): the targets are solved together
            if not converged:
                warn(f"{type(self).__name__}(positive=True) did not converge in max_iter={max_iter} iterations "
                     f"(tol={self.tol}). Increase max_iter, or scale the features.", ConvergenceWarning)
        else:
            W = self._solve(xp, Xs, Ys, alphas)  # (p, t)
        self.coef_, self.intercept_ = ridge_coef(W, X_offset, y_offset, one_d)

    def _choose_solver(self, alphas) -> str:
        """The xpml solver for `solver` (scikit-learn's iterative least-squares solvers map to "cholesky")."""
        if self.positive and self.solver not in ("auto", "lbfgs"):
            raise ValueError(f"solver={self.solver!r} does not support positive=True; use solver='lbfgs' or 'auto'.")
        if self.solver == "lbfgs" and not self.positive:
            raise ValueError("solver='lbfgs' can be used only when positive=True; use another solver.")
        if self.positive:
            return "lbfgs"
        if self.solver == "auto":
            return "svd" if bool(self._xp.any(alphas == 0)) else "cholesky"
        return "svd" if self.solver == "svd" else "cholesky"

    def _solve(self, xp, X, Y, alphas):
        """W (p, t) for the centered X, Y. X and Y are first divided by powers of two near their largest
        entries (exact), so that XᵀX cannot overflow (values of 1e160 gave NaN): with X = c X', Y = d Y',
        (XᵀX + αI) w = XᵀY is (X'ᵀX' + α/c² I) w' = X'ᵀY' with w = w' d / c. A singular system (alpha=0,
        collinear columns) falls back to the least-squares solution with a warning, as in scikit-learn."""
        c, d = _power_of_two_near_max(xp, X), _power_of_two_near_max(xp, Y)
        X, Y, alphas = X / c, Y / d, (alphas / c) / c
        if self.solver_ == "svd":
            return _solve_svd(xp, X, Y, alphas) * (d / c)
        try:
            W = _solve_normal_equations(xp, X, Y, alphas)  # (p, t)
            singular = not bool(xp.all(xp.isfinite(W)))  # jax returns NaN where others raise
        except Exception as exc:  # the library's own LinAlgError: xpml knows no library by name
            if "singular" not in str(exc).lower():
                raise
            singular = True
        if singular:
            warn("Singular matrix in solving the normal equations (solver='cholesky'); using the "
                 "least-squares solution (solver='svd') instead.", LinAlgWarning)
            self.solver_ = "svd"
            W = _solve_svd(xp, X, Y, alphas)
        return W * (d / c)

    def _alphas(self, n_targets: int):
        """alpha as an array of shape (n_targets,) on the backend, checked."""
        xp = self._xp
        if isinstance(self.alpha, Real):
            return xp.full(n_targets, float(self.alpha), dtype=getattr(xp, self._dtype), device=self._device)
        alphas = check_array(self.alpha, self._backend, name="alpha", dtype=self._dtype, ndim=1)
        if alphas.shape[0] != n_targets:
            raise ValueError(f"alpha has {alphas.shape[0]} values, but y has n_targets={n_targets}; "
                             f"give one alpha, or one per target.")
        if bool(xp.any(alphas < 0)):
            raise ValueError(f"alpha should be >= 0; got {self.alpha!r}.")
        return alphas


class Ridge(_BaseRidge, RegressorMixin, BaseEstimator):
    """Linear least squares with an L2 penalty on the coefficients.

    Minimizes Σᵢ sᵢ (yᵢ - xᵢ·w - b)² + alpha ||w||² (the intercept b is not penalized).

    Parameters
    ----------
    alpha : float or array-like of shape (n_targets,), default=1.0
        The penalty strength, >= 0; one value per target is allowed.
    fit_intercept : bool, default=True
        Whether to fit the intercept b. If False, the data are taken to be centred already.
    copy_X : bool, default=True
        Accepted for scikit-learn compatibility: xpml never writes into X.
    max_iter : int or None, default=None
        The most iterations of the iterative solver, used with positive=True (None: 15000, as
        scikit-learn's "lbfgs"). The direct solvers do not iterate.
    tol : float, default=1e-4
        The precision of the iterative solver (positive=True): it stops when max |min(w, ∇f(w))| <=
        tol · max |Xᵀy|, then solves exactly on the support found (see `_positive`). The direct
        solvers are exact and do not use it.
    solver : {"auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga", "lbfgs"}, default="auto"
        "cholesky" solves the normal equations, "svd" uses the SVD of X; "auto" picks "cholesky",
        or "svd" when some alpha is 0 (the normal equations may then be singular), or "lbfgs" with
        positive=True. scikit-learn's iterative solvers "lsqr", "sparse_cg", "sag" and "saga" reach
        the optimum of the same problem, which xpml computes exactly with "cholesky" instead; "lbfgs"
        (positive=True only, as in scikit-learn) is xpml's projected solver for w >= 0.
    positive : bool, default=False
        Constrain the coefficients to be >= 0 (solver "lbfgs" or "auto").
    random_state : int, numpy.random.Generator or None, default=None
        Accepted for scikit-learn compatibility: it seeds only scikit-learn's "sag" and "saga" solvers,
        and xpml's solvers draw no random numbers.
    backend : str or Backend, optional
        Where to compute ("numpy", "cupy", "torch", "jax", ...); None: the backend in force at fit.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in. By default floating input keeps its precision.

    Attributes
    ----------
    coef_ : array of shape (n_features,) or (n_targets, n_features)
    intercept_ : array of shape () or (n_targets,)
    solver_ : str
        The solver used: "cholesky", "svd" or "lbfgs".
    n_iter_ : None or numpy array of shape (n_targets,)
        The iterations of the iterative solver (positive=True); None for the direct solvers.
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.linear_model import Ridge
    >>> model = Ridge(alpha=1.0).fit([[0.0], [1.0], [2.0]], [0.0, 1.0, 2.0])
    >>> round(float(model.coef_[0]), 6)  # Σ(x - x̄)(y - ȳ) / (Σ(x - x̄)² + alpha) = 2 / 3
    0.666667
    """

    _scales_out = True  # on dask: computed per chunk and reduced across chunks (tests/test_dask.py)

    _multi_output = True  # y may be (n_samples, n_targets)

    def __init__(self, alpha: Any = 1.0, *, fit_intercept: bool = True, copy_X: bool = True, max_iter: Any = None,
                 tol: float = 1e-4, solver: str = "auto", positive: bool = False, random_state: Any = None,
                 backend: Any = None, dtype: str | None = None):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.solver = solver
        self.positive = positive
        self.random_state = random_state
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Ridge:
        """Fit the coefficients in closed form.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        Xs, Ys, X_offset, y_offset, _, single_target = self._least_squares_problem(X, y, sample_weight)
        self._fit_centred(Xs, Ys, X_offset, y_offset, single_target)
        return self


def _power_of_two_near_max(xp, A):
    """2^round(log2 max|A|) as a 0-d array (1 for an all-zero A): dividing by it is exact."""
    top = xp.max(xp.abs(A))
    return xp.where(top > 0, 2.0 ** xp.round(xp.log2(xp.where(top > 0, top, 1.0))), 1.0)


def _solve_normal_equations(xp, X, Y, alphas):
    """W of shape (p, t) solving (XᵀX + αₖI) wₖ = Xᵀyₖ for each target k, via the smaller Gram matrix."""
    n, p = X.shape
    primal = n >= p
    A = X.T @ X if primal else X @ X.T  # (m, m), m = min(n, p)
    B = X.T @ Y if primal else Y  # (m, t)
    eye = xp.eye(A.shape[0], dtype=X.dtype, device=X.device)  # (m, m)
    if bool(xp.all(alphas == alphas[0])):
        C = xp.linalg.solve(A + alphas[0] * eye, B)  # (m, t)
    else:
        C = xp.concat([xp.linalg.solve(A + alphas[k] * eye, B[:, k:k + 1]) for k in range(B.shape[1])], axis=1)
    return C if primal else X.T @ C  # dual: w = Xᵀ (XXᵀ + αI)⁻¹ y


def _solve_svd(xp, X, Y, alphas):
    """W of shape (p, t) = V diag(s / (s² + αₖ)) Uᵀ yₖ; singular values below the rank cutoff count as 0."""
    U, s, Vt = xp.linalg.svd(X, full_matrices=False)  # (n, m), (m,), (m, p)
    cutoff = xp.finfo(X.dtype).eps * max(X.shape) * s[0]
    s = s[:, None]  # (m, 1)
    keep = s > cutoff  # (m, 1)
    d = xp.where(keep, s / xp.where(keep, s * s + alphas[None, :], 1.0), 0.0)  # (m, t)
    return Vt.T @ (d * (U.T @ Y))  # (p, t)
