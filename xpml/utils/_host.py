"""Host-side helpers: what no array library but numpy can hold (strings, Python objects).

Labels and categories may be strings. Only numpy holds strings, so they are sorted, compared and
counted here on the host, and only integer codes travel to the device. The algorithm folders
(metrics, preprocessing, model_selection) call these helpers and never import numpy themselves.
Numeric labels do not come here: they are encoded on the device with `unique_inverse`.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from typing import Any

import numpy as np

from .._backend import is_host_input, library_of, make_backend, to_numpy
from ._frames import frame_library, frame_to_numpy
from .validation import check_dense, read_host

__all__ = [
    "as_host",
    "concat_host",
    "decode",
    "encode",
    "encode_categories",
    "host_array",
    "host_columns",
    "host_table",
    "host_namespace",
    "impute",
    "impute_statistics",
    "is_numeric",
    "label_kind",
    "missing_mask",
    "most_frequent",
    "unique_labels",
    "unique_values",
]


def host_namespace():
    """The array-API namespace of numpy: array-API code that must run on the host (index bookkeeping)."""
    return make_backend("numpy").xp


def as_host(x: Any, name: str = "X") -> np.ndarray:
    """A numpy array from an array of any library, a DataFrame or Series, a list or a scalar (`name` for the
    message if it is ragged)."""
    if frame_library(x) is not None:
        return frame_to_numpy(x)
    return to_numpy(x) if library_of(x) is not None else read_host(x, name)


def host_array(values: Any, dtype: str | None = None) -> np.ndarray:
    """A numpy array from Python values (scores, times, parameter values); dtype "object" keeps them as they are."""
    if dtype == "object":
        out = np.empty(len(values), dtype=object)
        out[:] = list(values)
        return out
    return np.asarray(values, dtype=dtype)


def host_table(columns: list) -> np.ndarray:
    """A 2-D numpy array of objects (n_samples, n_columns) from a list of host columns."""
    return np.stack([np.asarray(c, dtype=object) for c in columns], axis=1)


def is_numeric(x: Any) -> bool:
    """Whether `x` holds numbers that an array library can take (not strings, objects or bools on the host)."""
    if not is_host_input(x):
        return True
    return as_host(x).dtype.kind in "iuf"


def label_kind(values: np.ndarray, name: str) -> str:
    """"str" for strings, "num" for numbers and bools; a mix of the two is refused."""
    if values.dtype.kind in "US":
        return "str"
    if values.dtype.kind != "O":
        return "num"
    kinds = set()
    for v in values.reshape(-1):
        if not isinstance(v, (str, numbers.Number, np.generic)):  # a dict, a list, None, ...: no order, no meaning
            raise TypeError(f"{name} holds a value {v!r} of type {type(v).__name__}; the argument must be all "
                            f"strings or all numbers.")
        kinds.add("str" if isinstance(v, str) else "num")
    if len(kinds) > 1:
        raise ValueError(f"{name} mixes strings and numbers; labels should be all strings or all numbers.")
    return kinds.pop() if kinds else "num"


def unique_labels(*arrays: Any, names: tuple[str, ...] | None = None) -> np.ndarray:
    """The sorted distinct values of host arrays of labels (or categories), all strings or all numbers."""
    hosts = [as_host(a).reshape(-1) for a in arrays]
    names = names or tuple(f"array {i}" for i in range(len(hosts)))
    kinds = {name: label_kind(h, name) for name, h in zip(names, hosts)}
    if len(set(kinds.values())) > 1:
        detail = ", ".join(f"{n} holds {'strings' if k == 'str' else 'numbers'}" for n, k in kinds.items())
        raise ValueError(f"Mix of label types (strings and numbers): {detail}.")
    if any(h.dtype.kind == "O" for h in hosts) and len(hosts) > 1:
        hosts = [h.astype(object) for h in hosts]
    return np.unique(np.concatenate(hosts))


def unique_values(values: Any, name: str = "y") -> np.ndarray:
    """The sorted distinct values of one host array of labels or categories."""
    return unique_labels(values, names=(name,))


def concat_host(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Two host arrays end to end; arrays of different dtypes (str widths aside) meet as objects."""
    if a.dtype.kind != b.dtype.kind or "O" in (a.dtype.kind, b.dtype.kind):
        return np.concatenate([a.astype(object), b.astype(object)])
    return np.concatenate([a, b])


def encode(values: Any, classes: Any) -> np.ndarray:
    """For each value, its index in `classes` (in any order), or -1 where it is not among them."""
    values, classes = as_host(values).reshape(-1), as_host(classes).reshape(-1)
    if classes.dtype.kind in "US" and values.dtype.kind not in "USO":
        values = values.astype(str)  # numbers never equal string classes, but must be comparable to them
    order = np.argsort(classes, kind="stable")
    sorted_classes = classes[order]
    try:
        pos = np.clip(np.searchsorted(sorted_classes, values), 0, max(len(classes) - 1, 0))
    except TypeError:
        raise ValueError("labels mix strings and numbers; they should be all strings or all numbers.") from None
    if len(classes) == 0:
        return np.full(len(values), -1, dtype=np.int64)
    found = sorted_classes[pos] == values
    return np.where(found, order[pos], -1).astype(np.int64)


def encode_categories(column: np.ndarray, categories: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """The codes (float64) of a host column's values: their index in `categories` (the column's sorted distinct
    non-missing values when None), NaN where a value is missing (NaN, None) or not among them; and the categories."""
    column = column.astype(object) if column.dtype.kind == "O" else column
    missing = missing_mask(column, math.nan) | missing_mask(column, None)
    if categories is None:
        categories = unique_values(column[~missing], name="a categorical feature")
    codes = np.full(column.shape[0], np.nan)
    if (~missing).any() and len(categories):
        index = encode(column[~missing], categories)
        codes[~missing] = np.where(index >= 0, index, np.nan)
    return codes, categories


def decode(classes: np.ndarray, codes: Any, filler: Any = None) -> np.ndarray:
    """classes[codes] on the host, with `filler` where a code is -1; numbers stay numbers, else objects."""
    codes = as_host(codes).astype(np.int64)
    if (codes >= 0).all() and classes.dtype.kind in "iufUS":
        return classes[codes]
    out = np.empty(codes.shape, dtype=object)
    out[...] = filler
    out[codes >= 0] = classes.astype(object)[codes[codes >= 0]]
    return out


def missing_mask(column: np.ndarray, missing_values: Any) -> np.ndarray:
    """Where a host column holds `missing_values` (for NaN: the entries that are not equal to themselves)."""
    if isinstance(missing_values, float) and missing_values != missing_values:
        if column.dtype.kind in "fc":
            return np.isnan(column)
        if column.dtype.kind == "O":
            return np.array([v != v for v in column], dtype=bool)
        return np.zeros(column.shape, dtype=bool)
    if missing_values is None:
        return np.array([v is None for v in column], dtype=bool)
    return np.asarray(column == missing_values, dtype=bool)


def most_frequent(values: np.ndarray) -> Any:
    """The most frequent value; among ties, the smallest (as scikit-learn's SimpleImputer).

    Objects that cannot be sorted together (None among strings) are counted with a Counter instead.
    """
    if values.dtype.kind != "O":
        uniques, counts = np.unique(values, return_counts=True)
        return uniques[np.argmax(counts)]
    counts = Counter(values.tolist())
    top = max(counts.values())
    tied = [value for value, count in counts.items() if count == top]
    try:
        return min(tied)
    except TypeError:  # None against strings: no order; keep the first seen
        return tied[0]


def host_columns(X: Any, name: str = "X") -> list[np.ndarray]:
    """The columns of a 2-D table of any values (a list of rows, a numpy array, a DataFrame) as numpy arrays."""
    if hasattr(X, "iloc") and hasattr(X, "columns"):  # a DataFrame: keep each column's own dtype
        return [frame_to_numpy(X.iloc[:, j]) for j in range(X.shape[1])]
    check_dense(X, name)
    arr = as_host(X, name)
    if arr.dtype.kind in "US" and not hasattr(X, "dtype"):
        # A list whose values include strings: numpy would turn its numbers (and NaN) into text, "10" < "9".
        # Read as objects instead, so that each column keeps its own type, as scikit-learn does.
        arr = np.asarray(X, dtype=object)
    check_dense(arr, name)  # a list of complex numbers becomes a complex array
    if arr.ndim != 2:
        raise ValueError(f"{name} should be a 2-D array of shape (n_samples, n_features); got shape {arr.shape}.")
    if arr.dtype.kind == "O":  # a column of numbers in an object table is a numeric column
        cols = []
        for j in range(arr.shape[1]):
            col = arr[:, j]
            numeric = all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in col)
            cols.append(col.astype(np.float64) if numeric else col)
        return cols
    return [arr[:, j] for j in range(arr.shape[1])]


def impute_statistics(columns: list[np.ndarray], missing_values: Any, strategy: str, fill_value: Any,
                      keep_empty: bool) -> np.ndarray:
    """SimpleImputer's statistic of each host column (strings or objects): its most frequent value, or
    `fill_value`; NaN for a column with no observed value (0 with `keep_empty`), which is then dropped."""
    stats = []
    for col in columns:
        observed = col[~missing_mask(col, missing_values)]
        if strategy == "constant":
            stats.append(fill_value if keep_empty or len(observed) else np.nan)
        else:
            stats.append(most_frequent(observed) if len(observed) else (0 if keep_empty else np.nan))
    return host_array(stats, "object")


def impute(columns: list[np.ndarray], missing_values: Any, statistics: np.ndarray, keep: list[int]) -> np.ndarray:
    """The host columns `keep`, with their missing entries replaced by their statistic: (n_samples, len(keep))."""
    filled = [np.where(missing_mask(columns[j], missing_values), statistics[j], columns[j].astype(object))
              for j in keep]
    return np.stack(filled, axis=1) if filled else np.empty((len(columns[0]) if columns else 0, 0), dtype=object)
