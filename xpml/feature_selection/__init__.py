"""Feature selection: univariate scores (f_classif, f_regression, r_regression, chi2) and the selectors that
keep the best features (SelectKBest, SelectPercentile), the important ones of a model (SelectFromModel) or drop
the constant ones (VarianceThreshold)."""

from ._base import SelectorMixin
from ._from_model import SelectFromModel
from ._selectors import SelectKBest, SelectPercentile, VarianceThreshold
from ._univariate import chi2, f_classif, f_regression, r_regression

__all__ = ["SelectFromModel", "SelectKBest", "SelectPercentile", "SelectorMixin", "VarianceThreshold", "chi2",
           "f_classif", "f_regression", "r_regression"]
