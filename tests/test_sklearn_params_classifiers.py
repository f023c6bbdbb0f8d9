"""scikit-learn's parameters of the linear classifiers, each against scikit-learn's result, on every backend.

LogisticRegression(l1_ratio and penalty, solver names, intercept_scaling, warm_start, dual,
random_state, n_jobs), LinearSVC(penalty="l1", class_weight, dual, multi_class, random_state),
SGDClassifier(n_jobs) and SGDClassifier.fit(coef_init, intercept_init).
"""

import warnings

import numpy as np
import pytest
import sklearn.linear_model as sk
import sklearn.svm as sk_svm
from sklearn.datasets import load_iris

import xpml
from tests.helpers import assert_allclose, assert_on_backend
from xpml.linear_model import LogisticRegression, SGDClassifier
from xpml.svm import LinearSVC

X, Y3 = load_iris(return_X_y=True)
X = (X - X.mean(axis=0)) / X.std(axis=0)
Y2 = (Y3 == 2).astype(int)
TIGHT = dict(tol=1e-10, max_iter=100_000)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.4])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_logistic_l1_and_elastic_net_match_saga(backend, l1_ratio, n_classes):
    y = Y2 if n_classes == 2 else Y3
    ours = LogisticRegression(C=0.5, l1_ratio=l1_ratio, solver="saga", random_state=0, n_jobs=1, **TIGHT).fit(X, y)
    ref = sk.LogisticRegression(C=0.5, l1_ratio=l1_ratio, solver="saga", random_state=0, **TIGHT).fit(X, y)
    assert_on_backend(ours.coef_, backend)
    assert ours.n_iter_.shape == (1,) and ours.coef_.shape == ref.coef_.shape
    assert_allclose(ours.coef_, ref.coef_, atol=1e-6)
    assert_allclose(ours.intercept_, ref.intercept_, atol=1e-6)
    if l1_ratio == 1.0:
        assert np.array_equal(xpml.to_numpy(ours.coef_) == 0, ref.coef_ == 0)  # the same sparsity


@pytest.mark.parametrize("penalty, l1_ratio", [("l1", 1.0), ("l2", 0.0), ("elasticnet", 0.5), (None, 0.0)])
def test_logistic_deprecated_penalty_names_the_same_objective(backend, penalty, l1_ratio):
    by_name = LogisticRegression(penalty, l1_ratio=l1_ratio, solver="saga", **TIGHT).fit(X, Y2)
    by_ratio = LogisticRegression(l1_ratio=l1_ratio, C=np.inf if penalty is None else 1.0, **TIGHT).fit(X, Y2)
    assert_allclose(by_name.coef_, by_ratio.coef_, atol=1e-6)


@pytest.mark.parametrize("solver", ["newton-cg", "newton-cholesky", "sag", "lbfgs"])
def test_logistic_solver_names_reach_scikit_learns_optimum(backend, solver):
    ours = LogisticRegression(C=0.5, solver=solver, **TIGHT).fit(X, Y3)
    ref = sk.LogisticRegression(C=0.5, solver=solver, random_state=0, **TIGHT).fit(X, Y3)
    assert_allclose(ours.coef_, ref.coef_, atol=1e-5)


@pytest.mark.parametrize("l1_ratio", [0.0, 1.0])
@pytest.mark.parametrize("intercept_scaling", [1.0, 3.0])
def test_logistic_liblinear_penalizes_the_scaled_intercept(backend, l1_ratio, intercept_scaling):
    kw = dict(C=0.5, l1_ratio=l1_ratio, solver="liblinear", intercept_scaling=intercept_scaling)
    ours = LogisticRegression(**kw, dual=False, **TIGHT).fit(X, Y2)
    ref = sk.LogisticRegression(**kw, random_state=0, **TIGHT).fit(X, Y2)
    assert_allclose(ours.coef_, ref.coef_, atol=1e-6)
    assert_allclose(ours.intercept_, ref.intercept_, atol=1e-6)


def test_logistic_liblinear_dual_reaches_the_same_optimum(backend):
    ours = LogisticRegression(C=0.5, solver="liblinear", dual=True, **TIGHT).fit(X, Y2)
    ref = sk.LogisticRegression(C=0.5, solver="liblinear", dual=True, random_state=0, **TIGHT).fit(X, Y2)
    assert_allclose(ours.coef_, ref.coef_, atol=1e-5)


def test_logistic_warm_start_starts_from_the_previous_fit(backend):
    model = LogisticRegression(C=0.5, l1_ratio=1.0, warm_start=True, **TIGHT).fit(X, Y3)
    first = int(model.n_iter_[0])
    model.fit(X, Y3)
    assert int(model.n_iter_[0]) < first
    ref = sk.LogisticRegression(C=0.5, l1_ratio=1.0, solver="saga", **TIGHT).fit(X, Y3)
    assert_allclose(model.coef_, ref.coef_, atol=1e-6)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_linear_svc_l1_penalty(backend, n_classes):
    y = Y2 if n_classes == 2 else Y3
    ours = LinearSVC("l1", dual=False, C=0.5, random_state=0, **TIGHT).fit(X, y)
    ref = sk_svm.LinearSVC("l1", dual=False, C=0.5, random_state=0, tol=1e-8, max_iter=100_000).fit(X, y)
    assert ours._duality_gap is None
    assert_allclose(ours.coef_, ref.coef_, atol=1e-4)
    assert_allclose(ours.intercept_, ref.intercept_, atol=1e-4)


@pytest.mark.parametrize("class_weight", [{0: 2.0, 1: 0.5}, "balanced"])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_linear_svc_class_weight(backend, class_weight, n_classes):
    y = Y2 if n_classes == 2 else Y3
    ours = LinearSVC(class_weight=class_weight, **TIGHT).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # LIBLINEAR may stop at max_iter at this tol
        ref = sk_svm.LinearSVC(class_weight=class_weight, random_state=0, **TIGHT).fit(X, y)
    assert_allclose(ours.coef_, ref.coef_, atol=1e-5)
    assert_allclose(ours.intercept_, ref.intercept_, atol=1e-5)


@pytest.mark.parametrize("params, match", [
    (dict(penalty="l1", loss="hinge"), r"penalty='l1' is not supported with loss='hinge'"),
    (dict(penalty="l1", dual=True), r"penalty='l1' with loss='squared_hinge' needs dual=False"),
    (dict(loss="hinge", dual=False), r"loss='hinge' with penalty='l2' needs dual=True"),
    (dict(multi_class="crammer_singer"), r"multi_class='crammer_singer' is not implemented in xpml"),
])
def test_linear_svc_refuses_what_scikit_learn_refuses(params, match):
    with pytest.raises(ValueError, match=match):
        LinearSVC(**params).fit(X, Y3)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_sgd_classifier_coef_init_and_intercept_init(backend, n_classes):
    y = Y2 if n_classes == 2 else Y3
    k = 1 if n_classes == 2 else 3
    coef, b = np.linspace(-1.0, 1.0, 4 * k).reshape(k, 4), np.linspace(0.1, 0.3, k)
    kw = dict(loss="log_loss", max_iter=2, tol=None, shuffle=False, random_state=0)
    ours = SGDClassifier(**kw, n_jobs=2, batch_size=1).fit(X, y, coef_init=coef, intercept_init=b)
    ref = sk.SGDClassifier(**kw).fit(X, y, coef_init=coef, intercept_init=b)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-8)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-8)
