"""What the metrics share: the backend they compute on, moving inputs there, and encoding labels.

A metric computes where its inputs live: on the backend of its first argument that is an array of
some library (lists and numpy arrays: numpy). Numeric labels are encoded there, with
`unique_values` and `searchsorted`; string labels are encoded on the host (`xpml.utils._host`) and
only their integer codes move. Array results come back in that library, so output follows input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._backend import Backend, backend_of, dtype_name, library_of, to_backend
from ..utils._bincount import bincount
from ..utils._host import as_host, concat_host, encode, is_numeric, unique_labels
from ..utils._lazy import encode_lazily, is_lazy
from ..utils.validation import check_array, check_consistent_length

__all__ = ["Labels", "check_weights", "check_whole", "encode_labels", "labels_1d", "metric_backend",
           "prepare_numeric", "to_float", "weighted_mean"]


def metric_backend(*arrays: Any) -> Backend:
    """The backend a metric computes on: that of the first argument that is an array of some library."""
    for a in arrays:
        if library_of(a) is not None:
            return backend_of(a)
    return backend_of(None)


def _float_name(backend: Backend) -> str:
    return "float64" if backend.has_float64 else "float32"


def to_float(a: Any, backend: Backend, name: str, *, keep_float: bool = False, ensure_finite: bool | str = True) -> Any:
    """`a` as a finite floating array on `backend`, of the same number of dimensions (1 or 2).

    With `keep_float`, floating input keeps its precision (probabilities clip at their own eps);
    `ensure_finite` as `check_array`'s (False or "allow-nan" let NaN through).
    """
    ndim = len(getattr(a, "shape", None) or as_host(a).shape)
    if ndim not in (1, 2):
        raise ValueError(f"{name} should be a 1-D or 2-D array; got {ndim} dimension(s).")
    dtype = None if keep_float else _float_name(backend)
    return check_array(a, backend, name=name, ndim=ndim, dtype=dtype, ensure_finite=ensure_finite)


def check_weights(sample_weight: Any, backend: Backend, n_samples: int) -> Any:
    """None, or the weights as a finite floating array of shape (n_samples,) on `backend`."""
    if sample_weight is None:
        return None
    w = check_array(sample_weight, backend, name="sample_weight", ndim=1, dtype=_float_name(backend))
    check_consistent_length(samples=range(n_samples), sample_weight=w)
    return w


def prepare_numeric(y_true: Any, y_pred: Any, sample_weight: Any = None):
    """y_true, y_pred (and weights) as floating arrays of one backend, with matching shapes.

    Returns (xp, y_true, y_pred, sample_weight or None); 1-D targets become (n_samples, 1).
    """
    check_consistent_length(y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
    backend = metric_backend(y_pred, y_true)
    arrays = []
    for name, a in (("y_true", y_true), ("y_pred", y_pred)):
        a = to_float(a, backend, name)
        arrays.append(backend.xp.reshape(a, (-1, 1)) if a.ndim == 1 else a)
    if arrays[0].shape != arrays[1].shape:
        raise ValueError(
            f"y_true and y_pred should have the same shape; got {tuple(arrays[0].shape)} and {tuple(arrays[1].shape)}."
        )
    w = check_weights(sample_weight, backend, arrays[0].shape[0])
    return backend.xp, arrays[0], arrays[1], w


def weighted_mean(xp, values, w, axis=0):
    """The mean of `values` along `axis`, weighted by `w` (None: unweighted)."""
    if w is None:
        return xp.mean(values, axis=axis)
    w = xp.reshape(w, (-1,) + (1,) * (values.ndim - 1))
    return xp.sum(values * w, axis=axis) / xp.sum(w)


def labels_1d(y: Any, name: str) -> Any:
    """Labels as a 1-D array (a column of shape (n, 1) is accepted); lists become numpy."""
    if library_of(y) is None:
        y = as_host(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{name} should be a 1-D array of labels of shape (n_samples,); got shape {tuple(y.shape)}.")
    if y.shape[0] == 0:
        raise ValueError(f"{name} is empty; at least 1 sample is required.")
    return y


@dataclass(frozen=True)
class Labels:
    """Labels encoded as class indices on one backend.

    classes : the classes, an array of `backend` (numbers) or a numpy array (strings): the `labels`
        asked for first, in their order, then the other labels present, sorted.
    codes : for each input, an integer array of shape (n_samples,) on `backend`: indices into classes.
    n_present : how many distinct labels the inputs hold.
    """

    backend: Backend
    classes: Any
    codes: tuple
    n_present: int

    @property
    def xp(self):
        return self.backend.xp

    def host_classes(self) -> list:
        """The classes as a list of Python values, for messages and reports."""
        return as_host(self.classes).tolist()


def check_whole(xp, y, name: str) -> None:
    """Refuse floating labels that are not whole numbers (scores, say) or are not finite."""
    if not bool(xp.all(xp.isfinite(y))) or bool(xp.any(y != xp.round(y))):
        raise ValueError(
            f"{name} holds continuous values (or NaN); classification metrics need class labels. "
            f"Threshold scores first, or use a regression metric."
        )


def encode_labels(arrays: dict, labels: Any = None, backend: Backend | None = None, *, whole: bool = True) -> Labels:
    """Encode label arrays {name: labels} against their union (and `labels`, if given).

    Numbers are encoded on `backend` (by default that of the first array of some library); strings on
    the host, whose codes then move to `backend`. Floating labels must hold whole numbers, unless not `whole`
    (cluster labels: any distinct values).
    """
    check_consistent_length(**arrays)
    ys = {name: labels_1d(y, name) for name, y in arrays.items()}
    numeric = all(is_numeric(y) for y in ys.values()) and (labels is None or is_numeric(labels))
    backend = backend or metric_backend(*ys.values())
    if not numeric:
        present = unique_labels(*ys.values(), names=tuple(ys))
        classes = present
        if labels is not None:
            unique_labels(labels, present, names=("labels", "y"))  # refuses a mix of strings and numbers
            asked = as_host(labels).reshape(-1)
            if len(asked) != len(set(asked.tolist())):
                raise ValueError(f"labels should be unique; got {asked.tolist()}.")
            extra = present[encode(present, asked) < 0]
            classes = concat_host(asked, extra)
        codes = tuple(to_backend(encode(y, classes), backend) for y in ys.values())
        return Labels(backend, classes, codes, len(present))

    xp = backend.xp
    moved = [to_backend(y, backend) for y in ys.values()]
    floating = any(dtype_name(y).startswith(("float", "bfloat")) for y in moved)
    dtype = backend.float_dtype if floating else backend.int_dtype
    moved = [xp.astype(y, dtype) for y in moved]
    if is_lazy(backend):  # dask: the labels present found in one pass, the codes computed lazily
        classes, codes, n_present = encode_lazily(backend, moved, None if labels is None else as_host(labels),
                                                  dtype, whole=floating and whole, names=tuple(ys))
        return Labels(backend, classes, codes, n_present)
    if floating and whole:
        for name, y in zip(ys, moved):
            check_whole(xp, y, name)
    everything = xp.concat(moved)  # (n_total,)
    lookup = _dense_lookup(xp, everything) if not floating else None
    if lookup is not None:  # small non-negative integers: counted, not sorted
        seen, rank = lookup
        present = xp.astype(xp.nonzero(seen)[0], dtype)  # (n_present,)
    else:
        present = xp.unique_values(everything)  # (n_present,)
    if labels is None:
        codes = tuple(xp.take(rank, y) for y in moved) if lookup is not None else \
            tuple(xp.searchsorted(present, y) for y in moved)
        return Labels(backend, present, codes, int(present.shape[0]))
    asked = xp.astype(to_backend(as_host(labels).reshape(-1), backend), dtype)  # (n_labels,)
    if xp.unique_values(asked).shape[0] != asked.shape[0]:
        raise ValueError(f"labels should be unique; got {as_host(labels).tolist()}.")
    missing = xp.all(present[:, None] != asked[None, :], axis=1)  # (n_present,) not among the asked
    classes = xp.concat([asked, present[missing]])
    order = xp.argsort(classes)
    sorted_classes = xp.take(classes, order)
    codes = tuple(xp.take(order, xp.searchsorted(sorted_classes, y)) for y in moved)
    return Labels(backend, classes, codes, int(present.shape[0]))


def _dense_lookup(xp, values):
    """For integer labels in [0, m) with m not much above their count: which values occur, (m,) bool,
    and each value's rank among those that occur, (m,). None for labels that need sorting instead."""
    low, high = int(xp.min(values)), int(xp.max(values))
    if low < 0 or high >= 4 * values.shape[0] + 1024:
        return None
    seen = bincount(values, high + 1) > 0  # (m,)
    return seen, xp.cumulative_sum(xp.astype(seen, values.dtype)) - 1

