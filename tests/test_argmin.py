"""argmin_rows: the two-reduction form (jax's fast path) against xp.argmin, on every backend."""

import numpy as np
import pytest

from tests.helpers import assert_on_backend
from xpml import to_numpy
from xpml.utils._argmin import argmin_rows


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_both_ways_agree_with_numpy_including_ties(xp, device, backend, dtype):
    rng = np.random.default_rng(0)
    D = rng.integers(0, 6, size=(300, 17)).astype(dtype)  # small integers: many ties within a row
    D[:5] = 3.0  # whole rows tied: the first column wins
    expected = np.argmin(D, axis=1)
    D_b = xp.asarray(D, device=device)
    for two_reductions in (None, False, True):
        labels = argmin_rows(D_b, two_reductions=two_reductions)
        assert_on_backend(labels, backend)
        np.testing.assert_array_equal(to_numpy(labels), expected)
