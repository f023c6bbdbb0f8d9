"""AdaBoostClassifier (SAMME) against scikit-learn's: on data whose stumps have no ties between candidate
splits, the same stumps, learner weights and errors, hence the same decision function, probabilities,
staged predictions and importances, on every backend."""

import numpy as np
import pytest
from sklearn import ensemble as sk_ensemble
from sklearn.datasets import make_classification

import xpml
from tests.helpers import assert_allclose
from xpml.ensemble import AdaBoostClassifier
from xpml.neighbors import KNeighborsClassifier


def _data(n_classes, n=90, seed=0):
    X, y = make_classification(n, 5, n_informative=3, n_redundant=0, n_classes=n_classes, n_clusters_per_class=1,
                               random_state=seed)
    # values on a grid of 1/64: float32 (scikit-learn's trees) holds them and the midpoints exactly
    return np.round(X * 64) / 64, y


@pytest.mark.parametrize("n_classes", [3, 2])
def test_same_stumps_weights_and_votes_as_scikit_learn(backend, n_classes):
    if backend.name == "jax":
        pytest.skip("each stump's fit compiles on jax (12 s); test_common compares AdaBoost's fits on jax with numpy's")
    X, y = _data(n_classes)
    labels = np.array(["ant", "bee", "cat"])[y]  # labels of any type
    ours = AdaBoostClassifier(n_estimators=6, learning_rate=0.8, random_state=0, backend=backend).fit(X, labels)
    theirs = sk_ensemble.AdaBoostClassifier(n_estimators=6, learning_rate=0.8, random_state=0).fit(X, labels)
    assert [(int(m.tree_.feature[0]), float(m.tree_.threshold[0])) for m in ours.estimators_] == \
           [(int(m.tree_.feature[0]), float(m.tree_.threshold[0])) for m in theirs.estimators_]
    assert_allclose(ours.estimator_weights_, theirs.estimator_weights_, rtol=1e-10)
    assert_allclose(ours.estimator_errors_, theirs.estimator_errors_, rtol=1e-10)
    assert_allclose(ours.decision_function(X), theirs.decision_function(X), rtol=1e-10, atol=1e-12)
    assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), rtol=1e-10)
    assert_allclose(ours.predict_log_proba(X), theirs.predict_log_proba(X), rtol=1e-10)
    assert_allclose(ours.feature_importances_, theirs.feature_importances_, rtol=1e-10, atol=1e-15)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    assert ours.score(X, labels) == theirs.score(X, labels)
    staged = zip(ours.staged_predict(X), theirs.staged_predict(X), ours.staged_decision_function(X),
                 theirs.staged_decision_function(X), ours.staged_score(X, labels), theirs.staged_score(X, labels))
    for k, (p, q, d, e, s, t) in enumerate(staged):
        np.testing.assert_array_equal(p, q, err_msg=f"stage {k}")
        assert_allclose(d, e, rtol=1e-10, atol=1e-12, err_msg=f"stage {k}")
        assert s == t
    assert k == 5


def test_sample_weights_and_a_perfect_learner_stop_as_in_scikit_learn():
    X, y = _data(3, seed=1)
    w = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    ours = AdaBoostClassifier(n_estimators=5, backend="numpy").fit(X, y, sample_weight=w)
    theirs = sk_ensemble.AdaBoostClassifier(n_estimators=5).fit(X, y, sample_weight=w)
    assert_allclose(ours.estimator_weights_, theirs.estimator_weights_, rtol=1e-10)
    assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), rtol=1e-10)
    # separable by one stump: the first learner is perfect, decides alone with weight 1, and boosting stops
    X1 = np.arange(10.0)[:, None]
    y1 = (X1[:, 0] > 4).astype(int)
    ours = AdaBoostClassifier(backend="numpy").fit(X1, y1)
    theirs = sk_ensemble.AdaBoostClassifier().fit(X1, y1)
    assert len(ours.estimators_) == len(theirs.estimators_) == 1
    assert_allclose(ours.estimator_weights_, theirs.estimator_weights_)
    assert_allclose(ours.estimator_errors_, theirs.estimator_errors_)


def test_a_learner_without_sample_weight_or_no_better_than_chance_is_refused():
    X, y = _data(3)
    with pytest.raises(ValueError, match=r"does not take sample_weight in fit; AdaBoost needs a learner that does"):
        AdaBoostClassifier(KNeighborsClassifier(), backend="numpy").fit(X, y)
    X0 = np.zeros((8, 2))  # a stump cannot split: it predicts one class, error 1/2 = 1 - 1/n_classes
    with pytest.raises(ValueError, match=r"weighted error 0.5 is >= 1 - 1/n_classes = 0.5 \(no better than chance\)"):
        AdaBoostClassifier(backend="numpy").fit(X0, np.arange(8) % 2)
    with pytest.raises(ValueError, match=r"sample_weight should be >= 0"):
        AdaBoostClassifier(backend="numpy").fit(X, y, sample_weight=-np.ones(len(y)))
    with pytest.raises(xpml.exceptions.NotFittedError):
        AdaBoostClassifier().predict(X)
