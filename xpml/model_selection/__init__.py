"""Model selection: splitting data, cross-validation, learning curves and grid search."""

from ._search import GridSearchCV, ParameterGrid
from ._split import KFold, StratifiedKFold, check_cv, train_test_split
from ._validation import cross_val_score, cross_validate, learning_curve

__all__ = [
    "GridSearchCV",
    "KFold",
    "ParameterGrid",
    "StratifiedKFold",
    "check_cv",
    "cross_val_score",
    "cross_validate",
    "learning_curve",
    "train_test_split",
]
