"""Tables in and out: pandas and polars DataFrames and Series, as scikit-learn takes and returns them.

A table is recognized by the module of its type (duck typing), so pandas and polars are imported
only when the user's input is one of theirs, or when the user asks for tables out (`set_output`).

- In: `frame_to_numpy` reads a table's integer, float and boolean columns into one numpy array,
  without a copy where the library allows it (a pandas frame of one float dtype gives a view), and
  missing values of nullable columns as NaN. `feature_names_of` gives its column names.
- Out: `wrap_output` puts a transformer's result into a DataFrame with the transformer's output
  names (and, for pandas, the index of the input).
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

from .._backend import to_numpy

__all__ = ["categorical_columns", "feature_names_of", "frame_library", "frame_to_numpy", "is_frame", "replace_columns",
           "wrap_output"]

FRAME_LIBRARIES = ("pandas", "polars")


def frame_library(X: Any) -> str | None:
    """"pandas" or "polars" for one of their DataFrames or Series, None for anything else."""
    module = type(X).__module__
    for name in FRAME_LIBRARIES:
        if (module == name or module.startswith(name + ".")) and (hasattr(X, "columns") or hasattr(X, "dtype")):
            return name
    return None


def is_frame(X: Any) -> bool:
    """Whether X is a pandas or polars DataFrame (a 2-D table with named columns)."""
    return frame_library(X) is not None and hasattr(X, "columns")


def feature_names_of(X: Any) -> np.ndarray | None:
    """The column names of a DataFrame, as a numpy array of objects; None if X has no names, or if
    they are not strings (a frame with integer column names, as scikit-learn treats it).

    Names of several types (a string and an integer, say) raise TypeError, as in scikit-learn.
    """
    if not is_frame(X):
        return None
    names = np.asarray(list(X.columns), dtype=object)
    if names.size == 0:
        return None
    kinds = sorted({"str" if isinstance(n, str) else type(n).__name__ for n in names})
    if len(kinds) > 1:
        raise TypeError(
            f"Feature names are only supported if all input features have string names, but your input has "
            f"{kinds} as feature name / column name types. If you want feature names to be stored and validated, "
            f"convert them all to strings (X.columns = X.columns.astype(str), say); otherwise remove them, or "
            f"convert them all to a non-string type."
        )
    return names if kinds == ["str"] else None


def _pandas_numeric_dtype(dtype: Any) -> np.dtype | None:
    """The numpy dtype of a pandas column of numbers or booleans (nullable ones included), else None."""
    numpy_dtype = getattr(dtype, "numpy_dtype", dtype)  # Int64, Float64, boolean: their numpy counterpart
    if isinstance(numpy_dtype, np.dtype) and numpy_dtype.kind in "biuf":
        return numpy_dtype
    return None


def frame_to_numpy(X: Any) -> np.ndarray:
    """A DataFrame or Series as a numpy array.

    Columns of integers, floats and booleans give an array of their common dtype (float, with NaN for
    missing values, when a nullable column has some); a frame of one numpy dtype is read without a copy
    where pandas allows. Other columns (strings, categories) give an array of objects, for the caller
    to refuse or to encode.
    """
    if frame_library(X) == "polars":
        return X.to_numpy()  # numeric columns in their common dtype, nulls as NaN
    dtypes = list(X.dtypes) if hasattr(X, "columns") else [X.dtype]
    numeric = [_pandas_numeric_dtype(d) for d in dtypes]
    if not dtypes or any(d is None for d in numeric):
        return X.to_numpy()
    if all(isinstance(d, np.dtype) for d in dtypes) and len(set(dtypes)) == 1:
        return X.to_numpy()  # one numpy dtype: a view where pandas can give one
    common = np.result_type(*numeric)
    has_missing = bool(X.isna().to_numpy().any())
    if has_missing:
        return X.to_numpy(dtype=np.result_type(common, np.float64), na_value=np.nan)
    return X.to_numpy(dtype=common)


def categorical_columns(X: Any) -> list[bool]:
    """Which columns of a DataFrame have a categorical dtype: pandas' `category`, polars' Categorical and Enum."""
    dtypes = list(X.dtypes)
    return [type(d).__name__ in ("CategoricalDtype", "Categorical", "Enum") for d in dtypes]


def replace_columns(X: Any, columns: dict) -> Any:
    """A copy of DataFrame X whose columns at the given positions hold the given host arrays (X is unchanged)."""
    if frame_library(X) == "polars":
        return X.with_columns([type(X.to_series(j))(X.columns[j], values) for j, values in columns.items()])
    out = X.copy(deep=False)
    for j, values in columns.items():
        out.isetitem(j, values)
    return out


def _import(library: str):
    try:
        return importlib.import_module(library)
    except ImportError:
        raise ImportError(
            f'set_output(transform="{library}") needs {library}, which is not installed: pip install {library}.'
        ) from None


def wrap_output(data: Any, columns: Any, library: str, like: Any = None) -> Any:
    """`data` (n_samples, n_out), an array of any library on the host or a DataFrame, as a DataFrame of
    `library` with the given column names; a pandas result takes the index of a pandas input `like`."""
    if frame_library(data) == library and hasattr(data, "columns"):
        return data  # wrapped already (fit_transform calling transform)
    if type(data).__module__.startswith("scipy.sparse"):
        raise ValueError(f"transform={library!r} output does not hold sparse data; make the transformer's output "
                         f"dense first (OneHotEncoder(sparse_output=False)).")
    if frame_library(data) is not None:
        data = frame_to_numpy(data)
    else:
        data = to_numpy(data)
    columns = [str(c) for c in columns] if columns is not None else None
    if library == "pandas":
        pd = _import("pandas")
        index = like.index if frame_library(like) == "pandas" and hasattr(like, "columns") else None
        return pd.DataFrame(data, columns=columns, index=index, copy=False)
    pl = _import("polars")
    return pl.DataFrame(data, schema=columns, orient="row")
