"""Data sets: small real ones shipped with xpml."""

from ._base import Bunch, load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine

__all__ = ["Bunch", "load_breast_cancer", "load_diabetes", "load_digits", "load_iris", "load_wine"]
