"""GradientBoostingClassifier and GradientBoostingRegressor against scikit-learn's.

On continuous data (every value a float32, as scikit-learn's trees read X, and at most 256 distinct
values a feature, so that xpml's binned trees are exact) without ties between candidate splits, the
trees are scikit-learn's: the same splits, leaf values (the losses' steps), training losses and
predictions, stage by stage, to 1e-10. Ties are what the data must avoid, and gradient boosting makes
them: gradients of a few values (the absolute and quantile losses' ±1, every classifier's first
stage) give splits of different samples equal scores, which weights of a few eighths (exact sums, all
different) separate; a split that cuts off the same few samples by two features ties whatever the
gradients (min_samples_leaf=3 makes them rare); and where a node's gradients are all equal, scikit-
learn splits it on rounding noise (its children's sums are differences of running sums), which exact
sums avoid. scikit-learn breaks ties by a random order of the features; these data, seed 3 of
`_data`, have none. With subsample < 1 the draws differ from scikit-learn's: there the held-out
scores agree within a point. Early stopping is checked against scikit-learn fitted on the same training
part, its held-out losses run through the stopping rule.
"""

import numpy as np
import pytest
from sklearn import ensemble as sk
from sklearn import tree as sk_tree
from sklearn.datasets import load_iris, load_wine
from sklearn.model_selection import train_test_split

import xpml
from tests.helpers import assert_allclose
from xpml.ensemble import GradientBoostingClassifier, GradientBoostingRegressor
from xpml.tree import DecisionTreeClassifier, DecisionTreeRegressor
from xpml.utils._holdout import holdout_split

_JAX_SHAPES = ("jax compiles the trees' level step once per data shape (about 10 s): it runs the huber regression "
               "on the (120, 4) data, and test_common compares its fits of the recipes with numpy's")
_JAX_LEAVES = ("jax runs the huber regression (its trees compile once per data shape and rules, about 10 s) and "
               "test_common's recipes (multiclass Newton steps); the steps here are the same array code")


def _data(seed=3, n=120):
    """(X, y, X_test, weights in eighths, labels in 3 classes): X of float32 values, n × 4."""
    rng = np.random.default_rng(seed)
    X = rng.random((n + 40, 4)).astype(np.float32).astype(np.float64)
    y = 3 * X[:, 0] + np.sin(5 * X[:, 1]) + rng.normal(0, 0.3, n + 40)
    labels = np.digitize(X[:, 0] + 0.3 * X[:, 2] + rng.normal(0, 0.1, n + 40), [0.5, 0.9])
    return X[:n], y[:n], X[n:], rng.integers(4, 17, n) / 8, labels[:n]


def assert_same_stages(ours, theirs, *data):
    """Every tree: splits, thresholds and node values (the leaves' steps) equal; and each tree's values for the
    rows of `data`. A node whose gradients are all equal may split on rounding noise (its sums' last bits, which
    the backends' sums differ in): there the trees differ by such splits, of children with equal steps, and only
    their values are compared."""
    assert ours.estimators_.shape == theirs.estimators_.shape
    noise = 0
    for (i, k), mine in np.ndenumerate(ours.estimators_):
        a, b, where = mine.tree_, theirs.estimators_[i, k].tree_, f"stage {i}, tree {k}"
        for X in data:
            assert_allclose(mine.predict(X), theirs.estimators_[i, k].predict(X), rtol=1e-10, atol=1e-13,
                            err_msg=where)
        if a.node_count != b.node_count:
            noise += 1
            continue
        np.testing.assert_array_equal(xpml.to_numpy(a.feature), b.feature, err_msg=where)
        assert_allclose(a.threshold, b.threshold, rtol=1e-15, err_msg=where)
        assert_allclose(a.value, b.value, rtol=1e-10, atol=1e-13, err_msg=where)
    assert noise <= ours.estimators_.size // 8


@pytest.mark.parametrize("loss", ["huber", "squared_error", "absolute_error", "quantile"])
def test_regression_losses_equal_scikit_learns_trees_stage_by_stage(backend, loss):
    if backend.name == "array_api_strict" and loss != "huber":
        pytest.skip("array_api_strict runs huber (test time; its medians are the absolute and quantile losses' "
                    "quantiles): numpy and torch run every loss")
    X, y, X_test, w, _ = _data()
    weights = None if loss in ("huber", "squared_error") else w  # two-valued gradients: weights break the ties
    params = dict(loss=loss, n_estimators=8, alpha=0.8, learning_rate=0.3, min_samples_leaf=3)
    ours = GradientBoostingRegressor(**params).fit(X, y, sample_weight=weights)
    theirs = sk.GradientBoostingRegressor(**params).fit(X, y, sample_weight=weights)
    assert_same_stages(ours, theirs, X, X_test)
    assert_allclose(ours.init_.constant_, theirs.init_.constant_, rtol=1e-15)
    assert_allclose(ours.train_score_, theirs.train_score_, rtol=1e-10)
    for data in (X, X_test):
        assert_allclose(ours.predict(data), theirs.predict(data), rtol=1e-10, atol=1e-12)
    for k, (mine, sk_stage) in enumerate(zip(ours.staged_predict(X_test), theirs.staged_predict(X_test))):
        assert_allclose(mine, sk_stage, rtol=1e-10, atol=1e-12, err_msg=f"stage {k}")
    assert k == 7
    np.testing.assert_array_equal(xpml.to_numpy(ours.apply(X_test)), theirs.apply(X_test))
    assert_allclose(ours.feature_importances_, theirs.feature_importances_, rtol=1e-9, atol=1e-14)
    assert ours.score(X_test, y[:40]) == pytest.approx(theirs.score(X_test, y[:40]), rel=1e-10)
    assert (ours.n_estimators_, len(ours), ours.max_features_) == (8, 8, 4)


@pytest.mark.parametrize("loss", ["log_loss", "exponential"])
def test_two_classes_equal_scikit_learns_trees_and_probabilities(backend, loss):
    if backend.name == "jax":
        pytest.skip(_JAX_LEAVES)
    if backend.name == "array_api_strict" and loss == "exponential":
        pytest.skip("array_api_strict runs log_loss (test time): numpy and torch run both")
    X, y, X_test, w, _ = _data()
    labels = np.where(y > np.median(y), "high", "low")
    params = dict(loss=loss, n_estimators=8, min_samples_leaf=3)
    ours = GradientBoostingClassifier(**params).fit(X, labels, sample_weight=w)
    theirs = sk.GradientBoostingClassifier(**params).fit(X, labels, sample_weight=w)
    assert_same_stages(ours, theirs, X, X_test)
    assert_allclose(ours.train_score_, theirs.train_score_, rtol=1e-10)
    for data in (X, X_test):
        assert_allclose(ours.decision_function(data), theirs.decision_function(data), rtol=1e-10, atol=1e-12)
        assert_allclose(ours.predict_proba(data), theirs.predict_proba(data), rtol=1e-10, atol=1e-12)
        assert_allclose(ours.predict_log_proba(data), theirs.predict_log_proba(data), rtol=1e-10, atol=1e-12)
        np.testing.assert_array_equal(xpml.to_numpy(ours.predict(data)), theirs.predict(data))
    staged = zip(ours.staged_decision_function(X_test), theirs.staged_decision_function(X_test),
                 ours.staged_predict_proba(X_test), theirs.staged_predict_proba(X_test),
                 ours.staged_predict(X_test), theirs.staged_predict(X_test))
    for k, (d, e, p, q, c, c_sk) in enumerate(staged):
        assert_allclose(d, e, rtol=1e-10, atol=1e-12, err_msg=f"stage {k}")
        assert_allclose(p, q, rtol=1e-10, atol=1e-12, err_msg=f"stage {k}")
        np.testing.assert_array_equal(xpml.to_numpy(c), c_sk, err_msg=f"stage {k}")
    assert_allclose(d[:, 0], ours.decision_function(X_test), rtol=1e-15)  # the last stage is the model
    assert ours.apply(X_test).shape == (40, 8, 1)
    assert_allclose(ours.feature_importances_, theirs.feature_importances_, rtol=1e-9, atol=1e-14)


def test_multiclass_equals_scikit_learn(backend):
    """K trees a stage, each on its class's column of softmax - one-hot, its leaves (K-1)/K Newton steps."""
    if backend.name == "jax":
        pytest.skip(_JAX_SHAPES)
    X, _, X_test, w, labels = _data()
    params = dict(n_estimators=6, min_samples_leaf=3)
    ours = GradientBoostingClassifier(**params).fit(X, labels, sample_weight=w)
    theirs = sk.GradientBoostingClassifier(**params).fit(X, labels, sample_weight=w)
    assert_same_stages(ours, theirs, X, X_test)
    assert_allclose(ours.train_score_, theirs.train_score_, rtol=1e-10)
    for data in (X, X_test):
        assert_allclose(ours.decision_function(data), theirs.decision_function(data), rtol=1e-10, atol=1e-12)
        assert_allclose(ours.predict_proba(data), theirs.predict_proba(data), rtol=1e-10, atol=1e-12)
    for k, (p, q) in enumerate(zip(ours.staged_predict_proba(X_test), theirs.staged_predict_proba(X_test))):
        assert_allclose(p, q, rtol=1e-10, atol=1e-12, err_msg=f"stage {k}")
    assert ours.apply(X_test).shape == (40, 6, 3)
    assert ours.n_classes_ == 3 and ours.n_trees_per_iteration_ == 3


@pytest.mark.parametrize("name", ["iris", "wine"])
def test_iris_and_wine_score_as_scikit_learn(name):
    """Real data, ties between splits: where two features cut off the same samples scikit-learn draws one at
    random and xpml takes the first, the same training fit but not the same held-out predictions. So the training
    loss curves agree (within 1%, genuine ties of equal scores aside) and the held-out accuracy over three splits
    within a point."""
    X, y = (load_iris if name == "iris" else load_wine)(return_X_y=True)
    ours, theirs = [], []
    for split in range(3):
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=split, stratify=y)
        model = GradientBoostingClassifier(n_estimators=20, random_state=0).fit(X_train, y_train)
        reference = sk.GradientBoostingClassifier(n_estimators=20, random_state=0).fit(X_train, y_train)
        assert_allclose(model.train_score_, reference.train_score_, rtol=0.01)
        ours.append(model.score(X_test, y_test))
        theirs.append(reference.score(X_test, y_test))
        proba = xpml.to_numpy(model.predict_proba(X_test))
        assert_allclose(proba.sum(axis=1), np.ones(len(y_test)), rtol=1e-12)
        np.testing.assert_array_equal(xpml.to_numpy(model.classes_)[proba.argmax(axis=1)], xpml.to_numpy(
            model.predict(X_test)))
    assert np.mean(ours) >= np.mean(theirs) - 0.01


def test_criterion_is_deprecated_and_the_friedman_score_chooses_the_squared_errors_split():
    """W_L W_R / W · (mean_L - mean_R)² = S_L²/W_L + S_R²/W_R - S²/W: over every cut, the same argmax."""
    rng = np.random.default_rng(0)
    r, w = rng.normal(size=50), rng.uniform(0.5, 2, 50)
    WL, SL = np.cumsum(w)[:-1], np.cumsum(w * r)[:-1]
    WR, SR = w.sum() - WL, (w * r).sum() - SL
    friedman = WL * WR / (WL + WR) * (SL / WL - SR / WR) ** 2
    np.testing.assert_allclose(friedman, SL**2 / WL + SR**2 / WR - (w * r).sum() ** 2 / w.sum(), atol=1e-12)
    X, y, X_test, _, _ = _data()
    default = GradientBoostingRegressor(n_estimators=3, backend="numpy").fit(X, y)
    for criterion in ("friedman_mse", "squared_error"):
        with pytest.warns(FutureWarning, match="criterion"):
            model = GradientBoostingRegressor(n_estimators=3, criterion=criterion, backend="numpy").fit(X, y)
        with pytest.warns(FutureWarning, match="criterion"):
            theirs = sk.GradientBoostingRegressor(n_estimators=3, criterion=criterion).fit(X, y)
        assert_same_stages(model, theirs, X, X_test)
        np.testing.assert_array_equal(model.predict(X_test), default.predict(X_test))


def test_init_estimators_and_zero_start_as_in_scikit_learn():
    X, y, X_test, w, labels = _data()
    cases = [(GradientBoostingRegressor, y, DecisionTreeRegressor(max_depth=2),
              sk_tree.DecisionTreeRegressor(max_depth=2)),
             (GradientBoostingRegressor, y, "zero", "zero"),
             (GradientBoostingClassifier, labels, DecisionTreeClassifier(max_depth=2),
              sk_tree.DecisionTreeClassifier(max_depth=2, random_state=0)),
             (GradientBoostingClassifier, labels > 0, "zero", "zero")]
    for Model, target, init, sk_init in cases:
        params = dict(n_estimators=4, min_samples_leaf=5, learning_rate=0.5)
        ours = Model(init=init, **params, backend="numpy").fit(X, target, sample_weight=w)
        theirs = getattr(sk, Model.__name__)(init=sk_init, **params).fit(X, target, sample_weight=w)
        method = "predict" if Model is GradientBoostingRegressor else "decision_function"
        np.testing.assert_allclose(getattr(ours, method)(X_test), getattr(theirs, method)(X_test), rtol=1e-10,
                                   atol=1e-12, err_msg=f"{Model.__name__}(init={init!r})")
        assert (ours.init_ == "zero") == (init == "zero")
    from xpml.neighbors import KNeighborsRegressor

    with pytest.raises(ValueError, match="The initial estimator KNeighborsRegressor does not support sample weights"):
        GradientBoostingRegressor(init=KNeighborsRegressor(), backend="numpy").fit(X, y, sample_weight=w)
    assert repr(GradientBoostingRegressor(loss="huber", backend="numpy").fit(X, y).init_) == \
        repr(sk.GradientBoostingRegressor(loss="huber").fit(X, y).init_)


def test_warm_start_goes_on_from_the_previous_stages(backend):
    """With subsample: the stages drawn after a warm start are those of one longer fit (the same random stream)."""
    if backend.name == "jax":
        pytest.skip(_JAX_LEAVES)
    X, y, X_test, _, _ = _data()
    params = dict(subsample=0.7, random_state=1, warm_start=True, max_depth=2)
    model = GradientBoostingRegressor(n_estimators=3, **params).fit(X, y)
    model.set_params(n_estimators=6).fit(X, y)
    whole = GradientBoostingRegressor(n_estimators=6, **params).fit(X, y)
    assert model.n_estimators_ == 6 and model.estimators_.shape == (6, 1)
    np.testing.assert_array_equal(xpml.to_numpy(model.predict(X_test)), xpml.to_numpy(whole.predict(X_test)))
    for name in ("train_score_", "oob_scores_", "oob_improvement_"):
        np.testing.assert_array_equal(xpml.to_numpy(getattr(model, name)), xpml.to_numpy(getattr(whole, name)))
    model.fit(X, y)  # as many stages as there are: nothing to add
    assert model.n_estimators_ == 6
    with pytest.raises(ValueError, match=r"n_estimators=2 must be larger or equal to estimators_.shape\[0\]=6"):
        model.set_params(n_estimators=2).fit(X, y)
    assert model.set_params(warm_start=False).fit(X, y).n_estimators_ == 2


def _stop(losses, patience, tol):
    """scikit-learn's rule: the first stage whose held-out loss beats none of the last `patience` by tol."""
    history = [np.inf] * patience
    for i, loss in enumerate(losses):
        if not any(loss + tol < h for h in history):
            return i + 1
        history[i % patience] = loss
    return len(losses)


@pytest.mark.parametrize("classifier", [False, True])
def test_early_stopping_stops_where_the_held_out_loss_stalls(backend, classifier):
    """scikit-learn's stopping rule on the held-out losses of scikit-learn's fit on xpml's training part."""
    if backend.name == "jax":
        pytest.skip(_JAX_SHAPES)
    X, y, _, w, labels = _data(n=100)
    target = labels if classifier else y
    Model = GradientBoostingClassifier if classifier else GradientBoostingRegressor
    params = dict(n_estimators=60, learning_rate=0.5, min_samples_leaf=3)
    ours = Model(**params, n_iter_no_change=3, validation_fraction=0.2, random_state=0).fit(X, target, sample_weight=w)
    train, held = holdout_split(100, 0.2, np.random.default_rng(0), labels=target if classifier else None)
    theirs = getattr(sk, Model.__name__)(**params, random_state=0).fit(X[train], target[train], sample_weight=w[train])
    if classifier:  # the multinomial deviance (scikit-learn's loss, not doubled)
        each = [-np.log(p[np.arange(len(held)), target[held]]) for p in theirs.staged_predict_proba(X[held])]
    else:  # the squared error (twice the half loss)
        each = [(p - y[held]) ** 2 for p in theirs.staged_predict(X[held])]
    expected = _stop([np.average(e, weights=w[held]) for e in each], 3, 1e-4)
    assert ours.n_estimators_ == expected < 60
    assert_allclose(ours.train_score_, theirs.train_score_[:expected], rtol=1e-10)


def test_subsample_scores_held_out_as_scikit_learn_and_keeps_out_of_bag_scores(backend):
    if backend.name in ("jax", "array_api_strict"):
        pytest.skip("numpy and torch run it (test time): its subsamples are drawn on the host, the same on every "
                    "backend")
    X, y, X_test, _, labels = _data(n=200)
    y_test = 3 * X_test[:, 0] + np.sin(5 * X_test[:, 1])
    ours, theirs = [], []
    for seed in range(3):
        model = GradientBoostingRegressor(n_estimators=20, subsample=0.5, random_state=seed).fit(X, y)
        ours.append(model.score(X_test, y_test))
        theirs.append(sk.GradientBoostingRegressor(n_estimators=20, subsample=0.5, random_state=seed).fit(
            X, y).score(X_test, y_test))
    assert np.mean(ours) >= np.mean(theirs) - 0.01
    oob, improvement = xpml.to_numpy(model.oob_scores_), xpml.to_numpy(model.oob_improvement_)
    np.testing.assert_allclose(improvement[1:], oob[:-1] - oob[1:], rtol=1e-12)  # each stage's drop of the oob loss
    assert model.oob_score_ == oob[-1] and improvement[0] > 0 and oob.shape == (20,)


def test_tree_parameters_reach_the_trees_as_in_scikit_learn():
    X, y, X_test, _, _ = _data()
    for params in ({"max_leaf_nodes": 5}, {"min_impurity_decrease": 0.02, "max_depth": 4},
                   {"ccp_alpha": 0.01}, {"min_samples_split": 20, "min_weight_fraction_leaf": 0.05}):
        ours = GradientBoostingRegressor(n_estimators=5, **params, backend="numpy").fit(X, y)
        theirs = sk.GradientBoostingRegressor(n_estimators=5, **params).fit(X, y)
        assert_same_stages(ours, theirs, X, X_test)
        np.testing.assert_allclose(ours.predict(X_test), theirs.predict(X_test), rtol=1e-10, err_msg=str(params))
    ours = GradientBoostingRegressor(n_estimators=20, max_features="sqrt", random_state=0, backend="numpy").fit(X, y)
    theirs = sk.GradientBoostingRegressor(n_estimators=20, max_features="sqrt", random_state=0).fit(X, y)
    assert ours.max_features_ == theirs.max_features_ == 2
    assert ours.score(X, y) >= theirs.score(X, y) - 0.01


def test_float32_data_fit_in_float32_near_the_float64_fit():
    X, y, X_test, _, labels = _data()
    for Model, target in ((GradientBoostingRegressor, y), (GradientBoostingClassifier, labels)):
        single = Model(n_estimators=5, backend="numpy").fit(X.astype(np.float32), target)
        double = Model(n_estimators=5, backend="numpy").fit(X, target)
        method = "predict" if Model is GradientBoostingRegressor else "predict_proba"
        out = getattr(single, method)(X_test.astype(np.float32))
        assert out.dtype == np.float32
        np.testing.assert_allclose(out, getattr(double, method)(X_test), rtol=1e-4, atol=1e-5)


def test_verbose_prints_the_loss_of_each_stage(capsys):
    X, y, _, _, _ = _data()
    model = GradientBoostingRegressor(n_estimators=3, subsample=0.8, verbose=2, random_state=0, backend="numpy")
    model.fit(X, y)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Iter", "Train", "Loss", "OOB", "Improve", "Remaining", "Time"]
    for i, line in enumerate(lines[1:]):
        stage, loss, improvement, _ = line.split()
        assert int(stage) == i + 1 and float(loss) == pytest.approx(float(model.train_score_[i]), abs=1e-4)
        assert float(improvement) == pytest.approx(float(model.oob_improvement_[i]), abs=1e-4)
    assert i == 2


def test_bad_settings_are_refused_by_name():
    X, y, _, _, labels = _data()
    with pytest.raises(ValueError, match=r"loss='exponential' is only suitable for a binary classification problem"):
        GradientBoostingClassifier(loss="exponential", backend="numpy").fit(X, labels)
    with pytest.raises(ValueError, match=r"y has 1 class with a positive sample weight"):
        GradientBoostingClassifier(backend="numpy").fit(X, labels, sample_weight=(labels == 1) * 1.0)
    with pytest.raises(TypeError, match=r"init should be 'zero', None or an estimator with fit and predict"):
        GradientBoostingRegressor(init=3, backend="numpy").fit(X, y)
    with pytest.raises(xpml.exceptions.NotFittedError):
        GradientBoostingRegressor().predict(X)
    with pytest.raises(xpml.exceptions.NotFittedError):
        GradientBoostingClassifier().estimators_
    with pytest.raises(FloatingPointError, match=r"try a smaller learning_rate"):
        GradientBoostingClassifier(loss="exponential", learning_rate=1e6, backend="numpy").fit(X, labels > 0)
