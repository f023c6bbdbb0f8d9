"""Nearest neighbours by brute-force search: k-nearest-neighbour and radius-neighbour classification and
regression, unsupervised neighbour searches, and the graphs of neighbours."""

from ._classification import KNeighborsClassifier
from ._graph import kneighbors_graph, radius_neighbors_graph
from ._radius_classification import RadiusNeighborsClassifier
from ._regression import KNeighborsRegressor, RadiusNeighborsRegressor
from ._unsupervised import NearestNeighbors

__all__ = ["KNeighborsClassifier", "KNeighborsRegressor", "NearestNeighbors", "RadiusNeighborsClassifier",
           "RadiusNeighborsRegressor", "kneighbors_graph", "radius_neighbors_graph"]
