"""The parts of a ColumnTransformer: their checks, their columns, fitting them, and the output names.

A part is a (name, transformer, columns) triple. `check_transformers` and `check_remainder` refuse what
cannot work, naming it; `resolve_columns` turns each part's columns into positions of X, once, at fit
(the remainder: the positions no part names); `feature_names_out` names the output columns as
scikit-learn does ("<part>__<feature>" by default).
"""

from __future__ import annotations

import numbers
from collections import Counter
from typing import Any

from .._backend import library_of, to_numpy
from ..base import BaseEstimator, check_is_fitted
from ..utils._csr import is_scipy_sparse
from ..utils._feature_names import check_feature_names, check_feature_names_in
from ..utils._frames import frame_library, is_frame
from ..utils._host import as_host, host_array, host_columns, host_table
from ..utils._sparse_input import host_sparse, native_sparse
from ..utils.validation import check_dense, check_n_features
from ._columns import column_indices, key_kind

__all__ = ["DROP", "PASSTHROUGH", "as_table", "check_columns", "check_no_params", "check_remainder",
           "check_transformers", "feature_names_out", "fit_part", "n_samples_of", "passthrough", "resolve_columns",
           "set_part_output", "transform_part"]

DROP, PASSTHROUGH = "drop", "passthrough"
_OWN = ("transformers", "remainder", "sparse_threshold", "n_jobs", "transformer_weights", "verbose",
        "verbose_feature_names_out", "backend")


def _transforms(est: Any) -> bool:
    return not isinstance(est, type) and (hasattr(est, "fit") or hasattr(est, "fit_transform")) \
        and hasattr(est, "transform")


def check_no_params(method: str, params: dict) -> None:
    """Metadata for the parts needs scikit-learn's metadata routing, which xpml does not have: refused."""
    if params:
        raise ValueError(f"ColumnTransformer.{method} got parameters {sorted(params)}; passing metadata to the "
                         f"transformers needs scikit-learn's metadata routing, which xpml does not have.")


def check_transformers(ct: Any) -> None:
    """The parts are a list of (str, transformer, columns) with unique names; each transformer has fit and
    transform, or is "drop" or "passthrough"; transformer_weights and verbose_feature_names_out fit them."""
    parts = ct.transformers
    if not isinstance(parts, (list, tuple)):
        raise TypeError(f"transformers should be a list of (name, transformer, columns) tuples; got {parts!r}.")
    for part in parts:
        if not (isinstance(part, (tuple, list)) and len(part) == 3 and isinstance(part[0], str)):
            raise TypeError(f"Each of transformers should be a (name, transformer, columns) tuple with a str name; "
                            f"got {part!r}.")
    names = [name for name, _, _ in parts]
    if len(set(names)) != len(names):
        raise ValueError(f"Names in transformers should be unique; got {names}.")
    for name, trans, _ in parts:
        if "__" in name or name in _OWN:
            raise ValueError(f"Name {name!r} in transformers should not contain '__' nor be one of {list(_OWN)}.")
        if trans not in (DROP, PASSTHROUGH) and not _transforms(trans):
            raise TypeError(f"Transformer {name!r} should implement fit and transform, or be 'drop' or "
                            f"'passthrough'; got {trans!r} ({type(trans).__name__}).")
    weights = ct.transformer_weights or {}
    unknown = sorted(set(weights) - set(names))
    if unknown:
        raise ValueError(f"transformer_weights has weights for {unknown}, which are not among the transformers' "
                         f"names {names}.")
    for name, weight in weights.items():
        if not isinstance(weight, numbers.Real) or isinstance(weight, bool) or not weight - weight == 0:
            raise TypeError(f"transformer_weights[{name!r}] should be a finite number; got {weight!r}.")
    form = ct.verbose_feature_names_out
    if isinstance(form, str):
        try:
            form.format(transformer_name="t", feature_name="f")
        except (KeyError, IndexError, ValueError):
            raise ValueError(f"verbose_feature_names_out={form!r} should be a format string whose fields are "
                             f"{{transformer_name}} and {{feature_name}}.") from None


def check_remainder(remainder: Any) -> None:
    if isinstance(remainder, str) and remainder not in (DROP, PASSTHROUGH):
        raise ValueError(f"remainder={remainder!r} should be 'drop', 'passthrough' or an estimator with fit and "
                         f"transform.")
    if not isinstance(remainder, str) and not _transforms(remainder):
        raise TypeError(f"remainder should be 'drop', 'passthrough' or an estimator with fit and transform; got "
                        f"{remainder!r} ({type(remainder).__name__}).")


def as_table(X: Any) -> Any:
    """X as the parts read it: a DataFrame, a scipy.sparse matrix or an array of any library as it is (another
    library's sparse matrix as scipy's, a list as a numpy array, of objects where it mixes strings and numbers);
    refused unless 2-D with at least one sample."""
    if frame_library(X) is not None and not hasattr(X, "columns"):
        raise ValueError(f"X should be a 2-D array of shape (n_samples, n_features); got a 1-D array (a "
                         f"{type(X).__name__}). Pass a DataFrame of one column instead.")
    if native_sparse(X) is not None:
        X = host_sparse(X)
    elif frame_library(X) is None and not is_scipy_sparse(X) and library_of(X) is None:
        check_dense(X, "X")
        rows = X
        X = as_host(X, "X")
        if X.dtype.kind in "US" and X.ndim == 2:  # a list of rows with strings: each column keeps its type
            X = host_table(host_columns(rows, "X"))
    dtype = getattr(X, "dtype", None)
    if dtype is not None and "complex" in str(dtype):
        raise ValueError(f"Complex data not supported: X should contain real numbers; got dtype {dtype}.")
    shape = tuple(X.shape)
    if len(shape) != 2:
        hint = (" Reshape your data with X.reshape(-1, 1) if it has a single feature, or X.reshape(1, -1) if it is a "
                "single sample." if len(shape) == 1 else "")
        raise ValueError(f"X should be a 2-D array of shape (n_samples, n_features); got a {len(shape)}-D array of "
                         f"shape {shape}.{hint}")
    for axis, what in ((0, "sample"), (1, "feature")):
        if shape[axis] < 1:
            raise ValueError(f"X has 0 {what}(s) (shape={shape}) while a minimum of 1 is required.")
    return X


def check_columns(ct: Any, X: Any) -> bool:
    """At transform: X against the fit; whether its columns are read by name (a DataFrame after a fit on one,
    which may hold other columns too, in any order, but needs every column a part that is not "drop" read)."""
    if "feature_names_in_" in vars(ct) and is_frame(X):
        needed = list(dict.fromkeys(ct.feature_names_in_[j] for name, trans, _ in ct.transformers_ if trans != DROP
                                    for j in ct._input_indices[name]))
        present = set(X.columns)
        missing = [column for column in needed if column not in present]
        if missing:
            raise ValueError(f"X is missing the columns {missing}: columns are missing that ColumnTransformer was "
                             f"fitted on; X should have the columns {needed}.")
        return True
    check_n_features(ct, X.shape[1])
    check_feature_names(ct, X, reset=False)
    return False


def n_samples_of(X: Any) -> int:
    return int(X.shape[0])


def resolve_columns(ct: Any, X: Any) -> tuple[list, dict, dict, list]:
    """At fit: (each part's columns, callables called on X; {name: positions}, "remainder" included;
    {name: whether one column is given as a scalar}; the remainder's columns, of the kind the parts' keys share:
    names, a mask, or positions). Records X's column names (`feature_names_in_`)."""
    check_feature_names(ct, X, reset=True)
    names = list(X.columns) if is_frame(X) else None
    n_features = X.shape[1]
    columns, indices, scalar, kinds = [], {}, {}, set()
    for name, _, key in ct.transformers:
        who = f"transformer {name!r}"
        kinds.add("int" if callable(key) else key_kind(key, who))
        if callable(key):
            key = key(X)
        indices[name], scalar[name] = column_indices(key, n_features=n_features, names=names, who=who)
        columns.append(key)
    used = {j for positions in indices.values() for j in positions}
    remaining = [j for j in range(n_features) if j not in used]
    indices["remainder"] = remaining
    if kinds == {"str"}:
        remainder_columns = [names[j] for j in remaining]
    elif kinds == {"bool"}:
        remainder_columns = [j not in used for j in range(n_features)]
    else:
        remainder_columns = remaining
    return columns, indices, scalar, remainder_columns


def _readable(part: Any, X: Any) -> Any:
    """X as a part reads it: a transformer of another library than xpml (scikit-learn's) reads numpy arrays, so
    an array of another library goes to the host for it; xpml's take any library's."""
    if isinstance(part, BaseEstimator) or library_of(X) in (None, "numpy"):
        return X
    return to_numpy(X)


def fit_part(part: Any, X: Any, y: Any) -> Any:
    """Fit a part on its columns and return its output."""
    X = _readable(part, X)
    if hasattr(part, "fit_transform"):
        return part.fit_transform(X, y)
    return part.fit(X, y).transform(X)


def transform_part(part: Any, X: Any) -> Any:
    return part.transform(_readable(part, X))


def passthrough(X: Any, backend: Any, library: str) -> Any:
    """A "passthrough" part's output: its columns as they are, 2-D (one column given as a scalar becomes a
    column); they are read into the backend with the other outputs (`_stack.as_block`)."""
    if len(X.shape) == 2:
        return X
    if hasattr(X, "to_frame"):  # a pandas or polars Series
        return X.to_frame()
    return X.reshape(-1, 1) if library_of(X) in (None, "numpy") else backend.xp.reshape(X, (-1, 1))


def set_part_output(part: Any, transform: str | None, *, strict: bool = True) -> Any:
    """`part.set_output(transform=...)`; a transformer without set_output is refused where `strict`. Returns part."""
    if transform is None or isinstance(part, str):
        return part
    if hasattr(part, "set_output"):
        part.set_output(transform=transform)
    elif strict:
        raise ValueError(f"Unable to configure output for {type(part).__name__} because `set_output` is not "
                         f"available.")
    return part


def feature_names_out(ct: Any, input_features: Any = None) -> Any:
    """The names of the output columns: each part's names for its columns' names, prefixed by
    `verbose_feature_names_out` (True: "<part>__<feature>"; False: unprefixed, which must then be unique)."""
    check_is_fitted(ct)
    names_in = check_feature_names_in(ct, input_features)
    pairs = []
    for name, trans, _ in ct.transformers_:
        positions = ct._input_indices[name]
        if trans == DROP or not positions:
            continue
        given = names_in[positions]
        if trans == PASSTHROUGH:
            out = given
        elif hasattr(trans, "get_feature_names_out"):
            out = trans.get_feature_names_out(given)
        else:
            raise AttributeError(f"Transformer {name} (type {type(trans).__name__}) does not provide "
                                 f"get_feature_names_out.")
        pairs.append((name, [str(feature) for feature in as_host(out).reshape(-1).tolist()]))
    form = ct.verbose_feature_names_out
    if isinstance(form, str):
        names = [form.format(transformer_name=name, feature_name=f) for name, out in pairs for f in out]
    elif callable(form):
        names = [form(name, f) for name, out in pairs for f in out]
    elif form:
        names = [f"{name}__{f}" for name, out in pairs for f in out]
    else:
        names = [f for _, out in pairs for f in out]
        repeated = sorted(f for f, count in Counter(names).items() if count > 1)
        if repeated:
            shown = repeated if len(repeated) <= 5 else [*repeated[:5], "..."]
            raise ValueError(f"Output feature names: {shown} are not unique. Please set "
                             f"verbose_feature_names_out=True to add prefixes to feature names.")
    return host_array(names, "object")
