"""The shipped data sets equal the copies distributed with scikit-learn."""

import numpy as np
import pytest
import sklearn.datasets

import xpml

import xpml.datasets


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer", "digits", "diabetes"])
def test_shipped_data_equal_sklearns(name):
    ours = getattr(xpml.datasets, f"load_{name}")()
    ref = getattr(sklearn.datasets, f"load_{name}")()
    np.testing.assert_allclose(ours.data, ref.data, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(ours.target, ref.target)
    assert ours.feature_names == list(ref.feature_names)
    assert "Licence:" in ours.DESCR and "Source:" in ours.DESCR
    X, y = getattr(xpml.datasets, f"load_{name}")(return_X_y=True)
    np.testing.assert_array_equal(X, ours.data)
    if name != "diabetes":
        np.testing.assert_array_equal(ours.target_names, ref.target_names)
        assert ours.target.dtype == np.int64


def test_diabetes_raw_values():
    ours = xpml.datasets.load_diabetes(scaled=False)
    ref = sklearn.datasets.load_diabetes(scaled=False)
    np.testing.assert_array_equal(ours.data, ref.data)
    np.testing.assert_allclose((xpml.datasets.load_diabetes().data ** 2).sum(axis=0), 1.0, rtol=1e-12)


# ---- generators ------------------------------------------------------------------------------

from tests.helpers import assert_on_backend  # noqa: E402
from xpml.datasets import make_blobs, make_classification, make_regression  # noqa: E402


def test_same_seed_gives_the_same_data_on_every_backend(backend):
    for make in (lambda **kw: make_blobs(50, 3, centers=4, **kw), lambda **kw: make_classification(60, 8, **kw),
                 lambda **kw: make_regression(40, 5, **kw)):
        X_ref, y_ref = make(random_state=7, backend="numpy")
        X, y = make(random_state=7)
        assert_on_backend(X, backend)
        np.testing.assert_array_equal(xpml.to_numpy(X), X_ref)
        np.testing.assert_array_equal(xpml.to_numpy(y), y_ref)


def test_make_blobs_spreads_points_around_their_centres():
    centers = np.array([[0.0, 0.0], [20.0, 0.0], [0.0, 20.0]])
    X, y = make_blobs(3000, 2, centers=centers, cluster_std=[0.5, 1.0, 2.0], random_state=0)
    assert np.bincount(y).tolist() == [1000, 1000, 1000]
    for k, std in enumerate([0.5, 1.0, 2.0]):
        points = X[y == k]
        # the sample mean is within 4 standard errors of the centre, the sample std within 10% of std
        assert np.all(np.abs(points.mean(axis=0) - centers[k]) < 4 * std / np.sqrt(1000))
        np.testing.assert_allclose(points.std(axis=0), std, rtol=0.1)
    _, _, drawn = make_blobs(10, 4, centers=5, center_box=(-1, 1), random_state=0, return_centers=True)
    assert drawn.shape == (5, 4) and np.all(np.abs(drawn) <= 1)
    with pytest.raises(ValueError, match=r"centers should have shape \(n_centers, n_features=3\)"):
        make_blobs(10, 3, centers=[[0.0, 0.0]])


def test_make_regression_is_an_exact_linear_model_without_noise():
    X, y, coef = make_regression(80, 12, n_informative=4, bias=3.0, coef=True, random_state=0)
    np.testing.assert_allclose(y, X @ coef + 3.0, rtol=1e-12)
    assert np.count_nonzero(coef) == 4
    X, Y, W = make_regression(30, 5, n_targets=2, coef=True, random_state=1)
    assert Y.shape == (30, 2) and W.shape == (5, 2)
    np.testing.assert_allclose(Y, X @ W, rtol=1e-12)
    X, y = make_regression(60, 40, effective_rank=3, tail_strength=0.0, random_state=2)
    s = np.linalg.svd(X, compute_uv=False)
    np.testing.assert_allclose(s[:4], np.exp(-((np.arange(4) / 3) ** 2)), rtol=1e-10)  # a Gaussian bell


def test_make_classification_structure():
    X, y = make_classification(400, 10, n_informative=3, n_redundant=2, n_repeated=1, n_classes=3,
                               n_clusters_per_class=1, weights=[0.5, 0.3], flip_y=0.0, random_state=0)
    assert np.bincount(y).tolist() == [200, 120, 80]
    # redundant and repeated columns are combinations of the informative ones: they add no rank
    assert np.linalg.matrix_rank(X) == 10 - 2 - 1
    with pytest.raises(ValueError, match=r"n_informative \+ n_redundant \+ n_repeated = 12 should be <= n_features=10"):
        make_classification(n_features=10, n_informative=10, n_redundant=2)
    with pytest.raises(ValueError, match=r"n_classes \* n_clusters_per_class = 8 should be <= 2\*\*n_informative = 4"):
        make_classification(n_classes=4, n_informative=2)
    with pytest.raises(ValueError, match=r"n_samples=0 should be >= 1"):
        make_classification(n_samples=0)
