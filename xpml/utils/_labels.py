"""Class labels given ahead of the data, as `partial_fit` takes them: checked and encoded on the host."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._backend import library_of, to_numpy
from .validation import check_consistent_length, check_labels

__all__ = ["check_classes", "encode_labels"]


def check_classes(classes: Any) -> np.ndarray:
    """The distinct labels of `classes`, sorted (as `classes_`); at least two of them."""
    classes = to_numpy(classes) if library_of(classes) is not None else np.asarray(classes)
    if classes.ndim != 1:
        raise ValueError(f"classes should be a 1-D array of labels; got shape {classes.shape}.")
    return check_labels(classes, n_samples=len(classes))[0]


def encode_labels(y: Any, classes: np.ndarray, *, n_samples: int) -> np.ndarray:
    """Each label of y as its index in the sorted `classes`, on the host; labels not there are refused.

    >>> encode_labels(["b", "a", "b"], np.array(["a", "b", "c"]), n_samples=3).tolist()
    [1, 0, 1]
    """
    y = to_numpy(y) if library_of(y) is not None else np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"y should be a 1-D array of labels of shape (n_samples,); got shape {y.shape}.")
    check_consistent_length(X=range(n_samples), y=y)
    indices = np.clip(np.searchsorted(classes, y), 0, len(classes) - 1)
    unknown = classes[indices] != y
    if np.any(unknown):
        raise ValueError(f"y contains labels {np.unique(y[unknown]).tolist()} that are not in "
                         f"classes={classes.tolist()}, the classes given on the first call to partial_fit.")
    return indices.astype(np.int64)
