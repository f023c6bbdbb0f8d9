"""Linear models."""

from ._base import LinearRegression
from ._elastic_net import ElasticNet, Lasso
from ._enet_cv import ElasticNetCV, LassoCV
from ._logistic import LogisticRegression
from ._multi_task import MultiTaskElasticNet, MultiTaskLasso
from ._path import enet_path, lasso_path
from ._perceptron import Perceptron
from ._ridge import Ridge
from ._sgd import SGDRegressor
from ._sgd_classifier import SGDClassifier

__all__ = ["ElasticNet", "ElasticNetCV", "Lasso", "LassoCV", "LinearRegression", "LogisticRegression", "MultiTaskElasticNet", "MultiTaskLasso", "Perceptron", "Ridge", "SGDClassifier", "SGDRegressor",
           "enet_path", "lasso_path"]
