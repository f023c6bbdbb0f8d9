"""Input validation: the one path every estimator's data goes through on its way to the backend.

`check_array` turns a list, a numpy array, an array of any library or a pandas or polars DataFrame
into an array of the estimator's backend, on its device, with a floating dtype, after checking that it is numeric,
finite and of the expected shape. `check_target` does the same for a numeric y, `check_labels`
for a classifier's labels of any type, and `check_sample_weight` for weights.

A DataFrame's column names are checked by `_feature_names.check_feature_names`.

Every message names the argument, the value it got and what was expected (API.md section 4).
"""

from __future__ import annotations

import functools
import numbers
from typing import Any

import numpy as np

from .._backend import (
    Backend,
    capability,
    dtype_name,
    float_dtype_for,
    is_host_input,
    library_of,
    to_backend,
    to_numpy,
)
from ..exceptions import data_conversion_warning
from ._csr import is_csr
from ._frames import frame_library, frame_to_numpy
from ._sparse_input import check_sparse, densify, is_scipy_sparse, native_sparse
from ._values import check_values, square_limit
from ._warnings import warn

__all__ = ["check_array", "check_consistent_length", "check_dense", "check_labels", "check_sample_weight",
           "check_target", "read_host"]

_NUMERIC = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
            "float16", "bfloat16", "float32", "float64")


def check_dense(X: Any, name: str = "X") -> None:
    """Refuse, before any conversion could hide it, a scipy.sparse matrix where a step reads X on the host
    (TypeError; scipy is never imported to find one) and complex numbers (ValueError)."""
    if type(X).__module__.startswith("scipy.sparse"):
        raise TypeError(
            f"{name} is a sparse matrix ({type(X).__name__}); sparse input is not supported here: this step takes "
            f"dense arrays. Convert it with {name}.toarray() if it fits in memory."
        )
    dtype = getattr(X, "dtype", None)
    if dtype is not None and "complex" in str(dtype):
        raise ValueError(f"Complex data not supported: {name} should contain real numbers; got dtype {dtype}.")


def read_host(X: Any, name: str = "X") -> np.ndarray:
    """np.asarray(X), with a message that names `name` where X is no array: a ragged nested list (rows
    of different lengths), or objects numpy cannot hold."""
    try:
        return np.asarray(X)
    except (ValueError, TypeError) as exc:
        if "inhomogeneous" in str(exc) or "sequence" in str(exc):
            raise ValueError(f"{name} should be a rectangular array; its rows have different lengths "
                             f"(a ragged nested list).") from None
        raise TypeError(f"{name} could not be read as an array of {type(X).__name__}.") from None


def _as_host_array(X: Any, name: str) -> np.ndarray:
    """A list, tuple, DataFrame or scalar as a numpy array; strings and other objects are refused."""
    if frame_library(X) is not None:
        X = frame_to_numpy(X)
    check_dense(X, name)
    arr = read_host(X, name)
    if arr.dtype.kind in "USV":
        raise TypeError(
            f"{name} should contain numbers; got strings such as {arr.flat[0].item()!r} (dtype {arr.dtype.str}). "
            f"Encode categories first (xpml.preprocessing.OneHotEncoder or LabelEncoder)."
        ) if arr.size else TypeError(f"{name} should contain numbers; got dtype {arr.dtype.str}.")
    if arr.dtype.kind == "O":
        try:
            arr = arr.astype(np.float64)
        except (ValueError, TypeError) as exc:
            bad = next((v for v in arr.flat if not isinstance(v, (int, float, bool, np.number))), arr.flat[0])
            raise TypeError(
                f"{name} should contain numbers; got an array of Python objects such as {bad!r} ({exc}). "
                f"Encode categories first (xpml.preprocessing.OneHotEncoder)."
            ) from None
    return arr


def _shape_str(shape: tuple) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def check_array(
    X: Any,
    backend: Backend,
    *,
    name: str = "X",
    dtype: str | None = None,
    ndim: int = 2,
    ensure_finite: bool | str = True,
    min_samples: int = 1,
    squared: str | None = None,
    accept_sparse: bool = False,
) -> Any:
    """Validate `X` and move it to `backend`.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        A list, a numpy array, or an array of any supported library.
    backend : Backend
        Where the result goes.
    name : str
        The argument's name, for messages.
    dtype : {"float32", "float64"}, optional
        The floating dtype wanted; by default the dtype policy of `float_dtype_for`.
    ndim : {1, 2}
        The number of dimensions wanted.
    ensure_finite : bool or "allow-nan"
        Refuse NaN and infinity; with "allow-nan", infinity alone (NaN marks a missing value).
    min_samples : int
        The fewest samples accepted.
    squared : str, optional
        The estimator's name, where it computes squares of X (distances, Gram matrices, variances):
        values so large that those overflow (about 1e150 in float64) are refused, naming it.

    Returns
    -------
    X : array of `backend`, floating, of shape (n_samples, n_features) (or (n_samples,) when ndim=1)
        A `CSR` for sparse input, with `accept_sparse`.
    """
    native = None if is_scipy_sparse(X) or is_csr(X) else native_sparse(X)  # a torch, jax or cupyx sparse matrix
    if native is not None and not accept_sparse:
        X = densify(native, name)
    elif is_scipy_sparse(X) or is_csr(X) or native is not None:
        if is_csr(X) and not accept_sparse:
            X = X.toarray()
        elif accept_sparse:
            return check_sparse(X, backend, name=name, dtype=dtype, ndim=ndim, ensure_finite=ensure_finite,
                                min_samples=min_samples, squared=squared)
        else:
            X = densify(X, name)
    if is_host_input(X):
        X = _as_host_array(X, name)
    source = dtype_name(X)
    if source.startswith("complex"):
        raise ValueError(f"Complex data not supported: {name} should contain real numbers; got dtype {source}.")
    if source not in _NUMERIC:
        raise TypeError(
            f"{name} should contain numbers; got dtype {source}. "
            f"Encode strings first (xpml.preprocessing.OneHotEncoder or LabelEncoder)."
        )
    shape = tuple(X.shape)
    if len(shape) != ndim:
        hint = ""
        if ndim == 2 and len(shape) == 1:
            hint = (" Reshape your data with X.reshape(-1, 1) if it has a single feature,"
                    " or X.reshape(1, -1) if it is a single sample.")
        what = "a scalar" if len(shape) == 0 else f"a {len(shape)}-D array of shape {_shape_str(shape)}"
        layout = "(n_samples, n_features)" if ndim == 2 else "(n_samples,)"
        raise ValueError(f"{name} should be a {ndim}-D array of shape {layout}; got {what}.{hint}")
    if shape[0] < min_samples:
        raise ValueError(
            f"{name} has {shape[0]} sample(s) (shape={_shape_str(shape)}) while a minimum of {min_samples} is required."
        )
    if ndim == 2 and shape[1] == 0:
        raise ValueError(f"{name} has 0 feature(s) (shape={_shape_str(shape)}) while a minimum of 1 is required.")

    X = to_backend(X, backend, dtype=float_dtype_for(source, backend, dtype))
    if not ensure_finite and squared is None:
        return X
    limit = square_limit(X, *shape) if squared is not None else None
    check = functools.partial(check_values, name=name, ensure_finite=ensure_finite, squared=squared, limit=limit)
    check_chunks = capability(backend, "check_chunks")
    if check_chunks is not None:  # lazy (dask): each chunk checked when it is computed, in the pass that reads it
        return check_chunks(X, check)
    check(X)
    return X


def _n_samples(a: Any) -> int:
    if hasattr(a, "shape") and len(a.shape) > 0:
        return a.shape[0]
    if hasattr(a, "__len__"):
        return len(a)
    shape = np.asarray(a).shape  # objects that only offer __array__
    if not shape:
        raise TypeError(f"expected an array of samples; got a scalar {a!r}.")
    return shape[0]


def check_consistent_length(**arrays: Any) -> None:
    """Raise ValueError unless every given array has the same number of samples.

    >>> check_consistent_length(X=[[1], [2]], y=[1, 2, 3])
    Traceback (most recent call last):
    ...
    ValueError: X and y have different numbers of samples: X has 2, y has 3.
    """
    lengths = {name: _n_samples(a) for name, a in arrays.items() if a is not None}
    if len(set(lengths.values())) > 1:
        names = list(lengths)
        joined = ", ".join(names[:-1]) + " and " + names[-1]
        detail = ", ".join(f"{n} has {lengths[n]}" for n in names)
        raise ValueError(f"{joined} have different numbers of samples: {detail}.")


def _warn_column(y: Any) -> None:
    warn(
        f"A column-vector y was passed when a 1d array was expected: y has shape {_shape_str(tuple(y.shape))}. "
        f"Change its shape to (n_samples,), for example with y.ravel() or y[:, 0].",
        data_conversion_warning(),
    )


def check_target(y: Any, backend: Backend, *, n_samples: int, dtype: str, multi_output: bool = True) -> Any:
    """A numeric regression target: (n_samples,) or, if `multi_output`, (n_samples, n_targets)."""
    if is_host_input(y):
        y = _as_host_array(y, "y")
    if not multi_output and len(y.shape) == 2 and y.shape[1] == 1:
        _warn_column(y)
        y = y[:, 0]
    ndim = len(y.shape)
    if ndim not in ((1, 2) if multi_output else (1,)):
        layout = "(n_samples,) or (n_samples, n_targets)" if multi_output else "(n_samples,)"
        raise ValueError(f"y should have shape {layout}; got shape {_shape_str(tuple(y.shape))}.")
    check_consistent_length(X=range(n_samples), y=y)
    return check_array(y, backend, name="y", dtype=dtype, ndim=ndim)


def check_labels(y: Any, *, n_samples: int, min_classes: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """A classifier's labels, of any type, as (classes, indices) on the host.

    Returns the sorted unique labels `classes` and, for each sample, the index of its label in
    `classes`, so that `classes[indices]` gives `y` back.
    """
    y = to_numpy(y) if library_of(y) is not None else frame_to_numpy(y) if frame_library(y) else np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        _warn_column(y)
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"y should be a 1-D array of labels of shape (n_samples,); got shape {_shape_str(y.shape)}.")
    check_consistent_length(X=range(n_samples), y=y)
    if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
        raise ValueError("y contains NaN or infinity; labels should be finite.")
    if y.dtype.kind == "f" and np.any(y != np.floor(y)):  # a regression target, not classes
        value = y[y != np.floor(y)][0].item()
        raise ValueError(
            f"Unknown label type: continuous. y holds non-integer values such as {value!r}; a classifier needs "
            f"discrete class labels. Use a regressor for a continuous target."
        )
    if y.dtype.kind == "O":
        kinds = {type(v) for v in y}
        if len(kinds) > 1:
            raise TypeError(f"y should hold labels of one type; got a mix of {sorted(k.__name__ for k in kinds)}.")
    classes, indices = np.unique(y, return_inverse=True)
    if len(classes) < min_classes:
        raise ValueError(
            f"y has {len(classes)} class(es) ({classes.tolist()}); a classifier needs at least {min_classes}."
        )
    return classes, indices.reshape(-1)


def check_sample_weight(sample_weight: Any, backend: Backend, *, n_samples: int, dtype: str,
                        allow_negative: bool = False) -> Any:
    """Weights of shape (n_samples,), non-negative (unless `allow_negative`: DBSCAN's) and not all zero; None gives
    all ones."""
    xp = backend.xp
    if sample_weight is None:
        return xp.ones(n_samples, dtype=getattr(xp, dtype), device=backend.device)
    if isinstance(sample_weight, numbers.Real) and not isinstance(sample_weight, bool):
        sample_weight = np.full(n_samples, float(sample_weight))  # one number for every sample, checked as such
    w = check_array(sample_weight, backend, name="sample_weight", dtype=dtype, ndim=1)
    check_consistent_length(X=range(n_samples), sample_weight=w)
    if allow_negative:
        if not bool(xp.any(w != 0)):
            raise ValueError("sample_weight should have at least one non-zero weight; got all zeros.")
        return w
    if bool(xp.any(w < 0)):
        raise ValueError("sample_weight should be >= 0; got negative weights.")
    if not bool(xp.any(w > 0)):
        raise ValueError("sample_weight should have at least one positive weight; got all zeros.")
    return w


def check_n_features(estimator: Any, n_features: int) -> None:
    """Refuse data of another number of features than the fit's (`n_features_in_`), naming both."""
    if n_features != estimator.n_features_in_:
        raise ValueError(f"X has {n_features} features, but {type(estimator).__name__} is expecting "
                         f"{estimator.n_features_in_} features as input (n_features_in_={estimator.n_features_in_}).")
