"""Categories in: X's columns (numbers on the backend as they are, integer categories staying integers;
strings on the host), and two arrays of categories brought to one dtype so that they compare. Shared by
OneHotEncoder and LabelEncoder."""

from __future__ import annotations

from typing import Any

from .._backend import dtype_name, library_of, to_backend
from ..utils._host import as_host, host_columns, is_numeric, missing_mask
from ..utils.validation import check_array, check_dense
from ._lazy_encoding import refuse_lazy_strings

__all__ = ["category_columns", "common_dtype", "numeric_X"]


def category_columns(X: Any, backend):
    """("numeric", X on `backend`) or ("host", a list of numpy columns, strings or objects)."""
    check_dense(X)
    refuse_lazy_strings(X)
    if is_numeric(X):
        return "numeric", numeric_X(X, backend)
    columns = host_columns(X)
    if not columns or len(columns[0]) == 0:
        raise ValueError(f"X has {len(columns[0]) if columns else 0} sample(s) and {len(columns)} feature(s); "
                         f"a minimum of 1 of each is required.")
    for j, col in enumerate(columns):
        if col.dtype.kind == "O" and (missing_mask(col, float("nan")) | missing_mask(col, None)).any():
            raise ValueError(f"X has missing values (None or NaN) in column {j}; fill them in first "
                             f"(xpml.preprocessing.SimpleImputer) or encode them as a category of their own.")
    return "host", columns


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
