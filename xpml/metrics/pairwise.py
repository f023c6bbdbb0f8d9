"""Kernels and distances between the rows of two arrays, a block of rows at a time.

A kernel k(x, y) is an inner product in some feature space, computed without that space. Each one
here is a function of one matrix product P = L Rᵀ of two "factors" built once from X and Y:

| kernel      | factors L, R                        | k = f(P)                    |
| ----------- | ----------------------------------- | --------------------------- |
| linear      | X, Y                                | P                           |
| polynomial  | X, Y                                | (γ P + c₀)^d                |
| sigmoid     | X, Y                                | tanh(γ P + c₀)              |
| rbf         | -γ [-2x, ‖x‖², 1], [y, 1, ‖y‖²]     | exp(min(P, 0))              |
| cosine      | x/‖x‖, y/‖y‖                        | P                           |

since ‖x - y‖² = ‖x‖² - 2 x·y + ‖y‖² is the product of the rbf factors (the squared-Euclidean
factors the silhouette uses too). So a block of rows of the kernel, K[rows] = f(L[rows] Rᵀ), costs
one matrix product and one elementwise pass, and a product with the kernel, K M, never holds K
whole: `kernel_dot` sums it a block of rows at a time (kernel ridge and SVM predictions, the SVM
solver's gradient). The functions match scikit-learn's of the same names (γ = 1 / n_features by
default) and compute on the backend of X. The distances under other metrics (`_distances`), their nearest rows
(`_nearest`) and the kernels summed over the features (`_feature_sums`: laplacian, chi²) live in modules of
their own, and are public here.

Reference: B. Schölkopf & A. J. Smola, "Learning with Kernels", MIT Press, 2002, chapter 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._backend import device_of
from ..utils._chunks import RowBlocks, chunk_rows, row_slices
from ._common import metric_backend, to_float
from ._feature_sums import additive_chi2_kernel, chi2_kernel, laplacian_kernel

__all__ = ["additive_chi2_kernel", "chi2_kernel", "cosine_distances", "cosine_similarity", "euclidean_distances",
           "laplacian_kernel", "linear_kernel", "manhattan_distances", "nan_euclidean_distances",
           "paired_cosine_distances", "paired_distances", "paired_euclidean_distances", "paired_manhattan_distances",
           "pairwise_distances", "pairwise_distances_argmin", "pairwise_distances_argmin_min", "pairwise_kernels",
           "polynomial_kernel", "rbf_kernel", "sigmoid_kernel"]

KERNEL_PARAMS = {
    "linear": (), "cosine": (), "precomputed": (),
    "poly": ("gamma", "degree", "coef0"), "polynomial": ("gamma", "degree", "coef0"),
    "rbf": ("gamma",), "sigmoid": ("gamma", "coef0"),
}
# The kernels summed over the features one at a time (`_feature_sums`): pairwise_kernels computes them too.
SUM_KERNELS = {"laplacian": laplacian_kernel, "chi2": chi2_kernel, "additive_chi2": additive_chi2_kernel}
SUM_KERNEL_PARAMS = {"laplacian": ("gamma",), "chi2": ("gamma",), "additive_chi2": ()}


def distance_factors(xp, X, metric: str = "sqeuclidean"):
    """Factors (L, R) of X (n, p) such that a block of squared distances (or cosine distances) between
    rows is L[rows] @ R.T, before a clip: one matrix product, no further pass over the block.

    Squared Euclidean: [-2x, ‖x‖², 1] · [y, 1, ‖y‖²] = ‖x‖² + ‖y‖² - 2 x·y, shapes (n, p + 2).
    Cosine: [-u, 1] · [v, 1] = 1 - u·v, with u, v the rows scaled to unit length, shapes (n, p + 1).
    """
    ones = xp.ones((X.shape[0], 1), dtype=X.dtype, device=device_of(X))
    if metric == "cosine":
        U = _unit_rows(xp, X)  # (n, p)
        return xp.concat([-U, ones], axis=1), xp.concat([U, ones], axis=1)
    sq = xp.sum(X * X, axis=1)[:, None]  # (n, 1)
    return xp.concat([-2 * X, sq, ones], axis=1), xp.concat([X, ones, sq], axis=1)


def _unit_rows(xp, X):
    """The rows of X scaled to unit length; zero rows stay zero. (n, p)"""
    norms = xp.sqrt(xp.sum(X * X, axis=1, keepdims=True))  # (n, 1)
    return X / xp.where(norms == 0, xp.ones_like(norms), norms)


@dataclass(frozen=True)
class Kernel:
    """A kernel with its parameters: factors of the data, and the map f from their product to k.

    name : "linear", "poly", "rbf", "sigmoid", "cosine" or "precomputed"
    gamma, degree, coef0 : as in scikit-learn (gamma already resolved to a number)
    """

    name: str
    gamma: float = 1.0
    degree: float = 3
    coef0: float = 1.0

    def left(self, xp, X):
        """The factor of the rows' side, (n, p'): the data itself, or the rbf or cosine factor."""
        if self.name == "rbf":  # scaled by -γ: the product is -γ‖x - y‖², and exp of it the kernel
            return -self.gamma * distance_factors(xp, X)[0]
        return _unit_rows(xp, X) if self.name == "cosine" else X

    def right(self, xp, Y):
        """The factor of the columns' side, (m, p'); None for a precomputed kernel (the rows are K)."""
        if self.name == "precomputed":
            return None
        if self.name == "rbf":
            return distance_factors(xp, Y)[1]
        return _unit_rows(xp, Y) if self.name == "cosine" else Y

    def block(self, xp, left_rows, right):
        """The kernel's rows (b, m) from the left factor's rows (b, p') and the right factor (m, p')."""
        if right is None:
            return left_rows
        P = left_rows @ right.T  # (b, m)
        if self.name in ("poly", "polynomial"):
            return (self.gamma * P + self.coef0) ** self.degree
        if self.name == "sigmoid":
            return xp.tanh(self.gamma * P + self.coef0)
        if self.name == "rbf":
            return xp.exp(xp.minimum(P, 0.0))  # P = -γ‖x - y‖², clipped where rounding made it > 0
        return P

    def diagonal(self, xp, X):
        """k(xᵢ, xᵢ) for each row (n,), without the matrix (the SVM solver's second-order terms)."""
        if self.name == "precomputed":
            return xp.linalg.diagonal(X)
        if self.name == "rbf":
            return xp.ones(X.shape[0], dtype=X.dtype, device=X.device)
        if self.name == "cosine":
            return xp.where(xp.any(X != 0, axis=1), 1.0, 0.0)
        sq = xp.sum(X * X, axis=1)  # (n,): xᵢ·xᵢ
        if self.name in ("poly", "polynomial"):
            return (self.gamma * sq + self.coef0) ** self.degree
        return xp.tanh(self.gamma * sq + self.coef0) if self.name == "sigmoid" else sq


def kernel_matrix(kernel: Kernel, xp, backend, X, Y=None):
    """The kernel between the rows of X (n, p) and of Y (m, p) (Y = X if None), (n, m), a block at a time."""
    left, right = kernel.left(xp, X), kernel.right(xp, X if Y is None else Y)
    m = X.shape[1] if right is None else right.shape[0]
    rows = chunk_rows(backend, 2 * m)
    if X.shape[0] <= rows:
        return kernel.block(xp, left, right)
    out = RowBlocks(xp, X.shape[0])
    for block in row_slices(X.shape[0], rows):
        out.put(block, kernel.block(xp, left[block, ...], right))
    return out.result()


def kernel_dot(kernel: Kernel, xp, backend, left, right, M):
    """K M with K = f(left rightᵀ) (n, m) and M (m, t), (n, t), a block of K's rows at a time.

    `left` and `right` are the kernel's factors (`Kernel.left`, `Kernel.right`); only one (rows, m)
    block of K is held at once, so the memory is that of the product, not of K.
    """
    m = left.shape[1] if right is None else right.shape[0]
    rows = chunk_rows(backend, m)
    if left.shape[0] <= rows:
        return kernel.block(xp, left, right) @ M
    out = RowBlocks(xp, left.shape[0])
    for block in row_slices(left.shape[0], rows):
        out.put(block, kernel.block(xp, left[block, ...], right) @ M)  # (b, t)
    return out.result()


# ---- the public functions (scikit-learn's signatures) ---------------------------------------------


def _check_pair(X, Y, ensure_finite: bool | str = True):
    """(backend, X, Y or None) as floating arrays of X's backend with the same number of features."""
    backend = metric_backend(X, Y)
    X = to_float(X, backend, "X", keep_float=True, ensure_finite=ensure_finite)
    if X.ndim != 2:
        raise ValueError(f"X should be a 2-D array of shape (n_samples, n_features); got shape {tuple(X.shape)}.")
    if Y is None:
        return backend, X, None
    Y = to_float(Y, backend, "Y", keep_float=True, ensure_finite=ensure_finite)
    if Y.ndim != 2 or Y.shape[1] != X.shape[1]:
        raise ValueError(f"Incompatible dimension for X and Y matrices: X.shape[1] == {X.shape[1]} while "
                         f"Y.shape == {tuple(Y.shape)}; Y should be (n_samples_Y, {X.shape[1]}).")
    if Y.dtype != X.dtype:
        Y = backend.xp.astype(Y, X.dtype)
    return backend, X, Y


def _kernel(name: str, X, Y, **params):
    backend, X, Y = _check_pair(X, Y)
    gamma = params.get("gamma")
    if gamma is None:
        gamma = 1.0 / X.shape[1]
    kernel = Kernel(name, gamma=float(gamma), degree=params.get("degree", 3), coef0=float(params.get("coef0", 1)))
    return kernel_matrix(kernel, backend.xp, backend, X, Y)


def linear_kernel(X, Y=None, dense_output=True):
    """The linear kernel X Yᵀ, of shape (n_samples_X, n_samples_Y).

    `dense_output` is accepted for scikit-learn compatibility: the result is always dense.
    """
    return _kernel("linear", X, Y)


def polynomial_kernel(X: Any, Y: Any = None, degree: float = 3, gamma: float | None = None, coef0: float = 1):
    """The polynomial kernel (γ x·y + c₀)^degree (γ = 1 / n_features by default), (n_samples_X, n_samples_Y)."""
    return _kernel("poly", X, Y, degree=degree, gamma=gamma, coef0=coef0)


def rbf_kernel(X: Any, Y: Any = None, gamma: float | None = None):
    """The Gaussian (RBF) kernel exp(-γ ‖x - y‖²) (γ = 1 / n_features by default), (n_samples_X, n_samples_Y)."""
    return _kernel("rbf", X, Y, gamma=gamma)


def sigmoid_kernel(X: Any, Y: Any = None, gamma: float | None = None, coef0: float = 1):
    """The sigmoid kernel tanh(γ x·y + c₀) (γ = 1 / n_features by default), (n_samples_X, n_samples_Y)."""
    return _kernel("sigmoid", X, Y, gamma=gamma, coef0=coef0)


def cosine_similarity(X: Any, Y: Any = None, dense_output: bool = True):
    """The cosine of the angle between rows, x·y / (‖x‖ ‖y‖) (0 for a zero row), (n_samples_X, n_samples_Y)."""
    return _kernel("cosine", X, Y)


def euclidean_distances(X: Any, Y: Any = None, *, Y_norm_squared: Any = None, squared: bool = False,
                        X_norm_squared: Any = None):
    """Euclidean distances between the rows of X and of Y (Y = X if None), (n_samples_X, n_samples_Y).

    Computed as √(‖x‖² - 2 x·y + ‖y‖²), clipped at 0, a block of rows at a time; with `squared`, the
    squares. `X_norm_squared` and `Y_norm_squared` (the squared row norms, if known) are used as given.
    """
    backend, X, Y = _check_pair(X, Y)
    xp = backend.xp
    Y_ = X if Y is None else Y
    left, right = distance_factors(xp, X)[0], distance_factors(xp, Y_)[1]  # (n, p + 2), (m, p + 2)
    p = X.shape[1]
    for name, given, factor, column in (("X_norm_squared", X_norm_squared, "left", p),
                                        ("Y_norm_squared", Y_norm_squared, "right", p + 1)):
        if given is None:
            continue
        norms = xp.reshape(to_float(given, backend, name, keep_float=True), (-1, 1))
        rows = X if factor == "left" else Y_
        if norms.shape[0] != rows.shape[0]:
            raise ValueError(f"{name} has {norms.shape[0]} values; expected one per row of "
                             f"{'X' if factor == 'left' else 'Y'} ({rows.shape[0]}).")
        norms = xp.astype(norms, X.dtype)
        if factor == "left":
            left = xp.concat([left[:, :p], norms, left[:, p + 1:]], axis=1)
        else:
            right = xp.concat([right[:, :column], norms], axis=1)
    D = xp.clip(left @ right.T, 0.0, None)  # (n, m)
    if Y is None:  # a point's distance to itself is 0, not the rounding of ‖x‖² - 2 x·x + ‖x‖²
        index = xp.arange(X.shape[0], device=X.device)
        D = xp.where(index[:, None] == index[None, :], 0.0, D)
    return D if squared else xp.sqrt(D)


def pairwise_kernels(X: Any, Y: Any = None, metric: Any = "linear", *, filter_params: bool = False,
                     n_jobs: Any = None, **kwds: Any):
    """The kernel between the rows of X and of Y, named by `metric`.

    Parameters
    ----------
    X : array-like of shape (n_samples_X, n_features), or (n_samples_X, n_samples_Y) if metric="precomputed"
    Y : array-like of shape (n_samples_Y, n_features), optional
        Y = X if None.
    metric : str or callable, default="linear"
        "linear", "poly", "polynomial", "rbf", "sigmoid", "cosine", "laplacian", "chi2", "additive_chi2",
        "precomputed", or a callable kernel(x, y, **kwds) called on each pair of rows (1-D numpy arrays, on the
        host), as by `pairwise_distances`.
    filter_params : bool, default=False
        Drop the keyword arguments the kernel does not take (else they raise TypeError).
    n_jobs : int, optional
        Accepted for scikit-learn compatibility: the blocks are array operations.
    **kwds
        The kernel's parameters: gamma, degree, coef0.

    Returns
    -------
    K : array of shape (n_samples_X, n_samples_Y), on the backend of X
    """
    if callable(metric):
        return pairwise_distances(X, Y, metric, **kwds)
    known = {**KERNEL_PARAMS, **SUM_KERNEL_PARAMS}
    if not isinstance(metric, str) or metric not in known:
        raise ValueError(f"metric={metric!r} is not a kernel xpml computes; expected one of {sorted(known)} or a "
                         f"callable.")
    allowed = known[metric]
    unknown = sorted(set(kwds) - set(allowed))
    if unknown and not filter_params:
        raise TypeError(f"metric={metric!r} takes the parameters {list(allowed)}; got {unknown}.")
    kwds = {key: value for key, value in kwds.items() if key in allowed}
    if metric == "precomputed":
        return _check_pair(X, None)[1]
    if metric in SUM_KERNELS:
        return SUM_KERNELS[metric](X, Y, **kwds)
    if metric in ("poly", "polynomial"):
        metric = "poly"
    return _kernel(metric, X, Y, **kwds)


# The distances, in modules of their own that build on the kernels above: imported last, as they import from here.
from ._distances import (cosine_distances, manhattan_distances, nan_euclidean_distances,  # noqa: E402
                         paired_cosine_distances, paired_distances, paired_euclidean_distances,
                         paired_manhattan_distances, pairwise_distances)
from ._nearest import pairwise_distances_argmin, pairwise_distances_argmin_min  # noqa: E402
