"""Kernel ridge regression: least squares with an L2 penalty, in the feature space of a kernel.

Ridge regression in a feature space φ minimizes Σᵢ sᵢ (yᵢ - w·φ(xᵢ))² + α ‖w‖². Its minimizer is a
combination of the training points, w = Σᵢ cᵢ φ(xᵢ), so only inner products k(x, x') = φ(x)·φ(x')
are needed (the kernel trick). With the kernel matrix K (n, n) and S = diag(s) the sample weights,
the dual coefficients solve

    (S^½ K S^½ + α I) c̃ = S^½ y,     c = S^½ c̃,

one symmetric positive definite system (for a kernel that is positive semi-definite and α > 0),
solved once for all targets, and a prediction is f(x) = Σᵢ cᵢ k(x, xᵢ): a product with the kernel
between the new points and the training points, taken a block of rows at a time
(`xpml.metrics.pairwise.kernel_dot`). There is no intercept (center y, or use a kernel with a
constant term, for one).

Reference: C. Saunders, A. Gammerman & V. Vovk, "Ridge regression learning algorithm in dual
variables", ICML 1998; K. P. Murphy, "Machine Learning: a Probabilistic Perspective", 2012, 14.4.3.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, RegressorMixin
from ..metrics.pairwise import KERNEL_PARAMS, Kernel, kernel_dot, kernel_matrix
from ..utils._linalg import lstsq
from ..utils._param_validation import Interval, Options
from ..utils._warnings import warn
from ..utils.validation import check_sample_weight

__all__ = ["KernelRidge"]


class KernelRidge(RegressorMixin, BaseEstimator):
    """Kernel ridge regression: ridge regression with the kernel trick, solved in its dual.

    Parameters
    ----------
    alpha : float or array-like of shape (n_targets,), default=1
        The penalty's strength α > 0 (one per target, if an array).
    kernel : {"linear", "poly", "polynomial", "rbf", "sigmoid", "cosine", "precomputed"}, default="linear"
        The kernel (see `xpml.metrics.pairwise`); "precomputed": X is the kernel matrix itself, (n, n)
        at fit and (n_new, n) at predict.
    gamma : float, optional
        The kernel's γ for rbf, poly and sigmoid; None: 1 / n_features.
    degree : float, default=3
        The polynomial kernel's degree.
    coef0 : float, default=1
        The constant c₀ of the poly and sigmoid kernels.
    kernel_params : dict, optional
        Accepted for scikit-learn compatibility, which passes it only to a callable kernel (xpml's
        kernels are named; their parameters are gamma, degree and coef0).
    backend : str or Backend, optional
    dtype : {"float32", "float64"}, optional

    Attributes
    ----------
    dual_coef_ : array of shape (n_samples,) or (n_samples, n_targets)
    X_fit_ : array of shape (n_samples, n_features)
        The training data (the kernel matrix, if precomputed).
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from xpml.kernel_ridge import KernelRidge
    >>> X = np.linspace(0, 3, 30)[:, None]
    >>> model = KernelRidge(alpha=1e-3, kernel="rbf", gamma=2.0).fit(X, np.sin(X[:, 0]))
    >>> bool(np.abs(model.predict(X) - np.sin(X[:, 0])).max() < 0.01)
    True
    """

    _parameter_constraints = {
        "alpha": [Interval(Real, 0, None, closed="left"), "array-like"],
        "kernel": [Options(set(KERNEL_PARAMS))],
        "gamma": [Interval(Real, 0, None, closed="left"), None],
        "degree": [Interval(Real, 0, None, closed="left")],
        "coef0": [Real],
        "kernel_params": [dict, None],
        **BACKEND_CONSTRAINTS,
    }
    _multi_output = True
    _squares_X = True

    def __init__(self, alpha=1, *, kernel="linear", gamma=None, degree=3, coef0=1, kernel_params=None,
                 backend=None, dtype=None):
        self.alpha = alpha
        self.kernel = kernel
        self.gamma = gamma
        self.degree = degree
        self.coef0 = coef0
        self.kernel_params = kernel_params
        self.backend = backend
        self.dtype = dtype

    def _kernel(self, n_features: int) -> Kernel:
        gamma = 1.0 / n_features if self.gamma is None else float(self.gamma)
        return Kernel("poly" if self.kernel == "polynomial" else self.kernel, gamma=gamma, degree=self.degree,
                      coef0=float(self.coef0))

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> KernelRidge:
        """Solve for the dual coefficients.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or (n_samples, n_samples) if kernel="precomputed"
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        X, y = self._validate_data(X, y)
        xp = self._xp
        n = X.shape[0]
        if self.kernel == "precomputed" and X.shape[1] != n:
            raise ValueError(f"kernel='precomputed' needs the square kernel matrix (n_samples, n_samples); "
                             f"got X of shape {tuple(X.shape)}.")
        Y = y[:, None] if y.ndim == 1 else y  # (n, t)
        alphas = xp.reshape(self._to_backend(self.alpha, self._dtype), (-1,))  # (1,) or (t,)
        if alphas.shape[0] not in (1, Y.shape[1]):
            raise ValueError(f"alpha has {alphas.shape[0]} values; expected 1 or one per target ({Y.shape[1]}).")
        if bool(xp.any(alphas <= 0)):
            raise ValueError(f"alpha={self.alpha!r} should be > 0: K + alpha I must be positive definite.")
        self._fitted_kernel = self._kernel(X.shape[1])
        K = kernel_matrix(self._fitted_kernel, xp, self._backend, X)  # (n, n)
        root = None
        if sample_weight is not None:
            root = xp.sqrt(check_sample_weight(sample_weight, self._backend, n_samples=n, dtype=self._dtype))  # (n,)
            K, Y = root[:, None] * K * root[None, :], root[:, None] * Y
        C = _solve_regularized(xp, K, Y, alphas)  # (n, t)
        if root is not None:
            C = root[:, None] * C
        self.dual_coef_ = C[:, 0] if y.ndim == 1 else C
        self.X_fit_ = X
        return self

    def predict(self, X: Any):
        """f(x) = Σᵢ cᵢ k(x, xᵢ), a block of rows of the kernel at a time.

        Parameters
        ----------
        X : array-like of shape (n_new, n_features), or (n_new, n_samples) if kernel="precomputed"

        Returns
        -------
        y : array of shape (n_new,) or (n_new, n_targets)
        """
        X_in = X
        X = self._validate_X(X, reset=False)
        xp, kernel = self._xp, self._fitted_kernel
        C = self.dual_coef_
        left = kernel.left(xp, X)
        right = kernel.right(xp, self.X_fit_)
        out = kernel_dot(kernel, xp, self._backend, left, right, C[:, None] if C.ndim == 1 else C)  # (n_new, t)
        return self._output(out[:, 0] if C.ndim == 1 else out, X_in)


def _solve_regularized(xp, K, Y, alphas):
    """C (n, t) solving (K + αₖ I) cₖ = yₖ for each target k.

    K + αI is symmetric positive definite for a positive semi-definite kernel; the array API has no
    Cholesky solve (no triangular solve), so `xp.linalg.solve` factors it. A kernel that is not
    positive semi-definite (sigmoid, say) can make it singular: then, as scikit-learn does, the
    least-squares solution is used, with a warning.
    """
    eye = xp.eye(K.shape[0], dtype=K.dtype, device=K.device)  # (n, n)
    systems = [(alphas[0], Y)] if alphas.shape[0] == 1 else [(alphas[k], Y[:, k:k + 1]) for k in range(Y.shape[1])]
    parts = []
    for alpha, B in systems:
        try:
            C = xp.linalg.solve(K + alpha * eye, B)  # (n, t) or (n, 1)
            singular = not bool(xp.all(xp.isfinite(C)))
        except (ValueError, RuntimeError, ArithmeticError):  # numpy's LinAlgError is a ValueError, torch's a RuntimeError
            singular = True
        if singular:
            warn("Singular matrix in solving dual problem. Using least-squares solution instead.")
            C = lstsq(K + alpha * eye, B, xp=xp)[0]
        parts.append(C)
    return parts[0] if len(parts) == 1 else xp.concat(parts, axis=1)
