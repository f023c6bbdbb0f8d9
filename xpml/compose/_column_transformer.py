"""ColumnTransformer: a transformer per group of columns, their outputs side by side.

Each part (name, transformer, columns) is fitted on its columns of X (`_columns` reads them: by
position, by name in a pandas or polars DataFrame, by mask, or by a callable such as
`make_column_selector`), and `transform` puts the parts' outputs side by side (`_stack`), in the order
of the parts, then the remainder: the columns no part names, dropped, passed through, or given to the
`remainder` estimator. A DataFrame of strings goes in as it is: each transformer sees its own columns,
so an encoder gets the strings and a scaler the numbers.

Between the parts the data stay on the backend (`config_context(output="backend")`), as in a Pipeline;
the result follows the input's library (numpy in, numpy out), or is a DataFrame under `set_output`.
"""

from __future__ import annotations

import time
from numbers import Integral, Real
from typing import Any

from .._backend import config_context, resolve_backend, use_backend
from ..base import BACKEND_CONSTRAINTS, TransformerMixin, _check_scales_out, check_is_fitted, clone
from ..datasets import Bunch
from ..utils._param_validation import Interval
from ..utils._metaestimators import Composition
from ._parts import (DROP, PASSTHROUGH, as_table, check_columns, check_no_params, check_remainder, check_transformers,
                     feature_names_out, fit_part, n_samples_of, passthrough, resolve_columns, set_part_output,
                     transform_part)
from ._stack import as_block, hstack, hstack_frames, is_sparse_output

__all__ = ["ColumnTransformer"]


class ColumnTransformer(TransformerMixin, Composition):
    """Apply transformers to columns of an array or DataFrame, and put their outputs side by side.

    Parameters
    ----------
    transformers : list of (name, transformer, columns) tuples
        transformer is an estimator with `fit` and `transform` (xpml's or scikit-learn's), "drop" or
        "passthrough". columns is an int or a str (one column, given to the transformer as 1-D), a
        list, tuple or array of ints, strs or bools (a mask), a slice, or a callable that returns one
        of these for X (`make_column_selector`). Strings name the columns of a pandas or polars DataFrame.
    remainder : {"drop", "passthrough"} or estimator, default="drop"
        What becomes of the columns no transformer names: left out, passed through (after the other
        outputs), or transformed by this estimator.
    sparse_threshold : float in [0, 1], default=0.3
        When some output is sparse and the stored entries are fewer than this fraction of all entries,
        the result is a sparse CSR matrix (scipy's for numpy input, the backend's own under
        `xpml.set_config(output="backend")`); otherwise it is dense. 0 always gives a dense result.
    n_jobs : int, optional
        Accepted for scikit-learn's signature; the transformers are fitted one after another.
    transformer_weights : dict, optional
        A factor by which each named transformer's output is multiplied (1 for those not listed).
    verbose : bool, default=False
        Print each transformer's name and fit time.
    verbose_feature_names_out : bool, str or callable, default=True
        How `get_feature_names_out` names a column: "<transformer>__<feature>" (True), the feature's name
        alone (False; they must then be unique), a format string with the fields {transformer_name} and
        {feature_name}, or a callable (transformer_name, feature_name) -> str.
    backend : str or Backend, optional
        Where the parts' numeric outputs go and the result is stacked; parts left at backend=None fit
        there. None: the backend in force at fit.

    Attributes
    ----------
    transformers_ : list of (name, fitted transformer, columns) tuples
        The fitted transformers ("drop" and "passthrough" as given; a transformer given no column stays
        unfitted), then ("remainder", ..., the remaining columns) where columns remain.
    named_transformers_ : Bunch
        The fitted transformers by name.
    sparse_output_ : bool
        Whether `transform` returns a sparse matrix.
    output_indices_ : dict
        For each name (and "remainder"), the slice of output columns its transformer gives.
    n_features_in_ : int
    feature_names_in_ : numpy array of str objects
        Only after a fit on a DataFrame with string column names.

    Examples
    --------
    >>> import pandas as pd
    >>> from xpml.compose import ColumnTransformer
    >>> from xpml.preprocessing import OneHotEncoder, StandardScaler
    >>> frame = pd.DataFrame({"age": [20.0, 40.0], "city": ["Oslo", "Rome"]})
    >>> ct = ColumnTransformer([("num", StandardScaler(), ["age"]),
    ...                         ("cat", OneHotEncoder(sparse_output=False), ["city"])])
    >>> ct.fit_transform(frame).tolist()
    [[-1.0, 1.0, 0.0], [1.0, 0.0, 1.0]]
    >>> ct.get_feature_names_out().tolist()
    ['num__age', 'cat__city_Oslo', 'cat__city_Rome']
    """

    _parts = "transformers"
    _parameter_constraints = {
        "sparse_threshold": [Interval(Real, 0, 1, closed="both")],
        "n_jobs": [None, Integral],
        "transformer_weights": [None, "dict"],
        "verbose": ["boolean"],
        "verbose_feature_names_out": ["boolean", "str", "callable"],
        "backend": BACKEND_CONSTRAINTS["backend"],
    }

    def __init__(self, transformers: list, *, remainder: Any = "drop", sparse_threshold: float = 0.3,
                 n_jobs: int | None = None, transformer_weights: dict | None = None, verbose: bool = False,
                 verbose_feature_names_out: Any = True, backend: Any = None):
        self.transformers = transformers
        self.remainder = remainder
        self.sparse_threshold = sparse_threshold
        self.n_jobs = n_jobs
        self.transformer_weights = transformer_weights
        self.verbose = verbose
        self.verbose_feature_names_out = verbose_feature_names_out
        self.backend = backend

    # ---- parameters: the parts are (name, transformer, columns) ---------------------------------------

    def _named(self) -> list[tuple[str, Any]]:
        try:
            return [(name, trans) for name, trans, _ in self.transformers]
        except (TypeError, ValueError):  # not a list of triples: refused at fit, by name
            return []

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The parameters; with `deep`, each transformer by name, its parameters as "<name>__<parameter>", and
        the remainder estimator's as "remainder__<parameter>"."""
        out = super().get_params(deep=deep)
        if deep and hasattr(self.remainder, "get_params") and not isinstance(self.remainder, type):
            out.update((f"remainder__{k}", v) for k, v in self.remainder.get_params(deep=True).items())
        return out

    def set_params(self, **params: Any) -> ColumnTransformer:
        """Set parameters: the own ones, a whole transformer by name (its columns kept), "<name>__<parameter>"
        and "remainder__<parameter>". Returns self."""
        if "transformers" in params:
            self.transformers = params.pop("transformers")
        if "remainder" in params:
            self.remainder = params.pop("remainder")
        nested_remainder = {key[len("remainder__"):]: params.pop(key) for key in list(params)
                            if key.startswith("remainder__")}
        names = [name for name, _ in self._named()]
        for key in [key for key in params if key in names]:
            value = params.pop(key)
            self.transformers = [(n, value if n == key else t, c) for n, t, c in self.transformers]
        super().set_params(**params)
        if nested_remainder:
            self.remainder.set_params(**nested_remainder)
        return self

    # ---- fitted parts ---------------------------------------------------------------------------------

    @property
    def named_transformers_(self) -> Bunch:
        """The fitted transformers by name ("remainder" included where columns remain)."""
        return Bunch(**{name: trans for name, trans, _ in self.transformers_})

    def __getitem__(self, key: str) -> Any:
        """A fitted transformer by name."""
        if "transformers_" not in vars(self):
            raise TypeError("ColumnTransformer is subscriptable after it is fitted.")
        try:
            return self.named_transformers_[key]
        except KeyError:
            raise KeyError(f"{key!r} is not a valid transformer name; the names are "
                           f"{[name for name, _, _ in self.transformers_]}.") from None

    def _weight(self, name: str) -> float:
        return (self.transformer_weights or {}).get(name, 1.0)

    def _output_library(self) -> str:
        from ..utils._set_output import _output_container

        return _output_container(self)

    # ---- fitting and transforming ---------------------------------------------------------------------

    def fit(self, X: Any, y: Any = None, **params: Any) -> ColumnTransformer:
        """Fit every transformer on its columns of X.

        Parameters
        ----------
        X : array-like, DataFrame or sparse matrix of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), optional
            Passed to every transformer's fit.

        Returns
        -------
        self
        """
        check_no_params("fit", params)
        self._fit_transform(X, y)
        return self

    def fit_transform(self, X: Any, y: Any = None, **params: Any) -> Any:
        """Fit every transformer on its columns of X, and return their outputs side by side.

        Returns
        -------
        X_out : array or sparse matrix of shape (n_samples, Σ outputs), or a DataFrame under `set_output`
        """
        check_no_params("fit_transform", params)
        return self._fit_transform(X, y)

    def _fit_transform(self, X: Any, y: Any) -> Any:
        self._validate_params()
        self._backend = backend = resolve_backend(self.backend)
        _check_scales_out(self)
        check_transformers(self)
        check_remainder(self.remainder)
        X = as_table(X)
        self.n_features_in_ = X.shape[1]
        self._columns, self._input_indices, self._scalar, remainder_columns = resolve_columns(self, X)
        parts = [(name, trans, cols) for (name, trans, _), cols in zip(self.transformers, self._columns)]
        if self._input_indices["remainder"]:
            parts.append(("remainder", self.remainder, remainder_columns))
        outputs, fitted = [], []
        frames = self._output_library()
        with use_backend(backend), config_context(output="backend"):
            for i, (name, trans, cols) in enumerate(parts):
                if trans == DROP or not self._input_indices[name]:
                    fitted.append((name, trans, cols))
                    continue
                start = time.perf_counter()
                sub = self._part_input(X, name, by_name=False)
                if trans == PASSTHROUGH:
                    out, part = passthrough(sub, backend, frames), PASSTHROUGH
                else:
                    part = set_part_output(clone(trans), None if frames == "default" else frames, strict=False)
                    out = fit_part(part, sub, y)
                outputs.append((name, out))
                fitted.append((name, part, cols))
                if self.verbose:
                    print(f"[ColumnTransformer] ({i + 1} of {len(parts)}) Processing {name}, "
                          f"total={time.perf_counter() - start:.1f}s")
            self.transformers_ = fitted
            blocks = [as_block(out, backend, name) for name, out in outputs] if frames == "default" else []
        self.sparse_output_ = is_sparse_output(blocks, self.sparse_threshold)
        widths, start = {}, 0
        for name, out in outputs:
            widths[name] = slice(start, start + out.shape[1])
            start += out.shape[1]
        empty = {name: slice(0, 0) for name in self._input_indices if name not in widths}
        self.output_indices_ = {**widths, **empty}
        return self._stacked(outputs, blocks, X)

    def _part_input(self, X: Any, name: str, *, by_name: bool) -> Any:
        from ._columns import take_columns

        indices = self._input_indices[name]
        labels = [self.feature_names_in_[j] for j in indices] if by_name else None
        return take_columns(X, indices, scalar=self._scalar.get(name, False), labels=labels)

    def _stacked(self, outputs: list, blocks: list, X: Any) -> Any:
        """The weighted outputs side by side, following the input (or as the DataFrame set_output asks for)."""
        library = self._output_library()
        if library != "default":
            weighted = [out if self._weight(name) == 1.0 else out * self._weight(name) for name, out in outputs]
            return hstack_frames(weighted, self.get_feature_names_out(), library, X)
        blocks = [_weighted(b, self._weight(name)) for (name, _), b in zip(outputs, blocks)]
        with use_backend(self._backend):
            result = hstack(blocks, n_samples=n_samples_of(X), sparse=self.sparse_output_, backend=self._backend)
        return self._output(result, X)

    def transform(self, X: Any, **params: Any) -> Any:
        """Transform X's columns by their fitted transformers, and return the outputs side by side.

        A DataFrame, after a fit on a DataFrame, is read by column name: it may hold other columns too, in
        any order, but needs every column a transformer (not "drop") was fitted on.

        Returns
        -------
        X_out : array or sparse matrix of shape (n_samples, Σ outputs), or a DataFrame under `set_output`
        """
        check_no_params("transform", params)
        check_is_fitted(self)
        X = as_table(X)
        by_name = check_columns(self, X)
        outputs = []
        frames = self._output_library()
        with use_backend(self._backend), config_context(output="backend"):
            for name, trans, _ in self.transformers_:
                if trans == DROP or not self._input_indices[name]:
                    continue
                sub = self._part_input(X, name, by_name=by_name)
                out = passthrough(sub, self._backend, frames) if trans == PASSTHROUGH else transform_part(trans, sub)
                outputs.append((name, out))
            blocks = [as_block(out, self._backend, name) for name, out in outputs] if frames == "default" else []
        return self._stacked(outputs, blocks, X)

    # ---- output -------------------------------------------------------------------------------------

    def get_feature_names_out(self, input_features: Any = None):
        """The output column names, each transformer's `get_feature_names_out` of its columns' names, prefixed as
        `verbose_feature_names_out` says.

        Parameters
        ----------
        input_features : array-like of str, optional
            The input columns' names; by default `feature_names_in_`, or "x0", "x1", ...

        Returns
        -------
        names : numpy array of str objects
        """
        return feature_names_out(self, input_features)

    def set_output(self, *, transform: str | None = None) -> ColumnTransformer:
        """Set the output of `transform` and `fit_transform` ("default", "pandas" or "polars"), and that of every
        transformer, fitted or not (see SetOutputMixin.set_output). Returns self."""
        super().set_output(transform=transform)
        parts = [t for _, t, _ in [*self.transformers, *vars(self).get("transformers_", [])]] + [self.remainder]
        for part in parts:
            if not isinstance(part, str):
                set_part_output(part, transform)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        parts = [trans for _, trans in self._named() if not isinstance(trans, str)]
        tags.input_tags.sparse = all(part.__sklearn_tags__().input_tags.sparse for part in parts
                                     if hasattr(part, "__sklearn_tags__"))
        return tags


def _weighted(block: Any, weight: float) -> Any:
    """A block (dense or CSR) times a transformer's weight."""
    if weight == 1.0:
        return block
    return block.with_data(block.data * weight) if hasattr(block, "with_data") else block * weight
