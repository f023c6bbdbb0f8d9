"""Label bookkeeping for streams and class weights (xpml.utils._labels), against scikit-learn."""

import numpy as np
import pytest
from sklearn.utils.class_weight import compute_class_weight

from xpml.utils._labels import check_classes, class_weight_vector, encode_labels


def test_check_classes():
    assert check_classes(["b", "a", "c"]).tolist() == ["a", "b", "c"]
    assert check_classes(np.array([3, 1]), previous=np.array([1, 3])).tolist() == [1, 3]
    with pytest.raises(ValueError, match=r"classes should hold each label once; got \[1, 1, 2\]"):
        check_classes([1, 1, 2])
    with pytest.raises(ValueError, match=r"classes should hold at least 2 labels; got \[1\]"):
        check_classes([1])
    with pytest.raises(ValueError, match=r"classes=\[1, 2\] differs from the classes of the first call"):
        check_classes([1, 2], previous=np.array([1, 2, 3]))


def test_encode_labels():
    classes = np.array(["cat", "dog", "emu"])
    assert encode_labels(["emu", "cat", "emu"], classes, n_samples=3).tolist() == [2, 0, 2]
    with pytest.raises(ValueError, match=r"y contains labels \['ant', 'fox'\] that are not in classes"):
        encode_labels(["fox", "cat", "ant"], classes, n_samples=3)


@pytest.mark.parametrize("class_weight", [None, "balanced", {"b": 3.0}, {"a": 0.5, "c": 2.0}])
def test_class_weight_matches_sklearn(class_weight):
    y = np.array(["a", "b", "b", "c", "c", "c", "c"])
    classes, index = np.unique(y, return_inverse=True)
    expected = compute_class_weight(class_weight, classes=classes, y=y)
    np.testing.assert_allclose(class_weight_vector(class_weight, classes, index), expected, rtol=1e-15)


def test_class_weight_errors():
    classes = np.array([0, 1, 2])
    with pytest.raises(ValueError, match=r"class_weight='balanced' needs every class in y; classes \[2\] are missing"):
        class_weight_vector("balanced", classes, np.array([0, 1, 1]))
    with pytest.raises(ValueError, match=r"class_weight has a weight for label 5, which is not among the classes"):
        class_weight_vector({5: 1.0}, classes, np.array([0, 1, 2]))
