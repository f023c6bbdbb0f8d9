"""What the metrics share: choosing the namespace of their inputs and moving them there."""

from __future__ import annotations

from typing import Any

from .._backend import Backend, backend_of, library_of, to_backend, to_numpy
from ..utils.validation import check_consistent_length

__all__ = ["prepare_numeric", "weighted_mean"]


def metric_backend(*arrays: Any) -> Backend:
    """The backend a metric computes on: that of the first argument that is an array of some library."""
    for a in arrays:
        if library_of(a) is not None:
            return backend_of(a)
    return backend_of(None)


def prepare_numeric(y_true: Any, y_pred: Any, sample_weight: Any = None):
    """y_true, y_pred (and weights) as floating arrays of one backend, with matching shapes.

    Returns (xp, y_true, y_pred, sample_weight or None); 1-D targets become (n_samples, 1).
    """
    check_consistent_length(y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
    backend = metric_backend(y_pred, y_true)
    dtype = "float64" if backend.has_float64 else "float32"
    arrays = []
    for name, a in (("y_true", y_true), ("y_pred", y_pred)):
        a = to_backend(a if library_of(a) is not None else to_numpy(a).astype("float64"), backend, dtype=dtype)
        if a.ndim == 1:
            a = backend.xp.reshape(a, (-1, 1))
        if a.ndim != 2:
            raise ValueError(f"{name} should have shape (n_samples,) or (n_samples, n_outputs); got {tuple(a.shape)}.")
        arrays.append(a)
    if arrays[0].shape != arrays[1].shape:
        raise ValueError(
            f"y_true and y_pred should have the same shape; got {tuple(arrays[0].shape)} and {tuple(arrays[1].shape)}."
        )
    w = None
    if sample_weight is not None:
        w = to_backend(to_numpy(sample_weight).astype("float64"), backend, dtype=dtype)
    return backend.xp, arrays[0], arrays[1], w


def weighted_mean(xp, values, w, axis=0):
    """The mean of `values` along `axis`, weighted by `w` (None: unweighted)."""
    if w is None:
        return xp.mean(values, axis=axis)
    w = xp.reshape(w, (-1,) + (1,) * (values.ndim - 1))
    return xp.sum(values * w, axis=axis) / xp.sum(w)
