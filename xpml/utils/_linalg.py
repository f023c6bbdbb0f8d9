"""Linear algebra shared by the algorithms, on the array API."""

from __future__ import annotations

import math
from typing import Any

from .._backend import backend_of, capability, device_of, namespace_of

__all__ = ["lstsq", "max_eigenvalue_of_gram", "max_eigenvalue_of_weighted_gram", "q_factor", "r_factor"]


def q_factor(M: Any, *, xp=None, native: bool = True) -> Any:
    """Q of the reduced QR factorization of M (n, m), of shape (n, min(n, m)): an orthonormal basis of M's columns.

    The namespace's `qr` where the backend has nothing faster (the capability "qr_q": numpy's own qr
    works unblocked and in double precision, 4 times slower on 100,000 × 42 float32 than LAPACK's
    blocked one through scipy).
    """
    xp = namespace_of(M) if xp is None else xp
    qr_q = capability(backend_of(M), "qr_q") if native else None
    return qr_q(M) if qr_q is not None else xp.linalg.qr(M)[0]


def r_factor(M: Any, *, xp=None, native: bool = True) -> Any:
    """R of the reduced QR factorization of M (n, m), of shape (min(n, m), m).

    The array API's `qr` always forms Q as well, which costs as much again as R (LAPACK's orgqr after
    geqrf: numpy took 1.37 s for the Q and R of 200,000 × 100 float64, 0.59 s for R alone). Backends
    that can skip it have the capability "qr_r"; elsewhere, or with `native=False`, Q is formed
    and dropped.
    """
    xp = namespace_of(M) if xp is None else xp
    qr_r = capability(backend_of(M), "qr_r") if native else None
    return qr_r(M) if qr_r is not None else xp.linalg.qr(M)[1]


def lstsq(A, B, *, xp=None):
    """Minimum-norm least squares: the X of smallest norm that minimizes ||A X - B||.

    A = Q R (reduced QR), then R = U S Vᵀ (a small SVD), so X = V S⁺ Uᵀ Qᵀ B. Singular values below
    eps · max(p, √n) · s_max count as zero; collinear columns therefore share their weight instead of
    blowing up. The cutoff is what Householder QR's rounding can make of a zero singular value (its
    error grows like √n in practice, not like n); numpy's eps · max(n, p) would, in float32 on
    500,000 rows, drop a real direction whose s / s_max is 1e-4 and return coefficients far from the
    least-squares answer. Exactly collinear columns land near eps · s_max, far below the cutoff.

    Q itself is never needed: the R factor of [A | B] holds R in its first p columns and Qᵀ B in the
    others (the reflections that triangularize A's columns are applied to B's as they go, as LAPACK's
    own least-squares solver does), so one QR of [A | B] without Q does it all.

    Parameters
    ----------
    A : array of shape (n, p)
    B : array of shape (n, t)

    Returns
    -------
    X : array of shape (p, t)
    rank : int
    s : array of shape (min(n, p),), the singular values of A
    """
    xp = namespace_of(A, B) if xp is None else xp
    n, p = A.shape
    m = min(n, p)
    R_AB = r_factor(xp.concat([A, B], axis=1))  # (min(n, p + t), p + t): [R  QᵀB] in its first m rows
    R, QtB = R_AB[:m, :p], R_AB[:m, p:]  # (m, p), (m, t)
    U, s, Vt = xp.linalg.svd(R, full_matrices=False)  # (m, m), (m,), (m, p)
    cutoff = xp.finfo(A.dtype).eps * max(p, math.sqrt(n)) * s[0]  # see the docstring
    keep = s > cutoff  # (m,)
    s_inv = xp.where(keep, 1 / xp.where(keep, s, xp.ones_like(s)), xp.zeros_like(s))  # (m,)
    X = Vt.T @ (s_inv[:, None] * (U.T @ QtB))  # (p, t)
    return X, int(xp.count_nonzero(keep)), s


def max_eigenvalue_of_gram(X, *, xp=None) -> float:
    """The largest eigenvalue of XᵀX, σ_max(X)², as a host float (a Lipschitz constant, a step size).

    It is computed from the smaller of the two Gram matrices, XᵀX (p, p) or XXᵀ (n, n), which share
    their nonzero eigenvalues.

    Parameters
    ----------
    X : array of shape (n, p)
    """
    xp = namespace_of(X) if xp is None else xp
    n, p = X.shape
    G = X.T @ X if n >= p else X @ X.T  # (min(n, p), min(n, p))
    return float(xp.linalg.eigvalsh(G)[-1])


def max_eigenvalue_of_weighted_gram(X, weights, *, intercept: float | None, n_iter: int = 100, xp=None) -> float:
    """An upper estimate of the largest eigenvalue of X̃ᵀ diag(w) X̃, X̃ = [X, a 1] with `intercept` a, from
    products with X alone (X may be sparse): power iteration, then 2% above the Rayleigh quotient it reaches.

    Power iteration approaches λ_max from below, at a rate set by the gap to the next eigenvalue; the
    margin keeps a step of 1/λ stable when it has not quite got there.
    """
    xp = namespace_of(weights) if xp is None else xp
    p = X.shape[1]
    v = xp.ones(p + (intercept is not None), dtype=weights.dtype, device=device_of(weights))  # (p [+ 1],)
    for _ in range(n_iter):
        v = v / xp.linalg.vector_norm(v)
        z = X @ v[:p] + (intercept * v[p] if intercept is not None else 0.0)  # (n,) X̃ v
        wz = weights * z
        u = X.T @ wz  # (p,)
        u = xp.concat([u, intercept * xp.sum(wz)[None]]) if intercept is not None else u  # (p [+ 1],) X̃ᵀ W X̃ v
        value, v = xp.sum(u * v), u  # the Rayleigh quotient of the unit vector v
    return 1.02 * float(value)
