"""Multinomial and complement naive Bayes: a sample is a bag of counts (words in a text), drawn from
its class's distribution over the features.

Multinomial:

    log P(x | c) = Σⱼ xⱼ log θ_cj + (a term that does not depend on c),

where θ_cj, the probability of feature j in class c, is estimated from the counts N_cj of feature j
in the samples of class c, smoothed by α so that a feature never seen in a class does not make
the class impossible:

    θ_cj = (N_cj + α) / (Σₖ N_ck + α p).

Complement (Rennie et al.): θ̃_cj is estimated the same way from the counts of every class but c,
N̄_cj = Σ_{c' ≠ c} N_c'j, which are larger and so steadier when the classes are unbalanced; a sample
scores against a class by how little it looks like the rest:

    w_cj = -log θ̃_cj   (or, with norm, log θ̃_cj / Σₖ log θ̃_ck),   jll_c(x) = Σⱼ xⱼ w_cj,

without the class prior. Either joint log-likelihood, for all samples and classes, is one matrix
product, X Wᵀ.

References: Manning, Raghavan & Schütze, Introduction to Information Retrieval (2008), section 13.2;
Rennie, Shih, Teevan & Karger, "Tackling the poor assumptions of naive Bayes text classifiers",
ICML 2003.
"""

from __future__ import annotations

from typing import Any

from ._base import DiscreteNB, log_likelihood_product, log_normalized

__all__ = ["ComplementNB", "MultinomialNB"]


class MultinomialNB(DiscreteNB):
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

    _counts_X = True  # X holds counts: negative values are refused

    def __init__(self, *, alpha: Any = 1.0, force_alpha: bool = True, fit_prior: bool = True, class_prior: Any = None,
                 backend: Any = None, dtype: str | None = None):
        self.alpha = alpha
        self.force_alpha = force_alpha
        self.fit_prior = fit_prior
        self.class_prior = class_prior
        self.backend = backend
        self.dtype = dtype

    def _estimate(self, alpha) -> None:
        """log θ_cj = log (N_cj + α) - log Σₖ (N_ck + α)."""
        self.feature_log_prob_ = log_normalized(self.feature_count_ + alpha, xp=self._xp)  # (C, p)

    def _joint_log_likelihood(self, X):
        """(n, C): log P(c) + Σⱼ xⱼ log θ_cj (a class ruled out, -inf, by a feature of θ_cj = 0, where alpha = 0)."""
        return log_likelihood_product(X, self.feature_log_prob_, xp=self._xp) + self.class_log_prior_


class ComplementNB(DiscreteNB):
    """Complement naive Bayes classifier, for counts such as word frequencies, suited to unbalanced classes.

    Parameters
    ----------
    alpha : float or array-like of shape (n_features,), default=1.0
        Additive (Laplace/Lidstone) smoothing of the complement counts, >= 0, one for all features or one
        per feature.
    force_alpha : bool, default=True
        Keep alpha as given. If False, an alpha below 1e-10 is raised to 1e-10, with a warning.
    fit_prior : bool, default=True
        Learn `class_log_prior_` from the data; if False, every class is equally likely. The prior does
        not enter the predictions (Rennie et al. leave it out, as scikit-learn does for two classes or more).
    class_prior : array-like of shape (n_classes,), optional
        Fixed class probabilities, in the order of `classes_`; overrides `fit_prior`.
    norm : bool, default=False
        Divide each class's weights by their sum (the second normalization of Rennie et al.).
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
        log P(c), as MultinomialNB's.
    feature_count_ : array of shape (n_classes, n_features)
        The (weighted) sum of each feature over each class's samples, N_cj.
    feature_all_ : array of shape (n_features,)
        The (weighted) sum of each feature over all samples, Σ_c N_cj.
    feature_log_prob_ : array of shape (n_classes, n_features)
        The weights w_cj: -log θ̃_cj, or with `norm` log θ̃_cj / Σₖ log θ̃_ck.
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.naive_bayes import ComplementNB
    >>> X = [[3, 0, 1], [2, 0, 0], [4, 1, 0], [0, 4, 1], [0, 2, 2]]  # counts of three words in five texts
    >>> ComplementNB().fit(X, ["a", "a", "a", "b", "b"]).predict([[1, 0, 0], [0, 1, 0]]).tolist()
    ['a', 'b']
    """

    _parameter_constraints = {**DiscreteNB._parameter_constraints, "norm": ["boolean"]}

    _counts_X = True  # X holds counts: negative values are refused

    def __init__(self, *, alpha: Any = 1.0, force_alpha: bool = True, fit_prior: bool = True, class_prior: Any = None,
                 norm: bool = False, backend: Any = None, dtype: str | None = None):
        self.alpha = alpha
        self.force_alpha = force_alpha
        self.fit_prior = fit_prior
        self.class_prior = class_prior
        self.norm = norm
        self.backend = backend
        self.dtype = dtype

    def _estimate(self, alpha) -> None:
        """w_cj from θ̃_cj = (N̄_cj + α) / Σₖ (N̄_ck + α), the complement counts N̄_cj = Σ_c' N_c'j - N_cj."""
        xp = self._xp
        self.feature_all_ = xp.sum(self.feature_count_, axis=0)  # (p,)
        log_theta = log_normalized(self.feature_all_ + alpha - self.feature_count_, xp=xp)  # (C, p)
        if self.norm:
            self.feature_log_prob_ = log_theta / xp.sum(log_theta, axis=1, keepdims=True)  # (C, p)
        else:
            self.feature_log_prob_ = -log_theta

    def _joint_log_likelihood(self, X):
        """(n, C): Σⱼ xⱼ w_cj, without the prior."""
        return X @ self.feature_log_prob_.T
