"""dask: the per-chunk kernels of the backend's native table (`_dask.py`): functions mapped over the chunks of rows
of an array, sums reduced over them in a tree, and the input checks that run as the chunks are computed."""

from __future__ import annotations

import numpy as np

__all__ = ["_dask_bincount", "_dask_check_chunks", "_dask_map_rows", "_dask_reduce_rows", "_dask_row_chunks",
           "_dask_scatter_add", "_dask_unchecked"]


def _dask_map_rows(fn, X, width, dtype, sparse=False):
    """fn applied to each chunk of rows of X (the full width of each), lazily: (n, width) or (n,) if width is None.
    With `sparse`, fn gives scipy.sparse CSR matrices, which stay the chunks (computed: one CSR matrix)."""
    if X.numblocks[1] > 1:
        X = X.rechunk({1: -1})
    if width is None:
        return X.map_blocks(fn, drop_axis=1, dtype=dtype)
    if sparse:
        import scipy.sparse

        return X.map_blocks(fn, chunks=(X.chunks[0], (width,)), dtype=dtype,
                            meta=scipy.sparse.csr_matrix((0, width), dtype=dtype))
    return X.map_blocks(fn, chunks=(X.chunks[0], (width,)), dtype=dtype)


def _stacked_per_chunk(fn, arrays, shape, dtype):
    """Σ over the chunks of rows of fn(chunk of each array), each of `shape`: one task per chunk of rows, then a tree
    sum of the small results. The arrays (n, ...) are cut into the chunks of rows of the first, each chunk of
    the full width."""
    import dask.array as da

    first, *rest = arrays
    if first.ndim == 2 and first.numblocks[1] > 1:
        first = first.rechunk({1: -1})
    rest = [a.rechunk((first.chunks[0], *[(n,) for n in a.shape[1:]])) for a in rest]
    inputs = []
    for a in (first, *rest):  # the rows' index "r", then indices of the full width of each, contracted
        inputs += [a, ("r", *[f"w{len(inputs)}_{j}" for j in range(a.ndim - 1)])]
    out = ("r", *[f"o{j}" for j in range(len(shape))])  # (1, *shape) for each chunk of rows
    meta = first._meta.reshape((0,) * len(out)).astype(dtype)
    parts = da.blockwise(lambda *chunks: fn(*map(_only_block, chunks))[None, ...], out, *inputs,
                         new_axes=dict(zip(out[1:], shape)), adjust_chunks={"r": 1}, dtype=dtype, meta=meta)
    return parts.sum(axis=0)


def _only_block(blocks):
    """The one block that blockwise hands over, in lists, along the axes it contracts (each of one chunk here):
    taken as it is, where concatenating it would copy it."""
    while isinstance(blocks, list):
        blocks, = blocks
    return blocks


def _dask_reduce_rows(fn, X, *aligned, shape, dtype):
    """Σ over X's chunks of rows of fn(X chunk, chunk of each aligned array), lazily: one task per chunk."""
    return _stacked_per_chunk(fn, (X, *aligned), tuple(shape), dtype)


def _dask_scatter_add(values, index, n_bins):
    def chunk_sums(v, i):  # one bincount over (bin, column) pairs: several times faster than np.add.at
        width = int(np.prod(v.shape[1:], dtype=np.int64))
        flat = (i.astype(np.int64)[:, None] * width + np.arange(width)).ravel()  # (rows · width,)
        sums = np.bincount(flat, weights=v.reshape(-1), minlength=n_bins * width)
        return sums.astype(v.dtype, copy=False).reshape((n_bins, *v.shape[1:]))
    return _stacked_per_chunk(chunk_sums, (values, index), (n_bins, *values.shape[1:]), values.dtype)


def _dask_bincount(x, length, weights):
    import dask.array as da

    values = da.ones(x.shape, dtype=np.int64, chunks=x.chunks) if weights is None else weights
    return _stacked_per_chunk(lambda v, i: np.bincount(i, weights=v, minlength=length).astype(values.dtype),
                              (values, x), (length,), values.dtype)


def _dask_row_chunks(X):
    """[(start, stop, block)]: X's chunks of rows, each a lazy array of the full width, in order."""
    if X.ndim == 2 and X.numblocks[1] > 1:
        X = X.rechunk({1: -1})
    if any(np.isnan(c) for c in X.chunks[0]):  # unknown chunk sizes (after a boolean mask)
        X = X.compute_chunk_sizes()
    bounds = np.cumsum((0, *X.chunks[0]))
    return [(int(bounds[i]), int(bounds[i + 1]), X.blocks[i]) for i in range(X.numblocks[0])]


def _dask_check_chunks(X, check):
    """X whose chunks pass through `check` (which raises on bad values) when they are computed. Chunks that are
    scipy.sparse matrices (OneHotEncoder(sparse_output=True) on dask) are refused: the estimators take dense ones."""
    if type(X._meta).__module__.startswith("scipy.sparse"):
        raise TypeError("X is a dask array whose chunks are scipy.sparse matrices, and xpml's estimators compute on "
                        "dask arrays of dense chunks. Encode with OneHotEncoder(sparse_output=False), or bring X into "
                        "memory (X.compute()) and fit with backend='numpy', which computes on it sparse.")
    def checked(chunk):
        check(chunk)
        return chunk
    out = X.map_blocks(checked, dtype=X.dtype)
    out._xpml_unchecked = X  # for the passes after one that ran the checks (`_dask_unchecked`)
    return out


def _dask_unchecked(X):
    """X without the checks `_dask_check_chunks` added to it (the array it was made from), else X as it is."""
    return getattr(X, "_xpml_unchecked", X)
