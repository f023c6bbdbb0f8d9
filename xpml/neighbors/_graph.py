"""The graphs of neighbours of a data set, as functions: each sample's k nearest others (`kneighbors_graph`), or
all the others within a radius (`radius_neighbors_graph`), as a sparse (n_samples, n_samples) matrix.

Each fits a NearestNeighbors on X (or takes one already fitted) and asks it for the graph of the training
points, each left out of its own neighbours unless `include_self`.
"""

from __future__ import annotations

from typing import Any

from ..utils._param_validation import Options, check_param
from ._base import NeighborsBase
from ._unsupervised import NearestNeighbors

__all__ = ["kneighbors_graph", "radius_neighbors_graph"]


def kneighbors_graph(X: Any, n_neighbors: int, *, mode: str = "connectivity", metric: str = "minkowski",
                     p: float = 2, metric_params: dict | None = None, include_self: bool | str = False,
                     n_jobs: int | None = None):
    """The graph of the k nearest neighbours of each sample of X.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features), or a fitted NearestNeighbors
        The samples; or a fitted neighbours estimator, whose training points are the samples (its metric, p and
        metric_params must be the ones given here).
    n_neighbors : int
        How many neighbours each sample has.
    mode : {"connectivity", "distance"}, default="connectivity"
        What the graph holds at a sample's neighbours: 1, or their distance.
    metric, p, metric_params
        The distance, as for NearestNeighbors.
    include_self : bool or "auto", default=False
        Whether a sample is among its own neighbours (at distance 0); "auto": for mode="connectivity" only.
    n_jobs : int, optional
        Accepted for scikit-learn compatibility: the backend decides the parallelism.

    Returns
    -------
    graph : sparse matrix of shape (n_samples, n_samples)
        A scipy CSR matrix; under set_config(output="backend") the backend's own sparse matrix. Row i holds
        sample i's neighbours, nearest first.

    Examples
    --------
    >>> from xpml.neighbors import kneighbors_graph
    >>> kneighbors_graph([[0.0], [1.0], [3.0]], 1, mode="distance").toarray().tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 2.0, 0.0]]
    """
    model = _fitted(X, metric, p, metric_params, n_jobs, n_neighbors=n_neighbors)
    return model.kneighbors_graph(_queries(X, model, include_self, mode), n_neighbors, mode=mode)


def radius_neighbors_graph(X: Any, radius: float, *, mode: str = "connectivity", metric: str = "minkowski",
                           p: float = 2, metric_params: dict | None = None, include_self: bool | str = False,
                           n_jobs: int | None = None):
    """The graph of the neighbours within `radius` of each sample of X.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features), or a fitted NearestNeighbors
        The samples; or a fitted neighbours estimator, whose training points are the samples (its metric, p and
        metric_params must be the ones given here).
    radius : float
        The largest distance (inclusive) of a neighbour.
    mode : {"connectivity", "distance"}, default="connectivity"
        What the graph holds at a sample's neighbours: 1, or their distance.
    metric, p, metric_params
        The distance, as for NearestNeighbors.
    include_self : bool or "auto", default=False
        Whether a sample is among its own neighbours (at distance 0); "auto": for mode="connectivity" only.
    n_jobs : int, optional
        Accepted for scikit-learn compatibility: the backend decides the parallelism.

    Returns
    -------
    graph : sparse matrix of shape (n_samples, n_samples)
        A scipy CSR matrix; under set_config(output="backend") the backend's own sparse matrix. Row i holds
        sample i's neighbours in index order.

    Examples
    --------
    >>> from xpml.neighbors import radius_neighbors_graph
    >>> radius_neighbors_graph([[0.0], [1.0], [3.0]], 1.5).toarray().tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    model = _fitted(X, metric, p, metric_params, n_jobs, radius=radius)
    return model.radius_neighbors_graph(_queries(X, model, include_self, mode), radius, mode=mode)


def _fitted(X: Any, metric, p, metric_params, n_jobs, **search) -> NeighborsBase:
    """NearestNeighbors fitted on X; or X itself, a fitted neighbours estimator of the same metric."""
    if not isinstance(X, NeighborsBase):
        return NearestNeighbors(metric=metric, p=p, metric_params=metric_params, n_jobs=n_jobs, **search).fit(X)
    for name, value in (("metric", metric), ("p", p), ("metric_params", metric_params)):
        if value != getattr(X, name):
            raise ValueError(f"{name}={value!r}, while the estimator X has {name}={getattr(X, name)!r}: they should "
                             f"be the same.")
    return X


def _queries(X: Any, model: NeighborsBase, include_self: bool | str, mode: str) -> Any:
    """The queries for the graph of the training points: the points themselves (each its own neighbour), or None
    (each left out of its own neighbours)."""
    check_param("include_self", include_self, ["boolean", Options({"auto"})])
    if include_self == "auto":
        include_self = mode == "connectivity"
    if not include_self:
        return None
    return model._fit_X if isinstance(X, NeighborsBase) else X
