"""Nearest-neighbour regression: a query's prediction is the (weighted) mean of its neighbours' targets.

    ŷ(x) = Σᵢ wᵢ yᵢ / Σᵢ wᵢ   over the k nearest training points i (KNeighborsRegressor),
                              or over those within a radius r, d(x, yᵢ) <= r (RadiusNeighborsRegressor),

with wᵢ = 1 (uniform) or wᵢ = 1/dᵢ (distance; a training point at distance 0 decides alone, sharing
with any others at distance 0). A query with no training point within the radius is predicted NaN,
with a warning, as in scikit-learn.

Reference: Hastie, Tibshirani & Friedman, The Elements of Statistical Learning (2nd ed.), section 2.3.2.
"""

from __future__ import annotations

from typing import Any

from ..base import RegressorMixin
from ..utils._lazy import map_rows, maps_rows
from ..utils._compile import compiled_once
from ..utils._scatter import scatter_add
from ..utils._warnings import warn
from ._base import NeighborsBase, neighbour_weights
from ._kneighbors import KNeighborsMixin
from ._radius import RadiusNeighborsMixin

__all__ = ["KNeighborsRegressor", "RadiusNeighborsRegressor"]


class KNeighborsRegressor(RegressorMixin, KNeighborsMixin, NeighborsBase):
    """Regressor that averages the targets of the k nearest training points (brute-force search).

    Parameters
    ----------
    n_neighbors : int, default=5
        How many neighbours are averaged.
    weights : {"uniform", "distance"}, callable or None, default="uniform"
        "uniform" (or None): a plain mean. "distance": each neighbour weighs 1/d. A callable gets the
        (n_queries, n_neighbors) distances, an array of the backend, and returns the weights.
    algorithm : {"auto", "ball_tree", "kd_tree", "brute"}, default="auto"
        Accepted for scikit-learn compatibility: xpml always searches by brute force, which finds
        the same neighbours scikit-learn's trees find.
    leaf_size : int, default=30
        Accepted for scikit-learn compatibility (the leaf size of its trees); unused.
    p : float, default=2
        The power of the Minkowski metric: 1 is manhattan, 2 euclidean, inf chebyshev; 0 < p < 1
        gives a semi-metric (with a warning, as scikit-learn).
    metric : str or callable, default="minkowski"
        One of "minkowski", "euclidean", "l2", "manhattan", "l1", "cityblock", "chebyshev",
        "infinity", "cosine"; or a callable metric(x, y, **metric_params) of two 1-D numpy
        arrays, called on every pair on the host (slow, as in scikit-learn).
    metric_params : dict, optional
        Keyword arguments of the metric: "p" (which then overrides `p`, with a warning) and "w",
        the feature weights of the Minkowski metric; or those of a callable metric.
    n_jobs : int, optional
        Accepted for scikit-learn compatibility: the backend decides the parallelism.
    backend : str or Backend, optional
        Where to compute ("numpy", "cupy", "torch", "jax", ..., optionally with a device). None uses
        the backend in force at fit time. On dask the queries stay in their chunks, each chunk searched
        lazily against the training set, which is the model: it is computed whole into the memory of
        each task that predicts, so it must fit there.
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
    >>> from xpml.neighbors import KNeighborsRegressor
    >>> model = KNeighborsRegressor(n_neighbors=2).fit([[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 4.0, 9.0])
    >>> model.predict([[0.2], [2.9]]).tolist()
    [0.5, 6.5]
    """

    _multi_output = True  # y may be (n_samples, n_targets)

    def fit(self, X: Any, y: Any) -> KNeighborsRegressor:
        """Store the training points and their targets.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)

        Returns
        -------
        self
        """
        X, self._y = self._validate_data(X, y)  # (n, p), (n,) or (n, t)
        self._fit_points(X)
        return self

    def predict(self, X: Any):
        """The (weighted) mean target of each query's neighbours.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)

        Returns
        -------
        y_pred : array of shape (n_queries,) or (n_queries, n_targets)
        """
        X_in = X
        X = self._validate_data(X, reset=False)
        if maps_rows(self._backend):  # dask: each chunk of queries against the training set, lazily
            if self._y.ndim == 2:
                return map_rows(self, "predict", X, self._y.shape[1], X.dtype)
            return map_rows(self, "predict", X, None, X.dtype)
        xp = self._xp
        distances, indices = self._kneighbors(X, self.n_neighbors)  # (q, k), (q, k)
        weights = self._neighbour_weights(distances)  # (q, k)
        Y = self._y if self._y.ndim == 2 else self._y[:, None]  # (n, t)
        targets = xp.take(Y, xp.reshape(indices, (-1,)), axis=0)  # (q * k, t)
        targets = xp.reshape(targets, (*indices.shape, Y.shape[1]))  # (q, k, t)
        y_pred = xp.sum(weights[:, :, None] * targets, axis=1) / xp.sum(weights, axis=1)[:, None]  # (q, t)
        return self._output(y_pred if self._y.ndim == 2 else y_pred[:, 0], X_in)


class RadiusNeighborsRegressor(RegressorMixin, RadiusNeighborsMixin, NeighborsBase):
    """Regressor that averages the targets of the training points within a radius (brute-force search).

    Parameters
    ----------
    radius : float, default=1.0
        The largest distance (inclusive) of a neighbour that is averaged.
    weights : {"uniform", "distance"}, callable or None, default="uniform"
        "uniform" (or None): a plain mean. "distance": each neighbour weighs 1/d. A callable gets the
        distances of all the queries' neighbours, the rows end to end as one flat array of the backend
        (scikit-learn's ragged rows, joined), and returns their weights, elementwise.
    algorithm : {"auto", "ball_tree", "kd_tree", "brute"}, default="auto"
        Accepted for scikit-learn compatibility: xpml always searches by brute force, which finds
        the same neighbours scikit-learn's trees find.
    leaf_size : int, default=30
        Accepted for scikit-learn compatibility (the leaf size of its trees); unused.
    p : float, default=2
        The power of the Minkowski metric: 1 is manhattan, 2 euclidean, inf chebyshev; 0 < p < 1
        gives a semi-metric (with a warning, as scikit-learn).
    metric : str or callable, default="minkowski"
        As for KNeighborsRegressor: a metric name, or a callable metric(x, y, **metric_params).
    metric_params : dict, optional
        Keyword arguments of the metric ("p", "w" for the Minkowski metric, or the callable's).
    n_jobs : int, optional
        Accepted for scikit-learn compatibility: the backend decides the parallelism.
    backend : str or Backend, optional
        Where to compute. None uses the backend in force at fit time. On dask the queries stay in their
        chunks, each chunk searched lazily against the training set, which must fit in a task's memory.
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
    >>> from xpml.neighbors import RadiusNeighborsRegressor
    >>> model = RadiusNeighborsRegressor(radius=1.0).fit([[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 4.0, 9.0])
    >>> model.predict([[0.2], [2.9]]).tolist()
    [0.5, 6.5]
    """

    _multi_output = True  # y may be (n_samples, n_targets)

    def fit(self, X: Any, y: Any) -> RadiusNeighborsRegressor:
        """Store the training points and their targets.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)

        Returns
        -------
        self
        """
        X, self._y = self._validate_data(X, y)  # (n, p), (n,) or (n, t)
        self._fit_points(X)
        return self

    def predict(self, X: Any):
        """The (weighted) mean target of the training points within `radius` of each query; NaN, with a warning,
        for a query that has none.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)

        Returns
        -------
        y_pred : array of shape (n_queries,) or (n_queries, n_targets)
        """
        X_in, X = X, self._validate_data(X, reset=False)
        if maps_rows(self._backend):  # dask: each chunk of queries against the training set, lazily
            return map_rows(self, "predict", X, self._y.shape[1] if self._y.ndim == 2 else None, X.dtype)
        xp, q = self._xp, X.shape[0]
        indptr, rows, columns, distances = self._radius_pairs(X, self._radius_of(None))  # (q + 1,), (nnz,) each
        mean = _weighted_means if callable(self.weights) else compiled_once(_weighted_means, self._backend,
                                                                            ("xp", "weights", "n_rows"))
        Y = self._y if self._y.ndim == 2 else self._y[:, None]  # (n, t)
        y_pred = mean(xp, self.weights, q, distances, rows, columns, Y)  # (q, t)
        if bool(xp.any(indptr[1:] == indptr[:-1])):
            warn("One or more samples have no neighbors within specified radius; predicting NaN.", UserWarning)
        return self._output(y_pred if self._y.ndim == 2 else y_pred[:, 0], X_in)


def _weighted_means(xp, weights, n_rows: int, distances, rows, columns, Y):
    """(n_rows, t): each query's weighted mean of its neighbours' targets, by scatter-adds over the (query,
    neighbour) pairs (nnz,); NaN for a query without neighbours. Y (n, t) the training targets."""
    w = neighbour_weights(xp, weights, distances, rows, n_rows)  # (nnz,)
    targets = xp.take(Y, columns, axis=0)  # (nnz, t)
    sums = xp.stack([scatter_add(w * targets[:, j], rows, n_rows, xp=xp) for j in range(Y.shape[1])], axis=1)
    totals = scatter_add(w, rows, n_rows, xp=xp)[:, None]  # (n_rows, 1)
    return xp.where(totals == 0, xp.nan, sums / xp.where(totals == 0, xp.ones_like(totals), totals))
