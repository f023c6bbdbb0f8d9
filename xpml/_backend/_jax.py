"""The jax backend: XLA on the CPU, a GPU or a TPU; arrays cannot be written in place."""

from __future__ import annotations

import functools
import importlib
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


def _jax_lu_permuted_l(A):
    """P L from the packed factors and the row permutation (jax.scipy's permute_l forms an n × n P)."""
    import jax

    factors, _, permutation = jax.lax.linalg.lu(A)  # A[permutation] = L U
    n, k = A.shape
    L = jax.numpy.tril(factors, -1) + jax.numpy.eye(n, k, dtype=A.dtype)  # (n, k)
    return jax.numpy.zeros_like(L).at[permutation].set(L)


def _jax_csr_matmul(indptr, indices, data, shape, B, transpose):
    from jax.experimental import sparse

    X = sparse.CSR((data, indices, indptr), shape=tuple(shape))
    return (X.T if transpose else X) @ B  # X.T: the same arrays read as CSC


def _jax_native(device) -> dict:
    import jax

    table = {
        "bincount": lambda x, length, weights: jax.numpy.bincount(x, weights=weights, length=length),
        "scatter_add": lambda values, index, n_bins: jax.ops.segment_sum(values, index, num_segments=n_bins),
        "select_smallest": lambda x, k: jax.lax.top_k(-x, k)[1],
        "qr_r": lambda M: jax.numpy.linalg.qr(M, mode="r"),
        "lu_permuted_l": _jax_lu_permuted_l,
        "compile": lambda fn, static_argnames: _jax_jit(fn, tuple(static_argnames)),
        "compile_scan": _jax_scan,
        "compiles_per_shape": True,
    }
    if device.platform == "cpu":
        # Op-by-op dispatch costs tens of microseconds a call: larger blocks spread it (k-means,
        # 200,000 × 32, k=64: 78 ms an iteration with 4,096-row blocks, 43 ms with 65,536).
        table["block_scale"] = 16
    else:
        # cuSPARSE on a GPU. On a CPU jax's CSR product is a gather and a segment sum, which the
        # array-API kernel with the "scatter_add" capability already is, minus a compilation per shape.
        table["csr_matmul"] = _jax_csr_matmul
    return table


register_library(Library(
    name="jax", module="jax", install="pip install 'xpml[jax]'", namespace="jax.numpy",
    is_array=array_api_compat.is_jax_array, resolve_device=_jax_device, device_spec=_jax_device_spec,
    on_accelerator=lambda device: device.platform != "cpu", native=_jax_native,
    synchronize=lambda device, arrays: importlib.import_module("jax").block_until_ready(arrays),
    no_float64_hint=" Set JAX_ENABLE_X64=1 before importing jax for float64.",
))


