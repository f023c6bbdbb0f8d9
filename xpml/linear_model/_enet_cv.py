"""LassoCV and ElasticNetCV: the penalty strength α (and the L1 share ρ) chosen by cross-validation.

For each ρ of `l1_ratio`, a grid of α is made on all the data, from α_max (where every coefficient is 0)
down to eps·α_max (`_path.alpha_grid`; with an intercept, on the centred, weighted data). For each fold
of `cv`, the regularization path along that grid is fitted on the training rows (centred on their own
weighted means, each fit warm-started from the last: `_path.fit_path`), and the held-out rows' mean
squared error (weighted by sample_weight) is recorded for every α: `mse_path_`. The (ρ, α) of the
lowest error averaged over the folds wins, and an ElasticNet with it is fitted on all the data.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from .._backend import to_backend
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, RegressorMixin
from ..utils._csr import take_rows
from ..utils._host import as_host
from ..utils._param_validation import Interval, Options
from ..utils.validation import check_sample_weight
from ._base import LinearModel, centre
from ._elastic_net import ElasticNet
from ._enet_solver import LeastSquares, uses_gram
from ._path import path_grid, enet_path, fit_path, lasso_path

__all__ = ["ElasticNetCV", "LassoCV"]


class _ElasticNetCVBase(LinearModel, RegressorMixin, BaseEstimator):
    """What LassoCV and ElasticNetCV share: the search over the folds, then the refit."""

    _squares_X = True  # as ElasticNet
    _accepts_sparse = True

    def _l1_ratios(self) -> list[float]:
        raise NotImplementedError

    def fit(self, X: Any, y: Any, sample_weight: Any = None, **params: Any):
        """Choose α (and ρ) by cross-validation, then fit ElasticNet with them on all the data.

        Parameters
        ----------
        X : array-like or sparse matrix of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Weighs the fits and the held-out errors.
        **params
            Passed to the splitter's `split` (groups=...).

        Returns
        -------
        self
        """
        from ..model_selection import check_cv

        X, y = self._validate_data(X, y, multi_output=False)  # (n, p), (n,)
        xp, ratios = self._xp, self._l1_ratios()
        w = check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)  # (n,)
        Xs, Ys, _, _ = centre(xp, X, y[:, None], w, self.fit_intercept)  # the grid's α_max: on all the data
        c0 = Xs.T @ Ys / float(xp.sum(w))  # (p, 1): the correlations of the features and y
        grids = [path_grid(c0, self.alphas, None, ratio, self.eps, self.positive) for ratio in ratios]
        folds = list(check_cv(self.cv).split(X, as_host(y, "y"), **params))
        errors = [[self._held_out_errors(X, y, w, train, test, grid, ratio) for train, test in folds]
                  for ratio, grid in zip(ratios, grids)]  # (n_ratios, n_folds) lists of (n_alphas,) errors
        mean = [[sum(fold[k] for fold in by_ratio) / len(folds) for k in range(len(grid))]
                for by_ratio, grid in zip(errors, grids)]  # (n_ratios, n_alphas)
        best = min(((m, -r, -k) for r, row in enumerate(mean) for k, m in enumerate(row)))  # ties: the first
        r, k = -best[1], -best[2]
        self.alpha_, self.l1_ratio_ = grids[r][k], ratios[r]
        mse = [[[fold[k] for fold in by_ratio] for k in range(len(grid))] for by_ratio, grid in zip(errors, grids)]
        self.mse_path_ = self._squeezed(mse)  # (n_ratios, n_alphas, n_folds), lengths of 1 dropped
        given = not (self.alphas is None or isinstance(self.alphas, Integral))
        self.alphas_ = self._squeezed(grids[:1] if given or len(ratios) == 1 else grids, keep=1)
        refit = ElasticNet(alpha=self.alpha_, l1_ratio=self.l1_ratio_, fit_intercept=self.fit_intercept,
                           precompute=self._precompute(), max_iter=self.max_iter, tol=self.tol,
                           positive=self.positive, random_state=self.random_state, selection=self.selection,
                           backend=self._backend, dtype=self._dtype).fit(X, y, sample_weight=sample_weight)
        self.coef_, self.intercept_ = refit.coef_, refit.intercept_
        self.dual_gap_, self.n_iter_ = refit.dual_gap_, refit.n_iter_
        return self

    def _held_out_errors(self, X, y, w, train, test, grid, ratio) -> list[float]:
        """The weighted mean squared error on the rows `test` of the path fitted on the rows `train`, per α."""
        xp, backend = self._xp, self._backend
        train, test = to_backend(train, backend), to_backend(test, backend)
        w_train, w_test = xp.take(w, train), xp.take(w, test)
        Xs, Ys, X_offset, y_offset = centre(xp, take_rows(X, train, xp=xp), xp.take(y, train)[:, None], w_train,
                                            self.fit_intercept)
        ls = LeastSquares(xp, Xs, Ys, float(xp.sum(w_train)), uses_gram(self.precompute, Xs))
        W0 = xp.zeros((Xs.shape[1], 1), dtype=Ys.dtype, device=Ys.device)
        coefs, _, _ = fit_path(xp, ls, grid, ratio, W0, positive=self.positive, grouped=False,
                               max_iter=self.max_iter, tol=self.tol, verbose=max(0, int(self.verbose) - 1))
        W = xp.concat(coefs, axis=1)  # (p, n_alphas)
        residual = take_rows(X, test, xp=xp) @ W + (y_offset - X_offset @ W) - xp.take(y, test)[:, None]
        mse = (w_test @ (residual * residual)) / xp.sum(w_test)  # (n_alphas,)
        return [float(v) for v in as_host(mse).tolist()]

    def _precompute(self):
        """precompute as ElasticNet takes it: "auto" is its False (the Gram matrix when n_samples >= n_features)."""
        return False if isinstance(self.precompute, str) else self.precompute

    def _squeezed(self, nested, keep: int = 0):
        """Nested lists of numbers as a backend array without its axes of length 1 (as numpy's squeeze), keeping at
        least `keep` axes."""
        xp = self._xp
        array = xp.asarray(nested, dtype=getattr(xp, self._dtype), device=self._backend.device)
        shape = [d for d in array.shape if d != 1]
        return xp.reshape(array, tuple(shape) if len(shape) >= keep else (-1,))


_CV_CONSTRAINTS = {
    "eps": [Interval(Real, 0, None, closed="neither")],
    "alphas": [Interval(Integral, 1, None, closed="left"), "array-like"],
    "fit_intercept": ["boolean"],
    "precompute": [Options({"auto"}), "boolean", "array-like"],
    "max_iter": [Interval(Integral, 1, None, closed="left")],
    "tol": [Interval(Real, 0, None, closed="left")],
    "copy_X": ["boolean"],
    "verbose": [Interval(Integral, 0, None, closed="left"), "boolean"],
    "n_jobs": [Integral, None],
    "positive": ["boolean"],
    "random_state": ["random_state"],
    "selection": [Options({"cyclic", "random"})],
    **BACKEND_CONSTRAINTS,
}

_CV_PARAMETERS = """eps : float, default=1e-3
        The grid's length: its smallest α is eps times the largest.
    alphas : int or array-like, default=100
        The number of α of the grid, or the α to try.
    fit_intercept : bool, default=True
    precompute : "auto", bool or array-like, default="auto"
        Whether the fits work on the Gram matrix XᵀX ("auto": when n_samples >= n_features); a given Gram
        matrix is recomputed rather than trusted.
    max_iter : int, default=1000
        The most FISTA iterations of each fit.
    tol : float, default=1e-4
        Each fit stops when its duality gap is <= tol · ||y - ȳ||² / Σsᵢ.
    copy_X : bool, default=True
        Accepted for scikit-learn compatibility: xpml never writes into X.
    cv : int, splitter or iterable of (train, test) pairs, optional
        The folds (None: 5, KFold).
    verbose : bool or int, default=False
    n_jobs : int, optional
        Accepted for scikit-learn compatibility; the folds are fitted one after another, on the backend.
    positive : bool, default=False
        Constrain the coefficients to be >= 0.
    random_state, selection
        Accepted for scikit-learn compatibility (ElasticNet's: FISTA draws no random numbers).
    backend : str or Backend, optional
        Where to compute; None: the backend in force at fit.
    dtype : {"float32", "float64"}, optional"""

_CV_ATTRIBUTES = """alpha_ : float
        The α chosen.
    alphas_ : array of shape (n_alphas,) (or (n_l1_ratio, n_alphas) for a grid per ρ)
    mse_path_ : array of shape (n_alphas, n_folds) (or (n_l1_ratio, n_alphas, n_folds))
        The held-out mean squared error of each fold, for each α.
    coef_ : array of shape (n_features,)
    intercept_ : float array of shape ()
    dual_gap_ : float
    n_iter_ : int
        Those of the final fit, on all the data.
    n_features_in_ : int"""


class LassoCV(_ElasticNetCVBase):
    __doc__ = f"""The lasso with its α chosen by cross-validation along the regularization path.

    Parameters
    ----------
    {_CV_PARAMETERS}

    Attributes
    ----------
    {_CV_ATTRIBUTES}
    """

    _parameter_constraints = _CV_CONSTRAINTS

    def __init__(self, *, eps: float = 1e-3, alphas: Any = 100, fit_intercept: bool = True, precompute: Any = "auto",
                 max_iter: int = 1000, tol: float = 1e-4, copy_X: bool = True, cv: Any = None,
                 verbose: int | bool = False, n_jobs: Any = None, positive: bool = False, random_state: Any = None,
                 selection: str = "cyclic", backend: Any = None, dtype: str | None = None):
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.copy_X = copy_X
        self.cv = cv
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.backend = backend
        self.dtype = dtype

    path = staticmethod(lasso_path)  # as scikit-learn's

    def _l1_ratios(self) -> list[float]:
        return [1.0]

    def fit(self, X: Any, y: Any, sample_weight: Any = None, **params: Any):
        super().fit(X, y, sample_weight, **params)
        del self.l1_ratio_  # scikit-learn's LassoCV has none
        return self

    fit.__doc__ = _ElasticNetCVBase.fit.__doc__


class ElasticNetCV(_ElasticNetCVBase):
    __doc__ = f"""The elastic net with α and the L1 share ρ chosen by cross-validation along the regularization path.

    Parameters
    ----------
    l1_ratio : float or list of float, default=0.5
        The L1 shares ρ to try, in [0, 1] (0 only with given alphas: no grid ends where every coefficient is 0).
    {_CV_PARAMETERS}

    Attributes
    ----------
    l1_ratio_ : float
        The ρ chosen.
    {_CV_ATTRIBUTES}
    """

    _parameter_constraints = {**_CV_CONSTRAINTS, "l1_ratio": [Interval(Real, 0, 1, closed="both"), "array-like"]}
    path = staticmethod(enet_path)  # as scikit-learn's

    def __init__(self, *, l1_ratio: Any = 0.5, eps: float = 1e-3, alphas: Any = 100, fit_intercept: bool = True,
                 precompute: Any = "auto", max_iter: int = 1000, tol: float = 1e-4, cv: Any = None,
                 copy_X: bool = True, verbose: int | bool = 0, n_jobs: Any = None, positive: bool = False,
                 random_state: Any = None, selection: str = "cyclic", backend: Any = None, dtype: str | None = None):
        self.l1_ratio = l1_ratio
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.copy_X = copy_X
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.backend = backend
        self.dtype = dtype

    def _l1_ratios(self) -> list[float]:
        given = as_host(self.l1_ratio, "l1_ratio") if not isinstance(self.l1_ratio, dict) else None
        if given is None or given.dtype.kind not in "iuf":
            raise TypeError(f"l1_ratio={self.l1_ratio!r} should be a number or a list of numbers in [0, 1].")
        ratios = [float(r) for r in given.reshape(-1).tolist()]
        if not ratios or not all(0.0 <= r <= 1.0 for r in ratios):
            raise ValueError(f"l1_ratio={self.l1_ratio!r} should be a number or numbers in [0, 1].")
        return ratios
