"""Blocks of rows: RowBlocks joins per-block results, on_workers shares a loop among threads."""

import threading

import numpy as np
import pytest

from tests.helpers import assert_on_backend
from xpml import to_numpy
from xpml._backend import make_backend
from xpml.utils._chunks import RowBlocks, row_slices
from xpml.utils._threads import host_workers, on_workers


@pytest.mark.parametrize("axis", [0, 1])
def test_row_blocks_put_from_several_threads_give_the_whole_array(xp, device, backend, axis):
    expected = np.arange(103 * 3, dtype=np.float64).reshape(103, 3)
    expected = expected if axis == 0 else expected.T  # axis=1: a block's rows are the result's columns
    out = RowBlocks(xp, 103, axis=axis)
    blocks = row_slices(103, 10)
    parts = {b.start: expected[b] if axis == 0 else expected[:, b] for b in blocks}
    threads = [threading.Thread(target=lambda b=b: out.put(b, xp.asarray(parts[b.start], device=device)))
               for b in reversed(blocks)]  # in reverse order, and at once
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = out.result()
    assert_on_backend(result, backend)
    np.testing.assert_array_equal(to_numpy(result), expected)


def test_on_workers_cuts_the_items_in_order_and_returns_each_part_once():
    items = list(range(10))
    seen = []
    parts = on_workers(lambda part: seen.append(list(part)) or list(part), items, 3)
    assert parts == [[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]]  # consecutive parts, results in order
    assert sorted(seen) == parts
    assert on_workers(list, items, 1) == [items]
    assert on_workers(list, [0, 1], 5) == [[0], [1]]  # never more workers than items


def test_host_workers_follow_omp_num_threads_on_the_host_and_are_one_elsewhere(monkeypatch):
    numpy_backend = make_backend("numpy")
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert host_workers(numpy_backend) == 1
    monkeypatch.delenv("OMP_NUM_THREADS")
    assert host_workers(numpy_backend) >= 1
    assert host_workers(make_backend("jax")) == 1
    from xpml._backend import _capabilities, _numpy

    monkeypatch.setattr(_numpy, "_blas_one_thread", lambda: None)  # no threadpoolctl: BLAS keeps its threads
    monkeypatch.setattr(_capabilities, "_tables", {})  # the capability tables are built again
    assert host_workers(numpy_backend) == 1
    assert host_workers(make_backend("torch")) >= 1
