"""Selecting samples (rows) of data of any kind, keeping it where it lives.

Model selection splits data by integer indices drawn on the host. The rows are taken in the data's
own library and on its device, so a torch tensor on a GPU gives torch tensors on that GPU; lists
give numpy arrays (output follows input), and DataFrames give DataFrames.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._backend import backend_of, is_host_input, to_backend

__all__ = ["num_samples", "take_rows"]


def num_samples(a: Any) -> int:
    """The number of samples (rows) of an array, a list or a DataFrame."""
    shape = getattr(a, "shape", None)
    if shape is not None:
        if len(shape) == 0:
            raise TypeError(f"expected an array of samples; got a scalar {a!r}.")
        return int(shape[0])
    if isinstance(a, str) or not (hasattr(a, "__len__") or hasattr(a, "__array__")):
        raise TypeError(f"expected an array of samples; got {type(a).__name__} {a!r}.")
    if not hasattr(a, "__len__"):  # an array-like that only offers __array__
        return num_samples(np.asarray(a))
    return len(a)


def take_rows(a: Any, indices: np.ndarray) -> Any:
    """The rows `indices` (host integers) of `a`, in `a`'s library and on its device; None stays None."""
    if a is None:
        return None
    if hasattr(a, "iloc"):  # pandas
        return a.iloc[indices]
    if is_host_input(a):
        return np.asarray(a)[indices]
    backend = backend_of(a)
    return backend.xp.take(a, to_backend(np.asarray(indices, dtype=np.int64), backend), axis=0)
