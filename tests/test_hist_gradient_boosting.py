"""HistGradientBoosting against scikit-learn's, on every backend.

xpml bins the features as scikit-learn 1.9 does (the same edges), computes gradients and hessians in
float32 as it does, and grows the same best-first trees, so with the same parameters the fits agree
to rounding. It also sums in scikit-learn's order (histograms in sample order, a node's sums from its
parent's split, the right child of a missing-left cut summed from the top bin), because where a
node's samples all have the same gradient (a pure node) every split "gains" rounding noise of about
1e-15, and only the same rounding picks the same noise (leaves of over 131,072 samples, which count
features by pairs, sum their bins' cells instead: the same sums wherever they are exact, as for a pure
node's equal gradients). So the training loss curves (train_score_)
agree within 1e-9 relative; held-out scores must be at least scikit-learn's minus one point.
Categorical features follow scikit-learn 1.9's rules (categories encoded by their sorted values, set
splits), so with few categories their trees are scikit-learn's too; a warm start equals one longer fit.
"""

import numpy as np
import pytest
from sklearn import ensemble as sk
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_wine,
)
from sklearn.model_selection import train_test_split

import xpml
from xpml.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor


@pytest.fixture(autouse=True, scope="module")
def _scikit_learn_on_one_thread():
    """scikit-learn's OpenMP threads, on two busy cores beside torch's and jax's thread pools, wait on each other
    for seconds per fit; on one thread these small fits take milliseconds."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="openmp"):
        yield


def _data(name):
    load = {"iris": load_iris, "wine": load_wine, "breast_cancer": load_breast_cancer, "digits": load_digits,
            "diabetes": load_diabetes}[name]
    X, y = load(return_X_y=True)
    if name == "digits":
        X, y = X[:200], y[:200]
    return train_test_split(X, y, test_size=0.3, random_state=0)


CASES = {"iris": 5, "diabetes": 5, "wine": 5, "breast_cancer": 5, "digits": 3}  # name: max_iter


@pytest.mark.parametrize("name", list(CASES))
def test_held_out_scores_and_loss_curve_follow_scikit_learns(backend, name):
    if backend.name == "array_api_strict" and name not in ("iris", "diabetes"):
        pytest.skip("array_api_strict runs iris and diabetes (test time); numpy and torch run every dataset")
    X_train, X_test, y_train, y_test = _data(name)
    max_iter = CASES[name]
    # early stopping scored on the training data and never triggered: train_score_ is the training loss curve
    params = {"max_iter": max_iter, "early_stopping": True, "validation_fraction": None, "n_iter_no_change": max_iter + 1,
                  "random_state": 0}
    ours_cls, theirs_cls = ((HistGradientBoostingRegressor, sk.HistGradientBoostingRegressor) if name == "diabetes"
                            else (HistGradientBoostingClassifier, sk.HistGradientBoostingClassifier))
    ours = ours_cls(**params).fit(X_train, y_train)
    theirs = theirs_cls(**params).fit(X_train, y_train)
    assert ours.n_iter_ == theirs.n_iter_ == max_iter
    np.testing.assert_allclose(xpml.to_numpy(ours.train_score_), theirs.train_score_, rtol=1e-9)
    assert ours.score(X_test, y_test) >= theirs.score(X_test, y_test) - 0.01


def _with_holes(X, every=7):
    """X with NaN at every `every`-th entry of its first two columns (the others keep their values)."""
    X = X.copy()
    holes = (np.arange(X.shape[0]) % every == 3)
    X[holes, 0] = np.nan
    X[np.roll(holes, 2), 1] = np.nan
    return X


def test_missing_values_go_where_scikit_learns_go(backend):
    """NaN in training: their own bin, tried on both sides of each split; NaN only at predict (column 2, none at
    fit): to the child that had more samples. Few distinct values: the same trees, hence the same raw predictions."""
    if backend.name == "jax":
        pytest.skip("jax runs test_held_out_scores_and_loss_curve_follow_scikit_learns only (compile time)")
    X, y = load_iris(return_X_y=True)
    X = _with_holes(np.round(X))  # few distinct values: no ties between bins
    params = {"max_iter": 3, "early_stopping": False, "min_samples_leaf": 5}
    ours = HistGradientBoostingClassifier(**params).fit(X, y)
    theirs = sk.HistGradientBoostingClassifier(**params).fit(X, y)
    X_new = X.copy()
    X_new[::5, 2] = np.nan
    np.testing.assert_allclose(xpml.to_numpy(ours.decision_function(X_new)), theirs.decision_function(X_new),
                               rtol=1e-12, atol=1e-12)


def test_routed_and_walked_predictions_reach_the_same_leaves(backend, monkeypatch):
    """Prediction routes rows down the trees on the host (numpy, torch), and elsewhere walks every (row, tree) pair a
    level at a time, each tree only as deep as it is (the deepest first). Both give scikit-learn's raw predictions,
    with trees of several depths, three classes, categorical splits and NaN at predict (a feature that had none at
    fit among them); a table without the trees' depths (as older model files hold it) walks every tree the deepest
    one's depth, to the same leaves."""
    from xpml.ensemble._hist_gradient_boosting import _predictor

    if backend.name == "jax":
        pytest.skip("jax runs test_held_out_scores_and_loss_curve_follow_scikit_learns only (compile time)")
    X, y = _categorical_data()
    labels = np.digitize(y, [-0.5, 1.5])  # three classes: a tree per class and iteration
    X_new = X.copy()
    X_new[::5, 1], X_new[::7, 3], X_new[::11, 1], X_new[::6, 2] = 99.0, -5.0, np.nan, np.nan
    params = {"max_iter": 3, "early_stopping": False, "min_samples_leaf": 5, "categorical_features": [1, 3],
              "max_leaf_nodes": 12}
    ours = HistGradientBoostingClassifier(**params).fit(X, labels)
    theirs = sk.HistGradientBoostingClassifier(**params).fit(X, labels)
    assert len(set(ours._table["depths"])) > 1, ours._table["depths"]  # trees of different depths
    routed = xpml.to_numpy(ours.decision_function(X_new))
    np.testing.assert_allclose(routed, theirs.decision_function(X_new), rtol=1e-12, atol=1e-12)
    staged = [xpml.to_numpy(F) for F in ours.staged_decision_function(X_new)]
    monkeypatch.setattr(_predictor, "_routes", lambda backend: False)
    np.testing.assert_array_equal(xpml.to_numpy(ours.decision_function(X_new)), routed)
    for walked, F in zip(ours.staged_decision_function(X_new), staged, strict=True):
        np.testing.assert_array_equal(xpml.to_numpy(walked), F)
    del ours._table["depths"]
    np.testing.assert_array_equal(xpml.to_numpy(ours.decision_function(X_new)), routed)


def test_leaf_values_set_in_place_equal_their_portable_sum(backend, xp, device, monkeypatch):
    """Each row's leaf value (a fit's step, a routed prediction) is set in place, a leaf's rows at a time, where the
    library can ("set_rows"), and summed by a scatter-add where it cannot (the standard's arrays): the same values."""
    from xpml._backend import capability
    from xpml.ensemble._hist_gradient_boosting import _predictor

    leaf = np.random.default_rng(0).integers(0, 7, size=500)
    leaves = [(xp.asarray(np.flatnonzero(leaf == k), device=device), 0.3 * k - 1.0) for k in range(7)]
    expected = (0.3 * np.arange(7) - 1.0).astype(np.float32)[leaf]
    np.testing.assert_array_equal(xpml.to_numpy(_predictor.spread_leaf_values(xp, leaves, 500, xp.float32)), expected)
    monkeypatch.setattr(_predictor, "capability", lambda b, name: None if name == "set_rows" else capability(b, name))
    np.testing.assert_array_equal(xpml.to_numpy(_predictor.spread_leaf_values(xp, leaves, 500, xp.float32)), expected)


def test_first_tree_equals_scikit_learns_on_few_distinct_values(backend):
    if backend.name == "jax":
        pytest.skip("jax runs test_held_out_scores_and_loss_curve_follow_scikit_learns only (compile time)")
    X, y = load_diabetes(return_X_y=True)
    X = np.round(X * 16) / 4  # a few values a feature
    params = {"max_iter": 1, "early_stopping": False, "max_leaf_nodes": 15, "min_samples_leaf": 10, "l2_regularization": 0.5}
    ours = HistGradientBoostingRegressor(**params).fit(X, y)
    theirs = sk.HistGradientBoostingRegressor(**params).fit(X, y)
    np.testing.assert_allclose(xpml.to_numpy(ours.predict(X)), theirs.predict(X), rtol=1e-12)


@pytest.mark.parametrize("min_samples_leaf, weighted", [(20, False), (40, True)])
def test_bounded_counts_find_the_splits_counts_find(backend, monkeypatch, min_samples_leaf, weighted):
    """Log loss's hessians differ, so a leaf's counts are bounded (H / h_max) rather than counted, and a leaf whose
    bound leaves a cut unsure has that cut's feature (and any other such) counted and is searched again (`_members`).
    With the leaves of at least 100 samples bounded (BOUNDED = 100; by default 2,048), smaller ones counted, and so
    bounded parents of counted children, the fit is still scikit-learn's and the one counts give, and some leaves
    were counted again, some of them for a few features only."""
    if backend.name == "jax":
        pytest.skip("jax keeps its leaves as LeafWindows, whose counts are always counted")
    if weighted and backend.name != "numpy":
        pytest.skip("numpy runs the weighted case (test time); the unweighted one runs on every LeafRows backend")
    from xpml.ensemble._hist_gradient_boosting import _members

    monkeypatch.setattr(_members, "BOUNDED", 100)
    counted = []
    recount = _members.LeafRows.counted
    monkeypatch.setattr(_members.LeafRows, "counted", lambda self, leaf, hist, features: counted.append(features)
                        or recount(self, leaf, hist, features))
    X, y = load_breast_cancer(return_X_y=True)
    w = np.random.default_rng(0).integers(1, 4, size=len(y)) * 1.0 if weighted else None
    params = {"max_iter": 3, "early_stopping": True, "validation_fraction": None, "n_iter_no_change": 4,
              "min_samples_leaf": min_samples_leaf}
    ours = HistGradientBoostingClassifier(**params).fit(X, y, sample_weight=w)
    theirs = sk.HistGradientBoostingClassifier(**params).fit(X, y, sample_weight=w)
    assert counted, "no leaf needed its counts: the test does not reach the search with counts"
    assert min(map(len, counted)) < X.shape[1], "every recount counted every feature"
    # weighted, the libraries round the gradients in different places (test_weights_early_stopping_...)
    np.testing.assert_allclose(xpml.to_numpy(ours.train_score_), theirs.train_score_, rtol=1e-9 if w is None else 0,
                               atol=0 if w is None else 5e-3)
    unbounded = HistGradientBoostingClassifier(**params)
    monkeypatch.setattr(_members, "BOUNDED", np.inf)
    unbounded.fit(X, y, sample_weight=w)
    np.testing.assert_array_equal(xpml.to_numpy(ours.decision_function(X)),
                                  xpml.to_numpy(unbounded.decision_function(X)))


@pytest.mark.parametrize("name", ["wine", "diabetes"])
def test_pairs_of_features_count_as_features_do(backend, monkeypatch, name):
    """Where counts into B² bins cost what counts into B do (numpy), a leaf of at least PAIRED samples (by default
    131,072) counts its features two at a time, a·B + b over B² bins, and sums each pair's bins down to its two
    features' (`_members.feature_pairs`). With PAIRED = 32, on wine (13 features: the last one alone; log loss,
    bounded counts) and diabetes (squared error: one hessian, counted counts; its pair codes as int32, as a fit's
    beyond PAIR_BYTES keeps them, where wine's are int64), the fit is still scikit-learn's and the one single
    features give."""
    from xpml._backend import capability
    from xpml.ensemble._hist_gradient_boosting import _members

    if not capability(backend, "bincount_wide"):
        pytest.skip(f"{backend.name} counts a feature at a time (no capability bincount_wide)")

    X_train, _, y_train, _ = _data(name)
    params = {"max_iter": 5, "early_stopping": True, "validation_fraction": None, "n_iter_no_change": 6,
              "min_samples_leaf": 5}
    ours_cls, theirs_cls = ((HistGradientBoostingRegressor, sk.HistGradientBoostingRegressor) if name == "diabetes"
                            else (HistGradientBoostingClassifier, sk.HistGradientBoostingClassifier))
    pairs = []
    feature_pairs = _members.feature_pairs
    monkeypatch.setattr(_members, "feature_pairs", lambda *a: pairs.append(1) or feature_pairs(*a))
    monkeypatch.setattr(_members, "PAIRED", 32)
    monkeypatch.setattr(_members, "PAIR_BYTES", 0 if name == "diabetes" else _members.PAIR_BYTES)
    ours = ours_cls(**params).fit(X_train, y_train)
    assert pairs, "no leaf counted its features by pairs: the test does not reach them"
    theirs = theirs_cls(**params).fit(X_train, y_train)
    np.testing.assert_allclose(xpml.to_numpy(ours.train_score_), theirs.train_score_, rtol=1e-9)
    monkeypatch.setattr(_members, "PAIRED", np.inf)
    singles = ours_cls(**params).fit(X_train, y_train)
    predict = (lambda m: m.predict(X_train)) if name == "diabetes" else (lambda m: m.decision_function(X_train))
    np.testing.assert_allclose(xpml.to_numpy(predict(ours)), xpml.to_numpy(predict(singles)), rtol=1e-12, atol=1e-12)


def test_regression_losses_follow_scikit_learn():
    X, y = load_diabetes(return_X_y=True)
    X = np.round(X * 16) / 4
    for loss, extra in [("absolute_error", {}), ("quantile", {"quantile": 0.8}), ("poisson", {}), ("gamma", {})]:
        params = dict(loss=loss, max_iter=3, early_stopping=True, validation_fraction=None, n_iter_no_change=5,
                      **extra)
        ours = HistGradientBoostingRegressor(**params, backend="numpy").fit(X, y)
        theirs = sk.HistGradientBoostingRegressor(**params).fit(X, y)
        np.testing.assert_allclose(ours.train_score_, theirs.train_score_, rtol=1e-9, err_msg=loss)
        np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-9, err_msg=loss)


def test_quantile_leaves_on_jax_equal_numpys():
    """jax keeps each leaf's samples as a run of one permutation (`LeafWindows`): quantile leaves (and median ones,
    the same code) read their samples from there, and give numpy's model."""
    pytest.importorskip("jax")  # in float64 (tests/conftest.py)
    X, y = load_diabetes(return_X_y=True)
    X, y = np.round(X[:200] * 16) / 4, y[:200]
    params = dict(loss="quantile", quantile=0.8, max_iter=1, max_leaf_nodes=7, early_stopping=False)
    ours = HistGradientBoostingRegressor(**params, backend="jax").fit(X, y)
    reference = HistGradientBoostingRegressor(**params, backend="numpy").fit(X, y)
    np.testing.assert_allclose(xpml.to_numpy(ours.predict(X)), reference.predict(X), rtol=1e-12)


def test_weights_early_stopping_and_staged_predictions():
    """Against scikit-learn with sample and class weights: the same stopping iteration, and training losses within
    0.005: xpml rounds the gradients to float32 before weighting them (so that a weight of 2 sums exactly as a
    repeated sample; scikit-learn rounds after), and in weighted pure nodes, where every split gains rounding
    noise, the two libraries may then split differently."""
    X, y = load_wine(return_X_y=True)
    X = np.round(X, 1)
    w = np.random.default_rng(0).integers(1, 4, size=len(y))
    params = {"max_iter": 60, "early_stopping": True, "validation_fraction": None, "n_iter_no_change": 3, "tol": 1e-3,
                  "learning_rate": 0.3}
    balanced = HistGradientBoostingClassifier(**params, class_weight="balanced", backend="numpy").fit(X, y, w * 1.0)
    theirs = sk.HistGradientBoostingClassifier(**params, class_weight="balanced").fit(X, y, sample_weight=w * 1.0)
    assert balanced.n_iter_ == theirs.n_iter_ < 60  # stopped at the same iteration
    np.testing.assert_allclose(balanced.train_score_, theirs.train_score_, rtol=0, atol=5e-3)
    staged = list(balanced.staged_predict_proba(X))
    assert len(staged) == balanced.n_iter_
    np.testing.assert_allclose(staged[-1], balanced.predict_proba(X), rtol=1e-12)
    np.testing.assert_array_equal(list(balanced.staged_predict(X))[-1], balanced.predict(X))


def test_binary_decision_function_validation_set_and_accuracy_scoring():
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_val, y_train, y_val = train_test_split(X[:, :8], y, random_state=0)
    params = {"max_iter": 3, "early_stopping": True, "min_samples_leaf": 10}
    ours = HistGradientBoostingClassifier(**params, backend="numpy").fit(X_train, y_train, X_val=X_val, y_val=y_val)
    theirs = sk.HistGradientBoostingClassifier(**params).fit(X_train, y_train, X_val=X_val, y_val=y_val)
    np.testing.assert_allclose(ours.validation_score_, theirs.validation_score_, rtol=1e-9)
    assert ours.decision_function(X_val).shape == (len(y_val),)
    params = {"max_iter": 20, "scoring": None, "early_stopping": True, "validation_fraction": None,
              "n_iter_no_change": 2, "tol": 1e-3}  # early stopping on the training accuracy
    ours = HistGradientBoostingClassifier(**params, backend="numpy").fit(X_train, y_train)
    theirs = sk.HistGradientBoostingClassifier(**params).fit(X_train, y_train)
    assert ours.n_iter_ == theirs.n_iter_ < 20
    np.testing.assert_allclose(ours.train_score_, theirs.train_score_)
    np.testing.assert_allclose(ours.predict_proba(X_val)[:, 1], 1 / (1 + np.exp(-ours.decision_function(X_val))))


def _categorical_data(n=400, seed=0):
    """Two categorical columns (6 and 4 categories, codes of any sign), two numeric ones with few values, NaN among
    the categories; a target driven mostly by the categories."""
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, 6, n), rng.integers(0, 4, n)
    X = np.stack([np.round(rng.normal(size=n), 1), a * 10.0 - 20, rng.integers(0, 5, n) * 1.0, b * 1.0], axis=1)
    y = np.array([0.0, 2.0, -1.0, 3.5, 0.5, -2.5])[a] + np.array([1.0, -1.5, 0.0, 2.5])[b] + X[:, 0]
    X[::9, 1], X[::13, 3] = np.nan, np.nan
    return X, y + 0.3 * rng.normal(size=n)


def test_categorical_splits_equal_scikit_learns(backend):
    """Categories sorted by G / (H + 10), scanned both ways, set splits: the same trees as scikit-learn's, so the
    same predictions to rounding, with NaN and unseen categories (-5, 99) at predict going the missing values' way.
    Held out, a categorical model scores at least scikit-learn's minus one point, and better than without them."""
    X, y = _categorical_data()
    X_new = X.copy()
    X_new[::5, 1], X_new[::7, 3], X_new[::11, 1] = 99.0, -5.0, np.nan
    params = {"max_iter": 3, "early_stopping": False, "min_samples_leaf": 10, "categorical_features": [1, 3]}
    ours = HistGradientBoostingRegressor(**params).fit(X, y)
    theirs = sk.HistGradientBoostingRegressor(**params).fit(X, y)
    np.testing.assert_allclose(xpml.to_numpy(ours.predict(X_new)), theirs.predict(X_new), rtol=1e-12, atol=1e-12)
    assert xpml.to_numpy(ours.is_categorical_).tolist() == [False, True, False, True]
    if backend.name in ("jax", "array_api_strict"):
        return  # (test time) the regressor's trees cover the code; numpy and torch also run the classifier
    labels = np.digitize(y, [-0.5, 1.5])  # three classes: a tree per class and iteration
    params.update(max_iter=2, learning_rate=0.5)
    ours = HistGradientBoostingClassifier(**params).fit(X, labels)
    theirs = sk.HistGradientBoostingClassifier(**params).fit(X, labels)
    np.testing.assert_allclose(xpml.to_numpy(ours.decision_function(X_new)), theirs.decision_function(X_new),
                               rtol=1e-12, atol=1e-12)
    X_test, y_test = _categorical_data(seed=1)
    params = {"max_iter": 30, "categorical_features": [1, 3], "random_state": 0}
    ours = HistGradientBoostingRegressor(**params).fit(X, y)
    theirs = sk.HistGradientBoostingRegressor(**params).fit(X, y)
    plain = HistGradientBoostingRegressor(**{**params, "categorical_features": None}).fit(X, y)
    assert ours.score(X_test, y_test) >= theirs.score(X_test, y_test) - 0.01
    assert ours.score(X_test, y_test) > plain.score(X_test, y_test)


def test_categorical_features_of_data_frames_and_their_errors(tmp_path):
    """pandas category columns (strings) by dtype, by name, and a numpy table of strings; a category unseen at fit is
    a missing value. A model
    with categorical splits saves and loads as arrays. The errors name the feature, as scikit-learn's."""
    pd = pytest.importorskip("pandas")
    X, y = _categorical_data(n=300)
    names = np.array(["red", "green", "blue", "black", "white", "pink"])
    frame = pd.DataFrame({"x": X[:, 0], "colour": pd.Categorical(names[np.nan_to_num(X[:, 1] / 10 + 2).astype(int)]),
                          "k": X[:, 2]})
    frame.loc[::9, "colour"] = np.nan
    new = frame.copy()
    new["colour"] = new["colour"].cat.add_categories(["grey"])
    new.loc[::4, "colour"] = "grey"
    params = {"max_iter": 3, "early_stopping": False, "min_samples_leaf": 10}
    for extra in ({}, {"categorical_features": ["colour", "k"]}):
        ours = HistGradientBoostingRegressor(**params, **extra).fit(frame, y)
        theirs = sk.HistGradientBoostingRegressor(**params, **extra).fit(frame, y)
        np.testing.assert_allclose(ours.predict(new), theirs.predict(new), rtol=1e-12, atol=1e-12)
    table = frame.to_numpy(dtype=object)  # a numpy table of objects: strings in its categorical column
    ours = HistGradientBoostingRegressor(**params, categorical_features=[1]).fit(table, y)
    theirs = sk.HistGradientBoostingRegressor(**params, categorical_features=[1]).fit(table, y)
    np.testing.assert_allclose(ours.predict(new.to_numpy(dtype=object)), theirs.predict(new.to_numpy(dtype=object)),
                               rtol=1e-12, atol=1e-12)
    with pytest.raises(TypeError, match=r"X's feature 1 holds values that are not numbers .* only categorical"):
        HistGradientBoostingRegressor(categorical_features=[0]).fit(table, y)
    from xpml.io import load, save

    model = HistGradientBoostingRegressor(**params, categorical_features=[1, 3]).fit(X, y)
    save(model, tmp_path / "m.xpml")
    np.testing.assert_allclose(load(tmp_path / "m.xpml").predict(X), model.predict(X), rtol=1e-12)
    with pytest.raises(ValueError, match=r"categorical_features has an item value 'color' which is not a valid feature"):
        HistGradientBoostingRegressor(categorical_features=["color"]).fit(frame, y)
    with pytest.raises(ValueError, match=r"as integer indices must be in \[0, n_features - 1\] = \[0, 2\]; got \[3\]"):
        HistGradientBoostingRegressor(categorical_features=[3]).fit(frame, y)
    with pytest.raises(ValueError, match=r"passed as an array of integers or as a boolean mask when the model is fitted "
                                         r"on data without feature names"):
        HistGradientBoostingRegressor(categorical_features=["x"]).fit(X, y)
    many = np.arange(300.0)[:, None]
    with pytest.raises(ValueError, match=r"Categorical feature at index 0 is expected to have a cardinality <= 255 but "
                                         r"actually has a cardinality of 300"):
        HistGradientBoostingRegressor(categorical_features=[True]).fit(many, y)


def test_warm_start_adds_iterations_as_one_longer_fit_would(backend):
    """fit(max_iter=3) then set_params(max_iter=6).fit: the same trees as fit(max_iter=6), the draws of the features
    and the validation split included; scikit-learn's checks on max_iter and on the data."""
    if backend.name == "jax":
        pytest.skip("jax runs test_held_out_scores_and_loss_curve_follow_scikit_learns only (compile time)")
    X, y = load_iris(return_X_y=True)
    params = {"early_stopping": True, "validation_fraction": 0.2, "n_iter_no_change": 10, "max_features": 0.5,
              "random_state": 0}
    warm = HistGradientBoostingClassifier(max_iter=3, warm_start=True, **params).fit(X, y)
    warm.set_params(max_iter=6).fit(X, y)
    once = HistGradientBoostingClassifier(max_iter=6, **params).fit(X, y)
    assert warm.n_iter_ == once.n_iter_ == 6
    np.testing.assert_allclose(xpml.to_numpy(warm.decision_function(X)), xpml.to_numpy(once.decision_function(X)),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(xpml.to_numpy(warm.validation_score_), xpml.to_numpy(once.validation_score_), rtol=1e-12)
    theirs = sk.HistGradientBoostingClassifier(max_iter=3, warm_start=True, **params).fit(X, y)
    assert warm.train_score_.shape[0] == theirs.set_params(max_iter=6).fit(X, y).train_score_.shape[0] == 7
    with pytest.raises(ValueError, match=r"max_iter=2 must be larger than or equal to n_iter_=6 when warm_start==True"):
        warm.set_params(max_iter=2).fit(X, y)
    with pytest.raises(ValueError, match=r"warm_start=True goes on from a fit on data of .* = \(4, 3, None\); got "
                                         r"\(3, 3, None\)"):
        warm.set_params(max_iter=8).fit(X[:, :3], y)
