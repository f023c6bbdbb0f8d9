"""The index of each column's minimum: the k-means assignment's last step, fast on every backend.

k-means computes its distances centre-major, D of shape (k, n): one row per centre, one column per
sample, so that the samples lie along the contiguous axis. The label of sample j is then the first
i with D[i, j] = min_i D[i, j], found in two reductions across the rows:

    smallest = min_i D[i, :]                                  # (n,)
    label    = k - max_i (k - i) · [D[i, :] == smallest]      # (n,): the largest k - i marks the first i

Both reductions are elementwise operations between rows of n numbers, which every library runs in
wide vector instructions without branches, and the second runs on the smallest integers that hold
k. A library's own argmin over the last axis of (n, k) branches on every new minimum: on fresh
distances (not the same block timed again, where the branch predictor has learned the answers) numpy
takes 0.6 ns an entry for it, against 0.2 ns for the two reductions here. One k-means pass over
200,000 × 32 float32 samples with k=64, one thread, product included: numpy 16.6 ms → 11.9 ms,
torch 24.9 → 17.6 ms, jax 23.4 → 24.8 ms (its row-wise form was already two reductions).

The distances must be free of NaN (k-means' inputs are checked finite): a NaN column would have no
entry equal to its minimum.
"""

from __future__ import annotations

from typing import Any

from .._backend import device_of, namespace_of

__all__ = ["argmin_columns"]


def _counting_dtype(xp, k: int):
    """The smallest signed integer dtype that holds 0 .. k."""
    return xp.int8 if k < 2**7 else xp.int16 if k < 2**15 else xp.int32


def argmin_columns(D: Any, *, xp=None) -> Any:
    """The row of each column's minimum (the first one on ties), of shape (n,), for D of shape (k, n)."""
    xp = namespace_of(D) if xp is None else xp
    k = D.shape[0]
    counting = _counting_dtype(xp, k)
    reversed_rows = k - xp.arange(k, dtype=counting, device=device_of(D))[:, None]  # (k, 1): k, k-1, ..., 1
    smallest = xp.min(D, axis=0)  # (n,)
    marks = xp.astype(D == smallest, counting) * reversed_rows  # (k, n): k - i where row i reaches the minimum
    first = k - xp.max(marks, axis=0)  # (n,)
    index = xp.__array_namespace_info__().default_dtypes(device=device_of(D))["indexing"]
    return xp.astype(first, index)
