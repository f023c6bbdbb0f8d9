"""scatter_rows: the weighted scatter-add of rows, every path (a native scatter-add, numpy's bincounts for a small
sum and its sparse product for a larger one, the array-API one-hot product) against a float64 sum on the host, and
to the last bit where the sums are exact."""

import numpy as np
import pytest

from tests.helpers import assert_allclose, assert_on_backend
from xpml import to_numpy
from xpml.utils._scatter_rows import scatter_rows


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("n", [300, 12_000])  # numpy: bincounts, then the sparse product (n · 3 > 2**15)
def test_native_and_array_api_paths_agree(xp, device, backend, weighted, n):
    rng = np.random.default_rng(0)
    index = rng.choice([4, 0, 2, 6, 1], size=n)  # in no order; bins 3, 5 and 7 stay empty
    values = rng.uniform(0.5, 1.5, size=(n, 3))  # positive: no cancellation, so rtol is meaningful
    weights = rng.uniform(0.5, 1.5, size=n) if weighted else np.ones(n)
    expected = np.zeros((8, 3))
    np.add.at(expected, index, weights[:, None] * values)
    v, i = xp.asarray(values, device=device), xp.asarray(index, device=device)
    w = xp.asarray(weights, device=device) if weighted else None
    for out in (scatter_rows(v, i, 8, weights=w), scatter_rows(v, i, 8, weights=w, native=False)):
        assert_on_backend(out, backend)
        assert out.dtype == v.dtype and tuple(out.shape) == (8, 3)
        assert_allclose(out, expected, rtol=1e-12)  # up to 2,400 positive terms a bin, in float64
        assert np.all(to_numpy(out)[[3, 5, 7]] == 0)


@pytest.mark.parametrize("n", [200, 9_000])
def test_counts_are_exact(xp, device, n):
    """0/1 rows weighted by integers: sums of integers, the same on every path to the last bit."""
    rng = np.random.default_rng(1)
    index, values = rng.integers(0, 5, size=n), (rng.uniform(size=(n, 4)) < 0.5).astype(np.float64)
    weights = rng.integers(1, 4, size=n).astype(np.float64)
    expected = np.zeros((5, 4))
    np.add.at(expected, index, weights[:, None] * values)
    v, i, w = (xp.asarray(a, device=device) for a in (values, index, weights))
    np.testing.assert_array_equal(to_numpy(scatter_rows(v, i, 5, weights=w)), expected)
    np.testing.assert_array_equal(to_numpy(scatter_rows(v, i, 5, weights=w, native=False)), expected)
