"""Label bookkeeping (xpml.utils._labels): streams, multi-label indicator matrices."""

import numpy as np
import pytest

from xpml.utils._labels import (
    check_classes,
    classification_targets,
    label_indices,
    multilabel_indicator,
)


def test_check_classes():
    assert check_classes(["b", "a", "c"]).tolist() == ["a", "b", "c"]
    assert check_classes(np.array([3, 1]), previous=np.array([1, 3])).tolist() == [1, 3]
    with pytest.raises(ValueError, match=r"classes should hold each label once; got \[1, 1, 2\]"):
        check_classes([1, 1, 2])
    with pytest.raises(ValueError, match=r"classes should hold at least 2 labels; got \[1\]"):
        check_classes([1])
    with pytest.raises(ValueError, match=r"classes=\[1, 2\] differs from the classes of the first call"):
        check_classes([1, 2], previous=np.array([1, 2, 3]))


def test_label_indices():
    classes = np.array(["cat", "dog", "emu"])
    assert label_indices(["emu", "cat", "emu"], classes, n_samples=3).tolist() == [2, 0, 2]
    with pytest.raises(ValueError, match=r"y contains labels \['ant', 'fox'\] that are not in classes"):
        label_indices(["fox", "cat", "ant"], classes, n_samples=3)


def test_only_a_0_1_matrix_of_two_or_more_columns_is_multilabel():
    np.testing.assert_array_equal(multilabel_indicator([[1, 0], [0.0, 1.0]]), [[1, 0], [0, 1]])
    assert multilabel_indicator([[1, 0], [0, 1]]).dtype == np.int64
    assert multilabel_indicator([0, 1, 1]) is None  # 1-D labels
    assert multilabel_indicator([[0], [1]]) is None  # one column: a binary target
    assert multilabel_indicator([[1, 2], [3, 4]]) is None  # not 0/1
    assert multilabel_indicator(np.array([["a", "b"], ["b", "a"]])) is None  # strings


def test_labels_of_any_type_become_indices_into_sorted_classes():
    classes, encoded, multilabel = classification_targets(["b", "a", "c", "a"], n_samples=4)
    np.testing.assert_array_equal(classes, ["a", "b", "c"])
    np.testing.assert_array_equal(encoded, [1, 0, 2, 0])
    assert encoded.dtype == np.int64 and not multilabel


def test_known_classes_may_be_more_than_the_labels_seen():
    classes, encoded, _ = classification_targets([3, 7, 3], n_samples=3, classes=np.array([3, 7, 9]))
    np.testing.assert_array_equal(classes[encoded], [3, 7, 3])
    with pytest.raises(ValueError, match=r"y contains labels \[5\] that are not in classes=\[3, 7, 9\]"):
        classification_targets([3, 5], n_samples=2, classes=np.array([3, 7, 9]))


def test_an_indicator_matrix_is_multilabel():
    y = np.array([[1, 0, 1], [0, 0, 1], [1, 1, 0]])
    classes, encoded, multilabel = classification_targets(y, n_samples=3)
    assert multilabel
    np.testing.assert_array_equal(classes, [0, 1, 2])
    np.testing.assert_array_equal(encoded, y)
    with pytest.raises(ValueError, match=r"y has 3 label columns, but classes=\[0, 1\]"):
        classification_targets(y, n_samples=3, classes=np.array([0, 1]))
    with pytest.raises(ValueError, match="X has 4, y has 3"):
        classification_targets(y, n_samples=4)
