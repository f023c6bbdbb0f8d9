"""The array libraries xpml can compute with: one entry each, and nothing about them anywhere else.

An entry (`Library`) says how to find and install the library, which module is its array-API
namespace, how to recognise its arrays, how to name and resolve its devices, how to bring an array
to the host, and what it can do natively that the standard cannot (`native`, a table keyed by the
capabilities that `_capabilities.py` lists). Adding a backend is adding one entry with
`register_library`; selection, conversion and every helper then work with it.

The entries themselves are one file each (`_numpy.py`, `_cupy.py`, `_torch.py`, `_jax.py`,
`_strict.py`, `_dask.py`), registered in that order. Each library is imported only inside its entry's functions,
when a backend of that library is first used: `import xpml` imports numpy and nothing heavier.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
from dataclasses import dataclass, field
from typing import Any, Callable

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
    hardware : callable(device) -> str
        The model of an accelerator device ("NVIDIA H100 80GB HBM3"), for reports; "" for the host CPU.
    from_host : callable(numpy.ndarray, device) -> array, or None
        How a host array becomes one of its arrays, where `xp.asarray` is not the way (dask cuts it into
        chunks of rows); None: `xp.asarray(host, device=device)`.
    in_place : bool
        Whether its arrays can be written in place (False for lazy arrays, whatever they accept).
    sparse_parts : callable(x) -> (indptr, indices, data, shape) or None
        The CSR arrays (the library's own) of one of its 2-d sparse matrices, in any of its formats;
        None for anything else. Asked only once the library is imported.
    every_estimator : bool
        Whether every estimator runs on it, so that the demo, the benchmarks and their tests take it among
        `all_targets()`. False for dask, where only the estimators that compute chunk by chunk run.
    gathers : bool
        Whether its arrays may be brought whole to another backend when an estimator of that backend
        gets them. False for a library whose arrays may not fit in one process (dask): such input
        is refused with a message that names the backend to use instead.
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
    hardware: Callable[[Any], str] = lambda device: ""
    from_host: Callable[[np.ndarray, Any], Any] | None = None
    in_place: bool = True
    gathers: bool = True
    every_estimator: bool = True
    sparse_parts: Callable[[Any], tuple | None] = lambda x: None

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


def _set_rows(out, rows, value):
    # indexed assignment in place: numpy, torch and cupy write one entry a row (the standard's arrays may refuse it)
    out[rows] = value
    return out


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
    return _one_blas_thread


def _one_blas_thread():
    """A context manager inside which every BLAS the process has loaded runs on one thread."""
    return _blas_controller(len(sys.modules)).limit(limits=1, user_api="blas")


@functools.lru_cache(maxsize=1)
def _blas_controller(n_modules: int):
    # finding the loaded BLAS libraries costs 0.7 ms; done again only once more modules (scipy's own BLAS) are loaded
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()
