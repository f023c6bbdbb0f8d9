"""Lasso and ElasticNet against scikit-learn's coordinate descent and the optimality conditions.

FISTA and coordinate descent stop at different points within their tolerances, so the comparisons
run both to a tight duality gap: tol=1e-15 here (a gap of 6e-12 on diabetes, just above the
rounding floor of the gap, about eps·||w||₁·||Xᵀy||/n ≈ 1e-12), tol=1e-14 for scikit-learn. With
a gap g the error in w is at most √(2g/μ), μ the smallest curvature of the objective on the active
features; in practice it is far smaller: coefficients agree to rtol=1e-6 (atol=1e-6; diabetes
coefficients are in the hundreds), the worst case, alpha=0.001 and l1_ratio=0.7, at 2e-7.
"""

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet as SkElasticNet
from sklearn.linear_model import Lasso as SkLasso

from tests.helpers import assert_allclose, assert_on_backend
from xpml.datasets import load_diabetes
from xpml.exceptions import ConvergenceWarning
from xpml.linear_model import ElasticNet, Lasso

X_DIABETES, Y_DIABETES = load_diabetes(return_X_y=True)
TIGHT = dict(tol=1e-15, max_iter=5000)
SK_TIGHT = dict(tol=1e-14, max_iter=1_000_000)


@pytest.mark.parametrize("alpha", [0.01, 0.1, 1.0])
def test_lasso_matches_sklearn_on_diabetes(backend, alpha):
    ours = Lasso(alpha=alpha, **TIGHT).fit(X_DIABETES, Y_DIABETES)
    ref = SkLasso(alpha=alpha, **SK_TIGHT).fit(X_DIABETES, Y_DIABETES)
    assert_on_backend(ours.coef_, backend)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-6, atol=1e-6)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-10)
    assert_allclose(ours.predict(X_DIABETES), ref.predict(X_DIABETES), rtol=1e-8)
    assert list(np.flatnonzero(_np(ours.coef_))) == list(np.flatnonzero(ref.coef_))  # the same features selected


@pytest.mark.parametrize("alpha, l1_ratio", [(0.01, 0.2), (0.001, 0.7), (0.1, 0.0)])
def test_elastic_net_matches_sklearn_on_diabetes(backend, alpha, l1_ratio):
    ours = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **TIGHT).fit(X_DIABETES, Y_DIABETES)
    ref = SkElasticNet(alpha=alpha, l1_ratio=l1_ratio, **SK_TIGHT).fit(X_DIABETES, Y_DIABETES)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-6, atol=1e-6)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-10)
    # R² moves with the coefficients' error to first order (the gradient of the RSS alone is not 0)
    assert ours.score(X_DIABETES, Y_DIABETES) == pytest.approx(ref.score(X_DIABETES, Y_DIABETES), rel=1e-8)


@pytest.mark.parametrize("alpha, l1_ratio", [(0.05, 1.0), (0.01, 0.5)])
def test_solution_satisfies_the_optimality_conditions(backend, alpha, l1_ratio):
    # On the active set A the gradient vanishes: (G_AA + l2 I) w_A = c_A - l1 sign(w_A), a closed form,
    # and off it |c_j - (G w)_j| <= l1, with G = XcᵀXc/n, c = Xcᵀyc/n for the centred data.
    ours = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **TIGHT).fit(X_DIABETES, Y_DIABETES)
    w = _np(ours.coef_)
    l1, l2 = alpha * l1_ratio, alpha * (1 - l1_ratio)
    Xc, yc = X_DIABETES - X_DIABETES.mean(axis=0), Y_DIABETES - Y_DIABETES.mean()
    G, c = Xc.T @ Xc / len(yc), Xc.T @ yc / len(yc)
    A = np.flatnonzero(w)
    exact = np.linalg.solve(G[np.ix_(A, A)] + l2 * np.eye(len(A)), c[A] - l1 * np.sign(w[A]))
    assert_allclose(w[A], exact, rtol=1e-6)
    off = np.setdiff1d(np.arange(10), A)
    assert np.all(np.abs(c[off] - G[off] @ w) <= l1 * (1 + 1e-6))


def test_multi_output_fits_each_target(backend):
    Y = np.column_stack([Y_DIABETES, np.sqrt(Y_DIABETES)])
    ours = Lasso(alpha=0.05, **TIGHT).fit(X_DIABETES, Y)
    assert ours.coef_.shape == (2, 10) and ours.intercept_.shape == (2,)
    coef, intercept = _np(ours.coef_), _np(ours.intercept_)
    for k in range(2):
        ref = SkLasso(alpha=0.05, **SK_TIGHT).fit(X_DIABETES, Y[:, k])
        assert_allclose(coef[k], ref.coef_, rtol=1e-6, atol=1e-6)
        assert_allclose(intercept[k], ref.intercept_, rtol=1e-9)


def test_sample_weight_matches_sklearn_and_repeated_rows(backend):
    rng = np.random.default_rng(0)
    counts = rng.integers(1, 4, size=X_DIABETES.shape[0])
    ours = ElasticNet(alpha=0.01, l1_ratio=0.6, **TIGHT).fit(X_DIABETES, Y_DIABETES, sample_weight=counts)
    ref = SkElasticNet(alpha=0.01, l1_ratio=0.6, **SK_TIGHT).fit(X_DIABETES, Y_DIABETES, sample_weight=counts)
    repeated = ElasticNet(alpha=0.01, l1_ratio=0.6, **TIGHT).fit(
        np.repeat(X_DIABETES, counts, axis=0), np.repeat(Y_DIABETES, counts))
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-6, atol=1e-6)
    assert_allclose(ours.coef_, repeated.coef_, rtol=1e-6, atol=1e-6)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-9)


def test_more_features_than_samples(backend):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((30, 60))
    y = X[:, :3] @ np.array([2.0, -1.0, 0.5]) + 0.1 * rng.standard_normal(30)
    ours = Lasso(alpha=0.05, **TIGHT).fit(X, y)  # through X itself, not the 60 x 60 Gram matrix
    ref = SkLasso(alpha=0.05, **SK_TIGHT).fit(X, y)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-6, atol=1e-7)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-7)


def test_default_tol_stops_on_sklearns_duality_gap_criterion(backend):
    ours = Lasso(alpha=0.1).fit(X_DIABETES, Y_DIABETES)
    yc = Y_DIABETES - Y_DIABETES.mean()
    assert ours.dual_gap_ <= 1e-4 * (yc @ yc) / len(yc)
    assert ours.n_iter_ % 10 == 0 and ours.n_iter_ < 1000
    # a gap of g bounds the objective's excess: compare objectives with scikit-learn's tight solution
    ref = SkLasso(alpha=0.1, **SK_TIGHT).fit(X_DIABETES, Y_DIABETES)
    assert 0 <= _objective(ours, 0.1) - _objective(ref, 0.1) <= ours.dual_gap_


def test_a_large_alpha_gives_zero_coefficients(backend):
    ours = Lasso(alpha=1e4).fit(X_DIABETES, Y_DIABETES)
    assert_allclose(ours.coef_, np.zeros(10), rtol=0, atol=0)
    assert_allclose(ours.intercept_, Y_DIABETES.mean(), rtol=1e-12)


def test_float32_input_is_fitted_in_float32(backend):
    ours = Lasso(alpha=0.1).fit(X_DIABETES.astype(np.float32), Y_DIABETES.astype(np.float32))
    ref = SkLasso(alpha=0.1, **SK_TIGHT).fit(X_DIABETES, Y_DIABETES)
    assert ours._dtype == "float32" and ours.coef_.dtype == ours._xp.float32
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-2, atol=1e-2)  # tol=1e-4 on the gap; error ~ √(2g/μ)


def test_convergence_warning(backend):
    with pytest.warns(ConvergenceWarning, match=r"Lasso did not converge in max_iter=5 iterations"):
        model = Lasso(alpha=0.01, max_iter=5).fit(X_DIABETES, Y_DIABETES)
    assert model.n_iter_ == 5


@pytest.mark.parametrize("estimator, match", [
    (Lasso(alpha=0.0), r"alpha=0.0 should be > 0"),
    (ElasticNet(l1_ratio=1.5), r"l1_ratio=1.5 should be >= 0 and <= 1"),
    (Lasso(max_iter=0), r"max_iter=0 should be >= 1"),
    (Lasso(tol=-1.0), r"tol=-1.0 should be >= 0"),
])
def test_bad_parameters(estimator, match):
    with pytest.raises(ValueError, match=match):
        estimator.fit(X_DIABETES, Y_DIABETES)


def test_lasso_has_no_l1_ratio_parameter():
    assert "l1_ratio" not in Lasso().get_params() and ElasticNet().get_params()["l1_ratio"] == 0.5


def _np(x):
    import xpml

    return xpml.to_numpy(x)


def _objective(model, alpha):
    r = Y_DIABETES - _np(model.predict(X_DIABETES))
    return r @ r / (2 * len(r)) + alpha * np.abs(_np(model.coef_)).sum()


@pytest.mark.parametrize("multi_output", [False, True])
def test_sparse_coef_is_sklearns_csr_matrix(backend, multi_output):
    scipy_sparse = pytest.importorskip("scipy.sparse")
    y = np.column_stack([Y_DIABETES, np.sqrt(Y_DIABETES)]) if multi_output else Y_DIABETES
    ours = Lasso(alpha=1.0, **TIGHT).fit(X_DIABETES, y)
    ref = SkLasso(alpha=1.0, **SK_TIGHT).fit(X_DIABETES, y)
    got, want = ours.sparse_coef_, ref.sparse_coef_
    assert scipy_sparse.issparse(got) and got.format == "csr" and got.shape == want.shape
    assert got.nnz == want.nnz  # the zeros of the lasso are left out
    assert_allclose(got.toarray(), want.toarray(), rtol=1e-6, atol=1e-6)
    assert not hasattr(Lasso(), "sparse_coef_")  # not fitted yet


# ---- the regularization path (enet_path, lasso_path, ElasticNet.path) ------------------------------

RNG_PATH = np.random.default_rng(3)
X_PATH = RNG_PATH.standard_normal((60, 6))  # well conditioned: a tight gap pins the coefficients down
Y_PATH = X_PATH @ np.array([1.5, 0.0, -2.0, 0.0, 0.7, 0.0]) + 0.3 * RNG_PATH.standard_normal(60)
Y_PATH_2 = np.column_stack([Y_PATH, X_PATH[:, 1] - 0.5 * Y_PATH])
PATH_TIGHT = dict(tol=1e-14, max_iter=100_000)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("targets", [1, 2])
def test_path_matches_sklearns(backend, xp, device, l1_ratio, targets):
    """Alphas, coefficients and shapes of scikit-learn's enet_path; with two targets, its multi-task penalty
    (each feature's row of coefficients shrunk by its length: a feature is used by both targets or by none)."""
    from sklearn.linear_model import enet_path as sk_enet_path

    from xpml.linear_model import enet_path

    y = Y_PATH if targets == 1 else Y_PATH_2
    alphas, coefs, gaps = enet_path(xp.asarray(X_PATH, device=device), xp.asarray(y, device=device),
                                    l1_ratio=l1_ratio, alphas=12, eps=1e-2, **PATH_TIGHT)
    ref_alphas, ref_coefs, _ = sk_enet_path(X_PATH, y, l1_ratio=l1_ratio, alphas=12, eps=1e-2, **PATH_TIGHT)
    for out in (alphas, coefs, gaps):
        assert_on_backend(out, backend)
    assert coefs.shape == ref_coefs.shape == ((6, 12) if targets == 1 else (2, 6, 12))
    assert_allclose(alphas, ref_alphas, rtol=1e-12)
    assert_allclose(coefs, ref_coefs, rtol=1e-6, atol=1e-7)
    assert np.all(_np(gaps) <= 1e-14 * (y * y).sum() / len(y) + 1e-15)
    if targets == 2:  # the zeros come in whole rows: a feature left out is left out of both targets
        nonzero = _np(coefs) != 0
        np.testing.assert_array_equal(nonzero[0], nonzero[1])


def test_path_starts_where_every_coefficient_is_zero(backend):
    """alpha_max = max_j |x_jᵀ y| / (n l1_ratio): all coefficients are 0 there, and not below it."""
    from xpml.linear_model import lasso_path

    alpha_max = np.abs(X_PATH.T @ Y_PATH).max() / len(Y_PATH)
    alphas, coefs, _ = lasso_path(X_PATH, Y_PATH, alphas=[alpha_max, alpha_max * 0.999], **PATH_TIGHT)
    assert_allclose(alphas, [alpha_max, alpha_max * 0.999], rtol=1e-15)
    assert np.all(_np(coefs)[:, 0] == 0) and np.count_nonzero(_np(coefs)[:, 1]) == 1
    # the default grid: 100 alphas from alpha_max down to 1e-3 of it, evenly in log scale
    grid = _np(lasso_path(X_PATH, Y_PATH)[0])
    assert_allclose(grid, np.geomspace(alpha_max, alpha_max * 1e-3, 100), rtol=1e-12)


def test_path_equals_the_estimators_fit_at_each_alpha(backend):
    """The path's fits, warm-started, reach ElasticNet(fit_intercept=False)'s solution at each of its alphas;
    Lasso.path and ElasticNet.path are enet_path, as in scikit-learn; lasso_path is l1_ratio=1."""
    from xpml.linear_model import enet_path, lasso_path

    assert Lasso.path is ElasticNet.path is enet_path
    alphas, coefs, _, n_iters = enet_path(X_PATH, Y_PATH, l1_ratio=0.7, alphas=6, return_n_iter=True, **PATH_TIGHT)
    assert isinstance(n_iters, list) and len(n_iters) == 6 and all(isinstance(n, int) and n >= 1 for n in n_iters)
    for k, alpha in enumerate(_np(alphas)):
        alone = ElasticNet(alpha=float(alpha), l1_ratio=0.7, fit_intercept=False, **PATH_TIGHT).fit(X_PATH, Y_PATH)
        assert_allclose(_np(coefs)[:, k], alone.coef_, rtol=1e-7, atol=1e-9)
    assert_allclose(lasso_path(X_PATH, Y_PATH, alphas=4)[1], enet_path(X_PATH, Y_PATH, l1_ratio=1.0, alphas=4)[1],
                    rtol=0, atol=0)
    gram = enet_path(X_PATH, Y_PATH, l1_ratio=0.7, alphas=6, precompute=X_PATH.T @ X_PATH, **PATH_TIGHT)[1]
    assert_allclose(gram, coefs, rtol=1e-9, atol=1e-12)  # a given Gram matrix (recomputed): the same fits


def test_path_options_positive_coef_init_sparse_and_given_alphas(backend):
    from sklearn.linear_model import lasso_path as sk_lasso_path

    from xpml.linear_model import lasso_path

    alphas, coefs, _ = lasso_path(X_PATH, Y_PATH, alphas=5, positive=True, **PATH_TIGHT)
    ref = sk_lasso_path(X_PATH, Y_PATH, alphas=5, positive=True, **PATH_TIGHT)
    assert_allclose(alphas, ref[0], rtol=1e-12)  # alpha_max from the positive correlations only
    assert_allclose(coefs, ref[1], rtol=1e-6, atol=1e-7)
    assert np.all(_np(coefs) >= 0)
    # given alphas are fitted largest first; starting from the answer, the first fit stops at its first check
    given = [0.01, 0.5, 0.1]
    alphas, coefs, _, n_iters = lasso_path(X_PATH, Y_PATH, alphas=given, return_n_iter=True, **PATH_TIGHT)
    assert_allclose(alphas, [0.5, 0.1, 0.01], rtol=0)
    again = lasso_path(X_PATH, Y_PATH, alphas=[0.5], coef_init=_np(coefs)[:, 0], return_n_iter=True, tol=1e-8)
    assert again[3] == [1] and _np(again[1]).shape == (6, 1)
    scipy_sparse = pytest.importorskip("scipy.sparse")
    sparse = lasso_path(scipy_sparse.csr_matrix(X_PATH), Y_PATH, alphas=given, **PATH_TIGHT)[1]
    assert_allclose(sparse, coefs, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(l1_ratio=0.0), ValueError, r"l1_ratio=0 has no L1 penalty.*give the grid yourself"),
    (dict(positive=True, y=Y_PATH_2), ValueError, r"positive=True is not allowed for y of 2 targets"),
    (dict(learning_rate=0.1), ValueError, r"Unexpected parameters in params: \['learning_rate'\]"),
    (dict(alphas=[0.1, -1.0]), ValueError, r"alphas should be finite and > 0"),
    (dict(alphas=[[0.1]]), ValueError, r"alphas should be an int or a 1-d array-like of numbers"),
    (dict(alphas=0), ValueError, r"alphas=0 should be >= 1"),
    (dict(eps=0.0), ValueError, r"eps=0.0 should be > 0"),
    (dict(coef_init=np.zeros(5)), ValueError, r"coef_init should have shape \(6,\)"),
    (dict(l1_ratio=2.0), ValueError, r"l1_ratio=2.0 should be >= 0 and <= 1"),
])
def test_path_bad_arguments_are_named(kwargs, error, match):
    from xpml.linear_model import enet_path

    y = kwargs.pop("y", Y_PATH)
    with pytest.raises(error, match=match):
        enet_path(X_PATH, y, **kwargs)


# ---- LassoCV and ElasticNetCV: alpha (and l1_ratio) chosen along the path by cross-validation -------

CV_TIGHT, SK_CV_TIGHT = dict(tol=1e-15, max_iter=100_000), dict(tol=1e-14, max_iter=1_000_000)  # as TIGHT, SK_TIGHT


def test_lasso_cv_matches_sklearns(backend):
    """The same grid, the same held-out errors per fold and alpha, the same alpha chosen, the same refit."""
    from sklearn.linear_model import LassoCV as SkLassoCV

    from xpml.linear_model import LassoCV

    ours = LassoCV(alphas=12, cv=4, **CV_TIGHT).fit(X_PATH, Y_PATH)
    ref = SkLassoCV(alphas=12, cv=4, **SK_CV_TIGHT).fit(X_PATH, Y_PATH)
    assert_on_backend(ours.mse_path_, backend)
    assert ours.mse_path_.shape == ref.mse_path_.shape == (12, 4) and ours.alphas_.shape == (12,)
    assert_allclose(ours.alphas_, ref.alphas_, rtol=1e-12)
    assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-9)
    assert ours.alpha_ == pytest.approx(ref.alpha_, rel=1e-12) and not hasattr(ours, "l1_ratio_")
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-7, atol=1e-9)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-9)
    assert LassoCV.path.__name__ == "lasso_path"


def test_elastic_net_cv_chooses_alpha_and_l1_ratio_as_sklearn_with_weights(backend):
    from sklearn.linear_model import ElasticNetCV as SkElasticNetCV

    from xpml.linear_model import ElasticNetCV

    weights = np.random.default_rng(4).integers(1, 4, size=len(Y_PATH)).astype(float)
    params = dict(l1_ratio=[0.3, 0.9], alphas=8, cv=3)
    ours = ElasticNetCV(**params, **CV_TIGHT).fit(X_PATH, Y_PATH, sample_weight=weights)
    ref = SkElasticNetCV(**params, **SK_CV_TIGHT).fit(X_PATH, Y_PATH, sample_weight=weights)
    assert ours.mse_path_.shape == ref.mse_path_.shape == (2, 8, 3) and ours.alphas_.shape == (2, 8)
    assert_allclose(ours.alphas_, ref.alphas_, rtol=1e-12)  # alpha_max on the weighted, centred data
    # a gap g <= 1e-15·||y||²/n bounds a fit's coefficients to √(2g/μ), about 3e-7 here (μ >= the L2 weight): the
    # weighted fits land 4e-8 apart, their held-out errors 5e-8 (the unweighted ones above agree to 1e-14)
    assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-6)
    assert (ours.alpha_, ours.l1_ratio_) == (pytest.approx(ref.alpha_, rel=1e-12), ref.l1_ratio_)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-6, atol=1e-7)


def test_cv_with_given_alphas_a_splitter_and_sparse_x(backend):
    """Given alphas are tried largest first (alphas_ sorted); any splitter serves as cv; sparse X gives dense X's."""
    from sklearn.linear_model import LassoCV as SkLassoCV

    from xpml.linear_model import LassoCV
    from xpml.model_selection import KFold

    given, splitter = [0.01, 0.3, 0.05], KFold(3, shuffle=True, random_state=0)
    ours = LassoCV(alphas=given, cv=splitter, **CV_TIGHT).fit(X_PATH, Y_PATH)
    ref = SkLassoCV(alphas=given, cv=list(splitter.split(X_PATH)), **SK_CV_TIGHT).fit(X_PATH, Y_PATH)  # its folds
    assert_allclose(ours.alphas_, [0.3, 0.05, 0.01], rtol=0)
    assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-9)
    assert ours.alpha_ == ref.alpha_
    scipy_sparse = pytest.importorskip("scipy.sparse")
    sparse = LassoCV(alphas=given, cv=3, **CV_TIGHT).fit(scipy_sparse.csr_matrix(X_PATH), Y_PATH)
    dense = LassoCV(alphas=given, cv=3, **CV_TIGHT).fit(X_PATH, Y_PATH)
    assert_allclose(sparse.mse_path_, dense.mse_path_, rtol=1e-8)
    assert_allclose(sparse.coef_, dense.coef_, rtol=1e-7, atol=1e-9)


def test_cv_bad_arguments_are_named():
    from xpml.linear_model import ElasticNetCV, LassoCV

    with pytest.raises(ValueError, match=r"l1_ratio=0 has no L1 penalty.*give the grid yourself"):
        ElasticNetCV(l1_ratio=[0.0, 0.5]).fit(X_PATH, Y_PATH)
    with pytest.raises(TypeError, match=r"l1_ratio='half' should be a number or a list of numbers in \[0, 1\]"):
        ElasticNetCV(l1_ratio="half").fit(X_PATH, Y_PATH)
    with pytest.raises(ValueError, match=r"y"):
        LassoCV().fit(X_PATH, Y_PATH_2)
    with pytest.raises(ValueError, match=r"n_splits=100 should be <= n_samples=60"):
        LassoCV(cv=100).fit(X_PATH, Y_PATH)
