"""The backend layer: the only part of xpml that knows the names of array libraries.

Everything else asks it for a `Backend`, a small record of a library's array namespace and a
device, and writes its math against `backend.xp` as the Python array API standard describes it.
It is the only place that imports array-api-compat. Its modules follow its seams:

- `_libraries`: what an entry for a library holds (`Library`) and the registry; the entries are
  `_numpy`, `_cupy`, `_torch`, `_jax`, `_strict` and `_dask`: how to find each library, its devices, how to
  bring its arrays to the host, and its native fast paths. A new backend is one more entry
  (`register_library`).
- `_selection`: choosing a backend (global, per thread, per estimator) and the options in force.
- `_arrays`: which library owns an array, and moving arrays between libraries, devices and dtypes.
- `_capabilities`: what a backend can do natively, asked for by capability (`capability(backend,
  "scatter_add")`), so that helpers never name a library.
"""

from . import _numpy, _cupy, _torch, _jax, _strict, _dask  # noqa: F401  the libraries' entries, in this order
from ._arrays import (
    backend_of,
    device_of,
    dtype_name,
    float_dtype_for,
    is_host_input,
    is_writeable,
    library_of,
    match_input,
    namespace_of,
    sparse_parts,
    to_backend,
    to_numpy,
)
from ._capabilities import CAPABILITIES, capability, compiles_per_shape, on_accelerator
from ._libraries import LIBRARIES, Library, register_library
from ._selection import (
    Backend,
    _init_from_environment,
    all_targets,
    available_backends,
    config_context,
    describe,
    device_spec,
    get_backend,
    get_config,
    hardware,
    host_cpu,
    make_backend,
    resolve_backend,
    set_backend,
    set_config,
    synchronize,
    use_backend,
)

__all__ = [
    "CAPABILITIES",
    "LIBRARIES",
    "Backend",
    "Library",
    "all_targets",
    "available_backends",
    "backend_of",
    "capability",
    "compiles_per_shape",
    "config_context",
    "describe",
    "device_of",
    "device_spec",
    "dtype_name",
    "float_dtype_for",
    "get_backend",
    "get_config",
    "hardware",
    "host_cpu",
    "is_host_input",
    "is_writeable",
    "library_of",
    "make_backend",
    "match_input",
    "namespace_of",
    "on_accelerator",
    "register_library",
    "resolve_backend",
    "set_backend",
    "set_config",
    "sparse_parts",
    "synchronize",
    "to_backend",
    "to_numpy",
    "use_backend",
]

_init_from_environment()
