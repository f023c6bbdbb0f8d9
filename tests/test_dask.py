"""The dask backend: each estimator that scales out gives on dask what it gives on numpy.

Data are small and cut into 4 chunks of rows, so every reduction crosses chunks. The results are
compared with the same estimator on numpy: to 1e-10 (relative) where the arithmetic is the same up to
the order of the sums, and exactly for labels. KMeans starts from given centres (k-means|| seeding
draws differently from k-means++). A few tests run on a `LocalCluster` of 2 in-process workers.
These tests are not in the `xp` fixture's backends (the shared suite would run twice).
"""

from __future__ import annotations

import numpy as np
import pytest

da = pytest.importorskip("dask.array", reason="dask is not installed (pip install 'xpml[dask]')")

from xpml.cluster import KMeans
from xpml.decomposition import PCA, TruncatedSVD
from xpml.linear_model import LinearRegression, LogisticRegression, Ridge, SGDClassifier
from xpml.naive_bayes import GaussianNB, MultinomialNB
from xpml.neighbors import KNeighborsClassifier, KNeighborsRegressor
from xpml.preprocessing import MaxAbsScaler, MinMaxScaler, StandardScaler

RTOL = 1e-10  # same arithmetic, sums taken in another order


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(size=(100, 4)) + shift for shift in (0.0, 5.0, 10.0)])  # (300, 4)
    y = X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.1 * rng.normal(size=300)
    labels = (y > np.median(y)).astype(np.int64)
    chunked = {"X": da.from_array(X, chunks=(75, 4)), "y": da.from_array(y, chunks=75),
               "labels": da.from_array(labels, chunks=75)}
    return {"X": X, "y": y, "labels": labels, "dask": chunked}


@pytest.fixture(scope="module")
def threads():
    import dask

    with dask.config.set(scheduler="threads"):
        yield


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")
    with (distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as lc,
          distributed.Client(lc) as client):
        yield client


def _host(a):
    return np.asarray(a.compute()) if hasattr(a, "compute") else np.asarray(a)


def _assert_lazy(out):
    assert type(out).__module__.startswith("dask"), f"expected a lazy dask array, got {type(out)}"


CASES = [
    (StandardScaler, {}, None, ["mean_", "scale_"]),
    (MinMaxScaler, {}, None, ["data_min_", "data_max_"]),
    (LinearRegression, {}, "y", ["coef_", "intercept_"]),
    (Ridge, {"alpha": 2.0}, "y", ["coef_", "intercept_"]),
    (PCA, {"n_components": 2}, None, ["components_", "explained_variance_"]),
    (GaussianNB, {}, "labels", ["theta_", "var_"]),
]


@pytest.mark.parametrize("cls, params, target, attributes", CASES, ids=[c[0].__name__ for c in CASES])
def test_same_as_numpy(threads, data, cls, params, target, attributes):
    ref = cls(**params).fit(data["X"], None if target is None else data[target])
    est = cls(**params, backend="dask").fit(data["dask"]["X"], None if target is None else data["dask"][target])
    for name in attributes:
        np.testing.assert_allclose(_host(getattr(est, name)), _host(getattr(ref, name)), rtol=RTOL, atol=1e-12,
                                   err_msg=f"{cls.__name__}.{name}")
    out = est.predict(data["dask"]["X"]) if hasattr(est, "predict") else est.transform(data["dask"]["X"])
    _assert_lazy(out)
    expected = ref.predict(data["X"]) if hasattr(ref, "predict") else ref.transform(data["X"])
    np.testing.assert_allclose(_host(out), expected, rtol=RTOL, atol=1e-10)


def test_numpy_input_is_chunked_and_gives_numpy(threads, data):
    from xpml._backend import make_backend, to_backend
    from xpml._backend._dask import chunk_rows_for

    moved = to_backend(data["X"], make_backend("dask"))
    assert moved.chunks[0][0] == chunk_rows_for(data["X"].shape) == 300  # small: one chunk
    assert chunk_rows_for((10**7, 100)) == 2**22 // 100  # all columns, about 2**22 elements a chunk
    out = StandardScaler(backend="dask").fit(data["X"]).transform(data["X"])
    assert isinstance(out, np.ndarray)  # numpy in, numpy out
    np.testing.assert_allclose(out, StandardScaler().fit_transform(data["X"]), rtol=RTOL, atol=1e-12)


def test_logistic_regression_same_coefficients(threads, data):
    # Two chunks: each loss-and-gradient evaluation is a graph of about a hundred tasks per chunk.
    ref = LogisticRegression(C=0.01).fit(data["X"], data["labels"])
    est = LogisticRegression(C=0.01, backend="dask").fit(da.from_array(data["X"], chunks=(150, 4)),
                                                         da.from_array(data["labels"], chunks=150))
    np.testing.assert_allclose(_host(est.coef_), ref.coef_, rtol=1e-6, atol=1e-8)  # L-BFGS to its tolerance
    pred = est.predict(data["dask"]["X"])
    _assert_lazy(pred)
    np.testing.assert_array_equal(_host(pred), ref.predict(data["X"]))


def test_kmeans_from_given_centres(threads, data):
    init = data["X"][[0, 100, 200]]
    ref = KMeans(3, init=init, n_init=1).fit(data["X"])
    est = KMeans(3, init=init, n_init=1, backend="dask").fit(data["dask"]["X"])
    np.testing.assert_allclose(_host(est.cluster_centers_), ref.cluster_centers_, rtol=RTOL)
    assert est.n_iter_ == ref.n_iter_
    np.testing.assert_allclose(est.inertia_, ref.inertia_, rtol=RTOL)
    labels = est.predict(data["dask"]["X"])
    _assert_lazy(labels)
    np.testing.assert_array_equal(_host(labels), ref.labels_)


@pytest.mark.filterwarnings("ignore:KMeans stopped at max_iter")
def test_kmeans_weighted_in_one_compute_per_iteration(threads, data, monkeypatch):
    """Weighted Lloyd on dask gives numpy's centres, inertia and labels, and reads the data once per iteration:
    each chunk runs the assignment on its own library, and the sums are added in the same compute."""
    import dask

    init, w = data["X"][[0, 1, 2]], np.random.default_rng(1).uniform(0.5, 2.0, 300)
    computes, compute = [], dask.compute
    monkeypatch.setattr(dask, "compute", lambda *a, **k: computes.append(1) or compute(*a, **k))
    runs = {}
    for max_iter in (2, 4):
        computes.clear()
        est = KMeans(3, init=init, n_init=1, max_iter=max_iter, tol=0, backend="dask").fit(
            data["dask"]["X"], sample_weight=da.from_array(w, chunks=75))
        runs[max_iter] = (est, len(computes))
    ref = KMeans(3, init=init, n_init=1, max_iter=4, tol=0).fit(data["X"], sample_weight=w)
    est = runs[4][0]
    assert est.n_iter_ == ref.n_iter_ == 4
    assert runs[4][1] - runs[2][1] == 2  # one compute for each further iteration
    np.testing.assert_allclose(_host(est.cluster_centers_), ref.cluster_centers_, rtol=RTOL)
    np.testing.assert_allclose(est.inertia_, ref.inertia_, rtol=RTOL)
    np.testing.assert_array_equal(_host(est.labels_), ref.labels_)


def test_kmeans_parallel_seeding_finds_the_clusters(threads, data):
    est = KMeans(3, random_state=0, backend="dask").fit(data["dask"]["X"])  # k-means|| on dask
    ref = KMeans(3, random_state=0).fit(data["X"])
    np.testing.assert_allclose(np.sort(_host(est.cluster_centers_)[:, 0]), np.sort(ref.cluster_centers_[:, 0]),
                               rtol=RTOL)
    np.testing.assert_allclose(est.inertia_, ref.inertia_, rtol=RTOL)


def test_multinomial_nb_and_neighbours(threads, data):
    X, Xd = np.abs(data["X"]), da.abs(data["dask"]["X"])
    ref = MultinomialNB().fit(X, data["labels"])
    est = MultinomialNB(backend="dask").fit(Xd, data["dask"]["labels"])
    np.testing.assert_allclose(_host(est.feature_log_prob_), ref.feature_log_prob_, rtol=RTOL)
    for cls, target in ((KNeighborsClassifier, "labels"), (KNeighborsRegressor, "y")):
        pred = cls(n_neighbors=3, backend="dask").fit(data["dask"]["X"], data["dask"][target]).predict(Xd)
        _assert_lazy(pred)
        np.testing.assert_allclose(_host(pred), cls(n_neighbors=3).fit(data["X"], data[target]).predict(X),
                                   rtol=RTOL)


def test_truncated_svd(threads, data):
    ref = TruncatedSVD(2, algorithm="arpack").fit(data["X"])
    est = TruncatedSVD(2, algorithm="arpack", backend="dask").fit(data["dask"]["X"])
    np.testing.assert_allclose(np.abs(_host(est.components_)), np.abs(ref.components_), rtol=1e-8)


def test_refusals_name_what_to_do(threads, data):
    with pytest.raises(ValueError, match="partial_fit"):
        MaxAbsScaler(backend="dask").fit(data["dask"]["X"])
    with pytest.raises(ValueError, match="early_stopping=True is not available"):
        SGDClassifier(early_stopping=True, backend="dask").fit(data["dask"]["X"], data["dask"]["labels"])
    with pytest.raises(ValueError, match="never gathered.*backend='dask'"):
        StandardScaler().fit(data["dask"]["X"])  # a dask array on the numpy backend


def test_on_a_local_cluster(cluster, data):
    init = data["X"][[0, 100, 200]]
    est = KMeans(3, init=init, n_init=1, backend="dask").fit(data["dask"]["X"])
    np.testing.assert_allclose(_host(est.cluster_centers_), KMeans(3, init=init, n_init=1).fit(data["X"])
                               .cluster_centers_, rtol=RTOL)
    ridge = Ridge(alpha=2.0, backend="dask").fit(data["dask"]["X"], data["dask"]["y"])
    np.testing.assert_allclose(_host(ridge.coef_), Ridge(alpha=2.0).fit(data["X"], data["y"]).coef_, rtol=RTOL)
    pca = PCA(2, backend="dask").fit(data["dask"]["X"])
    np.testing.assert_allclose(_host(pca.explained_variance_), PCA(2).fit(data["X"]).explained_variance_, rtol=RTOL)


def _refusing_dask():
    from tests._common_recipes import RECIPES

    # Meta-estimators take their steps' way; LabelEncoder fits on y, chunk by chunk (tests/test_dask_gathers.py).
    others = {"GridSearchCV", "RandomizedSearchCV", "Pipeline", "LabelEncoder"}
    return sorted(name for name, recipe in RECIPES.items() if name not in others
                  and not recipe.make()._scales_out and recipe.make()._chunk_loss is None)


@pytest.mark.parametrize("name", _refusing_dask())
def test_the_others_say_they_cannot_scale_out(threads, name):
    """Every estimator that neither computes chunk by chunk nor streams refuses dask, saying what to do."""
    from tests._common_recipes import DATA, RECIPES
    from tests.test_common import fit

    X, y = DATA[RECIPES[name].data]
    with pytest.raises(ValueError, match=rf"{name} cannot fit on backend='dask'.*never gathers the data silently"):
        fit(name, RECIPES[name].make().set_params(backend="dask"), X, y)


def _gpu_missing():
    import xpml

    return None if "cupy" in xpml.available_backends() else "dask:cupy needs cupy and a CUDA GPU; none can be reached here"


def test_dask_cupy_without_a_gpu_says_so(data):
    if _gpu_missing() is None:
        pytest.skip("a GPU is reachable: test_dask_cupy_chunks runs instead")
    with pytest.raises(ValueError, match=r"'dask:cupy'.*(cupy is not installed|needs a CUDA GPU).*backend='dask'"):
        StandardScaler(backend="dask:cupy").fit(data["X"])


def test_dask_cupy_chunks(threads, data):
    """dask:cupy: chunks are cupy arrays on the GPU; the results are numpy's (to rounding), the outputs lazy."""
    if _gpu_missing():
        pytest.skip(_gpu_missing())
    est = StandardScaler(backend="dask:cupy").fit(data["X"])
    assert type(est.mean_._meta).__module__.startswith("cupy")  # the chunks live on the GPU
    np.testing.assert_allclose(_host(est.mean_.compute().get()), data["X"].mean(axis=0), rtol=RTOL)
    ridge = Ridge(alpha=2.0, backend="dask:cupy").fit(data["X"], data["y"])
    np.testing.assert_allclose(est.transform(data["X"]), StandardScaler().fit_transform(data["X"]), rtol=1e-10)
    np.testing.assert_allclose(ridge.predict(data["X"]), Ridge(alpha=2.0).fit(data["X"], data["y"]).predict(data["X"]),
                               rtol=1e-8)
    sgd = SGDClassifier(random_state=0, backend="dask:cupy").partial_fit(data["X"], data["labels"], classes=[0, 1])
    ref = SGDClassifier(random_state=0).partial_fit(data["X"], data["labels"], classes=[0, 1])
    np.testing.assert_allclose(sgd.coef_.compute().get(), ref.coef_, rtol=1e-8)


def _counted_chunks(a, rows):
    """a as a dask array whose chunks count, in `loads`, how often they are computed."""
    loads = []

    def produce(chunk):
        loads.extend([1] if chunk.shape[0] else [])  # dask also calls it on empty arrays, for the output's type
        return chunk
    d = da.from_array(a, chunks=(rows,) + a.shape[1:])
    return d.map_blocks(produce, dtype=d.dtype), loads


@pytest.mark.parametrize("params", [{}, {"drop": "first", "min_frequency": 60}], ids=["plain", "drop-infrequent"])
def test_one_hot_encoder_fits_in_one_pass_and_encodes_lazily(params):
    """OneHotEncoder: the categories in one pass over the chunks (two with min_frequency, which counts them),
    transform and inverse_transform lazy; dense and sparse (scipy CSR chunks) equal to scikit-learn's."""
    import dask
    from scipy import sparse
    from sklearn.preprocessing import OneHotEncoder as SkEncoder

    from xpml.preprocessing import OneHotEncoder

    codes = np.random.default_rng(1).integers(0, 4, (300, 2)) * np.array([1, 10])  # (300, 2) integer categories
    X, loads = _counted_chunks(codes, 75)
    for sparse_output in (False, True):
        loads.clear()
        with dask.config.set(scheduler="sync"):  # in this process, whatever client a test before set: counted
            enc = OneHotEncoder(sparse_output=sparse_output, backend="dask", **params).fit(X)
        assert len(loads) == 4 * (1 + ("min_frequency" in params)), len(loads)
        ref = SkEncoder(sparse_output=sparse_output, **params).fit(codes)
        [np.testing.assert_array_equal(ours, theirs) for ours, theirs in zip(enc.categories_, ref.categories_)]
        out = enc.transform(X)
        _assert_lazy(out)
        got, expected = out.compute(), ref.transform(codes)
        assert sparse.issparse(got) == sparse_output
        np.testing.assert_array_equal(got.toarray() if sparse_output else got,
                                      expected.toarray() if sparse_output else expected)
        back = enc.inverse_transform(out)
        _assert_lazy(back)
        np.testing.assert_array_equal(back.compute(), ref.inverse_transform(expected))


def test_one_hot_encoder_unknowns_and_strings_on_dask(threads):
    from xpml.preprocessing import LabelEncoder, OneHotEncoder

    codes = np.arange(40).reshape(20, 2) % 3  # (20, 2)
    enc = OneHotEncoder(sparse_output=False, backend="dask").fit(da.from_array(codes, chunks=5))
    unknown = enc.transform(da.from_array(np.where(codes == 2, 5, codes), chunks=5))  # lazy: raises when computed
    with pytest.raises(ValueError, match=r"Found unknown categories \[5\] in column 0 during transform"):
        unknown.compute()
    sparse_chunks = OneHotEncoder(backend="dask").fit_transform(da.from_array(codes, chunks=5))  # scipy CSR chunks
    with pytest.raises(TypeError, match="chunks are scipy.sparse matrices.*sparse_output=False"):
        Ridge(backend="dask").fit(sparse_chunks, da.from_array(codes[:, 0] * 1.0, chunks=5))
    strings = da.from_array(codes.astype(str).astype(object), chunks=5)
    with pytest.raises(TypeError, match="dask array of object values.*never gathers the data silently.*X.compute()"):
        OneHotEncoder(backend="dask").fit(strings)
    labels = LabelEncoder(backend="dask").fit(da.from_array(codes[:, 0] * 7, chunks=5))
    coded = labels.transform(da.from_array(codes[:, 1] * 7, chunks=5))
    _assert_lazy(coded)
    np.testing.assert_array_equal(coded.compute(), codes[:, 1])
    np.testing.assert_array_equal(labels.inverse_transform(coded).compute(), codes[:, 1] * 7)
