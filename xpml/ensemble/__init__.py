"""Ensembles of trees: random forests, grown as one batch of nodes; histogram gradient boosting."""

from ._forest import RandomForestClassifier, RandomForestRegressor
from ._hist_gradient_boosting import (
           HistGradientBoostingClassifier,
           HistGradientBoostingRegressor,
)

__all__ = ["HistGradientBoostingClassifier", "HistGradientBoostingRegressor", "RandomForestClassifier",
           "RandomForestRegressor"]
