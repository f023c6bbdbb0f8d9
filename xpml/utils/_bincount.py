"""Counting values into bins: the one scatter-add the metrics need, with native fast paths.

The array API has no `bincount`. The fallback sorts the values and finds each bin's edges with
`searchsorted`, so it takes O(n log n) time and O(n + length) memory, and writes nothing in place;
a weighted count is a difference of cumulative sums of the weights in sorted order. Where the
backend has the capability "bincount" (numpy, cupy, torch, jax), its own is used. Tests compare
the branches.
"""

from __future__ import annotations

from typing import Any

from .._backend import backend_of, capability, namespace_of

__all__ = ["bincount", "bincounter"]


def bincount(x: Any, length: int, weights: Any = None, *, xp=None, native: bool = True) -> Any:
    """How many entries of `x` fall in each bin 0 .. length-1, or the sum of their weights.

    Parameters
    ----------
    x : integer array of shape (n,), every value in [0, length)
    length : int
        The number of bins.
    weights : floating array of shape (n,), optional
    native : bool, default=True
        Use the library's own bincount where it has one; False forces the array-API version.

    Returns
    -------
    counts : array of shape (length,), of the integer index dtype without weights and of the
        weights' dtype with them; on the device of `x`.
    """
    if not native:
        return bincount_sorted(x, length, weights, xp=xp)
    return bincounter(x, xp=xp)(x, length, weights)


def bincounter(x: Any, *, xp=None):
    """`bincount` for many arrays like x (of its library and device), the backend asked once: for loops of
    many small counts, where asking costs as much as counting."""
    xp = namespace_of(x) if xp is None else xp
    count = capability(backend_of(x), "bincount")
    if count is None:
        return lambda x, length, weights=None: bincount_sorted(x, length, weights, xp=xp)
    return lambda x, length, weights=None: (count(x, length, weights) if weights is None
                                            else xp.astype(count(x, length, weights), weights.dtype, copy=False))


def bincount_sorted(x, length: int, weights=None, *, xp=None):
    """The pure array-API bincount: sort, then find where each bin starts and ends."""
    xp = namespace_of(x) if xp is None else xp
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
