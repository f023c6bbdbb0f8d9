"""RidgeCV, RidgeClassifier and RidgeClassifierCV against scikit-learn's, on every backend.

The leave-one-out (cv=None) is a closed form in scikit-learn and in xpml, from different decompositions
(xpml's residual-maker from the same eigendecomposition or SVD, scikit-learn's inverse): on standardized data
alpha_, coef_, intercept_, best_score_ and cv_results_ agree to rtol=1e-8 (measured: 6e-10 at most). The
classifier on breast cancer uses standardized columns: the raw ones (areas near 1e3 beside ratios near 1e-3)
leave both libraries' leave-one-out errors only 1e-7 apart, each that far from a refit.
"""

import numpy as np
import pytest
from sklearn import linear_model as sk
from sklearn.model_selection import KFold

from tests.helpers import assert_allclose, assert_on_backend
from xpml import to_numpy
from xpml.datasets import load_breast_cancer, load_diabetes, load_iris
from xpml.linear_model import Ridge, RidgeClassifier, RidgeClassifierCV, RidgeCV
from xpml.model_selection import GridSearchCV

RTOL = 1e-8
ALPHAS = [0.01, 0.3, 3.0, 30.0]
_rng = np.random.default_rng(0)
_X, _y = load_diabetes(return_X_y=True)
# The shapes of the shared tests' data (tests/_common_recipes.py), which jax has compiled for there
LONG = (_X[:40], _y[:40])  # n > p: the covariance XᵀX (eigen), or the SVD
WIDE = (_rng.standard_normal((15, 30)), _rng.standard_normal((15, 2)))  # n < p: the Gram matrix XXᵀ
WEIGHTS = _rng.uniform(0.2, 3.0, size=40)
_Xi, _yi = load_iris(return_X_y=True)
_rows = np.concatenate([np.arange(c * 50, c * 50 + 12) for c in range(3)])
IRIS = (_Xi[_rows], _yi[_rows])  # (36, 4), three classes
_Xb, _yb = load_breast_cancer(return_X_y=True)
_Xb = (_Xb[:40, :10] - _Xb[:40, :10].mean(axis=0)) / _Xb[:40, :10].std(axis=0)
CANCER = (_Xb, _yb[:40])  # (40, 10) standardized, two classes


def assert_same_fit(ours, ref, attributes=("alpha_", "best_score_", "coef_", "intercept_", "cv_results_")):
    for name in attributes:
        assert np.shape(to_numpy(getattr(ours, name))) == np.shape(getattr(ref, name)), name
        assert_allclose(np.asarray(to_numpy(getattr(ours, name)), dtype=float), np.asarray(getattr(ref, name), float),
                        rtol=RTOL, atol=0.0, err_msg=name)


@pytest.mark.parametrize("data", ["long", "wide"])
@pytest.mark.parametrize("gcv_mode", [None, "svd"])
@pytest.mark.parametrize("weighted", [False, True])
def test_leave_one_out_matches_sklearn(backend, data, gcv_mode, weighted):
    X, y = LONG if data == "long" else WIDE
    w = WEIGHTS[:len(y)] if weighted else None
    kwargs = dict(alphas=ALPHAS, gcv_mode=gcv_mode, store_cv_results=True)
    ours = RidgeCV(**kwargs).fit(X, y, sample_weight=w)
    ref = sk.RidgeCV(**kwargs).fit(X, y, sample_weight=w)
    assert_on_backend(ours.coef_, backend)
    assert_same_fit(ours, ref)
    assert isinstance(ours.alpha_, float) and isinstance(ours.best_score_, float)
    assert_allclose(ours.predict(X), ref.predict(X), rtol=RTOL)


@pytest.mark.parametrize("scoring", [None, "r2"])
def test_alpha_per_target_matches_sklearn(backend, scoring):
    X, Y = WIDE
    kwargs = dict(alphas=ALPHAS, alpha_per_target=True, scoring=scoring, store_cv_results=True)
    ours = RidgeCV(**kwargs).fit(X, Y, sample_weight=WEIGHTS[:15])
    ref = sk.RidgeCV(**kwargs).fit(X, Y, sample_weight=WEIGHTS[:15])
    assert_same_fit(ours, ref)
    assert len(set(ref.alpha_.tolist())) == 2  # the targets choose differently: a real test of the choice


def test_scorer_on_held_out_predictions_and_no_intercept(backend):
    X, y = LONG
    kwargs = dict(alphas=ALPHAS, scoring="neg_mean_absolute_error", store_cv_results=True, fit_intercept=False)
    ours = RidgeCV(**kwargs).fit(X, y, sample_weight=WEIGHTS)
    ref = sk.RidgeCV(**kwargs).fit(X, y, sample_weight=WEIGHTS)
    assert_same_fit(ours, ref, ("alpha_", "best_score_", "coef_", "cv_results_"))
    assert_allclose(ours.intercept_, 0.0)  # a 0-d array, as Ridge's (scikit-learn: the float 0.0)


def test_leave_one_out_equals_refits_without_each_sample():
    """The closed form against its definition: n refits of Ridge, each without one sample (weighted)."""
    X, y = LONG[0][:20], LONG[1][:20]
    w = WEIGHTS[:20]
    model = RidgeCV(alphas=[0.5], store_cv_results=True).fit(X, y, sample_weight=w)
    held_out = [Ridge(alpha=0.5).fit(np.delete(X, i, 0), np.delete(y, i), np.delete(w, i)).predict(X[i:i + 1])[0]
                for i in range(20)]
    assert_allclose(model.cv_results_[:, 0], w * (y - np.array(held_out)) ** 2, rtol=1e-9)


def test_grid_search_over_folds_matches_sklearn(backend):
    X, y = LONG
    kwargs = dict(alphas=[0.0, 0.01, 0.1, 1.0], cv=KFold(3))
    ours, ref = RidgeCV(**kwargs).fit(X, y), sk.RidgeCV(**kwargs).fit(X, y)
    assert_same_fit(ours, ref, ("alpha_", "best_score_", "coef_", "intercept_"))


def test_grid_search_with_weights_matches_sklearn():
    """Weighted folds: the search is GridSearchCV's, whose held-out scores sample_weight weighs, as scikit-learn's."""
    X, y = LONG
    ours = RidgeCV(alphas=ALPHAS, cv=3).fit(X, y, sample_weight=WEIGHTS)
    ref = sk.RidgeCV(alphas=ALPHAS, cv=3).fit(X, y, sample_weight=WEIGHTS)
    assert_same_fit(ours, ref, ("alpha_", "best_score_", "coef_", "intercept_"))
    search = GridSearchCV(Ridge(), {"alpha": ALPHAS}, cv=3).fit(X, y, sample_weight=WEIGHTS)
    assert ours.alpha_ == search.best_params_["alpha"] and ours.best_score_ == search.best_score_


def test_one_column_of_targets_has_sklearns_shapes():
    """y of shape (n, 1): coef_ (n_features,) and intercept_ (1,), in Ridge, RidgeCV and RidgeCV(cv=3) alike."""
    X, y = LONG
    for ours, ref in [(Ridge(), sk.Ridge()), (RidgeCV(), sk.RidgeCV()), (RidgeCV(cv=3), sk.RidgeCV(cv=3))]:
        ours.fit(X, y[:, None]), ref.fit(X, y[:, None])
        assert ours.coef_.shape == ref.coef_.shape == (10,) and ours.intercept_.shape == ref.intercept_.shape == (1,)
        assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-10)


def test_float32_is_computed_in_float64(backend):
    X, y = LONG
    ours = RidgeCV(alphas=ALPHAS, store_cv_results=True).fit(X.astype(np.float32), y.astype(np.float32))
    ref = sk.RidgeCV(alphas=ALPHAS, store_cv_results=True).fit(X.astype(np.float32), y.astype(np.float32))
    assert to_numpy(ours.coef_).dtype == to_numpy(ours.cv_results_).dtype == ref.coef_.dtype == np.float32
    assert ours.alpha_ == ref.alpha_
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-5 if backend.has_float64 else 1e-3)


@pytest.mark.parametrize("data", ["iris", "cancer"])
@pytest.mark.parametrize("class_weight", [None, "balanced", {1: 3.0}])
def test_ridge_classifier_matches_sklearn(backend, data, class_weight):
    X, y = IRIS if data == "iris" else CANCER
    w = WEIGHTS[:len(y)]
    ours = RidgeClassifier(alpha=0.5, class_weight=class_weight).fit(X, y, sample_weight=w)
    ref = sk.RidgeClassifier(alpha=0.5, class_weight=class_weight).fit(X, y, sample_weight=w)
    assert ours.coef_.shape == ref.coef_.shape and ours.intercept_.shape == ref.intercept_.shape
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-10)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-10)
    assert_allclose(ours.decision_function(X), ref.decision_function(X), rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(to_numpy(ours.predict(X)), ref.predict(X))
    assert ours.score(X, y) == ref.score(X, y)


@pytest.mark.parametrize("data", ["iris", "cancer"])
@pytest.mark.parametrize("class_weight", [None, "balanced"])
def test_ridge_classifier_cv_matches_sklearn(backend, data, class_weight):
    X, y = IRIS if data == "iris" else CANCER
    kwargs = dict(alphas=ALPHAS, class_weight=class_weight, store_cv_results=True)
    ours = RidgeClassifierCV(**kwargs).fit(X, y, sample_weight=WEIGHTS[:len(y)])
    ref = sk.RidgeClassifierCV(**kwargs).fit(X, y, sample_weight=WEIGHTS[:len(y)])
    assert_same_fit(ours, ref)
    assert_allclose(ours.decision_function(X), ref.decision_function(X), rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(to_numpy(ours.predict(X)), ref.predict(X))


def test_ridge_classifier_cv_scoring_multiclass_matches_sklearn(backend):
    X, y = IRIS
    ours = RidgeClassifierCV(alphas=ALPHAS, scoring="accuracy", store_cv_results=True).fit(X, y)
    ref = sk.RidgeClassifierCV(alphas=ALPHAS, scoring="accuracy", store_cv_results=True).fit(X, y)
    assert_same_fit(ours, ref)


def test_ridge_classifier_cv_binary_scoring_is_held_out_accuracy():
    """Two classes and a scorer: the accuracy of the leave-one-out predictions, checked by n refits (scikit-learn
    1.9 scores every alpha 1.0 here, its issue 34942, and so keeps the first)."""
    X, y = CANCER
    alphas = [0.01, 30.0, 3000.0]
    model = RidgeClassifierCV(alphas=alphas, scoring="accuracy").fit(X, y)
    accuracy = [np.mean([RidgeClassifier(alpha=a).fit(np.delete(X, i, 0), np.delete(y, i)).predict(X[i:i + 1])[0]
                         == y[i] for i in range(len(y))]) for a in alphas]
    assert model.best_score_ == max(accuracy) and model.alpha_ == alphas[int(np.argmax(accuracy))]
    assert max(accuracy) < 1.0


def test_ridge_classifier_cv_over_folds_matches_sklearn(backend):
    X, y = IRIS
    ours = RidgeClassifierCV(alphas=ALPHAS, cv=3).fit(X, y)
    ref = sk.RidgeClassifierCV(alphas=ALPHAS, cv=3).fit(X, y)
    assert_same_fit(ours, ref, ("alpha_", "best_score_", "coef_", "intercept_"))
    np.testing.assert_array_equal(to_numpy(ours.predict(X)), ref.predict(X))


def test_multilabel_matches_sklearn(backend):
    X = IRIS[0]
    Y = np.column_stack([IRIS[1] == 0, X[:, 0] > 5.8, X[:, 2] > 4.0]).astype(int)  # (36, 3) indicator
    for ours, ref in [(RidgeClassifier(class_weight="balanced"), sk.RidgeClassifier(class_weight="balanced")),
                      (RidgeClassifierCV(alphas=ALPHAS), sk.RidgeClassifierCV(alphas=ALPHAS))]:
        ours.fit(X, Y), ref.fit(X, Y)
        assert_allclose(ours.decision_function(X), ref.decision_function(X), rtol=1e-10, atol=1e-12)
        np.testing.assert_array_equal(to_numpy(ours.predict(X)), ref.predict(X))
        np.testing.assert_array_equal(ours.classes_, ref.classes_)


def test_string_labels_and_sparse_X():
    sparse = pytest.importorskip("scipy.sparse")
    X, y = IRIS
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    ours = RidgeClassifier(tol=1e-12).fit(sparse.csr_matrix(X), labels)
    ref = sk.RidgeClassifier(solver="sparse_cg", tol=1e-12).fit(sparse.csr_matrix(X), labels)
    assert ours.solver_ == "sparse_cg"
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-8)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    with pytest.warns(UserWarning, match=r"X is a sparse matrix .* it is made dense"):
        model = RidgeCV(alphas=ALPHAS).fit(sparse.csr_matrix(LONG[0]), LONG[1])
    assert model.alpha_ == sk.RidgeCV(alphas=ALPHAS).fit(*LONG).alpha_


@pytest.mark.parametrize("params, error, match", [
    ({"alphas": [1.0, 0.0]}, ValueError, r"alphas\[1\]=0.0 should be finite and > 0 \(the leave-one-out"),
    ({"alphas": [1.0, -1.0], "cv": 3}, ValueError, r"alphas\[1\]=-1.0 should be finite and >= 0"),
    ({"alphas": ["a"]}, TypeError, r"alphas should be a number or a non-empty 1-D array of numbers"),
    ({"alphas": 0.0}, ValueError, r"alphas=0.0 should be > 0"),
    ({"gcv_mode": "qr"}, ValueError, r"gcv_mode='qr' should be one of 'auto', 'eigen', 'svd'"),
    ({"scoring": "nosuch"}, ValueError, r"scoring='nosuch' is not a known scorer"),
    ({"store_cv_results": True, "cv": 3}, ValueError, r"store_cv_results=True needs cv=None"),
    ({"alpha_per_target": True, "cv": 3}, ValueError, r"alpha_per_target=True needs cv=None"),
])
def test_bad_parameters(params, error, match):
    with pytest.raises(error, match=match):
        RidgeCV(**params).fit(*LONG)


def test_bad_classifier_input():
    X = IRIS[0]
    with pytest.raises(ValueError, match=r"class_weight=\{0: 2.0\} cannot weigh a multi-label y"):
        RidgeClassifier(class_weight={0: 2.0}).fit(X, np.column_stack([IRIS[1] == 0, IRIS[1] == 1]).astype(int))
    with pytest.raises(ValueError, match=r"class_weight has labels \[7\] that are not classes of y"):
        RidgeClassifierCV(class_weight={7: 2.0}).fit(*IRIS)
    with pytest.raises(ValueError, match=r"y has 1 class\(es\)"):
        RidgeClassifierCV().fit(X, np.zeros(len(X)))
    with pytest.raises(TypeError, match=r"fit got \['groups'\], which go to the scorer"):
        RidgeClassifierCV().fit(*IRIS, groups=np.zeros(len(X)))
