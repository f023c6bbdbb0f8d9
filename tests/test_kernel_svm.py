"""SVC and SVR on every backend against scikit-learn's (libsvm), and Platt scaling against a direct fit.

Both solve libsvm's dual; here both to tol=1e-8, so both land at its optimum, and the fitted models
agree to how well that optimum is determined. libsvm keeps its kernel cache in float32, which moves
its optimum by about 1e-7 relative in Q: measured, its dual coefficients differ from the exact ones
by up to 8e-5 (relative to C) and its decision values by up to 2e-5. The tolerances stated:

- decision function: 1e-4 (absolute; the values are of order 1);
- dual coefficients, per sample (zero for a sample that is not a support vector): 1e-4 · C, so the
  support vectors agree except for samples whose coefficient is within that of zero;
- intercepts: 1e-5.

The data are small subsets (40 to 60 samples per dataset), standardized. numpy fits every kernel on
every dataset; the other backends one kernel per dataset, a different one on each (every kernel on
some dataset), which keeps their array-API runs (an SMO step is some forty small array operations) to
a second or two; array_api_strict runs the option and working-set tests on its second device only (the
same code, and the device checks). jax, which compiles each new shape, fits the common tests' data
(tests/_common_recipes.py) with the default kernel: their programs are compiled once for both.
"""

import numpy as np
import pytest
from sklearn.svm import SVC as SkSVC
from sklearn.svm import SVR as SkSVR

import xpml.svm._kernel_base as kernel_base
from tests._common_recipes import DATA
from tests.helpers import assert_allclose, assert_on_backend
from xpml import make_backend, to_numpy
from xpml.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_wine,
)
from xpml.exceptions import ConvergenceWarning
from xpml.svm import SVC, SVR
from xpml.svm._platt import fit_sigmoid

TIGHT = {"tol": 1e-8}


def _standardized(loader, rows):
    X, y = loader(return_X_y=True)
    X, y = X[rows], y[rows]
    return (X - X.mean(axis=0)) / np.where(X.std(axis=0) > 0, X.std(axis=0), 1.0), y


DATASETS = {
    "iris": _standardized(load_iris, slice(None, None, 3)),  # 50 samples, 3 classes
    "wine": _standardized(load_wine, slice(None, None, 4)),  # 45 samples, 3 classes
    "breast_cancer": _standardized(load_breast_cancer, slice(None, 60)),  # 60 samples, 2 classes
    "digits": _standardized(load_digits, np.flatnonzero(load_digits().target < 4)[:48]),  # 48 samples, 4 classes
}
KERNELS = [{"kernel": "rbf"}, {"kernel": "linear", "C": 0.5}, {"kernel": "poly", "degree": 2, "coef0": 1.0},
           {"kernel": "sigmoid", "gamma": 0.01, "C": 3.0}]


def _dense_coef(model, n):
    """The dual coefficients as (rows, n): one column per training sample, zero off the support."""
    coef = np.zeros((model.dual_coef_.shape[0], n))
    coef[:, to_numpy(model.support_)] = to_numpy(model.dual_coef_)
    return coef


def _assert_same_svm(ours, ref, X, C):
    n = X.shape[0]
    assert_allclose(_dense_coef(ours, n), _dense_coef(ref, n), atol=1e-4 * C)
    small = np.abs(_dense_coef(ref, n)).max(axis=0) < 1e-4 * C  # support vectors only at the tolerance's edge
    on = np.zeros(n, bool)
    on[to_numpy(ours.support_)] = True
    ref_on = np.zeros(n, bool)
    ref_on[ref.support_] = True
    assert np.all((on == ref_on) | small)
    assert_allclose(ours.intercept_, ref.intercept_, atol=1e-5)
    assert_allclose(ours.decision_function(X), ref.decision_function(X), atol=1e-4)


def _cases(backend):
    """(dataset, kernel parameters) to fit on this backend (the module docstring)."""
    if backend.name == "numpy":
        return [(name, params) for name in DATASETS for params in KERNELS]
    if backend.name == "jax":
        return [("common", KERNELS[0])]
    shift = sum(map(ord, backend.name + str(backend.device))) % len(KERNELS)
    return [(name, KERNELS[(i + shift) % len(KERNELS)]) for i, name in enumerate(DATASETS)]


def test_svc_is_sklearns(backend):
    for name, params in _cases(backend):
        X, y = DATA["classification"] if name == "common" else DATASETS[name]
        ours = SVC(**TIGHT, **params).fit(X, y)
        ref = SkSVC(**TIGHT, **params).fit(X, y)
        assert_on_backend(ours.dual_coef_, backend)
        _assert_same_svm(ours, ref, X, params.get("C", 1.0))
        np.testing.assert_array_equal(to_numpy(ours.n_support_), ref.n_support_)
        np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def _skip_repeats(backend):
    if backend.name == "jax":
        pytest.skip("the array code of test_svc_is_sklearns; jax would compile every new shape again")
    if backend.name == "array_api_strict" and backend.device == make_backend("array_api_strict").device:
        pytest.skip("the same code as on array_api_strict's second device, which this test runs")


def test_svc_options_are_sklearns(backend):
    _skip_repeats(backend)
    X, y = DATASETS["wine"]
    weight = np.random.default_rng(0).uniform(0.2, 2.0, len(y))
    params = dict(class_weight={0: 2.0, 2: 0.5}, decision_function_shape="ovo", gamma="auto", **TIGHT)
    ours, ref = SVC(**params).fit(X, y, sample_weight=weight), SkSVC(**params).fit(X, y, sample_weight=weight)
    _assert_same_svm(ours, ref, X, 2.0)
    ties = dict(break_ties=True, C=10.0, **TIGHT)
    np.testing.assert_array_equal(SVC(**ties).fit(X, y).predict(X), SkSVC(**ties).fit(X, y).predict(X))


def test_svr_is_sklearns(backend):
    X, y = load_diabetes(return_X_y=True)
    X, y = X[:50] * 10, (y[:50] - 150) / 50
    if backend.name == "jax":
        X, y = DATA["regression"]
    weight = np.random.default_rng(1).uniform(0.5, 2.0, len(y))
    for params in KERNELS[:3] if backend.name == "numpy" else KERNELS[:1]:
        ours = SVR(**TIGHT, epsilon=0.2, **params).fit(X, y, sample_weight=weight)
        ref = SkSVR(**TIGHT, epsilon=0.2, **params).fit(X, y, sample_weight=weight)
        _assert_same_svm_regressor(ours, ref, X, params.get("C", 1.0))


def _assert_same_svm_regressor(ours, ref, X, C):
    assert_allclose(_dense_coef(ours, X.shape[0]), _dense_coef(ref, X.shape[0]), atol=1e-4 * C)
    assert_allclose(ours.intercept_, ref.intercept_, atol=1e-5)
    assert_allclose(ours.predict(X), ref.predict(X), atol=1e-4)


@pytest.mark.parametrize("estimator", ["SVC", "SVR"])
def test_working_sets_reach_the_same_optimum(backend, monkeypatch, estimator):
    # Working sets of 16 variables on problems of 120 and 140 variables: the outer loop (selection,
    # batches of kernel rows, the kept half, the gradient update) reaches libsvm's optimum too.
    _skip_repeats(backend)
    monkeypatch.setattr(kernel_base.BaseKernelSVM, "_working_set", 16)
    monkeypatch.setattr(kernel_base.BaseKernelSVM, "_working_set_size", lambda self, N: 16)
    if estimator == "SVC":
        X, y = DATASETS["breast_cancer"]
        X, y = np.vstack([X, X[:40] + 0.3]), np.concatenate([y, y[:40]])
        ours, ref = SVC(**TIGHT).fit(X, y), SkSVC(**TIGHT).fit(X, y)
        _assert_same_svm(ours, ref, X, 1.0)
    else:
        X, y = load_diabetes(return_X_y=True)
        X, y = X[:70] * 10, (y[:70] - 150) / 50
        ours, ref = SVR(**TIGHT).fit(X, y), SkSVR(**TIGHT).fit(X, y)
        _assert_same_svm_regressor(ours, ref, X, 1.0)


def test_precomputed_kernel_is_the_kernel():
    X, y = DATASETS["iris"]
    K = np.exp(-0.25 * ((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    ours = SVC(kernel="precomputed", **TIGHT).fit(K, y)
    ref = SVC(gamma=0.25, **TIGHT).fit(X, y)
    assert_allclose(ours.decision_function(K[:10]), ref.decision_function(X[:10]), atol=1e-8)
    with pytest.raises(ValueError, match=r"kernel='precomputed' needs X of shape \(n_samples, n_samples\)"):
        SVC(kernel="precomputed").fit(X, y)


def test_platt_sigmoid_is_the_maximum_likelihood_fit():
    # The sigmoid fitted to given decision values against a direct minimization of the same likelihood.
    scipy_optimize = pytest.importorskip("scipy.optimize")
    rng = np.random.default_rng(0)
    y = np.where(rng.random(80) < 0.5, 1.0, -1.0)
    f = y * 1.5 + rng.standard_normal(80)
    n_pos, n_neg = (y > 0).sum(), (y < 0).sum()
    t = np.where(y > 0, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))

    def nll(ab):
        z = ab[0] * f + ab[1]
        return np.sum(t * z + np.logaddexp(0, -z))

    best = scipy_optimize.minimize(nll, [0.0, 0.0], method="BFGS", options={"gtol": 1e-10}).x
    assert_allclose(fit_sigmoid(np, f, y), best, rtol=1e-4)


def test_probabilities_are_close_to_sklearns():
    # The folds differ (libsvm's generator), so the sigmoids do too: loosely, and the same argmax mostly.
    X, y = load_iris(return_X_y=True)
    ours = SVC(probability=True, random_state=0).fit(X, y).predict_proba(X)
    with pytest.warns(FutureWarning):
        ref = SkSVC(probability=True, random_state=0).fit(X, y).predict_proba(X)
    assert_allclose(ours.sum(axis=1), 1.0, rtol=1e-6)
    assert np.abs(ours - ref).mean() < 0.05
    assert (ours.argmax(axis=1) == ref.argmax(axis=1)).mean() > 0.95
    with pytest.raises(AttributeError, match="probability"):
        SVC().fit(X, y).predict_proba(X)


@pytest.mark.parametrize("working_set", [None, 16], ids=["whole", "working-sets"])
def test_a_tol_beyond_float32_stops_where_no_step_moves(backend, monkeypatch, working_set):
    # In float32 the SMO gap stalls near 1e-7 of F's scale: with tol=1e-8, steps that round to nothing must end
    # the fit with a warning that says so, at the float32 optimum, long before max_iter (-1, the default, never
    # stops it). Both the plain SMO and the outer loop of working sets (16 variables of 100).
    _skip_repeats(backend)
    if working_set:
        monkeypatch.setattr(kernel_base.BaseKernelSVM, "_working_set_size", lambda self, N: working_set)
    X, y = DATASETS["breast_cancer"]
    X, y = np.vstack([X, X[:40] + 0.3]), np.concatenate([y, y[:40]])
    with pytest.warns(ConvergenceWarning, match=r"SMO stopped at the gap .* above tol=1e-08: no step moves the "
                                                r"solution further in float32 arithmetic"):
        ours = SVC(tol=1e-8, max_iter=100_000).fit(X.astype(np.float32), y)
    assert int(to_numpy(ours.n_iter_)[0]) < 5_000
    assert ours.dual_coef_.dtype == make_backend(backend.name).xp.float32
    ref = SkSVC(**TIGHT).fit(X, y)
    _assert_same_svm(ours, ref, X, 1.0)
