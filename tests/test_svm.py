"""LinearSVC against an exact solution of its objective (scipy, on the dual) and scikit-learn's LinearSVC.

The oracle: the hinge problem's dual is a box-constrained quadratic program and the squared hinge's
primal is smooth; scipy's L-BFGS-B solves each to 1e-12. scikit-learn's LIBLINEAR solves the same
objective with its own tolerance (and sometimes stops short), so it is compared more loosely.
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning as SkConvergenceWarning
from sklearn.svm import LinearSVC as SkLinearSVC

import xpml
from tests.helpers import assert_allclose, assert_on_backend
from xpml.datasets import load_breast_cancer, load_iris, load_wine
from xpml.exceptions import ConvergenceWarning, NotFittedError
from xpml.svm import LinearSVC

scipy = pytest.importorskip("scipy")
pytest.importorskip("scipy.optimize")


def _standardized(load):
    X, y = load(return_X_y=True)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


DATA = {"iris": _standardized(load_iris), "wine": _standardized(load_wine),
        "breast_cancer": _standardized(load_breast_cancer)}


_EXACT: dict = {}


def _exact(X, y, loss, C, a=1.0, weight=None):
    """(coef (K, p), intercept (K,), minimum) of the LIBLINEAR objective, one-vs-rest.

    The minimum is accurate to about 1e-14: for the hinge it is the optimal value of the dual
    (which L-BFGS-B finds accurately even where the weights it implies are off by 1e-4).
    Solved once per problem: every backend's test is held to the same solution (read-only arrays).
    """
    key = (X.shape, X.tobytes(), y.tobytes(), loss, C, a, None if weight is None else weight.tobytes())
    if key not in _EXACT:
        _EXACT[key] = _solve_exactly(X, y, loss, C, a, weight)
    return _EXACT[key]


def _solve_exactly(X, y, loss, C, a, weight):
    classes = np.unique(y)
    positives = classes[1:] if len(classes) == 2 else classes
    Xt = np.hstack([X, np.full((len(X), 1), a)]) if a else X
    c = C * (np.ones(len(y)) if weight is None else weight)
    coef, minimum = [], 0.0
    for k in positives:
        A = np.where(y == k, 1.0, -1.0)[:, None] * Xt  # rows sᵢ x̃ᵢ
        if loss == "hinge":  # dual: min ½‖Aᵀα‖² - Σα over 0 <= α <= c
            res = scipy.optimize.minimize(lambda al: (0.5 * np.sum((A.T @ al) ** 2) - al.sum(), A @ (A.T @ al) - 1),
                                          np.zeros(len(y)), jac=True, method="L-BFGS-B", bounds=list(zip(0 * c, c)),
                                          options=dict(maxiter=50_000, ftol=1e-16, gtol=1e-12))
            w, minimum = A.T @ res.x, minimum - res.fun
        else:  # primal: min ½‖w‖² + Σ cᵢ max(0, 1 - (A w)ᵢ)²
            def fun(w):
                t = np.maximum(0, 1 - A @ w)
                return 0.5 * w @ w + c @ (t * t), w - 2 * A.T @ (c * t)
            res = scipy.optimize.minimize(fun, np.zeros(Xt.shape[1]), jac=True, method="L-BFGS-B",
                                          options=dict(maxiter=50_000, ftol=1e-16, gtol=1e-12))
            w, minimum = res.x, minimum + res.fun
        coef.append(w)
    coef = np.array(coef)
    coef, intercept = (coef[:, :-1], a * coef[:, -1]) if a else (coef, np.zeros(len(coef)))
    coef.flags.writeable = intercept.flags.writeable = False
    return coef, intercept, minimum


def _objective(coef, intercept, X, y, loss, C, a=1.0, weight=None):
    """The LIBLINEAR objective of a solution, summed over the one-vs-rest problems."""
    coef, intercept = xpml.to_numpy(coef), xpml.to_numpy(intercept)
    c = C * (np.ones(len(y)) if weight is None else weight)
    classes = np.unique(y)
    positives = classes[1:] if len(classes) == 2 else classes
    total = 0.0
    for k, w, b in zip(positives, coef, intercept):
        t = np.maximum(0, 1 - np.where(y == k, 1.0, -1.0) * (X @ w + b))
        total += 0.5 * w @ w + (0.5 * (b / a) ** 2 if a else 0.0) + c @ (t if loss == "hinge" else t * t)
    return total


def _sklearn(**params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkConvergenceWarning)  # LIBLINEAR's hinge sometimes stops short
        return SkLinearSVC(tol=1e-10, max_iter=100_000, random_state=0, **params)


@pytest.mark.parametrize(("dataset", "loss", "C"), [  # iris: three classes (one-vs-rest); breast cancer: two
    ("iris", "squared_hinge", 1.0), ("iris", "hinge", 0.1), ("breast_cancer", "squared_hinge", 0.1),
    ("breast_cancer", "hinge", 1.0),
])
def test_matches_the_exact_solution_and_sklearn(backend, dataset, loss, C):
    X, y = DATA[dataset]
    ours = LinearSVC(loss=loss, C=C, tol=1e-8, max_iter=20_000).fit(X, y)
    coef, intercept, minimum = _exact(X, y, loss, C)
    assert 0 <= ours._duality_gap <= (1e-8 if loss == "hinge" else 1e-6)
    assert_on_backend(ours.coef_, backend)
    # the objective is within the relative duality gap that stopped the fit (1e-8) of the minimum
    objective = _objective(ours.coef_, ours.intercept_, X, y, loss, C)
    assert minimum * (1 - 1e-12) <= objective <= minimum * (1 + 1e-8)
    # ‖w - w*‖² <= 2 (P(w) - P(w*)) then bounds the weights (the oracle's own are good to about 1e-4)
    scale = np.abs(coef).max()
    assert_allclose(ours.coef_, coef, atol=1e-3 * scale)
    assert_allclose(ours.intercept_, intercept, atol=1e-3 * scale)
    ref = _sklearn(loss=loss, C=C).fit(X, y)
    decision, ref_decision = xpml.to_numpy(ours.decision_function(X)), ref.decision_function(X)
    assert decision.shape == ref_decision.shape
    assert_allclose(decision, ref_decision, atol=1e-3 * np.abs(ref_decision).max())
    assert ours.score(X, y) == ref.score(X, y)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


@pytest.mark.parametrize("loss", ["squared_hinge", "hinge"])
def test_intercept_scaling_no_intercept_and_sample_weight(backend, loss):
    X, y = DATA["breast_cancer"][0][:300], DATA["breast_cancer"][1][:300]
    w = np.random.default_rng(0).uniform(0.2, 2.0, size=len(y))
    for params, a in (({"intercept_scaling": 10.0}, 10.0), ({"fit_intercept": False}, None)):
        ours = LinearSVC(loss=loss, C=0.5, tol=1e-7, max_iter=20_000, **params).fit(X, y, sample_weight=w)
        coef, intercept, minimum = _exact(X, y, loss, 0.5, a=a, weight=w)
        objective = _objective(ours.coef_, ours.intercept_, X, y, loss, 0.5, a=a, weight=w)
        assert minimum * (1 - 1e-12) <= objective <= minimum * (1 + 1e-7)
        scale = np.abs(coef).max()
        assert_allclose(ours.coef_, coef, atol=1e-3 * scale)
        assert_allclose(ours.intercept_, intercept, atol=1e-3 * scale)
        ref = _sklearn(loss=loss, C=0.5, **params).fit(X, y, sample_weight=w)
        assert_allclose(ours.decision_function(X), ref.decision_function(X), atol=1e-3 * scale)


def test_default_tolerance_is_close_to_sklearn_defaults(backend):
    X, y = DATA["wine"]
    for loss in ("squared_hinge", "hinge"):
        ours = LinearSVC(loss=loss).fit(X, y)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SkConvergenceWarning)
            ref = SkLinearSVC(loss=loss, random_state=0).fit(X, y)
        minimum = _exact(X, y, loss, 1.0)[2]
        # tol=1e-4 bounds the relative gap of the objective
        assert _objective(ours.coef_, ours.intercept_, X, y, loss, 1.0) <= minimum * (1 + 1e-4)
        assert ours.score(X, y) == ref.score(X, y)


def test_labels_outputs_and_float32(backend, xp, device):
    X, y = DATA["breast_cancer"]
    labels = np.array(["benign", "malignant"])[y]
    model = LinearSVC().fit(X, labels)
    np.testing.assert_array_equal(model.classes_, ["benign", "malignant"])
    assert model.coef_.shape == (1, 30) and model.intercept_.shape == (1,)
    decision = model.decision_function(xp.asarray(X, device=device))
    assert_on_backend(decision, backend)
    assert decision.shape == (len(y),)
    # the positive side is classes_[1]
    np.testing.assert_array_equal(model.predict(X), np.where(xpml.to_numpy(decision) > 0, "malignant", "benign"))
    single = LinearSVC(tol=1e-6).fit(X.astype(np.float32), y)
    assert single.decision_function(X.astype(np.float32)).dtype == np.float32
    minimum = _exact(X, y, "squared_hinge", 1.0)[2]
    # L-BFGS stops once a step changes the float32 loss by less than 64 epsilons (8e-6) of it
    assert _objective(single.coef_, single.intercept_, X, y, "squared_hinge", 1.0) <= minimum * (1 + 1e-4)


def test_convergence_warning_and_errors():
    X, y = DATA["wine"]
    for loss in ("hinge", "squared_hinge"):
        with pytest.warns(ConvergenceWarning, match=r"LinearSVC did not converge in max_iter=3 iterations "
                                                     r"\(relative duality gap .*, tol=0.0001\)"):
            model = LinearSVC(loss=loss, max_iter=3).fit(X, y)
        assert model.n_iter_ == 3
    with pytest.raises(ValueError, match=r"C=0 should be > 0"):
        LinearSVC(C=0).fit(X, y)
    with pytest.raises(ValueError, match=r"loss='log' should be one of 'hinge', 'squared_hinge'"):
        LinearSVC(loss="log").fit(X, y)
    with pytest.raises(ValueError, match=r"y has 1 class\(es\) \(\[0\]\); a classifier needs at least 2"):
        LinearSVC().fit(X[:10], y[:10])
    with pytest.raises(NotFittedError, match="not fitted yet"):
        LinearSVC().decision_function(X)
    with pytest.raises(ValueError, match=r"X has 2 features, but LinearSVC is expecting 13 features as input"):
        LinearSVC().fit(X, y).predict(X[:, :2])
