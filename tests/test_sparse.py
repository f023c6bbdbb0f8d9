"""Estimators that compute on scipy.sparse input: the same model as scikit-learn fitted on the same sparse
matrix, and as xpml fitted on it dense, on every backend (X is a CSR there, xpml.utils._csr)."""

import numpy as np
import pytest
import sklearn.decomposition as sk_decomposition
import sklearn.linear_model as sk_linear
import sklearn.naive_bayes as sk_nb
import sklearn.neighbors as sk_neighbors
import sklearn.preprocessing as sk_preprocessing
import sklearn.svm as sk_svm

from tests.helpers import assert_allclose, assert_on_backend
from xpml import to_numpy
from xpml.decomposition import PCA, TruncatedSVD
from xpml.exceptions import DataConversionWarning
from xpml.linear_model import (
    ElasticNet,
    Lasso,
    LinearRegression,
    LogisticRegression,
    Ridge,
    SGDClassifier,
    SGDRegressor,
)
from xpml.naive_bayes import GaussianNB, MultinomialNB
from xpml.neighbors import KNeighborsClassifier, KNeighborsRegressor
from xpml.neural_network import MLPClassifier
from xpml.neural_network import _solvers as mlp_solvers
from xpml.preprocessing import StandardScaler
from xpml.svm import LinearSVC
from xpml.utils import _csr as csr_module
from xpml.utils.validation import check_array

scipy_sparse = pytest.importorskip("scipy.sparse")  # an optional dependency: the tests need it

RNG = np.random.default_rng(0)
X = scipy_sparse.random(60, 40, density=0.1, format="csr", random_state=RNG)  # 240 stored values
DENSE = X.toarray()
COEF = RNG.standard_normal(40)
Y_BINARY = (X @ COEF > np.median(X @ COEF)).astype(int)
Y_THREE = np.digitize(X @ COEF, np.quantile(X @ COEF, [0.33, 0.66]))
Y_REAL = X @ COEF + 0.1 * RNG.standard_normal(60)
COUNTS = scipy_sparse.random(60, 40, density=0.1, format="csr", random_state=1,
                             data_rvs=lambda k: RNG.integers(1, 5, k).astype(float))


def _covered_on_jax(backend):
    """Skip on jax a test whose sparse kernels the jax runs of tests/test_csr.py and of the SGD and logistic tests
    below already cover (products, row gathers, padded rows): eager jax compiles each operation on first use,
    which costs seconds per test."""
    if backend.name == "jax":
        pytest.skip("jax: the same CSR products as the jax cases kept (test budget)")


def _close(ours, ref, rtol=1e-9):
    scale = np.abs(to_numpy(ref)).max()
    assert_allclose(ours, ref, rtol=rtol, atol=rtol * scale)


def test_sgd_classifier_steps_are_sklearns_on_sparse(backend, monkeypatch):
    # Per-sample steps in the data's order: scikit-learn's own algorithm on sparse data (its intercept
    # moves by 1/100 of each step, and L1 truncates only the features a sample holds).
    params = dict(shuffle=False, max_iter=2, tol=None, penalty="elasticnet", loss="log_loss")
    small = SGDClassifier(batch_size=1, **params).fit(X, Y_THREE)  # 60 x 40: its steps take X dense
    monkeypatch.setattr(csr_module, "SMALL_DENSE", 0)  # the sparse steps (padded rows on jax)
    ours = SGDClassifier(batch_size=1, **params).fit(X, Y_THREE)
    _close(small.coef_, ours.coef_, rtol=1e-12)
    ref = sk_linear.SGDClassifier(**params).fit(X, Y_THREE)
    assert_on_backend(ours.coef_, backend)
    _close(ours.coef_, ref.coef_)
    _close(ours.intercept_, ref.intercept_)
    _close(ours.decision_function(X), ref.decision_function(X))
    assert isinstance(ours.predict(X), np.ndarray)  # output follows input: host arrays for scipy input


def test_sgd_minibatches_are_the_dense_fit_and_partial_fit_streams(backend, monkeypatch):
    _covered_on_jax(backend)
    monkeypatch.setattr(csr_module, "SMALL_DENSE", 0)  # the sparse steps, not the dense form of a small X
    # Without an intercept a sparse fit is the dense fit, step for step; partial_fit's epochs are fit's.
    params = dict(batch_size=15, random_state=0, max_iter=3, tol=None, fit_intercept=False, average=4)
    dense = SGDRegressor(backend="numpy", **params).fit(DENSE, Y_REAL)  # dense on every backend: tests/test_sgd.py
    sparse = SGDRegressor(**params).fit(X, Y_REAL)
    assert_on_backend(sparse.coef_, backend)
    _close(sparse.coef_, dense.coef_, rtol=1e-10)
    stream = SGDRegressor(**{**params, "shuffle": False})
    for _ in range(2):
        stream.partial_fit(X[:30], Y_REAL[:30])
    whole = SGDRegressor(**{**params, "shuffle": False, "max_iter": 2}).fit(X[:30], Y_REAL[:30])
    _close(stream.coef_, whole.coef_, rtol=1e-10)
    _close(stream.predict(X), whole.predict(X), rtol=1e-10)


def test_multinomial_nb_is_sklearns_on_sparse(backend):
    _covered_on_jax(backend)
    y = Y_THREE
    ours = MultinomialNB(alpha=0.5).fit(COUNTS, y)
    ref = sk_nb.MultinomialNB(alpha=0.5).fit(COUNTS, y)
    assert_on_backend(ours.feature_log_prob_, backend)
    _close(ours.feature_count_, ref.feature_count_)
    _close(ours.feature_log_prob_, ref.feature_log_prob_)
    _close(ours.predict_log_proba(COUNTS), ref.predict_log_proba(COUNTS))
    stream = MultinomialNB(alpha=0.5).partial_fit(COUNTS[:25], y[:25], classes=[0, 1, 2]).partial_fit(COUNTS[25:],
                                                                                                     y[25:])
    _close(stream.feature_log_prob_, ref.feature_log_prob_)
    negative = COUNTS.copy()
    negative.data[0] = -1.0
    with pytest.raises(ValueError, match="Negative values in data"):
        MultinomialNB().fit(negative, y)


@pytest.mark.parametrize("params", [dict(), dict(l1_ratio=0.5, C=5.0)], ids=["lbfgs", "elasticnet-fista"])
def test_logistic_regression_is_sklearns_on_sparse(backend, params):
    if params:
        _covered_on_jax(backend)
    ours = LogisticRegression(tol=1e-10, max_iter=5000, **params).fit(X, Y_THREE)
    if params:  # xpml's FISTA on the dense matrix: tests/test_logistic.py compares it with scikit-learn's saga
        ref = LogisticRegression(tol=1e-10, max_iter=5000, backend="numpy", **params).fit(DENSE, Y_THREE)
    else:
        ref = sk_linear.LogisticRegression(tol=1e-10, **params).fit(X, Y_THREE)
    assert_on_backend(ours.coef_, backend)
    _close(ours.coef_, ref.coef_, rtol=1e-5)
    _close(ours.intercept_, ref.intercept_, rtol=1e-5)
    _close(ours.predict_proba(X), ref.predict_proba(X), rtol=1e-5)


def test_truncated_svd_is_sklearns_on_sparse(backend):
    _covered_on_jax(backend)
    ours = TruncatedSVD(3, n_iter=7, random_state=0).fit(X)
    ref = sk_decomposition.TruncatedSVD(3, n_iter=7, random_state=0).fit(X)
    exact = np.linalg.svd(DENSE, compute_uv=False)[:3]
    assert_on_backend(ours.components_, backend)
    _close(ours.singular_values_, exact, rtol=1e-3)  # the randomized SVD with 7 power iterations, as scikit-learn's
    _close(ours.singular_values_, ref.singular_values_, rtol=1e-3)
    _close(ours.explained_variance_ratio_, ref.explained_variance_ratio_, rtol=1e-2)
    dense = TruncatedSVD(3, n_iter=7, random_state=0, backend="numpy").fit(DENSE)
    _close(ours.components_, dense.components_, rtol=1e-8)  # the same random draws: the dense fit's result
    _close(ours.transform(X), dense.transform(DENSE), rtol=1e-8)


def test_least_squares_are_sklearns_on_sparse(backend):
    _covered_on_jax(backend)
    w = RNG.random(60) + 0.5
    Y = np.stack([Y_REAL, -Y_REAL + 1], axis=1)
    ours = Ridge(alpha=[0.5, 2.0], tol=1e-12).fit(X, Y, sample_weight=w)
    ref = sk_linear.Ridge(alpha=[0.5, 2.0], tol=1e-12, solver="sparse_cg").fit(X, Y, sample_weight=w)
    assert_on_backend(ours.coef_, backend)
    assert ours.solver_ == "sparse_cg"
    _close(ours.coef_, ref.coef_, rtol=1e-8)
    _close(ours.intercept_, ref.intercept_, rtol=1e-8)
    ours = LinearRegression(tol=1e-12).fit(X, Y_REAL)
    dense = LinearRegression(backend="numpy").fit(DENSE, Y_REAL)  # 60 x 40 of full rank: one solution
    _close(ours.coef_, dense.coef_, rtol=1e-7)
    _close(ours.intercept_, dense.intercept_, rtol=1e-7)
    _close(ours.predict(X), sk_linear.LinearRegression().fit(X, Y_REAL).predict(X), rtol=1e-6)


@pytest.mark.parametrize("params", [dict(), dict(penalty="l1", dual=False, C=0.5)], ids=["l2", "l1"])
def test_linear_svc_is_sklearns_on_sparse(backend, params):
    _covered_on_jax(backend)
    ours = LinearSVC(tol=1e-7, max_iter=20_000, **params).fit(X, Y_THREE)
    dense = LinearSVC(tol=1e-7, max_iter=20_000, backend="numpy", **params).fit(DENSE, Y_THREE)
    ref = sk_svm.LinearSVC(tol=1e-10, max_iter=100_000, random_state=0, **params).fit(X, Y_THREE)
    assert_on_backend(ours.coef_, backend)
    _close(ours.coef_, dense.coef_, rtol=1e-4)  # the same minimum (FISTA's step differs: power iteration)
    _close(ours.decision_function(X), ref.decision_function(X), rtol=1e-3)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def test_standard_scaler_scales_sparse_columns_as_sklearn(backend):
    _covered_on_jax(backend)
    w = RNG.random(60)
    ours = StandardScaler(with_mean=False).partial_fit(X[:25], sample_weight=w[:25]).partial_fit(X[25:],
                                                                                                  sample_weight=w[25:])
    ref = sk_preprocessing.StandardScaler(with_mean=False).fit(X, sample_weight=w)
    assert_on_backend(ours.scale_, backend)
    _close(ours.var_, ref.var_, rtol=1e-10)
    _close(ours.scale_, ref.scale_, rtol=1e-10)
    out = ours.transform(X)
    assert scipy_sparse.issparse(out) and out.nnz == X.nnz  # the zeros stay zeros, and unstored
    _close(out.toarray(), ref.transform(X).toarray(), rtol=1e-10)
    _close(ours.inverse_transform(out).toarray(), DENSE, rtol=1e-10)
    with pytest.raises(ValueError, match="Cannot center sparse matrices: pass `with_mean=False`"):
        StandardScaler().fit(X)


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_kneighbors_are_sklearns_on_sparse(backend, metric):
    _covered_on_jax(backend)
    XK = scipy_sparse.random(60, 40, density=0.4, format="csr", random_state=2)  # no equally distant neighbours
    DK = XK.toarray()
    ours = KNeighborsClassifier(n_neighbors=4, metric=metric, weights="distance").fit(XK[:45], Y_THREE[:45])
    ref = sk_neighbors.KNeighborsClassifier(n_neighbors=4, metric=metric, weights="distance").fit(XK[:45],
                                                                                               Y_THREE[:45])
    distances, indices = ours.kneighbors(XK[45:])
    ref_distances, _ = ref.kneighbors(XK[45:])
    _close(distances, ref_distances, rtol=1e-10)
    # the neighbours found are at those distances (equally distant ones may come in another order)
    found = np.linalg.norm(DK[45:, None, :] - DK[to_numpy(indices)], axis=2) if metric == "euclidean" else None
    if found is not None:
        _close(found, ref_distances, rtol=1e-10)
    _close(ours.predict_proba(XK[45:]), ref.predict_proba(XK[45:]), rtol=1e-10)
    regressor = KNeighborsRegressor(n_neighbors=4, metric=metric).fit(XK[:45], Y_REAL[:45])  # the same shapes
    _close(regressor.predict(XK[45:]), sk_neighbors.KNeighborsRegressor(n_neighbors=4, metric=metric).fit(
        XK[:45], Y_REAL[:45]).predict(XK[45:]), rtol=1e-10)


@pytest.mark.parametrize("solver", ["covariance_eigh", "arpack"])
def test_pca_centres_sparse_input_implicitly_as_sklearn(backend, solver):
    _covered_on_jax(backend)
    ours = PCA(3, svd_solver=solver).fit(X)
    ref = sk_decomposition.PCA(3, svd_solver=solver, random_state=0).fit(X)
    assert_on_backend(ours.components_, backend)
    _close(ours.explained_variance_, ref.explained_variance_, rtol=1e-8)
    _close(ours.noise_variance_, ref.noise_variance_, rtol=1e-8)
    _close(np.abs(to_numpy(ours.components_)), np.abs(ref.components_), rtol=1e-6)  # axes up to their sign
    _close(np.abs(to_numpy(ours.transform(X))), np.abs(ref.transform(X)), rtol=1e-6)
    with pytest.raises(TypeError, match="PCA only supports sparse inputs with the"):
        PCA(3, svd_solver="full").fit(X)


def test_elastic_net_is_sklearns_on_sparse(backend):
    _covered_on_jax(backend)
    w = RNG.random(60) + 0.5
    ours = ElasticNet(alpha=0.01, l1_ratio=0.7, tol=1e-10, max_iter=20_000).fit(X, Y_REAL, sample_weight=w)
    ref = sk_linear.ElasticNet(alpha=0.01, l1_ratio=0.7, tol=1e-10, max_iter=20_000).fit(X, Y_REAL, sample_weight=w)
    assert_on_backend(ours.coef_, backend)
    # Both stop on the duality gap (<= 1e-10 ||y||²/S), which bounds the objective: the coefficients are then
    # within √(2 gap / μ) ≈ 1e-4 of the minimum (μ = alpha (1 - l1_ratio) = 0.003), as xpml's dense fit is.
    _close(ours.coef_, ref.coef_, rtol=3e-4)
    _close(ours.intercept_, ref.intercept_, rtol=3e-4)
    assert ours.dual_gap_ <= 1e-10 * float(np.sum(w * (Y_REAL - np.average(Y_REAL, weights=w)) ** 2) / np.sum(w))
    lasso = Lasso(alpha=0.01, tol=1e-10, max_iter=20_000).fit(X, Y_REAL)
    _close(lasso.coef_, sk_linear.Lasso(alpha=0.01, tol=1e-10, max_iter=20_000).fit(X, Y_REAL).coef_, rtol=3e-4)


@pytest.mark.filterwarnings("ignore::xpml.exceptions.ConvergenceWarning")  # 30 iterations, on purpose
@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_mlp_first_layer_reads_sparse_input(backend, solver, monkeypatch):
    _covered_on_jax(backend)
    monkeypatch.setattr(mlp_solvers, "_SMALL_DENSE", 0)  # sparse products, not the dense form of a small batch
    params = dict(hidden_layer_sizes=(8,), solver=solver, max_iter=30, batch_size=16, random_state=0, tol=0.0)
    dense = MLPClassifier(backend="numpy", **params).fit(DENSE, Y_THREE)  # dense on every backend: test_neural_network
    ours = MLPClassifier(**params).fit(X, Y_THREE)
    assert_on_backend(ours.coefs_[0], backend)
    for got, want in zip(ours.coefs_, dense.coefs_):  # the same steps from the same start: the dense fit
        _close(got, want, rtol=1e-8)
    _close(ours.predict_proba(X), dense.predict_proba(DENSE), rtol=1e-8)


def test_positive_least_squares_on_sparse_are_the_dense_fit_and_sklearns(backend):
    # Projected FISTA through the implicitly centred operator, then conjugate gradients on the support found:
    # the dense fit's exact answer; scikit-learn's L-BFGS stops near it (its own tolerance, ~1e-5 here).
    _covered_on_jax(backend)
    w = RNG.random(60) + 0.5
    ours = Ridge(alpha=0.5, positive=True, tol=1e-10).fit(X, Y_REAL, sample_weight=w)
    dense = Ridge(alpha=0.5, positive=True, tol=1e-10, backend="numpy").fit(DENSE, Y_REAL, sample_weight=w)
    ref = sk_linear.Ridge(alpha=0.5, positive=True, tol=1e-10).fit(X, Y_REAL, sample_weight=w)
    assert_on_backend(ours.coef_, backend)
    assert ours.solver_ == "lbfgs" and float(np.min(to_numpy(ours.coef_))) >= 0.0
    _close(ours.coef_, dense.coef_, rtol=1e-10)
    _close(ours.intercept_, dense.intercept_, rtol=1e-10)
    _close(ours.coef_, ref.coef_, rtol=1e-4)
    _close(ours.predict(X), ref.predict(X), rtol=1e-4)
    nnls = LinearRegression(positive=True).fit(X, Y_REAL)  # scikit-learn refuses sparse X here: the dense fit's
    _close(nnls.coef_, LinearRegression(positive=True, backend="numpy").fit(DENSE, Y_REAL).coef_, rtol=1e-10)


@pytest.mark.parametrize("l1_ratio", [0.0, 1.0], ids=["l2", "l1"])
def test_liblinear_intercept_on_sparse_is_sklearns(backend, l1_ratio):
    # The intercept is a·v, v penalized, without the constant column a being appended to the sparse X.
    _covered_on_jax(backend)  # the loss's products on jax: test_logistic_regression_is_sklearns_on_sparse
    if l1_ratio and backend.name == "array_api_strict":  # FISTA's 1000s of eager steps; l2 covers its kernels
        pytest.skip("array_api_strict: the L1 case differs only in its optimizer, run on numpy and torch")
    params = dict(solver="liblinear", C=2.0, l1_ratio=l1_ratio, intercept_scaling=3.0, tol=1e-10, max_iter=5000)
    ours = LogisticRegression(**params).fit(X, Y_BINARY)
    dense = LogisticRegression(backend="numpy", **params).fit(DENSE, Y_BINARY)
    ref = sk_linear.LogisticRegression(**params).fit(X, Y_BINARY)
    assert_on_backend(ours.coef_, backend)
    _close(ours.coef_, dense.coef_, rtol=1e-6)
    _close(ours.intercept_, dense.intercept_, rtol=1e-6)
    _close(ours.coef_, ref.coef_, rtol=1e-5)  # liblinear's own stopping rule
    _close(ours.intercept_, ref.intercept_, rtol=1e-5)
    _close(ours.predict_proba(X), ref.predict_proba(X), rtol=1e-5)


def test_max_abs_scaler_and_vectorizers_follow_the_one_hot_rule(backend):
    # MaxAbsScaler and the vectorizers make scipy matrices on the host: returned as they are by default, and under
    # output="backend" as the backend's own sparse matrix, as OneHotEncoder's; MaxAbsScaler takes that one back.
    from sklearn.feature_extraction import text as sk_text

    import xpml
    from xpml._backend import sparse_parts
    from xpml.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from xpml.preprocessing import MaxAbsScaler
    from xpml.utils._sparse_input import host_sparse

    docs = ["the cat sat on the mat", "the dog sat", "a cat and a dog", "dogs and cats and a mat"]
    refs = {"counts": sk_text.CountVectorizer().fit_transform(docs), "tfidf": sk_text.TfidfVectorizer().fit(docs)
            .transform(docs), "scaled": sk_preprocessing.MaxAbsScaler().fit_transform(X)}
    assert scipy_sparse.issparse(MaxAbsScaler().fit(X).transform(X))
    assert scipy_sparse.issparse(TfidfVectorizer().fit_transform(docs))
    with xpml.config_context(output="backend"):
        outs = {"counts": CountVectorizer().fit_transform(docs), "tfidf": TfidfVectorizer().fit(docs).transform(docs),
                "scaled": MaxAbsScaler().fit(X).transform(X)}
        outs["unscaled"] = MaxAbsScaler().fit(outs["scaled"]).inverse_transform(outs["scaled"])  # max |x| is 1
    refs["unscaled"] = refs["scaled"]
    for name, out in outs.items():
        if backend.name == "numpy":
            assert scipy_sparse.issparse(out), (name, type(out))
        elif backend.name == "array_api_strict":
            assert isinstance(out, csr_module.CSR), (name, type(out))
        else:
            assert sparse_parts(out) is not None, (name, type(out))  # torch's sparse tensor, jax's BCOO, cupyx's
        _close(host_sparse(out).toarray(), refs[name].toarray(), rtol=1e-12)  # its arrays on the host


def test_one_hot_sparse_output_is_scipys_or_the_backends_own(backend):
    # scipy.sparse by default, whatever the backend; under output="backend" the library's own sparse matrix
    # (scipy's, torch's sparse CSR tensor, jax's BCOO; xpml's CSR for array_api_strict), which estimators take.
    import xpml
    from xpml._backend import sparse_parts
    from xpml.preprocessing import OneHotEncoder

    cats = np.array([["a", "x"], ["b", "y"], ["a", "z"], ["c", "x"], ["b", "x"], ["c", "y"]] * 4)
    y = np.array([0, 1, 0, 1, 1, 0] * 4)
    ref = OneHotEncoder().fit_transform(cats)
    assert scipy_sparse.issparse(ref)
    with xpml.config_context(output="backend"):
        out = OneHotEncoder().fit_transform(cats)
        if backend.name == "numpy":
            assert scipy_sparse.issparse(out)
        elif backend.name == "array_api_strict":
            assert isinstance(out, csr_module.CSR)
        else:
            assert sparse_parts(out) is not None, type(out)  # torch's sparse tensor, jax's BCOO
        csr = check_array(out, backend, accept_sparse=True)  # what an estimator makes of it
        assert isinstance(csr, csr_module.CSR)
        _close(csr.toarray(), ref.toarray(), rtol=0)
        if backend.name == "jax":  # eager jax compiles each operation of a fit anew (seconds): the input path only
            return
        ours = LogisticRegression().fit(out, y).predict_proba(out)
        if isinstance(out, csr_module.CSR):  # xpml's own CSR: made dense as a backend array would be
            means = GaussianNB().fit(out, y).theta_
        else:
            with pytest.warns(DataConversionWarning, match="made dense"):  # an estimator that needs X dense
                means = GaussianNB().fit(out, y).theta_
    _close(ours, sk_linear.LogisticRegression().fit(ref, y).predict_proba(ref), rtol=1e-5)
    _close(means, sk_nb.GaussianNB().fit(ref.toarray(), y).theta_, rtol=1e-12)
