"""LinearSVR against an exact solution of LIBLINEAR's objective (scipy) and scikit-learn's LinearSVR.

The objective P(w̃) = ½‖w̃‖² + C Σᵢ ωᵢ L(rᵢ) (w̃ = (w, b/a), a = intercept_scaling) is 1-strongly convex, so
every w̃ satisfies ‖w̃ - w̃*‖² <= 2 (P(w̃) - P*): how close a solution's weights are to the optimum follows from
how close its objective is to the minimum, and needs no tolerance of its own. The oracle: scipy's L-BFGS-B
solves the ε-insensitive loss's dual (a box-constrained quadratic program in β = u - v, 0 <= u, v <= cᵢ) and
the squared loss's smooth primal to 1e-12; the dual's value D at its (feasible) point is a lower bound
D <= P*. xpml stops on the relative duality gap (tol=1e-8 here: P <= P*(1 + 1e-8)), scikit-learn's
LIBLINEAR on its own dual's projected gradient, and is only as close as that (sometimes short of tol=1e-10
at max_iter): its weights are compared with ours within the sum of the two distances to the optimum that
the objective values bound, √(2(P - D)), computed from the values themselves.
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning as SkConvergenceWarning
from sklearn.svm import LinearSVR as SkLinearSVR

import xpml
from tests.helpers import assert_on_backend
from xpml.exceptions import ConvergenceWarning, NotFittedError
from xpml.svm import LinearSVR

scipy = pytest.importorskip("scipy")
pytest.importorskip("scipy.optimize")

_rng = np.random.default_rng(0)
X = _rng.normal(size=(50, 4))  # (50, 4), one shape for every fit (jax compiles per shape)
Y = X @ np.array([1.5, -2.0, 0.5, 1.0]) + 0.8 + 0.3 * _rng.standard_t(2, size=50)  # heavy tails
Y[:4] += np.array([6.0, -5.0, 8.0, 4.0])  # and four outliers
WEIGHT = _rng.uniform(0.2, 3.0, size=50)


def _objective(coef, intercept, loss, C, epsilon, a=1.0, weight=None):
    """P of a solution, from its coef_ and intercept_ (b = a·v, penalized as ½v²)."""
    coef, b = xpml.to_numpy(coef), float(np.reshape(xpml.to_numpy(intercept), -1)[0]) if a else 0.0
    d = np.maximum(np.abs(Y - X @ coef - b) - epsilon, 0.0)
    c = C * (np.ones(len(Y)) if weight is None else weight)
    return 0.5 * coef @ coef + (0.5 * (b / a) ** 2 if a else 0.0) + c @ (d if loss == "epsilon_insensitive" else d * d)


_EXACT: dict = {}


def _lower_bound(loss, C, epsilon, a=1.0, weight=None):
    """D <= P*, the value of the oracle's dual point (ε-insensitive) or of its primal minimum less 1e-12 (squared)."""
    key = (loss, C, epsilon, a, weight is None)
    if key not in _EXACT:
        Xt = np.hstack([X, np.full((len(Y), 1), a)]) if a else X
        c = C * (np.ones(len(Y)) if weight is None else weight)
        n = len(Y)
        if loss == "epsilon_insensitive":  # dual: max Σβy - εΣ|β| - ½‖X̃ᵀβ‖² over |β| <= c, with β = u - v
            def negative_dual(z):
                beta = z[:n] - z[n:]
                g = Xt @ (Xt.T @ beta) - Y  # (n,)
                value = 0.5 * np.sum((Xt.T @ beta) ** 2) - Y @ beta + epsilon * z.sum()
                return value, np.concatenate([g, -g]) + epsilon
            res = scipy.optimize.minimize(negative_dual, np.zeros(2 * n), jac=True, method="L-BFGS-B",
                                          bounds=[(0, ci) for ci in np.concatenate([c, c])],
                                          options=dict(maxiter=50_000, ftol=1e-16, gtol=1e-12))
            _EXACT[key] = -res.fun
        else:  # the smooth primal
            def primal(w):
                d = Y - Xt @ w
                d = d - np.clip(d, -epsilon, epsilon)
                return 0.5 * w @ w + c @ (d * d), w - 2 * Xt.T @ (c * d)
            res = scipy.optimize.minimize(primal, np.zeros(Xt.shape[1]), jac=True, method="L-BFGS-B",
                                          options=dict(maxiter=50_000, ftol=1e-16, gtol=1e-12))
            _EXACT[key] = res.fun * (1 - 1e-12)
    return _EXACT[key]


def _sklearn(X, y, sample_weight=None, **params):
    """scikit-learn's fit at tol=1e-10."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkConvergenceWarning)  # LIBLINEAR's dual sometimes stops at max_iter
        return SkLinearSVR(tol=1e-10, max_iter=100_000, random_state=0, **params).fit(X, y, sample_weight=sample_weight)


def _weights(model, a=1.0):
    """w̃ = (w, b/a) of a fitted model."""
    coef, intercept = xpml.to_numpy(model.coef_), np.reshape(xpml.to_numpy(model.intercept_), -1)
    return np.concatenate([coef, intercept / a]) if a else coef


def _check(ours, loss, C, epsilon, a=1.0, weight=None, rtol=1e-8):
    """Our objective is within rtol of the minimum, and our weights within the distances the objective values
    bound of scikit-learn's."""
    lower = _lower_bound(loss, C, epsilon, a, weight)
    objective = _objective(ours.coef_, ours.intercept_, loss, C, epsilon, a, weight)
    assert lower * (1 - 1e-12) <= objective <= lower * (1 + rtol)
    params = dict(loss=loss, C=C, epsilon=epsilon, **({"intercept_scaling": a} if a else {"fit_intercept": False}))
    ref = _sklearn(X, Y, weight, **params)
    ref_objective = _objective(ref.coef_, ref.intercept_, loss, C, epsilon, a, weight)
    assert objective <= ref_objective * (1 + rtol)  # LIBLINEAR's is above the minimum too
    distance = np.sqrt(2 * (objective - lower)) + np.sqrt(2 * (ref_objective - lower))
    assert np.linalg.norm(_weights(ours, a) - _weights(ref, a)) <= distance + 1e-12
    assert ours.score(X, Y) == pytest.approx(ref.score(X, Y), abs=distance * 10)


@pytest.mark.parametrize(("loss", "C", "epsilon"), [
    ("epsilon_insensitive", 1.0, 0.0), ("epsilon_insensitive", 10.0, 0.5), ("squared_epsilon_insensitive", 1.0, 0.5),
    ("squared_epsilon_insensitive", 100.0, 0.0),
])
def test_matches_the_exact_solution_and_sklearn(backend, loss, C, epsilon):
    ours = LinearSVR(loss=loss, C=C, epsilon=epsilon, tol=1e-8, max_iter=20_000).fit(X, Y)
    assert_on_backend(ours.coef_, backend)
    assert ours.coef_.shape == (4,) and ours.intercept_.shape == (1,) and isinstance(ours.n_iter_, int)
    assert 0 <= ours._duality_gap <= 1e-8 or loss == "squared_epsilon_insensitive"
    _check(ours, loss, C, epsilon)


@pytest.mark.parametrize("loss", ["epsilon_insensitive", "squared_epsilon_insensitive"])
def test_sample_weight_intercept_scaling_and_no_intercept(backend, loss):
    for params, a in (({"intercept_scaling": 10.0}, 10.0), ({"fit_intercept": False}, None)):
        ours = LinearSVR(loss=loss, C=2.0, epsilon=0.2, tol=1e-8, max_iter=20_000, **params).fit(
            X, Y, sample_weight=WEIGHT)
        _check(ours, loss, 2.0, 0.2, a, WEIGHT)
    assert ours.intercept_.shape == () and float(ours.intercept_) == 0.0  # scikit-learn's 0.0


def test_default_tolerance_bounds_the_objective_and_outputs_follow_input(backend, xp, device):
    ours = LinearSVR(epsilon=0.1).fit(X, Y)
    # tol=1e-4 bounds the relative duality gap, so the objective
    assert _objective(ours.coef_, ours.intercept_, "epsilon_insensitive", 1.0, 0.1) <= _lower_bound(
        "epsilon_insensitive", 1.0, 0.1) * (1 + 1e-4)
    predicted = ours.predict(xp.asarray(X, device=device))
    assert_on_backend(predicted, backend)
    np.testing.assert_allclose(xpml.to_numpy(predicted), X @ _weights(ours)[:4] + _weights(ours)[4], rtol=1e-12)
    single = LinearSVR(epsilon=0.1, tol=1e-6).fit(X.astype(np.float32), Y.astype(np.float32))
    assert single.coef_.dtype == xp.float32 and single.predict(X.astype(np.float32)).dtype == np.float32
    assert _objective(single.coef_, single.intercept_, "epsilon_insensitive", 1.0, 0.1) <= _lower_bound(
        "epsilon_insensitive", 1.0, 0.1) * (1 + 1e-4)


def test_a_tube_that_holds_every_target_gives_zero_weights():
    # ε >= max|y|: w = 0 is optimal with P = 0, where the relative gap is taken as 0
    ours = LinearSVR(epsilon=20.0).fit(X, Y)
    np.testing.assert_array_equal(xpml.to_numpy(ours.coef_), 0.0)
    np.testing.assert_array_equal(_sklearn(X, Y, epsilon=20.0).coef_, 0.0)


def test_convergence_warning_and_errors():
    with pytest.warns(ConvergenceWarning, match=r"LinearSVR did not converge in max_iter=3 iterations "
                                                 r"\(relative duality gap .*, tol=0.0001\)"):
        model = LinearSVR(max_iter=3).fit(X, Y)
    assert model.n_iter_ == 3
    with pytest.raises(ValueError, match=r"loss='epsilon_insensitive' needs dual=True \(or 'auto'\)"):
        LinearSVR(dual=False).fit(X, Y)
    LinearSVR(loss="squared_epsilon_insensitive", dual=False).fit(X, Y)  # accepted, as in scikit-learn
    with pytest.raises(ValueError, match=r"epsilon=-0.5 should be >= 0"):  # LIBLINEAR: "p < 0"
        LinearSVR(epsilon=-0.5).fit(X, Y)
    with pytest.raises(ValueError, match=r"C=0 should be > 0"):
        LinearSVR(C=0).fit(X, Y)
    with pytest.raises(ValueError, match=r"loss='hinge' should be one of"):
        LinearSVR(loss="hinge").fit(X, Y)
    with pytest.raises(ValueError, match=r"y should have shape \(n_samples,\)"):
        LinearSVR().fit(X, np.stack([Y, Y], axis=1))
    with pytest.raises(NotFittedError, match="not fitted yet"):
        LinearSVR().predict(X)
    with pytest.raises(ValueError, match=r"X has 2 features, but LinearSVR is expecting 4 features as input"):
        LinearSVR().fit(X, Y).predict(X[:, :2])
