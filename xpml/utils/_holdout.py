"""Holding out a validation set, for early stopping: a random split drawn on the host.

With labels the split is stratified: each class gives the validation set a share of its samples
proportional to its size (largest remainders round the shares), so a rare class is not left out
by chance.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._backend import to_numpy

__all__ = ["holdout_split"]


def holdout_split(n_samples: int, fraction: float, rng: np.random.Generator, labels: Any = None):
    """Indices of a training set and of a validation set holding about `fraction` of the samples.

    Parameters
    ----------
    n_samples : int
    fraction : float in (0, 1)
        The validation set gets ceil(fraction · n_samples) samples.
    rng : numpy.random.Generator
    labels : array of shape (n_samples,), optional
        Class indices (of any library) to stratify on.

    Returns
    -------
    train, validation : ndarrays of int64, each sorted
    """
    n_val = math.ceil(fraction * n_samples)
    if n_val >= n_samples:
        raise ValueError(
            f"validation_fraction={fraction} of n_samples={n_samples} leaves no sample to train on; "
            f"use a smaller validation_fraction, more samples, or early_stopping=False."
        )
    if labels is None:
        order = rng.permutation(n_samples)
        return np.sort(order[n_val:]), np.sort(order[:n_val])
    labels = to_numpy(labels)
    classes, counts = np.unique(labels, return_counts=True)
    if n_val < len(classes):
        raise ValueError(
            f"validation_fraction={fraction} of n_samples={n_samples} gives {n_val} validation sample(s), "
            f"fewer than the {len(classes)} classes; use a larger validation_fraction or early_stopping=False."
        )
    exact = counts * (n_val / n_samples)  # each class's share of the validation set
    share = np.floor(exact).astype(np.int64)
    leftover = n_val - share.sum()
    share[np.argsort(share - exact, kind="stable")[:leftover]] += 1  # largest remainders first
    validation = [rng.permutation(np.flatnonzero(labels == c))[:s] for c, s in zip(classes, share)]
    validation = np.sort(np.concatenate(validation))
    train = np.setdiff1d(np.arange(n_samples), validation)
    return train, validation
