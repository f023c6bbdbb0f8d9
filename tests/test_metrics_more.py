"""The further metrics (balanced accuracy, MCC, kappa, Jaccard, top-k, average precision, the precision-recall
curve, the quantile and logarithmic regression metrics) and their scorers, against scikit-learn on every backend."""

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm

from tests.helpers import assert_allclose, assert_on_backend
from tests.test_metrics import N, TOL, draw_labels, ours, reference
from xpml import metrics
from xpml.exceptions import UndefinedMetricWarning


def same(got, want):
    """A float or an array of the metric equals scikit-learn's, to TOL (NaN where scikit-learn's is NaN)."""
    if isinstance(want, float) and np.isnan(want):
        assert np.isnan(got)
    else:
        assert_allclose(got, want, rtol=TOL, atol=TOL)


# ---- scores read off the confusion matrix, Jaccard, zero-one and Hamming losses --------------------------------


@pytest.mark.parametrize("seed", [0, 1])
def test_label_scores_match_sklearn(backend, xp, device, seed):
    yt, yp, w = draw_labels(seed)
    yb, pb = yt % 2, yp % 2  # binary
    for y_true, y_pred in ((yt, yp), (yb, pb)):
        T, P = xp.asarray(y_true, device=device), xp.asarray(y_pred, device=device)
        for weights in (None, w):
            kw = dict(sample_weight=weights)
            for name, extra in (("balanced_accuracy_score", {}), ("balanced_accuracy_score", {"adjusted": True}),
                                ("matthews_corrcoef", {}), ("hamming_loss", {}), ("zero_one_loss", {}),
                                ("zero_one_loss", {"normalize": False}), ("cohen_kappa_score", {}),
                                ("cohen_kappa_score", {"weights": "linear", "labels": [3, 1, 0]}),
                                ("cohen_kappa_score", {"weights": "quadratic"})):
                got = ours(getattr(metrics, name), T, P, **kw, **extra)
                assert isinstance(got, float)
                same(got, reference(getattr(skm, name), y_true, y_pred, **kw, **extra))
    T, P = xp.asarray(yt, device=device), xp.asarray(yp, device=device)
    for average in ("micro", "macro", "weighted", None):
        for labels, zero_division in ((None, "warn"), ([0, 2, 3, 7], 1.0)):
            kw = dict(average=average, labels=labels, sample_weight=w, zero_division=zero_division)
            got = ours(metrics.jaccard_score, T, P, **kw)
            same(got, reference(skm.jaccard_score, yt, yp, **kw))
            if average is None:
                assert_on_backend(got, backend)
    Tb, Pb = xp.asarray(yb, device=device), xp.asarray(pb, device=device)
    for pos_label in (0, 1):
        same(metrics.jaccard_score(Tb, Pb, pos_label=pos_label, sample_weight=w),
             skm.jaccard_score(yb, pb, pos_label=pos_label, sample_weight=w))


def test_label_scores_of_strings_lists_and_series():
    rng = np.random.default_rng(3)
    names = np.array(["ant", "bee", "cat"])
    yt, yp = names[rng.integers(0, 3, 40)], names[rng.integers(0, 3, 40)]
    for name in ("balanced_accuracy_score", "matthews_corrcoef", "cohen_kappa_score", "hamming_loss", "zero_one_loss"):
        same(getattr(metrics, name)(yt.tolist(), yp), getattr(skm, name)(yt, yp))
    same(metrics.cohen_kappa_score(yt, yp, labels=["cat", "ant"], weights="quadratic"),
         skm.cohen_kappa_score(yt, yp, labels=["cat", "ant"], weights="quadratic"))
    same(metrics.jaccard_score(yt, yp, average="weighted"), skm.jaccard_score(yt, yp, average="weighted"))
    two = names[rng.integers(0, 2, 30)]
    same(metrics.jaccard_score(two, two[::-1], pos_label="bee"), skm.jaccard_score(two, two[::-1], pos_label="bee"))
    pd = pytest.importorskip("pandas")
    same(metrics.matthews_corrcoef(pd.Series(yt), pd.Series(yp)), skm.matthews_corrcoef(yt, yp))
    same(metrics.balanced_accuracy_score(pd.Series([1, 2, 2, 3]), [1, 2, 3, 3]),
         skm.balanced_accuracy_score([1, 2, 2, 3], [1, 2, 3, 3]))
    y, score = [0, 1, 1, 0, 1], [0.1, 0.8, 0.3, 0.3, 0.9]
    same(metrics.average_precision_score(pd.Series(y), pd.Series(score)), skm.average_precision_score(y, score))
    same(metrics.median_absolute_error(pd.Series(score), y), skm.median_absolute_error(score, y))


def test_label_scores_at_their_edges():
    # A class predicted but absent from y_true has no recall: left out, with a warning.
    with pytest.warns(UserWarning, match="y_pred contains classes not in y_true"):
        got = metrics.balanced_accuracy_score([0, 1, 1], [0, 2, 1], adjusted=True)
    assert got == pytest.approx(reference(skm.balanced_accuracy_score, [0, 1, 1], [0, 2, 1], adjusted=True), abs=TOL)
    assert metrics.balanced_accuracy_score([1, 1, 1], [1, 1, 1]) == 1.0
    with pytest.warns(UndefinedMetricWarning, match="adjusted balanced accuracy is undefined"):
        assert np.isnan(metrics.balanced_accuracy_score([1, 1, 1], [1, 1, 1], adjusted=True))
    # All predictions equal: a factor of MCC's denominator is 0, and MCC is 0.
    for y_pred in ([1, 1, 1, 1], [0, 0, 0, 0]):
        assert metrics.matthews_corrcoef([0, 1, 1, 0], y_pred) == skm.matthews_corrcoef([0, 1, 1, 0], y_pred) == 0.0
    assert metrics.matthews_corrcoef([0, 1, 1, 0], [1, 0, 0, 1]) == -1.0
    # Kappa of a single class in common is 0 / 0: replace_undefined_by.
    with pytest.warns(UndefinedMetricWarning, match="a single class in common"):
        assert np.isnan(metrics.cohen_kappa_score([0, 0, 0], [0, 0, 0]))
    with pytest.warns(UndefinedMetricWarning, match="no sample of labels in common"):
        assert metrics.cohen_kappa_score([0, 1], [2, 2], labels=[0, 1], replace_undefined_by=0.5) == 0.5
    # A single class that is not pos_label: the Jaccard index is 0 / 0.
    with pytest.warns(UndefinedMetricWarning, match="Jaccard is ill-defined"):
        assert metrics.jaccard_score([0, 0], [0, 0]) == 0.0
    assert metrics.jaccard_score([0, 0], [0, 0], zero_division=1.0) == skm.jaccard_score([0, 0], [0, 0],
                                                                                         zero_division=1.0) == 1.0
    got = ours(metrics.jaccard_score, [0, 1, 2], [0, 1, 1], labels=[5], average="weighted")
    assert got == reference(skm.jaccard_score, [0, 1, 2], [0, 1, 1], labels=[5], average="weighted") == 0.0


def test_label_scores_refuse_bad_input():
    with pytest.raises(ValueError, match=r"None of labels=\['z'\] is in y1; at least one should be"):
        metrics.cohen_kappa_score(["a", "b"], ["a", "a"], labels=["z"])
    with pytest.raises(ValueError, match="weights='square' should be one of 'linear', 'quadratic'"):
        metrics.cohen_kappa_score([0, 1], [0, 1], weights="square")
    with pytest.raises(ValueError, match=r"replace_undefined_by=2.0 should be >= -1 and <= 1"):
        metrics.cohen_kappa_score([0, 1], [0, 1], replace_undefined_by=2.0)
    with pytest.raises(TypeError, match="adjusted should be a bool; got 'yes'"):
        metrics.balanced_accuracy_score([0, 1], [0, 1], adjusted="yes")
    with pytest.raises(ValueError, match="sample_weight gives every sample of y_true a weight of 0"):
        metrics.balanced_accuracy_score([0, 1, 1], [0, 1, 0], sample_weight=[0.0, 0.0, 0.0])  # 0/0 before
    with pytest.raises(ValueError, match='zero_division=nan should be "warn", 0.0 or 1.0'):
        metrics.jaccard_score([0, 1], [0, 1], zero_division=np.nan)
    with pytest.raises(ValueError, match=r"average='binary' needs binary labels, but y_true and y_pred hold 3 classes"):
        metrics.jaccard_score([0, 1, 2], [0, 1, 1])
    with pytest.raises(ValueError, match=r"pos_label=2 is not a valid label: it should be one of \[0, 1\]"):
        metrics.jaccard_score([0, 1], [0, 1], pos_label=2)
    with pytest.raises(ValueError, match="y_true and y_pred have different numbers of samples"):
        metrics.hamming_loss([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="Mix of label types"):
        metrics.zero_one_loss(["a", "b"], [0, 1])
    with pytest.raises(ValueError, match="continuous values"):
        metrics.matthews_corrcoef([0.5, 1.0], [0.0, 1.0])


# ---- top-k accuracy ----------------------------------------------------------------------------------------------


def test_top_k_accuracy_matches_sklearn(backend, xp, device):
    yt, _, w = draw_labels(0)
    rng = np.random.default_rng(0)
    proba = np.round(rng.dirichlet(np.ones(4), N), 1)  # rounded: ties, which rank the later class first
    S = xp.asarray(proba, device=device)
    for k in (1, 2, 3):
        for kw in ({}, {"sample_weight": w, "normalize": False}):
            same(metrics.top_k_accuracy_score(yt, S, k=k, **kw), skm.top_k_accuracy_score(yt, proba, k=k, **kw))
    y_three = np.where(yt == 3, 0, yt)  # class 3 never true: labels name the columns' classes
    same(metrics.top_k_accuracy_score(xp.asarray(y_three, device=device), S, k=1, labels=[0, 1, 2, 3]),
         skm.top_k_accuracy_score(y_three, proba, k=1, labels=[0, 1, 2, 3]))
    yb = yt % 2
    for scores in (proba[:, 0], proba[:, 0] - 0.3):  # probabilities (threshold 0.5), decision values (threshold 0)
        same(metrics.top_k_accuracy_score(yb, xp.asarray(scores, device=device), k=1, sample_weight=w),
             skm.top_k_accuracy_score(yb, scores, k=1, sample_weight=w))
    with pytest.warns(UndefinedMetricWarning, match="k=2 >= n_classes=2: every sample is a hit"):
        assert metrics.top_k_accuracy_score(yb, xp.asarray(proba[:, 0], device=device), k=2) == 1.0


def test_top_k_accuracy_of_strings_and_bad_input():
    names = np.array(["a", "b", "c"])
    y, scores = names[[0, 1, 2, 2]], [[0.5, 0.5, 0.0], [0.5, 0.5, 0.0], [0.2, 0.3, 0.5], [0.4, 0.4, 0.2]]
    for k in (1, 2):
        same(metrics.top_k_accuracy_score(y, scores, k=k), skm.top_k_accuracy_score(y, scores, k=k))
    with pytest.raises(ValueError, match="k=0 should be >= 1"):
        metrics.top_k_accuracy_score(y, scores, k=0)
    with pytest.raises(ValueError, match=r"y_true holds 2 classes but y_score has shape \(4, 3\)"):
        metrics.top_k_accuracy_score([0, 1, 1, 0], scores)
    with pytest.raises(ValueError, match=r"y_score should have shape \(n_samples, n_classes\) for y_true of 3 classes"):
        metrics.top_k_accuracy_score(y, [0.1, 0.2, 0.3, 0.4])
    with pytest.raises(ValueError, match="y_true holds 1 classes but y_score scores 2"):
        metrics.top_k_accuracy_score([1, 1], [0.2, 0.7], k=1)
    with pytest.raises(ValueError, match=r"labels should be unique and sorted; got \['c', 'b', 'a'\]"):
        metrics.top_k_accuracy_score(y, scores, labels=["c", "b", "a"])


# ---- the precision-recall curve and average precision ------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1])  # the curve's length depends on the data: jax would compile anew
def test_precision_recall_curve_and_average_precision(backend, xp, device, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, N)
    score = np.round(y + rng.standard_normal(N), 1)  # rounding makes ties
    counts = rng.integers(0, 4, N).astype(float)  # integer weights (some 0): sums are exact
    S = xp.asarray(score, device=device)
    for weights, drop in ((None, False), (None, True), (counts, True)):
        got = metrics.precision_recall_curve(y, S, sample_weight=weights, drop_intermediate=drop)
        want = skm.precision_recall_curve(y, score, sample_weight=weights, drop_intermediate=drop)
        for g, r in zip(got, want):
            assert_on_backend(g, backend)
            assert_allclose(g, r, rtol=TOL)
    w = rng.uniform(0.1, 2.0, N)
    for pos_label in (0, 1):
        for weights in (None, counts, w):
            got = metrics.average_precision_score(xp.asarray(y, device=device), S, pos_label=pos_label,
                                                  sample_weight=weights)
            same(got, skm.average_precision_score(y, score, pos_label=pos_label, sample_weight=weights))
    labels = np.array(["no", "yes"])[y]
    assert_allclose(metrics.precision_recall_curve(labels, S, pos_label="no")[0],
                    skm.precision_recall_curve(labels, score, pos_label="no")[0], rtol=TOL)
    same(metrics.average_precision_score(labels, S, pos_label="yes"),
         skm.average_precision_score(labels, score, pos_label="yes"))


@pytest.mark.parametrize("average", ["macro", "weighted", "micro", "samples", None])
def test_multiclass_average_precision(backend, xp, device, average):
    yt, _, w = draw_labels(2)
    rng = np.random.default_rng(2)
    proba = np.round(rng.dirichlet(np.ones(4), N) + 0.3 * np.eye(4)[yt], 1)  # informative, with ties
    P = xp.asarray(proba, device=device)
    for weights in (None, w):
        got = metrics.average_precision_score(yt, P, average=average, sample_weight=weights)
        same(got, skm.average_precision_score(yt, proba, average=average, sample_weight=weights))
        if average is None:
            assert_on_backend(got, backend)


def test_curve_and_average_precision_at_their_edges():
    # No positive sample: recall is set to 1, and AP is 0.
    with pytest.warns(UserWarning, match="No positive samples in y_true"):
        got = metrics.precision_recall_curve([0, 0, 0], [0.1, 0.2, 0.3])
    for g, r in zip(got, reference(skm.precision_recall_curve, [0, 0, 0], [0.1, 0.2, 0.3])):
        assert_allclose(g, r, atol=0)
    with pytest.warns(UserWarning, match="No positive samples in y_true"):
        assert metrics.average_precision_score([0, 0, 0], [0.1, 0.2, 0.3]) == 0.0
    assert metrics.average_precision_score([1, 1, 1], [0.1, 0.2, 0.3]) == 1.0
    # Every score tied: a single threshold, precision the prevalence.
    for g, r in zip(metrics.precision_recall_curve([0, 1, 1, 0], [0.5] * 4),
                    skm.precision_recall_curve([0, 1, 1, 0], [0.5] * 4)):
        assert_allclose(g, r, atol=0)
    assert metrics.average_precision_score([0, 1, 1, 0], [0.5] * 4) == 0.5
    # Binary labels other than {0, 1}: pos_label=1 is among them.
    same(metrics.average_precision_score([1, 2, 2], [0.1, 0.2, 0.3]), skm.average_precision_score([1, 2, 2],
                                                                                                   [0.1, 0.2, 0.3]))


def test_curve_and_average_precision_refuse_bad_input():
    with pytest.raises(ValueError, match=r"y_true takes values in \[1, 2\] and pos_label is not given"):
        metrics.precision_recall_curve([1, 2, 2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match=r"pos_label=1 is not a valid label: it should be one of \[0, 2\]"):
        metrics.average_precision_score([0, 2, 2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="pos_label=2 applies to binary y_true only; y_true holds 3 classes"):
        metrics.average_precision_score([0, 1, 2], np.eye(3), pos_label=2)
    with pytest.raises(ValueError, match=r"y_score should have shape \(n_samples, n_classes\) = \(n_samples, 3\)"):
        metrics.average_precision_score([0, 1, 2], np.eye(3)[:, :2])
    with pytest.raises(ValueError, match="pass the positive class's column"):
        metrics.average_precision_score([0, 1, 1], np.eye(3)[:, :2])
    with pytest.raises(ValueError, match="average='mean' should be one of"):
        metrics.average_precision_score([0, 1, 2], np.eye(3), average="mean")
    with pytest.raises(TypeError, match="drop_intermediate should be a bool"):
        metrics.precision_recall_curve([0, 1], [0.1, 0.2], drop_intermediate=None)


def test_precision_recall_curve_refuses_dask_saying_what_to_do():
    da = pytest.importorskip("dask.array")
    y = da.from_array(np.array([0, 1, 1, 0]), chunks=2)
    with pytest.raises(ValueError, match=r"precision_recall_curve .*backend='dask'.* Use average_precision_score"):
        metrics.precision_recall_curve(y, y * 0.5)


# ---- regression --------------------------------------------------------------------------------------------------

REGRESSION = ("explained_variance_score", "median_absolute_error", "mean_absolute_percentage_error",
              "mean_squared_log_error", "root_mean_squared_log_error", "mean_pinball_loss", "d2_absolute_error_score")


@pytest.mark.parametrize("seed", [0, 1])
def test_regression_metrics_match_sklearn(backend, xp, device, seed):
    rng = np.random.default_rng(seed)
    yt = np.round(np.abs(rng.standard_normal((N, 3))), 1)  # >= 0 for the log metrics; rounded: ties for medians
    yp = np.abs(yt + rng.standard_normal((N, 3)))
    yt[:3, 0] = 0.0  # zero targets: MAPE's floor
    counts = rng.integers(0, 3, N).astype(float)  # integer weights: the median falls on a half exactly
    T, P = xp.asarray(yt, device=device), xp.asarray(yp, device=device)
    for name in REGRESSION:
        fn, ref = getattr(metrics, name), getattr(skm, name)
        for weights in (None, counts, rng.uniform(0.1, 2.0, N)):
            for multioutput in ("raw_values", "uniform_average", [0.2, 0.3, 0.5]):
                got = fn(T, P, sample_weight=weights, multioutput=multioutput)
                same(got, ref(yt, yp, sample_weight=weights, multioutput=multioutput))
                if multioutput == "raw_values":
                    assert_on_backend(got, backend)
        same(fn(T[:, 0], P[:, 0]), ref(yt[:, 0], yp[:, 0]))
    for alpha in (0.1, 0.9):
        same(metrics.mean_pinball_loss(T, P, alpha=alpha, multioutput="raw_values"),
             skm.mean_pinball_loss(yt, yp, alpha=alpha, multioutput="raw_values"))
    same(metrics.explained_variance_score(T, P, multioutput="variance_weighted", sample_weight=counts),
         skm.explained_variance_score(yt, yp, multioutput="variance_weighted", sample_weight=counts))
    same(metrics.max_error(T[:, 1], P[:, 1]), skm.max_error(yt[:, 1], yp[:, 1]))


@pytest.mark.parametrize("multioutput", ["raw_values", "uniform_average", "variance_weighted"])
def test_explained_variance_and_d2_of_constant_targets(multioutput):
    yt = np.column_stack([np.arange(6.0), np.full(6, 2.0), np.full(6, -1.0)])  # two constant outputs
    yp = np.column_stack([yt[:, 0] + 1.0, np.full(6, 2.0), np.zeros(6)])  # a bias; one hit exactly, one missed
    for force_finite in (True, False):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            want = skm.explained_variance_score(yt, yp, multioutput=multioutput, force_finite=force_finite)
        same(metrics.explained_variance_score(yt, yp, multioutput=multioutput, force_finite=force_finite), want)
    if multioutput != "variance_weighted":
        same(metrics.d2_absolute_error_score(yt, yp, multioutput=multioutput),
             skm.d2_absolute_error_score(yt, yp, multioutput=multioutput))
    assert metrics.explained_variance_score(yt[:, 0], yp[:, 0]) == 1.0  # a constant bias costs nothing


def test_regression_metrics_at_their_edges_and_bad_input():
    with pytest.warns(UndefinedMetricWarning, match="D² is undefined with fewer than two samples"):
        assert np.isnan(metrics.d2_absolute_error_score([1.0], [1.0]))
    assert metrics.mean_absolute_percentage_error([0, 1], [1, 1]) == skm.mean_absolute_percentage_error([0, 1], [1, 1])
    assert metrics.median_absolute_error([1.0, 2, 3, 4], [1.0, 2, 4, 0]) == 0.5
    with pytest.raises(ValueError, match=r"max_error takes a single output; y_true and y_pred have shape \(2, 2\)"):
        metrics.max_error([[1, 2], [3, 4]], [[1, 3], [3, 4]])
    with pytest.raises(ValueError, match=r"y_true and y_pred should be > -1; y_true holds -1.0"):
        metrics.mean_squared_log_error([-1, 2], [1, 3])
    with pytest.raises(ValueError, match=r"root_mean_squared_log_error takes log\(1 \+ y\).*y_pred holds -1.5"):
        metrics.root_mean_squared_log_error([1, 2], [-1.5, 3])
    with pytest.raises(ValueError, match="alpha=1.5 should be >= 0 and <= 1"):
        metrics.mean_pinball_loss([0, 1], [1, 1], alpha=1.5)
    with pytest.raises(ValueError, match="multioutput='variance_weighted' should be one of 'raw_values', 'uniform"):
        metrics.d2_absolute_error_score([1.0, 2], [1.0, 2], multioutput="variance_weighted")
    with pytest.raises(ValueError, match="multioutput has 2 weights but there are 1 outputs"):
        metrics.median_absolute_error([1.0, 2], [1.0, 2], multioutput=[0.5, 0.5])
    with pytest.raises(ValueError, match=r"y_true and y_pred should have the same shape; got \(2, 1\) and \(2, 2\)"):
        metrics.explained_variance_score(np.zeros((2, 1)), np.zeros((2, 2)))


# ---- scorers -----------------------------------------------------------------------------------------------------

CLASSIFIER_SCORERS = ["balanced_accuracy", "matthews_corrcoef", "top_k_accuracy", "average_precision", "jaccard",
                      "jaccard_micro", "jaccard_macro", "jaccard_weighted"]
REGRESSOR_SCORERS = ["explained_variance", "neg_max_error", "neg_median_absolute_error",
                     "neg_mean_absolute_percentage_error", "neg_mean_squared_log_error",
                     "neg_root_mean_squared_log_error", "d2_absolute_error_score"]


def test_scorers_score_as_sklearns_of_the_same_name():
    from xpml.linear_model import LinearRegression, LogisticRegression

    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 3))
    y_binary = (X[:, 0] + 0.5 * rng.standard_normal(40) > 0).astype(int)
    y_three = np.digitize(X[:, 0] + 0.5 * rng.standard_normal(40), [-0.5, 0.5])
    y_positive = np.exp(X @ [0.3, -0.2, 0.1] + 0.1 * rng.standard_normal(40))
    cases = [(LogisticRegression().fit(X, y_binary), y_binary, CLASSIFIER_SCORERS),
             (LogisticRegression().fit(X, y_three), y_three, ["balanced_accuracy", "matthews_corrcoef",
                                                              "top_k_accuracy", "average_precision",
                                                              "jaccard_macro"]),
             (LinearRegression().fit(X, y_positive), y_positive, REGRESSOR_SCORERS)]
    for estimator, y, names in cases:
        for name in names:
            assert name in metrics.get_scorer_names()
            got = ours(metrics.get_scorer(name), estimator, X, y)  # top_k_accuracy of 2 classes warns
            assert got == pytest.approx(reference(skm.get_scorer(name), estimator, X, y), rel=TOL, abs=TOL), name
