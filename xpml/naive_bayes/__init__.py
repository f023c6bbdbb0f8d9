"""Naive Bayes classifiers, computed in log space: Gaussian (continuous features) and multinomial (counts)."""

from ._gaussian import GaussianNB
from ._multinomial import MultinomialNB

__all__ = ["GaussianNB", "MultinomialNB"]
