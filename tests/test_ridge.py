"""Ridge against scikit-learn's Ridge and the normal equations, on every backend.

Both solvers are closed forms, so the coefficients agree with scikit-learn's to rounding:
rtol=1e-10 throughout (the diabetes Gram matrix has condition number about 470).
"""

import numpy as np
import pytest
from sklearn.linear_model import Ridge as SkRidge

from tests.helpers import assert_allclose, assert_on_backend
from xpml.datasets import load_diabetes
from xpml.linear_model import LinearRegression, Ridge

X_DIABETES, Y_DIABETES = load_diabetes(return_X_y=True)


@pytest.mark.parametrize("alpha", [0.01, 10.0])
@pytest.mark.parametrize("solver", ["cholesky", "svd"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_matches_sklearn_on_diabetes(backend, alpha, solver, fit_intercept):
    ours = Ridge(alpha=alpha, solver=solver, fit_intercept=fit_intercept).fit(X_DIABETES, Y_DIABETES)
    ref = SkRidge(alpha=alpha, solver=solver, fit_intercept=fit_intercept).fit(X_DIABETES, Y_DIABETES)
    assert_on_backend(ours.coef_, backend)
    assert ours.solver_ == solver and ours.coef_.shape == (10,) and ours.intercept_.shape == ()
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-10)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-10, atol=1e-10)
    assert_allclose(ours.predict(X_DIABETES), ref.predict(X_DIABETES), rtol=1e-10)
    assert ours.score(X_DIABETES, Y_DIABETES) == pytest.approx(ref.score(X_DIABETES, Y_DIABETES), rel=1e-12)


@pytest.mark.parametrize("solver", ["cholesky", "svd"])
def test_multi_output_with_one_alpha_per_target_and_sample_weight(backend, solver):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 5))
    Y = X @ rng.standard_normal((5, 3)) + rng.standard_normal((60, 3))
    w = rng.uniform(0.1, 3.0, size=60)
    alphas = np.array([0.1, 5.0, 50.0])
    ours = Ridge(alpha=alphas, solver=solver).fit(X, Y, sample_weight=w)
    ref = SkRidge(alpha=alphas, solver=solver).fit(X, Y, sample_weight=w)
    assert ours.coef_.shape == (3, 5) and ours.intercept_.shape == (3,)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-10)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-10)
    assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-10)


@pytest.mark.parametrize("solver", ["cholesky", "svd"])
def test_more_features_than_samples_uses_the_dual_form(backend, solver):
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((15, 40)), rng.standard_normal(15)
    ours = Ridge(alpha=0.5, solver=solver).fit(X, y)
    ref = SkRidge(alpha=0.5, solver="svd").fit(X, y)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-10)
    # the normal equations in the primal form, solved by numpy, give the same w
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    assert_allclose(ours.coef_, np.linalg.solve(Xc.T @ Xc + 0.5 * np.eye(40), Xc.T @ yc), rtol=1e-9)


def test_alpha_zero_is_least_squares(backend):
    ours = Ridge(alpha=0.0).fit(X_DIABETES, Y_DIABETES)
    assert ours.solver_ == "svd"  # "auto" avoids the normal equations, which may be singular at alpha=0
    ref = LinearRegression().fit(X_DIABETES, Y_DIABETES)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-10)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-10)


def test_integer_weights_equal_repeated_rows(backend):
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((20, 3)), rng.standard_normal(20)
    counts = rng.integers(1, 4, size=20)
    weighted = Ridge(alpha=2.0).fit(X, y, sample_weight=counts)
    repeated = Ridge(alpha=2.0).fit(np.repeat(X, counts, axis=0), np.repeat(y, counts))
    assert_allclose(weighted.coef_, repeated.coef_, rtol=1e-10)
    assert_allclose(weighted.intercept_, repeated.intercept_, rtol=1e-10)


def test_float32_input_is_fitted_in_float32(backend):
    X, y = X_DIABETES.astype(np.float32), Y_DIABETES.astype(np.float32)
    ours = Ridge(alpha=0.1).fit(X, y)
    ref = SkRidge(alpha=0.1).fit(X_DIABETES, Y_DIABETES)
    assert ours._dtype == "float32" and ours.predict(X).dtype == np.float32
    assert_allclose(ours.coef_, ref.coef_, rtol=2e-4)  # float32 normal equations, condition number ~470


def test_output_follows_input(backend, xp, device):
    model = Ridge().fit(X_DIABETES, Y_DIABETES)
    assert isinstance(model.predict(X_DIABETES), np.ndarray)
    assert_on_backend(model.predict(xp.asarray(X_DIABETES, device=device)), backend)


@pytest.mark.parametrize("alpha, error, match", [
    (-1.0, ValueError, r"alpha=-1.0 should be >= 0\."),
    ([1.0, 2.0], ValueError, r"alpha has 2 values, but y has n_targets=1"),
    ([[1.0]], ValueError, r"alpha should be a 1-D array"),
    ("big", TypeError, r"alpha should contain numbers"),
])
def test_bad_alpha(alpha, error, match):
    with pytest.raises(error, match=match):
        Ridge(alpha=alpha).fit(X_DIABETES, Y_DIABETES)


def test_negative_alpha_in_an_array():
    with pytest.raises(ValueError, match=r"alpha should be >= 0; got \[1.0, -2.0\]"):
        Ridge(alpha=[1.0, -2.0]).fit(X_DIABETES, np.column_stack([Y_DIABETES, Y_DIABETES]))


def test_bad_solver():
    with pytest.raises(ValueError, match=r"solver='qr' should be one of 'auto', 'cholesky', 'lbfgs'"):
        Ridge(solver="qr").fit(X_DIABETES, Y_DIABETES)
