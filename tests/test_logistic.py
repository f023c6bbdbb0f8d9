"""LogisticRegression against scikit-learn's (lbfgs), on every backend.

Both minimize the same objective with L-BFGS from zero and the same stopping rules (max|∇| <= tol,
or a relative decrease of the loss below 64·eps), and in fact take the same number of iterations.
At tol=1e-10 the relative-decrease rule usually stops both first, which leaves the loss exact to
about 1e-14 and the coefficients to about √(2·1e-14·L/μ), μ the smallest curvature (>= 1/(C·n)):
below 1e-7 for C=1 on breast cancer, so coefficients and probabilities are compared with atol=1e-6
(C=1) and 1e-9 (C=0.1, where the gradient test stops both).
The data sets are standardized, as one does for logistic regression.
"""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

from tests.helpers import assert_allclose, assert_on_backend
from xpml.datasets import load_breast_cancer, load_wine
from xpml.exceptions import ConvergenceWarning
from xpml.linear_model import LogisticRegression

scipy = pytest.importorskip("scipy")
pytest.importorskip("scipy.special")


def _standardized(loader):
    X, y = loader(return_X_y=True)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


X_CANCER, Y_CANCER = _standardized(load_breast_cancer)  # 569 x 30, 2 classes
X_WINE, Y_WINE = _standardized(load_wine)  # 178 x 13, 3 classes
TIGHT = dict(tol=1e-10, max_iter=1000)


def _np(x):
    import xpml

    return xpml.to_numpy(x)


@pytest.mark.parametrize("C, atol", [(0.1, 1e-9), (1.0, 1e-6)])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_binary_matches_sklearn_on_breast_cancer(backend, C, atol, fit_intercept):
    ours = LogisticRegression(C=C, fit_intercept=fit_intercept, **TIGHT).fit(X_CANCER, Y_CANCER)
    ref = SkLogisticRegression(C=C, fit_intercept=fit_intercept, **TIGHT).fit(X_CANCER, Y_CANCER)
    assert_on_backend(ours.coef_, backend)
    assert ours.coef_.shape == (1, 30) and ours.intercept_.shape == (1,)
    assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=atol)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=0, atol=atol)
    assert abs(ours.n_iter_ - ref.n_iter_[0]) <= 2
    assert_allclose(ours.predict_proba(X_CANCER), ref.predict_proba(X_CANCER), rtol=0, atol=atol)
    assert_allclose(ours.decision_function(X_CANCER), ref.decision_function(X_CANCER), rtol=0, atol=100 * atol)
    assert np.array_equal(ours.predict(X_CANCER), ref.predict(X_CANCER))


@pytest.mark.parametrize("C", [0.1, 1.0])
def test_multinomial_matches_sklearn_on_wine(backend, C):
    ours = LogisticRegression(C=C, **TIGHT).fit(X_WINE, Y_WINE)
    ref = SkLogisticRegression(C=C, **TIGHT).fit(X_WINE, Y_WINE)
    assert ours.coef_.shape == (3, 13) and ours.intercept_.shape == (3,)
    assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=1e-8)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=0, atol=1e-8)
    assert_allclose(ours.predict_proba(X_WINE), ref.predict_proba(X_WINE), rtol=0, atol=1e-9)
    assert_allclose(ours.predict_log_proba(X_WINE), ref.predict_log_proba(X_WINE), rtol=1e-7, atol=1e-9)
    assert_allclose(ours.decision_function(X_WINE), ref.decision_function(X_WINE), rtol=0, atol=1e-7)
    assert ours.score(X_WINE, Y_WINE) == ref.score(X_WINE, Y_WINE)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_no_penalty_matches_sklearn(backend, n_classes):
    rng = np.random.default_rng(0)  # noisy labels: the unpenalized problem has a finite minimum
    X = rng.standard_normal((300, 4))
    logits = X @ rng.standard_normal((4, n_classes))
    y = np.array([rng.choice(n_classes, p=p) for p in scipy.special.softmax(logits, axis=1)])
    ours = LogisticRegression(penalty=None, **TIGHT).fit(X, y)
    ref = SkLogisticRegression(C=np.inf, **TIGHT).fit(X, y)
    assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=1e-6)
    assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=0, atol=1e-7)


@pytest.mark.parametrize("class_weight", ["balanced", {0: 3.0, 2: 0.5}])
def test_class_and_sample_weights_match_sklearn(backend, class_weight):
    w = np.random.default_rng(1).uniform(0.2, 2.0, size=len(Y_WINE))
    ours = LogisticRegression(class_weight=class_weight, **TIGHT).fit(X_WINE, Y_WINE, sample_weight=w)
    ref = SkLogisticRegression(class_weight=class_weight, **TIGHT).fit(X_WINE, Y_WINE, sample_weight=w)
    assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=1e-7)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=0, atol=1e-7)
    assert_allclose(ours.predict_proba(X_WINE), ref.predict_proba(X_WINE), rtol=0, atol=1e-8)


def test_class_weight_is_a_sample_weight(backend):
    weights = {0: 2.0, 1: 0.5}
    by_class = LogisticRegression(class_weight=weights, **TIGHT).fit(X_CANCER, Y_CANCER)
    by_sample = LogisticRegression(**TIGHT).fit(X_CANCER, Y_CANCER, sample_weight=np.where(Y_CANCER == 0, 2.0, 0.5))
    assert_allclose(by_class.coef_, by_sample.coef_, rtol=1e-12, atol=1e-14)


def test_labels_of_any_type(backend):
    names = np.array(["class_0", "class_1", "class_2"], dtype=object)[Y_WINE]
    ours = LogisticRegression(**TIGHT).fit(X_WINE, names)
    ref = SkLogisticRegression(**TIGHT).fit(X_WINE, names)
    assert list(ours.classes_) == ["class_0", "class_1", "class_2"]
    assert np.array_equal(ours.predict(X_WINE), ref.predict(X_WINE))
    floats = np.where(Y_CANCER == 1, 3.0, -2.0)  # float labels; classes_[1] = 3.0 is the positive class
    binary = LogisticRegression(**TIGHT).fit(X_CANCER, floats)
    assert list(binary.classes_) == [-2.0, 3.0]
    expected = np.where(SkLogisticRegression(**TIGHT).fit(X_CANCER, Y_CANCER).predict(X_CANCER) == 1, 3.0, -2.0)
    assert_allclose(binary.predict(X_CANCER), expected)
    with pytest.raises(ValueError, match=r"Unknown label type: continuous. y holds non-integer values such as 1.5"):
        LogisticRegression().fit(X_CANCER, np.where(Y_CANCER == 1, 1.5, -2.0))  # a regression target, as scikit-learn


@pytest.mark.parametrize("loader, C", [(load_breast_cancer, 0.1), (load_wine, 1.0)])
def test_gd_solver_reaches_the_lbfgs_solution(backend, loader, C):
    X, y = _standardized(loader)
    gd = LogisticRegression(solver="gd", C=C, tol=1e-9, max_iter=5000).fit(X, y)
    lbfgs = LogisticRegression(C=C, **TIGHT).fit(X, y)
    # |w - w*| <= |∇|₂ / μ with μ >= 1/(C·n): <= 1e-9·√(n_params) · C·n, below 2e-6 here
    assert_allclose(gd.coef_, lbfgs.coef_, rtol=0, atol=2e-6)
    assert_allclose(gd.predict_proba(X), lbfgs.predict_proba(X), rtol=0, atol=1e-6)
    assert gd.n_iter_ % 10 == 0


def test_separable_data_without_penalty_neither_overflows_nor_warns(backend):
    X = np.array([[-3.0], [-2.0], [-1.0], [1.0], [2.0], [3.0]])
    y = np.array([0, 0, 0, 1, 1, 1])
    model = LogisticRegression(penalty=None).fit(X, y)  # warnings are errors in this test suite
    assert float(model.coef_[0, 0]) > 5  # the coefficient grows until the gradient is below tol
    far = np.array([[-1e6], [1e6]])  # logits of about ±1e7
    proba, log_proba = _np(model.predict_proba(far)), _np(model.predict_log_proba(far))
    assert np.all(np.isfinite(log_proba)) and np.array_equal(proba, [[1.0, 0.0], [0.0, 1.0]])
    z = _np(model.decision_function(far))
    assert_allclose(log_proba, np.column_stack([scipy.special.log_expit(-z), scipy.special.log_expit(z)]),
                    rtol=1e-12)


def test_huge_logits_in_the_multinomial_case(backend):
    model = LogisticRegression(**TIGHT).fit(X_WINE, Y_WINE)
    far = X_WINE[:5] * 1e8
    log_proba = _np(model.predict_log_proba(far))
    assert np.all(np.isfinite(log_proba))
    assert_allclose(log_proba, scipy.special.log_softmax(_np(model.decision_function(far)), axis=1), rtol=1e-12)
    assert_allclose(model.predict_proba(far), np.exp(log_proba), rtol=1e-12)


def _objective(coef, intercept, C=1.0):
    """scikit-learn's binary objective on breast cancer, divided by C·n, in float64."""
    z = X_CANCER @ np.asarray(coef, dtype=float)[0] + float(np.asarray(intercept)[0])
    return np.mean(np.logaddexp(0, z) - Y_CANCER * z) + np.sum(np.asarray(coef, dtype=float) ** 2) / (2 * C * len(z))


def test_float32_input_is_fitted_in_float32(backend):
    model = LogisticRegression().fit(X_CANCER.astype(np.float32), Y_CANCER)
    ref = SkLogisticRegression(**TIGHT).fit(X_CANCER, Y_CANCER)
    assert model._dtype == "float32" and model.predict_proba(X_CANCER.astype(np.float32)).dtype == np.float32
    # L-BFGS stops when a step decreases the loss by less than 64·eps32 ≈ 7.6e-6 (for a loss below 1);
    # near the optimum each step at least halves the excess, so the excess is at most a few such steps
    best = _objective(ref.coef_, ref.intercept_)
    assert 0 <= _objective(_np(model.coef_), _np(model.intercept_)) - best <= 4 * 64 * np.finfo(np.float32).eps


def test_output_follows_input(backend, xp, device):
    model = LogisticRegression().fit(X_WINE, Y_WINE)
    assert isinstance(model.predict_proba(X_WINE), np.ndarray)
    X_backend = xp.asarray(X_WINE, device=device)
    assert_on_backend(model.predict_proba(X_backend), backend)
    assert_on_backend(model.predict(X_backend), backend)  # integer labels follow the input too


def test_convergence_warning(backend):
    with pytest.warns(ConvergenceWarning, match=r"solver='lbfgs'\) did not converge: max_iter=3 reached"):
        model = LogisticRegression(max_iter=3).fit(X_CANCER, Y_CANCER)
    assert model.n_iter_ == 3
    with pytest.warns(ConvergenceWarning, match=r"solver='gd'\) did not converge: max_iter=100 reached"):
        LogisticRegression(solver="gd").fit(X_CANCER, Y_CANCER)


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # numpy's notice of the blow-up
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_divergence_names_the_learning_rate(backend):
    with pytest.raises(ValueError, match=r"diverged with learning_rate=1e\+300\. Try a smaller learning_rate"):
        LogisticRegression(solver="gd", learning_rate=1e300).fit(X_CANCER, Y_CANCER)


@pytest.mark.parametrize("params, error, match", [
    (dict(C=0.0), ValueError, r"C=0.0 should be > 0"),
    (dict(penalty="l3"), ValueError, r"penalty='l3' should be one of 'deprecated', 'elasticnet', 'l1', 'l2'"),
    (dict(solver="newton"), ValueError, r"solver='newton' should be one of 'gd', 'lbfgs', 'liblinear'"),
    (dict(l1_ratio=1.5), ValueError, r"l1_ratio=1.5 should be"),
    (dict(solver="lbfgs", dual=True), ValueError, r"dual=True needs solver='liblinear'"),
    (dict(solver="liblinear"), ValueError, r"solver='liblinear' takes two classes"),
    (dict(penalty="elasticnet", l1_ratio=None), ValueError, r"l1_ratio must be a number in \[0, 1\]"),
    (dict(class_weight="even"), ValueError, r"class_weight='even' should be one of 'balanced'"),
    (dict(class_weight={5: 1.0}), ValueError, r"class_weight has labels \[5\] that are not classes of y"),
    (dict(learning_rate=-1.0), ValueError, r"learning_rate=-1.0 should be > 0"),
])
def test_bad_parameters(params, error, match):
    with pytest.raises(error, match=match):
        LogisticRegression(**params).fit(X_WINE, Y_WINE)


def test_a_single_class_is_refused():
    with pytest.raises(ValueError, match=r"y has 1 class\(es\) \(\[1\]\); a classifier needs at least 2"):
        LogisticRegression().fit(X_WINE, np.ones(len(Y_WINE), dtype=int))


def test_scikit_learn_scorers_read_the_positive_class_probability():
    """scikit-learn's scorers and inspection tools choose a method by its name (`predict_proba`) and then keep the
    positive class's column of a binary model: an xpml model's scores equal those of scikit-learn's own model."""
    from sklearn.metrics import get_scorer

    X, y = load_breast_cancer(return_X_y=True)
    X = X[:, :3]
    ours = LogisticRegression(tol=1e-10, max_iter=1000).fit(X, y)
    theirs = SkLogisticRegression(tol=1e-10, max_iter=1000).fit(X, y)
    assert LogisticRegression.predict_proba.__name__ == "predict_proba"
    for name in ("roc_auc", "neg_log_loss", "average_precision"):
        assert get_scorer(name)(ours, X, y) == pytest.approx(get_scorer(name)(theirs, X, y), rel=1e-6), name
