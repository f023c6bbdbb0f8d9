"""KMeans and MiniBatchKMeans against scikit-learn, on every backend."""

import warnings

import numpy as np
import pytest
from sklearn.cluster import KMeans as SkKMeans
from sklearn.cluster import MiniBatchKMeans as SkMiniBatchKMeans
from sklearn.datasets import make_blobs

from tests.helpers import assert_allclose, assert_on_backend
from xpml import to_numpy
from xpml.cluster import KMeans, MiniBatchKMeans
from xpml.cluster._kmeans import same_partition
from xpml.cluster._kmeans_common import assign, kmeans_plusplus
from xpml.datasets import load_digits, load_iris, load_wine
from xpml.exceptions import ConvergenceWarning, NotFittedError

DATA = {name: loader(return_X_y=True)[0] for name, loader in
        [("iris", load_iris), ("wine", load_wine), ("digits", load_digits)]}
K = {"iris": 3, "wine": 3, "digits": 10}
X_BLOBS, Y_BLOBS = make_blobs(n_samples=300, centers=4, n_features=3, cluster_std=1.5, random_state=0)


def first_of_each(X, y, k):
    """An init of k samples, one from each true class."""
    return np.array([X[np.flatnonzero(y == j)[0]] for j in range(k)])


def assert_same_clustering(ours, ref, rtol=1e-10):
    scale = np.abs(ref.cluster_centers_).max()
    assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=rtol, atol=rtol * scale)
    assert ours.inertia_ == pytest.approx(ref.inertia_, rel=rtol)
    np.testing.assert_array_equal(to_numpy(ours.labels_), ref.labels_)
    assert ours.n_iter_ == ref.n_iter_


@pytest.mark.parametrize("name", ["iris", "wine", "digits"])
def test_lloyd_from_a_given_init_reproduces_sklearn(backend, name):
    X, k = DATA[name], K[name]
    init = X[np.random.default_rng(0).choice(len(X), k, replace=False)]
    ours = KMeans(n_clusters=k, init=init).fit(X)
    ref = SkKMeans(n_clusters=k, init=init, n_init=1).fit(X)
    assert_on_backend(ours.cluster_centers_, backend)
    assert_on_backend(ours.labels_, backend)
    assert_same_clustering(ours, ref)  # float64: both compute the same sums, up to rounding


def test_sample_weight_and_tolerance_stop_like_sklearn(backend):
    w = np.random.default_rng(1).uniform(0.2, 3.0, size=len(X_BLOBS))
    init = X_BLOBS[:4]
    for tol in (0.0, 0.05):  # 0.05 stops on the centre shift before the labels settle
        ours = KMeans(n_clusters=4, init=init, tol=tol).fit(X_BLOBS, sample_weight=w)
        ref = SkKMeans(n_clusters=4, init=init, n_init=1, tol=tol).fit(X_BLOBS, sample_weight=w)
        assert_same_clustering(ours, ref)
    assert ours.n_iter_ < KMeans(n_clusters=4, init=init, tol=0.0).fit(X_BLOBS, sample_weight=w).n_iter_


@pytest.mark.parametrize("name", ["iris", "wine", "digits"])
def test_kmeans_plusplus_with_ten_inits_reaches_sklearn_inertia(backend, name):
    X, k = DATA[name], K[name]
    ours = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
    ref = SkKMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
    assert ours.inertia_ <= ref.inertia_ * (1 + 1e-12)


def test_empty_clusters_are_relocated_like_sklearn(backend):
    # Two centres far from every sample start empty; each moves onto one of the two samples farthest
    # from its centre, which leaves its own cluster.
    init = np.vstack([X_BLOBS[:2], [[100.0, 100.0, 100.0], [-100.0, 100.0, -100.0]]])
    ours = KMeans(n_clusters=4, init=init).fit(X_BLOBS)
    ref = SkKMeans(n_clusters=4, init=init, n_init=1).fit(X_BLOBS)
    assert_same_clustering(ours, ref)
    assert len(np.unique(to_numpy(ours.labels_))) == 4


def test_duplicate_points_warn_of_fewer_distinct_clusters(backend):
    X = np.repeat([[0.0, 0.0], [1.0, 1.0], [5.0, 5.0]], 4, axis=0)
    with pytest.warns(ConvergenceWarning, match=r"found 3 distinct clusters, fewer than n_clusters=4"):
        model = KMeans(n_clusters=4, random_state=0).fit(X)
    assert model.inertia_ == pytest.approx(0.0, abs=1e-12)


def test_same_partition_ignores_the_labels_numbering(xp, device):
    a = [0, 0, 1, 2, 2, 1]
    cases = {(1, 1, 2, 0, 0, 2): True, (0, 0, 1, 2, 2, 1): True, (0, 0, 1, 2, 2, 2): False,  # 1 and 2 merged
             (0, 1, 1, 2, 2, 1): False, (0, 0, 1, 2, 3, 1): False}  # a sample moved; a cluster split
    for b, same in cases.items():
        labels = [xp.asarray(v, dtype=xp.int64, device=device) for v in (a, b)]
        assert same_partition(xp, *labels, k=4) is same
        assert same_partition(xp, *labels[::-1], k=4) is same


def test_same_random_state_gives_the_same_result_on_every_backend(backend):
    for init in ("k-means++", "random"):
        ours = KMeans(n_clusters=4, init=init, n_init=2, random_state=7).fit(X_BLOBS)
        numpy_fit = KMeans(n_clusters=4, init=init, n_init=2, random_state=7, backend="numpy").fit(X_BLOBS)
        assert_allclose(ours.cluster_centers_, numpy_fit.cluster_centers_, rtol=1e-12)
        np.testing.assert_array_equal(to_numpy(ours.labels_), to_numpy(numpy_fit.labels_))
    ours = MiniBatchKMeans(n_clusters=4, batch_size=64, random_state=7).fit(X_BLOBS)
    numpy_fit = MiniBatchKMeans(n_clusters=4, batch_size=64, random_state=7, backend="numpy").fit(X_BLOBS)
    assert_allclose(ours.cluster_centers_, numpy_fit.cluster_centers_, rtol=1e-12)
    assert ours.n_steps_ == numpy_fit.n_steps_


def test_predict_transform_score_match_sklearn(backend, xp, device):
    init = first_of_each(X_BLOBS, Y_BLOBS, 4)
    ours = KMeans(n_clusters=4, init=init).fit(X_BLOBS)
    ref = SkKMeans(n_clusters=4, init=init, n_init=1).fit(X_BLOBS)
    X_new = np.random.default_rng(2).normal(scale=5.0, size=(40, 3))
    np.testing.assert_array_equal(ours.predict(X_new), ref.predict(X_new))
    assert_allclose(ours.transform(X_new), ref.transform(X_new), rtol=1e-10)
    assert ours.score(X_new) == pytest.approx(ref.score(X_new), rel=1e-10)
    np.testing.assert_array_equal(KMeans(n_clusters=4, init=init).fit_predict(X_BLOBS), ref.labels_)
    assert isinstance(ours.predict(X_new), np.ndarray)
    assert_on_backend(ours.predict(xp.asarray(X_new, device=device)), backend)


def test_float32_data_are_clustered_in_float32(backend):
    X = X_BLOBS.astype(np.float32)
    init = first_of_each(X, Y_BLOBS, 4)
    ours = KMeans(n_clusters=4, init=init).fit(X)
    ref = SkKMeans(n_clusters=4, init=init, n_init=1).fit(X)
    assert ours.cluster_centers_.dtype == ours._xp.float32
    np.testing.assert_array_equal(to_numpy(ours.labels_), ref.labels_)
    # Centres are means of about 75 float32 samples: a few ulps of their magnitude (~10).
    assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=0, atol=1e-5)
    assert ours.inertia_ == pytest.approx(ref.inertia_, rel=1e-5)


def test_blocks_give_the_same_labels_and_sums_as_one_block(xp, device):
    X = xp.asarray(X_BLOBS, device=device)
    shift, centers = xp.mean(X, axis=0), xp.asarray(X_BLOBS[:4], device=device)
    one = assign(xp, X, shift, centers, 300, with_sums=True)
    for rows in (7, 64):  # blocks that do not divide n = 300
        many = assign(xp, X, shift, centers, rows, with_sums=True)
        np.testing.assert_array_equal(to_numpy(many[0]), to_numpy(one[0]))
        assert_allclose(many[1], one[1], rtol=1e-12, atol=1e-12)
        assert_allclose(many[2], one[2], rtol=0)


@pytest.mark.parametrize("weighted", [False, True])
def test_workers_and_updates_by_moves_give_the_sums_of_one_pass(xp, device, weighted):
    """Blocks shared among 3 threads, and the sums updated by the samples that changed cluster, give
    what one pass over every sample gives: the same labels, and sums equal up to rounding."""
    X = xp.asarray(X_BLOBS, device=device)
    shift = xp.mean(X, axis=0)
    w = xp.asarray(np.random.default_rng(2).uniform(0.5, 2.0, X.shape[0]), device=device) if weighted else None
    before, after = xp.asarray(X_BLOBS[:4], device=device) - shift, xp.asarray(X_BLOBS[10:14], device=device) - shift
    labels0, sums0, weights0 = assign(xp, X, shift, before, 300, w, with_sums=True)
    labels1, sums1, weights1 = assign(xp, X, shift, after, 300, w, with_sums=True)
    assert 0 < int(xp.sum(xp.astype(labels0 != labels1, xp.int32))) < X.shape[0]  # some samples move, not all
    shared = assign(xp, X, shift, after, 7, w, with_sums=True, workers=3)
    moves = assign(xp, X, shift, after, 7, w, with_sums=True, previous=labels0, workers=3)
    for labels, sums, weights in (shared, (moves[0], sums0 + moves[1], weights0 + moves[2])):
        np.testing.assert_array_equal(to_numpy(labels), to_numpy(labels1))
        assert_allclose(sums, sums1, rtol=1e-12, atol=1e-12)
        assert_allclose(weights, weights1, rtol=1e-12, atol=0 if not weighted else 1e-12)


def test_updating_by_moves_gives_the_centres_of_summing_afresh(backend, xp, device):
    from xpml.cluster._kmeans import lloyd

    X = xp.asarray(X_BLOBS, device=device)
    shift = xp.mean(X, axis=0)
    start = xp.asarray(X_BLOBS[:4], device=device) - shift
    fresh = lloyd(xp, X, shift, None, start, max_iter=30, tol=0.0, rows=16, by_moves=False)
    moved = lloyd(xp, X, shift, None, start, max_iter=30, tol=0.0, rows=16, by_moves=True, workers=2)
    assert moved[1:] == fresh[1:]  # the same iterations, converged alike
    assert_allclose(moved[0], fresh[0], rtol=1e-12, atol=1e-12)


def test_kmeans_plusplus_does_not_depend_on_the_block_size(backend, xp, device):
    X = xp.asarray(X_BLOBS, device=device)
    shift = xp.mean(X, axis=0)
    x_sq = xp.sum((X - shift) ** 2, axis=1)
    w = xp.ones(X.shape[0], dtype=X.dtype, device=device)
    seeds = [kmeans_plusplus(xp, X, shift, x_sq, w, 5, np.random.default_rng(3), backend, rows) for rows in (11, 300)]
    assert_allclose(seeds[0], seeds[1], rtol=1e-12)


def test_max_iter_warns(backend):
    with pytest.warns(ConvergenceWarning, match=r"KMeans stopped at max_iter=1 before converging"):
        KMeans(n_clusters=4, init=X_BLOBS[:4], max_iter=1).fit(X_BLOBS)


def test_clear_errors():
    X = X_BLOBS[:5]
    with pytest.raises(ValueError, match=r"n_samples=5 should be >= n_clusters=8\."):
        KMeans().fit(X)
    with pytest.raises(ValueError, match=r"n_clusters=0 should be >= 1\."):
        KMeans(n_clusters=0).fit(X)
    with pytest.raises(ValueError, match=r"init='kmeans' should be 'k-means\+\+', 'random' or an array"):
        KMeans(n_clusters=2, init="kmeans").fit(X)
    with pytest.raises(ValueError, match=r"init has shape \(2, 3\); expected \(n_clusters, n_features\)=\(3, 3\)"):
        KMeans(n_clusters=3, init=X[:2]).fit(X)
    with pytest.raises(ValueError, match=r"tol=-1.0 should be >= 0\."):
        KMeans(n_clusters=2, tol=-1.0).fit(X)
    with pytest.raises(ValueError, match=r"batch_size=0 should be >= 1\."):
        MiniBatchKMeans(n_clusters=2, batch_size=0).fit(X)
    with pytest.raises(NotFittedError):
        KMeans().predict(X)
    model = KMeans(n_clusters=2, random_state=0).fit(X)
    with pytest.raises(ValueError, match=r"X has 2 features, but KMeans is expecting 3 features as input"):
        model.predict(X[:, :2])
    with pytest.warns(RuntimeWarning, match=r"running once, not n_init=3 times"):
        KMeans(n_clusters=2, init=X[:2], n_init=3).fit(X)


def test_minibatch_partial_fit_reproduces_sklearn(backend):
    init = first_of_each(X_BLOBS, Y_BLOBS, 4)
    ours = MiniBatchKMeans(n_clusters=4, init=init)
    ref = SkMiniBatchKMeans(n_clusters=4, init=init, n_init=1)
    for batch in np.array_split(np.arange(len(X_BLOBS)), 5):
        ours.partial_fit(X_BLOBS[batch])
        ref.partial_fit(X_BLOBS[batch])
        assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=1e-12)
        assert ours.inertia_ == pytest.approx(ref.inertia_, rel=1e-12)
    assert ours.n_steps_ == ref.n_steps_ == 5
    assert_on_backend(ours.cluster_centers_, backend)


def test_minibatch_fit_comes_close_to_kmeans(backend):
    X, y = make_blobs(n_samples=2000, centers=5, n_features=4, random_state=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = MiniBatchKMeans(n_clusters=5, batch_size=100, random_state=0).fit(X)
    best = SkKMeans(n_clusters=5, n_init=10, random_state=0).fit(X).inertia_
    assert ours.inertia_ <= 1.01 * best  # separated blobs: the batches find the same clusters
    assert ours.n_iter_ == int(np.ceil(ours.n_steps_ * 100 / 2000))
    np.testing.assert_array_equal(ours.predict(X), to_numpy(ours.labels_))


def test_minibatch_max_iter_warns_and_stream_seeds_on_first_batch():
    with pytest.warns(ConvergenceWarning, match=r"MiniBatchKMeans stopped at max_iter=1 passes"):
        MiniBatchKMeans(n_clusters=4, batch_size=100, max_no_improvement=50, random_state=0).set_params(
            max_iter=1).fit(X_BLOBS)
    stream = MiniBatchKMeans(n_clusters=4, random_state=0).partial_fit(X_BLOBS[:100])
    assert stream.cluster_centers_.shape == (4, 3) and stream.n_steps_ == 1


def test_verbose_prints_one_line_per_iteration(capsys):
    model = KMeans(n_clusters=4, init=X_BLOBS[:4], verbose=1).fit(X_BLOBS)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == model.n_iter_ and lines[-1].startswith(f"Iteration {model.n_iter_ - 1}: centre shift")


# ---- scikit-learn's parameters, each against scikit-learn ----------------------------------------

def first_rows(X, n_clusters, random_state):
    """A callable init: the first n_clusters samples (of any backend's array), copied: scikit-learn's
    Lloyd would write its centres into a view of X."""
    return X[:n_clusters, :] + 0.0


def test_positional_n_clusters_as_sklearn():
    assert KMeans(3).n_clusters == 3 and MiniBatchKMeans(3).n_clusters == 3


@pytest.mark.parametrize("n_init", ["auto", 2])
def test_kmeans_callable_init_as_sklearn(backend, n_init):
    calls = []

    def init(X, n_clusters, random_state):
        calls.append(n_clusters)
        return first_rows(X, n_clusters, random_state)

    ours = KMeans(4, init=init, n_init=n_init).fit(X_BLOBS)
    ref = SkKMeans(4, init=first_rows, n_init=n_init).fit(X_BLOBS)
    assert_same_clustering(ours, ref)
    assert len(calls) == (10 if n_init == "auto" else 2)  # "auto" runs a callable 10 times, as sklearn


def test_kmeans_callable_init_returns_centred_coordinates_as_sklearn(backend):
    fixed = X_BLOBS[[0, 100, 200, 250]] - X_BLOBS.mean(axis=0)
    ours = KMeans(4, init=lambda X, k, random_state: fixed, n_init=1).fit(X_BLOBS)
    ref = SkKMeans(4, init=lambda X, k, random_state: fixed, n_init=1).fit(X_BLOBS)
    assert_same_clustering(ours, ref)


def test_kmeans_callable_init_of_wrong_shape_is_refused(backend):
    with pytest.raises(ValueError, match=r"init has shape \(3, 3\); expected"):
        KMeans(4, init=lambda X, k, random_state: X[:3, :], n_init=1).fit(X_BLOBS)


@pytest.mark.parametrize("algorithm", ["lloyd", "elkan"])
@pytest.mark.parametrize("copy_x", [True, False])
def test_kmeans_algorithm_and_copy_x_give_sklearn_clustering(backend, algorithm, copy_x):
    init = X_BLOBS[:4]
    X = X_BLOBS.copy()
    ours = KMeans(4, init=init, algorithm=algorithm, copy_x=copy_x).fit(X)
    ref = SkKMeans(4, init=init, n_init=1, algorithm=algorithm, copy_x=copy_x).fit(X_BLOBS.copy())
    assert_same_clustering(ours, ref)
    np.testing.assert_array_equal(X, X_BLOBS)  # X is never modified


def test_kmeans_bad_algorithm_is_refused():
    with pytest.raises(ValueError, match=r"algorithm='full' should be one of 'elkan', 'lloyd'"):
        KMeans(2, algorithm="full").fit(X_BLOBS)


def test_minibatch_callable_init_sees_what_sklearn_gives_it(backend):
    """The callable gets the uncentred samples, n_init="auto" times (3 for a callable), as in scikit-learn."""
    X, seen, seen_sk = X_BLOBS[:60], [], []

    def recorder(log):
        def init(X, n_clusters, random_state):
            log.append((to_numpy(X), n_clusters))
            return first_rows(X, n_clusters, random_state)
        return init

    MiniBatchKMeans(4, init=recorder(seen), random_state=0).fit(X)
    SkMiniBatchKMeans(4, init=recorder(seen_sk), random_state=0).fit(X)
    assert len(seen) == len(seen_sk) == 3
    for (ours, k), (ref, k_ref) in zip(seen, seen_sk):
        np.testing.assert_array_equal(ours, ref)
        assert k == k_ref == 4


@pytest.mark.parametrize(("Model", "SkModel"), [(KMeans, SkKMeans), (MiniBatchKMeans, SkMiniBatchKMeans)])
def test_transform_names_its_columns_as_sklearn(Model, SkModel):
    """get_feature_names_out ("kmeans0", ...), and so set_output: DataFrames of the distances to the centres."""
    pd = pytest.importorskip("pandas")
    X = DATA["iris"]
    ours, ref = Model(3, n_init=1, random_state=0).fit(X), SkModel(3, n_init=1, random_state=0).fit(X)
    assert ours.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()
    frame = Model(3, n_init=1, random_state=0).set_output(transform="pandas").fit_transform(pd.DataFrame(X))
    assert isinstance(frame, pd.DataFrame) and frame.columns.tolist() == ours.get_feature_names_out().tolist()
    np.testing.assert_allclose(frame.to_numpy(), to_numpy(ours.transform(X)), rtol=1e-12)
    with pytest.raises(NotFittedError):
        Model(3).get_feature_names_out()
