"""Selecting a backend: the global default, per-thread overrides, and the options in force.

- The global backend comes from `XPML_BACKEND` at import, or numpy. `set_backend` changes it.
  `use_backend` changes it for the current thread, inside a `with` block.
- A `Backend` is built once per library and device (`make_backend`), importing the library then.
- An unknown or missing library raises ValueError naming what is available and how to install the
  rest: there is never a silent fallback.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import threading
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from ._libraries import LIBRARIES

__all__ = [
    "Backend",
    "all_targets",
    "available_backends",
    "config_context",
    "describe",
    "device_spec",
    "get_backend",
    "get_config",
    "make_backend",
    "resolve_backend",
    "set_backend",
    "set_config",
    "synchronize",
    "use_backend",
]


@dataclass(frozen=True)
class Backend:
    """An array library and a device: where an estimator's arrays live and its math runs.

    Attributes
    ----------
    name : str
        One of "numpy", "cupy", "torch", "jax", "array_api_strict" (or a registered library).
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
        return make_backend, (self.name, device_spec(self))

    @property
    def has_float64(self) -> bool:
        """Whether the device computes in float64 (jax only with JAX_ENABLE_X64)."""
        return _has_float64(self)

    @property
    def float_dtype(self):
        """The default floating dtype: float64, or float32 where the device has no float64."""
        return self.xp.float64 if self.has_float64 else self.xp.float32

    @property
    def int_dtype(self):
        """The default integer dtype: int64, or int32 where there is none (jax without x64)."""
        return self.xp.__array_namespace_info__().default_dtypes(device=self.device)["integral"]


@functools.lru_cache(maxsize=None)
def _has_float64(backend: Backend) -> bool:
    info = backend.xp.__array_namespace_info__()
    return "float64" in info.dtypes(device=backend.device, kind="real floating")


def available_backends() -> list[str]:
    """Names of the backends that can run on this machine.

    cupy is listed only where it is installed and a CUDA GPU can be reached. torch on a GPU is the
    "torch" backend with `device="cuda"`.
    """
    return [name for name, lib in LIBRARIES.items() if lib.is_installed() and lib.usable() is None]


def all_targets() -> list[str]:
    """Every backend usable here that runs every estimator, with the GPU devices of torch and jax as extra
    entries ("torch:cuda"); dask, where only some estimators run, is not among them."""
    targets = []
    for name in available_backends():
        if not LIBRARIES[name].every_estimator:
            continue
        targets += [name, *LIBRARIES[name].extra_targets()]
    return targets


def _unusable(name: str, why: str) -> ValueError:
    missing = [n for n in LIBRARIES if n not in available_backends()]
    hints = "".join(f"\n  {n}: {LIBRARIES[n].install}" for n in missing)
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
    if name not in LIBRARIES:
        raise _unusable(name, f"is not a backend; expected one of {list(LIBRARIES)}")
    if not LIBRARIES[name].is_installed():
        raise _unusable(name, "is not installed")
    return name


def device_spec(backend: Backend) -> Any:
    """The backend's device as a plain value that `make_backend` turns back into the device."""
    return LIBRARIES[backend.name].device_spec(backend.device)


def host_cpu() -> str:
    """The host's CPU model and its number of cores, e.g. "AMD EPYC 7B13, 2 cores"."""
    import os
    import platform

    name = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            name = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{name}, {os.cpu_count()} cores"


def hardware(backend: Backend) -> str:
    """What the backend computes on: its accelerator's model, or the host CPU (`host_cpu`)."""
    return LIBRARIES[backend.name].hardware(backend.device) or host_cpu()


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
    library = LIBRARIES[_check_name(name)]
    why = library.usable()
    if why is not None:
        raise _unusable(name, why)
    device = library.resolve_device(device)
    key = (name, repr(device))  # one Backend per library and device, however the device was named
    with _cache_lock:
        if key not in _cache:
            _cache[key] = Backend(name, importlib.import_module(library.namespace), device)
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


def synchronize(backend: Backend, *arrays: Any) -> None:
    """Wait until the device has finished the work queued so far (and `arrays` are computed).

    GPU libraries return before their kernels finish; a timer must stop only after this.
    """
    wait = LIBRARIES[backend.name].synchronize
    if wait is not None:
        wait(backend.device, arrays)


def describe(name: str) -> dict:
    """Version, device and float64 support of one backend, for `python -m xpml info`."""
    library = LIBRARIES[name]
    row = {"backend": name, "installed": library.is_installed(), "version": "", "device": "", "float64": ""}
    if not row["installed"]:
        row["device"] = f"not installed: {library.install}"
        return row
    try:
        row["version"] = getattr(library.imported(), "__version__", "")
        backend = make_backend(name)
        row["device"], row["float64"] = str(backend.device), "yes" if backend.has_float64 else "no"
    except ValueError as exc:
        row["device"] = str(exc).splitlines()[0]
    return row


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
