"""Learning from a stream of chunks on a lazy backend (dask): `partial_fit` chunk by chunk, `fit` as epochs of it.

SGD (`SGDClassifier`, `SGDRegressor`, `Perceptron`) and the multi-layer perceptrons learn from a
stream. On dask, their `partial_fit(X, y)` visits X's chunks of rows in order. Each chunk, with its
rows of y and sample_weight, is computed once (one compute) and handed to `partial_fit` of the
estimator's *twin*: the same estimator on the chunks' own backend (numpy; cupy for "dask:cupy"),
which keeps the training state (weights, step count, optimizer moments) between chunks and between
calls. The estimator's fitted attributes are the twin's, as arrays of the lazy backend. So
`partial_fit` on dask over chunks C₁, ..., Cₘ gives exactly what numpy's `partial_fit` called on
C₁, ..., Cₘ in turn gives. One chunk is in memory at a time; the data are never gathered.

`fit` on dask runs epochs of that stream, from a fresh twin (with warm_start, the previous one).
It differs from `fit` on numpy, whose every epoch shuffles all the samples: here an epoch visits
the chunks in their order and shuffles (shuffle=True) within each chunk only, as `partial_fit`
does, so that each epoch reads each chunk once, in order. It stops by numpy's rule on the
epoch's mean training loss: after `n_iter_no_change` epochs that do not bring it `tol` below its
best (tol=None: after max_iter epochs). The loss is measured on each chunk while it is in memory
(the MLP's own `loss_` for the chunk; for SGD the objective at the weights the chunk leaves), so
stopping costs no extra pass. Not on dask: early_stopping (a held-out set) and coef_init.

`n_iter_` counts the epochs, `loss_curve_` (MLP) holds one mean loss per epoch.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .._backend import capability, library_of, resolve_backend, to_backend
from ..exceptions import ConvergenceWarning
from ._lazy import is_lazy
from ._warnings import warn

__all__ = ["reported_loss", "stream", "streams"]


def reported_loss(model: Any, X: Any, y: Any, sample_weight: Any) -> float:
    """A chunk's loss as the model reports it after its partial_fit (`loss_`: the MLPs' mean over its batches)."""
    return float(model.loss_)


def streams(estimator: Any, method: str) -> bool:
    """Whether `estimator.<method>` ("fit", "partial_fit") runs as a stream of chunks: its backend is lazy."""
    backend = vars(estimator).get("_backend") if method.endswith("partial_fit") else None
    if backend is None:
        backend = resolve_backend(getattr(estimator, "backend", None))
    return is_lazy(backend)


def stream(estimator: Any, method: Callable, args: tuple, kwargs: dict) -> Any:
    """Run `method` (the estimator's fit or partial_fit, called with args and kwargs) as a stream of chunks."""
    given = inspect.signature(method).bind(estimator, *args, **kwargs).arguments
    try:
        estimator.partial_fit  # noqa: B018 (a property that refuses some settings: the MLPs' L-BFGS)
    except AttributeError as error:
        raise ValueError(f"{type(estimator).__name__} cannot fit on a lazy backend (dask) with these settings: on "
                         f"dask it learns from a stream of chunks, through partial_fit, and {error}") from None
    for name in ("coef_init", "intercept_init"):
        if given.get(name) is not None:
            raise ValueError(f"{name} is not available when {type(estimator).__name__} fits on a lazy backend "
                             f"(dask); fit without it, or start with partial_fit on a first chunk.")
    partial = method.__name__.endswith("partial_fit")
    if not partial and estimator.early_stopping:
        raise ValueError(f"early_stopping=True is not available when {type(estimator).__name__} fits on a lazy "
                         f"backend (dask): it would hold out a validation set in memory. Set early_stopping=False, "
                         f"or hold out a set yourself and score it after each partial_fit.")
    X, y, sample_weight = given["X"], given["y"], given.get("sample_weight")
    from .validation import check_consistent_length

    check_consistent_length(X=X, y=y)
    twin = vars(estimator).get("_stream_twin")
    if twin is not None and is_lazy(twin._fitted_backend):  # a model file loaded onto dask moved the twin there too
        twin = _on_chunk_backend(twin, estimator._backend)
    fresh = twin is None or not (partial or estimator.warm_start)
    X = estimator._validate_X(X, reset=fresh)  # on the lazy backend: checked and chunked, never gathered
    backend = estimator._backend
    if fresh:
        twin = _new_twin(estimator, backend)
    options = {"classes": given.get("classes")} if "classes" in inspect.signature(twin.partial_fit).parameters else {}
    if not partial and "classes" in options:  # fit: every label, in one pass over y
        options["classes"] = _labels(backend, y)
    chunks = capability(backend, "row_chunks")(X)
    if partial:
        _epoch(backend, twin, chunks, y, sample_weight, options)
        _adopt(estimator, twin)
        return estimator
    losses = _epochs(estimator, backend, twin, chunks, y, sample_weight, options)
    _adopt(estimator, twin)
    estimator.n_iter_ = len(losses)
    if hasattr(twin, "loss_curve_"):
        estimator.loss_curve_, estimator.loss_ = losses, losses[-1]
    return estimator


def _new_twin(estimator: Any, backend: Any) -> Any:
    """The estimator, unfitted, on the backend of the lazy backend's chunks."""
    from ..base import clone

    twin = clone(estimator)
    twin.set_params(backend=capability(backend, "chunk_backend")(), dtype=estimator._dtype)
    return twin


def _on_chunk_backend(twin: Any, backend: Any) -> Any:
    """The fitted twin moved to the backend of `backend`'s chunks, through a model file (`xpml.io`)."""
    import os
    import tempfile

    from ..io import load, save

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "twin.xpml")
        save(twin, path)
        return load(path, backend=capability(backend, "chunk_backend")())


def _labels(backend: Any, y: Any) -> np.ndarray:
    """The sorted labels of y (host numpy), from one pass where y is lazy."""
    if library_of(y) == backend.name:
        return capability(backend, "encode_labels")(y)[0]
    return np.unique(np.asarray(y))


def _rows(backend: Any, a: Any, start: int, stop: int) -> Any:
    """Rows start:stop of `a`: lazy where `a` is of the lazy backend, on the host otherwise."""
    if a is None or library_of(a) == backend.name:
        return None if a is None else a[start:stop]
    return np.asarray(a)[start:stop]


def _epoch(backend: Any, twin: Any, chunks: list, y: Any, sample_weight: Any, options: dict,
           chunk_loss: Callable | None = None) -> float:
    """One pass: twin.partial_fit on each chunk in order, each computed once. Returns the mean chunk loss."""
    compute = capability(backend, "compute_chunks")
    total, seen = 0.0, 0
    for start, stop, block in chunks:
        parts = [block, _rows(backend, y, start, stop), _rows(backend, sample_weight, start, stop)]
        lazy = [i for i, part in enumerate(parts) if library_of(part) == backend.name]
        for i, value in zip(lazy, compute(*(parts[i] for i in lazy))):
            parts[i] = value
        Xb, yb, wb = parts  # (m, p), (m,) or (m, k), (m,) or None
        twin.partial_fit(Xb, yb, **options, **({} if wb is None else {"sample_weight": wb}))
        options = {k: v for k, v in options.items() if k != "classes"} if "classes" in options else options
        if chunk_loss is not None:
            total, seen = total + chunk_loss(twin, Xb, yb, wb) * (stop - start), seen + (stop - start)
    return total / max(seen, 1)


def _epochs(estimator: Any, backend: Any, twin: Any, chunks: list, y: Any, sample_weight: Any,
            options: dict) -> list:
    """Epochs of the stream until the mean loss stops improving by tol (n_iter_no_change times); their losses."""
    chunk_loss = estimator._chunk_loss
    tol, patience, best, stalled, losses = estimator.tol, estimator.n_iter_no_change, math.inf, 0, []
    for _ in range(estimator.max_iter):
        loss = _epoch(backend, twin, chunks, y, sample_weight, options, chunk_loss)
        options = {k: v for k, v in options.items() if k != "classes"} if "classes" in options else options
        if not math.isfinite(loss):
            raise ValueError(f"{type(estimator).__name__} diverged on dask: the training loss is {loss}. "
                             f"Use a smaller learning rate.")
        losses.append(loss)
        if estimator.verbose:
            print(f"Epoch {len(losses)}, mean loss over the chunks: {loss:.6g}")
        if tol is None:
            continue
        stalled = stalled + 1 if loss > best - tol else 0
        best = min(best, loss)
        if stalled >= patience:
            return losses
    if tol is not None:
        warn(f"{type(estimator).__name__} reached max_iter={estimator.max_iter} epochs on dask before the mean "
             f"training loss stopped improving by tol={tol}. Increase max_iter, or raise tol.", ConvergenceWarning)
    return losses


def _adopt(estimator: Any, twin: Any) -> None:
    """The twin's fitted attributes, as arrays of the estimator's (lazy) backend; the twin kept for the next call."""
    backend = estimator._backend
    skip = {"n_features_in_", "feature_names_in_", *estimator._host_attributes}
    for name, value in vars(twin).items():
        if not name.endswith("_") or name.startswith("_") or name in skip:
            if name in estimator._host_attributes:
                setattr(estimator, name, value)
            continue
        if isinstance(value, list) and value and library_of(value[0]) is not None:
            value = [_copied(twin, v, backend) for v in value]  # coefs_, intercepts_
        elif library_of(value) is not None:
            value = _copied(twin, value, backend)
        setattr(estimator, name, value)
    estimator._stream_twin = twin


def _copied(twin: Any, value: Any, backend: Any) -> Any:
    """A copy of the twin's array on the lazy backend (a copy: the twin may update its own arrays in place)."""
    return to_backend(twin._xp.asarray(value, copy=True), backend)
