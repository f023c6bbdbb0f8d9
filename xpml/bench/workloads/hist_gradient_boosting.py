"""HistGradientBoostingClassifier (and the regressor) on data of the public HIGGS benchmark's shape: 1,000,000 × 28 float32,
two classes, 100 iterations of trees with 31 leaves, as LightGBM's and XGBoost's benchmarks time them.

The data are generated (make_classification-like: each class a mixture of Gaussian clusters in 8
informative directions, the other 20 features noise), so the run needs no download. LightGBM and
XGBoost, where installed (`pip install xpml[bench]`), run beside scikit-learn with the same
settings: 100 rounds, 31 leaves grown leaf-wise, 255 bins, learning rate 0.1, at least 20 samples a leaf
(XGBoost has no such bound on counts: it keeps its own, a hessian sum of at least 1 a leaf).
Each fit is scored by its training accuracy, so that a fit that does less work shows.
"""

import dataclasses

import numpy as np

from .._harness import fit_workload, host_data, peer

ITERATIONS, LEAVES = 100, 31


def higgs_like(n, p, rng):
    """Two classes, each a mixture of 4 Gaussian clusters in the first 8 features; the rest noise."""
    informative = min(8, p)
    centers = rng.standard_normal((8, informative))  # clusters 0-3: class 0, 4-7: class 1
    cluster = rng.integers(0, 8, size=n)
    X = rng.standard_normal((n, p))
    X[:, :informative] += centers[cluster]
    return host_data("float32", X, (cluster >= 4).astype(np.int64))


def _xpml(backend):
    from xpml.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=ITERATIONS, max_leaf_nodes=LEAVES, early_stopping=False,
                                          random_state=0, backend=backend)


def _sklearn():
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=ITERATIONS, max_leaf_nodes=LEAVES, early_stopping=False,
                                          random_state=0)


def _lightgbm(n_features):
    from lightgbm import LGBMClassifier

    return LGBMClassifier(n_estimators=ITERATIONS, num_leaves=LEAVES, learning_rate=0.1, max_bin=255,
                          min_child_samples=20, reg_lambda=0.0, random_state=0, verbose=-1)


def _xgboost(n_features):
    from xgboost import XGBClassifier

    return XGBClassifier(n_estimators=ITERATIONS, max_leaves=LEAVES, grow_policy="lossguide", max_depth=0,
                         tree_method="hist", learning_rate=0.1, max_bin=256, random_state=0)


def _regressor(library):
    def make(backend=None):
        from importlib import import_module

        module = import_module(f"{library}.ensemble")
        kwargs = {} if library == "sklearn" else {"backend": backend}
        return module.HistGradientBoostingRegressor(max_iter=ITERATIONS, max_leaf_nodes=LEAVES, early_stopping=False,
                                                    random_state=0, **kwargs)

    return make


def _regression(n, p, rng):
    X, y = higgs_like(n, p, rng)
    return X, (X[:, 0] * X[:, 1] + np.sin(X[:, 2]) + y).astype(np.float32)


WORKLOADS = [dataclasses.replace(
    fit_workload("hist_gradient_boosting", xpml=_xpml, sklearn=_sklearn, make_data=higgs_like,
                 sizes={"quick": [(5_000, 28)], "full": [(1_000_000, 28)], "large": [(4_000_000, 28)]}, dtype="float32",
                 notes="HIGGS-shaped (generated); LightGBM and XGBoost beside scikit-learn where installed"),
    extra={"peers": {"lightgbm": peer(_lightgbm), "xgboost": peer(_xgboost)}},
), fit_workload("hist_gradient_boosting_regressor", xpml=_regressor("xpml"), sklearn=_regressor("sklearn"),
                make_data=_regression, sizes={"quick": [(5_000, 28)], "full": [(200_000, 28)], "large": [(1_000_000, 28)]},
                dtype="float32")]
