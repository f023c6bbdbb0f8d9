"""Nearest neighbours: k-nearest-neighbour classification and regression by brute-force search."""

from ._classification import KNeighborsClassifier
from ._regression import KNeighborsRegressor

__all__ = ["KNeighborsClassifier", "KNeighborsRegressor"]
