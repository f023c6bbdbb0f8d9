"""Host helpers for the document-term matrices: scipy.sparse CSR matrices, as scikit-learn returns them.

A CSR matrix stores row i's non-zero values in `data[indptr[i]:indptr[i + 1]]`, with their columns in
`indices` at the same places. Every helper returns a new matrix; none writes into its input.
scipy is imported only here, when a matrix is built, with a message that says to install it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._backend import library_of, to_numpy
from ..utils._sparse_columns import is_sparse
from ..utils._sparse_input import host_sparse

__all__ = ["as_csr", "build_csr", "document_frequency", "normalize_rows", "scipy_sparse"]

_INT32_MAX = np.iinfo(np.int32).max


def scipy_sparse(who: str):
    """scipy.sparse, or an ImportError that says `who` needs it."""
    try:
        import scipy.sparse
    except ImportError:
        raise ImportError(f"{who} returns a scipy.sparse matrix, as scikit-learn does, but scipy is not installed. "
                          f"Install it: pip install scipy.") from None
    return scipy.sparse


def build_csr(rows: list, n_columns: int, dtype: Any, who: str):
    """The CSR matrix of shape (len(rows), n_columns) whose row i holds the counts `rows[i]`, a {column: count}
    dict; its columns sorted in each row, and int32 indices unless it has more than 2³¹ - 1 non-zeros."""
    sparse = scipy_sparse(who)
    lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))  # (n,)
    nnz = int(lengths.sum())
    index_dtype = np.int32 if nnz <= _INT32_MAX else np.int64
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(index_dtype)  # (n + 1,)
    indices = np.fromiter((j for r in rows for j in r), dtype=index_dtype, count=nnz)  # (nnz,)
    counts = np.fromiter((c for r in rows for c in r.values()), dtype=np.int64, count=nnz)  # (nnz,)
    X = sparse.csr_matrix((counts.astype(dtype), indices, indptr), shape=(len(rows), n_columns))
    X.sort_indices()
    return X


def as_csr(X: Any, who: str, name: str = "X", float_dtype: bool = False):
    """X (scipy.sparse, a numpy array or an array of any backend, 2-D, finite) as a new CSR matrix on the host;
    with `float_dtype`, in float64 unless it is float32 or float64 already."""
    sparse = scipy_sparse(who)
    X = host_sparse(X)  # a library's own sparse matrix (what the vectorizers give under output="backend")
    if is_sparse(X):
        X = sparse.csr_matrix(X, copy=True)
    else:
        host = np.asarray(to_numpy(X) if library_of(X) is not None else X)
        if host.ndim != 2:
            raise ValueError(f"{name} should be a 2-D array of shape (n_samples, n_features); got shape {host.shape}.")
        if host.dtype.kind not in "biuf":
            raise TypeError(f"{name} should contain numbers; got dtype {host.dtype.str}.")
        X = sparse.csr_matrix(host)
    if X.shape[0] == 0:
        raise ValueError(f"{name} has 0 sample(s) (shape={X.shape}) while a minimum of 1 is required.")
    if X.dtype.kind not in "biuf":
        raise TypeError(f"{name} should contain numbers; got dtype {X.dtype.str}.")
    if float_dtype and X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    if X.dtype.kind == "f" and not np.all(np.isfinite(X.data)):
        raise ValueError(f"{name} contains NaN or infinity; the counts should be finite.")
    return X


def document_frequency(X) -> np.ndarray:
    """For each column of the CSR matrix X, the number of rows that store a value there. (n_features,)"""
    return np.bincount(X.indices, minlength=X.shape[1])


def normalize_rows(X, norm: str | None):
    """X with each row divided by its l2 (or l1) norm; rows of norm 0 stay 0. A new CSR matrix."""
    if norm is None:
        return X
    row_of = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))  # (nnz,) the row of each stored value
    size = X.data * X.data if norm == "l2" else np.abs(X.data)  # (nnz,)
    norms = np.bincount(row_of, weights=size, minlength=X.shape[0]).astype(X.dtype, copy=False)  # (n,)
    if norm == "l2":
        norms = np.sqrt(norms)
    norms = np.where(norms == 0, 1, norms)
    return type(X)((X.data / norms[row_of], X.indices.copy(), X.indptr.copy()), shape=X.shape)
