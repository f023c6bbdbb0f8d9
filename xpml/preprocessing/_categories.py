"""Categories in: numeric X on the backend as it is (integer categories stay integers), and two arrays of
categories brought to one dtype so that they compare. Shared by OneHotEncoder and LabelEncoder."""

from __future__ import annotations

from typing import Any

from .._backend import dtype_name, library_of, to_backend
from ..utils._host import as_host
from ..utils.validation import check_array

__all__ = ["common_dtype", "numeric_X"]


def numeric_X(X: Any, backend, name: str = "X"):
    """Numeric X on `backend`: integers keep their dtype (categories 1, 2 stay integers), floats must be finite."""
    if library_of(X) is None:
        X = as_host(X)
    if dtype_name(X) in ("float16", "bfloat16", "float32", "float64"):
        return check_array(X, backend, name=name)
    if len(X.shape) != 2:
        raise ValueError(f"{name} should be a 2-D array of shape (n_samples, n_features); got shape {tuple(X.shape)}.")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{name} has {X.shape[0]} sample(s) and {X.shape[1]} feature(s) (shape={tuple(X.shape)}); "
                         f"a minimum of 1 of each is required.")
    return backend.xp.astype(to_backend(X, backend), backend.int_dtype)


def common_dtype(xp, a, b):
    """a and b in one dtype, so they compare: integers meeting floats become floats."""
    if a.dtype == b.dtype:
        return a, b
    dtype = a.dtype if xp.isdtype(a.dtype, "real floating") else b.dtype
    return xp.astype(a, dtype), xp.astype(b, dtype)
