"""NearestNeighbors, RadiusNeighborsClassifier, RadiusNeighborsRegressor and the graph functions against
scikit-learn's, on data without ties: no two distances of a query alike, none within 3e-5 of the radius
(checked), so that the neighbours, their order and their distances are one answer.

scikit-learn lists a radius query's neighbours in an order of its own without sort_results; xpml in index order.
They are compared as sets there (scikit-learn's sorted by index), and exactly with sort_results.
"""

import warnings

import numpy as np
import pytest
import sklearn.neighbors as sk

import xpml
from tests.helpers import assert_allclose, assert_on_backend
from xpml.exceptions import NotFittedError
from xpml.neighbors import (KNeighborsClassifier, NearestNeighbors, RadiusNeighborsClassifier,
                            RadiusNeighborsRegressor, _base, kneighbors_graph, radius_neighbors_graph)

cdist = pytest.importorskip("scipy.spatial.distance").cdist
scipy_sparse = pytest.importorskip("scipy.sparse")

_rng = np.random.default_rng(0)
X = _rng.normal(size=(60, 3))  # (60, 3) training points
Q = _rng.normal(size=(14, 3))  # (14, 3) queries: 0 to 9 neighbours each within the radii below
INLIERS = Q[[0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12]]  # those with 1 to 17 training points within 1.0 to 1.5
Y = _rng.integers(0, 3, size=60)  # three classes
Y_REAL = X @ np.array([1.0, -2.0, 0.5]) + _rng.normal(size=60)
FAR = np.array([[6.0, 6.0, 6.0]])  # no training point within any radius below: an outlier
# (metric, its parameters, a radius, scipy's name): every case finds 0 to 14 neighbours a query
METRICS = [("euclidean", {}, 1.0, "euclidean"), ("manhattan", {}, 1.5, "cityblock"),
           ("chebyshev", {}, 0.8, "chebyshev"), ("minkowski", {"p": 3}, 0.9, "minkowski"),
           ("cosine", {}, 0.1, "cosine")]


def _clear_of_the_radius(A, metric, params, radius, scipy_name):
    D = cdist(A, X, scipy_name, **params)
    assert np.abs(D - radius).min() > 3e-5  # no point sits on the radius, where rounding would decide


def _assert_same_rows(ours, ref, sort_results):
    """Ragged results (distances, indices), each an object array of one array per query, alike."""
    (dist, ind), (ref_dist, ref_ind) = ours, ref
    assert isinstance(ind, np.ndarray) and ind.dtype == object and ind.shape == ref_ind.shape
    for d, i, rd, ri in zip(dist, ind, ref_dist, ref_ind):
        d, i = xpml.to_numpy(d), xpml.to_numpy(i)
        if not sort_results:  # xpml lists them in index order; scikit-learn in one of its own
            order = np.argsort(ri)
            rd, ri = rd[order], ri[order]
        np.testing.assert_array_equal(i, ri)
        np.testing.assert_allclose(d, rd, rtol=1e-12, atol=1e-12)


def _assert_same_graph(graph, ref):
    """Two scipy CSR matrices alike, each row's columns compared in index order (scikit-learn's are in its own)."""
    assert scipy_sparse.issparse(graph) and graph.shape == ref.shape
    graph, ref = graph.sorted_indices(), ref.sorted_indices()
    np.testing.assert_array_equal(graph.indptr, ref.indptr)
    np.testing.assert_array_equal(graph.indices, ref.indices)
    np.testing.assert_allclose(graph.data, ref.data, rtol=1e-12, atol=1e-12)


def _searchers(xp, device, metric="euclidean", params=None, radius=1.0):
    params = params or {}
    return (NearestNeighbors(radius=radius, metric=metric, **params).fit(xp.asarray(X, device=device)),
            sk.NearestNeighbors(radius=radius, metric=metric, **params).fit(X))


@pytest.mark.parametrize("metric, params, radius, scipy_name", METRICS, ids=[m[0] for m in METRICS])
def test_radius_neighbors_and_their_graph_are_sklearns(backend, xp, device, metric, params, radius, scipy_name):
    _clear_of_the_radius(Q, metric, params, radius, scipy_name)
    ours, ref = _searchers(xp, device, metric, params, radius)
    queries = xp.asarray(Q, device=device)
    for sort_results in (True, False):
        found = ours.radius_neighbors(queries, sort_results=sort_results)
        _assert_same_rows(found, ref.radius_neighbors(Q, sort_results=sort_results), sort_results)
        for row in (*found[0], *found[1]):  # output follows input: the backend's arrays
            assert_on_backend(row, backend)
    for mode in ("distance", "connectivity"):
        graph = ours.radius_neighbors_graph(queries, mode=mode, sort_results=True)
        expected = ref.radius_neighbors_graph(Q, mode=mode, sort_results=True)
        _assert_same_graph(graph, expected)
        np.testing.assert_array_equal(graph.indices, expected.indices)  # nearest first in both


@pytest.mark.parametrize("metric, params, radius, scipy_name", METRICS[:1] + METRICS[4:], ids=["euclidean", "cosine"])
def test_radius_neighbors_of_the_training_points_and_of_another_radius(backend, xp, device, metric, params, radius,
                                                                       scipy_name):
    """X=None: each training point's neighbours among the others (itself left out, by index)."""
    _clear_of_the_radius(X, metric, params, radius, scipy_name)
    ours, ref = _searchers(xp, device, metric, params, radius)
    for sort_results in (True, False):
        found = ours.radius_neighbors(sort_results=sort_results)
        _assert_same_rows(found, ref.radius_neighbors(sort_results=sort_results), sort_results)
        assert all(isinstance(row, np.ndarray) for row in found[1])  # no input: numpy
    _assert_same_graph(ours.radius_neighbors_graph(mode="distance"), ref.radius_neighbors_graph(mode="distance"))
    indices = ours.radius_neighbors(xp.asarray(Q, device=device), radius=radius / 2, return_distance=False)
    ref_indices = ref.radius_neighbors(Q, radius / 2, return_distance=False)  # a radius of the call
    assert [xpml.to_numpy(i).tolist() for i in indices] == [sorted(i.tolist()) for i in ref_indices]
    with xpml.config_context(output="backend"):  # under output="backend": the backend's arrays, whatever the input
        distances, _ = ours.radius_neighbors(None)
    for row in distances:
        assert_on_backend(row, backend)


def test_nearest_neighbors_kneighbors_are_sklearns(backend, xp, device):
    ours = NearestNeighbors(n_neighbors=4).fit(xp.asarray(X, device=device))
    ref = sk.NearestNeighbors(n_neighbors=4).fit(X)
    for A, ref_A in ((xp.asarray(Q, device=device), Q), (None, None)):
        distances, indices = ours.kneighbors(A)
        ref_distances, ref_indices = ref.kneighbors(ref_A)
        np.testing.assert_array_equal(xpml.to_numpy(indices), ref_indices)
        assert_allclose(distances, ref_distances, rtol=1e-12, atol=1e-12)
        _assert_same_graph(ours.kneighbors_graph(A, 2, mode="distance"),
                           ref.kneighbors_graph(ref_A, 2, mode="distance"))
    assert (ours.n_samples_fit_, ours.effective_metric_, ours.effective_metric_params_) == \
        (ref.n_samples_fit_, ref.effective_metric_, ref.effective_metric_params_)


def _inverse_square(distances):
    return 1.0 / (1.0 + distances * distances)


@pytest.mark.parametrize("weights", ["distance", "uniform", _inverse_square], ids=["distance", "uniform", "callable"])
def test_radius_classifier_is_sklearns_with_every_outlier_label(backend, weights):
    queries = np.concatenate([Q, FAR, X[:1]])  # an outlier, and a query on a training point (distance 0)
    labels = np.array(["ant", "bee", "cat"])[Y]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # scikit-learn's warning of a label that is not a class
        for outlier_label in ("cat", "most_frequent", ["bee"], "dog"):
            ours = RadiusNeighborsClassifier(1.0, weights=weights, outlier_label=outlier_label).fit(X, labels)
            ref = sk.RadiusNeighborsClassifier(1.0, weights=weights, outlier_label=outlier_label).fit(X, labels)
            assert ours.outlier_label_ == list(ref.outlier_label_) and ours.outputs_2d_ is ref.outputs_2d_ is False
            assert_allclose(ours.predict_proba(queries), ref.predict_proba(queries), rtol=1e-12, atol=1e-15)
            np.testing.assert_array_equal(ours.predict(queries), ref.predict(queries))
    outliers = np.array([len(i) == 0 for i in ref.radius_neighbors(queries, return_distance=False)])
    assert outliers.sum() == 3  # FAR and two queries of Q
    ours = RadiusNeighborsClassifier(1.0, weights=weights, outlier_label="dog").fit(X, labels)
    with pytest.warns(UserWarning, match=r"Outlier label 'dog' is not in training classes. All class probabilities"):
        proba = xpml.to_numpy(ours.predict_proba(queries))
    np.testing.assert_array_equal(proba[outliers], 0.0)
    refused = RadiusNeighborsClassifier(1.0, weights=weights).fit(X, labels)
    with pytest.raises(ValueError, match=r"No neighbors found for test samples \[3, 13, 14\] within radius=1.0: use a "
                                         r"larger radius, give an outlier_label"):
        refused.predict(queries)
    inliers = queries[~outliers]
    assert refused.score(inliers, labels[:len(inliers)]) == \
        sk.RadiusNeighborsClassifier(1.0, weights=weights).fit(X, labels).score(inliers, labels[:len(inliers)])


@pytest.mark.parametrize("weights", ["distance", "uniform", _inverse_square], ids=["distance", "uniform", "callable"])
def test_radius_regressor_is_sklearns(backend, weights):
    inliers = np.concatenate([INLIERS[:6], X[:2]])  # each with neighbours within 1.2, two at distance 0
    for target in (Y_REAL, np.column_stack([Y_REAL, Y_REAL ** 2])):
        ours = RadiusNeighborsRegressor(1.2, weights=weights).fit(X, target)
        ref = sk.RadiusNeighborsRegressor(1.2, weights=weights).fit(X, target)
        assert_allclose(ours.predict(inliers), ref.predict(inliers), rtol=1e-12)
    assert ours.score(inliers, target[:8]) == pytest.approx(ref.score(inliers, target[:8]), rel=1e-12)
    with pytest.warns(UserWarning, match=r"no neighbors within specified radius; predicting NaN"):
        predicted = xpml.to_numpy(RadiusNeighborsRegressor(1.2, weights=weights).fit(X, Y_REAL).predict(
            np.concatenate([FAR, inliers])))
    assert np.isnan(predicted[0]) and np.all(np.isfinite(predicted[1:]))


@pytest.mark.parametrize("include_self", [False, True, "auto"])
@pytest.mark.parametrize("mode", ["connectivity", "distance"])
def test_graph_functions_are_sklearns(backend, mode, include_self):
    _assert_same_graph(kneighbors_graph(X, 3, mode=mode, include_self=include_self),
                       sk.kneighbors_graph(X, 3, mode=mode, include_self=include_self))
    _assert_same_graph(radius_neighbors_graph(X, 1.0, mode=mode, metric="manhattan", include_self=include_self),
                       sk.radius_neighbors_graph(X, 1.0, mode=mode, metric="manhattan", include_self=include_self))
    fitted = NearestNeighbors(metric="manhattan").fit(X)  # a fitted estimator in place of X
    _assert_same_graph(radius_neighbors_graph(fitted, 1.0, mode=mode, metric="manhattan", include_self=include_self),
                       sk.radius_neighbors_graph(X, 1.0, mode=mode, metric="manhattan", include_self=include_self))
    with pytest.raises(ValueError, match=r"metric='euclidean', while the estimator X has metric='manhattan'"):
        kneighbors_graph(fitted, 3, metric="euclidean")


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_sparse_points_are_searched_as_sklearn(backend, metric):
    """Sparse training points and queries (euclidean and cosine distances from sparse products)."""
    sparse_X = scipy_sparse.csr_matrix(np.where(np.abs(X) < 0.5, 0.0, X))  # about 40% zeros
    sparse_Q = scipy_sparse.csr_matrix(np.where(np.abs(Q) < 0.5, 0.0, Q))
    radius = {"euclidean": 1.0, "cosine": 0.1}[metric]
    ours = NearestNeighbors(radius=radius, metric=metric).fit(sparse_X)
    ref = sk.NearestNeighbors(radius=radius, metric=metric).fit(sparse_X)
    _assert_same_rows(ours.radius_neighbors(sparse_Q, sort_results=True),
                      ref.radius_neighbors(sparse_Q, sort_results=True), sort_results=True)
    _assert_same_graph(ours.radius_neighbors_graph(mode="distance"), ref.radius_neighbors_graph(mode="distance"))


def test_duplicates_radius_zero_and_the_vote_of_points_at_distance_zero(backend):
    points = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [5.0, 5.0]])
    labels = np.array([0, 1, 1, 2, 2, 0])
    ours = NearestNeighbors(radius=0.0).fit(points)  # radius 0: the duplicates, at distance exactly 0
    _, indices = ours.radius_neighbors()  # each point's duplicates, itself left out
    assert [xpml.to_numpy(i).tolist() for i in indices] == [[1], [0], [], [4], [3], []]
    _, indices = ours.radius_neighbors(points[:3])  # a query on a point finds it
    assert [xpml.to_numpy(i).tolist() for i in indices] == [[0, 1], [0, 1], [2]]
    model = RadiusNeighborsClassifier(1.5, weights="distance").fit(points, labels)
    ref = sk.RadiusNeighborsClassifier(1.5, weights="distance").fit(points, labels)
    # [0, 0] sits on two points of labels 0 and 1: they share the vote, the points at distance 1 have none
    assert_allclose(model.predict_proba([[0.0, 0.0], [0.5, 0.5]]), ref.predict_proba([[0.0, 0.0], [0.5, 0.5]]),
                    rtol=1e-15)
    assert_allclose(model.predict_proba([[0.0, 0.0]]), [[0.5, 0.5, 0.0]], rtol=1e-15)


@pytest.mark.parametrize("metric, params, radius, scipy_name", METRICS[:2] + METRICS[4:], ids=["euclidean", "manhattan",
                                                                                            "cosine"])
def test_blocks_and_batches_of_pairs_give_the_answer_of_one_block(metric, params, radius, scipy_name, monkeypatch):
    ours = NearestNeighbors(radius=radius, metric=metric, **params).fit(X)
    one_block = ours.radius_neighbors_graph(Q, mode="distance", sort_results=True)
    monkeypatch.setattr(_base, "_BLOCK_BYTES", 2 * 3 * 8)  # a query a block, 2 pairs a batch
    blocks = ours.radius_neighbors_graph(Q, mode="distance", sort_results=True)
    _assert_same_graph(blocks, one_block)
    np.testing.assert_array_equal(blocks.indices, one_block.indices)


def test_float32_stays_float32():
    ours = NearestNeighbors(radius=1.0).fit(X.astype(np.float32))
    distances, _ = ours.radius_neighbors(Q.astype(np.float32), sort_results=True)
    assert all(d.dtype == np.float32 for d in distances)
    ref_distances, _ = sk.NearestNeighbors(radius=1.0).fit(X).radius_neighbors(Q, sort_results=True)
    for d, r in zip(distances, ref_distances):
        np.testing.assert_allclose(d, r, rtol=1e-6)
    assert RadiusNeighborsRegressor(1.2).fit(X.astype(np.float32), Y_REAL).predict(Q[:3]).dtype == np.float32


def test_signatures_and_fitted_attributes_as_sklearn():
    assert RadiusNeighborsClassifier(0.5).radius == RadiusNeighborsRegressor(0.5).radius == 0.5  # positional
    with pytest.raises(TypeError):
        NearestNeighbors(3)  # keyword-only, as scikit-learn's
    ours, ref = RadiusNeighborsRegressor(1.2).fit(X, Y_REAL), sk.RadiusNeighborsRegressor(1.2).fit(X, Y_REAL)
    assert (ours.n_samples_fit_, ours.effective_metric_, ours.n_features_in_) == \
        (ref.n_samples_fit_, ref.effective_metric_, ref.n_features_in_)
    assert RadiusNeighborsClassifier(outlier_label=None).fit(X, Y).outlier_label_ is None


def test_bad_input_is_refused_with_messages_that_name_it():
    with pytest.raises(ValueError, match=r"radius=-1 should be >= 0"):
        NearestNeighbors(radius=-1).fit(X)
    with pytest.raises(TypeError, match=r"radius should be a number >= 0; got 'far'"):
        RadiusNeighborsRegressor("far").fit(X, Y_REAL)
    model = NearestNeighbors().fit(X)
    with pytest.raises(ValueError, match=r"radius=-0.5 should be a number >= 0"):
        model.radius_neighbors(Q, radius=-0.5)
    with pytest.raises(ValueError, match=r"radius=nan should be a number >= 0"):
        model.radius_neighbors_graph(Q, radius=float("nan"))
    with pytest.raises(ValueError, match=r"return_distance must be True if sort_results is True"):
        model.radius_neighbors(Q, return_distance=False, sort_results=True)
    with pytest.raises(ValueError, match=r"mode='weights' should be 'connectivity' or 'distance'"):
        model.radius_neighbors_graph(Q, mode="weights")
    with pytest.raises(ValueError, match=r"X has 2 features, but NearestNeighbors is expecting 3 features as input"):
        model.radius_neighbors(Q[:, :2])
    with pytest.raises(NotFittedError, match="not fitted yet"):
        RadiusNeighborsClassifier().radius_neighbors(Q)
    with pytest.raises(ValueError, match=r"include_self='yes' should be one of 'auto'"):
        radius_neighbors_graph(X, 1.0, include_self="yes")
    with pytest.raises(ValueError, match=r"n_neighbors=0 should be >= 1"):
        kneighbors_graph(X, 0)
    with pytest.raises(ValueError, match=r"outlier_label=\[0, 1\] has 2 labels; y has 1 output, so it should hold 1"):
        RadiusNeighborsClassifier(outlier_label=[0, 1]).fit(X, Y)
    with pytest.raises(TypeError, match=r"outlier_label='dog': the label 'dog' is not of the kind of the classes "
                                        r"\[0, 1, 2\] in y"):
        RadiusNeighborsClassifier(outlier_label="dog").fit(X, Y)
    with pytest.raises(TypeError, match=r"outlier_label=\[0.5\]: the label 0.5 is not of the kind of the classes"):
        RadiusNeighborsClassifier(outlier_label=[0.5]).fit(X, Y)


def test_dask_predicts_chunk_by_chunk_and_refuses_the_searches():
    da = pytest.importorskip("dask.array")
    chunked = da.from_array(INLIERS, chunks=5)
    for make, target in ((lambda b: RadiusNeighborsClassifier(1.0, outlier_label=0, backend=b), Y),
                         (lambda b: RadiusNeighborsRegressor(1.5, backend=b), Y_REAL)):
        on_dask = make("dask").fit(da.from_array(X, chunks=20), target)
        predicted = on_dask.predict(chunked)
        assert type(predicted).__module__.startswith("dask")
        expected = make("numpy").fit(X, target).predict(INLIERS)
        np.testing.assert_allclose(np.asarray(predicted.compute()), expected, rtol=1e-12)
    with pytest.raises(ValueError, match=r"RadiusNeighborsRegressor.radius_neighbors does not run on backend='dask'"):
        on_dask.radius_neighbors(chunked)
    with pytest.raises(ValueError, match=r"KNeighborsClassifier.kneighbors does not run on backend='dask'"):
        KNeighborsClassifier(backend="dask").fit(X, Y).kneighbors(chunked)
    with pytest.raises(ValueError, match=r"NearestNeighbors cannot fit on backend='dask'"):
        NearestNeighbors(backend="dask").fit(X)
