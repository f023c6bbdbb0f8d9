"""Survival functions of the F and chi-squared distributions, on the array API (no scipy at runtime).

    F(d1, d2) survival:   P(F > f)  = I_w(d2/2, d1/2),  w = d2 / (d2 + d1 f)
    chi2(k) survival:     P(X > x)  = Q(k/2, x/2)

I_x(a, b) is the regularized incomplete beta function and Q(a, x) the regularized upper incomplete gamma
function. The shape parameters (degrees of freedom) are Python numbers, so the log-gamma normalizations are
computed on the host with `math.lgamma`; only x is an array. Both are evaluated as in Numerical Recipes
(§6.2 and §6.4): I_x(a, b) by its continued fraction, evaluated with the modified Lentz method, on the side
x < (a+1)/(a+b+2) where it converges fast, and through I_x(a, b) = 1 - I_{1-x}(b, a) otherwise (1 - x is
passed in exactly by the caller); Q(a, x) by its continued fraction for x >= a + 1 and by 1 - P(a, x), P from
its power series, for x < a + 1 (where Q is not small, so the subtraction loses nothing relevant).
Against scipy.special.fdtrc / chdtrc the accuracy is 1e-14 to 1e-12 relative (the lower for thousands of
degrees of freedom, where the log-gamma terms cancel).

References: W. H. Press, S. A. Teukolsky, W. T. Vetterling and B. P. Flannery, Numerical Recipes, 3rd ed.,
Cambridge University Press (2007), §5.2 (Lentz's method), §6.2 and §6.4; W. J. Lentz, Generating Bessel
functions in Mie scattering calculations using continued fractions, Applied Optics 15 (1976) 668-671.
"""

from __future__ import annotations

import math

from .._backend import namespace_of

__all__ = ["chi2_sf", "f_sf"]

_TINY = 1e-300
_EPS = 1e-16
_MAX_TERMS = 2000  # Lentz's iterations stop earlier, when every element has converged
_CHECK_EVERY = 16


def _guard(xp, v):
    """v with |v| at least _TINY (Lentz's method divides by it)."""
    return xp.where(xp.abs(v) < _TINY, _TINY, v)


def _converged(xp, delta) -> bool:
    """Every factor within one ulp of 1 (Numerical Recipes' test, |δ - 1| <= ε of the dtype): a host check, the
    loop's convergence branch. (A bound below ε asks δ to be 1 exactly, which one value may not reach for hundreds
    of terms.)"""
    return bool(xp.all(xp.abs(delta - 1.0) <= xp.finfo(delta.dtype).eps))


def _beta_fraction(xp, a: float, b: float, x):
    """The continued fraction of I_x(a, b) (Numerical Recipes' betacf), elementwise in x."""
    c = xp.ones_like(x)
    d = 1.0 / _guard(xp, 1.0 - (a + b) * x / (a + 1.0))
    h = d
    for m in range(1, _MAX_TERMS + 1):
        even = m * (b - m) * x / ((a - 1.0 + 2 * m) * (a + 2 * m))  # d_{2m}
        d = 1.0 / _guard(xp, 1.0 + even * d)
        c = _guard(xp, 1.0 + even / c)
        h = h * d * c
        odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 1.0 + 2 * m))  # d_{2m+1}
        d = 1.0 / _guard(xp, 1.0 + odd * d)
        c = _guard(xp, 1.0 + odd / c)
        delta = d * c
        h = h * delta
        if m % _CHECK_EVERY == 0 and _converged(xp, delta):
            break
    return h


def betainc(a: float, b: float, x, one_minus_x):
    """The regularized incomplete beta function I_x(a, b), for numbers a, b > 0 and an array x in [0, 1];
    `one_minus_x` is 1 - x, given exactly by the caller (it matters where x is near 1)."""
    xp = namespace_of(x)
    inside = (x > 0) & (one_minus_x > 0)
    xs = xp.where(inside, x, 0.5)
    ys = xp.where(inside, one_minus_x, 0.5)
    log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    log_front = a * xp.log(xs) + b * xp.log(ys) - log_beta  # log x^a (1-x)^b / B(a, b)
    front = xp.exp(log_front)
    direct = xs < (a + 1.0) / (a + b + 2.0)
    # Each side's fraction evaluated where it converges fast (the other side's x replaced by a harmless value).
    left = front * _beta_fraction(xp, a, b, xp.where(direct, xs, 0.0)) / a
    right = 1.0 - front * _beta_fraction(xp, b, a, xp.where(direct, 0.0, ys)) / b
    value = xp.where(direct, left, right)
    value = xp.where(x <= 0, 0.0, xp.where(one_minus_x <= 0, 1.0, value))
    return xp.where(xp.isnan(x) | xp.isnan(one_minus_x), math.nan, value)


def gammaincc(a: float, x):
    """The regularized upper incomplete gamma function Q(a, x), for a number a > 0 and an array x >= 0."""
    xp = namespace_of(x)
    ok = xp.isfinite(x) & (x > 0)
    xs = xp.where(ok, x, 1.0)
    front = xp.exp(-xs + a * xp.log(xs) - math.lgamma(a))  # e^{-x} x^a / Γ(a)
    series_side = xs < a + 1.0
    # Series for P(a, x) = front Σ_n x^n / (a (a+1) ... (a+n)), where x < a + 1.
    xl = xp.where(series_side, xs, 0.0)
    term = xp.ones_like(xs) / a
    total = term
    for n in range(1, _MAX_TERMS + 1):
        term = term * xl / (a + n)
        total = total + term
        if n % _CHECK_EVERY == 0 and bool(xp.all(xp.abs(term) < xp.abs(total) * _EPS)):
            break
    lower = 1.0 - front * total
    # Continued fraction for Q(a, x) (Numerical Recipes' gcf, modified Lentz), where x >= a + 1.
    xu = xp.where(series_side, a + 1.0, xs)
    bb = xu + 1.0 - a
    c = xp.full_like(xs, 1.0 / _TINY)
    d = 1.0 / bb
    h = d
    for i in range(1, _MAX_TERMS + 1):
        an = -i * (i - a)
        bb = bb + 2.0
        d = 1.0 / _guard(xp, an * d + bb)
        c = _guard(xp, bb + an / c)
        delta = d * c
        h = h * delta
        if i % _CHECK_EVERY == 0 and _converged(xp, delta):
            break
    value = xp.where(series_side, lower, front * h)
    value = xp.where(x <= 0, 1.0, xp.where(xp.isinf(x), 0.0, value))
    return xp.where(xp.isnan(x), math.nan, value)


def f_sf(f, d1: float, d2: float):
    """P(F > f) for the F distribution with (d1, d2) degrees of freedom (scipy.special.fdtrc); f an array."""
    xp = namespace_of(f)
    finite = xp.where(xp.isfinite(f) & (f >= 0), f, 0.0)
    denominator = d2 + d1 * finite
    value = betainc(d2 / 2.0, d1 / 2.0, d2 / denominator, d1 * finite / denominator)  # (p,)
    value = xp.where(xp.isinf(f) & (f > 0), 0.0, value)
    return xp.where(xp.isnan(f) | (f < 0), math.nan, value)


def chi2_sf(x, k: float):
    """P(X > x) for the chi-squared distribution with k degrees of freedom (scipy.special.chdtrc); x an array."""
    return gammaincc(k / 2.0, x / 2.0)
