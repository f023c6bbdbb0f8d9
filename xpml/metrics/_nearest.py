"""The nearest row of Y to each row of X, and its distance: a block of distances at a time, in bounded memory.

For each row x of X, argminⱼ d(x, yⱼ) and the minimum, under any metric of `pairwise_distances` but
"precomputed". The (b, m) distances of a block of b rows of X to all of Y are reduced at once to their minima
and first indices (`xpml.utils._argmin.argmin_along`: ties go to the lowest index, as scikit-learn's), so
memory stays at one block, b chosen by `chunk_rows`, whatever the number of rows of X. A NaN distance (nan_euclidean
between rows with no coordinate in common, or a callable's) is taken as numpy's argmin takes it, as scikit-learn's
does there: the first NaN of a row is its minimum. Euclidean distances are
compared squared (the product form [-2x, ‖x‖², 1]·[y, 1, ‖y‖²]) and only the minima are square-rooted.
"""

from __future__ import annotations

from typing import Any

from ..utils._argmin import argmin_along
from ..utils._chunks import chunk_rows, row_slices
from ._distances import resolve_distance
from .pairwise import _check_pair

__all__ = ["pairwise_distances_argmin", "pairwise_distances_argmin_min"]


def pairwise_distances_argmin_min(X: Any, Y: Any, *, axis: int = 1, metric: Any = "euclidean",
                                  metric_kwargs: dict | None = None):
    """For each row of X, the index of the nearest row of Y and the distance to it.

    Parameters
    ----------
    X : array-like of shape (n_samples_X, n_features)
    Y : array-like of shape (n_samples_Y, n_features)
    axis : {0, 1}, default=1
        1: for each row of X, the nearest of Y; 0: for each row of Y, the nearest of X.
    metric : str or callable, default="euclidean"
        Any metric of `pairwise_distances` but "precomputed".
    metric_kwargs : dict, optional
        The metric's keywords (euclidean: squared; minkowski: p, w).

    Returns
    -------
    argmin : integer array of shape (n_samples_X,) (axis=0: (n_samples_Y,)); the lowest index on ties
    distances : array of the same shape, the distances to those rows
    """
    if axis not in (0, 1) or isinstance(axis, bool):
        raise ValueError(f"axis={axis!r} should be 0 or 1.")
    if Y is None:
        raise TypeError("pairwise_distances_argmin_min needs Y, the rows to search.")
    finite = "allow-nan" if isinstance(metric, str) and metric == "nan_euclidean" else True
    backend, X, Y = _check_pair(X, Y, finite)
    if axis == 0:
        X, Y = Y, X
    xp = backend.xp
    distance = resolve_distance(metric, dict(metric_kwargs or {}), backend, X.shape[1],
                                "pairwise_distances_argmin_min")
    left, right = distance.left(xp, X), distance.right(xp, Y)
    indices, minima = [], []
    for block in row_slices(X.shape[0], chunk_rows(backend, 2 * Y.shape[0])):
        D = distance.block(xp, left[block, ...], right)  # (b, m)
        D = xp.where(xp.isnan(D), -xp.inf, D)  # NaN (nan_euclidean, callables): first and minimal, as numpy's argmin
        indices.append(argmin_along(D, 1, xp=xp))  # (b,)
        minima.append(xp.min(D, axis=1))  # (b,)
    join = (lambda parts: parts[0]) if len(indices) == 1 else (lambda parts: xp.concat(parts))
    minima = join(minima)
    return join(indices), distance.finish(xp, xp.where(minima == -xp.inf, xp.nan, minima))


def pairwise_distances_argmin(X: Any, Y: Any, *, axis: int = 1, metric: Any = "euclidean",
                              metric_kwargs: dict | None = None):
    """For each row of X, the index of the nearest row of Y (the lowest on ties): `pairwise_distances_argmin_min`'s
    first result, of shape (n_samples_X,) (axis=0: (n_samples_Y,))."""
    return pairwise_distances_argmin_min(X, Y, axis=axis, metric=metric, metric_kwargs=metric_kwargs)[0]
