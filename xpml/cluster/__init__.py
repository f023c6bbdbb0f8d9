"""Clustering: KMeans and MiniBatchKMeans, DBSCAN."""

from ._dbscan import DBSCAN, dbscan
from ._kmeans import KMeans
from ._minibatch_kmeans import MiniBatchKMeans

__all__ = ["DBSCAN", "KMeans", "MiniBatchKMeans", "dbscan"]
