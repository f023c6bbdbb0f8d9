"""The CSR matrix of xpml.utils._csr: every operation against scipy's dense result, native and array-API
kernels alike, on every backend; and the validation of scipy.sparse input."""

import warnings

import numpy as np
import pytest

from tests.helpers import assert_allclose, assert_on_backend
from xpml._backend import capability, to_backend
from xpml.exceptions import DataConversionWarning
from xpml.utils import _csr_kernels
from xpml.utils._csr import CSR, take_rows
from xpml.utils._sparse_input import DENSE_LIMIT
from xpml.utils.validation import check_array

scipy_sparse = pytest.importorskip("scipy.sparse")  # an optional dependency: the tests need it

S = scipy_sparse.random(60, 40, density=0.1, format="csr", random_state=0)
S.data[:3] = [-1.5, 0.0, 2.0]  # a negative value and an explicitly stored zero
DENSE = S.toarray()
RNG = np.random.default_rng(0)
W, G = RNG.standard_normal((40, 3)), RNG.standard_normal((60, 3))
ROWS = np.array([5, 0, 59, 5, 17, 33])  # repeated rows, and rows of any order


@pytest.mark.parametrize("native", [True, False], ids=["native", "array-api"])
def test_operations_match_dense(backend, native, monkeypatch):
    if native and capability(backend, "csr_matmul") is None:
        pytest.skip(f"{backend.name} has no native sparse product")
    monkeypatch.setattr(_csr_kernels, "SMALL", 0)  # the native kernel even for this small matrix
    X = CSR.from_scipy(S, backend)
    X.native = native
    W_, G_ = to_backend(W, backend), to_backend(G, backend)
    product = X @ W_
    assert_on_backend(product, backend)
    assert_allclose(product, DENSE @ W, rtol=1e-12, atol=1e-12)
    assert_allclose(X @ W_[:, 0], DENSE @ W[:, 0], rtol=1e-12, atol=1e-12)
    assert_allclose(X.T @ G_, DENSE.T @ G, rtol=1e-12, atol=1e-12)
    assert_allclose(X.T @ G_[:, 1], DENSE.T @ G[:, 1], rtol=1e-12, atol=1e-12)
    batch = take_rows(X, to_backend(ROWS, backend))
    assert batch.shape == (6, 40)
    assert_allclose(batch.toarray(), DENSE[ROWS])
    assert_allclose(batch @ W_, DENSE[ROWS] @ W, rtol=1e-12, atol=1e-12)
    assert_allclose(X.row_block(10, 25).toarray(), DENSE[10:25])
    assert_allclose(X.row_squared_norms(), (DENSE**2).sum(axis=1), rtol=1e-12)
    w = RNG.random(60)
    mean, var = X.column_mean_variance(to_backend(w, backend))
    ref_mean = np.average(DENSE, axis=0, weights=w)
    assert_allclose(mean, ref_mean, rtol=1e-12, atol=1e-15)
    assert_allclose(var, np.average((DENSE - ref_mean) ** 2, axis=0, weights=w), rtol=1e-10, atol=1e-15)
    assert_allclose(X.column_sums(), DENSE.sum(axis=0), rtol=1e-12, atol=1e-15)
    s_rows, s_cols = RNG.random(60), RNG.random(40)
    assert_allclose(X.scale_rows(to_backend(s_rows, backend)).toarray(), DENSE * s_rows[:, None])
    assert_allclose(X.scale_columns(to_backend(s_cols, backend)).toarray(), DENSE * s_cols)
    assert X.astype(backend.xp.float32).dtype == backend.xp.float32


def test_any_scipy_format_is_read_and_the_input_left_alone(backend):
    for fmt in ("csc", "coo", "lil"):
        S_in = S.asformat(fmt)
        X = check_array(S_in, backend, accept_sparse=True)
        assert isinstance(X, CSR) and X.shape == (60, 40)
        assert_allclose(X.toarray(), DENSE)
    counts = scipy_sparse.csr_matrix(np.array([[0, 2], [3, 0]], dtype=np.int64))
    assert str(check_array(counts, backend, accept_sparse=True).dtype).endswith("float64")
    assert counts.dtype == np.int64  # not changed in place


def test_sparse_validation_messages():
    bad = S.copy()
    bad.data[4] = np.nan
    with pytest.raises(ValueError, match="X contains NaN"):
        check_array(bad, _numpy(), accept_sparse=True)
    bad.data[4] = np.inf
    with pytest.raises(ValueError, match="X contains infinity"):
        check_array(bad, _numpy(), accept_sparse=True)
    with pytest.raises(ValueError, match="0 sample"):
        check_array(scipy_sparse.csr_matrix((0, 3)), _numpy(), accept_sparse=True)
    with pytest.raises(ValueError, match="Complex data not supported"):
        check_array(scipy_sparse.csr_matrix(np.eye(2) * 1j), _numpy(), accept_sparse=True)


def test_estimators_without_sparse_densify_small_and_refuse_large():
    with pytest.warns(DataConversionWarning, match=r"sparse matrix \(csr_matrix\) of shape \(60, 40\).*made dense"):
        X = check_array(S, _numpy())
    np.testing.assert_array_equal(X, DENSE)
    huge = scipy_sparse.csr_matrix((100_000, DENSE_LIMIT // 100_000 + 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TypeError, match=r"would hold 1e\+08 entries.*DENSE_LIMIT=1e\+08.*TruncatedSVD"):
            check_array(huge, _numpy())


def _numpy():
    from xpml import make_backend

    return make_backend("numpy")


@pytest.mark.parametrize("library", ["torch", "jax"])
def test_the_libraries_own_products_where_scipy_serves_on_a_cpu(library):
    # On a CPU with scipy, torch's and jax's capability "csr_matmul" runs scipy's kernels on views of their arrays;
    # their own products (the GPU path, and the CPU one without scipy) are checked here against the dense result.
    pytest.importorskip(library)
    from xpml import make_backend
    from xpml._backend import _jax, _torch

    own = {"torch": _torch._torch_csr_matmul, "jax": _jax._jax_csr_matmul}[library]
    backend = make_backend(library)
    arrays = [to_backend(a, backend) for a in (S.indptr.astype(np.int64), S.indices.astype(np.int64), S.data)]
    W_, G_ = to_backend(W, backend), to_backend(G, backend)
    assert_allclose(own(*arrays, S.shape, W_, False), DENSE @ W, rtol=1e-12, atol=1e-12)
    assert_allclose(own(*arrays, S.shape, G_, True), DENSE.T @ G, rtol=1e-12, atol=1e-12)
    assert_allclose(own(*arrays, S.shape, G_[:, 0], True), DENSE.T @ G[:, 0], rtol=1e-12, atol=1e-12)
    if library == "jax":  # traced (under jit), the capability falls back on jax's own product
        import jax

        native = capability(backend, "csr_matmul")
        assert_allclose(jax.jit(lambda B: native(*arrays, S.shape, B, True))(G_), DENSE.T @ G, rtol=1e-12,
                        atol=1e-12)
