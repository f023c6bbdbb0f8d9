"""scikit-learn's parameters of the linear regressors, each against scikit-learn's result, on every backend.

LinearRegression(positive, tol, copy_X, n_jobs), Ridge(positive, max_iter, tol, solver names,
random_state), Lasso and ElasticNet(positive, warm_start, precompute, selection, random_state),
SGDRegressor.fit(coef_init, intercept_init); and the signatures: scikit-learn's names, defaults and
order, the positional ones positional, xpml's extras last and keyword-only.
"""

import inspect
import warnings

import numpy as np
import pytest
import sklearn.linear_model as sk
import sklearn.svm as sk_svm

from tests.helpers import assert_allclose, assert_on_backend
from xpml._backend import to_numpy
from xpml.linear_model import (ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge, SGDClassifier,
                               SGDRegressor)
from xpml.svm import LinearSVC

RNG = np.random.default_rng(0)
X = RNG.standard_normal((40, 6))
y = X @ np.array([1.0, -2.0, 0.5, -0.1, 3.0, 0.0]) + 0.3 * RNG.standard_normal(40)
Y2 = np.column_stack([y, X[:, 0] - y])

ESTIMATORS = [(LinearRegression, sk.LinearRegression), (Ridge, sk.Ridge), (Lasso, sk.Lasso),
              (ElasticNet, sk.ElasticNet), (LogisticRegression, sk.LogisticRegression),
              (SGDClassifier, sk.SGDClassifier), (SGDRegressor, sk.SGDRegressor), (LinearSVC, sk_svm.LinearSVC)]


@pytest.mark.parametrize("ours, theirs", ESTIMATORS, ids=lambda c: c.__name__)
def test_signature_is_scikit_learns_with_the_extras_last(ours, theirs):
    mine = list(inspect.signature(ours.__init__).parameters.values())[1:]
    ref = list(inspect.signature(theirs.__init__).parameters.values())[1:]
    assert [(p.name, p.default, p.kind) for p in mine[:len(ref)]] == [(p.name, p.default, p.kind) for p in ref]
    assert all(p.kind == p.KEYWORD_ONLY for p in mine[len(ref):])
    assert {"backend", "dtype"} <= {p.name for p in mine[len(ref):]}
    for method in ("fit", "partial_fit"):
        if hasattr(theirs, method):
            assert (list(inspect.signature(getattr(ours, method)).parameters)
                    == list(inspect.signature(getattr(theirs, method)).parameters))


def test_positional_parameters_work_as_in_scikit_learn():
    assert Ridge(2.0).alpha == 2.0 and Lasso(0.1).alpha == 0.1 and ElasticNet(0.1).alpha == 0.1
    assert LogisticRegression("l1").penalty == "l1" and LinearSVC("l1", "squared_hinge").penalty == "l1"
    assert SGDClassifier("log_loss").loss == "log_loss" and SGDRegressor("huber").loss == "huber"


@pytest.mark.parametrize("targets", [1, 2])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_linear_regression_positive_is_nnls(backend, targets, fit_intercept):
    Y = y if targets == 1 else Y2
    ours = LinearRegression(positive=True, fit_intercept=fit_intercept, copy_X=False, n_jobs=2).fit(X, Y)
    ref = sk.LinearRegression(positive=True, fit_intercept=fit_intercept).fit(X, Y)
    assert_on_backend(ours.coef_, backend)
    assert ours.coef_.shape == ref.coef_.shape and not hasattr(ours, "rank_")
    assert_allclose(ours.coef_, ref.coef_, atol=1e-9)
    assert_allclose(ours.intercept_, ref.intercept_, atol=1e-9)


def test_linear_regression_tol_bounds_the_kkt_residual_before_polishing(backend):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loose = LinearRegression(positive=True, tol=0.5).fit(X, y)
    ref = sk.LinearRegression(positive=True).fit(X, y)
    assert np.all(to_numpy(loose.coef_) >= 0)
    assert np.max(np.abs(to_numpy(loose.coef_) - ref.coef_)) < 1.0  # close, not necessarily exact


@pytest.mark.parametrize("alpha", [0.5, 5.0])
def test_ridge_positive_max_iter_tol(backend, alpha):
    ours = Ridge(alpha, positive=True, max_iter=500, tol=1e-8).fit(X, Y2)
    ref = sk.Ridge(alpha, positive=True, tol=1e-10).fit(X, Y2)
    assert ours.solver_ == "lbfgs" and ours.n_iter_.shape == (2,)
    assert_allclose(ours.coef_, ref.coef_, atol=1e-4)  # scikit-learn's L-BFGS-B stops short of the optimum
    assert_allclose(ours.intercept_, ref.intercept_, atol=1e-4)

    def objective(coef, intercept):  # ||Y - XWᵀ - b||² + alpha ||W||², summed over targets
        return np.sum((Y2 - X @ coef.T - intercept) ** 2) + alpha * np.sum(coef ** 2)

    assert objective(to_numpy(ours.coef_), to_numpy(ours.intercept_)) <= objective(ref.coef_, ref.intercept_) + 1e-10


@pytest.mark.parametrize("solver", ["lsqr", "sparse_cg", "sag", "saga"])
def test_ridge_solver_names_reach_scikit_learns_optimum(backend, solver):
    ours = Ridge(1.0, solver=solver, random_state=0).fit(X, Y2)
    ref = sk.Ridge(1.0, solver=solver, tol=1e-12, max_iter=100_000, random_state=0).fit(X, Y2)
    assert ours.solver_ == "cholesky" and ours.n_iter_ is None
    assert_allclose(ours.coef_, ref.coef_, atol=1e-7)


def test_ridge_solver_and_positive_combinations_as_scikit_learn():
    with pytest.raises(ValueError, match=r"solver='svd' does not support positive=True"):
        Ridge(solver="svd", positive=True).fit(X, y)
    with pytest.raises(ValueError, match=r"solver='lbfgs' can be used only when positive=True"):
        Ridge(solver="lbfgs").fit(X, y)


@pytest.mark.parametrize("model, ref", [
    (lambda **kw: Lasso(0.1, **kw), lambda **kw: sk.Lasso(0.1, **kw)),
    (lambda **kw: ElasticNet(0.1, l1_ratio=0.3, **kw), lambda **kw: sk.ElasticNet(0.1, l1_ratio=0.3, **kw)),
], ids=["Lasso", "ElasticNet"])
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("precompute", [False, True])
def test_lasso_elastic_net_positive_and_precompute(backend, model, ref, positive, precompute):
    ours = model(positive=positive, precompute=precompute, tol=1e-12, max_iter=100_000).fit(X, y)
    want = ref(positive=positive, precompute=precompute, tol=1e-14, max_iter=100_000).fit(X, y)
    assert_allclose(ours.coef_, want.coef_, atol=1e-6)
    assert_allclose(ours.intercept_, want.intercept_, atol=1e-6)
    if positive:
        assert np.all(to_numpy(ours.coef_) >= 0)


@pytest.mark.parametrize("selection", ["cyclic", "random"])
def test_lasso_selection_and_random_state_leave_the_optimum(backend, selection):
    ours = Lasso(0.05, selection=selection, random_state=0, tol=1e-12, max_iter=100_000).fit(X, Y2)
    want = sk.Lasso(0.05, selection=selection, random_state=0, tol=1e-14, max_iter=100_000).fit(X, Y2)
    assert_allclose(ours.coef_, want.coef_, atol=1e-6)


def test_lasso_warm_start_starts_from_coef(backend):
    cold = Lasso(0.1, tol=1e-10, max_iter=100_000).fit(X, y)
    warm = Lasso(0.1, tol=1e-10, max_iter=100_000, warm_start=True).fit(X, y)
    first = warm.n_iter_
    warm.fit(X, y)
    assert warm.n_iter_ < first  # it starts at the optimum
    assert_allclose(warm.coef_, cold.coef_, atol=1e-8)
    refit = Lasso(0.1, warm_start=True).fit(X, Y2)  # the old coef_ does not fit: zeros
    assert refit.coef_.shape == (2, 6)


def test_sgd_regressor_coef_init_and_intercept_init(backend):
    coef, b = np.array([0.5, -1.0, 0.2, 0.0, 1.0, 0.3]), np.array([0.7])
    kw = dict(max_iter=3, tol=None, shuffle=False, random_state=0, eta0=0.01)
    ours = SGDRegressor(**kw, batch_size=1).fit(X, y, coef_init=coef, intercept_init=b)
    want = sk.SGDRegressor(**kw).fit(X, y, coef_init=coef, intercept_init=b)
    assert_allclose(ours.coef_, want.coef_, rtol=1e-8)
    assert_allclose(ours.intercept_, want.intercept_, rtol=1e-8)
    with pytest.raises(ValueError, match=r"coef_init has shape \(3,\)"):
        SGDRegressor().fit(X, y, coef_init=np.zeros(3))
