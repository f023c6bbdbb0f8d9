"""Preprocessing: scaling features (to unit variance, to a range, by the largest |value|, by the median and
quantile range) and samples (to unit norm), thresholding, encoding categories (one-hot, ordinal, labels),
polynomial features, power transforms to Gaussian-like features, quantile transforms to a uniform or normal
distribution, binning into intervals, binarizing labels one-vs-all, imputing missing values, and transformers made
of a function; with the functions scale, minmax_scale, maxabs_scale, robust_scale, normalize, binarize,
power_transform, quantile_transform and label_binarize; B-spline features, target encoding of categories and
binarizing label sets."""

from ._data import MinMaxScaler, StandardScaler
from ._discretization import KBinsDiscretizer
from ._encoders import OneHotEncoder
from ._function_transformer import FunctionTransformer
from ._functions import maxabs_scale, minmax_scale, robust_scale, scale
from ._imputer import SimpleImputer
from ._label import LabelEncoder
from ._label_binarizer import LabelBinarizer, label_binarize
from ._max_abs import MaxAbsScaler
from ._multilabel import MultiLabelBinarizer
from ._normalize import Binarizer, Normalizer, binarize, normalize
from ._ordinal import OrdinalEncoder
from ._polynomial import PolynomialFeatures
from ._spline import SplineTransformer
from ._target_encoder import TargetEncoder
from ._power import PowerTransformer, power_transform
from ._quantile_transformer import QuantileTransformer, quantile_transform
from ._robust import RobustScaler

__all__ = ["Binarizer", "FunctionTransformer", "LabelEncoder", "MaxAbsScaler", "MinMaxScaler", "Normalizer",
           "OneHotEncoder", "OrdinalEncoder", "PolynomialFeatures", "PowerTransformer", "RobustScaler", "SimpleImputer",
           "StandardScaler",
           "KBinsDiscretizer", "LabelBinarizer", "QuantileTransformer", "label_binarize", "quantile_transform",
           "MultiLabelBinarizer", "SplineTransformer", "TargetEncoder",
           "binarize", "maxabs_scale", "minmax_scale", "normalize", "power_transform", "robust_scale", "scale"]
