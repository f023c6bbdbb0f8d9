"""The host-side target helpers of xpml.utils._labels: label encoding and the hold-out split."""

import numpy as np
import pytest

from xpml.utils._labels import encode_targets, holdout_indices


def test_labels_of_any_type_become_indices_into_sorted_classes():
    classes, encoded, multilabel = encode_targets(["b", "a", "c", "a"], n_samples=4)
    np.testing.assert_array_equal(classes, ["a", "b", "c"])
    np.testing.assert_array_equal(encoded, [1, 0, 2, 0])
    assert encoded.dtype == np.int64 and not multilabel


def test_known_classes_may_be_more_than_the_labels_seen():
    classes, encoded, _ = encode_targets([3, 7, 3], n_samples=3, classes=[7, 3, 9])
    np.testing.assert_array_equal(classes, [3, 7, 9])
    np.testing.assert_array_equal(classes[encoded], [3, 7, 3])
    with pytest.raises(ValueError, match=r"y contains labels \[5\] that are not in classes=\[3, 7, 9\]"):
        encode_targets([3, 5], n_samples=2, classes=[3, 7, 9])


def test_an_indicator_matrix_is_multilabel():
    y = np.array([[1, 0, 1], [0, 0, 1], [1, 1, 0]])
    classes, encoded, multilabel = encode_targets(y, n_samples=3)
    assert multilabel
    np.testing.assert_array_equal(classes, [0, 1, 2])
    np.testing.assert_array_equal(encoded, y)
    with pytest.raises(ValueError, match=r"y has 3 label columns, but classes=\[0, 1\]"):
        encode_targets(y, n_samples=3, classes=[0, 1])
    with pytest.raises(ValueError, match="y should be a 1-D array of labels"):
        encode_targets(np.array([[1, 2], [3, 4]]), n_samples=2)  # 2-D but not 0/1: not an indicator matrix
    with pytest.raises(ValueError, match="X has 4, y has 3"):
        encode_targets(y, n_samples=4)


def test_holdout_is_a_partition_of_the_requested_size():
    train, val = holdout_indices(np.random.default_rng(0), 50, 0.15)
    assert len(val) == 8  # ceil(0.15 · 50)
    np.testing.assert_array_equal(np.sort(np.concatenate([train, val])), np.arange(50))
    again = holdout_indices(np.random.default_rng(0), 50, 0.15)[1]
    np.testing.assert_array_equal(val, again)


def test_stratified_holdout_keeps_class_shares():
    labels = np.repeat([0, 1, 2], [50, 30, 20])
    train, val = holdout_indices(np.random.default_rng(1), 100, 0.1, stratify=labels)
    np.testing.assert_array_equal(np.bincount(labels[val]), [5, 3, 2])
    assert len(np.intersect1d(train, val)) == 0 and len(train) + len(val) == 100
    labels = np.repeat([0, 1, 2], [34, 33, 33])  # shares 3.4, 3.3, 3.3 of 10: the largest remainder gets the place
    val = holdout_indices(np.random.default_rng(1), 100, 0.1, stratify=labels)[1]
    np.testing.assert_array_equal(np.bincount(labels[val]), [4, 3, 3])


def test_holdout_too_small_is_refused():
    with pytest.raises(ValueError, match="validation_fraction=0.1 of n_samples=10 gives a validation set of 1"):
        holdout_indices(np.random.default_rng(0), 10, 0.1)
