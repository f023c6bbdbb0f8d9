"""Fit times of the meta-ensembles: AdaBoost (SAMME) with 50 stumps, AdaBoost.R2 with 50 trees of depth 3,
bagging of trees, and voting and stacking over a linear model, naive Bayes and a tree; the same members and
parameters in xpml and scikit-learn.

AdaBoost fits its stumps one after another (each on the weights the one before left), so its time is
50 stump fits; bagging's members are deeper trees on bootstrap samples.
"""

import importlib

from .._harness import classification_data, fit_workload, regression_data


def _make(library: str, module: str, name: str, **params):
    return getattr(importlib.import_module(f"{library}.{module}"), name)(**params)


def _members(library: str, regression: bool = False):
    """The voting members: a linear model, naive Bayes (or none, for regression) and a tree of depth 6."""
    if regression:
        return [("ridge", _make(library, "linear_model", "Ridge", alpha=1.0)),
                ("tree", _make(library, "tree", "DecisionTreeRegressor", max_depth=6))]
    return [("logistic", _make(library, "linear_model", "LogisticRegression")),
            ("nb", _make(library, "naive_bayes", "GaussianNB")),
            ("tree", _make(library, "tree", "DecisionTreeClassifier", max_depth=6))]


def pair(name: str, members=None, **params):
    """(make_xpml, make_sklearn) for ensemble `name`; `members(library)` gives its estimator(s)."""

    def make_xpml(backend):
        extra = {} if members is None else members("xpml")
        return _make("xpml", "ensemble", name, **extra, **params, backend=backend)

    def make_sklearn():
        extra = {} if members is None else members("sklearn")
        return _make("sklearn", "ensemble", name, **extra, **params)

    return {"xpml": make_xpml, "sklearn": make_sklearn}


SIZES = {"quick": [(5_000, 20)], "full": [(100_000, 20)], "large": [(1_000_000, 28)]}
CLASSES, TARGETS = classification_data("float32"), regression_data("float32")

WORKLOADS = [
    fit_workload("adaboost_classifier",  # 50 stumps (trees of depth 1), SAMME
                 **pair("AdaBoostClassifier", n_estimators=50, random_state=0), make_data=CLASSES, sizes=SIZES,
                 dtype="float32"),
    fit_workload("adaboost_regressor",  # AdaBoost.R2, 50 trees of depth 3 on weighted draws of the rows
                 **pair("AdaBoostRegressor", n_estimators=50, random_state=0), make_data=TARGETS, sizes=SIZES,
                 dtype="float32"),
    fit_workload("bagging_classifier",  # 10 trees of depth <= 10 on bootstrap samples
                 **pair("BaggingClassifier", lambda lib: {"estimator": _make(lib, "tree", "DecisionTreeClassifier",
                                                                              max_depth=10)},
                        n_estimators=10, random_state=0), make_data=CLASSES, sizes=SIZES, dtype="float32"),
    fit_workload("bagging_regressor",
                 **pair("BaggingRegressor", lambda lib: {"estimator": _make(lib, "tree", "DecisionTreeRegressor",
                                                                             max_depth=10)},
                        n_estimators=10, random_state=0), make_data=TARGETS, sizes=SIZES, dtype="float32"),
    fit_workload("voting_classifier",  # soft vote of logistic regression, Gaussian naive Bayes and a tree
                 **pair("VotingClassifier", lambda lib: {"estimators": _members(lib)}, voting="soft"),
                 make_data=CLASSES, sizes=SIZES, dtype="float32"),
    fit_workload("voting_regressor",
                 **pair("VotingRegressor", lambda lib: {"estimators": _members(lib, regression=True)}),
                 make_data=TARGETS, sizes=SIZES, dtype="float32"),
    fit_workload("stacking_classifier",  # the voting members, each fitted 6 times (5 folds and all the data), then
                 # logistic regression on their cross-validated probabilities
                 **pair("StackingClassifier", lambda lib: {"estimators": _members(lib)}),
                 make_data=CLASSES, sizes=SIZES, dtype="float32"),
    fit_workload("stacking_regressor",  # the same, RidgeCV on the members' cross-validated predictions
                 **pair("StackingRegressor", lambda lib: {"estimators": _members(lib, regression=True)}),
                 make_data=TARGETS, sizes=SIZES, dtype="float32"),
]
