"""Host-side label bookkeeping for classifiers: the classes of a stream, and class weights.

A classifier that learns from a stream (`partial_fit`) is told its classes on the first call and
must then map each later batch of labels onto them; `class_weight` turns a user's dict, or
"balanced", into one weight per class. Both work on the host with numpy: labels may be strings.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._backend import library_of, to_numpy
from .validation import check_labels

__all__ = ["check_classes", "class_weight_vector", "encode_labels"]


def check_classes(classes: Any, previous: np.ndarray | None = None) -> np.ndarray:
    """The `classes=` argument of `partial_fit`: sorted, unique, at least two, and, on a later
    call (`previous`, the classes of the first), the same as before.

    >>> check_classes(["b", "a"]).tolist()
    ['a', 'b']
    """
    if classes is None:
        raise ValueError("classes should be given on the first call to partial_fit; got classes=None.")
    values = to_numpy(classes) if library_of(classes) is not None else np.asarray(classes)
    if values.ndim != 1:
        raise ValueError(f"classes should be a 1-D array of labels; got shape {values.shape}.")
    unique = np.unique(values)
    if len(unique) != len(values):
        raise ValueError(f"classes should hold each label once; got {values.tolist()}.")
    if len(unique) < 2:
        raise ValueError(f"classes should hold at least 2 labels; got {unique.tolist()}.")
    if previous is not None and not np.array_equal(unique, previous):
        raise ValueError(
            f"classes={unique.tolist()} differs from the classes of the first call to partial_fit, "
            f"{previous.tolist()}."
        )
    return unique


def encode_labels(y: Any, classes: np.ndarray, *, n_samples: int) -> np.ndarray:
    """For each label in `y`, its index in the sorted `classes`; labels outside `classes` are an error."""
    seen, indices = check_labels(y, n_samples=n_samples, min_classes=1)
    where = np.searchsorted(classes, seen)
    where = np.minimum(where, len(classes) - 1)
    unknown = seen[classes[where] != seen]
    if len(unknown):
        raise ValueError(f"y contains labels {unknown.tolist()} that are not in classes={classes.tolist()}.")
    return where[indices]


def class_weight_vector(class_weight: Any, classes: np.ndarray, y_index: Any) -> np.ndarray:
    """One weight per class, in the order of `classes`.

    Parameters
    ----------
    class_weight : None, "balanced" or dict
        None gives ones. "balanced" gives n_samples / (n_classes · count(class)), so that every class
        weighs the same in total. A dict maps labels to weights; classes it leaves out weigh 1.
    classes : ndarray of shape (n_classes,)
    y_index : array of shape (n_samples,)
        Each sample's class, as an index into `classes` (an array of any library).

    Returns
    -------
    ndarray of shape (n_classes,), float64
    """
    n_classes = len(classes)
    if class_weight is None:
        return np.ones(n_classes)
    if isinstance(class_weight, str):  # "balanced", as the estimator's constraints already checked
        counts = np.bincount(to_numpy(y_index), minlength=n_classes)
        missing = classes[counts == 0]
        if len(missing):
            raise ValueError(f"class_weight='balanced' needs every class in y; classes {missing.tolist()} are missing.")
        return len(to_numpy(y_index)) / (n_classes * counts.astype(np.float64))
    weights = np.ones(n_classes)
    known = {label: i for i, label in enumerate(classes.tolist())}
    for label, weight in class_weight.items():
        if label not in known:
            raise ValueError(
                f"class_weight has a weight for label {label!r}, which is not among the classes {classes.tolist()}."
            )
        weights[known[label]] = float(weight)
    return weights
