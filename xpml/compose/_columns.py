"""Which columns of X each part of a ColumnTransformer reads, and reading them.

A part's columns are given as scikit-learn takes them:

- an int or a str: one column, handed to the transformer as a 1-D column (a text vectorizer's input);
- a list, tuple or array of ints (positions, negative ones counted from the end), of strs (names), or
  of bools (a mask of n_features entries);
- a slice of ints, or of names (both named ends included, as a DataFrame's label slices are);
- a callable, called on X, that returns one of these (`make_column_selector`).

Names need a pandas or polars DataFrame. `column_indices` resolves a key into column positions;
`take_columns` reads those columns of X and keeps X's kind: a DataFrame gives a DataFrame (each column
with its own dtype), an array of any library an array of that library on its device, a scipy.sparse
matrix a sparse matrix. Nothing here computes on the values.
"""

from __future__ import annotations

import numbers
import re
from typing import Any

from .._backend import device_of, is_host_input, namespace_of
from ..utils._csr import is_scipy_sparse
from ..utils._frames import frame_library

__all__ = ["column_indices", "key_kind", "make_column_selector", "take_columns"]

_KEY_RULE = ("an int, a str, a slice, a list or array of ints, of strs or of bools (a mask), or a callable "
             "that returns one of these")


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and type(value).__name__ != "bool_"


def _items(key: Any) -> list:
    """The entries of a list-like key as Python values (numpy scalars and arrays' entries unwrapped)."""
    values = key.tolist() if hasattr(key, "tolist") and not isinstance(key, (list, tuple)) else list(key)
    return [v.item() if hasattr(v, "item") and not isinstance(v, str) else v for v in values]


def key_kind(key: Any, who: str) -> str:
    """"int", "str", "bool" (a mask), "empty" or "callable": what kind of columns `key` gives (`who` names
    the part, for messages). A key of no such kind raises TypeError."""
    if callable(key):
        return "callable"
    if isinstance(key, str) or _is_int(key):
        return "str" if isinstance(key, str) else "int"
    if isinstance(key, slice):
        ends = [end for end in (key.start, key.stop) if end is not None]
        if all(_is_int(end) for end in ends):
            return "int"
        if all(isinstance(end, str) for end in ends):
            return "str"
    elif not isinstance(key, (dict, set, frozenset, bytes)) and (hasattr(key, "__len__") or hasattr(key, "tolist")):
        items = _items(key)
        if not items:
            return "empty"
        tests = (("bool", lambda v: isinstance(v, bool)), ("int", _is_int), ("str", lambda v: isinstance(v, str)))
        for kind, test in tests:
            if all(test(v) for v in items):
                return kind
    raise TypeError(f"The columns of {who} should be {_KEY_RULE}; got {key!r} ({type(key).__name__}).")


def column_indices(key: Any, *, n_features: int, names: list | None, who: str) -> tuple[list[int], bool]:
    """(positions of the columns `key` selects, whether it names one column as a scalar).

    `names` are X's column labels (a DataFrame's), or None for an array. Positions out of range,
    unknown names, names without a DataFrame and masks of the wrong length raise ValueError.
    """
    kind = key_kind(key, who)
    if kind == "empty":
        return [], False
    if kind == "str" and names is None:
        raise ValueError(f"The columns of {who} are given by name ({key!r}): specifying the columns using strings "
                         f"is only supported for dataframes (pandas or polars), and X is an array without column "
                         f"names. Give positions (ints) instead.")
    scalar = isinstance(key, str) or _is_int(key)
    if isinstance(key, slice):
        if key.step not in (None, 1) and kind == "str":
            raise ValueError(f"The columns of {who} are a slice of names with step={key.step!r}; it should be "
                             f"None or 1.")
        if kind == "int":
            return list(range(n_features))[key], False
        start = 0 if key.start is None else _positions([key.start], names, who)[0]
        stop = n_features if key.stop is None else _positions([key.stop], names, who)[0] + 1
        return list(range(start, stop)), False
    items = [key] if scalar else _items(key)
    if kind == "bool":
        if len(items) != n_features:
            raise ValueError(f"The columns of {who} are a boolean mask of {len(items)} entries; it should have one "
                             f"per column of X, n_features={n_features}.")
        return [j for j, keep in enumerate(items) if keep], False
    if kind == "str":
        return _positions(items, names, who), scalar
    bad = [i for i in items if not -n_features <= i < n_features]
    if bad:
        raise ValueError(f"The columns of {who} include the position(s) {bad}, out of range for X of {n_features} "
                         f"columns (n_features={n_features}): they should be in [{-n_features}, {n_features - 1}].")
    return [i % n_features for i in items], scalar


def _positions(wanted: list, names: list, who: str) -> list[int]:
    where = {name: j for j, name in enumerate(names)}
    missing = [name for name in wanted if name not in where]
    if missing:
        shown = names if len(names) <= 10 else [*names[:10], "..."]
        raise ValueError(f"The columns of {who} include {missing}, which are not columns of X (the dataframe's "
                         f"columns are {shown}).")
    return [where[name] for name in wanted]


def take_columns(X: Any, indices: list[int], *, scalar: bool = False, labels: list | None = None) -> Any:
    """The columns `indices` of X (one column, 1-D, with `scalar`), of X's kind; a DataFrame's columns are
    read by their `labels` where given (a DataFrame at transform, read by the names seen at fit)."""
    library = frame_library(X)
    if library == "pandas":
        if labels is not None:
            return X[labels[0]] if scalar else X[list(labels)]
        return X.iloc[:, indices[0]] if scalar else X.iloc[:, indices]
    if library == "polars":
        labels = [X.columns[j] for j in indices] if labels is None else list(labels)
        return X.get_column(labels[0]) if scalar else X.select(labels)
    if is_scipy_sparse(X):  # a sparse matrix stays 2-D
        return X.tocsr()[:, indices]
    if is_host_input(X):
        sub = X[:, indices[0]] if scalar else X.take(indices, axis=1)  # C-ordered, as the other libraries' take
        return _numbers_as_floats(sub)
    if scalar:
        return X[:, indices[0]]
    xp = namespace_of(X)
    return xp.take(X, xp.asarray(indices, device=device_of(X)), axis=1)  # (n, len(indices))


def _numbers_as_floats(sub: Any) -> Any:
    """A host array of objects (a list that mixed strings and numbers) whose selected entries are all numbers,
    as floats; anything else as it is."""
    if sub.dtype.kind != "O":
        return sub
    values = sub.reshape(-1).tolist()
    numeric = all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values)
    return sub.astype("float64") if numeric and values else sub


# ---- selecting columns by dtype and name -----------------------------------------------------------

_POLARS_KINDS = {"string": ("object", "str", "string"), "categorical": ("category",), "enum": ("category",),
                 "boolean": ("bool",)}


def _polars_kinds(dtype: Any) -> set:
    """The names a dtype specification may use for a polars column of `dtype` ("number", "float64", "object", ...)."""
    name = str(dtype).split("(")[0].lower()
    kinds = {name, *_POLARS_KINDS.get(name, ())}
    if dtype.is_numeric():
        kinds |= {"number", "integer" if dtype.is_integer() else "floating"}
        kinds |= {"signedinteger" if name.startswith("int") else "unsignedinteger"} if dtype.is_integer() else set()
    return kinds


def _spec_name(spec: Any) -> str:
    """A dtype specification (numpy.number, float, "category", numpy.float64, ...) by name, for polars columns."""
    if isinstance(spec, str):
        return spec.lower()
    if isinstance(spec, type):
        return {"object": "object", "str": "str", "bool": "bool", "int": "int64", "float": "float64",
                "bool_": "bool", "str_": "str", "object_": "object"}.get(spec.__name__, spec.__name__.lower())
    return str(spec).lower()


class make_column_selector:
    """Select the columns of a DataFrame by dtype and by a pattern of their names, for ColumnTransformer.

    An instance is a callable: given a pandas or polars DataFrame, it returns the names of the columns
    whose dtype is among `dtype_include` (all when None), not among `dtype_exclude`, and whose name
    contains a match of the regular expression `pattern` (all when None), in the frame's order.

    Parameters
    ----------
    pattern : str, optional
        A regular expression searched in each column name (`re.search`).
    dtype_include : dtype, str, or list of them, optional
        Dtypes to keep: as pandas' `DataFrame.select_dtypes` takes them (numpy.number, "category",
        object, "float64", ...); for a polars frame, the same names (numpy.number: its numeric columns,
        object or str: its String columns, "category": Categorical and Enum).
    dtype_exclude : dtype, str, or list of them, optional
        Dtypes to leave out, given as `dtype_include` is.

    Examples
    --------
    >>> import pandas as pd
    >>> from xpml.compose import make_column_selector
    >>> frame = pd.DataFrame({"age": [20.0, 30.0], "city": ["Oslo", "Rome"], "fare": [7.5, 9.0]})
    >>> make_column_selector(dtype_exclude=object)(frame)
    ['age', 'fare']
    >>> make_column_selector(pattern="^c")(frame)
    ['city']
    """

    def __init__(self, pattern: str | None = None, *, dtype_include: Any = None, dtype_exclude: Any = None):
        self.pattern = pattern
        self.dtype_include = dtype_include
        self.dtype_exclude = dtype_exclude

    def __call__(self, df: Any) -> list:
        library = frame_library(df)
        if library is None or not hasattr(df, "columns"):
            raise ValueError(f"make_column_selector can only be applied to pandas or polars DataFrames; got X of type "
                             f"{type(df).__name__}.")
        if library == "pandas":
            head = df.iloc[:1]
            if self.dtype_include is not None or self.dtype_exclude is not None:
                head = head.select_dtypes(include=self.dtype_include, exclude=self.dtype_exclude)
            columns = list(head.columns)
        else:
            columns = [name for name, dtype in zip(df.columns, df.dtypes) if self._keeps_polars(dtype)]
        if self.pattern is not None:
            columns = [name for name in columns if re.search(self.pattern, str(name))]
        return columns

    def _keeps_polars(self, dtype: Any) -> bool:
        kinds = _polars_kinds(dtype)

        def named(specs):
            specs = specs if isinstance(specs, (list, tuple)) else [specs]
            return any(_spec_name(spec) in kinds for spec in specs)

        return ((self.dtype_include is None or named(self.dtype_include))
                and (self.dtype_exclude is None or not named(self.dtype_exclude)))

    def __repr__(self) -> str:
        shown = {k: v for k, v in vars(self).items() if v is not None}
        return f"make_column_selector({', '.join(f'{k}={v!r}' for k, v in shown.items())})"
