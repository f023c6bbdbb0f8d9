"""SelectKBest and VarianceThreshold, fitted in xpml and in scikit-learn with the same parameters on the same data.

- select_k_best: the one-way ANOVA F of every feature between the classes (f_classif: per-class sums, one
  matrix product) and its p-value (the F survival function), then the 10 best. Score: the sum of the F values.
- select_percentile: the same scores, then the top 10 percent of the features.
- select_from_model: a Lasso (alpha 0.01) fitted inside, then the features whose |coefficient| reaches the
  default threshold of an L1 model (1e-5). Score: the number of features kept.
- variance_threshold: the variance (and peak-to-peak range) of every feature. Score: the sum of the variances.
"""

from .._harness import classification_data, fit_workload, regression_data, unlabelled
from .fits import models


def xpml_lasso(backend):
    from xpml.linear_model import Lasso

    return Lasso(alpha=0.01, backend=backend)


def _from_model(estimator, backend):
    from xpml.feature_selection import SelectFromModel

    return SelectFromModel(estimator, backend=backend)


def _sklearn_from_model():
    from sklearn.feature_selection import SelectFromModel
    from sklearn.linear_model import Lasso

    return SelectFromModel(Lasso(alpha=0.01))

WORKLOADS = [
    fit_workload("select_k_best", **models("feature_selection", "SelectKBest", k=10),
                 make_data=classification_data("float64"), dtype="float64",
                 sizes={"quick": [(5_000, 40)], "full": [(200_000, 200)], "large": [(2_000_000, 256)]},
                 score=lambda model, X, y: model.scores_.sum()),
    fit_workload("select_percentile", **models("feature_selection", "SelectPercentile", percentile=10),
                 make_data=classification_data("float64"), dtype="float64",
                 sizes={"quick": [(5_000, 40)], "full": [(200_000, 200)], "large": [(2_000_000, 256)]},
                 score=lambda model, X, y: model.scores_.sum()),
    fit_workload("select_from_model", xpml=lambda backend: _from_model(xpml_lasso(backend), backend),
                 sklearn=lambda: _sklearn_from_model(), make_data=regression_data("float64"), dtype="float64",
                 sizes={"quick": [(5_000, 20)], "full": [(100_000, 100)], "large": [(1_000_000, 256)]},
                 score=lambda model, X, y: float(model.get_support().sum())),
    fit_workload("variance_threshold", **models("feature_selection", "VarianceThreshold", threshold=0.5),
                 make_data=unlabelled(classification_data("float64"), "float64"), dtype="float64",
                 sizes={"quick": [(5_000, 40)], "full": [(200_000, 200)], "large": [(2_000_000, 256)]},
                 score=lambda model, X, y: model.variances_.sum()),
]
