"""Extra trees against scikit-learn's: the Extra-Trees rule itself (a threshold drawn uniformly within the node's
range, whatever the feature's number of distinct values; the split feature drawn among those that vary), held-out
scores within a point of scikit-learn's over seeds, isolation scores within scikit-learn's seed-to-seed spread,
and the same forest on every backend as on numpy (the same seed draws the same features and thresholds)."""

import numpy as np
import pytest
from sklearn import ensemble as sk_ensemble
from sklearn import tree as sk_tree
from sklearn.datasets import load_diabetes, load_iris, load_wine
from sklearn.model_selection import train_test_split

import xpml
from xpml.ensemble import ExtraTreesClassifier, ExtraTreesRegressor, IsolationForest
from xpml.tree import ExtraTreeClassifier, ExtraTreeRegressor

TINY_X, TINY_Y = np.array([[0.0], [0.1], [1.0]]), np.array([0.0, 1.0, 2.0])


def ks_distance_to_uniform(u):
    """Kolmogorov-Smirnov's D: the largest distance between the empirical distribution of u and U[0, 1)'s."""
    u, n = np.sort(u), len(u)
    return max(np.max(np.arange(1, n + 1) / n - u), np.max(u - np.arange(n) / n))


def test_the_root_threshold_is_uniform_over_the_node_range():
    """Geurts et al.'s rule: t ~ U[min, max] of the node's values, so a point at 0.1 of the range goes left
    10% of the time, not half of it (as a draw among the cuts between distinct values would send it)."""
    forest = ExtraTreesRegressor(n_estimators=400, max_depth=1, random_state=0, backend="numpy").fit(TINY_X, TINY_Y)
    t = np.array([float(m.tree_.threshold[0]) for m in forest.estimators_])
    assert t.min() >= 0.0 and t.max() < 1.0
    assert abs(np.mean(t < 0.1) - 0.1) < 0.03  # 400 draws: 2 standard errors of 0.015
    grid = np.sort(t)  # the Kolmogorov-Smirnov distance to U[0, 1]: about 0.035 at 400 draws, < 0.1 surely
    assert np.max(np.abs(np.arange(1, 401) / 400 - grid)) < 0.1
    left = forest.apply(TINY_X)  # the leaf of each row in each tree
    np.testing.assert_array_equal(left[0] == left[1], t >= 0.1)  # 0 and 0.1 share a leaf exactly when t >= 0.1


def test_thresholds_are_uniform_in_the_node_range_on_a_feature_of_many_values():
    """1000 exponential values (more distinct values than a histogram has bins, its outer bins wide): the root's
    threshold, and its left child's, scaled to u = (t - min) / (max - min) of the node's own values, are uniform on
    [0, 1), by Kolmogorov-Smirnov over 500 trees (each its own draws). Uniform, sqrt(500) D exceeds 1.95 with
    probability 0.001 (Kolmogorov's distribution): D < 0.087. Thresholds drawn over the training set's bins and
    snapped to a bin's edge gave D = 0.26 at the root (a fifth of the draws on one cut)."""
    rng = np.random.default_rng(0)
    x, y = rng.exponential(size=1000), rng.normal(size=1000)
    forest = ExtraTreesRegressor(n_estimators=500, max_depth=2, random_state=0, backend="numpy").fit(x[:, None], y)
    root, child = [], []
    for tree in (m.tree_ for m in forest.estimators_):
        t, left = tree.threshold[0], tree.children_left[0]
        root.append((t - x.min()) / (x.max() - x.min()))
        if tree.children_left[left] >= 0:  # the left child holds x <= t, and splits unless that is one sample
            x_left = x[x <= t]
            child.append((tree.threshold[left] - x_left.min()) / (x_left.max() - x_left.min()))
    assert len(child) > 450
    for u in (root, child):
        assert min(u) >= 0.0 and max(u) < 1.0
        assert ks_distance_to_uniform(u) < 1.95 / np.sqrt(len(u))


def test_isolation_scores_on_a_feature_of_many_values_agree_with_scikit_learn():
    """The reviewer's data: 3000 points of N(0, I) and four outliers, 200 trees. Two of scikit-learn's forests (seeds
    0 and 1) differ by at most 0.032 in a score, and their bulks' mean scores by 0.001; a forest drawing the same
    thresholds is another draw of the same law: within 1.5 times that spread of scikit-learn's seed 0 (binned draws
    were 0.12 away, their bulk's mean 0.025)."""
    rng = np.random.default_rng(6)
    X = np.r_[rng.normal(size=(3000, 2)), [[8.0, 0.0], [0.0, -9.0], [5.0, 5.0], [12.0, 12.0]]]
    theirs = [sk_ensemble.IsolationForest(n_estimators=200, random_state=s).fit(X).score_samples(X) for s in (0, 1)]
    ours = IsolationForest(n_estimators=200, random_state=0, backend="numpy").fit(X).score_samples(X)
    spread = np.abs(theirs[0] - theirs[1]).max()
    assert np.abs(ours - theirs[0]).max() < 1.5 * spread, (np.abs(ours - theirs[0]).max(), spread)
    assert abs(ours[:3000].mean() - theirs[0][:3000].mean()) < 0.008


def test_a_split_sends_each_side_as_its_threshold_says_and_stays_in_the_node_range():
    """Every split of an extra tree: its threshold lies in [min, max) of its node's values, the left child holds
    the node's samples with x <= threshold, also where a feature has more values than bins (quantile bins)."""
    rng = np.random.default_rng(0)
    X = np.c_[rng.normal(size=600), rng.integers(0, 5, 600), rng.uniform(size=600)]  # 600, 5 and 600 values
    y = X[:, 0] + X[:, 1] + rng.normal(size=600)
    tree = ExtraTreeRegressor(max_depth=6, random_state=1, backend="numpy").fit(X, y)
    t = tree.tree_
    paths = xpml.to_numpy(tree.decision_path(X)).astype(bool)  # (n, nodes)
    for node in np.flatnonzero(t.children_left >= 0):
        x = X[paths[:, node], t.feature[node]]
        assert x.min() <= t.threshold[node] < x.max()
        np.testing.assert_array_equal(paths[paths[:, node], t.children_left[node]], x <= t.threshold[node])


def test_the_split_feature_is_drawn_among_those_that_vary():
    """max_features=1: the root's feature uniform over the features that vary, never a constant one; and a node
    whose only varying feature is one of many still splits on it, as scikit-learn's splitter draws until it
    meets one."""
    rng = np.random.default_rng(0)
    X = np.c_[rng.uniform(size=(60, 3)), np.ones(60)]
    roots = ExtraTreesClassifier(n_estimators=300, max_features=1, max_depth=1, random_state=0, backend="numpy").fit(
        X, X[:, 0] > 0.5).estimators_
    counts = np.bincount([int(m.tree_.feature[0]) for m in roots], minlength=4)
    assert counts[3] == 0 and counts[:3].min() > 75  # about 100 each
    X2, y2 = np.c_[np.zeros(8), np.arange(8.0), np.zeros(8)], np.arange(8) % 2
    for seed in range(5):
        tree = ExtraTreeClassifier(max_features=1, random_state=seed, backend="numpy").fit(X2, y2)
        assert set(tree.tree_.feature[tree.tree_.feature >= 0].tolist()) == {1} and tree.score(X2, y2) == 1.0


def test_one_informative_feature_takes_the_importance_scikit_learn_gives_it():
    """y depends on x_0 alone; max_features=1 draws the split features blindly: the importances of scikit-learn's
    extra trees (the informative feature's about 0.67 there, 0.63 here; 0.02 from seed to seed)."""
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(200, 4))
    y = (X[:, 0] > 0.5).astype(int)
    ours = ExtraTreesClassifier(n_estimators=100, max_features=1, random_state=0, backend="numpy").fit(X, y)
    theirs = sk_ensemble.ExtraTreesClassifier(n_estimators=100, max_features=1, random_state=0).fit(X, y)
    np.testing.assert_allclose(xpml.to_numpy(ours.feature_importances_), theirs.feature_importances_, atol=0.06)
    assert ours.score(X, y) == 1.0  # grown until pure


@pytest.mark.parametrize("loader", [load_iris, load_wine])
def test_classifier_scores_within_a_point_of_scikit_learn(loader):
    """Held-out accuracy, averaged over five splits and seeds (one test sample is 2.6 points of iris's, 2.2 of
    wine's): the forest's and a single tree's."""
    X, y = loader(return_X_y=True)
    ours, theirs = [], []
    for seed in range(5):
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=seed)
        for mine, sk in ((ExtraTreesClassifier(n_estimators=30, random_state=seed, backend="numpy"),
                          sk_ensemble.ExtraTreesClassifier(n_estimators=30, random_state=seed)),
                         (ExtraTreeClassifier(random_state=seed, backend="numpy"),
                          sk_tree.ExtraTreeClassifier(random_state=seed))):
            ours.append(mine.fit(X_train, y_train).score(X_test, y_test))
            theirs.append(sk.fit(X_train, y_train).score(X_test, y_test))
    forest, tree = np.mean(ours[::2]) - np.mean(theirs[::2]), np.mean(ours[1::2]) - np.mean(theirs[1::2])
    assert abs(forest) < 0.015 and abs(tree) < 0.04, (forest, tree)  # a tree alone varies by 5 points a seed


def test_regressor_scores_within_a_point_of_scikit_learn():
    """Held-out R² on diabetes over three splits and seeds; the out-of-bag score with bootstrap=True alike."""
    X, y = load_diabetes(return_X_y=True)
    params = {"n_estimators": 30, "min_samples_leaf": 5}
    ours, theirs = [], []
    for seed in range(3):
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=seed)
        ours.append(ExtraTreesRegressor(**params, random_state=seed, backend="numpy").fit(X_train, y_train))
        theirs.append(sk_ensemble.ExtraTreesRegressor(**params, random_state=seed).fit(X_train, y_train))
        ours[-1], theirs[-1] = ours[-1].score(X_test, y_test), theirs[-1].score(X_test, y_test)
    assert abs(np.mean(ours) - np.mean(theirs)) < 0.015, (ours, theirs)
    oob = ExtraTreesRegressor(**params, bootstrap=True, oob_score=True, random_state=0, backend="numpy").fit(X, y)
    sk_oob = sk_ensemble.ExtraTreesRegressor(**params, bootstrap=True, oob_score=True, random_state=0).fit(X, y)
    assert abs(oob.oob_score_ - sk_oob.oob_score_) < 0.05


def test_defaults_are_scikit_learns():
    """bootstrap=False (every tree on every sample), max_features "sqrt" and 1.0, trees that are extra trees; a
    max_samples without bootstrap is refused, as scikit-learn refuses it."""
    X, y = load_iris(return_X_y=True)
    clf = ExtraTreesClassifier(n_estimators=3, max_depth=2, random_state=0, backend="numpy").fit(X, y)
    reg = ExtraTreesRegressor(n_estimators=3, max_depth=2, random_state=0, backend="numpy").fit(X, X[:, 0])
    assert all(len(s) == 150 for s in clf.estimators_samples_)
    assert [m.tree_.n_node_samples[0] for m in clf.estimators_] == [150] * 3
    assert [m.max_features_ for m in clf.estimators_] == [2] * 3
    assert [m.max_features_ for m in reg.estimators_] == [4] * 3
    assert all(type(m) is ExtraTreeClassifier and m.splitter == "random" for m in [clf.estimator_, *clf.estimators_])
    assert all(type(m) is ExtraTreeRegressor for m in reg.estimators_)
    with pytest.raises(ValueError, match=r"max_samples=0.5 needs bootstrap=True"):
        ExtraTreesClassifier(max_samples=0.5, backend="numpy").fit(X, y)
    with pytest.raises(ValueError, match=r"oob_score=True needs bootstrap=True"):
        ExtraTreesClassifier(oob_score=True, backend="numpy").fit(X, y)


def test_samples_counted_in_blocks_draw_the_same_random_splits(monkeypatch):
    """The left children's sums taken 7 samples at a time, then all at once: the same random splits and
    thresholds (class counts: exact sums either way)."""
    import xpml.tree._random_splits as random_module

    rng = np.random.default_rng(2)
    X = np.c_[rng.normal(size=400), rng.integers(0, 6, 400)]
    y = (X[:, 0] + X[:, 1] > 2).astype(int)
    trees = []
    for rows in (7, 10**9):
        monkeypatch.setattr(random_module, "chunk_rows", lambda *args, rows=rows, **kwargs: rows)
        trees.append(ExtraTreeClassifier(max_features=1, random_state=3, backend="numpy").fit(X, y).tree_)
    assert trees[0].node_count > 20
    for key in ("children_left", "feature", "threshold", "value"):
        np.testing.assert_array_equal(getattr(trees[1], key), getattr(trees[0], key), err_msg=key)


def test_every_backend_grows_numpy_s_forest(backend):
    """The same seed: the same features and thresholds, so the same trees as on numpy."""
    if backend.name == "jax":
        pytest.skip("jax compiles the level step once per data shape; test_common compares its extra trees with "
                    "numpy's, and the uniform-threshold test grows them there")
    X, y = load_wine(return_X_y=True)
    model = ExtraTreesClassifier(n_estimators=6, max_depth=4, random_state=3).fit(X, y)
    reference = ExtraTreesClassifier(n_estimators=6, max_depth=4, random_state=3, backend="numpy").fit(X, y)
    np.testing.assert_allclose(xpml.to_numpy(model.predict_proba(X)), reference.predict_proba(X), rtol=1e-12)
    np.testing.assert_array_equal(xpml.to_numpy(model.apply(X)), reference.apply(X))
