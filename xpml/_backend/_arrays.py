"""Arrays: which library owns one, and moving it to another library, device or dtype.

- Arrays move between libraries through DLPack when the two can share memory, or through the host.
- Floating input keeps its precision; integers and booleans become float64, or float32 where
  the device has no float64 (as its `__array_namespace_info__` says; on jax, as `JAX_ENABLE_X64` says).
- Output follows input, unless `set_config(output="backend")`.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

import array_api_compat
import numpy as np

from ..utils._warnings import warn
from ._libraries import LIBRARIES
from ._selection import Backend, get_config, make_backend

__all__ = [
    "backend_of",
    "device_of",
    "dtype_name",
    "float_dtype_for",
    "is_host_input",
    "is_writeable",
    "library_of",
    "match_input",
    "namespace_of",
    "sparse_parts",
    "to_backend",
    "to_numpy",
]


def library_of(x: Any) -> str | None:
    """The backend name of the library that owns array `x`, or None for lists, scalars and the like."""
    for name, library in LIBRARIES.items():
        if library.is_array(x):
            return name
    return None


def sparse_parts(x: Any) -> tuple | None:
    """(indptr, indices, data, shape) of `x` if it is the sparse matrix of an array library (a torch sparse tensor,
    a jax BCOO, a cupyx matrix; scipy.sparse is read elsewhere), its arrays that library's; else None. Only the
    libraries already imported are asked."""
    for library in LIBRARIES.values():
        if library.module in sys.modules:
            parts = library.sparse_parts(x)
            if parts is not None:
                return parts
    return None


def is_host_input(x: Any) -> bool:
    """Whether `x` is a numpy array or no array at all (a list, a scalar, a DataFrame): data on the host."""
    return not any(library.is_array(x) for library in LIBRARIES.values()) or array_api_compat.is_numpy_array(x)


_backend_of_cache: dict = {}  # {(library, device): Backend}: helpers ask for every block of a loop


def backend_of(x: Any) -> Backend:
    """The backend (library and device) an array lives on; numpy for anything that is not an array."""
    name = library_of(x)
    if name is None:
        return make_backend("numpy")
    key = (name, array_api_compat.device(x))
    try:
        backend = _backend_of_cache.get(key)
    except TypeError:  # a device that cannot be a key
        return make_backend(*key)
    if backend is None:  # an array exists, so its library is installed: build the Backend once
        backend = _backend_of_cache[key] = make_backend(*key)
    return backend


def namespace_of(*arrays: Any) -> ModuleType:
    """The array-API namespace of some arrays (array_api_compat.array_namespace)."""
    return array_api_compat.array_namespace(*arrays)


def device_of(x: Any) -> Any:
    """The device of an array, in its library's own terms."""
    return array_api_compat.device(x)


def is_writeable(x: Any) -> bool:
    """Whether the array can be written to in place (numpy, torch, cupy: yes; jax, dask: no)."""
    name = library_of(x)
    return array_api_compat.is_writeable_array(x) and (name is None or LIBRARIES[name].in_place)


def to_numpy(x: Any) -> np.ndarray:
    """A host numpy copy (or view) of an array of any library, or of a list."""
    name = library_of(x)
    return np.asarray(x) if name is None else LIBRARIES[name].to_numpy(x)


def dtype_name(x: Any) -> str:
    """A library-neutral name for an array's dtype: 'float64', 'int32', 'bool', '<U5', 'object', ..."""
    if library_of(x) is None:
        return np.asarray(x).dtype.name
    if array_api_compat.is_numpy_array(x):
        return x.dtype.name
    return str(x.dtype).rsplit(".", 1)[-1]


_reduced_warned = False  # one warning per process that float64 input was computed in float32


def float_dtype_for(source: str, backend: Backend, override: str | None = None) -> str:
    """The floating dtype (by name) that data of dtype `source` gets on `backend`.

    Floating data keeps its precision, other numbers become the default floating dtype, and float64
    becomes float32 (with one warning) on a device that has no float64. `override` is an
    estimator's `dtype=` parameter.
    """
    global _reduced_warned
    wanted = override or (source if source in ("float32", "float64") else "float64")
    if source in ("float16", "bfloat16") and override is None:
        wanted = "float32"
    if wanted == "float64" and not backend.has_float64:
        if source == "float64" and not _reduced_warned:
            _reduced_warned = True
            warn(f"backend {backend.name!r} on {backend.device} has no float64: float64 input is "
                 f"computed in float32.{LIBRARIES[backend.name].no_float64_hint}", UserWarning)
        wanted = "float32"
    return wanted


def _shareable(x: Any) -> Any:
    """`x`, or a copy of it that DLPack can hand over safely.

    A numpy array with a negative stride (`X[::-1]`, `np.flip(X)`, reordered DataFrame columns) is
    legal DLPack, but some importers abort the whole process on it instead of raising (torch's
    `from_dlpack`): no `try` can catch that, so such arrays are made contiguous first.
    """
    if array_api_compat.is_numpy_array(x) and any(stride < 0 for stride in x.strides):
        return np.ascontiguousarray(x)
    return x


def to_backend(x: Any, backend: Backend, dtype: str | None = None) -> Any:
    """Move an array (of any library, or a list) to `backend`'s library and device, optionally casting.

    DLPack is tried first; where it cannot cross (host to GPU, say) the data goes through the host.
    """
    xp, device = backend.xp, backend.device
    name = library_of(x)
    if name is not None and name != backend.name and not LIBRARIES[name].gathers:
        raise ValueError(
            f"X is a {name} array, which is never gathered into one process: compute with backend={name!r} "
            f"(the estimator's `backend` parameter, or xpml.set_backend({name!r})); got backend={backend.name!r}. "
            f"Call .compute() on it first if it fits in memory."
        )
    if name == backend.name:
        if hasattr(x, "detach"):  # torch: drop the autograd graph
            x = x.detach()
        if device_of(x) != device:
            x = array_api_compat.to_device(x, device)
    else:
        moved = None
        # float64 meant to become float32 on a device without float64 is cast on the host: an
        # import would truncate it there silently (jax without x64).
        narrowing = dtype_name(x) == "float64" and dtype != "float64" and not backend.has_float64
        if name is not None and not narrowing:
            try:
                moved = xp.from_dlpack(_shareable(x))
                if device_of(moved) != device:
                    moved = array_api_compat.to_device(moved, device)
            except Exception:  # DLPack cannot cross between these two (host to GPU, say): go via the host
                moved = None
        if moved is None:
            host = to_numpy(x)
            if dtype is not None and host.dtype.name != dtype:
                host = host.astype(dtype)  # cast on the host: jax without x64 would truncate float64 silently
            if not host.flags.writeable or any(stride < 0 for stride in host.strides):
                host = np.ascontiguousarray(host) if host.flags.writeable else host.copy()
            from_host = LIBRARIES[backend.name].from_host
            moved = xp.asarray(host, device=device) if from_host is None else from_host(host, device)
        x = moved
    if dtype is not None and dtype_name(x) != dtype:
        x = xp.astype(x, getattr(xp, dtype))
    return x


def match_input(result: Any, like: Any) -> Any:
    """Return `result` in the library and on the device of `like` (output follows input).

    With `set_config(output="backend")`, `result` comes back as it is. Results that no array library
    but numpy can hold (string labels) stay numpy.
    """
    if get_config()["output"] == "backend":
        return result
    if is_host_input(like):
        return to_numpy(result)
    if isinstance(result, np.ndarray) and result.dtype.kind not in "biuf":
        return result
    return to_backend(result, backend_of(like))
