"""More synthetic data sets: Friedman's three regression problems, Gaussian quantiles, Hastie's 10.2
problem, a sparse uncorrelated regression, a low-rank matrix and a symmetric positive-definite matrix.

As for the other generators (`_generators.py`), every number is drawn on the host with a numpy Generator
seeded by `random_state`, and the arrays are then moved to the backend (`backend=None`: the one in force):
a seed gives the same data on every backend.

References: J. Friedman, Multivariate adaptive regression splines, The Annals of Statistics 19 (1991) 1-67;
L. Breiman, Bagging predictors, Machine Learning 24 (1996) 123-140; T. Hastie, R. Tibshirani and
J. Friedman, The Elements of Statistical Learning (2nd ed.), 2009, example 10.2; G. Celeux, M. El Anbari,
J.-M. Marin and C. P. Robert, Regularization in regression: comparing Bayesian and frequentist methods in a
poorly informative situation, Bayesian Analysis 7 (2012) 477-502.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from ..utils._param_validation import Interval, check_param
from ..utils._random import check_random_state
from ._generators import _NON_NEGATIVE, _POSITIVE_INT, _deliver, _low_rank_matrix

__all__ = ["make_friedman1", "make_friedman2", "make_friedman3", "make_gaussian_quantiles", "make_hastie_10_2",
           "make_low_rank_matrix", "make_sparse_uncorrelated", "make_spd_matrix"]


def make_friedman1(n_samples: int = 100, n_features: int = 10, *, noise: float = 0.0, random_state: Any = None,
                   backend: Any = None):
    """Friedman's regression problem #1: y depends on the first five of the features only.

    X is uniform on [0, 1]^n_features and

        y = 10 sin(π x₀ x₁) + 20 (x₂ - 1/2)² + 10 x₃ + 5 x₄ + noise · N(0, 1).

    Parameters
    ----------
    n_samples : int, default=100
    n_features : int, default=10
        At least 5; the others are independent of y.
    noise : float, default=0.0
        The standard deviation of the Gaussian noise on y.
    random_state : int, None or numpy.random.Generator
    backend : str or Backend, optional

    Returns
    -------
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,)
    """
    check_param("n_samples", n_samples, _POSITIVE_INT)
    check_param("n_features", n_features, [Interval(numbers.Integral, 5, None, closed="left")])
    check_param("noise", noise, _NON_NEGATIVE)
    rng = check_random_state(random_state)
    X = rng.uniform(size=(n_samples, n_features))  # (n, p)
    x = X.T  # x[0], x[1], ...: the columns
    y = 10 * np.sin(math.pi * x[0] * x[1]) + 20 * (x[2] - 0.5) ** 2 + 10 * x[3] + 5 * x[4]  # (n,)
    return _deliver(backend, X, y + noise * rng.standard_normal(n_samples))


def _friedman_inputs(n_samples: int, noise: float, random_state: Any):
    """The four inputs of Friedman's problems #2 and #3, (n, 4): x₀ in [0, 100], x₁ in [40π, 560π], x₂ in [0, 1],
    x₃ in [1, 11], uniform; and the generator, for the noise."""
    check_param("n_samples", n_samples, _POSITIVE_INT)
    check_param("noise", noise, _NON_NEGATIVE)
    rng = check_random_state(random_state)
    low, high = np.array([0.0, 40 * math.pi, 0.0, 1.0]), np.array([100.0, 560 * math.pi, 1.0, 11.0])
    return low + (high - low) * rng.uniform(size=(n_samples, 4)), rng


def make_friedman2(n_samples: int = 100, *, noise: float = 0.0, random_state: Any = None, backend: Any = None):
    """Friedman's regression problem #2: the impedance of an alternating-current circuit,

        y = √(x₀² + (x₁ x₂ - 1 / (x₁ x₃))²) + noise · N(0, 1),

    with x₀ uniform on [0, 100], x₁ on [40π, 560π], x₂ on [0, 1] and x₃ on [1, 11].

    Parameters
    ----------
    n_samples : int, default=100
    noise : float, default=0.0
        The standard deviation of the Gaussian noise on y.
    random_state : int, None or numpy.random.Generator
    backend : str or Backend, optional

    Returns
    -------
    X : array of shape (n_samples, 4)
    y : array of shape (n_samples,)
    """
    X, rng = _friedman_inputs(n_samples, noise, random_state)
    x = X.T
    y = np.sqrt(x[0] ** 2 + (x[1] * x[2] - 1 / (x[1] * x[3])) ** 2)  # (n,)
    return _deliver(backend, X, y + noise * rng.standard_normal(n_samples))


def make_friedman3(n_samples: int = 100, *, noise: float = 0.0, random_state: Any = None, backend: Any = None):
    """Friedman's regression problem #3: the phase angle of the same circuit,

        y = arctan((x₁ x₂ - 1 / (x₁ x₃)) / x₀) + noise · N(0, 1),

    with the inputs of `make_friedman2`.

    Parameters
    ----------
    n_samples : int, default=100
    noise : float, default=0.0
        The standard deviation of the Gaussian noise on y.
    random_state : int, None or numpy.random.Generator
    backend : str or Backend, optional

    Returns
    -------
    X : array of shape (n_samples, 4)
    y : array of shape (n_samples,)
    """
    X, rng = _friedman_inputs(n_samples, noise, random_state)
    x = X.T
    y = np.arctan((x[1] * x[2] - 1 / (x[1] * x[3])) / x[0])  # (n,)
    return _deliver(backend, X, y + noise * rng.standard_normal(n_samples))


def make_gaussian_quantiles(*, mean: Any = None, cov: float = 1.0, n_samples: int = 100, n_features: int = 2,
                            n_classes: int = 3, shuffle: bool = True, random_state: Any = None, backend: Any = None):
    """Classes cut from one isotropic Gaussian by its quantiles of distance from the mean: nested shells.

    The n_samples points are drawn from N(mean, cov · I), sorted by their distance from the mean, and
    given the classes 0, 1, ... in runs of n_samples // n_classes (the last class takes the remainder).

    Parameters
    ----------
    mean : array-like of shape (n_features,), optional
        The centre (default: the origin).
    cov : float, default=1.0
        The variance of each coordinate.
    n_samples : int, default=100
    n_features : int, default=2
    n_classes : int, default=3
    shuffle : bool, default=True
    random_state : int, None or numpy.random.Generator
    backend : str or Backend, optional

    Returns
    -------
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,), integer labels 0 .. n_classes - 1, inner shells first
    """
    check_param("cov", cov, _NON_NEGATIVE)
    for name, value in (("n_samples", n_samples), ("n_features", n_features), ("n_classes", n_classes)):
        check_param(name, value, _POSITIVE_INT)
    check_param("shuffle", shuffle, ["boolean"])
    if n_samples < n_classes:
        raise ValueError(f"n_samples={n_samples} should be >= n_classes={n_classes}: each class gets a run of points.")
    mean = np.zeros(n_features) if mean is None else np.asarray(mean, dtype=np.float64)
    if mean.shape != (n_features,):
        raise ValueError(f"mean should have shape (n_features={n_features},); got shape {mean.shape}.")
    rng = check_random_state(random_state)
    X = mean + math.sqrt(cov) * rng.standard_normal((n_samples, n_features))  # (n, p)
    X = X[np.argsort(np.sum((X - mean) ** 2, axis=1), kind="stable")]  # nearest the mean first
    run = n_samples // n_classes
    y = np.minimum(np.arange(n_samples) // run, n_classes - 1)  # (n,) runs of `run`, the rest to the last class
    if shuffle:
        order = rng.permutation(n_samples)
        X, y = X[order], y[order]
    return _deliver(backend, X, y)


def make_hastie_10_2(n_samples: int = 12000, *, random_state: Any = None, backend: Any = None):
    """Hastie, Tibshirani and Friedman's binary problem (example 10.2): ten standard Gaussian features, and

        y = 1 if Σ x_j² > 9.34 (the median of a χ² of 10 degrees of freedom), else -1.

    Parameters
    ----------
    n_samples : int, default=12000
    random_state : int, None or numpy.random.Generator
    backend : str or Backend, optional

    Returns
    -------
    X : array of shape (n_samples, 10)
    y : array of shape (n_samples,), floating, -1.0 or 1.0
    """
    check_param("n_samples", n_samples, _POSITIVE_INT)
    rng = check_random_state(random_state)
    X = rng.standard_normal((n_samples, 10))  # (n, 10)
    return _deliver(backend, X, np.where(np.sum(X**2, axis=1) > 9.34, 1.0, -1.0))


def make_sparse_uncorrelated(n_samples: int = 100, n_features: int = 10, *, random_state: Any = None,
                             backend: Any = None):
    """A regression on standard Gaussian features, uncorrelated, of which only the first four matter:

        y = x₀ + 2 x₁ - 2 x₂ - 1.5 x₃ + N(0, 1).

    Parameters
    ----------
    n_samples : int, default=100
    n_features : int, default=10
        At least 4.
    random_state : int, None or numpy.random.Generator
    backend : str or Backend, optional

    Returns
    -------
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,)
    """
    check_param("n_samples", n_samples, _POSITIVE_INT)
    check_param("n_features", n_features, [Interval(numbers.Integral, 4, None, closed="left")])
    rng = check_random_state(random_state)
    X = rng.standard_normal((n_samples, n_features))  # (n, p)
    y = X[:, :4] @ np.array([1.0, 2.0, -2.0, -1.5]) + rng.standard_normal(n_samples)  # (n,)
    return _deliver(backend, X, y)


def make_low_rank_matrix(n_samples: int = 100, n_features: int = 100, *, effective_rank: int = 10,
                         tail_strength: float = 0.5, random_state: Any = None, backend: Any = None):
    """A matrix of random singular vectors whose singular values decay smoothly, as real data's often do:

        σ_i = (1 - tail_strength) exp(-(i / effective_rank)²) + tail_strength exp(-0.1 i / effective_rank),

    a bell of width effective_rank and a fat tail (i = 0, 1, ..., min(n_samples, n_features) - 1).

    Parameters
    ----------
    n_samples, n_features : int, default=100
    effective_rank : int, default=10
    tail_strength : float in [0, 1], default=0.5
    random_state : int, None or numpy.random.Generator
    backend : str or Backend, optional

    Returns
    -------
    X : array of shape (n_samples, n_features)
    """
    check_param("n_samples", n_samples, _POSITIVE_INT)
    check_param("n_features", n_features, _POSITIVE_INT)
    check_param("effective_rank", effective_rank, _POSITIVE_INT)
    check_param("tail_strength", tail_strength, [Interval(numbers.Real, 0, 1)])
    rng = check_random_state(random_state)
    return _deliver(backend, _low_rank_matrix(n_samples, n_features, effective_rank, tail_strength, rng))[0]


def make_spd_matrix(n_dim: int, *, random_state: Any = None, backend: Any = None):
    """A random symmetric positive-definite matrix Q diag(λ) Qᵀ: Q a random orthogonal matrix (the Q of a
    Gaussian matrix's QR factorization, signs fixed: uniform over the orthogonal group) and eigenvalues λ
    uniform on [1, 2].

    Parameters
    ----------
    n_dim : int
    random_state : int, None or numpy.random.Generator
    backend : str or Backend, optional

    Returns
    -------
    X : array of shape (n_dim, n_dim)
    """
    check_param("n_dim", n_dim, _POSITIVE_INT)
    rng = check_random_state(random_state)
    Q, R = np.linalg.qr(rng.standard_normal((n_dim, n_dim)))
    Q = Q * np.where(np.diagonal(R) < 0, -1.0, 1.0)  # (n_dim, n_dim) Haar-distributed
    X = (Q * (1.0 + rng.uniform(size=n_dim))) @ Q.T
    return _deliver(backend, (X + X.T) / 2)[0]  # symmetric to the last bit
