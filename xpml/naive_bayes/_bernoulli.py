"""Bernoulli naive Bayes: each feature is present (1) or absent (0), a coin with its own bias p_cj
in each class c:

    log P(x | c) = Σⱼ xⱼ log p_cj + (1 - xⱼ) log(1 - p_cj),

so that, unlike the multinomial model, an absent word counts against the classes where it is
common. p_cj is the (weighted) share of class c's samples in which feature j is present, smoothed
by α on both outcomes:

    p_cj = (N_cj + α) / (N_c + 2α),   1 - p_cj = (N_c + α - N_cj) / (N_c + 2α).

X is first made binary, 1 where it is above `binarize`. For all samples and classes the joint
log-likelihood is one matrix product: log P(c) + Σⱼ log(1 - p_cj) + X (log p - log(1 - p))ᵀ.

Reference: Manning, Raghavan & Schütze, Introduction to Information Retrieval (2008), section 13.3.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

from ..utils._csr import is_csr, stored_values
from ..utils._param_validation import Interval
from ..utils._special import safe_log
from ._base import DiscreteNB

__all__ = ["BernoulliNB"]


class BernoulliNB(DiscreteNB):
    """Bernoulli naive Bayes classifier, for binary features (a word present in a text or not).

    Parameters
    ----------
    alpha : float or array-like of shape (n_features,), default=1.0
        Additive (Laplace/Lidstone) smoothing, >= 0, one for all features or one per feature.
    force_alpha : bool, default=True
        Keep alpha as given. If False, an alpha below 1e-10 is raised to 1e-10, with a warning.
    binarize : float or None, default=0.0
        The threshold, >= 0, above which a value of X counts as present (1), at fit and at predict. None
        takes X as binary already (values in [0, 1]).
    fit_prior : bool, default=True
        Learn the class probabilities P(c) from the data; if False, every class is equally likely.
    class_prior : array-like of shape (n_classes,), optional
        Fixed class probabilities, in the order of `classes_`; overrides `fit_prior`.
    backend : str or Backend, optional
        Where to compute ("numpy", "cupy", "torch", "jax", ..., optionally with a device). None uses
        the backend in force at fit time.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in. By default floating input keeps its precision.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    class_count_ : array of shape (n_classes,)
        The (weighted) number of samples of each class, N_c.
    class_log_prior_ : array of shape (n_classes,)
        log P(c).
    feature_count_ : array of shape (n_classes, n_features)
        The (weighted) number of each class's samples in which each feature is present, N_cj.
    feature_log_prob_ : array of shape (n_classes, n_features)
        log p_cj.
    n_features_in_ : int

    Notes
    -----
    With `binarize=None`, a value of X outside [0, 1] at fit is refused (scikit-learn takes it, and its
    probabilities can then be NaN). An alpha per feature smooths p_cj with that feature's α_j; scikit-learn
    adds the per-feature alphas to the class counts instead, which fails or mixes features and classes. Where
    alpha = 0 leaves p_cj = 0 or 1, a sample that contradicts it has log-probability -inf for that class
    (scikit-learn's is NaN).

    Examples
    --------
    >>> from xpml.naive_bayes import BernoulliNB
    >>> X = [[1, 0, 1], [1, 0, 0], [0, 1, 1], [0, 1, 0]]  # which of three words each of four texts holds
    >>> BernoulliNB().fit(X, ["a", "a", "b", "b"]).predict([[1, 0, 0], [0, 1, 1]]).tolist()
    ['a', 'b']
    """

    _parameter_constraints = {**DiscreteNB._parameter_constraints,
                              "binarize": [None, Interval(Real, 0, None, closed="left")]}

    def __init__(self, *, alpha: Any = 1.0, force_alpha: bool = True, binarize: float | None = 0.0,
                 fit_prior: bool = True, class_prior: Any = None, backend: Any = None, dtype: str | None = None):
        self.alpha = alpha
        self.force_alpha = force_alpha
        self.binarize = binarize
        self.fit_prior = fit_prior
        self.class_prior = class_prior
        self.backend = backend
        self.dtype = dtype

    def _validate_X(self, X: Any, *, reset: bool, ensure_finite: bool = True) -> Any:
        """X checked, then 1 where it is above `binarize` and 0 elsewhere (a sparse X keeps its zeros)."""
        X = super()._validate_X(X, reset=reset, ensure_finite=ensure_finite)
        if self.binarize is None:
            return X
        xp, threshold = self._xp, self.binarize
        if is_csr(X):
            return X.with_data(xp.astype(X.data > threshold, X.dtype))
        return xp.astype(X > threshold, X.dtype)

    def _count(self, X, Y) -> None:
        xp, values = self._xp, stored_values(X)
        if self.binarize is None and values.shape[0] > 0:
            low, high = float(xp.min(values)), float(xp.max(values))
            if low < 0 or high > 1:
                raise ValueError(
                    f"X should hold values in [0, 1] for BernoulliNB with binarize=None (1 where a feature is "
                    f"present, 0 where absent); got a value of {low if low < 0 else high!r}. Set binarize to a "
                    f"threshold to turn X into 0 and 1.")
        super()._count(X, Y)

    def _estimate(self, alpha) -> None:
        """log p_cj and log(1 - p_cj), each from the counts (so that 1 - p loses no digits near p = 1)."""
        xp = self._xp
        present = self.feature_count_ + alpha  # (C, p): N_cj + α
        total = self.class_count_[:, None] + 2 * alpha  # (C, 1), or (C, p) with an alpha per feature
        self.feature_log_prob_ = safe_log(present, xp=xp) - safe_log(total, xp=xp)  # (C, p)
        self._log_absent = safe_log(total - present, xp=xp) - safe_log(total, xp=xp)  # (C, p): log(1 - p_cj)

    def _joint_log_likelihood(self, X):
        """(n, C): log P(c) + Σⱼ log(1 - p_cj) + X (log p - log(1 - p))ᵀ.

        Where alpha = 0 leaves p_cj = 0 or 1, its log is -inf, and -inf - (-inf) would make NaN: those logs
        are set to 0 in the product and counted apart instead, a class being impossible (-inf) for a sample
        that has a feature of p_cj = 0 or lacks one of p_cj = 1.
        """
        xp = self._xp
        log_p, log_q = self.feature_log_prob_, self._log_absent  # (C, p) each
        never, always = log_p == -math.inf, log_q == -math.inf  # (C, p): p_cj = 0, p_cj = 1
        if not bool(xp.any(never | always)):
            return X @ (log_p - log_q).T + (self.class_log_prior_ + xp.sum(log_q, axis=1))
        zero = xp.zeros_like(log_p)
        log_p, log_q = xp.where(never, zero, log_p), xp.where(always, zero, log_q)
        never, always = xp.astype(never, log_p.dtype), xp.astype(always, log_p.dtype)
        XW = X @ xp.concat([log_p - log_q, never - always], axis=0).T  # (n, 2C)
        n_classes = log_p.shape[0]
        jll = XW[:, :n_classes] + (self.class_log_prior_ + xp.sum(log_q, axis=1))  # (n, C)
        # (n, C): how many features are present where p = 0 or absent where p = 1
        contradictions = XW[:, n_classes:] + xp.sum(always, axis=1)
        return xp.where(contradictions > 0, -math.inf, jll)
