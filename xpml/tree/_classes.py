"""Decision trees for classification and regression (CART), grown by the histogram method.

A tree splits the feature space by questions "x_j <= t?", chosen greedily: each node takes the
split that decreases the impurity of its samples most (`_criteria`). Every feature is binned once
into at most 256 bins (`xpml.utils._binning`); a feature with at most 256 distinct values gets one
bin per value, so the tree is then the exact CART tree, the same as scikit-learn's (up to the
choice between candidate splits of exactly equal merit). splitter="random" searches nothing and reads the
raw values instead, without bins (`_random_splits`). The nodes of a level grow together (`_grow`); the
result is scikit-learn's `tree_` arrays (`_structure`).

Reference: Breiman, Friedman, Olshen & Stone, Classification and Regression Trees (1984).
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, ClassifierMixin, RegressorMixin, clone
from ..datasets import Bunch
from ..utils._param_validation import Interval, Options
from ..utils._random import check_random_state
from ..utils._special import safe_log
from . import _structure
from ._stats import class_stats, regression_stats
from ._fit import fit_trees
from ._grow import Rules

__all__ = ["BaseDecisionTree", "DecisionTreeClassifier", "DecisionTreeRegressor"]

_COMMON_CONSTRAINTS = {
    "splitter": [Options({"best", "random"})],
    "max_depth": [Interval(Integral, 1, None, closed="left"), None],
    "min_samples_split": [Interval(Integral, 2, None, closed="left"), Interval(float, 0.0, 1.0, closed="right")],
    "min_samples_leaf": [Interval(Integral, 1, None, closed="left"), Interval(float, 0.0, 1.0, closed="neither")],
    "min_weight_fraction_leaf": [Interval(Real, 0.0, 0.5, closed="both")],
    "max_features": [Interval(Integral, 1, None, closed="left"), Interval(float, 0.0, 1.0, closed="right"),
                     Options({"sqrt", "log2"}), None],
    "random_state": ["random_state"],
    "max_leaf_nodes": [Interval(Integral, 2, None, closed="left"), None],
    "min_impurity_decrease": [Interval(Real, 0.0, None, closed="left")],
    "ccp_alpha": [Interval(Real, 0.0, None, closed="left")],
    "monotonic_cst": [None],
    **BACKEND_CONSTRAINTS,
}


class BaseDecisionTree(BaseEstimator):
    """What both trees share: fitting from statistics, `apply`, `decision_path`, the importances."""

    _criterion_options: tuple = ()

    def _rules(self, n_samples: int, n_features: int, total_weight: float) -> Rules:
        leaf = self.min_samples_leaf
        leaf = leaf if isinstance(leaf, Integral) else max(1, math.ceil(leaf * n_samples))
        split = self.min_samples_split
        split = split if isinstance(split, Integral) else max(2, math.ceil(split * n_samples))
        return Rules(criterion=self.criterion, max_depth=math.inf if self.max_depth is None else self.max_depth,
                     min_samples_split=max(split, 2 * leaf), min_samples_leaf=leaf,
                     min_weight_leaf=self.min_weight_fraction_leaf * total_weight,
                     min_impurity_decrease=self.min_impurity_decrease,
                     max_features=self._max_features(n_features), splitter=self.splitter, dtype=self._dtype)

    def _max_features(self, p: int) -> int:
        m = self.max_features
        if m is None:
            return p
        if m == "sqrt":
            return max(1, int(math.sqrt(p)))
        if m == "log2":
            return max(1, int(math.log2(p)))
        if isinstance(m, Integral):
            if m > p:
                raise ValueError(f"max_features={m} should be <= n_features={p}.")
            return m
        return max(1, int(m * p))

    def _grow_tree(self, X, stats, weights):
        """Grow the tree on X (binned, for splitter="best") with the per-sample statistics (n, k); set `tree_` and the
        importances."""
        xp = self._xp
        if self.criterion not in self._criterion_options:
            raise ValueError(f"criterion={self.criterion!r} should be one of "
                             f"{', '.join(repr(c) for c in sorted(self._criterion_options))}.")
        n, p = X.shape
        rules = self._rules(n, p, float(xp.sum(weights)))
        self.tree_ = fit_trees(xp, X, stats, weights, rules, max_leaf_nodes=self.max_leaf_nodes,
                               ccp_alpha=self.ccp_alpha, rng=check_random_state(self.random_state),
                               backend=self._backend)[0]
        self.max_features_ = rules.max_features
        self.feature_importances_ = _structure.feature_importances(xp, self.tree_, p)
        return self

    def apply(self, X: Any, check_input: bool = True):
        """The index of the leaf each sample ends in.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        check_input : bool, default=True
            Accepted for scikit-learn's signature; X is always checked.

        Returns
        -------
        leaves : array of shape (n_samples,)
        """
        X_in = X
        return self._output(_structure.apply(self._xp, self.tree_, self._validate_X(X, reset=False)), X_in)

    def decision_path(self, X: Any, check_input: bool = True):
        """The nodes each sample passes through: a dense 0/1 array of shape (n_samples, node_count)."""
        X_in = X
        return self._output(_structure.decision_path(self._xp, self.tree_, self._validate_X(X, reset=False)), X_in)

    def cost_complexity_pruning_path(self, X: Any, y: Any, sample_weight: Any = None):
        """Minimal cost-complexity pruning of this tree grown on (X, y) unpruned: a Bunch of `ccp_alphas`, the α at
        which each weakest link goes (from 0, increasing), and `impurities`, the total leaf impurity left after."""
        grown = clone(self).set_params(ccp_alpha=0.0).fit(X, y, sample_weight=sample_weight)
        ccp_alphas, impurities = _structure.pruning_path(grown.tree_)
        return Bunch(ccp_alphas=ccp_alphas, impurities=impurities)

    def get_depth(self) -> int:
        """The depth of the tree: the most splits from the root to a leaf."""
        return self.tree_.max_depth

    def get_n_leaves(self) -> int:
        """The number of leaves of the tree."""
        return self.tree_.n_leaves

    def _leaf_values(self, X):
        """(n, k): the value of the leaf each row of X (already validated) ends in."""
        return _structure.leaf_values(self._xp, self.tree_, X)


class DecisionTreeClassifier(ClassifierMixin, BaseDecisionTree):
    """A decision tree classifier (CART).

    Parameters
    ----------
    criterion : {"gini", "entropy", "log_loss"}, default="gini"
        The impurity a split decreases: Gini's, or the entropy in bits ("log_loss" is the same).
    splitter : {"best", "random"}, default="best"
        "best": the best split of every feature; "random": the best of one split per feature, at a threshold
        drawn uniformly between the node's smallest and largest value of it, on the raw values (Extra-Trees:
        `ExtraTreeClassifier`, `_random_splits`).
    max_depth : int, optional
        The most splits from the root to a leaf (None: until the leaves are pure or too small).
    min_samples_split : int or float, default=2
        The fewest samples a node needs to split (a float: that fraction of n_samples, rounded up).
    min_samples_leaf : int or float, default=1
        The fewest samples each child of a split must have (a float: a fraction of n_samples).
    min_weight_fraction_leaf : float, default=0.0
        The smallest share of the total sample weight each child must have.
    max_features : int, float, {"sqrt", "log2"} or None, default=None
        How many features each node draws at random to choose its split from (None: all).
    random_state : int, Generator, RandomState or None
        Seeds the feature draws and the random cuts.
    max_leaf_nodes : int, optional
        Grow best-first (the split that decreases the impurity most, first) up to this many leaves.
    min_impurity_decrease : float, default=0.0
        A node splits only if the split decreases the weighted impurity by at least this much.
    class_weight : dict, "balanced" or None
        Weights of the classes, multiplying the sample weights.
    ccp_alpha : float, default=0.0
        The complexity parameter of minimal cost-complexity pruning (0: no pruning).
    monotonic_cst : None
        Monotonicity constraints: not supported (only None).
    backend : str or Backend, optional
    dtype : {"float32", "float64"}, optional

    Attributes
    ----------
    tree_ : Tree
        scikit-learn's arrays: children_left, children_right, feature, threshold, value (fractions of
        the weighted samples per class), impurity, n_node_samples, weighted_n_node_samples,
        node_count, max_depth.
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    n_outputs_ : int
    max_features_ : int
    feature_importances_ : array of shape (n_features,)
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.tree import DecisionTreeClassifier
    >>> model = DecisionTreeClassifier().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
    >>> model.tree_.threshold[0].item(), model.predict([[0.4], [2.6]]).tolist()
    (1.5, [0, 1])
    """

    _criterion_options = ("gini", "entropy", "log_loss")
    _parameter_constraints: dict = {**_COMMON_CONSTRAINTS, "criterion": [Options({"gini", "entropy", "log_loss"})],
                              "class_weight": [None, "dict", Options({"balanced"})]}

    def __init__(self, *, criterion="gini", splitter="best", max_depth=None, min_samples_split=2,
                 min_samples_leaf=1, min_weight_fraction_leaf=0.0, max_features=None, random_state=None,
                 max_leaf_nodes=None, min_impurity_decrease=0.0, class_weight=None, ccp_alpha=0.0,
                 monotonic_cst=None, backend=None, dtype=None):
        self.criterion = criterion
        self.splitter = splitter
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.random_state = random_state
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.class_weight = class_weight
        self.ccp_alpha = ccp_alpha
        self.monotonic_cst = monotonic_cst
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None, check_input: bool = True):
        """Grow the tree on X and the labels y (with optional sample weights). Returns self."""
        X, y_index = self._validate_labels(X, y)
        stats, w = class_stats(self, y_index, sample_weight)
        self.n_classes_, self.n_outputs_ = len(self.classes_), 1
        return self._grow_tree(X, stats, w)

    def predict_proba(self, X: Any, check_input: bool = True):
        """The class shares of the leaf each sample falls in, shape (n_samples, n_classes)."""
        X_in = X
        return self._output(self._leaf_values(self._validate_X(X, reset=False)), X_in)

    def predict_log_proba(self, X: Any):
        """The logarithm of `predict_proba` (-inf for a class absent from the leaf)."""
        xp = self._xp
        proba = self._leaf_values(self._validate_X(X, reset=False))
        return self._output(safe_log(proba, xp=xp), X)

    def predict(self, X: Any, check_input: bool = True):
        """The most frequent (weighted) class of the leaf each sample falls in."""
        X_in = X
        return self._labels(self._xp.argmax(self._leaf_values(self._validate_X(X, reset=False)), axis=1), X_in)


class DecisionTreeRegressor(RegressorMixin, BaseDecisionTree):
    """A decision tree regressor (CART) with the squared error criterion.

    Parameters
    ----------
    criterion : {"squared_error"}, default="squared_error"
        The impurity of a node is the weighted variance of its targets.
    splitter, max_depth, min_samples_split, min_samples_leaf, min_weight_fraction_leaf, max_features,
    random_state, max_leaf_nodes, min_impurity_decrease, ccp_alpha, monotonic_cst, backend, dtype
        As for `DecisionTreeClassifier`.

    Attributes
    ----------
    tree_ : Tree
        scikit-learn's arrays; `value` holds the weighted mean target of each node.
    n_outputs_ : int
    max_features_ : int
    feature_importances_ : array of shape (n_features,)
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.tree import DecisionTreeRegressor
    >>> model = DecisionTreeRegressor(max_depth=1).fit([[0.0], [1.0], [2.0], [3.0]], [1.0, 1.0, 5.0, 7.0])
    >>> model.predict([[0.0], [3.0]]).tolist()
    [1.0, 6.0]
    """

    _criterion_options = ("squared_error",)
    _parameter_constraints: dict = {**_COMMON_CONSTRAINTS, "criterion": [Options({"squared_error"})]}

    def __init__(self, *, criterion="squared_error", splitter="best", max_depth=None, min_samples_split=2,
                 min_samples_leaf=1, min_weight_fraction_leaf=0.0, max_features=None, random_state=None,
                 max_leaf_nodes=None, min_impurity_decrease=0.0, ccp_alpha=0.0, monotonic_cst=None,
                 backend=None, dtype=None):
        self.criterion = criterion
        self.splitter = splitter
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.random_state = random_state
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.ccp_alpha = ccp_alpha
        self.monotonic_cst = monotonic_cst
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None, check_input: bool = True):
        """Grow the tree on X and the targets y (with optional sample weights). Returns self."""
        X, y = self._validate_data(X, y, multi_output=False)
        stats, w = regression_stats(self, y, sample_weight)
        self.n_outputs_ = 1
        return self._grow_tree(X, stats, w)

    def predict(self, X: Any, check_input: bool = True):
        """The mean target of the leaf each sample falls in, shape (n_samples,)."""
        X_in = X
        return self._output(self._leaf_values(self._validate_X(X, reset=False))[:, 0], X_in)

