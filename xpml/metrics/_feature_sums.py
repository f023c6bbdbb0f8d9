"""Pairwise functions of rows that are sums (or maxima) over the features, computed one feature at a time.

Between rows x and y of n_features values:

    manhattan       Σⱼ |xⱼ - yⱼ|                        (also "cityblock", "l1")
    chebyshev       maxⱼ |xⱼ - yⱼ|
    minkowski       (Σⱼ wⱼ |xⱼ - yⱼ|ᵖ)^(1/p)             (weights w, default ones; "sqeuclidean": p = 2, no root)
    additive chi²   -Σⱼ (xⱼ - yⱼ)² / (xⱼ + yⱼ)           (a term with xⱼ + yⱼ = 0 counts 0; for non-negative data)

and the kernels built on two of them, laplacian exp(-γ manhattan) (γ = 1 / n_features by default) and chi²
exp(γ additive chi²) (γ = 1 by default). None has the form of a matrix product (as ‖x - y‖² and the cosine
do, `xpml.metrics.pairwise`), so a (b, m) block of them is summed feature by feature: the temporaries are
(b, m) whatever n_features is, the terms exact differences (a duplicate row is at distance exactly 0). The
distances' feature loop is the neighbour search's (`xpml.neighbors._base.ranking_key`); the blocks of rows
are those of `kernel_matrix`, to which a `FeatureSum` is a kernel like any other.

Reference: J. Zhang, M. Marszałek, S. Lazebnik & C. Schmid, "Local features and kernels for classification
of texture and object categories", IJCV 73(2), 2007 (the chi² kernel).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real
from typing import Any

__all__ = ["FeatureSum", "additive_chi2_kernel", "chi2_kernel", "laplacian_kernel", "minkowski"]


@dataclass(frozen=True)
class FeatureSum:
    """A sum over the features as a kernel of `kernel_matrix` (the data are their own factors).

    name : "manhattan", "chebyshev", "minkowski" or "additive_chi2"
    p, w : minkowski's power and feature weights (an array of the backend (n_features,), or None)
    root : minkowski: take the p-th root (False: "sqeuclidean", or raw sums to compare)
    gamma : if not None, the block is exp(gamma · sum) (laplacian: -γ, chi²: γ)
    """

    name: str
    p: float = 2.0
    w: Any = None
    root: bool = True
    gamma: float | None = None

    def left(self, xp, X):
        return X

    def right(self, xp, Y):
        return Y

    def block(self, xp, rows, Y):
        """The (b, m) values between the rows (b, p) and Y (m, p)."""
        if self.name == "additive_chi2":
            total = _additive_chi2(xp, rows, Y)
        else:
            from ..neighbors._base import ranking_key  # the neighbour search's loop over features (an estimator
            total = ranking_key(xp, self.name, self.p, self.w, rows, Y, None)  # folder: imported when first used)
        if self.name == "minkowski" and self.root:
            total = total ** (1 / self.p)  # (b, m)
        return total if self.gamma is None else xp.exp(self.gamma * total)

    def finish(self, xp, D):
        """Nothing to do after a reduction of blocks: each block is finished."""
        return D


def minkowski(p: float, w: Any = None, root: bool = True) -> FeatureSum:
    """The minkowski distance of power p > 0 (p = inf: chebyshev; p = 1 unweighted: manhattan)."""
    if not (isinstance(p, Real) and not isinstance(p, bool) and p > 0):
        raise ValueError(f"p={p!r} should be a number > 0 for the minkowski metric.")
    if math.isinf(p):
        return FeatureSum("chebyshev")
    return FeatureSum("minkowski", p=float(p), w=w, root=root)


def _additive_chi2(xp, A, B):
    """-Σⱼ (aⱼ - bⱼ)² / (aⱼ + bⱼ) between the rows of A (b, p) and B (m, p), a term 0 where aⱼ + bⱼ = 0. (b, m)"""
    total = None
    for j in range(A.shape[1]):
        gap, both = A[:, j:j + 1] - B[:, j], A[:, j:j + 1] + B[:, j]  # (b, m) each
        zero = both == 0
        term = xp.where(zero, 0.0, -(gap * gap) / xp.where(zero, xp.ones_like(both), both))  # (b, m)
        total = term if total is None else total + term
    return total


def _feature_kernel(make_kernel, X, Y, *, nonnegative: bool = False):
    """The kernel `make_kernel(n_features)` between the validated X and Y, a block of rows at a time."""
    from .pairwise import _check_pair, kernel_matrix

    backend, X, Y = _check_pair(X, Y)
    xp = backend.xp
    for name, A in (("X", X), ("Y", Y)) if nonnegative else ():  # the chi² kernels are defined on histograms
        if A is not None and bool(xp.any(A < 0)):
            raise ValueError(f"{name} contains negative values.")
    return kernel_matrix(make_kernel(X.shape[1]), xp, backend, X, Y)


def laplacian_kernel(X: Any, Y: Any = None, gamma: float | None = None):
    """The laplacian kernel exp(-γ ‖x - y‖₁) (γ = 1 / n_features by default), (n_samples_X, n_samples_Y).

    Parameters
    ----------
    X : array-like of shape (n_samples_X, n_features)
    Y : array-like of shape (n_samples_Y, n_features), optional
        Y = X if None.
    gamma : float, optional
    """
    return _feature_kernel(lambda p: FeatureSum("manhattan", gamma=-(1.0 / p if gamma is None else float(gamma))),
                           X, Y)


def chi2_kernel(X: Any, Y: Any = None, gamma: float = 1.0):
    """The chi² kernel exp(-γ Σⱼ (xⱼ - yⱼ)² / (xⱼ + yⱼ)) of non-negative data, (n_samples_X, n_samples_Y).

    Parameters
    ----------
    X : array-like of shape (n_samples_X, n_features), non-negative
    Y : array-like of shape (n_samples_Y, n_features), non-negative, optional
        Y = X if None.
    gamma : float, default=1.0
    """
    return _feature_kernel(lambda p: FeatureSum("additive_chi2", gamma=float(gamma)), X, Y, nonnegative=True)


def additive_chi2_kernel(X: Any, Y: Any = None):
    """The additive chi² kernel -Σⱼ (xⱼ - yⱼ)² / (xⱼ + yⱼ) of non-negative data, (n_samples_X, n_samples_Y).

    Parameters
    ----------
    X : array-like of shape (n_samples_X, n_features), non-negative
    Y : array-like of shape (n_samples_Y, n_features), non-negative, optional
        Y = X if None.
    """
    return _feature_kernel(lambda p: FeatureSum("additive_chi2"), X, Y, nonnegative=True)
