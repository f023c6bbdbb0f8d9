"""Ordinary least squares, and what every linear model shares: centring and prediction.

A linear model predicts ŷ = X w + b. LinearRegression chooses w and b to minimize the (weighted)
sum of squared residuals, Σᵢ sᵢ (yᵢ - xᵢ·w - b)².

With an intercept, the problem splits: centre X and y on their weighted means x̄ and ȳ, solve for w
without intercept, then b = ȳ - x̄·w. Weights enter by scaling each row by √sᵢ. The least-squares
problem itself is solved by a QR factorization followed by an SVD of the small factor R
(`xpml.utils._linalg.lstsq`), which is accurate and gives the minimum-norm answer when features are
collinear.

Reference: Golub & Van Loan, Matrix Computations (4th ed.), sections 5.3 and 5.5.
"""

from __future__ import annotations

from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, RegressorMixin
from ..utils._linalg import lstsq
from ..utils.validation import check_sample_weight

__all__ = ["LinearModel", "LinearRegression", "center_data"]


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


class LinearModel:
    """What linear models share: `coef_` of shape (n_targets, n_features) or (n_features,)."""

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


class LinearRegression(LinearModel, RegressorMixin, BaseEstimator):
    """Ordinary least squares linear regression.

    Parameters
    ----------
    fit_intercept : bool, default=True
        Whether to fit the intercept b. If False, the data are taken to be centred already.
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
        The rank of the (centred, weighted) X.
    singular_values_ : array of shape (min(n_samples, n_features),)
        The singular values of the (centred, weighted) X.
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.linear_model import LinearRegression
    >>> model = LinearRegression().fit([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0])
    >>> round(float(model.coef_[0]), 6), round(float(model.intercept_), 6)
    (2.0, 1.0)
    """

    _parameter_constraints = {"fit_intercept": ["boolean"], **BACKEND_CONSTRAINTS}
    _multi_output = True

    def __init__(self, *, fit_intercept: bool = True, backend: Any = None, dtype: str | None = None):
        self.fit_intercept = fit_intercept
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
        X, y = self._validate_data(X, y)
        xp = self._xp
        single_target = y.ndim == 1
        Y = y[:, None] if single_target else y  # (n, t)
        w = check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)
        Xs, Ys, X_offset, y_offset = center_data(xp, X, Y, w, self.fit_intercept)
        W, self.rank_, self.singular_values_ = lstsq(Xs, Ys, xp=xp)  # (p, t)
        self._set_coef(xp, W, X_offset, y_offset, single_target)
        return self
