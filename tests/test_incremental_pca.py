"""IncrementalPCA against scikit-learn's (the same stacked SVDs: rtol 1e-10, signs included), against its own
partial_fit, and against PCA where no batch drops a direction."""

import numpy as np
import pytest
from sklearn.decomposition import IncrementalPCA as SkIncrementalPCA

from tests.helpers import assert_allclose, assert_on_backend
from xpml.decomposition import PCA, IncrementalPCA

_rng = np.random.default_rng(0)
X = _rng.standard_normal((37, 6)) @ _rng.standard_normal((6, 6)) + 3.0  # correlated features away from the origin
X_NEW = _rng.standard_normal((5, 6))
ATTRIBUTES = ("components_", "explained_variance_", "explained_variance_ratio_", "singular_values_", "mean_", "var_",
              "noise_variance_")


def assert_same_model(ours, ref, rtol=1e-10):
    assert (ours.n_components_, ours.n_samples_seen_) == (ref.n_components_, ref.n_samples_seen_)
    for name in ATTRIBUTES:
        want = np.asarray(getattr(ref, name))
        assert_allclose(getattr(ours, name), want, rtol=rtol, atol=rtol * np.abs(want).max(), err_msg=name)


@pytest.mark.parametrize("whiten", [False, True])
def test_fit_in_batches_is_sklearns(backend, whiten):
    if backend.name not in ("numpy", "torch") and whiten:
        pytest.skip("whitening scales the outputs by the same array code on every backend: numpy and torch run it")
    ours = IncrementalPCA(n_components=3, batch_size=10, whiten=whiten).fit(X)  # batches of 10, 10, 17 rows
    ref = SkIncrementalPCA(n_components=3, batch_size=10, whiten=whiten).fit(X)
    assert_on_backend(ours.components_, backend)
    assert ours.batch_size_ == 10 and ours.n_features_in_ == 6
    assert_same_model(ours, ref)  # svd_flip's signs: the components equal scikit-learn's, not only up to sign
    Z = ref.transform(X_NEW)
    assert_allclose(ours.transform(X_NEW), Z, rtol=1e-10, atol=1e-10)
    assert_allclose(ours.inverse_transform(Z), ref.inverse_transform(Z), rtol=1e-10, atol=1e-10)
    if whiten:  # each component scaled by its standard deviation
        plain = IncrementalPCA(n_components=3, batch_size=10).fit(X).transform(X_NEW)
        assert_allclose(ours.transform(X_NEW), plain / np.sqrt(ref.explained_variance_), rtol=1e-10, atol=1e-10)
    else:  # the probabilistic model of PCA (scikit-learn scales it otherwise when whitening)
        assert_allclose(ours.get_covariance(), ref.get_covariance(), rtol=1e-10, atol=1e-10)
        assert_allclose(ours.get_precision(), ref.get_precision(), rtol=1e-9, atol=1e-9)


def test_partial_fit_is_fit_in_the_same_batches_and_pca_without_truncation(backend):
    stream = IncrementalPCA(n_components=3)
    for start in range(0, 37, 10):  # 10, 10, 10, 7 rows
        stream.partial_fit(X[start:start + 10])
    assert_same_model(stream, SkIncrementalPCA(n_components=3, batch_size=10).fit(X))
    assert not hasattr(stream, "batch_size_")  # as scikit-learn: only fit chooses a batch size
    # n_components=None keeps every direction of the first batch (6): nothing is dropped, so the batches give PCA
    full = IncrementalPCA(batch_size=12).fit(X)
    pca = PCA(svd_solver="full").fit(X)
    for name in ("components_", "explained_variance_", "singular_values_", "mean_"):
        assert_allclose(getattr(full, name), getattr(pca, name), rtol=1e-10, atol=1e-10, err_msg=name)
    assert_allclose(full.var_, np.var(X, axis=0), rtol=1e-12)


def test_sparse_X_is_fitted_one_dense_batch_at_a_time():
    sp = pytest.importorskip("scipy.sparse")
    S = sp.csr_matrix(np.where(np.abs(X) > 2.5, X, 0.0))
    ours = IncrementalPCA(n_components=2, batch_size=9).fit(S)
    ref = SkIncrementalPCA(n_components=2, batch_size=9).fit(S)
    assert_same_model(ours, ref)
    assert_allclose(ours.transform(S), ref.transform(S), rtol=1e-10, atol=1e-10)
    with pytest.raises(TypeError, match=r"partial_fit does not support sparse input.*use IncrementalPCA.fit"):
        IncrementalPCA(n_components=2).partial_fit(S)


def test_clear_errors():
    with pytest.raises(ValueError, match=r"n_components=7 invalid for n_features=6.*should be <= n_features"):
        IncrementalPCA(n_components=7).fit(X)
    with pytest.raises(ValueError, match=r"n_components=4 must be less or equal to the batch's n_samples for the "
                                         r"first partial_fit call=3"):
        IncrementalPCA(n_components=4).partial_fit(X[:3])
    with pytest.raises(ValueError, match=r"n_samples=1 should be >= 2: IncrementalPCA estimates variances"):
        IncrementalPCA().fit(X[:1])
    with pytest.raises(ValueError, match=r"batch_size=2 should be >= n_components=3"):
        IncrementalPCA(n_components=3, batch_size=2).fit(X)
    model = IncrementalPCA(n_components=2).partial_fit(X[:10])
    with pytest.raises(ValueError, match=r"n_components=3 differs from the 2 components of the earlier partial_fit"):
        model.set_params(n_components=3).partial_fit(X[10:20])
    with pytest.raises(ValueError, match=r"X has 3 columns, but IncrementalPCA was fitted with n_components_=2"):
        model.inverse_transform(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"X has 5 features, but IncrementalPCA is expecting 6"):
        model.partial_fit(X[:10, :5])
