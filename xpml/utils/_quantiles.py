"""Sample quantiles of each column of a matrix, as numpy computes them (NaN left out), and weighted ones as
scikit-learn computes them.

A column's c observed values, sorted, are the order statistics x_(0) <= ... <= x_(c-1). Quantile q
(a probability) is read at a *virtual index* h among them, by one of Hyndman & Fan's definitions, in
numpy's arithmetic (so that the results agree with numpy's to the last bit):

- the continuous methods interpolate between x_(⌊h⌋) and x_(⌊h⌋+1) with weight γ = h - ⌊h⌋ (an h below
  0 reads x_(0), one beyond c - 1 reads x_(c-1)), from the nearer end as numpy does: a + (b - a) γ for
  γ < ½, b - (b - a)(1 - γ) otherwise. "linear" (H&F's 7th, numpy's default) has h = (c - 1) q; the
  others h = c q + (α + q (1 - α - β)) - 1, with (α, β) = (0, 1) for "interpolated_inverted_cdf",
  (½, ½) "hazen", (0, 0) "weibull", (⅓, ⅓) "median_unbiased" and (⅜, ⅜) "normal_unbiased";
- "averaged_inverted_cdf": h = c q - 1, and γ = ½ where h is whole (the mean of x_(h) and x_(h+1)), else 1;
- "inverted_cdf": x_(k) with k = h where h = c q - 1 is whole, else ⌊h⌋ + 1 (and 0 below 0);
- "closest_observation": x_(k) with h = c q - 1 - ½, k = h where h is a whole odd number, else ⌊h⌋ + 1.

The weighted quantiles are scikit-learn's (`_weighted_percentile`): with the values sorted and their
weights accumulated into C₁ <= ... <= Cₙ, quantile q is the first value whose Cⱼ reaches q Cₙ (one of
positive weight when q = 0); averaged, where Cⱼ exceeds q Cₙ by no more than the dtype's ε, the mean of
it and the next value of positive weight.

The index arithmetic (h, γ) is in float64 where the device has it, as numpy's: float32 data then give
float64 quantiles, as numpy gives them. A scipy.sparse column's quantiles count the zeros it does not store
without making them (`stored_and_zero_quantiles`): the k-th smallest value is among the sorted stored values,
below, among or above the implicit zeros.

Reference: R. J. Hyndman and Y. Fan, Sample quantiles in statistical packages, The American
Statistician 50 (1996) 361-365.
"""

from __future__ import annotations

import math

from .._backend import backend_of, device_of, namespace_of
from ._binning import integer_dtype
from ._host import host_namespace

__all__ = ["QUANTILE_METHODS", "nan_quantiles", "searchsorted_columns", "stored_and_zero_quantiles",
           "weighted_quantiles"]

_ALPHA_BETA = {"interpolated_inverted_cdf": (0.0, 1.0), "hazen": (0.5, 0.5), "weibull": (0.0, 0.0),
               "median_unbiased": (1 / 3.0, 1 / 3.0), "normal_unbiased": (3 / 8.0, 3 / 8.0)}
QUANTILE_METHODS = ("inverted_cdf", "averaged_inverted_cdf", "closest_observation", *_ALPHA_BETA, "linear")


def _order_quantiles(xp, order_statistic, count, q, method: str, int_dtype):
    """Quantiles q (m, 1) of columns of `count` (p,) observed values each, whose k-th smallest value (k an integer
    array (m, p)) is `order_statistic(k)`, by `method`: (m, p); NaN for a column with no value. `count` and q share
    the floating dtype of the index arithmetic."""
    last = xp.clip(xp.astype(count, int_dtype) - 1, 0, None)  # (p,) the index of the largest value
    index = lambda k: xp.minimum(xp.clip(xp.astype(k, int_dtype), 0, None), last)  # (m, p) within 0 .. c - 1
    if method in ("inverted_cdf", "closest_observation"):  # an order statistic, no interpolation
        h = count * q - 1 if method == "inverted_cdf" else count * q - 1 - 0.5  # (m, p)
        floor = xp.floor(h)
        lower = (h == floor) if method == "inverted_cdf" else (h == floor) & (floor % 2 == 1)
        value = order_statistic(index(xp.where(lower, floor, floor + 1)))
        value = xp.astype(value, xp.result_type(value.dtype, h.dtype))
    else:
        if method == "linear":
            h = (count - 1) * q
        elif method == "averaged_inverted_cdf":
            h = count * q - 1
        else:
            alpha, beta = _ALPHA_BETA[method]
            h = count * q + (alpha + q * (1 - alpha - beta)) - 1
        floor = xp.floor(h)
        gamma = h - floor  # (m, p) in [0, 1)
        if method == "averaged_inverted_cdf":
            gamma = xp.where(gamma == 0, xp.full_like(gamma, 0.5), xp.ones_like(gamma))
        beyond = h >= count - 1  # numpy reads the largest value there, and the smallest below 0
        low = xp.where(beyond, xp.astype(last, h.dtype), xp.where(h < 0, xp.zeros_like(h), floor))
        high = xp.where(beyond | (h < 0), low, floor + 1)
        a, b = order_statistic(index(low)), order_statistic(index(high))  # (m, p) each
        zero = xp.zeros_like(a)
        a, b = xp.where(count > 0, a, zero), xp.where(count > 0, b, zero)  # a column of NaN only: +inf, read as 0
        diff = b - a
        value = xp.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)
    nan = xp.asarray(math.nan, dtype=value.dtype, device=device_of(value))
    return xp.where(count > 0, value, nan)


def _probabilities(xp, q, like, dtype):
    """q (a sequence of probabilities) as an (m, 1) array of `dtype` on like's device."""
    return xp.reshape(xp.asarray(q, dtype=dtype, device=device_of(like)), (-1, 1))


def nan_quantiles(X, q, *, method: str = "linear", xp=None):
    """The quantiles q (probabilities in [0, 1], a sequence or a 1-D host array) of each column of X (n, p), NaN left
    out, by numpy's `method`: an array (m, p) of X's backend; NaN for a column of NaN only."""
    xp = namespace_of(X) if xp is None else xp
    float_dtype = backend_of(X).float_dtype
    columns = _column_runs(xp, X)  # (p, n): sorted along rows, a third faster than along the columns of X
    nan = xp.isnan(columns)  # (p, n)
    count = xp.sum(xp.astype(~nan, float_dtype), axis=1)  # (p,) observed values per column
    inf = xp.asarray(math.inf, dtype=X.dtype, device=device_of(X))
    ordered = xp.sort(xp.where(nan, inf, columns), axis=1)  # (p, n) NaN last
    flip = lambda A: xp.permute_dims(A, (1, 0))
    order_statistic = lambda k: flip(xp.take_along_axis(ordered, flip(k), axis=1))  # (m, p)
    return _order_quantiles(xp, order_statistic, count, _probabilities(xp, q, X, float_dtype), method,
                            integer_dtype(xp, X))


def stored_and_zero_quantiles(values, n_zeros: int, q, *, method: str = "linear"):
    """The quantiles q of a host column made of `values` (1-D numpy, NaN left out) and `n_zeros` zeros not stored
    (a sparse column), without making the zeros: a 1-D host array (m,), NaN when there is no value at all."""
    hxp = host_namespace()
    values = hxp.sort(values[~hxp.isnan(values)])  # (s,)
    below = int(hxp.sum(values < 0))  # stored values before the implicit zeros
    count = hxp.asarray([values.shape[0] + n_zeros], dtype=hxp.float64)  # (1,)

    def order_statistic(k):  # (m, 1) positions in the column with its zeros
        if values.shape[0] == 0:
            return hxp.zeros(k.shape, dtype=values.dtype)
        stored = hxp.take(values, hxp.clip(hxp.where(k < below, k, k - n_zeros), 0, values.shape[0] - 1)[:, 0])
        return hxp.where((k >= below) & (k < below + n_zeros), hxp.zeros_like(stored[:, None]), stored[:, None])

    return _order_quantiles(hxp, order_statistic, count, _probabilities(hxp, q, values, hxp.float64), method,
                            hxp.int64)[:, 0]


def _column_runs(xp, A):
    """A (rows, p) as (p, rows), each column a contiguous run of memory (a copy), to be sorted or searched along its
    rows: faster than along a strided column (numpy copies each column out and back; torch's search copies it)."""
    return xp.reshape(xp.reshape(xp.permute_dims(A, (1, 0)), (-1,)), (A.shape[1], A.shape[0]))


def searchsorted_columns(xp, sorted_columns, values, side: str = "left"):
    """For each column j, searchsorted(sorted_columns[:, j], values[:, j], side): (k, p) for sorted_columns (m, p)
    and values (k, p). Each column is searched as a contiguous run (`_column_runs`)."""
    S, V = _column_runs(xp, sorted_columns), _column_runs(xp, values)  # (p, m), (p, k)
    found = [xp.searchsorted(S[j, :], V[j, :], side=side) for j in range(S.shape[0])]
    return xp.stack(found, axis=1)


def weighted_quantiles(X, w, percent, *, average: bool, xp=None):
    """scikit-learn's weighted quantiles of each column of X (n, p) (no NaN), weights w (n,) >= 0 not all 0, or
    (n, p), a column's own, at `percent` (percentages, a sequence): the inverted distribution function, or its
    average with the next value of positive weight (`average`). An array (m, p) of X's dtype."""
    xp = namespace_of(X) if xp is None else xp
    n = X.shape[0]
    order = xp.argsort(X, axis=0, stable=True)  # (n, p)
    values = xp.take_along_axis(X, order, axis=0)  # (n, p) each column sorted
    w = xp.astype(w, X.dtype)
    weights = xp.take_along_axis(xp.broadcast_to(w[:, None] if w.ndim == 1 else w, X.shape), order, axis=0)  # (n, p)
    cdf = xp.cumulative_sum(weights, axis=0)  # (n, p)
    level = xp.asarray(percent, dtype=X.dtype, device=device_of(X))[:, None] / 100 * cdf[-1:, :]  # (m, p) q Cₙ
    first = searchsorted_columns(xp, cdf, level, "left")  # the first Cⱼ >= q Cₙ
    positive = searchsorted_columns(xp, cdf, xp.zeros_like(level), "right")  # the first Cⱼ > 0
    at = xp.clip(xp.where(level == 0, positive, first), 0, n - 1)  # (m, p)
    value = xp.take_along_axis(values, at, axis=0)
    if not average:
        return value
    cdf_at = xp.take_along_axis(cdf, at, axis=0)
    following = xp.clip(at + 1, 0, n - 1)  # the next value, or, where its weight is 0, the next of positive weight
    beyond = searchsorted_columns(xp, cdf, cdf_at, "right")  # the first Cⱼ > C_at
    beyond = xp.where(beyond > n - 1, at, beyond)
    following = xp.where(xp.take_along_axis(weights, following, axis=0) == 0, beyond, following)
    mean = (value + xp.take_along_axis(values, following, axis=0)) / 2
    return xp.where(cdf_at - level > xp.finfo(X.dtype).eps, value, mean)
