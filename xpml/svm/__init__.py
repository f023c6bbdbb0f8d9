"""Support vector machines: the linear support vector classifier, and kernel SVC and SVR."""

from ._classes import LinearSVC
from ._svc import SVC
from ._svr import SVR

__all__ = ["SVC", "SVR", "LinearSVC"]
