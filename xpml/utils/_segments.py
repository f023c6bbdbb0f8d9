"""The largest value of each segment of a sorted list: out[j] = max {values[i] : ids[i] = j}.

A tree's split search by sorting (`xpml.tree._sorted_splits`) scores every candidate split of every
node in one list, sorted by node, and needs each node's best score. The array API has no segmented
reduction, so this is the one place that provides it:

- a pure array-API version: a segmented running maximum by doubling (Hillis and Steele): after step
  s, position i holds the maximum of the up to 2^s positions ending at i that share its segment; it
  takes log2(n) elementwise steps, and the last position of each segment holds the segment's maximum;
- native fast paths, asked of the backend layer by capability ("segment_max"): numpy's
  `maximum.reduceat`, torch's `scatter_reduce`, jax's `segment_max`.

tests/test_segments.py checks the native paths against the array-API version.

Reference: Hillis & Steele, "Data parallel algorithms", Communications of the ACM 29 (1986).
"""

from __future__ import annotations

import math
from typing import Any

from .._backend import backend_of, capability, device_of, namespace_of

__all__ = ["segment_max"]


def segment_max(values: Any, ids: Any, n_segments: int, *, xp=None, native: bool = True) -> Any:
    """The maximum of the values of each segment, -inf for an empty one.

    Parameters
    ----------
    values : floating array of shape (n,)
    ids : integer array of shape (n,), sorted ascending, every value in [0, n_segments)
    n_segments : int
    native : bool, default=True
        Use the library's own segmented maximum where it has one; False forces the array-API version.

    Returns
    -------
    out : array of shape (n_segments,), of the dtype and on the device of `values`

    Examples
    --------
    >>> import numpy as np
    >>> segment_max(np.array([1.0, 5.0, 2.0]), np.array([0, 0, 2]), 3)
    array([  5., -inf,   2.])
    """
    xp = namespace_of(values) if xp is None else xp
    native_max = capability(backend_of(values), "segment_max") if native else None
    if native_max is not None:
        return native_max(values, ids, n_segments)
    n, device = values.shape[0], device_of(values)
    running = values  # (n,)
    for step in range(math.ceil(math.log2(max(n, 1)))):
        shift = 2**step
        before = xp.concat([xp.full(shift, -math.inf, dtype=values.dtype, device=device), running[:-shift]])
        same = xp.concat([xp.zeros(shift, dtype=xp.bool, device=device), ids[shift:] == ids[:-shift]])
        running = xp.where(same, xp.maximum(running, before), running)  # (n,)
    segments = xp.arange(n_segments, dtype=ids.dtype, device=device)  # (n_segments,)
    first = xp.searchsorted(ids, segments, side="left")
    last = xp.searchsorted(ids, segments, side="right") - 1  # (n_segments,) each segment's last position
    top = xp.take(running, xp.clip(last, 0, max(n - 1, 0))) if n else xp.zeros(n_segments, dtype=values.dtype,
                                                                                  device=device)
    return xp.where(last >= first, top, -math.inf)
