"""LinearRegression against scikit-learn and numpy's lstsq, on every backend."""

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression as SkLinearRegression

from tests.helpers import assert_allclose, assert_on_backend
from xpml.datasets import load_diabetes
from xpml.linear_model import LinearRegression

X_DIABETES, Y_DIABETES = load_diabetes(return_X_y=True)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_matches_sklearn_on_diabetes(backend, fit_intercept):
    ours = LinearRegression(fit_intercept=fit_intercept).fit(X_DIABETES, Y_DIABETES)
    ref = SkLinearRegression(fit_intercept=fit_intercept).fit(X_DIABETES, Y_DIABETES)
    assert_on_backend(ours.coef_, backend)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-10)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-10, atol=1e-10)
    assert_allclose(ours.predict(X_DIABETES), ref.predict(X_DIABETES), rtol=1e-10)
    assert ours.score(X_DIABETES, Y_DIABETES) == pytest.approx(ref.score(X_DIABETES, Y_DIABETES), rel=1e-12)
    assert ours.rank_ == ref.rank_ == X_DIABETES.shape[1]
    assert_on_backend(ours.singular_, backend)
    assert_allclose(ours.singular_, ref.singular_, rtol=1e-10)  # scikit-learn's name: the singular values of X
    assert ours.n_features_in_ == 10


def test_multi_output_and_sample_weight(backend):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 5))
    Y = X @ rng.standard_normal((5, 3)) + rng.standard_normal((60, 3))
    w = rng.uniform(0.1, 3.0, size=60)
    ours = LinearRegression().fit(X, Y, sample_weight=w)
    ref = SkLinearRegression().fit(X, Y, sample_weight=w)
    assert ours.coef_.shape == (3, 5)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-10)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-10)
    assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-10)
    assert ours.score(X, Y, sample_weight=w) == pytest.approx(ref.score(X, Y, sample_weight=w), rel=1e-12)


def test_integer_weights_equal_repeated_rows(backend):
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((20, 3)), rng.standard_normal(20)
    counts = rng.integers(1, 4, size=20)
    weighted = LinearRegression().fit(X, y, sample_weight=counts)
    repeated = LinearRegression().fit(np.repeat(X, counts, axis=0), np.repeat(y, counts))
    assert_allclose(weighted.coef_, repeated.coef_, rtol=1e-10)
    assert_allclose(weighted.intercept_, repeated.intercept_, rtol=1e-10)


def test_collinear_features_give_the_minimum_norm_solution(backend):
    rng = np.random.default_rng(2)
    base = rng.standard_normal((50, 3))
    X = np.column_stack([base, base[:, 0] + base[:, 1], 2 * base[:, 2]])  # rank 3, 5 columns
    y = base @ np.array([1.0, -2.0, 0.5]) + 0.01 * rng.standard_normal(50)
    ours = LinearRegression().fit(X, y)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    expected, *_ = np.linalg.lstsq(Xc, yc, rcond=None)
    assert ours.rank_ == 3
    assert_allclose(ours.coef_, expected, rtol=1e-9)
    assert_allclose(ours.predict(X), SkLinearRegression().fit(X, y).predict(X), rtol=1e-9)


def test_more_features_than_samples(backend):
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((8, 20)), rng.standard_normal(8)
    ours = LinearRegression(fit_intercept=False).fit(X, y)
    expected, *_ = np.linalg.lstsq(X, y, rcond=None)
    assert_allclose(ours.coef_, expected, rtol=1e-9)
    assert_allclose(ours.predict(X), y, rtol=1e-9)  # an underdetermined system is solved exactly


def test_float32_input_is_fitted_in_float32(backend):
    rng = np.random.default_rng(4)
    X = rng.standard_normal((200, 4)).astype(np.float32)
    y = (X @ np.array([1.0, 2.0, -1.0, 0.5], dtype=np.float32) + 3).astype(np.float32)
    model = LinearRegression().fit(X, y)
    assert model._dtype == "float32"
    assert_allclose(model.coef_, [1.0, 2.0, -1.0, 0.5], rtol=1e-4)
    assert_allclose(model.intercept_, 3.0, rtol=1e-5)
    assert model.predict(X).dtype == np.float32


def test_integer_input_becomes_the_default_float(backend):
    X = np.array([[0], [1], [2], [3]])
    model = LinearRegression().fit(X, np.array([1, 3, 5, 7]))
    assert model._dtype == "float64"
    assert_allclose(model.coef_, [2.0], rtol=1e-12)
    assert_allclose(model.intercept_, 1.0, rtol=1e-12)


def test_output_follows_input(backend, xp, device):
    model = LinearRegression().fit(X_DIABETES, Y_DIABETES)
    assert isinstance(model.predict(X_DIABETES), np.ndarray)
    assert isinstance(model.predict(X_DIABETES.tolist()), np.ndarray)
    X_backend = xp.asarray(X_DIABETES, device=device)
    assert_on_backend(model.predict(X_backend), backend)


def test_predict_checks_the_number_of_features():
    model = LinearRegression().fit(X_DIABETES, Y_DIABETES)
    with pytest.raises(ValueError, match=r"X has 3 features, but LinearRegression is expecting 10 features as input"):
        model.predict(X_DIABETES[:, :3])
