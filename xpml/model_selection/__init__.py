"""Model selection: splitting data, cross-validation, learning and validation curves, grid and randomized search."""

from ._candidates import ParameterGrid, ParameterSampler
from ._predict import cross_val_predict
from ._randomized import RandomizedSearchCV
from ._search import GridSearchCV
from ._split import KFold, StratifiedKFold, check_cv, train_test_split
from ._split_groups import GroupKFold, LeaveOneGroupOut, LeavePGroupsOut, StratifiedGroupKFold
from ._split_more import LeaveOneOut, LeavePOut, PredefinedSplit, TimeSeriesSplit
from ._split_shuffle import (
    GroupShuffleSplit,
    RepeatedKFold,
    RepeatedStratifiedKFold,
    ShuffleSplit,
    StratifiedShuffleSplit,
)
from ._validation import cross_val_score, cross_validate, learning_curve, validation_curve

__all__ = [
    "GridSearchCV",
    "GroupKFold",
    "GroupShuffleSplit",
    "KFold",
    "LeaveOneGroupOut",
    "LeaveOneOut",
    "LeavePGroupsOut",
    "LeavePOut",
    "ParameterGrid",
    "ParameterSampler",
    "PredefinedSplit",
    "RandomizedSearchCV",
    "RepeatedKFold",
    "RepeatedStratifiedKFold",
    "ShuffleSplit",
    "StratifiedGroupKFold",
    "StratifiedKFold",
    "StratifiedShuffleSplit",
    "TimeSeriesSplit",
    "check_cv",
    "cross_val_predict",
    "cross_val_score",
    "cross_validate",
    "learning_curve",
    "train_test_split",
    "validation_curve",
]
