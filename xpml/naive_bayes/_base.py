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

Both models learn from sufficient statistics (counts, sums) that add up across batches, so
`partial_fit` on a stream gives the model that `fit` on all of it would.

Reference: Manning, Raghavan & Schütze, Introduction to Information Retrieval (2008), chapter 13.
"""

from __future__ import annotations

from typing import Any

from ..base import BaseEstimator, ClassifierMixin
from ..utils._labels import check_classes, check_same_classes, label_indices
from ..utils._special import log_softmax
from ..utils.validation import check_consistent_length, check_sample_weight

__all__ = ["BaseNB"]


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
