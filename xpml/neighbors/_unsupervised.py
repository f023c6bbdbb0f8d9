"""Unsupervised nearest neighbours: the training points, searched by number (the k nearest) or by radius.

NearestNeighbors learns nothing but the points; its queries are those of the supervised neighbour models
(`_kneighbors`, `_radius`), by the blocked brute-force search of `_base`.

Reference: Cover & Hart, "Nearest neighbor pattern classification", IEEE Trans. Inf. Theory 13(1), 1967.
"""

from __future__ import annotations

from typing import Any

from ._base import N_NEIGHBORS, RADIUS, NeighborsBase
from ._kneighbors import KNeighborsMixin
from ._radius import RadiusNeighborsMixin

__all__ = ["NearestNeighbors"]


class NearestNeighbors(KNeighborsMixin, RadiusNeighborsMixin, NeighborsBase):
    """Neighbour searches among the training points: the k nearest, or all within a radius (brute force).

    Parameters
    ----------
    n_neighbors : int, default=5
        How many neighbours `kneighbors` finds, unless it is told.
    radius : float, default=1.0
        The largest distance (inclusive) of a neighbour for `radius_neighbors`, unless it is told.
    algorithm : {"auto", "ball_tree", "kd_tree", "brute"}, default="auto"
        Accepted for scikit-learn compatibility: xpml always searches by brute force, which finds
        the same neighbours scikit-learn's trees find.
    leaf_size : int, default=30
        Accepted for scikit-learn compatibility (the leaf size of its trees); unused.
    metric : str or callable, default="minkowski"
        One of "minkowski", "euclidean", "l2", "manhattan", "l1", "cityblock", "chebyshev",
        "infinity", "cosine"; or a callable metric(x, y, **metric_params) of two 1-D numpy
        arrays, called on every pair on the host (slow, as in scikit-learn).
    p : float, default=2
        The power of the Minkowski metric: 1 is manhattan, 2 euclidean, inf chebyshev; 0 < p < 1
        gives a semi-metric (with a warning, as scikit-learn).
    metric_params : dict, optional
        Keyword arguments of the metric: "p" (which then overrides `p`, with a warning) and "w",
        the feature weights of the Minkowski metric; or those of a callable metric.
    n_jobs : int, optional
        Accepted for scikit-learn compatibility: the backend decides the parallelism.
    backend : str or Backend, optional
        Where to compute ("numpy", "cupy", "torch", "jax", ..., optionally with a device). None uses
        the backend in force at fit time. Not dask: the searches give whole arrays, or ragged lists, not
        chunks (fit refuses it and says what to do).
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in. By default floating input keeps its precision.

    Attributes
    ----------
    n_features_in_ : int
    n_samples_fit_ : int
        The number of training points searched.
    effective_metric_ : str
        The metric used: `metric`, or for "minkowski" with p = 1, 2 or inf (unweighted), the named one.
    effective_metric_params_ : dict
        The metric's parameters ("p" and "w" for the Minkowski metric).

    Examples
    --------
    >>> from xpml.neighbors import NearestNeighbors
    >>> nn = NearestNeighbors(n_neighbors=2, radius=1.5).fit([[0.0], [1.0], [3.0], [3.5]])
    >>> distances, indices = nn.kneighbors([[0.9]])
    >>> indices.tolist(), distances.round(2).tolist()
    ([[1, 0]], [[0.1, 0.9]])
    >>> distances, indices = nn.radius_neighbors([[2.1]], sort_results=True)
    >>> indices[0].tolist(), distances[0].round(2).tolist()
    ([2, 1, 3], [0.9, 1.1, 1.4])
    """

    _scales_out = False  # on dask its searches would gather: refused at fit, with what to do instead

    _parameter_constraints = {**NeighborsBase._parameter_constraints, "n_neighbors": N_NEIGHBORS, "radius": RADIUS}

    def __init__(self, *, n_neighbors: int = 5, radius: float = 1.0, algorithm: str = "auto", leaf_size: int = 30,
                 metric: str = "minkowski", p: float = 2, metric_params: dict | None = None,
                 n_jobs: int | None = None, backend: Any = None, dtype: str | None = None):
        self.n_neighbors = n_neighbors
        self.radius = radius
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.metric = metric
        self.p = p
        self.metric_params = metric_params
        self.n_jobs = n_jobs
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any = None) -> NearestNeighbors:
        """Store the training points.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self
        """
        self._fit_points(self._validate_data(X))
        return self
