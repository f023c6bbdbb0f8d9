"""Run unchanged scikit-learn code on an xpml backend.

    python -m xpml.accel --backend torch script.py [args]     a script
    xpml.accel.install(backend="torch")                        a notebook (uninstall() undoes it)
    %load_ext xpml.accel                                       IPython, backend from XPML_BACKEND

Each scikit-learn estimator that xpml also has (LogisticRegression, KMeans, PCA, StandardScaler, ...)
is replaced in scikit-learn's modules by a subclass of itself that fits on xpml when xpml supports the
parameters and the input, and falls back to scikit-learn's own code otherwise, decided per fit.
`report()` lists where each fit ran and why it fell back; `verbose=True` or XPML_ACCEL_LOG=1 prints it.

This is the one part of xpml that imports scikit-learn; `import xpml` does not import this module.
"""

from __future__ import annotations

import os

from . import _patch, _records
from ._records import Record, report

__all__ = ["Record", "install", "installed_backend", "load_ipython_extension", "report", "uninstall",
           "unload_ipython_extension"]


def install(backend: str = "numpy", verbose: bool = False) -> list[str]:
    """Replace scikit-learn's estimators by proxies that fit on xpml's `backend` where they can.

    Parameters
    ----------
    backend : str, default="numpy"
        An xpml backend name ("numpy", "torch", "jax", "cupy", ... or "torch:cuda"); checked now,
        a ValueError if it is not usable here.
    verbose : bool, default=False
        Print where each fit ran, and why it fell back, to stderr (also on with XPML_ACCEL_LOG=1).
        The same lines always go to the logger "xpml.accel".

    Returns
    -------
    names : list of str
        The scikit-learn estimators that were replaced.
    """
    from .._backend import make_backend

    make_backend(backend)  # an unusable name fails here, before anything is patched
    _records.set_verbose(verbose)
    _records.clear()
    return _patch.install(backend)


def uninstall() -> None:
    """Put back scikit-learn's own estimators. Estimators made while installed keep working."""
    _patch.uninstall()


def installed_backend() -> str | None:
    """The backend of the installed proxies, or None when scikit-learn is not patched."""
    return _patch.installed_backend()


def load_ipython_extension(ipython) -> None:
    """`%load_ext xpml.accel`: install with the backend of XPML_BACKEND (numpy if unset)."""
    install(backend=os.environ.get("XPML_BACKEND") or "numpy")


def unload_ipython_extension(ipython) -> None:
    uninstall()
