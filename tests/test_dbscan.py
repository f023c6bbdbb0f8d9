"""DBSCAN and dbscan against scikit-learn, label for label, on every backend."""

import warnings

import numpy as np
import pytest
from sklearn.cluster import DBSCAN as SkDBSCAN
from sklearn.cluster import dbscan as sk_dbscan
from sklearn.datasets import make_blobs, make_moons
from sklearn.metrics import pairwise_distances
from sklearn.neighbors import NearestNeighbors as SkNearestNeighbors

import xpml
from tests.helpers import assert_on_backend
from xpml import to_numpy
from xpml.cluster import DBSCAN, dbscan
from xpml.cluster._dbscan import smallest_offer, smallest_per_segment
from xpml.neighbors import _base as neighbors_base

BLOBS = make_blobs(n_samples=120, centers=3, n_features=2, cluster_std=0.6, random_state=0)[0]
MOONS = make_moons(n_samples=120, noise=0.07, random_state=0)[0]
WIDE = make_blobs(n_samples=120, centers=3, n_features=6, cluster_std=1.0, random_state=1)[0]  # the product form


def assert_same_clustering(ours, ref):
    """labels_, core_sample_indices_ and components_ (dense or sparse) equal to scikit-learn's."""
    np.testing.assert_array_equal(to_numpy(ours.labels_), ref.labels_)
    np.testing.assert_array_equal(to_numpy(ours.core_sample_indices_), ref.core_sample_indices_)
    ours_rows = ours.components_.toarray() if hasattr(ours.components_, "toarray") else ours.components_
    ref_rows = ref.components_.toarray() if hasattr(ref.components_, "toarray") else ref.components_
    np.testing.assert_array_equal(to_numpy(ours_rows), ref_rows)


def fit_both(X, sample_weight=None, **params):
    return (DBSCAN(**params).fit(X, sample_weight=sample_weight),
            SkDBSCAN(**params).fit(X, sample_weight=sample_weight))


@pytest.mark.parametrize("X, params", [(BLOBS, dict(eps=0.3, min_samples=5)), (MOONS, dict(eps=0.12, min_samples=4)),
                                       (WIDE, dict(eps=1.6, min_samples=5))], ids=["blobs", "moons", "6-d"])
def test_labels_core_points_and_components_are_sklearns(backend, X, params):
    ours, ref = fit_both(X, **params)
    assert_same_clustering(ours, ref)
    assert len(set(ref.labels_)) >= 3 and (ref.labels_ == -1).any()  # several clusters, and noise
    for name in ("labels_", "core_sample_indices_", "components_"):
        assert_on_backend(getattr(ours, name), backend)
    assert ours.n_features_in_ == X.shape[1]


@pytest.mark.parametrize("params", [dict(metric="manhattan"), dict(metric="chebyshev"), dict(metric="sqeuclidean",
                                    eps=0.015), dict(metric="minkowski", p=3), dict(metric="minkowski", p=1.5,
                                    metric_params={"w": [0.5, 2.0]}), dict(metric="cosine", eps=0.02),
                                    dict(metric="l1"), dict(metric=lambda a, b: float(np.abs(a - b).sum()))],
                         ids=["manhattan", "chebyshev", "sqeuclidean", "minkowski", "weighted", "cosine", "l1",
                              "callable"])
def test_metrics_are_sklearns(backend, params):
    params = {"eps": 0.15, "min_samples": 4, **params}
    assert_same_clustering(*fit_both(MOONS, **params))


def test_sample_weight_as_sklearn(backend):
    rng = np.random.default_rng(0)
    for weights in (rng.uniform(0.2, 2.0, len(MOONS)), rng.uniform(-1.0, 3.0, len(MOONS))):  # negative too
        assert_same_clustering(*fit_both(MOONS, weights, eps=0.12, min_samples=4))
    lonely = np.vstack([BLOBS[:-1], [[30.0, 30.0]]])  # a point of weight >= min_samples is a core point by itself
    ours = DBSCAN(eps=0.3, min_samples=5).fit(lonely, sample_weight=np.r_[np.ones(119), 5.0])
    assert to_numpy(ours.labels_)[-1] == to_numpy(ours.labels_).max() and to_numpy(ours.core_sample_indices_)[-1] == 119


def test_precomputed_distances_as_sklearn(backend):
    assert_same_clustering(*fit_both(pairwise_distances(MOONS), eps=0.12, min_samples=4, metric="precomputed"))


def test_precomputed_sparse_graphs_as_sklearn(backend):
    radius = SkNearestNeighbors(radius=0.12).fit(MOONS).radius_neighbors_graph(MOONS, mode="distance")
    assert_same_clustering(*fit_both(radius, eps=0.12, min_samples=4, metric="precomputed"))
    # a k-nearest-neighbours graph is not symmetric: scikit-learn's expansion follows each core point's own row
    knn = SkNearestNeighbors(n_neighbors=5).fit(MOONS).kneighbors_graph(MOONS, mode="distance")
    assert_same_clustering(*fit_both(knn, eps=0.1, min_samples=4, metric="precomputed"))
    assert_same_clustering(*fit_both(np.where(knn.toarray() > 0, knn.toarray(), 9.0) - 9.0 * np.eye(120), eps=0.1,
                                     min_samples=4, metric="precomputed"))


def test_a_sparse_graph_keeps_stored_zeros_and_its_diagonal_as_scikit_learn():
    sp = pytest.importorskip("scipy.sparse")
    graph = sp.csr_matrix(([0.5, 0.5, 0.0, 0.0, 0.9], ([0, 1, 1, 2, 3], [1, 0, 2, 1, 3])), shape=(4, 4))
    assert graph.nnz == 5  # a stored zero (1, 2) is a neighbour; a stored diagonal 0.9 > eps is not
    assert_same_clustering(*fit_both(graph, eps=0.5, min_samples=2, metric="precomputed"))
    assert_same_clustering(*fit_both(graph, eps=0.5, min_samples=1, metric="precomputed"))


def test_sparse_X_as_sklearn(backend):
    sp = pytest.importorskip("scipy.sparse")
    rng = np.random.default_rng(1)
    X = sp.csr_matrix(np.where(rng.random((120, 12)) < 0.25, rng.random((120, 12)), 0.0))
    assert_same_clustering(*fit_both(X, eps=0.6, min_samples=3))
    assert_same_clustering(*fit_both(X, eps=0.25, min_samples=3, metric="cosine"))
    ours, ref = fit_both(X, eps=1.2, min_samples=3, metric="manhattan")  # made dense
    assert_same_clustering(ours, ref)


def test_a_border_point_joins_the_first_cluster_that_reaches_it(backend):
    # Two clusters of 4 core points each, 1.95 apart on a line; the point at 1.12 is within eps of one core point
    # of each, and not a core point itself (3 points within eps). scikit-learn expands the clusters in the order of
    # their first core point: the border point stays in the cluster numbered first, whichever is nearer. (111
    # isolated points, noise, make the data of the other tests' shape, which jax has compiled.)
    line = np.array([0.0, 0.05, 0.1, 0.15, 2.1, 2.15, 2.2, 2.25, 1.12] + [10.0 + 3 * k for k in range(111)])
    line = np.stack([line, np.zeros(120)], axis=1)  # (120, 2)
    rest = np.arange(9, 120)
    for order in (np.arange(9), np.array([4, 5, 6, 7, 8, 0, 1, 2, 3]), np.array([8, 7, 0, 6, 1, 5, 2, 4, 3])):
        ours, ref = fit_both(line[np.r_[order, rest]], eps=1.0, min_samples=4)
        assert_same_clustering(ours, ref)
        border = int(np.flatnonzero(order == 8)[0])
        assert border not in ref.core_sample_indices_ and ref.labels_[border] == 0 and (ref.labels_[9:] == -1).all()


@pytest.mark.parametrize("X", [BLOBS, WIDE], ids=["by-feature", "product"])
def test_points_at_exactly_eps_are_neighbours_as_for_sklearn(backend, X):
    # a grid whose spacing is eps: the product form rounds its squared distances either side of eps², so those
    # pairs are settled from the differences, as scikit-learn's trees measure them (its search on 12 points or
    # more, up to 15 features; on fewer points, its brute force decides such ties by its own product's rounding)
    p = X.shape[1]
    steps = [np.arange(10), np.arange(12)] if p == 2 else [np.arange(3)] * p
    grid = np.stack(np.meshgrid(*steps, indexing="ij"), axis=-1).reshape(-1, p)[:120] * 0.1 + 0.7  # (120, p)
    for min_samples in (3, 5, 7):
        assert_same_clustering(*fit_both(grid, eps=0.1, min_samples=min_samples))


def test_a_tie_at_eps_is_decided_by_the_sum_in_feature_order_as_sklearns_trees(backend):
    # two points whose squared distance summed feature by feature in order, as scikit-learn's trees sum it, is
    # exactly eps², where numpy's own sum over 10 features (pairwise, in 8 partial sums) rounds above eps²: a pair
    # scikit-learn keeps, and xpml on every backend. The other 118 points lie far apart, noise.
    rng = np.random.default_rng(0)
    while True:
        a, b = rng.normal(size=10), 0.3 * rng.normal(size=10)
        squares, in_order = (a - (a + b)) ** 2, 0.0
        for term in squares:
            in_order += term
        eps = float(np.sqrt(in_order))
        if eps * eps == in_order and np.sum(squares) > in_order:
            break
    X = np.vstack([a, a + b, 50.0 + 10.0 * np.arange(118.0)[:, None] * np.ones(10)])  # (120, 10)
    ours, ref = fit_both(X, eps=eps, min_samples=2)
    assert_same_clustering(ours, ref)
    assert list(ref.labels_[:2]) == [0, 0] and (ref.labels_[2:] == -1).all()


def test_noise_only_and_one_cluster(backend):
    noise, ref = fit_both(BLOBS, eps=1e-3, min_samples=2)
    assert_same_clustering(noise, ref)
    assert (to_numpy(noise.labels_) == -1).all() and tuple(noise.components_.shape) == (0, 2)
    one, ref = fit_both(BLOBS, eps=100.0, min_samples=2)
    assert_same_clustering(one, ref)
    assert (to_numpy(one.labels_) == 0).all() and one.core_sample_indices_.shape[0] == 120


def test_blocks_of_rows_give_the_same_answer_as_one_block(backend, monkeypatch):
    one_block = DBSCAN(eps=0.12, min_samples=4).fit(MOONS)
    monkeypatch.setattr(neighbors_base, "_BLOCK_BYTES", 7 * 120 * 8)  # the radius search in blocks of 7 rows
    blocked = DBSCAN(eps=0.12, min_samples=4).fit(MOONS)
    np.testing.assert_array_equal(to_numpy(blocked.labels_), to_numpy(one_block.labels_))
    assert_same_clustering(DBSCAN(eps=1.6, min_samples=5).fit(WIDE), SkDBSCAN(eps=1.6, min_samples=5).fit(WIDE))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_the_sweep_finds_the_pairs_of_the_search_of_every_point(backend, dtype):
    # points of a grid of spacing eps (pairs at exactly eps along the sweep's axis and across it), far from the
    # origin, and a few more dimensions: the sweep's windows and its decisions without measuring (pairs surely within
    # by the key) give the pairs the radius search of every point against every other measures, each row's as a set
    from xpml.neighbors import NearestNeighbors
    from xpml.neighbors._sweep import pairs_by_sweep, sweeps

    rng = np.random.default_rng(0)
    grid = np.stack(np.meshgrid(np.arange(8), np.arange(5), np.arange(3), indexing="ij"), -1).reshape(-1, 3)  # (120, 3)
    for X in (grid * 0.1 + 1000.0, np.hstack([grid * 0.1, rng.normal(size=(120, 2))]), 0.3 * WIDE):
        for metric, p in (("euclidean", 2), ("manhattan", 1), ("chebyshev", 2), ("minkowski", 3)):
            search = NearestNeighbors(metric=metric, p=p, backend=backend, dtype=dtype).fit(X.astype(dtype))
            assert sweeps(search)
            bound = search._raw(0.1 if X.shape[1] == 3 else 0.5)
            rows, columns = (to_numpy(a) for a in pairs_by_sweep(search, bound))
            _, want_rows, want_columns, _ = search._pairs_within(search._fit_X, bound)
            assert (np.diff(rows) >= 0).all()
            want = to_numpy(want_rows) * 120 + to_numpy(want_columns)  # (pairs,): by row, then column
            np.testing.assert_array_equal(np.sort(rows * 120 + columns), want)


def test_fit_predict_and_the_function_follow_the_input(backend, xp, device):
    ours = DBSCAN(eps=0.3, min_samples=5)
    labels = ours.fit_predict(BLOBS)
    assert isinstance(labels, np.ndarray)
    np.testing.assert_array_equal(labels, SkDBSCAN(eps=0.3, min_samples=5).fit(BLOBS).labels_)
    assert_on_backend(ours.fit_predict(xp.asarray(BLOBS, device=device)), backend)
    core, labels = dbscan(BLOBS, eps=0.3, min_samples=5)
    ref_core, ref_labels = sk_dbscan(BLOBS, eps=0.3, min_samples=5)
    np.testing.assert_array_equal(core, ref_core)
    np.testing.assert_array_equal(labels, ref_labels)


def test_float32_data_are_clustered_in_float32(backend):
    ours = DBSCAN(eps=0.3, min_samples=5).fit(BLOBS.astype(np.float32))
    assert xpml.to_numpy(ours.components_).dtype == np.float32
    np.testing.assert_array_equal(to_numpy(ours.labels_), SkDBSCAN(eps=0.3, min_samples=5).fit(BLOBS).labels_)


def test_smallest_offer_and_smallest_per_segment_are_scatter_mins(xp, device):
    rng = np.random.default_rng(0)
    target, offer = rng.integers(0, 30, 50), rng.integers(0, 40, 50)
    expected = np.full(40, 40)
    np.minimum.at(expected, target, offer)
    got = smallest_offer(xp, xp.asarray(target, device=device), xp.asarray(offer, device=device), 40)
    np.testing.assert_array_equal(to_numpy(got), expected)
    order = np.argsort(target, kind="stable")  # the ids sorted, as the edges by receiver
    got = smallest_per_segment(xp, xp.asarray(offer[order], device=device), xp.asarray(target[order], device=device),
                               40)
    np.testing.assert_array_equal(to_numpy(got), expected)


@pytest.mark.parametrize("params, fit_args, error, message", [
    (dict(eps=0.0), {}, ValueError, r"eps=0.0 should be > 0"),
    (dict(eps=-1.0), {}, ValueError, r"eps=-1.0 should be > 0"),
    (dict(eps=float("inf")), {}, ValueError, r"eps=inf should be a finite number > 0"),
    (dict(min_samples=0), {}, ValueError, r"min_samples=0 should be >= 1"),
    (dict(min_samples=2.5), {}, TypeError, r"min_samples should be an int >= 1"),
    (dict(metric="hamming"), {}, ValueError, r"metric='hamming' should be one of"),
    (dict(p=0), {}, ValueError, r"p=0 should be > 0"),
    (dict(algorithm="nosuch"), {}, ValueError, r"algorithm='nosuch' should be one of 'auto', 'ball_tree'"),
    (dict(leaf_size=0), {}, ValueError, r"leaf_size=0 should be >= 1"),
    (dict(metric_params=[1]), {}, TypeError, r"metric_params should be a dict or None"),
    (dict(metric="minkowski", p=0.5, algorithm="kd_tree"), {}, ValueError, r"does not support 0 < p < 1"),
    (dict(metric="precomputed"), {}, ValueError, r"X should be a square matrix of distances"),
    ({}, dict(sample_weight=np.zeros(120)), ValueError, r"sample_weight should have at least one non-zero weight"),
    ({}, dict(sample_weight=np.ones(119)), ValueError, r"sample_weight"),
])
def test_bad_parameters_and_inputs_are_refused_by_name(params, fit_args, error, message):
    with pytest.raises(error, match=message):
        DBSCAN(**params).fit(BLOBS, **fit_args)


def test_negative_precomputed_distances_are_refused():
    with pytest.raises(ValueError, match=r"X should hold distances >= 0 for metric='precomputed'"):
        DBSCAN(metric="precomputed").fit(-pairwise_distances(BLOBS[:10]))


def test_p_in_metric_params_overrides_p_with_a_warning():
    with pytest.warns(SyntaxWarning, match=r"Parameter p is found in metric_params"):
        ours = DBSCAN(eps=0.15, min_samples=4, metric="minkowski", p=2, metric_params={"p": 1}).fit(MOONS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        ref = SkDBSCAN(eps=0.15, min_samples=4, metric="minkowski", p=2, metric_params={"p": 1}).fit(MOONS)
    assert_same_clustering(ours, ref)
