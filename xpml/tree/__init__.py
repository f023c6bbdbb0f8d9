"""Decision trees (CART) and extremely randomized trees, grown level by level on binned features: the histogram
method."""

from ._classes import DecisionTreeClassifier, DecisionTreeRegressor
from ._export import export_text
from ._extra import ExtraTreeClassifier, ExtraTreeRegressor

__all__ = ["DecisionTreeClassifier", "DecisionTreeRegressor", "ExtraTreeClassifier", "ExtraTreeRegressor",
           "export_text"]
