"""Filling in missing values, column by column, with a statistic of the values observed.

strategy "mean" and "median" need numbers and run on the device: missing entries are masked out
of the sums, or sorted to the end of each column (as +inf) so that the median of the c observed
values is read at positions ⌊(c-1)/2⌋ and ⌊c/2⌋. "most_frequent" takes the commonest observed value
(the smallest among ties), "constant" takes `fill_value`. Columns of strings are handled on the host.
A column with no observed value has no statistic: it is dropped (with a warning), unless
`keep_empty_features`, which fills it with 0. `add_indicator` appends, for each column that had
missing values at fit, a 0/1 column marking them (scikit-learn's MissingIndicator, "missing-only").
"""

from __future__ import annotations

from numbers import Real
from typing import Any

from .._backend import backend_of, resolve_backend
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, check_is_fitted
from ..utils._host import (as_host, concat_host, host_array, host_columns, host_namespace, host_table, impute,
                          impute_statistics, is_numeric, missing_mask)
from ..utils._param_validation import Options
from ..utils._warnings import warn
from ..utils._feature_names import check_feature_names, check_feature_names_in
from ..utils._values import ALLOW_NAN
from ..utils.validation import check_dense, check_n_features

__all__ = ["SimpleImputer"]


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and value != value


def _as_numbers(X: Any, strategy: str):
    """A host table that is not numeric (numbers held as Python objects, say) as float64, for "mean" and
    "median"; strings are refused with ValueError, other objects (dicts, lists) with TypeError."""
    host = as_host(X)
    if host.dtype.kind in "USV":
        raise ValueError(f"strategy={strategy!r} needs numeric data; X holds strings. Use strategy='most_frequent' "
                         f"or 'constant'.")
    try:
        return host.astype("float64")
    except ValueError as exc:  # strings among Python objects
        raise ValueError(f"strategy={strategy!r} needs numeric data; X holds strings or objects ({exc}). "
                         f"Use strategy='most_frequent' or 'constant'.") from None
    except TypeError as exc:  # a dict or a list in a cell: neither a number nor a string
        raise TypeError(f"strategy={strategy!r} needs numeric data; X holds values that are neither numbers nor "
                        f"strings ({exc}).") from None


def _numeric_statistics(xp, X, missing, strategy: str, fill_value: Any):
    """The statistic of each column of X (n, p) over its entries not `missing`; NaN for empty columns."""
    observed = ~missing  # (n, p)
    count = xp.sum(xp.astype(observed, X.dtype), axis=0)  # (p,)
    empty = count == 0
    if strategy == "mean":
        stat = xp.sum(xp.where(observed, X, xp.zeros_like(X)), axis=0) / xp.where(empty, xp.ones_like(count), count)
    elif strategy == "median":
        ordered = xp.sort(xp.where(observed, X, xp.full_like(X, float("inf"))), axis=0, stable=False)  # observed first
        c = xp.astype(count, backend_of(X).int_dtype)
        low = xp.clip((c - 1) // 2, 0, None)[None, :]  # (1, p)
        high = xp.clip(c // 2, 0, X.shape[0] - 1)[None, :]
        stat = (xp.take_along_axis(ordered, low, axis=0)[0, :] + xp.take_along_axis(ordered, high, axis=0)[0, :]) / 2
    elif strategy == "most_frequent":
        stats = []
        for j in range(X.shape[1]):
            values = X[:, j][observed[:, j]]
            if values.shape[0] == 0:
                stats.append(xp.asarray(float("nan"), dtype=X.dtype, device=X.device))
            else:
                found = xp.unique_counts(values)
                stats.append(found.values[xp.argmax(found.counts)])  # the first maximum: the smallest value
        stat = xp.stack(stats)
    else:
        stat = xp.full(X.shape[1], 0.0 if fill_value is None else float(fill_value), dtype=X.dtype, device=X.device)
    return stat, empty  # (p,), (p,)


class SimpleImputer(TransformerMixin, BaseEstimator):
    """Replace missing values by a statistic of each column.

    Parameters
    ----------
    missing_values : float, int, str or None, default=nan
        The placeholder of a missing value.
    strategy : {"mean", "median", "most_frequent", "constant"}, default="mean"
        "mean" and "median" need numeric data.
    fill_value : number or str, optional
        The value for "constant": by default 0 for numbers and "missing_value" for strings.
    copy : bool, default=True
        Accepted for scikit-learn compatibility: xpml never modifies X, whatever its value.
    add_indicator : bool, default=False
        Append to the output one column per feature that had missing values at fit, 1 where the
        value was missing (True/False for string data), as scikit-learn's MissingIndicator.
    keep_empty_features : bool, default=False
        Keep the columns with no observed value (filled with 0, or fill_value) instead of dropping them.
    backend : str or Backend, optional
        Where numeric data is imputed; None: the backend in force at fit.
    dtype : {"float32", "float64"}, optional
        The floating dtype of numeric data; by default floating input keeps its precision.

    Attributes
    ----------
    statistics_ : array of shape (n_features,)
        The fill value of each column; NaN for a column dropped for having no observed value. An
        array of the backend for numeric data, a numpy array of objects for strings.
    indicator_features_ : list of int
        With `add_indicator`, the features that had missing values at fit, in the order of their
        indicator columns (scikit-learn's `indicator_.features_`).
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.preprocessing import SimpleImputer
    >>> SimpleImputer().fit_transform([[1.0, float("nan")], [3.0, 4.0]]).tolist()
    [[1.0, 4.0], [3.0, 4.0]]
    """

    _parameter_constraints = {
        "missing_values": [Real, str, None],
        "strategy": [Options({"mean", "median", "most_frequent", "constant"})],
        "fill_value": [Real, str, None],
        "copy": ["boolean"],
        "add_indicator": ["boolean"],
        "keep_empty_features": ["boolean"],
        **BACKEND_CONSTRAINTS,
    }

    _refuses_sparse = True  # reads X on the host (check_dense): sparse X is refused, naming it

    def __init__(self, *, missing_values: Any = float("nan"), strategy: str = "mean", fill_value: Any = None,
                 copy: bool = True, add_indicator: bool = False, keep_empty_features: bool = False,
                 backend: Any = None, dtype: str | None = None):
        self.missing_values = missing_values
        self.strategy = strategy
        self.fill_value = fill_value
        self.copy = copy
        self.add_indicator = add_indicator
        self.keep_empty_features = keep_empty_features
        self.backend = backend
        self.dtype = dtype

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = _is_nan(self.missing_values)  # NaN is what it fills in
        return tags

    def _numeric(self, X: Any, reset: bool):
        """X on the backend (NaN allowed), and where it is missing."""
        X = self._validate_X(X, reset=reset, ensure_finite=ALLOW_NAN)
        xp = self._xp
        if _is_nan(self.missing_values):
            return X, xp.isnan(X)
        if bool(xp.any(xp.isnan(X))):
            raise ValueError(f"X contains NaN but missing_values={self.missing_values!r}; set missing_values=nan "
                             f"to impute NaN.")
        return X, X == self.missing_values

    def fit(self, X: Any, y: Any = None) -> SimpleImputer:
        """Learn each column's statistic. X: array-like of shape (n_samples, n_features). Returns self."""
        self._validate_params()
        check_dense(X)
        numeric_missing = self.missing_values is None or isinstance(self.missing_values, str)
        if self.strategy in ("mean", "median") and not numeric_missing and not is_numeric(X):
            X = _as_numbers(X, self.strategy)
        self._kind = "numeric" if is_numeric(X) and not numeric_missing else "host"
        if self._kind == "host":
            if self.strategy in ("mean", "median") and is_numeric(X):
                raise ValueError(f"missing_values={self.missing_values!r} is not a number, but X is numeric and "
                                 f"strategy={self.strategy!r} needs numbers: pass a number or nan as missing_values.")
            if self.strategy in ("mean", "median"):
                raise ValueError(f"strategy={self.strategy!r} needs numeric data; X holds strings or objects. "
                                 f"Use strategy='most_frequent' or 'constant'.")
            self._backend = resolve_backend(self.backend)
            check_feature_names(self, X, reset=True)
            columns = host_columns(X)
            self.n_features_in_ = len(columns)
            fill = "missing_value" if self.fill_value is None else self.fill_value
            self.statistics_ = impute_statistics(columns, self.missing_values, self.strategy, fill,
                                                 self.keep_empty_features)
            self._keep = [j for j, s in enumerate(self.statistics_.tolist()) if not _is_nan(s)]
            self._set_indicator([bool(missing_mask(c, self.missing_values).any()) for c in columns])
            return self
        if isinstance(self.fill_value, str):
            raise ValueError(f"fill_value={self.fill_value!r} is a string, but X is numeric; pass a number.")
        X, missing = self._numeric(X, reset=True)
        xp = self._xp
        stat, empty = _numeric_statistics(xp, X, missing, self.strategy, self.fill_value)
        filler = (0.0 if self.fill_value is None else float(self.fill_value)) if self.strategy == "constant" else 0.0
        self.statistics_ = xp.where(empty, xp.full_like(stat, filler if self.keep_empty_features else float("nan")),
                                    stat)
        self._keep = [j for j, e in enumerate(as_host(empty).tolist()) if self.keep_empty_features or not e]
        self._set_indicator(as_host(xp.any(missing, axis=0)).tolist())
        return self

    def _set_indicator(self, had_missing: list) -> None:
        if self.add_indicator:
            self.indicator_features_ = [j for j, m in enumerate(had_missing) if m]

    def transform(self, X: Any):
        """X with each missing value replaced by its column's statistic; empty columns are dropped.

        Returns an array of shape (n_samples, n_kept_features), in the library of X (numpy objects
        for strings).
        """
        check_is_fitted(self)
        if len(self._keep) < self.n_features_in_:
            dropped = sorted(set(range(self.n_features_in_)) - set(self._keep))
            warn(f"Skipping features without any observed values: {dropped}. At least one non-missing "
                 f"value is needed for imputation with strategy={self.strategy!r}.", UserWarning)
        if self._kind == "host":
            check_feature_names(self, X, reset=False)
            columns = host_columns(X)
            check_n_features(self, len(columns))
            out = impute(columns, self.missing_values, self.statistics_, self._keep)  # (n, kept)
            if not self.add_indicator:
                return out
            flags = [missing_mask(columns[j], self.missing_values) for j in self.indicator_features_]
            return host_table([out[:, j] for j in range(out.shape[1])] + flags)
        X_in, (X, missing) = X, self._numeric(X, reset=False)
        xp = self._xp
        out = xp.where(missing, self.statistics_[None, :], X)  # (n, p)
        if len(self._keep) < self.n_features_in_:
            out = xp.take(out, xp.asarray(self._keep, dtype=xp.int64, device=out.device), axis=1)
        if self.add_indicator and self.indicator_features_:
            flags = xp.take(missing, xp.asarray(self.indicator_features_, device=out.device), axis=1)  # (n, m)
            out = xp.concat([out, xp.astype(flags, out.dtype)], axis=1)
        return self._output(out, X_in)

    def inverse_transform(self, X: Any):
        """The data before imputation: each value an indicator column flags (add_indicator=True) back to
        `missing_values`, and the columns dropped at fit back, all missing. X: the output of `transform`."""
        check_is_fitted(self)
        if not self.add_indicator:
            raise ValueError("inverse_transform needs the indicator columns of add_indicator=True, which say what "
                             "was imputed; got add_indicator=False.")
        X_in, kept, flagged = X, len(self._keep), len(self.indicator_features_)
        if self._kind == "host":
            xp, X, fill = host_namespace(), host_table(host_columns(X)), self.missing_values
        else:
            xp, X, fill = self._xp, self._to_backend(X), float(self.missing_values)
        if X.ndim != 2 or X.shape[1] != kept + flagged:
            raise ValueError(f"X has shape {tuple(X.shape)}; inverse_transform expects the output of transform, "
                             f"{kept} imputed and {flagged} indicator columns.")
        # Original column j is gathered from [imputed columns | a column of missing_values], and whether it was
        # missing from [indicator columns | a column of False]: at j's place among the kept (flagged) columns, or
        # at the last, added one.
        n, device = X.shape[0], X.device
        values = xp.concat([X[:, :kept], xp.full((n, 1), fill, dtype=X.dtype, device=device)], axis=1)
        flags = xp.concat([xp.astype(X[:, kept:] != 0, xp.bool), xp.zeros((n, 1), dtype=xp.bool, device=device)],
                          axis=1)
        at_kept = [self._keep.index(j) if j in self._keep else kept for j in range(self.n_features_in_)]
        at_flag = [self.indicator_features_.index(j) if j in self.indicator_features_ else flagged
                   for j in range(self.n_features_in_)]
        out = xp.where(xp.take(flags, xp.asarray(at_flag, device=device), axis=1), fill,
                       xp.take(values, xp.asarray(at_kept, device=device), axis=1))
        return out if self._kind == "host" else self._output(out, X_in)

    def get_feature_names_out(self, input_features: Any = None):
        """The output column names: the input's (`feature_names_in_`, or x0, x1, ...) but the dropped ones, then
        "missingindicator_<name>" for each indicator column (add_indicator=True)."""
        check_is_fitted(self)
        names = check_feature_names_in(self, input_features)
        flags = [f"missingindicator_{names[j]}" for j in self.indicator_features_] if self.add_indicator else []
        return concat_host(names[self._keep], host_array(flags, dtype="object"))
