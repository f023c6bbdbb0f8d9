"""Voting against scikit-learn's, with members that equal scikit-learn's: logistic regression (solved to a
tight tolerance in both), Gaussian naive Bayes and a tree (on data without split ties), and ridge. The
hard and soft votes, the weights, the probabilities and `transform` agree on every backend."""

import numpy as np
import pytest
from sklearn import ensemble as sk_ensemble
from sklearn import linear_model as sk_linear
from sklearn import naive_bayes as sk_nb
from sklearn import tree as sk_tree
from sklearn.datasets import load_diabetes, load_wine

import xpml
from tests.helpers import assert_allclose
from xpml.ensemble import VotingClassifier, VotingRegressor
from xpml.linear_model import LogisticRegression, Ridge
from xpml.naive_bayes import GaussianNB
from xpml.tree import DecisionTreeClassifier, DecisionTreeRegressor

X_WINE, Y_WINE = load_wine(return_X_y=True)
X_WINE = np.round((X_WINE - X_WINE.mean(0)) / X_WINE.std(0), 2)  # standardized, on a grid of 0.01
LABELS = np.array(["barolo", "grignolino", "barbera"])[Y_WINE]


def _members(library):
    if library == "xpml":
        return [("lr", LogisticRegression(C=0.1, tol=1e-10)), ("nb", GaussianNB()), ("skip", "drop"),
                ("tree", DecisionTreeClassifier(max_depth=2))]
    return [("lr", sk_linear.LogisticRegression(C=0.1, tol=1e-10)), ("nb", sk_nb.GaussianNB()), ("skip", "drop"),
            ("tree", sk_tree.DecisionTreeClassifier(max_depth=2))]


@pytest.mark.parametrize("voting", ["soft", "hard"])
def test_classifier_equals_scikit_learn(backend, voting):
    if backend.name == "jax":
        pytest.skip("the members compile on jax (18 s); test_common compares VotingClassifier's fits on jax with numpy's")
    weights = [2.0, 1.0, 5.0, 1.5]  # the dropped member's weight is left out
    ours = VotingClassifier(_members("xpml"), voting=voting, weights=weights, backend=backend).fit(X_WINE, LABELS)
    theirs = sk_ensemble.VotingClassifier(_members("sklearn"), voting=voting, weights=weights).fit(X_WINE, LABELS)
    np.testing.assert_array_equal(ours.predict(X_WINE), theirs.predict(X_WINE))
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    assert list(ours.named_estimators_) == ["lr", "nb", "skip", "tree"] and ours.named_estimators_.skip == "drop"
    assert len(ours.estimators_) == 3 and ours.named_estimators_.nb is ours.estimators_[1]
    if voting == "soft":
        assert_allclose(ours.predict_proba(X_WINE), theirs.predict_proba(X_WINE), rtol=1e-6, atol=1e-9)
        assert_allclose(ours.transform(X_WINE), theirs.transform(X_WINE), rtol=1e-6, atol=1e-9)  # (n, 3 · 3)
        ours.set_params(flatten_transform=False)
        theirs.set_params(flatten_transform=False)
        assert_allclose(ours.transform(X_WINE), theirs.transform(X_WINE), rtol=1e-6, atol=1e-9)  # (3, n, 3)
    else:
        assert not hasattr(ours, "predict_proba")
        np.testing.assert_array_equal(ours.transform(X_WINE), theirs.transform(X_WINE))  # class indices (n, 3)


def test_hard_vote_counts_weighted_votes_and_breaks_ties_towards_the_first_class():
    ours = VotingClassifier(_members("xpml"), weights=[1.0, 1.0, 0.0, 1.0], backend="numpy").fit(X_WINE, Y_WINE)
    votes = np.stack([xpml.to_numpy(m.predict(X_WINE)) for m in ours.estimators_], axis=1)  # (n, 3)
    counts = np.stack([(votes == k).sum(axis=1) for k in range(3)], axis=1)  # (n, 3)
    np.testing.assert_array_equal(ours.predict(X_WINE), counts.argmax(axis=1))
    assert ours.le_.classes_.tolist() == [0, 1, 2]


def test_regressor_equals_scikit_learn(backend):
    if backend.name == "jax":
        pytest.skip("the tree compiles on jax; test_common compares VotingRegressor's fits on jax with numpy's")
    X, y = load_diabetes(return_X_y=True)
    X = np.round(X, 3)
    ours = VotingRegressor([("ridge", Ridge(0.5)), ("tree", DecisionTreeRegressor(max_depth=3))], weights=[1, 3],
                           backend=backend).fit(X, y)
    theirs = sk_ensemble.VotingRegressor([("ridge", sk_linear.Ridge(0.5)),
                                          ("tree", sk_tree.DecisionTreeRegressor(max_depth=3))], weights=[1, 3]).fit(X, y)
    assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-10)
    assert_allclose(ours.transform(X), theirs.transform(X), rtol=1e-10)  # (n, 2): each member's predictions
    assert ours.score(X, y) == pytest.approx(theirs.score(X, y), rel=1e-10)
    w = np.linspace(0.5, 2.0, len(y))
    ours.fit(X, y, sample_weight=w)
    theirs.fit(X, y, sample_weight=w)
    assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-10)


def test_bad_members_and_weights_are_refused_by_name():
    with pytest.raises(ValueError, match=r"weights has 2 values but there are 4 estimators"):
        VotingClassifier(_members("xpml"), weights=[1, 2], backend="numpy").fit(X_WINE, Y_WINE)
    with pytest.raises(ValueError, match=r"All estimators are dropped"):
        VotingRegressor([("a", "drop")], backend="numpy").fit(X_WINE, Y_WINE)
    with pytest.raises(ValueError, match=r"VotingRegressor.fit got parameters \['check_input'\]"):
        VotingRegressor([("a", Ridge())], backend="numpy").fit(X_WINE, Y_WINE, check_input=True)


@pytest.mark.parametrize("voting", ["hard", "soft"])
def test_transform_names_its_columns_as_sklearn(voting):
    """get_feature_names_out ("votingclassifier_<member>", one per class probability with soft voting; dropped
    members left out), and so set_output: a DataFrame of transform's columns."""
    pd = pytest.importorskip("pandas")
    members = [("lr", LogisticRegression(max_iter=500)), ("gone", "drop"), ("nb", GaussianNB())]
    ours = VotingClassifier(members, voting=voting).fit(X_WINE, LABELS)
    ref = sk_ensemble.VotingClassifier([("lr", sk_linear.LogisticRegression(max_iter=500)), ("gone", "drop"),
                                        ("nb", sk_nb.GaussianNB())], voting=voting).fit(X_WINE, LABELS)
    assert ours.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()
    frame = ours.set_output(transform="pandas").transform(pd.DataFrame(X_WINE))
    assert frame.columns.tolist() == ours.get_feature_names_out().tolist()
    regressor = VotingRegressor([("a", Ridge()), ("b", Ridge(2.0))]).fit(X_WINE, Y_WINE)
    assert regressor.get_feature_names_out().tolist() == ["votingregressor_a", "votingregressor_b"]
    with pytest.raises(ValueError, match=r"get_feature_names_out needs the columns of flatten_transform=True"):
        VotingClassifier(members, voting="soft", flatten_transform=False).fit(X_WINE, LABELS).get_feature_names_out()
