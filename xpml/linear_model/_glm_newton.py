"""Newton's method with a Cholesky solve and a backtracking line search: the GLMs' "newton-cholesky" solver.

For a smooth convex objective F(θ) with gradient g and Hessian H (the GLM's: `_glm_loss.GLMLoss.gradient_hessian`,
Xᵀ D X + α I bordered by the intercept's row and column), each iteration

1. forms g and H at θ. Far from the optimum a non-canonical link can make the curvature of some samples negative;
   H takes its absolute value there, and if more than a quarter of the weight has curvature <= 0, Newton's step
   is no guide: L-BFGS takes over (see below);
2. factors H = L Lᵀ (Cholesky) and solves L Lᵀ d = -g for the Newton step d. A factorization that fails (H not
   positive definite: singular, with α = 0 and collinear features) or whose factor is too ill-conditioned to solve
   with (min Lᵢᵢ² <= eps · max Lᵢᵢ², which makes cond(H) >= 1/eps) hands over to L-BFGS, as does a step that
   rounding has made no descent direction (g·d >= 0);
3. backtracks along d: tries t = 1, ½, ¼, ... (21 tries, down to 2⁻²⁰) until the Armijo condition holds,

       F(θ + t d) - F(θ) <= σ t g·d,     σ = 2⁻¹¹,

   or, where the change of F is below its rounding error (|ΔF| <= 16 eps |F|), until the gradient has shrunk
   (‖g(θ + t d)‖₁ < ‖g(θ)‖₁). A NaN or infinite F (an overflowing exp, μ <= 0 under an identity link) fails both.
   No such t: L-BFGS takes over;
4. stops when max|g(θ + t d)| <= tol and the Newton decrement of the step, ½ dᵀ H d = -½ g·d, is <= tol.

When Newton's method hands over, L-BFGS (`xpml.optim.lbfgs`) goes on from the current θ with the iterations left
(max_iter less the Newton steps taken), and a warning says why. These are scikit-learn's rules and constants
(NewtonCholeskySolver), so the two take the same steps; only the rounding test of step 3 can differ, as xpml's F is
half the mean deviance itself and scikit-learn's leaves out its terms that do not depend on θ.

The array API has a Cholesky factorization (`xp.linalg.cholesky`) but no triangular solve: the two triangular
systems L z = -g and Lᵀ d = z are solved by `xp.linalg.solve`. H is (k, k) with k the number of features (+1), so
those solves, O(k³), cost little beside forming H, O(n k²). numpy and torch raise on a factorization that fails;
jax and cupy return NaN: the checks of step 2 read the factor's diagonal, which catches both. An iteration reads
the host once for the checks of steps 1 and 2 (with g·d), and once per trial step of the line search.

References: J. Nocedal and S. J. Wright, Numerical Optimization (2nd ed.), 2006, Algorithm 3.1 (backtracking) and
section 3.4 (Newton's method with Hessian modification); S. Boyd and L. Vandenberghe, Convex Optimization, 2004,
section 9.5 (the Newton decrement).
"""

from __future__ import annotations

from ..exceptions import ConvergenceWarning, LinAlgWarning
from ..optim import OptimizeResult, lbfgs
from ..optim._line_search import read_scalars
from ..utils._warnings import warn

__all__ = ["newton_cholesky"]

_ARMIJO = 2.0**-11  # σ: the share of the predicted decrease that a step must achieve
_TRIES = 21  # step lengths 1, 1/2, ..., 2**-20
_NONPOSITIVE_SHARE = 0.25  # the most weight with curvature <= 0 that Newton's step tolerates


def newton_cholesky(loss, theta0, *, max_iter: int, tol: float, verbose: int = 0) -> OptimizeResult:
    """Minimize `loss` from θ₀ by Newton-Cholesky steps (module docstring), finishing with L-BFGS if they fail.

    Parameters
    ----------
    loss : callable
        `loss(θ) -> (F, ∇F)`, with `loss.gradient_hessian(θ) -> (∇F, ∇²F, share of weight with curvature <= 0)`.
    theta0 : array of shape (k,)
    max_iter : int
        The most iterations, Newton's and L-BFGS's together.
    tol : float
    verbose : int
        Print each iteration's loss and max|grad| if > 0.

    Returns
    -------
    OptimizeResult
    """
    xp = loss.xp
    eps = float(xp.finfo(theta0.dtype).eps)
    theta = theta0
    f, g = loss(theta)
    f, = read_scalars(f)
    n_iter, n_fev = 0, 1
    while n_iter < max_iter:
        g, H, nonpositive = loss.gradient_hessian(theta)
        d, d_dot_g, l1_norm, trouble = _newton_step(xp, g, H, nonpositive, eps)
        step = None if trouble is not None else _backtrack(loss, theta, d, f, d_dot_g, l1_norm, eps)
        if trouble is None and step is None:
            trouble = (f"its line search found no acceptable step in {_TRIES} step lengths", ConvergenceWarning)
            n_fev += _TRIES
        if trouble is not None:
            message, category = trouble
            warn(f"Newton-Cholesky hands over to L-BFGS at iteration {n_iter + 1}: {message}.", category)
            return _finish_with_lbfgs(loss, theta, n_iter, n_fev, max_iter=max_iter, tol=tol, verbose=verbose)
        theta, f, g, g_max, n_tries = step
        n_iter, n_fev = n_iter + 1, n_fev + n_tries
        if verbose > 0:
            print(f"Newton-Cholesky iteration {n_iter}: loss {f:.10g}, max|grad| {g_max:.3g}, "
                  f"Newton decrement {-0.5 * d_dot_g:.3g}")
        if g_max <= tol and -0.5 * d_dot_g <= tol:
            return OptimizeResult(theta, f, g, n_iter, True, n_fev, "max|grad| <= tol and Newton decrement <= tol")
    return OptimizeResult(theta, f, g, n_iter, False, n_fev, f"max_iter={max_iter} reached")


def _newton_step(xp, g, H, nonpositive, eps: float):
    """(d, g·d, ‖g‖₁, None) for the d solving H d = -g through H = L Lᵀ, or (None, None, None, (why Newton's step
    cannot be taken, the warning's class)): the checks of steps 1 and 2, in one read of the host."""
    try:
        L = xp.linalg.cholesky(H)  # (k, k), lower triangular
    except (ValueError, RuntimeError, ArithmeticError):  # numpy's LinAlgError is a ValueError, torch's a RuntimeError
        L = None
    if L is None:
        (share,), d = read_scalars(nonpositive), None
    else:
        z = xp.linalg.solve(L, -g[:, None])  # (k, 1): L z = -g
        d = xp.linalg.solve(L.T, z)[:, 0]  # (k,): Lᵀ d = z
        squares = xp.linalg.diagonal(L) ** 2  # (k,) Lᵢᵢ²
        share, low, high, d_dot_g, l1_norm = read_scalars(nonpositive, xp.min(squares), xp.max(squares), g @ d,
                                                          xp.sum(xp.abs(g)))
    if share > _NONPOSITIVE_SHARE:
        why = (f"the curvature of the deviance is <= 0 for {share:.0%} of the weight (a non-canonical link far from "
               f"the optimum)")
        return None, None, None, (why, ConvergenceWarning)
    if d is None or not low > eps * high:  # NaN fails too (jax and cupy do not raise)
        why = ("the Hessian is singular or too ill-conditioned to solve with (collinear features with alpha=0?); a "
               "larger alpha, or fewer collinear features, would keep Newton's method")
        return None, None, None, (why, LinAlgWarning)
    if not d_dot_g < 0:
        return None, None, None, ("the Newton step is not a descent direction (rounding)", ConvergenceWarning)
    return d, d_dot_g, l1_norm, None


def _backtrack(loss, theta, d, f0: float, d_dot_g: float, l1_norm: float, eps: float):
    """(θ + t d, F, ∇F, max|∇F|, evaluations) for the first t = 1, ½, ... that is accepted (module docstring, step
    3), or None if none of the `_TRIES` is."""
    xp, t = loss.xp, 1.0
    for tries in range(1, _TRIES + 1):
        candidate = theta + t * d  # (k,)
        f, g = loss(candidate)
        f, g_l1, g_max = read_scalars(f, xp.sum(xp.abs(g)), xp.max(xp.abs(g)))
        change = f - f0
        if change <= _ARMIJO * t * d_dot_g or (abs(change) <= 16 * eps * abs(f0) and g_l1 < l1_norm):
            return candidate, f, g, g_max, tries
        t *= 0.5
    return None


def _finish_with_lbfgs(loss, theta, n_iter: int, n_fev: int, *, max_iter: int, tol: float, verbose: int):
    """L-BFGS from θ with the iterations left; the result counts the Newton steps and evaluations before it."""
    result = lbfgs(loss, theta, max_iter=max_iter - n_iter, tol=tol, verbose=verbose)
    return OptimizeResult(result.x, result.fun, result.grad, n_iter + result.n_iter, result.converged,
                          n_fev + result.n_fev, f"L-BFGS after Newton-Cholesky: {result.message}")
