"""Support vector machines: the linear support vector classifier and regressor, and kernel SVC and SVR."""

from ._classes import LinearSVC
from ._linear_svr import LinearSVR
from ._svc import SVC
from ._svr import SVR

__all__ = ["SVC", "SVR", "LinearSVC", "LinearSVR"]
