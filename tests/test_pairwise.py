"""xpml.metrics.pairwise on every backend against scikit-learn's functions of the same names."""

import numpy as np
import pytest
import sklearn.metrics.pairwise as sk

import xpml.metrics.pairwise as ours
from tests.helpers import assert_allclose, assert_on_backend
from tests.test_signatures import signature_differences
from xpml import to_numpy
from xpml.metrics.pairwise import Kernel, kernel_dot, kernel_matrix

RNG = np.random.default_rng(0)
X, Y = RNG.normal(size=(40, 5)), RNG.normal(size=(7, 5))
CASES = [("linear_kernel", {}), ("polynomial_kernel", dict(degree=2, gamma=0.3, coef0=0.5)), ("rbf_kernel", {}),
         ("sigmoid_kernel", dict(gamma=0.1)), ("cosine_similarity", {}), ("euclidean_distances", {}),
         ("euclidean_distances", dict(squared=True))]


@pytest.mark.parametrize("name", sorted({name for name, _ in CASES} | {"pairwise_kernels"}))
def test_signature_is_sklearns(name):
    assert not signature_differences(name, getattr(ours, name), getattr(sk, name))


def test_kernels_are_sklearns(backend, xp):
    Xb, Yb = xp.asarray(X, device=backend.device), xp.asarray(Y, device=backend.device)
    for name, params in CASES:
        got = getattr(ours, name)(Xb, Yb, **params)
        assert_on_backend(got, backend)
        assert_allclose(got, getattr(sk, name)(X, Y, **params), rtol=1e-12, atol=1e-12, err_msg=name)
        assert_allclose(getattr(ours, name)(Xb, **params), getattr(sk, name)(X, **params), rtol=1e-12, atol=1e-12,
                        err_msg=name)
    for metric, params in (("poly", dict(degree=2)), ("rbf", dict(gamma=0.2)), ("sigmoid", {})):
        assert_allclose(ours.pairwise_kernels(Xb, Yb, metric=metric, **params),
                        sk.pairwise_kernels(X, Y, metric=metric, **params), rtol=1e-12, atol=1e-12)


def test_blocks_give_the_whole(backend, xp, monkeypatch):
    # Blocks of 3 rows: kernel_matrix and kernel_dot join the blocks into what one block gives.
    Xb = xp.asarray(X, device=backend.device)
    M = xp.asarray(RNG.normal(size=(40, 2)), device=backend.device)
    kernel = Kernel("rbf", gamma=0.3)
    whole = sk.rbf_kernel(X, gamma=0.3)
    monkeypatch.setattr("xpml.metrics.pairwise.chunk_rows", lambda backend, width: 3)
    assert_allclose(kernel_matrix(kernel, xp, backend, Xb), whole, rtol=1e-12, atol=1e-12)
    product = kernel_dot(kernel, xp, backend, kernel.left(xp, Xb), kernel.right(xp, Xb), M)
    assert_allclose(product, whole @ to_numpy(M), rtol=1e-12, atol=1e-12)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="Incompatible dimension"):
        ours.rbf_kernel(X, Y[:, :3])
    with pytest.raises(ValueError, match="metric='chi3'"):
        ours.pairwise_kernels(X, metric="chi3")
    with pytest.raises(TypeError, match="degree"):
        ours.pairwise_kernels(X, metric="rbf", degree=2)
    assert_allclose(ours.pairwise_kernels(X, metric="rbf", degree=2, filter_params=True), sk.rbf_kernel(X))
