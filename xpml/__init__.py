"""xpml: machine learning written once against the Python array API.

Every algorithm runs unchanged on numpy, cupy, torch and jax. Choose where it runs:

>>> import xpml
>>> xpml.set_backend("numpy")          # or "cupy", "torch", "jax"; device="cuda" for torch on a GPU
Backend(name="numpy", xp=<array_api_compat.numpy>, device='cpu')
>>> with xpml.use_backend("numpy"):    # for one block, in this thread
...     pass

Importing xpml imports none of cupy, torch, jax or matplotlib: a library is imported when it is
first used.
"""

from ._backend import (
    Backend,
    available_backends,
    config_context,
    get_backend,
    get_config,
    make_backend,
    set_backend,
    set_config,
    to_numpy,
    use_backend,
)

__version__ = "0.1.0"

__all__ = [
    "Backend",
    "__version__",
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
