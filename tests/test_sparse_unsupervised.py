"""Unsupervised and neighbour estimators on scipy.sparse input: the same model as scikit-learn fitted on the
same sparse matrix, and as xpml fitted on it dense, on every backend (X is a CSR there, xpml.utils._csr).
TruncatedSVD and StandardScaler on sparse input: tests/test_sparse.py."""

import numpy as np
import pytest
import sklearn.cluster as sk_cluster
import sklearn.decomposition as sk_dec
import sklearn.neighbors as sk_neighbors

from tests.helpers import assert_allclose, assert_on_backend
from xpml import to_numpy
from xpml.cluster import KMeans, MiniBatchKMeans
from xpml.decomposition import PCA
from xpml.neighbors import KNeighborsClassifier, KNeighborsRegressor

scipy_sparse = pytest.importorskip("scipy.sparse")  # optional at runtime; the sparse input of these tests

RNG = np.random.default_rng(0)
X = scipy_sparse.random(60, 40, density=0.1, format="csr", random_state=RNG)  # 240 stored values
DENSE = X.toarray()
WEIGHTS = RNG.uniform(0.5, 2.0, 60)


def _every_path(backend) -> bool:
    """Whether a test runs all its paths: on jax only the central comparison, since jax compiles each eager
    operation anew for each shape of a sparse matrix's arrays (hundreds per fit, tens of ms each)."""
    return backend.name != "jax"


def _close(ours, ref, rtol=1e-9):
    ref = ref.toarray() if scipy_sparse.issparse(ref) else to_numpy(ref)
    ours = ours.toarray() if scipy_sparse.issparse(ours) else ours
    assert_allclose(ours, ref, rtol=rtol, atol=rtol * np.abs(ref).max())


@pytest.mark.parametrize("solver", ["auto", "covariance_eigh"])
def test_pca_centres_sparse_input_implicitly_as_sklearn(backend, solver):
    # "auto" is "arpack" on sparse input: the p x p Gram matrix for X (60 x 40), the n x n one for Xᵀ (40 x 60)
    for data in (X, X.T.tocsr()) if solver == "auto" and _every_path(backend) else (X,):
        ours = PCA(5, svd_solver=solver).fit(data)
        ref = sk_dec.PCA(5, svd_solver=solver).fit(data)
        assert_on_backend(ours.components_, backend)
        assert ours._fit_svd_solver == ref._fit_svd_solver
        for name in ("mean_", "components_", "explained_variance_", "explained_variance_ratio_", "singular_values_",
                     "noise_variance_"):
            _close(getattr(ours, name), getattr(ref, name))
        _close(ours.transform(data), ref.transform(data))
    with pytest.raises(TypeError, match='PCA only supports? sparse inputs with the "arpack" and "covariance_eigh"'):
        PCA(2, svd_solver="full").fit(X)


def _same_clustering(ours, ref, rtol=1e-10):
    _close(ours.cluster_centers_, ref.cluster_centers_, rtol)
    assert ours.inertia_ == pytest.approx(ref.inertia_, rel=rtol)
    np.testing.assert_array_equal(to_numpy(ours.labels_), ref.labels_)


def test_kmeans_lloyd_on_sparse_is_sklearns(backend):
    init = np.vstack([DENSE[:3], np.full(40, 5.0)])  # the last centre starts empty: it moves onto a far sample
    for w in (None, WEIGHTS):  # unit weights: the clusters' sums updated by the samples that move
        ours = KMeans(4, init=init).fit(X, sample_weight=w)
        ref = sk_cluster.KMeans(4, init=init, n_init=1).fit(X, sample_weight=w)
        assert_on_backend(ours.cluster_centers_, backend)
        _same_clustering(ours, ref)
        assert ours.n_iter_ == ref.n_iter_
    # squared: a sample that is its own centre sits at the square root of rounding error (~1e-8) in both
    _close(to_numpy(ours.transform(X)) ** 2, ref.transform(X) ** 2)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    assert ours.score(X) == pytest.approx(ref.score(X), rel=1e-10)
    if not _every_path(backend):  # k-means++ on sparse X runs on jax in MiniBatchKMeans's test
        return
    # k-means++ seeding (and the tolerance, from the columns' variances) on sparse X is the dense fit's
    # (dense on numpy: tests/test_cluster.py runs it on every backend)
    sparse_fit = KMeans(4, random_state=0, tol=1e-2).fit(X)
    dense_fit = KMeans(4, random_state=0, tol=1e-2, backend="numpy").fit(DENSE)
    _same_clustering(sparse_fit, _numpy_fit(dense_fit))
    assert sparse_fit.n_iter_ == dense_fit.n_iter_


def _numpy_fit(model):
    """A fitted model's attributes on the host, for comparison as scikit-learn's."""
    class Fitted:
        cluster_centers_, inertia_, labels_ = (to_numpy(model.cluster_centers_), model.inertia_,
                                               to_numpy(model.labels_))
    return Fitted


def test_minibatch_kmeans_on_sparse_is_the_dense_fit(backend):
    params = {"n_clusters": 4, "batch_size": 10, "random_state": 0, "max_iter": 5}
    sparse_fit = MiniBatchKMeans(**params).fit(X)  # on jax: one compiled step for the padded rows of every batch
    dense_fit = MiniBatchKMeans(**params, backend="numpy").fit(DENSE)
    assert_on_backend(sparse_fit.cluster_centers_, backend)
    _same_clustering(sparse_fit, _numpy_fit(dense_fit))
    assert sparse_fit.n_steps_ == dense_fit.n_steps_
    if not _every_path(backend):
        return
    stream, dense = MiniBatchKMeans(**params), MiniBatchKMeans(**params, backend="numpy")
    for _ in range(2):  # seeded on the first call, updated on both
        stream.partial_fit(X[:30])
        dense.partial_fit(DENSE[:30])
    _same_clustering(stream, _numpy_fit(dense))


# Denser rows for the neighbour search: at 10% density many pairs are orthogonal, at cosine distance 1 exactly,
# and which of those tied points comes k-th is a convention (xpml: the lower index).
X_KNN = scipy_sparse.random(60, 40, density=0.3, format="csr", random_state=2)
QUERIES = scipy_sparse.random(15, 40, density=0.3, format="csr", random_state=3)


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_kneighbors_on_sparse_are_sklearns(backend, metric):
    if not _every_path(backend):
        pytest.skip("the sparse search on jax: tests/test_sparse.py")
    y = np.arange(60) % 3
    ours = KNeighborsClassifier(5, metric=metric).fit(X_KNN, y)
    ref = sk_neighbors.KNeighborsClassifier(5, metric=metric).fit(X_KNN, y)
    distances, indices = ours.kneighbors(QUERIES)
    ref_distances, ref_indices = ref.kneighbors(QUERIES)
    np.testing.assert_array_equal(indices, ref_indices)
    _close(distances, ref_distances, rtol=1e-12)
    _close(ours.predict_proba(QUERIES), ref.predict_proba(QUERIES))
    # dense training points with sparse queries, and sparse points with dense queries: the same neighbours
    dense_fit = KNeighborsClassifier(5, metric=metric).fit(X_KNN.toarray(), y)
    np.testing.assert_array_equal(dense_fit.kneighbors(QUERIES)[1], ref_indices)
    np.testing.assert_array_equal(ours.kneighbors(QUERIES.toarray())[1], ref_indices)
    # the training points' own neighbours (each not its own), distance-weighted regression
    target = X_KNN @ np.linspace(-1, 1, 40)
    ours = KNeighborsRegressor(4, metric=metric, weights="distance").fit(X_KNN, target)
    ref = sk_neighbors.KNeighborsRegressor(4, metric=metric, weights="distance").fit(X_KNN, target)
    np.testing.assert_array_equal(ours.kneighbors()[1], ref.kneighbors()[1])
    _close(ours.predict(QUERIES), ref.predict(QUERIES))
