"""Naive Bayes classifiers, computed in log space: Gaussian (continuous features), multinomial and complement
(counts), Bernoulli (binary features) and categorical (category codes)."""

from ._bernoulli import BernoulliNB
from ._categorical import CategoricalNB
from ._gaussian import GaussianNB
from ._multinomial import ComplementNB, MultinomialNB

__all__ = ["BernoulliNB", "CategoricalNB", "ComplementNB", "GaussianNB", "MultinomialNB"]
