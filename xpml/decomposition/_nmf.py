"""Non-negative matrix factorization: X ≈ W H with W (n_samples, k) and H (k, n_features) both >= 0.

The parts of a non-negative whole (Lee & Seung, "Learning the parts of objects by non-negative matrix
factorization", Nature, 1999): the rows of H (`components_`) are non-negative patterns, and each sample
is a non-negative mix of them (its row of W, what `transform` returns). The objective is a β-divergence
(Frobenius by default) plus elementwise L1/L2 penalties on W and H, scaled by n_features for W and by
n_samples for H, as in scikit-learn:

    D_β(X | W H) + α_W ρ p Σ W + ½ α_W (1 - ρ) p ‖W‖² + α_H ρ n Σ H + ½ α_H (1 - ρ) n ‖H‖²    (ρ = l1_ratio)

It is minimized alternately in W and H, from a start of `_nmf_init` (NNDSVD from a truncated SVD, or
random), by coordinate descent or multiplicative updates (`_nmf_solvers`). `transform` solves for W with
H = components_ fixed. scipy.sparse input is kept sparse (a CSR): products with it, and W H only where X
stores its entries, or in blocks of rows.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from .._backend import dtype_name
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, check_is_fitted
from ..exceptions import ConvergenceWarning
from ..utils._csr import is_csr, stored_values
from ..utils._feature_names import prefixed_feature_names
from ..utils._param_validation import Interval, Options
from ..utils._warnings import warn
from ..utils.validation import check_array
from ._nmf_init import BETA_LOSSES, beta_divergence, initialize, mean_of
from ._nmf_solvers import coordinate_descent, multiplicative_update

__all__ = ["NMF"]

_MAX_ENTRIES = 10**9  # entries of W and H together: beyond this, memory runs out first


def check_non_negative(xp, A, whom: str) -> None:
    """ValueError naming `whom` where A (dense or a CSR) holds a negative value."""
    values = stored_values(A)
    if values.shape[0] and bool(xp.any(values < 0)):
        raise ValueError(f"Negative values in data passed to {whom}: NMF factorizes data >= 0; got a minimum of "
                         f"{float(xp.min(values))!r}.")


class NMF(TransformerMixin, BaseEstimator):
    """Non-negative matrix factorization, X ≈ W H with W, H >= 0.

    Parameters
    ----------
    n_components : int, "auto" or None, default="auto"
        The number of components k. None: n_features; "auto": H's number of rows with init="custom",
        else n_features.
    init : {"random", "nndsvd", "nndsvda", "nndsvdar", "custom"} or None, default=None
        The start (`xpml.decomposition._nmf_init`). None: "nndsvda" when n_components <= min(n_samples,
        n_features), else "random". "custom": W and H given to `fit_transform`.
    solver : {"cd", "mu"}, default="cd"
        Coordinate descent (Frobenius loss only) or multiplicative updates (any `beta_loss`).
    beta_loss : float or {"frobenius", "kullback-leibler", "itakura-saito"}, default="frobenius"
        The β of the β-divergence (2, 1, 0 for the names); other than 2 only with solver="mu". With β <= 0,
        X may not hold zeros.
    tol : float, default=1e-4
        Stop when the projected gradient ("cd") or the improvement of the divergence over 10 iterations
        ("mu") falls below tol times its initial value.
    max_iter : int, default=200
    random_state : int, numpy.random.Generator or None
        Seeds the start ("random", "nndsvdar", the randomized SVD of NNDSVD) and the order of `shuffle`.
    alpha_W : float, default=0.0
        The strength of the penalty on W (times n_features).
    alpha_H : float or "same", default="same"
        The strength of the penalty on H (times n_samples); "same": alpha_W.
    l1_ratio : float, default=0.0
        The L1 share of the penalties, in [0, 1].
    verbose : int, default=0
    shuffle : bool, default=False
        With solver="cd", visit the components in a random order in each sweep.
    backend, dtype
        Where and in which precision to compute (see `xpml.linear_model.LinearRegression`).

    Attributes
    ----------
    components_ : array of shape (n_components, n_features)
        H, the non-negative components.
    n_components_ : int
    reconstruction_err_ : float
        √(2 D_β(X | W H)) at the end of the fit: the Frobenius norm ‖X - W H‖ for β = 2.
    n_iter_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Defined only when X has feature names that are all strings.

    Examples
    --------
    >>> from xpml.decomposition import NMF
    >>> X = [[1.0, 1.0], [2.0, 1.0], [3.0, 1.2], [4.0, 1.0], [5.0, 0.8], [6.0, 1.0]]
    >>> nmf = NMF(n_components=2, init="nndsvd", max_iter=500).fit(X)
    >>> round(nmf.reconstruction_err_, 4) < 0.01
    True
    """

    _parameter_constraints = {
        "n_components": [Interval(Integral, 1, None, closed="left"), None, Options({"auto"})],
        "init": [Options({"random", "nndsvd", "nndsvda", "nndsvdar", "custom"}), None],
        "solver": [Options({"cd", "mu"})],
        "beta_loss": [Options(set(BETA_LOSSES)), Interval(Real, None, None)],
        "tol": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "alpha_W": [Interval(Real, 0, None, closed="left")],
        "alpha_H": [Interval(Real, 0, None, closed="left"), Options({"same"})],
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
        "verbose": [Interval(Integral, 0, None, closed="left"), "boolean"],
        "shuffle": ["boolean"],
        **BACKEND_CONSTRAINTS,
    }

    _accepts_sparse = True  # term counts and other sparse data: products with the CSR, W H only where X stores
    _squares_X = True  # the Frobenius loss and the Gram matrices square X (and W H)

    def __init__(self, n_components: int | str | None = "auto", *, init: str | None = None, solver: str = "cd",
                 beta_loss: str | float = "frobenius", tol: float = 1e-4, max_iter: int = 200,
                 random_state: Any = None, alpha_W: float = 0.0, alpha_H: float | str = "same",
                 l1_ratio: float = 0.0, verbose: int = 0, shuffle: bool = False, backend: Any = None,
                 dtype: str | None = None):
        self.n_components = n_components
        self.init = init
        self.solver = solver
        self.beta_loss = beta_loss
        self.tol = tol
        self.max_iter = max_iter
        self.random_state = random_state
        self.alpha_W = alpha_W
        self.alpha_H = alpha_H
        self.l1_ratio = l1_ratio
        self.verbose = verbose
        self.shuffle = shuffle
        self.backend = backend
        self.dtype = dtype

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    # ---- fit --------------------------------------------------------------------------------------

    def fit(self, X: Any, y: Any = None, **params: Any) -> NMF:
        """Learn the components of X (params: W and H of `fit_transform`, for init="custom"). Returns self."""
        self._fit_transform(X, **params)
        return self

    def fit_transform(self, X: Any, y: Any = None, W: Any = None, H: Any = None) -> Any:
        """Learn the components of X and return W, of shape (n_samples, n_components).

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features), >= 0
        y : ignored
        W : array-like of shape (n_samples, n_components), optional
            With init="custom", the start of W.
        H : array-like of shape (n_components, n_features), optional
            With init="custom", the start of H.
        """
        return self._output(self._fit_transform(X, W, H), X)

    def _fit_transform(self, X: Any, W: Any = None, H: Any = None) -> Any:
        X = self._validate_data(X)
        xp = self._xp
        check_non_negative(xp, X, "NMF (input X)")
        beta = self._beta(X)
        n, p = X.shape
        k = p if self.n_components in (None, "auto") else self.n_components
        if self.init == "custom":
            H = self._given(H, (None if self.n_components == "auto" else k, p), "NMF (input H)")
            k = H.shape[0]
            W = self._given(W, (n, k), "NMF (input W)")
        else:
            if W is not None or H is not None:
                warn("When init!='custom', provided W or H are ignored. Set init='custom' to use them as "
                     "initialization.", RuntimeWarning)
            init = self.init or ("nndsvda" if k <= min(n, p) else "random")
            if init != "random" and k > min(n, p):
                raise ValueError(f"init={init!r} can only be used when n_components <= min(n_samples, n_features); "
                                 f"got n_components={k}, min(n_samples, n_features)={min(n, p)}.")
            if k * (n + p) > _MAX_ENTRIES:  # refused before any allocation: a MemoryError names nothing
                raise ValueError(f"n_components={k} would need W and H of {k * (n + p):.3g} entries for X of shape "
                                 f"({n}, {p}); at most {_MAX_ENTRIES:.0e} are allowed. Use fewer components.")
            W, H = initialize(xp, X, k, init, self.random_state, self._backend)
        W, H, n_iter = self._solve(X, W, H, beta, update_H=True)
        self.reconstruction_err_ = float(beta_divergence(xp, X, W, H, beta, self._backend))
        self.n_components_ = int(H.shape[0])
        self.components_ = H
        self.n_iter_ = n_iter
        return W

    def _beta(self, X) -> float:
        """The β of `beta_loss`, checked against the solver and the data."""
        beta = float(BETA_LOSSES.get(self.beta_loss, self.beta_loss))
        if self.solver == "cd" and beta != 2:
            raise ValueError(f"Invalid beta_loss parameter: solver 'cd' does not handle beta_loss={self.beta_loss!r}; "
                             f"use solver='mu' for a beta_loss other than 'frobenius' (2).")
        if self.solver == "mu" and self.init == "nndsvd":
            warn("The multiplicative update ('mu') solver cannot update zeros present in the initialization, and so "
                 "leads to poorer results when used jointly with init='nndsvd'. You may try init='nndsvda' or "
                 "init='nndsvdar' instead.", UserWarning)
        if beta <= 0:
            xp, values = self._xp, stored_values(X)
            n, p = X.shape
            if (is_csr(X) and values.shape[0] < n * p) or bool(xp.any(values == 0)):
                raise ValueError(f"When beta_loss <= 0 (got beta_loss={self.beta_loss!r}) and X contains zeros, the "
                                 f"solver may diverge. Please add small values to X, or use a positive beta_loss.")
        return beta

    def _given(self, A: Any, shape: tuple, whom: str) -> Any:
        """A start given with init="custom", checked: its shape, >= 0, not all 0, X's dtype."""
        if A is None:
            raise ValueError(f"init='custom' needs both W and H; {whom} is None.")
        A = check_array(A, self._backend, name=whom)
        for axis, (want, got) in enumerate(zip(shape, A.shape)):
            if want is not None and got != want:
                raise ValueError(f"Array with wrong {('first', 'second')[axis]} dimension passed to {whom}. "
                                 f"Expected {want}, but got {got}.")
        check_non_negative(self._xp, A, whom)
        if not bool(self._xp.any(A > 0)):
            raise ValueError(f"Array passed to {whom} is full of zeros.")
        if dtype_name(A) != self._dtype:
            raise TypeError(f"{whom} should have the same dtype as X ({self._dtype}); got dtype {dtype_name(A)}.")
        return A

    def _solve(self, X, W, H, beta: float, *, update_H: bool):
        """Run the solver from W, H; warn when max_iter is reached. Returns W, H, n_iter."""
        n, p = X.shape
        alpha_H = self.alpha_W if self.alpha_H == "same" else self.alpha_H
        l1_W, l2_W = p * self.alpha_W * self.l1_ratio, p * self.alpha_W * (1.0 - self.l1_ratio)
        l1_H, l2_H = n * alpha_H * self.l1_ratio, n * alpha_H * (1.0 - self.l1_ratio)
        common = dict(tol=self.tol, max_iter=self.max_iter, l1_W=l1_W, l1_H=l1_H, l2_W=l2_W, l2_H=l2_H,
                      update_H=update_H, verbose=self.verbose)
        if self.solver == "cd":
            W, H, n_iter = coordinate_descent(self._xp, X, W, H, shuffle=self.shuffle, random_state=self.random_state,
                                              backend=self._backend, **common)
        else:
            W, H, n_iter = multiplicative_update(self._xp, X, W, H, beta=beta, backend=self._backend, **common)
        if n_iter == self.max_iter and self.tol > 0:
            warn(f"Maximum number of iterations {self.max_iter} reached. Increase it to improve convergence.",
                 ConvergenceWarning)
        return W, H, n_iter

    # ---- transform --------------------------------------------------------------------------------

    def transform(self, X: Any) -> Any:
        """W for X with H = components_ fixed, of shape (n_samples, n_components)."""
        X_in, X = X, self._validate_data(X, reset=False)
        xp = self._xp
        check_non_negative(xp, X, "NMF (input X)")
        beta = self._beta(X)
        n, k = X.shape[0], self.n_components_
        if self.solver == "mu":  # multiplicative updates cannot move a zero: start from the scale of X
            W = xp.ones((n, k), dtype=self.components_.dtype, device=self._device) * xp.sqrt(mean_of(xp, X) / k)
        else:
            W = xp.zeros((n, k), dtype=self.components_.dtype, device=self._device)
        W, _, _ = self._solve(X, W, self.components_, beta, update_H=False)
        return self._output(W, X_in)

    def inverse_transform(self, X: Any) -> Any:
        """Map W back to the data space: W @ components_, of shape (n_samples, n_features)."""
        check_is_fitted(self)
        X_in, W = X, check_array(X, self._backend, dtype=self._dtype)
        if W.shape[1] != self.n_components_:
            raise ValueError(f"X has {W.shape[1]} columns, but NMF was fitted with n_components_="
                             f"{self.n_components_}; inverse_transform takes transformed data.")
        return self._output(W @ self.components_, X_in)

    def get_feature_names_out(self, input_features: Any = None):
        """The output column names: "nmf0", "nmf1", ..., one per component."""
        check_is_fitted(self)
        return prefixed_feature_names(self, self.n_components_, input_features)
