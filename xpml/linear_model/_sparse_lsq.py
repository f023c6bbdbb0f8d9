"""Least squares on sparse X: conjugate gradients on the normal equations, with X centred implicitly.

Centring a sparse X (X - 1 x̄ᵀ) would fill it in. So, as scikit-learn's sparse solvers do, the
centred, row-weighted matrix A = diag(√s) (X - 1 x̄ᵀ) is never formed: it is an operator,

    A v  = √s ∘ (X v - x̄·v),        Aᵀ u = Xᵀ(√s ∘ u) - x̄ Σᵢ √sᵢ uᵢ,

that costs one sparse product each way. The coefficients solve (AᵀA + α I) w = Aᵀ y, one system
per target, by conjugate gradients (Hestenes & Stiefel, 1952), all targets at once: each iteration
is one product with A and one with Aᵀ. Started from zero, the iterates stay in the row space of A,
so with α = 0 (LinearRegression) a rank-deficient system converges to the minimum-norm solution
(CGLS; Björck, "Numerical methods for least squares problems", 1996, 7.4). A target stops when its
residual ||Aᵀy - (AᵀA + αI) w|| falls to `tol` times ||Aᵀy||.
"""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["CentredSparse", "centred_sparse", "normal_equations_cg"]


class CentredSparse(NamedTuple):
    """A = diag(√s) (X - 1 x̄ᵀ), for X sparse (a CSR), as the products with it."""

    X: Any  # (n, p) CSR
    offset: Any  # (p,) x̄, the weighted column means (zeros without an intercept)
    root_w: Any  # (n,) √s

    @property
    def shape(self):
        return self.X.shape

    def matvec(self, V):
        """A V, for V (p, t): (n, t)."""
        return self.root_w[:, None] * (self.X @ V - (self.offset @ V)[None, :])

    def rmatvec(self, U, xp):
        """Aᵀ U, for U (n, t): (p, t)."""
        weighted = self.root_w[:, None] * U  # (n, t)
        return self.X.T @ weighted - self.offset[:, None] * xp.sum(weighted, axis=0)[None, :]


def centred_sparse(xp, X, Y, sample_weight, fit_intercept: bool):
    """`center_data` for a sparse X: the operator A, the weighted, centred Y (n, t), x̄ (p,) and ȳ (t,)."""
    if fit_intercept:
        w = sample_weight / xp.sum(sample_weight)  # (n,)
        X_offset, y_offset = X.T @ w, w @ Y  # (p,), (t,)
        Y = Y - y_offset
    else:
        X_offset = xp.zeros(X.shape[1], dtype=X.dtype, device=X.device)
        y_offset = xp.zeros(Y.shape[1], dtype=Y.dtype, device=Y.device)
    root_w = xp.sqrt(sample_weight)  # (n,)
    return CentredSparse(X, X_offset, root_w), Y * root_w[:, None], X_offset, y_offset


def normal_equations_cg(xp, A: CentredSparse, Y, alphas, *, tol: float, max_iter: int):
    """W (p, t) solving (AᵀA + αₖ I) wₖ = Aᵀyₖ for each target k, and the iterations run.

    The convergence test reads one number per target from the device, every iteration.
    """
    B = A.rmatvec(Y, xp)  # (p, t) Aᵀ Y
    W = xp.zeros_like(B)
    R, P = B, B  # residual and search direction
    rs = xp.sum(R * R, axis=0)  # (t,)
    target = (tol * tol) * rs  # (t,) ||r||² <= tol² ||b||²
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        AP = A.rmatvec(A.matvec(P), xp) + alphas[None, :] * P  # (p, t)
        curvature = xp.sum(P * AP, axis=0)  # (t,)
        done = rs <= target  # (t,)
        step = xp.where(done | (curvature <= 0), 0.0, rs / xp.where(curvature > 0, curvature, 1.0))  # (t,)
        W = W + step[None, :] * P
        R = R - step[None, :] * AP
        rs_new = xp.sum(R * R, axis=0)
        if bool(xp.all(rs_new <= target)):
            break
        P = R + xp.where(rs > 0, rs_new / xp.where(rs > 0, rs, 1.0), 0.0)[None, :] * P
        rs = rs_new
    return W, n_iter
