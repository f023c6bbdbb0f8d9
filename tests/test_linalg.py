"""Linear-algebra helpers of xpml.utils._linalg against numpy."""

import numpy as np
import pytest

from xpml import to_numpy
from xpml.utils._linalg import max_eigenvalue_of_gram


@pytest.mark.parametrize("shape", [(50, 8), (8, 50)])
def test_max_eigenvalue_of_gram_is_the_largest_squared_singular_value(xp, device, shape):
    X = np.random.default_rng(0).standard_normal(shape)
    expected = np.linalg.svd(X, compute_uv=False)[0] ** 2
    assert max_eigenvalue_of_gram(xp.asarray(X, device=device), xp=xp) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("shape", [(60, 8), (9, 8), (8, 30)])  # tall; n < p + t; wide
def test_r_factor_skips_q_and_agrees_with_the_array_api_qr(xp, device, shape):
    from xpml.utils._linalg import r_factor

    M = xp.asarray(np.random.default_rng(1).standard_normal(shape), device=device)
    native, portable = r_factor(M), r_factor(M, native=False)
    assert tuple(native.shape) == (min(shape), shape[1])
    np.testing.assert_allclose(to_numpy(native), to_numpy(portable), rtol=1e-10, atol=1e-12)
    # RᵀR = MᵀM whatever the signs of R's rows
    np.testing.assert_allclose(to_numpy(native.T @ native), to_numpy(M.T @ M), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("shape", [(60, 8), (8, 30)])  # tall; wide
def test_q_factor_agrees_with_the_array_api_qr(xp, device, shape):
    from xpml.utils._linalg import q_factor

    M = xp.asarray(np.random.default_rng(3).standard_normal(shape), device=device)
    native, portable = q_factor(M), q_factor(M, native=False)
    assert tuple(native.shape) == (shape[0], min(shape))
    # the same basis up to the signs of its columns (LAPACK's Householder reflections give the same signs)
    np.testing.assert_allclose(np.abs(to_numpy(portable.T @ native)), np.eye(min(shape)), atol=1e-10)
    np.testing.assert_allclose(to_numpy(native @ (native.T @ M)), to_numpy(M), atol=1e-10)  # it spans M's columns


@pytest.mark.parametrize("shape, t", [((60, 8), 1), ((9, 8), 3), ((8, 30), 2)])
def test_lstsq_gives_numpys_minimum_norm_solution(xp, device, shape, t):
    from xpml.utils._linalg import lstsq

    rng = np.random.default_rng(2)
    A, B = rng.standard_normal(shape), rng.standard_normal((shape[0], t))
    A[:, 1] = 2 * A[:, 0]  # collinear columns: the minimum-norm solution is the one wanted
    X, rank, s = lstsq(xp.asarray(A, device=device), xp.asarray(B, device=device), xp=xp)
    X_ref, _, rank_ref, s_ref = np.linalg.lstsq(A, B, rcond=None)
    np.testing.assert_allclose(to_numpy(X), X_ref, rtol=1e-9, atol=1e-11)
    assert rank == rank_ref
    np.testing.assert_allclose(to_numpy(s), s_ref, rtol=1e-10, atol=1e-12)
