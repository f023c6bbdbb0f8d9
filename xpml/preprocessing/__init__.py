"""Preprocessing: scaling, encoding categories, polynomial features and imputing missing values."""

from ._data import MinMaxScaler, StandardScaler
from ._encoders import OneHotEncoder
from ._imputer import SimpleImputer
from ._label import LabelEncoder
from ._polynomial import PolynomialFeatures

__all__ = ["LabelEncoder", "MinMaxScaler", "OneHotEncoder", "PolynomialFeatures", "SimpleImputer", "StandardScaler"]
