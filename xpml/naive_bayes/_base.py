"""What the naive Bayes classifiers share: learning in batches, and turning joint log-likelihoods
into predictions.

A naive Bayes classifier scores each class c by the joint log-likelihood

    jll_c(x) = log P(c) + log P(x | c),

where "naive" means the features are taken to be independent given the class, so log P(x | c) is
a sum over features. Everything stays in log space: a product of many small probabilities would
underflow, a sum of their logarithms does not. The class probabilities are the softmax of jll:

    log P(c | x) = jll_c(x) - log Σ_c' exp(jll_c'(x)),

computed as m + log Σ exp(jll - m) with m the largest jll, so that no exp overflows
(`xpml.utils._special.log_softmax`).

Every model learns from sufficient statistics (counts, sums) that add up across batches, so
`partial_fit` on a stream gives the model that `fit` on all of it would. The discrete models
(`DiscreteNB`: multinomial, complement, Bernoulli, categorical) share those counts, N_c (the weight
of class c) and N_cj (the weight of feature j, or of a category, in class c), their smoothing by
alpha and the class prior

    log P(c) = log N_c - log Σ N_c'   (fit_prior),   -log C (uniform),   or log class_prior_c;

each turns the counts into `feature_log_prob_` with a few lines of its own.

Reference: Manning, Raghavan & Schütze, Introduction to Information Retrieval (2008), chapter 13.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, ClassifierMixin
from ..utils._csr import stored_values
from ..utils._labels import check_class_prior, check_classes, check_same_classes, label_indices
from ..utils._param_validation import Interval
from ..utils._special import log_softmax, safe_log
from ..utils._warnings import warn
from ..utils.validation import check_consistent_length, check_sample_weight

__all__ = ["BaseNB", "DiscreteNB", "log_normalized", "log_likelihood_product"]

_ALPHA_MIN = 1e-10  # the smallest alpha without force_alpha, as scikit-learn


class BaseNB(ClassifierMixin, BaseEstimator):
    """A naive Bayes classifier: `fit`, `partial_fit` and the predictions from `_joint_log_likelihood`.

    Subclasses implement `_reset(n_classes, n_features)` (empty statistics), `_update(X, Y)` (add a
    batch; Y (n, C) holds each sample's weight in its class's column) and `_joint_log_likelihood(X)`.
    """

    def fit(self, X: Any, y: Any, sample_weight: Any = None):
        """Learn from X and y, forgetting anything learned before.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Labels of any type.
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        X, y_index = self._validate_labels(X, y)  # sets classes_
        self._reset(len(self.classes_), X.shape[1])
        self._update(X, self._weighted_one_hot(y_index, sample_weight, X.shape[0]))
        return self

    def partial_fit(self, X: Any, y: Any, classes: Any = None, sample_weight: Any = None):
        """Learn from one more batch of samples.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        classes : array-like of shape (n_classes,), optional
            Every label the stream may hold. Required on the first call (or after `fit`, ignored
            unless it differs from `classes_`).
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        check_consistent_length(X=X, y=y)
        first = not hasattr(self, "classes_")
        if first:
            if classes is None:
                raise ValueError("classes=None: the first call to partial_fit needs every class, "
                                 "e.g. partial_fit(X, y, classes=[0, 1, 2]).")
            X = self._validate_X(X, reset=True)
            self.classes_ = check_classes(classes)
            self._reset(len(self.classes_), X.shape[1])
        else:
            check_same_classes(classes, self.classes_)
            X = self._validate_X(X, reset=False)
        y_index = self._to_backend(label_indices(y, self.classes_, n_samples=X.shape[0]))
        self._update(X, self._weighted_one_hot(y_index, sample_weight, X.shape[0]))
        return self

    def _weighted_one_hot(self, y_index, sample_weight, n_samples: int):
        """(n, C): each sample's weight in the column of its class, zeros elsewhere."""
        xp = self._xp
        w = check_sample_weight(sample_weight, self._backend, n_samples=n_samples, dtype=self._dtype)  # (n,)
        classes = xp.arange(len(self.classes_), dtype=y_index.dtype, device=y_index.device)  # (C,)
        return xp.astype(y_index[:, None] == classes, w.dtype) * w[:, None]

    # ---- predictions ---------------------------------------------------------------------

    def predict_joint_log_proba(self, X: Any):
        """log P(x, c) = log P(c) + log P(x | c) for each class: the unnormalized log posterior.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        joint_log_proba : array of shape (n_samples, n_classes), columns in the order of `classes_`
        """
        X_in = X
        return self._output(self._joint_log_likelihood(self._validate_data(X, reset=False)), X_in)

    def predict_log_proba(self, X: Any):
        """log P(c | x) for each class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        log_proba : array of shape (n_samples, n_classes), columns in the order of `classes_`
        """
        X_in = X
        return self._output(self._log_proba(self._validate_data(X, reset=False)), X_in)

    def predict_proba(self, X: Any):
        """P(c | x) for each class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : array of shape (n_samples, n_classes), columns in the order of `classes_`
        """
        X_in = X
        return self._output(self._xp.exp(self._log_proba(self._validate_data(X, reset=False))), X_in)

    def predict(self, X: Any):
        """The most probable class of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : array of shape (n_samples,)
        """
        X_in = X
        jll = self._joint_log_likelihood(self._validate_data(X, reset=False))  # (n, C)
        return self._labels(self._xp.argmax(jll, axis=1), X_in)

    def _log_proba(self, X):
        return log_softmax(self._joint_log_likelihood(X), xp=self._xp)  # (n, C)


class DiscreteNB(BaseNB):
    """A naive Bayes classifier over counts: `class_count_` and `feature_count_` added up batch by batch,
    alpha checked once, and the class prior.

    Subclasses implement `_estimate(alpha)` (set `feature_log_prob_` from the counts, smoothed by
    alpha) and `_joint_log_likelihood(X)`; CategoricalNB also its own `_reset` and `_count`.
    """

    _parameter_constraints = {
        "alpha": [Interval(Real, 0, None, closed="left"), "array-like"],
        "force_alpha": ["boolean"],
        "fit_prior": ["boolean"],
        "class_prior": [None, "array-like"],
        **BACKEND_CONSTRAINTS,
    }

    _scales_out = True  # on dask: computed per chunk and reduced across chunks (tests/test_dask.py)
    _accepts_sparse = True  # word counts come as scipy.sparse; X is then a CSR
    _counts_X = False  # X holds counts: a negative value is refused at fit

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = self._counts_X
        tags.classifier_tags.poor_score = True  # counts model: no accuracy bar on scikit-learn's Gaussian blobs
        return tags

    def _reset(self, n_classes: int, n_features: int) -> None:
        xp, dtype, device = self._xp, getattr(self._xp, self._dtype), self._device
        self.class_count_ = xp.zeros(n_classes, dtype=dtype, device=device)
        self.feature_count_ = xp.zeros((n_classes, n_features), dtype=dtype, device=device)

    def _update(self, X, Y) -> None:
        """Add a batch: X (n, p), Y (n, C) the weighted one-hot classes; then re-estimate from all the counts."""
        self._count(X, Y)
        self._estimate(self._check_alpha())
        self.class_log_prior_ = self._log_prior()

    def _count(self, X, Y) -> None:
        """N_cj += Σ_{i in c} w_i x_ij and N_c += Σ_{i in c} w_i."""
        xp = self._xp
        if self._counts_X:
            self._check_non_negative(X, "counts")
        self.feature_count_ = self.feature_count_ + (X.T @ Y).T  # (C, p)
        self.class_count_ = self.class_count_ + xp.sum(Y, axis=0)  # (C,)

    def _check_non_negative(self, X, what: str) -> None:
        xp, values = self._xp, stored_values(X)  # X may be sparse (a CSR): its stored values
        if bool(xp.any(values < 0)):
            raise ValueError(f"Negative values in data: X should hold {what} >= 0 for {type(self).__name__}; got a "
                             f"value of {float(xp.min(values))!r}.")

    def _check_alpha(self):
        """alpha as a float or an array of the backend (n_features,), raised to 1e-10 unless `force_alpha`."""
        alpha = self.alpha
        if not isinstance(alpha, Real):
            try:
                alpha = self._to_backend(alpha, dtype=self._dtype)
            except (TypeError, ValueError):
                raise TypeError(f"alpha should be a number >= 0 or an array of one per feature; "
                                f"got {alpha!r}.") from None
            if alpha.ndim != 1 or alpha.shape[0] != self.n_features_in_:
                raise ValueError(f"alpha should hold one value per feature, n_features={self.n_features_in_}; "
                                 f"got shape {tuple(alpha.shape)}.")
            if bool(self._xp.any(alpha < 0)):
                raise ValueError(f"alpha should be >= 0 for every feature; got a minimum of "
                                 f"{float(self._xp.min(alpha))}.")
        smallest = alpha if isinstance(alpha, Real) else float(self._xp.min(alpha))
        if smallest < _ALPHA_MIN and not self.force_alpha:
            warn(f"alpha too small will result in numeric errors, setting alpha = {_ALPHA_MIN:.1e}. Use "
                 f"`force_alpha=True` to keep alpha unchanged.", UserWarning)
            return max(alpha, _ALPHA_MIN) if isinstance(alpha, Real) else self._xp.clip(alpha, min=_ALPHA_MIN)
        return alpha

    def _log_prior(self):
        """(C,): log P(c), from `class_prior`, else from the class counts (`fit_prior`), else uniform."""
        xp = self._xp
        n_classes = self.class_count_.shape[0]
        if self.class_prior is not None:
            prior = check_class_prior(self.class_prior, n_classes, name="class_prior", sums_to_one=False)
            return safe_log(self._to_backend(prior, dtype=self._dtype), xp=xp)
        if self.fit_prior:
            return safe_log(self.class_count_, xp=xp) - xp.log(xp.sum(self.class_count_))
        return xp.full(n_classes, -math.log(n_classes), dtype=self.class_count_.dtype, device=self._device)


def log_normalized(counts, *, xp):
    """log(counts / row sums): each row of smoothed counts (C, k) as log probabilities that sum to one."""
    return safe_log(counts, xp=xp) - safe_log(xp.sum(counts, axis=1, keepdims=True), xp=xp)


def log_likelihood_product(X, log_p, *, xp):
    """(n, C): X @ log_pᵀ, Σⱼ xⱼ log p_cj, with 0 · log 0 = 0.

    Where alpha = 0 leaves a probability of 0, its log is -inf, and the plain product gives 0 · -inf = NaN for a
    sample without that feature: those logs are set to 0 in the product and counted apart, a sample that has such a
    feature being impossible (-inf) in that class.
    """
    never = log_p == -math.inf  # (C, p): p_cj = 0
    if not bool(xp.any(never)):
        return X @ log_p.T
    zero = xp.zeros_like(log_p)
    n_classes = log_p.shape[0]
    XW = X @ xp.concat([xp.where(never, zero, log_p), xp.astype(never, log_p.dtype)], axis=0).T  # (n, 2C)
    return xp.where(XW[:, n_classes:] > 0, -math.inf, XW[:, :n_classes])
