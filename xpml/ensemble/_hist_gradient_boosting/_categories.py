"""Categorical features for gradient boosting: which features they are, their categories, their codes.

As scikit-learn 1.9 does, a categorical feature's categories are its distinct non-missing values
at fit, sorted (numbers or, in a DataFrame, strings), and each value is replaced by its code, its
position among them (scikit-learn's OrdinalEncoder). A feature may have at most `max_bins`
categories, so that each category is one bin. NaN, None and categories unseen at fit have no code:
they are missing values (NaN) and go where the split sends missing values.

Which features: `categorical_features` is None, "from_dtype" (a DataFrame's columns of pandas'
`category` dtype, polars' Categorical and Enum), a boolean mask (n_features,), integer indices, or
feature names. As in scikit-learn, the model then sees the categorical features first (its column
transformer puts them there): the order in which ties between features are broken.

Codes of an array of numbers are found on the backend (a sorted search in each feature's
categories); a DataFrame's columns, or a host table's that hold strings, are encoded on the host
before validation (and so is every later X, against the categories kept on the host).

Reference: scikit-learn's `_check_categorical_features` and `BaseHistGradientBoosting._preprocess_X`.
"""

from __future__ import annotations

import math

from ..._backend import device_of, to_numpy
from ...utils._frames import (
    categorical_columns,
    feature_names_of,
    is_frame,
    replace_columns,
)
from ...utils._host import as_host, encode_categories, host_columns

__all__ = ["categorical_mask", "encode_on_host", "fit_category_table", "to_codes"]


def categorical_mask(X, categorical_features) -> list | None:
    """The features of raw X (n, p) that are categorical, as a host list of p bools; None where none is."""
    if categorical_features is None:
        return None
    frame = is_frame(X)
    if isinstance(categorical_features, str) and categorical_features == "from_dtype":
        mask = categorical_columns(X) if frame else None
        return mask if mask is not None and any(mask) else None
    n_features = X.shape[1] if hasattr(X, "shape") and len(X.shape) == 2 else len(as_host(X)[0])
    given = as_host(categorical_features).reshape(-1)
    if given.size == 0:
        return None
    kind = given.dtype.kind
    if kind == "O" and all(isinstance(v, str) for v in given.tolist()):
        kind = "U"
    if kind not in "biU":
        raise ValueError(f"categorical_features must be an array-like of bool, int or str, got: {given.dtype.name} "
                         f"({categorical_features!r}).")
    if kind == "U":
        names = feature_names_of(X)
        if names is None:
            raise ValueError("categorical_features should be passed as an array of integers or as a boolean mask "
                             "when the model is fitted on data without feature names.")
        names = names.tolist()
        unknown = [v for v in given.tolist() if v not in names]
        if unknown:
            raise ValueError(f"categorical_features has an item value {unknown[0]!r} which is not a valid feature "
                             f"name of the training data. Observed feature names: {names}")
        mask = [name in given.tolist() for name in names]
    elif kind == "i":
        if int(given.max()) >= n_features or int(given.min()) < 0:
            raise ValueError(f"categorical_features set as integer indices must be in [0, n_features - 1] = "
                             f"[0, {n_features - 1}]; got {given.tolist()}.")
        mask = [j in given.tolist() for j in range(n_features)]
    else:
        if given.shape[0] != n_features:
            raise ValueError(f"categorical_features set as a boolean mask must have shape (n_features,) = "
                             f"({n_features},), got: {given.shape}.")
        mask = [bool(v) for v in given.tolist()]
    return mask if any(mask) else None


def _feature_name(names, j) -> str:
    return repr(str(names[j])) if names is not None else f"at index {j}"


def _check_cardinality(count, max_bins, names, j):
    if count > max_bins:
        raise ValueError(f"Categorical feature {_feature_name(names, j)} is expected to have a cardinality "
                         f"<= {max_bins} but actually has a cardinality of {count}.")


def encode_on_host(X, mask, max_bins, categories=None):
    """X (a DataFrame, or a host table that holds strings) with each categorical column replaced by its codes (float,
    NaN for missing and unknown values), a DataFrame still, else a float array; and the categories (a host array per
    feature, None for the others): learned here at fit (`categories` None)."""
    names = feature_names_of(X)
    columns = host_columns(X)
    learn = categories is None
    categories = [None] * len(mask) if learn else list(categories)
    codes = {}
    for j, column in enumerate(columns):
        if mask[j]:
            codes[j], found = encode_categories(column, None if learn else categories[j])
            _check_cardinality(len(found), max_bins, names, j)
            categories[j] = found
    if is_frame(X):
        return replace_columns(X, codes), categories
    return as_host([codes[j] if mask[j] else _numbers(column, j) for j, column in enumerate(columns)]).T, categories


def _numbers(column, j):
    """A host column that is not categorical, as floats (strings there cannot be)."""
    try:
        return column.astype("float64")
    except (TypeError, ValueError):
        raise TypeError(f"X's feature {j} holds values that are not numbers ({column[0]!r}, ...), and it is not among "
                        f"categorical_features; only categorical features may hold strings.") from None


def fit_category_table(xp, X, mask, max_bins, names=None):
    """(c, K): the sorted categories of the c categorical columns of validated X (n, p) (host-learned, +inf padded to
    the largest count K); and their counts (a host list of c ints)."""
    found = []
    for j in [j for j, m in enumerate(mask) if m]:
        present = sorted({v for v in to_numpy(X[:, j]).tolist() if not math.isnan(v)})  # the distinct values
        _check_cardinality(len(present), max_bins, names, j)
        found.append(present)
    width = max(1, max(len(v) for v in found))
    table = [v + [math.inf] * (width - len(v)) for v in found]
    return xp.asarray(table, dtype=X.dtype, device=device_of(X)), [len(v) for v in found]


def to_codes(xp, X, mask, table):
    """Validated X (n, p) as the model sees it: categorical columns first, as codes (NaN: missing or unknown), then
    the others."""
    n, K = X.shape[0], table.shape[1]
    by_feature = xp.reshape(xp.permute_dims(X, (1, 0)), (-1,))  # (p·n,): each column contiguous, as searches want
    codes = []
    for i, j in enumerate(j for j, m in enumerate(mask) if m):
        column, known = by_feature[j * n:(j + 1) * n], table[i, :]  # (n,), (K,)
        at = xp.clip(xp.searchsorted(known, column), 0, K - 1)  # (n,)
        hit = xp.take(known, at) == column  # NaN never equals a category
        codes.append(xp.where(hit, xp.astype(at, X.dtype), xp.asarray(math.nan, dtype=X.dtype, device=device_of(X))))
    rest = [j for j, m in enumerate(mask) if not m]
    parts = [xp.stack(codes, axis=1)]
    if rest:
        parts.append(xp.take(X, xp.asarray(rest, device=device_of(X)), axis=1))
    return xp.concat(parts, axis=1)  # (n, p)
