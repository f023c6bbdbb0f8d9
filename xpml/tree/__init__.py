"""Decision trees (CART), grown level by level on binned features: the histogram method."""

from ._classes import DecisionTreeClassifier, DecisionTreeRegressor
from ._export import export_text

__all__ = ["DecisionTreeClassifier", "DecisionTreeRegressor", "export_text"]
