"""KNeighborsClassifier and KNeighborsRegressor against scikit-learn's brute force and exact distances.

The exact distances (scipy's cdist) are the oracle. Equally distant points may be listed in any order
by scikit-learn (its heap keeps whichever it met first); xpml lists the lower index first. So
neighbours are compared with scikit-learn wherever the k nearest are unambiguous: distances always,
indices at every place that no other point shares (within 1e-10), probabilities on every query
whose k-th and (k+1)-th neighbours are not tied. On integer data (digits), where ties are exact,
xpml's order is checked exactly against a stable sort of the exact distances.
"""

import numpy as np
import pytest
from sklearn.neighbors import KNeighborsClassifier as SkClassifier
from sklearn.neighbors import KNeighborsRegressor as SkRegressor

import xpml
from tests.helpers import assert_allclose, assert_on_backend
from xpml.datasets import load_diabetes, load_digits, load_iris, load_wine
from xpml.exceptions import NotFittedError
from xpml.neighbors import KNeighborsClassifier, KNeighborsRegressor
from xpml.neighbors import _base

cdist = pytest.importorskip("scipy.spatial.distance").cdist

TIE = 1e-10  # distances closer than this (relative) count as tied


def _split(X, y):
    order = np.random.default_rng(0).permutation(len(X))
    cut = 3 * len(X) // 4
    return X[order[:cut]], X[order[cut:]], y[order[:cut]], y[order[cut:]]


DATA = {name: _split(*load(return_X_y=True)) for name, load in
        [("iris", load_iris), ("wine", load_wine), ("digits", load_digits)]}
SCIPY_METRIC = {"euclidean": "euclidean", "manhattan": "cityblock", "cosine": "cosine"}


def _exact(X_query, X_train, metric):
    return cdist(X_query, X_train, SCIPY_METRIC[metric])  # (q, n)


def _tied(D, d):
    """For each (row, place): how many points lie within TIE of distance d[row, place]. D (q, n), d (q, k)."""
    return np.sum(np.abs(D[:, None, :] - d[:, :, None]) <= TIE * np.maximum(1.0, d[:, :, None]), axis=2)


def _unambiguous_rows(D, k):
    """Queries whose k-th and (k+1)-th nearest are not tied: their set of k neighbours is unique."""
    d = np.sort(D, axis=1)
    return d[:, k] - d[:, k - 1] > TIE * np.maximum(1.0, d[:, k])


def _assert_neighbours(dist, ind, D, ref_dist, ref_ind, rtol):
    """`ind` are k nearest points by the exact distances D, `dist` their distances; the same as the
    reference's (`ref_dist` to `rtol`) and at every place no other point shares, the same points."""
    dist, ind = xpml.to_numpy(dist), xpml.to_numpy(ind)
    rows = np.arange(len(D))[:, None]
    np.testing.assert_allclose(dist, D[rows, ind], rtol=1e-12, atol=1e-12)  # distances of those points
    assert np.all(np.diff(dist, axis=1) >= 0), "distances should not decrease along a row"
    assert all(len(set(r)) == len(r) for r in ind), "a point listed twice"
    np.testing.assert_allclose(dist, ref_dist, rtol=rtol, atol=1e-12)
    alone = _tied(D, D[rows, ref_ind]) == 1  # (q, k): places with a single candidate point
    assert alone.mean() > 0.2, "the comparison would check too few places"  # iris's manhattan ties most
    np.testing.assert_array_equal(ind[alone], ref_ind[alone])


@pytest.mark.parametrize("metric", ["euclidean", "manhattan", "cosine"])
@pytest.mark.parametrize("dataset", ["iris", "wine", "digits"])
def test_neighbours_predictions_and_probabilities_match_sklearn(backend, dataset, metric):
    X_train, X_test, y_train, _ = DATA[dataset]
    D = _exact(X_test, X_train, metric)
    sure = _unambiguous_rows(D, 5)
    assert sure.mean() > 0.4  # iris, in tenths of a centimetre, has many ties
    for weights in ("uniform", "distance"):
        ours = KNeighborsClassifier(n_neighbors=5, metric=metric, weights=weights).fit(X_train, y_train)
        ref = SkClassifier(n_neighbors=5, metric=metric, weights=weights, algorithm="brute").fit(X_train, y_train)
        dist, ind = ours.kneighbors(X_test)
        if weights == "uniform":
            # scikit-learn's euclidean distances carry the rounding of ‖x‖² - 2x·y + ‖y‖² (4e-11 on wine)
            _assert_neighbours(dist, ind, D, *ref.kneighbors(X_test), rtol=1e-9)
        proba, ref_proba = xpml.to_numpy(ours.predict_proba(X_test)), ref.predict_proba(X_test)
        np.testing.assert_allclose(proba[sure], ref_proba[sure], rtol=1e-10, atol=1e-12)
        predicted = ours.predict(X_test)
        np.testing.assert_array_equal(predicted[sure], ref.predict(X_test)[sure])
        # every query, tied or not: the votes of the neighbours xpml reports
        w = 1 / dist if weights == "distance" else np.ones_like(dist)  # no test point repeats a training point
        votes = np.stack([np.sum(w * (y_train[ind] == c), axis=1) for c in ours.classes_], axis=1)
        np.testing.assert_allclose(proba, votes / votes.sum(axis=1, keepdims=True), rtol=1e-12)
        np.testing.assert_array_equal(predicted, ours.classes_[np.argmax(proba, axis=1)])


@pytest.mark.parametrize("metric", ["euclidean", "manhattan"])
def test_ties_go_to_the_lower_index_on_integer_data(backend, metric):
    X_train, X_test, y_train, _ = DATA["digits"]  # pixel counts 0..16: these distances are exact, ties exact
    D = _exact(X_test, X_train, metric)
    want = np.argsort(D, axis=1, kind="stable")[:, :10]
    dist, ind = KNeighborsClassifier(n_neighbors=10, metric=metric).fit(X_train, y_train).kneighbors(X_test)
    assert np.sum(_tied(D, np.sort(D, axis=1)[:, :10]) > 1) > 100  # many ties to settle
    np.testing.assert_array_equal(xpml.to_numpy(ind), want)
    # torch's float64 square root can be one unit in the last place off numpy's
    np.testing.assert_allclose(xpml.to_numpy(dist), np.take_along_axis(D, want, axis=1), rtol=3e-16)


@pytest.mark.parametrize("dataset", ["iris", "digits"])
def test_kneighbors_of_the_training_points_leave_each_point_out(backend, dataset):
    X, y = (load_iris if dataset == "iris" else load_digits)(return_X_y=True)
    if dataset == "digits":  # iris repeats some flowers exactly; give a part of digits some repeats too
        X, y = np.concatenate([X[:300], X[:300:30]]), np.concatenate([y[:300], y[:300:30]])
    dist, ind = KNeighborsClassifier(n_neighbors=4).fit(X, y).kneighbors()
    D = _exact(X, X, "euclidean")
    assert np.sum(D[np.triu_indices(len(X), 1)] == 0) > 0
    ref_dist, ref_ind = SkClassifier(n_neighbors=4, algorithm="brute").fit(X, y).kneighbors()
    _assert_neighbours(dist, ind, D, ref_dist, ref_ind, rtol=1e-9)
    assert xpml.to_numpy(dist)[:, 0].min() == 0.0  # a duplicate is at distance exactly 0
    if dataset == "digits":  # exact ties: the rule decides, with the point itself left out
        want = np.argsort(D, axis=1, kind="stable")[:, :5]
        want = np.array([[j for j in row if j != i][:4] for i, row in enumerate(want)])
        np.testing.assert_array_equal(xpml.to_numpy(ind), want)


def test_more_duplicates_than_neighbours():
    X = np.array([[0.0], [0.0], [0.0], [1.0]])
    dist, ind = KNeighborsClassifier(n_neighbors=1).fit(X, [0, 0, 1, 1]).kneighbors()
    # the third point's two nearest are the other two copies (0, 1): the first is dropped in its place
    np.testing.assert_array_equal(ind[:, 0], [1, 0, 1, 0])
    np.testing.assert_array_equal(dist[:, 0], [0.0, 0.0, 0.0, 1.0])


@pytest.mark.parametrize("weights", ["uniform", "distance"])
def test_regressor_matches_sklearn(backend, weights):
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = _split(X, y)
    Y_train = np.column_stack([y_train, np.log(y_train)])  # two targets
    for target in (y_train, Y_train):
        ours = KNeighborsRegressor(n_neighbors=6, weights=weights).fit(X_train, target)
        ref = SkRegressor(n_neighbors=6, weights=weights, algorithm="brute").fit(X_train, target)
        assert _unambiguous_rows(_exact(X_test, X_train, "euclidean"), 6).all()
        assert_allclose(ours.predict(X_test), ref.predict(X_test), rtol=1e-12)
    ours = KNeighborsRegressor(n_neighbors=6, weights=weights).fit(X_train, y_train)
    ref = SkRegressor(n_neighbors=6, weights=weights, algorithm="brute").fit(X_train, y_train)
    assert ours.score(X_test, y_test) == pytest.approx(ref.score(X_test, y_test), rel=1e-10)


def test_distance_weights_give_a_point_at_distance_zero_the_vote(backend):
    X = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [5.0, 5.0]])
    y = np.array([0, 1, 1, 1, 2])
    proba = KNeighborsClassifier(n_neighbors=4, weights="distance").fit(X, y).predict_proba([[0.0, 0.0], [0.5, 0.0]])
    # the first query sits on two training points (labels 0 and 1): they share the vote
    np.testing.assert_allclose(xpml.to_numpy(proba)[0], [0.5, 0.5, 0.0], rtol=1e-15)
    # the second: distances 0.5, 0.5, 0.5 (labels 0, 1, 1) and √1.25 (label 1)
    w = np.array([2.0, 2.0, 2.0, 1 / np.sqrt(1.25)])
    np.testing.assert_allclose(xpml.to_numpy(proba)[1], [w[0] / w.sum(), w[1:].sum() / w.sum(), 0.0], rtol=1e-14)
    pred = KNeighborsRegressor(n_neighbors=3, weights="distance").fit(X, y * 1.0).predict([[0.0, 0.0]])
    assert_allclose(pred, [0.5], rtol=1e-15)


def test_cosine_treats_a_zero_vector_as_orthogonal_to_everything(backend):
    X = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 3.0], [-1.0, 0.0]])
    dist, ind = KNeighborsClassifier(n_neighbors=4, metric="cosine").fit(X, [0, 1, 0, 1]).kneighbors([[0.0, 0.0]])
    np.testing.assert_allclose(dist, [[1.0, 1.0, 1.0, 1.0]], rtol=1e-15)
    np.testing.assert_array_equal(ind, [[0, 1, 2, 3]])
    dist, ind = KNeighborsClassifier(n_neighbors=4, metric="cosine").fit(X, [0, 1, 0, 1]).kneighbors([[2.0, 0.0]])
    np.testing.assert_allclose(dist, [[0.0, 1 - np.sqrt(0.5), 1.0, 2.0]], atol=1e-15)
    np.testing.assert_array_equal(ind, [[0, 2, 1, 3]])


@pytest.mark.parametrize("metric", ["euclidean", "manhattan", "cosine"])
def test_blocks_of_queries_give_the_same_answer_as_one_block(backend, metric, monkeypatch):
    X_train, X_test, y_train, _ = DATA["digits"]
    model = KNeighborsClassifier(n_neighbors=5, metric=metric).fit(X_train, y_train)
    dist, ind = model.kneighbors(X_test)
    monkeypatch.setattr(_base, "_BLOCK_BYTES", 7 * X_train.shape[0] * 8)  # 7 queries per block, 65 blocks
    dist_blocks, ind_blocks = model.kneighbors(X_test)
    np.testing.assert_array_equal(ind_blocks, ind)
    # jax may sum a (7, m, p) block in another order than a (450, m, p) one: a unit in the last place
    np.testing.assert_allclose(dist_blocks, dist, rtol=3e-16, atol=3e-16)


def test_float32_stays_float32(backend):
    X_train, X_test, y_train, _ = DATA["iris"]
    model = KNeighborsClassifier(n_neighbors=5).fit(X_train.astype(np.float32), y_train)
    dist, _ = model.kneighbors(X_test.astype(np.float32))
    assert dist.dtype == np.float32
    ref_dist, _ = SkClassifier(n_neighbors=5, algorithm="brute").fit(X_train, y_train).kneighbors(X_test)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-6, atol=1e-6)


def test_labels_and_outputs(backend, xp, device):
    X_train, X_test, y_train, _ = DATA["iris"]
    names = np.array(["setosa", "versicolor", "virginica"])
    model = KNeighborsClassifier().fit(X_train, names[y_train])
    np.testing.assert_array_equal(model.classes_, names)
    np.testing.assert_array_equal(model.predict(X_test), names[SkClassifier().fit(X_train, y_train).predict(X_test)])
    X_backend = xp.asarray(X_test, device=device)
    assert_on_backend(model.predict_proba(X_backend), backend)
    dist, ind = model.kneighbors(X_backend)
    assert_on_backend(dist, backend)
    assert_on_backend(ind, backend)
    assert isinstance(model.predict_proba(X_test), np.ndarray)
    assert model.n_samples_fit_ == len(X_train) and model.n_features_in_ == 4
    _, X_test, _, y_test = DATA["iris"]
    assert model.score(X_test, names[y_test]) == SkClassifier().fit(X_train, y_train).score(X_test, y_test)


def test_errors():
    X, y = DATA["iris"][0], DATA["iris"][2]
    with pytest.raises(ValueError, match=r"metric='hamming' should be one of 'chebyshev', 'cityblock', 'cosine'"):
        KNeighborsClassifier(metric="hamming").fit(X, y)
    with pytest.raises(ValueError, match=r"weights='nearest' should be one of 'distance', 'uniform'"):
        KNeighborsRegressor(weights="nearest").fit(X, y)
    with pytest.raises(ValueError, match=r"n_neighbors=0 should be >= 1"):
        KNeighborsClassifier(n_neighbors=0).fit(X, y)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        KNeighborsClassifier().predict(X)
    model = KNeighborsClassifier(n_neighbors=200).fit(X, y)
    with pytest.raises(ValueError, match=r"n_neighbors=200 should be <= n_samples_fit=112"):
        model.predict(X)
    with pytest.raises(ValueError, match=r"n_neighbors=112 should be < n_samples_fit=112 when X is None"):
        model.kneighbors(n_neighbors=112)
    with pytest.raises(ValueError, match=r"n_neighbors=-1 should be an int >= 1"):
        model.kneighbors(X, n_neighbors=-1)
    with pytest.raises(ValueError, match=r"X has 3 features, but KNeighborsClassifier is expecting 4 features as input"):
        model.kneighbors(X[:, :3])


# ---- scikit-learn's parameters, each against scikit-learn ----------------------------------------

W = np.linspace(0.25, 2.0, 13)  # feature weights of a weighted Minkowski metric on wine


def _compare_search(ours, ref, X_train, X_test, y_train, D, k=5):
    """Same neighbours as scikit-learn's (see _assert_neighbours), and the same probabilities."""
    ours.fit(X_train, y_train)
    ref.fit(X_train, y_train)
    dist, ind = ours.kneighbors(X_test)
    ref_dist, ref_ind = ref.kneighbors(X_test)
    _assert_neighbours(dist, ind, D, ref_dist, ref_ind, rtol=1e-10)
    rows = _unambiguous_rows(D, k)
    assert_allclose(xpml.to_numpy(ours.predict_proba(X_test))[rows], ref.predict_proba(X_test)[rows], rtol=1e-10)
    assert ours.effective_metric_ == ref.effective_metric_
    assert ours.effective_metric_params_.keys() == ref.effective_metric_params_.keys()


@pytest.mark.parametrize("p", [1, 1.5, 2, 3, np.inf])
def test_minkowski_p_as_sklearn(backend, p):
    X_train, X_test, y_train, _ = DATA["wine"]
    D = cdist(X_test, X_train, "chebyshev") if p == np.inf else cdist(X_test, X_train, "minkowski", p=p)
    _compare_search(KNeighborsClassifier(5, p=p), SkClassifier(5, p=p, algorithm="brute"), X_train, X_test, y_train, D)


def test_minkowski_p_below_one_warns_as_sklearn(backend):
    X_train, X_test, y_train, _ = DATA["wine"]
    D = np.sum(np.abs(X_test[:, None, :] - X_train) ** 0.5, axis=2) ** 2.0
    with pytest.warns(UserWarning, match=r"for 0 < p < 1, Minkowski metrics are not distance metrics"):
        _compare_search(KNeighborsClassifier(5, p=0.5), SkClassifier(5, p=0.5, algorithm="brute"),
                        X_train, X_test, y_train, D)
    with pytest.raises(ValueError, match=r'algorithm="kd_tree" does not support 0 < p < 1'):
        KNeighborsClassifier(5, p=0.5, algorithm="kd_tree").fit(X_train, y_train)


@pytest.mark.parametrize("p", [1, 2, 3])
def test_metric_params_weights_and_p_as_sklearn(backend, p):
    X_train, X_test, y_train, _ = DATA["wine"]
    D = cdist(X_test, X_train, "minkowski", p=p, w=W)
    _compare_search(KNeighborsClassifier(5, metric_params={"w": W}, p=p),
                    SkClassifier(5, metric_params={"w": W}, p=p, algorithm="brute"), X_train, X_test, y_train, D)
    with pytest.warns(SyntaxWarning, match=r"Parameter p is found in metric_params"):
        model = KNeighborsClassifier(5, p=2, metric_params={"p": p}).fit(X_train, y_train)
    with pytest.warns(SyntaxWarning, match=r"Parameter p is found in metric_params"):
        ref = SkClassifier(5, p=2, metric_params={"p": p}).fit(X_train, y_train)
    assert model.effective_metric_ == ref.effective_metric_
    assert model.effective_metric_params_ == ref.effective_metric_params_


@pytest.mark.parametrize("metric", ["l1", "l2", "cityblock", "chebyshev", "infinity", "manhattan", "euclidean"])
def test_metric_names_as_sklearn(backend, metric):
    X_train, X_test, y_train, _ = DATA["wine"]
    scipy_name = {"l1": "cityblock", "manhattan": "cityblock", "l2": "euclidean", "infinity": "chebyshev"}
    D = cdist(X_test, X_train, scipy_name.get(metric, metric))
    _compare_search(KNeighborsClassifier(5, metric=metric), SkClassifier(5, metric=metric),  # "infinity": trees only
                    X_train, X_test, y_train, D)


@pytest.mark.parametrize("algorithm", ["auto", "ball_tree", "kd_tree", "brute"])
def test_algorithm_leaf_size_and_n_jobs_only_tune_sklearn(backend, algorithm):
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, _ = _split(X, y)
    ours = KNeighborsRegressor(4, algorithm=algorithm, leaf_size=5, n_jobs=2).fit(X_train, y_train)
    ref = SkRegressor(4, algorithm=algorithm, leaf_size=5, n_jobs=2).fit(X_train, y_train)
    assert_allclose(ours.predict(X_test), ref.predict(X_test), rtol=1e-12)


def _inverse_square(distances):
    return 1.0 / (1.0 + distances * distances)


@pytest.mark.parametrize("weights", [None, _inverse_square])
def test_callable_and_none_weights_as_sklearn(backend, weights):
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, _ = _split(X, y)
    ours = KNeighborsRegressor(6, weights=weights).fit(X_train, y_train)
    ref = SkRegressor(6, weights=weights).fit(X_train, y_train)
    assert_allclose(ours.predict(X_test), ref.predict(X_test), rtol=1e-12)
    X_train, X_test, y_train, _ = DATA["iris"]
    rows = _unambiguous_rows(_exact(X_test, X_train, "euclidean"), 6)
    proba = xpml.to_numpy(KNeighborsClassifier(6, weights=weights).fit(X_train, y_train).predict_proba(X_test))
    assert_allclose(proba[rows], SkClassifier(6, weights=weights).fit(X_train, y_train).predict_proba(X_test)[rows],
                    rtol=1e-12)


def test_positional_n_neighbors_as_sklearn():
    assert KNeighborsClassifier(3).n_neighbors == 3 and KNeighborsRegressor(4).n_neighbors == 4


def test_fitted_attributes_as_sklearn(backend):
    X_train, _, y_train, _ = DATA["iris"]
    ours, ref = KNeighborsClassifier(3).fit(X_train, y_train), SkClassifier(3).fit(X_train, y_train)
    assert ours.outputs_2d_ is ref.outputs_2d_ is False
    assert (ours.effective_metric_, ours.effective_metric_params_, ours.n_samples_fit_) == \
        (ref.effective_metric_, ref.effective_metric_params_, ref.n_samples_fit_)


def _scaled_l1(x, y, scale=1.0):
    return scale * float(np.sum(np.abs(x - y)))


def test_callable_metric_and_its_params_as_sklearn(backend):
    X_train, X_test, y_train, _ = DATA["wine"]
    X_train, X_test, y_train = X_train[:60], X_test[:15], y_train[:60]
    params = {"scale": 2.0}
    D = 2.0 * cdist(X_test, X_train, "cityblock")
    _compare_search(KNeighborsClassifier(5, metric=_scaled_l1, metric_params=params),
                    SkClassifier(5, metric=_scaled_l1, metric_params=params, algorithm="brute"),
                    X_train, X_test, y_train, D)


@pytest.mark.parametrize("mode", ["connectivity", "distance"])
def test_kneighbors_graph_is_sklearns(backend, xp, device, mode):
    """kneighbors_graph: scikit-learn's CSR matrix, the neighbours of each query (of each training point but itself
    for X=None) nearest first, holding 1 or their distance. Data without ties, where the order is one."""
    scipy_sparse = pytest.importorskip("scipy.sparse")
    rng = np.random.default_rng(0)
    X, y, queries = rng.normal(size=(60, 3)), rng.integers(0, 2, 60), rng.normal(size=(15, 3))
    ours, ref = KNeighborsRegressor(4).fit(xp.asarray(X, device=device), y), SkRegressor(4).fit(X, y)
    for Q, k in ((None, 4), (queries, 2)):
        graph = ours.kneighbors_graph(None if Q is None else xp.asarray(Q, device=device), n_neighbors=k, mode=mode)
        expected = ref.kneighbors_graph(Q, n_neighbors=k, mode=mode)
        assert scipy_sparse.issparse(graph) and graph.shape == expected.shape
        np.testing.assert_array_equal(graph.indptr, expected.indptr)
        np.testing.assert_array_equal(graph.indices, expected.indices)
        np.testing.assert_allclose(graph.data, expected.data, rtol=1e-12)
    with pytest.raises(ValueError, match=r"mode='weights' should be 'connectivity' or 'distance'"):
        ours.kneighbors_graph(mode="weights")
