"""PCA and TruncatedSVD against scikit-learn, on every backend."""

import numpy as np
import pytest
from sklearn.decomposition import PCA as SkPCA
from sklearn.decomposition import TruncatedSVD as SkTruncatedSVD

from tests.helpers import assert_allclose, assert_on_backend
from xpml._backend import to_numpy
from xpml.datasets import load_digits, load_wine
from xpml.decomposition import PCA, TruncatedSVD
from xpml.decomposition._pca import centered_gram

X_DIGITS = load_digits(return_X_y=True)[0][:400]
X_WINE = load_wine(return_X_y=True)[0]


def low_rank(n=300, p=40, rank=6, seed=0):
    """Data of a clear rank `rank` (singular values 1000/2^i) plus noise at 1e-6, away from the origin."""
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.standard_normal((n, rank)))
    V, _ = np.linalg.qr(rng.standard_normal((p, rank)))
    S = 1000.0 / 2.0 ** np.arange(rank)
    return (U * S) @ V.T + 1e-6 * rng.standard_normal((n, p)) + rng.uniform(-3, 3, size=p)


def assert_pca_matches(ours, ref, X, rtol):
    """Same components (signs included), variances, transforms, reconstructions and likelihood."""
    assert ours.n_components_ == ref.n_components_
    scale = np.abs(ref.explained_variance_).max()
    assert_allclose(ours.components_, ref.components_, rtol=rtol, atol=rtol)
    assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=rtol, atol=rtol * scale)
    assert_allclose(ours.explained_variance_ratio_, ref.explained_variance_ratio_, rtol=rtol, atol=rtol)
    assert_allclose(ours.singular_values_, ref.singular_values_, rtol=rtol, atol=rtol * np.sqrt(scale))
    assert_allclose(ours.mean_, ref.mean_, rtol=1e-12, atol=1e-12)
    assert float(ours.noise_variance_) == pytest.approx(ref.noise_variance_, rel=rtol, abs=rtol * scale)
    Z = ref.transform(X)
    assert_allclose(ours.transform(X), Z, rtol=rtol, atol=rtol * np.abs(Z).max())
    assert_allclose(ours.inverse_transform(Z), ref.inverse_transform(Z), rtol=rtol, atol=rtol * np.abs(X).max())


@pytest.mark.parametrize("solver", ["full", "covariance_eigh"])
@pytest.mark.parametrize("n_components", [10, 0.9, None])
def test_exact_solvers_match_sklearn_on_digits(backend, solver, n_components):
    ours = PCA(n_components=n_components, svd_solver=solver).fit(X_DIGITS)
    ref = SkPCA(n_components=n_components, svd_solver=solver).fit(X_DIGITS)
    assert_on_backend(ours.components_, backend)
    if n_components is None:  # digits has constant pixels: the trailing components are arbitrary
        assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=1e-9, atol=1e-9)
        return
    assert_pca_matches(ours, ref, X_DIGITS, rtol=1e-9)  # float64; the covariance squares the condition


@pytest.mark.parametrize("whiten", [False, True])
def test_whitening_and_likelihood_match_sklearn(backend, whiten):
    ours = PCA(n_components=5, whiten=whiten).fit(X_WINE)
    ref = SkPCA(n_components=5, whiten=whiten).fit(X_WINE)
    assert ours._fit_svd_solver == ref._fit_svd_solver == "covariance_eigh"
    assert_pca_matches(ours, ref, X_WINE, rtol=1e-9)
    if whiten:
        assert_allclose(np.var(ours.transform(X_WINE), axis=0, ddof=1), np.ones(5), rtol=1e-9)
    else:  # the probabilistic model (scikit-learn scales it differently when whitening)
        assert_allclose(ours.score_samples(X_WINE), ref.score_samples(X_WINE), rtol=1e-9)
        assert ours.score(X_WINE) == pytest.approx(ref.score(X_WINE), rel=1e-9)


def test_randomized_solver_finds_the_exact_components(backend):
    X = low_rank()
    ours = PCA(n_components=4, svd_solver="randomized", random_state=0).fit(X)
    ref = SkPCA(n_components=4, svd_solver="full").fit(X)
    # Singular value gaps of 2 and 7 power iterations: the subspace error is far below rounding.
    assert_pca_matches(ours, ref, X, rtol=1e-9)


def test_same_random_state_gives_the_same_result_on_every_backend(backend):
    X = X_DIGITS[:, :40]
    ours = PCA(n_components=8, svd_solver="randomized", random_state=3, iterated_power=2).fit(X)
    numpy_fit = PCA(n_components=8, svd_solver="randomized", random_state=3, iterated_power=2, backend="numpy").fit(X)
    # Not converged (2 power iterations, slow spectral decay): only the identical start makes these equal.
    assert_allclose(ours.components_, numpy_fit.components_, rtol=1e-9, atol=1e-9)
    svd = TruncatedSVD(n_components=5, n_iter=1, random_state=3).fit(X)
    numpy_svd = TruncatedSVD(n_components=5, n_iter=1, random_state=3, backend="numpy").fit(X)
    assert_allclose(svd.components_, numpy_svd.components_, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("shape", [(2000, 50), (300, 200), (100, 600), (600, 100)])
@pytest.mark.parametrize("n_components", [5, 90, None])
def test_auto_solver_is_chosen_as_in_sklearn(shape, n_components):
    X = np.random.default_rng(0).standard_normal(shape)
    if n_components is not None and n_components > min(shape):
        return
    ours = PCA(n_components=n_components, svd_solver="auto", random_state=0).fit(X)
    ref = SkPCA(n_components=n_components, svd_solver="auto", random_state=0).fit(X)
    assert ours._fit_svd_solver == ref._fit_svd_solver


def test_covariance_of_data_far_from_the_origin_stays_accurate_in_float32(xp, device, backend):
    rng = np.random.default_rng(4)
    X = (1000.0 + rng.standard_normal((5000, 8)) * np.arange(1, 9)).astype(np.float32)  # mean²/variance ≥ 1.5e4
    X_b = xp.asarray(X, device=device)
    G = centered_gram(xp, X_b, xp.mean(X_b, axis=0), backend)
    Xc = X.astype(np.float64) - X.astype(np.float64).mean(axis=0)
    # XᵀX - n x̄x̄ᵀ would lose 4 of float32's 7 digits here; centred blocks keep it near rounding.
    assert_allclose(G, Xc.T @ Xc, rtol=0, atol=1e-4 * np.abs(Xc.T @ Xc).max())
    pca = PCA(n_components=3, svd_solver="covariance_eigh").fit(X_b)
    ref = SkPCA(n_components=3, svd_solver="full").fit(X.astype(np.float64))
    assert_allclose(pca.explained_variance_, ref.explained_variance_, rtol=1e-4)


@pytest.mark.parametrize("algorithm", ["full", "randomized"])
def test_truncated_svd_matches_sklearn(backend, algorithm):
    X = low_rank(seed=1)
    ours = TruncatedSVD(n_components=4, algorithm=algorithm, random_state=0)
    Z = ours.fit_transform(X)
    ref = SkTruncatedSVD(n_components=4, algorithm="arpack", tol=0.0)
    Z_ref = ref.fit_transform(X)
    assert_on_backend(ours.components_, backend)
    assert_allclose(ours.components_, ref.components_, rtol=1e-9, atol=1e-9)
    assert_allclose(ours.singular_values_, ref.singular_values_, rtol=1e-9)
    assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=1e-9)
    assert_allclose(ours.explained_variance_ratio_, ref.explained_variance_ratio_, rtol=1e-9)
    assert_allclose(Z, Z_ref, rtol=1e-9, atol=1e-9 * np.abs(Z_ref).max())
    assert_allclose(ours.transform(X), Z_ref, rtol=1e-9, atol=1e-9 * np.abs(Z_ref).max())
    assert_allclose(ours.inverse_transform(Z_ref), ref.inverse_transform(Z_ref), rtol=1e-9, atol=1e-9 * np.abs(X).max())


def test_output_follows_input(xp, device, backend):
    pca = PCA(n_components=2).fit(X_WINE)
    assert isinstance(pca.transform(X_WINE), np.ndarray)
    assert_on_backend(pca.transform(xp.asarray(X_WINE, device=device)), backend)
    assert to_numpy(pca.transform(X_WINE)).shape == (178, 2)


def test_clear_errors():
    with pytest.raises(ValueError, match=r"n_components=20 should be between 0 and min\(n_samples, n_features\)=13"):
        PCA(n_components=20).fit(X_WINE)
    with pytest.raises(ValueError, match=r"n_components=0.5 should be an int with svd_solver='randomized'"):
        PCA(n_components=0.5, svd_solver="randomized").fit(X_WINE)
    with pytest.raises(ValueError, match=r"n_components=1.5 should be > 0 and < 1"):
        PCA(n_components=1.5).fit(X_WINE)
    with pytest.raises(ValueError, match=r"svd_solver='lobpcg' should be one of"):
        PCA(svd_solver="lobpcg").fit(X_WINE)
    with pytest.raises(ValueError, match=r"n_samples=1 should be >= 2"):
        PCA().fit(X_WINE[:1])
    with pytest.raises(ValueError, match=r"X has 3 columns, but PCA was fitted with n_components_=2"):
        PCA(n_components=2).fit(X_WINE).inverse_transform(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"n_components=14 should be <= min\(n_samples, n_features\)=13"):
        TruncatedSVD(n_components=14).fit(X_WINE)
    with pytest.raises(ValueError, match=r"X has 5 features, but TruncatedSVD is expecting 13 features as input"):
        TruncatedSVD().fit(X_WINE).transform(X_WINE[:, :5])


# ---- scikit-learn's parameters, each against scikit-learn ----------------------------------------

def test_positional_n_components_as_sklearn():
    assert PCA(2).n_components == 2 and TruncatedSVD(3).n_components == 3


@pytest.mark.parametrize("n_components", [3, None])
@pytest.mark.parametrize("tol", [0.0, 1e-3])
def test_pca_arpack_solver_and_tol_reach_sklearn_components(backend, n_components, tol):
    X = low_rank(n=60, p=8, rank=4)
    ours = PCA(n_components, svd_solver="arpack", tol=tol).fit(X)
    ref = SkPCA(n_components, svd_solver="arpack", tol=tol, random_state=0).fit(X)
    if n_components is None:  # min(n, p) - 1 = 7 components, the trailing ones noise: compare the spectrum
        assert ours.n_components_ == ref.n_components_ == 7
        assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=1e-6, atol=1e-9)
        return
    assert_pca_matches(ours, ref, X, rtol=1e-9)


def test_pca_arpack_refuses_all_components_as_sklearn(backend):
    X = low_rank(n=60, p=8, rank=4)
    with pytest.raises(ValueError, match=r"n_components=8 should be between 1 and min\(n_samples, n_features\) - 1=7"):
        PCA(8, svd_solver="arpack").fit(X)


@pytest.mark.parametrize("solver", ["auto", "full", "covariance_eigh"])
@pytest.mark.parametrize("data", ["decaying", "wine", "digits"])
def test_pca_mle_picks_sklearn_n_components(backend, solver, data):
    decaying = np.random.default_rng(0).standard_normal((200, 12)) * 0.6 ** np.arange(12)  # distinct variances
    X = {"decaying": decaying, "wine": X_WINE, "digits": X_DIGITS[:, 8:24]}[data]
    ours = PCA("mle", svd_solver=solver).fit(X)
    ref = SkPCA("mle", svd_solver=solver).fit(X)
    assert ours._fit_svd_solver == ref._fit_svd_solver
    assert ours.n_components_ == ref.n_components_
    assert_pca_matches(ours, ref, X, rtol=1e-8)


def test_pca_mle_needs_more_samples_than_features():
    with pytest.raises(ValueError, match=r"n_components='mle' needs n_samples >= n_features"):
        PCA("mle").fit(X_WINE[:10])
    with pytest.raises(ValueError, match=r"n_components='mle' should be an int with svd_solver='randomized'"):
        PCA("mle", svd_solver="randomized").fit(X_WINE)


@pytest.mark.parametrize("normalizer", ["auto", "QR", "LU", "none"])
@pytest.mark.parametrize("iterated_power", [1, 7])
def test_pca_power_iteration_normalizer_reaches_sklearn_components(backend, normalizer, iterated_power):
    X = low_rank()  # singular value gaps of 2: the subspace converges quickly whatever the normalizer
    ours = PCA(4, svd_solver="randomized", iterated_power=iterated_power, power_iteration_normalizer=normalizer,
               random_state=0).fit(X)
    ref = SkPCA(4, svd_solver="randomized", iterated_power=iterated_power, power_iteration_normalizer=normalizer,
                random_state=0).fit(X)
    # Without renormalization, 7 iterations raise the ratios of singular values to the 15th power: the
    # weaker directions drown in rounding (8^15 ≈ 4e13), in scikit-learn as here, differently.
    unstable = normalizer == "none" and iterated_power == 7
    assert_pca_matches(ours, ref, X, rtol=1e-4 if unstable else 1e-6 if iterated_power == 1 else 1e-9)


@pytest.mark.parametrize("copy", [True, False])
def test_pca_copy_leaves_X_alone(backend, copy):
    X = X_WINE.copy()
    ours = PCA(3, copy=copy).fit(X)
    ref = SkPCA(3, copy=True).fit(X_WINE)
    np.testing.assert_array_equal(X, X_WINE)
    assert_pca_matches(ours, ref, X_WINE, rtol=1e-9)


@pytest.mark.parametrize("native", [True, False])
def test_lu_permuted_l_is_scipy_s(backend, xp, device, native):
    """The backend's own LU (capability "lu_permuted_l") and the array-API loop give scipy's P L."""
    from scipy.linalg import lu

    from xpml.utils._extmath import lu_permuted_l
    A = np.random.default_rng(0).standard_normal((9, 4))
    out = lu_permuted_l(xp.asarray(A, device=device), native=native)
    assert_on_backend(out, backend)
    assert_allclose(out, lu(A, permute_l=True)[0], rtol=1e-12, atol=1e-12)
    # Rank 3: U has a zero on its diagonal. Which unit row L's degenerate column gets is a convention,
    # but P L must still be of full rank and hold A's columns in its span (what the power iterations need).
    singular = A.copy()
    singular[:, 2] = 0.0
    PL = np.asarray(to_numpy(lu_permuted_l(xp.asarray(singular, device=device), native=native)))
    assert np.linalg.matrix_rank(PL) == 4 and np.all(np.isfinite(PL))
    assert_allclose(PL @ np.linalg.lstsq(PL, singular, rcond=None)[0], singular, rtol=0, atol=1e-12)


@pytest.mark.parametrize("normalizer", ["auto", "QR", "LU", "none"])
def test_truncated_svd_power_iteration_normalizer_as_sklearn(backend, normalizer):
    X = low_rank(seed=1)
    ours = TruncatedSVD(4, n_iter=5, power_iteration_normalizer=normalizer, random_state=0).fit(X)
    ref = SkTruncatedSVD(4, n_iter=5, power_iteration_normalizer=normalizer, random_state=0).fit(X)
    assert_allclose(ours.singular_values_, ref.singular_values_, rtol=1e-9)
    if normalizer != "none":
        assert_allclose(ours.components_, ref.components_, rtol=1e-9, atol=1e-9)
        return
    # Unnormalized, five iterations multiply the rounding of the fourth direction by (σ1/σ4)^10 ≈ 1e8: scikit-learn's
    # own fourth component is 1.2e-9 off the exact one, ours 1.0e-9, and the two part by 2.2e-9. So each is held to the
    # exact right singular vectors: ours no farther from them than half again scikit-learn's distance.
    exact = np.linalg.svd(X)[2][:4]  # (4, p)
    error = lambda V: np.max(np.abs(V * np.sign(np.sum(V * exact, axis=1))[:, None] - exact), axis=1)
    ours_error, ref_error = error(np.asarray(to_numpy(ours.components_))), error(ref.components_)
    assert np.all(ours_error <= 1.5 * ref_error + 1e-14), (ours_error, ref_error)


@pytest.mark.parametrize("tol", [0.0, 1e-4])
def test_truncated_svd_arpack_and_tol_as_sklearn(backend, tol):
    X = low_rank(seed=1)
    ours = TruncatedSVD(4, algorithm="arpack", tol=tol)
    Z = ours.fit_transform(X)
    ref = SkTruncatedSVD(4, algorithm="arpack", tol=tol, random_state=0)
    Z_ref = ref.fit_transform(X)
    assert_allclose(ours.components_, ref.components_, rtol=1e-8, atol=1e-8)
    assert_allclose(ours.explained_variance_ratio_, ref.explained_variance_ratio_, rtol=1e-8)
    assert_allclose(Z, Z_ref, rtol=1e-8, atol=1e-8 * np.abs(Z_ref).max())
    with pytest.raises(ValueError, match=r"n_components=40 should be < min\(n_samples, n_features\)=40"):
        TruncatedSVD(40, algorithm="arpack").fit(X)
