"""argmin_along: the two-reduction form of an argmin against numpy's argmin, on every backend."""

import numpy as np
import pytest

from tests.helpers import assert_on_backend
from xpml import to_numpy
from xpml.utils._argmin import argmin_along


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("k", [17, 200])  # int8 and int16 counting
@pytest.mark.parametrize("axis", [0, 1])
def test_agrees_with_numpy_including_ties(xp, device, backend, dtype, k, axis):
    rng = np.random.default_rng(0)
    D = rng.integers(0, 6, size=(k, 300)).astype(dtype)  # small integers: many ties along the centres' axis
    D[:, :5] = 3.0  # whole columns tied: the first row wins
    D[-1, 5] = -1.0  # the minimum in the last row
    D = D if axis == 0 else D.T.copy()
    labels = argmin_along(xp.asarray(D, device=device), axis)
    assert_on_backend(labels, backend)
    np.testing.assert_array_equal(to_numpy(labels), np.argmin(D, axis=axis))
