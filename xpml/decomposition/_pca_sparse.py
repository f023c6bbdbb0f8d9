"""PCA of sparse data (a `CSR`), centred implicitly: X - 1μᵀ is never formed, which would fill in its zeros.

As in scikit-learn 1.9, sparse input takes the "arpack" solver ("auto" picks it) or "covariance_eigh".
Both reach the spectrum of the centred matrix A = X - 1μᵀ through a Gram matrix built from CSR
products with dense blocks of rows:

- AᵀA = XᵀX - n μμᵀ (p × p), whose eigenvectors are the principal axes and eigenvalues S²
  ("covariance_eigh"; "arpack" when p <= n);
- AAᵀ = H XXᵀ H with H = I - 11ᵀ/n (n × n), when n < p ("arpack"): its eigenvectors u give the axes
  v = Aᵀu / s = (Xᵀu - μ (1ᵀu)) / s, the product X v - 1 (μᵀv) read the other way.

Every eigenvalue comes out, so the total variance and the noise variance are exact. The Gram
matrix squares the condition number: variances far below the largest lose relative precision, as
with "covariance_eigh" on dense data. Where the mean is large beside the spread, XᵀX - nμμᵀ would
cancel: the centred blocks of rows are then summed instead (`_pca.centered_gram`'s guard).
"""

from __future__ import annotations

from typing import Any

from ..utils._chunks import chunk_rows, row_slices

__all__ = ["check_sparse_solver", "sparse_spectrum"]


def check_sparse_solver(svd_solver: str) -> None:
    if svd_solver not in ("auto", "arpack", "covariance_eigh"):
        raise TypeError(f'PCA only support sparse inputs with the "arpack" and "covariance_eigh" solvers, while '
                        f'"{svd_solver}" was passed. See TruncatedSVD for a possible alternative.')


def _blocks(X, backend, width: int):
    """Consecutive blocks of X's rows, each as a CSR and as a dense (b, p) array."""
    for rows in row_slices(X.shape[0], chunk_rows(backend, max(width, X.shape[1]), scale=16)):
        block = X.row_block(rows.start, rows.stop)
        yield rows, block, block.toarray()


def _covariance_gram(xp, X, mean, backend):
    """AᵀA = (X - 1μᵀ)ᵀ (X - 1μᵀ), (p, p)."""
    n, p = X.shape
    G = 0
    for _, block, dense in _blocks(X, backend, p):
        G = G + block.T @ dense  # (p, p)
    G = G - n * (mean[:, None] * mean[None, :])
    if bool(xp.all(n * mean * mean * xp.finfo(X.dtype).eps <= 1e-5 * xp.linalg.diagonal(G))):
        return G
    G = 0
    for _, _, dense in _blocks(X, backend, p):
        G = G + (dense - mean).T @ (dense - mean)
    return G


def _sample_gram(xp, X, mean, backend):
    """AAᵀ = H XXᵀ H (n, n), H the centring matrix."""
    n = X.shape[0]
    columns = [X @ dense.T for _, _, dense in _blocks(X, backend, n)]  # (n, b) each
    K = xp.concat(columns, axis=1)  # (n, n): XXᵀ
    r = xp.mean(K, axis=1)  # (n,)
    return K - r[:, None] - r[None, :] + xp.mean(r)


def sparse_spectrum(xp, X, mean, backend, *, covariance: bool) -> tuple[Any, Any, Any]:
    """The variances (m,) in decreasing order, singular values S (m,) and axes Vt (m, p) of A = X - 1μᵀ.

    `covariance` forces the p × p Gram matrix; otherwise the smaller of the two is used.
    """
    n, p = X.shape
    if covariance or p <= n:
        eigenvalues, eigenvectors = xp.linalg.eigh(_covariance_gram(xp, X, mean, backend))  # (p,), (p, p)
        Vt = xp.flip(eigenvectors, axis=1).T  # (p, p)
    else:
        eigenvalues, U = xp.linalg.eigh(_sample_gram(xp, X, mean, backend))  # (n,), (n, n)
        U = xp.flip(U, axis=1)
    squares = xp.clip(xp.flip(eigenvalues), min=0.0)  # S², decreasing
    S = xp.sqrt(squares)
    if not (covariance or p <= n):
        safe = xp.where(S > 0, S, xp.ones_like(S))
        At_U = X.T @ U - mean[:, None] * xp.sum(U, axis=0)[None, :]  # (p, n): Aᵀ U
        Vt = xp.where(S[:, None] > 0, (At_U / safe).T, 0.0)  # (n, p)
    return squares / (n - 1), S, Vt
