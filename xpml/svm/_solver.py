"""LIBLINEAR's L2-regularized linear SVM objectives (classification and regression), their duals, and how
L-BFGS minimizes them.

K problems at once on data X (n, p), each with its own weights: LinearSVC's K one-vs-rest classifiers (K = 1
for two classes) or LinearSVR's one regression. With x̃ᵢ = (xᵢ, a) the sample with the constant feature
a = intercept_scaling appended (none without an intercept), fᵢ = w̃·x̃ᵢ its score, rᵢ = yᵢ - fᵢ its residual
and cᵢ = C ωᵢ (ω the sample weights, times the class weights), the primal objective of a problem is

    P(w̃) = ½‖w̃‖² + Σᵢ cᵢ L(rᵢ),    L(r) = |d(r)| or d(r)²,

(the intercept b = a·v is the last weight v times a, penalized as ½v²) with d(r) the part of the residual
that the loss charges:

    classification, yᵢ = sᵢ = ±1:  d = r where s·r > 0, else 0:   |d| = max(0, 1 - s f), the hinge (s r = 1 - s f)
    regression, yᵢ real:           d = r - clip(r, -ε, ε):        |d| = max(0, |r| - ε), the ε-insensitive loss

(d² is the squared hinge, the squared ε-insensitive loss). Each |d| is a maximum of linear functions,
|d(r)| = max over β in [lo, hi] of β r - ε|β|, with [lo, hi] = [min(0, s), max(0, s)] and ε = 0 in
classification, [-1, 1] in regression. Conjugating gives the dual, over α = cβ (α in [c·lo, c·hi] for |d|,
on the side of the box's sign for d²):

    D(α) = Σᵢ αᵢ yᵢ - ε Σᵢ |αᵢ| - ½‖Σᵢ αᵢ x̃ᵢ‖²   [ - Σᵢ αᵢ²/(4cᵢ) for d² ].

Every D(α) is below every P(w̃), and they meet at the optimum, so the relative duality gap (P - D)/P bounds
how far from optimal a solution is (P = 0 is optimal: P >= 0).

Both are solved divided by s = max(1, max cᵢ): P/s = (r/2)‖w̃‖² + Σᵢ (cᵢ/s) L(rᵢ) with r = 1/s has the same
minimizer, and its values and gradients stay near those of C = 1 however large C is (with C of 1e155 and more,
the products of P's gradients would overflow float64).

d² is differentiable with a Lipschitz gradient: L-BFGS minimizes P directly and stops when
max|∇P| <= tol · max|∇P(0)|, the test of LIBLINEAR's primal solver. (The gap, with the dual point
αᵢ = 2cᵢ d(rᵢ), is reported.)

|d| is not differentiable. It is solved by the proximal point method on the dual (the method of multipliers
on the primal): with α = c β̄ the current dual point, each round minimizes with L-BFGS the smooth function

    P_β̄(w̃) = ½‖w̃‖² + Σᵢ cᵢ φ(rᵢ; β̄ᵢ),    φ(r; β̄) = max over β in [lo, hi] of  β r - ε|β| - μ(β - β̄)²/2,

whose maximizer is β* = clip(soft(β̄ + r/μ, ε/μ), lo, hi) (soft(v, t) = v - clip(v, -t, t), the maximizer of a
concave function of one variable clipped to the box) and whose slope is dφ/dr = β*; then sets β̄ = β*. This
is a step of the proximal point method on the dual: β̄ moves to the maximizer of D(cβ) - μ Σ cᵢ(βᵢ - β̄ᵢ)²/2,
so the rounds converge to the exact optimum with μ fixed, and each round is a well-conditioned,
squared-loss-like problem. (With β̄ = 0 the first round is the loss smoothed by μ, a Huber-like loss.) μ is in
units of the targets (`_MU`). The rounds stop when the relative duality gap, with α = c β̄, is <= tol.

References: Fan, Chang, Hsieh, Wang & Lin, "LIBLINEAR: a library for large linear classification",
JMLR 9, 2008 (the objectives and their duals); Ho & Lin, "Large-scale linear support vector regression",
JMLR 13, 2012; Rockafellar, "Augmented Lagrangians and applications of the proximal point algorithm in
convex programming", Math. Oper. Res. 1(2), 1976.
"""

from __future__ import annotations

import math

from ..optim import fista, lbfgs, soft_threshold
from ..utils._csr import is_csr
from ..utils._linalg import max_eigenvalue_of_gram, max_eigenvalue_of_weighted_gram

__all__ = ["solve", "solve_l1"]

# The proximal parameter μ of the |d| rounds, in units of the targets: of the margin 1 in classification, of the
# standard deviation of y (weighted by the costs) in regression (so that the iterates scale with y, as the solution
# does with y and 1/C).
# Measured: 0.003 to 0.03 of the margin took the fewest L-BFGS iterations on iris, wine and breast cancer (hinge,
# C from 0.1 to 10, tol 1e-8); 0.001 to 0.003 of the standard deviation on ten regressions (diabetes, Student-t
# noise, outliers, sample weights; C from 0.01 to 100), three times fewer than 0.03 of it.
_MU, _MU_REGRESSION = 0.03, 0.003


class _Problem:
    """The K problems on data X (n, p): targets Y (n, K), costs c (n, K), intercept scaling a (None: none), the
    loss d² (`squared`) or |d|, classification (`epsilon` None: Y holds the signs) or regression with
    insensitivity ε. Divided by s = max(1, max c) where `scaled`: then `c` holds c/s and the penalty's weight
    `r` is 1/s."""

    def __init__(self, xp, X, Y, c, a, *, squared: bool, epsilon: float | None = None, scaled: bool = False):
        self.r = 1.0 / max(1.0, float(xp.max(c))) if scaled else 1.0
        self.xp, self.X, self.Y, self.c, self.a, self.squared = xp, X, Y, c * self.r, a, squared
        self.n, self.p = X.shape
        self.K = Y.shape[1]
        if epsilon is None:  # the hinges: β between 0 and the sign
            self.epsilon, self.lo, self.hi, self.mu = 0.0, xp.minimum(Y, 0.0), xp.maximum(Y, 0.0), _MU
        else:
            self.epsilon, self.lo, self.hi = float(epsilon), -1.0, 1.0
            share = c / xp.sum(c)  # (n, 1): the samples' shares of the costs, so that a weight counts as repeats
            spread = xp.sqrt(xp.sum(share * (Y - xp.sum(share * Y)) ** 2))  # the weighted standard deviation of y
            self.mu = _MU_REGRESSION * (float(spread) or 1.0)

    def split(self, theta):
        """θ (K p [+ K],) as W (K, p) and v (K,) (None without intercept)."""
        W = self.xp.reshape(theta[:self.K * self.p], (self.K, self.p))
        return W, (theta[self.K * self.p:] if self.a is not None else None)

    def residuals(self, theta):
        """y - f for each sample and problem, (n, K)."""
        W, v = self.split(theta)
        scores = self.X @ W.T  # (n, K)
        return self.Y - (scores if v is None else scores + self.a * v)

    def charged(self, R):
        """d(r), the part of each residual the loss charges, (n, K)."""
        xp = self.xp
        beyond = R - xp.clip(R, -self.epsilon, self.epsilon) if self.epsilon else R  # soft(r, ε)
        return self.hi * xp.maximum(beyond, 0.0) - self.lo * xp.minimum(beyond, 0.0)  # the box's signs only

    def dual_step(self, beta_bar, R):
        """β* = clip(soft(β̄ + r/μ, ε/μ), lo, hi): the maximizer in φ(r; β̄), (n, K)."""
        xp = self.xp
        v = beta_bar + R / self.mu
        if self.epsilon:
            t = self.epsilon / self.mu
            v = v - xp.clip(v, -t, t)
        return xp.minimum(xp.maximum(v, self.lo), self.hi)

    def smooth(self, theta, beta_bar):
        """(P or P_β̄ at θ, its gradient): the function L-BFGS minimizes in one round."""
        xp = self.xp
        R = self.residuals(theta)  # (n, K)
        if self.squared:
            d = self.charged(R)
            loss, slope = d * d, 2 * d  # L and dL/dr
        else:
            beta = self.dual_step(beta_bar, R)  # (n, K)
            loss, slope = beta * R - self.epsilon * xp.abs(beta) - 0.5 * self.mu * (beta - beta_bar) ** 2, beta
        f = 0.5 * self.r * xp.sum(theta * theta) + xp.sum(self.c * loss)
        return f, self.gradient(theta, -self.c * slope)  # dL/df = -dL/dr

    def gradient(self, theta, g):
        """r θ + Σᵢ gᵢ x̃ᵢ for each problem, with g (n, K): the gradient of (r/2)‖w̃‖² plus a loss."""
        xp = self.xp
        W, v = self.split(theta)
        gX = (self.X.T @ g).T if is_csr(self.X) else g.T @ self.X  # (K, p): Σᵢ gᵢ xᵢ per problem
        parts = [xp.reshape(self.r * W + gX, (-1,))]  # (K p,)
        if v is not None:
            parts.append(self.r * v + self.a * xp.sum(g, axis=0))  # (K,)
        return xp.concat(parts) if len(parts) > 1 else parts[0]

    def gap(self, theta, alpha) -> float:
        """The relative duality gap (P(θ) - D(α)) / P(θ), summed over the K problems, α the dual point of the
        problems divided by s (α/s of the original's)."""
        xp = self.xp
        d = self.charged(self.residuals(theta))  # (n, K)
        primal = 0.5 * self.r * xp.sum(theta * theta) + xp.sum(self.c * (d * d if self.squared else xp.abs(d)))
        # Σ αᵢ x̃ᵢ / √r, stacked like θ: (1/(2r))‖Σ αᵢ x̃ᵢ‖² neither overflows nor underflows for r down to 1e-308
        w_alpha = self.gradient(xp.zeros_like(theta), alpha) / math.sqrt(self.r)
        dual = xp.sum(alpha * self.Y) - self.epsilon * xp.sum(xp.abs(alpha)) - 0.5 * xp.sum(w_alpha * w_alpha)
        if self.squared:
            c = self.c
            dual = dual - xp.sum(xp.where(c > 0, alpha * alpha / (4 * xp.where(c > 0, c, 1.0)), 0.0))
        primal = float(primal)
        if not math.isfinite(primal):
            raise ValueError(f"The linear SVM objective became {primal}: the features are too large for this C. "
                             f"Scale the features or use a smaller C.")
        return (primal - float(dual)) / primal if primal > 0 else 0.0


def solve(xp, X, Y, c, a, *, squared: bool, epsilon: float | None = None, tol: float, max_iter: int,
          verbose: int = 0, name: str = "LinearSVC"):
    """Minimize the primal objective of the K problems.

    Returns θ, the L-BFGS iterations made, whether the test of `tol` passed, and the relative
    duality gap.

    Parameters
    ----------
    X : array of shape (n, p)
    Y : array of shape (n, K)
        The signs ±1 (classification), or the targets (regression, K = 1).
    c : array of shape (n, K)
        C times the sample weights (and the class weights) in each problem.
    a : float or None
        The intercept scaling, or None for no intercept.
    squared : bool
        The loss d² (squared hinge, squared ε-insensitive), else |d| (hinge, ε-insensitive).
    epsilon : float or None
        None: classification; else regression with this insensitivity ε >= 0.
    tol : float
        d²: stop when max|∇P| <= tol · max|∇P(0)|. |d|: stop when the relative duality gap is <= tol.
    max_iter : int
        The most L-BFGS iterations, over all rounds.
    """
    problem = _Problem(xp, X, Y, c, a, squared=squared, epsilon=epsilon, scaled=True)
    n, K = Y.shape
    theta = xp.zeros(K * X.shape[1] + (K if a is not None else 0), dtype=X.dtype, device=X.device)
    beta_bar = None if squared else xp.zeros((n, K), dtype=X.dtype, device=X.device)
    gmax0 = float(xp.max(xp.abs(problem.smooth(theta, beta_bar)[1])))
    if squared:
        result = lbfgs(lambda th: problem.smooth(th, None), theta, max_iter=max_iter, tol=tol * gmax0,
                       verbose=verbose)
        alpha = 2 * problem.c * problem.charged(problem.residuals(result.x))
        return result.x, result.n_iter, result.converged, problem.gap(result.x, alpha)
    n_iter, gap = 0, math.inf
    for _ in range(max(max_iter, 1)):  # rounds; each runs L-BFGS on what is left of max_iter
        result = lbfgs(lambda th: problem.smooth(th, beta_bar), theta, max_iter=max_iter - n_iter,
                       tol=0.1 * tol * gmax0, verbose=verbose)
        theta, n_iter = result.x, n_iter + result.n_iter
        beta_bar = problem.dual_step(beta_bar, problem.residuals(theta))  # the proximal step on β̄
        gap = problem.gap(theta, problem.c * beta_bar)
        if verbose > 0:
            print(f"{name}: {n_iter} L-BFGS iterations, relative duality gap {gap:.3g}")
        if gap <= tol or n_iter >= max_iter:
            break
    return theta, n_iter, gap <= tol, gap


def solve_l1(xp, X, signs, c, a, *, tol: float, max_iter: int, verbose: int = 0):
    """Minimize ‖w̃‖₁ + Σᵢ cᵢ max(0, 1 - sᵢfᵢ)² (LinearSVC's penalty="l1", LIBLINEAR's L1-regularized squared
    hinge, the intercept's weight penalized like the others) by FISTA: gradient steps on the squared hinge,
    then soft-thresholding. Its gradient is Lipschitz with L = 2 λ_max(X̃ᵀ diag(max_k c) X̃). It stops
    when the gradient mapping is <= tol · max|∇P(0)|. Returns θ, the iterations, and convergence.
    """
    problem = _Problem(xp, X, signs, c, a, squared=True)

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
