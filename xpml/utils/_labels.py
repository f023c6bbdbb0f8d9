"""A classifier's targets on the host: labels of any type, or a 0/1 indicator matrix (multi-label).

Labels are mapped to indices into the sorted `classes`, so that the algorithm only ever sees small
integers (or the indicator matrix), which it moves to its backend. Nothing here runs on a device.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._backend import library_of, to_numpy
from .validation import check_labels

__all__ = ["encode_targets", "holdout_indices"]


def _host(y: Any) -> np.ndarray:
    return to_numpy(y) if library_of(y) is not None else np.asarray(y)


def _is_indicator(y: np.ndarray) -> bool:
    """A 2-D array with more than one column, holding only 0s and 1s: one column per label."""
    if y.ndim != 2 or y.shape[1] < 2 or y.dtype.kind not in "biuf":
        return False
    return bool(np.all((y == 0) | (y == 1)))


def encode_targets(y: Any, *, n_samples: int, classes: Any = None) -> tuple[np.ndarray, np.ndarray, bool]:
    """A classifier's targets as (classes, encoded, multilabel), all on the host.

    Parameters
    ----------
    y : array-like of shape (n_samples,), or (n_samples, n_labels) of 0/1 for multi-label
    n_samples : int
        The number of rows of X, which y must match.
    classes : array-like, optional
        The classes already known (from an earlier `fit` or from `partial_fit(classes=...)`); the
        labels of y must be among them. By default they are the sorted unique labels of y.

    Returns
    -------
    classes : ndarray of shape (n_classes,)
        Sorted labels; for multi-label, the column numbers 0 .. n_labels - 1.
    encoded : ndarray of int64, of shape (n_samples,) or (n_samples, n_labels)
        Each sample's class as an index into `classes`; for multi-label, the indicator matrix.
    multilabel : bool
    """
    y_host = _host(y)
    if _is_indicator(y_host):
        if y_host.shape[0] != n_samples:
            raise ValueError(f"X and y have different numbers of samples: X has {n_samples}, y has {y_host.shape[0]}.")
        found = np.arange(y_host.shape[1])
        if classes is not None and not np.array_equal(np.asarray(classes), found):
            raise ValueError(f"y has {len(found)} label columns, but classes={np.asarray(classes).tolist()}.")
        return found, y_host.astype(np.int64), True
    if classes is None:
        found, indices = check_labels(y_host, n_samples=n_samples)
        return found, indices.astype(np.int64), False
    classes = np.unique(np.asarray(classes))
    found, indices = check_labels(y_host, n_samples=n_samples, min_classes=1)
    unknown = np.setdiff1d(found, classes)
    if unknown.size:
        raise ValueError(f"y contains labels {unknown.tolist()} that are not in classes={classes.tolist()}.")
    return classes, np.searchsorted(classes, found)[indices].astype(np.int64), False


def holdout_indices(rng: np.random.Generator, n_samples: int, fraction: float, stratify: Any = None):
    """Split range(n_samples) at random into (train, validation) host index arrays.

    The validation part has ceil(fraction · n_samples) samples. With `stratify` (a class index per
    sample), each class gives the validation part its share of that total, rounded so that the
    shares add up, and the largest remainders get the leftover places.
    """
    n_val = int(np.ceil(fraction * n_samples))
    if n_val < 2 or n_samples - n_val < 1:
        raise ValueError(
            f"validation_fraction={fraction} of n_samples={n_samples} gives a validation set of {n_val} "
            f"and a training set of {n_samples - n_val}; at least 2 and 1 are needed. "
            f"Increase validation_fraction or give more samples."
        )
    if stratify is None:
        order = rng.permutation(n_samples)
        return np.sort(order[n_val:]), np.sort(order[:n_val])
    stratify = np.asarray(stratify)
    groups = [np.flatnonzero(stratify == c) for c in np.unique(stratify)]
    exact = np.array([n_val * len(g) / n_samples for g in groups])
    share = np.floor(exact).astype(int)
    leftover = n_val - share.sum()
    share[np.argsort(-(exact - share), kind="stable")[:leftover]] += 1
    val = np.concatenate([rng.permutation(g)[:s] for g, s in zip(groups, share)])
    return np.setdiff1d(np.arange(n_samples), val), np.sort(val)
