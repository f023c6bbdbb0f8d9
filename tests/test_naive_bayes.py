"""GaussianNB and MultinomialNB against scikit-learn (log-probabilities to 1e-8), on every backend."""

import numpy as np
import pytest
from sklearn.naive_bayes import GaussianNB as SkGaussianNB
from sklearn.naive_bayes import MultinomialNB as SkMultinomialNB

import xpml
from tests.helpers import assert_allclose, assert_on_backend
from xpml.datasets import load_digits, load_iris, load_wine
from xpml.exceptions import NotFittedError
from xpml.naive_bayes import GaussianNB, MultinomialNB

DATA = {name: load(return_X_y=True)
        for name, load in [("iris", load_iris), ("wine", load_wine), ("digits", load_digits)]}


def _assert_log_proba(ours, ref, X):
    assert_allclose(ours.predict_log_proba(X), ref.predict_log_proba(X), rtol=1e-8, atol=1e-8)
    assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=1e-8, atol=1e-10)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


# ---- GaussianNB ------------------------------------------------------------------------------


@pytest.mark.parametrize("dataset", ["iris", "wine", "digits"])
def test_gaussian_matches_sklearn(backend, dataset):
    X, y = DATA[dataset]
    ours, ref = GaussianNB().fit(X, y), SkGaussianNB().fit(X, y)
    _assert_log_proba(ours, ref, X)
    assert_on_backend(ours.theta_, backend)
    assert_allclose(ours.theta_, ref.theta_, rtol=1e-12, atol=1e-12)
    assert_allclose(ours.var_, ref.var_, rtol=1e-10)
    assert_allclose(ours.epsilon_, ref.epsilon_, rtol=1e-12)
    assert_allclose(ours.class_count_, ref.class_count_, rtol=0)
    assert_allclose(ours.class_prior_, ref.class_prior_, rtol=1e-15)
    assert ours.score(X, y) == ref.score(X, y)


def test_gaussian_priors_and_var_smoothing(backend):
    X, y = DATA["wine"]
    ours = GaussianNB(priors=[0.2, 0.5, 0.3], var_smoothing=1e-3).fit(X, y)
    ref = SkGaussianNB(priors=[0.2, 0.5, 0.3], var_smoothing=1e-3).fit(X, y)
    _assert_log_proba(ours, ref, X)
    assert_allclose(ours.class_prior_, [0.2, 0.5, 0.3], rtol=1e-15)


def test_gaussian_sample_weight(backend):
    X, y = DATA["iris"]
    w = np.random.default_rng(0).uniform(0.1, 3.0, size=len(y))
    _assert_log_proba(GaussianNB().fit(X, y, sample_weight=w), SkGaussianNB().fit(X, y, sample_weight=w), X)
    counts = np.random.default_rng(1).integers(1, 4, size=len(y))
    weighted = GaussianNB().fit(X, y, sample_weight=counts)
    repeated = GaussianNB().fit(np.repeat(X, counts, axis=0), np.repeat(y, counts))
    assert_allclose(weighted.theta_, repeated.theta_, rtol=1e-12)
    # epsilon_ comes from the unweighted variance, as in scikit-learn, so compare the raw variances
    assert_allclose(weighted.var_ - weighted.epsilon_, repeated.var_ - repeated.epsilon_, rtol=1e-10)


def test_gaussian_partial_fit_equals_fit_on_everything(backend):
    X, y = DATA["digits"]
    order = np.argsort(y, kind="stable")  # batches hold different classes, some none of a class
    X, y = X[order], y[order]
    model = GaussianNB()
    for batch in np.array_split(np.arange(len(y)), 4):
        model.partial_fit(X[batch], y[batch], classes=np.arange(10))
    whole = GaussianNB().fit(X, y)
    assert_allclose(model.theta_, whole.theta_, rtol=1e-12, atol=1e-12)
    assert_allclose(model.var_, whole.var_, rtol=1e-10)
    assert_allclose(model.epsilon_, whole.epsilon_, rtol=1e-12)
    assert_allclose(model.predict_log_proba(X), whole.predict_log_proba(X), rtol=1e-8, atol=1e-8)


def test_gaussian_partial_fit_matches_sklearn_without_smoothing(backend):
    # with var_smoothing=0, scikit-learn's per-batch epsilon plays no part: the updates must agree
    X, y = DATA["iris"]
    order = np.random.default_rng(0).permutation(len(y))
    ours, ref = GaussianNB(var_smoothing=0.0), SkGaussianNB(var_smoothing=0.0)
    w = np.random.default_rng(1).uniform(0.5, 2.0, size=len(y))
    for batch in np.array_split(order, 5):
        ours.partial_fit(X[batch], y[batch], classes=[0, 1, 2], sample_weight=w[batch])
        ref.partial_fit(X[batch], y[batch], classes=[0, 1, 2], sample_weight=w[batch])
    assert_allclose(ours.var_, ref.var_, rtol=1e-10)
    _assert_log_proba(ours, ref, X)


def test_gaussian_many_features_do_not_underflow(backend):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 3000)) + np.repeat([0.0, 0.3], 30)[:, None]
    y = np.repeat([0, 1], 30)
    ours, ref = GaussianNB().fit(X, y), SkGaussianNB().fit(X, y)
    jll = ref._joint_log_likelihood(X)
    assert np.all(np.exp(jll) == 0)  # the likelihoods themselves underflow
    _assert_log_proba(ours, ref, X)


# ---- MultinomialNB ---------------------------------------------------------------------------


@pytest.mark.parametrize(("alpha", "fit_prior", "class_prior"), [
    (1.0, True, None), (0.01, True, None), (2.5, False, None), (1.0, True, [0.05] * 5 + [0.15] * 5),
])
def test_multinomial_matches_sklearn_on_digits(backend, alpha, fit_prior, class_prior):
    X, y = DATA["digits"]  # pixel intensities 0..16 as counts
    ours = MultinomialNB(alpha=alpha, fit_prior=fit_prior, class_prior=class_prior).fit(X, y)
    ref = SkMultinomialNB(alpha=alpha, fit_prior=fit_prior, class_prior=class_prior).fit(X, y)
    _assert_log_proba(ours, ref, X)
    assert_on_backend(ours.feature_log_prob_, backend)
    assert_allclose(ours.feature_count_, ref.feature_count_, rtol=0)
    assert_allclose(ours.class_count_, ref.class_count_, rtol=0)
    assert_allclose(ours.feature_log_prob_, ref.feature_log_prob_, rtol=1e-13)
    assert_allclose(ours.class_log_prior_, ref.class_log_prior_, rtol=1e-13)


def test_multinomial_word_counts_with_weights_and_partial_fit(backend):
    rng = np.random.default_rng(3)
    rates = rng.gamma(0.3, 1.0, size=(4, 2000))  # four classes over a vocabulary of 2000 words
    y = rng.integers(0, 4, size=200)
    X = rng.poisson(rates[y] * 0.5)  # (200, 2000), mostly zeros
    w = rng.uniform(0.2, 2.0, size=200)
    ref = SkMultinomialNB(alpha=0.5).fit(X, y, sample_weight=w)
    _assert_log_proba(MultinomialNB(alpha=0.5).fit(X, y, sample_weight=w), ref, X)
    stream = MultinomialNB(alpha=0.5)
    for batch in np.array_split(np.arange(200), 3):
        stream.partial_fit(X[batch], y[batch], classes=[0, 1, 2, 3], sample_weight=w[batch])
    _assert_log_proba(stream, ref, X)


def test_multinomial_a_class_not_yet_seen_in_the_stream(backend):
    X, y = DATA["digits"]
    first = y < 5
    model = MultinomialNB().partial_fit(X[first], y[first], classes=np.arange(10))
    ref = SkMultinomialNB().partial_fit(X[first], y[first], classes=np.arange(10))
    log_proba = xpml.to_numpy(model.predict_log_proba(X[:20]))
    assert np.all(log_proba[:, 5:] == -np.inf)  # a prior of 0
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(log_proba[:, :5], ref.predict_log_proba(X[:20])[:, :5], rtol=1e-8, atol=1e-8)
    model.partial_fit(X[~first], y[~first])
    _assert_log_proba(model, SkMultinomialNB().fit(X, y), X)


# ---- both ------------------------------------------------------------------------------------


@pytest.mark.parametrize("Model", [GaussianNB, MultinomialNB])
def test_labels_outputs_and_float32(backend, xp, device, Model):
    X, y = DATA["iris"]
    names = np.array(["setosa", "versicolor", "virginica"])
    model = Model().fit(X, names[y])
    np.testing.assert_array_equal(model.classes_, names)
    X_backend = xp.asarray(X, device=device)
    assert_on_backend(model.predict_proba(X_backend), backend)
    assert isinstance(model.predict_log_proba(X), np.ndarray)
    assert model.predict(X_backend).dtype.kind == "U"
    single = Model().fit(X.astype(np.float32), y)
    assert single.predict_log_proba(X.astype(np.float32)).dtype == np.float32
    assert_allclose(single.predict_proba(X.astype(np.float32)), Model().fit(X, y).predict_proba(X), atol=1e-4)


def test_errors():
    X, y = DATA["iris"]
    with pytest.raises(ValueError, match=r"X should hold counts >= 0 for MultinomialNB; got a value of -1.0"):
        MultinomialNB().fit(np.vstack([X, -np.ones(4)]), np.append(y, 0))
    with pytest.raises(ValueError, match=r"alpha=-1 should be >= 0"):
        MultinomialNB(alpha=-1).fit(X, y)
    with pytest.raises(ValueError, match=r"alpha should hold one value per feature, n_features=4; got shape \(3,\)"):
        MultinomialNB(alpha=[1.0, 1.0, 1.0]).fit(X, y)
    with pytest.raises(ValueError, match=r"var_smoothing=-1 should be >= 0"):
        GaussianNB(var_smoothing=-1).fit(X, y)
    with pytest.raises(ValueError, match=r"priors has shape \(2,\); expected one per class, \(3,\)"):
        GaussianNB(priors=[0.5, 0.5]).fit(X, y)
    with pytest.raises(ValueError, match=r"priors should sum to 1; got a sum of 1.2"):
        GaussianNB(priors=[0.5, 0.5, 0.2]).fit(X, y)
    with pytest.raises(ValueError, match=r"priors should be >= 0"):
        GaussianNB(priors=[1.5, -0.5, 0.0]).fit(X, y)
    with pytest.raises(ValueError, match=r"class_prior has shape \(2,\); expected one per class, \(3,\)"):
        MultinomialNB(class_prior=[0.5, 0.5]).fit(X, y)
    with pytest.raises(ValueError, match=r"classes=None: the first call to partial_fit needs every class"):
        GaussianNB().partial_fit(X, y)
    model = GaussianNB().partial_fit(X[:10], y[:10], classes=[0, 1, 2])
    with pytest.raises(ValueError, match=r"y contains labels \[7\] that are not in classes=\[0, 1, 2\]"):
        model.partial_fit(X[:2], [0, 7])
    with pytest.raises(ValueError, match=r"classes=\[0, 1\] differs from classes_=\[0, 1, 2\]"):
        model.partial_fit(X[:2], [0, 1], classes=[0, 1])
    with pytest.raises(ValueError, match=r"X has 3 features, but GaussianNB is expecting 4 features as input"):
        model.partial_fit(X[:2, :3], [0, 1])
    with pytest.raises(NotFittedError, match="not fitted yet"):
        MultinomialNB().predict(X)


# ---- scikit-learn's parameters, each against scikit-learn ----------------------------------------

@pytest.mark.parametrize("force_alpha", [True, False])
@pytest.mark.parametrize("alpha", [0.0, 1e-12, 0.5, "per-feature"])
def test_multinomial_alpha_and_force_alpha_as_sklearn(backend, alpha, force_alpha):
    import warnings
    X, y = DATA["digits"]
    if alpha == "per-feature":
        alpha = np.linspace(0.0, 2.0, X.shape[1])
    small = np.min(alpha) < 1e-10 and not force_alpha
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = MultinomialNB(alpha=alpha, force_alpha=force_alpha).fit(X, y)
    assert any("alpha too small" in str(w.message) for w in caught) == small
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn's own: alpha too small, log of 0
        ref = SkMultinomialNB(alpha=alpha, force_alpha=force_alpha).fit(X, y)
        rows = np.all(np.isfinite(ref.predict_joint_log_proba(X)), axis=1)
        ref_pred = ref.predict(X)
        pred = xpml.to_numpy(ours.predict(X))
    assert_allclose(ours.feature_log_prob_, ref.feature_log_prob_, rtol=1e-13)  # -inf where alpha = 0 and no count
    np.testing.assert_array_equal(pred[rows], ref_pred[rows])


@pytest.mark.parametrize(("Model", "SkModel"), [(GaussianNB, SkGaussianNB), (MultinomialNB, SkMultinomialNB)])
def test_joint_log_probabilities_are_sklearns(backend, xp, device, Model, SkModel):
    """predict_joint_log_proba: log P(c) + log P(x | c), whose log-softmax is predict_log_proba."""
    X, y = DATA["wine"]
    ours, ref = Model().fit(X, y), SkModel().fit(X, y)
    joint = ours.predict_joint_log_proba(xp.asarray(X, device=device))
    assert_on_backend(joint, backend)
    assert_allclose(joint, ref.predict_joint_log_proba(X), rtol=1e-10)
    joint = xpml.to_numpy(joint)
    shifted = joint - joint.max(axis=1, keepdims=True)
    assert_allclose(shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True)), ours.predict_log_proba(X),
                    rtol=1e-10, atol=1e-12)
