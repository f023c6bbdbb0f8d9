"""Radius-neighbour classification: a query takes the (weighted) majority label of the training points within
a radius of it.

Each training point at distance d <= r casts a vote for its label, of weight 1 (uniform) or 1/d (distance;
a training point at distance 0 decides alone, sharing with any others at distance 0). The class
probabilities are the vote shares, and the prediction is the class with the most votes, the first in
`classes_` order on a tie. A query with no training point within the radius is an outlier: it is given
`outlier_label` (probability 1 for that class, or 0 for every class if the label is not one of them, with a
warning), and without one, predicting it is an error, as in scikit-learn.

The votes of all queries are one scatter-add over the (query, neighbour) pairs of the radius search
(`_radius`), never split into rows.

Reference: Bentley, Stanat & Williams, "The complexity of finding fixed-radius near neighbors", Information
Processing Letters 6(6), 1977.
"""

from __future__ import annotations

from numbers import Integral, Number
from typing import Any

from .._backend import to_numpy
from ..base import ClassifierMixin
from ..utils._bincount import bincount
from ..utils._compile import compiled_once
from ..utils._host import concat_host, encode, host_array, label_kind
from ..utils._lazy import map_rows, maps_rows
from ..utils._scatter import scatter_add
from ..utils._warnings import warn
from ._base import NeighborsBase, neighbour_weights
from ._radius import RadiusNeighborsMixin

__all__ = ["RadiusNeighborsClassifier"]


class RadiusNeighborsClassifier(ClassifierMixin, RadiusNeighborsMixin, NeighborsBase):
    """Classifier that votes among the training points within a radius (brute-force search).

    Parameters
    ----------
    radius : float, default=1.0
        The largest distance (inclusive) of a neighbour that votes.
    weights : {"uniform", "distance"}, callable or None, default="uniform"
        "uniform" (or None): one vote each. "distance": a vote weighs 1/d. A callable gets the distances
        of all the queries' neighbours, the rows end to end as one flat array of the backend
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
        As for KNeighborsClassifier: a metric name, or a callable metric(x, y, **metric_params).
    outlier_label : int, str, array-like of one label, "most_frequent" or None, default=None
        The label of a query with no neighbour within the radius: a label (of the kind of y's: a string
        or a number), a list holding one, or "most_frequent", the most frequent class of y (the first
        in `classes_` order on a tie). None: predicting such a query raises a ValueError.
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
    classes_ : ndarray of shape (n_classes,)
        The labels seen at fit, sorted.
    n_features_in_ : int
    n_samples_fit_ : int
        The number of training points searched.
    effective_metric_ : str
        The metric used: `metric`, or for "minkowski" with p = 1, 2 or inf (unweighted), the named one.
    effective_metric_params_ : dict
        The metric's parameters ("p" and "w" for the Minkowski metric).
    outlier_label_ : list of one label, or None
        The label given to outliers (one per output; y has one), as resolved from `outlier_label`.
    outputs_2d_ : bool
        False: y holds one label per sample.

    Examples
    --------
    >>> from xpml.neighbors import RadiusNeighborsClassifier
    >>> model = RadiusNeighborsClassifier(radius=1.5, outlier_label="most_frequent")
    >>> model = model.fit([[0.0], [1.0], [2.0], [3.0], [4.0]], [0, 0, 1, 1, 1])
    >>> model.predict([[0.9], [9.0]]).tolist(), model.predict_proba([[1.4]]).round(3).tolist()
    ([0, 1], [[0.667, 0.333]])
    """

    _parameter_constraints = {**RadiusNeighborsMixin._parameter_constraints,
                              "outlier_label": [Integral, "str", "array-like", None]}

    def __init__(self, radius: float = 1.0, *, weights: Any = "uniform", algorithm: str = "auto", leaf_size: int = 30,
                 p: float = 2, metric: str = "minkowski", outlier_label: Any = None, metric_params: dict | None = None,
                 n_jobs: int | None = None, backend: Any = None, dtype: str | None = None):
        self.radius = radius
        self.weights = weights
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.p = p
        self.metric = metric
        self.outlier_label = outlier_label
        self.metric_params = metric_params
        self.n_jobs = n_jobs
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any) -> RadiusNeighborsClassifier:
        """Store the training points and their labels, and resolve the outliers' label.

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
        self.outlier_label_ = self._resolve_outlier_label()
        return self

    def _resolve_outlier_label(self) -> list | None:
        """[the outliers' label] (one output), checked against the classes; None without one."""
        label, classes = self.outlier_label, self.classes_
        if label is None:
            return None
        if isinstance(label, str) and label == "most_frequent":
            counts = to_numpy(bincount(self._y, len(classes), xp=self._xp))  # (C,): one small read, a label
            return [classes[counts.argmax()].item()]
        if not isinstance(label, str) and hasattr(label, "__len__"):  # array-like: a label per output
            if len(label) != 1:
                raise ValueError(f"outlier_label={label!r} has {len(label)} labels; y has 1 output, so it should "
                                 f"hold 1.")
            label = list(label)[0]
        kind = "str" if isinstance(label, str) else "num" if isinstance(label, Number) else None
        integral = not isinstance(label, Number) or classes.dtype.kind not in "biu" or float(label).is_integer()
        if kind != label_kind(classes, "y") or not integral:
            raise TypeError(f"outlier_label={self.outlier_label!r}: the label {label!r} is not of the kind of the "
                            f"classes {classes.tolist()} in y.")
        return [label]

    def predict_proba(self, X: Any):
        """Each class's share of the (weighted) votes of the training points within `radius`.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features)

        Returns
        -------
        proba : array of shape (n_queries, n_classes)
            Columns in the order of `classes_`; rows sum to 1, but an outlier's: one-hot on `outlier_label_`,
            or all zeros if it is not a class.
        """
        X_in, X = X, self._validate_data(X, reset=False)
        if maps_rows(self._backend):  # dask: each chunk of queries against the training set, lazily
            return map_rows(self, "predict_proba", X, len(self.classes_), X.dtype)
        return self._output(self._proba(X), X_in)

    def predict(self, X: Any):
        """The label with the most (weighted) votes within `radius`; on a tie, the first in `classes_`; an
        outlier's, `outlier_label_`.

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
        xp = self._xp
        proba = self._proba(X)  # (q, C)
        index = xp.argmax(proba, axis=1)  # (q,)
        if self.outlier_label_ is None:
            return self._labels(index, X_in)
        # outliers (and queries whose neighbours all weigh 0) have no votes: the outlier label, a class or not
        table, label = self.classes_, self.outlier_label_[0]
        where = int(encode([label], table)[0])
        if where < 0:  # a label that is not a class: one more entry in the table of labels
            table, where = concat_host(table, host_array([label])), len(table)
            if self.classes_.dtype.kind in "biuf":
                table = table.astype(self.classes_.dtype)
        no_vote = xp.all(proba == 0, axis=1)  # (q,)
        return self._labels(xp.where(no_vote, xp.asarray(where, dtype=index.dtype, device=index.device), index),
                            X_in, table)

    def _proba(self, X):
        """(q, C) vote shares, from one scatter-add of the weights of the (query, neighbour) pairs."""
        xp, q = self._xp, X.shape[0]
        indptr, rows, columns, distances = self._radius_pairs(X, self._radius_of(None))  # (q + 1,), (nnz,) each
        vote = _votes if callable(self.weights) else compiled_once(_votes, self._backend,
                                                                   ("xp", "weights", "n_rows", "n_classes"))
        votes = vote(xp, self.weights, q, len(self.classes_), distances, rows, columns, self._y)  # (q, C)
        outliers = indptr[1:] == indptr[:-1]  # (q,) no neighbour within the radius
        if bool(xp.any(outliers)):  # a read at the edge: whether to raise, or to warn
            votes = self._outlier_votes(votes, outliers)
        totals = xp.sum(votes, axis=1, keepdims=True)  # (q, 1)
        return votes / xp.where(totals == 0, xp.ones_like(totals), totals)

    def _outlier_votes(self, votes, outliers):
        """The votes with the outliers' rows one-hot on the outlier label (left at 0 if it is not a class)."""
        xp = self._xp
        if self.outlier_label_ is None:
            found = to_numpy(xp.nonzero(outliers)[0]).tolist()
            raise ValueError(f"No neighbors found for test samples {found} within radius={self.radius!r}: use a "
                             f"larger radius, give an outlier_label (a class, or 'most_frequent'), or remove them "
                             f"from the data.")
        label = self.outlier_label_[0]
        where = int(encode([label], self.classes_)[0])
        if where < 0:
            warn(f"Outlier label {label!r} is not in training classes. All class probabilities of outliers will be "
                 f"assigned with 0.", UserWarning)
            return votes
        one_hot = xp.astype(xp.arange(votes.shape[1], device=votes.device) == where, votes.dtype)  # (C,)
        return xp.where(outliers[:, None], one_hot, votes)


def _votes(xp, weights, n_rows: int, n_classes: int, distances, rows, columns, y):
    """(n_rows, n_classes): each query's weighted votes for each class, one scatter-add over the (query, neighbour)
    pairs (nnz,); y (n,) the training points' class indices."""
    w = neighbour_weights(xp, weights, distances, rows, n_rows)  # (nnz,)
    labels = xp.take(y, columns)  # (nnz,) each neighbour's class
    cell = xp.astype(rows, labels.dtype) * n_classes + labels  # (nnz,) its (query, class) cell
    return xp.reshape(scatter_add(w, cell, n_rows * n_classes, xp=xp), (n_rows, n_classes))
