"""scatter_add: every native fast path against the pure array-API version and a float64 reference."""

import numpy as np
import pytest

from tests.helpers import assert_allclose, assert_on_backend
from xpml import to_numpy
from xpml.utils._scatter import scatter_add


def reference(values, index, n_bins):
    """Segment sums in float64 on the host."""
    out = np.zeros((n_bins,) + values.shape[1:])
    np.add.at(out, index, values.astype(np.float64))
    return out


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(500,), (500, 3), (500, 1)])  # (500, 1): a bincount per column
def test_native_and_array_api_paths_agree(xp, device, backend, dtype, shape):
    rng = np.random.default_rng(0)
    values = rng.uniform(0.5, 1.5, size=shape).astype(dtype)  # positive: no cancellation, so rtol is meaningful
    index = rng.choice([0, 1, 2, 4, 6], size=shape[0])  # bins 3, 5 and 7 stay empty
    expected = reference(values, index, 8)
    v, i = xp.asarray(values, device=device), xp.asarray(index, device=device)
    native, portable = scatter_add(v, i, 8), scatter_add(v, i, 8, native=False)
    for out in (native, portable):
        assert_on_backend(out, backend)
        assert out.dtype == v.dtype and tuple(out.shape) == (8,) + shape[1:]
    # Summing m positive terms in precision u errs by at most (m - 1)·u relative; here m is about 100.
    rtol = 1e-12 if dtype == "float64" else 100 * np.finfo(np.float32).eps
    assert_allclose(native, expected, rtol=rtol)
    assert_allclose(portable, expected, rtol=rtol)
    assert_allclose(native, portable, rtol=rtol)
    assert np.all(to_numpy(native)[[3, 5, 7]] == 0) and np.all(to_numpy(portable)[[3, 5, 7]] == 0)


def test_int32_index_and_a_single_bin(xp, device):
    values = xp.asarray(np.arange(12.0).reshape(6, 2), device=device)
    index = xp.asarray(np.zeros(6, dtype=np.int32), device=device)
    for native in (True, False):
        assert_allclose(scatter_add(values, index, 1, native=native), [[30.0, 36.0]], rtol=1e-15)


def test_array_api_path_stays_accurate_in_float32_over_many_blocks(xp, device):
    """200,000 rows into 3 bins: several one-hot blocks, each summed by a matrix product."""
    rng = np.random.default_rng(1)
    values = rng.uniform(0.0, 1.0, size=(200_000, 2)).astype(np.float32)
    index = rng.integers(0, 3, size=200_000)
    out = scatter_add(xp.asarray(values, device=device), xp.asarray(index, device=device), 3, native=False)
    # A cumulative-sum-and-difference method would err by about u·(total sum) ≈ 1e-2 absolute per bin;
    # blocked sums stay within a few hundred ulps of the float64 sums (about 1e-5 relative).
    assert_allclose(out, reference(values, index, 3), rtol=1e-5)
