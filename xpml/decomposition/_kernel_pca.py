"""Kernel principal component analysis: PCA in the feature space of a kernel, from the kernel matrix alone.

B. Schölkopf, A. Smola & K.-R. Müller, "Nonlinear component analysis as a kernel eigenvalue
problem" (Neural Computation, 1998). With φ the kernel's feature map and K (n, n) the kernel between
the training samples, the data centred in feature space have the kernel

    K̃ = K - 1ₙ K - K 1ₙ + 1ₙ K 1ₙ      (1ₙ the n × n matrix of entries 1/n),

i.e. K minus its column means, minus its row means, plus its grand mean. The eigenpairs (λᵢ, vᵢ)
of K̃, vᵢ of unit norm, give the principal axes in feature space; a training sample's coordinate
on axis i is √λᵢ vᵢ (`fit_transform`), and a new sample x, its kernel row k(x, ·) centred the same
way (with the training means), has coordinate k̃(x)·vᵢ / √λᵢ (`transform`).

Eigenvalues are checked as scikit-learn checks them: significantly negative ones (K̃ is not
positive semi-definite) are refused, the rest of the negatives and the positives below 1e-12
(float32: 2e-7) of the largest are set to 0, and zero ones are dropped with remove_zero_eig or
n_components=None. Signs follow `svd_flip` on the columns of the eigenvectors (the largest entry
of each is positive), as scikit-learn's, so `eigenvectors_` equals its own, not only up to sign.

Solvers: "dense", the full symmetric eigendecomposition; "arpack" (scikit-learn's Lanczos to
tolerance `tol`) computes the same eigenpairs exactly, by the dense solver; "randomized", a
randomized SVD of K̃ (`xpml.utils._extmath.randomized_svd`), each eigenvalue's sign that of uᵢ·vᵢ
(Halko, Martinsson & Tropp, 2011). "auto" is "arpack" (dense) for fewer than 10 components of
more than 200 samples, else "dense", as scikit-learn chooses.

`inverse_transform` is the pre-image map of Bakır, Weston & Schölkopf ("Learning to find
pre-images", NIPS 2003): kernel ridge regression (`xpml.kernel_ridge`) from the training
embedding back to X, with the same kernel and penalty `alpha`.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from .._backend import to_numpy
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, check_is_fitted
from ..exceptions import not_fitted_error
from ..kernel_ridge._kernel_ridge import _solve_regularized
from ..metrics.pairwise import Kernel, kernel_matrix
from ..utils._extmath import randomized_svd, svd_flip
from ..utils._feature_names import prefixed_feature_names
from ..utils._param_validation import Interval, Options
from ..utils._random import check_random_state
from ..utils.validation import check_array

__all__ = ["KernelPCA"]

KERNELS = {"linear", "poly", "rbf", "sigmoid", "cosine", "precomputed"}


class KernelPCA(TransformerMixin, BaseEstimator):
    """Kernel principal component analysis: non-linear dimensionality reduction through a kernel.

    Parameters
    ----------
    n_components : int or None, default=None
        Components to keep; None: every component of non-zero eigenvalue.
    kernel : {"linear", "poly", "rbf", "sigmoid", "cosine", "precomputed"} or callable, default="linear"
        The kernel (`xpml.metrics.pairwise`); "precomputed": X is the kernel matrix, (n, n) at fit and
        (n_new, n) at transform; a callable k(x, y, **kernel_params) of two 1-D numpy arrays is called
        on the host for each pair of rows, as scikit-learn calls it.
    gamma : float or None, default=None
        γ of the rbf, poly and sigmoid kernels; None: 1 / n_features.
    degree : float, default=3
        The polynomial kernel's degree.
    coef0 : float, default=1
        The constant of the poly and sigmoid kernels.
    kernel_params : dict or None, default=None
        Keyword arguments of a callable kernel (ignored by the named ones).
    alpha : float, default=1.0
        The ridge penalty of the inverse transform (with fit_inverse_transform).
    fit_inverse_transform : bool, default=False
        Learn the pre-image map of `inverse_transform`.
    eigen_solver : {"auto", "dense", "arpack", "randomized"}, default="auto"
        See the module's docstring ("arpack" computes the exact eigenpairs by the dense solver).
    tol, max_iter : float, int or None
        scikit-learn's ARPACK tolerance and iteration bound: checked, then unused (the solve is exact).
    iterated_power : int or "auto", default="auto"
        Power iterations of the randomized solver; "auto": 7 for fewer than a tenth of n_samples, else 4.
    remove_zero_eig : bool, default=False
        Drop the components of zero eigenvalue (always done with n_components=None).
    random_state : int, numpy.random.Generator or None
        Seeds the randomized solver.
    copy_X : bool, default=True
        Accepted for scikit-learn compatibility: xpml keeps its own array of X (`X_fit_`) and never writes it.
    n_jobs : int or None
        Accepted for scikit-learn compatibility: the kernel is computed by array operations.
    backend, dtype
        Where and in which precision to compute (see `xpml.linear_model.LinearRegression`).

    Attributes
    ----------
    eigenvalues_ : array of shape (n_components,)
        The eigenvalues of the centred kernel, in decreasing order.
    eigenvectors_ : array of shape (n_samples, n_components)
    dual_coef_ : array of shape (n_samples, n_features)
        The inverse transform's kernel ridge coefficients (with fit_inverse_transform).
    X_transformed_fit_ : array of shape (n_samples, n_components)
        The training embedding (with fit_inverse_transform).
    X_fit_ : array of shape (n_samples, n_features)
    gamma_ : float
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.decomposition import KernelPCA
    >>> Z = KernelPCA(n_components=1, kernel="rbf", gamma=1.0).fit_transform([[0.0], [1.0], [3.0]])
    >>> [round(float(z), 4) for z in Z[:, 0]]
    [-0.4465, -0.4138, 0.8602]
    """

    _parameter_constraints = {
        "n_components": [Interval(Integral, 1, None, closed="left"), None],
        "kernel": [Options(KERNELS), "callable"],
        "gamma": [Interval(Real, 0, None, closed="left"), None],
        "degree": [Interval(Real, 0, None, closed="left")],
        "coef0": [Real],
        "kernel_params": [dict, None],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "fit_inverse_transform": ["boolean"],
        "eigen_solver": [Options({"auto", "dense", "arpack", "randomized"})],
        "tol": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left"), None],
        "iterated_power": [Interval(Integral, 0, None, closed="left"), Options({"auto"})],
        "remove_zero_eig": ["boolean"],
        "random_state": ["random_state"],
        "copy_X": ["boolean"],
        "n_jobs": [None, Integral],
        **BACKEND_CONSTRAINTS,
    }
    _squares_X = True  # kernels of X: values beyond ~1e150 are refused at input

    def __init__(self, n_components: int | None = None, *, kernel: Any = "linear", gamma: float | None = None,
                 degree: float = 3, coef0: float = 1, kernel_params: dict | None = None, alpha: float = 1.0,
                 fit_inverse_transform: bool = False, eigen_solver: str = "auto", tol: float = 0,
                 max_iter: int | None = None, iterated_power: int | str = "auto", remove_zero_eig: bool = False,
                 random_state: Any = None, copy_X: bool = True, n_jobs: int | None = None, backend: Any = None,
                 dtype: str | None = None):
        self.n_components = n_components
        self.kernel = kernel
        self.gamma = gamma
        self.degree = degree
        self.coef0 = coef0
        self.kernel_params = kernel_params
        self.alpha = alpha
        self.fit_inverse_transform = fit_inverse_transform
        self.eigen_solver = eigen_solver
        self.tol = tol
        self.max_iter = max_iter
        self.iterated_power = iterated_power
        self.remove_zero_eig = remove_zero_eig
        self.random_state = random_state
        self.copy_X = copy_X
        self.n_jobs = n_jobs
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any = None) -> KernelPCA:
        """Find the principal axes of X in the kernel's feature space.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or (n_samples, n_samples) if kernel="precomputed"
        y : ignored

        Returns
        -------
        self
        """
        if self.fit_inverse_transform and self.kernel == "precomputed":
            raise ValueError("Cannot fit_inverse_transform with a precomputed kernel.")
        X = self._validate_data(X)
        xp = self._xp
        n = X.shape[0]
        if self.kernel == "precomputed" and X.shape[1] != n:
            raise ValueError(f"kernel='precomputed' needs X of shape (n_samples, n_samples), the kernel between the "
                             f"training samples; got {tuple(X.shape)}.")
        self.gamma_ = 1.0 / X.shape[1] if self.gamma is None else self.gamma
        K = self._kernel(X)  # (n, n)
        self._column_means = xp.mean(K, axis=0)  # (n,): the training means of each kernel column
        self._grand_mean = xp.mean(self._column_means)
        Kc = K - self._column_means - xp.mean(K, axis=1)[:, None] + self._grand_mean  # (n, n), centred
        k = n if self.n_components is None else min(n, self.n_components)
        values, vectors = self._eigenpairs(Kc, k)  # (k,) decreasing, (n, k)
        values = _checked_spectrum(xp, values)
        _, flipped = svd_flip(None, vectors.T, xp=xp)  # the largest entry of each eigenvector positive
        vectors = flipped.T
        if self.remove_zero_eig or self.n_components is None:
            kept = int(xp.count_nonzero(values > 0))  # the positive ones come first
            values, vectors = values[:kept], vectors[:, :kept]
        self.eigenvalues_, self.eigenvectors_ = values, vectors
        if self.fit_inverse_transform:
            self._fit_inverse_transform(self._embedding(), X)
        self.X_fit_ = X
        return self

    def fit_transform(self, X: Any, y: Any = None, **params: Any) -> Any:
        """Fit, then return the training samples' coordinates √λᵢ vᵢ, of shape (n_samples, n_components)."""
        return self._output(self.fit(X, **params)._embedding(), X)

    def transform(self, X: Any) -> Any:
        """Coordinates of X on the principal axes: its centred kernel against the training samples, (n_new, k)."""
        X_in, X = X, self._validate_data(X, reset=False)
        xp = self._xp
        K = self._kernel(X, self.X_fit_)  # (m, n)
        Kc = K - self._column_means - xp.mean(K, axis=1)[:, None] + self._grand_mean  # (m, n)
        values, nonzero = self.eigenvalues_, self.eigenvalues_ != 0
        scaled = xp.where(nonzero, self.eigenvectors_ / xp.sqrt(xp.where(nonzero, values, 1.0)), 0.0)  # (n, k)
        return self._output(Kc @ scaled, X_in)

    def inverse_transform(self, X: Any) -> Any:
        """The pre-images of the coordinates X, (n_new, n_features), by the learnt kernel ridge map."""
        if not self.fit_inverse_transform:
            raise not_fitted_error("The fit_inverse_transform parameter was not set to True when instantiating and "
                                   "hence the inverse transform is not available.")
        check_is_fitted(self)
        X_in, Z = X, check_array(X, self._backend, dtype=self._dtype)
        if Z.shape[1] != self.X_transformed_fit_.shape[1]:
            k = self.X_transformed_fit_.shape[1]
            raise ValueError(f"X has {Z.shape[1]} columns, but KernelPCA was fitted with {k} components; "
                             f"inverse_transform takes transformed data.")
        return self._output(self._kernel(Z, self.X_transformed_fit_) @ self.dual_coef_, X_in)

    def get_feature_names_out(self, input_features: Any = None):
        """The output column names: "kernelpca0", "kernelpca1", ..., one per component."""
        check_is_fitted(self)
        return prefixed_feature_names(self, self.eigenvalues_.shape[0], input_features)

    # ---- the pieces ---------------------------------------------------------------------------

    def _embedding(self):
        """The training samples' coordinates √λᵢ vᵢ, (n, k)."""
        return self.eigenvectors_ * self._xp.sqrt(self.eigenvalues_)

    def _kernel(self, X, Y=None):
        """The kernel between the rows of X (m, ·) and of Y (n, ·) (Y = X if None), (m, n), on the backend."""
        xp = self._xp
        if callable(self.kernel):  # called on the host, on two 1-D numpy arrays at a time, as scikit-learn calls it
            params = self.kernel_params or {}
            rows, columns = to_numpy(X), to_numpy(X if Y is None else Y)
            K = [[float(self.kernel(x, y, **params)) for y in columns] for x in rows]
            return xp.asarray(K, dtype=X.dtype, device=X.device)
        kernel = Kernel(self.kernel, gamma=float(self.gamma_), degree=self.degree, coef0=float(self.coef0))
        return kernel_matrix(kernel, xp, self._backend, X, Y)

    def _eigenpairs(self, Kc, k: int):
        """The k eigenpairs of largest eigenvalue of the centred kernel: (values (k,), decreasing; vectors (n, k))."""
        xp = self._xp
        n = Kc.shape[0]
        if self.eigen_solver == "randomized":
            n_iter = self.iterated_power
            if n_iter == "auto":
                n_iter = 7 if k < 0.1 * n else 4
            U, S, Vt = randomized_svd(Kc, k, n_oversamples=10, n_iter=n_iter, xp=xp, power_iteration_normalizer="auto",
                                      rng=check_random_state(self.random_state))  # (n, k), (k,), (k, n)
            # K̃ is symmetric: a negative eigenvalue -s has opposite left and right singular vectors
            values = S * xp.sign(xp.sum(U * Vt.T, axis=0))  # (k,)
            order = xp.argsort(-values, stable=True)  # the sign may have reordered them
            return xp.take(values, order), xp.take(U, order, axis=1)
        values, vectors = xp.linalg.eigh(Kc)  # (n,) increasing, (n, n); "dense", and "arpack" computed exactly
        return xp.flip(values[n - k:]), xp.flip(vectors[:, n - k:], axis=1)

    def _fit_inverse_transform(self, Z, X) -> None:
        """The pre-image map: kernel ridge from the embedding Z (n, k) to X (n, p), (K(Z) + αI) C = X."""
        xp = self._xp
        alphas = xp.asarray([float(self.alpha)], dtype=Z.dtype, device=Z.device)  # (1,)
        self.dual_coef_ = _solve_regularized(xp, self._kernel(Z), X, alphas)  # (n, p)
        self.X_transformed_fit_ = Z


def _checked_spectrum(xp, values):
    """The eigenvalues of a positive semi-definite matrix, checked as scikit-learn checks them: a significantly
    negative one (below -1e-5 times the largest and below -1e-10; float32: -5e-3 and -1e-6) is an error; the other
    negatives, and the positives below 1e-12 (float32: 2e-7) times the largest, become 0."""
    double = values.dtype == xp.float64
    neg_ratio, neg_value, small_ratio = (1e-5, 1e-10, 1e-12) if double else (5e-3, 1e-6, 2e-7)
    largest, smallest = xp.max(values), xp.min(values)
    if bool(largest < 0):  # reads of the host, each the branch of an error
        raise ValueError(f"All eigenvalues are negative (maximum is {float(largest):g}). Either the matrix is not "
                         f"PSD, or there was an issue while computing the eigendecomposition of the matrix.")
    if bool((smallest < -neg_ratio * largest) & (smallest < -neg_value)):
        raise ValueError(f"There are significant negative eigenvalues ({float(-smallest / largest):g} of the maximum "
                         f"positive). Either the matrix is not PSD, or there was an issue while computing the "
                         f"eigendecomposition of the matrix.")
    return xp.where(values < small_ratio * largest, xp.zeros_like(values), values)
