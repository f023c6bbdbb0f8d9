"""Encoding categories as one-hot columns (OneHotEncoder); labels are encoded in `_label` (LabelEncoder).

The categories are learned as OrdinalEncoder learns them (`_categories.CategoryEncoder`): numeric
ones found and matched on the device (`unique_values`, `==`), strings on the host, where each value
becomes an integer code, and only the codes move to the device, where the one-hot columns are built.
Categories are kept on the host, as numpy arrays (like a classifier's `classes_`), since they may be strings.

Each value's code becomes its output *slot* in its feature's block (rare categories grouped by
`_infrequent`, the dropped slot removed), and the slots become dense 0/1 columns on the device or
a scipy CSR matrix (`xpml.utils._one_hot`). On a lazy backend (dask) the categories are read in one pass,
and transform runs chunk by chunk, lazily (`_lazy_encoding`).
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from .._backend import get_config, match_input, resolve_backend
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, check_is_fitted
from ..utils._host import as_host, host_array, host_table
from ..utils._lazy import is_lazy
from ..utils._one_hot import FLOAT64, csr_from_slots, has_scipy, output_dtype
from ..utils._param_validation import Interval, Options
from ..utils._sparse_input import sparse_output
from ..utils._warnings import warn
from ..utils._feature_names import check_feature_names, check_feature_names_in
from ..utils.validation import check_n_features
from ._categories import CategoryEncoder, category_columns
from ._infrequent import drop_slots, slot_mapping
from ._lazy_encoding import inverse_transform_chunks, is_lazy_array, transform_chunks, warn_no_scipy

__all__ = ["OneHotEncoder"]


class OneHotEncoder(CategoryEncoder, TransformerMixin, BaseEstimator):
    """Encode categorical features as one-hot columns (one 0/1 column per category).

    Parameters
    ----------
    categories : "auto" or list of array-like, default="auto"
        The categories of each feature: found in the data, or given (numeric ones sorted).
    drop : {None, "first", "if_binary"} or array-like of shape (n_features,), default=None
        Leave out the first column of every feature, of features with two columns only, or of
        the given category of each feature (None: none). A dropped infrequent group drops the
        whole group's column; dropping one infrequent category alone is refused.
    sparse_output : bool, default=True
        Return a scipy.sparse CSR matrix (scipy is imported only then), as scikit-learn does by
        default, whatever the input library; under `xpml.set_config(output="backend")`, the
        backend's own sparse matrix instead (torch's sparse CSR tensor, jax's BCOO, cupyx's CSR,
        scipy's on numpy, xpml's `CSR` for a library without one), which xpml's estimators take.
        False returns a dense array that follows the input (numpy in, numpy out; torch in, torch
        out). Without scipy, a dense array, with a warning.
        xpml keeps scikit-learn's default, so that code written for scikit-learn gets what it
        expects; pass sparse_output=False to keep the encoding on the backend's device. On dask,
        a dask array whose chunks are scipy CSR matrices (see `_lazy_encoding`).
    dtype : numeric dtype, default=numpy.float64
        The dtype of the output (numpy.float32, "float32", numpy.int64, bool, ...); float64 is
        float32 on a device without float64.
    handle_unknown : {"error", "ignore", "infrequent_if_exist", "warn"}, default="error"
        A category not seen at fit raises; is encoded as all zeros ("ignore"); or goes to its
        feature's infrequent column if it has one, else all zeros ("infrequent_if_exist"; "warn"
        does the same and warns). With `drop`, unknown categories are encoded as the dropped
        one would be, with a warning.
    min_frequency : int or float, optional
        Categories seen fewer than this many times at fit (a float in (0, 1): this fraction of
        the samples) are grouped into one infrequent column per feature (see `_infrequent`).
    max_categories : int, optional
        At most this many output columns per feature, the infrequent one included: the least
        frequent categories are grouped.
    feature_name_combiner : "concat" or callable, default="concat"
        How `get_feature_names_out` names a column: "<feature>_<category>", or
        feature_name_combiner(feature, category), which should return a str.
    backend : str or Backend, optional
        Where the one-hot columns are built; None: the backend in force at fit.

    Attributes
    ----------
    categories_ : list of numpy arrays, one per feature, sorted
    drop_idx_ : numpy array of objects (int or None) of shape (n_features,), or None
        The index, in categories_[i], of the category left out of feature i.
    infrequent_categories_ : list of (numpy array or None)
        The infrequent categories of each feature (None: none); only with min_frequency or max_categories.
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.preprocessing import OneHotEncoder
    >>> OneHotEncoder(sparse_output=False).fit_transform([["red"], ["blue"], ["red"]]).tolist()
    [[0.0, 1.0], [1.0, 0.0], [0.0, 1.0]]
    """

    _parameter_constraints = {
        "categories": [Options({"auto"}), list],
        "drop": [None, Options({"first", "if_binary"}), "array-like"],
        "sparse_output": ["boolean"],
        "handle_unknown": [Options({"error", "ignore", "infrequent_if_exist", "warn"})],
        "min_frequency": [Interval(Integral, 1, None, closed="left"), Interval(Real, 0, 1, closed="neither"), None],
        "max_categories": [Interval(Integral, 1, None, closed="left"), None],
        "feature_name_combiner": [Options({"concat"}), "callable"],
        "backend": BACKEND_CONSTRAINTS["backend"],
    }

    _host_attributes = ("categories_", "drop_idx_", "infrequent_categories_")  # numpy, as they may be strings

    _refuses_sparse = True  # reads X on the host (check_dense): sparse X is refused, naming it
    _unknown_advice = "Use handle_unknown='ignore' to encode them as zeros."
    _scales_out = True  # on dask: categories in one pass, transform chunk by chunk (_lazy_encoding, tests/test_dask*)

    def __init__(self, *, categories: Any = "auto", drop: Any = None, sparse_output: bool = True, dtype: Any = FLOAT64,
                 handle_unknown: str = "error", min_frequency: int | float | None = None,
                 max_categories: int | None = None, feature_name_combiner: Any = "concat", backend: Any = None):
        self.categories = categories
        self.drop = drop
        self.sparse_output = sparse_output
        self.dtype = dtype
        self.handle_unknown = handle_unknown
        self.min_frequency = min_frequency
        self.max_categories = max_categories
        self.feature_name_combiner = feature_name_combiner
        self.backend = backend

    def fit(self, X: Any, y: Any = None) -> OneHotEncoder:
        """Learn the categories of each feature (and which are infrequent).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), numbers or strings
        y : ignored

        Returns
        -------
        self
        """
        self._validate_params()
        if isinstance(self.drop, str) and self.drop not in ("first", "if_binary"):  # a str is array-like too
            raise ValueError(f"drop={self.drop!r} should be one of 'first', 'if_binary', None or one category per "
                             f"feature.")
        backend = resolve_backend(self.backend)
        output_dtype(self.dtype, backend)  # refuse a bad dtype at fit
        check_feature_names(self, X, reset=True)
        check = self.handle_unknown == "error" and self.categories != "auto"  # found categories have no unknowns
        frequencies = self.min_frequency is not None or self.max_categories is not None
        kind, data, codes, rare = self._fit_categories(X, backend, check_known=check, count=frequencies)
        self._slot_maps = [slot_mapping(len(c), r) for c, r in zip(self.categories_, rare)]
        if frequencies:  # as scikit-learn: only then
            self.infrequent_categories_ = [None if r is None else c[r] for c, r in zip(self.categories_, rare)]
        drop = self.drop if self.drop is None or isinstance(self.drop, str) else list(as_host(self.drop).tolist())
        self._drop_slots, original = drop_slots(drop, self.categories_, rare)
        self.drop_idx_ = None if original is None else host_array(original, "object")
        return self

    def _widths(self) -> list[int]:
        """The output columns of each feature: its slots, less the dropped one."""
        drops = self._drop_slots or [None] * len(self.categories_)
        return [(len(c) if m is None else max(m) + 1) - (d is not None)
                for c, m, d in zip(self.categories_, self._slot_maps, drops)]

    def _slots(self, codes: list) -> list:
        """Each feature's output column (n_samples,) within its block, -1 for none (see the module's docstring)."""
        xp, out, unknown_in = self._backend.xp, [], []
        to_infrequent = self.handle_unknown in ("infrequent_if_exist", "warn")
        for j, code in enumerate(codes):
            mapping, unknown = self._slot_maps[j], code < 0
            if bool(xp.any(unknown)):
                unknown_in.append(j)
            if mapping is not None:
                mapped = xp.asarray(mapping, dtype=code.dtype, device=code.device)
                rare_slot = max(mapping) if to_infrequent else -1
                code = xp.where(unknown, rare_slot, xp.take(mapped, xp.clip(code, 0, None)))
            drop = None if self._drop_slots is None else self._drop_slots[j]
            if drop is not None:
                code = xp.where(code == drop, -1, xp.where(code > drop, code - 1, code))
            out.append(code)
        if unknown_in and (self.handle_unknown == "warn" or (self.drop is not None and self.handle_unknown != "error")):
            fate = "the infrequent category" if to_infrequent else "all zeros"
            warn(f"Found unknown categories in columns {unknown_in} during transform. These unknown categories "
                 f"will be encoded as {fate}.", UserWarning)
        return out

    def transform(self, X: Any):
        """One-hot encode X: a scipy CSR matrix (sparse_output) or an array, of shape (n_samples, n_output_columns)."""
        check_is_fitted(self)
        check_feature_names(self, X, reset=False)
        kind, data = category_columns(X, self._backend)
        n_features = data.shape[1] if kind == "numeric" else len(data)
        check_n_features(self, n_features)
        if kind == "numeric" and is_lazy(self._backend):
            return transform_chunks(self, data, X)  # lazily, each chunk by this encoder on the host
        codes = self._category_codes(kind, data)
        if self.handle_unknown == "error":
            self._check_known(kind, data, codes, "transform")
        slots, widths = self._slots(codes), self._widths()
        if self.sparse_output and get_config()["output"] == "backend":  # the backend's own sparse matrix
            return sparse_output(csr_from_slots(slots, widths, self.dtype, self._backend), X)
        if self.sparse_output and has_scipy():
            return csr_from_slots(slots, widths, self.dtype)
        if self.sparse_output:
            warn_no_scipy()
        xp = self._backend.xp
        blocks = [slot[:, None] == xp.arange(w, dtype=slot.dtype, device=slot.device)[None, :]
                  for slot, w in zip(slots, widths)]  # (n, w_j) each
        return match_input(xp.astype(xp.concat(blocks, axis=1), output_dtype(self.dtype, self._backend)), X)

    def _output_categories(self, j: int) -> list:
        """Feature j's category of each output slot (before the drop): the frequent ones, then "infrequent_sklearn"."""
        cats, mapping = self.categories_[j].tolist(), self._slot_maps[j]
        if mapping is None:
            return cats
        return [c for c, s in zip(cats, mapping) if s < max(mapping)] + ["infrequent_sklearn"]

    def inverse_transform(self, X: Any):
        """The categories of one-hot rows (a scipy sparse matrix or an array).

        An all-zero block gives the dropped category, or None for an unknown one; an infrequent
        column gives "infrequent_sklearn". Returns a numpy array of shape (n_samples, n_features), of objects.
        """
        check_is_fitted(self)
        if is_lazy_array(X):
            return inverse_transform_chunks(self, X)  # lazily, chunk by chunk
        X = as_host(X.toarray() if hasattr(X, "toarray") else X)
        widths = self._widths()
        if X.ndim != 2 or X.shape[1] != sum(widths):
            raise ValueError(f"X should have {sum(widths)} columns, the output of transform; got shape {X.shape}.")
        columns, start = [], 0
        for j, width in enumerate(widths):
            names = self._output_categories(j)
            drop = None if self._drop_slots is None else self._drop_slots[j]
            kept = [c for s, c in enumerate(names) if s != drop]
            block = X[:, start:start + width]  # (n, width)
            zero = (block.sum(axis=1) == 0).tolist()
            values = [kept[c] for c in block.argmax(axis=1).tolist()] if width else [None] * X.shape[0]
            if any(zero):
                if drop is None and not self._unknown_gives_zeros(j):
                    rows = [i for i, z in enumerate(zero) if z]
                    raise ValueError(f"Samples {rows} can not be inverted when drop=None and handle_unknown="
                                     f"{self.handle_unknown!r} because they contain all zeros.")
                filler = None if drop is None else names[drop]  # an unknown category, or the dropped one
                values = [filler if z else v for v, z in zip(values, zero)]
            columns.append(values)
            start += width
        return host_table(columns)

    def _unknown_gives_zeros(self, j: int) -> bool:
        """Whether transform encodes feature j's unknown categories as all zeros."""
        return self.handle_unknown == "ignore" or (self.handle_unknown != "error" and self._slot_maps[j] is None)

    def get_feature_names_out(self, input_features: Any = None):
        """Output column names "<feature>_<category>" (or `feature_name_combiner`'s); features are named
        x0, x1, ... by default."""
        check_is_fitted(self)
        names = check_feature_names_in(self, input_features)
        combine = self.feature_name_combiner
        if combine == "concat":
            combine = _concat
        elif not isinstance(combine("feature", "category"), str):
            raise TypeError(f"When `feature_name_combiner` is a callable, it should return a Python string. Got "
                            f"{type(combine('feature', 'category'))} instead.")
        out = []
        for j in range(self.n_features_in_):
            drop = None if self._drop_slots is None else self._drop_slots[j]
            out += [combine(names[j], c) for s, c in enumerate(self._output_categories(j)) if s != drop]
        return host_array(out, "object")


def _concat(feature: str, category: Any) -> str:
    return f"{feature}_{category}"
