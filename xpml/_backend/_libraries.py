"""The array libraries xpml can compute with: one entry each, and nothing about them anywhere else.

An entry (`Library`) says how to find and install the library, which module is its array-API
namespace, how to recognise its arrays, how to name and resolve its devices, how to bring an array
to the host, and what it can do natively that the standard cannot (`native`, a table keyed by the
capabilities that `_capabilities.py` lists). Adding a backend is adding one entry with
`register_library`; selection, conversion and every helper then work with it.

Each library module is imported only inside these functions, when a backend of that library is
first used: `import xpml` imports numpy and nothing heavier.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import importlib.util
from dataclasses import dataclass, field
from typing import Any, Callable

import array_api_compat
import numpy as np

__all__ = ["LIBRARIES", "Library", "register_library"]


def _no_native(device: Any) -> dict:
    return {}


@dataclass(frozen=True)
class Library:
    """What xpml needs to know about one array library.

    Attributes
    ----------
    name : str
        The backend's name ("numpy", "torch", ...), as users write it.
    module : str
        The module to import; it is "installed" when this module can be found.
    install : str
        How to install it, for the error that names a missing backend.
    namespace : str
        The module that is its array-API namespace (`Backend.xp`).
    is_array : callable(x) -> bool
        Whether `x` is one of its arrays.
    resolve_device : callable(device or None) -> device
        The library's device object for a user's device spec; None gives the default device.
        Raises ValueError for a device it does not have.
    device_spec : callable(device) -> plain value
        The device as a value that `resolve_device` turns back into it (for pickles and model files).
    on_accelerator : callable(device) -> bool
        Whether the device is a GPU or another accelerator rather than the host CPU.
    to_numpy : callable(x) -> numpy.ndarray
        A host copy (or view) of one of its arrays.
    native : callable(device) -> dict
        Its native fast paths on that device, keyed by capability (`_capabilities.CAPABILITIES`).
    usable : callable() -> str or None
        Why the library cannot be used here although installed (cupy without a GPU), or None.
    extra_targets : callable() -> list of str
        Other devices worth testing and benchmarking here ("torch:cuda").
    synchronize : callable(device, arrays) or None
        Waits for the device's queued work (GPUs), for timers.
    no_float64_hint : str
        Said when float64 input is reduced to float32 on one of its devices.
    """

    name: str
    module: str
    install: str
    namespace: str
    is_array: Callable[[Any], bool]
    resolve_device: Callable[[Any], Any]
    device_spec: Callable[[Any], Any] = lambda device: device
    on_accelerator: Callable[[Any], bool] = lambda device: False
    to_numpy: Callable[[Any], np.ndarray] = np.asarray
    native: Callable[[Any], dict] = _no_native
    usable: Callable[[], str | None] = lambda: None
    extra_targets: Callable[[], list] = field(default=lambda: [])
    synchronize: Callable[[Any, tuple], None] | None = None
    no_float64_hint: str = ""

    def is_installed(self) -> bool:
        return importlib.util.find_spec(self.module) is not None

    def imported(self):
        """The library's own module (numpy, torch, ...), for its native fast paths."""
        return importlib.import_module(self.module)


LIBRARIES: dict[str, Library] = {}


def register_library(library: Library) -> Library:
    """Add (or replace) a library under `library.name`; returns it."""
    LIBRARIES[library.name] = library
    return library


# ---------------------------------------------------------------------------------------------
# Native fast paths shared by several libraries. Each is a thin wrapper over one library call;
# the pure array-API version beside it in xpml.utils is what tests compare it with.
# ---------------------------------------------------------------------------------------------


def _argpartition_smallest(lib):
    def select_smallest(x, k):
        if k == x.shape[1]:
            return lib.argsort(x, axis=1)
        return lib.argpartition(x, k - 1, axis=1)[:, :k]
    return select_smallest


def _blas_one_thread():
    """numpy's BLAS on one thread (threadpoolctl, which scikit-learn installs), or None without it."""
    if importlib.util.find_spec("threadpoolctl") is None:
        return None

    def one_thread():
        from threadpoolctl import threadpool_limits

        return threadpool_limits(limits=1, user_api="blas")
    return one_thread


# ---------------------------------------------------------------------------------------------
# numpy
# ---------------------------------------------------------------------------------------------


def _numpy_device(device):
    if device not in (None, "cpu"):
        raise ValueError(f"device={device!r} is not a numpy device; numpy has only 'cpu'.")
    return "cpu"


def _numpy_one_hot_t(index, n_bins, dtype):
    """Oᵀ (n_bins, n) with Oᵀ[index[i], i] = 1, set by indexing rather than by n · n_bins comparisons."""
    out = np.zeros((n_bins, index.shape[0]), dtype=dtype)
    out[index, np.arange(index.shape[0])] = 1
    return out


def _numpy_native(device) -> dict:
    table = {
        "bincount": lambda x, length, weights: np.bincount(x, weights=weights, minlength=length),
        "one_hot_t": _numpy_one_hot_t,
        "select_smallest": _argpartition_smallest(np),
        "qr_r": lambda M: np.linalg.qr(M, mode="r"),
    }
    one_thread = _blas_one_thread()
    if one_thread is not None:
        table["one_thread"] = one_thread
    return table


register_library(Library(
    name="numpy", module="numpy", install="pip install numpy", namespace="array_api_compat.numpy",
    is_array=array_api_compat.is_numpy_array, resolve_device=_numpy_device, native=_numpy_native,
))


# ---------------------------------------------------------------------------------------------
# cupy
# ---------------------------------------------------------------------------------------------


def _cupy_gpu_missing() -> str | None:
    try:
        import cupy

        if cupy.cuda.runtime.getDeviceCount() > 0:
            return None
    except Exception:  # cupy is installed but cannot reach a GPU or a CUDA runtime
        pass
    return "cannot reach a CUDA GPU on this machine"


def _cupy_device(device):
    import cupy

    if device is None or isinstance(device, cupy.cuda.Device):
        return device if device is not None else cupy.cuda.Device()
    index = str(device).removeprefix("cuda").removeprefix("gpu").lstrip(":") or "0"
    return cupy.cuda.Device(int(index))


def _cupy_scatter_add(values, index, n_bins):
    """add.at into a fresh flat output (flat index = bin · d + column), in one pass."""
    import cupy

    out = cupy.zeros((n_bins, *values.shape[1:]), dtype=values.dtype)
    if values.ndim == 1:
        cupy.add.at(out, index, values)
        return out
    d = values.shape[1]
    flat_index = index[:, None] * d + cupy.arange(d, dtype=index.dtype)  # (n, d)
    cupy.add.at(out.reshape(-1), flat_index.reshape(-1), values.reshape(-1))
    return out


def _cupy_native(device) -> dict:
    import cupy

    return {
        "bincount": lambda x, length, weights: cupy.bincount(x, weights=weights, minlength=length),
        "scatter_add": _cupy_scatter_add,
        "select_smallest": _argpartition_smallest(cupy),
        "qr_r": lambda M: cupy.linalg.qr(M, mode="r"),
    }


def _cupy_synchronize(device, arrays):
    import cupy

    cupy.cuda.get_current_stream().synchronize()


register_library(Library(
    name="cupy", module="cupy", install="pip install 'xpml[cupy]'  (cupy-cuda12x, for an NVIDIA GPU with CUDA 12)",
    namespace="array_api_compat.cupy", is_array=array_api_compat.is_cupy_array, resolve_device=_cupy_device,
    device_spec=lambda device: device.id, on_accelerator=lambda device: True, to_numpy=lambda x: x.get(),
    native=_cupy_native, usable=_cupy_gpu_missing, synchronize=_cupy_synchronize,
))


# ---------------------------------------------------------------------------------------------
# torch
# ---------------------------------------------------------------------------------------------


def _torch_device(device):
    import torch

    device = torch.get_default_device() if device is None else torch.device(device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device={str(device)!r}: torch finds no CUDA GPU on this machine.")
    if device.type == "mps" and not torch.backends.mps.is_available():
        raise ValueError(f"device={str(device)!r}: torch finds no Apple MPS device on this machine.")
    return device


def _torch_to_numpy(x):
    import torch

    x = x.detach().cpu()
    return (x.float() if x.dtype == torch.bfloat16 else x).numpy()  # numpy has no bfloat16


def _torch_cpu_bincount(x, length, weights):
    # torch.bincount runs on one thread on a CPU, ~10x slower than a float index_add_ into a fresh array.
    import torch

    dtype = torch.float64 if weights is None else weights.dtype
    values = torch.ones(x.shape[0], dtype=dtype) if weights is None else weights
    counts = torch.zeros(length, dtype=dtype).index_add_(0, x, values)
    return counts if weights is not None else counts.to(torch.int64)


@contextlib.contextmanager
def _torch_one_thread():
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _torch_native(device) -> dict:
    import torch

    table = {
        "bincount": lambda x, length, weights: torch.bincount(x, weights=weights, minlength=length),
        "scatter_add": lambda values, index, n_bins: torch.zeros(
            (n_bins, *values.shape[1:]), dtype=values.dtype, device=values.device).index_add_(0, index, values),
        "select_smallest": lambda x, k: torch.topk(x, k, dim=1, largest=False, sorted=False).indices,
        "qr_r": lambda M: torch.linalg.qr(M, mode="r").R,
    }
    if device.type == "cpu":
        table["bincount"] = _torch_cpu_bincount
        table["one_thread"] = _torch_one_thread
    return table


def _torch_cuda_targets() -> list:
    import torch

    return ["torch:cuda"] if torch.cuda.is_available() else []


def _torch_synchronize(device, arrays):
    if device.type == "cuda":
        import torch

        torch.cuda.synchronize(device)


register_library(Library(
    name="torch", module="torch", install="pip install 'xpml[torch]'", namespace="array_api_compat.torch",
    is_array=array_api_compat.is_torch_array, resolve_device=_torch_device, device_spec=str,
    on_accelerator=lambda device: device.type != "cpu", to_numpy=_torch_to_numpy, native=_torch_native,
    extra_targets=_torch_cuda_targets, synchronize=_torch_synchronize,
))


# ---------------------------------------------------------------------------------------------
# jax
# ---------------------------------------------------------------------------------------------


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


def _jax_native(device) -> dict:
    import jax

    table = {
        "bincount": lambda x, length, weights: jax.numpy.bincount(x, weights=weights, length=length),
        "scatter_add": lambda values, index, n_bins: jax.ops.segment_sum(values, index, num_segments=n_bins),
        "select_smallest": lambda x, k: jax.lax.top_k(-x, k)[1],
        "qr_r": lambda M: jax.numpy.linalg.qr(M, mode="r"),
        "compile": lambda fn, static_argnames: _jax_jit(fn, tuple(static_argnames)),
        "compiles_per_shape": True,
    }
    if device.platform == "cpu":
        # XLA's argmin on a CPU is a slow reduction over (value, index) pairs: 15 ms for a 65536 × 64
        # float32 block, against 3 ms for a row minimum followed by the first column that reaches it.
        table["argmin_by_reductions"] = True
        # Op-by-op dispatch costs tens of microseconds a call: larger blocks spread it (k-means,
        # 200,000 × 32, k=64: 78 ms an iteration with 4,096-row blocks, 43 ms with 65,536).
        table["block_scale"] = 16
    return table


register_library(Library(
    name="jax", module="jax", install="pip install 'xpml[jax]'", namespace="jax.numpy",
    is_array=array_api_compat.is_jax_array, resolve_device=_jax_device, device_spec=_jax_device_spec,
    on_accelerator=lambda device: device.platform != "cpu", native=_jax_native,
    synchronize=lambda device, arrays: importlib.import_module("jax").block_until_ready(arrays),
    no_float64_hint=" Set JAX_ENABLE_X64=1 before importing jax for float64.",
))


# ---------------------------------------------------------------------------------------------
# array_api_strict: the standard's reference, on simulated devices; no fast paths, on purpose
# ---------------------------------------------------------------------------------------------


def _strict_device(device):
    import array_api_strict

    info = array_api_strict.__array_namespace_info__()
    if device is None:
        return info.default_device()
    if isinstance(device, str) and device in [d._device for d in info.devices()]:
        device = array_api_strict.Device(device)
    if device not in info.devices():
        raise ValueError(f"device={device!r} is not an array_api_strict device; expected one of {info.devices()}.")
    return device


def _strict_to_numpy(x):
    import array_api_strict

    return np.from_dlpack(array_api_compat.to_device(x, array_api_strict.Device("CPU_DEVICE")))


def _strict_native(device) -> dict:
    one_thread = _blas_one_thread()  # its arrays are numpy's underneath: the same BLAS
    return {} if one_thread is None else {"one_thread": one_thread}


register_library(Library(
    name="array_api_strict", module="array_api_strict", install="pip install array-api-strict",
    namespace="array_api_strict", is_array=lambda x: type(x).__module__.startswith("array_api_strict"),
    resolve_device=_strict_device,
    device_spec=lambda device: device._device,  # the simulated device's name; no public accessor
    to_numpy=_strict_to_numpy, native=_strict_native,
))
