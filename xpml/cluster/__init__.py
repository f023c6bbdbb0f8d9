"""Clustering: KMeans and MiniBatchKMeans, DBSCAN, AgglomerativeClustering and FeatureAgglomeration."""

from ._agglomerative import AgglomerativeClustering
from ._dbscan import DBSCAN, dbscan
from ._feature_agglomeration import FeatureAgglomeration
from ._kmeans import KMeans
from ._minibatch_kmeans import MiniBatchKMeans

__all__ = ["AgglomerativeClustering", "DBSCAN", "FeatureAgglomeration", "KMeans", "MiniBatchKMeans", "dbscan"]
