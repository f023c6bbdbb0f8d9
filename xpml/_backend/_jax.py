"""The jax backend: XLA on the CPU, a GPU or a TPU; arrays cannot be written in place."""

from __future__ import annotations

import functools
import importlib
import importlib.util
from typing import Callable

import array_api_compat

from ._libraries import Library, register_library


def _jax_device(device):
    import jax

    if device is None:
        return jax.devices()[0]
    if isinstance(device, str):
        platform, _, index = device.partition(":")
        platform = {"cuda": "gpu"}.get(platform, platform)
        try:
            return jax.devices(platform)[int(index or 0)]
        except (RuntimeError, IndexError) as exc:
            raise ValueError(f"device={device!r}: jax has no such device here ({exc}).") from None
    return device


def _jax_device_spec(device) -> str:
    import jax

    return f"{device.platform}:{jax.devices(device.platform).index(device)}"


@functools.lru_cache(maxsize=None)
def _jax_jit(fn: Callable, static_argnames: tuple[str, ...]) -> Callable:
    # One jitted function per Python function, kept for the process: jax caches its compilations
    # on this object, so later fits with the same shapes compile nothing.
    import jax

    return jax.jit(fn, static_argnames=static_argnames)


def _jax_segment_ops() -> dict:
    """bincount, scatter-add and the segments' maxima, each compiled whole: run eagerly, jax's own are a few
    operations each (checks of the indices, then the scatter), dispatched one by one: a scatter-add of
    65,536 × 33 values into 64 bins took 1.0 ms eagerly and 0.3 compiled."""
    import jax

    return {
        "bincount": jax.jit(lambda x, length, weights: jax.numpy.bincount(x, weights=weights, length=length),
                            static_argnums=1),
        "scatter_add": jax.jit(lambda values, index, n_bins: jax.ops.segment_sum(values, index, num_segments=n_bins),
                               static_argnums=2),
        "segment_max": jax.jit(lambda values, ids, n_segments: jax.ops.segment_max(
            values, ids, num_segments=n_segments, indices_are_sorted=True), static_argnums=2),
        "scatter_min_max": jax.jit(lambda values, index, n_bins: (
            jax.ops.segment_min(values, index, num_segments=n_bins),
            jax.ops.segment_max(values, index, num_segments=n_bins)), static_argnums=2),
    }


@functools.lru_cache(maxsize=None)
def _jax_scan(step: Callable, n_static: int) -> Callable:
    # Cached per step function: jax keeps its compilations on the jitted object.
    import jax

    def run(*args):
        *fixed, carry, xs = args

        def body(c, x):
            return step(*fixed, c, x), None

        return jax.lax.scan(body, carry, xs)[0]

    return jax.jit(run, static_argnums=tuple(range(n_static)))


def _lu_permuted_l(A):
    import jax

    factors, _, permutation = jax.lax.linalg.lu(A)  # A[permutation] = L U
    n, k = A.shape
    L = jax.numpy.tril(factors, -1) + jax.numpy.eye(n, k, dtype=A.dtype)  # (n, k)
    # row permutation[i] of P L is L's row i: a gather of L's rows by the inverse permutation, since XLA's
    # scatter of whole rows on a CPU is several times slower
    inverse = jax.numpy.zeros_like(permutation).at[permutation].set(jax.numpy.arange(n, dtype=permutation.dtype))
    return jax.numpy.take(L, inverse, axis=0)


def _jax_lu_permuted_l(A):
    """P L from the packed factors and the row permutation (jax.scipy's permute_l forms an n × n P), compiled
    whole."""
    return _jax_jit(_lu_permuted_l, ())(A)


def _jax_csr_matmul(indptr, indices, data, shape, B, transpose):
    from jax.experimental import sparse

    X = sparse.CSR((data, indices, indptr), shape=tuple(shape))
    return (X.T if transpose else X) @ B  # X.T: the same arrays read as CSC


def _jax_host_csr_matmul(device):
    """On a CPU, X @ B by scipy's kernels on views of jax's arrays (no copy in, one copy of the result out); XLA's
    gather and segment sum took 3 to 9 s for a product that scipy does in 0.3 s (2.5M values, B of 110 columns),
    and compile anew for each shape. Inside a trace (jit), jax's own product."""
    import jax
    import numpy as np

    def csr_matmul(indptr, indices, data, shape, B, transpose):
        if any(isinstance(a, jax.core.Tracer) for a in (indptr, indices, data, B)):
            return _jax_csr_matmul(indptr, indices, data, shape, B, transpose)
        from ._numpy import _scipy_csr_matmul

        out = _scipy_csr_matmul(np.asarray(indptr), np.asarray(indices), np.asarray(data), tuple(shape),
                                np.asarray(B), transpose)
        return jax.device_put(out, device)
    return csr_matmul


def _coo_of_csr(indptr, indices, n_rows: int):
    """(nnz, 2): each stored entry's (row, column), in CSR's order."""
    import jax.numpy as jnp

    rows = jnp.repeat(jnp.arange(n_rows, dtype=indices.dtype), jnp.diff(indptr), total_repeat_length=indices.shape[0])
    return jnp.stack([rows, indices], axis=1)


def _csr_of_coo(coo, n_rows: int):
    """indptr (n_rows + 1,) and columns (nnz,) of entries (row, column) sorted by row."""
    import jax.numpy as jnp

    rows = coo[:, 0]
    indptr = jnp.searchsorted(rows, jnp.arange(n_rows + 1, dtype=rows.dtype))
    return indptr.astype(rows.dtype), coo[:, 1]


def _jax_sparse_matrix(indptr, indices, data, shape):
    """A BCOO, jax's main sparse format. The conversions are compiled whole: eagerly, each of their operations
    would compile on its own for each new shape."""
    from jax.experimental import sparse

    coo = _jax_jit(_coo_of_csr, ("n_rows",))(indptr, indices, n_rows=shape[0])
    return sparse.BCOO((data, coo), shape=tuple(shape), indices_sorted=True, unique_indices=True)


def _jax_sparse_parts(x):
    from jax.experimental import sparse

    if isinstance(x, (sparse.BCSR, sparse.CSR)) and x.ndim == 2 and x.data.ndim == 1:
        return x.indptr, x.indices, x.data, tuple(x.shape)
    if not (isinstance(x, sparse.BCOO) and x.n_batch == 0 and x.n_dense == 0 and x.ndim == 2):
        return None
    if not (x.indices_sorted and x.unique_indices):  # sum_duplicates sorts by row, then column
        x = x.sum_duplicates()
    indptr, indices = _jax_jit(_csr_of_coo, ("n_rows",))(x.indices, n_rows=x.shape[0])
    return indptr, indices, x.data, tuple(x.shape)


def _jax_native(device) -> dict:
    import jax

    table = {
        **_jax_segment_ops(),
        "select_smallest": lambda x, k: jax.lax.top_k(-x, k)[1],
        "qr_r": lambda M: jax.numpy.linalg.qr(M, mode="r"),
        "lu_permuted_l": _jax_lu_permuted_l,
        "compile": lambda fn, static_argnames: _jax_jit(fn, tuple(static_argnames)),
        "compile_scan": _jax_scan,
        "compiles_per_shape": True,
        "sparse_matrix": _jax_sparse_matrix,
    }
    if device.platform == "cpu":
        # Op-by-op dispatch costs tens of microseconds a call: larger blocks spread it (k-means,
        # 200,000 × 32, k=64: 78 ms an iteration with 4,096-row blocks, 43 ms with 65,536).
        table["block_scale"] = 16
        if importlib.util.find_spec("scipy") is not None:
            table["csr_matmul"] = _jax_host_csr_matmul(device)
    else:
        # cuSPARSE on a GPU. On a CPU without scipy, jax's CSR product is a gather and a segment sum, which
        # the array-API kernel with the "scatter_add" capability already is, minus a compilation per shape.
        table["csr_matmul"] = _jax_csr_matmul
    return table


register_library(Library(
    name="jax", module="jax", install="pip install 'xpml[jax]'", namespace="jax.numpy",
    is_array=array_api_compat.is_jax_array, resolve_device=_jax_device, device_spec=_jax_device_spec,
    on_accelerator=lambda device: device.platform != "cpu", native=_jax_native,
    synchronize=lambda device, arrays: importlib.import_module("jax").block_until_ready(arrays),
    no_float64_hint=" Set JAX_ENABLE_X64=1 before importing jax for float64.", sparse_parts=_jax_sparse_parts,
))


