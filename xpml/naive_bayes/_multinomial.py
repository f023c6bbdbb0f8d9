"""Multinomial naive Bayes: a sample is a bag of counts (words in a text), drawn from its class's
distribution over the features.

    log P(x | c) = Σⱼ xⱼ log θ_cj + (a term that does not depend on c),

where θ_cj, the probability of feature j in class c, is estimated from the counts N_cj of feature j
in the samples of class c, smoothed by α so that a feature never seen in a class does not make
the class impossible:

    θ_cj = (N_cj + α) / (Σₖ N_ck + α p).

The joint log-likelihood of all samples and classes is then one matrix product, X log θᵀ.

Reference: Manning, Raghavan & Schütze, Introduction to Information Retrieval (2008), section 13.2.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS
from ..utils._csr import stored_values
from ..utils._labels import check_class_prior
from ..utils._param_validation import Interval
from ..utils._warnings import warn
from ..utils._special import safe_log
from ._base import BaseNB

__all__ = ["MultinomialNB"]

_ALPHA_MIN = 1e-10  # the smallest alpha without force_alpha, as scikit-learn


class MultinomialNB(BaseNB):
    """Multinomial naive Bayes classifier, for counts such as word frequencies.

    Parameters
    ----------
    alpha : float or array-like of shape (n_features,), default=1.0
        Additive (Laplace/Lidstone) smoothing, >= 0, one for all features or one per feature: 1 is
        Laplace smoothing, 0 none (a word never seen in a class then rules that class out).
    force_alpha : bool, default=True
        Keep alpha as given. If False, an alpha below 1e-10 is raised to 1e-10, with a warning.
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
        The (weighted) number of samples of each class.
    class_log_prior_ : array of shape (n_classes,)
        log P(c).
    feature_count_ : array of shape (n_classes, n_features)
        The (weighted) sum of each feature over each class's samples, N_cj.
    feature_log_prob_ : array of shape (n_classes, n_features)
        log θ_cj, the smoothed log probability of each feature in each class.
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.naive_bayes import MultinomialNB
    >>> X = [[3, 0, 1], [2, 0, 0], [0, 4, 1], [0, 2, 2]]  # counts of three words in four texts
    >>> MultinomialNB().fit(X, ["a", "a", "b", "b"]).predict([[1, 0, 0], [0, 1, 0]]).tolist()
    ['a', 'b']
    """

    _scales_out = True  # on dask: computed per chunk and reduced across chunks (tests/test_dask.py)

    _parameter_constraints = {
        "alpha": [Interval(Real, 0, None, closed="left"), "array-like"],
        "force_alpha": ["boolean"],
        "fit_prior": ["boolean"],
        "class_prior": [None, "array-like"],
        **BACKEND_CONSTRAINTS,
    }

    _accepts_sparse = True  # word counts come as scipy.sparse; X is then a CSR

    def __init__(self, *, alpha: Any = 1.0, force_alpha: bool = True, fit_prior: bool = True, class_prior: Any = None,
                 backend: Any = None, dtype: str | None = None):
        self.alpha = alpha
        self.force_alpha = force_alpha
        self.fit_prior = fit_prior
        self.class_prior = class_prior
        self.backend = backend
        self.dtype = dtype

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True  # X holds counts: negative values are refused
        tags.classifier_tags.poor_score = True  # counts model: no accuracy bar on scikit-learn's Gaussian blobs
        return tags

    def _reset(self, n_classes: int, n_features: int) -> None:
        xp, dtype, device = self._xp, getattr(self._xp, self._dtype), self._device
        self.class_count_ = xp.zeros(n_classes, dtype=dtype, device=device)
        self.feature_count_ = xp.zeros((n_classes, n_features), dtype=dtype, device=device)

    def _update(self, X, Y) -> None:
        """Add a batch: X (n, p) counts, Y (n, C) the weighted one-hot classes."""
        xp, values = self._xp, stored_values(X)  # X may be sparse (a CSR): its stored values
        if bool(xp.any(values < 0)):
            raise ValueError(f"Negative values in data: X should hold counts >= 0 for {type(self).__name__}; got a "
                             f"value of {float(xp.min(values))!r}.")
        self.feature_count_ = self.feature_count_ + (X.T @ Y).T  # (C, p)
        self.class_count_ = self.class_count_ + xp.sum(Y, axis=0)  # (C,)
        smoothed = self.feature_count_ + self._check_alpha()  # (C, p)
        self.feature_log_prob_ = safe_log(smoothed, xp=xp) - safe_log(xp.sum(smoothed, axis=1, keepdims=True), xp=xp)
        self.class_log_prior_ = self._log_prior()

    def _check_alpha(self):
        """alpha as a float or an array of the backend (n_features,), raised to 1e-10 unless `force_alpha`."""
        alpha = self.alpha
        if not isinstance(alpha, Real):
            alpha = self._to_backend(alpha, dtype=self._dtype)
            if alpha.ndim != 1 or alpha.shape[0] != self.n_features_in_:
                raise ValueError(f"alpha should hold one value per feature, n_features={self.n_features_in_}; "
                                 f"got shape {tuple(alpha.shape)}.")
            if bool(self._xp.any(alpha < 0)):
                raise ValueError(f"alpha should be >= 0 for every feature; got a minimum of {float(self._xp.min(alpha))}.")
        smallest = alpha if isinstance(alpha, Real) else float(self._xp.min(alpha))
        if smallest < _ALPHA_MIN and not self.force_alpha:
            warn(f"alpha too small will result in numeric errors, setting alpha = {_ALPHA_MIN:.1e}. Use "
                 f"`force_alpha=True` to keep alpha unchanged.", UserWarning)
            return max(alpha, _ALPHA_MIN) if isinstance(alpha, Real) else self._xp.clip(alpha, min=_ALPHA_MIN)
        return alpha

    def _log_prior(self):
        xp = self._xp
        n_classes = self.class_count_.shape[0]
        if self.class_prior is not None:
            prior = check_class_prior(self.class_prior, n_classes, name="class_prior", sums_to_one=False)
            return safe_log(self._to_backend(prior, dtype=self._dtype), xp=xp)
        if self.fit_prior:
            return safe_log(self.class_count_, xp=xp) - xp.log(xp.sum(self.class_count_))
        return xp.full(n_classes, -math.log(n_classes), dtype=self.class_count_.dtype, device=self._device)

    def _joint_log_likelihood(self, X):
        """(n, C): log P(c) + Σⱼ xⱼ log θ_cj."""
        return X @ self.feature_log_prob_.T + self.class_log_prior_
