"""The smallest and the largest value in each bin: low[j] = min {values[i] : index[i] = j}, high[j] = max {...}.

The random splits of extra trees (`xpml.tree._random_splits`) draw each threshold within the range of a
feature's values among a node's samples: for all the (node, feature) pairs of a level at once, a
minimum and a maximum per bin, the samples in any order. The array API has no scatter reduction, so
this is the one place that provides it:

- a pure array-API version: the values sorted by bin, then each bin's maximum by the segmented
  maximum of `xpml.utils._segments` (of the values, and of their negatives for the minimum);
- native fast paths, asked of the backend layer by capability ("scatter_min_max"), which need no
  sort: numpy's `minimum.at` and `maximum.at` (about 2 ns a value), torch's `scatter_reduce`, jax's
  `segment_min` and `segment_max`.

tests/test_scatter_min_max.py checks the native paths against the array-API version.
"""

from __future__ import annotations

from typing import Any

from .._backend import backend_of, capability, namespace_of
from ._segments import segment_max

__all__ = ["scatter_min_max"]


def scatter_min_max(values: Any, index: Any, n_bins: int, *, xp=None, native: bool = True) -> tuple[Any, Any]:
    """The smallest and the largest of the values in each bin: +inf and -inf for an empty one.

    Parameters
    ----------
    values : floating array of shape (n,)
    index : integer array of shape (n,), in any order, every value in [0, n_bins)
    n_bins : int
    native : bool, default=True
        Use the library's own scatter reductions where it has them; False forces the array-API version.

    Returns
    -------
    low, high : arrays of shape (n_bins,), of the dtype and on the device of `values`

    Examples
    --------
    >>> import numpy as np
    >>> low, high = scatter_min_max(np.array([1.0, 5.0, 2.0]), np.array([2, 0, 2]), 3)
    >>> low.tolist(), high.tolist()
    ([5.0, inf, 1.0], [5.0, -inf, 2.0])
    """
    xp = namespace_of(values) if xp is None else xp
    native_min_max = capability(backend_of(values), "scatter_min_max") if native else None
    if native_min_max is not None:
        return native_min_max(values, index, n_bins)
    order = xp.argsort(index)  # (n,): the values by bin, for the segmented maximum
    ids, v = xp.take(index, order), xp.take(values, order)  # (n,) each
    return -segment_max(-v, ids, n_bins, xp=xp, native=native), segment_max(v, ids, n_bins, xp=xp, native=native)
