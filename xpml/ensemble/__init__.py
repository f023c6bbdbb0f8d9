"""Ensembles of trees: random forests, grown as one batch of nodes."""

from ._forest import RandomForestClassifier, RandomForestRegressor

__all__ = ["RandomForestClassifier", "RandomForestRegressor"]
