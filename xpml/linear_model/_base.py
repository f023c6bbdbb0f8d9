"""Ordinary least squares, and what the linear models share: the least-squares opening (validate,
weigh, centre), prediction, and the linear classifiers' scores, labels and probabilities.

A linear model predicts ŷ = X w + b. LinearRegression chooses w and b to minimize the (weighted)
sum of squared residuals, Σᵢ sᵢ (yᵢ - xᵢ·w - b)².

With an intercept, the problem splits: centre X and y on their weighted means x̄ and ȳ, solve for w
without intercept, then b = ȳ - x̄·w. Weights enter by scaling each row by √sᵢ. The least-squares
problem itself is solved by a QR factorization followed by an SVD of the small factor R
(`xpml.utils._linalg.lstsq`), which is accurate and gives the minimum-norm answer when features are
collinear.

A linear classifier (LogisticRegression, SGDClassifier, LinearSVC) gives each sample the scores
Z = X Wᵀ + b, one column for two classes (> 0 means classes_[1]) or one per class (the highest wins);
`LinearClassifierMixin` turns them into `decision_function`, `predict` and, where the model defines
how, `predict_proba`.

Reference: Golub & Van Loan, Matrix Computations (4th ed.), sections 5.3 and 5.5.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, NamedTuple

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, RegressorMixin
from ..exceptions import ConvergenceWarning
from ..utils._available_if import available_if
from ..utils._linalg import lstsq
from ..utils._param_validation import Interval
from ..utils._warnings import warn
from ..utils.validation import check_sample_weight
from ..utils._csr import is_csr
from ._positive import nonnegative_least_squares
from ._sparse_lsq import CentredSparse, centred_sparse, normal_equations_cg

__all__ = ["LinearClassifierMixin", "LinearModel", "LinearRegression", "center_data", "centre"]

_POSITIVE_MAX_ITER = 10_000  # FISTA iterations of LinearRegression(positive=True), which has no max_iter
_CG_MAX_ITER = 10_000  # conjugate-gradient iterations of LinearRegression on sparse X, which has no max_iter


def center_data(xp, X, y, sample_weight, fit_intercept: bool):
    """Centre X and y on their weighted means (if fitting an intercept) and scale rows by √weight.

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples, n_targets)
    sample_weight : array of shape (n_samples,)

    Returns
    -------
    X_scaled : (n_samples, n_features), y_scaled : (n_samples, n_targets),
    X_offset : (n_features,), y_offset : (n_targets,)
    """
    if fit_intercept:
        w = sample_weight / xp.sum(sample_weight)  # (n,)
        X_offset = w @ X  # (p,)
        y_offset = w @ y  # (t,)
        X, y = X - X_offset, y - y_offset
    else:
        X_offset = xp.zeros(X.shape[1], dtype=X.dtype, device=X.device)
        y_offset = xp.zeros(y.shape[1], dtype=y.dtype, device=y.device)
    root_w = xp.sqrt(sample_weight)[:, None]  # (n, 1)
    return X * root_w, y * root_w, X_offset, y_offset


def centre(xp, X, Y, sample_weight, fit_intercept: bool):
    """`center_data`, or for a sparse X `centred_sparse` (centred implicitly, an operator: `_sparse_lsq`)."""
    return (centred_sparse if is_csr(X) else center_data)(xp, X, Y, sample_weight, fit_intercept)


class LeastSquaresProblem(NamedTuple):
    """A least-squares fit's data, validated, weighted and centred (`LinearModel._least_squares_problem`)."""

    X: Any  # (n_samples, n_features): centred (with an intercept) and rows scaled by √weight
    Y: Any  # (n_samples, n_targets): likewise
    X_offset: Any  # (n_features,): the weighted means of X's columns (zeros without an intercept)
    y_offset: Any  # (n_targets,)
    sample_weight: Any  # (n_samples,)
    single_target: bool  # y was 1-D: coef_ is (n_features,)


class LinearModel:
    """What linear models share: `coef_` of shape (n_targets, n_features) or (n_features,)."""

    def _least_squares_problem(self, X: Any, y: Any, sample_weight: Any) -> LeastSquaresProblem:
        """The opening of every least-squares fit (LinearRegression, Ridge, Lasso, ElasticNet): validate X
        and y, check the sample weights, centre and scale (`center_data`)."""
        X, y = self._validate_data(X, y)
        single_target = y.ndim == 1
        Y = y[:, None] if single_target else y  # (n, t)
        w = check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)  # (n,)
        return LeastSquaresProblem(*centre(self._xp, X, Y, w, self.fit_intercept), w, single_target)

    def _decision(self, X):
        """X @ coef_.T + intercept_, on the backend. (n_samples,) or (n_samples, n_targets)."""
        W = self.coef_ if self.coef_.ndim == 1 else self.coef_.T  # (p,) or (p, t)
        return X @ W + self.intercept_

    def _set_coef(self, xp, W, X_offset, y_offset, single_target: bool) -> None:
        """Store W (n_features, n_targets) as `coef_` and b = ȳ - x̄·W as `intercept_`."""
        intercept = y_offset - X_offset @ W  # (t,)
        self.coef_ = W.T[0, :] if single_target else W.T  # (p,) or (t, p)
        self.intercept_ = intercept[0] if single_target else intercept

    def predict(self, X: Any):
        """Predicted values, of shape (n_samples,) or (n_samples, n_targets)."""
        X_in = X
        X = self._validate_data(X, reset=False)
        return self._output(self._decision(X), X_in)



class LinearClassifierMixin:
    """`decision_function`, `predict` and `predict_proba` of a linear classifier, from `coef_` (k, p),
    `intercept_` (k,) and `classes_`, with k = 1 for two classes.

    A model with probabilities defines `_proba(Z)` and `_log_proba(Z)` (scores (n, k) to (n, n_classes));
    one whose probabilities depend on its parameters overrides `_check_proba` to say when they exist.
    """

    def _scores(self, X):
        """Validated X (n_samples, n_features) -> the scores Z = X Wᵀ + b, (n_samples, k)."""
        return X @ self.coef_.T + self.intercept_

    def decision_function(self, X: Any):
        """The class scores x·w + b: (n_samples,) for two classes (> 0 means classes_[1]), else
        (n_samples, n_classes).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : array of shape (n_samples,) or (n_samples, n_classes)
        """
        Z = self._scores(self._validate_X(X, reset=False))  # (n, k)
        return self._output(Z[:, 0] if Z.shape[1] == 1 else Z, X)

    def predict(self, X: Any):
        """The class of each sample, shape (n_samples,), as a label of `classes_`: classes_[1] where the
        score is > 0 (two classes), else the class of highest score."""
        xp, Z = self._xp, self._scores(self._validate_X(X, reset=False))  # (n, k)
        if Z.shape[1] > 1:
            return self._labels(xp.argmax(Z, axis=1), X)
        index_dtype = xp.__array_namespace_info__().default_dtypes(device=Z.device)["indexing"]
        return self._labels(xp.astype(Z[:, 0] > 0, index_dtype), X)

    @available_if(lambda self: self._check_proba() or True)  # a method named predict_proba, as scikit-learn asks
    def predict_proba(self, X: Any):
        """The probability of each class, shape (n_samples, n_classes), columns in the order of `classes_`."""
        return self._output(self._proba(self._scores(self._validate_X(X, reset=False))), X)

    @available_if(lambda self: self._check_proba() or True)
    def predict_log_proba(self, X: Any):
        """The logarithm of `predict_proba`, shape (n_samples, n_classes)."""
        return self._output(self._log_proba(self._scores(self._validate_X(X, reset=False))), X)

    def _check_proba(self) -> None:
        """Raise AttributeError where this model's scores are not probabilities (hasattr then says False)."""
        if not hasattr(self, "_proba"):
            raise AttributeError(f"{type(self).__name__} has no predict_proba: its scores are not probabilities.")


class LinearRegression(LinearModel, RegressorMixin, BaseEstimator):
    """Ordinary least squares linear regression.

    Parameters
    ----------
    fit_intercept : bool, default=True
        Whether to fit the intercept b. If False, the data are taken to be centred already.
    copy_X : bool, default=True
        Accepted for scikit-learn compatibility: xpml never writes into X (its arrays are never
        modified in place), so X is left untouched either way.
    tol : float, default=1e-6
        The precision of the solution with positive=True: the non-negative solver stops when
        max |min(w, ∇f(w))| <= tol · max |Xᵀy| (see `_positive`), then solves exactly on the support
        found. scikit-learn uses it for its sparse-input solver; the unconstrained fit, a direct
        solve, does not use it.
    n_jobs : int or None, default=None
        Accepted for scikit-learn compatibility; it tunes only scikit-learn's own threading. xpml's
        parallelism is that of its backend.
    positive : bool, default=False
        Constrain the coefficients to be >= 0 (non-negative least squares).
    backend : str or Backend, optional
        Where to compute: "numpy", "cupy", "torch", "jax", "array_api_strict", optionally with a
        device ("torch:cuda"). None uses the backend in force at fit time (`xpml.set_backend`).
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in. By default floating input keeps its precision.

    Attributes
    ----------
    coef_ : array of shape (n_features,) or (n_targets, n_features)
    intercept_ : array of shape () or (n_targets,)
    rank_ : int
        The rank of the (centred, weighted) X. Not set with positive=True (as in scikit-learn).
    singular_ : array of shape (min(n_samples, n_features),)
        The singular values of the (centred, weighted) X. Not set with positive=True.
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.linear_model import LinearRegression
    >>> model = LinearRegression().fit([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0])
    >>> round(float(model.coef_[0]), 6), round(float(model.intercept_), 6)
    (2.0, 1.0)
    """

    _scales_out = True  # on dask: computed per chunk and reduced across chunks (tests/test_dask.py)

    _parameter_constraints = {
        "fit_intercept": ["boolean"],
        "copy_X": ["boolean"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "n_jobs": [None, Interval(Integral, None, None)],
        "positive": ["boolean"],
        **BACKEND_CONSTRAINTS,
    }
    _multi_output = True

    _accepts_sparse = True  # solved by conjugate gradients on the normal equations, X centred implicitly

    def __init__(self, *, fit_intercept: bool = True, copy_X: bool = True, tol: float = 1e-6, n_jobs: Any = None,
                 positive: bool = False, backend: Any = None, dtype: str | None = None):
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.tol = tol
        self.n_jobs = n_jobs
        self.positive = positive
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LinearRegression:
        """Fit by least squares.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        problem = self._least_squares_problem(X, y, sample_weight)
        xp = self._xp
        if self.positive:
            zero = xp.zeros(problem.Y.shape[1], dtype=problem.Y.dtype, device=problem.Y.device)  # (t,): α = 0
            W, _, converged = nonnegative_least_squares(xp, problem.X, problem.Y, zero, tol=self.tol,
                                                        max_iter=_POSITIVE_MAX_ITER)
            if not converged:
                warn(f"LinearRegression(positive=True) did not converge in {_POSITIVE_MAX_ITER} iterations "
                     f"(tol={self.tol}). Scale the features, or raise tol.", ConvergenceWarning)
        elif isinstance(problem.X, CentredSparse):  # sparse X: CGLS, the minimum-norm least-squares solution
            zero = xp.zeros(problem.Y.shape[1], dtype=problem.Y.dtype, device=problem.Y.device)  # (t,): α = 0
            W, _ = normal_equations_cg(xp, problem.X, problem.Y, zero, tol=self.tol, max_iter=_CG_MAX_ITER)
        else:
            W, self.rank_, self.singular_ = lstsq(problem.X, problem.Y, xp=xp)  # (p, t)
        self._set_coef(self._xp, W, problem.X_offset, problem.y_offset, problem.single_target)
        return self
