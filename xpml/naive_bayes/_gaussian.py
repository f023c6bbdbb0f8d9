"""Gaussian naive Bayes: each feature, within each class, is a normal distribution.

    log P(x | c) = Σⱼ -½ log(2π σ²_cj) - (xⱼ - θ_cj)² / (2σ²_cj)

θ_c and σ²_c are the (weighted) mean and variance of class c's samples. So that a feature that is
constant within a class cannot give a zero variance, every variance gets ε = var_smoothing times
the largest variance of any feature over all samples.

Learning in batches combines a class's count n, mean θ and sum of squared deviations S = nσ² with a
new batch's (n', θ', S') as in Chan, Golub & LeVeque:

    n'' = n + n',   θ'' = θ + (θ' - θ) n'/n'',   S'' = S + S' + (θ' - θ)² n n'/n''.

Within a batch, S' comes from the deviations of each sample from its own class's batch mean, so
nothing is computed as a difference of large sums.

References: Chan, Golub & LeVeque, "Updating formulae and a pairwise algorithm for computing sample
variances", Stanford CS report STAN-CS-79-773, 1979; Hastie, Tibshirani & Friedman, The Elements
of Statistical Learning (2nd ed.), section 6.6.3.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS
from ..utils._labels import check_class_prior
from ..utils._param_validation import Interval
from ..utils._special import safe_log
from ._base import BaseNB

__all__ = ["GaussianNB"]


class GaussianNB(BaseNB):
    """Gaussian naive Bayes classifier.

    Parameters
    ----------
    priors : array-like of shape (n_classes,), optional
        The class probabilities P(c), in the order of `classes_`. By default, each class's share of
        the (weighted) samples.
    var_smoothing : float, default=1e-9
        ε = var_smoothing × (the largest feature variance over all samples seen) is added to every
        variance.
    backend : str or Backend, optional
        Where to compute ("numpy", "cupy", "torch", "jax", ..., optionally with a device). None uses
        the backend in force at fit time.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in. By default floating input keeps its precision.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    class_count_ : array of shape (n_classes,)
        The (weighted) number of samples of each class.
    class_prior_ : array of shape (n_classes,)
    theta_ : array of shape (n_classes, n_features)
        The mean of each feature in each class.
    var_ : array of shape (n_classes, n_features)
        The variance of each feature in each class, plus `epsilon_`.
    epsilon_ : array of shape ()
        What was added to the variances.
    n_features_in_ : int

    Notes
    -----
    `epsilon_` comes from all the samples seen so far, so `partial_fit` over batches gives the same
    model as `fit` on all of them. (scikit-learn's `partial_fit` takes it from the latest batch.)

    Examples
    --------
    >>> from xpml.naive_bayes import GaussianNB
    >>> model = GaussianNB().fit([[-2.0], [-1.0], [1.0], [2.0]], [0, 0, 1, 1])
    >>> model.predict([[-0.1], [0.3]]).tolist()
    [0, 1]
    """

    _scales_out = True  # on dask: computed per chunk and reduced across chunks (tests/test_dask.py)

    _squares_X = True  # squared distances / variances of X: values beyond ~1e150 are refused at input

    _parameter_constraints = {
        "priors": [None, "array-like"],
        "var_smoothing": [Interval(Real, 0, None, closed="left")],
        **BACKEND_CONSTRAINTS,
    }

    def __init__(self, *, priors: Any = None, var_smoothing: float = 1e-9, backend: Any = None,
                 dtype: str | None = None):
        self.priors = priors
        self.var_smoothing = var_smoothing
        self.backend = backend
        self.dtype = dtype

    def _reset(self, n_classes: int, n_features: int) -> None:
        xp, dtype, device = self._xp, getattr(self._xp, self._dtype), self._device
        self.class_count_ = xp.zeros(n_classes, dtype=dtype, device=device)
        self.theta_ = xp.zeros((n_classes, n_features), dtype=dtype, device=device)
        self._sq_dev = xp.zeros((n_classes, n_features), dtype=dtype, device=device)  # S = n σ² per class
        # unweighted count, mean and S of every sample, for epsilon_
        self._n_all = 0
        self._mean_all = xp.zeros(n_features, dtype=dtype, device=device)
        self._sq_dev_all = xp.zeros(n_features, dtype=dtype, device=device)
        self._prior_given = None if self.priors is None else self._checked_priors(n_classes)

    def _update(self, X, Y) -> None:
        """Add a batch: X (n, p), Y (n, C) the weighted one-hot classes."""
        xp = self._xp
        counts = xp.sum(Y, axis=0)  # (C,)
        means = (Y.T @ X) / xp.where(counts > 0, counts, 1.0)[:, None]  # (C, p)
        own_mean = xp.astype(Y != 0, X.dtype) @ means  # (n, p): each sample's class mean in this batch
        sq_dev = Y.T @ ((X - own_mean) ** 2)  # (C, p)
        self.class_count_, self.theta_, self._sq_dev = _combine(
            xp, self.class_count_, self.theta_, self._sq_dev, counts, means, sq_dev)

        n = X.shape[0]
        mean = xp.mean(X, axis=0)  # (p,)
        n_all = xp.asarray(float(self._n_all), dtype=X.dtype, device=X.device)
        batch = xp.asarray(float(n), dtype=X.dtype, device=X.device)
        _, self._mean_all, self._sq_dev_all = _combine(
            xp, n_all, self._mean_all, self._sq_dev_all, batch, mean, xp.sum((X - mean) ** 2, axis=0))
        self._n_all += n

        self.epsilon_ = self.var_smoothing * xp.max(self._sq_dev_all) / self._n_all
        seen = xp.where(self.class_count_ > 0, self.class_count_, 1.0)[:, None]  # (C, 1)
        self.var_ = self._sq_dev / seen + self.epsilon_  # (C, p)
        if not bool(xp.all(self.var_ > 0)):  # a zero variance makes the likelihood 0/0: NaN probabilities
            why = ("Use var_smoothing > 0 (the default is 1e-9)." if self.var_smoothing == 0 else
                   "Every feature of X is constant (or its spread underflows), so var_smoothing × the largest "
                   "variance is 0 too: scale X or drop the constant features.")
            raise ValueError(f"var_smoothing={self.var_smoothing!r} leaves a variance of 0 (a feature constant "
                             f"within a class gives 0/0 likelihoods). {why}")
        if self._prior_given is not None:
            self.class_prior_ = self._prior_given
        else:
            self.class_prior_ = self.class_count_ / xp.sum(self.class_count_)

    def _checked_priors(self, n_classes: int):
        return self._to_backend(check_class_prior(self.priors, n_classes, name="priors"), dtype=self._dtype)

    def _joint_log_likelihood(self, X):
        """(n, C): log P(c) + Σⱼ log N(xⱼ; θ_cj, σ²_cj), one class at a time so memory stays (n, p)."""
        xp = self._xp
        log_prior = safe_log(self.class_prior_, xp=xp)  # (C,)
        log_norm = -0.5 * xp.sum(xp.log(2 * math.pi * self.var_), axis=1)  # (C,)
        columns = [
            log_prior[c] + log_norm[c] - 0.5 * xp.sum((X - self.theta_[c, :]) ** 2 / self.var_[c, :], axis=1)
            for c in range(self.theta_.shape[0])
        ]  # C arrays of shape (n,)
        return xp.stack(columns, axis=1)


def _combine(xp, n_a, mean_a, sq_dev_a, n_b, mean_b, sq_dev_b):
    """Counts (C,), means (C, p) and sums of squared deviations (C, p) of two groups, pooled."""
    n = n_a + n_b  # (C,)
    share_b = (n_b / xp.where(n > 0, n, 1.0))[..., None]  # (C, 1): n_b / n, 0 where both are empty
    delta = mean_b - mean_a  # (C, p)
    mean = mean_a + delta * share_b
    sq_dev = sq_dev_a + sq_dev_b + delta**2 * (n_a[..., None] * share_b)
    return n, mean, sq_dev
