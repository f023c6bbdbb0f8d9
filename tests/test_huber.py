"""HuberRegressor against scikit-learn's objective minimized to convergence, and scikit-learn's HuberRegressor.

The oracle is scikit-learn's own objective and gradient (`sklearn.linear_model._huber._huber_loss_and_gradient`)
with its bound σ >= 10·eps, minimized by scipy's L-BFGS-B from scikit-learn's answer with ftol=1e-16: scipy
then stops where a step no longer changes the objective F in float64, as xpml does (its relative decrease
<= 64·eps), and both land within the flat bottom that rounding leaves, F agreeing to 1e-15 and (w, b, σ) to
about 2e-8 on these data (F about 60, its curvature about 10): they are compared with atol=1e-7·max(1, |θ|).
scikit-learn's HuberRegressor runs the same scipy minimizer with its default ftol (a relative decrease of
F <= 2.2e-9), which stops it up to 2e-9·F above the minimum and, on these data, up to 1e-4 from it in
(w, b, σ) (measured: 9e-5 with epsilon=1.1): xpml's F is never above scikit-learn's, its outliers are the
same, and its parameters are within 2e-4 of scikit-learn's, that distance.
"""

import warnings

import numpy as np
import pytest
from sklearn.linear_model import HuberRegressor as SkHuberRegressor

import xpml
from tests.helpers import assert_on_backend
from xpml.exceptions import ConvergenceWarning, NotFittedError
from xpml.linear_model import HuberRegressor
from xpml.linear_model._huber import _HuberLoss

scipy = pytest.importorskip("scipy")
pytest.importorskip("scipy.optimize")
sparse = pytest.importorskip("scipy.sparse")
from sklearn.linear_model._huber import _huber_loss_and_gradient  # noqa: E402  (scikit-learn's objective)

_rng = np.random.default_rng(0)
X = _rng.normal(size=(50, 4))  # (50, 4)
Y = X @ np.array([1.5, -2.0, 0.5, 1.0]) + 0.8 + 0.3 * _rng.standard_t(2, size=50)  # heavy tails
Y[:4] += np.array([6.0, -5.0, 8.0, 4.0])  # and four outliers
WEIGHT = _rng.uniform(0.2, 3.0, size=50)


def _theta(model):
    """(w, [b,] σ) of a fitted model, in scikit-learn's order."""
    coef, b, scale = (np.asarray(xpml.to_numpy(v), dtype=float) for v in (model.coef_, model.intercept_, model.scale_))
    return np.concatenate([coef, [b] if model.fit_intercept else [], [scale]])


def _F(theta, params, weight):
    epsilon, alpha = params.get("epsilon", 1.35), params.get("alpha", 1e-4)
    s = np.ones(len(Y)) if weight is None else weight
    return _huber_loss_and_gradient(theta, X, Y, epsilon, alpha, s)


def _oracle(sk, params, weight):
    """scikit-learn's objective, minimized by L-BFGS-B under its bound from scikit-learn's answer, to rounding."""
    start = _theta(sk)
    bounds = [(None, None)] * (len(start) - 1) + [(10 * np.finfo(np.float64).eps, None)]
    return scipy.optimize.minimize(_F, start, args=(params, weight), jac=True, method="L-BFGS-B", bounds=bounds,
                                   options=dict(maxiter=10_000, ftol=1e-16, gtol=1e-13)).x


def _check(ours, params, weight):
    sk = SkHuberRegressor(**params).fit(X, Y, sample_weight=weight)
    theta, exact = _theta(ours), _oracle(sk, params, weight)
    np.testing.assert_allclose(theta, exact, rtol=0, atol=1e-7 * max(1.0, np.abs(exact).max()))
    assert _F(theta, params, weight)[0] <= _F(_theta(sk), params, weight)[0] * (1 + 1e-14)
    np.testing.assert_allclose(theta, _theta(sk), rtol=0, atol=2e-4 * max(1.0, np.abs(exact).max()))
    np.testing.assert_array_equal(xpml.to_numpy(ours.outliers_), sk.outliers_)
    np.testing.assert_allclose(xpml.to_numpy(ours.predict(X)), X @ theta[:4] + (theta[4] if ours.fit_intercept else 0),
                               rtol=1e-12)


@pytest.mark.parametrize(("params", "weighted"), [
    ({}, False), ({"epsilon": 1.1}, True), ({"alpha": 1.0, "fit_intercept": False}, True),
    ({"epsilon": 2.0, "alpha": 0.0}, False),
])
def test_matches_sklearns_minimum(backend, params, weighted):
    weight = WEIGHT if weighted else None
    ours = HuberRegressor(tol=1e-10, **params).fit(X, Y, sample_weight=weight)
    assert_on_backend(ours.coef_, backend)
    assert ours.coef_.shape == (4,) and ours.intercept_.shape == () and ours.scale_.shape == ()
    assert ours.outliers_.shape == (50,) and isinstance(ours.n_iter_, int)
    _check(ours, params, weight)


def test_objective_is_sklearns_and_extends_below_zero_scale(backend, xp, device):
    """The loss is scikit-learn's (value and gradient) for σ > 0, and its convex extension for σ <= 0:
    Σᵢ sᵢ (σ(1 - ε²) + 2ε|rᵢ|) + α‖w‖², whose slope in σ, Σᵢ sᵢ(1 - ε²), is < 0 (the module's argument)."""
    loss = _HuberLoss(xp, xp.asarray(X, device=device), xp.asarray(Y, device=device),
                      xp.asarray(WEIGHT, device=device), epsilon=1.35, alpha=0.5, fit_intercept=True)
    for theta in (np.array([1.0, -1.5, 0.2, 0.7, 0.5, 0.8]), np.array([0.5, 0.0, 0.0, 1.0, -0.3, 2.5])):
        value, grad = loss(xp.asarray(theta, device=device))
        ref_value, ref_grad = _huber_loss_and_gradient(theta, X, Y, 1.35, 0.5, WEIGHT)
        np.testing.assert_allclose(float(value), ref_value, rtol=1e-13)
        np.testing.assert_allclose(xpml.to_numpy(grad), ref_grad, rtol=1e-12, atol=1e-12)
    for sigma in (0.0, -0.7):
        theta = np.array([1.0, -1.5, 0.2, 0.7, 0.5, sigma])
        value, grad = loss(xp.asarray(theta, device=device))
        r = Y - X @ theta[:4] - theta[4]
        expected = WEIGHT @ (sigma * (1 - 1.35**2) + 2 * 1.35 * np.abs(r)) + 0.5 * theta[:4] @ theta[:4]
        np.testing.assert_allclose(float(value), expected, rtol=1e-13)
        np.testing.assert_allclose(float(grad[-1]), WEIGHT.sum() * (1 - 1.35**2), rtol=1e-13)


def test_warm_start_sparse_input_and_float32(backend, xp, device):
    first = HuberRegressor(tol=1e-10).fit(X, Y)
    again = HuberRegressor(tol=1e-10, warm_start=True).fit(X, Y)
    again.fit(X, Y)  # from the minimum: a step or two
    assert again.n_iter_ <= 2
    np.testing.assert_allclose(_theta(again), _theta(first), atol=1e-7)
    on_sparse = HuberRegressor(tol=1e-10).fit(sparse.csr_matrix(X), Y)
    np.testing.assert_allclose(_theta(on_sparse), _theta(first), atol=1e-7)
    predicted = first.predict(xp.asarray(X, device=device))
    assert_on_backend(predicted, backend)
    single = HuberRegressor().fit(X.astype(np.float32), Y.astype(np.float32))
    assert single.coef_.dtype == xp.float32 and single.predict(X.astype(np.float32)).dtype == np.float32
    np.testing.assert_allclose(_theta(single), _theta(first), atol=1e-4)  # float32's rounding, times the curvature


def test_exact_fit_and_epsilon_one_hold_the_scale_at_sklearns_bound():
    """Where the minimum is at σ = 0 (an exact fit), or F does not depend on σ <= 0 (ε = 1), scale_ is the
    projection onto scikit-learn's bound σ >= 10·eps. On the exact fit the objective is no worse than
    scikit-learn's. (With ε = 1 the minimum is that of 2Σᵢ|rᵢ| + α‖w‖², not differentiable where a residual is
    0: L-BFGS, xpml's as scikit-learn's, stops near it, not at it; only the scale and the outliers are compared.)"""
    bound = 10 * np.finfo(np.float64).eps
    line = np.arange(6.0)[:, None]
    ours = HuberRegressor().fit(line, 2 * line[:, 0] + 1)
    sk = SkHuberRegressor().fit(line, 2 * line[:, 0] + 1)
    assert bound <= float(ours.scale_) <= 1e-9
    np.testing.assert_allclose(_theta(ours)[:2], [2.0, 1.0], atol=1e-9)
    ours_F, sk_F = (_huber_loss_and_gradient(_theta(m), line, 2 * line[:, 0] + 1, 1.35, 1e-4, np.ones(6))[0]
                    for m in (ours, sk))
    assert ours_F <= sk_F * (1 + 1e-12)
    ours = HuberRegressor(epsilon=1.0).fit(X, Y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk = SkHuberRegressor(epsilon=1.0).fit(X, Y)
    assert float(ours.scale_) == bound == sk.scale_
    np.testing.assert_array_equal(xpml.to_numpy(ours.outliers_), sk.outliers_)


def test_convergence_warning_and_errors():
    with pytest.warns(ConvergenceWarning, match=r"HuberRegressor did not converge: max_iter=2 reached"):
        model = HuberRegressor(max_iter=2).fit(X, Y)
    assert model.n_iter_ == 2
    for params, match in (({"epsilon": 0.5}, r"epsilon=0.5 should be >= 1"), ({"alpha": -1.0}, r"alpha=-1.0 should "
                          r"be >= 0"), ({"tol": -1.0}, r"tol=-1.0 should be >= 0"),
                          ({"max_iter": -1}, r"max_iter=-1 should be >= 0")):
        with pytest.raises(ValueError, match=match):
            HuberRegressor(**params).fit(X, Y)
    with pytest.raises(TypeError, match=r"warm_start should be a bool; got 'yes'"):
        HuberRegressor(warm_start="yes").fit(X, Y)
    with pytest.raises(ValueError, match=r"y should have shape \(n_samples,\)"):
        HuberRegressor().fit(X, np.stack([Y, Y], axis=1))
    with pytest.raises(NotFittedError, match="not fitted yet"):
        HuberRegressor().predict(X)
    with pytest.raises(ValueError, match=r"X has 2 features, but HuberRegressor is expecting 4 features as input"):
        HuberRegressor().fit(X, Y).predict(X[:, :2])
