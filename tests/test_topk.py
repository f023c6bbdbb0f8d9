"""The top-k helper: native selection (argpartition, torch.topk, lax.top_k) against the stable-sort
fallback and numpy's stable argsort, ties included, on every backend."""

import numpy as np
import pytest

import xpml
from tests.helpers import assert_on_backend
from xpml.utils import _topk
from xpml.utils._topk import order_rows, topk

NATIVE = {"numpy", "cupy", "torch", "jax"}


def _reference(x, k, largest):
    """Stable sort cut at k: ties keep the lower column index first."""
    order = np.argsort(-x if largest else x, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(x, order, axis=1), order


def _sorted_path(x, k, largest):
    """The pure array-API path, whatever the backend."""
    xp = xpml._backend.namespace_of(x)
    indices = _topk._smallest_sorted(-x if largest else x, k)
    return xp.take_along_axis(x, indices, axis=1), indices


@pytest.mark.parametrize("largest", [False, True])
@pytest.mark.parametrize("k", [1, 3, 7, 40])
def test_native_and_fallback_agree_with_a_stable_sort_on_tied_data(backend, xp, device, k, largest):
    rng = np.random.default_rng(k)
    x = rng.integers(-3, 4, size=(60, 40)).astype(np.float64)  # 7 values in 40 columns: ties everywhere
    x[:5] = 1.0  # whole rows tied
    x[5, ::2] = -0.0  # signed zeros are equal
    x[5, 1::2] = 0.0
    xb = xp.asarray(x, device=device)
    want_values, want_indices = _reference(x, k, largest)
    for values, indices in (topk(xb, k, largest=largest), _sorted_path(xb, k, largest)):
        assert_on_backend(indices, backend)
        assert xpml.to_numpy(indices).dtype == np.int64
        np.testing.assert_array_equal(xpml.to_numpy(indices), want_indices)
        np.testing.assert_array_equal(xpml.to_numpy(values), want_values)


def test_a_tie_across_the_cut_goes_to_the_lower_indices(backend, xp, device):
    x = xp.asarray([[1.0, 0.0, 1.0, 1.0, 0.0, 1.0], [5.0, 2.0, 2.0, 2.0, 2.0, 9.0]], device=device)
    values, indices = topk(x, 3, largest=False)
    np.testing.assert_array_equal(xpml.to_numpy(indices), [[1, 4, 0], [1, 2, 3]])
    np.testing.assert_array_equal(xpml.to_numpy(values), [[0.0, 0.0, 1.0], [2.0, 2.0, 2.0]])


def test_random_floats_float32(backend, xp, device):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((30, 500)).astype(np.float32)
    values, indices = topk(xp.asarray(x, device=device), 10, largest=False)
    want_values, want_indices = _reference(x, 10, largest=False)
    np.testing.assert_array_equal(xpml.to_numpy(indices), want_indices)
    np.testing.assert_array_equal(xpml.to_numpy(values), want_values)
    assert xpml.to_numpy(values).dtype == np.float32


def test_native_backends_take_the_native_path(backend, xp, device, monkeypatch):
    calls = []
    native = _topk._smallest_native
    monkeypatch.setattr(_topk, "_smallest_native", lambda *a: calls.append(a[2]) or native(*a))
    x = np.random.default_rng(0).standard_normal((4, 50))
    values, indices = topk(xp.asarray(x, device=device), 5)
    np.testing.assert_array_equal(xpml.to_numpy(indices), _reference(x, 5, True)[1])
    assert calls == ([backend.name] if backend.name in NATIVE else [])


def test_order_rows_sorts_by_value_then_index(backend, xp, device):
    values = xp.asarray([[3.0, 1.0, 1.0, 2.0]], device=device)
    indices = xp.asarray([[0, 9, 4, 7]], device=device)
    v, i = order_rows(values, indices)
    np.testing.assert_array_equal(xpml.to_numpy(v), [[1.0, 1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(xpml.to_numpy(i), [[4, 9, 7, 0]])


@pytest.mark.parametrize(("k", "shape", "message"), [
    (0, (2, 5), r"k=0 should be >= 1 and <= the row length 5"),
    (6, (2, 5), r"k=6 should be >= 1 and <= the row length 5"),
    (1, (5,), r"x should be a 2-D array of shape \(n_rows, n\); got shape \(5,\)"),
])
def test_errors(k, shape, message):
    with pytest.raises(ValueError, match=message):
        topk(np.zeros(shape), k)
