"""Class weights: how much each class's samples count in a classifier's loss (host side, on labels).

One function, with scikit-learn's semantics (`sklearn.utils.class_weight.compute_class_weight`), used
by every classifier that takes `class_weight`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._backend import to_numpy

__all__ = ["compute_class_weight"]


def compute_class_weight(class_weight: Any, *, classes: np.ndarray, y_indices: Any,
                         sample_weight: Any = None) -> np.ndarray:
    """The weight of each class, shape (n_classes,), float64.

    Parameters
    ----------
    class_weight : None, "balanced" or dict
        None: every class weighs 1. "balanced": class k weighs W / (n_classes · W_k), with W_k the
        total sample weight of class k and W that of all classes (with no sample weights, W_k is the
        count of class k and W = n_samples), so that each class carries the same total weight; every
        class must then occur in y. A dict maps labels to weights; labels it omits weigh 1, and a
        label that is not a class is an error.
    classes : array of shape (n_classes,)
        The sorted labels (`classes_`).
    y_indices : array of shape (n_samples,), of any library
        Each sample's class, as an index into `classes`.
    sample_weight : array of shape (n_samples,), of any library, optional
        Weights of the samples (for "balanced").

    Returns
    -------
    weights : numpy array of shape (n_classes,)

    Examples
    --------
    >>> compute_class_weight("balanced", classes=np.array(["a", "b"]), y_indices=np.array([0, 1, 1, 1])).tolist()
    [2.0, 0.6666666666666666]
    """
    n_classes = len(classes)
    if class_weight is None:
        return np.ones(n_classes)
    if isinstance(class_weight, str):  # "balanced", the only string the estimators accept
        weights = None if sample_weight is None else to_numpy(sample_weight)
        totals = np.bincount(to_numpy(y_indices), weights=weights, minlength=n_classes)  # (n_classes,)
        missing = np.asarray(classes)[np.bincount(to_numpy(y_indices), minlength=n_classes) == 0]
        if len(missing):
            raise ValueError(f"class_weight='balanced' needs every class in y; classes {missing.tolist()} are missing.")
        return totals.sum() / (n_classes * totals.astype(np.float64))
    known = set(np.asarray(classes).tolist())
    unknown = [label for label in class_weight if label not in known]
    if unknown:
        raise ValueError(
            f"class_weight has labels {unknown} that are not classes of y; the classes are {np.asarray(classes).tolist()}."
        )
    return np.array([float(class_weight.get(label, 1.0)) for label in np.asarray(classes).tolist()])
