"""Encoding categories as one-hot columns (OneHotEncoder); labels are encoded in `_label` (LabelEncoder).

Numeric categories are found and matched on the device (`unique_values`, `==`). Strings exist only
on the host: their categories are found there, each value becomes an integer code there, and only
the codes move to the device, where the one-hot columns are built. Categories are kept on the
host, as numpy arrays (like a classifier's `classes_`), since they may be strings.
"""

from __future__ import annotations

from typing import Any

from .._backend import dtype_name, library_of, match_input, resolve_backend, to_backend
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, check_is_fitted
from ..utils._host import (as_host, decode, encode, host_array, host_columns, host_table, is_numeric, missing_mask,
                           unique_values)
from ..utils._param_validation import Options
from ..utils._warnings import warn
from ..utils.validation import check_array, check_dense

__all__ = ["OneHotEncoder", "common_dtype"]


def _numeric_X(X: Any, backend, name: str = "X"):
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


class OneHotEncoder(TransformerMixin, BaseEstimator):
    """Encode categorical features as one-hot columns (one 0/1 column per category).

    Parameters
    ----------
    categories : "auto" or list of array-like, default="auto"
        The categories of each feature: found in the data, or given (numeric ones sorted).
    drop : {None, "first", "if_binary"}, default=None
        Leave out the first category of every feature, or of features with two categories only.
    handle_unknown : {"error", "ignore"}, default="error"
        A category not seen at fit raises, or is encoded as all zeros.
    backend : str or Backend, optional
        Where the one-hot columns are built; None: the backend in force at fit.
    dtype : {"float32", "float64"}, optional
        The dtype of the output; by default the backend's floating dtype.

    Attributes
    ----------
    categories_ : list of numpy arrays, one per feature, sorted
    drop_idx_ : list of (int or None), or None
        The index, in categories_[i], of the category left out of feature i.
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.preprocessing import OneHotEncoder
    >>> OneHotEncoder().fit_transform([["red"], ["blue"], ["red"]]).tolist()
    [[0.0, 1.0], [1.0, 0.0], [0.0, 1.0]]
    """

    _parameter_constraints = {
        "categories": [Options({"auto"}), list],
        "drop": [None, Options({"first", "if_binary"})],
        "handle_unknown": [Options({"error", "ignore"})],
        **BACKEND_CONSTRAINTS,
    }

    def __init__(self, *, categories: Any = "auto", drop: str | None = None, handle_unknown: str = "error",
                 backend: Any = None, dtype: str | None = None):
        self.categories = categories
        self.drop = drop
        self.handle_unknown = handle_unknown
        self.backend = backend
        self.dtype = dtype

    def _columns(self, X: Any):
        """("numeric", X on the backend) or ("host", a list of numpy columns)."""
        check_dense(X)
        if is_numeric(X):
            return "numeric", _numeric_X(X, self._backend)
        columns = host_columns(X)
        if not columns or len(columns[0]) == 0:
            raise ValueError(f"X has {len(columns[0]) if columns else 0} sample(s) and {len(columns)} feature(s); "
                             f"a minimum of 1 of each is required.")
        for j, col in enumerate(columns):
            if col.dtype.kind == "O" and (missing_mask(col, float("nan")) | missing_mask(col, None)).any():
                raise ValueError(f"X has missing values (None or NaN) in column {j}; fill them in first "
                                 f"(xpml.preprocessing.SimpleImputer) or encode them as a category of their own.")
        return "host", columns

    def fit(self, X: Any, y: Any = None) -> OneHotEncoder:
        """Learn the categories of each feature.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), numbers or strings
        y : ignored

        Returns
        -------
        self
        """
        self._validate_params()
        self._backend = resolve_backend(self.backend)
        self._dtype = self.dtype or ("float64" if self._backend.has_float64 else "float32")
        kind, data = self._columns(X)
        n_features = data.shape[1] if kind == "numeric" else len(data)
        xp = self._backend.xp
        column = (lambda j: data[:, j]) if kind == "numeric" else (lambda j: data[j])
        if self.categories == "auto":
            found = [xp.unique_values(column(j)) if kind == "numeric" else unique_values(column(j), f"X[:, {j}]")
                     for j in range(n_features)]
            self.categories_ = [as_host(c) for c in found]
        else:
            if len(self.categories) != n_features:
                raise ValueError(f"categories has {len(self.categories)} entries but X has {n_features} features.")
            self.categories_ = [as_host(c).reshape(-1) for c in self.categories]
            for j, cats in enumerate(self.categories_):
                if cats.dtype.kind in "iuf" and (cats[1:] < cats[:-1]).any():
                    raise ValueError(f"categories[{j}]={cats.tolist()} should be sorted (numeric categories).")
        self.n_features_in_ = n_features
        self._kind = kind
        drop_first = {None: lambda k: False, "first": lambda k: True, "if_binary": lambda k: k == 2}[self.drop]
        self.drop_idx_ = None if self.drop is None else [0 if drop_first(len(c)) else None for c in self.categories_]
        if self.categories != "auto" and self.handle_unknown == "error":
            self._codes(kind, data, during="fit")
        return self

    def _codes(self, kind: str, data: Any, during: str):
        """The one-hot blocks of each feature, (n_samples, n_categories_j), on the backend."""
        xp, blocks = self._backend.xp, []
        for j, cats in enumerate(self.categories_):
            if kind == "numeric":
                values, cats_dev = common_dtype(xp, data[:, j], to_backend(cats, self._backend))
                block = values[:, None] == cats_dev[None, :]  # (n, k_j)
            else:
                codes = to_backend(encode(data[j], cats), self._backend)  # (n,), -1 for unknown
                block = codes[:, None] == xp.arange(len(cats), dtype=codes.dtype, device=codes.device)[None, :]
            unknown = ~xp.any(block, axis=1)  # (n,)
            if self.handle_unknown == "error" and bool(xp.any(unknown)):
                values = as_host(data[:, j] if kind == "numeric" else data[j])[as_host(unknown)]
                raise ValueError(f"Found unknown categories {sorted(set(values.tolist()))} in column {j} during "
                                 f"{during}; known: {cats.tolist()}. Use handle_unknown='ignore' to encode them "
                                 f"as zeros.")
            if self.drop_idx_ is not None and self.drop_idx_[j] is not None and bool(xp.any(unknown)):
                warn(f"Found unknown categories in column {j} during transform; they are encoded as all "
                     f"zeros, the same as the dropped category.", UserWarning)
            blocks.append(block)
        return blocks

    def _kept(self) -> list[int]:
        """The output columns that survive `drop`, as indices into the full one-hot layout."""
        kept, start = [], 0
        for j, cats in enumerate(self.categories_):
            dropped = None if self.drop_idx_ is None else self.drop_idx_[j]
            kept += [start + i for i in range(len(cats)) if i != dropped]
            start += len(cats)
        return kept

    def transform(self, X: Any):
        """One-hot encode X. Returns an array of shape (n_samples, n_output_columns)."""
        check_is_fitted(self)
        kind, data = self._columns(X)
        n_features = data.shape[1] if kind == "numeric" else len(data)
        if n_features != self.n_features_in_:
            raise ValueError(f"X has {n_features} features, but OneHotEncoder is expecting {self.n_features_in_} "
                             f"features as input (n_features_in_={self.n_features_in_}).")
        xp = self._backend.xp
        out = xp.astype(xp.concat(self._codes(kind, data, during="transform"), axis=1), getattr(xp, self._dtype))
        if self.drop_idx_ is not None:
            out = xp.take(out, xp.asarray(self._kept(), device=out.device), axis=1)
        return match_input(out, X)

    def inverse_transform(self, X: Any):
        """The categories of one-hot rows; unknown (all-zero) rows give None, or the dropped category.

        Returns a numpy array of shape (n_samples, n_features), of objects.
        """
        check_is_fitted(self)
        xp = self._backend.xp
        X = check_array(X, self._backend, dtype=self._dtype)  # (n, n_output_columns)
        kept, columns, start = self._kept(), [], 0
        for j, cats in enumerate(self.categories_):
            mine = [i for i, c in enumerate(kept) if start <= c < start + len(cats)]  # this feature's output columns
            which = xp.asarray([kept[i] - start for i in mine], dtype=self._backend.int_dtype, device=X.device)
            dropped = -1 if self.drop_idx_ is None or self.drop_idx_[j] is None else self.drop_idx_[j]
            block = xp.take(X, xp.asarray(mine, dtype=which.dtype, device=X.device), axis=1)  # (n, k_j kept)
            if len(mine):
                hit = xp.any(block == 1, axis=1)
                code = xp.where(hit, xp.take(which, xp.argmax(block, axis=1)), dropped)  # (n,)
            else:
                code = xp.full(X.shape[0], dropped, dtype=which.dtype, device=X.device)
            columns.append(decode(cats.astype(object), code))
            start += len(cats)
        return host_table(columns)

    def get_feature_names_out(self, input_features: Any = None):
        """Output column names "<feature>_<category>"; features are named x0, x1, ... by default."""
        check_is_fitted(self)
        names = input_features if input_features is not None else [f"x{j}" for j in range(self.n_features_in_)]
        full = [f"{names[j]}_{c}" for j, cats in enumerate(self.categories_) for c in cats.tolist()]
        return host_array([full[i] for i in self._kept()], "object")
