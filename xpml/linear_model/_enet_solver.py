"""The elastic net's solver: least squares with L1 and L2 penalties, by accelerated proximal gradient.

It minimizes, for W of shape (p, t) (t targets, sᵢ the row weights folded into X and Y, S = Σᵢ sᵢ),

    P(W) = 1/(2S) ||Y - XW||²  +  l1 Σⱼ N(Wⱼ)  +  l2/2 ||W||²

with l1 = α ρ, l2 = α (1 - ρ), ρ = l1_ratio, and N the L1 norm of row j (|wⱼₖ| summed: each target is
its own problem, as in ElasticNet) or, `grouped`, its L2 norm (the multi-task penalty of `enet_path`
with several targets: a feature is used by every target or by none).

The solver is FISTA (`xpml.optim.fista`): gradient steps on the smooth part f (least squares plus
the L2 term) followed by the proximal operator of the L1 term: soft-thresholding of each entry, or
of each row's length (grouped). Every iteration is a few dense matrix products, which suits GPUs;
coordinate descent, scikit-learn's method, is sequential. When n >= p the products go through the
Gram matrix XᵀX/S (p × p), so an iteration costs O(p²) rather than O(n·p). The step is 1/L, with
L = λ_max(XᵀX)/S + l2.

It stops on the duality gap, as scikit-learn does: every 10 iterations, a dual point is built from
the residual R = Y - XW, and the gap P(W) - D(θ) >= P(W) - P(W*) is compared with tol · ||Y||² / S.
With C = Xᵀ R/S (the correlation of features and residual) and |Cⱼ| the entry's size, or the row's
length when grouped:

    l2 > 0:  gap = l1 Σⱼ N(Wⱼ) + l2/2 ||W||² - W·C + Σⱼ (|Cⱼ| - l1)₊² / (2 l2)
    l2 = 0:  gap = (1 - s)² ||R||²/(2S) + l1 Σⱼ N(Wⱼ) - s W·C,   s = min(1, l1 / max|C|)

References: A. Beck and M. Teboulle, "A fast iterative shrinkage-thresholding algorithm", SIAM J.
Imaging Sciences 2 (2009); H. Zou and T. Hastie, "Regularization and variable selection via the
elastic net", JRSS B 67 (2005); J. Mairal, "Sparse coding for machine learning, image processing
and computer vision", PhD thesis (2010), section 1.4 (duality gaps).
"""

from __future__ import annotations

from typing import NamedTuple

from ..optim import fista, soft_threshold
from ..utils._linalg import max_eigenvalue_of_gram
from ._sparse_lsq import CentredSparse, operator_max_eigenvalue

__all__ = ["LeastSquares", "solve", "uses_gram"]


def uses_gram(precompute, X) -> bool:
    """Whether the solver works on XᵀX (`precompute`): True or a given Gram matrix, yes; False or "auto", when
    n_samples >= n_features."""
    if precompute is True or not isinstance(precompute, (bool, str)):
        return True
    return X.shape[0] >= X.shape[1]


class LeastSquares:
    """||Y - XW||² / (2S) for W of shape (p, t): what FISTA and the duality gap need of it.

    When n >= p it keeps only the Gram matrix G = XᵀX/S, c₀ = XᵀY/S and ||Y||²/S.
    """

    def __init__(self, xp, X, Y, S: float, use_gram: bool):
        self.xp, self.S = xp, S
        self.use_gram = use_gram and not isinstance(X, CentredSparse)  # sparse X: products with the operator
        self.c0 = X.T @ Y / S  # (p, t): the correlation at W = 0
        self.tol_scale = float(xp.sum(Y * Y)) / S  # ||Y||²/S: tol is relative to it
        if self.use_gram:
            self.G = X.T @ X / S  # (p, p)
            self.yy = xp.sum(Y * Y, axis=0) / S  # (t,)
            self.lipschitz = float(xp.linalg.eigvalsh(self.G)[-1])
        else:
            self.X, self.Y = X, Y
            sparse = isinstance(X, CentredSparse)
            self.lipschitz = (operator_max_eigenvalue(xp, X) if sparse else max_eigenvalue_of_gram(X, xp=xp)) / S

    def correlation(self, W):
        """Xᵀ(Y - XW)/S, the negative gradient. (p, t)"""
        if self.use_gram:
            return self.c0 - self.G @ W
        return self.X.T @ (self.Y - self.X @ W) / self.S

    def residual_sq(self, W, corr):
        """||Y - XW||²/S for each target, given corr = correlation(W). (t,)"""
        if self.use_gram:  # ||Y||² - 2 W·XᵀY + W·XᵀXW, with XᵀXW = XᵀY - S·corr
            return self.yy - self.xp.sum(W * (self.c0 + corr), axis=0)
        R = self.Y - self.X @ W  # (n, t)
        return self.xp.sum(R * R, axis=0) / self.S


class Solution(NamedTuple):
    W: object  # (p, t)
    n_iter: int
    gap: float  # the duality gap of P at the last check
    converged: bool


def _sizes(xp, V, grouped: bool):
    """|Vⱼₖ| entry by entry, (p, t), or each row's length, (p, 1), when grouped."""
    return xp.sqrt(xp.sum(V * V, axis=1, keepdims=True)) if grouped else xp.abs(V)


def _duality_gap(xp, W, corr, rsq, l1: float, l2: float, positive: bool, grouped: bool) -> float:
    """P(W) - D(θ) for the dual point θ built from the residual (see the module docstring), summed over targets.

    With w >= 0 (positive), the dual constraint is one-sided, Xᵀθ <= l1: only cⱼ > 0 count in |c|."""
    size = _sizes(xp, xp.maximum(corr, 0.0) if positive else corr, grouped)  # (p, t) or (p, 1)
    penalty = l1 * xp.sum(_sizes(xp, W, grouped))
    if l2 > 0:
        excess = xp.maximum(size - l1, 0.0)
        gap = penalty + 0.5 * l2 * xp.sum(W * W) - xp.sum(W * corr) + xp.sum(excess * excess) / (2 * l2)
    else:  # one dual point per problem: per target, or one for all of them when grouped
        c_max = xp.max(size, axis=0)  # (t,) or (1,)
        s = xp.where(c_max > l1, l1 / xp.where(c_max > l1, c_max, 1.0), 1.0)
        rsq, wc = (xp.sum(rsq), xp.sum(W * corr)) if grouped else (rsq, xp.sum(W * corr, axis=0))
        gap = xp.sum(0.5 * (1 - s) ** 2 * rsq - s * wc) + penalty
    return float(gap)


def _prox(xp, l1: float, positive: bool, grouped: bool):
    """The proximal operator of step·l1·Σⱼ N(Wⱼ) (with W >= 0 where positive): prox(V, step)."""
    if positive:  # a shift, then the projection on w >= 0
        return lambda V, step: xp.maximum(V - l1 * step, 0.0)
    if not grouped:
        return lambda V, step: soft_threshold(V, l1 * step)

    def shrink_rows(V, step):  # each row's length less l1·step, its direction kept
        length = _sizes(xp, V, True)  # (p, 1)
        keep = length > l1 * step
        return V * xp.where(keep, 1.0 - l1 * step / xp.where(keep, length, 1.0), 0.0)
    return shrink_rows


def solve(xp, ls: LeastSquares, W0, l1: float, l2: float, *, positive: bool = False, grouped: bool = False,
          max_iter: int, tol: float, warm: bool = False, verbose: int = 0) -> Solution:
    """Minimize P from W0 (p, t) until the duality gap is <= tol · ||Y||²/S, or max_iter iterations (`warm`: W0 is
    near the solution, the gap is tested early, `fista`'s early_checks)."""
    def fun(W):  # the smooth part: least squares + the L2 term
        corr = ls.correlation(W)  # (p, t)
        loss = 0.5 * xp.sum(ls.residual_sq(W, corr)) + 0.5 * l2 * xp.sum(W * W)
        return loss, l2 * W - corr

    def grad(W):  # its gradient alone, for the iterations
        return l2 * W - ls.correlation(W) if l2 > 0 else -ls.correlation(W)

    gaps = []  # one per check; the last is that of the returned W

    def gap(W):
        corr = ls.correlation(W)
        gaps.append(_duality_gap(xp, W, corr, ls.residual_sq(W, corr), l1, l2, positive, grouped))
        return gaps[-1]

    # L = 0 only when X is all zeros (say, one centred sample): the gradient is then 0 everywhere, W = 0 is the
    # minimizer, and any step finds it.
    lipschitz = ls.lipschitz + l2 if ls.lipschitz + l2 > 0 else 1.0
    result = fista(fun, _prox(xp, l1, positive, grouped), W0, lipschitz=lipschitz, max_iter=max_iter,
                   tol=tol * ls.tol_scale, criterion=gap, early_checks=warm, grad=grad, verbose=verbose)
    return Solution(result.x, result.n_iter, gaps[-1], result.converged)
