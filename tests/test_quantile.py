"""QuantileRegressor against scikit-learn's (HiGHS on the same linear program) and its objective.

scikit-learn minimizes F(w, b) = Σᵢ sᵢ ρ_q(yᵢ - xᵢ·w - b) + α (Σᵢ sᵢ) ‖w‖₁ with HiGHS, which ends on a vertex of
the linear program. xpml's interior point ends inside the optimal face and then moves to the vertex through the k
rows on the fit (`_quantile_lp.vertex`). Where the minimizer is unique (these data: continuous, heavy-tailed y, in
general position), both return it, solved from the same k × k system: F agrees to 1e-12 relative (measured: 6e-16
at most) and (w, b) to 1e-12 absolute (measured: 5e-15 at most, |w| up to 2.5). Where it is not unique (an even
number of samples at the median, collinear columns, fewer samples than coefficients), both are optimal: F agrees
to 1e-12 of its scale, not (w, b).
"""

import warnings

import numpy as np
import pytest

import xpml
from tests.helpers import assert_on_backend
from xpml.exceptions import ConvergenceWarning, NotFittedError
from xpml.linear_model import QuantileRegressor

sparse = pytest.importorskip("scipy.sparse")
pytest.importorskip("scipy.optimize")
from sklearn.linear_model import QuantileRegressor as SkQuantileRegressor  # noqa: E402

_rng = np.random.default_rng(0)
X = _rng.normal(size=(30, 3))  # (30, 3)
Y = X @ np.array([1.5, -2.0, 0.5]) + 0.8 + _rng.standard_t(2, size=30)  # heavy tails
WEIGHT = np.where(np.arange(30) < 3, 0.0, _rng.uniform(0.2, 3.0, size=30))  # three zero weights


def _objective(coef, intercept, q, alpha, weight, X=X, Y=Y):
    r = Y - X @ coef - intercept
    return np.sum(weight * np.where(r > 0, q * r, (q - 1) * r)) + alpha * weight.sum() * np.abs(coef).sum()


def _fitted(model):
    return np.asarray(xpml.to_numpy(model.coef_), dtype=float), float(xpml.to_numpy(model.intercept_))


def _check(ours, params, weight, X=X, Y=Y, unique=True):
    sk = SkQuantileRegressor(**params).fit(X, Y, sample_weight=weight)
    q, alpha = params.get("quantile", 0.5), params.get("alpha", 1.0)
    s = np.ones(len(Y)) if weight is None else weight
    coef, intercept = _fitted(ours)
    ours_F = _objective(coef, intercept, q, alpha, s, X, Y)
    sk_F = _objective(sk.coef_, sk.intercept_, q, alpha, s, X, Y)
    scale = np.sum(s * np.abs(Y))  # F's scale: F = 0 (an exact fit) is met only to rounding
    np.testing.assert_allclose(ours_F, sk_F, rtol=1e-12, atol=1e-12 * scale)
    if unique:
        np.testing.assert_allclose(coef, sk.coef_, rtol=0, atol=1e-12)
        np.testing.assert_allclose(intercept, sk.intercept_, rtol=0, atol=1e-12)


@pytest.mark.parametrize(("params", "weighted"), [
    ({"quantile": 0.5, "alpha": 0.0}, False),
    ({"quantile": 0.1, "alpha": 0.05}, True),
    ({"quantile": 0.9, "alpha": 0.01, "fit_intercept": False}, False),
    ({"quantile": 0.3, "alpha": 1.0}, True),  # every coefficient 0: the weighted 0.3-quantile of y
    ({"quantile": 0.75, "alpha": 0.0, "fit_intercept": False}, True),
])
def test_matches_sklearns_vertex(backend, params, weighted):
    weight = WEIGHT if weighted else None
    ours = QuantileRegressor(**params).fit(X, Y, sample_weight=weight)
    assert_on_backend(ours.coef_, backend)
    assert ours.coef_.shape == (3,) and ours.intercept_.shape == () and isinstance(ours.n_iter_, int)
    _check(ours, params, weight)
    if params["alpha"] == 1.0:
        assert np.all(xpml.to_numpy(ours.coef_) == 0)
    np.testing.assert_allclose(xpml.to_numpy(ours.predict(X)), X @ _fitted(ours)[0] + _fitted(ours)[1], rtol=1e-13)


def test_sparse_X_float32_and_outputs(backend, xp, device):
    params = {"quantile": 0.25, "alpha": 0.02}
    dense = QuantileRegressor(**params).fit(X, Y, sample_weight=WEIGHT)
    on_sparse = QuantileRegressor(**params).fit(sparse.csr_matrix(X), Y, sample_weight=WEIGHT)
    _check(on_sparse, params, WEIGHT)
    np.testing.assert_allclose(np.r_[_fitted(on_sparse)], np.r_[_fitted(dense)], rtol=0, atol=1e-12)
    predicted = dense.predict(xp.asarray(X, device=device))
    assert_on_backend(predicted, backend)
    np.testing.assert_allclose(float(dense.score(X, Y)), SkQuantileRegressor(**params).fit(
        X, Y, sample_weight=WEIGHT).score(X, Y), rtol=1e-10)
    single = QuantileRegressor(**params).fit(X.astype(np.float32), Y.astype(np.float32))
    assert single.coef_.dtype == xp.float32 and single.predict(X.astype(np.float32)).dtype == np.float32
    sk = SkQuantileRegressor(**params).fit(X.astype(np.float32), Y.astype(np.float32))
    np.testing.assert_allclose(_fitted(single)[0], sk.coef_, atol=1e-5)  # the same vertex, solved in float32


def test_solutions_that_are_not_unique_are_optimal():
    """An even number of samples at the median (any b between the middle two), collinear columns, more coefficients
    than samples (F = 0 by interpolation): xpml's answer is optimal, as scikit-learn's, not necessarily the same."""
    rng = np.random.default_rng(1)
    four = np.zeros((4, 1)), np.array([1.0, 2.0, 3.0, 4.0])
    collinear = np.c_[X[:, :2], 2 * X[:, 0]], Y
    wide = rng.normal(size=(6, 10)), rng.normal(size=6)
    for (Xs, ys), params in ((four, {"alpha": 0.0}), (collinear, {"alpha": 0.0, "quantile": 0.3}),
                             (wide, {"alpha": 0.0, "quantile": 0.7})):
        _check(QuantileRegressor(**params).fit(Xs, ys), params, None, Xs, ys, unique=False)
    ours = QuantileRegressor(alpha=0.0).fit(*four)
    assert 2.0 <= float(ours.intercept_) <= 3.0


def test_every_solver_name_runs_xpmls_method_and_solver_options():
    """The five names of scikit-learn's solver give one answer; "maxiter" and "ipm_optimality_tolerance" are read."""
    first = _fitted(QuantileRegressor(quantile=0.6, alpha=0.01).fit(X, Y))
    for solver in ("highs-ds", "highs-ipm", "interior-point", "revised simplex"):
        other = QuantileRegressor(quantile=0.6, alpha=0.01, solver=solver, solver_options={"presolve": False})
        np.testing.assert_array_equal(np.r_[_fitted(other.fit(X, Y))], np.r_[first])
    loose = QuantileRegressor(quantile=0.6, alpha=0.01, solver_options={"ipm_optimality_tolerance": 1e-3}).fit(X, Y)
    tight = QuantileRegressor(quantile=0.6, alpha=0.01).fit(X, Y)
    assert loose.n_iter_ < tight.n_iter_
    np.testing.assert_allclose(np.r_[_fitted(loose)], np.r_[first], atol=1e-12)  # the vertex from an earlier point
    with pytest.warns(ConvergenceWarning, match=r"QuantileRegressor did not converge: .* maxiter=1 iterations"):
        model = QuantileRegressor(solver_options={"maxiter": 1}).fit(X, Y)
    assert model.n_iter_ == 1


def test_errors():
    for params, error, match in (
            ({"quantile": 1.0}, ValueError, r"quantile=1.0 should be > 0 and < 1"),
            ({"quantile": 0}, ValueError, r"quantile=0 should be > 0 and < 1"),
            ({"alpha": -1.0}, ValueError, r"alpha=-1.0 should be >= 0"),
            ({"solver": "simplex"}, ValueError, r"solver='simplex' should be one of 'highs', 'highs-ds'"),
            ({"solver_options": "fast"}, TypeError, r"solver_options should be None or a dict; got 'fast'"),
            ({"solver_options": {"speed": 2}}, ValueError, r"solver_options has unknown option\(s\) \['speed'\]"),
            ({"solver_options": {"maxiter": -1}}, ValueError, r"solver_options\['maxiter'\]=-1 should be an int >= 0"),
            ({"solver_options": {"ipm_optimality_tolerance": 0}}, ValueError, r"ipm_optimality_tolerance'\]=0 should"),
            ({"fit_intercept": "yes"}, TypeError, r"fit_intercept should be a bool; got 'yes'")):
        with pytest.raises(error, match=match):
            QuantileRegressor(**params).fit(X, Y)
    with pytest.raises(ValueError, match=r"y should have shape \(n_samples,\)"):
        QuantileRegressor().fit(X, np.stack([Y, Y], axis=1))
    with pytest.raises(ValueError, match=r"sample_weight should be >= 0"):
        QuantileRegressor().fit(X, Y, sample_weight=-WEIGHT)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        QuantileRegressor().predict(X)
    with pytest.raises(ValueError, match=r"X has 2 features, but QuantileRegressor is expecting 3 features as input"):
        QuantileRegressor().fit(X, Y).predict(X[:, :2])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        QuantileRegressor(alpha=0.0).fit(X[:1], Y[:1])  # one sample: b = y₀, no warning
