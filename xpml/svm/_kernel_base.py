"""What SVC and SVR share: the kernel, the dual solve, and the decision function from support vectors.

A kernel SVM's decision function is f(x) = Σₜ cₜ k(x, xₜ) + b over the support vectors xₜ, the
samples whose dual variable is not zero: `dual_coef_` holds the cₜ (yₜαₜ for SVC, αₜ - αₜ* for
SVR) and `intercept_` the b = -ρ. The dual is solved by `_smo.solve` on the device; f is a product
with the kernel between the new points and the support vectors, a block of rows at a time
(`xpml.metrics.pairwise.kernel_dot`). gamma="scale" is 1 / (n_features · Var(X)), "auto"
1 / n_features, as in scikit-learn.
"""

from __future__ import annotations

from numbers import Integral, Real

from .._backend import dtype_name
from ..base import BACKEND_CONSTRAINTS, BaseEstimator
from ..exceptions import ConvergenceWarning
from ..metrics.pairwise import Kernel, kernel_dot
from ..utils._compile import compiled
from ..utils._param_validation import Interval, Options
from ..utils._warnings import warn
from ..utils.validation import check_sample_weight
from ._smo import solve

__all__ = ["KERNEL_SVM_CONSTRAINTS", "BaseKernelSVM"]

KERNEL_SVM_CONSTRAINTS = {
    "kernel": [Options({"linear", "poly", "rbf", "sigmoid", "precomputed"})],
    "degree": [Interval(Integral, 0, None, closed="left")],
    "gamma": [Options({"scale", "auto"}), Interval(Real, 0, None, closed="left")],
    "coef0": [Real],
    "tol": [Interval(Real, 0, None, closed="neither")],
    "C": [Interval(Real, 0, None, closed="neither")],
    "shrinking": ["boolean"],
    "cache_size": [Interval(Real, 0, None, closed="neither")],
    "verbose": [Interval(Integral, 0, None), "boolean"],
    "max_iter": [Interval(Integral, -1, None, closed="left")],
    **BACKEND_CONSTRAINTS,
}


def _kernel_rows(xp, kernel, left, right, samples):
    """The kernel rows of the samples `samples` against all samples, (b, n), from the kernel's factors of
    the samples (`Kernel.left`, `Kernel.right`): one compiled call on jax."""
    return kernel.block(xp, xp.take(left, samples, axis=0), right)


class BaseKernelSVM(BaseEstimator):
    """The kernel, the dual solve and the decision values of SVC and SVR (a subclass sets up the problems)."""

    _squares_X = True
    _working_set = 1024  # the most variables of one outer step of the solver (see `_working_set_size`)

    def _check_precomputed(self, X):
        """At fit, a precomputed kernel must be square: the kernel between the training samples."""
        if self.kernel == "precomputed" and X.shape[1] != X.shape[0]:
            raise ValueError(f"kernel='precomputed' needs X of shape (n_samples, n_samples), the kernel "
                             f"between the training samples; got {tuple(X.shape)}.")

    def _make_kernel(self, X) -> Kernel:
        """The kernel with gamma resolved ("scale": 1 / (n_features Var(X)), "auto": 1 / n_features)."""
        xp = self._xp
        if self.gamma == "scale":
            variance = float(xp.var(X)) if self.kernel != "precomputed" else 1.0
            gamma = 1.0 / (X.shape[1] * variance) if variance != 0 else 1.0
        elif self.gamma == "auto":
            gamma = 1.0 / X.shape[1]
        else:
            gamma = float(self.gamma)
        self._gamma = gamma
        return Kernel(self.kernel, gamma=gamma, degree=self.degree, coef0=float(self.coef0))

    def _solve(self, X, y, p, C, sample_of=None):
        """Solve one dual problem on the samples X (the rows of a precomputed kernel: also its columns).

        Returns (α (N,), -ρ (0-d), SMO steps). Warns with ConvergenceWarning if max_iter stopped it, or if its
        gap stays above tol: no step moves α any more, where tol is too small for the arithmetic.
        """
        xp, kernel = self._xp, self._kernel
        if kernel.name == "precomputed":
            rows = lambda samples: xp.take(X, samples, axis=0)
            diag = xp.linalg.diagonal(X)
        else:
            block = compiled(_kernel_rows, self._backend, static_argnames=("xp", "kernel"))
            left, right = kernel.left(xp, X), kernel.right(xp, X)  # (n, p'), once for every batch of rows
            rows = lambda samples: block(xp, kernel, left, right, samples)
            diag = kernel.diagonal(xp, X)
        alpha, b, steps, gap = solve(xp, self._backend, rows, diag, y, p, C, sample_of=sample_of,
                                     tol=float(self.tol), max_iter=int(self.max_iter),
                                     working_set=self._working_set_size(y.shape[0]))
        converged = gap < self.tol
        if not converged and self.max_iter != -1 and steps >= self.max_iter:
            warn(f"Solver terminated early (max_iter={self.max_iter}).  Consider pre-processing your data with "
                 f"StandardScaler or MinMaxScaler.", ConvergenceWarning)
        elif not converged:
            warn(f"SMO stopped at the gap {gap:.3g}, above tol={self.tol}: no step moves the solution further in "
                 f"{dtype_name(alpha)} arithmetic. Use a larger tol, or float64 data.", ConvergenceWarning)
        if self.verbose:
            print(f"{type(self).__name__}: {steps} SMO steps, converged={converged}")
        return alpha, b, steps

    def _working_set_size(self, N: int) -> int:
        """q: `_working_set`, or fewer where the q kernel rows of N entries would pass 2**26 entries
        (512 MB in float64), a power of two, at least 64. Problems of at most q variables are solved
        whole: SMO on their full kernel matrix."""
        q = self._working_set
        while q > 64 and q * N > 2**26:
            q //= 2
        return q

    def _weights(self, sample_weight, n: int):
        return check_sample_weight(sample_weight, self._backend, n_samples=n, dtype=self._dtype)

    def _decision_values(self, X, coef):
        """Σₜ coef[t] k(x, svₜ) for each sample, (n, k): coef (n_SV, k) against the support vectors."""
        xp, kernel = self._xp, self._kernel
        if kernel.name == "precomputed":
            return xp.take(X, self.support_, axis=1) @ coef
        SV = self.support_vectors_
        return kernel_dot(kernel, xp, self._backend, kernel.left(xp, X), kernel.right(xp, SV), coef)

    def _validate_for_predict(self, X):
        """X at predict: (n, n_features), or with a precomputed kernel (n, n_train), as `n_features_in_` says."""
        return self._validate_X(X, reset=False)

    @property
    def n_support_(self):
        """The number of support vectors of each class (SVC), or [n_SV] (SVR)."""
        return self._n_support

