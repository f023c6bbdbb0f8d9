"""Metrics: scores of predictions against the truth, computed on the backend of their inputs."""

from ._classification import accuracy_score
from ._regression import r2_score

__all__ = ["accuracy_score", "r2_score"]
