"""IsolationForest against its closed forms and scikit-learn's: c(n), the exact expected path length on tiny data,
scores that are the path-length formula over the fitted trees, the contamination's offset, detection as good as
scikit-learn's, and the same forest on every backend as on numpy."""

import math

import numpy as np
import pytest
from sklearn import ensemble as sk_ensemble
from sklearn.datasets import make_blobs
from sklearn.metrics import roc_auc_score

import xpml
from xpml.ensemble import IsolationForest
from xpml.ensemble._iforest import average_path_length
from xpml.tree import ExtraTreeRegressor

EULER = 0.5772156649015329


def c_closed_form(n):
    """Liu et al.'s c(n) = 2 H(n - 1) - 2 (n - 1) / n, H(i) taken as ln(i) + γ; c(2) = 1, c(1) = 0."""
    return 0.0 if n <= 1 else 1.0 if n == 2 else 2 * (math.log(n - 1) + EULER) - 2 * (n - 1) / n


def blobs_with_outliers(seed=0):
    """300 points in three blobs and 30 spread uniformly over a box around them: (X (330, 2), 1 for an outlier)."""
    X, _ = make_blobs(n_samples=300, centers=3, random_state=seed)
    outliers = np.random.default_rng(seed).uniform(-12, 12, size=(30, 2))
    return np.vstack([X, outliers]), np.r_[np.zeros(300), np.ones(30)]


def test_average_path_length_is_the_closed_form(xp, device):
    n = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 10.0, 256.0, 1e6])
    got = xpml.to_numpy(average_path_length(xp.asarray(n, device=device), xp=xp))
    np.testing.assert_allclose(got, [c_closed_form(v) for v in n], rtol=1e-14)
    # and the exact expected length of an unsuccessful search, with the true harmonic numbers: within 1 / (n - 1)
    for m in (3, 10, 256):
        exact = 2 * sum(1 / i for i in range(1, m)) - 2 * (m - 1) / m
        assert abs(got[n.tolist().index(m)] - exact) < 1 / (m - 1)


# the trees compile once per data shape on jax (seconds each): its fits are compared with numpy's in test_common
NOT_ON_JAX = "jax compiles each level of the trees once per data shape; test_common compares its forests with numpy's"
LINE = np.array([[0.0], [1.0], [3.0], [5.0]])  # three training points on a line, and one beyond them


def test_path_lengths_on_tiny_data(backend, xp, device):
    """Three points on a line, 0, 1 and 3: trees of depth ceil(log2 3) = 2. The first cut separates 0 or 3, so 1 is
    isolated at depth 2 in every tree, and a point beyond 3 shares 3's leaf in every tree. Two points: each tree
    isolates both at once, h = 1 = c(2), and the score is -0.5 everywhere."""
    if backend.name == "jax":
        pytest.skip(NOT_ON_JAX)
    forest = IsolationForest(n_estimators=10, random_state=0).fit(xp.asarray(LINE[:3], device=device))
    h = -np.log2(-xpml.to_numpy(forest.score_samples(xp.asarray(LINE, device=device)))) * c_closed_form(3)
    assert h[1] == pytest.approx(2.0, abs=1e-12) and h[3] == pytest.approx(h[2], abs=1e-12)
    assert forest.max_samples_ == 3 and all(m.get_depth() == 2 for m in forest.estimators_)
    two = IsolationForest(n_estimators=5, random_state=0).fit(xp.asarray(LINE[:2], device=device))
    np.testing.assert_allclose(xpml.to_numpy(two.score_samples(xp.asarray(LINE, device=device))), -0.5, rtol=1e-15)
    assert two.offset_ == -0.5 and xpml.to_numpy(two.predict(xp.asarray(LINE, device=device))).tolist() == [1] * 4


def test_mean_path_lengths_are_the_expected_ones():
    """The first cut of [0, 3] falls below 1 with probability 1/3 (a uniform threshold): 0 is then isolated at depth
    1, else at 2 (expected 1 + 2/3); 3 the other way round (1 + 1/3). 1000 trees: a standard error of
    sqrt((1/3)(2/3) / 1000) = 0.015 on each mean path length (a cut drawn among the gaps between values, not
    uniform, would give 1.5 to both)."""
    forest = IsolationForest(n_estimators=1000, random_state=0, backend="numpy").fit(LINE[:3])
    h = -np.log2(-forest.score_samples(LINE)) * c_closed_form(3)
    assert abs(h[0] - 5 / 3) < 0.05 and abs(h[2] - 4 / 3) < 0.05 and h[1] == pytest.approx(2.0, abs=1e-12)


def test_scores_are_the_path_length_formula_over_the_fitted_trees():
    """score_samples = -2^(-mean h / c(max_samples_)), h = a leaf's depth + c(its training samples), read from each
    tree's own arrays (`decision_path`, `n_node_samples`) on its features: scikit-learn's definition; and every tree
    stops at depth ceil(log2(max_samples_))."""
    X, _ = blobs_with_outliers()
    X = np.c_[X, X[:, 0] - X[:, 1]]  # three features, two a tree
    forest = IsolationForest(n_estimators=20, max_samples=100, max_features=2, random_state=0,
                             backend="numpy").fit(X)
    total = np.zeros(len(X))
    for tree, features in zip(forest.estimators_, forest.estimators_features_):
        assert isinstance(tree, ExtraTreeRegressor) and tree.n_features_in_ == 2 and tree.get_depth() <= 7
        paths = tree.decision_path(X[:, features])  # (n, nodes)
        leaves = tree.apply(X[:, features])
        n_leaf = tree.tree_.n_node_samples[leaves]
        total += paths.sum(axis=1) - 1 + np.array([c_closed_form(m) for m in n_leaf])
    expected = -(2.0 ** (-total / (20 * c_closed_form(100))))
    np.testing.assert_allclose(forest.score_samples(X), expected, rtol=1e-12)
    np.testing.assert_allclose(forest.decision_function(X), expected + 0.5, rtol=1e-12)


def test_outliers_planted_in_blobs_are_found_as_scikit_learn_finds_them():
    """ROC AUC of -score_samples against the planted outliers, three seeds of 50 trees: scikit-learn's about 0.98."""
    ours, theirs = [], []
    for seed in range(3):
        X, is_outlier = blobs_with_outliers(seed)
        ours.append(roc_auc_score(is_outlier, -IsolationForest(n_estimators=50, random_state=seed, backend="numpy")
                                  .fit(X).score_samples(X)))
        theirs.append(roc_auc_score(is_outlier, -sk_ensemble.IsolationForest(n_estimators=50, random_state=seed)
                                    .fit(X).score_samples(X)))
    assert np.mean(ours) > np.mean(theirs) - 0.01 and np.mean(ours) > 0.95, (ours, theirs)


def test_contamination_sets_the_share_of_training_outliers():
    X, _ = blobs_with_outliers()
    forest = IsolationForest(n_estimators=50, contamination=0.1, random_state=0, backend="numpy").fit(X)
    scores = forest.score_samples(X)
    assert float(forest.offset_) == pytest.approx(np.percentile(scores, 10), abs=1e-15)
    assert np.mean(forest.predict(X) == -1) == pytest.approx(0.1, abs=1 / len(X))
    np.testing.assert_array_equal(forest.fit_predict(X), forest.predict(X))
    auto = IsolationForest(n_estimators=50, random_state=0, backend="numpy").fit(X)
    assert auto.offset_ == -0.5
    np.testing.assert_array_equal(auto.predict(X), np.where(auto.score_samples(X) < -0.5, -1, 1))
    with pytest.raises(ValueError, match=r"contamination=0.6 should be"):
        IsolationForest(contamination=0.6, backend="numpy").fit(X)


def test_samples_and_features_each_tree_draws():
    """max_samples ("auto", an int, a float), drawn without replacement unless bootstrap; max_features; weights
    of zero are never drawn."""
    X, _ = blobs_with_outliers()
    auto = IsolationForest(n_estimators=4, random_state=0, backend="numpy").fit(X)
    assert auto.max_samples_ == 256 and all(len(set(s.tolist())) == 256 for s in auto.estimators_samples_)
    assert [int(m.tree_.n_node_samples[0]) for m in auto.estimators_] == [256] * 4
    assert IsolationForest(max_samples=0.5, n_estimators=2, backend="numpy").fit(X).max_samples_ == 165
    with pytest.warns(UserWarning, match=r"max_samples=1000 is greater than the number of samples"):
        assert IsolationForest(max_samples=1000, n_estimators=2, backend="numpy").fit(X).max_samples_ == 330
    boot = IsolationForest(n_estimators=4, bootstrap=True, random_state=0, backend="numpy").fit(X)
    distinct = [len(set(s.tolist())) for s in boot.estimators_samples_]
    assert all(len(s) == 256 for s in boot.estimators_samples_) and max(distinct) < 256
    assert [int(m.tree_.n_node_samples[0]) for m in boot.estimators_] == distinct
    sub = IsolationForest(n_estimators=4, max_features=1, random_state=0, backend="numpy").fit(X)
    assert [len(f) for f in sub.estimators_features_] == [1] * 4
    assert all(set(m.tree_.feature.tolist()) <= {0, -2} for m in sub.estimators_)
    w = np.r_[np.ones(300), np.zeros(30)]
    weighted = IsolationForest(n_estimators=4, max_samples=100, random_state=0, backend="numpy").fit(X, sample_weight=w)
    assert max(int(s.max()) for s in weighted.estimators_samples_) < 300


def test_warm_start_adds_trees():
    X, _ = blobs_with_outliers()
    forest = IsolationForest(n_estimators=3, warm_start=True, random_state=0, backend="numpy").fit(X)
    first = list(forest.estimators_)
    forest.set_params(n_estimators=5).fit(X)
    assert len(forest.estimators_) == 5 and forest.estimators_[:3] == first and len(forest.estimators_samples_) == 5
    with pytest.warns(UserWarning, match=r"does not fit new trees"):
        forest.fit(X)
    with pytest.raises(ValueError, match=r"n_estimators=2 should be >= len\(estimators_\)=5"):
        forest.set_params(n_estimators=2).fit(X)


def test_every_backend_grows_numpy_s_forest(backend, xp, device):
    """The same seed: the same samples, features and thresholds, so the same scores as on numpy."""
    if backend.name == "jax":
        pytest.skip(NOT_ON_JAX)
    X, _ = blobs_with_outliers()
    ours = IsolationForest(n_estimators=10, max_samples=64, contamination=0.05, random_state=0)
    labels = xpml.to_numpy(ours.fit_predict(xp.asarray(X, device=device)))
    reference = IsolationForest(n_estimators=10, max_samples=64, contamination=0.05, random_state=0,
                                backend="numpy").fit(X)
    np.testing.assert_allclose(xpml.to_numpy(ours.score_samples(X)), reference.score_samples(X), rtol=1e-12)
    np.testing.assert_array_equal(labels, reference.predict(X))
