"""Linear models."""

from ._base import LinearRegression
from ._elastic_net import ElasticNet, Lasso
from ._logistic import LogisticRegression
from ._ridge import Ridge

# SGDClassifier and SGDRegressor (xpml/linear_model/_sgd.py) are added here by their own branch:
# from ._sgd import SGDClassifier, SGDRegressor

__all__ = ["ElasticNet", "Lasso", "LinearRegression", "LogisticRegression", "Ridge"]
