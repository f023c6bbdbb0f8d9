"""Isolation forest: outliers are the samples that random trees isolate in few splits.

Each isolation tree grows on `max_samples` samples drawn from the training set (without replacement,
unless `bootstrap`), and on `max_features` features: each node takes one feature at random among
those that vary in it, and a threshold uniformly between that feature's smallest and largest value
there, until each sample is alone, all left are identical, or the tree is ceil(log2(max_samples))
deep. A sample x that ends in a leaf of depth d, where n of the tree's samples ended, has the path length

    h(x) = d + c(n),    c(n) = 2 (ln(n - 1) + γ) - 2 (n - 1) / n  for n > 2,  c(2) = 1,  c(1) = 0,

c(n) being the average path length of an unsuccessful search in a binary search tree of n keys (the
harmonic number H(n - 1) taken as ln(n - 1) + γ): the depth the unbuilt subtree would have added. Over
the trees, the anomaly score is

    s(x) = 2^(-E[h(x)] / c(max_samples)),

near 1 for the samples isolated early (outliers), about 0.5 or less for the others. As scikit-learn's,
`score_samples` gives -s(x) (higher is more normal), `offset_` is -0.5 (contamination="auto") or the
contamination-quantile of the training samples' scores, `decision_function` is score_samples - offset_,
and `predict` labels -1 (outlier) where it is negative, +1 elsewhere.

The trees are extra trees of one candidate feature (`xpml.tree._random_splits`) grown as one batch of
nodes (`xpml.tree._fit.fit_trees`), each on its own samples (the rows it drew) and features (`allowed`); the draws
of samples and features are bagging's (`_bagging`), as scikit-learn's IsolationForest is a bagging.

References: Liu, Ting & Zhou, "Isolation Forest", ICDM 2008; "Isolation-based anomaly detection",
ACM Transactions on Knowledge Discovery from Data 6 (2012).
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

from .._backend import backend_of, to_backend, to_numpy
from ..base import BACKEND_CONSTRAINTS, OutlierMixin
from ..tree import ExtraTreeRegressor, _forest_walk, _structure
from ..tree._fit import fit_trees
from ..tree._grow import Rules
from ..utils._bincount import bincount
from ..utils._binning import integer_dtype
from ..utils._host import host_array, host_namespace
from ..utils._param_validation import Interval, Options
from ..utils._quantiles import nan_quantiles
from ..utils._random import check_random_state, draw
from ..utils._warnings import warn
from ..utils.validation import check_sample_weight
from ._bagging import _BaseBagging
from ._members import MAX_SEED

__all__ = ["IsolationForest", "average_path_length"]

EULER_GAMMA = 0.5772156649015329


def average_path_length(n, xp):
    """c(n) (same shape as the array n): the average path length of an unsuccessful search in a binary search tree
    of n keys, 2 (ln(n - 1) + γ) - 2 (n - 1) / n, with c(2) = 1 and c(n) = 0 for n <= 1."""
    safe = xp.where(n > 2, n, 3.0)  # the formula where it applies
    c = 2.0 * (xp.log(safe - 1.0) + EULER_GAMMA) - 2.0 * (safe - 1.0) / safe
    return xp.where(n > 2, c, xp.where(n == 2, 1.0, xp.zeros_like(c)))


class IsolationForest(OutlierMixin, _BaseBagging):
    """Isolation forest: the anomaly score of a sample from how few random splits isolate it.

    Parameters
    ----------
    n_estimators : int, default=100
        The number of isolation trees.
    max_samples : "auto", int or float, default="auto"
        The samples each tree draws: "auto" min(256, n_samples); an int (n_samples where it is more, with a
        warning); a float, that fraction of n_samples.
    contamination : "auto" or float in (0, 0.5], default="auto"
        The expected share of outliers: `offset_` is -0.5 ("auto", the original paper's threshold) or the
        score below which that share of the training samples lies.
    max_features : int or float, default=1.0
        The features each tree draws (without replacement; a float: that fraction of n_features).
    bootstrap : bool, default=False
        Draw each tree's samples with replacement.
    n_jobs, verbose
        Accepted for scikit-learn's signature; the trees grow as one batch.
    random_state : int, Generator, RandomState or None
        Seeds the samples, the features, the splits and the thresholds.
    warm_start : bool, default=False
        Keep the trees of the last fit and grow only the n_estimators - len(estimators_) more.
    backend, dtype
        Where and in what precision to compute.

    Attributes
    ----------
    estimators_ : list of ExtraTreeRegressor
        The isolation trees (each fitted on its features, `estimators_features_`, against random targets).
    estimator_ : ExtraTreeRegressor
    estimators_features_ : list of arrays of shape (max_features_,)
    estimators_samples_ : list of arrays of shape (max_samples_,)
        The samples each tree drew (repeats where bootstrap).
    max_samples_ : int
    offset_ : float
    n_features_in_ : int
    feature_names_in_ : array of shape (n_features_in_,)
        With a DataFrame's string column names.

    Notes
    -----
    NaN and infinity are refused (scikit-learn's trees route NaN; xpml's do not). Each threshold is drawn
    uniformly between the node's smallest and largest raw value of its feature (`xpml.tree._random_splits`).

    Examples
    --------
    >>> from xpml.ensemble import IsolationForest
    >>> X = [[0.0], [0.1], [0.2], [0.3], [0.2], [0.1], [5.0]]
    >>> IsolationForest(random_state=0).fit(X).predict([[0.15], [5.0]]).tolist()
    [1, -1]
    """

    _parameter_constraints: dict = {
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "max_samples": [Options({"auto"}), Interval(Integral, 1, None, closed="left"),
                        Interval(float, 0.0, 1.0, closed="right")],
        "contamination": [Options({"auto"}), Interval(Real, 0.0, 0.5, closed="right")],
        "max_features": [Interval(Integral, 1, None, closed="left"), Interval(Real, 0.0, 1.0, closed="right")],
        "bootstrap": ["boolean"],
        "n_jobs": [None, Integral],
        "random_state": ["random_state"],
        "verbose": [Integral],
        "warm_start": ["boolean"],
        **BACKEND_CONSTRAINTS,
    }
    bootstrap_features = False  # each tree's features are drawn without replacement (`_BaseBagging._draw`)

    def __init__(self, *, n_estimators=100, max_samples="auto", contamination="auto", max_features=1.0,
                 bootstrap=False, n_jobs=None, random_state=None, verbose=0, warm_start=False, backend=None,
                 dtype=None):
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.contamination = contamination
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None):
        """Grow the isolation trees on random samples of X (y is ignored; `sample_weight` (n_samples,) makes a
        sample that much likelier to be drawn). Returns self."""
        old = self._kept()  # warm start: the last fit's trees, their features, seeds and path lengths
        X = self._validate_X(X, reset=True)
        xp, (n, p) = self._xp, X.shape
        w = None if sample_weight is None else check_sample_weight(sample_weight, self._backend, n_samples=n,
                                                                   dtype=self._dtype)  # (n,)
        self.max_samples_, f = self._samples_per_tree(n), self._n_features(p)
        if w is not None and not self.bootstrap:  # the samples a tree can draw without replacement
            positive = int(xp.sum(xp.astype(w > 0, xp.int32)))
            if positive < self.max_samples_:
                raise ValueError(f"sample_weight has {positive} positive weights, fewer than the max_samples_="
                                 f"{self.max_samples_} samples each tree draws without replacement; give a smaller "
                                 f"max_samples, or bootstrap=True.")
        self._drawn, self._n_samples = (self.max_samples_, f), n  # what `_draw` draws for each tree
        self._sample_p = None if w is None else w / xp.sum(w)  # (n,) the probability of drawing each row
        rng = check_random_state(self.random_state)
        seeds = [int(s) for s in rng.integers(MAX_SEED, size=self.n_estimators)]  # the first ones: the kept trees'
        new = seeds[len(old[0]):]
        trees, features = self._grow(X, new, f, rng) if new else ([], [])
        self.estimator_ = ExtraTreeRegressor(max_features=1, backend=self._backend)
        self.estimators_, self.estimators_features_ = old[0] + trees, old[1] + features
        self._seeds = old[2] + new
        self._path_lengths = old[3] + [_node_path_lengths(xp, m.tree_, self._dtype) for m in trees]  # (nodes,) each
        if self.contamination == "auto":
            self.offset_ = -0.5  # s(x) = 0.5: the paper's line between outliers and the rest
        else:  # the contamination-quantile of the training samples' scores
            scores = self._score_samples(X)[:, None]  # (n, 1)
            self.offset_ = nan_quantiles(scores, [self.contamination], xp=xp)[0, 0]  # numpy's linear percentile
        return self

    def _kept(self) -> tuple:
        """With warm_start, what the last fit grew: (trees, their features, seeds, path lengths); else empty."""
        if not (self.warm_start and hasattr(self, "estimators_")):
            return [], [], [], []
        if self.n_estimators < len(self.estimators_):
            raise ValueError(f"n_estimators={self.n_estimators} should be >= len(estimators_)="
                             f"{len(self.estimators_)} with warm_start=True: trees are only added.")
        if self.n_estimators == len(self.estimators_):
            warn("Warm-start fitting without increasing n_estimators does not fit new trees.")
        return self.estimators_, self.estimators_features_, self._seeds, self._path_lengths

    def _samples_per_tree(self, n: int) -> int:
        m = self.max_samples
        if m == "auto":
            return min(256, n)
        if isinstance(m, Integral):
            if m > n:
                warn(f"max_samples={m} is greater than the number of samples, {n}: each tree draws all {n}.")
            return min(m, n)
        if int(m * n) < 1:
            raise ValueError(f"max_samples={m} of n_samples={n} gives {int(m * n)} samples a tree; it should give "
                             f"at least 1.")
        return int(m * n)

    def _grow(self, X, seeds: list, f: int, rng):
        """The trees of `seeds` (their samples and features drawn as bagging's `_draw`), grown as one batch: a
        list of ExtraTreeRegressor, and one of their features."""
        xp, (n, p) = self._xp, X.shape
        draws = [self._draw(seed) for seed in seeds]  # (features (f,), rows (max_samples_,)) of each tree
        drawn = xp.stack([rows for _, rows in draws])  # (T, max_samples_): the rows of each tree, without a (T, n)
        allowed = None if f == p else xp.stack([bincount(feats, p, xp=xp) > 0 for feats, _ in draws])  # (T, p)
        y = draw(rng, self._backend, "random", n, dtype=self._dtype)  # (n,) random targets, as scikit-learn's
        one = xp.ones_like(y)
        stats = xp.stack([one, one, y, y * y], axis=1)  # (n, 4): (counted, w, w y, w y²), a squared error's
        depth = math.ceil(math.log2(max(self.max_samples_, 2)))
        # one candidate feature a node: the criterion decides nothing, and no split is refused for its gain (on
        # random targets, rounding could make it negative): a node splits unless all its samples are alike
        rules = Rules(criterion="squared_error", max_depth=depth, min_samples_split=2, min_samples_leaf=1,
                      min_weight_leaf=0.0, min_impurity_decrease=-math.inf, max_features=1, splitter="random",
                      dtype=self._dtype)
        grown = fit_trees(xp, X, stats, one, rules, drawn=drawn, rng=rng, backend=self._backend, allowed=allowed)
        features = [feats for feats, _ in draws]
        members = [self._as_member(tree, seed, feats, depth) for tree, seed, feats in zip(grown, seeds, features)]
        importances = _structure.forest_importances(xp, [m.tree_ for m in members], f)  # the trees' together
        for member, imp in zip(members, importances):
            member.feature_importances_ = imp
        return members, features

    def _as_member(self, tree, seed: int, features, depth: int):
        """An ExtraTreeRegressor holding `tree`, its features renumbered as the columns of X[:, features] (its
        feature_importances_ are set by `_grow`)."""
        xp, p, f = self._xp, self.n_features_in_, features.shape[0]
        if f < p:  # the features are sorted: feature j is column (the number of chosen features <= j) - 1
            chosen = bincount(features, p, xp=xp) > 0  # (p,)
            column = xp.cumulative_sum(xp.astype(chosen, tree.feature.dtype)) - 1  # (p,)
            tree.feature = xp.where(tree.feature >= 0, xp.take(column, xp.where(tree.feature >= 0, tree.feature, 0)),
                                    tree.feature)
        model = ExtraTreeRegressor(max_depth=depth, max_features=1, random_state=seed, backend=self._backend)
        model._backend, model._dtype, model.n_features_in_ = self._backend, self._dtype, f
        model.tree_, model.n_outputs_, model.max_features_ = tree, 1, 1
        return model

    def _score_samples(self, X):
        """(n,): -s(x) of each row of X (validated): minus 2 to the power -(mean path length) / c(max_samples_)."""
        xp = self._xp
        every = all(features.shape[0] == self.n_features_in_ for features in self.estimators_features_)
        table = _forest_walk.forest_table(self, [model.tree_ for model in self.estimators_],
                                          None if every else self.estimators_features_, numbers=self._path_lengths)
        total = _forest_walk.summed(xp, table, X)  # (n,): Σ over the trees of the path lengths, tree after tree
        hx = host_namespace()
        c = float(average_path_length(host_array([float(self.max_samples_)]), xp=hx)[0])  # c(max_samples_)
        if c == 0:  # one sample a tree: every path is empty, and the score 0.5, as scikit-learn's
            return -xp.full_like(total, 0.5)
        return -(2.0 ** (-total / (len(self.estimators_) * c)))

    def score_samples(self, X: Any):
        """(n_samples,): the opposite of the anomaly score, -2^(-E[h(x)] / c(max_samples_)): the lower, the more
        abnormal (near -1 for samples isolated at once, about -0.5 or above for the others)."""
        X_in = X
        return self._output(self._score_samples(self._validate_X(X, reset=False)), X_in)

    def decision_function(self, X: Any):
        """(n_samples,): score_samples(X) - offset_: negative for outliers, positive for inliers."""
        X_in = X
        return self._output(self._score_samples(self._validate_X(X, reset=False)) - self.offset_, X_in)

    def predict(self, X: Any):
        """(n_samples,): -1 for the outliers (decision_function < 0), +1 for the inliers."""
        X_in, xp = X, self._xp
        decision = self._score_samples(self._validate_X(X, reset=False)) - self.offset_  # (n,)
        return self._output(xp.where(decision < 0, xp.asarray(-1, dtype=integer_dtype(xp, decision),
                                                                   device=self._device), 1), X_in)


def _node_path_lengths(xp, tree, dtype: str):
    """(node_count,): the path length h of a sample that ends at each node: the node's depth, plus c(n) for the n
    samples of the tree's draw that ended there. Computed on the host (a tree's few numbers a node), as every
    backend's then, and moved to the tree's device."""
    left, right = to_numpy(tree.children_left).tolist(), to_numpy(tree.children_right).tolist()
    depth = [0] * len(left)
    for node, (a, b) in enumerate(zip(left, right)):  # a parent is numbered before its children
        if a >= 0:
            depth[a] = depth[b] = depth[node] + 1
    hx = host_namespace()
    n = hx.astype(hx.asarray(to_numpy(tree.n_node_samples)), getattr(hx, dtype))  # (node_count,)
    lengths = hx.asarray(depth, dtype=getattr(hx, dtype)) + average_path_length(n, xp=hx)
    return to_backend(lengths, backend_of(tree.threshold))
