"""Validation splits for early stopping (xpml.utils._holdout) and epoch batches (xpml.utils._batches)."""

import numpy as np
import pytest

from tests.helpers import assert_on_backend
from xpml import to_numpy
from xpml.utils._batches import batch_indices
from xpml.utils._holdout import holdout_split


def test_random_split_sizes_and_disjointness():
    train, val = holdout_split(103, 0.1, np.random.default_rng(0))
    assert len(val) == 11 and len(train) == 92  # ceil(0.1 * 103)
    assert sorted(np.concatenate([train, val]).tolist()) == list(range(103))


def test_stratified_split_keeps_class_shares():
    # 60 / 30 / 10 samples, 20% held out: 12 / 6 / 2, as scikit-learn's StratifiedShuffleSplit gives.
    labels = np.repeat([0, 1, 2], [60, 30, 10])
    train, val = holdout_split(100, 0.2, np.random.default_rng(1), labels=labels)
    assert np.bincount(labels[val]).tolist() == [12, 6, 2]
    assert np.intersect1d(train, val).size == 0 and len(train) == 80
    # Shares that do not divide evenly go to the largest remainders: 3 of 5 + 3 + 2 samples have
    # shares 1.5, 0.9 and 0.6; the floors give 1, 0, 0, and the two left go to 0.9 and 0.6.
    labels = np.repeat([0, 1, 2], [5, 3, 2])
    _, val = holdout_split(10, 0.3, np.random.default_rng(2), labels=labels)
    assert np.bincount(labels[val], minlength=3).tolist() == [1, 1, 1]


def test_split_errors():
    with pytest.raises(ValueError, match="validation_fraction=0.9 of n_samples=5 leaves no sample to train on"):
        holdout_split(5, 0.9, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"gives 1 validation sample\(s\), fewer than the 2 classes"):
        holdout_split(10, 0.1, np.random.default_rng(0), labels=np.repeat([0, 1], 5))


def test_batch_indices(backend):
    """(block, row) pairs: the full batches are the rows of one array, moved once; the last one has its own."""
    ordered = batch_indices(10, 4, backend)
    assert [to_numpy(block[row, :]).tolist() for block, row in ordered] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert ordered[0][0] is ordered[1][0] and tuple(ordered[0][0].shape) == (2, 4)
    assert_on_backend(ordered[0][0], backend)
    assert_on_backend(ordered[2][0], backend)
    shuffled = batch_indices(10, 4, backend, np.random.default_rng(5))
    expected = np.random.default_rng(5).permutation(10)
    np.testing.assert_array_equal(np.concatenate([to_numpy(block[row, :]) for block, row in shuffled]), expected)
    assert [row for _, row in batch_indices(8, 4, backend)] == [0, 1]  # no empty last batch
