"""segment_max: every native fast path against the pure array-API version and a maximum on the host."""

import numpy as np

from tests.helpers import assert_on_backend
from xpml import to_numpy
from xpml._backend import compiles_per_shape
from xpml.utils._segments import segment_max


def test_native_and_array_api_paths_agree(xp, device, backend):
    rng = np.random.default_rng(0)
    ids = np.sort(rng.choice([0, 1, 2, 4, 6], size=300))  # sorted; segments 3, 5 and 7 stay empty
    values = rng.normal(size=300)
    values[ids == 6] = -np.inf  # a segment of -inf only: as empty as the empty ones
    expected = np.array([values[ids == j].max() if np.any(ids == j) else -np.inf for j in range(8)])
    v, i = xp.asarray(values, device=device), xp.asarray(ids, device=device)
    # the portable version's log2(n) steps each have their own shapes: where each compiles, the native one only
    portable = [] if compiles_per_shape(backend) else [segment_max(v, i, 8, native=False)]
    for out in [segment_max(v, i, 8), *portable]:
        assert_on_backend(out, backend)
        assert out.dtype == v.dtype and tuple(out.shape) == (8,)
        np.testing.assert_array_equal(to_numpy(out), expected)  # a maximum is exact: no rounding to allow for
