"""DBSCAN: density-based clustering, with noise.

A point is a core point when the points within eps of it (itself included) weigh at least min_samples.
Two core points within eps of each other are in the same cluster, and clusters are the connected components
of that graph. A point that is not core joins the cluster of a core point within eps of it (a border point),
or is noise (label -1). (Ester, Kriegel, Sander & Xu, "A density-based algorithm for discovering clusters in
large spatial databases with noise", KDD 1996.)

`dbscan_labels` finds them from the ε-graph, found once and kept as its edges (`_eps_neighbourhoods`:
W[i, j] = [d(xᵢ, xⱼ) <= eps]); every step below is a gather, a segment sum or a segment minimum over the edges:

1. core points: the weight of each point's neighbourhood, Σⱼ W[i, j] wⱼ, a segment sum over each row's edges;
2. clusters: min-label propagation on the core points. Every point starts as its own label; each pass
   computes reach[j] = min {label[i] : i core, W[i, j]} (a gather of the senders' labels, then a segment minimum
   over each receiver's edges) and every core point takes the smaller of its label and its reach; the label it
   held is lowered with it (hooking: parent[label[j]] = min(..., reach[j])), and labels are followed to their
   labels' labels (pointer jumping, log₂ n steps). Labels only decrease, and a pass that changes nothing ends
   it: each core point's label is then the smallest index in its component. Hooking and jumping (after
   Shiloach & Vishkin, "An O(log n) parallel connectivity algorithm", J. Algorithms 3, 1982) keep the passes
   few: 5 or 6 in all on blobs and moons of 2,000 to 10,000 points, where labels moved a neighbour a pass would
   need hundreds on a long chain of points in shuffled order;
3. numbering: the clusters are numbered in the order of their smallest index, and a border point takes the
   smallest cluster among the core points within eps of it: its reach in the last pass.

This is scikit-learn's result, label for label: scikit-learn expands a cluster depth-first from each core point
not yet labelled, in index order, so its clusters are numbered by their first core point, and a border point
reachable from two clusters stays in the first to reach it, the one of the smaller number. On precomputed
distances that are not symmetric (W[i, j] without W[j, i]: a k-nearest-neighbours graph), scikit-learn's
expansion follows each core point's own row; so does the propagation, which then leaves out the hooking (that
assumes W symmetric) and takes more passes: each point then joins the cluster of the smallest core point whose
expansion reaches it, scikit-learn's answer there too.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

from .._backend import device_of
from ..base import BACKEND_CONSTRAINTS, BaseEstimator
from ..neighbors._base import METRICS
from ..utils._csr import is_csr
from ..utils._param_validation import Interval, Options
from ..utils._segments import segment_max
from ..utils._threads import one_host_thread
from ..utils.validation import check_sample_weight
from ._eps_neighbourhoods import eps_graph

__all__ = ["DBSCAN", "dbscan", "dbscan_labels"]


def dbscan_labels(xp, graph, sample_weight, min_samples: int):
    """DBSCAN's core points (n,) bool and labels (n,) int (-1: noise), from the ε-graph (`EpsGraph`) and the sample
    weights (n,) or None (ones)."""
    n = graph.n
    index = xp.arange(n, device=device_of(graph.rows))  # (n,), of the default integer dtype
    # 1. core points: the weight of each point's neighbourhood, itself included
    core = graph.neighbourhood_weights(xp, sample_weight) >= min_samples  # (n,)
    # 2. clusters: each core point labelled by the smallest index of its component
    label, reach = core_components(xp, graph, core, index)  # (n,), (n,)
    # 3. numbered by their smallest index; a border point in the smallest cluster reaching it, n: noise
    root = xp.where(core, label, reach)  # (n,)
    number = xp.cumulative_sum(xp.astype(core & (label == index), index.dtype)) - 1  # (n,): clusters before i
    return core, xp.where(root < n, xp.take(number, xp.clip(root, max=n - 1)), -1)


def core_components(xp, graph, core, index):
    """Min-label propagation over the core points: (label, reach), each (n,), when a pass changes nothing. label[i]
    is then the smallest index of i's component for a core point (i for the others), reach[j] the smallest label of
    a core point i with W[i, j] (n where there is none)."""
    n, label = graph.n, index
    receiver, sender = graph.by_receiver(xp)  # (edges,) each, by receiver
    offering = xp.nonzero(xp.take(core, sender))[0]  # (m,): the edges from a core point, the only ones that offer
    receiver, sender = xp.take(receiver, offering), xp.take(sender, offering)  # (m,) each, still by receiver
    while True:
        reach = smallest_per_segment(xp, label, receiver, n, senders=sender)  # (n,): a pass
        new = xp.where(core, xp.minimum(label, reach), label)
        if graph.symmetric:  # hooking: the label each core point held takes its reach too
            new = xp.minimum(new, smallest_offer(xp, label, xp.where(core, reach, n), n))
        for _ in range(math.ceil(math.log2(max(n, 2)))):  # pointer jumping: a label's label, ...
            new = xp.take(new, new)
        if not bool(xp.any(new != label)):
            return label, reach
        label = new


def smallest_per_segment(xp, values, ids, n: int, senders=None):
    """out[j] = min {values[e] : ids[e] = j} (n,), n where none, for integers values in [0, n] (m,) and their ids
    sorted ascending (m,): `segment_max` of the values negated, in floating point (whose integers are exact up to
    2⁵³, 2²⁴ in float32: more points than a brute-force search compares). With `senders` (m,), the values are those
    of points, values[senders[e]] for e: negated and made floating once a point, not once an edge."""
    m = ids.shape[0] if senders is None else senders.shape[0]
    if m == 0:  # no core point: nothing offered
        return xp.full(n, n, dtype=values.dtype, device=device_of(values))
    negated = -xp.astype(values, xp.float64 if n >= 2**24 else xp.float32)  # (m,), or (n,) with senders
    smallest = -segment_max(negated if senders is None else xp.take(negated, senders), ids, n, xp=xp)  # inf: none
    return xp.astype(xp.where(smallest == math.inf, n, smallest), values.dtype)


def smallest_offer(xp, target, offer, n: int):
    """out[t] = min {offer[j] : target[j] = t} (n,), n where none, for targets in [0, n) (m,) and their offers (m,):
    a scatter-min, from the pairs (target, offer) sorted by target, then offer (two stable sorts), where each
    target's first pair holds its smallest offer."""
    order = xp.argsort(offer, stable=True)
    order = xp.take(order, xp.argsort(xp.take(target, order), stable=True))  # (m,)
    targets, offers = xp.take(target, order), xp.take(offer, order)  # (m,) each, sorted
    every = xp.arange(n, dtype=target.dtype, device=device_of(target))  # (n,)
    first = xp.clip(xp.searchsorted(targets, every), max=target.shape[0] - 1)  # (n,): each target's first pair
    return xp.where(xp.take(targets, first) == every, xp.take(offers, first), n)


# ---- the estimator and the function (scikit-learn's signatures) ------------------------------------------------


class DBSCAN(BaseEstimator):
    """DBSCAN clustering: dense regions of core points, their border points, and noise (-1).

    Parameters
    ----------
    eps : float, default=0.5
        The largest distance (inclusive) between two points for one to be in the other's neighbourhood.
    min_samples : int, default=5
        The weight (the number of points, without sample_weight) a neighbourhood needs for its point to be a core
        point; the point itself counts.
    metric : str or callable, default="euclidean"
        "euclidean" ("l2"), "sqeuclidean", "manhattan" ("l1", "cityblock"), "chebyshev" ("infinity"),
        "minkowski", "cosine"; "precomputed" (X holds the distances, dense, or a sparse graph whose stored
        entries are the only neighbours); or a callable metric(x, y, **metric_params) of two 1-D numpy arrays,
        called on every pair on the host (slow, as in scikit-learn). scikit-learn's other metrics (those of
        scipy.spatial.distance) are refused.
    metric_params : dict, optional
        Keyword arguments of the metric: "p" (which overrides `p`, with a warning) and "w", the feature weights
        of the Minkowski metric; or those of a callable metric.
    algorithm : {"auto", "ball_tree", "kd_tree", "brute"}, default="auto"
        Accepted for scikit-learn compatibility: xpml compares every pair by brute force, a block at a time,
        and finds the neighbourhoods scikit-learn's trees find.
    leaf_size : int, default=30
        Accepted for scikit-learn compatibility (the leaf size of its trees); unused.
    p : float, optional
        The power of the Minkowski metric (metric="minkowski"): 1 is manhattan, None and 2 euclidean, inf
        chebyshev.
    n_jobs : int, optional
        Accepted for scikit-learn compatibility: the backend decides the parallelism.
    backend, dtype
        Where and in which precision to compute (see `xpml.linear_model.LinearRegression`). Not dask: the
        passes compare every point with every other, which chunks of rows cannot do alone.

    Attributes
    ----------
    core_sample_indices_ : integer array of shape (n_core_samples,)
        The indices of the core points, ascending.
    components_ : array of shape (n_core_samples, n_features)
        The core points' rows of X; for a sparse X, a sparse matrix of the backend (xpml's `CSR`, whose
        `toarray()` gives the dense rows), as scikit-learn keeps them sparse.
    labels_ : integer array of shape (n_samples,)
        The cluster of each point, numbered in the order of their first core point, as scikit-learn's; -1: noise.
    n_features_in_ : int

    Notes
    -----
    The neighbourhoods are found once, by NearestNeighbors' radius search, and kept as scikit-learn keeps them:
    memory grows with the number of pairs within eps. A pair at a distance of exactly eps is decided as
    scikit-learn's trees decide it, from the differences summed feature by feature (`_eps_neighbourhoods`); where
    scikit-learn searches by brute force instead (more than 15 features, 11 points or fewer, sparse X, the cosine
    metric), its own product's rounding decides such ties, and may differ. float32 data are compared in float32
    (scikit-learn's trees compute in float64).

    Examples
    --------
    >>> from xpml.cluster import DBSCAN
    >>> X = [[1.0, 2.0], [2.0, 2.0], [2.0, 3.0], [8.0, 7.0], [8.0, 8.0], [25.0, 80.0]]
    >>> model = DBSCAN(eps=3, min_samples=2).fit(X)
    >>> model.labels_.tolist(), model.core_sample_indices_.tolist()
    ([0, 0, 0, 1, 1, -1], [0, 1, 2, 3, 4])
    """

    _accepts_sparse = True  # euclidean and cosine from sparse products, a sparse graph of distances; others dense

    _parameter_constraints = {
        "eps": [Interval(Real, 0, None, closed="neither")],
        "min_samples": [Interval(Integral, 1, None, closed="left")],
        "metric": [Options(METRICS | {"sqeuclidean", "precomputed"}), "callable"],
        "metric_params": ["dict", None],
        "algorithm": [Options({"auto", "ball_tree", "kd_tree", "brute"})],
        "leaf_size": [Interval(Integral, 1, None, closed="left")],
        "p": [Interval(Real, 0, None, closed="neither", allow_inf=True), None],  # p=inf: the Chebyshev distance
        "n_jobs": [Interval(Integral, None, None), None],
        **BACKEND_CONSTRAINTS,
    }

    def __init__(self, eps: float = 0.5, *, min_samples: int = 5, metric: Any = "euclidean",
                 metric_params: dict | None = None, algorithm: str = "auto", leaf_size: int = 30,
                 p: float | None = None, n_jobs: int | None = None, backend: Any = None, dtype: str | None = None):
        self.eps = eps
        self.min_samples = min_samples
        self.metric = metric
        self.metric_params = metric_params
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.p = p
        self.n_jobs = n_jobs
        self.backend = backend
        self.dtype = dtype

    @property
    def _squares_X(self) -> bool:  # squared distances of X: values beyond ~1e150 refused at input; not distances
        return self.metric != "precomputed"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "clusterer"
        tags.input_tags.pairwise = self.metric == "precomputed"
        return tags

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> DBSCAN:
        """Cluster X.

        Parameters
        ----------
        X : array-like or sparse matrix of shape (n_samples, n_features), or (n_samples, n_samples)
            The points, or their distances if metric="precomputed".
        y : ignored
        sample_weight : array-like of shape (n_samples,), optional
            The weight of each point in the neighbourhoods' weights: a point of weight at least min_samples is a
            core point by itself; a negative weight may keep its neighbours from being core points.

        Returns
        -------
        self
        """
        X = self._validate_data(X)
        xp = self._xp
        if self.metric == "precomputed":
            _check_distances(xp, X)
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0],
                                                dtype=self._dtype, allow_negative=True)
        graph = eps_graph(self, X, float(self.eps))  # the edges (i, j) within eps, found once
        with one_host_thread(self._backend):  # see xpml.utils._threads
            core, self.labels_ = dbscan_labels(xp, graph, sample_weight, self.min_samples)  # (n,), (n,)
        self.core_sample_indices_ = xp.nonzero(core)[0]  # (n_core,)
        self.components_ = X.take_rows(self.core_sample_indices_) if is_csr(X) else \
            xp.take(X, self.core_sample_indices_, axis=0)  # (n_core, p)
        return self

    def fit_predict(self, X: Any, y: Any = None, sample_weight: Any = None) -> Any:
        """Fit, then return `labels_` (the cluster of each point, -1 for noise), of shape (n_samples,)."""
        return self._output(self.fit(X, sample_weight=sample_weight).labels_, X)


def _check_distances(xp, X) -> None:
    """A precomputed X: square, without negative distances."""
    if X.shape[0] != X.shape[1]:
        raise ValueError(f"X should be a square matrix of distances (n_samples, n_samples) for metric='precomputed'; "
                         f"got shape {tuple(X.shape)}.")
    if bool(xp.any((X.data if is_csr(X) else X) < 0)):
        raise ValueError("X should hold distances >= 0 for metric='precomputed'; got negative values.")


def dbscan(X: Any, eps: float = 0.5, *, min_samples: int = 5, metric: Any = "minkowski",
           metric_params: dict | None = None, algorithm: str = "auto", leaf_size: int = 30, p: float = 2,
           sample_weight: Any = None, n_jobs: int | None = None):
    """DBSCAN clustering of X, as a function (`DBSCAN` with these parameters, on the backend in force).

    Parameters
    ----------
    X : array-like or sparse matrix of shape (n_samples, n_features), or (n_samples, n_samples)
        The points, or their distances if metric="precomputed".
    eps, min_samples, metric, metric_params, algorithm, leaf_size, p, n_jobs
        As for `DBSCAN` (here metric defaults to "minkowski" with p=2, the euclidean distance, as in scikit-learn).
    sample_weight : array-like of shape (n_samples,), optional

    Returns
    -------
    core_samples : integer array of shape (n_core_samples,)
        The indices of the core points.
    labels : integer array of shape (n_samples,)
        The cluster of each point; -1: noise.
    """
    model = DBSCAN(eps, min_samples=min_samples, metric=metric, metric_params=metric_params, algorithm=algorithm,
                   leaf_size=leaf_size, p=p, n_jobs=n_jobs).fit(X, sample_weight=sample_weight)
    return model._output(model.core_sample_indices_, X), model._output(model.labels_, X)
