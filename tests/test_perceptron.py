"""Perceptron on every backend against scikit-learn's, step for step.

With shuffle=False both visit the samples in the data's order, one sample per step (xpml's
batch_size="auto" is 1 below 800 samples), at the same constant rate: the same mistakes, the same
updates, and the same stopping epoch, so coef_ and intercept_ agree to rounding (rtol 1e-9).
"""

import numpy as np
import pytest
from sklearn.linear_model import Perceptron as SkPerceptron

from tests._common_recipes import DATA
from tests.helpers import assert_allclose, assert_on_backend
from xpml.datasets import load_breast_cancer, load_iris
from xpml.linear_model import Perceptron


def _standardized(loader):
    X, y = loader(return_X_y=True)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


X_CANCER, Y_CANCER = _standardized(load_breast_cancer)
X_IRIS, Y_IRIS = _standardized(load_iris)


@pytest.mark.parametrize("data, params", [
    ((X_CANCER[:120], Y_CANCER[:120]), dict(penalty="l2", alpha=1e-3, eta0=0.5)),
    ((X_IRIS[::2], Y_IRIS[::2]), dict(class_weight="balanced", penalty="elasticnet", alpha=1e-4)),
], ids=["cancer-l2", "iris-elasticnet"])
def test_perceptron_is_sklearns(backend, data, params):
    X, y = data
    if backend.name == "array_api_strict" and len(np.unique(y)) == 2:
        pytest.skip("array_api_strict runs the multiclass case, the same SGD step (its every operation is slow)")
    if backend.name == "jax":  # jax compiles the SGD step per shape: the common tests' data, compiled once for both
        X, y = DATA["classification"]
    ours = Perceptron(shuffle=False, **params).fit(X, y)
    ref = SkPerceptron(shuffle=False, **params).fit(X, y)
    assert_on_backend(ours.coef_, backend)
    assert ours.n_iter_ == ref.n_iter_
    scale = np.abs(ref.coef_).max()
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-9, atol=1e-9 * scale)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-9, atol=1e-9 * scale)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))



def test_perceptron_separates_separable_data(backend):
    # Novikoff: on separable data the perceptron stops making mistakes, so it fits the training set.
    if backend.name == "jax":
        pytest.skip("the SGD step of test_perceptron_is_sklearns; jax would compile it for this shape again")
    X = X_CANCER[:40, :2]
    y = (X[:, 0] + 2 * X[:, 1] > 0.3).astype(int)
    model = Perceptron(random_state=0).fit(X, y)
    assert model.score(X, y) == 1.0
