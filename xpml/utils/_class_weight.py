"""Class weights: how much each class's samples count in a classifier's loss (host side, on labels)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._backend import to_numpy

__all__ = ["compute_class_weight"]


def compute_class_weight(class_weight: Any, *, classes: np.ndarray, y_indices: Any,
                         sample_weight: Any = None) -> np.ndarray:
    """The weight of each class, shape (n_classes,).

    Parameters
    ----------
    class_weight : None, "balanced" or dict
        None: every class weighs 1. "balanced": class k weighs W / (n_classes · W_k), with W_k the
        total sample weight of class k and W that of all classes, so that each class carries the
        same total weight. A dict maps labels to weights; labels it omits weigh 1.
    classes : array of shape (n_classes,)
        The sorted labels (`classes_`).
    y_indices : array of shape (n_samples,), of any library
        Each sample's class, as an index into `classes`.
    sample_weight : array of shape (n_samples,), of any library, optional
        Weights of the samples (for "balanced").

    Returns
    -------
    weights : numpy array of shape (n_classes,)
    """
    n_classes = len(classes)
    if class_weight is None:
        return np.ones(n_classes)
    if isinstance(class_weight, str):  # "balanced", the only string the estimators accept
        weights = None if sample_weight is None else to_numpy(sample_weight)
        totals = np.bincount(to_numpy(y_indices), weights=weights, minlength=n_classes)  # (n_classes,)
        return totals.sum() / (n_classes * totals)
    unknown = [label for label in class_weight if label not in set(classes.tolist())]
    if unknown:
        raise ValueError(
            f"class_weight has labels {unknown} that are not classes of y; the classes are {classes.tolist()}."
        )
    return np.array([float(class_weight.get(label, 1.0)) for label in classes.tolist()])
