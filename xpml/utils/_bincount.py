"""Counting values into bins: the one scatter-add the metrics need, with native fast paths.

The array API has no `bincount`. The fallback sorts the values and finds each bin's edges with
`searchsorted`, so it takes O(n log n) time and O(n + length) memory, and writes nothing in place;
a weighted count is a difference of cumulative sums of the weights in sorted order. numpy, cupy,
torch and jax have a native `bincount`, used through `native_module` (on a CPU, torch's `index_add_`,
which is faster). Tests compare the branches.
"""

from __future__ import annotations

from typing import Any

from .._backend import backend_of, native_module

__all__ = ["bincount"]


def bincount(x: Any, length: int, weights: Any = None) -> Any:
    """How many entries of `x` fall in each bin 0 .. length-1, or the sum of their weights.

    Parameters
    ----------
    x : integer array of shape (n,), every value in [0, length)
    length : int
        The number of bins.
    weights : floating array of shape (n,), optional

    Returns
    -------
    counts : array of shape (length,), of the integer index dtype without weights and of the
        weights' dtype with them; on the device of `x`.
    """
    backend = backend_of(x)
    if backend.name in ("numpy", "cupy"):
        counts = native_module(backend).bincount(x, weights=weights, minlength=length)
        return counts if weights is None else counts.astype(weights.dtype, copy=False)
    if backend.name == "torch":
        torch = native_module(backend)
        if x.device.type != "cpu":
            return torch.bincount(x, weights=weights, minlength=length)
        # On the CPU, torch.bincount runs on one thread and is ~10x slower than a float index_add_
        # into a fresh array (which this helper owns, so writing into it is safe).
        dtype = torch.float64 if weights is None else weights.dtype
        values = torch.ones(x.shape[0], dtype=dtype) if weights is None else weights
        counts = torch.zeros(length, dtype=dtype).index_add_(0, x, values)
        return counts if weights is not None else counts.to(torch.int64)
    if backend.name == "jax":
        return native_module(backend).numpy.bincount(x, weights=weights, length=length)
    return bincount_sorted(backend.xp, x, length, weights)


def bincount_sorted(xp, x, length: int, weights=None):
    """The pure array-API bincount: sort, then find where each bin starts and ends."""
    order = xp.argsort(x, stable=True)  # (n,)
    x_sorted = xp.take(x, order)  # (n,)
    bins = xp.arange(length, dtype=x.dtype, device=x.device)  # (length,)
    start = xp.searchsorted(x_sorted, bins, side="left")  # (length,)
    stop = xp.searchsorted(x_sorted, bins, side="right")  # (length,)
    if weights is None:
        return stop - start
    zero = xp.zeros(1, dtype=weights.dtype, device=weights.device)
    cumulative = xp.concat([zero, xp.cumulative_sum(xp.take(weights, order))])  # (n + 1,)
    return xp.take(cumulative, stop) - xp.take(cumulative, start)
