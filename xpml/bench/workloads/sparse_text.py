"""Sparse text features: TF-IDF into LogisticRegression, and TruncatedSVD (latent semantic analysis).

The data imitate a term matrix: each of n documents holds 60 word draws from a vocabulary of p words
whose frequencies follow Zipf's law (s = 1.1), and belongs to one of two topics whose documents use
a topic's 200 own words more often. Counts are weighted by inverse document frequency and each row
is scaled to unit length, as TfidfVectorizer does, into a scipy.sparse CSR matrix (float64, about 50
stored values a row). Both libraries are given that matrix and compute on it sparse; nothing dense
of its shape is made.

- tfidf_logistic_regression: C=10, tol=1e-6, lbfgs, from zero (at tol=1e-4 the two libraries stop
  at objectives 6% apart, their stopping rules reading tol differently; at 1e-6 they agree to 8
  digits); the score is the final objective (mean log-loss + ||w||²/(2·C·n)), computed alike.
- truncated_svd_sparse: 100 components, randomized, 5 power iterations; the score is the sum of the
  explained variance ratios.
"""

import numpy as np

from .._harness import Workload

WORDS_PER_DOCUMENT = 60


def make_data(n, p, rng):
    import scipy.sparse

    ranks = np.arange(1, p + 1)
    frequency = ranks ** -1.1
    frequency /= frequency.sum()
    y = rng.integers(0, 2, n)  # (n,) topics
    words = rng.choice(p, size=(n, WORDS_PER_DOCUMENT), p=frequency)  # (n, 60)
    topical = rng.random((n, WORDS_PER_DOCUMENT)) < 0.15  # a share of each document's words is its topic's
    words = np.where(topical, 1000 + 200 * y[:, None] + rng.integers(0, 200, (n, WORDS_PER_DOCUMENT)), words) % p
    rows = np.repeat(np.arange(n), WORDS_PER_DOCUMENT)
    counts = scipy.sparse.csr_matrix((np.ones(rows.size), (rows, words.ravel())), shape=(n, p))
    counts.sum_duplicates()
    document_frequency = np.bincount(counts.indices, minlength=p)
    idf = np.log((1 + n) / (1 + document_frequency)) + 1
    X = counts @ scipy.sparse.diags(idf)
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1))).ravel()
    X = scipy.sparse.diags(1 / np.maximum(norms, 1e-12)) @ X
    return X.tocsr(), y


class _FinalLoss:
    """The logistic objective at the fitted coefficients, computed when the harness asks for the score."""

    def __init__(self, X, y, coef, intercept, C):
        self.args = X, y, coef, intercept, C

    def __float__(self):
        from xpml import to_numpy

        X, y, coef, intercept, C = self.args
        w = to_numpy(coef).reshape(-1)
        z = X @ w + to_numpy(intercept).reshape(-1)[0]
        return float(np.mean(np.logaddexp(0, z) - y * z) + w @ w / (2 * C * len(y)))


def run_logistic_xpml(backend, X, y):
    from xpml.linear_model import LogisticRegression

    def run():
        model = LogisticRegression(C=10.0, tol=1e-6, max_iter=1000, backend=backend).fit(X, y)
        return model.coef_, _FinalLoss(X, y, model.coef_, model.intercept_, 10.0)

    return run


def run_logistic_sklearn(X, y):
    from sklearn.linear_model import LogisticRegression

    def run():
        model = LogisticRegression(C=10.0, tol=1e-6, max_iter=1000).fit(X, y)
        return model.coef_, _FinalLoss(X, y, model.coef_, model.intercept_, 10.0)

    return run


def run_svd_xpml(backend, X, y):
    from xpml import to_numpy
    from xpml.decomposition import TruncatedSVD

    def run():
        model = TruncatedSVD(100, n_iter=5, random_state=0, backend=backend).fit(X)
        return model.components_, float(np.sum(to_numpy(model.explained_variance_ratio_)))

    return run


def run_svd_sklearn(X, y):
    from sklearn.decomposition import TruncatedSVD

    def run():
        model = TruncatedSVD(100, n_iter=5, random_state=0).fit(X)
        return model.components_, float(np.sum(model.explained_variance_ratio_))

    return run


SIZES = {"quick": [(5_000, 20_000)], "full": [(50_000, 100_000)], "large": [(500_000, 200_000)]}

WORKLOADS = [
    Workload(
        name="tfidf_logistic_regression", sizes=SIZES, dtype="float64", make_data=make_data,
        run_xpml=run_logistic_xpml, run_sklearn=run_logistic_sklearn,
        notes="scipy.sparse TF-IDF matrix (about 50 values a row); the score is the final objective.",
        needs=("scipy",),
    ),
    Workload(
        name="truncated_svd_sparse", sizes=SIZES, dtype="float64", make_data=make_data,
        run_xpml=run_svd_xpml, run_sklearn=run_svd_sklearn,
        notes="scipy.sparse TF-IDF matrix, 100 components; the score is the explained variance ratio's sum.",
        needs=("scipy",),
    ),
]
