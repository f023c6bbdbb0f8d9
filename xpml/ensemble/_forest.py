"""Random forests: many decision trees, each grown on a bootstrap sample with random feature subsets,
their predictions averaged.

Tree t sees sample i c_ti times, c_t a multinomial draw of `max_samples` samples (bootstrap), and
each node chooses its split among `max_features` features drawn anew. The trees share the binned
features and grow together: a batch of trees is one set of roots whose nodes grow level by level
as one batch (`xpml.tree._fit.fit_trees`). A classifier averages the trees' class shares, a
regressor their means, every sample walking down all the trees at once (`xpml.tree._forest_walk`).
A sample's out-of-bag prediction averages the trees that did not draw it.

Reference: Breiman, "Random Forests", Machine Learning 45 (2001).
"""

from __future__ import annotations

import copy
import itertools
from numbers import Integral
from typing import Any

from ..base import BaseEstimator, ClassifierMixin, RegressorMixin
from ..tree import DecisionTreeClassifier, DecisionTreeRegressor, _forest_walk, _structure
from ..tree._classes import _COMMON_CONSTRAINTS
from ..tree._stats import class_stats, regression_stats
from ..tree._fit import fit_trees
from ..utils._bincount import bincount
from ..utils._host import host_array
from ..utils._param_validation import Interval, Options
from ..utils._random import check_random_state, draw
from ..utils._special import safe_log

__all__ = ["RandomForestClassifier", "RandomForestRegressor"]

_FOREST_CONSTRAINTS = {
    **{k: v for k, v in _COMMON_CONSTRAINTS.items() if k != "splitter"},
    "n_estimators": [Interval(Integral, 1, None, closed="left")],
    "bootstrap": ["boolean"],
    "oob_score": ["boolean", "callable"],
    "n_jobs": [None, Integral],
    "verbose": [Integral],
    "warm_start": ["boolean"],
    "max_samples": [None, Interval(Integral, 1, None, closed="left"), Interval(float, 0.0, 1.0, closed="right")],
}


class _BaseForest(BaseEstimator):
    _tree_class: type = DecisionTreeClassifier

    def _fit_forest(self, X, stats, weights, y_index=None):
        xp, n = self._xp, X.shape[0]
        if self.monotonic_cst is not None:
            raise ValueError(f"monotonic_cst={self.monotonic_cst!r}: monotonicity constraints are not supported.")
        if self.oob_score and not self.bootstrap:
            raise ValueError("oob_score=True needs bootstrap=True: without it no sample is out of bag.")
        if self.max_samples is not None and not self.bootstrap:
            raise ValueError(f"max_samples={self.max_samples!r} needs bootstrap=True: without it every tree grows on "
                             f"every sample. Set bootstrap=True, or max_samples=None.")
        rng = check_random_state(self.random_state)
        template = self._tree_class(**{k: getattr(self, k) for k in self._tree_params}, backend=self._backend)
        template._dtype = self._dtype
        self.estimator_ = template
        rules = template._rules(n, X.shape[1], float(xp.sum(weights)))
        self._sample_rng, self._n_samples = copy.deepcopy(rng), n  # to draw the same samples again
        counts = self._bootstrap_counts(rng, n)  # (T, n)
        trees = fit_trees(xp, X, stats, weights, rules, counts=counts, max_leaf_nodes=self.max_leaf_nodes,
                          ccp_alpha=self.ccp_alpha, rng=rng, backend=self._backend)
        importances = _structure.forest_importances(xp, trees, self.n_features_in_)  # the trees' together
        self.estimators_ = [self._as_estimator(tree, rules.max_features, imp) for tree, imp in zip(trees, importances)]
        if self.oob_score:
            self._set_oob(X, counts, y_index)
        return self

    def _bootstrap_counts(self, rng, n):
        xp, T = self._xp, self.n_estimators
        if not self.bootstrap:
            return xp.ones((T, n), dtype=getattr(xp, self._dtype), device=self._device)
        m = self.max_samples
        m = n if m is None else m if isinstance(m, Integral) else max(1, round(m * n))
        if m > n:
            raise ValueError(f"max_samples={m} should be <= n_samples={n}.")
        drawn = draw(rng, self._backend, "integers", 0, n, (T, m))  # (T, m) sample indices
        index = xp.reshape(drawn + xp.arange(T, dtype=drawn.dtype, device=self._device)[:, None] * n, (-1,))
        return xp.reshape(xp.astype(bincount(index, T * n, xp=xp), getattr(xp, self._dtype)), (T, n))

    def _as_estimator(self, tree, max_features, importances):
        model = self._tree_class(**{k: getattr(self, k) for k in self._tree_params}, backend=self._backend)
        model._backend, model._dtype, model.n_features_in_ = self._backend, self._dtype, self.n_features_in_
        model.tree_, model.n_outputs_, model.max_features_ = tree, 1, max_features
        model.feature_importances_ = importances
        if hasattr(self, "classes_"):
            model.classes_, model.n_classes_ = self.classes_, self.n_classes_
        return model

    def _mean_leaf_values(self, X):
        """(n, k): the average over the trees of the value of the leaf each row of X (validated) falls in: every row
        down every tree at once (`xpml.tree._forest_walk`)."""
        return _forest_walk.mean_values(self._xp, self._walk_table(), X)

    def _walk_table(self):
        return _forest_walk.forest_table(self, [model.tree_ for model in self.estimators_])

    def _set_oob(self, X, counts, y_index):
        xp = self._xp
        out = xp.astype(counts == 0, X.dtype)  # (T, n): 1 where the tree did not draw the sample
        total = None
        for t, model in enumerate(self.estimators_):
            values = model._leaf_values(X) * out[t, :][:, None]
            total = values if total is None else total + values
        n_oob = xp.sum(out, axis=0)[:, None]  # (n, 1)
        prediction = total / xp.where(n_oob > 0, n_oob, 1.0)  # (n, k)
        seen = n_oob[:, 0] > 0
        if y_index is not None:
            self.oob_decision_function_ = prediction
            hit = xp.astype(xp.argmax(prediction, axis=1) == y_index, X.dtype)
            self.oob_score_ = float(xp.sum(xp.where(seen, hit, 0.0)) / xp.sum(xp.astype(seen, X.dtype)))
        else:
            self.oob_prediction_ = prediction[:, 0]
            y = self._y_train
            resid = xp.where(seen, (prediction[:, 0] - y) ** 2, 0.0)
            mean = xp.sum(xp.where(seen, y, 0.0)) / xp.sum(xp.astype(seen, X.dtype))
            spread = xp.sum(xp.where(seen, (y - mean) ** 2, 0.0))
            self.oob_score_ = float(1.0 - xp.sum(resid) / spread)
            del self._y_train

    @property
    def estimators_samples_(self):
        """The in-bag samples of each tree: a list of arrays of sample indices (each drawn index once)."""
        counts = self._bootstrap_counts(copy.deepcopy(self._sample_rng), self._n_samples)  # (T, n), drawn again
        return [self._xp.nonzero(counts[t, :] > 0)[0] for t in range(counts.shape[0])]

    @property
    def feature_importances_(self):
        """(n_features,): the trees' impurity-based importances, averaged."""
        return sum(m.feature_importances_ for m in self.estimators_) / len(self.estimators_)

    def apply(self, X: Any):
        """(n_samples, n_estimators): the leaf each sample falls in, in each tree."""
        X_in, X = X, self._validate_X(X, reset=False)
        return self._output(_forest_walk.leaves(self._xp, self._walk_table(), X), X_in)

    def decision_path(self, X: Any):
        """(indicator, n_nodes_ptr): the nodes each sample passes through in every tree, the trees' 0/1 columns
        side by side (dense, as a tree's `decision_path`), of shape (n_samples, total node count); and where
        each tree's columns begin, indicator[:, n_nodes_ptr[t]:n_nodes_ptr[t + 1]] being tree t's."""
        X_in, X = X, self._validate_X(X, reset=False)
        paths = [_structure.decision_path(self._xp, m.tree_, X) for m in self.estimators_]
        starts = list(itertools.accumulate((m.tree_.node_count for m in self.estimators_), initial=0))
        return self._output(self._xp.concat(paths, axis=1), X_in), host_array(starts, dtype="int64")


def _init(self, n_estimators, params):
    self.n_estimators = n_estimators
    for name, value in params.items():
        setattr(self, name, value)


class _ForestClassifier(ClassifierMixin, _BaseForest):
    """What the forest classifiers share: fitting on labels, and the trees' class shares averaged."""

    _parameter_constraints = {**_FOREST_CONSTRAINTS, "criterion": [Options({"gini", "entropy", "log_loss"})],
                              "class_weight": [None, "dict", Options({"balanced"})]}
    _tree_params = ("criterion", "max_depth", "min_samples_split", "min_samples_leaf", "min_weight_fraction_leaf",
                    "max_features", "max_leaf_nodes", "min_impurity_decrease", "ccp_alpha", "monotonic_cst")

    def fit(self, X: Any, y: Any, sample_weight: Any = None):
        """Grow the forest on X and the labels y. Returns self."""
        X, y_index = self._validate_labels(X, y)
        stats, w = class_stats(self, y_index, sample_weight)
        self.n_classes_, self.n_outputs_ = len(self.classes_), 1
        return self._fit_forest(X, stats, w, y_index)

    def predict_proba(self, X: Any):
        """(n_samples, n_classes): the trees' class shares, averaged."""
        X_in = X
        return self._output(self._mean_leaf_values(self._validate_X(X, reset=False)), X_in)

    def predict_log_proba(self, X: Any):
        """The logarithm of `predict_proba` (-inf for a class no tree's leaf holds)."""
        X_in = X
        return self._output(safe_log(self._mean_leaf_values(self._validate_X(X, reset=False)), xp=self._xp), X_in)

    def predict(self, X: Any):
        """The class of largest average share."""
        X_in = X
        return self._labels(self._xp.argmax(self._mean_leaf_values(self._validate_X(X, reset=False)), axis=1), X_in)


class RandomForestClassifier(_ForestClassifier):
    """A random forest classifier: bootstrap trees on random feature subsets, their class shares averaged.

    Parameters
    ----------
    n_estimators : int, default=100
    criterion, max_depth, min_samples_split, min_samples_leaf, min_weight_fraction_leaf, max_leaf_nodes,
    min_impurity_decrease, class_weight, ccp_alpha, monotonic_cst
        As for `xpml.tree.DecisionTreeClassifier`, for every tree.
    max_features : {"sqrt", "log2"}, int, float or None, default="sqrt"
        The features each node draws to choose its split from.
    bootstrap : bool, default=True
        Each tree on a bootstrap sample (else on every sample).
    oob_score : bool, default=False
        Score the out-of-bag predictions (accuracy): `oob_score_`, `oob_decision_function_`.
    n_jobs, verbose, warm_start
        Accepted for scikit-learn's signature; the trees grow as one batch (warm_start refits).
    random_state : int, Generator, RandomState or None
    max_samples : int or float, optional
        The draws of each bootstrap sample (a float: that fraction of n_samples).
    backend, dtype
        Where and in what precision to compute.

    Attributes
    ----------
    estimators_ : list of DecisionTreeClassifier
    estimator_ : DecisionTreeClassifier
    classes_, n_classes_, n_outputs_, n_features_in_, feature_importances_, oob_score_, oob_decision_function_
    """

    def __init__(self, n_estimators=100, *, criterion="gini", max_depth=None, min_samples_split=2, min_samples_leaf=1,
                 min_weight_fraction_leaf=0.0, max_features="sqrt", max_leaf_nodes=None, min_impurity_decrease=0.0,
                 bootstrap=True, oob_score=False, n_jobs=None, random_state=None, verbose=0, warm_start=False,
                 class_weight=None, ccp_alpha=0.0, max_samples=None, monotonic_cst=None, backend=None, dtype=None):
        _init(self, n_estimators, {k: v for k, v in locals().items() if k not in ("self", "n_estimators")})


class _ForestRegressor(RegressorMixin, _BaseForest):
    """What the forest regressors share: fitting on targets, and the trees' predictions averaged."""

    _tree_class = DecisionTreeRegressor
    _parameter_constraints = {**_FOREST_CONSTRAINTS, "criterion": [Options({"squared_error"})]}
    _tree_params = _ForestClassifier._tree_params

    def fit(self, X: Any, y: Any, sample_weight: Any = None):
        """Grow the forest on X and the targets y. Returns self."""
        X, y = self._validate_data(X, y, multi_output=False)
        stats, w = regression_stats(self, y, sample_weight)
        self.n_outputs_ = 1
        self._y_train = y
        return self._fit_forest(X, stats, w)

    def predict(self, X: Any):
        """The trees' predictions, averaged."""
        X_in = X
        return self._output(self._mean_leaf_values(self._validate_X(X, reset=False))[:, 0], X_in)


class RandomForestRegressor(_ForestRegressor):
    """A random forest regressor: bootstrap trees on random feature subsets, their predictions averaged.

    Parameters are those of `RandomForestClassifier` (without class_weight), with criterion
    "squared_error" and max_features=1.0 by default; `oob_score` scores R², with `oob_prediction_`.
    """

    def __init__(self, n_estimators=100, *, criterion="squared_error", max_depth=None, min_samples_split=2,
                 min_samples_leaf=1, min_weight_fraction_leaf=0.0, max_features=1.0, max_leaf_nodes=None,
                 min_impurity_decrease=0.0, bootstrap=True, oob_score=False, n_jobs=None, random_state=None,
                 verbose=0, warm_start=False, ccp_alpha=0.0, max_samples=None, monotonic_cst=None, backend=None,
                 dtype=None):
        _init(self, n_estimators, {k: v for k, v in locals().items() if k not in ("self", "n_estimators")})
