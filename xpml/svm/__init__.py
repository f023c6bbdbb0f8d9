"""Support vector machines: the linear support vector classifier."""

from ._classes import LinearSVC

__all__ = ["LinearSVC"]
