"""Synthetic data sets: Gaussian blobs, a classification problem on a hypercube, a linear regression.

Every number is drawn on the host with a numpy Generator seeded by `random_state`, then the result is
moved to the backend (`backend=None`: the one in force). The same seed therefore gives the same data
on every backend.

make_classification follows the construction of I. Guyon, "Design of experiments for the NIPS 2003
variable selection benchmark" (2003): Gaussian clusters at the vertices of a hypercube, then redundant,
repeated and noise features.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .._backend import resolve_backend, to_backend
from ..utils._param_validation import Interval, check_param
from ..utils._random import check_random_state

__all__ = ["make_blobs", "make_classification", "make_regression"]

_POSITIVE_INT = [Interval(numbers.Integral, 1, None, closed="left")]
_NON_NEGATIVE_INT = [Interval(numbers.Integral, 0, None, closed="left")]
_NON_NEGATIVE = [Interval(numbers.Real, 0, None, closed="left")]


def _deliver(backend: Any, *arrays: np.ndarray) -> tuple:
    """Floating arrays as the backend's default float, integer labels as integers, on the backend."""
    b = resolve_backend(backend)
    out = []
    for a in arrays:
        if a.dtype.kind == "f":
            a = a.astype("float64" if b.has_float64 else "float32")
        out.append(to_backend(a, b))
    return tuple(out)


def make_blobs(n_samples: int = 100, n_features: int = 2, *, centers: Any = None, cluster_std: Any = 1.0,
               center_box: tuple = (-10.0, 10.0), shuffle: bool = True, random_state: Any = None,
               return_centers: bool = False, backend: Any = None):
    """Isotropic Gaussian blobs, for clustering.

    Parameters
    ----------
    n_samples : int
        The total number of points, shared out as equally as possible among the centres.
    n_features : int
        The number of features of each point.
    centers : int or array-like of shape (n_centers, n_features), default=None
        The number of centres to draw uniformly in `center_box` (None: 3), or the centres themselves.
    cluster_std : float or array-like of shape (n_centers,)
        The standard deviation of each blob.
    shuffle : bool
        Shuffle the points (otherwise they come blob by blob).
    random_state : int, None or numpy.random.Generator
    return_centers : bool
        Also return the centres.
    backend : str or Backend, optional

    Returns
    -------
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,), the blob of each point
    centers : array of shape (n_centers, n_features), if `return_centers`
    """
    check_param("n_samples", n_samples, _POSITIVE_INT)
    check_param("n_features", n_features, _POSITIVE_INT)
    rng = check_random_state(random_state)
    if centers is None or isinstance(centers, (int, np.integer)):
        n_centers = 3 if centers is None else int(centers)
        check_param("centers", n_centers, _POSITIVE_INT)
        centers = rng.uniform(center_box[0], center_box[1], size=(n_centers, n_features))
    else:
        centers = np.asarray(centers, dtype=np.float64)
        if centers.ndim != 2 or centers.shape[1] != n_features:
            raise ValueError(f"centers should have shape (n_centers, n_features={n_features}); got {centers.shape}.")
    n_centers = centers.shape[0]
    std = np.broadcast_to(np.asarray(cluster_std, dtype=np.float64), (n_centers,))
    if np.any(std < 0):
        raise ValueError(f"cluster_std should be >= 0; got {cluster_std!r}.")
    counts = np.full(n_centers, n_samples // n_centers)
    counts[: n_samples % n_centers] += 1
    y = np.repeat(np.arange(n_centers), counts)  # (n_samples,)
    X = centers[y] + std[y, None] * rng.standard_normal((n_samples, n_features))  # (n_samples, n_features)
    if shuffle:
        order = rng.permutation(n_samples)
        X, y = X[order], y[order]
    return _deliver(backend, X, y, centers) if return_centers else _deliver(backend, X, y)


def _hypercube_vertices(n_vertices: int, dimension: int, rng: np.random.Generator) -> np.ndarray:
    """`n_vertices` distinct vertices of the hypercube {0, 1}^dimension, in random order."""
    codes = rng.permutation(2**dimension)[:n_vertices] if dimension < 31 else rng.choice(2**dimension, n_vertices)
    return ((codes[:, None] >> np.arange(dimension)) & 1).astype(np.float64)  # (n_vertices, dimension)


def make_classification(n_samples: int = 100, n_features: int = 20, *, n_informative: int = 2,
                        n_redundant: int = 2, n_repeated: int = 0, n_classes: int = 2,
                        n_clusters_per_class: int = 2, weights: Any = None, flip_y: float = 0.01,
                        class_sep: float = 1.0, hypercube: bool = True, shift: Any = 0.0, scale: Any = 1.0,
                        shuffle: bool = True, random_state: Any = None, backend: Any = None):
    """A random classification problem: Gaussian clusters at the vertices of a hypercube.

    Each class is made of `n_clusters_per_class` clusters of points, each a standard Gaussian in the
    `n_informative` dimensions, given a random covariance and placed at a vertex of a hypercube of side
    2 * class_sep. Then come `n_redundant` random linear combinations of the informative features,
    `n_repeated` copies of earlier columns, and pure-noise features up to `n_features`. A fraction
    `flip_y` of the labels is then reassigned at random.

    Returns
    -------
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,), integer labels 0 .. n_classes - 1
    """
    for name, value in (("n_samples", n_samples), ("n_features", n_features), ("n_informative", n_informative),
                        ("n_classes", n_classes), ("n_clusters_per_class", n_clusters_per_class)):
        check_param(name, value, _POSITIVE_INT)
    check_param("n_redundant", n_redundant, _NON_NEGATIVE_INT)
    check_param("n_repeated", n_repeated, _NON_NEGATIVE_INT)
    check_param("flip_y", flip_y, [Interval(numbers.Real, 0, 1)])
    if n_informative + n_redundant + n_repeated > n_features:
        raise ValueError(
            f"n_informative + n_redundant + n_repeated = {n_informative + n_redundant + n_repeated} should be "
            f"<= n_features={n_features}."
        )
    n_clusters = n_classes * n_clusters_per_class
    if n_clusters > 2**n_informative:
        raise ValueError(
            f"n_classes * n_clusters_per_class = {n_clusters} should be <= 2**n_informative = {2**n_informative}."
        )
    rng = check_random_state(random_state)
    if weights is None:
        weights = np.full(n_classes, 1.0 / n_classes)
    weights = np.asarray(weights, dtype=np.float64)
    if weights.shape == (n_classes - 1,):
        weights = np.append(weights, 1.0 - weights.sum())
    if weights.shape != (n_classes,) or np.any(weights < 0):
        raise ValueError(f"weights should be {n_classes} (or {n_classes - 1}) non-negative numbers; got {weights}.")
    # samples per cluster: the class weight shared among its clusters
    # (largest remainders get the samples that rounding down leaves over)
    share = n_samples * np.repeat(weights / weights.sum() / n_clusters_per_class, n_clusters_per_class)
    per_cluster = np.floor(share).astype(int)
    per_cluster[np.argsort(per_cluster - share, kind="stable")[: n_samples - per_cluster.sum()]] += 1
    cluster_of = np.repeat(np.arange(n_clusters), per_cluster)  # (n_samples,)
    y = cluster_of % n_classes

    centroids = _hypercube_vertices(n_clusters, n_informative, rng) * 2 * class_sep - class_sep
    if not hypercube:
        centroids *= rng.uniform(size=(n_clusters, 1))
        centroids *= rng.uniform(size=(1, n_informative))
    informative = rng.standard_normal((n_samples, n_informative))  # (n, n_informative)
    mixing = rng.uniform(-1, 1, size=(n_clusters, n_informative, n_informative))  # a covariance per cluster
    informative = np.einsum("ni,nij->nj", informative, mixing[cluster_of]) + centroids[cluster_of]

    redundant = informative @ rng.uniform(-1, 1, size=(n_informative, n_redundant))  # (n, n_redundant)
    columns = [informative, redundant]
    if n_repeated:
        pool = np.hstack(columns)
        columns.append(pool[:, rng.integers(0, pool.shape[1], size=n_repeated)])
    n_noise = n_features - n_informative - n_redundant - n_repeated
    columns.append(rng.standard_normal((n_samples, n_noise)))
    X = np.hstack(columns)  # (n_samples, n_features)

    flip = rng.uniform(size=n_samples) < flip_y
    y = np.where(flip, rng.integers(0, n_classes, size=n_samples), y)
    shift = rng.uniform(-class_sep, class_sep, size=n_features) if shift is None else shift
    scale = rng.uniform(1, 100, size=n_features) if scale is None else scale
    X = (X + shift) * scale
    if shuffle:
        order = rng.permutation(n_samples)
        X, y = X[order], y[order]
        X = X[:, rng.permutation(n_features)]
    return _deliver(backend, X, y)


def make_regression(n_samples: int = 100, n_features: int = 100, *, n_informative: int = 10,
                    n_targets: int = 1, bias: float = 0.0, effective_rank: int | None = None,
                    tail_strength: float = 0.5, noise: float = 0.0, shuffle: bool = True, coef: bool = False,
                    random_state: Any = None, backend: Any = None):
    """A random linear regression problem: y = X w + bias + noise, with `n_informative` non-zero weights.

    X is standard Gaussian, or, with `effective_rank`, a matrix whose singular values decay smoothly
    (a bell of width `effective_rank` plus a tail of relative weight `tail_strength`), as real data often has.

    Returns
    -------
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,) or (n_samples, n_targets)
    coef : array of shape (n_features,) or (n_features, n_targets), if `coef`: the true weights
    """
    check_param("n_samples", n_samples, _POSITIVE_INT)
    check_param("n_features", n_features, _POSITIVE_INT)
    check_param("n_informative", n_informative, _NON_NEGATIVE_INT)
    check_param("n_targets", n_targets, _POSITIVE_INT)
    check_param("noise", noise, _NON_NEGATIVE)
    rng = check_random_state(random_state)
    if effective_rank is None:
        X = rng.standard_normal((n_samples, n_features))
    else:
        X = _low_rank_matrix(n_samples, n_features, effective_rank, tail_strength, rng)
    n_informative = min(n_features, n_informative)
    w = np.zeros((n_features, n_targets))
    w[:n_informative] = 100 * rng.uniform(size=(n_informative, n_targets))  # (n_features, n_targets)
    y = X @ w + bias  # (n_samples, n_targets)
    if noise > 0:
        y = y + rng.normal(scale=noise, size=y.shape)
    if shuffle:
        order = rng.permutation(n_samples)
        X, y = X[order], y[order]
        features = rng.permutation(n_features)
        X, w = X[:, features], w[features]
    if n_targets == 1:
        y, w = y[:, 0], w[:, 0]
    return _deliver(backend, X, y, w) if coef else _deliver(backend, X, y)


def _low_rank_matrix(n: int, p: int, effective_rank: int, tail_strength: float, rng) -> np.ndarray:
    """An (n, p) matrix with a bell-shaped, then fat-tailed, spectrum of singular values."""
    k = min(n, p)
    u, _ = np.linalg.qr(rng.standard_normal((n, k)))  # (n, k), orthonormal columns
    v, _ = np.linalg.qr(rng.standard_normal((p, k)))  # (p, k)
    i = np.arange(k, dtype=np.float64)
    singular = (1 - tail_strength) * np.exp(-((i / effective_rank) ** 2)) + tail_strength * np.exp(-0.1 * i / effective_rank)
    return (u * singular) @ v.T
