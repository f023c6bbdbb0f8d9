"""Linear models."""

from ._base import LinearRegression
from ._elastic_net import ElasticNet, Lasso
from ._enet_cv import ElasticNetCV, LassoCV
from ._glm import GammaRegressor, PoissonRegressor, TweedieRegressor
from ._huber import HuberRegressor
from ._logistic import LogisticRegression
from ._logistic_cv import LogisticRegressionCV
from ._multi_task import MultiTaskElasticNet, MultiTaskLasso
from ._path import enet_path, lasso_path
from ._perceptron import Perceptron
from ._quantile import QuantileRegressor
from ._ridge import Ridge
from ._ridge_classifier import RidgeClassifier, RidgeClassifierCV
from ._ridge_cv import RidgeCV
from ._sgd import SGDRegressor
from ._sgd_classifier import SGDClassifier

__all__ = ["ElasticNet", "ElasticNetCV", "GammaRegressor", "HuberRegressor", "Lasso", "LassoCV", "LinearRegression", "LogisticRegression", "LogisticRegressionCV", "MultiTaskElasticNet", "MultiTaskLasso", "Perceptron", "PoissonRegressor", "QuantileRegressor", "Ridge", "RidgeCV", "RidgeClassifier", "RidgeClassifierCV", "SGDClassifier", "SGDRegressor", "TweedieRegressor",
           "enet_path", "lasso_path"]
