"""Data sets: small real ones shipped with xpml, and synthetic generators."""

from ._base import Bunch, load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine
from ._generators import make_blobs, make_classification, make_regression
from ._generators_more import (
    make_friedman1,
    make_friedman2,
    make_friedman3,
    make_gaussian_quantiles,
    make_hastie_10_2,
    make_low_rank_matrix,
    make_sparse_uncorrelated,
    make_spd_matrix,
)
from ._manifolds import make_circles, make_moons, make_s_curve, make_swiss_roll

__all__ = [
    "Bunch",
    "load_breast_cancer",
    "load_diabetes",
    "load_digits",
    "load_iris",
    "load_wine",
    "make_blobs",
    "make_circles",
    "make_classification",
    "make_friedman1",
    "make_friedman2",
    "make_friedman3",
    "make_gaussian_quantiles",
    "make_hastie_10_2",
    "make_low_rank_matrix",
    "make_moons",
    "make_regression",
    "make_s_curve",
    "make_sparse_uncorrelated",
    "make_spd_matrix",
    "make_swiss_roll",
]
