"""Metrics: scores of predictions against the truth, computed on the backend of their inputs.

Each equals scikit-learn's function of the same name to floating-point error. Array results (per
class, per output, curves, matrices) come back in the library of the inputs.
"""

from .pairwise import (  # first: the distance modules import from it (see its end)
    euclidean_distances,
    nan_euclidean_distances,
    pairwise_distances,
    pairwise_distances_argmin,
    pairwise_distances_argmin_min,
    pairwise_kernels,
)
from ._classification import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    fbeta_score,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)
from ._agreement import balanced_accuracy_score, cohen_kappa_score, matthews_corrcoef
from ._cluster import calinski_harabasz_score, davies_bouldin_score, silhouette_samples, silhouette_score
from ._cluster_labels import (
    adjusted_mutual_info_score,
    adjusted_rand_score,
    completeness_score,
    fowlkes_mallows_score,
    homogeneity_completeness_v_measure,
    homogeneity_score,
    mutual_info_score,
    normalized_mutual_info_score,
    pair_confusion_matrix,
    rand_score,
    v_measure_score,
)
from ._curves import average_precision_score, precision_recall_curve
from ._deviance import d2_tweedie_score, mean_gamma_deviance, mean_poisson_deviance, mean_tweedie_deviance
from ._label_losses import hamming_loss, jaccard_score, zero_one_loss
from ._log_loss import log_loss
from ._margin_losses import brier_score_loss, hinge_loss
from ._quantile import d2_absolute_error_score, mean_pinball_loss, median_absolute_error
from ._ranking import auc, roc_auc_score, roc_curve
from ._regression import (
    explained_variance_score,
    max_error,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_log_error,
    r2_score,
    root_mean_squared_error,
    root_mean_squared_log_error,
)
from ._report import classification_report
from ._scorer import check_scoring, get_scorer, get_scorer_names, make_scorer
from ._top_k import top_k_accuracy_score

__all__ = [
    "accuracy_score",
    "adjusted_mutual_info_score",
    "adjusted_rand_score",
    "auc",
    "average_precision_score",
    "balanced_accuracy_score",
    "brier_score_loss",
    "calinski_harabasz_score",
    "check_scoring",
    "classification_report",
    "cohen_kappa_score",
    "completeness_score",
    "confusion_matrix",
    "d2_absolute_error_score",
    "d2_tweedie_score",
    "davies_bouldin_score",
    "euclidean_distances",
    "explained_variance_score",
    "f1_score",
    "fbeta_score",
    "fowlkes_mallows_score",
    "get_scorer",
    "get_scorer_names",
    "hamming_loss",
    "hinge_loss",
    "homogeneity_completeness_v_measure",
    "homogeneity_score",
    "jaccard_score",
    "log_loss",
    "make_scorer",
    "matthews_corrcoef",
    "max_error",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_gamma_deviance",
    "mean_pinball_loss",
    "mean_poisson_deviance",
    "mean_squared_error",
    "mean_squared_log_error",
    "mean_tweedie_deviance",
    "median_absolute_error",
    "mutual_info_score",
    "nan_euclidean_distances",
    "normalized_mutual_info_score",
    "pair_confusion_matrix",
    "pairwise_distances",
    "pairwise_distances_argmin",
    "pairwise_distances_argmin_min",
    "pairwise_kernels",
    "precision_recall_curve",
    "precision_recall_fscore_support",
    "precision_score",
    "r2_score",
    "rand_score",
    "recall_score",
    "roc_auc_score",
    "roc_curve",
    "root_mean_squared_error",
    "root_mean_squared_log_error",
    "silhouette_samples",
    "silhouette_score",
    "top_k_accuracy_score",
    "v_measure_score",
    "zero_one_loss",
]
