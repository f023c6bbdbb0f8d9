"""FeatureAgglomeration: agglomerative clustering of the features (the columns of X), each cluster pooled into one.

The features are the points: column j of X, its n_samples values, is a point of n_samples coordinates, and
`AgglomerativeClustering`'s tree of merges is built over them (`_agglomerative`, `_linkage`). `transform` then
replaces each cluster of columns by their mean (or another pooling function), and `inverse_transform` gives each
column its cluster's value back.
"""

from __future__ import annotations

from typing import Any

from .._backend import to_numpy
from ..base import TransformerMixin, check_is_fitted
from ..utils._feature_names import prefixed_feature_names
from ..utils._host import host_namespace
from ..utils._param_validation import Options
from ..utils._scatter import scatter_add
from ..utils.validation import check_array
from ._agglomerative import AgglomerativeClustering

__all__ = ["FeatureAgglomeration"]


class FeatureAgglomeration(TransformerMixin, AgglomerativeClustering):
    """Merge similar features: agglomerative clustering of the columns of X, each cluster pooled into one column.

    Parameters
    ----------
    n_clusters, metric, memory, connectivity, compute_full_tree, linkage, distance_threshold, compute_distances
        As for `AgglomerativeClustering`, with the features as the points (a connectivity graph is
        (n_features, n_features)).
    pooling_func : "mean" or callable, default="mean"
        How a cluster's columns become one: "mean", their mean, computed on the backend; or a callable called as
        scikit-learn calls it, pooling_func(columns, axis=1), on each cluster's columns of X as a numpy array on
        the host (numpy.mean, numpy.median, ...). scikit-learn's default is numpy.mean, which "mean" computes.
    backend, dtype
        Where and in which precision to compute (see `xpml.linear_model.LinearRegression`).

    Attributes
    ----------
    n_clusters_ : int
    labels_ : integer array of shape (n_features,)
        The cluster of each feature.
    n_leaves_, n_connected_components_, children_, distances_
        As for `AgglomerativeClustering`, over the features.
    n_features_in_ : int
    feature_names_in_ : array of shape (n_features_in_,)
        Defined when X is a DataFrame with string column names.

    Examples
    --------
    >>> from xpml.cluster import FeatureAgglomeration
    >>> X = [[1.0, 1.1, 5.0, 5.2], [2.0, 2.1, 1.0, 1.1], [3.0, 2.9, 0.0, 0.2]]
    >>> model = FeatureAgglomeration(n_clusters=2).fit(X)
    >>> model.labels_.tolist(), model.transform(X).round(2).tolist()
    ([1, 1, 0, 0], [[5.1, 1.05], [1.05, 2.05], [0.1, 2.95]])
    """

    _parameter_constraints = {**AgglomerativeClustering._parameter_constraints,
                              "pooling_func": [Options({"mean"}), "callable"]}
    _points_are = ("feature", "n_features")

    def __init__(self, n_clusters: int | None = 2, *, metric: str = "euclidean", memory: Any = None,
                 connectivity: Any = None, compute_full_tree: str | bool = "auto", linkage: str = "ward",
                 pooling_func: Any = "mean", distance_threshold: float | None = None, compute_distances: bool = False,
                 backend: Any = None, dtype: str | None = None):
        super().__init__(n_clusters, metric=metric, memory=memory, connectivity=connectivity,
                         compute_full_tree=compute_full_tree, linkage=linkage, distance_threshold=distance_threshold,
                         compute_distances=compute_distances, backend=backend, dtype=dtype)
        self.pooling_func = pooling_func

    @property
    def fit_predict(self):
        """Not available: the clusters are of features, not of samples (as in scikit-learn)."""
        raise AttributeError("FeatureAgglomeration has no fit_predict: it clusters features; use fit and labels_.")

    def fit(self, X: Any, y: Any = None) -> FeatureAgglomeration:
        """Build the tree of merges of X's columns and cut it into clusters.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self
        """
        given = X
        X = self._validate_data(X)
        self._fit_tree(X.T, given)  # (n_features, n_samples): the features are the points
        return self

    def transform(self, X: Any) -> Any:
        """Pool each cluster of columns into one: of shape (n_samples, n_clusters_)."""
        X_in, X = X, self._validate_data(X, reset=False)
        xp, k = self._xp, self.n_clusters_
        if isinstance(self.pooling_func, str):  # the mean of each cluster's columns
            sizes = scatter_add(xp.ones(X.shape[1], dtype=X.dtype, device=self._device), self.labels_, k, xp=xp)
            return self._output((scatter_add(X.T, self.labels_, k, xp=xp) / sizes[:, None]).T, X_in)  # (n, k)
        hx, host, labels = host_namespace(), to_numpy(X), to_numpy(self.labels_)
        pooled = hx.stack([hx.asarray(self.pooling_func(host[:, labels == j], axis=1)) for j in range(k)], axis=1)
        return self._output(self._to_backend(pooled, dtype=self._dtype), X_in)

    def inverse_transform(self, X: Any) -> Any:
        """Give each feature its cluster's value: (n_samples, n_clusters_) to (n_samples, n_features) (or
        (n_clusters_,) to (n_features,))."""
        check_is_fitted(self)
        nested = isinstance(X, (list, tuple)) and isinstance(X[0], (list, tuple))
        one_row = getattr(X, "ndim", None) == 1 or (isinstance(X, (list, tuple)) and not nested)
        X_in, X = X, check_array(X, self._backend, dtype=self._dtype, ndim=1 if one_row else 2)
        if X.shape[-1] != self.n_clusters_:
            raise ValueError(f"X has {X.shape[-1]} columns, but {type(self).__name__} found n_clusters_="
                             f"{self.n_clusters_}; inverse_transform takes transformed data.")
        return self._output(self._xp.take(X, self.labels_, axis=X.ndim - 1), X_in)

    def get_feature_names_out(self, input_features: Any = None):
        """The output column names: "featureagglomeration0", "featureagglomeration1", ..., one per cluster."""
        check_is_fitted(self)
        return prefixed_feature_names(self, self.n_clusters_, input_features)
