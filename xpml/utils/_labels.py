"""Host-side label bookkeeping for classifiers: the classes of a stream, multi-label targets, priors.

A classifier that learns from a stream (`partial_fit`) is told its classes on the first call and
must then map each later batch of labels onto them (`label_indices`); a multi-label target is a 0/1
indicator matrix, one column per label; class priors are checked. (Class weights are
`xpml.utils._class_weight.compute_class_weight`.) All work on the host with numpy: labels may be strings.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._backend import library_of, to_numpy
from .validation import check_consistent_length, check_labels

__all__ = ["check_class_prior", "check_classes", "check_same_classes", "classification_targets", "label_indices",
           "multilabel_indicator"]


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


def check_same_classes(classes: Any, classes_: np.ndarray) -> None:
    """Refuse `classes` given to a later call of partial_fit unless they are the first call's."""
    if classes is not None and not np.array_equal(check_classes(classes), classes_):
        raise ValueError(f"classes={np.asarray(classes).tolist()} differs from classes_={classes_.tolist()}, "
                         f"the classes of the first call.")


def check_class_prior(prior: Any, n_classes: int, *, name: str, sums_to_one: bool = True) -> np.ndarray:
    """Class probabilities, one per class, >= 0 (and summing to 1), as a float64 host array.

    >>> check_class_prior([0.5, 0.6], 2, name="priors")
    Traceback (most recent call last):
    ...
    ValueError: priors should sum to 1; got a sum of 1.1.
    """
    try:
        prior = to_numpy(prior) if library_of(prior) is not None else np.asarray(prior, dtype=np.float64)
        prior = prior.astype(np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} should be an array of {n_classes} probabilities; got {prior!r}.") from None
    if prior.shape != (n_classes,):
        raise ValueError(f"{name} has shape {prior.shape}; expected one per class, ({n_classes},).")
    if not np.all(np.isfinite(prior)):
        raise ValueError(f"{name} should be finite; got {prior.tolist()}.")
    if np.any(prior < 0):
        raise ValueError(f"{name} should be >= 0; got {prior.tolist()}.")
    if sums_to_one and not np.isclose(prior.sum(), 1.0, rtol=1e-9, atol=0):
        raise ValueError(f"{name} should sum to 1; got a sum of {float(prior.sum())!r}.")
    return prior


def label_indices(y: Any, classes: np.ndarray, *, n_samples: int) -> np.ndarray:
    """For each label in `y`, its index in the sorted `classes`; labels outside `classes` are an error."""
    seen, indices = check_labels(y, n_samples=n_samples, min_classes=1)
    where = np.searchsorted(classes, seen)
    where = np.minimum(where, len(classes) - 1)
    unknown = seen[classes[where] != seen]
    if len(unknown):
        raise ValueError(f"y contains labels {unknown.tolist()} that are not in classes={classes.tolist()}.")
    return where[indices]


def multilabel_indicator(y: Any) -> np.ndarray | None:
    """y as an int64 0/1 matrix if it is a multi-label target, else None.

    A multi-label target is a 2-D array of numbers, with at least two columns (one per label), that
    holds only 0s and 1s; a single column is an ordinary binary target.

    >>> multilabel_indicator([[1, 0], [1, 1]]).tolist(), multilabel_indicator([0, 1])
    ([[1, 0], [1, 1]], None)
    """
    values = to_numpy(y) if library_of(y) is not None else np.asarray(y)
    if values.ndim != 2 or values.shape[1] < 2 or values.dtype.kind not in "biuf":
        return None
    if not np.all((values == 0) | (values == 1)):
        return None
    return values.astype(np.int64)


def classification_targets(y: Any, *, n_samples: int, classes: np.ndarray | None = None):
    """A classifier's targets, labels or a multi-label indicator matrix, as (classes, encoded, multilabel).

    Parameters
    ----------
    y : array-like of shape (n_samples,), or (n_samples, n_labels) of 0/1 for multi-label
    n_samples : int
        The number of rows of X.
    classes : ndarray, optional
        The classes already known, sorted (from `check_classes`, or an earlier fit); the labels of y
        must be among them. By default, the sorted unique labels of y.

    Returns
    -------
    classes : ndarray of shape (n_classes,)
        The labels; for multi-label, the column numbers 0 .. n_labels - 1.
    encoded : ndarray of int64, of shape (n_samples,) or (n_samples, n_labels)
        Each sample's class as an index into `classes`; for multi-label, the indicator matrix.
    multilabel : bool
    """
    indicator = multilabel_indicator(y)
    if indicator is not None:
        check_consistent_length(X=range(n_samples), y=indicator)
        columns = np.arange(indicator.shape[1])
        if classes is not None and not np.array_equal(classes, columns):
            raise ValueError(f"y has {len(columns)} label columns, but classes={np.asarray(classes).tolist()}.")
        return columns, indicator, True
    if classes is None:
        found, indices = check_labels(y, n_samples=n_samples)
        return found, indices.astype(np.int64), False
    return classes, label_indices(y, classes, n_samples=n_samples).astype(np.int64), False
