"""Extra-Trees: forests of extremely randomized trees, their predictions averaged.

A random forest (`_forest`) whose trees are `xpml.tree.ExtraTreeClassifier` / `ExtraTreeRegressor`:
each node draws `max_features` candidate features and, for each, one threshold uniformly between the
feature's smallest and largest value in the node, and splits at the best of those. The randomness of
the thresholds does what bootstrap samples do for a random forest, so by default every tree grows on
every sample (bootstrap=False). The trees grow as one batch of nodes, as a random forest's.

Reference: Geurts, Ernst & Wehenkel, "Extremely randomized trees", Machine Learning 63 (2006).
"""

from __future__ import annotations

from ..tree import ExtraTreeClassifier, ExtraTreeRegressor
from ._forest import _ForestClassifier, _ForestRegressor, _init

__all__ = ["ExtraTreesClassifier", "ExtraTreesRegressor"]


class ExtraTreesClassifier(_ForestClassifier):
    """An extra-trees classifier: extremely randomized trees, their class shares averaged.

    Parameters
    ----------
    n_estimators : int, default=100
    criterion, max_depth, min_samples_split, min_samples_leaf, min_weight_fraction_leaf, max_leaf_nodes,
    min_impurity_decrease, class_weight, ccp_alpha, monotonic_cst
        As for `xpml.tree.ExtraTreeClassifier`, for every tree.
    max_features : {"sqrt", "log2"}, int, float or None, default="sqrt"
        The candidate features each node draws, each with its random threshold.
    bootstrap : bool, default=False
        Each tree on a bootstrap sample (else, by default, on every sample).
    oob_score : bool, default=False
        Score the out-of-bag predictions (accuracy; needs bootstrap=True): `oob_score_`, `oob_decision_function_`.
    n_jobs, verbose, warm_start
        Accepted for scikit-learn's signature; the trees grow as one batch (warm_start refits).
    random_state : int, Generator, RandomState or None
        Seeds the bootstrap samples, the feature draws and the thresholds.
    max_samples : int or float, optional
        The draws of each bootstrap sample (a float: that fraction of n_samples); only with bootstrap=True.
    backend, dtype
        Where and in what precision to compute.

    Attributes
    ----------
    estimators_ : list of ExtraTreeClassifier
    estimator_ : ExtraTreeClassifier
    classes_, n_classes_, n_outputs_, n_features_in_, feature_importances_, estimators_samples_, oob_score_,
    oob_decision_function_

    Notes
    -----
    The thresholds are drawn uniformly between each node's smallest and largest raw value of the feature, and
    the samples routed by those raw values (no binning; `xpml.tree.ExtraTreeClassifier`).

    Examples
    --------
    >>> from xpml.ensemble import ExtraTreesClassifier
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
    >>> ExtraTreesClassifier(n_estimators=10, random_state=0).fit(X, y).predict([[0.2], [2.8]]).tolist()
    [0, 1]
    """

    _tree_class = ExtraTreeClassifier

    def __init__(self, n_estimators=100, *, criterion="gini", max_depth=None, min_samples_split=2, min_samples_leaf=1,
                 min_weight_fraction_leaf=0.0, max_features="sqrt", max_leaf_nodes=None, min_impurity_decrease=0.0,
                 bootstrap=False, oob_score=False, n_jobs=None, random_state=None, verbose=0, warm_start=False,
                 class_weight=None, ccp_alpha=0.0, max_samples=None, monotonic_cst=None, backend=None, dtype=None):
        _init(self, n_estimators, {k: v for k, v in locals().items() if k not in ("self", "n_estimators")})


class ExtraTreesRegressor(_ForestRegressor):
    """An extra-trees regressor: extremely randomized trees, their predictions averaged.

    Parameters are those of `ExtraTreesClassifier` (without class_weight), with criterion "squared_error"
    and max_features=1.0 by default (every feature a candidate, each at its random threshold); `oob_score`
    scores R², with `oob_prediction_`.

    Attributes
    ----------
    estimators_ : list of ExtraTreeRegressor
    estimator_ : ExtraTreeRegressor
    n_outputs_, n_features_in_, feature_importances_, estimators_samples_, oob_score_, oob_prediction_

    Examples
    --------
    >>> from xpml.ensemble import ExtraTreesRegressor
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [1.0, 1.0, 5.0, 5.0]
    >>> ExtraTreesRegressor(n_estimators=10, random_state=0).fit(X, y).predict([[0.0], [3.0]]).tolist()
    [1.0, 5.0]
    """

    _tree_class = ExtraTreeRegressor

    def __init__(self, n_estimators=100, *, criterion="squared_error", max_depth=None, min_samples_split=2,
                 min_samples_leaf=1, min_weight_fraction_leaf=0.0, max_features=1.0, max_leaf_nodes=None,
                 min_impurity_decrease=0.0, bootstrap=False, oob_score=False, n_jobs=None, random_state=None,
                 verbose=0, warm_start=False, ccp_alpha=0.0, max_samples=None, monotonic_cst=None, backend=None,
                 dtype=None):
        _init(self, n_estimators, {k: v for k, v in locals().items() if k not in ("self", "n_estimators")})
