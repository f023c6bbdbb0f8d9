"""Linear models."""

from ._base import LinearRegression
from ._sgd import SGDRegressor
from ._sgd_classifier import SGDClassifier

__all__ = ["LinearRegression", "SGDClassifier", "SGDRegressor"]
