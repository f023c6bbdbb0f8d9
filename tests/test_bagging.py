"""Bagging against scikit-learn's and against its own definition. The random draws cannot be scikit-learn's,
so the held-out scores are compared (within a point); what the draws mean is checked exactly: without
bootstrap every member is the base estimator fitted on all the data, a member that takes sample_weight
is fitted with the draw counts as weights, and the out-of-bag scores average the members that did not
draw a row."""

import warnings

import numpy as np
import pytest
from sklearn import ensemble as sk_ensemble
from sklearn import tree as sk_tree
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split

import xpml
from tests.helpers import assert_allclose
from xpml.ensemble import BaggingClassifier, BaggingRegressor
from xpml.naive_bayes import GaussianNB
from xpml.neighbors import KNeighborsClassifier
from xpml.tree import DecisionTreeClassifier, DecisionTreeRegressor


@pytest.mark.parametrize("loader", [load_iris, load_wine, load_breast_cancer])
def test_classifier_scores_within_a_point_of_scikit_learn(loader):
    """Five trees of depth 3. On 38 to 143 test rows one row is 0.7 to 2.6 points, and a single seed moves the
    score by several points in either library: the means over six seeds are compared."""
    X, y = loader(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    ours = [BaggingClassifier(DecisionTreeClassifier(max_depth=3), n_estimators=5, random_state=s, backend="numpy")
            .fit(X_train, y_train).score(X_test, y_test) for s in range(6)]
    theirs = [sk_ensemble.BaggingClassifier(sk_tree.DecisionTreeClassifier(max_depth=3), n_estimators=5,
                                            random_state=s).fit(X_train, y_train).score(X_test, y_test) for s in range(6)]
    assert np.mean(ours) >= np.mean(theirs) - 0.01


def test_regressor_scores_and_out_of_bag_predictions():
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    # 12 members of 0.6 n draws each: every training row is out of some member's bag
    params = {"n_estimators": 12, "max_samples": 0.6, "max_features": 0.8, "oob_score": True}
    ours = [BaggingRegressor(DecisionTreeRegressor(min_samples_leaf=5), **params, random_state=s, backend="numpy")
            .fit(X_train, y_train) for s in range(3)]
    theirs = [sk_ensemble.BaggingRegressor(sk_tree.DecisionTreeRegressor(min_samples_leaf=5), **params, random_state=s)
              .fit(X_train, y_train) for s in range(3)]
    # R² on 111 test rows moves by about 0.05 from seed to seed: the means over three seeds are compared
    assert np.mean([m.score(X_test, y_test) for m in ours]) >= np.mean([m.score(X_test, y_test) for m in theirs]) - 0.01
    assert abs(np.mean([m.oob_score_ for m in ours]) - np.mean([m.oob_score_ for m in theirs])) < 0.05
    model = ours[0]  # out of bag, by hand: each row's prediction averages the members that did not draw it
    total, count = np.zeros(len(y_train)), np.zeros(len(y_train))
    for member, rows, features in zip(model.estimators_, model.estimators_samples_, model.estimators_features_):
        out = np.ones(len(y_train), dtype=bool)
        out[rows] = False
        assert len(features) == 8 and len(set(features.tolist())) == 8  # max_features=0.8 of 10, drawn without repeats
        total[out] += member.predict(X_train[out][:, features])
        count[out] += 1
    assert (count > 0).all()
    assert_allclose(model.oob_prediction_, total / count, rtol=1e-12)
    assert model.oob_score_ == pytest.approx(r2_score(y_train, total / count), rel=1e-12)


def test_without_bootstrap_every_member_is_the_base_estimator_on_all_the_data(backend):
    if backend.name == "jax":
        pytest.skip("the trees compile on jax; test_common compares bagging's fits on jax with numpy's")
    X, y = load_wine(return_X_y=True)
    X = np.round(X)
    model = BaggingClassifier(DecisionTreeClassifier(max_depth=3), n_estimators=3, bootstrap=False, max_samples=1.0,
                              max_features=1.0, random_state=0).fit(X, y)
    alone = DecisionTreeClassifier(max_depth=3, backend="numpy").fit(X, y)
    for member in model.estimators_:
        for field in ("children_left", "feature", "threshold", "value"):
            assert_allclose(getattr(member.tree_, field), getattr(alone.tree_, field), rtol=1e-12)
    assert_allclose(model.predict_proba(X), alone.predict_proba(X), rtol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # log 0 is -inf, without numpy's divide-by-zero warning
        assert_allclose(model.predict_log_proba(X), alone.predict_log_proba(X), rtol=1e-12)
    np.testing.assert_array_equal(model.predict(X), alone.predict(X))
    nb = BaggingClassifier(GaussianNB(), n_estimators=2, bootstrap=False, random_state=0).fit(X, y)
    assert_allclose(nb.estimators_[1].theta_, GaussianNB(backend="numpy").fit(X, y).theta_, rtol=1e-12)


def test_members_see_their_draws_as_weights_or_as_rows():
    X, y = load_iris(return_X_y=True)
    with pytest.warns(UserWarning, match=r"Some inputs do not have OOB scores: every member drew them"):
        model = BaggingClassifier(DecisionTreeClassifier(max_depth=2), n_estimators=4, max_samples=60,
                                  oob_score=True, random_state=2, backend="numpy").fit(X, y)
    for member, rows in zip(model.estimators_, model.estimators_samples_):
        assert len(rows) == 60  # drawn with replacement
        counts = np.bincount(rows, minlength=150)
        again = DecisionTreeClassifier(max_depth=2, random_state=member.random_state, backend="numpy")
        assert_allclose(member.predict_proba(X), again.fit(X, y, sample_weight=counts).predict_proba(X), rtol=1e-12)
    proba = np.zeros((150, 3))
    for member, rows in zip(model.estimators_, model.estimators_samples_):
        out = ~np.isin(np.arange(150), rows)
        proba[out] += member.predict_proba(X[out])
    seen = proba.sum(axis=1) > 0
    assert_allclose(model.oob_decision_function_[seen], proba[seen] / proba[seen].sum(axis=1, keepdims=True))
    assert np.isnan(model.oob_decision_function_[~seen]).all()
    assert model.oob_score_ == pytest.approx(np.mean(proba.argmax(axis=1) == y))
    # a member whose fit takes no sample_weight is fitted on the drawn rows (and features)
    knn = BaggingClassifier(KNeighborsClassifier(3), n_estimators=2, max_samples=50, max_features=2,
                            bootstrap_features=True, random_state=0, backend="numpy").fit(X, y)
    average = 0
    for member, rows, features in zip(knn.estimators_, knn.estimators_samples_, knn.estimators_features_):
        assert member.n_samples_fit_ == 50 and member.n_features_in_ == 2 and len(features) == 2
        fitted = KNeighborsClassifier(3, backend="numpy").fit(X[rows][:, features], y[rows])
        average = average + fitted.predict_proba(X[:, features]) / 2
    assert_allclose(knn.predict_proba(X), average, rtol=1e-12)


def test_bad_sizes_are_refused_by_name():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match=r"max_samples=151 should be <= n_samples=150 to draw without replacement"):
        BaggingClassifier(max_samples=151, bootstrap=False, backend="numpy").fit(X, y)
    with pytest.raises(ValueError, match=r"max_features=5 should be <= n_features=4"):
        BaggingClassifier(max_features=5, backend="numpy").fit(X, y)
    with pytest.raises(ValueError, match=r"BaggingClassifier.fit got parameters \['check_input'\]"):
        BaggingClassifier(backend="numpy").fit(X, y, check_input=False)
    assert xpml.to_numpy(BaggingClassifier(n_estimators=2, random_state=0).fit(X, y).predict(X)).shape == (150,)
