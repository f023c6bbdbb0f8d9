"""Backends: which array library runs the math, on which device, and how arrays move between them.

This is the only module in xpml that knows the names of array libraries (numpy, cupy, torch, jax,
array_api_strict) and the only one that imports array-api-compat. Everything else asks it for a
`Backend`, a small record of a library's array namespace and a device, and writes its math against
`backend.xp` as the Python array API standard describes it.

Libraries are imported lazily: `import xpml` imports numpy and nothing heavier. torch, say, is
imported the first time a torch backend is selected or a torch array is converted.

The rules it implements (the public contract, sections 1 and 2):

- The global backend comes from `XPML_BACKEND` at import, or numpy. `set_backend` changes it.
  `use_backend` changes it for the current thread, inside a `with` block.
- Arrays move between libraries through DLPack when the two can share memory, or through the host.
- Floating input keeps its precision; integers and booleans become float64, or float32 where
  the device has no float64 (as its `__array_namespace_info__` says; on jax, as `JAX_ENABLE_X64` says).
- Output follows input, unless `set_config(output="backend")`.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import importlib.util
import os
import threading
import warnings
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import array_api_compat
import numpy as np

__all__ = [
    "Backend",
    "available_backends",
    "config_context",
    "get_backend",
    "get_config",
    "make_backend",
    "set_backend",
    "set_config",
    "to_numpy",
    "use_backend",
]

# name -> (module to look for, how to install it)
_LIBRARIES = {
    "numpy": ("numpy", "pip install numpy"),
    "cupy": ("cupy", "pip install 'xpml[cupy]'  (cupy-cuda12x, for an NVIDIA GPU with CUDA 12)"),
    "torch": ("torch", "pip install 'xpml[torch]'"),
    "jax": ("jax", "pip install 'xpml[jax]'"),
    "array_api_strict": ("array_api_strict", "pip install array-api-strict"),
}
# the array namespace each backend computes with
_NAMESPACES = {
    "numpy": "array_api_compat.numpy",
    "cupy": "array_api_compat.cupy",
    "torch": "array_api_compat.torch",
    "jax": "jax.numpy",
    "array_api_strict": "array_api_strict",
}


@dataclass(frozen=True)
class Backend:
    """An array library and a device: where an estimator's arrays live and its math runs.

    Attributes
    ----------
    name : str
        One of "numpy", "cupy", "torch", "jax", "array_api_strict".
    xp : module
        The array-API namespace of the library.
    device : object
        The library's own device object ("cpu" for numpy).
    """

    name: str
    xp: ModuleType
    device: Any

    def __repr__(self) -> str:
        return f'Backend(name="{self.name}", xp=<{self.xp.__name__}>, device={self.device!r})'

    def __reduce__(self):
        # Module objects cannot be pickled: rebuild from the name and a plain description of the device.
        return make_backend, (self.name, _device_spec(self))

    @property
    def has_float64(self) -> bool:
        """Whether the device computes in float64 (jax only with JAX_ENABLE_X64)."""
        return _has_float64(self)

    @property
    def float_dtype(self):
        """The default floating dtype: float64, or float32 where the device has no float64."""
        return self.xp.float64 if self.has_float64 else self.xp.float32


# ---------------------------------------------------------------------------------------------
# Selecting a backend
# ---------------------------------------------------------------------------------------------


def _is_installed(name: str) -> bool:
    return importlib.util.find_spec(_LIBRARIES[name][0]) is not None


def _has_gpu_for_cupy() -> bool:
    try:
        import cupy

        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:  # cupy is installed but cannot reach a GPU or a CUDA runtime
        return False


def available_backends() -> list[str]:
    """Names of the backends that can run on this machine.

    cupy is listed only where it is installed and a CUDA GPU can be reached. torch on a GPU is the
    "torch" backend with `device="cuda"`.
    """
    names = [name for name in _LIBRARIES if _is_installed(name)]
    if "cupy" in names and not _has_gpu_for_cupy():
        names.remove("cupy")
    return names


def _unusable(name: str, why: str) -> ValueError:
    missing = [n for n in _LIBRARIES if n not in available_backends()]
    hints = "".join(f"\n  {n}: {_LIBRARIES[n][1]}" for n in missing)
    return ValueError(
        f"backend={name!r} {why}. Available here: {available_backends()}."
        + (f"\nTo install the others:{hints}" if hints else "")
    )


def _split_spec(spec: str) -> tuple[str, str | None]:
    """'torch:cuda' -> ('torch', 'cuda'); 'numpy' -> ('numpy', None)."""
    name, _, device = spec.partition(":")
    return name, (device or None)


def _check_name(name: Any) -> str:
    if not isinstance(name, str):
        raise TypeError(f"backend should be a str such as 'numpy' or 'torch'; got {name!r}.")
    if name not in _LIBRARIES:
        raise _unusable(name, f"is not a backend; expected one of {list(_LIBRARIES)}")
    if not _is_installed(name):
        raise _unusable(name, "is not installed")
    return name


def _resolve_device(name: str, device: Any) -> Any:
    """The library's device object for `device` (None: the library's own default)."""
    if name == "numpy":
        if device not in (None, "cpu"):
            raise ValueError(f"device={device!r} is not a numpy device; numpy has only 'cpu'.")
        return "cpu"
    if name == "cupy":
        import cupy

        if not _has_gpu_for_cupy():
            raise _unusable("cupy", "cannot reach a CUDA GPU on this machine")
        if device is None or isinstance(device, cupy.cuda.Device):
            return device if device is not None else cupy.cuda.Device()
        index = str(device).removeprefix("cuda").removeprefix("gpu").lstrip(":") or "0"
        return cupy.cuda.Device(int(index))
    if name == "torch":
        import torch

        device = torch.get_default_device() if device is None else torch.device(device)
        if device.type == "cuda" and not torch.cuda.is_available():
            raise ValueError(f"device={str(device)!r}: torch finds no CUDA GPU on this machine.")
        if device.type == "mps" and not torch.backends.mps.is_available():
            raise ValueError(f"device={str(device)!r}: torch finds no Apple MPS device on this machine.")
        return device
    if name == "jax":
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
    # array_api_strict: its default device, or one of its simulated devices by name
    import array_api_strict

    info = array_api_strict.__array_namespace_info__()
    if device is None:
        return info.default_device()
    if isinstance(device, str) and device in [d._device for d in info.devices()]:
        device = array_api_strict.Device(device)
    if device not in info.devices():
        raise ValueError(f"device={device!r} is not an array_api_strict device; expected one of {info.devices()}.")
    return device


def _device_spec(backend: Backend) -> Any:
    """The device as a plain value that `_resolve_device` turns back into the device object."""
    device = backend.device
    if backend.name == "torch":
        return str(device)
    if backend.name == "cupy":
        return device.id
    if backend.name == "jax":
        return f"{device.platform}:{jax_index(device)}"
    if backend.name == "array_api_strict":
        return device._device  # the simulated device's name; array_api_strict has no public accessor
    return device


def jax_index(device: Any) -> int:
    import jax

    return jax.devices(device.platform).index(device)


_cache: dict[tuple[str, str], Backend] = {}
_cache_lock = threading.Lock()


def make_backend(name: str | Backend, device: Any = None) -> Backend:
    """Build the `Backend` for a library name and an optional device, importing the library.

    `name` may carry the device after a colon: "torch:cuda", "array_api_strict:device1".
    Raises ValueError for an unknown or uninstalled library, naming what is available.
    """
    if isinstance(name, Backend):
        return name if device is None else make_backend(name.name, device)
    if isinstance(name, str) and ":" in name:
        name, spec_device = _split_spec(name)
        device = spec_device if device is None else device
    name = _check_name(name)
    device = _resolve_device(name, device)
    key = (name, repr(device))  # one Backend per library and device, however the device was named
    with _cache_lock:
        if key not in _cache:
            _cache[key] = Backend(name, importlib.import_module(_NAMESPACES[name]), device)
        return _cache[key]


# The global default, set from XPML_BACKEND at import but built (and its library imported) only when
# first asked for; and a per-thread stack of `use_backend` overrides.
_global: dict[str, Any] = {}
_local = threading.local()


def _init_from_environment() -> None:
    spec = os.environ.get("XPML_BACKEND", "numpy") or "numpy"
    _check_name(_split_spec(spec)[0])
    _global["spec"] = _split_spec(spec)
    _global["backend"] = None


def _stack() -> list[Backend]:
    if not hasattr(_local, "stack"):
        _local.stack = []
    return _local.stack


def get_backend() -> Backend:
    """The backend in force: the innermost `use_backend` of this thread, else the global one."""
    stack = _stack()
    if stack:
        return stack[-1]
    if _global["backend"] is None:
        _global["backend"] = make_backend(*_global["spec"])
    return _global["backend"]


def set_backend(name: str | Backend, device: Any = None) -> Backend:
    """Set the global backend, for every thread, from now on. Returns it.

    Examples
    --------
    >>> import xpml
    >>> xpml.set_backend("numpy")
    Backend(name="numpy", xp=<array_api_compat.numpy>, device='cpu')
    """
    backend = make_backend(name, device)
    _global["backend"] = backend
    return backend


@contextlib.contextmanager
def use_backend(name: str | Backend, device: Any = None):
    """Use a backend inside a `with` block, in this thread only; the previous one comes back on exit."""
    backend = make_backend(name, device)
    stack = _stack()
    stack.append(backend)
    try:
        yield backend
    finally:
        stack.pop()


def resolve_backend(spec: str | Backend | None) -> Backend:
    """An estimator's `backend` parameter made concrete: None means the backend in force now."""
    return get_backend() if spec is None else make_backend(spec)


# ---------------------------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------------------------

_config_global = {"output": "input"}
_OUTPUTS = ("input", "backend")


def get_config() -> dict:
    """The configuration in force in this thread: {"output": "input" or "backend"}."""
    return {**_config_global, **getattr(_local, "config", {})}


def _checked_config(output: str | None) -> dict:
    if output is None:
        return {}
    if output not in _OUTPUTS:
        raise ValueError(f"output={output!r} should be one of {_OUTPUTS}.")
    return {"output": output}


def set_config(output: str | None = None) -> None:
    """Set global options.

    Parameters
    ----------
    output : {"input", "backend"}, optional
        "input" (the default): results come back in the library and on the device of the input,
        so numpy in gives numpy out. "backend": results stay arrays of the estimator's backend.
    """
    _config_global.update(_checked_config(output))


@contextlib.contextmanager
def config_context(output: str | None = None):
    """Change options inside a `with` block, in this thread only."""
    old = getattr(_local, "config", {})
    _local.config = {**old, **_checked_config(output)}
    try:
        yield
    finally:
        _local.config = old


# ---------------------------------------------------------------------------------------------
# Arrays: which library owns one, and moving it to another
# ---------------------------------------------------------------------------------------------

_IS_ARRAY = {
    "numpy": array_api_compat.is_numpy_array,
    "cupy": array_api_compat.is_cupy_array,
    "torch": array_api_compat.is_torch_array,
    "jax": array_api_compat.is_jax_array,
}


def library_of(x: Any) -> str | None:
    """The backend name of the library that owns array `x`, or None for lists, scalars and the like."""
    if type(x).__module__.startswith("array_api_strict"):
        return "array_api_strict"
    for name, is_array in _IS_ARRAY.items():
        if is_array(x):
            return name
    return None


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


def to_numpy(x: Any) -> np.ndarray:
    """A host numpy copy (or view) of an array of any library, or of a list."""
    name = library_of(x)
    if name == "cupy":
        return x.get()
    if name == "torch":
        import torch

        x = x.detach().cpu()
        return (x.float() if x.dtype == torch.bfloat16 else x).numpy()  # numpy has no bfloat16
    if name == "array_api_strict":
        import array_api_strict

        return np.from_dlpack(array_api_compat.to_device(x, array_api_strict.Device("CPU_DEVICE")))
    return np.asarray(x)


def dtype_name(x: Any) -> str:
    """A library-neutral name for an array's dtype: 'float64', 'int32', 'bool', '<U5', 'object', ..."""
    if library_of(x) in (None, "numpy"):
        return np.asarray(x).dtype.name if library_of(x) is None else x.dtype.name
    return str(x.dtype).rsplit(".", 1)[-1]


_reduced_warned = False


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
            hint = " Set JAX_ENABLE_X64=1 before importing jax for float64." if backend.name == "jax" else ""
            warnings.warn(
                f"backend {backend.name!r} on {backend.device} has no float64: float64 input is "
                f"computed in float32.{hint}",
                UserWarning,
                stacklevel=3,
            )
        wanted = "float32"
    return wanted


def to_backend(x: Any, backend: Backend, dtype: str | None = None) -> Any:
    """Move an array (of any library, or a list) to `backend`'s library and device, optionally casting.

    DLPack is tried first; where it cannot cross (host to GPU, say) the data goes through the host.
    """
    xp, device = backend.xp, backend.device
    name = library_of(x)
    if name == backend.name:
        if name == "torch":
            x = x.detach()
        if device_of(x) != device:
            x = array_api_compat.to_device(x, device)
    else:
        moved = None
        if name is not None and not (backend.name == "jax" and dtype_name(x) == "float64" and dtype != "float64"):
            try:
                moved = xp.from_dlpack(x)
                if device_of(moved) != device:
                    moved = array_api_compat.to_device(moved, device)
            except Exception:  # DLPack cannot cross between these two (host to GPU, say): go via the host
                moved = None
        if moved is None:
            host = to_numpy(x)
            if dtype is not None and host.dtype.name != dtype:
                host = host.astype(dtype)  # cast on the host: jax without x64 would truncate float64 silently
            if not host.flags.writeable:
                host = host.copy()
            moved = xp.asarray(host, device=device)
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
    if library_of(like) in (None, "numpy"):
        return to_numpy(result)
    if isinstance(result, np.ndarray) and result.dtype.kind not in "biuf":
        return result
    return to_backend(result, backend_of(like))


@functools.lru_cache(maxsize=None)
def _has_float64(backend: Backend) -> bool:
    if backend.name == "numpy":
        return True
    info = backend.xp.__array_namespace_info__()
    return "float64" in info.dtypes(device=backend.device, kind="real floating")


_init_from_environment()


def all_targets() -> list[str]:
    """Every backend usable here, with the GPU devices of torch and jax as extra entries ("torch:cuda")."""
    targets = available_backends()
    if "torch" in targets:
        import torch

        if torch.cuda.is_available():
            targets.insert(targets.index("torch") + 1, "torch:cuda")
    return targets


def synchronize(backend: Backend, *arrays: Any) -> None:
    """Wait until the device has finished the work queued so far (and `arrays` are computed).

    GPU libraries return before their kernels finish; a timer must stop only after this.
    """
    if backend.name == "cupy":
        import cupy

        cupy.cuda.get_current_stream().synchronize()
    elif backend.name == "torch" and backend.device.type == "cuda":
        import torch

        torch.cuda.synchronize(backend.device)
    elif backend.name == "jax":
        import jax

        jax.block_until_ready(arrays)


def describe(name: str) -> dict:
    """Version, device and float64 support of one backend, for `python -m xpml info`."""
    from importlib import metadata

    dist = {"cupy": None, "array_api_strict": "array-api-strict"}.get(name, name)
    row = {"backend": name, "installed": _is_installed(name), "version": "", "device": "", "float64": ""}
    if not row["installed"]:
        row["device"] = f"not installed: {_LIBRARIES[name][1]}"
        return row
    try:
        row["version"] = importlib.import_module(_LIBRARIES[name][0]).__version__ if dist is None else metadata.version(dist)
        backend = make_backend(name)
        row["device"], row["float64"] = str(backend.device), "yes" if backend.has_float64 else "no"
    except ValueError as exc:
        row["device"] = str(exc).splitlines()[0]
    return row


def native_module(backend: Backend) -> ModuleType:
    """The backend's own library (numpy, cupy, torch, jax or array_api_strict), for native fast paths.

    Only helpers in `xpml.utils` use it, each beside a pure array-API fallback that tests compare
    it with; algorithm code never does.
    """
    return importlib.import_module(_LIBRARIES[backend.name][0])


def is_writeable(x: Any) -> bool:
    """Whether the array can be written to in place (numpy, torch, cupy: yes; jax: no)."""
    return array_api_compat.is_writeable_array(x)


def compiles_per_shape(backend: Backend) -> bool:
    """Whether the backend compiles a kernel for each new shape of its operands (jax, even outside `jit`).

    There, arrays whose length depends on the data (the result of `nonzero`, say) cost a compilation
    whenever the length changes: algorithms keep to shapes that stay the same from one step to the next.
    """
    return backend.name == "jax"


def on_accelerator(backend: Backend) -> bool:
    """Whether the backend computes on a GPU (or another accelerator) rather than the host CPU.

    Helpers size their working blocks by it: small blocks that stay in the CPU's caches, or large
    ones that keep a GPU busy between kernel launches.
    """
    if backend.name == "cupy":
        return True
    if backend.name == "torch":
        return backend.device.type != "cpu"
    if backend.name == "jax":
        return backend.device.platform != "cpu"
    return False
