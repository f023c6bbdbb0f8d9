"""scatter_min_max: every native fast path against the pure array-API version and a minimum and maximum on the host."""

import numpy as np

from tests.helpers import assert_on_backend
from xpml import to_numpy
from xpml._backend import compiles_per_shape
from xpml.utils._scatter_min_max import scatter_min_max


def test_native_and_array_api_paths_agree(xp, device, backend):
    rng = np.random.default_rng(0)
    index = rng.choice([4, 0, 2, 6, 1], size=300)  # in no order; bins 3, 5 and 7 stay empty
    values = rng.normal(size=300).astype(np.float32)
    low = np.array([values[index == j].min() if np.any(index == j) else np.inf for j in range(8)])
    high = np.array([values[index == j].max() if np.any(index == j) else -np.inf for j in range(8)])
    v, i = xp.asarray(values, device=device), xp.asarray(index, device=device)
    # the portable version's log2(n) steps each have their own shapes: where each compiles, the native one only
    portable = [] if compiles_per_shape(backend) else [scatter_min_max(v, i, 8, native=False)]
    for lo, hi in [scatter_min_max(v, i, 8), *portable]:
        for out in (lo, hi):
            assert_on_backend(out, backend)
            assert out.dtype == v.dtype and tuple(out.shape) == (8,)
        np.testing.assert_array_equal(to_numpy(lo), low)  # a minimum is exact: no rounding to allow for
        np.testing.assert_array_equal(to_numpy(hi), high)
