"""Classes given ahead of the data: the labels `partial_fit` takes and class priors, checked on the host."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._backend import library_of, to_numpy
from .validation import check_consistent_length, check_labels

__all__ = ["check_class_prior", "check_classes", "check_same_classes", "encode_labels"]


def check_classes(classes: Any) -> np.ndarray:
    """The distinct labels of `classes`, sorted (as `classes_`); at least two of them."""
    classes = to_numpy(classes) if library_of(classes) is not None else np.asarray(classes)
    if classes.ndim != 1:
        raise ValueError(f"classes should be a 1-D array of labels; got shape {classes.shape}.")
    return check_labels(classes, n_samples=len(classes))[0]


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
    prior = to_numpy(prior) if library_of(prior) is not None else np.asarray(prior, dtype=np.float64)
    prior = prior.astype(np.float64)
    if prior.shape != (n_classes,):
        raise ValueError(f"{name} has shape {prior.shape}; expected one per class, ({n_classes},).")
    if np.any(prior < 0):
        raise ValueError(f"{name} should be >= 0; got {prior.tolist()}.")
    if sums_to_one and not np.isclose(prior.sum(), 1.0, rtol=1e-9, atol=0):
        raise ValueError(f"{name} should sum to 1; got a sum of {float(prior.sum())!r}.")
    return prior


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
