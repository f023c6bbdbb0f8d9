"""Golden-section search: the maxima of many independent functions of one variable, found together.

Problem j asks for the maximum of f_j over an interval [a_j, b_j] on which f_j is unimodal (it rises,
then falls). Two interior points, at the golden proportions

    c = b - g (b - a),   d = a + g (b - a),   g = (√5 - 1) / 2 ≈ 0.618,

are compared: if f(c) >= f(d) the maximum lies in [a, d], otherwise in [c, b]. As g² = 1 - g, the
interior point that survives sits at the golden proportions of the new interval, so each step costs
one new value of f and shrinks the interval by g. The problems step together as arrays of shape (m,):
`fun` is called with m points and returns their m values (one evaluation for the whole batch), and
which side each problem keeps is an xp.where, never a Python branch per problem.

The search stops once every interval is shorter than rtol · (1 + |midpoint|), which it checks on the
host every `check_every` steps, or after `max_iter` steps. Near a maximum f falls below its top by
½|f''| δ², which rounding hides once δ is below about √eps (relative to the scale of the curvature):
comparisons of f cannot locate the maximum better than that flat top. Given the derivative f' (`slope`),
whose rounding is that of f's terms, not of their near-cancelling differences, a last Newton step

    x ← x - f'(x) / f''(x),   f''(x) ≈ (f'(x + h) - f'(x)) / h,   h = eps^(1/3) (1 + |x|),

goes to the zero of f' itself (where f' falls there, the zero is within h of x and within [low, high]).
From within √eps of the maximum x*, one step leaves an error of about |f'''/f''| (x - x*)² / 2 plus
(the rounding of f') / |f''|: near the rounding of x itself where f' is computed well.

Reference: J. Kiefer, Sequential minimax search for a maximum, Proceedings of the American
Mathematical Society 4 (1953) 502-506.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from .._backend import namespace_of
from ._result import OptimizeResult

__all__ = ["golden_section_maximize"]

_G = (math.sqrt(5.0) - 1.0) / 2.0  # the golden ratio's inverse, 0.618...


def golden_section_maximize(fun: Callable[[Any], Any], low: Any, high: Any, *, rtol: float | None = None,
                            slope: Callable[[Any], Any] | None = None, max_iter: int = 500,
                            check_every: int = 10) -> OptimizeResult:
    """The maximum of each of m functions of one variable, each over its own interval.

    Parameters
    ----------
    fun : callable
        fun(x) with x of shape (m,) returns the m values f_j(x_j), shape (m,). NaN counts as lower than
        any other value; map values to avoid to -inf.
    low, high : arrays of shape (m,)
        The intervals, low <= high, on which each f_j is unimodal; their library and device are used.
    rtol : float, optional
        Stop when every interval is shorter than rtol · (1 + |its midpoint|); default √eps of low's dtype.
    slope : callable, optional
        slope(x), shape (m,) -> (m,), the derivatives f_j'(x_j): a last Newton step then goes to their zero.
    max_iter : int, default=500
    check_every : int, default=10
        Steps between two convergence checks (each reads one boolean on the host).

    Returns
    -------
    OptimizeResult
        x: the best point of each problem, shape (m,); fun: its value, shape (m,); n_iter: the golden
        steps taken; converged: whether every interval reached rtol; n_fev: calls to `fun`; grad: the
        slope at x (None without `slope`).
    """
    xp = namespace_of(low)
    rtol = math.sqrt(xp.finfo(low.dtype).eps) if rtol is None else rtol
    a, b = low, high  # (m,)
    c, d = b - _G * (b - a), a + _G * (b - a)  # (m,) the two interior points, c <= d
    fc, fd = fun(c), fun(d)
    n_iter, converged = 0, False
    while n_iter < max_iter and not converged:
        left = (fc >= fd) | xp.isnan(fd)  # (m,) the maximum lies in [a, d], else in [c, b]
        a, b = xp.where(left, a, c), xp.where(left, d, b)
        x = xp.where(left, b - _G * (b - a), a + _G * (b - a))  # (m,) the new interior point
        fx = fun(x)
        # left: x is the new c and the old c the new d; right: the old d is the new c and x the new d
        c, d, fc, fd = (xp.where(left, x, d), xp.where(left, c, x), xp.where(left, fx, fd), xp.where(left, fc, fx))
        n_iter += 1
        if n_iter % check_every == 0:
            converged = bool(xp.all(b - a <= rtol * (1.0 + xp.abs(a + b) / 2.0)))
    best = (fc >= fd) | xp.isnan(fd)
    x, fx, grad = xp.where(best, c, d), xp.where(best, fc, fd), None  # (m,) each
    if slope is not None:
        x, fx, grad = _newton_step(fun, slope, x, fx, low, high)
    return OptimizeResult(x=x, fun=fx, grad=grad, n_iter=n_iter, converged=converged,
                          n_fev=n_iter + 2 + (slope is not None),
                          message="interval below rtol" if converged else "max_iter reached")


def _newton_step(fun: Callable[[Any], Any], slope: Callable[[Any], Any], x: Any, fx: Any, low: Any,
                 high: Any) -> tuple[Any, Any, Any]:
    """x moved to the zero of the slope, taken as linear between x and x + h, where the slope falls there (a
    maximum) and the zero is within h of x and within [low, high] (elsewhere x stays); f and the slope at x.
    (m,) each."""
    xp = namespace_of(x)
    h = xp.finfo(x.dtype).eps ** (1.0 / 3.0) * (1.0 + xp.abs(x))  # (m,)
    s0 = slope(x)
    curvature = (slope(x + h) - s0) / h  # (m,) about f'', < 0 at a maximum
    step = -s0 / xp.where(curvature < 0, curvature, -1.0)  # (m,)
    ok = (curvature < 0) & (xp.abs(step) <= h) & (x + step >= low) & (x + step <= high)  # NaN compares False
    x = xp.where(ok, x + step, x)
    return x, xp.where(ok, fun(x), fx), xp.where(ok, slope(x), s0)
