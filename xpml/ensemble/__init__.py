"""Ensembles of trees: random forests, grown as one batch of nodes."""

from ._adaboost_r2 import AdaBoostRegressor
from ._bagging import BaggingClassifier, BaggingRegressor
from ._forest import RandomForestClassifier, RandomForestRegressor
from ._voting import VotingClassifier, VotingRegressor
from ._weight_boosting import AdaBoostClassifier

__all__ = ["RandomForestClassifier", "RandomForestRegressor"]
__all__ += ["AdaBoostClassifier", "AdaBoostRegressor", "BaggingClassifier", "BaggingRegressor", "VotingClassifier", "VotingRegressor"]
