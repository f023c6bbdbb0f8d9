"""Epsilon-support vector regression: a kernel regressor that ignores errors smaller than ε.

SVR finds f(x) = Σᵢ (αᵢ - αᵢ*) k(x, xᵢ) + b minimizing ½‖w‖² + C Σᵢ sᵢ max(0, |yᵢ - f(xᵢ)| - ε),
whose dual has two variables per sample, αᵢ (the sample above the tube) and αᵢ* (below it):

    minimize ½ (α - α*)ᵀ K (α - α*) + ε Σ (αᵢ + αᵢ*) - Σ yᵢ (αᵢ - αᵢ*)
    subject to Σ (αᵢ - αᵢ*) = 0,  0 <= αᵢ, αᵢ* <= C sᵢ.

In libsvm's form (`_smo`) that is 2n variables with labels +1 (α) and -1 (α*), linear terms ε - yᵢ
and ε + yᵢ, and Q = [[K, -K], [-K, K]] signed by the labels. The samples strictly inside the tube
have α = α* = 0: only the others are support vectors.

Reference: A. J. Smola & B. Schölkopf, "A tutorial on support vector regression", Statistics and
Computing 14, 2004; C.-C. Chang & C.-J. Lin, "LIBSVM", 2011.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

from ..base import RegressorMixin
from ..utils._param_validation import Interval
from ._kernel_base import KERNEL_SVM_CONSTRAINTS, BaseKernelSVM

__all__ = ["SVR"]


class SVR(RegressorMixin, BaseKernelSVM):
    """Epsilon-support vector regression with a kernel.

    Parameters
    ----------
    kernel : {"linear", "poly", "rbf", "sigmoid", "precomputed"}, default="rbf"
        The kernel (see `xpml.metrics.pairwise`); "precomputed": X is the kernel matrix, (n, n) at fit
        and (n_new, n) at predict.
    degree : int, default=3
        The polynomial kernel's degree.
    gamma : {"scale", "auto"} or float, default="scale"
        γ of the rbf, poly and sigmoid kernels: 1 / (n_features · X.var()), 1 / n_features, or the value.
    coef0 : float, default=0
        The constant c₀ of the poly and sigmoid kernels.
    tol : float, default=1e-3
        Stop when the largest violation of the optimality conditions, m(α) - M(α), is below tol.
    C : float, default=1
        The weight of the errors against the flatness ½‖w‖² (times each sample's weight).
    epsilon : float, default=0.1
        The half-width of the tube within which errors cost nothing.
    shrinking : bool, default=True
        Accepted for scikit-learn compatibility: libsvm's shrinking heuristic only tunes its speed;
        xpml's solver works on batches of violating variables instead (see `_smo`).
    cache_size : float, default=200
        Accepted for scikit-learn compatibility: libsvm's kernel cache in MB, a tuning knob only; xpml
        computes the kernel rows of each working set in one batch.
    verbose : bool, default=False
        Print the number of SMO steps.
    max_iter : int, default=-1
        The most SMO steps (pair updates), or -1 for no limit.
    backend : str or Backend, optional
    dtype : {"float32", "float64"}, optional

    Attributes
    ----------
    support_ : array of shape (n_SV,), the indices of the support vectors
    support_vectors_ : array of shape (n_SV, n_features)
    dual_coef_ : array of shape (1, n_SV), αᵢ - αᵢ* of the support vectors
    intercept_ : array of shape (1,)
    n_support_ : array of shape (1,)
    n_iter_ : int, SMO steps taken
    shape_fit_ : tuple, the shape of the training X
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from xpml.svm import SVR
    >>> X = np.linspace(0, 3, 40)[:, None]
    >>> model = SVR(C=10.0, epsilon=0.05).fit(X, np.sin(X[:, 0]))
    >>> bool(np.abs(model.predict(X) - np.sin(X[:, 0])).max() < 0.1)
    True
    """

    _parameter_constraints = {**KERNEL_SVM_CONSTRAINTS, "epsilon": [Interval(Real, 0, None, closed="left")]}

    def __init__(self, *, kernel="rbf", degree=3, gamma="scale", coef0=0.0, tol=1e-3, C=1.0, epsilon=0.1,
                 shrinking=True, cache_size=200, verbose=False, max_iter=-1, backend=None, dtype=None):
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.tol = tol
        self.C = C
        self.epsilon = epsilon
        self.shrinking = shrinking
        self.cache_size = cache_size
        self.verbose = verbose
        self.max_iter = max_iter
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> SVR:
        """Solve the dual for the support vectors and their coefficients.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or (n_samples, n_samples) if kernel="precomputed"
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Per-sample multipliers of C.

        Returns
        -------
        self
        """
        X, y = self._validate_data(X, y, multi_output=False)
        self._check_precomputed(X)
        xp = self._xp
        n = X.shape[0]
        self._kernel = self._make_kernel(X)
        C = float(self.C) * self._weights(sample_weight, n)  # (n,)
        ones = xp.ones(n, dtype=X.dtype, device=X.device)
        samples = xp.arange(n, device=X.device)
        alpha, b, self.n_iter_ = self._solve(X, xp.concat([ones, -ones]), xp.concat([self.epsilon - y, self.epsilon + y]),
                                             xp.concat([C, C]), sample_of=xp.concat([samples, samples]))
        coef = alpha[:n] - alpha[n:]  # (n,) αᵢ - αᵢ*
        support = xp.nonzero(coef != 0)[0]  # (n_SV,)
        self.support_ = support
        self.support_vectors_ = xp.take(X, support, axis=0) if self.kernel != "precomputed" else \
            xp.zeros((0, 0), dtype=X.dtype, device=X.device)
        self.dual_coef_ = xp.take(coef, support)[None, :]  # (1, n_SV)
        self.intercept_ = xp.reshape(b, (1,))
        self._n_support = xp.asarray([support.shape[0]], dtype=support.dtype, device=support.device)
        self.shape_fit_ = tuple(X.shape)
        self.fit_status_ = 0
        return self

    def predict(self, X: Any):
        """f(x) = Σ (αᵢ - αᵢ*) k(x, svᵢ) + b.

        Parameters
        ----------
        X : array-like of shape (n_new, n_features), or (n_new, n_samples) if kernel="precomputed"

        Returns
        -------
        y : array of shape (n_new,)
        """
        X_in = X
        X = self._validate_for_predict(X)
        f = self._decision_values(X, self.dual_coef_.T)[:, 0] + self.intercept_  # (n_new,)
        return self._output(f, X_in)
