"""Principal component analysis: the directions of largest variance, from an SVD of the centred data.

With X centred on its mean (Xc = X - x̄) and Xc = U S Vᵀ its thin SVD, the rows of Vᵀ are the
principal axes and S²/(n - 1) the variance along each. Three ways to get them:

- "full": the SVD of Xc itself, O(n p min(n, p)).
- "covariance_eigh": the eigendecomposition of the p × p covariance XcᵀXc/(n - 1), whose eigenvalues
  are S²/(n - 1). One pass over the data and a small eigh: the fastest when n ≫ p, at the price of
  squaring the condition number (tiny variances lose relative precision).
- "randomized": a randomized SVD (Halko, Martinsson & Tropp, 2011; `xpml.utils._extmath`), for a
  few components of a large matrix.
- "arpack": scikit-learn's name for a truncated SVD by ARPACK, to tolerance `tol`. xpml reaches the
  same components with the exact thin SVD ("full"), kept to n_components < min(n, p) as ARPACK is.

n_components="mle" picks the number of components by Minka's evidence (`_pca_mle`).

Signs follow `svd_flip` (the largest entry of each component is positive), as in scikit-learn.
The probabilistic model behind `score` is Tipping & Bishop, "Probabilistic principal component
analysis" (JRSS B, 1999): x ~ N(x̄, Vᵀ diag(λ - σ²) V + σ² I), σ² the mean discarded variance.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

from .._backend import capability, config_context, to_numpy
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, check_is_fitted
from ..utils._chunks import chunk_rows, row_slices
from ..utils._csr import is_csr
from ..utils._lazy import materialize
from ..utils._extmath import randomized_svd, svd_flip
from ..utils._param_validation import Interval, Options
from ..utils._random import check_random_state
from ..utils._feature_names import prefixed_feature_names
from ..utils._sparse_input import csr_to_dense
from ..utils.validation import check_array
from ._pca_mle import infer_dimension
from ._pca_sparse import SPARSE_SOLVERS, sparse_centred_gram

__all__ = ["PCA"]


def centered_gram(xp, X, mean, backend):
    """(X - mean)ᵀ (X - mean), of shape (p, p), without a centred copy of X.

    XᵀX - n x̄ x̄ᵀ is one matrix product, but it cancels when the mean is large beside the spread:
    entry j carries a relative error of about u·(1 + x̄ⱼ²/varⱼ), u the unit roundoff. It is kept
    while that stays within 1e-5, about what a float32 sum of 1e5 terms costs anyway (for float32,
    means up to about 9 standard deviations from the origin); beyond, the centred blocks of rows
    are summed instead (Xbᵀ Xb for each block b of X - x̄).
    """
    n = X.shape[0]
    G, = materialize(backend, X.T @ X - n * (mean[:, None] * mean[None, :]))  # (p, p), one pass on a lazy backend
    # u·x̄ⱼ²/varⱼ <= 1e-5 for every j, written without the division: a constant feature (varⱼ = 0) fails it
    # instead of overflowing.
    if bool(xp.all(n * mean * mean * xp.finfo(X.dtype).eps <= 1e-5 * xp.linalg.diagonal(G))):
        return G
    G = xp.zeros_like(G)
    for rows in row_slices(n, chunk_rows(backend, X.shape[1], scale=16)):
        Xb = X[rows, :] - mean  # (b, p)
        G = G + Xb.T @ Xb
    return G


class PCA(TransformerMixin, BaseEstimator):
    """Principal component analysis.

    Parameters
    ----------
    n_components : int, float, "mle" or None, default=None
        Components to keep: an int; a float in (0, 1), the fewest components whose explained
        variance ratios add up to more than it; "mle", the number Minka's evidence favours (needs
        n_samples >= n_features and the "full" or "covariance_eigh" solver; "auto" then picks
        "full" unless n_samples >= 10 n_features); or None, min(n_samples, n_features)
        (min(n_samples, n_features) - 1 with "arpack").
    copy : bool, default=True
        Accepted for scikit-learn compatibility: xpml never modifies X, whatever its value.
    whiten : bool, default=False
        Divide the transformed data by the square root of the explained variances, so that each
        component has unit variance.
    svd_solver : {"auto", "full", "covariance_eigh", "arpack", "randomized"}, default="auto"
        "auto": "covariance_eigh" when n_features <= 1000 and n_samples >= 10 n_features; else
        "full" when the data are at most 500 × 500 or n_components="mle"; else "randomized" for an
        int n_components under 80% of min(n_samples, n_features); else "full". "arpack" computes
        the exact thin SVD (see the module's docstring).
    tol : float, default=0.0
        The tolerance of scikit-learn's ARPACK solver (0: machine precision). xpml's "arpack"
        computes the exact SVD, within any tolerance; the value is checked, then unused.
    iterated_power : int or "auto", default="auto"
        Power iterations of the randomized solver; "auto" is 7 when n_components < 0.1 ·
        min(n_samples, n_features), else 4.
    n_oversamples : int, default=10
        Extra random directions of the randomized solver.
    power_iteration_normalizer : {"auto", "QR", "LU", "none"}, default="auto"
        How the randomized solver renormalizes its power iterations (`xpml.utils._extmath.
        randomized_range_finder`); "auto": "none" for iterated_power <= 2, else "LU".
    random_state : int, numpy.random.Generator or None
        Seeds the randomized solver.
    backend, dtype
        Where and in which precision to compute (see `xpml.linear_model.LinearRegression`).

    Attributes
    ----------
    components_ : array of shape (n_components, n_features)
        The principal axes, orthonormal, in order of decreasing variance.
    explained_variance_ : array of shape (n_components,)
    explained_variance_ratio_ : array of shape (n_components,)
    singular_values_ : array of shape (n_components,)
    mean_ : array of shape (n_features,)
    noise_variance_ : array of shape ()
        The mean variance of the discarded directions (0 when none are discarded).
    n_components_, n_samples_, n_features_in_ : int

    Examples
    --------
    >>> from xpml.decomposition import PCA
    >>> pca = PCA(n_components=1).fit([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    >>> [round(float(v), 6) for v in pca.components_[0]], round(float(pca.explained_variance_ratio_[0]), 6)
    ([0.707107, 0.707107], 1.0)
    """

    _scales_out = True  # on dask: computed per chunk and reduced across chunks (tests/test_dask.py)

    _parameter_constraints = {
        "n_components": [Interval(Integral, 0, None, closed="left"), Interval(Real, 0, 1, closed="neither"),
                         Options({"mle"}), None],
        "copy": ["boolean"],
        "whiten": ["boolean"],
        "svd_solver": [Options({"auto", "full", "covariance_eigh", "arpack", "randomized"})],
        "tol": [Interval(Real, 0, None, closed="left")],
        "iterated_power": [Interval(Integral, 0, None, closed="left"), Options({"auto"})],
        "n_oversamples": [Interval(Integral, 1, None, closed="left")],
        "power_iteration_normalizer": [Options({"auto", "QR", "LU", "none"})],
        "random_state": ["random_state"],
        **BACKEND_CONSTRAINTS,
    }

    _squares_X = True  # the covariance of X: values beyond ~1e150 are refused at input
    _accepts_sparse = True  # with svd_solver "arpack" or "covariance_eigh": X centred implicitly (`_pca_sparse`)

    def __init__(self, n_components: int | float | str | None = None, *, copy: bool = True, whiten: bool = False,
                 svd_solver: str = "auto", tol: float = 0.0, iterated_power: int | str = "auto",
                 n_oversamples: int = 10, power_iteration_normalizer: str = "auto", random_state: Any = None,
                 backend: Any = None, dtype: str | None = None):
        self.n_components = n_components
        self.copy = copy
        self.whiten = whiten
        self.svd_solver = svd_solver
        self.tol = tol
        self.iterated_power = iterated_power
        self.n_oversamples = n_oversamples
        self.power_iteration_normalizer = power_iteration_normalizer
        self.random_state = random_state
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any = None) -> PCA:
        """Find the principal axes of X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self
        """
        X = self._validate_data(X)
        xp = self._xp
        n, p = X.shape
        if n < 2:
            raise ValueError(f"n_samples={n} should be >= 2: PCA estimates variances with n_samples - 1.")
        truncated = self.svd_solver in ("randomized", "arpack")
        k = min(n, p) - (self.svd_solver == "arpack") if self.n_components is None else self.n_components
        self._fit_svd_solver = solver = self._choose_solver(n, p, k, is_csr(X))
        low, high = (1 if truncated else 0), min(n, p) - (solver == "arpack")
        if isinstance(k, Integral) and not low <= k <= high:
            raise ValueError(f"n_components={k} should be between {low} and min(n_samples, n_features)"
                             f"{' - 1' if solver == 'arpack' else ''}={high} with svd_solver={solver!r}.")
        if truncated and not isinstance(k, Integral):
            raise ValueError(f"n_components={k!r} should be an int with svd_solver={solver!r}.")
        if k == "mle" and n < p:
            raise ValueError(f"n_components='mle' needs n_samples >= n_features; got n_samples={n}, n_features={p}.")

        sparse = is_csr(X)
        if sparse and solver not in SPARSE_SOLVERS:
            raise TypeError(f"PCA only supports sparse inputs with the \"arpack\" and \"covariance_eigh\" solvers, "
                            f"while svd_solver={solver!r}. See TruncatedSVD for a possible alternative.")
        self.mean_ = X.column_sums() / n if sparse else xp.mean(X, axis=0)  # (p,)
        if solver == "randomized":
            Xc = X - self.mean_  # (n, p)
            n_iter = self.iterated_power
            if n_iter == "auto":
                n_iter = 7 if k < 0.1 * min(n, p) else 4
            rng = check_random_state(self.random_state)
            _, S, Vt = randomized_svd(Xc, k, n_oversamples=self.n_oversamples, n_iter=n_iter, rng=rng, xp=xp,
                                      power_iteration_normalizer=self.power_iteration_normalizer)
            variance = S * S / (n - 1)  # (k,)
            total = xp.sum(Xc * Xc) / (n - 1)
            rest = min(n, p) - k
            self.noise_variance_ = (total - xp.sum(variance)) / rest if rest else xp.zeros_like(total)
        else:
            if solver in ("full", "arpack") and not sparse:
                _, S, Vt = xp.linalg.svd(X - self.mean_, full_matrices=False)  # (m,), (m, p) with m = min(n, p)
                variance = S * S / (n - 1)  # (m,)
            else:
                gram = sparse_centred_gram if sparse else centered_gram  # sparse: centred implicitly
                eigh = capability(self._backend, "eigh") or xp.linalg.eigh  # dask's namespace has none
                eigenvalues, eigenvectors = eigh(gram(xp, X, self.mean_, self._backend) / (n - 1))
                variance = xp.clip(xp.flip(eigenvalues), min=0.0)  # (p,), decreasing
                Vt = xp.flip(eigenvectors, axis=1).T  # (p, p)
                S = xp.sqrt(variance * (n - 1))
            total = xp.sum(variance)
            if k == "mle":
                k = infer_dimension(to_numpy(variance).tolist(), n)
            elif not isinstance(k, Integral):  # a fraction of the variance
                cumulative = xp.cumulative_sum(variance / total)
                k = min(int(xp.searchsorted(cumulative, xp.asarray(k, dtype=X.dtype, device=X.device),
                                            side="right")) + 1, variance.shape[0])
            rest = variance[k:min(n, p)]
            self.noise_variance_ = xp.mean(rest) if rest.shape[0] else xp.zeros_like(total)
        _, Vt = svd_flip(None, Vt, xp=xp)
        self.n_components_, self.n_samples_ = int(k), n
        self.components_ = Vt[:k, :]
        self.explained_variance_ = variance[:k]
        self.explained_variance_ratio_ = variance[:k] / total
        self.singular_values_ = S[:k]
        return self

    def _choose_solver(self, n: int, p: int, k: Any, sparse: bool = False) -> str:
        if self.svd_solver != "auto":
            return self.svd_solver
        if sparse:  # scikit-learn's choice for sparse input
            return "covariance_eigh" if p <= 1000 and n >= 10 * p else "arpack"
        if p <= 1000 and n >= 10 * p:
            return "covariance_eigh"
        if max(n, p) <= 500 or k == "mle":
            return "full"
        if isinstance(k, Integral) and 1 <= k < 0.8 * min(n, p):
            return "randomized"
        return "full"

    def transform(self, X: Any) -> Any:
        """Project X on the principal axes: (X - mean_) @ components_ᵀ, of shape (n_samples, n_components)."""
        X_in, X = X, self._validate_data(X, reset=False)
        xp = self._xp
        Z = X @ self.components_.T - self.mean_ @ self.components_.T  # (n, k), without a centred copy of X
        if self.whiten:
            Z = Z / self._scale(xp)
        return self._output(Z, X_in)

    def inverse_transform(self, X: Any) -> Any:
        """Map transformed data back to the original space, of shape (n_samples, n_features)."""
        check_is_fitted(self)
        X_in, Z = X, check_array(X, self._backend, dtype=self._dtype)
        if Z.shape[1] != self.n_components_:
            raise ValueError(f"X has {Z.shape[1]} columns, but PCA was fitted with n_components_="
                             f"{self.n_components_}; inverse_transform takes transformed data.")
        if self.whiten:
            Z = Z * self._scale(self._xp)
        return self._output(Z @ self.components_ + self.mean_, X_in)

    def _scale(self, xp):
        """The whitening scale √λ of each component, kept above machine epsilon."""
        return xp.maximum(xp.sqrt(self.explained_variance_), xp.finfo(self.explained_variance_.dtype).eps)

    # ---- the probabilistic model -------------------------------------------------------------

    def get_covariance(self) -> Any:
        """The data covariance of the model, Vᵀ diag(λ - σ²)₊ V + σ² I, of shape (n_features, n_features)."""
        xp = self._xp
        V, excess = self.components_, xp.clip(self.explained_variance_ - self.noise_variance_, min=0.0)  # (k, p), (k,)
        identity = xp.eye(V.shape[1], dtype=V.dtype, device=V.device)
        return (V.T * excess) @ V + self.noise_variance_ * identity

    def get_precision(self) -> Any:
        """The inverse of `get_covariance()`, of shape (n_features, n_features)."""
        return self._xp.linalg.inv(self.get_covariance())

    def score_samples(self, X: Any) -> Any:
        """The log-likelihood of each sample under the model, of shape (n_samples,)."""
        X_in, X = X, self._validate_data(X, reset=False)
        xp = self._xp
        precision = self.get_precision()  # (p, p)
        Xr = (csr_to_dense(X, "PCA.score_samples", "dense X") if is_csr(X) else X) - self.mean_  # (n, p)
        if hasattr(xp.linalg, "slogdet"):
            _, logdet = xp.linalg.slogdet(precision)
        else:  # dask's namespace has none: the precision is symmetric positive definite, Σ log of its eigenvalues
            logdet = xp.sum(xp.log(capability(self._backend, "eigh")(precision)[0]))
        log_like = -0.5 * xp.sum(Xr * (Xr @ precision), axis=1) - 0.5 * (X.shape[1] * math.log(2 * math.pi) - logdet)
        return self._output(log_like, X_in)

    def score(self, X: Any, y: Any = None) -> float:
        """The mean log-likelihood of the samples under the model."""
        X = self._validate_data(X, reset=False)
        with config_context(output="backend"):
            return float(self._xp.mean(self.score_samples(X)))

    def get_feature_names_out(self, input_features: Any = None):
        """The output column names: "pca0", "pca1", ..., one per component."""
        check_is_fitted(self)
        return prefixed_feature_names(self, self.n_components_, input_features)
