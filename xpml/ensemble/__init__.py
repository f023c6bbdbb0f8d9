"""Ensembles: random forests (grown as one batch of nodes), histogram gradient boosting, AdaBoost, bagging, voting."""

from ._adaboost_r2 import AdaBoostRegressor
from ._bagging import BaggingClassifier, BaggingRegressor
from ._forest import RandomForestClassifier, RandomForestRegressor
from ._hist_gradient_boosting import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from ._voting import VotingClassifier, VotingRegressor
from ._weight_boosting import AdaBoostClassifier

__all__ = ["AdaBoostClassifier", "AdaBoostRegressor", "BaggingClassifier", "BaggingRegressor",
           "HistGradientBoostingClassifier", "HistGradientBoostingRegressor", "RandomForestClassifier",
           "RandomForestRegressor", "VotingClassifier", "VotingRegressor"]
