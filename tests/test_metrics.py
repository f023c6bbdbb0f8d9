"""Metrics against scikit-learn on random draws (edge cases included), on every backend, to 1e-10."""

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xpml
from tests.helpers import assert_allclose, assert_on_backend
from xpml import metrics
from xpml.exceptions import UndefinedMetricWarning

TOL = 1e-10
SEEDS = [0, 1, 2]
N = 60  # one sample count throughout: jax compiles a program per shape, and reuses it across tests


def reference(fn, *args, **kwargs):
    """scikit-learn's value, its warnings silenced (ours are checked separately)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def ours(fn, *args, **kwargs):
    """xpml's value; an UndefinedMetricWarning (a 0/0 set to zero_division) is allowed, nothing else."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        return fn(*args, **kwargs)


def draw_labels(seed, n=N, n_classes=4, never_predicted=True):
    """True and predicted labels; the last class is never predicted, the predictions are 60% right."""
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, n_classes, n)
    y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, n_classes, n))
    if never_predicted:
        y_pred = np.where(y_pred == n_classes - 1, 0, y_pred)
    return y_true, y_pred, rng.uniform(0.1, 3.0, n)


# ---- accuracy and the confusion matrix ---------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_accuracy_and_confusion_matrix(backend, xp, device, seed):
    yt, yp, w = draw_labels(seed)
    T, P = xp.asarray(yt, device=device), xp.asarray(yp, device=device)
    assert metrics.accuracy_score(T, P) == pytest.approx(skm.accuracy_score(yt, yp), abs=TOL)
    assert metrics.accuracy_score(T, P, sample_weight=w, normalize=False) == pytest.approx(
        skm.accuracy_score(yt, yp, sample_weight=w, normalize=False), rel=TOL)
    C = metrics.confusion_matrix(T, P)
    assert_on_backend(C, backend)
    assert_allclose(C, skm.confusion_matrix(yt, yp), atol=0)
    for labels, normalize in (([3, 0, 1], None), ([2, 5, 0], None), ([2, 5, 0], "true"), ([2, 5, 0], "pred"),
                              ([2, 5, 0], "all")):
        got = metrics.confusion_matrix(T, P, labels=labels, sample_weight=w, normalize=normalize)
        want = skm.confusion_matrix(yt, yp, labels=labels, sample_weight=w, normalize=normalize)
        assert_allclose(got, want, rtol=TOL, atol=TOL)


def test_confusion_matrix_of_strings_and_a_single_label():
    yt, yp = ["cat", "dog", "cat", "bird"], ["cat", "cat", "cat", "dog"]
    assert_allclose(metrics.confusion_matrix(yt, yp), skm.confusion_matrix(yt, yp), atol=0)
    assert_allclose(metrics.confusion_matrix(yt, yp, labels=["dog", "cat"]),
                    skm.confusion_matrix(yt, yp, labels=["dog", "cat"]), atol=0)
    with pytest.warns(UserWarning, match="A single label was found"):
        assert metrics.confusion_matrix([1, 1], [1, 1]).tolist() == [[2]]
    with pytest.raises(ValueError, match=r"None of labels=\['fish'\] is in y_true"):
        metrics.confusion_matrix(yt, yp, labels=["fish"])


# ---- precision, recall, F ----------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("average", ["micro", "macro", "weighted", None])
@pytest.mark.parametrize("zero_division", ["warn", 1.0, np.nan])  # 0.0 takes the path of 1.0
def test_precision_recall_f_match_sklearn(backend, xp, device, seed, average, zero_division):
    yt, yp, w = draw_labels(seed)
    T, P = xp.asarray(yt, device=device), xp.asarray(yp, device=device)
    for labels in (None, [0, 2, 3, 7]):
        for weights in (None, w):
            kw = dict(average=average, labels=labels, sample_weight=weights, zero_division=zero_division)
            got = ours(metrics.precision_recall_fscore_support, T, P, beta=2.0, **kw)
            want = reference(skm.precision_recall_fscore_support, yt, yp, beta=2.0, **kw)
            for g, r in zip(got, want):
                if r is None:
                    assert g is None
                else:
                    assert_allclose(g, r, rtol=TOL, atol=TOL)
            if average is None:
                assert_on_backend(got[0], backend)


@pytest.mark.parametrize("average", ["micro", "macro", "weighted", None])
def test_precision_recall_f1_scores(backend, xp, device, average):
    yt, yp, w = draw_labels(0)
    T, P = xp.asarray(yt, device=device), xp.asarray(yp, device=device)
    kw = dict(average=average, labels=[0, 2, 3, 7], sample_weight=w, zero_division=0.0)
    for name in ("precision_score", "recall_score", "f1_score"):
        assert_allclose(getattr(metrics, name)(T, P, **kw), getattr(skm, name)(yt, yp, **kw), rtol=TOL, atol=TOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_binary_average_and_pos_label(backend, xp, device, seed):
    rng = np.random.default_rng(seed)
    yt, yp, w = rng.integers(0, 2, N), rng.integers(0, 2, N), rng.uniform(0.5, 2.0, N)
    T, P = xp.asarray(yt, device=device), xp.asarray(yp, device=device)
    for pos_label in (0, 1):
        for name in ("precision_score", "recall_score", "f1_score"):
            got = getattr(metrics, name)(T, P, pos_label=pos_label, sample_weight=w)
            assert got == pytest.approx(getattr(skm, name)(yt, yp, pos_label=pos_label, sample_weight=w), abs=TOL)
    got = metrics.fbeta_score(T, P, beta=0.5)
    assert got == pytest.approx(skm.fbeta_score(yt, yp, beta=0.5), abs=TOL)


def test_edge_cases_a_class_never_predicted_and_a_single_class():
    # Class 2 is never predicted: its precision is 0/0.
    yt, yp = [0, 1, 2, 2, 1, 0], [0, 1, 1, 1, 1, 0]
    with pytest.warns(UndefinedMetricWarning, match="Precision is ill-defined"):
        got = metrics.precision_score(yt, yp, average="macro")
    assert got == pytest.approx(reference(skm.precision_score, yt, yp, average="macro"), abs=TOL)
    # A single class in y_true and y_pred, which is not pos_label: every count is 0.
    for zero_division in (0.0, 1.0):
        got = metrics.f1_score([0, 0, 0], [0, 0, 0], zero_division=zero_division)
        assert got == reference(skm.f1_score, [0, 0, 0], [0, 0, 0], zero_division=zero_division)
    with pytest.warns(UndefinedMetricWarning, match="F-score is ill-defined"):
        metrics.f1_score([0, 0, 0], [0, 0, 0])
    # A single class in y_true, other predictions.
    got = ours(metrics.recall_score, [1, 1, 1, 1], [1, 0, 1, 1], average=None)
    assert_allclose(got, reference(skm.recall_score, [1, 1, 1, 1], [1, 0, 1, 1], average=None), atol=TOL)


def test_string_labels():
    rng = np.random.default_rng(3)
    names = np.array(["ant", "bee", "cat"])
    yt, yp = names[rng.integers(0, 3, 50)], names[rng.integers(0, 3, 50)]
    for average in ("micro", "macro", "weighted"):
        want = skm.f1_score(yt, yp, average=average)
        assert metrics.f1_score(yt, yp, average=average) == pytest.approx(want, abs=TOL)
    assert metrics.accuracy_score(yt.tolist(), yp) == pytest.approx(skm.accuracy_score(yt, yp), abs=TOL)
    two = names[rng.integers(0, 2, 30)]
    assert metrics.recall_score(two, two[::-1], pos_label="bee") == pytest.approx(
        skm.recall_score(two, two[::-1], pos_label="bee"), abs=TOL)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(yt=st.lists(st.integers(-1, 3), min_size=10, max_size=10),
       yp=st.lists(st.integers(-1, 3), min_size=10, max_size=10))
def test_prf_on_arbitrary_labels(backend, xp, device, yt, yp):
    yt, yp = np.array(yt), np.array(yp)  # a fixed length: jax compiles once per number of classes
    T, P = xp.asarray(yt, device=device), xp.asarray(yp, device=device)
    for average in ("micro", "macro", "weighted"):
        got = ours(metrics.precision_recall_fscore_support, T, P, average=average, zero_division=0.0)
        want = reference(skm.precision_recall_fscore_support, yt, yp, average=average, zero_division=0.0)
        assert_allclose(got[:3], want[:3], atol=TOL)
    if len(set(yt) | set(yp)) > 1:
        assert_allclose(metrics.confusion_matrix(T, P), skm.confusion_matrix(yt, yp), atol=0)


def test_classification_report_text_and_dict():
    yt, yp, w = draw_labels(4, n_classes=3)
    assert ours(metrics.classification_report, yt, yp) == reference(skm.classification_report, yt, yp)
    names = ["zero", "one", "a longer name"]
    assert metrics.classification_report(yt, yp, target_names=names, digits=4, sample_weight=w, zero_division=0) == \
        skm.classification_report(yt, yp, target_names=names, digits=4, sample_weight=w, zero_division=0)
    got = metrics.classification_report(yt, yp, labels=[0, 1], output_dict=True, zero_division=0)
    want = skm.classification_report(yt, yp, labels=[0, 1], output_dict=True, zero_division=0)
    assert got.keys() == want.keys()
    for key in want:
        assert got[key] == pytest.approx(want[key], abs=TOL)


def test_errors_name_the_argument_and_the_rule():
    with pytest.raises(ValueError, match=r"average='mean' should be one of 'binary', 'macro', 'micro', 'weighted'"):
        metrics.f1_score([0, 1], [0, 1], average="mean")
    with pytest.raises(ValueError, match="y_true and y_pred have different numbers of samples: y_true has 3, y_pred "
                                         "has 2"):
        metrics.f1_score([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match=r"average='binary' needs binary labels, but y_true and y_pred hold 3 classes"):
        metrics.precision_score([0, 1, 2], [0, 1, 1])
    with pytest.raises(ValueError, match=r"pos_label=2 is not a valid label: it should be one of \[0, 1\]"):
        metrics.recall_score([0, 1], [1, 1], pos_label=2)
    with pytest.raises(ValueError, match="Mix of label types"):
        metrics.accuracy_score(["a", "b"], [0, 1])
    with pytest.raises(ValueError, match="continuous values"):
        metrics.f1_score([0.5, 1.0], [0.0, 1.0])
    with pytest.raises(ValueError, match="zero_division=2 should be"):
        metrics.f1_score([0, 1], [0, 1], zero_division=2)


# ---- log loss and regression metrics --------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_log_loss(backend, xp, device, seed):
    rng = np.random.default_rng(seed)
    yt = rng.integers(0, 3, N)
    proba = rng.dirichlet(np.ones(3), N)
    proba[0] = [1.0, 0.0, 0.0]  # a zero probability is clipped, as in scikit-learn
    w = rng.uniform(0.1, 2.0, N)
    Pr = xp.asarray(proba, device=device)
    for normalize in (True, False):
        got = metrics.log_loss(yt, Pr, sample_weight=w, normalize=normalize)
        assert got == pytest.approx(skm.log_loss(yt, proba, sample_weight=w, normalize=normalize), rel=TOL)
    p1 = rng.uniform(0.01, 0.99, N)
    yb = rng.integers(0, 2, N)
    assert metrics.log_loss(yb, xp.asarray(p1, device=device)) == pytest.approx(skm.log_loss(yb, p1), rel=TOL)
    y_missing = np.where(yt == 2, 0, yt)  # class 2 never occurs: labels name it
    assert metrics.log_loss(y_missing, Pr, labels=[0, 1, 2]) == pytest.approx(
        skm.log_loss(y_missing, proba, labels=[0, 1, 2]), rel=TOL)
    with pytest.raises(ValueError, match="y_true holds a single label"):
        metrics.log_loss([1, 1], [[0.5, 0.5], [0.2, 0.8]])
    with pytest.raises(ValueError, match="y_proba has 3 columns but there are 2 classes"):
        metrics.log_loss(yb, proba)


@pytest.mark.parametrize("seed", SEEDS)
def test_regression_metrics(backend, xp, device, seed):
    rng = np.random.default_rng(seed)
    yt, yp, w = rng.standard_normal((N, 3)), rng.standard_normal((N, 3)), rng.uniform(0.1, 2.0, N)
    T, P = xp.asarray(yt, device=device), xp.asarray(yp, device=device)
    for name in ("mean_squared_error", "root_mean_squared_error", "mean_absolute_error", "r2_score"):
        ours_fn, ref_fn = getattr(metrics, name), getattr(skm, name)
        for multioutput in ("uniform_average", "raw_values", [0.2, 0.3, 0.5]):
            got = ours_fn(T, P, sample_weight=w, multioutput=multioutput)
            assert_allclose(got, ref_fn(yt, yp, sample_weight=w, multioutput=multioutput), rtol=TOL)
            if multioutput == "raw_values":
                assert_on_backend(got, backend)
        assert ours_fn(T[:, 0], P[:, 0]) == pytest.approx(ref_fn(yt[:, 0], yp[:, 0]), rel=TOL)
    with pytest.raises(ValueError, match=r"y_true and y_pred should have the same shape; got \(60, 3\) and \(60, 2\)"):
        metrics.mean_squared_error(T, P[:, :2])


# ---- ROC -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS[:2])  # the curve's length depends on the data: jax compiles anew
def test_roc_curve_and_binary_auc(backend, xp, device, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, N)
    score = np.round(y + rng.standard_normal(N), 1)  # rounding makes ties
    counts = rng.integers(0, 4, N).astype(float)  # integer weights (some 0): sums are exact
    S = xp.asarray(score, device=device)
    for weights, drop in ((None, True), (None, False), (counts, True)):
        got = metrics.roc_curve(y, S, sample_weight=weights, drop_intermediate=drop)
        want = skm.roc_curve(y, score, sample_weight=weights, drop_intermediate=drop)
        for g, r in zip(got, want):
            assert_on_backend(g, backend)
            assert_allclose(g, r, rtol=TOL)
    w = rng.uniform(0.1, 2.0, N)
    for max_fpr in (None, 0.3, 1.0):
        got = metrics.roc_auc_score(y, S, sample_weight=w, max_fpr=max_fpr)
        assert got == pytest.approx(skm.roc_auc_score(y, score, sample_weight=w, max_fpr=max_fpr), rel=TOL)
    labels = np.array(["no", "yes"])[y]
    got = metrics.roc_curve(labels, S, pos_label="no")[1]
    assert_allclose(got, skm.roc_curve(labels, score, pos_label="no")[1], rtol=TOL)
    assert metrics.auc(*metrics.roc_curve(y, S)[:2]) == pytest.approx(skm.roc_auc_score(y, score), rel=TOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_multiclass_auc(backend, xp, device, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 4, N)
    proba = rng.dirichlet(np.ones(4), N)
    proba[np.arange(N), y] += 0.5
    proba /= proba.sum(axis=1, keepdims=True)
    w = rng.uniform(0.1, 2.0, N)
    Pr = xp.asarray(proba, device=device)
    for multi_class, average, weights in [("ovr", "macro", w), ("ovr", "weighted", w), ("ovr", "micro", w),
                                          ("ovo", "macro", None), ("ovo", "weighted", None)]:
        got = metrics.roc_auc_score(y, Pr, multi_class=multi_class, average=average, sample_weight=weights)
        want = skm.roc_auc_score(y, proba, multi_class=multi_class, average=average, sample_weight=weights)
        assert got == pytest.approx(want, rel=TOL)
    got = metrics.roc_auc_score(y, Pr, multi_class="ovr", average=None)
    assert_on_backend(got, backend)
    assert_allclose(got, skm.roc_auc_score(y, proba, multi_class="ovr", average=None), rtol=TOL)
    names = np.array(["a", "b", "c", "d"])
    assert metrics.roc_auc_score(names[y], Pr, multi_class="ovo", labels=list(names)) == pytest.approx(
        skm.roc_auc_score(names[y], proba, multi_class="ovo", labels=list(names)), rel=TOL)


def test_auc_edge_cases_and_errors():
    with pytest.warns(UndefinedMetricWarning, match="Only one class is present in y_true"):
        assert np.isnan(metrics.roc_auc_score([1, 1, 1], [0.2, 0.5, 0.9]))
    with pytest.warns(UndefinedMetricWarning, match="No negative samples in y_true"):
        fpr, tpr, _ = metrics.roc_curve([1, 1, 1], [0.2, 0.5, 0.9])
    assert np.isnan(fpr).all()
    assert_allclose(tpr, reference(skm.roc_curve, [1, 1, 1], [0.2, 0.5, 0.9])[1])
    with pytest.raises(ValueError, match=r"y_true takes values in \[1, 2\] and pos_label is not given"):
        metrics.roc_curve([1, 2, 2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="choose multi_class='ovr' or 'ovo'"):
        metrics.roc_auc_score([0, 1, 2], [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]])
    with pytest.raises(ValueError, match="each row should sum to 1"):
        metrics.roc_auc_score([0, 1, 2], [[0.8, 0.1, 0.2], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]], multi_class="ovr")
    with pytest.raises(ValueError, match=r"average='micro' is not available with multi_class='ovo'"):
        metrics.roc_auc_score([0, 1, 2], np.eye(3), multi_class="ovo", average="micro")
    with pytest.raises(ValueError, match="pass the positive class's column"):
        metrics.roc_auc_score([0, 1], [[0.8, 0.2], [0.3, 0.7]])


# ---- clustering ------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS[:2])
@pytest.mark.parametrize("metric", ["euclidean", "sqeuclidean", "cosine"])
def test_silhouette_in_chunks(backend, xp, device, seed, metric):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 4, N)
    labels[0] = 4  # a cluster of one sample scores 0
    X = rng.standard_normal((N, 3)) + labels[:, None]
    Xb = xp.asarray(X, device=device)
    want = skm.silhouette_samples(X, labels, metric=metric)
    for chunk_size in (None, 16):  # 60 = 3 * 16 + 12: a ragged last chunk
        got = metrics.silhouette_samples(Xb, labels, metric=metric, chunk_size=chunk_size)
        assert_on_backend(got, backend)
        assert_allclose(got, want, rtol=TOL, atol=TOL)
    assert metrics.silhouette_score(Xb, labels, metric=metric, chunk_size=16) == pytest.approx(
        skm.silhouette_score(X, labels, metric=metric), rel=TOL)
    D = skm.pairwise_distances(X)
    got = metrics.silhouette_score(xp.asarray(D, device=device), labels, metric="precomputed", chunk_size=16)
    assert got == pytest.approx(skm.silhouette_score(D, labels, metric="precomputed"), rel=TOL)


def test_silhouette_subsample_and_errors():
    rng = np.random.default_rng(5)
    X, labels = rng.standard_normal((50, 2)), rng.integers(0, 3, 50)
    subset = np.random.default_rng(7).permutation(50)[:30]
    assert metrics.silhouette_score(X, labels, sample_size=30, random_state=7) == pytest.approx(
        skm.silhouette_score(X[subset], labels[subset]), rel=TOL)
    assert_allclose(metrics.silhouette_samples(X, labels, chunk_size=1), skm.silhouette_samples(X, labels), rtol=TOL)
    with pytest.raises(ValueError, match=r"labels holds 1 distinct values; a silhouette needs 2 to n_samples - 1 = 49"):
        metrics.silhouette_score(X, np.zeros(50))
    with pytest.raises(ValueError, match="X and labels have different numbers of samples"):
        metrics.silhouette_score(X, labels[:10])
    with pytest.raises(ValueError, match="non-zero entries on its diagonal"):
        metrics.silhouette_score(np.ones((50, 50)), labels, metric="precomputed")


@pytest.mark.parametrize("seed", SEEDS)
def test_adjusted_rand_score(backend, xp, device, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, 5, N), rng.integers(0, 3, N)
    b = np.where(rng.random(N) < 0.5, a % 3, b)  # partly agreeing
    A, B = xp.asarray(a, device=device), xp.asarray(b, device=device)
    assert metrics.adjusted_rand_score(A, B) == pytest.approx(skm.adjusted_rand_score(a, b), rel=TOL, abs=TOL)
    assert metrics.adjusted_rand_score(A, xp.asarray((a + 1) % 5, device=device)) == 1.0  # renamed clusters
    strings = np.array(list("vwxyz"))[a]
    assert metrics.adjusted_rand_score(strings, B) == pytest.approx(skm.adjusted_rand_score(strings, b), rel=TOL)
    for edge in (np.zeros(9, int), np.arange(9)):  # one cluster; all singletons
        assert metrics.adjusted_rand_score(edge, np.arange(9)) == skm.adjusted_rand_score(edge, np.arange(9))


# ---- scorers ---------------------------------------------------------------------------------------


def test_scorers_by_name():
    assert "neg_mean_squared_error" in metrics.get_scorer_names()
    with pytest.raises(ValueError, match="scoring='accurasy' is not a known scorer"):
        metrics.get_scorer("accurasy")

    class Constant:
        classes_ = np.array([0, 1])

        def predict(self, X):
            return np.ones(len(X))

        def predict_proba(self, X):
            return np.tile([0.3, 0.7], (len(X), 1))

    X, y = np.zeros((4, 1)), np.array([0, 1, 1, 0])
    assert metrics.get_scorer("accuracy")(Constant(), X, y) == 0.5
    want = -skm.log_loss(y, Constant().predict_proba(X))
    assert metrics.get_scorer("neg_log_loss")(Constant(), X, y) == pytest.approx(want)
    assert metrics.get_scorer("roc_auc")(Constant(), X, y) == 0.5
    assert metrics.make_scorer(metrics.mean_absolute_error, greater_is_better=False)(Constant(), X, y) == -0.5


def test_metric_outputs_follow_the_input_library(backend, xp, device):
    y = xp.asarray([0, 1, 1, 2], device=device)
    assert_on_backend(metrics.confusion_matrix(y, y), backend)
    assert_on_backend(metrics.recall_score(y, y, average=None), backend)
    assert isinstance(metrics.confusion_matrix([0, 1], [0, 1]), np.ndarray)
    assert isinstance(metrics.f1_score(y, y, average="macro"), float)
    assert xpml.to_numpy(metrics.confusion_matrix(y, y)).dtype.kind == "i"


# ---- scikit-learn's further arguments ----------------------------------------------------------------


@pytest.mark.parametrize("multioutput", ["raw_values", "uniform_average", "variance_weighted"])
def test_r2_score_force_finite_as_sklearn(backend, xp, device, multioutput):
    rng = np.random.default_rng(0)
    yt = np.column_stack([rng.standard_normal(20), np.full(20, 2.0), np.full(20, -1.0)])  # two constant outputs
    yp = np.column_stack([yt[:, 0] + 0.1, np.full(20, 2.0), np.zeros(20)])  # one hit exactly, one missed
    T, P = xp.asarray(yt, device=device), xp.asarray(yp, device=device)
    for force_finite in (True, False):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            want = skm.r2_score(yt, yp, multioutput=multioutput, force_finite=force_finite)
        got = metrics.r2_score(T, P, multioutput=multioutput, force_finite=force_finite)
        assert_allclose(got, want, rtol=TOL)
    assert np.isnan(metrics.r2_score(T[:, 1], P[:, 1], force_finite=False))
    assert metrics.r2_score(T[:, 2], P[:, 2], force_finite=False) == -np.inf
    assert metrics.r2_score(T[:, 2], P[:, 2]) == 0.0


def test_log_loss_takes_the_former_name_y_pred():
    y, proba = np.array([0, 1, 1, 0]), np.array([0.2, 0.7, 0.6, 0.4])
    with pytest.warns(FutureWarning, match="log_loss's y_pred was renamed y_proba"):
        assert metrics.log_loss(y, y_pred=proba) == pytest.approx(skm.log_loss(y, proba), rel=TOL)
    with pytest.raises(ValueError, match="got both y_proba and its former name y_pred"):
        metrics.log_loss(y, proba, y_pred=proba)
    with pytest.raises(TypeError, match="log_loss needs y_proba"):
        metrics.log_loss(y)


def test_silhouette_takes_the_metric_keywords():
    rng = np.random.default_rng(0)
    X, labels = rng.standard_normal((30, 3)), np.arange(30) % 3
    assert metrics.silhouette_score(X, labels, n_jobs=2) == pytest.approx(
        skm.silhouette_score(X, labels, n_jobs=2), rel=TOL)
    assert_allclose(metrics.silhouette_samples(X, labels, n_jobs=1), skm.silhouette_samples(X, labels), rtol=TOL)
    with pytest.raises(TypeError, match=r"metric='euclidean' takes no parameters; got \['p'\]"):
        metrics.silhouette_score(X, labels, p=3)


def test_check_scoring_as_sklearn():
    from sklearn.linear_model import LinearRegression as SkLinearRegression

    from xpml.linear_model import LinearRegression

    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((30, 3)), rng.standard_normal(30)
    ours, ref = LinearRegression().fit(X, y), SkLinearRegression().fit(X, y)
    scoring = ["r2", "neg_mean_absolute_error"]
    got = metrics.check_scoring(scoring=scoring)(ours, X, y)
    want = skm.check_scoring(scoring=scoring)(ref, X, y)
    assert got.keys() == want.keys() and all(got[k] == pytest.approx(want[k], rel=TOL) for k in want)
    named = metrics.check_scoring(ours, {"mae": "neg_mean_absolute_error"})(ours, X, y)
    assert named["mae"] == pytest.approx(want["neg_mean_absolute_error"], rel=TOL)
    assert metrics.check_scoring(object(), allow_none=True) is None
    with pytest.raises(TypeError, match="scoring=None needs an estimator with a score method"):
        metrics.check_scoring(object())

    def broken(estimator, X, y):
        raise RuntimeError("no score here")

    kept = metrics.check_scoring(scoring={"bad": broken, "r2": "r2"}, raise_exc=False)(ours, X, y)
    assert "RuntimeError: no score here" in kept["bad"] and kept["r2"] == pytest.approx(want["r2"], rel=TOL)
    with pytest.raises(RuntimeError, match="no score here"):
        metrics.check_scoring(scoring={"bad": broken})(ours, X, y)
