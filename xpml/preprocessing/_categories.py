"""Categories in, and what OneHotEncoder and OrdinalEncoder learn from them alike (`CategoryEncoder`).

- X's columns (`category_columns`): numbers on the backend as they are (integer categories stay
  integers), strings and other objects on the host, one numpy column each.
- Each feature's categories: its sorted distinct values, found in X (on the device for numbers, in
  one pass over X on a lazy backend) or given. A value's *code* is its index in its feature's
  categories, -1 if it is not among them (unknown).
- Each category's count, for the infrequent groups of `_infrequent`.

Missing values (OrdinalEncoder only; OneHotEncoder refuses them): NaN is a category of its own, sorted
last, and so is None, sorted after the others and before NaN, as scikit-learn has them. In a pandas
DataFrame, None and pd.NA are read as NaN (pandas' missing value); a numpy array or a polars column
keeps None as None. The NaN category is not counted among the frequent or infrequent ones: its
samples get the encoder's own code for missing values.
"""

from __future__ import annotations

import math
from typing import Any

from .._backend import dtype_name, library_of, to_backend
from ..base import _check_scales_out
from ..utils._frames import frame_library, frame_to_numpy
from ..utils._host import (
    as_host,
    concat_host,
    encode,
    host_array,
    host_columns,
    host_namespace,
    is_numeric,
    missing_mask,
    unique_values,
)
from ..utils._lazy import is_lazy, read_values
from ..utils._values import ALLOW_NAN, check_values
from ..utils.validation import check_array, check_dense
from ._infrequent import infrequent_indices
from ._lazy_encoding import refuse_lazy_strings

__all__ = ["CategoryEncoder", "category_columns", "common_dtype", "is_missing", "numeric_X"]


def is_missing(value: Any) -> bool:
    """Whether a category is the missing one: NaN (None is a category like any other)."""
    return isinstance(value, float) and value != value


def category_columns(X: Any, backend, allow_missing: bool = False):
    """("numeric", X on `backend`) or ("host", a list of numpy columns, strings or objects)."""
    check_dense(X)
    refuse_lazy_strings(X)
    if is_numeric(X):
        return "numeric", numeric_X(X, backend, allow_missing=allow_missing)
    columns = _table_columns(X) if allow_missing else host_columns(X)
    if not columns or len(columns[0]) == 0:
        raise ValueError(f"X has {len(columns[0]) if columns else 0} sample(s) and {len(columns)} feature(s); "
                         f"a minimum of 1 of each is required.")
    for j, col in enumerate(columns):
        if allow_missing and col.dtype.kind == "f":
            check_values(col, f"X's column {j}", ensure_finite=ALLOW_NAN)
        if not allow_missing and col.dtype.kind == "O" and (
                missing_mask(col, float("nan")) | missing_mask(col, None)).any():
            raise ValueError(f"X has missing values (None or NaN) in column {j}; fill them in first "
                             f"(xpml.preprocessing.SimpleImputer) or encode them as a category of their own.")
    return "host", columns


def _table_columns(X: Any) -> list:
    """The host columns of X, missing values as the input library means them: pandas' None and pd.NA as NaN,
    a polars column read on its own (its nulls: NaN among numbers, None among strings)."""
    library = frame_library(X) if hasattr(X, "columns") else None
    if library == "polars":
        return [X.to_series(j).to_numpy() for j in range(X.shape[1])]
    if library != "pandas":
        return host_columns(X)
    hxp, columns = host_namespace(), []
    for j in range(X.shape[1]):
        series = X.iloc[:, j]
        column = frame_to_numpy(series)
        if column.dtype.kind == "O":
            column = hxp.where(series.isna().to_numpy(), math.nan, column)
        columns.append(column)
    return columns


def numeric_X(X: Any, backend, name: str = "X", allow_missing: bool = False):
    """Numeric X on `backend`: integers keep their dtype (categories 1, 2 stay integers), floats must be finite
    (or NaN, with `allow_missing`)."""
    if library_of(X) is None:
        X = as_host(X)
    if dtype_name(X) in ("float16", "bfloat16", "float32", "float64"):
        return check_array(X, backend, name=name, ensure_finite=ALLOW_NAN if allow_missing else True)
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


def _host_categories(column, name: str):
    """The sorted distinct values of a host column, then None and NaN where it holds them."""
    nan = missing_mask(column, math.nan)
    none = missing_mask(column, None) if column.dtype.kind == "O" else nan & False
    found = unique_values(column[~(nan | none)], name)
    extra = [None] * bool(none.any()) + [math.nan] * bool(nan.any())
    return concat_host(found, host_array(extra, "object" if None in extra else None)) if extra else found


def _host_codes(column, categories):
    """Each value's index in `categories` (-1 if not among them), None and NaN matched as categories."""
    cats = categories.tolist()
    at_nan = next((i for i, c in enumerate(cats) if is_missing(c)), -1)
    at_none = next((i for i, c in enumerate(cats) if c is None), -1)
    nan = missing_mask(column, math.nan)
    none = missing_mask(column, None) if column.dtype.kind == "O" else nan & False
    if max(at_nan, at_none) < 0 and not (nan | none).any():
        return encode(column, categories)
    hxp = host_namespace()
    kept = [i for i in range(len(cats)) if i not in (at_nan, at_none)]
    known = categories[kept]  # the categories that are values
    filler = known[0] if len(kept) else column[0]
    index = encode(hxp.where(nan | none, filler, column), known)  # (n,) in `known`
    codes = hxp.where(index >= 0, hxp.take(host_array(kept + [-1], "int64"), index), -1)
    return hxp.where(nan, at_nan, hxp.where(none, at_none, codes))


def _given_categories(categories: Any):
    """A user's categories as a host array: strings with NaN as objects (numpy would write NaN as the string 'nan')."""
    values = list(categories) if isinstance(categories, (list, tuple)) else []
    if any(is_missing(v) for v in values) and any(isinstance(v, str) for v in values):
        return host_array(values, "object")
    return as_host(categories).reshape(-1)


def _found_numeric(xp, column, allow_missing: bool):
    """A numeric column's distinct values (NaN left out: the smallest value stands in for it), whether it has NaN,
    whether it is all NaN: arrays of the backend, read on the host together."""
    if not allow_missing or not xp.isdtype(column.dtype, "real floating"):
        return xp.unique_values(column), xp.asarray(False), xp.asarray(False)
    nan = xp.isnan(column)
    low = xp.min(xp.where(nan, xp.inf, column))
    return xp.unique_values(xp.where(nan, low, column)), xp.any(nan), xp.all(nan)


def _numeric_codes(xp, values, categories, has_nan: bool, int_dtype):
    """The index (n,) of each value in the sorted categories (k,) (NaN last where `has_nan`), -1 where it is none of
    them: a binary search among the categories that are numbers (O(n log k), where comparing every value with every
    category cost O(n k)), then NaN matched by its NaN-ness."""
    known = categories[:categories.shape[0] - has_nan]  # (k',) sorted
    code = xp.full(values.shape, -1, dtype=int_dtype, device=values.device)
    if known.shape[0]:
        at = xp.clip(xp.searchsorted(known, values), 0, known.shape[0] - 1)  # (n,) the first category >= the value
        code = xp.where(xp.take(known, at) == values, xp.astype(at, int_dtype), code)
    return xp.where(xp.isnan(values), categories.shape[0] - 1, code) if has_nan else code


class CategoryEncoder:
    """The category learning OneHotEncoder and OrdinalEncoder share: `categories_`, codes, unknown categories and
    the infrequent groups. `_missing_allowed`: NaN and None are categories (see the module's docstring)."""

    _missing_allowed = False

    def _fit_categories(self, X: Any, backend, *, check_known: bool, count: bool):
        """Learn `categories_`, `n_features_in_` and `_kind` from X on `backend`.

        Returns (kind, data, codes, rare): X's columns, each feature's codes on the backend (where
        `check_known` or `count`, else None; unknown categories raise with `check_known`), and the indices
        of each feature's infrequent categories (None: none; all None unless `count`).
        """
        self._backend = backend
        if not self._scales_out:
            _check_scales_out(self)
        kind, data = category_columns(X, backend, allow_missing=self._missing_allowed)
        n_features = data.shape[1] if kind == "numeric" else len(data)
        xp = backend.xp
        if self.categories == "auto":
            if kind == "numeric":
                found = [_found_numeric(xp, data[:, j], self._missing_allowed) for j in range(n_features)]
                read = read_values(backend, *(a for triple in found for a in triple))  # one pass over X
                self.categories_ = [self._numeric_categories(*read[3 * j:3 * j + 3]) for j in range(n_features)]
            else:
                self.categories_ = [_host_categories(data[j], f"X[:, {j}]") if self._missing_allowed
                                    else unique_values(data[j], f"X[:, {j}]") for j in range(n_features)]
        else:
            self.categories_ = self._given_categories(n_features)
        self.n_features_in_, self._kind = n_features, kind
        codes = self._category_codes(kind, data) if check_known or count else None
        if check_known:
            self._check_known(kind, data, codes, "fit")
        rare = [None] * n_features
        if count:
            n = codes[0].shape[0]
            sizes = [len(c) - self._has_missing(j) for j, c in enumerate(self.categories_)]  # NaN is not counted
            counts = [xp.sum(xp.astype(code[:, None] == xp.arange(k, device=code.device)[None, :], xp.int64), axis=0)
                      for code, k in zip(codes, sizes)]  # (k_j,) each
            for j, counted in enumerate(read_values(backend, *counts)):  # one pass over X
                rare[j] = infrequent_indices(counted.tolist(), n, self.min_frequency, self.max_categories)
        return kind, data, codes, rare

    @staticmethod
    def _numeric_categories(values, has_nan, all_nan):
        found = as_host(values)[:0] if bool(all_nan) else as_host(values)
        return concat_host(found, host_array([math.nan])) if bool(has_nan) else found

    def _given_categories(self, n_features: int) -> list:
        if len(self.categories) != n_features:
            raise ValueError(f"categories has {len(self.categories)} entries but X has {n_features} features.")
        given = [_given_categories(c) for c in self.categories]
        for j, cats in enumerate(given):
            values = cats.tolist()
            if any(is_missing(c) for c in values[:-1]):
                raise ValueError(f"categories[{j}]={values} should have NaN, the missing category, last.")
            if cats.dtype.kind in "iuf" and (cats[1:] < cats[:-1]).any():
                raise ValueError(f"categories[{j}]={values} should be sorted (numeric categories).")
        return given

    def _has_missing(self, j: int) -> bool:
        """Whether feature j's last category is NaN, the missing one."""
        cats = self.categories_[j]
        return len(cats) > 0 and is_missing(cats[-1].item() if hasattr(cats[-1], "item") else cats[-1])

    def _category_codes(self, kind: str, data: Any) -> list:
        """Each feature's codes (n_samples,) on the backend: the index in categories_[j], -1 if unknown."""
        xp, out = self._backend.xp, []
        if kind == "numeric":  # each column contiguous, as searches want
            n, by_feature = data.shape[0], xp.reshape(xp.permute_dims(data, (1, 0)), (-1,))  # (p n,)
        for j, cats in enumerate(self.categories_):
            if kind == "numeric":
                values, cats_dev = common_dtype(xp, by_feature[j * n:(j + 1) * n], to_backend(cats, self._backend))
                code = _numeric_codes(xp, values, cats_dev, self._has_missing(j), self._backend.int_dtype)
            else:
                codes = _host_codes(data[j], cats) if self._missing_allowed else encode(data[j], cats)
                code = to_backend(codes, self._backend)  # (n,), -1 for unknown
            out.append(xp.astype(code, self._backend.int_dtype))
        return out

    def _check_known(self, kind: str, data: Any, codes: list, during: str) -> None:
        """Raise for the first feature with categories not in categories_ (codes -1); the features' flags are
        read together (one pass over X on a lazy backend)."""
        xp = self._backend.xp
        flags = read_values(self._backend, *(xp.any(code < 0) for code in codes))
        for j, (flag, code, cats) in enumerate(zip(flags, codes, self.categories_)):
            if bool(flag):
                column = data[:, j] if kind == "numeric" else data[j]
                values = (as_host(xp.unique_values(column[code < 0])) if is_lazy(self._backend)  # never the column
                          else as_host(column)[as_host(code < 0)])
                found = values.tolist()
                shown = sorted({v for v in found if not is_missing(v) and v is not None}) + [None] * (None in found) \
                    + [math.nan] * any(is_missing(v) for v in found)
                raise ValueError(f"Found unknown categories {shown} in column {j} during {during}; known: "
                                 f"{cats.tolist()}. {self._unknown_advice}")

    _unknown_advice = ""  # how to encode unknown categories instead, for the message above
