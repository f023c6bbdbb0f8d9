"""Classification metrics. Labels may be of any type: numbers are compared on the backend of the
inputs, other labels (strings) on the host."""

from __future__ import annotations

from typing import Any

from .._backend import dtype_name, library_of, to_backend, to_numpy
from ..utils.validation import check_consistent_length
from ._common import metric_backend, weighted_mean

__all__ = ["accuracy_score"]


def _labels_1d(y: Any, name: str):
    if library_of(y) is None:
        y = to_numpy(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{name} should be a 1-D array of labels; got shape {tuple(y.shape)}.")
    return y


def _numeric(y: Any) -> bool:
    return library_of(y) not in (None, "numpy") or to_numpy(y).dtype.kind in "biuf"


def accuracy_score(y_true: Any, y_pred: Any, *, normalize: bool = True, sample_weight: Any = None) -> float:
    """The fraction (or, with `normalize=False`, the weighted count) of labels predicted exactly."""
    check_consistent_length(y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
    y_true, y_pred = _labels_1d(y_true, "y_true"), _labels_1d(y_pred, "y_pred")
    if _numeric(y_true) and _numeric(y_pred):
        backend = metric_backend(y_pred, y_true)
        xp = backend.xp
        y_true, y_pred = to_backend(y_true, backend), to_backend(y_pred, backend)
        dtype = backend.float_dtype
    else:  # strings or objects: compare on the host
        xp = metric_backend().xp
        y_true, y_pred = xp.asarray(to_numpy(y_true).astype(str)), xp.asarray(to_numpy(y_pred).astype(str))
        dtype = xp.float64
    correct = xp.astype(y_true == y_pred, dtype)  # (n_samples,)
    w = None
    if sample_weight is not None:
        w = to_backend(to_numpy(sample_weight).astype("float64"), metric_backend(correct), dtype=dtype_name(correct))
    if normalize:
        return float(weighted_mean(xp, correct, w))
    return float(xp.sum(correct if w is None else correct * w))
