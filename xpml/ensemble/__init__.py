"""Ensembles: random forests and extra trees (grown as one batch of nodes), isolation forests, histogram gradient
boosting, AdaBoost, bagging, voting, stacking."""

from ._adaboost_r2 import AdaBoostRegressor
from ._bagging import BaggingClassifier, BaggingRegressor
from ._extra_trees import ExtraTreesClassifier, ExtraTreesRegressor
from ._forest import RandomForestClassifier, RandomForestRegressor
from ._gradient_boosting import GradientBoostingClassifier, GradientBoostingRegressor
from ._hist_gradient_boosting import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from ._iforest import IsolationForest
from ._stacking import StackingClassifier, StackingRegressor
from ._voting import VotingClassifier, VotingRegressor
from ._weight_boosting import AdaBoostClassifier

__all__ = ["AdaBoostClassifier", "AdaBoostRegressor", "BaggingClassifier", "BaggingRegressor", "ExtraTreesClassifier",
           "ExtraTreesRegressor", "GradientBoostingClassifier", "GradientBoostingRegressor",
           "HistGradientBoostingClassifier", "HistGradientBoostingRegressor", "IsolationForest",
           "RandomForestClassifier", "RandomForestRegressor", "StackingClassifier", "StackingRegressor",
           "VotingClassifier", "VotingRegressor"]
