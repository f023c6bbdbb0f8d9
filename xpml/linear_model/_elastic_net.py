"""Lasso and elastic net: least squares with L1 (and L2) penalties.

Both minimize scikit-learn's objective (weights sᵢ optional, S = Σᵢ sᵢ)

    P(w) = 1/(2S) Σᵢ sᵢ (yᵢ - xᵢ·w - b)²  +  α ρ ||w||₁  +  α (1 - ρ)/2 ||w||²

with ρ = l1_ratio (1 for the lasso). The intercept is not penalized: X and y are centred on their
weighted means and rows scaled by √sᵢ (`center_data`), and b = ȳ - x̄·w at the end. The solver,
FISTA stopped on scikit-learn's duality gap, is in `_enet_solver.py`; the path over a grid of α
(`enet_path`, `lasso_path`, the estimators' `path`) in `_path.py`.
"""

from __future__ import annotations

import math

from numbers import Integral, Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, RegressorMixin, check_is_fitted
from ..exceptions import ConvergenceWarning
from ..utils._param_validation import Interval, Options
from ..utils._sparse import host_csr
from ..utils._warnings import warn
from ._base import LinearModel
from ._enet_solver import LeastSquares, solve, uses_gram
from ._path import enet_path

__all__ = ["ElasticNet", "Lasso"]


class _ElasticNetBase(LinearModel, RegressorMixin, BaseEstimator):
    """What Lasso and ElasticNet share: the fit."""

    _squares_X = True  # squared distances / variances of X: values beyond ~1e150 are refused at input
    _accepts_sparse = True  # X centred implicitly, an operator (`_sparse_lsq`)

    _multi_output = True  # y may be (n_samples, n_targets)
    _grouped = False  # the multi-task penalty: each feature's row of coefficients shrunk by its length


    path = staticmethod(enet_path)  # as scikit-learn's: Lasso.path too is enet_path, l1_ratio=0.5 by default

    def _l1_ratio(self) -> float:
        raise NotImplementedError

    @property
    def sparse_coef_(self):
        """coef_ as a scipy.sparse CSR matrix on the host, of shape (1, n_features) or (n_targets, n_features),
        as scikit-learn gives it (scipy is imported here, only when this is read)."""
        check_is_fitted(self)
        return host_csr(self.coef_)

    def fit(self, X: Any, y: Any, sample_weight: Any = None, check_input: bool = True):
        """Fit the coefficients by FISTA until the duality gap is <= tol · ||y||² / S.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), optional
        check_input : bool, default=True
            Accepted for scikit-learn compatibility; xpml always checks its input (the check is what
            moves it to the backend).

        Returns
        -------
        self
        """
        Xs, Ys, X_offset, y_offset, w, single_target = self._least_squares_problem(X, y, sample_weight)
        if self._grouped and single_target:
            raise ValueError(f"{type(self).__name__} fits several targets: y should be 2-D, of shape (n_samples, "
                             f"n_targets); for one target, use {type(self).__name__.removeprefix('MultiTask')}.")
        xp = self._xp
        l1, l2 = self.alpha * self._l1_ratio(), self.alpha * (1.0 - self._l1_ratio())
        ls = LeastSquares(xp, Xs, Ys, float(xp.sum(w)), self._use_gram(Xs))
        W0 = self._start(Xs.shape[1], Ys.shape[1], Ys)  # (p, t)
        warm = self.warm_start and "coef_" in vars(self)  # the gap is then tested early: W0 may be near the end
        result = solve(xp, ls, W0, l1, l2, positive=self.positive, grouped=self._grouped, max_iter=self.max_iter,
                       tol=self.tol, warm=warm, verbose=self.verbose)
        self.n_iter_, self.dual_gap_ = result.n_iter, result.gap
        if self._grouped:  # scikit-learn's multi-task eps_: tol times ||Y - Ȳ||², the weights summing to n_samples
            self.eps_ = self.tol * ls.tol_scale * Xs.shape[0]
        if not result.converged:
            warn(
                f"{type(self).__name__} did not converge in max_iter={self.max_iter} iterations: the duality gap "
                f"is {self.dual_gap_:.3g}. Increase max_iter or tol, or scale the features.",
                ConvergenceWarning,
            )
        self._set_coef(xp, result.W, X_offset, y_offset, single_target)
        return self

    def _use_gram(self, X) -> bool:
        return uses_gram(self.precompute, X)

    def _start(self, p: int, t: int, like):
        """The first iterate, (p, t): zeros, or with warm_start the previous fit's coef_ (if it fits)."""
        xp = self._xp
        coef = vars(self).get("coef_")
        if self.warm_start and coef is not None and math.prod(coef.shape) == p * t:
            W0 = xp.reshape(self._to_backend(coef, self._dtype), (t, p)).T
            return xp.maximum(W0, 0.0) if self.positive else W0
        return xp.zeros((p, t), dtype=like.dtype, device=like.device)


_SHARED_CONSTRAINTS = {
    "alpha": [Interval(Real, 0, None, closed="neither")],
    "fit_intercept": ["boolean"],
    "max_iter": [Interval(Integral, 1, None, closed="left")],
    "tol": [Interval(Real, 0, None, closed="left")],
    "precompute": ["boolean", "array-like"],
    "copy_X": ["boolean"],
    "warm_start": ["boolean"],
    "positive": ["boolean"],
    "random_state": ["random_state"],
    "selection": [Options({"cyclic", "random"})],
    "verbose": [Interval(Integral, 0, None, closed="left"), "boolean"],
    **BACKEND_CONSTRAINTS,
}

_SHARED_PARAMETERS = """alpha : float, default=1.0
        The penalty strength, > 0 (for alpha = 0, use LinearRegression).
    fit_intercept : bool, default=True
        Whether to fit the (unpenalized) intercept.
    precompute : bool or array-like of shape (n_features, n_features), default=False
        Whether FISTA works on the Gram matrix XᵀX (p × p) instead of X. It changes the speed, not the
        result. True (or a Gram matrix, which xpml recomputes from the centred, weighted X rather
        than trust) forces it; False uses it when n_samples >= n_features.
    copy_X : bool, default=True
        Accepted for scikit-learn compatibility: xpml never writes into X.
    max_iter : int, default=1000
        The most FISTA iterations.
    tol : float, default=1e-4
        Stop when the duality gap is <= tol · ||y - ȳ||² / Σsᵢ (scikit-learn's criterion).
    warm_start : bool, default=False
        Start from the previous fit's coef_ (when its shape fits) instead of zeros.
    positive : bool, default=False
        Constrain the coefficients to be >= 0 (the proximal step becomes max(v - step·alpha·ρ, 0)).
    random_state : int, numpy.random.Generator or None, default=None
        Accepted for scikit-learn compatibility: it seeds scikit-learn's selection="random", and
        FISTA draws no random numbers.
    selection : {"cyclic", "random"}, default="cyclic"
        The order of scikit-learn's coordinate descent. FISTA updates every coefficient at each
        step, so the value is checked and has no effect: the optimum is the same.
    verbose : int, default=0
        Print the duality gap every 10 iterations if > 0.
    backend : str or Backend, optional
        Where to compute ("numpy", "cupy", "torch", "jax", ...); None: the backend in force at fit.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in. By default floating input keeps its precision."""

_ATTRIBUTES = """coef_ : array of shape (n_features,) or (n_targets, n_features)
    intercept_ : array of shape () or (n_targets,)
    sparse_coef_ : scipy.sparse CSR matrix of shape (1, n_features) or (n_targets, n_features)
        coef_ on the host, as a sparse matrix (a property; needs scipy).
    n_iter_ : int
        FISTA iterations run.
    dual_gap_ : float
        The duality gap of the mean objective P at the last check.
    n_features_in_ : int"""


class ElasticNet(_ElasticNetBase):
    __doc__ = f"""Linear regression with combined L1 and L2 penalties.

    Minimizes 1/(2S) Σᵢ sᵢ (yᵢ - xᵢ·w - b)² + alpha·l1_ratio·||w||₁ + alpha·(1 - l1_ratio)/2·||w||².

    Parameters
    ----------
    {_SHARED_PARAMETERS}
    l1_ratio : float, default=0.5
        The share of the L1 penalty, in [0, 1]: 1 is the lasso, 0 ridge.

    Attributes
    ----------
    {_ATTRIBUTES}
    """

    _parameter_constraints = {**_SHARED_CONSTRAINTS, "l1_ratio": [Interval(Real, 0, 1, closed="both")]}

    def __init__(self, alpha: float = 1.0, *, l1_ratio: float = 0.5, fit_intercept: bool = True,
                 precompute: Any = False, max_iter: int = 1000, copy_X: bool = True, tol: float = 1e-4,
                 warm_start: bool = False, positive: bool = False, random_state: Any = None,
                 selection: str = "cyclic", verbose: int = 0, backend: Any = None, dtype: str | None = None):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.copy_X = copy_X
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.verbose = verbose
        self.backend = backend
        self.dtype = dtype

    def _l1_ratio(self) -> float:
        return float(self.l1_ratio)


class Lasso(_ElasticNetBase):
    __doc__ = f"""Linear regression with an L1 penalty: sparse coefficients.

    Minimizes 1/(2S) Σᵢ sᵢ (yᵢ - xᵢ·w - b)² + alpha·||w||₁.

    Parameters
    ----------
    {_SHARED_PARAMETERS}

    Attributes
    ----------
    {_ATTRIBUTES}

    Examples
    --------
    >>> from xpml.linear_model import Lasso
    >>> model = Lasso(alpha=0.1).fit([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0]], [0.0, 1.0, 2.0])
    >>> [round(float(c), 4) for c in model.coef_]
    [0.85, 0.0]
    """

    _parameter_constraints = _SHARED_CONSTRAINTS

    def __init__(self, alpha: float = 1.0, *, fit_intercept: bool = True, precompute: Any = False,
                 copy_X: bool = True, max_iter: int = 1000, tol: float = 1e-4, warm_start: bool = False,
                 positive: bool = False, random_state: Any = None, selection: str = "cyclic", verbose: int = 0,
                 backend: Any = None, dtype: str | None = None):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.verbose = verbose
        self.backend = backend
        self.dtype = dtype

    def _l1_ratio(self) -> float:
        return 1.0
