"""NMF against scikit-learn, on every backend: from the same start, the same solver reaches the same W, H,
reconstruction_err_ and n_iter_.

The starts are made alike: NNDSVD from an exact SVD (X is 16 × 7 and k + 10 oversamples >= 7, so the randomized
SVD spans X's whole range, whatever its draws); the random fills ("random", "nndsvdar") and the shuffled order
are xpml's draws from numpy.random.default_rng(seed), reproduced here and handed to scikit-learn (init="custom",
a RandomState whose permutations are those draws). Tolerance: 1e-10 relative on W, H (values of order 1) and
the error; what remains (about 1e-13) is the summation order of the products, which the iterations carry along
without amplifying it (each step is a contraction of these well-separated problems).
"""

import warnings

import numpy as np
import pytest
from sklearn.decomposition import NMF as SkNMF
from sklearn.decomposition import _nmf as sklearn_nmf
from sklearn.decomposition._nmf import _initialize_nmf

from tests.helpers import assert_allclose, assert_on_backend
from xpml._backend import to_numpy
from xpml.decomposition import NMF
from xpml.decomposition._nmf_init import initialize
from xpml.exceptions import ConvergenceWarning

RNG = np.random.default_rng(0)
X = np.abs(RNG.standard_normal((16, 7))) + 0.05  # strictly positive: every beta_loss applies
X_NEW = np.abs(RNG.standard_normal((16, 7)))  # as many rows as X: on jax, the compiled sweep's shape again
RTOL = 1e-10


def fit_both(params, X=X, sk_params=None, W=None, H=None):
    """xpml's and scikit-learn's NMF fitted alike; returns (ours, W), (theirs, W)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UserWarning)
        ours = NMF(**params)
        W_ours = ours.fit_transform(X, W=W, H=H)
        ref = SkNMF(**{**params, **(sk_params or {})})
        W_ref = ref.fit_transform(X, W=W, H=H)
    return (ours, W_ours), (ref, W_ref)


def assert_same_fit(fitted, reference, rtol=RTOL):
    (ours, W), (ref, W_ref) = fitted, reference
    assert ours.n_iter_ == ref.n_iter_
    assert ours.n_components_ == ref.n_components_
    W_ref, H_ref = np.asarray(to_numpy(W_ref)), np.asarray(to_numpy(ref.components_))
    assert_allclose(W, W_ref, rtol=rtol, atol=rtol * np.abs(W_ref).max())
    assert_allclose(ours.components_, H_ref, rtol=rtol, atol=rtol * np.abs(H_ref).max())
    assert ours.reconstruction_err_ == pytest.approx(ref.reconstruction_err_, rel=rtol)


@pytest.mark.parametrize("init, alpha_W, alpha_H, l1_ratio", [("nndsvd", 0.0, "same", 0.0),
                                                              ("nndsvda", 0.01, 0.02, 0.5)])
def test_coordinate_descent_is_sklearns(backend, init, alpha_W, alpha_H, l1_ratio):
    params = dict(n_components=3, init=init, solver="cd", alpha_W=alpha_W, alpha_H=alpha_H, l1_ratio=l1_ratio,
                  max_iter=400)
    fitted, reference = fit_both(params)
    assert_on_backend(fitted[0].components_, backend)
    assert fitted[0].n_iter_ < 400  # converged, at scikit-learn's iteration
    assert_same_fit(fitted, reference)
    Z = to_numpy(fitted[0].transform(X_NEW))  # W for new data, H fixed: coordinate descent from W = 0
    assert_allclose(Z, reference[0].transform(X_NEW), rtol=RTOL, atol=RTOL * np.abs(Z).max())


@pytest.mark.parametrize("beta_loss, alpha_W, l1_ratio", [("frobenius", 0.0, 0.0), ("kullback-leibler", 0.01, 0.5),
                                                          ("itakura-saito", 0.0, 0.0), (0.5, 0.0, 0.0),
                                                          (3.0, 0.01, 0.0)])
def test_multiplicative_updates_are_sklearns(backend, monkeypatch, beta_loss, alpha_W, l1_ratio):
    params = dict(n_components=3, init="nndsvda", solver="mu", beta_loss=beta_loss, alpha_W=alpha_W,
                  l1_ratio=l1_ratio, tol=1e-3, max_iter=200)
    fitted, reference = fit_both(params)
    assert fitted[0].n_iter_ < 200  # converged, at scikit-learn's iteration
    assert_same_fit(fitted, reference)
    if beta_loss == "kullback-leibler" and l1_ratio > 0:
        # scikit-learn's transform (H fixed) keeps Σⱼ H[:, j] from one iteration to the next, and its W step adds
        # l1 in place to a view of it: the denominator grows by l1 at every iteration (by 200 l1 at the end).
        # Its fit recomputes the sum after each H step, and matches above. Here it recomputes it every time.
        step = sklearn_nmf._multiplicative_update_w
        monkeypatch.setattr(sklearn_nmf, "_multiplicative_update_w",
                            lambda *args, H_sum=None, **kwargs: step(*args, H_sum=None, **kwargs))
    Z = to_numpy(fitted[0].transform(X_NEW))  # from W = √(mean(X) / k), H fixed
    assert_allclose(Z, reference[0].transform(X_NEW), rtol=RTOL, atol=RTOL * np.abs(Z).max())


def test_nndsvd_start_and_the_random_fills(backend, xp, device):
    """NNDSVD is scikit-learn's; "random" and "nndsvdar" fill from default_rng(seed), in row-major order."""
    Xb = xp.asarray(X, device=device)
    W, H = initialize(xp, Xb, 4, "nndsvd", 0, backend)
    W_ref, H_ref = _initialize_nmf(X, 4, init="nndsvd")
    assert_allclose(W, W_ref, rtol=1e-12, atol=1e-12)
    assert_allclose(H, H_ref, rtol=1e-12, atol=1e-12)
    rng, mean = np.random.default_rng(3), X.mean()
    for A in (W_ref, H_ref):  # the fill of "nndsvdar": W's zeros, then H's, from one generator
        A[A == 0] = np.abs(mean * rng.standard_normal(int((A == 0).sum())) / 100)
    W_r, H_r = initialize(xp, Xb, 4, "nndsvdar", 3, backend)
    assert_allclose(W_r, W_ref, rtol=1e-12, atol=1e-15)
    assert_allclose(H_r, H_ref, rtol=1e-12, atol=1e-15)
    # the whole fit from that start is scikit-learn's from the same start
    ours = NMF(4, init="nndsvdar", random_state=3, solver="mu", max_iter=50, tol=0).fit(X)
    ref = SkNMF(4, init="custom", solver="mu", max_iter=50, tol=0).fit(X, W=W_ref, H=H_ref)
    assert_allclose(ours.components_, ref.components_, rtol=RTOL, atol=RTOL)
    rng, scale = np.random.default_rng(5), np.sqrt(X.mean() / 4)
    H_rand = np.abs(scale * rng.standard_normal((4, 7)))
    W_rand = np.abs(scale * rng.standard_normal((16, 4)))
    W_b, H_b = initialize(xp, Xb, 4, "random", 5, backend)
    assert_allclose(W_b, W_rand, rtol=1e-14)
    assert_allclose(H_b, H_rand, rtol=1e-14)


class _DrawsOfXpml(np.random.RandomState):
    """A RandomState for scikit-learn whose permutations are xpml's (numpy.random.default_rng(seed)'s)."""

    def __init__(self, seed):
        super().__init__(0)
        self._generator = np.random.default_rng(seed)

    def permutation(self, n):
        return self._generator.permutation(n)


def test_shuffled_coordinate_descent_is_sklearns_in_the_same_order(backend):
    if backend.name not in ("numpy", "torch"):
        pytest.skip("the order is drawn on the host: the sweep itself is met on every backend above")
    params = dict(n_components=4, init="nndsvda", shuffle=True, max_iter=400)
    fitted, reference = fit_both({**params, "random_state": 7}, sk_params={"random_state": _DrawsOfXpml(7)})
    assert_same_fit(fitted, reference)


@pytest.mark.parametrize("solver, beta_loss", [("cd", "frobenius"), ("mu", "kullback-leibler"), ("mu", 0.5)])
def test_sparse_input_is_sklearns(backend, solver, beta_loss):
    scipy_sparse = pytest.importorskip("scipy.sparse")
    if backend.name not in ("numpy", "torch"):
        pytest.skip("sparse products on numpy (scipy) and torch (its CSR) suffice; the dense fits run everywhere")
    S = scipy_sparse.csr_matrix(np.where(X > 0.6, X, 0.0))  # about half the entries stored
    params = dict(n_components=3, init="nndsvda", solver=solver, beta_loss=beta_loss, tol=1e-6, max_iter=150)
    fitted, reference = fit_both(params, X=S)
    assert_same_fit(fitted, reference)
    dense, _ = fit_both(params, X=S.toarray())
    assert_same_fit(fitted, dense)
    Z = to_numpy(fitted[0].transform(S[:5]))
    assert_allclose(Z, reference[0].transform(S[:5]), rtol=RTOL, atol=RTOL * np.abs(Z).max())


def test_custom_start_auto_components_and_float32(backend):
    W0, H0 = np.full((16, 2), 0.5), np.abs(np.random.default_rng(1).standard_normal((2, 7)))
    fitted, reference = fit_both(dict(init="custom", max_iter=60, tol=0), W=W0, H=H0)  # n_components="auto"
    assert fitted[0].n_components_ == 2
    assert_same_fit(fitted, reference)
    assert_allclose(fitted[0].inverse_transform(fitted[1]), reference[0].inverse_transform(reference[1]),
                    rtol=RTOL, atol=RTOL)
    assert list(fitted[0].get_feature_names_out()) == ["nmf0", "nmf1"]
    small = NMF(2, init="nndsvda", max_iter=30, tol=0).fit(X.astype(np.float32))
    assert str(small.components_.dtype).endswith("float32")
    ref32 = SkNMF(2, init="nndsvda", max_iter=30, tol=0).fit(X.astype(np.float32))
    # float32: 2e-6 apart (about 10 ulps), as far as scikit-learn's own fits from two draws of its randomized SVD
    assert_allclose(small.components_, ref32.components_, rtol=1e-5, atol=1e-5)


def test_clear_errors_and_warnings():
    with pytest.raises(ValueError, match=r"Negative values in data passed to NMF \(input X\)"):
        NMF(2).fit(X - 1.0)
    with pytest.raises(ValueError, match=r"Negative values in data passed to NMF \(input X\)"):
        NMF(2).fit(X).transform(X - 1.0)
    with pytest.raises(ValueError, match=r"solver 'cd' does not handle beta_loss='kullback-leibler'"):
        NMF(2, beta_loss="kullback-leibler").fit(X)
    with pytest.raises(ValueError, match=r"When beta_loss <= 0 .* and X contains zeros"):
        NMF(2, solver="mu", beta_loss="itakura-saito").fit(np.where(X > 1, X, 0.0))
    with pytest.raises(ValueError, match=r"init='nndsvd' can only be used when n_components <= min\(n_samples"):
        NMF(8, init="nndsvd").fit(X)
    with pytest.raises(ValueError, match=r"Array with wrong second dimension passed to NMF \(input H\). Expected 7"):
        NMF(2, init="custom").fit(X, W=np.ones((16, 2)), H=np.ones((2, 6)))
    with pytest.raises(ValueError, match=r"Array passed to NMF \(input W\) is full of zeros"):
        NMF(2, init="custom").fit(X, W=np.zeros((16, 2)), H=np.ones((2, 7)))
    with pytest.raises(TypeError, match=r"NMF \(input H\) should have the same dtype as X \(float64\)"):
        NMF(2, init="custom").fit(X, W=np.ones((16, 2)), H=np.ones((2, 7), dtype=np.float32))
    with pytest.raises(ValueError, match=r"init='custom' needs both W and H; NMF \(input W\) is None"):
        NMF(2, init="custom").fit(X, H=np.ones((2, 7)))
    with pytest.raises(ValueError, match=r"l1_ratio=1.5 should be >= 0 and <= 1"):
        NMF(2, l1_ratio=1.5).fit(X)
    with pytest.raises(ValueError, match=r"X has 3 columns, but NMF was fitted with n_components_=2"):
        NMF(2).fit(X).inverse_transform(np.ones((4, 3)))
    with pytest.warns(UserWarning, match=r"cannot update zeros present in the initialization"):
        NMF(2, solver="mu", init="nndsvd", max_iter=500).fit(X)
    with pytest.warns(RuntimeWarning, match=r"When init!='custom', provided W or H are ignored"):
        NMF(2, max_iter=500).fit(X, H=np.ones((2, 7)))
    with pytest.warns(ConvergenceWarning, match=r"Maximum number of iterations 3 reached"):
        NMF(2, max_iter=3).fit(X)


def test_verbose_reports_the_progress(capsys):
    NMF(2, verbose=1, max_iter=500).fit(X)
    NMF(2, solver="mu", verbose=1, max_iter=500).fit(X)
    out = capsys.readouterr().out
    assert "violation:" in out and "Converged at iteration" in out and "Epoch 10 reached after" in out
