"""permutation_importance against its definition (the same shuffles by hand give the same numbers, on every
backend) and against scikit-learn's (the same ranking of the features on a clear problem)."""

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.inspection import permutation_importance as sk_permutation_importance
from sklearn.linear_model import LinearRegression as SkLinearRegression

from tests.helpers import assert_allclose, assert_on_backend
from xpml._backend import to_backend
from xpml.inspection import permutation_importance
from xpml.linear_model import LinearRegression, LogisticRegression


def _by_hand(model, X, y, n_repeats, rng, score):
    """Feature after feature, n_repeats shuffles: the orders that sort uniform draws (n_repeats, n) from rng."""
    base = score(model, X, y)
    drops = []
    for j in range(X.shape[1]):
        orders = np.argsort(rng.random((n_repeats, X.shape[0])), axis=1)
        drops.append([base - score(model, np.where(np.arange(X.shape[1]) == j, X[o][:, [j]], X), y) for o in orders])
    return np.array(drops)  # (p, R)


def test_fixed_shuffles_give_the_by_hand_drops_on_every_backend(backend):
    X, y = make_regression(40, 3, n_informative=2, noise=5.0, random_state=0)
    model = LinearRegression(backend=backend).fit(X, y)
    result = permutation_importance(model, to_backend(X, backend), y, n_repeats=2, random_state=7)
    expected = _by_hand(model, X, y, 2, np.random.default_rng(7), lambda m, X, y: m.score(X, y))
    assert_on_backend(result.importances, backend)
    assert_allclose(result.importances, expected, rtol=1e-10, atol=1e-12)
    assert_allclose(result.importances_mean, expected.mean(axis=1), rtol=1e-10, atol=1e-12)
    assert_allclose(result.importances_std, expected.std(axis=1), rtol=1e-8, atol=1e-12)


def test_the_ranking_is_scikit_learns_on_a_clear_problem():
    """y = 3 x0 + 2 x1 + x2 + noise, and three features of noise: the same order of importance as scikit-learn's
    (R² drops of about 2·9, 2·4, 2·1 shares of the variance), and the noise features near 0."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 6))
    y = X[:, :3] @ np.array([3.0, 2.0, 1.0]) + 0.5 * rng.standard_normal(300)
    ours = permutation_importance(LinearRegression(backend="numpy").fit(X, y), X, y, n_repeats=5, random_state=0)
    theirs = sk_permutation_importance(SkLinearRegression().fit(X, y), X, y, n_repeats=5, random_state=0)
    assert np.argsort(-ours.importances_mean).tolist()[:3] == np.argsort(-theirs.importances_mean).tolist()[:3] == [0, 1, 2]
    assert_allclose(ours.importances_mean[:3], theirs.importances_mean[:3], rtol=0.15)  # different shuffles
    assert (np.abs(ours.importances_mean[3:]) < 0.01).all()


def test_scorers_weights_and_a_sample_of_rows():
    X, y = make_classification(80, 3, n_informative=2, n_redundant=0, random_state=0)
    model = LogisticRegression(backend="numpy").fit(X, y)
    w = np.linspace(0.5, 1.5, 80)
    result = permutation_importance(model, X, y, scoring=["accuracy", "neg_log_loss"], n_repeats=2, random_state=3,
                                    sample_weight=w, max_samples=0.5)
    assert set(result) == {"accuracy", "neg_log_loss"}
    rng = np.random.default_rng(3)
    rows = rng.choice(80, 40, replace=False)  # the rows are drawn first, then the shuffles
    expected = _by_hand(model, X[rows], y[rows], 2, rng, lambda m, X_, y_: m.score(X_, y_, sample_weight=w[rows]))
    assert_allclose(result["accuracy"].importances, expected, rtol=1e-12, atol=1e-12)
    assert result["neg_log_loss"].importances.shape == (3, 2)
    with pytest.raises(ValueError, match=r"n_repeats=0 should be >= 1"):
        permutation_importance(model, X, y, n_repeats=0)
    with pytest.raises(ValueError, match=r"max_samples=0.0 should be"):
        permutation_importance(model, X, y, max_samples=0.0)
    with pytest.raises(ValueError, match=r"max_samples=81 gives 81 rows; it should give between 1 and n_samples=80"):
        permutation_importance(model, X, y, max_samples=81)
