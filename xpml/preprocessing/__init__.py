"""Preprocessing: scaling (to unit variance, to a range, by the largest |value|), encoding categories,
polynomial features and imputing missing values."""

from ._data import MinMaxScaler, StandardScaler
from ._encoders import OneHotEncoder
from ._imputer import SimpleImputer
from ._label import LabelEncoder
from ._max_abs import MaxAbsScaler
from ._polynomial import PolynomialFeatures

__all__ = ["LabelEncoder", "MaxAbsScaler", "MinMaxScaler", "OneHotEncoder", "PolynomialFeatures", "SimpleImputer",
           "StandardScaler"]
