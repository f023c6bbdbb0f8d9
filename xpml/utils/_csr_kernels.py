"""The kernels under `CSR`: sparse-dense products, row gathers and densifying, in the array API.

The products X @ B and Xᵀ @ G are where the time goes. Where the backend has the capability
"csr_matmul" (scipy.sparse on numpy, and on views of torch's and jax's arrays on a CPU; torch's
sparse CSR tensors, jax.experimental.sparse and cupyx.scipy.sparse on a GPU), its kernel runs on
the CSR arrays as they are. The array-API version reads
the matrix as coordinates (row, column, value): each stored entry multiplies the row of B its
column selects (a gather), and the products are summed into their rows (a scatter-add,
`xpml.utils._scatter`); for Xᵀ @ G the roles of rows and columns swap. Both take O(nnz · k)
time and memory. tests/test_csr.py compares the two on every backend.
"""

from __future__ import annotations

from typing import Any

from .._backend import backend_of, capability, compiles_per_shape
from ._binning import integer_dtype
from ._scatter import scatter_add

# Stored values below which a native product is not worth its set-up (scipy checks the arrays it is given,
# tens of microseconds, where a gather and a bincount take a few): SGD's per-sample steps on sparse rows.
SMALL = 1024

__all__ = ["coo_rows", "csr_matmul", "gather_rows", "padded_rows", "scatter_dense"]


def coo_rows(X) -> Any:
    """(nnz,): the row of each stored entry of the CSR matrix X, in storage order."""
    xp = X.xp
    counts = X.indptr[1:] - X.indptr[:-1]  # (n,)
    return xp.repeat(xp.arange(X.shape[0], dtype=X.indptr.dtype, device=X.device), counts)


def csr_matmul(X, B: Any, *, transpose: bool) -> Any:
    """X @ B (n, ...) or, with `transpose`, Xᵀ @ B (p, ...), for a dense B of 1 or 2 dimensions."""
    xp = X.xp
    if B.dtype != X.dtype:
        B = xp.astype(B, X.dtype)
    backend = backend_of(X.data)
    native = capability(backend, "csr_matmul") if X.native else None
    # a small product by gathers and bincounts, except where each eager operation costs a compilation (jax)
    small = X.data.shape[0] < SMALL and capability(backend, "bincount") is not None and not compiles_per_shape(backend)
    if native is not None and not small:
        return native(X.indptr, X.indices, X.data, X.shape, B, transpose)
    rows = X.rows()
    source, target, n_out = (rows, X.indices, X.shape[1]) if transpose else (X.indices, rows, X.shape[0])
    gathered = xp.take(B, source, axis=0)  # (nnz,) or (nnz, k): the row of B each entry meets
    products = gathered * (X.data if B.ndim == 1 else X.data[:, None])  # (nnz,) or (nnz, k)
    if native is not None and B.ndim == 2:  # a small product on the host: a bincount per column
        return xp.stack([scatter_add(products[:, j], target, n_out, xp=xp) for j in range(B.shape[1])], axis=1)
    return scatter_add(products, target, n_out, xp=xp)  # (n_out,) or (n_out, k)


def gather_rows(X, index: Any) -> tuple[Any, Any, Any]:
    """For the rows `index` (m,) of X: the new indptr (m + 1,), where each new entry is stored in X, and
    a mask of the entries that are real (None where all are).

    Row r of the result holds entries indptr[index[r]] .. indptr[index[r] + 1] - 1 of X: its j-th
    entry is at `starts[r] + j`. Where each new shape costs a compilation (jax), the entries are
    padded to a power of two at least twice the batch's expected size (zeros, in the last row), so
    that the batches of a fit share one shape, mostly.
    """
    xp = X.xp
    starts = xp.take(X.indptr, index)  # (m,)
    counts = xp.take(X.indptr, index + 1) - starts  # (m,)
    indptr = xp.cumulative_sum(counts, include_initial=True)  # (m + 1,)
    nnz = int(indptr[-1])
    size = nnz
    if compiles_per_shape(backend_of(X.data)):  # twice the batch's expected size, or more: one shape, mostly
        typical = 2 * index.shape[0] * X.data.shape[0] // max(X.shape[0], 1)
        size = 1 << max(nnz - 1, typical, 0).bit_length()
    entry = xp.arange(size, dtype=indptr.dtype, device=X.device)  # (size,)
    row = xp.clip(xp.searchsorted(indptr, entry, side="right") - 1, max=index.shape[0] - 1)  # (size,)
    position = xp.take(starts, row) + entry - xp.take(indptr, row)  # (size,)
    if size == nnz:
        return xp.astype(indptr, X.indptr.dtype), position, None
    real = entry < nnz  # (size,)
    indptr = xp.where(xp.arange(index.shape[0] + 1, device=X.device) == index.shape[0], size, indptr)
    return xp.astype(indptr, X.indptr.dtype), xp.where(real, position, 0), real


def padded_rows(X) -> tuple[Any, Any]:
    """Each row's column indices and values, padded with zeros to the longest row's r entries: (n, r) each."""
    xp = X.xp
    counts = X.indptr[1:] - X.indptr[:-1]  # (n,)
    r = max(int(xp.max(counts)) if X.shape[0] else 0, 1)
    slot = xp.arange(r, dtype=X.indptr.dtype, device=X.device)  # (r,)
    real = slot[None, :] < counts[:, None]  # (n, r)
    position = xp.reshape(xp.clip(X.indptr[:-1, None] + slot[None, :], max=max(X.nnz - 1, 0)), (-1,))  # (n r,)
    if X.nnz == 0:
        zeros = xp.zeros((X.shape[0], r), dtype=X.dtype, device=X.device)
        return xp.astype(zeros, X.indices.dtype), zeros
    indices = xp.reshape(xp.take(X.indices, position), real.shape)
    values = xp.reshape(xp.take(X.data, position), real.shape)
    return xp.where(real, indices, 0), xp.where(real, values, 0.0)


def scatter_dense(X) -> Any:
    """The dense (n, p) array of X: each stored value added into its flat position row · p + column (positions in
    the device's default integer dtype: int64, or int32 on jax without x64, which would truncate int64)."""
    xp = X.xp
    n, p = X.shape
    index = integer_dtype(xp, X.data)
    flat = xp.astype(X.rows(), index) * p + xp.astype(X.indices, index)  # (nnz,)
    return xp.reshape(scatter_add(X.data, flat, n * p, xp=xp), (n, p))
