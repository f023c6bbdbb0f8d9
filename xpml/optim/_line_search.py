"""A line search that satisfies the strong Wolfe conditions.

Along a descent direction d from x, with φ(a) = f(x + a·d) and φ'(a) = ∇f(x + a·d)·d, it looks for
a step a > 0 such that

    φ(a) <= φ(0) + c1·a·φ'(0)       (sufficient decrease)
    |φ'(a)| <= c2·|φ'(0)|           (curvature: the slope has flattened)

with 0 < c1 < c2 < 1. Near a minimum, the decrease c1·a·|φ'(0)| can fall below the rounding error
of the loss itself; a step whose loss is within that error (`noise`) of φ(0) is then accepted if it
satisfies the curvature condition, as in the "approximate Wolfe conditions" of Hager and Zhang,
which judge the decrease by slopes, accurate where losses are not.

A first phase doubles the step until it brackets such a point; a second ("zoom") shrinks the
bracket, trying the minimizer of the cubic that interpolates the loss and slope at the bracket's
ends, kept away from them, or bisecting when the cubic is of no use. A step whose loss is NaN or
infinite (overflow far along d) counts as too long.

Only φ(a) and φ'(a) come to the host, read together once per trial step (`read_scalars`); the
vectors stay on the device. A caller that has evaluated the first trial step already (L-BFGS reads
it with its own scalars) passes it as `first`.

References: J. Nocedal and S. J. Wright, Numerical Optimization (2nd ed.), 2006, Algorithms 3.5
and 3.6, and the cubic interpolation of equation (3.59); W. W. Hager and H. Zhang, "A new conjugate
gradient method with guaranteed descent and an efficient line search", SIAM J. Optim. 16 (2005).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from .._backend import device_of, namespace_of, to_numpy

__all__ = ["LineSearchResult", "read_scalars", "strong_wolfe"]


def read_scalars(*values: Any) -> list[float]:
    """0-d arrays of one device as Python floats, in one transfer from the device to the host."""
    xp = namespace_of(values[0])
    like = {"dtype": values[0].dtype, "device": device_of(values[0])}
    return [float(v) for v in to_numpy(xp.stack([xp.asarray(v, **like) for v in values]))]


@dataclass
class _Point:
    step: float
    f: float  # φ(step)
    slope: float  # φ'(step)
    x: Any = None
    grad: Any = None


@dataclass
class LineSearchResult:
    """The step taken and the point it leads to; `ok` is False when no step decreased the loss."""

    step: float
    x: Any
    f: float
    grad: Any
    n_fev: int
    ok: bool
    wolfe: bool  # whether the strong Wolfe conditions hold (else only sufficient decrease)


def strong_wolfe(
    fun: Callable, x: Any, d: Any, f0: float, slope0: float, step: float, *,
    max_fev: int = 50, c1: float = 1e-4, c2: float = 0.9, noise: float = 0.0, first: tuple | None = None,
) -> LineSearchResult:
    """Find a step along `d` from `x` that satisfies the strong Wolfe conditions.

    Parameters
    ----------
    fun : callable
        `fun(x) -> (loss, grad)`, loss a 0-d array.
    x, d : arrays of shape (n,)
        The start and a descent direction (`slope0 < 0`).
    f0, slope0 : float
        φ(0) = f(x) and φ'(0) = ∇f(x)·d.
    step : float
        The first step to try.
    max_fev : int
        The most calls to `fun`.
    c1, c2 : float
        The constants of the sufficient decrease and curvature conditions.
    noise : float
        The rounding error of the loss: a step that satisfies the curvature condition and whose
        loss is <= φ(0) + noise is accepted even if its decrease is too small to measure.
    first : (φ(step), φ'(step), x + step·d, its gradient), optional
        The first trial step, already evaluated by the caller (it counts in `n_fev`).

    Returns
    -------
    LineSearchResult
        With `ok=False` and the starting point if no trial step decreased the loss.
    """
    n_fev = 0

    def evaluate(a: float) -> _Point:
        nonlocal n_fev
        n_fev += 1
        xa = x + a * d  # (n,)
        fa, ga = fun(xa)
        fa_host, slope = read_scalars(fa, ga @ d)
        return _Point(a, fa_host, slope, xa, ga)

    def decreases_enough(p: _Point) -> bool:
        return math.isfinite(p.f) and p.f <= f0 + c1 * p.step * slope0

    def flat_enough(p: _Point) -> bool:
        return abs(p.slope) <= -c2 * slope0

    def acceptable(p: _Point) -> bool:
        return flat_enough(p) and (decreases_enough(p) or (math.isfinite(p.f) and p.f <= f0 + noise))

    def done(p: _Point, wolfe: bool = True) -> LineSearchResult:
        return LineSearchResult(p.step, p.x, p.f, p.grad, n_fev, True, wolfe)

    # Phase 1: grow the step until [lo, hi] brackets a point that satisfies both conditions.
    lo = _Point(0.0, f0, slope0, x)
    hi = None
    pending, n_fev = first, int(first is not None)
    while n_fev < max_fev:
        p = _Point(step, *pending) if pending is not None else evaluate(step)
        pending = None
        if acceptable(p):
            return done(p)
        if not decreases_enough(p) or (lo.step > 0 and p.f >= lo.f):
            hi = p
            break
        if p.slope >= 0:  # past a minimum along d: it lies between p and lo
            lo, hi = p, lo
            break
        lo, step = p, 2.0 * step

    # Phase 2 (zoom): lo satisfies sufficient decrease and has the lowest loss found; shrink [lo, hi].
    while hi is not None and n_fev < max_fev:
        width = abs(hi.step - lo.step)
        if width <= 1e-12 * max(lo.step, hi.step):
            break
        p = evaluate(_cubic_step(lo, hi))
        if acceptable(p):
            return done(p)
        if not decreases_enough(p) or p.f >= lo.f:
            hi = p
            continue
        if p.slope * (hi.step - lo.step) >= 0:
            hi = lo
        lo = p

    if lo.step > 0:  # out of evaluations: take the best step, which at least decreases the loss
        return done(lo, wolfe=False)
    return LineSearchResult(0.0, x, f0, None, n_fev, False, False)


def _cubic_step(a: _Point, b: _Point) -> float:
    """The minimizer of the cubic through (step, f, slope) at a and b, kept inside the middle 80%.

    Falls back to the midpoint where the cubic has no minimizer there or a value is not finite.
    """
    left, right = min(a.step, b.step), max(a.step, b.step)
    margin = 0.1 * (right - left)
    if all(map(math.isfinite, (a.f, a.slope, b.f, b.slope))):
        d1 = a.slope + b.slope - 3.0 * (a.f - b.f) / (a.step - b.step)
        radicand = d1 * d1 - a.slope * b.slope
        if radicand >= 0:
            d2 = math.copysign(math.sqrt(radicand), b.step - a.step)
            denominator = b.slope - a.slope + 2.0 * d2
            if denominator != 0:
                t = b.step - (b.step - a.step) * (b.slope + d2 - d1) / denominator
                if left + margin <= t <= right - margin:
                    return t
    return 0.5 * (left + right)
