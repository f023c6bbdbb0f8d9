"""Linear models."""

from ._base import LinearRegression

__all__ = ["LinearRegression"]
