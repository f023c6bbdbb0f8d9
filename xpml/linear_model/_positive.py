"""Least squares with non-negative coefficients (`positive=True` of LinearRegression and Ridge).

For each target k, minimize over w >= 0

    f(w) = ½ ||yₖ - X w||² + ½ αₖ ||w||²          (α = 0: non-negative least squares, NNLS)

a convex problem whose optimum satisfies the KKT conditions: for every j, either wⱼ > 0 and
∂f/∂wⱼ = 0, or wⱼ = 0 and ∂f/∂wⱼ >= 0. Equivalently min(wⱼ, ∂f/∂wⱼ) = 0, and max |min(w, ∇f)|
measures how far w is from optimal.

Two phases:

1. Projected FISTA (`xpml.optim.fista` with the projection max(v, 0) as its proximal step) on all
   targets at once, through the Gram matrix G = XᵀX: ∇f(W) = G W - XᵀY + α W, L = λ_max(G) + max α.
   It stops when max |min(W, ∇f)| <= tol · max |XᵀY| (the gradient at 0).
2. Polishing: once the support S = {j : wⱼ > 0} is found, the optimum is the unconstrained solution
   on S, w_S = argmin ||[X_S; √α I] w - [y; 0]||, solved exactly by `lstsq` with the columns outside
   S zeroed. It is kept when it is >= 0 and no further from the KKT conditions than phase 1's, so
   the answer is that of an exact active-set method (scipy's `nnls`, which scikit-learn uses) as
   soon as phase 1 has identified the support.

A sparse X comes as the implicitly centred operator A of `_sparse_lsq` (`CentredSparse`): the
Gram matrix is then never formed (it would be dense, p × p), each gradient costs one product with
A and one with Aᵀ, L comes from power iteration, and phase 2 solves the normal equations on the
support by conjugate gradients (`normal_equations_cg` on A with the columns outside S masked).

Reference: A. Beck and M. Teboulle, SIAM J. Imaging Sciences 2 (2009) (FISTA); C. L. Lawson and
R. J. Hanson, Solving Least Squares Problems (1974), chapter 23 (NNLS and its KKT conditions).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..optim import fista
from ..utils._linalg import lstsq
from ._sparse_lsq import CentredSparse, normal_equations_cg, operator_max_eigenvalue

__all__ = ["nonnegative_least_squares"]


def _kkt(xp, W, gram, C, alphas):
    """max |min(W, ∇f(W))| for each target, `gram(W)` the product XᵀX W. (t,)"""
    grad = gram(W) - C + alphas[None, :] * W  # (p, t)
    return xp.max(xp.abs(xp.minimum(W, grad)), axis=0)


class _Support(NamedTuple):
    """A M for the sparse operator A and a 0/1 mask M (p, t) of each target's columns: A's products with
    the columns outside each target's support zeroed (`normal_equations_cg` solves one system per target)."""

    A: CentredSparse
    mask: Any  # (p, t)

    def matvec(self, V):
        return self.A.matvec(self.mask * V)

    def rmatvec(self, U, xp):
        return self.mask * self.A.rmatvec(U, xp)


def nonnegative_least_squares(xp, X, Y, alphas, *, tol: float, max_iter: int):
    """W >= 0 of shape (p, t) minimizing ½||Y - XW||² + ½ Σₖ αₖ ||Wₖ||², and the iterations of phase 1.

    Parameters
    ----------
    X : array of shape (n, p)
    Y : array of shape (n, t)
    alphas : array of shape (t,), >= 0
    tol : float
        Phase 1 stops when max |min(W, ∇f)| <= tol · max |XᵀY|.
    max_iter : int
        The most FISTA iterations.

    Returns
    -------
    W : array of shape (p, t)
    n_iter : int
    converged : bool
    """
    sparse = isinstance(X, CentredSparse)
    p = X.shape[1]
    if sparse:  # products with the operator: XᵀX is never formed
        def gram(W):
            return X.rmatvec(X.matvec(W), xp)  # (p, t)
        C = X.rmatvec(Y, xp)  # (p, t)
        largest = operator_max_eigenvalue(xp, X) if p else 0.0
    else:
        G = X.T @ X  # (p, p)
        gram = G.__matmul__
        C = X.T @ Y  # (p, t)
        largest = float(xp.linalg.eigvalsh(G)[-1])
    scale = float(xp.max(xp.abs(C))) if C.shape[0] > 0 else 0.0
    lipschitz = largest + float(xp.max(alphas))
    W0 = xp.zeros(C.shape, dtype=C.dtype, device=C.device)  # (p, t)
    if scale == 0.0 or lipschitz <= 0.0:  # Xᵀy = 0: w = 0 satisfies the KKT conditions
        return W0, 0, True

    def fun(W):
        grad = gram(W) - C + alphas[None, :] * W  # (p, t)
        return 0.5 * xp.sum(W * (grad - C)), grad  # ½wᵀ(G + α)w - wᵀc, up to the constant ½||y||²

    result = fista(fun, lambda V, step: xp.maximum(V, 0.0), W0, lipschitz=lipschitz, max_iter=max_iter,
                   tol=tol * scale, criterion=lambda W: float(xp.max(_kkt(xp, W, gram, C, alphas))))
    W = result.x
    # phase 2: the exact solution on each target's support
    polished = _polish_sparse(xp, X, Y, W, alphas) if sparse else _polish_dense(xp, X, Y, W, alphas)  # (p, t)
    better = (xp.all(polished >= 0, axis=0)
              & (_kkt(xp, polished, gram, C, alphas) <= _kkt(xp, W, gram, C, alphas)))  # (t,)
    return xp.where(better[None, :], polished, W), result.n_iter, result.converged


def _polish_dense(xp, X, Y, W, alphas):
    """For each target k, argmin ||[X_S; √αₖ I] w - [yₖ; 0]|| on its support S = {j : Wⱼₖ > 0}: (p, t)."""
    p = X.shape[1]
    root_alpha = xp.sqrt(alphas)  # (t,)
    eye = xp.eye(p, dtype=X.dtype, device=X.device)
    zeros = xp.zeros((p, 1), dtype=X.dtype, device=X.device)
    columns = []
    for k in range(W.shape[1]):
        support = xp.astype(W[:, k] > 0, X.dtype)  # (p,)
        A = xp.concat([X, root_alpha[k] * eye], axis=0) * support[None, :]  # (n + p, p)
        B = xp.concat([Y[:, k:k + 1], zeros], axis=0)  # (n + p, 1)
        columns.append(lstsq(A, B, xp=xp)[0] * support[:, None])  # (p, 1)
    return xp.concat(columns, axis=1)  # (p, t)


def _polish_sparse(xp, A, Y, W, alphas):
    """The same for the sparse operator A: (M AᵀA M + αₖ I) w = M Aᵀ yₖ by conjugate gradients, M the support's
    mask; started from zero, w stays 0 outside the support."""
    mask = xp.astype(W > 0, W.dtype)  # (p, t)
    polished, _ = normal_equations_cg(xp, _Support(A, mask), Y, alphas, tol=float(xp.finfo(W.dtype).eps) ** 0.75,
                                      max_iter=2 * A.shape[1] + 10)
    return polished * mask
