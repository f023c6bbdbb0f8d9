"""compute_class_weight, the one class-weight function of xpml, against scikit-learn's, and its callers."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.linear_model import SGDClassifier as SkSGDClassifier
from sklearn.utils.class_weight import compute_class_weight as sk_compute_class_weight

from xpml.linear_model import LogisticRegression, SGDClassifier
from xpml.utils._class_weight import compute_class_weight

Y = np.array(["a", "b", "b", "c", "c", "c", "c"])
CLASSES, INDICES = np.unique(Y, return_inverse=True)


@pytest.mark.parametrize("class_weight", [None, "balanced", {"a": 3.0, "c": 0.5}, {"b": 3.0}])
@pytest.mark.parametrize("weighted", [False, True])
def test_matches_sklearn(class_weight, weighted):
    w = np.array([1.0, 2.0, 0.5, 1.0, 1.0, 3.0, 0.2]) if weighted else None
    ours = compute_class_weight(class_weight, classes=CLASSES, y_indices=INDICES, sample_weight=w)
    ref = sk_compute_class_weight(class_weight, classes=CLASSES, y=Y, sample_weight=w)
    np.testing.assert_allclose(ours, ref, rtol=1e-15)


def test_indices_of_any_library_are_accepted(xp):
    ours = compute_class_weight("balanced", classes=CLASSES, y_indices=xp.asarray(INDICES))
    np.testing.assert_allclose(ours, sk_compute_class_weight("balanced", classes=CLASSES, y=Y), rtol=1e-15)


def test_unknown_labels_are_refused_as_by_sklearn():
    with pytest.raises(ValueError, match=r"not in class_weight"):  # scikit-learn refuses it too
        sk_compute_class_weight({"z": 2.0}, classes=CLASSES, y=Y)
    with pytest.raises(ValueError, match=r"class_weight has labels \['z'\] that are not classes of y"):
        compute_class_weight({"z": 2.0}, classes=CLASSES, y_indices=INDICES)


def test_balanced_needs_every_class_as_in_sklearn():
    classes, y = np.array([0, 1, 2]), np.array([0, 1, 1])
    with pytest.raises(ValueError, match=r"classes should have valid labels that are in y"):
        sk_compute_class_weight("balanced", classes=classes, y=y)
    with pytest.raises(ValueError, match=r"class_weight='balanced' needs every class in y; classes \[2\] are missing"):
        compute_class_weight("balanced", classes=classes, y_indices=y)


X_IMBALANCED = np.array([[0.0, 1.0], [1.0, 0.5], [2.0, 2.0], [3.0, 0.0], [0.5, 2.5], [2.5, 1.5], [1.5, 3.0]])


@pytest.mark.parametrize("class_weight", ["balanced", {"b": 3.0}])
def test_every_classifier_weighs_classes_as_sklearn(class_weight):
    """LogisticRegression weighs by sample_weight x class weight (balanced on the weighted counts), SGDClassifier
    by the unweighted counts, as their scikit-learn counterparts do: both through compute_class_weight."""
    w = np.array([1.0, 2.0, 0.5, 1.0, 1.0, 3.0, 0.2])
    ours = LogisticRegression(class_weight=class_weight, tol=1e-10).fit(X_IMBALANCED, Y, sample_weight=w)
    ref = SkLogisticRegression(class_weight=class_weight, tol=1e-10).fit(X_IMBALANCED, Y, sample_weight=w)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-4, atol=1e-5)
    sgd = SGDClassifier(class_weight=class_weight, batch_size=1, shuffle=False, max_iter=5, tol=None)
    sk_sgd = SkSGDClassifier(class_weight=class_weight, shuffle=False, max_iter=5, tol=None)
    np.testing.assert_allclose(sgd.fit(X_IMBALANCED, Y).coef_, sk_sgd.fit(X_IMBALANCED, Y).coef_, rtol=1e-7)
