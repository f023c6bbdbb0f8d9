"""AgglomerativeClustering against scikit-learn on every backend: labels_ exactly (scikit-learn's numbering of the
clusters), children_ exactly and distances_ to 1e-12 on data without ties, with and without a connectivity graph."""

import warnings

import numpy as np
import pytest
from sklearn.cluster import AgglomerativeClustering as SkAgglomerativeClustering
from sklearn.cluster import FeatureAgglomeration as SkFeatureAgglomeration
from sklearn.datasets import make_blobs
from sklearn.metrics import pairwise_distances
from sklearn.neighbors import kneighbors_graph

import xpml
from tests.helpers import assert_on_backend
from xpml import to_numpy
from xpml.cluster import AgglomerativeClustering, FeatureAgglomeration
from xpml.utils._set_line import line_setter, set_lines

# 40 points in 3-D, 4 blobs: no two merges of any linkage at the same distance. Every test uses these points (or
# their distances), so that jax compiles the merges' loop for one n.
X = make_blobs(n_samples=40, centers=4, n_features=3, cluster_std=1.2, random_state=3)[0]
# 3 nearest neighbours: a graph of 4 connected components, which the fit completes (with a warning)
GRAPH = kneighbors_graph(X, 3, include_self=False)


def fit_both(data, **params):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="the number of connected components")
        return AgglomerativeClustering(**params).fit(data), SkAgglomerativeClustering(**params).fit(data)


def assert_same_tree(ours, ref):
    """labels_, n_clusters_, children_ exactly; distances_ (when kept) to 1e-12."""
    np.testing.assert_array_equal(to_numpy(ours.labels_), ref.labels_)
    np.testing.assert_array_equal(to_numpy(ours.children_), ref.children_)
    assert ours.n_clusters_ == ref.n_clusters_
    assert ours.n_leaves_ == ref.n_leaves_ and ours.n_connected_components_ == ref.n_connected_components_
    assert hasattr(ours, "distances_") == hasattr(ref, "distances_")
    if hasattr(ref, "distances_"):
        np.testing.assert_allclose(to_numpy(ours.distances_), ref.distances_, rtol=0, atol=1e-12)


def test_ward_and_single_linkage_are_sklearns(backend):
    """Both algorithms on every backend: Ward's merges of the Lance-Williams matrix, and Prim's tree for single
    linkage, cut by a distance threshold into many clusters (scikit-learn's numbering at work)."""
    ours, ref = fit_both(X, n_clusters=4, compute_distances=True)
    assert_same_tree(ours, ref)
    for name in ("labels_", "children_", "distances_"):
        assert_on_backend(getattr(ours, name), backend)
    assert ours.n_features_in_ == 3 and len(set(ref.labels_)) == 4
    ours, ref = fit_both(X, n_clusters=None, distance_threshold=2.0, linkage="single")
    assert_same_tree(ours, ref)
    assert ref.n_clusters_ == 8


def test_connectivity_is_sklearns_structured_clustering(backend):
    """Ward on a graph of 4 connected components, which the fit completes (with a warning), as scikit-learn does."""
    with pytest.warns(UserWarning, match=r"the number of connected components of the connectivity matrix is 4 > 1"):
        ours = AgglomerativeClustering(6, connectivity=GRAPH, compute_distances=True).fit(X)
    ref = fit_both(X, n_clusters=6, connectivity=GRAPH, compute_distances=True)[1]
    assert_same_tree(ours, ref)
    assert ref.n_connected_components_ == 4 and ours.n_connected_components_ == 4


# The other settings on numpy and torch: the same array code as above, with other formulas and branches.
@pytest.mark.parametrize("spec", ["numpy", "torch"])
@pytest.mark.parametrize("linkage, metric", [("complete", "manhattan"), ("average", "cosine"), ("single", "l1"),
                                             ("single", "cosine"), ("average", "precomputed"),
                                             ("single", "precomputed")])
def test_linkages_and_metrics_are_sklearns(spec, linkage, metric):
    pytest.importorskip(spec)
    data = pairwise_distances(X, metric="cityblock") if metric == "precomputed" else X
    with xpml.use_backend(spec):
        assert_same_tree(*fit_both(data, n_clusters=3, linkage=linkage, metric=metric, compute_distances=True))
        threshold = 0.05 if metric == "cosine" else 3.0  # 5 to 21 clusters
        assert_same_tree(*fit_both(data, n_clusters=None, distance_threshold=threshold, linkage=linkage, metric=metric))


@pytest.mark.parametrize("spec", ["numpy", "torch"])
@pytest.mark.parametrize("linkage", ["complete", "average", "single"])
def test_structured_linkages_and_partial_trees_are_sklearns(spec, linkage):
    pytest.importorskip(spec)
    with xpml.use_backend(spec):
        assert_same_tree(*fit_both(X, n_clusters=6, linkage=linkage, connectivity=GRAPH, compute_distances=True))
        # a tree stopped at 6 clusters (single linkage keeps its whole tree), numbered by the ranks of its top nodes
        for link in ("ward", linkage):
            assert_same_tree(*fit_both(X, n_clusters=6, linkage=link, connectivity=GRAPH, compute_full_tree=False,
                                       compute_distances=True))


def test_connectivity_as_a_dense_array_or_a_callable():
    dense = kneighbors_graph(X, 12, include_self=False).toarray()  # connected
    assert_same_tree(*fit_both(X, n_clusters=3, linkage="average", connectivity=dense))
    seen = []

    def graph(points):
        seen.append(points)
        return kneighbors_graph(points, 12, include_self=False)

    ours = AgglomerativeClustering(3, linkage="average", connectivity=graph).fit(X.tolist())
    np.testing.assert_array_equal(to_numpy(ours.labels_), SkAgglomerativeClustering(3, linkage="average",
                                                                                    connectivity=dense).fit(X).labels_)
    assert isinstance(seen[0], np.ndarray)  # the callable gets X validated, in the input's library (numpy, for a list)


def test_fit_predict_gives_labels_in_the_input_library(backend, xp, device):
    labels = AgglomerativeClustering(4).fit_predict(xp.asarray(X, device=device))
    assert_on_backend(labels, backend)
    np.testing.assert_array_equal(to_numpy(labels), SkAgglomerativeClustering(4).fit(X).labels_)


@pytest.mark.parametrize("params, data, message", [
    (dict(n_clusters=41), X, r"n_samples=40 should be >= n_clusters=41"),
    (dict(n_clusters=None), X, r"Exactly one of n_clusters and distance_threshold has to be set"),
    (dict(distance_threshold=1.0), X, r"Exactly one of n_clusters and distance_threshold.*got n_clusters=2"),
    (dict(n_clusters=None, distance_threshold=1.0, compute_full_tree=False), X,
     r"compute_full_tree must be True if distance_threshold is set"),
    (dict(metric="manhattan"), X, r"metric='manhattan' was provided, but linkage='ward' can only work with euclidean"),
    (dict(metric="precomputed", linkage="average"), X, r"X should be a square matrix of distances"),
    (dict(metric="cosine", linkage="average"), np.vstack([X[:-1], np.zeros(3)]), r"X has samples that are all zeros"),
    (dict(connectivity=np.ones((3, 3))), X, r"connectivity should be a graph of shape \(n_samples, n_samples\) = "
                                            r"\(40, 40\); got shape \(3, 3\)"),
    (dict(metric="chebyshev"), X, r"metric='chebyshev' should be one of"),
    (dict(memory=3), X, r"memory should be None or a str or a joblib.Memory"),
    (dict(), X[:1], r"X has 1 sample\(s\) while a minimum of 2 is required by AgglomerativeClustering"),
])
def test_bad_settings_are_refused_by_name(params, data, message):
    with pytest.raises((ValueError, TypeError), match=message):
        AgglomerativeClustering(**params).fit(data)


@pytest.mark.parametrize("spec", ["numpy", "torch"])
def test_the_matrix_writes_agree_with_the_masks(spec):
    """`line_setter`: the library's own write at a device index, in place, and the masks (which array_api_strict
    runs in every fit; jax's scatter runs in every fit on jax, compared there with scikit-learn)."""
    pytest.importorskip(spec)
    xp, device = xpml.make_backend(spec).xp, xpml.make_backend(spec).device
    M = xp.reshape(xp.arange(16, dtype=xp.float64, device=device), (4, 4))
    v = xp.asarray([-1.0, -2.0, -3.0, -4.0], dtype=xp.float64, device=device)
    i = xp.asarray(2, device=device)
    expected = to_numpy(line_setter(M, native=False)(M, i, v))
    assert expected[2].tolist() == [-1.0, -2.0, -3.0, -4.0] and expected[:, 2].tolist() == [-1.0, -2.0, -3.0, -4.0]
    np.testing.assert_array_equal(to_numpy(line_setter(M)(xp.asarray(M, copy=True), i, v)), expected)
    assert xpml.to_numpy(M)[0, 2] == 2.0  # the mask left its input alone


@pytest.mark.parametrize("spec", ["numpy", "torch"])
def test_the_writes_of_several_lines_agree_with_the_masks(spec):
    """`set_lines`, as the reciprocal pairs' rounds write their merged clusters: in place, and by masks (which
    array_api_strict runs in every fit)."""
    pytest.importorskip(spec)
    xp, device = xpml.make_backend(spec).xp, xpml.make_backend(spec).device
    M = xp.reshape(xp.arange(25, dtype=xp.float64, device=device), (5, 5))
    M = M + M.T
    rows = xp.asarray([3, 1], device=device)
    V = xp.asarray([[1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 2.0, 9.0]], dtype=xp.float64, device=device)
    expected = to_numpy(set_lines(M, rows, V, native=False))
    np.testing.assert_array_equal(expected[[3, 1]], to_numpy(V))
    np.testing.assert_array_equal(expected[:, [3, 1]], to_numpy(V).T)
    assert expected[0, 0] == 0.0 and expected[4, 2] == 22.0 + 14.0  # the other entries kept
    np.testing.assert_array_equal(to_numpy(set_lines(xp.asarray(M, copy=True), rows, V)), expected)


# ---- FeatureAgglomeration: the same trees over the columns ---------------------------------------------------------

# 40 samples of 40 features: ten groups of four noisy copies of a feature (no ties between columns). On every backend,
# its first 16 samples: 40 points of 16 coordinates, summed one by one as X's 3 (and jax has compiled their merges);
# the settings' test on numpy measures the columns' 40 coordinates 16 at a time.
_rng = np.random.default_rng(0)
FEATURES = np.repeat(_rng.normal(0.0, 1.0, (40, 10)), 4, axis=1) + _rng.normal(0.0, 0.3, (40, 40))


def test_feature_agglomeration_pools_sklearns_clusters(backend):
    data = FEATURES[:16]
    ours, ref = FeatureAgglomeration(10).fit(data), SkFeatureAgglomeration(10).fit(data)
    assert_same_tree(ours, ref)
    assert_on_backend(ours.labels_, backend)
    reduced = ours.transform(data)  # (16, 10): the mean of each cluster of columns
    np.testing.assert_allclose(to_numpy(reduced), ref.transform(data), rtol=1e-13, atol=1e-13)
    expanded = ref.inverse_transform(ref.transform(data))  # (16, 40): each column its cluster's mean
    np.testing.assert_allclose(to_numpy(ours.inverse_transform(reduced)), expanded, rtol=1e-13, atol=1e-13)
    assert list(ours.get_feature_names_out()) == list(ref.get_feature_names_out())
    assert not hasattr(ours, "fit_predict")  # the clusters are of features, as in scikit-learn


@pytest.mark.parametrize("params", [dict(n_clusters=5, linkage="average", metric="cosine", pooling_func=np.median),
                                    dict(n_clusters=None, distance_threshold=2.5, linkage="single"),  # 23
                                    dict(n_clusters=4, linkage="complete", connectivity=np.eye(40, k=1))])
def test_feature_agglomeration_settings_are_sklearns(params):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="the number of connected components")
        ours, ref = FeatureAgglomeration(**params).fit(FEATURES), SkFeatureAgglomeration(**params).fit(FEATURES)
    assert_same_tree(ours, ref)
    np.testing.assert_allclose(ours.transform(FEATURES), ref.transform(FEATURES), rtol=1e-13, atol=1e-13)
    np.testing.assert_array_equal(ours.inverse_transform(np.arange(ref.n_clusters_)), ref.labels_)  # 1-D: a row


def test_feature_agglomeration_names_features_in_its_messages():
    with pytest.raises(ValueError, match=r"X has 1 feature\(s\) while a minimum of 2 is required by "
                                         r"FeatureAgglomeration"):
        FeatureAgglomeration().fit(FEATURES[:, :1])
    with pytest.raises(ValueError, match=r"n_features=40 should be >= n_clusters=41"):
        FeatureAgglomeration(41).fit(FEATURES)
    with pytest.raises(ValueError, match=r"X has 2 columns, but FeatureAgglomeration found n_clusters_=3"):
        FeatureAgglomeration(3).fit(FEATURES).inverse_transform(FEATURES[:, :2])
