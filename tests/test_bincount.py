"""The bincount helper: each backend's native branch against the pure array-API fallback, and numpy."""

import numpy as np
import pytest

from tests.helpers import assert_allclose, assert_on_backend
from xpml._backend import backend_of, capability
from xpml.utils._bincount import bincount
from xpml.utils._host import decode, encode, unique_labels


@pytest.mark.parametrize("length", [1, 7, 40])
def test_native_and_fallback_agree_with_numpy(backend, xp, device, length):
    rng = np.random.default_rng(length)
    x = rng.integers(0, length, 200)
    w = rng.uniform(0.0, 3.0, 200)
    X, W = xp.asarray(x, device=device), xp.asarray(w, device=device)
    for result in (bincount(X, length), bincount(X, length, native=False)):
        assert_on_backend(result, backend)
        assert result.shape == (length,)
        assert_allclose(result, np.bincount(x, minlength=length), atol=0)
    for result in (bincount(X, length, W), bincount(X, length, W, native=False)):
        assert_on_backend(result, backend)
        assert_allclose(result, np.bincount(x, weights=w, minlength=length), rtol=1e-12)


def test_long_counts_and_complex_weights(backend, xp, device):
    # long enough for numpy's np.add.at branch; complex weights (two sums in one pass) where the backend says it can
    rng = np.random.default_rng(0)
    x, a, b = rng.integers(0, 40, 5000), rng.standard_normal(5000), rng.uniform(0.0, 1.0, 5000)
    X = xp.asarray(x, device=device)
    assert_allclose(bincount(X, 40), np.bincount(x, minlength=40), atol=0)
    assert_allclose(bincount(X, 40, xp.asarray(a, device=device)), np.bincount(x, a, minlength=40), rtol=1e-12)
    pack = capability(backend_of(X), "bincount_complex")  # a + ib, made by the backend
    if pack is not None:
        b = b.astype(np.float32)  # the parts may be of different dtypes (the gradients are float32)
        weights = pack(xp.asarray(a, device=device), xp.asarray(b, device=device))
        assert_allclose(weights, a + 1j * b, rtol=0)
        sums = bincount(X, 40, weights)
        assert_allclose(xp.real(sums), np.bincount(x, a, minlength=40), rtol=1e-12)
        assert_allclose(xp.imag(sums), np.bincount(x, b, minlength=40), rtol=1e-12)


def test_empty_bins_and_float32_weights(backend, xp, device):
    X = xp.asarray([3, 3, 0], device=device)
    W = xp.asarray([0.5, 0.25, 1.0], dtype=xp.float32, device=device)
    for result in (bincount(X, 6, W), bincount(X, 6, W, native=False)):
        assert result.dtype == xp.float32
        assert_allclose(result, [1.0, 0, 0, 0.75, 0, 0])


def test_host_label_helpers():
    classes = unique_labels(["b", "a"], np.array(["c", "a"]), names=("y_true", "y_pred"))
    assert classes.tolist() == ["a", "b", "c"]
    codes = encode(["c", "x", "a"], np.array(["c", "a"]))  # classes in any order; unknown gives -1
    assert codes.tolist() == [0, -1, 1]
    assert decode(np.array(["c", "a"]), codes, filler=None).tolist() == ["c", None, "a"]
    with pytest.raises(ValueError, match="Mix of label types .* y_true holds strings, y_pred holds numbers"):
        unique_labels(["a"], [1], names=("y_true", "y_pred"))
