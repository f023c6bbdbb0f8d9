"""B-splines evaluated locally (de Boor's triangle): at each x, only the degree + 1 that may be non-zero there.

The B-splines B_{a,k} of degree k on knots t₀ <= … <= t_{m-1} (the Cox-de Boor recursion of
`xpml.preprocessing._spline`) are non-zero on k + 1 knot intervals each, so that on an interval
[t_i, t_{i+1}) only B_{i-k,k} .. B_{i,k} are. Rather than running the recursion over every function, for
every x (O(m k) an x, most of it on zeros), each x's interval is found, and those k + 1 values are built
by de Boor's triangle from the 2k knots around it (O(k²) an x): C. de Boor, A Practical Guide to Splines,
Springer 1978, chapter X (BSPLVB); L. Piegl and W. Tiller, The NURBS Book, Springer 1997, algorithm A2.2
(as scipy's BSpline evaluates). The values are then set at their columns of the (n, p, n_functions)
output, zeros elsewhere.

Arrays carry the local index first, (k + 1, n, p), so that each step works on whole (n, p) blocks.
"""

from __future__ import annotations

import array_api_extra as xpx

from .._backend import backend_of, capability, is_writeable

__all__ = ["base_interval", "local_bsplines", "local_slopes", "spread"]


def base_interval(xp, x, t, degree: int, int_dtype):
    """The index i (n, p) of the base interval [t_i, t_{i+1}) of each x (n, p), degree <= i <= m - degree - 2: degree,
    plus one for each inner base knot at or below x (x beyond the base interval: the first or last one; its right
    end: the last one)."""
    m = t.shape[0]
    below = t[degree + 1:m - degree - 1, None, :] <= x[None, :, :]  # (n_knots - 2, n, p)
    return degree + xp.sum(xp.astype(below, int_dtype), axis=0)  # (n, p)


def local_bsplines(xp, x, t, i, degree: int):
    """The degree + 1 B-splines that may be non-zero on each x's interval i: B_{i-k+r,k}(x), r = 0 .. k (k + 1, n, p),
    by de Boor's triangle (de Boor's BSPLVB; Piegl & Tiller, The NURBS Book, algorithm A2.2); and the last step's
    shares w (k, n, p), of which the slopes B'_{a,k} = k (w_a - w_{a+1}) are made (`local_slopes`).

    Step d turns the d splines of degree d - 1 that cover [t_i, t_{i+1}), B_{a,d-1}, a = i-d+1 .. i, into the d + 1 of
    degree d: each one's share w = B_{a,d-1} / (t_{a+d} - t_a) goes to B_{a-1,d} times (t_{a+d} - x) and to B_{a,d}
    times (x - t_a), as the recursion of the module's docstring. The knots t_{i-k+1} .. t_{i+k} that this reads are
    gathered once per x. Each gap t_{a+d} - t_a spans [t_i, t_{i+1}], so it is > 0 unless that interval is empty
    (repeated knots: quantiles of tied values, a constant feature): a zero gap is read as +inf, so that its share
    is 0, the recursion's 0/0 = 0. The local index r leads the arrays: each step works on whole (n, p) blocks."""
    (n, p), m, k = x.shape, t.shape[0], degree
    N = xp.ones((1, n, p), dtype=x.dtype, device=x.device)  # B_{i,0}
    if k == 0:
        return N, xp.zeros((0, n, p), dtype=x.dtype, device=x.device)
    flat = xp.reshape(xp.permute_dims(t, (1, 0)), (-1,))  # (p m,) feature by feature
    first = i - (k - 1) + xp.arange(p, dtype=i.dtype, device=i.device)[None, :] * m  # (n, p) t_{i-k+1} in flat
    at = xp.arange(2 * k, dtype=i.dtype, device=i.device)[:, None, None] + first[None, :, :]  # (2k, n, p)
    K = xp.reshape(xp.take(flat, xp.reshape(at, (-1,))), (2 * k, n, p))  # (2k, n, p) K[q] = t_{i-k+1+q}
    right, left = K[k:, ...] - x, x - K[:k, ...]  # (k, n, p) each: t_{i+1+q} - x, x - t_{i-k+1+q}
    for d in range(1, k + 1):  # N[r] = B_{i-d+1+r, d-1} -> B_{i-d+r, d}
        gap = K[k:k + d, ...] - K[k - d:k, ...]  # (d, n, p) t_{a+d} - t_a, a = i-d+1 .. i
        w = N / xp.where(gap > 0, gap, xp.inf)  # (d, n, p)
        down, up = w * right[:d, ...], w * left[k - d:, ...]  # (d, n, p) each: to B_{a-1,d}, to B_{a,d}
        N = xp.concat([down[:1, ...], down[1:, ...] + up[:-1, ...], up[-1:, ...]], axis=0)  # (d + 1, n, p)
    return N, w


def local_slopes(xp, w, degree: int):
    """The derivatives B'_{a,k} = k (B_{a,k-1} / (t_{a+k} - t_a) - B_{a+1,k-1} / (t_{a+k+1} - t_{a+1})) of the local
    B-splines (k + 1, n, p), from the shares w (k, n, p) of `local_bsplines`' last step (no share: 0)."""
    zero = xp.zeros((1, w.shape[1], w.shape[2]), dtype=w.dtype, device=w.device)
    return degree * (xp.concat([zero, w], axis=0) - xp.concat([w, zero], axis=0))


def spread(xp, values, columns, width: int, native: bool = True):
    """(n, p, width): values (r, n, p) at columns (r, n, p) (distinct along r) of each sample and feature, 0 elsewhere.

    Where the library writes at an integer-array index (capability "set_rows": numpy, torch, cupy), one write of
    the r n p values into zeros; where arrays are immutable (jax), one scatter (array-api-extra's `at`); else (the
    standard's own arrays, and with native=False) a comparison of each column with the range, r passes over the
    output."""
    (r, n, p), dev = values.shape, values.device
    set_rows = capability(backend_of(values), "set_rows") if native else None
    if set_rows is not None or (native and not is_writeable(values)):
        rows = xp.reshape(xp.arange(n * p, dtype=columns.dtype, device=dev) * width, (1, n, p))
        at, flat = xp.reshape(rows + columns, (-1,)), xp.reshape(values, (-1,))  # (r n p,) each
        zeros = xp.zeros(n * p * width, dtype=values.dtype, device=dev)
        out = set_rows(zeros, at, flat) if set_rows is not None else xpx.at(zeros, at).set(flat)
        return xp.reshape(out, (n, p, width))
    out = xp.zeros((n, p, width), dtype=values.dtype, device=dev)
    every = xp.arange(width, dtype=columns.dtype, device=dev)[None, None, :]  # (1, 1, width)
    for s in range(r):
        out = xp.where(every == columns[s, :, :, None], values[s, :, :, None], out)
    return out
