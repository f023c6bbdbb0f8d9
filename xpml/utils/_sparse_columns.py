"""Column statistics and column scaling of scipy.sparse matrices, on the host, without making them dense.

For the estimators that scale sparse data as scikit-learn does (MaxAbsScaler): the stored values of
a CSR or CSC matrix are read and rescaled in place of a copy; the zeros that are not stored stay zero,
which scaling preserves. scipy is never imported here: the input is already a scipy matrix.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._values import ALLOW_NAN, check_values

__all__ = ["check_sparse", "is_sparse", "scale_sparse_columns", "sparse_max_abs"]


def is_sparse(X: Any) -> bool:
    """Whether X is a scipy.sparse matrix or array (scipy is not imported to find out)."""
    return type(X).__module__.startswith("scipy.sparse")


def check_sparse(X: Any, dtype: str | None = None, name: str = "X", *, ensure_finite: bool | str = True):
    """X as a CSR or CSC matrix (other formats become CSR) with a floating dtype (`dtype`, or float64 for
    integers), checked to be 2-D, non-empty and finite (with ensure_finite="allow-nan", NaN, a missing value,
    is let through). A new matrix: X is not changed."""
    if X.format not in ("csr", "csc"):
        X = X.tocsr()
    if len(X.shape) != 2:
        raise ValueError(f"{name} should be a 2-D matrix of shape (n_samples, n_features); got shape {X.shape}.")
    if X.shape[0] == 0:
        raise ValueError(f"{name} has 0 sample(s) (shape={X.shape}) while a minimum of 1 is required.")
    if X.dtype.kind not in "biuf":
        raise TypeError(f"{name} should contain numbers; got a sparse matrix of dtype {X.dtype.str}.")
    X = X.astype(dtype or (X.dtype if X.dtype.kind == "f" else np.float64), copy=True)
    if ensure_finite == ALLOW_NAN:
        check_values(X.data, name, ensure_finite=ALLOW_NAN)
        return X
    if np.isnan(X.data).any():
        raise ValueError(f"{name} contains NaN.")
    if np.isinf(X.data).any():
        raise ValueError(f"{name} contains infinity or a value too large for dtype('{X.dtype}').")
    return X


def _stored_columns(X) -> np.ndarray:
    """The column of each stored value of a CSR or CSC matrix. (nnz,)"""
    if X.format == "csr":
        return X.indices
    return np.repeat(np.arange(X.shape[1]), np.diff(X.indptr))


def sparse_max_abs(X) -> np.ndarray:
    """The largest |value| of each column of a CSR or CSC matrix (0 for a column with nothing stored). (p,)"""
    out = np.zeros(X.shape[1], dtype=X.dtype)
    np.maximum.at(out, _stored_columns(X), np.abs(X.data))
    return out


def scale_sparse_columns(X, factor: np.ndarray, clip: bool = False):
    """A new matrix of X's type and format with column j multiplied by factor[j] (then clipped to [-1, 1])."""
    data = X.data * factor.astype(X.dtype, copy=False)[_stored_columns(X)]  # (nnz,)
    if clip:
        data = np.clip(data, -1.0, 1.0)
    return type(X)((data, X.indices.copy(), X.indptr.copy()), shape=X.shape)
