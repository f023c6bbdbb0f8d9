"""BernoulliNB, ComplementNB and CategoricalNB against scikit-learn: every fitted attribute and every output to
1e-12, on every backend; partial_fit against fit on everything, sample weights, sparse X, and bad input."""

import warnings

import numpy as np
import pytest
import sklearn.naive_bayes as sk

import xpml
from tests.helpers import assert_allclose, assert_on_backend
from xpml.naive_bayes import BernoulliNB, CategoricalNB, ComplementNB, MultinomialNB

TOL = dict(rtol=1e-12, atol=1e-12)
RNG = np.random.default_rng(0)

# Word counts as in 20 newsgroups, in small: 4 topics of unbalanced sizes, each a profile over 30 words.
Y = np.repeat([0, 1, 2, 3], [36, 20, 14, 10])  # (80,)
_profiles = RNG.gamma(0.4, 1.0, size=(4, 30))
COUNTS = RNG.poisson(_profiles[Y] * 0.8).astype(float)  # (80, 30), mostly zeros
# Category codes: 5 features of 3, 5, 2, 4 and 6 categories, each class with its own distribution over them.
CARDINALITIES = [3, 5, 2, 4, 6]
CODES = np.column_stack([
    np.array([RNG.choice(k, p=RNG.dirichlet(np.ones(k), size=4)[c]) for c in Y]) for k in CARDINALITIES
]).astype(float)  # (80, 5)
CODES[:6] = np.minimum(np.arange(6)[:, None], np.array(CARDINALITIES) - 1)  # every feature reaches its largest code
WEIGHTS = RNG.uniform(0.2, 3.0, size=len(Y))


def _fitted(model):
    return {k: v for k, v in vars(model).items() if k.endswith("_") and not k.startswith("_")}


def assert_as_sklearn(ours, ref, X, y=Y):
    """Every fitted attribute of scikit-learn's model, and every output, equal to 1e-12."""
    theirs, mine = _fitted(ref), _fitted(ours)
    assert set(theirs) == set(mine)
    for name, want in theirs.items():
        got = mine[name]
        if name == "classes_":
            np.testing.assert_array_equal(got, want)
        elif isinstance(want, list):  # CategoricalNB: one array per feature
            assert isinstance(got, list) and len(got) == len(want)
            for j, (g, w) in enumerate(zip(got, want)):
                assert_allclose(g, w, **TOL, err_msg=f"{name}[{j}]")
        else:
            assert_allclose(got, want, **TOL, err_msg=name)
    for method in ("predict_proba", "predict_log_proba", "predict_joint_log_proba"):
        assert_allclose(getattr(ours, method)(X), getattr(ref, method)(X), **TOL, err_msg=method)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    assert ours.score(X, y) == ref.score(X, y)


CASES = [
    (BernoulliNB, {}, COUNTS),
    (BernoulliNB, {"binarize": 1.5, "alpha": 0.3}, COUNTS),
    (BernoulliNB, {"binarize": None, "fit_prior": False}, (COUNTS > 0).astype(float)),
    (BernoulliNB, {"class_prior": [0.1, 0.2, 0.3, 0.4]}, COUNTS),
    (ComplementNB, {}, COUNTS),
    (ComplementNB, {"norm": True}, COUNTS),
    (ComplementNB, {"alpha": np.linspace(0.1, 2.0, 30), "norm": True, "fit_prior": False}, COUNTS),
    (ComplementNB, {"alpha": 0.2, "class_prior": [0.4, 0.3, 0.2, 0.1]}, COUNTS),
    (CategoricalNB, {}, CODES),
    (CategoricalNB, {"min_categories": 7, "alpha": 0.5}, CODES),
    (CategoricalNB, {"min_categories": [1, 8, 2, 6, 3], "fit_prior": False}, CODES),
    (CategoricalNB, {"class_prior": [0.25, 0.25, 0.25, 0.25], "alpha": 2.0}, CODES),
]


@pytest.mark.parametrize(("Model", "params", "X"), CASES,
                         ids=[f"{model.__name__}-{i}" for i, (model, _, _) in enumerate(CASES)])
def test_every_attribute_and_output_is_sklearns(backend, Model, params, X):
    ours = Model(**params).fit(X, Y)
    ref = getattr(sk, Model.__name__)(**params).fit(X, Y)
    assert_as_sklearn(ours, ref, X)
    assert_on_backend(ours.class_count_, backend)
    log_prob = ours.feature_log_prob_[0] if Model is CategoricalNB else ours.feature_log_prob_
    assert_on_backend(log_prob, backend)


@pytest.mark.parametrize(("Model", "X"), [(ComplementNB, COUNTS), (BernoulliNB, COUNTS), (CategoricalNB, CODES)])
def test_sample_weight_as_sklearn_and_as_repeated_samples(backend, Model, X):
    ref = getattr(sk, Model.__name__)().fit(X, Y, sample_weight=WEIGHTS)
    assert_as_sklearn(Model().fit(X, Y, sample_weight=WEIGHTS), ref, X)
    times = np.arange(len(Y)) % 3  # 0, 1 or 2 copies of each sample
    weighted = Model().fit(X, Y, sample_weight=times)
    repeated = Model().fit(np.repeat(X, times, axis=0), np.repeat(Y, times))
    for name, value in _fitted(repeated).items():
        if name != "classes_" and not isinstance(value, list):
            assert_allclose(_fitted(weighted)[name], value, **TOL, err_msg=name)
    assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), **TOL)


@pytest.mark.parametrize(("Model", "X"), [(BernoulliNB, COUNTS), (ComplementNB, COUNTS), (CategoricalNB, CODES)])
def test_partial_fit_equals_fit_on_everything(backend, Model, X):
    # batches of different classes (some lack a class), and, for the codes, of growing largest codes
    order = np.argsort(X[:, 4] if Model is CategoricalNB else Y, kind="stable")
    stream = Model()
    for batch in np.array_split(order, 4):  # 20 samples each
        stream.partial_fit(X[batch], Y[batch], classes=[0, 1, 2, 3], sample_weight=WEIGHTS[batch])
    whole = getattr(sk, Model.__name__)().fit(X, Y, sample_weight=WEIGHTS)
    assert_as_sklearn(stream, whole, X)
    if Model is not CategoricalNB:  # the same bookkeeping as scikit-learn's stream (see CategoricalNB's Notes)
        ref = getattr(sk, Model.__name__)()
        for batch in np.array_split(order, 4):
            ref.partial_fit(X[batch], Y[batch], classes=[0, 1, 2, 3], sample_weight=WEIGHTS[batch])
        assert_as_sklearn(stream, ref, X)


def test_categorical_tables_widen_as_the_stream_brings_codes(backend):
    first = CODES[:, 4] < 3
    model = CategoricalNB().partial_fit(CODES[first], Y[first], classes=[0, 1, 2, 3])
    np.testing.assert_array_equal(xpml.to_numpy(model.n_categories_), CODES[first].max(axis=0) + 1)
    assert tuple(model.category_count_[4].shape) == (4, 3)
    with pytest.raises(ValueError, match=r"X\[\d+, 4\] = [345]\.0 is a category CategoricalNB did not see at fit: "
                                         r"feature 4 has n_categories_\[4\]=3 \(codes 0 to 2\)"):
        model.predict(CODES)
    model.partial_fit(CODES[~first], Y[~first])
    np.testing.assert_array_equal(xpml.to_numpy(model.n_categories_), CARDINALITIES)
    assert_as_sklearn(model, sk.CategoricalNB().fit(CODES, Y), CODES)


def test_categorical_unseen_code_at_predict_is_refused_unless_min_categories_covers_it(backend):
    X_new = CODES[:3].copy()
    X_new[1, 1] = 6.0  # feature 1 has codes 0..4 in the training data
    with pytest.raises(IndexError):  # scikit-learn: an IndexError from its own indexing
        sk.CategoricalNB().fit(CODES, Y).predict(X_new)
    with pytest.raises(ValueError, match=r"X\[1, 1\] = 6.0 is a category CategoricalNB did not see at fit: feature 1 "
                                         r"has n_categories_\[1\]=5 \(codes 0 to 4\). Fit with min_categories"):
        CategoricalNB().fit(CODES, Y).predict(X_new)
    least = [3, 7, 2, 4, 6]
    ours, ref = CategoricalNB(min_categories=least).fit(CODES, Y), sk.CategoricalNB(min_categories=least).fit(CODES, Y)
    assert_as_sklearn(ours, ref, X_new, Y[:3])
    # a code never seen has the smoothed probability α / (N_cj + α K_j) in every class
    counts = np.bincount(Y).astype(float)
    assert_allclose(ours.feature_log_prob_[1][:, 6], -np.log(counts + 7), **TOL)


def test_categorical_codes_are_truncated_as_sklearn(backend):
    X = CODES + 0.6  # 1.6 is code 1, as scikit-learn's cast to int makes it
    ours, ref = CategoricalNB().fit(X, Y), sk.CategoricalNB().fit(X, Y)
    assert_as_sklearn(ours, ref, X)
    assert_allclose(ours.predict_proba(CODES), CategoricalNB().fit(CODES, Y).predict_proba(CODES), **TOL)


@pytest.mark.parametrize("Model", [BernoulliNB, ComplementNB])
def test_sparse_counts_give_the_dense_fit(backend, Model):
    X = pytest.importorskip("scipy.sparse").csr_matrix(COUNTS)
    ours = Model(alpha=0.5).fit(X, Y, sample_weight=WEIGHTS)
    assert_as_sklearn(ours, getattr(sk, Model.__name__)(alpha=0.5).fit(COUNTS, Y, sample_weight=WEIGHTS), X)
    assert_allclose(ours.predict_proba(X), Model(alpha=0.5).fit(COUNTS, Y, sample_weight=WEIGHTS).predict_proba(COUNTS),
                    **TOL)
    stream = Model(alpha=0.5).partial_fit(X[:40], Y[:40], classes=[0, 1, 2, 3]).partial_fit(X[40:], Y[40:])
    assert_allclose(stream.feature_log_prob_, Model(alpha=0.5).fit(COUNTS, Y).feature_log_prob_, **TOL)


@pytest.mark.parametrize(("Model", "X"), [(BernoulliNB, COUNTS), (ComplementNB, COUNTS), (CategoricalNB, CODES)])
def test_outputs_follow_the_input_and_float32_stays_float32(backend, xp, device, Model, X):
    model = Model().fit(X, Y)
    assert_on_backend(model.predict_proba(xp.asarray(X, device=device)), backend)
    assert isinstance(model.predict_log_proba(X), np.ndarray)
    single = Model().fit(X.astype(np.float32), Y)
    assert xpml.to_numpy(single.predict_joint_log_proba(X.astype(np.float32))).dtype == np.float32
    assert_allclose(single.predict_proba(X.astype(np.float32)), model.predict_proba(X), atol=1e-5)


def test_bernoulli_alpha_per_feature_is_the_closed_form(backend):
    alpha = np.linspace(0.1, 3.0, COUNTS.shape[1])
    model = BernoulliNB(alpha=alpha).fit(COUNTS, Y)
    present = np.stack([(COUNTS[Y == c] > 0).sum(axis=0) for c in range(4)])  # (4, 30)
    total = np.bincount(Y)[:, None] + 2 * alpha  # (4, 30)
    p = (present + alpha) / total
    assert_allclose(model.feature_log_prob_, np.log(p), **TOL)
    B = (COUNTS > 0).astype(float)
    jll = np.log(np.bincount(Y) / len(Y)) + B @ np.log(p).T + (1 - B) @ np.log(1 - p).T
    assert_allclose(model.predict_joint_log_proba(COUNTS), jll, **TOL)


def test_without_smoothing_a_class_is_ruled_out_instead_of_nan(backend):
    model = BernoulliNB(alpha=0.0).fit(COUNTS, Y)  # many words never (p = 0) or always (p = 1) in a class
    B = COUNTS > 0
    p = np.stack([B[Y == c].mean(axis=0) for c in range(4)])  # (4, 30)
    assert np.any(p == 0) and np.any(p == 1)
    with np.errstate(divide="ignore"):  # log 0 = -inf: a sample that contradicts p = 0 or 1 rules the class out
        log_p = np.where(B[:, None, :], np.log(p), np.log(1 - p))  # (80, 4, 30), no 0 · log 0 anywhere
        jll = np.log(np.bincount(Y) / len(Y)) + log_p.sum(axis=2)
    assert np.any(np.isinf(jll)) and not np.any(np.isnan(jll))
    assert_allclose(model.predict_joint_log_proba(COUNTS), jll, **TOL)  # the same -inf, the same finite values
    proba = xpml.to_numpy(model.predict_proba(COUNTS))  # each sample is possible in its own class at least
    assert np.all(np.isfinite(proba)) and np.allclose(proba.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    # MultinomialNB shares the rule: a word of θ_cj = 0 rules class c out, its absence (0 · log 0) counts 0
    model = MultinomialNB(alpha=0.0).fit(COUNTS, Y)
    theta = np.stack([COUNTS[Y == c].sum(axis=0) for c in range(4)])  # (4, 30)
    theta = theta / theta.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(B[:, None, :], COUNTS[:, None, :] * np.log(theta), 0.0)  # (80, 4, 30)
        jll = np.log(np.bincount(Y) / len(Y)) + terms.sum(axis=2)
    assert np.any(np.isinf(jll)) and not np.any(np.isnan(jll))
    assert_allclose(model.predict_joint_log_proba(COUNTS), jll, **TOL)


def test_too_small_alpha_warns_as_sklearn(backend):
    for Model, X in ((BernoulliNB, COUNTS), (ComplementNB, COUNTS), (CategoricalNB, CODES)):
        with pytest.warns(UserWarning, match=r"alpha too small will result in numeric errors, setting alpha = 1.0e-10"):
            ours = Model(alpha=0.0, force_alpha=False).fit(X, Y)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = getattr(sk, Model.__name__)(alpha=0.0, force_alpha=False).fit(X, Y)
        log_prob = ours.feature_log_prob_ if Model is not CategoricalNB else ours.feature_log_prob_[0]
        assert_allclose(log_prob, ref.feature_log_prob_ if Model is not CategoricalNB else ref.feature_log_prob_[0],
                        **TOL)


def test_bad_input_names_the_argument_and_the_rule():
    with pytest.raises(ValueError, match=r"Negative values in data: X should hold counts >= 0 for ComplementNB; "
                                         r"got a value of -1.0"):
        ComplementNB().fit(np.vstack([COUNTS, -np.ones(30)]), np.append(Y, 0))
    with pytest.raises(ValueError, match=r"Negative values in data: X should hold category codes >= 0 for "
                                         r"CategoricalNB; got a value of -2.0"):
        CategoricalNB().fit(np.vstack([CODES, [0, 0, -2, 0, 0]]), np.append(Y, 0))
    fitted = CategoricalNB().fit(CODES, Y)
    with pytest.raises(ValueError, match=r"Negative values in data: X should hold category codes >= 0"):
        fitted.predict(-CODES)
    with pytest.raises(ValueError, match=r"X should hold values in \[0, 1\] for BernoulliNB with binarize=None .*; "
                                         r"got a value of \d+\.0. Set binarize to a threshold"):
        BernoulliNB(binarize=None).fit(COUNTS, Y)
    with pytest.raises(ValueError, match=r"binarize=-1.0 should be >= 0"):
        BernoulliNB(binarize=-1.0).fit(COUNTS, Y)
    with pytest.raises(TypeError, match=r"norm should be a bool; got 'l2'"):
        ComplementNB(norm="l2").fit(COUNTS, Y)
    with pytest.raises(TypeError, match=r"alpha should be a number >= 0; got \[1.0, 1.0\]"):
        CategoricalNB(alpha=[1.0, 1.0]).fit(CODES, Y)
    with pytest.raises(ValueError, match=r"alpha should hold one value per feature, n_features=30; got shape \(2,\)"):
        ComplementNB(alpha=[1.0, 1.0]).fit(COUNTS, Y)
    with pytest.raises(ValueError, match=r"min_categories=0 should be >= 1"):
        CategoricalNB(min_categories=0).fit(CODES, Y)
    with pytest.raises(ValueError, match=r"min_categories should hold integers, one per feature; got \[2.0, 3.0"):
        CategoricalNB(min_categories=[2.0, 3.0, 2.0, 4.0, 6.0]).fit(CODES, Y)
    with pytest.raises(ValueError, match=r"min_categories has shape \(2,\); expected one per feature, \(5,\)"):
        CategoricalNB(min_categories=[2, 3]).fit(CODES, Y)
    with pytest.raises(ValueError, match=r"X holds category codes up to 1e\+12: CategoricalNB would count 4 classes "
                                         r"× 1e\+12 categories, more than xpml allocates"):
        CategoricalNB().fit(np.vstack([CODES, [0, 0, 1e12, 0, 0]]), np.append(Y, 0))
    with pytest.raises(TypeError, match=r"X is a sparse matrix \(csr_matrix\); sparse input is not supported here"):
        CategoricalNB().fit(pytest.importorskip("scipy.sparse").csr_matrix(CODES), Y)
    with pytest.raises(ValueError, match=r"class_prior has shape \(2,\); expected one per class, \(4,\)"):
        BernoulliNB(class_prior=[0.5, 0.5]).fit(COUNTS, Y)
    stream = BernoulliNB().partial_fit(COUNTS[:10], Y[:10], classes=[0, 1, 2, 3])
    with pytest.raises(ValueError, match=r"X has 29 features, but BernoulliNB is expecting 30 features as input"):
        stream.partial_fit(COUNTS[:5, :29], Y[:5])
