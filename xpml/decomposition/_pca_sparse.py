"""PCA of a sparse X with implicit centring: the centred covariance from dense blocks of rows.

Centring a sparse X would fill it in. As scikit-learn 1.9 does for sparse input (solvers "arpack"
and "covariance_eigh"), the centred matrix Xc = X - 1 x̄ᵀ is never formed: its p × p Gram matrix
XcᵀXc is summed over blocks of rows, each made dense and centred, (Xb - x̄)ᵀ(Xb - x̄), so memory
stays at one block plus p × p. Its eigendecomposition gives the principal axes and variances; so
the solver is exact for both, and meant, like scikit-learn's covariance solver, for a moderate
number of features.
"""

from __future__ import annotations

from ..utils._chunks import chunk_rows, row_slices
from ..utils._sparse_input import DENSE_LIMIT

__all__ = ["SPARSE_SOLVERS", "sparse_centred_gram"]

SPARSE_SOLVERS = ("arpack", "covariance_eigh")


def sparse_centred_gram(xp, X, mean, backend):
    """(X - x̄)ᵀ (X - x̄), (p, p), for a sparse X (a CSR), a dense block of rows at a time."""
    n, p = X.shape
    if p * p > DENSE_LIMIT:
        raise TypeError(f"PCA on sparse X forms the {p} × {p} covariance matrix, more than xpml makes dense "
                        f"(DENSE_LIMIT={DENSE_LIMIT:.0e} entries). Use TruncatedSVD, which computes on sparse X.")
    G = xp.zeros((p, p), dtype=X.dtype, device=X.device)
    for rows in row_slices(n, chunk_rows(backend, p, scale=16)):
        Xb = X.row_block(rows.start, rows.stop).toarray() - mean  # (b, p)
        G = G + Xb.T @ Xb
    return G
