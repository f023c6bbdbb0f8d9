"""Random forests against scikit-learn's: held-out scores within one point, out-of-bag scores close, and the
same forest on every backend as on numpy (the same seed draws the same bootstrap samples and features)."""

import numpy as np
import pytest
from sklearn import ensemble as sk_ensemble
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine
from sklearn.model_selection import train_test_split

import xpml
from xpml.ensemble import RandomForestClassifier, RandomForestRegressor


@pytest.mark.parametrize("loader", [load_iris, load_wine, load_breast_cancer])
def test_classifier_scores_within_a_point_of_scikit_learn(loader):
    X, y = loader(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    ours = RandomForestClassifier(n_estimators=40, oob_score=True, random_state=0, backend="numpy").fit(X_train, y_train)
    theirs = sk_ensemble.RandomForestClassifier(n_estimators=40, oob_score=True, random_state=0).fit(X_train, y_train)
    assert ours.score(X_test, y_test) >= theirs.score(X_test, y_test) - 0.01
    # the two forests draw different bootstrap samples: on wine's 133 training rows one sample is 0.75 points
    # of out-of-bag accuracy, and the two scores differ by about 2 standard errors at most
    assert abs(ours.oob_score_ - theirs.oob_score_) < 0.05
    proba = xpml.to_numpy(ours.predict_proba(X_test))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    importances = xpml.to_numpy(ours.feature_importances_)
    # two random forests rank correlated features differently (scikit-learn against itself, seeds 1 and 5: 0.88)
    assert abs(importances.sum() - 1) < 1e-12 and np.corrcoef(importances, theirs.feature_importances_)[0, 1] > 0.5


def test_regressor_scores_within_a_point_of_scikit_learn():
    """R² on diabetes' 111 test rows moves by about 0.05 from seed to seed: the mean over three seeds is compared."""
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    params = {"n_estimators": 30, "min_samples_leaf": 5}
    ours = [RandomForestRegressor(**params, oob_score=True, random_state=s, backend="numpy").fit(X_train, y_train)
            for s in range(3)]
    theirs = [sk_ensemble.RandomForestRegressor(**params, oob_score=True, random_state=s).fit(X_train, y_train)
              for s in range(3)]
    assert np.mean([m.score(X_test, y_test) for m in ours]) >= np.mean([m.score(X_test, y_test) for m in theirs]) - 0.01
    assert abs(np.mean([m.oob_score_ for m in ours]) - np.mean([m.oob_score_ for m in theirs])) < 0.05


def test_every_backend_grows_numpy_s_forest(backend):
    """The same seed: the same bootstrap counts and feature draws, so the same trees as on numpy."""
    if backend.name == "jax":
        pytest.skip("jax compiles the level step once per data shape (4 to 6 s here); test_common compares its "
                    "forests with numpy's")
    X, y = load_wine(return_X_y=True)
    X = np.round(X)
    model = RandomForestClassifier(n_estimators=6, max_samples=0.5, random_state=3).fit(X, y)
    reference = RandomForestClassifier(n_estimators=6, max_samples=0.5, random_state=3, backend="numpy").fit(X, y)
    np.testing.assert_allclose(xpml.to_numpy(model.predict_proba(X)), reference.predict_proba(X), rtol=1e-12)
    np.testing.assert_array_equal(xpml.to_numpy(model.apply(X)), reference.apply(X))


def test_bootstrap_counts_and_out_of_bag_rows():
    X, y = load_iris(return_X_y=True)
    model = RandomForestClassifier(n_estimators=3, max_samples=40, random_state=0, backend="numpy")
    model.fit(X, y)
    counts = xpml.to_numpy(model._bootstrap_counts(np.random.default_rng(0), len(y)))
    assert counts.shape == (3, 150) and (counts.sum(axis=1) == 40).all()
    in_bag = [int(c) for c in (counts > 0).sum(axis=1)]
    assert [int(t.tree_.n_node_samples[0]) for t in model.estimators_] == in_bag
    assert [len(s) for s in model.estimators_samples_] == in_bag
    with pytest.raises(ValueError, match=r"max_samples=200 should be <= n_samples=150"):
        RandomForestClassifier(max_samples=200, backend="numpy").fit(X, y)


def test_forest_log_probabilities_are_the_log_of_its_probabilities(backend, xp, device):
    """predict_log_proba: log of the averaged class shares, -inf (without a warning) for a class no leaf holds."""
    import warnings

    X, y = load_iris(return_X_y=True)
    forest = RandomForestClassifier(10, max_depth=3, random_state=0).fit(xp.asarray(X, device=device), y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log_proba = xpml.to_numpy(forest.predict_log_proba(xp.asarray(X, device=device)))
    proba = xpml.to_numpy(forest.predict_proba(X))
    assert (proba == 0).any() and np.array_equal(np.isneginf(log_proba), proba == 0)
    np.testing.assert_allclose(np.exp(log_proba[proba > 0]), proba[proba > 0], rtol=1e-12)


def test_forest_decision_path_puts_the_trees_paths_side_by_side(backend, xp, device):
    """decision_path: (indicator, n_nodes_ptr) as scikit-learn's; tree t's columns are its own decision_path,
    and each row's path there ends at the leaf `apply` gives."""
    X, y = load_iris(return_X_y=True)
    X_b = xp.asarray(X, device=device)
    forest = RandomForestClassifier(4, max_depth=3, random_state=0).fit(X_b, y)
    indicator, ptr = forest.decision_path(X_b)
    indicator, leaves = xpml.to_numpy(indicator), xpml.to_numpy(forest.apply(X_b))
    assert isinstance(ptr, np.ndarray) and ptr.tolist()[0] == 0 and ptr[-1] == indicator.shape[1]
    assert indicator.shape[0] == len(X)
    for t, tree in enumerate(forest.estimators_):
        own = xpml.to_numpy(tree.decision_path(X_b))
        np.testing.assert_array_equal(indicator[:, ptr[t]:ptr[t + 1]], own)
        deepest = own.shape[1] - 1 - np.argmax(own[:, ::-1], axis=1)  # a child is numbered after its parent
        np.testing.assert_array_equal(deepest, leaves[:, t])
