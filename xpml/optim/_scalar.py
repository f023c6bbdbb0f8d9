"""Safeguarded Newton's method: the maxima of many independent functions of one variable, found together.

Problem j asks for the maximum of f_j over an interval [low_j, high_j] on which f_j is unimodal (it rises,
then falls), given its first and second derivatives. The maximum is where the slope f' crosses zero, and
Newton's method for that zero,

    x ← x - f'(x) / f''(x),

converges quadratically near it: the error after a step is about |f'''/(2 f'')| times the square of the
error before. Far from it a Newton step can go anywhere (where f'' >= 0 it even heads for a minimum), so
each step is guarded by a bracket [a, b] that holds the maximum. It starts as [low, high]; every slope
evaluated narrows it: f'(x) > 0 puts the maximum right of x (a ← x), f'(x) < 0 left of it (b ← x). A
Newton step is taken when f'' < 0, it lands in [a, b] (one that would leave [low, high] stops at its edge,
so that a maximum on the edge is reached in one step, not approached by halving), and it is shorter than
the step before last (steps must shrink). Otherwise the step bisects [a, b], which then halves. This is
Numerical Recipes' rtsafe, except that rtsafe asks a Newton step to be at most half the step before last:
here the far end of the bracket is often still an edge of the interval, never evaluated, and a bisection
that refuses a Newton step still converging (only linearly, as it does far from a flat top) would throw x
halfway to that edge. Where the slope is NaN (f undefined there, or lost to rounding), the maximum is taken
to lie toward the last point whose slope was a number, and the step bisects.

The problems step together as arrays of shape (m,): `derivatives` is called with m points and returns
their m slopes and curvatures (one evaluation for the whole batch), and which step each problem takes is
an xp.where, never a Python branch per problem. A problem is done once its last step was a Newton step of
at most rtol · (1 + |x|) (its error is then about the square of that: the rounding of x, for the default
rtol = √eps), or its bracket is that narrow; it then stays where it is while the others go on. Whether all
are done is read on the host after each step: a step costs a pass over the data, and there are few.

Reference: W. H. Press, S. A. Teukolsky, W. T. Vetterling and B. P. Flannery, Numerical Recipes, 3rd
edition, Cambridge University Press (2007), section 9.4 (Newton-Raphson using the derivative: rtsafe).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, Callable

from .._backend import backend_of, namespace_of, to_backend
from ..utils._lazy import is_lazy, read_values
from ._result import OptimizeResult

__all__ = ["newton_maximize"]


def newton_maximize(derivatives: Callable[[Any], tuple[Any, Any]], low: Any, high: Any, x0: Any, *,
                    rtol: float | None = None, max_iter: int = 100) -> OptimizeResult:
    """The maximum of each of m functions of one variable, each over its own interval, by safeguarded Newton steps.

    Parameters
    ----------
    derivatives : callable
        derivatives(x) with x of shape (m,) returns (f'(x), f''(x)), the m slopes f_j'(x_j) and curvatures
        f_j''(x_j), shape (m,) each. A NaN slope (f undefined there) is taken to point toward the last point
        whose slope was a number (before any, toward the middle of the bracket), and that problem bisects.
    low, high : arrays of shape (m,)
        The intervals, low <= high, on which each f_j is unimodal; their library and device are used.
    x0 : array of shape (m,)
        The starting points (moved into [low, high]).
    rtol : float, optional
        A problem is done after a Newton step of at most rtol · (1 + |x|), or once its bracket is that
        narrow; default √eps of low's dtype.
    max_iter : int, default=100
        Evaluations of `derivatives` at most.

    Returns
    -------
    OptimizeResult
        x: the maximum of each problem, shape (m,), the point its last step reached (not evaluated again);
        n_iter and n_fev: the evaluations made; converged: whether every problem was done; fun and grad:
        None.
    """
    backend = backend_of(low)
    if is_lazy(backend):  # dask: the (m,) iterates on the host, each evaluation one compute over the data
        def on_host(x):
            return read_values(backend, *derivatives(to_backend(x, backend)))
        result = newton_maximize(on_host, *read_values(backend, low, high, x0), rtol=rtol, max_iter=max_iter)
        return replace(result, x=to_backend(result.x, backend))
    xp = namespace_of(low)
    rtol = math.sqrt(xp.finfo(low.dtype).eps) if rtol is None else rtol
    x = xp.clip(x0, low, high)  # (m,)
    a, b = low, high  # (m,) the bracket: the maximum lies in [a, b]
    step = before = high - low  # (m,) the last step and the one before it (at first, the bracket's width)
    good = xp.full(x.shape, math.nan, dtype=x.dtype, device=x.device)  # (m,) the last x with a slope, if any
    done = xp.zeros(x.shape, dtype=xp.bool, device=x.device)
    n_iter, converged = 0, False
    while n_iter < max_iter and not converged:
        slope, curvature = derivatives(x)  # (m,) each
        n_iter += 1
        lost = xp.isnan(slope)  # (m,) no slope here: the maximum is taken to lie toward the last x that had one,
        toward = xp.where(xp.isnan(good), (a + b) / 2 - x, good - x)  # or, before any, toward the bracket's middle
        slope, good = xp.where(lost, xp.where(toward == 0, -1.0, toward), slope), xp.where(lost, good, x)
        a, b = xp.where(slope >= 0, x, a), xp.where(slope <= 0, x, b)
        newton = xp.clip(x - slope / xp.where(curvature < 0, curvature, -1.0), low, high) - x  # (m,)
        take = (curvature < 0) & ~lost & (x + newton >= a) & (x + newton <= b) & (xp.abs(newton) < xp.abs(before))
        new = xp.where(take, newton, (a + b) / 2 - x)  # (m,) a Newton step, or one that bisects [a, b]
        tol = rtol * (1.0 + xp.abs(x))
        x = xp.where(done, x, x + new)
        before, step = step, xp.where(done, step, new)
        done = done | (take & (xp.abs(new) <= tol)) | (b - a <= tol)
        converged = bool(xp.all(done))
    return OptimizeResult(x=x, fun=None, grad=None, n_iter=n_iter, converged=converged, n_fev=n_iter,
                          message="every problem done" if converged else "max_iter reached")
