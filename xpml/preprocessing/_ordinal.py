"""Encoding categories as integers (OrdinalEncoder): each value becomes the index of its category.

Feature j's categories are learned as OneHotEncoder learns them (`_categories.CategoryEncoder`):
its sorted distinct values, found in X or given; numbers are found and matched on the device, strings
on the host, where each value becomes its code and only the codes move to the device. With
`min_frequency` or `max_categories`, the rare categories share one code (`_infrequent`): the frequent
ones keep their order as codes 0 .. f - 1 and the infrequent group is f. NaN is the missing category:
its samples get `encoded_missing_value` (NaN by default) and it is never grouped; a None in a numpy
or polars column is a category like any other, as in scikit-learn.

Unknown categories raise, or (handle_unknown="use_encoded_value") get `unknown_value`, which may not
be a code in use: the infrequent group's code counts as one (scikit-learn lets it through, and then
encodes two things alike).
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

from .._backend import match_input, resolve_backend
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, check_is_fitted
from ..utils._feature_names import check_feature_names, check_feature_names_in
from ..utils._host import as_host, host_array, host_namespace, host_table
from ..utils._one_hot import FLOAT64, output_dtype
from ..utils._param_validation import Interval, Options
from ..utils.validation import check_n_features
from ._categories import CategoryEncoder, category_columns
from ._infrequent import slot_mapping

__all__ = ["OrdinalEncoder"]

INFREQUENT = "infrequent_sklearn"  # the name of an infrequent group, as scikit-learn names it


def _is_nan(value: Any) -> bool:
    return isinstance(value, Real) and value != value


class OrdinalEncoder(CategoryEncoder, TransformerMixin, BaseEstimator):
    """Encode categorical features as integer codes 0 .. n_categories - 1, one column per feature.

    Parameters
    ----------
    categories : "auto" or list of array-like, default="auto"
        The categories of each feature: found in the data (sorted), or given (numeric ones sorted).
    dtype : numeric dtype, default=numpy.float64
        The dtype of the output (numpy.float32, "float32", numpy.int64, ...); float64 is float32 on a
        device without float64. An integer dtype needs integer `unknown_value` and `encoded_missing_value`.
    handle_unknown : {"error", "use_encoded_value"}, default="error"
        A category not seen at fit raises, or is encoded as `unknown_value`.
    unknown_value : int or numpy.nan, optional
        The code of unknown categories, with handle_unknown="use_encoded_value" (and only then): not a
        code of a known category.
    encoded_missing_value : int or numpy.nan, default=numpy.nan
        The code of missing values (NaN); not a code of a known category of a feature that has them.
    min_frequency : int or float, optional
        Categories seen fewer than this many times at fit (a float in (0, 1): this fraction of the
        samples) share one code per feature, after the frequent ones.
    max_categories : int, optional
        At most this many codes per feature (the missing category apart), the infrequent one included:
        the least frequent categories are grouped.
    backend : str or Backend, optional
        Where numbers are encoded; None: the backend in force at fit.

    Attributes
    ----------
    categories_ : list of numpy arrays, one per feature, sorted (None, then NaN, last)
    infrequent_categories_ : list of (numpy array or None)
        The infrequent categories of each feature (None: none); only with min_frequency or max_categories.
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.preprocessing import OrdinalEncoder
    >>> OrdinalEncoder().fit_transform([["red", 2], ["blue", 1], ["red", 1]]).tolist()
    [[1.0, 1.0], [0.0, 0.0], [1.0, 0.0]]
    """

    _parameter_constraints = {
        "categories": [Options({"auto"}), list],
        "handle_unknown": [Options({"error", "use_encoded_value"})],
        "unknown_value": [Real, None],
        "encoded_missing_value": [Real],
        "min_frequency": [Interval(Integral, 1, None, closed="left"), Interval(Real, 0, 1, closed="neither"), None],
        "max_categories": [Interval(Integral, 1, None, closed="left"), None],
        "backend": BACKEND_CONSTRAINTS["backend"],
    }

    _host_attributes = ("categories_", "infrequent_categories_")  # numpy, as they may be strings
    _missing_allowed = True  # NaN is the missing category (see _categories)
    _unknown_advice = "Use handle_unknown='use_encoded_value' with an unknown_value to encode them."
    _refuses_sparse = True  # reads X on the host (check_dense): sparse X is refused, naming it

    def __init__(self, *, categories: Any = "auto", dtype: Any = FLOAT64, handle_unknown: str = "error",
                 unknown_value: Any = None, encoded_missing_value: Any = math.nan, min_frequency: Any = None,
                 max_categories: int | None = None, backend: Any = None):
        self.categories = categories
        self.dtype = dtype
        self.handle_unknown = handle_unknown
        self.unknown_value = unknown_value
        self.encoded_missing_value = encoded_missing_value
        self.min_frequency = min_frequency
        self.max_categories = max_categories
        self.backend = backend

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # NaN is the missing category
        tags.input_tags.categorical = True
        return tags

    def _check_codes_params(self, backend) -> bool:
        """Check unknown_value and encoded_missing_value against handle_unknown and dtype; whether dtype is floating."""
        floating = backend.xp.isdtype(output_dtype(self.dtype, backend), "real floating")
        value = self.unknown_value
        if not (value is None or isinstance(value, bool) or _is_nan(value) or isinstance(value, Integral)):
            raise TypeError(f"unknown_value={value!r} should be an int or nan (numpy.nan).")
        value = self.encoded_missing_value  # an int, or a float that is one (as scikit-learn takes it), or NaN
        if isinstance(value, bool) or not (_is_nan(value) or isinstance(value, Integral) or (
                math.isfinite(value) and value == int(value))):
            raise ValueError(f"encoded_missing_value={value!r} should be an int or nan (numpy.nan).")
        if self.handle_unknown == "use_encoded_value" and (self.unknown_value is None
                                                           or isinstance(self.unknown_value, bool)):
            raise TypeError(f"unknown_value={self.unknown_value!r} should be an int or nan when "
                            f"handle_unknown='use_encoded_value': it is the code of unknown categories.")
        if self.handle_unknown != "use_encoded_value" and self.unknown_value is not None:
            raise TypeError(f"unknown_value={self.unknown_value!r} is used only with handle_unknown="
                            f"'use_encoded_value'; got handle_unknown={self.handle_unknown!r}. Leave it None.")
        if _is_nan(self.unknown_value) and not floating:
            raise ValueError(f"unknown_value=nan needs a floating dtype; got dtype={self.dtype!r}.")
        return floating

    def fit(self, X: Any, y: Any = None) -> OrdinalEncoder:
        """Learn the categories of each feature (and which are infrequent).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), numbers or strings; NaN marks missing values
        y : ignored

        Returns
        -------
        self
        """
        self._validate_params()
        backend = resolve_backend(self.backend)
        floating = self._check_codes_params(backend)
        check_feature_names(self, X, reset=True)
        frequencies = self.min_frequency is not None or self.max_categories is not None
        check = self.handle_unknown == "error" and self.categories != "auto"  # found categories have no unknowns
        _, _, _, rare = self._fit_categories(X, backend, check_known=check, count=frequencies)
        sizes = [len(c) - self._has_missing(j) for j, c in enumerate(self.categories_)]  # NaN has no slot
        self._slot_maps = [slot_mapping(k, r) for k, r in zip(sizes, rare)]
        if frequencies:  # as scikit-learn: only then
            self.infrequent_categories_ = [None if r is None else c[r] for c, r in zip(self.categories_, rare)]
        n_codes = [k if m is None else max(m) + 1 for k, m in zip(sizes, self._slot_maps)]
        unknown = self.unknown_value
        if self.handle_unknown == "use_encoded_value" and not _is_nan(unknown) and 0 <= unknown < max(n_codes):
            raise ValueError(f"unknown_value={unknown} is the code of a known category (codes 0 to {max(n_codes) - 1} "
                             f"are in use); pick a value outside them, such as -1.")
        missing = [j for j in range(self.n_features_in_) if self._has_missing(j)]
        emv = self.encoded_missing_value
        if missing and _is_nan(emv) and not floating:
            raise ValueError(f"X has missing values (NaN) in features {missing}, whose code encoded_missing_value=nan "
                             f"needs a floating dtype; got dtype={self.dtype!r}. Set encoded_missing_value to an int "
                             f"or dtype to a floating one.")
        taken = [j for j in missing if not _is_nan(emv) and 0 <= emv < n_codes[j]]
        if taken:
            raise ValueError(f"encoded_missing_value={emv} is the code of a known category in features {taken}; "
                             f"pick a value outside their codes, such as -1.")
        return self

    def transform(self, X: Any):
        """The code of each value: an array of shape (n_samples, n_features) of `dtype`, in X's library."""
        check_is_fitted(self)
        check_feature_names(self, X, reset=False)
        kind, data = category_columns(X, self._backend, allow_missing=True)
        n_features = data.shape[1] if kind == "numeric" else len(data)
        check_n_features(self, n_features)
        codes = self._category_codes(kind, data)
        if self.handle_unknown == "error":
            self._check_known(kind, data, codes, "transform")
        xp, dtype = self._backend.xp, output_dtype(self.dtype, self._backend)
        columns = []
        for j, code in enumerate(codes):
            mapping = self._slot_maps[j]
            slot = code
            if mapping is not None:  # the frequent categories' codes, then the infrequent group's
                table = xp.asarray(mapping + [0] * self._has_missing(j), dtype=code.dtype, device=code.device)
                slot = xp.take(table, xp.clip(code, 0, None))
            out = xp.astype(slot, dtype)  # (n,)
            if self._has_missing(j):
                missing = code == len(self.categories_[j]) - 1
                out = xp.where(missing, xp.asarray(self.encoded_missing_value, dtype=dtype, device=code.device), out)
            if self.handle_unknown == "use_encoded_value":
                out = xp.where(code < 0, xp.asarray(self.unknown_value, dtype=dtype, device=code.device), out)
            columns.append(out)
        return match_input(xp.stack(columns, axis=1), X)

    def _slot_categories(self, j: int) -> list:
        """Feature j's category of each code: the frequent ones, then "infrequent_sklearn"; NaN apart."""
        cats = self.categories_[j].tolist()[:len(self.categories_[j]) - self._has_missing(j)]
        mapping = self._slot_maps[j]
        if mapping is None:
            return cats
        return [c for c, s in zip(cats, mapping) if s < max(mapping)] + [INFREQUENT]

    def inverse_transform(self, X: Any):
        """The categories of codes X of shape (n_samples, n_features): a numpy array (objects where a column holds
        strings, None for `unknown_value`, or "infrequent_sklearn"), numbers in X's library where all are numbers."""
        check_is_fitted(self)
        hxp, codes = host_namespace(), as_host(X)
        if codes.ndim != 2 or codes.shape[1] != self.n_features_in_:
            raise ValueError(f"X should have {self.n_features_in_} columns, the output of transform; got shape "
                             f"{tuple(codes.shape)}.")
        codes = codes.astype("float64")
        columns, plain = [], True
        for j in range(self.n_features_in_):
            names, code = self._slot_categories(j), codes[:, j]
            unknown = code != code  # NaN: unknown_value=nan; else no code is unknown, unless it is unknown_value
            if self.handle_unknown != "use_encoded_value":
                unknown = unknown & False
            elif not _is_nan(self.unknown_value):
                unknown = code == self.unknown_value
            emv = self.encoded_missing_value
            missing = (hxp.isnan(code) if _is_nan(emv) else code == emv) & self._has_missing(j) & ~unknown
            valid = ~(unknown | missing)
            known = valid & (code >= 0) & (code < len(names)) & (code == hxp.round(code))
            if bool(hxp.any(valid & ~known)):
                bad = code[valid & ~known][0].item()
                raise ValueError(f"X[:, {j}] holds {bad!r}, which is not a code of feature {j}: its codes are 0 to "
                                 f"{len(names) - 1}, unknown_value and encoded_missing_value.")
            index = hxp.astype(hxp.where(known, code, 0.0), hxp.int64)
            values = host_array(names, "object")[index] if names else host_array([None] * len(code), "object")
            values = hxp.where(missing, self.categories_[j][-1] if self._has_missing(j) else None, values)
            values = hxp.where(unknown, None, values)
            plain = plain and self.categories_[j].dtype.kind in "iuf" and not bool(hxp.any(unknown)) and \
                INFREQUENT not in names
            columns.append(values)
        if not plain:
            return host_table(columns)
        dtype = hxp.result_type(*(c.dtype for c in self.categories_))
        return match_input(hxp.stack([hxp.astype(c, dtype) for c in columns], axis=1), X)

    def get_feature_names_out(self, input_features: Any = None):
        """The output column names: the input's (`feature_names_in_`, or x0, x1, ...), one for one."""
        check_is_fitted(self)
        return check_feature_names_in(self, input_features)

