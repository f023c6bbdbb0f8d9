"""compute_class_weight against scikit-learn's."""

import numpy as np
import pytest
from sklearn.utils.class_weight import compute_class_weight as sk_compute_class_weight

from xpml.utils._class_weight import compute_class_weight

Y = np.array(["a", "b", "b", "c", "c", "c", "c"])
CLASSES, INDICES = np.unique(Y, return_inverse=True)


@pytest.mark.parametrize("class_weight", [None, "balanced", {"a": 3.0, "c": 0.5}])
@pytest.mark.parametrize("weighted", [False, True])
def test_matches_sklearn(class_weight, weighted):
    w = np.array([1.0, 2.0, 0.5, 1.0, 1.0, 3.0, 0.2]) if weighted else None
    ours = compute_class_weight(class_weight, classes=CLASSES, y_indices=INDICES, sample_weight=w)
    ref = sk_compute_class_weight(class_weight, classes=CLASSES, y=Y, sample_weight=w)
    np.testing.assert_allclose(ours, ref, rtol=1e-15)


def test_unknown_labels_are_refused():
    with pytest.raises(ValueError, match=r"class_weight has labels \['z'\] that are not classes of y"):
        compute_class_weight({"z": 2.0}, classes=CLASSES, y_indices=INDICES)
