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


def _sorted_path(x, k, largest, monkeypatch):
    """topk with the pure array-API selection, whatever the backend."""
    return topk(x, k, largest=largest, native=False)


@pytest.mark.parametrize("largest", [False, True])
@pytest.mark.parametrize("k", [1, 7, 40])
@pytest.mark.parametrize("n", [40, 3000])  # 3000 columns: narrowed to candidates first, for k <= 192
def test_native_and_fallback_agree_with_a_stable_sort_on_tied_data(backend, xp, device, k, largest, n, monkeypatch):
    rng = np.random.default_rng(k)
    x = rng.integers(-3, 4, size=(30, n)).astype(np.float64)  # 7 values: ties everywhere
    x[:3] = 1.0  # whole rows tied
    x[3, ::2] = -0.0  # signed zeros are equal
    x[3, 1::2] = 0.0
    x[4:10] = rng.standard_normal((6, n))  # rows without ties
    x[10:13, :k] = -5.0  # the k smallest of a row tied among themselves only
    xb = xp.asarray(x, device=device)
    want_values, want_indices = _reference(x, k, largest)
    for values, indices in (topk(xb, k, largest=largest), _sorted_path(xb, k, largest, monkeypatch)):
        assert_on_backend(indices, backend)
        assert xpml.to_numpy(indices).dtype == np.int64
        np.testing.assert_array_equal(xpml.to_numpy(indices), want_indices)
        np.testing.assert_array_equal(xpml.to_numpy(values), want_values)


@pytest.mark.parametrize("n", [4 * 10 * 32, 4 * 10 * 32 + 31, 10_007])
def test_narrowing_to_candidates_keeps_the_smallest(backend, xp, device, n):
    # the k smallest are planted in one interleaved group, and in the columns left over
    rng = np.random.default_rng(n)
    x = rng.uniform(0, 1, size=(8, n))
    g = n // 32
    x[0, 5::g] = -rng.uniform(1, 2, size=len(x[0, 5::g]))  # group 5: 32 or 33 entries, all tiny
    x[1, 32 * g:] = -1.0  # the left-over columns (a tie among them)
    want_values, want_indices = _reference(x, 10, largest=False)
    assert g >= 4 * 10  # long enough to be narrowed down
    values, indices = topk(xp.asarray(x, device=device), 10, largest=False)
    np.testing.assert_array_equal(xpml.to_numpy(indices), want_indices)
    np.testing.assert_array_equal(xpml.to_numpy(values), want_values)


def test_narrowing_the_group_minima_in_turn_keeps_the_smallest(backend, xp, device):
    # rows of 50,000: groups of 17, whose 2,941 minima are narrowed down in groups of their own (of 7), and so on. The
    # k smallest planted in one group, in k groups of one group of minima (one each), and tied at the k-th place
    n, k = 50_000, 10
    s = _topk._group_size(n, k)
    g = n // s
    s2 = _topk._group_size(g, k)
    g2 = g // s2
    assert (s, s2) == (17, 7) and _topk._group_size(g2, k) is not None  # three levels of narrowing
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1, size=(4, n))
    x[0, 7:s * g:g] = -rng.uniform(1, 2, size=s)  # one group of the first level
    groups = 3 + g2 * np.arange(s2)  # one group of the second level: groups 3, 3 + g2, ...
    x[1, groups + g * rng.integers(0, s, size=s2)] = -rng.uniform(1, 2, size=s2)  # an entry in each of its groups
    x[2, rng.choice(n, 8, replace=False)] = -0.5  # eight tied at the k-th place: the cut takes the four of lowest index
    x[2, groups[:6]] = -1.0  # and six below them, in six groups of one group of minima
    want_values, want_indices = _reference(x, k, largest=False)
    values, indices = topk(xp.asarray(x, device=device), k, largest=False)
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
    native = _topk._select_native
    monkeypatch.setattr(_topk, "_select_native", lambda *a: calls.append(backend.name) or native(*a))
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
