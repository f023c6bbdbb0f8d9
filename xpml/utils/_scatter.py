"""Scatter-add (segment sums): out[j] = Σ_{i : index[i] = j} values[i].

The k-means centre update sums the samples of each cluster, and the array API standard has no
primitive for it. This is the one place that provides it:

- a pure array-API version: a one-hot matrix times the values, O[i, j] = (index[i] == j), so that
  out = Oᵀ @ values. It is taken a block of rows at a time, so the one-hot block stays small.
  A matrix product sums in blocks, which keeps float32 accurate; the other portable route, sorting
  by index and differencing cumulative sums, subtracts large prefix sums and loses digits.
- native fast paths, each a thin branch: numpy (`bincount` for a vector; for a matrix, the one-hot
  product with the one-hot block set by indexing, not by comparing every row with every bin), cupy
  (`add.at` on the flattened output, one pass whatever the number of bins), torch (`index_add_`),
  jax (`jax.ops.segment_sum`). numpy's `add.at` would take one pass too, but it holds Python's
  interpreter lock throughout, so k-means' worker threads (`xpml.utils._threads`) would wait for each
  other; a matrix product lets them run at once (ten assignment steps on 200,000 × 32, k=64, two
  workers: 190 ms with `add.at`, 155 ms with the product).

tests/test_scatter.py checks every native path against the array-API version.
"""

from __future__ import annotations

from typing import Any

from .._backend import backend_of, native_module, namespace_of
from ._chunks import chunk_rows, row_slices

__all__ = ["scatter_add"]


def scatter_add(values: Any, index: Any, n_bins: int, *, native: bool = True) -> Any:
    """Sum the rows of `values` that share an index.

    Parameters
    ----------
    values : array of shape (n,) or (n, d)
    index : integer array of shape (n,)
        The bin of each row, in [0, n_bins).
    n_bins : int
    native : bool, default=True
        Use the library's own scatter where it has one; False forces the array-API version.

    Returns
    -------
    out : array of shape (n_bins,) or (n_bins, d), of the dtype and on the device of `values`
        `out[j]` is the sum of the rows i with `index[i] == j` (zero for an empty bin).

    Examples
    --------
    >>> import numpy as np
    >>> scatter_add(np.array([1.0, 2.0, 4.0]), np.array([0, 2, 0]), 3)
    array([5., 0., 2.])
    """
    backend = backend_of(values)
    if native and backend.name in _NATIVE:
        return _NATIVE[backend.name](native_module(backend), namespace_of(values), values, index, n_bins)
    return _one_hot_sum(namespace_of(values), values, index, n_bins, backend)


def _zeros(xp, values, n_bins):
    """Zeros of shape (n_bins,) + values.shape[1:], of the dtype and on the device of `values`."""
    return xp.zeros((n_bins,) + tuple(values.shape[1:]), dtype=values.dtype, device=values.device)


def _one_hot_sum(xp, values, index, n_bins, backend):
    """Σ over blocks of rows of Oᵀ @ values, with O the block's (rows, n_bins) one-hot matrix."""
    bins = xp.arange(n_bins, dtype=index.dtype, device=values.device)  # (k,)
    out = _zeros(xp, values, n_bins)
    for rows in row_slices(values.shape[0], chunk_rows(backend, n_bins)):
        one_hot = xp.astype(index[rows, None] == bins, values.dtype)  # (b, k)
        out = out + one_hot.T @ values[rows, ...]  # (k,) or (k, d)
    return out


def _numpy(np, xp, values, index, n_bins):
    """numpy: bincount for a vector; for a matrix, Oᵀ @ values with each block's one-hot O set by indexing."""
    if values.ndim == 1:
        return np.bincount(index, weights=values, minlength=n_bins).astype(values.dtype)
    out = _zeros(xp, values, n_bins)
    for rows in row_slices(values.shape[0], chunk_rows(backend_of(values), n_bins)):
        size = rows.stop - rows.start
        one_hot_t = np.zeros((n_bins, size), dtype=values.dtype)  # (k, b): Oᵀ
        one_hot_t[index[rows], np.arange(size)] = 1
        out += one_hot_t @ values[rows]
    return out


def _add_at(lib, xp, values, index, n_bins):
    """cupy: add.at into a flat output (flat index = bin · d + column), in one pass."""
    out = _zeros(xp, values, n_bins)  # a fresh array, so adding into it in place is safe
    if values.ndim == 1:
        lib.add.at(out, index, values)
        return out
    d = values.shape[1]
    flat_index = index[:, None] * d + xp.arange(d, dtype=index.dtype, device=values.device)  # (n, d)
    lib.add.at(out.reshape(-1), flat_index.reshape(-1), values.reshape(-1))
    return out


def _index_add(torch, xp, values, index, n_bins):
    return _zeros(xp, values, n_bins).index_add_(0, index, values)


def _segment_sum(jax, xp, values, index, n_bins):
    return jax.ops.segment_sum(values, index, num_segments=n_bins)


_NATIVE = {"numpy": _numpy, "cupy": _add_at, "torch": _index_add, "jax": _segment_sum}
