"""The dask backend: dask.array, whose chunks are numpy arrays, on threads or a `dask.distributed` cluster.

What dask changes for the rest of xpml is said here, and only here:

- Arrays are lazy: an expression builds a task graph, computed when a value is read (`float(x)`,
  `bool(x)`) or by the "materialize" capability, which computes several small results in one pass
  over the data and keeps them as one-chunk arrays, so that later steps do not recompute them.
- numpy input is cut into chunks of rows (`chunk_rows_for`, the one rule); a dask array is used
  as it is, with its own chunks, and is never gathered: it cannot move to another backend
  (`to_numpy` of a large dask array is refused by `to_backend`, see `_arrays`).
- Arrays cannot be written in place (`in_place=False`): helpers keep blocks and join them.
- The scheduler is dask's: a `dask.distributed.Client` in force is used, else dask's threads.
- Two gaps of dask (or of its array-API wrapper) are mended when the backend is first made: arrays get a
  `.device`, and `clip` keeps the chunks of its input (`_dask_clip`).
- Native paths: "qr_r" is dask's tall-skinny QR (one R per chunk, then a QR of the stacked Rs),
  "map_rows" maps a function over the chunks of rows, lazily ("map_chunks" over the chunks of any
  array, element by element), and "materialize" computes.
  Helpers with no dask path (scatter-add by indexing, in-place blocks) take their portable versions.

"dask:cupy" keeps each chunk as a cupy array on the GPU: numpy input is moved there chunk by chunk
(`from_host`), values read on the host are copied back (`read`, `to_numpy`), and the estimators that
stream take their chunks on the cupy backend ("chunk_backend"). Without cupy or a CUDA GPU it is refused
with a message saying so.
"""

from __future__ import annotations

import array_api_compat
import numpy as np

from ._dask_chunks import (_dask_bincount, _dask_check_chunks, _dask_map_rows, _dask_reduce_rows, _dask_row_chunks,
                           _dask_scatter_add, _dask_unchecked)
from ._dask_clip import clip_chunk_by_chunk
from ._libraries import Library, _blas_one_thread, register_library

__all__ = ["CHUNK_ELEMENTS", "chunk_rows_for"]

# Elements in one chunk of rows that xpml cuts from numpy input: 2**22 (32 MiB of float64), a
# size at which dask's per-task overhead (about a millisecond) is small against the work in it.
CHUNK_ELEMENTS = 2**22


def chunk_rows_for(shape: tuple) -> int:
    """Rows per chunk for numpy input of `shape`: about `CHUNK_ELEMENTS` elements, all columns in each chunk.

    >>> chunk_rows_for((10_000_000, 100))
    41943
    """
    width = int(np.prod(shape[1:], dtype=np.int64)) if len(shape) > 1 else 1
    return max(1, min(max(1, shape[0] if shape else 1), CHUNK_ELEMENTS // max(1, width)))


def _give_arrays_a_device() -> None:
    """dask.array.Array has no `.device` attribute, which the array API standard asks of every array and
    xpml's helpers read (`xp.zeros(..., device=x.device)`): it is added, read-only, where it is missing:
    "cupy" where the chunks are cupy arrays (its `_meta`), else "cpu"."""
    import dask.array as da

    if not hasattr(da.Array, "device"):
        da.Array.device = property(lambda self: "cupy" if _on_gpu(self._meta) else "cpu",
                                   doc="The device: 'cpu' (numpy chunks) or 'cupy' (cupy chunks), for the array API.")


def _on_gpu(chunk) -> bool:
    return type(chunk).__module__.startswith("cupy")


def _dask_device(device):
    _give_arrays_a_device()
    clip_chunk_by_chunk()
    if device in (None, "cpu"):
        return "cpu"
    if device in ("cupy", "cuda", "gpu"):  # "dask:cupy": chunks as cupy arrays, on the GPU
        from ._cupy import _cupy_gpu_missing

        try:
            import cupy  # noqa: F401
        except ImportError:
            raise ValueError("device='cupy': dask with cupy chunks ('dask:cupy') needs cupy and a CUDA GPU; cupy is "
                             "not installed (pip install 'xpml[cupy]'). Use backend='dask' for numpy chunks.") from None
        missing = _cupy_gpu_missing()
        if missing:
            raise ValueError(f"device='cupy': dask with cupy chunks ('dask:cupy') needs a CUDA GPU, and cupy "
                             f"{missing}. Use backend='dask' for numpy chunks.")
        return "cupy"
    raise ValueError(f"device={device!r} is not a dask device; expected 'cpu' (numpy chunks) or 'cupy' (cupy chunks).")


def _dask_from_host(host: np.ndarray, device):
    import dask.array as da

    if device == "cupy":
        import cupy

        host = cupy.asarray(host)  # each chunk a cupy array on the GPU
    if host.ndim == 0:
        return da.from_array(host, asarray=False)
    rows = chunk_rows_for(host.shape)
    return da.from_array(host, chunks=(rows, *host.shape[1:]), asarray=False)


def _compute(*arrays) -> tuple:
    """dask.compute, with the host's BLAS on one thread meanwhile: dask's scheduler already runs a task per core,
    and BLAS threads on top of them oversubscribe the cores (a (50,000 × 32) @ (32 × 8) product per chunk took
    4 to 30 ms with OpenBLAS's threads, 2 ms without). distributed's worker processes are started so
    (OPENBLAS_NUM_THREADS=1); this does it for dask's threads, and for a cluster of threads in this process."""
    import dask

    one_thread = _blas_one_thread()
    if one_thread is None:
        return dask.compute(*arrays)
    with one_thread():
        return dask.compute(*arrays)


def _host_value(value) -> np.ndarray:
    """A computed value (a numpy or cupy array) on the host."""
    return value.get() if _on_gpu(value) else np.asarray(value)


def _dask_to_numpy(x) -> np.ndarray:
    return _dask_read(x)[0]


def _dask_materialize(*arrays):
    """The arrays computed together (one pass over the data they depend on), as one-chunk dask arrays.

    Arrays larger than a chunk (as long as the data: labels, scores) stay lazy, since computing them
    would gather them into one process; entries that are not dask arrays are returned as they are.
    """
    import dask.array as da

    lazy = [i for i, a in enumerate(arrays) if array_api_compat.is_dask_array(a) and a.size <= CHUNK_ELEMENTS]
    values = _compute(*(arrays[i] for i in lazy))
    out = list(arrays)
    for i, value in zip(lazy, values):
        value = value if _on_gpu(value) else np.asarray(value)
        out[i] = da.from_array(value, chunks=value.shape or (), asarray=False)
        out[i]._xpml_value = value  # read later without a compute (`_dask_read`): a round trip on a cluster
    return tuple(out)


def _dask_read(*arrays) -> tuple:
    """Host values (numpy arrays) of several dask arrays, in one compute (none for those `_dask_materialize` made)."""
    lazy = [a for a in arrays if not hasattr(a, "_xpml_value")]
    values = iter(_compute(*lazy) if lazy else ())
    return tuple(_host_value(a._xpml_value if hasattr(a, "_xpml_value") else next(values)) for a in arrays)


def _dask_qr_r(M):
    import dask.array as da

    if M.ndim == 2 and M.numblocks[1] > 1:
        M = M.rechunk({1: -1})
    if any(np.isnan(c) for c in M.chunks[0]):  # unknown chunk sizes (after a boolean mask)
        M = M.compute_chunk_sizes()
    if M.numblocks[0] == 1:
        return da.from_delayed(_delayed_qr_r(M), shape=(min(M.shape), M.shape[1]), dtype=M.dtype)
    return da.linalg.tsqr(M, compute_svd=False)[1]


def _delayed_qr_r(M):
    import dask

    return dask.delayed(lambda a: np.linalg.qr(a, mode="r"))(M)


def _dask_eigh(A):
    """eigh of a small (p, p) matrix: computed, factored by numpy, and returned as one-chunk arrays."""
    import dask.array as da

    w, V = np.linalg.eigh(_host_value(_compute(A)[0]))
    return da.from_array(w, chunks=w.shape), da.from_array(V, chunks=V.shape)


def _dask_uniform_rows(seed, X):
    import dask.array as da

    return da.random.default_rng(seed).random(X.shape[0], chunks=(X.chunks[0],), dtype=X.dtype)


def _dask_align_rows(a, like):
    """`a` (n, ...) cut into the chunks of rows of `like` (n, ...), so that they meet chunk by chunk."""
    return a.rechunk((like.chunks[0], *a.shape[1:])) if a.chunks[0] != like.chunks[0] else a


def _dask_encode_labels(y):
    """(classes, indices): the sorted labels (numpy, from one pass) and each sample's index among them, lazily."""
    import dask.array as da

    classes = _host_value(_compute(da.unique(y))[0])
    return classes, y.map_blocks(lambda c: np.searchsorted(classes, c).astype(np.int64), dtype=np.int64)


def _dask_map_chunks(fn, a, dtype):
    """fn, a host function (numpy in, numpy out of the same shape), applied to each chunk of `a`, lazily."""
    return a.map_blocks(lambda chunk: fn(_host_value(chunk)), dtype=dtype)


def _dask_compute_chunks(*arrays) -> tuple:
    """The arrays computed together, in one compute, as arrays of their chunks' library (numpy)."""
    return _compute(*arrays)


def _chunk_backend(device):
    """The backend of the chunks: numpy, or cupy for "dask:cupy"."""
    def backend():
        from ._selection import make_backend

        return make_backend("cupy" if device == "cupy" else "numpy")
    return backend


def _dask_native(device) -> dict:
    return {
        "scatter_add": _dask_scatter_add,
        "bincount": _dask_bincount,
        "eigh": _dask_eigh,
        "align_rows": _dask_align_rows,
        "encode_labels": _dask_encode_labels,
        "uniform_rows": _dask_uniform_rows,
        # Each block a helper takes is the whole array: dask cuts it into its own chunks, the real blocks.
        "block_scale": 2**40,
        # numpy chunks: k-means' distances laid out (centres, samples) (KMeans, 1,000,000 × 32, k=64, 10 Lloyd
        # iterations on dask's threads: 7.3 s -> 5.0 s)
        "centre_major": True,
        "qr_r": _dask_qr_r,
        "materialize": _dask_materialize,
        "read": _dask_read,
        "map_rows": _dask_map_rows,
        "map_chunks": _dask_map_chunks,
        "reduce_rows": _dask_reduce_rows,
        "lazy": True,
        "row_chunks": _dask_row_chunks,
        "compute_chunks": _dask_compute_chunks,
        "chunk_backend": _chunk_backend(device),
        "check_chunks": _dask_check_chunks,
        "unchecked": _dask_unchecked,
    }


register_library(Library(
    name="dask", module="dask", install="pip install 'xpml[dask]'", namespace="array_api_compat.dask.array",
    is_array=array_api_compat.is_dask_array, resolve_device=_dask_device, to_numpy=_dask_to_numpy,
    native=_dask_native, from_host=_dask_from_host, in_place=False, gathers=False, every_estimator=False,
))
