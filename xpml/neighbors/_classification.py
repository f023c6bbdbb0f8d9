"""k-nearest-neighbour classification: a query takes the (weighted) majority label of its neighbours.

With uniform weights each of the k nearest training points casts one vote for its label; with
distance weights a vote counts 1/d, so nearer points count more (and a training point at distance 0
decides alone, sharing with any others at distance 0). The class probabilities are the vote shares,
and the prediction is the class with the most votes, the first in `classes_` order on a tie.

Reference: Cover & Hart, "Nearest neighbor pattern classification", IEEE Trans. Inf. Theory 13(1), 1967.
"""

from __future__ import annotations

from typing import Any

from ..base import ClassifierMixin
from ..utils._lazy import map_rows, maps_rows
from ._base import NeighborsBase
from ._kneighbors import KNeighborsMixin

__all__ = ["KNeighborsClassifier"]


class KNeighborsClassifier(ClassifierMixin, KNeighborsMixin, NeighborsBase):
    """Classifier that votes among the k nearest training points (brute-force search).

    Parameters
    ----------
    n_neighbors : int, default=5
        How many neighbours vote.
    weights : {"uniform", "distance"}, callable or None, default="uniform"
        "uniform" (or None): one vote each. "distance": a vote weighs 1/d. A callable gets the
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
    classes_ : ndarray of shape (n_classes,)
        The labels seen at fit, sorted.
    n_features_in_ : int
    n_samples_fit_ : int
        The number of training points searched.
    effective_metric_ : str
        The metric used: `metric`, or for "minkowski" with p = 1, 2 or inf (unweighted), the named one.
    effective_metric_params_ : dict
        The metric's parameters ("p" and "w" for the Minkowski metric).
    outputs_2d_ : bool
        False: y holds one label per sample.

    Examples
    --------
    >>> from xpml.neighbors import KNeighborsClassifier
    >>> model = KNeighborsClassifier(n_neighbors=3).fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
    >>> model.predict([[1.1]]).tolist(), model.predict_proba([[0.9]]).round(3).tolist()
    ([0], [[0.667, 0.333]])
    """

    def fit(self, X: Any, y: Any) -> KNeighborsClassifier:
        """Store the training points and their labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Labels of any type.

        Returns
        -------
        self
        """
        X, self._y = self._validate_labels(X, y)  # (n, p), (n,) class indices
        self.outputs_2d_ = False  # one label per sample (scikit-learn also takes several)
        self._fit_points(X)
        return self

    def predict_proba(self, X: Any):
        """Each class's share of the (weighted) neighbour votes.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)

        Returns
        -------
        proba : array of shape (n_queries, n_classes)
            Columns in the order of `classes_`; rows sum to 1.
        """
        X_in, X = X, self._validate_data(X, reset=False)
        if maps_rows(self._backend):  # dask: each chunk of queries against the training set, lazily
            return map_rows(self, "predict_proba", X, len(self.classes_), X.dtype)
        return self._output(self._proba(X), X_in)

    def predict(self, X: Any):
        """The label with the most (weighted) neighbour votes; on a tie, the first in `classes_`.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)

        Returns
        -------
        labels : array of shape (n_queries,)
        """
        X_in, X = X, self._validate_data(X, reset=False)
        if maps_rows(self._backend):  # dask: each chunk of queries against the training set, lazily
            return map_rows(self, "predict", X, None, self.classes_.dtype)
        proba = self._proba(X)  # (q, C)
        return self._labels(self._xp.argmax(proba, axis=1), X_in)

    def _proba(self, X):
        xp = self._xp
        distances, indices = self._kneighbors(X, self.n_neighbors)  # (q, k), (q, k)
        weights = self._neighbour_weights(distances)  # (q, k)
        labels = xp.take(self._y, xp.reshape(indices, (-1,)), axis=0)  # (q * k,)
        labels = xp.reshape(labels, indices.shape)  # (q, k)
        classes = xp.arange(len(self.classes_), dtype=labels.dtype, device=labels.device)  # (C,)
        one_hot = xp.astype(labels[:, :, None] == classes, weights.dtype)  # (q, k, C)
        votes = xp.sum(weights[:, :, None] * one_hot, axis=1)  # (q, C)
        return votes / xp.sum(votes, axis=1, keepdims=True)
