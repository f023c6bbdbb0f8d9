"""The power transforms of PowerTransformer, and their exponents λ fitted by maximum likelihood.

Box-Cox (x > 0) and Yeo-Johnson (any real x), with their limits at λ = 0 (and λ = 2):

    box-cox:      ψ(x, λ) = (x^λ - 1) / λ,                      log x at λ = 0
    yeo-johnson:  ψ(x, λ) = ((1 + x)^λ - 1) / λ           x >= 0 (log(1 + x) at λ = 0)
                  ψ(x, λ) = -((1 - x)^(2-λ) - 1) / (2 - λ)   x < 0  (-log(1 - x) at λ = 2)

all of the form ±e(m, v), e(m, v) = (e^{mv} - 1) / m = expm1(m v) / m, with v = log x or log(1 + |x|) and
m = λ (or 2 - λ where x < 0): accurate near m = 0. If ψ(x, λ) is Gaussian, the log-likelihood of a
feature's n observed values, maximized over the Gaussian's mean and variance, is, up to a constant,

    ℓ(λ) = -n/2 log σ²(λ) + (λ - 1) Σ J(x),    J(x) = log x (Box-Cox), sign(x) log(1 + |x|) (Yeo-Johnson),

σ²(λ) the variance of the transformed values, the second term the log of the Jacobian. Each feature's λ
is the zero of the slope ℓ', found by safeguarded Newton steps for all features at once
(`newton_maximize`), which need ℓ' and ℓ'':

    ℓ'(λ)  = Σ J - n cov(ψ, ψ') / σ²
    ℓ''(λ) = -n [(var(ψ') + cov(ψ, ψ'')) / σ² - 2 (cov(ψ, ψ') / σ²)²]

(ψ', ψ'' the derivatives in λ). With t = m v and E(t) = expm1(t) / t, e = v E(t), so that

    ψ' = v² E'(t),    ψ'' = ±v³ E''(t),    E'(t) = (eᵗ - E(t)) / t,    E''(t) = (eᵗ - 2 E'(t)) / t,

E' and E'' from their series 1/2 + t/3 + t²/8 + t³/30 and 1/3 + t/4 where |t| < 2e-3 and the quotients
would cancel (E' to about 1e-13 either side of the switch; E'' only moves the Newton steps, not the zero).
One evaluation is one pass over the data, a block of samples at a time (`chunk_rows`) so that its
temporaries stay in cache, the blocks shared among the host's worker threads; each block's sums are
centred on the block's means and pooled exactly (Chan, Golub & LeVeque). On large data the first steps go
over one block in eight only (`_search`): two or three passes over all of it then finish. An exponent
m = 0 (λ = 0, or 2) is taken as m = √(smallest normal) (`_nonzero`): e is then v to rounding. The search
interval keeps the transformed values within half of the exponent range, e^±L. Yeo-Johnson's is scipy's
(for data up to 20 times the largest seen). Box-Cox's λ does not depend on the scale of x (x → cx only
shifts ℓ by -n log c): its interval asks |λ| (max log x - min log x) <= 2L, and x^λ <= max / 10⁴ (scipy's
margin), so that the transform cannot overflow. Its σ² is computed as
σ²(λ) = e^{2λr} Var(e(λ, log x - r)), r the largest log x for λ > 0 and the smallest for λ < 0, so that
λ (log x - r) <= 0: no overflow whatever λ. NaN values (missing) are left out of ℓ.

References: G. E. P. Box and D. R. Cox, An analysis of transformations, Journal of the Royal Statistical
Society B 26 (1964) 211-252; I.-K. Yeo and R. A. Johnson, A new family of power transformations to improve
normality or symmetry, Biometrika 87 (2000) 954-959; T. F. Chan, G. H. Golub and R. J. LeVeque,
Algorithms for computing the sample variance, The American Statistician 37 (1983) 242-247.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from ..optim._scalar import newton_maximize
from ..utils._chunks import chunk_rows, row_slices
from ..utils._errstate import float_errors_ignored
from ..utils._lazy import read_values
from ..utils._quantiles import _column_runs
from ..utils._threads import host_workers, on_workers

__all__ = ["box_cox", "box_cox_lambdas", "yeo_johnson", "yeo_johnson_lambdas"]

_SERIES = 2e-3  # |t| below which E'(t) and E''(t) come from their series
_SAMPLE = 8  # the first steps of the search go over one block in _SAMPLE (`_search`)
_SHARE = 2  # a block holds 1/_SHARE of `chunk_rows`' budget: 2^17 values, 1 MiB of float64 in each temporary


def _nonzero(xp, m):
    """The exponents m (p,), with those nearer 0 than √(smallest normal) moved there, where expm1(m v) / m is v
    to rounding and 1 / m is finite."""
    tiny = math.sqrt(xp.finfo(m.dtype).smallest_normal)
    return xp.where(xp.abs(m) < tiny, tiny, m)


def box_cox(xp, X, lmbda):
    """ψ(X, λ) of Box-Cox, λ (p,) one per column of X (n, p)."""
    m = _nonzero(xp, lmbda)  # (p,)
    return xp.expm1(m * xp.log(X)) * (1.0 / m)


def yeo_johnson(xp, X, lmbda):
    """ψ(X, λ) of Yeo-Johnson, λ (p,) one per column of X (n, p)."""
    up, down = _nonzero(xp, lmbda), _nonzero(xp, 2 - lmbda)  # (p,) the exponent of each side
    positive = X >= 0  # (n, p)
    return xp.expm1(xp.where(positive, up, down) * xp.log1p(xp.abs(X))) * xp.where(positive, 1.0 / up, -1.0 / down)


def _curve(xp, t, k, v, signed):
    """ψ, ψ', ψ'' (p, b) each, from t = m v, k = ±1/m (ψ = k expm1(t)), v and signed = ±v, all (p, b)."""
    ex = xp.expm1(t)
    small = xp.abs(t) < _SERIES
    q = 1.0 / t  # inf at t = 0, where the series are taken
    grow = ex + 1.0  # eᵗ
    d1 = xp.where(small, 0.5 + t * (1 / 3 + t * (1 / 8 + t * (1 / 30))), (grow - ex * q) * q)  # E'(t)
    d2 = xp.where(small, 1 / 3 + t * 0.25, (grow - 2 * d1) * q)  # E''(t)
    v2 = v * v
    return ex * k, v2 * d1, signed * v2 * d2


def _block_sums(xp, Y, Y1, Y2, observed, count):
    """(8, p) for one block of samples, ψ, ψ', ψ'' (p, b) each (0 where missing), `count` (p,) observed values:
    the count, the sums of ψ, ψ', ψ'', and Σ D D, Σ D ψ', Σ D' D', Σ D ψ'', D and D' the deviations of ψ and
    ψ' from their means over the block."""
    sums = [xp.sum(Y, axis=-1), xp.sum(Y1, axis=-1), xp.sum(Y2, axis=-1)]  # (p,) each
    share = xp.maximum(count, 1.0)[:, None]
    D, D1 = Y - sums[0][:, None] / share, Y1 - sums[1][:, None] / share  # (p, b) each
    if observed is not None:
        D, D1 = xp.where(observed, D, 0.0), xp.where(observed, D1, 0.0)
    dot = xp.linalg.vecdot  # (array-api-compat's xp.vecdot on torch, a batched matmul, takes 30 times longer)
    return xp.stack([count, *sums, dot(D, D), dot(D, Y1), dot(D1, D1), dot(D, Y2)])


def _derivatives(backend, blocks, block_sums, shift_slope):
    """(ℓ', ℓ''), (p,) each, over the `blocks`: `block_sums(block)` of each (`_block_sums`), computed on the host's
    worker threads, then pooled (Chan, Golub & LeVeque: to the sums of the blocks' centred products, add each
    block's count times the product of its means' deviations from the pooled means)."""
    xp = backend.xp

    def run(part):  # on a worker thread, which has its own floating-point error state
        with float_errors_ignored():
            return [block_sums(block) for block in part]
    parts = on_workers(run, blocks, host_workers(backend))
    sums = xp.stack([s for part in parts for s in part])  # (B, 8, p) in the blocks' order
    count, means = sums[:, 0, :], sums[:, 1:4, :] / xp.maximum(sums[:, 0:1, :], 1.0)  # (B, p), (B, 3, p)
    n, jacobian = xp.sum(count, axis=0), xp.sum(xp.stack([block.jacobian for block in blocks]), axis=0)  # (p,)
    dev = means - xp.sum(sums[:, 1:4, :], axis=0) / n  # (B, 3, p) the blocks' means less the pooled ones
    pooled = lambda k, i, j: xp.sum(sums[:, k, :] + count * dev[:, i, :] * dev[:, j, :], axis=0)  # (p,)
    var, cov1, var1, cov2 = pooled(4, 0, 0), pooled(5, 0, 1), pooled(6, 1, 1), pooled(7, 0, 2)  # (p,) each, × n
    ratio = cov1 / var  # (p,) cov(ψ, ψ') / σ²
    return jacobian - n * (shift_slope + ratio), -n * ((var1 + cov2) / var - 2 * ratio**2)


class _Block(NamedTuple):
    """A block of samples: its values of the arrays the derivatives need, (p, b) each, its mask of observed values
    (None when nothing is missing), and its counts and Σ J(x), (p,) each; `side`: whether its values of x are all
    >= 0 ("+"), all < 0 ("-"), or both ("±")."""
    arrays: tuple
    mask: Any
    count: Any
    jacobian: Any
    side: str = "+"


def _blocks(backend, arrays, observed, J):
    """The arrays (n, p) laid out (p, n), each feature's samples contiguous, cut in `_Block`s of samples; J (n, p)
    the terms of Σ J(x) (0 where missing). Blocks of 2^17 values took the least time on numpy and torch (from
    2^15 to 2^19)."""
    xp = backend.xp
    n, p = arrays[0].shape
    arrays = [_column_runs(xp, A) for A in arrays]  # (p, n) each
    mask = None if observed is None else _column_runs(xp, observed)
    out = []
    for rows in row_slices(n, chunk_rows(backend, _SHARE * p)):
        block, jacobian = tuple(A[:, rows] for A in arrays), xp.sum(J[rows, :], axis=0)  # (p, b) each, (p,)
        if mask is None:
            count = xp.full((p,), float(rows.stop - rows.start), dtype=J.dtype, device=J.device)
            out.append(_Block(block, None, count, jacobian))
        else:
            out.append(_Block(block, mask[:, rows], xp.sum(xp.astype(mask[:, rows], J.dtype), axis=-1), jacobian))
    return out


def box_cox_lambdas(backend, X, observed, dtype, missing):
    """The λ (p,) maximizing Box-Cox's ℓ for each column of X (n, p), > 0 where `observed`; `dtype`: the data's;
    `missing`: whether any value is missing."""
    xp = backend.xp
    inf = xp.asarray(math.inf, dtype=X.dtype, device=X.device)
    logx = xp.log(xp.where(observed, X, 1.0))  # (n, p)
    top, bottom = xp.max(xp.where(observed, logx, -inf), axis=0), xp.min(xp.where(observed, logx, inf), axis=0)
    blocks = _blocks(backend, [logx], observed if missing else None, logx)  # J(x) = log x, 0 where missing

    def derivatives(lmbda, blocks):  # from u = log x - r, whose e(λ, u) has the variance of ψ up to a factor e^{2λr}
        ref = xp.where(lmbda > 0, top, bottom)[:, None]  # (p, 1) λ (log x - ref) <= 0
        m = _nonzero(xp, lmbda)[:, None]  # (p, 1)

        def block_sums(block):
            u = block.arrays[0] - ref  # (p, b)
            u = u if block.mask is None else xp.where(block.mask, u, 0.0)
            return _block_sums(xp, *_curve(xp, m * u, 1.0 / m, u, u), block.mask, block.count)
        return _derivatives(backend, blocks, block_sums, ref[:, 0])

    half, largest = _exponent_limits(xp, dtype)[1], math.log(xp.finfo(dtype).max / 1e4)  # scipy's margin
    spread = top - bottom  # (p,) > 0: constant columns are refused
    reach = 2 * half / xp.where(spread > 0, spread, 1.0)  # (p,) |λ| · spread <= 2L
    high = xp.where(top > 0, xp.minimum(reach, largest / xp.where(top > 0, top, 1.0)), reach)  # x^λ <= max / 1e4
    low = xp.where(bottom < 0, xp.maximum(-reach, largest / xp.where(bottom < 0, bottom, -1.0)), -reach)
    return _search(xp, derivatives, blocks, low, high)


def yeo_johnson_lambdas(backend, X, observed, dtype, missing, constant):
    """The λ (p,) maximizing Yeo-Johnson's ℓ for each column of X (n, p), over scipy's interval; λ = 1 where
    `constant` (p,)."""
    xp = backend.xp
    X = xp.where(observed, X, 0.0) if missing else X  # ψ(0) = 0, J(0) = 0, ψ'(0) = ψ''(0) = 0: missing add nothing
    v, positive = xp.log1p(xp.abs(X)), X >= 0  # (n, p) each
    blocks = _blocks(backend, [v, positive], observed if missing else None, xp.where(positive, v, -v))  # J(x)
    # which blocks hold values of one sign only (most, for most data), read once: those need no xp.where
    sides, = read_values(backend, xp.stack([xp.stack([xp.all(b.arrays[1]), xp.any(b.arrays[1])]) for b in blocks]))
    blocks = [block._replace(side="+" if all_positive else "-" if not any_positive else "±")
              for block, (all_positive, any_positive) in zip(blocks, sides.tolist())]

    def derivatives(lmbda, blocks):  # m = λ where x >= 0, 2 - λ below: ψ' = v² E'(m v) on both sides
        up, down = _nonzero(xp, lmbda)[:, None], _nonzero(xp, 2 - lmbda)[:, None]  # (p, 1) each

        def block_sums(block):
            vb, pb = block.arrays  # (p, b) each
            if block.side == "+":
                m, k, signed = up, 1.0 / up, vb  # (p, 1), (p, 1), (p, b)
            elif block.side == "-":
                m, k, signed = down, -1.0 / down, -vb
            else:
                m, k, signed = xp.where(pb, up, down), xp.where(pb, 1.0 / up, -1.0 / down), xp.where(pb, vb, -vb)
            return _block_sums(xp, *_curve(xp, m * vb, k, vb, signed), block.mask, block.count)
        return _derivatives(backend, blocks, block_sums, 0.0)

    low, high = _exponent_limits(xp, dtype)
    reach = xp.log1p(20 * xp.max(xp.abs(X), axis=0))  # (p,) the log-scale of the data the interval allows for
    reach = xp.where(reach > 0, reach, 1.0)
    lb, ub = low / reach, high / reach  # (p,) for data >= 0
    all_negative, some_negative = xp.all(~observed | (X < 0), axis=0), xp.any(observed & (X < 0), axis=0)  # (p,)
    lb, ub = (xp.where(all_negative, 2 - ub, xp.where(some_negative, xp.maximum(2 - ub, lb), lb)),
              xp.where(all_negative, 2 - lb, xp.where(some_negative, xp.minimum(2 - lb, ub), ub)))
    lb, ub = xp.where(constant, 1.0, lb), xp.where(constant, 1.0, ub)  # nothing to search: λ = 1
    return _search(xp, derivatives, blocks, lb, ub)


def _search(xp, derivatives, blocks, low, high):
    """The λ (p,) maximizing ℓ over [low, high] (`newton_maximize` from λ = 1), `derivatives(λ, blocks)` giving
    ℓ' and ℓ'' over `blocks`. Far from the maximum a step needs no more than a sample of the data: with enough
    blocks, the first steps go over every `_SAMPLE`-th block only (samples spread over all of the data), to
    within 1e-3; the steps over all the blocks start where those ended, and need only two or three more."""
    start = xp.ones_like(low)  # (p,) the identity (Yeo-Johnson), x - 1 (Box-Cox)
    if len(blocks) >= 2 * _SAMPLE:
        start = newton_maximize(lambda lmbda: derivatives(lmbda, blocks[::_SAMPLE]), low, high, start, rtol=1e-3).x
    return newton_maximize(lambda lmbda: derivatives(lmbda, blocks), low, high, start).x


def _exponent_limits(xp, dtype) -> tuple[float, float]:
    """(-L', L): half of `dtype`'s exponent range below and above 1, less its precision (scipy's margins), as
    natural logs: values within [e^-L', e^L] have a variance that neither overflows nor underflows."""
    info = xp.finfo(dtype)
    log_eps = math.log(info.eps)
    return (math.log(info.smallest_normal) - log_eps) / 2, (math.log(info.max) + log_eps) / 2
