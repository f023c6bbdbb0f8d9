"""Lazy backends (dask): computing the state an iteration keeps, and reading values on the host, in one pass.

On an eager backend both helpers give back what they get. On a lazy one, arrays are task graphs:
state carried from one iteration to the next must be computed once per iteration (else each graph
holds all the iterations before it, and reading a convergence test recomputes them all), and the
values an iteration reads on the host should be read together, with one compute. Algorithms call
these two helpers and stay one code for every backend.
"""

from __future__ import annotations

from typing import Any

from .._backend import Backend, backend_of, capability, library_of, to_backend, to_numpy

__all__ = ["after_checks", "align_rows", "encode_lazily", "host_copy", "is_lazy", "map_chunks", "map_rows", "maps_rows",
           "materialize", "read_values"]


def is_lazy(backend: Backend) -> bool:
    """Whether the backend's arrays are task graphs computed when read (dask)."""
    return bool(capability(backend, "lazy"))


def materialize(backend: Backend, *arrays: Any) -> tuple:
    """The arrays computed (together, in one pass) where the backend is lazy; as they are elsewhere."""
    compute = capability(backend, "materialize")
    return arrays if compute is None else compute(*arrays)


def read_values(backend: Backend, *arrays: Any) -> tuple:
    """Host (numpy) values of several arrays of the backend, computed together where it is lazy."""
    read = capability(backend, "read")
    return tuple(to_numpy(a) for a in arrays) if read is None else read(*arrays)


def after_checks(backend: Backend, X: Any) -> Any:
    """X for the passes of an iterative fit after a first pass that read all of it: on a lazy backend, whose input
    checks run in each pass that reads the data (`check_array`), X without them, since that pass has run them;
    X as it is elsewhere."""
    unchecked = capability(backend, "unchecked")
    return X if unchecked is None else unchecked(X)


def align_rows(backend: Backend, a: Any, like: Any) -> Any:
    """`a` laid out in the chunks of rows of `like` where the backend has chunks (dask), so that row-wise
    products of the two meet chunk by chunk; `a` as it is elsewhere."""
    align = capability(backend, "align_rows")
    return a if align is None or library_of(a) != backend.name else align(a, like)


def maps_rows(backend: Backend) -> bool:
    """Whether the backend applies functions to its chunks of rows lazily (capability "map_rows": dask)."""
    return capability(backend, "map_rows") is not None


def map_chunks(backend: Backend, fn: Any, a: Any, dtype: Any) -> Any:
    """fn, a host function (numpy in, numpy out of the same shape: a lookup in a table of classes, say), applied
    to `a`: to each of its chunks, lazily, where it is an array of a lazy backend (dask), returning an array of
    the backend of `dtype`; to its host (numpy) values elsewhere, returning numpy."""
    mapped = capability(backend, "map_chunks")
    if mapped is not None and library_of(a) == backend.name:
        return mapped(fn, a, dtype)
    return fn(to_numpy(a))


def host_copy(estimator: Any) -> Any:
    """A shallow copy of a fitted estimator whose arrays are on the host (numpy), to run on one chunk of rows.

    Its arrays are computed whole: for estimators that keep their training data (k nearest neighbours),
    the training set must fit in a worker's memory; the queries never need to.
    """
    import copy

    twin = copy.copy(estimator)
    backend = vars(estimator)["_backend"]
    for name, value in vars(estimator).items():
        if library_of(value) == backend.name:
            setattr(twin, name, to_numpy(value))
    twin._backend = backend_of(to_numpy(twin._xp.zeros(1)))  # the host's backend, found without naming it
    return twin


def map_rows(estimator: Any, method: str, X: Any, width: int | None, dtype: Any, *, sparse: bool = False) -> Any:
    """`estimator.<method>` applied to each chunk of rows of X (an array of its lazy backend), lazily.

    Returns an array of the backend, (n, width), or (n,) where width is None, of `dtype`. With `sparse`, the
    method returns scipy.sparse matrices, which stay the chunks (computed, they are one scipy.sparse matrix).
    """
    twin = host_copy(estimator)
    run = getattr(twin, method)
    mapped = capability(estimator._backend, "map_rows")
    if sparse:
        return mapped(run, X, width, dtype, sparse=True)
    return mapped(lambda chunk: to_numpy(run(chunk)), X, width, dtype)


def encode_lazily(backend: Backend, ys: list, labels: Any, dtype: Any, *, whole: bool, names: tuple) -> tuple:
    """Label arrays of a lazy backend encoded against their classes: (classes, codes, n_present).

    The sorted labels present come to the host in one pass (and, if `whole`, must be whole numbers);
    the classes are `labels` (host, in their order) then the other labels present, as a small array of
    the backend of `dtype`; each array's codes (indices into the classes) are found lazily, by chunk.
    """
    import numpy as np

    xp = backend.xp
    present = capability(backend, "encode_labels")(xp.concat(ys))[0]  # (n_present,) sorted, on the host
    if whole and not (np.all(np.isfinite(present)) and np.all(present == np.round(present))):
        raise ValueError(f"{' or '.join(names)} holds continuous values (or NaN); classification metrics need "
                         f"class labels. Threshold scores first, or use a regression metric.")
    classes = present
    if labels is not None:
        asked = np.asarray(labels).reshape(-1).astype(present.dtype)
        if len(np.unique(asked)) != len(asked):
            raise ValueError(f"labels should be unique; got {np.asarray(labels).tolist()}.")
        classes = np.concatenate([asked, present[~np.isin(present, asked)]])
    order = np.argsort(classes, kind="stable")  # (k,)
    sorted_classes = xp.astype(to_backend(classes[order], backend), dtype)  # (k,)
    order = xp.astype(to_backend(order, backend), backend.int_dtype)
    codes = tuple(xp.take(order, xp.searchsorted(sorted_classes, y)) for y in ys)
    return xp.astype(to_backend(classes, backend), dtype), codes, len(present)
