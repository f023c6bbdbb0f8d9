"""Truncated SVD (latent semantic analysis): the best rank-k approximation of X, without centring.

X ≈ U_k S_k V_kᵀ, the k leading singular triplets (Eckart & Young, 1936). Unlike PCA, the data are
not centred first, so the first component of non-negative data points roughly along the mean,
and the decomposition applies as it is to term counts and other data whose zeros matter.

Solvers: "randomized" (Halko, Martinsson & Tropp, 2011; `xpml.utils._extmath.randomized_svd`), for a
few components of a large matrix, or "full", an exact thin SVD. "arpack" is scikit-learn's name for
a truncated SVD by ARPACK to tolerance `tol`: xpml reaches the same components with the exact thin
SVD, kept to n_components < min(n_samples, n_features) as ARPACK is. Signs follow `svd_flip`, as in
scikit-learn.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, check_is_fitted
from ..utils._csr import is_csr
from ..utils._extmath import randomized_svd, svd_flip
from ..utils._param_validation import Interval, Options
from ..utils._random import check_random_state
from ..utils._feature_names import prefixed_feature_names
from ..utils._sparse_input import csr_to_dense
from ..utils.validation import check_array

__all__ = ["TruncatedSVD"]


class TruncatedSVD(TransformerMixin, BaseEstimator):
    """Dimensionality reduction by a truncated SVD of the uncentred data.

    Parameters
    ----------
    n_components : int, default=2
        The number of singular triplets to keep, at most min(n_samples, n_features).
    algorithm : {"randomized", "arpack", "full"}, default="randomized"
        A randomized SVD, or the exact thin SVD of X ("full", and "arpack": see the module's docstring).
    n_iter : int, default=5
        Power iterations of the randomized solver.
    n_oversamples : int, default=10
        Extra random directions of the randomized solver.
    power_iteration_normalizer : {"auto", "QR", "LU", "none"}, default="auto"
        How the randomized solver renormalizes its power iterations (`xpml.utils._extmath.
        randomized_range_finder`); "auto": "none" for n_iter <= 2, else "LU".
    random_state : int, numpy.random.Generator or None
        Seeds the randomized solver.
    tol : float, default=0.0
        The tolerance of scikit-learn's ARPACK solver (0: machine precision). xpml's "arpack"
        computes the exact SVD, within any tolerance; the value is checked, then unused.
    backend, dtype
        Where and in which precision to compute (see `xpml.linear_model.LinearRegression`).

    Attributes
    ----------
    components_ : array of shape (n_components, n_features)
        The right singular vectors V_kᵀ.
    explained_variance_ : array of shape (n_components,)
        The variance of each column of the transformed training data.
    explained_variance_ratio_ : array of shape (n_components,)
        `explained_variance_` over the total variance of X.
    singular_values_ : array of shape (n_components,)
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.decomposition import TruncatedSVD
    >>> svd = TruncatedSVD(n_components=1, algorithm="full").fit([[3.0, 0.0], [0.0, 1.0], [4.0, 0.0]])
    >>> round(float(svd.singular_values_[0]), 6), [round(float(v), 6) for v in svd.components_[0]]
    (5.0, [1.0, 0.0])
    """

    _scales_out = True  # on dask: computed per chunk and reduced across chunks (tests/test_dask.py)

    _parameter_constraints = {
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "algorithm": [Options({"randomized", "arpack", "full"})],
        "n_iter": [Interval(Integral, 0, None, closed="left")],
        "n_oversamples": [Interval(Integral, 1, None, closed="left")],
        "power_iteration_normalizer": [Options({"auto", "QR", "LU", "none"})],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        **BACKEND_CONSTRAINTS,
    }

    _accepts_sparse = True  # term matrices (latent semantic analysis): the randomized SVD reads X by products

    def __init__(self, n_components: int = 2, *, algorithm: str = "randomized", n_iter: int = 5,
                 n_oversamples: int = 10, power_iteration_normalizer: str = "auto", random_state: Any = None,
                 tol: float = 0.0, backend: Any = None, dtype: str | None = None):
        self.n_components = n_components
        self.algorithm = algorithm
        self.n_iter = n_iter
        self.n_oversamples = n_oversamples
        self.power_iteration_normalizer = power_iteration_normalizer
        self.random_state = random_state
        self.tol = tol
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any = None) -> TruncatedSVD:
        """Find the leading singular triplets of X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self
        """
        self._fit(X)
        return self

    def fit_transform(self, X: Any, y: Any = None) -> Any:
        """Fit, then return X @ components_ᵀ, of shape (n_samples, n_components)."""
        return self._output(self._fit(X), X)

    def _fit(self, X: Any) -> Any:
        X = self._validate_data(X)
        xp = self._xp
        n, p = X.shape
        k = self.n_components
        if k > min(n, p):
            raise ValueError(f"n_components={k} should be <= min(n_samples, n_features)={min(n, p)}.")
        if self.algorithm == "arpack" and k == min(n, p):
            raise ValueError(f"n_components={k} should be < min(n_samples, n_features)={min(n, p)} with "
                             f"algorithm='arpack'.")
        if is_csr(X) and self.algorithm != "randomized":  # the exact SVD reads a dense matrix
            X = csr_to_dense(X, f"TruncatedSVD(algorithm={self.algorithm!r})", "algorithm='randomized'")
        if self.algorithm == "randomized":
            rng = check_random_state(self.random_state)
            U, S, Vt = randomized_svd(X, k, n_oversamples=self.n_oversamples, n_iter=self.n_iter, rng=rng, xp=xp,
                                      power_iteration_normalizer=self.power_iteration_normalizer)
        else:
            U, S, Vt = xp.linalg.svd(X, full_matrices=False)  # (n, m), (m,), (m, p) with m = min(n, p)
            U, S, Vt = U[:, :k], S[:k], Vt[:k, :]
        U, self.components_ = svd_flip(U, Vt, xp=xp)  # (n, k), (k, p)
        self.singular_values_ = S
        Z = U * S  # (n, k): X Vᵀ = U S, as scikit-learn's fit_transform, without another product with X
        self.explained_variance_ = xp.var(Z, axis=0)  # (k,)
        variances = X.column_mean_variance()[1] if is_csr(X) else xp.var(X, axis=0)  # (p,)
        self.explained_variance_ratio_ = self.explained_variance_ / xp.sum(variances)
        return Z

    def transform(self, X: Any) -> Any:
        """Project X on the components: X @ components_ᵀ, of shape (n_samples, n_components)."""
        X_in, X = X, self._validate_data(X, reset=False)
        return self._output(X @ self.components_.T, X_in)

    def inverse_transform(self, X: Any) -> Any:
        """Map transformed data back: X @ components_, of shape (n_samples, n_features)."""
        check_is_fitted(self)
        X_in, Z = X, check_array(X, self._backend, dtype=self._dtype)
        if Z.shape[1] != self.components_.shape[0]:
            raise ValueError(f"X has {Z.shape[1]} columns, but TruncatedSVD was fitted with n_components="
                             f"{self.components_.shape[0]}; inverse_transform takes transformed data.")
        return self._output(Z @ self.components_, X_in)

    def get_feature_names_out(self, input_features: Any = None):
        """The output column names: "truncatedsvd0", "truncatedsvd1", ..., one per component."""
        check_is_fitted(self)
        return prefixed_feature_names(self, self.components_.shape[0], input_features)
