"""Data sets: small real ones shipped with xpml, and synthetic generators."""

from ._base import Bunch, load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine
from ._generators import make_blobs, make_classification, make_regression

__all__ = [
    "Bunch",
    "load_breast_cancer",
    "load_diabetes",
    "load_digits",
    "load_iris",
    "load_wine",
    "make_blobs",
    "make_classification",
    "make_regression",
]
