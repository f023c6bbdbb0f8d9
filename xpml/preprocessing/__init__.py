"""Preprocessing: scaling features (to unit variance, to a range, by the largest |value|, by the median and
quantile range) and samples (to unit norm), thresholding, encoding categories (one-hot, ordinal, labels),
polynomial features, imputing missing values, and transformers made of a function; with the functions
scale, minmax_scale, maxabs_scale, robust_scale, normalize and binarize."""

from ._data import MinMaxScaler, StandardScaler
from ._encoders import OneHotEncoder
from ._function_transformer import FunctionTransformer
from ._functions import maxabs_scale, minmax_scale, robust_scale, scale
from ._imputer import SimpleImputer
from ._label import LabelEncoder
from ._max_abs import MaxAbsScaler
from ._normalize import Binarizer, Normalizer, binarize, normalize
from ._ordinal import OrdinalEncoder
from ._polynomial import PolynomialFeatures
from ._robust import RobustScaler

__all__ = ["Binarizer", "FunctionTransformer", "LabelEncoder", "MaxAbsScaler", "MinMaxScaler", "Normalizer",
           "OneHotEncoder", "OrdinalEncoder", "PolynomialFeatures", "RobustScaler", "SimpleImputer", "StandardScaler",
           "binarize", "maxabs_scale", "minmax_scale", "normalize", "robust_scale", "scale"]
