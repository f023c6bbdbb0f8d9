"""Linear algebra shared by the algorithms, on the array API."""

from __future__ import annotations

__all__ = ["lstsq", "max_eigenvalue_of_gram"]


def lstsq(xp, A, B):
    """Minimum-norm least squares: the X of smallest norm that minimizes ||A X - B||.

    A = Q R (reduced QR), then R = U S Vᵀ (a small SVD), so X = V S⁺ Uᵀ Qᵀ B. Singular values below
    eps · max(n, p) · s_max count as zero, as in numpy.linalg.lstsq; collinear columns therefore
    share their weight instead of blowing up.

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
    n, p = A.shape
    Q, R = xp.linalg.qr(A)  # (n, m), (m, p) with m = min(n, p)
    U, s, Vt = xp.linalg.svd(R, full_matrices=False)  # (m, m), (m,), (m, p)
    cutoff = xp.finfo(A.dtype).eps * max(n, p) * s[0]
    keep = s > cutoff  # (m,)
    s_inv = xp.where(keep, 1 / xp.where(keep, s, xp.ones_like(s)), xp.zeros_like(s))  # (m,)
    QtB = Q.T @ B  # (m, t)
    X = Vt.T @ (s_inv[:, None] * (U.T @ QtB))  # (p, t)
    return X, int(xp.count_nonzero(keep)), s


def max_eigenvalue_of_gram(xp, X) -> float:
    """The largest eigenvalue of XᵀX, σ_max(X)², as a host float (a Lipschitz constant, a step size).

    It is computed from the smaller of the two Gram matrices, XᵀX (p, p) or XXᵀ (n, n), which share
    their nonzero eigenvalues.

    Parameters
    ----------
    X : array of shape (n, p)
    """
    n, p = X.shape
    G = X.T @ X if n >= p else X @ X.T  # (min(n, p), min(n, p))
    return float(xp.linalg.eigvalsh(G)[-1])
