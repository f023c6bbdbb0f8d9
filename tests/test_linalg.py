"""Linear-algebra helpers of xpml.utils._linalg against numpy."""

import numpy as np
import pytest

from xpml.utils._linalg import max_eigenvalue_of_gram


@pytest.mark.parametrize("shape", [(50, 8), (8, 50)])
def test_max_eigenvalue_of_gram_is_the_largest_squared_singular_value(xp, device, shape):
    X = np.random.default_rng(0).standard_normal(shape)
    expected = np.linalg.svd(X, compute_uv=False)[0] ** 2
    assert max_eigenvalue_of_gram(xp, xp.asarray(X, device=device)) == pytest.approx(expected, rel=1e-12)
