"""Fit times of the models that need no workload of their own, one entry each: the same estimator and
parameters in xpml and in scikit-learn (whose modules have the same names), fitted on the same data.

Each is scored after the fit (accuracy, R², minus the inertia, explained variance), so that a fit that
does less work shows. The solvers differ where the libraries differ: Lasso and ElasticNet run FISTA
in xpml and coordinate descent in scikit-learn, LinearSVC and LinearSVR run L-BFGS on the primal in
xpml and liblinear in scikit-learn, SGDRegressor steps through mini-batches in xpml and one sample at a time in
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


def category_codes(n, p, rng):
    """Category codes: 5 classes, each feature of 8 categories with its own distribution in each class."""
    labels = rng.integers(0, 5, size=n)
    cumulative = np.cumsum(rng.dirichlet(np.ones(8), size=(5, p)), axis=2)  # (5, p, 8)
    draws = rng.random((n, p, 1))
    codes = np.minimum((draws > cumulative[labels]).sum(axis=2), 7)  # (n, p): the category each uniform draw falls in
    return host_data("float64", codes.astype(np.float64), labels)


def low_rank(n, p, rng):
    """Data near a 40-dimensional subspace, with a little noise in every direction."""
    return (rng.standard_normal((n, 40)) @ rng.standard_normal((40, p)) + 0.1 * rng.standard_normal((n, p)),)


def mean_kneighbors_distance(model, X, y):
    """The score of a NearestNeighbors fit: the mean distance from every training point to its k nearest others (a
    kneighbors query of the whole training set, which is what the workload times)."""
    distances, _ = model.kneighbors()
    return float(np.mean(np.asarray(distances)))


def skewed(n, p, rng):
    """Right-skewed positive features (log-normal, of several spreads and scales), for a power transform."""
    return (rng.lognormal(0.0, rng.uniform(0.3, 1.0, p), (n, p)) * rng.uniform(0.5, 5.0, p),)


def mean_lambda(model, X, y):
    """The score of a PowerTransformer fit: the mean of its fitted exponents lambdas_ (on the host)."""
    from xpml._backend import to_numpy

    return float(np.mean(to_numpy(model.lambdas_)))


def planted_outliers(n, p, rng):
    """Five Gaussian clusters, 5% of the points drawn instead uniformly over a box around them: (X, 1 for those)."""
    centers = 3.0 * rng.standard_normal((5, p))
    X = centers[rng.integers(0, 5, size=n)] + rng.standard_normal((n, p))
    outlier = rng.random(n) < 0.05
    X[outlier] = rng.uniform(-8.0, 8.0, size=(int(outlier.sum()), p))
    return host_data("float32", X, outlier.astype(np.int64))


def outlier_auc(model, X, y):
    """The score of an outlier detector: the ROC AUC of its ranking, -score_samples, against the planted outliers."""
    from xpml._backend import to_numpy
    from xpml.metrics import roc_auc_score

    return float(roc_auc_score(to_numpy(y), -np.asarray(to_numpy(model.score_samples(X)))))


def dense_clusters(n, p, rng):
    """Eight round clusters (standard deviation 0.5) spread over a box 20 wide, and 5% of the points drawn uniformly
    over it, as noise: (X, the cluster of each point, -1 for noise), for DBSCAN."""
    centers = rng.uniform(-10.0, 10.0, size=(8, p))
    labels = rng.integers(0, 8, size=n)
    X = centers[labels] + 0.5 * rng.standard_normal((n, p))
    noise = rng.random(n) < 0.05
    X[noise] = rng.uniform(-10.0, 10.0, size=(int(noise.sum()), p))
    return host_data("float32", X, np.where(noise, -1, labels))


def clustering_ari(model, X, y):
    """The score of a clustering: the adjusted Rand index of its labels_ against the clusters that made the data."""
    from xpml._backend import to_numpy
    from xpml.metrics import adjusted_rand_score

    return float(adjusted_rand_score(to_numpy(y), to_numpy(model.labels_)))


def variance_kept(model, X, y):
    """The score of a FeatureAgglomeration: the fraction of X's variance that its pooled features keep (the R² of
    inverse_transform(transform(X)) against X)."""
    from xpml._backend import to_numpy

    X = np.asarray(to_numpy(X), dtype=np.float64)
    back = np.asarray(to_numpy(model.inverse_transform(model.transform(X))), dtype=np.float64)
    return 1.0 - float(np.sum((X - back) ** 2) / np.sum((X - X.mean(axis=0)) ** 2))


def log_linear_targets(family: str):
    """make_data for the GLMs: X standard normal and a mean μ = exp(0.5 + X w), the linear predictor of spread 0.5;
    y Poisson counts of mean μ ("poisson"), or gamma-distributed of mean μ and shape 2 ("gamma": y > 0)."""

    def make(n, p, rng):
        X = rng.standard_normal((n, p))
        mu = np.exp(0.5 + X @ (0.5 * rng.standard_normal(p) / np.sqrt(p)))  # (n,)
        y = rng.poisson(mu).astype(np.float64) if family == "poisson" else rng.gamma(2.0, mu / 2.0)
        return host_data("float64", X, y)

    return make


REGRESSION, CLASSES = regression_data("float64"), classification_data("float64")
TARGETS_3 = regression_data("float64", n_targets=3)
RIDGE_ALPHAS = [0.01, 0.1, 1.0, 10.0, 100.0]

WORKLOADS = [
    fit_workload("ridge", **models("linear_model", "Ridge", alpha=1.0), make_data=REGRESSION,
                 sizes={"quick": [(5_000, 50)], "full": [(200_000, 100)], "large": [(2_000_000, 512)]}, dtype="float64"),
    fit_workload("ridge_cv", **models("linear_model", "RidgeCV", alphas=RIDGE_ALPHAS),  # leave-one-out, 5 alphas
                 make_data=REGRESSION, dtype="float64",
                 sizes={"quick": [(5_000, 50)], "full": [(200_000, 100)], "large": [(1_000_000, 256)]}),
    fit_workload("ridge_classifier", **models("linear_model", "RidgeClassifier", alpha=1.0), make_data=CLASSES,
                 dtype="float64",
                 sizes={"quick": [(5_000, 50)], "full": [(200_000, 100)], "large": [(2_000_000, 256)]}),
    fit_workload("ridge_classifier_cv", **models("linear_model", "RidgeClassifierCV", alphas=RIDGE_ALPHAS),
                 make_data=CLASSES, dtype="float64",
                 sizes={"quick": [(5_000, 50)], "full": [(200_000, 100)], "large": [(1_000_000, 256)]}),
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
    fit_workload("huber_regressor", **models("linear_model", "HuberRegressor"), make_data=REGRESSION,
                 sizes={"quick": [(5_000, 20)], "full": [(100_000, 50)], "large": [(1_000_000, 100)]}, dtype="float64"),
    # the GLMs, scored by D²: L-BFGS (Poisson, Tweedie) and Newton-Cholesky (gamma), at the default alpha=1
    fit_workload("poisson_regressor", **models("linear_model", "PoissonRegressor"),
                 make_data=log_linear_targets("poisson"), dtype="float64",
                 sizes={"quick": [(5_000, 20)], "full": [(100_000, 50)], "large": [(1_000_000, 100)]}),
    fit_workload("gamma_regressor", **models("linear_model", "GammaRegressor", solver="newton-cholesky"),
                 make_data=log_linear_targets("gamma"), dtype="float64",
                 sizes={"quick": [(5_000, 20)], "full": [(100_000, 50)], "large": [(1_000_000, 100)]}),
    fit_workload("tweedie_regressor", **models("linear_model", "TweedieRegressor", power=1.5),
                 make_data=log_linear_targets("poisson"), dtype="float64",
                 sizes={"quick": [(5_000, 20)], "full": [(100_000, 50)], "large": [(1_000_000, 100)]}),
    fit_workload("sgd_regressor", **models("linear_model", "SGDRegressor", random_state=0), make_data=REGRESSION,
                 sizes={"quick": [(5_000, 20)], "full": [(400_000, 50)], "large": [(4_000_000, 50)]}, dtype="float64"),
    # 5 values of C × 5 folds, each fold's path warm-started, then the refit (the settings named so that scikit-learn
    # 1.9 gives no transition warnings: its l1_ratios=(0,) is the L2 penalty)
    fit_workload("logistic_regression_cv",
                 **models("linear_model", "LogisticRegressionCV", Cs=5, cv=5, l1_ratios=(0.0,), scoring="accuracy",
                          use_legacy_attributes=False),
                 make_data=CLASSES, dtype="float64",
                 sizes={"quick": [(5_000, 20)], "full": [(100_000, 50)], "large": [(1_000_000, 100)]}),
    fit_workload("linear_svc", **models("svm", "LinearSVC"), make_data=CLASSES,
                 sizes={"quick": [(5_000, 20)], "full": [(100_000, 50)], "large": [(1_000_000, 100)]}, dtype="float64"),
    # C=0.1: at C=1 liblinear's dual stops at max_iter=1000 on these data without converging
    fit_workload("linear_svr", **models("svm", "LinearSVR", C=0.1), make_data=REGRESSION,
                 sizes={"quick": [(5_000, 20)], "full": [(100_000, 50)], "large": [(1_000_000, 100)]}, dtype="float64"),
    fit_workload("gaussian_nb", **models("naive_bayes", "GaussianNB"), make_data=CLASSES,
                 sizes={"quick": [(20_000, 20)], "full": [(1_000_000, 50)], "large": [(10_000_000, 50)]}, dtype="float64"),
    fit_workload("multinomial_nb", **models("naive_bayes", "MultinomialNB"), make_data=word_counts,
                 sizes={"quick": [(20_000, 100)], "full": [(200_000, 200)], "large": [(1_000_000, 500)]}, dtype="float64"),
    fit_workload("bernoulli_nb", **models("naive_bayes", "BernoulliNB"), make_data=word_counts, dtype="float64",
                 sizes={"quick": [(20_000, 100)], "full": [(200_000, 200)], "large": [(1_000_000, 500)]}),
    fit_workload("complement_nb", **models("naive_bayes", "ComplementNB"), make_data=word_counts, dtype="float64",
                 sizes={"quick": [(20_000, 100)], "full": [(200_000, 200)], "large": [(1_000_000, 500)]}),
    fit_workload("categorical_nb", **models("naive_bayes", "CategoricalNB"), make_data=category_codes, dtype="float64",
                 sizes={"quick": [(20_000, 20)], "full": [(1_000_000, 20)], "large": [(4_000_000, 50)]}),
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
    fit_workload("extra_tree_classifier",  # one extra tree of depth 10: a random threshold per candidate feature
                 **models("tree", "ExtraTreeClassifier", max_depth=10, random_state=0),
                 make_data=classification_data("float32"),
                 sizes={"quick": [(5_000, 20)], "full": [(200_000, 20)], "large": [(1_000_000, 28)]}, dtype="float32"),
    fit_workload("extra_tree_regressor",
                 **models("tree", "ExtraTreeRegressor", max_depth=10, random_state=0),
                 make_data=regression_data("float32"),
                 sizes={"quick": [(5_000, 20)], "full": [(200_000, 20)], "large": [(1_000_000, 28)]}, dtype="float32"),
    fit_workload("extra_trees_classifier",  # 100 extra trees of depth <= 12 on every sample: one batch of nodes in xpml
                 **models("ensemble", "ExtraTreesClassifier", n_estimators=100, max_depth=12, random_state=0),
                 make_data=classification_data("float32"),
                 sizes={"quick": [(500, 20)], "full": [(200_000, 20)], "large": [(1_000_000, 28)]}, dtype="float32"),
    fit_workload("extra_trees_regressor",
                 **models("ensemble", "ExtraTreesRegressor", n_estimators=100, max_depth=12, random_state=0),
                 make_data=regression_data("float32"),
                 sizes={"quick": [(500, 20)], "full": [(200_000, 20)], "large": [(1_000_000, 28)]}, dtype="float32"),
    fit_workload("isolation_forest",  # 100 trees of 256 samples each; the score scores every sample
                 **models("ensemble", "IsolationForest", random_state=0), make_data=planted_outliers,
                 sizes={"quick": [(5_000, 20)], "full": [(200_000, 20)], "large": [(1_000_000, 28)]}, dtype="float32",
                 score=outlier_auc),
    # 100 stages of trees of depth 3, each grown on the gradient of all the samples (one tree a stage, one a class for
    # more than two classes); features binned once to <= 256 values in xpml, sorted exactly in scikit-learn
    fit_workload("gradient_boosting_classifier",
                 **models("ensemble", "GradientBoostingClassifier", n_estimators=100, random_state=0),
                 make_data=classification_data("float32"), sizes={"quick": [(1_000, 20)], "full": [(50_000, 20)], "large": [(500_000, 28)]},
                 dtype="float32"),
    fit_workload("gradient_boosting_regressor",
                 **models("ensemble", "GradientBoostingRegressor", n_estimators=100, random_state=0),
                 make_data=regression_data("float32"), sizes={"quick": [(1_000, 20)], "full": [(50_000, 20)], "large": [(500_000, 28)]},
                 dtype="float32"),
    fit_workload("knn_regressor",  # fit stores the points; the score predicts every training point
                 **models("neighbors", "KNeighborsRegressor", {"algorithm": "brute"}, n_neighbors=10),
                 make_data=regression_data("float32"), sizes={"quick": [(2_000, 16)], "full": [(50_000, 32)], "large": [(200_000, 32)]},
                 dtype="float32"),
    # the radius models: fit stores the points, the score predicts every training point from those within 3.0 (in
    # 16 standard normal features, about 0.2% of the others: some 100 neighbours a point at the full size)
    fit_workload("radius_neighbors_classifier",
                 **models("neighbors", "RadiusNeighborsClassifier", {"algorithm": "brute"}, radius=3.0),
                 make_data=classification_data("float32"), dtype="float32",
                 sizes={"quick": [(2_000, 16)], "full": [(50_000, 16)], "large": [(200_000, 16)]}),
    fit_workload("radius_neighbors_regressor",
                 **models("neighbors", "RadiusNeighborsRegressor", {"algorithm": "brute"}, radius=3.0),
                 make_data=regression_data("float32"), dtype="float32",
                 sizes={"quick": [(2_000, 16)], "full": [(50_000, 16)], "large": [(200_000, 16)]}),
    fit_workload("nearest_neighbors",  # fit stores the points; the score: the 10 nearest of every training point
                 **models("neighbors", "NearestNeighbors", {"algorithm": "brute"}, n_neighbors=10),
                 make_data=unlabelled(regression_data("float32"), "float32"),
                 sizes={"quick": [(2_000, 16)], "full": [(50_000, 32)], "large": [(200_000, 32)]}, dtype="float32",
                 score=mean_kneighbors_distance),
    fit_workload("mlp_regressor",  # one epoch of Adam, batches of 200
                 **models("neural_network", "MLPRegressor", hidden_layer_sizes=(128, 64), max_iter=1, random_state=0),
                 make_data=regression_data("float32"), sizes={"quick": [(2_000, 32)], "full": [(50_000, 64)], "large": [(1_000_000, 64)]},
                 dtype="float32"),
    fit_workload("minibatch_kmeans",  # k=64, 3 passes over the data in batches of 1024, from one seeding
                 **models("cluster", "MiniBatchKMeans", n_clusters=64, batch_size=1024, max_iter=3,
                          max_no_improvement=None, tol=0.0, n_init=1, random_state=0),
                 make_data=unlabelled(classification_data("float32", n_classes=64, spread=3.0), "float32"),
                 sizes={"quick": [(3_000, 16)], "full": [(200_000, 32)], "large": [(4_000_000, 32)]}, dtype="float32"),
    fit_workload("dbscan",  # the eps-graph found once by the radius search, kept as edges; clusters by propagation
                 **models("cluster", "DBSCAN", eps=0.5, min_samples=10), make_data=dense_clusters,
                 sizes={"quick": [(2_000, 3)], "full": [(20_000, 3)], "large": [(100_000, 3)]}, dtype="float32",
                 score=clustering_ari),
    # Ward: an n x n matrix, some 40 to 80 rounds of reciprocal nearest neighbours. The large tier grows the features
    # (its n x n matrix is 1.6 GB at 20,000 points in float32): four times the full tier's data, as every large tier.
    fit_workload("agglomerative_clustering",
                 **models("cluster", "AgglomerativeClustering", n_clusters=8), make_data=dense_clusters,
                 sizes={"quick": [(2_000, 10)], "full": [(10_000, 10)], "large": [(20_000, 50)]}, dtype="float32",
                 score=clustering_ari),
    fit_workload("feature_agglomeration",  # Ward's tree over the p features (points of n coordinates), cut at 32
                 **models("cluster", "FeatureAgglomeration", n_clusters=32), make_data=unlabelled(low_rank, "float32"),
                 sizes={"quick": [(2_000, 256)], "full": [(20_000, 512)], "large": [(100_000, 2_048)]}, dtype="float32",
                 score=variance_kept),
    fit_workload("power_transformer",  # Yeo-Johnson: Newton steps, 5 over an eighth of X, then 3 over all of it
                 **models("preprocessing", "PowerTransformer"), make_data=unlabelled(skewed, "float64"),
                 sizes={"quick": [(5_000, 20)], "full": [(100_000, 20)], "large": [(1_000_000, 32)]}, dtype="float64",
                 score=mean_lambda),
    fit_workload("truncated_svd",  # randomized, 5 power iterations; score: the variance explained
                 **models("decomposition", "TruncatedSVD", n_components=32, algorithm="randomized", n_iter=5,
                          random_state=0),
                 make_data=unlabelled(low_rank, "float32"), sizes={"quick": [(5_000, 64)], "full": [(100_000, 256)], "large": [(4_000_000, 512)]},
                 dtype="float32", score=lambda model, X, y: model.explained_variance_ratio_.sum()),
]
