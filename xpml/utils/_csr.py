"""A sparse matrix in compressed sparse row (CSR) form, on any backend and device.

The array API standard has no sparse arrays, but scikit-learn users pass scipy.sparse matrices
(text features, one-hot columns). `CSR` holds the three arrays of that format on the estimator's
backend: row i's non-zero entries are `data[indptr[i]:indptr[i+1]]`, in the columns
`indices[indptr[i]:indptr[i+1]]` (Saad, "Iterative methods for sparse linear systems", 2003, 3.4).

It offers the few operations the algorithms need, and nothing else: `X @ B`, `X.T @ G` and
`A @ X` (the products of `_csr_kernels.csr_matmul`, native where the backend has the capability
"csr_matmul", else gathers and scatter-adds), row gathers and slices for mini-batches, row norms,
column sums and variances, row and column scaling, casting, and `toarray` for a block of rows.
Nothing here writes into an array, and nothing dense of the matrix's shape is made except by
`toarray`. scipy is never imported: a scipy matrix is read through its own methods.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .._backend import (
    Backend,
    backend_of,
    compiles_per_shape,
    device_of,
    dtype_name,
    namespace_of,
    to_backend,
)
from ._csr_kernels import coo_rows, csr_matmul, gather_rows, padded_rows, scatter_dense
from ._scatter import scatter_add

__all__ = ["CSR", "PaddedRows", "for_batches", "is_csr", "is_scipy_sparse", "is_sparse", "stored_values",
           "take_rows"]


def is_scipy_sparse(X: Any) -> bool:
    """Whether X is a scipy.sparse matrix or array (scipy is not imported to tell)."""
    return type(X).__module__.startswith("scipy.sparse")


def is_csr(X: Any) -> bool:
    return isinstance(X, CSR)


def stored_values(X: Any) -> Any:
    """The values X stores: a sparse matrix's (or its transpose's) entries, a dense array itself (for checks
    like X >= 0, and to ask for X's backend and dtype)."""
    return X.data if isinstance(X, (CSR, PaddedBatch, _Transposed)) else X


def is_sparse(X: Any) -> bool:
    """Whether X is a CSR, a batch of padded rows (`PaddedBatch`) or the transpose of either."""
    return isinstance(X, (CSR, PaddedBatch, _Transposed))


def for_batches(X: Any) -> Any:
    """X as mini-batch steps should take it: where each shape costs a compilation (jax), a CSR becomes
    `PaddedRows`, whose batches all have one shape, so that one compiled step serves them all."""
    if is_csr(X) and compiles_per_shape(backend_of(X.data)):
        return X.padded_rows()
    return X


def take_rows(X: Any, index: Any, *, xp=None, n_columns: int | None = None) -> Any:
    """Rows `index` of X, a dense array, a `CSR` or `PaddedRows` (of `n_columns` columns): a mini-batch."""
    if is_csr(X):
        return X.take_rows(index)
    xp = namespace_of(X) if xp is None else xp
    if isinstance(X, PaddedRows):
        return PaddedBatch(xp.take(X.indices, index, axis=0), xp.take(X.values, index, axis=0), n_columns)
    return xp.take(X, index, axis=0)


class PaddedRows(NamedTuple):
    """A CSR's rows padded to the same number r of entries (ELLPACK): column indices and values (n, r), zeros
    as padding. A tuple of two arrays, which compiled functions take as they take arrays."""

    indices: Any
    values: Any


class PaddedBatch:
    """Some padded rows (m, r) of an (m, n_columns) sparse matrix, for products: Xb @ W, Xb.T @ D."""

    ndim = 2

    def __init__(self, indices: Any, values: Any, n_columns: int):
        self.indices, self.data = indices, values
        self.shape = (indices.shape[0], n_columns)

    @property
    def T(self) -> _Transposed:
        return _Transposed(self)

    def with_data(self, values: Any) -> PaddedBatch:
        return PaddedBatch(self.indices, values, self.shape[1])

    def _matmul(self, B: Any, transpose: bool) -> Any:
        xp = namespace_of(self.data)
        m, r = self.indices.shape
        if not transpose:  # Σ over each row's r entries of value · B[column]
            gathered = xp.take(B, xp.reshape(self.indices, (-1,)), axis=0)  # (m r,) or (m r, k)
            gathered = xp.reshape(gathered, (m, r, *B.shape[1:]))
            return xp.sum(gathered * (self.data if B.ndim == 1 else self.data[:, :, None]), axis=1)
        products = self.data[:, :, None] * B[:, None, :] if B.ndim == 2 else self.data * B[:, None]  # (m, r, ...)
        products = xp.reshape(products, (m * r, *B.shape[1:]))  # (m r,) or (m r, k)
        return scatter_add(products, xp.reshape(self.indices, (-1,)), self.shape[1], xp=xp)

    def __matmul__(self, B: Any) -> Any:
        return self._matmul(B, False)


class CSR:
    """A sparse (n_rows, n_columns) matrix: indptr (n_rows + 1,), indices (nnz,), data (nnz,), one backend.

    Parameters
    ----------
    indptr, indices : integer arrays of the same dtype, on the device of `data`
    data : floating array of shape (nnz,)
    shape : tuple of two ints
    native : bool, default=True
        Use the backend's own sparse products where it has them; False forces the array-API versions.
    """

    ndim = 2
    __array_ufunc__ = None  # numpy's `A @ X` calls X.__rmatmul__ instead of making X an object array

    def __init__(self, indptr: Any, indices: Any, data: Any, shape: tuple[int, int], *, native: bool = True):
        self.indptr, self.indices, self.data = indptr, indices, data
        self.shape = (int(shape[0]), int(shape[1]))
        self.native = native
        self._rows = None  # (nnz,) each entry's row, made on first use by the array-API kernels

    @classmethod
    def from_scipy(cls, S: Any, backend: Backend, dtype: str | None = None) -> CSR:
        """A scipy.sparse matrix of any format, moved to `backend` (data cast to `dtype`)."""
        S = S.tocsr()  # the same matrix where it is CSR already: it is only read
        indptr, indices = S.indptr, S.indices
        return cls(to_backend(indptr, backend), to_backend(indices, backend),
                   to_backend(S.data, backend, dtype=dtype), S.shape)

    # ---- what an array offers -----------------------------------------------------------------

    @property
    def xp(self):
        return namespace_of(self.data)

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def device(self):
        return device_of(self.data)

    @property
    def nnz(self) -> int:
        return int(self.data.shape[0])

    @property
    def T(self) -> _Transposed:
        return _Transposed(self)

    def __repr__(self) -> str:
        return (f"CSR(shape={self.shape}, nnz={self.nnz}, dtype={dtype_name(self.data)}, "
                f"backend={backend_of(self.data).name})")

    def _matmul(self, B: Any, transpose: bool) -> Any:
        return csr_matmul(self, B, transpose=transpose)

    def __matmul__(self, B: Any) -> Any:
        """X @ B for a dense B of shape (n_columns,) or (n_columns, k)."""
        return csr_matmul(self, B, transpose=False)

    def with_data(self, data: Any) -> CSR:
        """The same pattern holding other values (the same arrays, no copy)."""
        out = CSR(self.indptr, self.indices, data, self.shape, native=self.native)
        out._rows = self._rows
        return out

    def astype(self, dtype: Any) -> CSR:
        return self.with_data(self.xp.astype(self.data, dtype))

    def rows(self) -> Any:
        """(nnz,): the row of each stored entry."""
        if self._rows is None:
            self._rows = coo_rows(self)
        return self._rows

    # ---- rows ------------------------------------------------------------------------------

    def take_rows(self, index: Any) -> CSR:
        """The rows `index` (an integer array on this backend), in that order."""
        indptr, positions, real = gather_rows(self, index)
        xp = self.xp
        data = xp.take(self.data, positions)  # (nnz_b,)
        if real is not None:  # padding: stored zeros
            data = xp.where(real, data, xp.zeros_like(data))
        return CSR(indptr, xp.take(self.indices, positions), data, (index.shape[0], self.shape[1]),
                   native=self.native)

    def padded_rows(self) -> PaddedRows:
        """The rows padded to the longest one's length (ELLPACK), made once: (n, r) indices and values."""
        if getattr(self, "_padded", None) is None:
            self._padded = PaddedRows(*padded_rows(self))
        return self._padded

    def row_block(self, start: int, stop: int) -> CSR:
        """Rows start .. stop - 1, as views of this matrix's arrays."""
        stop = min(stop, self.shape[0])
        first, last = int(self.indptr[start]), int(self.indptr[stop])
        return CSR(self.indptr[start:stop + 1] - first, self.indices[first:last], self.data[first:last],
                   (stop - start, self.shape[1]), native=self.native)

    def toarray(self) -> Any:
        """The dense (n_rows, n_columns) array: for blocks of rows (`row_block`), never a large matrix."""
        return scatter_dense(self)

    # ---- reductions and scaling ----------------------------------------------------------------

    def row_squared_norms(self) -> Any:
        """(n_rows,): Σⱼ X[i, j]²."""
        return self.with_data(self.data * self.data) @ self.xp.ones(self.shape[1], dtype=self.dtype,
                                                                     device=self.device)

    def column_sums(self, weights: Any = None) -> Any:
        """(n_columns,): Σᵢ wᵢ X[i, j] (wᵢ = 1 without weights)."""
        xp = self.xp
        w = xp.ones(self.shape[0], dtype=self.dtype, device=self.device) if weights is None else weights
        return self.T @ w

    def column_mean_variance(self, weights: Any = None) -> tuple[Any, Any]:
        """The (weighted) mean and variance of each column, zeros included: (n_columns,) each.

        The variance sums the centred stored entries, Σ wᵢ (xᵢⱼ - μⱼ)², plus μⱼ² times the weight
        of the column's zeros, rather than E[x²] - μ², which would cancel digits.
        """
        xp = self.xp
        w = xp.ones(self.shape[0], dtype=self.dtype, device=self.device) if weights is None else weights
        total = xp.sum(w)
        mean = (self.T @ w) / total  # (p,)
        centred = self.data - xp.take(mean, self.indices)  # (nnz,)
        stored_weight = self.with_data(xp.ones_like(self.data)).T @ w  # (p,) the weight of stored entries
        spread = self.with_data(centred * centred).T @ w  # (p,)
        return mean, (spread + (total - stored_weight) * mean * mean) / total

    def scale_rows(self, s: Any) -> CSR:
        """diag(s) X, for s of shape (n_rows,)."""
        return self.with_data(self.data * self.xp.take(s, self.rows()))

    def scale_columns(self, s: Any) -> CSR:
        """X diag(s), for s of shape (n_columns,)."""
        return self.with_data(self.data * self.xp.take(s, self.indices))


class _Transposed:
    """Xᵀ, for its products only: `X.T @ G` is (n_columns, ...) without forming Xᵀ."""

    def __init__(self, X: Any):
        self.X, self.data = X, X.data
        self.shape = (X.shape[1], X.shape[0])
        self.ndim = 2
        self.dtype = X.data.dtype

    @property
    def T(self) -> CSR:
        return self.X

    def __matmul__(self, G: Any) -> Any:
        return self.X._matmul(G, True)
