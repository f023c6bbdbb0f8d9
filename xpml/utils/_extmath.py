"""Matrix decompositions shared by PCA and TruncatedSVD: a sign convention and a randomized SVD.

- `svd_flip` fixes the sign of each singular pair (uᵢ, vᵢ), which an SVD leaves free: the entry
  of largest magnitude in each vᵢ is made positive. scikit-learn's PCA and TruncatedSVD use the
  same rule, so components agree with theirs, and across backends, exactly rather than up to sign.
- `randomized_range_finder` and `randomized_svd` follow Halko, Martinsson & Tropp, "Finding
  structure with randomness" (SIAM Review, 2011), algorithms 4.3/4.4 and 5.1: multiply A by a
  Gaussian matrix Ω, sharpen the result with q power iterations (AᵀA)^q, re-orthonormalized by
  QR after every product so that small singular directions are not lost to rounding, then take
  the exact SVD of the small matrix QᵀA.

The Gaussian matrix is drawn on the host with numpy (`xpml.utils._random.draw`), so a seed gives
the same decomposition on every backend.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._backend import backend_of, dtype_name, namespace_of
from ._random import draw

__all__ = ["randomized_range_finder", "randomized_svd", "svd_flip"]


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


def randomized_range_finder(A: Any, size: int, n_iter: int, rng: np.random.Generator, *, xp=None) -> Any:
    """An orthonormal basis Q of shape (n, size) whose span nearly contains A's top `size` left singular vectors.

    Parameters
    ----------
    A : array of shape (n, p)
    size : int
        Columns of Q (the wanted rank plus some oversampling).
    n_iter : int
        Power iterations: each multiplies by A Aᵀ, raising the singular values' ratios to a higher power.
    rng : numpy.random.Generator

    Returns
    -------
    Q : array of shape (n, size), with orthonormal columns
    """
    xp = namespace_of(A) if xp is None else xp
    omega = draw(rng, backend_of(A), "standard_normal", (A.shape[1], size), dtype=dtype_name(A))  # (p, size)
    Q, _ = xp.linalg.qr(A @ omega)  # (n, size)
    for _ in range(n_iter):
        P, _ = xp.linalg.qr(A.T @ Q)  # (p, size)
        Q, _ = xp.linalg.qr(A @ P)  # (n, size)
    return Q


def randomized_svd(A: Any, n_components: int, *, n_oversamples: int, n_iter: int, rng: np.random.Generator,
                   xp=None):
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
    Q = randomized_range_finder(M, size, n_iter, rng, xp=xp)  # (m, size)
    U_small, S, Vt = xp.linalg.svd(Q.T @ M, full_matrices=False)  # (size, size), (size,), (size, q)
    U = Q @ U_small  # (m, size)
    U, S, Vt = U[:, :n_components], S[:n_components], Vt[:n_components, :]
    if transpose:
        return Vt.T, S, U.T
    return U, S, Vt
