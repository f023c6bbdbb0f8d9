"""AgglomerativeClustering: hierarchical clustering by single, complete, average or Ward linkage.

A fit, in three parts:

1. the connectivity graph, for structured clustering: made symmetric, and its connected components joined, each
   pair by an edge between their two nearest points, as scikit-learn joins them (with a warning)
   (`_structured.components`, `_structured.join_components`);
2. the merges, on the backend: Prim's minimum spanning tree for single linkage (`_linkage`), rounds that merge
   every two clusters each other's nearest, with the Lance-Williams update, for the others (`_reciprocal`),
   sorted by height as scipy sorts them; on a graph, the
   greedy sequence of scikit-learn's heap, by Müllner's generic algorithm (`_structured`);
3. the tree, on the host (`_hierarchy`): the merges numbered as scipy and scikit-learn number them, each row of
   children_ [smaller node, larger node] (single linkage's in the order of its edge's points, as scikit-learn
   records them), and the labels, numbered as scikit-learn's cut of the tree numbers them.
"""

from __future__ import annotations

import abc
import math
from numbers import Integral, Real
from typing import Any

from .._backend import device_of, to_numpy
from ..base import BACKEND_CONSTRAINTS, BaseEstimator
from ..utils._csr import is_csr
from ..utils._param_validation import Interval, Options
from ..utils._threads import one_host_thread
from ..utils._warnings import warn
from ..utils.validation import check_array
from ._hierarchy import cut_tree, number_the_merges, top_nodes
from ._linkage import distance_matrix, prim_merges, unit_rows
from ._reciprocal import reciprocal_merges
from ._structured import components, generic_merges, join_components

__all__ = ["AgglomerativeClustering"]

_ALIASES = {"l2": "euclidean", "l1": "manhattan", "cityblock": "manhattan"}
_METRICS = {"euclidean", "manhattan", "cosine", "precomputed", *_ALIASES}
_SKLEARN_MST = {"euclidean", "manhattan"}  # single linkage's metrics that scikit-learn's own Prim's algorithm measures


class _Memory(abc.ABC):
    """An object with joblib.Memory's interface (a `cache` method)."""

    @classmethod
    def __subclasshook__(cls, C):
        return True if callable(getattr(C, "cache", None)) else NotImplemented


_Memory.__name__ = "joblib.Memory-like object (with a cache method)"


class AgglomerativeClustering(BaseEstimator):
    """Hierarchical clustering: n clusters of one point each, merged two at a time, the closest first.

    Parameters
    ----------
    n_clusters : int or None, default=2
        The number of clusters to find; None when distance_threshold sets it.
    metric : {"euclidean", "l2", "manhattan", "l1", "cityblock", "cosine", "precomputed"}, default="euclidean"
        The distance between points ("precomputed": X holds them, (n_samples, n_samples), read from its upper
        triangle). Ward linkage takes "euclidean" ("l2") only. scikit-learn's other metrics and callables are
        refused.
    memory : None, str or object with a joblib.Memory interface, default=None
        Accepted for scikit-learn compatibility (its cache of the tree on disk); xpml does not cache the tree.
    connectivity : array-like, sparse matrix or callable, default=None
        A graph (n_samples, n_samples) whose edges (non-zero entries, made symmetric) are the only merges allowed:
        structured clustering. A callable gets X (in the input's library) and returns the graph (e.g. a
        `kneighbors_graph`). A graph of several connected components is completed, each pair of components joined
        by an edge between their nearest points, with a warning.
    compute_full_tree : "auto" or bool, default="auto"
        With a graph, False stops the tree at n_clusters clusters ("auto": when n_clusters >= max(100, 0.02 n)
        and no distance_threshold). The tree is always full without a graph.
    linkage : {"ward", "complete", "average", "single"}, default="ward"
        The distance between clusters that the merges minimize (see `xpml.cluster._linkage`).
    distance_threshold : float or None, default=None
        Cut the tree where the merges reach this distance: the clusters are those joined below it (n_clusters_ is
        1 + the number of merges at or above it).
    compute_distances : bool, default=False
        Keep distances_ even without distance_threshold.
    backend, dtype
        Where and in which precision to compute (see `xpml.linear_model.LinearRegression`). Not dask: the merges
        compare every cluster with every other.

    Attributes
    ----------
    n_clusters_ : int
    labels_ : integer array of shape (n_samples,)
        The cluster of each point, numbered as scikit-learn numbers them.
    n_leaves_ : int
    n_connected_components_ : int
        Of the connectivity graph (1 without one).
    children_ : integer array of shape (n_merges, 2)
        The nodes merged at each step: a node < n_samples is a point, node n_samples + t the merge of step t.
    distances_ : array of shape (n_merges,)
        The linkage distance of each merge (with distance_threshold or compute_distances).
    n_features_in_ : int
    feature_names_in_ : array of shape (n_features_in_,)
        Defined when X is a DataFrame with string column names.

    Notes
    -----
    Merges at exactly equal distances may be taken in another order than scikit-learn's, which can change
    children_ and, rarely, the clusters. A fit takes O(n²) time (O(n³) at worst for complete, average and Ward):
    single linkage in n steps of vectorized O(n) work (one compiled loop on jax), the others without a graph in some
    tens of rounds of vectorized work over the matrix of distances, and O(n²) memory: the n x n matrix of
    distances and, with a graph, its n x n matrix of edges (scikit-learn keeps the graph sparse); single linkage
    without a graph needs neither.

    Examples
    --------
    >>> from xpml.cluster import AgglomerativeClustering
    >>> X = [[1, 2], [1, 4], [1, 0], [4, 2], [4, 4], [4, 0]]
    >>> AgglomerativeClustering().fit(X).labels_.tolist()
    [1, 1, 1, 0, 0, 0]
    """

    _parameter_constraints = {
        "n_clusters": [Interval(Integral, 1, None, closed="left"), None],
        "metric": [Options(_METRICS)],
        "memory": [None, "str", _Memory],
        "connectivity": ["array-like", "callable", None],
        "compute_full_tree": [Options({"auto"}), "boolean"],
        "linkage": [Options({"ward", "complete", "average", "single"})],
        "distance_threshold": [Interval(Real, 0, None, closed="left"), None],
        "compute_distances": ["boolean"],
        **BACKEND_CONSTRAINTS,
    }

    def __init__(self, n_clusters: int | None = 2, *, metric: str = "euclidean", memory: Any = None,
                 connectivity: Any = None, compute_full_tree: str | bool = "auto", linkage: str = "ward",
                 distance_threshold: float | None = None, compute_distances: bool = False, backend: Any = None,
                 dtype: str | None = None):
        self.n_clusters = n_clusters
        self.metric = metric
        self.memory = memory
        self.connectivity = connectivity
        self.compute_full_tree = compute_full_tree
        self.linkage = linkage
        self.distance_threshold = distance_threshold
        self.compute_distances = compute_distances
        self.backend = backend
        self.dtype = dtype

    _points_are = ("sample", "n_samples")  # what the clusters group: the rows of X (FeatureAgglomeration: its columns)

    @property
    def _squares_X(self) -> bool:  # squared distances of X: values beyond ~1e150 refused at input; not distances
        return self.metric != "precomputed"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "clusterer"  # (and not pairwise with metric="precomputed": scikit-learn's tags)
        return tags

    def fit(self, X: Any, y: Any = None) -> AgglomerativeClustering:
        """Build the tree of merges of X's points and cut it into clusters.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or (n_samples, n_samples)
            The points, or their distances if metric="precomputed".
        y : ignored

        Returns
        -------
        self
        """
        given = X
        X = self._validate_data(X)
        self._fit_tree(X, given)
        return self

    def fit_predict(self, X: Any, y: Any = None) -> Any:
        """Fit, then return `labels_` (the cluster of each point), of shape (n_samples,)."""
        return self._output(self.fit(X).labels_, X)

    # ---- the fit, on validated X (n, p): FeatureAgglomeration's fit gives it the features as points ---------------

    def _fit_tree(self, X, given) -> None:
        xp, n = self._xp, X.shape[0]
        metric = _ALIASES.get(self.metric, self.metric)
        full = self._check_settings(xp, X, metric)
        edges, self.n_connected_components_ = self._graph(xp, X, given, metric)
        structured = edges is not None
        n_merges = n - 1 if full or self.linkage == "single" else n - self.n_clusters
        left, right, height = self._merges(xp, X, metric, edges, n_merges)  # (n - 1,) each, in merge order
        if self.linkage == "single" or not structured:  # sorted by height (stably), as scipy and scikit-learn do
            order = xp.argsort(height, stable=True)
            left, right, height = xp.take(left, order), xp.take(right, order), xp.take(height, order)
        keep_sides = self.linkage == "single" and (structured or metric in _SKLEARN_MST)
        children = number_the_merges(to_numpy(left[:n_merges]).tolist(), to_numpy(right[:n_merges]).tolist(), n,
                                      keep_sides=keep_sides, order_edges=structured)
        index = xp.__array_namespace_info__().default_dtypes(device=self._device)["indexing"]
        self.children_ = xp.reshape(xp.asarray(children, dtype=index, device=self._device), (-1, 2))
        self.n_leaves_ = n
        if self.distance_threshold is not None or self.compute_distances:
            self.distances_ = height[:n_merges]
        if self.distance_threshold is not None:
            self.n_clusters_ = int(xp.sum(xp.astype(self.distances_ >= self.distance_threshold, index))) + 1
        else:
            self.n_clusters_ = self.n_clusters
        labels = cut_tree(children, n, self.n_clusters_) if full else top_nodes(children, n, n - self.n_clusters)
        self.labels_ = xp.asarray(labels, dtype=index, device=self._device)

    def _check_settings(self, xp, X, metric: str) -> bool:
        """The settings' rules, checked as scikit-learn checks them; whether the tree is built whole."""
        n, (point, n_points) = X.shape[0], self._points_are
        if n < 2:
            raise ValueError(f"X has {n} {point}(s) while a minimum of 2 is required by {type(self).__name__}.")
        if (self.n_clusters is None) == (self.distance_threshold is None):
            raise ValueError(f"Exactly one of n_clusters and distance_threshold has to be set, and the other needs "
                             f"to be None; got n_clusters={self.n_clusters!r} and "
                             f"distance_threshold={self.distance_threshold!r}.")
        if self.distance_threshold is not None and not self.compute_full_tree:
            raise ValueError(f"compute_full_tree must be True if distance_threshold is set; got "
                             f"compute_full_tree={self.compute_full_tree!r}.")
        if self.linkage == "ward" and metric != "euclidean":
            raise ValueError(f"metric={self.metric!r} was provided, but linkage='ward' can only work with euclidean "
                             f"distances (metric 'euclidean' or 'l2').")
        if self.n_clusters is not None and self.n_clusters > n:
            raise ValueError(f"{n_points}={n} should be >= n_clusters={self.n_clusters}.")
        if metric == "precomputed" and X.shape[0] != X.shape[1]:
            raise ValueError(f"X should be a square matrix of distances (n_samples, n_samples) for "
                             f"metric='precomputed'; got shape {tuple(X.shape)}.")
        if metric == "cosine" and bool(xp.any(xp.all(X == 0, axis=1))):
            raise ValueError(f"X has {point}s that are all zeros, whose cosine distance to anything is undefined: "
                             f"metric='cosine' cannot be used with them.")
        full = True if self.connectivity is None else self.compute_full_tree
        if full == "auto":
            full = self.distance_threshold is not None or self.n_clusters < max(100, 0.02 * n)
        return bool(full)

    def _points(self, xp, X, metric: str):
        """What the linkages measure: X (unit rows for cosine), or the distances read from X's upper triangle."""
        if metric == "cosine":
            return unit_rows(xp, X)
        if metric != "precomputed":
            return X
        index = xp.arange(X.shape[0], device=device_of(X))
        return xp.where(index[:, None] < index[None, :], X, X.T)  # (n, n), symmetric

    def _merges(self, xp, X, metric: str, edges, n_merges: int):
        """(left, right, height), each (n - 1,): the merges, in the order the linkage's algorithm makes them; on one
        host thread (many kernels of a few MB each, which threads on shared cores slow: `xpml.utils._threads`)."""
        with one_host_thread(self._backend):
            return self._merges_on_one_thread(xp, X, metric, edges, n_merges)

    def _merges_on_one_thread(self, xp, X, metric: str, edges, n_merges: int):
        points = self._points(xp, X, metric)
        if self.linkage == "single":
            return prim_merges(xp, self._backend, points, metric, edges)
        if metric == "precomputed":
            index = xp.arange(points.shape[0], device=device_of(points))
            D = xp.where(index[:, None] == index[None, :], math.inf, points)  # (n, n)
        else:  # (n, n), inf on the diagonal; squared for Ward's rounds
            squared = self.linkage == "ward" and edges is None
            D = distance_matrix(xp, self._backend, "sqeuclidean" if squared else metric, points)
        if edges is None:
            return reciprocal_merges(xp, self._backend, D, self.linkage)
        if self.linkage != "ward":  # complete and average on a graph: no edge, no distance
            return generic_merges(xp, self._backend, xp.where(edges, D, math.inf), self.linkage, n_merges)
        return generic_merges(xp, self._backend, D, self.linkage, n_merges, edges)

    def _graph(self, xp, X, given, metric: str):
        """The connectivity graph's edges (n, n) bool, made symmetric and connected (None without a graph), and its
        number of connected components."""
        if self.connectivity is None:
            return None, 1
        n = X.shape[0]
        graph = self.connectivity(self._output(X, given)) if callable(self.connectivity) else self.connectivity
        graph = check_array(graph, self._backend, name="connectivity", dtype=self._dtype, accept_sparse=True)
        graph = graph.toarray() if is_csr(graph) else graph
        if tuple(graph.shape) != (n, n):
            name = self._points_are[1]
            raise ValueError(f"connectivity should be a graph of shape ({name}, {name}) = ({n}, {n}); got shape "
                             f"{tuple(graph.shape)}.")
        index = xp.arange(n, device=device_of(X))
        edges = ((graph + graph.T) != 0) & (index[:, None] != index[None, :])  # (n, n)
        component, n_components = components(xp, edges)
        if n_components > 1:
            warn(f"the number of connected components of the connectivity matrix is {n_components} > 1. Completing "
                 f"it to avoid stopping the tree early.", UserWarning)
            D = X if metric == "precomputed" else distance_matrix(xp, self._backend, metric, self._points(xp, X,
                                                                                                          metric))
            edges = join_components(xp, edges, D, component, n_components)
        return edges, n_components
