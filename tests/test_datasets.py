"""The shipped data sets equal the copies distributed with scikit-learn."""

import numpy as np
import pytest
import sklearn.datasets

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
