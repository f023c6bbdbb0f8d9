"""L-BFGS: a quasi-Newton minimizer that needs only the loss and its gradient.

Newton's method steps along d = -H g, with H the inverse Hessian. L-BFGS never forms H: it keeps
the last m steps s_i = x_{i+1} - x_i and gradient changes y_i = g_{i+1} - g_i, and applies the
BFGS approximation of H built from them to g with the *two-loop recursion* (O(m·n) work):

    q = g
    for i = newest .. oldest:   a_i = ρ_i s_i·q,   q -= a_i y_i          (ρ_i = 1 / y_i·s_i)
    r = γ q                     (γ = s·y / y·y of the newest pair: the scale of the Hessian)
    for i = oldest .. newest:   b = ρ_i y_i·r,     r += (a_i - b) s_i
    d = -r

A line search (`strong_wolfe`) then picks the step length; the Wolfe curvature condition keeps
s·y > 0, so the next H stays positive definite. The very first step has length 1 along -g. Near the
minimum, where decreases of the loss fall below its rounding error (taken as 100 machine epsilons
of |loss|), the line search judges steps by their slopes instead.

Convergence (checked after every iteration), whichever comes first:

- max_i |g_i| <= tol: the max-abs gradient, as scipy's L-BFGS-B `pgtol` (projected gradient,
  which for an unconstrained problem is the gradient);
- (f_k - f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) <= ftol: the loss has stopped decreasing, relative
  to its size (`ftol` defaults to 64 machine epsilons of the dtype of x0).

The vectors stay on the device, and so does the choice of whether a pair (s, y) is kept: a pair
that would spoil H gets ρ = 0, which makes it a no-op in the two-loop recursion. An iteration then
needs the host only once, when its line search accepts its first trial step (the usual case): the
slope along the new direction, the trial's loss and slope, and max|g| of the current point and of
the trial come back together. When the line search accepts that first trial, the next iteration
thus knows max|g| at its start and tests convergence before it spends a trial step; otherwise
convergence is seen one trial late (that trial is evaluated and dropped).

Reference: J. Nocedal and S. J. Wright, Numerical Optimization (2nd ed.), 2006, Algorithm 7.4
(two-loop recursion) and 7.5 (L-BFGS); D. C. Liu and J. Nocedal, "On the limited memory BFGS
method for large scale optimization", Mathematical Programming 45 (1989).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, Callable

from .._backend import backend_of, device_of, namespace_of, to_backend
from ..utils._lazy import is_lazy, read_values
from ._line_search import read_scalars, strong_wolfe
from ._result import OptimizeResult

__all__ = ["lbfgs"]


def lbfgs(
    fun: Callable, x0: Any, *, max_iter: int = 100, tol: float = 1e-4, m: int = 10,
    callback: Callable | None = None, ftol: float | None = None, max_ls: int = 50, verbose: int = 0,
) -> OptimizeResult:
    """Minimize a smooth function with L-BFGS and a strong-Wolfe line search.

    Parameters
    ----------
    fun : callable
        `fun(x) -> (loss, grad)`: the loss as a 0-d array and its gradient, shaped like `x`.
    x0 : array of shape (n,)
        The starting point; every iterate has its library, device and dtype.
    max_iter : int
        The most iterations (steps).
    tol : float
        Stop when max|grad| <= tol.
    m : int
        How many (s, y) pairs to remember.
    callback : callable, optional
        `callback(x)` after each iteration; if it returns True, the optimizer stops there.
    ftol : float, optional
        Stop when the relative decrease of the loss is <= ftol. Default: 64·eps of x0's dtype.
    max_ls : int
        The most calls to `fun` in one line search.
    verbose : int
        Print the loss and max|grad| of every iteration if > 0.

    Returns
    -------
    OptimizeResult

    Raises
    ------
    ValueError
        If the loss at `x0` is NaN or infinite.
    """
    if is_lazy(backend_of(x0)):  # dask: the iterates on the host, each evaluation one compute over the data
        return _on_the_host(fun, x0, max_iter=max_iter, tol=tol, m=m, callback=callback, ftol=ftol, max_ls=max_ls,
                            verbose=verbose)
    xp = namespace_of(x0)
    eps = xp.finfo(x0.dtype).eps
    ftol = 64 * eps if ftol is None else ftol
    noise = 100 * eps  # the relative rounding error of a loss summed over many terms
    x = x0
    f, g = fun(x)
    f, n_fev = float(f), 1
    if not math.isfinite(f):
        raise ValueError(f"The loss at the starting point is {f}; check the data and the parameters for NaN or inf.")
    memory: list[tuple[Any, Any, Any, Any]] = []  # (s, y, ρ, γ) on the device, oldest first
    gamma = xp.ones((), dtype=x0.dtype, device=device_of(x0))  # γ of the newest kept pair
    f_old, n_iter, converged, message = None, 0, False, ""
    known = None  # max|g| at x, when it came to the host with the trial step that led to x
    while True:
        if n_iter >= max_iter:
            converged = float(xp.max(xp.abs(g))) <= tol
            message = "max|grad| <= tol" if converged else f"max_iter={max_iter} reached"
            break
        if known is not None and _convergence(known, f_old, f, tol, ftol):
            gmax = known  # converged: no trial step to spend
        else:
            d = -_two_loop(g, memory)  # (n,)
            first = None
            if memory:  # try the step of length 1 at once, and read everything in one go
                xa = x + d  # (n,)
                fa, ga = fun(xa)
                n_fev += 1
                slope, fa, slope_a, gmax, gmax_a = read_scalars(g @ d, fa, ga @ d, xp.max(xp.abs(g)),
                                                                xp.max(xp.abs(ga)))
                first = (fa, slope_a, xa, ga)
            else:
                slope, gmax = read_scalars(g @ d, xp.max(xp.abs(g)))
        if verbose > 0 and n_iter > 0:
            print(f"L-BFGS iteration {n_iter}: loss {f:.10g}, max|grad| {gmax:.3g}")
        message = _convergence(gmax, f_old, f, tol, ftol)
        if message:
            converged = True
            break
        if not slope < 0:  # rounding has spoilt H: start again from steepest descent
            if memory:
                memory = []
                continue
            converged, message = True, "the squared gradient underflows to 0"  # g·g of a gradient near 1e-160
            break
        step = 1.0 if memory else 1.0 / math.sqrt(-slope)  # first step: length 1 along -g
        ls = strong_wolfe(fun, x, d, f, slope, step, max_fev=max_ls, noise=noise * abs(f), first=first)
        n_fev += ls.n_fev - (first is not None)
        if not ls.ok:
            if memory:  # retry this iteration along -g before giving up
                memory = []
                continue
            message = "the line search found no step that decreases the loss"
            break
        s, y = ls.x - x, ls.grad - g  # (n,), (n,)
        sy, yy = s @ y, y @ y  # 0-d, on the device
        keep = sy > 1e-10 * yy  # keep H positive definite: a pair that would not gets ρ = 0
        rho = xp.where(keep, 1.0 / xp.where(keep, sy, 1.0), 0.0)
        gamma = xp.where(keep, sy / xp.where(keep, yy, 1.0), gamma)
        memory = (memory + [(s, y, rho, gamma)])[-m:]
        known = gmax_a if first is not None and ls.x is first[2] else None  # the first trial was taken
        f_old, x, f, g = f, ls.x, ls.f, ls.grad
        n_iter += 1
        if callback is not None and callback(x):
            message = "stopped by the callback"
            break
    return OptimizeResult(x, f, g, n_iter, bool(converged), n_fev, message)


def _convergence(gmax: float, f_old: float | None, f: float, tol: float, ftol: float) -> str:
    """Why L-BFGS stops at a point of max|g| `gmax` and loss `f` (`f_old` before the last step), or ""."""
    if gmax <= tol:
        return "max|grad| <= tol"
    if f_old is not None and 0 <= f_old - f <= ftol * max(abs(f_old), abs(f), 1.0):
        return "relative decrease of the loss <= ftol"  # (a step judged by its slope may not decrease f)
    return ""


def _on_the_host(fun, x0, callback, **settings) -> OptimizeResult:
    """L-BFGS on a lazy backend (dask): the iterates, gradients and pairs, vectors of the size of x, are kept on
    the host (numpy), where the two-loop recursion and the line search cost microseconds instead of a task
    graph each; each evaluation of `fun` is one compute, over the data, of the loss and gradient."""
    lazy = backend_of(x0)
    x0_host, = read_values(lazy, x0)

    def host_fun(x):
        return read_values(lazy, *fun(to_backend(x, lazy)))
    on_lazy = None if callback is None else (lambda x: callback(to_backend(x, lazy)))
    result = lbfgs(host_fun, x0_host, callback=on_lazy, **settings)
    return replace(result, x=to_backend(result.x, lazy), grad=to_backend(result.grad, lazy))


def _two_loop(g: Any, memory: list) -> Any:
    """H g for the L-BFGS inverse-Hessian approximation H of the pairs in `memory` (g when empty)."""
    q = g
    alphas = []
    for s, y, rho, _ in reversed(memory):
        a = rho * (s @ q)  # 0-d, stays on the device
        q = q - a * y
        alphas.append(a)
    if memory:
        q = memory[-1][3] * q  # γ = s·y / y·y of the newest kept pair
    for (s, y, rho, _), a in zip(memory, reversed(alphas)):
        b = rho * (y @ q)
        q = q + (a - b) * s
    return q
