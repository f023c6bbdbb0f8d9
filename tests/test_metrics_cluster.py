"""The clustering metrics against scikit-learn's, on every backend: those comparing two labelings (pair counts,
mutual information and its normalized and adjusted forms, homogeneity, completeness, V-measure, the contingency
table) and those computed from the data (Calinski-Harabasz, Davies-Bouldin)."""

import numpy as np
import pytest
import sklearn.metrics as skm
import sklearn.metrics.cluster as skc

import xpml
from tests.helpers import assert_allclose, assert_on_backend
from xpml import metrics
from xpml.metrics import cluster

SCORES = ["adjusted_mutual_info_score", "adjusted_rand_score", "completeness_score", "fowlkes_mallows_score",
          "homogeneity_score", "mutual_info_score", "normalized_mutual_info_score", "rand_score", "v_measure_score"]
RNG = np.random.default_rng(0)
_A = RNG.integers(0, 5, 120)
PAIRS = {
    "partly agreeing": (_A, np.where(RNG.random(120) < 0.5, _A % 3, RNG.integers(0, 4, 120))),
    "renamed": (np.arange(30) % 3, (np.arange(30) + 1) % 3),
    "one cluster against singletons": (np.zeros(9, int), np.arange(9)),
    "both one cluster": (np.zeros(6, int), np.zeros(6, int)),
}


@pytest.mark.parametrize("case", list(PAIRS))
def test_label_comparisons_match_sklearn(backend, xp, device, case):
    a, b = PAIRS[case]
    A, B = xp.asarray(a, device=device), xp.asarray(b, device=device)
    for name in SCORES:
        assert getattr(metrics, name)(A, B) == pytest.approx(getattr(skm, name)(a, b), rel=1e-12, abs=1e-12), name
    for method in ("min", "geometric", "arithmetic", "max"):
        for name in ("adjusted_mutual_info_score", "normalized_mutual_info_score"):
            assert getattr(metrics, name)(A, B, average_method=method) == pytest.approx(
                getattr(skm, name)(a, b, average_method=method), rel=1e-12, abs=1e-12), (name, method)
    ours = metrics.homogeneity_completeness_v_measure(A, B, beta=2.0)
    np.testing.assert_allclose(ours, skm.homogeneity_completeness_v_measure(a, b, beta=2.0), rtol=1e-12, atol=1e-12)
    pairs = metrics.pair_confusion_matrix(A, B)
    assert_on_backend(pairs, backend)
    np.testing.assert_array_equal(xpml.to_numpy(pairs), skm.pair_confusion_matrix(a, b))
    table = cluster.contingency_matrix(A, B)
    assert_on_backend(table, backend)
    np.testing.assert_array_equal(xpml.to_numpy(table), skc.contingency_matrix(a, b))
    assert metrics.mutual_info_score(None, None, contingency=table) == pytest.approx(skm.mutual_info_score(a, b),
                                                                                     rel=1e-12, abs=1e-12)


def test_string_labels_contingency_forms_and_entropy():
    a, b = np.array(list("vwxyz"))[PAIRS["partly agreeing"][0]], PAIRS["partly agreeing"][1]
    for name in SCORES:
        assert getattr(metrics, name)(a, b) == pytest.approx(getattr(skm, name)(a, b), rel=1e-12, abs=1e-12), name
    np.testing.assert_array_equal(cluster.contingency_matrix(a, b, sparse=True).toarray(),
                                  skc.contingency_matrix(a, b, sparse=True).toarray())
    np.testing.assert_allclose(cluster.contingency_matrix(a, b, eps=0.5), skc.contingency_matrix(a, b, eps=0.5))
    assert cluster.contingency_matrix(a, b, dtype=np.float32).dtype == np.float32
    table = skc.contingency_matrix(a, b)
    for given in (table, skc.contingency_matrix(a, b, sparse=True)):  # the labels are then not read
        assert metrics.mutual_info_score(None, None, contingency=given) == pytest.approx(
            skm.mutual_info_score(a, b), rel=1e-12)
    with pytest.warns(FutureWarning):  # scikit-learn 1.9 deprecates its entropy; xpml keeps it
        assert cluster.entropy(a) == pytest.approx(skc.entropy(a), rel=1e-12)
    with pytest.raises(ValueError, match=r"eps adds to every entry"):
        cluster.contingency_matrix(a, b, eps=1.0, sparse=True)
    with pytest.raises(ValueError, match=r"contingency should be a 2-D table of counts >= 0"):
        metrics.mutual_info_score(None, None, contingency=-table)


def test_expected_mutual_information_in_blocks(monkeypatch):
    """E[MI] summed a block of (class, cluster, n_ij) terms at a time: a tiny block gives the same sum."""
    from xpml.metrics import _cluster_labels

    a, b = RNG.integers(0, 4, 400), RNG.integers(0, 7, 400)
    whole = metrics.adjusted_mutual_info_score(a, b)
    monkeypatch.setattr(_cluster_labels, "_BLOCK", 30)
    assert metrics.adjusted_mutual_info_score(a, b) == pytest.approx(whole, rel=1e-13)
    assert whole == pytest.approx(skm.adjusted_mutual_info_score(a, b), rel=1e-12)


def test_data_scores_match_sklearn(backend, xp, device):
    X = RNG.normal(size=(60, 3)) + np.repeat(np.eye(3) * 3, 20, axis=0)
    labels = np.repeat(np.arange(3), 20)
    labels[::7] = (labels[::7] + 1) % 3  # some in the wrong cluster
    Xb, Lb = xp.asarray(X, device=device), xp.asarray(labels, device=device)
    assert metrics.calinski_harabasz_score(Xb, Lb) == pytest.approx(skm.calinski_harabasz_score(X, labels), rel=1e-12)
    assert metrics.davies_bouldin_score(Xb, Lb) == pytest.approx(skm.davies_bouldin_score(X, labels), rel=1e-12)
    same = np.repeat(np.arange(3), 2)
    points = np.repeat(np.eye(3), 2, axis=0)  # each cluster one point twice: no spread
    assert metrics.davies_bouldin_score(points, same) == skm.davies_bouldin_score(points, same) == 0.0
    assert metrics.calinski_harabasz_score(points, same) == skm.calinski_harabasz_score(points, same) == 1.0
    with pytest.raises(ValueError, match=r"Number of labels is 1. Valid values are 2 to n_samples - 1"):
        metrics.davies_bouldin_score(X, np.zeros(60))
    with pytest.raises(ValueError, match=r"Number of labels is 60"):
        metrics.calinski_harabasz_score(X, np.arange(60))


def test_clustering_scorers_by_name():
    """scikit-learn's scorer names of the label comparisons, scoring predict's clusters against y."""
    from sklearn.cluster import KMeans as SkKMeans

    X = np.repeat(np.eye(3) * 5, 10, axis=0) + RNG.normal(size=(30, 3))
    y = np.repeat(np.arange(3), 10)
    model = SkKMeans(3, n_init=1, random_state=0).fit(X)
    for name in SCORES:
        assert name in metrics.get_scorer_names()
        assert metrics.get_scorer(name)(model, X, y) == pytest.approx(skm.get_scorer(name)(model, X, y), rel=1e-12)


def test_bad_arguments_are_named():
    a, b = PAIRS["renamed"]
    with pytest.raises(ValueError, match=r"average_method='mean' should be one of"):
        metrics.normalized_mutual_info_score(a, b, average_method="mean")
    with pytest.raises(ValueError, match=r"labels_true and labels_pred have different numbers of samples"):
        metrics.rand_score(a, b[:-1])
    with pytest.raises(ValueError, match=r"beta=-1.0 should be >= 0"):
        metrics.v_measure_score(a, b, beta=-1.0)
    with pytest.raises(ValueError, match=r"dtype='text' should name a numeric dtype"):
        cluster.contingency_matrix(a, b, dtype="text")
    assert_allclose(metrics.v_measure_score(a, b, beta=0.0), skm.v_measure_score(a, b, beta=0.0))


def test_float_labels_and_multilabel_accuracy():
    """Cluster labels may be any floats (scikit-learn warns and scores them); accuracy, the zero-one and Hamming
    losses take multilabel indicator matrices (subset accuracy; the Hamming loss per label), as scikit-learn's."""
    import warnings

    a, b = [0.5, 0.5, 1.5, 2.5], [1.0, 2.0, 2.0, 2.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for name in SCORES:
            assert getattr(metrics, name)(a, b) == pytest.approx(getattr(skm, name)(a, b), rel=1e-12, abs=1e-12)
    truth = RNG.integers(0, 2, (30, 4))
    guess, w = np.where(RNG.random((30, 4)) < 0.2, 1 - truth, truth), RNG.uniform(0, 2, 30)
    for name in ("accuracy_score", "zero_one_loss", "hamming_loss"):
        assert getattr(metrics, name)(truth, guess, sample_weight=w) == pytest.approx(
            getattr(skm, name)(truth, guess, sample_weight=w), rel=1e-12)
    with pytest.raises(ValueError, match=r"multilabel indicator matrices of 0 and 1 of one shape"):
        metrics.accuracy_score(truth, guess[:, :3])
