"""Clustering metrics, where scikit-learn users import them (sklearn.metrics.cluster): those that compare two
labelings, with the contingency table and the entropy they are built on, and those computed from the data."""

from ._cluster import calinski_harabasz_score, davies_bouldin_score, silhouette_samples, silhouette_score
from ._cluster_labels import (
    adjusted_mutual_info_score,
    adjusted_rand_score,
    completeness_score,
    contingency_matrix,
    entropy,
    fowlkes_mallows_score,
    homogeneity_completeness_v_measure,
    homogeneity_score,
    mutual_info_score,
    normalized_mutual_info_score,
    pair_confusion_matrix,
    rand_score,
    v_measure_score,
)

__all__ = ["adjusted_mutual_info_score", "adjusted_rand_score", "calinski_harabasz_score", "completeness_score",
           "contingency_matrix", "davies_bouldin_score", "entropy", "fowlkes_mallows_score",
           "homogeneity_completeness_v_measure", "homogeneity_score", "mutual_info_score",
           "normalized_mutual_info_score", "pair_confusion_matrix", "rand_score", "silhouette_samples",
           "silhouette_score", "v_measure_score"]
