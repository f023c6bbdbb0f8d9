"""The power transforms of PowerTransformer, and their exponents λ fitted by maximum likelihood.

Box-Cox (x > 0) and Yeo-Johnson (any real x), with their limits at λ = 0 (and λ = 2):

    box-cox:      ψ(x, λ) = (x^λ - 1) / λ,                      log x at λ = 0
    yeo-johnson:  ψ(x, λ) = ((1 + x)^λ - 1) / λ           x >= 0 (log(1 + x) at λ = 0)
                  ψ(x, λ) = -((1 - x)^(2-λ) - 1) / (2 - λ)   x < 0  (-log(1 - x) at λ = 2)

all of the form e(m, v) = (e^{mv} - 1) / m = expm1(m v) / m, with v = log x or log(1 + |x|): accurate near
m = 0. If ψ(x, λ) is Gaussian, the log-likelihood of a feature's n observed values, maximized over the
Gaussian's mean and variance, is, up to a constant,

    ℓ(λ) = -n/2 log σ²(λ) + (λ - 1) Σ J(x),    J(x) = log x (Box-Cox), sign(x) log(1 + |x|) (Yeo-Johnson),

σ²(λ) the variance of the transformed values, the second term the log of the Jacobian. Its derivative is

    ℓ'(λ) = Σ J(x) - n cov(ψ, ∂ψ/∂λ) / σ²(λ),    ∂e/∂m = v² g(m v),  g(t) = (t eᵗ - expm1(t)) / t²,

g computed from its series 1/2 + t/3 + t²/8 + t³/30 for |t| < 1e-3, where the quotient would cancel. Each
feature's λ maximizes its ℓ: a golden-section search for all features at once (`golden_section_maximize`,
ending with a Newton step on ℓ'), over an interval on which the transformed values keep within half of the
exponent range, e^±L. Yeo-Johnson's is scipy's (for data up to 20 times the largest seen). Box-Cox's λ does
not depend on the scale of x (x → cx only shifts ℓ by -n log c): its interval asks |λ| (max log x - min log x)
<= 2L, and x^λ <= max / 10⁴ (scipy's margin), so that the transform cannot overflow. Its σ² is computed as
σ²(λ) = e^{2λr} Var(e(λ, log x - r)), r the largest log x for λ > 0 and the smallest for λ < 0, so that
λ (log x - r) <= 0: no overflow whatever λ. NaN values (missing) are left out of ℓ.

References: G. E. P. Box and D. R. Cox, An analysis of transformations, Journal of the Royal Statistical
Society B 26 (1964) 211-252; I.-K. Yeo and R. A. Johnson, A new family of power transformations to improve
normality or symmetry, Biometrika 87 (2000) 954-959.
"""

from __future__ import annotations

import math

from ..optim._scalar import golden_section_maximize

__all__ = ["box_cox", "box_cox_lambdas", "yeo_johnson", "yeo_johnson_lambdas"]


def _expm1_over(xp, v, m):
    """e(m, v) = expm1(m v) / m, v at m = 0; v (n, p), m (p,)."""
    zero = m == 0
    return xp.where(zero, v, xp.expm1(m * v) / xp.where(zero, 1.0, m))


def _expm1_over_slope(xp, v, m):
    """∂e/∂m = v² g(m v), g(t) = (t eᵗ - expm1(t)) / t² (its series near t = 0). (n, p)"""
    t = m * v
    small = xp.abs(t) < 1e-3
    s = xp.where(small, 1.0, t)
    g = xp.where(small, 0.5 + t / 3 + t**2 / 8 + t**2 * t / 30, (s * xp.exp(s) - xp.expm1(s)) / s**2)  # not t**3: pow
    return v**2 * g


def box_cox(xp, X, lmbda):
    """ψ(X, λ) of Box-Cox, λ (p,) one per column of X (n, p)."""
    return _expm1_over(xp, xp.log(X), lmbda)


def yeo_johnson(xp, X, lmbda):
    """ψ(X, λ) of Yeo-Johnson, λ (p,) one per column of X (n, p)."""
    positive = X >= 0  # (n, p)
    m = xp.where(positive, lmbda, 2 - lmbda)  # (n, p) the exponent on each side
    e = _expm1_over(xp, xp.log1p(xp.abs(X)), m)
    return xp.where(positive, e, -e)


def _masked_mean(xp, A, observed, count):
    return xp.sum(xp.where(observed, A, 0.0), axis=0) / count  # (p,)


def _likelihood(xp, jacobian, count, observed, curve):
    """(ℓ, ℓ') as functions of λ (p,) -> (p,), from curve(λ) = (Y, s), or, curve(λ, slopes=True) = (Y, s, ∂Y/∂λ,
    ds/dλ): Y (n, p) the transformed values up to a factor e^s and an offset, s (p,) or 0."""
    inf = xp.asarray(math.inf, dtype=jacobian.dtype, device=jacobian.device)

    def centred(Y):  # Y less its mean, and its variance (p,)
        Y = Y - _masked_mean(xp, Y, observed, count)  # (n, p)
        return Y, _masked_mean(xp, Y**2, observed, count)

    def loglik(lmbda):
        Y, shift = curve(lmbda)
        log_var = xp.log(centred(Y)[1]) + 2 * shift  # log σ²
        return xp.where(xp.isfinite(log_var), (lmbda - 1) * jacobian - count / 2 * log_var, -inf)

    def slope(lmbda):
        Y, _, dY, shift_slope = curve(lmbda, slopes=True)
        Y, var = centred(Y)
        return jacobian - count * (shift_slope + _masked_mean(xp, Y * dY, observed, count) / var)

    return loglik, slope


def box_cox_lambdas(xp, X, observed, count, dtype):
    """The λ (p,) maximizing Box-Cox's ℓ for each column of X (n, p), > 0 where `observed`; `dtype`: the data's."""
    inf = xp.asarray(math.inf, dtype=X.dtype, device=X.device)
    logx = xp.log(xp.where(observed, X, 1.0))  # (n, p)
    top, bottom = xp.max(xp.where(observed, logx, -inf), axis=0), xp.min(xp.where(observed, logx, inf), axis=0)
    logx = xp.where(observed, logx, bottom)  # missing entries at a value that cannot overflow below
    jacobian = xp.sum(xp.where(observed, logx, 0.0), axis=0)  # (p,) Σ log x

    def curve(lmbda, slopes=False):  # e(λ, log x - r) and the shift λ r; their slopes
        ref = xp.where(lmbda > 0, top, bottom)  # (p,) λ (log x - ref) <= 0
        u = logx - ref  # (n, p)
        Y, shift = _expm1_over(xp, u, lmbda), lmbda * ref
        return (Y, shift, _expm1_over_slope(xp, u, lmbda), ref) if slopes else (Y, shift)

    loglik, slope = _likelihood(xp, jacobian, count, observed, curve)
    half, largest = _exponent_limits(xp, dtype)[1], math.log(xp.finfo(dtype).max / 1e4)  # scipy's margin
    spread = top - bottom  # (p,) > 0: constant columns are refused
    reach = 2 * half / xp.where(spread > 0, spread, 1.0)  # (p,) |λ| · spread <= 2L
    high = xp.where(top > 0, xp.minimum(reach, largest / xp.where(top > 0, top, 1.0)), reach)  # x^λ <= max / 1e4
    low = xp.where(bottom < 0, xp.maximum(-reach, largest / xp.where(bottom < 0, bottom, -1.0)), -reach)
    return golden_section_maximize(loglik, low, high, slope=slope).x


def yeo_johnson_lambdas(xp, X, observed, count, dtype):
    """The λ (p,) maximizing Yeo-Johnson's ℓ for each column of X (n, p), over scipy's interval."""
    X = xp.where(observed, X, 0.0)  # ψ(0) = 0, J(0) = 0: finite, and masked out
    v, positive = xp.log1p(xp.abs(X)), X >= 0  # (n, p) each
    jacobian = xp.sum(xp.sign(X) * v, axis=0)  # (p,)

    def curve(lmbda, slopes=False):  # ψ = sign(x) e(m, v); ∂ψ/∂λ = ∂e/∂m (m = λ, or 2 - λ for x < 0)
        m = xp.where(positive, lmbda, 2 - lmbda)  # (n, p)
        e = _expm1_over(xp, v, m)
        Y = xp.where(positive, e, -e)
        return (Y, 0.0, _expm1_over_slope(xp, v, m), 0.0) if slopes else (Y, 0.0)

    loglik, slope = _likelihood(xp, jacobian, count, observed, curve)
    low, high = _exponent_limits(xp, dtype)
    reach = xp.log1p(20 * xp.max(xp.abs(X), axis=0))  # (p,) the log-scale of the data the interval allows for
    reach = xp.where(reach > 0, reach, 1.0)
    lb, ub = low / reach, high / reach  # (p,) for data >= 0
    all_negative, some_negative = xp.all(~observed | (X < 0), axis=0), xp.any(observed & (X < 0), axis=0)  # (p,)
    lb, ub = (xp.where(all_negative, 2 - ub, xp.where(some_negative, xp.maximum(2 - ub, lb), lb)),
              xp.where(all_negative, 2 - lb, xp.where(some_negative, xp.minimum(2 - lb, ub), ub)))
    return golden_section_maximize(loglik, lb, ub, slope=slope).x


def _exponent_limits(xp, dtype) -> tuple[float, float]:
    """(-L', L): half of `dtype`'s exponent range below and above 1, less its precision (scipy's margins), as
    natural logs: values within [e^-L', e^L] have a variance that neither overflows nor underflows."""
    info = xp.finfo(dtype)
    log_eps = math.log(info.eps)
    return (math.log(info.smallest_normal) - log_eps) / 2, (math.log(info.max) + log_eps) / 2
