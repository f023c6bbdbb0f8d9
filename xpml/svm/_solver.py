"""The linear SVM objective, its dual, and how L-BFGS minimizes it.

For K one-vs-rest problems at once (K = 1 for two classes), with sᵢₖ = +1 if sample i is of class k
and -1 otherwise, cᵢ = C ωᵢ (ω the sample weights) and x̃ᵢ = (xᵢ, a) the sample with the constant
feature a = intercept_scaling appended, the primal objective of problem k is

    P(w̃) = ½‖w̃‖² + Σᵢ cᵢ L(zᵢ),   zᵢ = sᵢ w̃·x̃ᵢ,    L(z) = max(0, 1 - z) or max(0, 1 - z)²,

(the intercept b = a·v is the last weight v times a, penalized as ½v²) and its dual, over α >= 0,

    hinge           D(α) = Σ αᵢ - ½‖Σ αᵢsᵢx̃ᵢ‖²                 with αᵢ <= cᵢ,
    squared hinge   D(α) = Σ αᵢ - ½‖Σ αᵢsᵢx̃ᵢ‖² - Σ αᵢ²/(4cᵢ).

Every D(α) is below every P(w̃), and they meet at the optimum, so the relative duality gap
(P - D)/P bounds how far from optimal a solution is.

Both are solved divided by s = max(1, max cᵢ): P/s = (r/2)‖w̃‖² + Σᵢ (cᵢ/s) L(zᵢ) with r = 1/s has the same
minimizer, and its values and gradients stay near those of C = 1 however large C is (with C of 1e155 and more,
the products of P's gradients would overflow float64).

Squared hinge is differentiable with a Lipschitz gradient: L-BFGS minimizes P directly and stops
when max|∇P| <= tol · max|∇P(0)|, the test of LIBLINEAR's primal solver. (The gap, with the dual
point αᵢ = 2cᵢ max(0, 1 - zᵢ), is reported.)

Hinge is not differentiable at z = 1. It is solved by the proximal point method on the dual (the
method of multipliers on the primal): with ᾱ = c ā the current dual point (0 <= ā <= 1), each round
minimizes with L-BFGS the smooth function

    P_ā(w̃) = ½‖w̃‖² + Σᵢ cᵢ φ(zᵢ; āᵢ),    φ(z; ā) = max over 0 <= u <= 1 of  u (1 - z) - μ(u - ā)²/2,

whose maximizer is u* = clip(ā + (1 - z)/μ, 0, 1) and whose slope is dφ/dz = -u*; then sets ā = u*.
This is a step of the proximal point method on the dual: ā moves to the maximizer of D(c·u) -
μ Σ cᵢ(uᵢ - āᵢ)²/2, so the rounds converge to the exact hinge optimum with μ fixed, and each round
is a well-conditioned, squared-hinge-like problem. (With ā = 0 the first round is the hinge smoothed
by μ, a Huber-like loss.) The rounds stop when the relative duality gap, with α = c ā, is <= tol.

References: Fan, Chang, Hsieh, Wang & Lin, "LIBLINEAR: a library for large linear classification",
JMLR 9, 2008 (the objective and its dual); Rockafellar, "Augmented Lagrangians and applications of
the proximal point algorithm in convex programming", Math. Oper. Res. 1(2), 1976.
"""

from __future__ import annotations

import math

from ..optim import fista, lbfgs, soft_threshold
from ..utils._csr import is_csr
from ..utils._linalg import max_eigenvalue_of_gram, max_eigenvalue_of_weighted_gram

__all__ = ["solve", "solve_l1"]

_MU = 0.03  # the proximal parameter of the hinge rounds, in units of the margin


class _Problem:
    """The K problems on data X (n, p): signs (n, K), costs c (n, K), intercept scaling a (None: none); divided by
    s = max(1, max c) where `scaled`: then `c` holds c/s and the penalty's weight `r` is 1/s."""

    def __init__(self, xp, X, signs, c, a, loss: str, scaled: bool = False):
        self.r = 1.0 / max(1.0, float(xp.max(c))) if scaled else 1.0
        self.xp, self.X, self.signs, self.c, self.a, self.loss = xp, X, signs, c * self.r, a, loss
        self.n, self.p = X.shape
        self.K = signs.shape[1]

    def split(self, theta):
        """θ (K p [+ K],) as W (K, p) and v (K,) (None without intercept)."""
        W = self.xp.reshape(theta[:self.K * self.p], (self.K, self.p))
        return W, (theta[self.K * self.p:] if self.a is not None else None)

    def margins(self, theta):
        W, v = self.split(theta)
        scores = self.X @ W.T  # (n, K)
        return self.signs * (scores if v is None else scores + self.a * v)  # (n, K)

    def smooth(self, theta, a_bar):
        """(P or P_ā at θ, its gradient): the function L-BFGS minimizes in one round."""
        xp = self.xp
        t = 1 - self.margins(theta)  # (n, K): how far inside the margin
        if self.loss == "squared_hinge":
            t = xp.clip(t, 0.0, None)
            loss, slope = t * t, -2 * t  # L and dL/dz
        else:
            u = xp.clip(a_bar + t / _MU, 0.0, 1.0)  # (n, K): the maximizing dual variable
            loss, slope = u * t - 0.5 * _MU * (u - a_bar) ** 2, -u
        f = 0.5 * self.r * xp.sum(theta * theta) + xp.sum(self.c * loss)
        return f, self.gradient(theta, self.c * slope * self.signs)

    def gradient(self, theta, r):
        """r θ + Σᵢ rᵢ x̃ᵢ for each problem, with r (n, K): the gradient of (r/2)‖w̃‖² plus a loss."""
        xp = self.xp
        W, v = self.split(theta)
        rX = (self.X.T @ r).T if is_csr(self.X) else r.T @ self.X  # (K, p): Σᵢ rᵢ xᵢ per problem
        parts = [xp.reshape(self.r * W + rX, (-1,))]  # (K p,)
        if v is not None:
            parts.append(self.r * v + self.a * xp.sum(r, axis=0))  # (K,)
        return xp.concat(parts) if len(parts) > 1 else parts[0]

    def gap(self, theta, alpha) -> float:
        """The relative duality gap (P(θ) - D(α)) / P(θ), summed over the K problems, α the dual point of the
        problems divided by s (α/s of the original's)."""
        xp = self.xp
        t = xp.clip(1 - self.margins(theta), 0.0, None)  # (n, K)
        primal = 0.5 * self.r * xp.sum(theta * theta) + xp.sum(self.c * (t if self.loss == "hinge" else t * t))
        # Σ αᵢ sᵢ x̃ᵢ / √r, stacked like θ: (1/(2r))‖Σ αᵢ sᵢ x̃ᵢ‖² neither overflows nor underflows for r down to 1e-308
        w_alpha = self.gradient(xp.zeros_like(theta), alpha * self.signs) / math.sqrt(self.r)
        dual = xp.sum(alpha) - 0.5 * xp.sum(w_alpha * w_alpha)
        if self.loss == "squared_hinge":
            c = self.c
            dual = dual - xp.sum(xp.where(c > 0, alpha * alpha / (4 * xp.where(c > 0, c, 1.0)), 0.0))
        primal = float(primal)
        if not math.isfinite(primal):
            raise ValueError(f"The LinearSVC objective became {primal}: the features are too large for this C. "
                             f"Scale the features or use a smaller C.")
        return (primal - float(dual)) / primal


def solve(xp, X, signs, c, a, loss: str, *, tol: float, max_iter: int, verbose: int = 0):
    """Minimize the primal objective of the K problems.

    Returns θ, the L-BFGS iterations made, whether the test of `tol` passed, and the relative
    duality gap.

    Parameters
    ----------
    X : array of shape (n, p)
    signs : array of shape (n, K)
    c : array of shape (n, K)
        C times the sample weights (and the class weights) in each problem.
    a : float or None
        The intercept scaling, or None for no intercept.
    loss : {"hinge", "squared_hinge"}
    tol : float
        Squared hinge: stop when max|∇P| <= tol · max|∇P(0)|. Hinge: stop when the relative duality
        gap is <= tol.
    max_iter : int
        The most L-BFGS iterations, over all rounds.
    """
    problem = _Problem(xp, X, signs, c, a, loss, scaled=True)
    n, K = signs.shape
    theta = xp.zeros(K * X.shape[1] + (K if a is not None else 0), dtype=X.dtype, device=X.device)
    a_bar = xp.zeros((n, K), dtype=X.dtype, device=X.device) if loss == "hinge" else None
    gmax0 = float(xp.max(xp.abs(problem.smooth(theta, a_bar)[1])))
    if loss == "squared_hinge":
        result = lbfgs(lambda th: problem.smooth(th, None), theta, max_iter=max_iter, tol=tol * gmax0,
                       verbose=verbose)
        alpha = 2 * problem.c * xp.clip(1 - problem.margins(result.x), 0.0, None)
        return result.x, result.n_iter, result.converged, problem.gap(result.x, alpha)
    n_iter, gap = 0, math.inf
    for _ in range(max_iter):  # rounds; each runs L-BFGS on what is left of max_iter
        result = lbfgs(lambda th: problem.smooth(th, a_bar), theta, max_iter=max_iter - n_iter,
                       tol=0.1 * tol * gmax0, verbose=verbose)
        theta, n_iter = result.x, n_iter + result.n_iter
        a_bar = xp.clip(a_bar + (1 - problem.margins(theta)) / _MU, 0.0, 1.0)  # the proximal step on ā
        gap = problem.gap(theta, problem.c * a_bar)
        if verbose > 0:
            print(f"LinearSVC: {n_iter} L-BFGS iterations, relative duality gap {gap:.3g}")
        if gap <= tol or n_iter >= max_iter:
            break
    return theta, n_iter, gap <= tol, gap


def solve_l1(xp, X, signs, c, a, *, tol: float, max_iter: int, verbose: int = 0):
    """Minimize ‖w̃‖₁ + Σᵢ cᵢ max(0, 1 - zᵢ)² (penalty="l1", LIBLINEAR's L1-regularized squared hinge,
    the intercept's weight penalized like the others) by FISTA: gradient steps on the squared hinge,
    then soft-thresholding. Its gradient is Lipschitz with L = 2 λ_max(X̃ᵀ diag(max_k c) X̃). It stops
    when the gradient mapping is <= tol · max|∇P(0)|. Returns θ, the iterations, and convergence.
    """
    problem = _Problem(xp, X, signs, c, a, "squared_hinge")

    def fun(theta):  # the squared hinge alone: the problem's smooth part less ½‖θ‖²
        f, g = problem.smooth(theta, None)
        return f - 0.5 * xp.sum(theta * theta), g - theta

    n = X.shape[0]
    if is_csr(X):  # sparse: a power iteration on the products with X
        lipschitz = 2 * max_eigenvalue_of_weighted_gram(X, xp.max(c, axis=1), intercept=a, xp=xp)
    else:
        X_tilde = X if a is None else xp.concat([X, xp.full((n, 1), a, dtype=X.dtype, device=X.device)], axis=1)
        lipschitz = 2 * max_eigenvalue_of_gram(X_tilde * xp.sqrt(xp.max(c, axis=1))[:, None], xp=xp)
    theta = xp.zeros(signs.shape[1] * X.shape[1] + (signs.shape[1] if a is not None else 0), dtype=X.dtype,
                     device=X.device)
    gmax0 = float(xp.max(xp.abs(fun(theta)[1])))
    result = fista(fun, soft_threshold, theta, lipschitz=max(lipschitz, 1e-12), max_iter=max_iter,
                   tol=tol * gmax0, verbose=verbose)
    return result.x, result.n_iter, result.converged
