"""Clustering: KMeans and MiniBatchKMeans."""

from ._kmeans import KMeans
from ._minibatch_kmeans import MiniBatchKMeans

__all__ = ["KMeans", "MiniBatchKMeans"]
