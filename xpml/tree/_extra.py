"""Extremely randomized trees: decision trees whose splits are drawn at random.

An extra tree is a `DecisionTreeClassifier` or `DecisionTreeRegressor` with splitter="random" and a
random subset of the features at each node by default: each candidate feature gets one threshold drawn
uniformly between its smallest and largest value in the node, and the node takes the best of those
splits (`_random_splits`: on the raw values, without bins, so exactly whatever the number of distinct
values). Alone, an extra tree is a high-variance learner; averaged in
`xpml.ensemble.ExtraTreesClassifier` and `ExtraTreesRegressor`, it gives smooth, fast ensembles.

Reference: Geurts, Ernst & Wehenkel, "Extremely randomized trees", Machine Learning 63 (2006).
"""

from __future__ import annotations

from ._classes import DecisionTreeClassifier, DecisionTreeRegressor

__all__ = ["ExtraTreeClassifier", "ExtraTreeRegressor"]


class ExtraTreeClassifier(DecisionTreeClassifier):
    """An extremely randomized tree classifier.

    Parameters
    ----------
    criterion : {"gini", "entropy", "log_loss"}, default="gini"
    splitter : {"random", "best"}, default="random"
        "random": each candidate feature's split at a threshold drawn uniformly in the node's range of it
        (Extra-Trees); "best": its best split, as `DecisionTreeClassifier`.
    max_depth, min_samples_split, min_samples_leaf, min_weight_fraction_leaf
        As for `DecisionTreeClassifier`.
    max_features : int, float, {"sqrt", "log2"} or None, default="sqrt"
        The candidate features each node draws, among those that vary in the node where there are enough.
    random_state : int, Generator, RandomState or None
        Seeds the feature draws and the thresholds.
    max_leaf_nodes, min_impurity_decrease, class_weight, ccp_alpha, monotonic_cst, backend, dtype
        As for `DecisionTreeClassifier`.

    Attributes
    ----------
    tree_, classes_, n_classes_, n_outputs_, max_features_, feature_importances_, n_features_in_
        As for `DecisionTreeClassifier`; a split's threshold is the one drawn (not a midpoint).

    Notes
    -----
    With splitter="random" the features are not binned: each threshold is drawn uniformly between the node's
    smallest and largest raw value of the feature, and the samples with a value <= it go left, in fit as in
    predict, apply and decision_path (`xpml.tree._random_splits`).

    Examples
    --------
    >>> from xpml.tree import ExtraTreeClassifier
    >>> model = ExtraTreeClassifier(random_state=0).fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
    >>> model.predict([[0.0], [3.0]]).tolist()
    [0, 1]
    """

    def __init__(self, *, criterion="gini", splitter="random", max_depth=None, min_samples_split=2,
                 min_samples_leaf=1, min_weight_fraction_leaf=0.0, max_features="sqrt", random_state=None,
                 max_leaf_nodes=None, min_impurity_decrease=0.0, class_weight=None, ccp_alpha=0.0,
                 monotonic_cst=None, backend=None, dtype=None):
        super().__init__(criterion=criterion, splitter=splitter, max_depth=max_depth,
                         min_samples_split=min_samples_split, min_samples_leaf=min_samples_leaf,
                         min_weight_fraction_leaf=min_weight_fraction_leaf, max_features=max_features,
                         random_state=random_state, max_leaf_nodes=max_leaf_nodes,
                         min_impurity_decrease=min_impurity_decrease, class_weight=class_weight, ccp_alpha=ccp_alpha,
                         monotonic_cst=monotonic_cst, backend=backend, dtype=dtype)


class ExtraTreeRegressor(DecisionTreeRegressor):
    """An extremely randomized tree regressor (squared error).

    Parameters
    ----------
    criterion : {"squared_error"}, default="squared_error"
    splitter : {"random", "best"}, default="random"
        As for `ExtraTreeClassifier`.
    max_depth, min_samples_split, min_samples_leaf, min_weight_fraction_leaf
        As for `DecisionTreeRegressor`.
    max_features : int, float, {"sqrt", "log2"} or None, default=1.0
        The candidate features each node draws (1.0: all of them, each with its random threshold).
    random_state, min_impurity_decrease, max_leaf_nodes, ccp_alpha, monotonic_cst, backend, dtype
        As for `DecisionTreeRegressor`.

    Attributes
    ----------
    tree_, n_outputs_, max_features_, feature_importances_, n_features_in_
        As for `DecisionTreeRegressor`; a split's threshold is the one drawn.

    Notes
    -----
    As for `ExtraTreeClassifier`: the thresholds are drawn from the raw values, not from bins.

    Examples
    --------
    >>> from xpml.tree import ExtraTreeRegressor
    >>> model = ExtraTreeRegressor(max_depth=1, random_state=0).fit([[0.0], [1.0]], [1.0, 5.0])
    >>> model.predict([[0.0], [1.0]]).tolist()
    [1.0, 5.0]
    """

    def __init__(self, *, criterion="squared_error", splitter="random", max_depth=None, min_samples_split=2,
                 min_samples_leaf=1, min_weight_fraction_leaf=0.0, max_features=1.0, random_state=None,
                 min_impurity_decrease=0.0, max_leaf_nodes=None, ccp_alpha=0.0, monotonic_cst=None, backend=None,
                 dtype=None):
        super().__init__(criterion=criterion, splitter=splitter, max_depth=max_depth,
                         min_samples_split=min_samples_split, min_samples_leaf=min_samples_leaf,
                         min_weight_fraction_leaf=min_weight_fraction_leaf, max_features=max_features,
                         random_state=random_state, max_leaf_nodes=max_leaf_nodes,
                         min_impurity_decrease=min_impurity_decrease, ccp_alpha=ccp_alpha,
                         monotonic_cst=monotonic_cst, backend=backend, dtype=dtype)
