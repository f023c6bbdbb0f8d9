"""Histogram gradient boosting: binned features, best-first trees on gradients and hessians."""

from .gradient_boosting import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)

__all__ = ["HistGradientBoostingClassifier", "HistGradientBoostingRegressor"]
