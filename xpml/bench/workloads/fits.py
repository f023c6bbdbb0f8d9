"""Fit times of the models that need no workload of their own, one entry each: the same estimator and
parameters in xpml and in scikit-learn (whose modules have the same names), fitted on the same data.

Each is scored after the fit (accuracy, R², minus the inertia, explained variance), so that a fit that
does less work shows. The solvers differ where the libraries differ: Lasso and ElasticNet run FISTA
in xpml and coordinate descent in scikit-learn, LinearSVC runs L-BFGS on the primal in xpml and
liblinear in scikit-learn, SGDRegressor steps through mini-batches in xpml and one sample at a time in
scikit-learn, each to its own default tolerance.
"""

import dataclasses
import importlib
import math

import numpy as np

from .._harness import (
    classification_data,
    fit_workload,
    host_data,
    peer,
    regression_data,
    unlabelled,
)


def models(module: str, name: str, sklearn_extra: dict | None = None, **params):
    """(make_xpml, make_sklearn) for estimator `name` of xpml.<module> and sklearn.<module>."""

    def make_xpml(backend):
        return getattr(importlib.import_module(f"xpml.{module}"), name)(**params, backend=backend)

    def make_sklearn():
        return getattr(importlib.import_module(f"sklearn.{module}"), name)(**params, **(sklearn_extra or {}))

    return {"xpml": make_xpml, "sklearn": make_sklearn}


def _lightgbm_forest(n_features):
    """LightGBM's random forest, as near scikit-learn's as its options go: 100 rounds of trees of depth <= 12 (one a
    class, of up to 2**12 leaves, of at least one sample each), each from 63.2% of the samples (the share of distinct
    samples a bootstrap draws) and each split from √p of the features."""
    from lightgbm import LGBMClassifier

    return LGBMClassifier(boosting_type="rf", n_estimators=100, max_depth=12, num_leaves=2**12, min_child_samples=1,
                          bagging_freq=1, bagging_fraction=0.632, feature_fraction_bynode=math.sqrt(n_features) / n_features,
                          reg_lambda=0.0, random_state=0, verbose=-1)


def _xgboost_forest(n_features):
    """XGBoost's random forest with the same settings (no bound on a leaf's hessian sum)."""
    from xgboost import XGBRFClassifier

    return XGBRFClassifier(n_estimators=100, max_depth=12, subsample=0.632, colsample_bynode=math.sqrt(n_features) / n_features,
                           min_child_weight=0.0, tree_method="hist", random_state=0)


def word_counts(n, p, rng):
    """Word counts: 5 classes, each a profile over the p words; about 30 Poisson-drawn words a document."""
    profiles = rng.dirichlet(np.ones(p), size=5)  # (5, p)
    labels = rng.integers(0, 5, size=n)
    return host_data("float64", rng.poisson(30 * profiles[labels]).astype(np.float64), labels)


def low_rank(n, p, rng):
    """Data near a 40-dimensional subspace, with a little noise in every direction."""
    return (rng.standard_normal((n, 40)) @ rng.standard_normal((40, p)) + 0.1 * rng.standard_normal((n, p)),)


REGRESSION, CLASSES = regression_data("float64"), classification_data("float64")
TARGETS_3 = regression_data("float64", n_targets=3)

WORKLOADS = [
    fit_workload("ridge", **models("linear_model", "Ridge", alpha=1.0), make_data=REGRESSION,
                 sizes={"quick": [(5_000, 50)], "full": [(200_000, 100)], "large": [(2_000_000, 512)]}, dtype="float64"),
    fit_workload("lasso", **models("linear_model", "Lasso", alpha=0.01), make_data=REGRESSION,
                 sizes={"quick": [(5_000, 20)], "full": [(100_000, 100)], "large": [(1_000_000, 256)]}, dtype="float64"),
    fit_workload("elastic_net", **models("linear_model", "ElasticNet", alpha=0.01, l1_ratio=0.5),
                 make_data=REGRESSION, sizes={"quick": [(5_000, 20)], "full": [(100_000, 100)], "large": [(1_000_000, 256)]}, dtype="float64"),
    fit_workload("lasso_cv", **models("linear_model", "LassoCV", cv=5), make_data=REGRESSION,
                 sizes={"quick": [(5_000, 20)], "full": [(100_000, 100)], "large": [(1_000_000, 256)]}, dtype="float64"),
    fit_workload("elastic_net_cv", **models("linear_model", "ElasticNetCV", l1_ratio=[0.5, 0.9], cv=5),
                 make_data=REGRESSION, sizes={"quick": [(5_000, 20)], "full": [(100_000, 100)], "large": [(1_000_000, 256)]}, dtype="float64"),
    fit_workload("multi_task_lasso", **models("linear_model", "MultiTaskLasso", alpha=0.01), make_data=TARGETS_3,
                 sizes={"quick": [(5_000, 20)], "full": [(100_000, 100)], "large": [(1_000_000, 256)]}, dtype="float64"),
    fit_workload("multi_task_elastic_net", **models("linear_model", "MultiTaskElasticNet", alpha=0.01, l1_ratio=0.5),
                 make_data=TARGETS_3, sizes={"quick": [(5_000, 20)], "full": [(100_000, 100)], "large": [(1_000_000, 256)]}, dtype="float64"),
    fit_workload("sgd_regressor", **models("linear_model", "SGDRegressor", random_state=0), make_data=REGRESSION,
                 sizes={"quick": [(5_000, 20)], "full": [(400_000, 50)], "large": [(4_000_000, 50)]}, dtype="float64"),
    fit_workload("linear_svc", **models("svm", "LinearSVC"), make_data=CLASSES,
                 sizes={"quick": [(5_000, 20)], "full": [(100_000, 50)], "large": [(1_000_000, 100)]}, dtype="float64"),
    fit_workload("gaussian_nb", **models("naive_bayes", "GaussianNB"), make_data=CLASSES,
                 sizes={"quick": [(20_000, 20)], "full": [(1_000_000, 50)], "large": [(10_000_000, 50)]}, dtype="float64"),
    fit_workload("multinomial_nb", **models("naive_bayes", "MultinomialNB"), make_data=word_counts,
                 sizes={"quick": [(20_000, 100)], "full": [(200_000, 200)], "large": [(1_000_000, 500)]}, dtype="float64"),
    fit_workload("decision_tree_classifier",  # depth 10, features binned to <= 256 values in xpml
                 **models("tree", "DecisionTreeClassifier", max_depth=10, random_state=0),
                 make_data=classification_data("float32"), sizes={"quick": [(5_000, 20)], "full": [(200_000, 20)], "large": [(1_000_000, 28)]},
                 dtype="float32"),
    fit_workload("decision_tree_regressor",
                 **models("tree", "DecisionTreeRegressor", max_depth=10, random_state=0),
                 make_data=regression_data("float32"), sizes={"quick": [(5_000, 20)], "full": [(200_000, 20)], "large": [(1_000_000, 28)]},
                 dtype="float32"),
    dataclasses.replace(fit_workload(  # 100 trees of depth <= 12, grown as one batch of nodes in xpml
        "random_forest_classifier", **models("ensemble", "RandomForestClassifier", n_estimators=100, max_depth=12,
                                             random_state=0),
        make_data=classification_data("float32"), sizes={"quick": [(500, 20)], "full": [(200_000, 20)], "large": [(1_000_000, 28)]},
        dtype="float32", notes="LightGBM's and XGBoost's random forests beside scikit-learn's where installed"),
        extra={"peers": {"lightgbm": peer(_lightgbm_forest), "xgboost": peer(_xgboost_forest)}}),
    fit_workload("random_forest_regressor",
                 **models("ensemble", "RandomForestRegressor", n_estimators=100, max_depth=12, random_state=0),
                 make_data=regression_data("float32"), sizes={"quick": [(500, 20)], "full": [(200_000, 20)], "large": [(1_000_000, 28)]},
                 dtype="float32"),
    fit_workload("knn_regressor",  # fit stores the points; the score predicts every training point
                 **models("neighbors", "KNeighborsRegressor", {"algorithm": "brute"}, n_neighbors=10),
                 make_data=regression_data("float32"), sizes={"quick": [(2_000, 16)], "full": [(50_000, 32)], "large": [(200_000, 32)]},
                 dtype="float32"),
    fit_workload("mlp_regressor",  # one epoch of Adam, batches of 200
                 **models("neural_network", "MLPRegressor", hidden_layer_sizes=(128, 64), max_iter=1, random_state=0),
                 make_data=regression_data("float32"), sizes={"quick": [(2_000, 32)], "full": [(50_000, 64)], "large": [(1_000_000, 64)]},
                 dtype="float32"),
    fit_workload("minibatch_kmeans",  # k=64, 3 passes over the data in batches of 1024, from one seeding
                 **models("cluster", "MiniBatchKMeans", n_clusters=64, batch_size=1024, max_iter=3,
                          max_no_improvement=None, tol=0.0, n_init=1, random_state=0),
                 make_data=unlabelled(classification_data("float32", n_classes=64, spread=3.0), "float32"),
                 sizes={"quick": [(3_000, 16)], "full": [(200_000, 32)], "large": [(4_000_000, 32)]}, dtype="float32"),
    fit_workload("truncated_svd",  # randomized, 5 power iterations; score: the variance explained
                 **models("decomposition", "TruncatedSVD", n_components=32, algorithm="randomized", n_iter=5,
                          random_state=0),
                 make_data=unlabelled(low_rank, "float32"), sizes={"quick": [(5_000, 64)], "full": [(100_000, 256)], "large": [(4_000_000, 512)]},
                 dtype="float32", score=lambda model, X, y: model.explained_variance_ratio_.sum()),
]
