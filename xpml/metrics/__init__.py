"""Metrics: scores of predictions against the truth, computed on the backend of their inputs.

Each equals scikit-learn's function of the same name to floating-point error. Array results (per
class, per output, curves, matrices) come back in the library of the inputs.
"""

from ._classification import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    fbeta_score,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)
from ._cluster import adjusted_rand_score, silhouette_samples, silhouette_score
from ._log_loss import log_loss
from ._ranking import auc, roc_auc_score, roc_curve
from ._regression import mean_absolute_error, mean_squared_error, r2_score, root_mean_squared_error
from ._report import classification_report
from ._scorer import check_scoring, get_scorer, get_scorer_names, make_scorer

__all__ = [
    "accuracy_score",
    "adjusted_rand_score",
    "auc",
    "check_scoring",
    "classification_report",
    "confusion_matrix",
    "f1_score",
    "fbeta_score",
    "get_scorer",
    "get_scorer_names",
    "log_loss",
    "make_scorer",
    "mean_absolute_error",
    "mean_squared_error",
    "precision_recall_fscore_support",
    "precision_score",
    "r2_score",
    "recall_score",
    "roc_auc_score",
    "roc_curve",
    "root_mean_squared_error",
    "silhouette_samples",
    "silhouette_score",
]
