"""Matrix decompositions shared by PCA and TruncatedSVD: a sign convention and a randomized SVD.

- `svd_flip` fixes the sign of each singular pair (uᵢ, vᵢ), which an SVD leaves free: the entry
  of largest magnitude in each vᵢ is made positive. scikit-learn's PCA and TruncatedSVD use the
  same rule, so components agree with theirs, and across backends, exactly rather than up to sign.
- `randomized_range_finder` and `randomized_svd` follow Halko, Martinsson & Tropp, "Finding
  structure with randomness" (SIAM Review, 2011), algorithms 4.3/4.4 and 5.1: multiply A by a
  Gaussian matrix Ω, sharpen the result with q power iterations (AᵀA)^q, renormalized after every
  product (by QR, or by the cheaper permuted L of an LU factorization, `lu_permuted_l`) so that
  small singular directions are not lost to rounding, then take the exact SVD of the small matrix QᵀA.

The Gaussian matrix is drawn on the host with numpy (`xpml.utils._random.draw`), so a seed gives
the same decomposition on every backend.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._backend import backend_of, capability, dtype_name, namespace_of
from ._csr import stored_values
from ._linalg import q_factor
from ._random import draw

__all__ = ["lu_permuted_l", "randomized_range_finder", "randomized_svd", "svd_flip"]


def svd_flip(U: Any, Vt: Any, *, xp=None) -> tuple[Any, Any]:
    """Flip signs so that the largest-magnitude entry of each row of Vt is positive.

    Parameters
    ----------
    U : array of shape (n, k), or None
    Vt : array of shape (k, p)

    Returns
    -------
    U, Vt with the columns of U and the rows of Vt multiplied by the same signs.
    """
    xp = namespace_of(Vt) if xp is None else xp
    k, p = Vt.shape
    largest = xp.argmax(xp.abs(Vt), axis=1)  # (k,), the first one on ties
    flat = largest + xp.arange(k, dtype=largest.dtype, device=Vt.device) * p  # (k,)
    signs = xp.sign(xp.take(xp.reshape(Vt, (-1,)), flat))  # (k,)
    signs = xp.where(signs == 0, xp.ones_like(signs), signs)  # a zero row keeps its sign
    return (None if U is None else U * signs), Vt * signs[:, None]


def lu_permuted_l(A: Any, *, xp=None, native: bool = True) -> Any:
    """P L of the LU factorization with partial pivoting A = P L U, of shape (n, k) for A of shape (n, k), n >= k.

    Gaussian elimination column by column: the pivot is the not-yet-pivoted row of largest
    magnitude in the column, the multipliers of the other such rows form L's column (in A's own
    row order, hence P L), and those rows lose their multiple of the pivot row. Its columns span
    A's column space, like a QR's Q, for a cheaper but less stable normalization. Backends with a
    LAPACK-style LU have the capability "lu_permuted_l" (`native=False` asks for the loop above).
    """
    xp = namespace_of(A) if xp is None else xp
    lu = capability(backend_of(A), "lu_permuted_l") if native else None
    if lu is not None:
        return lu(A)
    n, k = A.shape
    M, L = A, xp.zeros_like(A)  # (n, k), (n, k)
    free = xp.ones(n, dtype=xp.bool, device=A.device)  # (n,): rows not yet pivoted
    columns = xp.arange(k, device=A.device)
    for j in range(k):
        column = M[:, j]  # (n,)
        pivot = xp.argmax(xp.where(free, xp.abs(column), -xp.ones_like(column)))
        is_pivot = xp.arange(n, device=A.device) == pivot  # (n,)
        pivot_row = xp.take(M, xp.reshape(pivot, (1,)), axis=0)  # (1, k)
        head = pivot_row[0, j]
        multipliers = xp.where(free, column / xp.where(head == 0, xp.ones_like(head), head), xp.zeros_like(column))
        multipliers = xp.where(is_pivot, xp.ones_like(column), multipliers)  # (n,)
        L = xp.where(columns == j, multipliers[:, None], L)
        eliminate = xp.logical_and(free, xp.logical_not(is_pivot))  # (n,)
        M = xp.where(eliminate[:, None], M - multipliers[:, None] * pivot_row, M)
        free = xp.logical_and(free, xp.logical_not(is_pivot))
    return L


def randomized_range_finder(A: Any, size: int, n_iter: int, rng: np.random.Generator, *,
                            power_iteration_normalizer: str = "QR", xp=None) -> Any:
    """An orthonormal basis Q of shape (n, size) whose span nearly contains A's top `size` left singular vectors.

    Parameters
    ----------
    A : array of shape (n, p)
    size : int
        Columns of Q (the wanted rank plus some oversampling).
    n_iter : int
        Power iterations: each multiplies by A Aᵀ, raising the singular values' ratios to a higher power.
    rng : numpy.random.Generator
    power_iteration_normalizer : {"QR", "LU", "none", "auto"}
        How each product of a power iteration is renormalized: a QR factorization (the most
        stable), the permuted L of an LU factorization (cheaper), or not at all (fine for one or
        two iterations). "auto": "none" for n_iter <= 2, else "LU", as scikit-learn.

    Returns
    -------
    Q : array of shape (n, size), with orthonormal columns
    """
    xp = namespace_of(A) if xp is None else xp
    if power_iteration_normalizer == "auto":
        power_iteration_normalizer = "none" if n_iter <= 2 else "LU"
    normalize = {"QR": lambda B: q_factor(B, xp=xp), "LU": lambda B: lu_permuted_l(B, xp=xp),
                 "none": lambda B: B}[power_iteration_normalizer]
    values = stored_values(A)  # A itself, or a sparse A's stored values: its backend and dtype
    Q = draw(rng, backend_of(values), "standard_normal", (A.shape[1], size), dtype=dtype_name(values))  # (p, size)
    for _ in range(n_iter):
        Q = normalize(A @ Q)  # (n, size)
        Q = normalize(A.T @ Q)  # (p, size)
    return q_factor(A @ Q, xp=xp)  # (n, size)


def randomized_svd(A: Any, n_components: int, *, n_oversamples: int, n_iter: int, rng: np.random.Generator,
                   power_iteration_normalizer: str = "QR", xp=None):
    """The leading `n_components` singular triplets of A, approximately, from a random projection.

    Parameters
    ----------
    A : array of shape (n, p)
    n_components : int
    n_oversamples : int
        Extra random directions: the basis has n_components + n_oversamples columns.
    n_iter : int
        Power iterations of the range finder.
    rng : numpy.random.Generator
    power_iteration_normalizer : {"QR", "LU", "none", "auto"}
        See `randomized_range_finder`.

    A may be sparse (a `CSR`): it is read through its products only.

    Returns
    -------
    U : array of shape (n, n_components)
    S : array of shape (n_components,), non-increasing
    Vt : array of shape (n_components, p)
        Signs are not fixed; see `svd_flip`.
    """
    xp = namespace_of(A) if xp is None else xp
    n, p = A.shape
    transpose = n < p  # work on the tall orientation: Ω then has min(n, p) rows
    M = A.T if transpose else A  # (m, q) with m >= q
    size = min(n_components + n_oversamples, min(n, p))
    Q = randomized_range_finder(M, size, n_iter, rng, power_iteration_normalizer=power_iteration_normalizer,
                                xp=xp)  # (m, size)
    # QᵀM = U_small S Vt, from the SVD of its transpose MᵀQ (q, size): LAPACK factors a tall matrix about twice as
    # fast as the same matrix wide (110 × 50,000: 0.5 s against 0.9 s)
    V, S, U_small_t = xp.linalg.svd(M.T @ Q, full_matrices=False)  # (q, size), (size,), (size, size)
    Vt = V.T  # (size, q)
    U = Q @ U_small_t.T  # (m, size)
    U, S, Vt = U[:, :n_components], S[:n_components], Vt[:n_components, :]
    if transpose:
        return Vt.T, S, U.T
    return U, S, Vt
