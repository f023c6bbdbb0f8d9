"""KernelPCA against scikit-learn's (the same centred kernel and eigenpairs: rtol 1e-10, signs included), for every
kernel, the inverse transform, the solvers and the errors."""

import numpy as np
import pytest
from sklearn.decomposition import KernelPCA as SkKernelPCA
from sklearn.metrics.pairwise import rbf_kernel

from tests.helpers import assert_allclose, assert_on_backend
from xpml.decomposition import KernelPCA
from xpml.exceptions import NotFittedError

_rng = np.random.default_rng(0)
X = _rng.standard_normal((30, 4))
X_NEW = _rng.standard_normal((7, 4))


def assert_same_model(ours, ref, rtol=1e-10):
    """The same eigenpairs (signs included: svd_flip on the eigenvectors' columns, as scikit-learn) and outputs."""
    assert_allclose(ours.eigenvalues_, ref.eigenvalues_, rtol=rtol, atol=rtol * ref.eigenvalues_[0])
    assert_allclose(ours.eigenvectors_, ref.eigenvectors_, rtol=rtol, atol=rtol)
    Z = ref.transform(X_NEW)
    assert_allclose(ours.transform(X_NEW), Z, rtol=rtol, atol=rtol * np.abs(Z).max())


@pytest.mark.parametrize("kernel", ["rbf", "poly", "linear", "sigmoid", "cosine"])
def test_each_kernel_and_its_inverse_transform_are_sklearns(backend, kernel):
    if backend.name not in ("numpy", "torch") and kernel != "rbf":
        pytest.skip("the kernels are xpml.metrics.pairwise's (test_pairwise): numpy and torch run each here")
    # the sigmoid kernel is not positive semi-definite: on this embedding K + 0.1 I is singular (scikit-learn raises)
    params = dict(n_components=3, kernel=kernel, gamma=0.4, degree=2, coef0=0.5, alpha=0.1,
                  fit_inverse_transform=kernel != "sigmoid")
    ours, ref = KernelPCA(**params).fit(X), SkKernelPCA(**params).fit(X)
    assert_on_backend(ours.eigenvectors_, backend)
    assert_same_model(ours, ref)
    assert_allclose(KernelPCA(**params).fit_transform(X), SkKernelPCA(**params).fit_transform(X), rtol=1e-10,
                    atol=1e-10)
    if kernel == "sigmoid":
        return
    assert_allclose(ours.X_transformed_fit_, ref.X_transformed_fit_, rtol=1e-10, atol=1e-10)
    # the pre-image map: kernel ridge from the embedding back to X
    assert_allclose(ours.dual_coef_, ref.dual_coef_, rtol=1e-9, atol=1e-9 * np.abs(ref.dual_coef_).max())
    Z = ref.transform(X_NEW)
    assert_allclose(ours.inverse_transform(Z), ref.inverse_transform(Z), rtol=1e-9, atol=1e-9)


def test_zero_eigenvalues_are_dropped_as_sklearn():
    # a linear kernel of 4 features: the centred 30 x 30 kernel has rank 4, and 26 eigenvalues at rounding level
    ours, ref = KernelPCA(kernel="linear").fit(X), SkKernelPCA(kernel="linear").fit(X)  # n_components=None
    assert ours.eigenvalues_.shape == ref.eigenvalues_.shape == (4,)
    assert_same_model(ours, ref)
    kept = KernelPCA(n_components=6, remove_zero_eig=True).fit(X)
    assert kept.eigenvalues_.shape == (4,)
    padded = KernelPCA(n_components=6).fit(X)  # the two zero eigenvalues kept, their columns of transform zero
    assert_allclose(padded.eigenvalues_[4:], np.zeros(2), atol=0)
    assert_allclose(padded.transform(X_NEW)[:, 4:], np.zeros((7, 2)), atol=0)


def test_precomputed_and_callable_kernels_are_sklearns():
    K, K_new = rbf_kernel(X, gamma=0.3), rbf_kernel(X_NEW, X, gamma=0.3)
    ours, ref = KernelPCA(3, kernel="precomputed").fit(K), SkKernelPCA(3, kernel="precomputed").fit(K)
    assert_allclose(ours.transform(K_new), ref.transform(K_new), rtol=1e-10, atol=1e-10)

    def laplacian(x, y, scale=1.0):
        return np.exp(-scale * np.abs(x - y).sum())

    params = dict(n_components=3, kernel=laplacian, kernel_params={"scale": 0.7})
    assert_same_model(KernelPCA(**params).fit(X), SkKernelPCA(**params).fit(X))


def test_solvers_find_the_dense_eigenpairs():
    X_big = np.random.default_rng(1).standard_normal((120, 5))
    ref = SkKernelPCA(3, kernel="rbf", eigen_solver="dense").fit(X_big)
    for solver in ("arpack", "auto"):  # computed exactly, by the dense solver
        ours = KernelPCA(3, kernel="rbf", eigen_solver=solver).fit(X_big)
        assert_allclose(ours.eigenvectors_, ref.eigenvectors_, rtol=1e-10, atol=1e-10)
    # randomized: 7 power iterations on eigenvalues 20.6, 19.7, 18.3, ... reach them to 1e-9
    ours = KernelPCA(3, kernel="rbf", eigen_solver="randomized", random_state=0).fit(X_big)
    assert_allclose(ours.eigenvalues_, ref.eigenvalues_, rtol=1e-9)
    assert_allclose(ours.eigenvectors_, ref.eigenvectors_, rtol=1e-6, atol=1e-6)


def test_float32_stays_float32():
    ours = KernelPCA(2, kernel="rbf").fit(X.astype(np.float32))
    ref = SkKernelPCA(2, kernel="rbf").fit(X)
    assert ours.eigenvectors_.dtype == ours.transform(X_NEW.astype(np.float32)).dtype == np.float32
    assert_allclose(ours.eigenvalues_, ref.eigenvalues_, rtol=1e-5)


def test_clear_errors():
    with pytest.raises(ValueError, match=r"There are significant negative eigenvalues \(0.288"):
        KernelPCA(kernel="sigmoid").fit(X)  # not positive semi-definite here, as in scikit-learn
    with pytest.raises(ValueError, match=r"Cannot fit_inverse_transform with a precomputed kernel"):
        KernelPCA(kernel="precomputed", fit_inverse_transform=True).fit(np.eye(3))
    with pytest.raises(ValueError, match=r"kernel='precomputed' needs X of shape \(n_samples, n_samples\)"):
        KernelPCA(kernel="precomputed").fit(X)
    model = KernelPCA(2).fit(X)
    with pytest.raises(NotFittedError, match=r"fit_inverse_transform parameter was not set to True"):
        model.inverse_transform(np.ones((1, 2)))
    with pytest.raises(ValueError, match=r"kernel='nosuch' should be one of 'cosine', 'linear', 'poly'"):
        KernelPCA(kernel="nosuch").fit(X)
