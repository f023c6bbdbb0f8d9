"""Imputing missing values: SimpleImputer, where scikit-learn users import it from (`sklearn.impute`).

It is the same class as `xpml.preprocessing.SimpleImputer` (it lives in `preprocessing/_imputer.py`).
"""

from .preprocessing import SimpleImputer

__all__ = ["SimpleImputer"]
