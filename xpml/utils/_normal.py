"""The standard normal distribution function Φ and its inverse Φ⁻¹, elementwise, on the array API.

The array API has no error function, so both are built here from series that need only exp, log,
sqrt and the four operations, to within a few units in the last place in float64:

- the upper tail Q(a) = 1 - Φ(a) of a >= 0, from the density φ(a) = e^{-a²/2} / √(2π):
  - for a < 2, Φ(a) - ½ = φ(a) Σₖ a^{2k+1} / (1·3·5···(2k+1)) (Abramowitz & Stegun 26.2.11), a series
    of positive terms, 30 of which reach the last bit below 2;
  - for a >= 2, the Mills ratio Q(a) / φ(a) as Laplace's continued fraction
    1 / (a + 1 / (a + 2 / (a + 3 / (a + ...)))) (A&S 26.2.14), 100 levels deep, evaluated from the bottom;
  - e^{-a²/2} as e^{-h²/2} e^{-(a - h)(a + h)/2}, h = a rounded down to a sixteenth (h² is exact): the
    rounding of a² would otherwise cost a relative error of a² ε (2e-13 at a = 30);
- Φ(x) = Q(-x) for x < 0, 1 - Q(x) else: the lower tail keeps its relative precision;
- Φ⁻¹(p) by Halley's iteration x ← x - u / (1 + x u / 2), u = (Φ(x) - p) / φ(x), on the lower tail
  r = min(p, 1 - p) (1 - p is exact for p >= ½), from Hastings' start (A&S 26.2.23, within 4.5e-4): its
  error cubes each step, and two steps reach the last bit. Below |x| = 2, Φ(x) - r is formed as
  (½ - r) ± φ(x) S(|x|) (S the series above), without the cancellation of Φ(x) - r. Φ⁻¹(0) = -inf,
  Φ⁻¹(1) = inf, NaN (and p outside [0, 1]) gives NaN. A backend with a native Φ⁻¹ (capability "normal_ppf",
  scipy's or torch's ndtri, ten times faster) gives that one instead; the two agree to an ulp or two.

Each element needs only one of the two expansions, and the other costs as much again (30 terms, 100 levels):
where a backend indexes by a mask at no extra cost (not jax, which compiles for each new length, nor dask, whose
lengths are unknown until computed), each is evaluated on the elements that read it only (`_where_read`), the
same operations on the same numbers: the results are the same to the last bit.

References: M. Abramowitz and I. A. Stegun, Handbook of Mathematical Functions (1964), 26.2.11, 26.2.14
and 26.2.23 (C. Hastings' approximation); Halley's method, e.g. in A. S. Householder, The Numerical
Treatment of a Single Nonlinear Equation (1970).
"""

from __future__ import annotations

import math

from .._backend import backend_of, capability, compiles_per_shape, namespace_of
from ._errstate import float_errors_ignored

__all__ = ["normal_cdf", "normal_ppf", "portable_normal_ppf"]

_SERIES_TERMS, _FRACTION_DEPTH, _SWITCH, _HALLEY_STEPS = 30, 100, 2.0, 2
_SQRT_2PI = math.sqrt(2 * math.pi)
_SERIES_COEFFICIENTS = [1 / math.prod(range(1, 2 * k + 2, 2)) for k in range(_SERIES_TERMS)]  # 1 / (1·3···(2k+1))


def _density(xp, a):
    """φ(a) = e^{-a²/2} / √(2π), with a² split so that its rounding does not reach the exponential."""
    h = xp.floor(a * 16) / 16  # a rounded down to a sixteenth: h² is exact
    return xp.exp(-0.5 * h * h) * xp.exp(-0.5 * (a - h) * (a + h)) / _SQRT_2PI


def _series(xp, a):
    """S(a) = Σₖ a^{2k+1} / (1·3···(2k+1)), so that Φ(a) - ½ = φ(a) S(a); meant for 0 <= a < 2 (0 elsewhere). By
    Horner's rule in a², from the smallest term's coefficient up (two operations a term)."""
    s = xp.where(a < _SWITCH, a, xp.zeros_like(a))
    square = s * s
    total = xp.full_like(s, _SERIES_COEFFICIENTS[-1])
    for coefficient in _SERIES_COEFFICIENTS[-2::-1]:
        total = total * square + coefficient
    return total * s


def _mills_ratio(xp, a):
    """Q(a) / φ(a) by Laplace's continued fraction; meant for a >= 2 (a below 2 is read as 2)."""
    c = xp.where(a >= _SWITCH, a, xp.full_like(a, _SWITCH))
    fraction = c
    for k in range(_FRACTION_DEPTH, 0, -1):
        fraction = c + k / fraction
    return 1.0 / fraction


def _where_read(xp, read, expansion, a):
    """expansion(xp, a) at the elements where `read` (a boolean array of a's shape) holds; elsewhere any value (the
    caller does not read it). Evaluated on those elements only where the backend makes arrays of data-dependent
    length cheaply; elsewhere, on all of them."""
    backend = backend_of(a)
    if compiles_per_shape(backend) or capability(backend, "lazy"):
        return expansion(xp, a)
    flat_read = xp.reshape(read, (-1,))  # (N,)
    chosen = xp.reshape(a, (-1,))[flat_read]  # (k,) the elements read, in order
    if chosen.shape[0] == 0:
        return a
    slot = xp.cumulative_sum(xp.astype(flat_read, backend.int_dtype)) - 1  # (N,) each read element's place among them
    spread = xp.take(expansion(xp, chosen), xp.clip(slot, 0, chosen.shape[0] - 1))  # (N,)
    return xp.reshape(spread, a.shape)


def _upper_tail(xp, a):
    """Q(a) = 1 - Φ(a) for a >= 0."""
    density = _density(xp, a)
    near = a < _SWITCH
    return xp.where(near, 0.5 - density * _where_read(xp, near, _series, a),
                    density * _where_read(xp, ~near, _mills_ratio, a))


def normal_cdf(x, *, xp=None):
    """Φ(x), the standard normal distribution function, elementwise (NaN stays NaN)."""
    xp = namespace_of(x) if xp is None else xp
    with float_errors_ignored():  # far tails underflow to 0 (and 1), as they should
        a = xp.abs(x)
        tail = xp.where(a == math.inf, xp.zeros_like(a), _upper_tail(xp, a))
        return xp.where(x < 0, tail, 1.0 - tail)


def normal_ppf(p, *, xp=None):
    """Φ⁻¹(p), the standard normal quantile function, elementwise: -inf at 0, inf at 1, NaN outside [0, 1]. The
    backend's own (capability "normal_ppf": scipy's or torch's ndtri) where it has one, else `portable_normal_ppf`."""
    native = capability(backend_of(p), "normal_ppf")
    return portable_normal_ppf(p, xp=xp) if native is None else native(p)


def portable_normal_ppf(p, *, xp=None):
    """Φ⁻¹(p) by the Halley iteration of the module's docstring, on the array API."""
    xp = namespace_of(p) if xp is None else xp
    with float_errors_ignored():
        r = xp.minimum(p, 1.0 - p)  # the lower tail, whose quantile x <= 0 is found
        inside = (r > 0) & (r <= 0.5)  # NaN and the ends excluded
        r_in = xp.where(inside, r, xp.full_like(r, 0.25))
        t = xp.sqrt(-2.0 * xp.log(r_in))
        x = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308))))
        for _ in range(_HALLEY_STEPS):
            a = xp.abs(x)
            density = _density(xp, a)
            side = xp.where(x < 0, -density, density)  # Φ(x) = ½ ± φ(x) S(|x|) below 2
            inner = a < _SWITCH
            near = (0.5 - r_in) + side * _where_read(xp, inner, _series, a)  # Φ(x) - r without the cancellation
            far = density * _where_read(xp, ~inner & (x < 0), _mills_ratio, a)  # Q(|x|) = Φ(x) for x <= -2
            residual = xp.where(inner, near, xp.where(x < 0, far, 1.0) - r_in)
            u = residual / density
            x = x - u / (1.0 + x * u / 2)
        x = xp.where(p > 0.5, -x, x)
        infinite = xp.where(p > 0.5, xp.full_like(x, math.inf), xp.full_like(x, -math.inf))
        x = xp.where(r == 0, infinite, x)
        return xp.where(inside | (r == 0), x, xp.full_like(x, math.nan))
