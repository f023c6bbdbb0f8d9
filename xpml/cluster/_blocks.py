"""The rows of X as k-means reads them: a dense array, a sparse `CSR`, or a batch of padded sparse rows.

k-means touches X in a few ways only: a block of rows multiplied by the centres, the blocks' row
norms, each cluster's sum of rows, the distance of each row to its own centre, and a few whole
rows (seeds and relocated centres). Each is one function here, for dense and sparse rows.

A dense X is shifted by its mean (`_kmeans_common`); a sparse X is not (the shift is zero, as in
scikit-learn), since subtracting a mean would fill in its zeros. On sparse rows:

- cluster sums are Xbᵀ M with M (b, k) the one-hot matrix of the labels: a CSR product;
- the distance to a centre c is Σ over the stored entries of (xⱼ - cⱼ)² - cⱼ², plus ‖c‖²: the
  zeros of x contribute cⱼ² each, which ‖c‖² holds, and the stored entries are differenced
  directly (no cancellation in ‖x‖² - 2x·c);
- whole rows are made dense, k of them at most (centres are dense).

MiniBatchKMeans's compiled step (jax) takes its sparse batch as `PaddedBatch` (xpml.utils._csr): rows
padded to one length with zeros, so that every batch has one shape.
"""

from __future__ import annotations

from typing import Any

from .._backend import backend_of, device_of
from ..utils._chunks import chunk_rows, row_slices
from ..utils._csr import PaddedBatch, is_csr, take_rows
from ..utils._scatter import scatter_add
from ..utils._threads import on_workers

__all__ = ["block", "cluster_sums", "column_shift", "column_squares", "dense_rows", "distances_to_centres", "lift",
           "lifted_block", "lifted_sums", "mean_variance", "row_norms", "scale_rows", "take", "times_lifted",
           "unlifted"]


def _padded(X) -> bool:
    return isinstance(X, PaddedBatch)


def column_shift(xp, X) -> Any:
    """The shift subtracted from X: its column means (d,) if dense, zeros if sparse."""
    if is_csr(X):
        return xp.zeros(X.shape[1], dtype=X.dtype, device=X.device)
    return xp.mean(X, axis=0)


def block(X, rows: slice, shift) -> Any:
    """Rows `rows` of X minus `shift`: a (b, d) array, or those sparse rows (unshifted)."""
    if is_csr(X):
        return X.row_block(rows.start, rows.stop)
    if _padded(X):
        whole = rows.start == 0 and rows.stop >= X.shape[0]
        return X if whole else PaddedBatch(X.indices[rows, :], X.data[rows, :], X.shape[1])
    return X[rows, :] - shift


def take(xp, Xb, index, by_columns: bool = False) -> Any:
    """Rows `index` of a block (dense or sparse); of a dense block lifted `by_columns` (`lift`), gathered from its
    transpose, whose rows are contiguous (numpy would first copy the whole block to gather its rows)."""
    if by_columns:
        return xp.take(Xb.T, index, axis=1).T  # (m, d+1)
    if _padded(Xb):
        return PaddedBatch(xp.take(Xb.indices, index, axis=0), xp.take(Xb.data, index, axis=0), Xb.shape[1])
    return take_rows(Xb, index, xp=xp)


def dense_rows(xp, X, index, shift) -> Any:
    """Rows `index` (an integer array (m,)) of X minus `shift`, as a dense (m, d) array."""
    if is_csr(X):
        return X.take_rows(index).toarray()
    if _padded(X):
        m, d = index.shape[0], X.shape[1]
        columns = xp.astype(xp.take(X.indices, index, axis=0), xp.int64)  # (m, r)
        flat = xp.arange(m, dtype=xp.int64, device=device_of(columns))[:, None] * d + columns  # (m, r)
        values = xp.take(X.data, index, axis=0)  # (m, r), zeros as padding
        return xp.reshape(scatter_add(xp.reshape(values, (-1,)), xp.reshape(flat, (-1,)), m * d, xp=xp), (m, d))
    return xp.take(X, index, axis=0) - shift


def row_norms(xp, Xb) -> Any:
    """‖xᵢ‖² for each row of a block, (b,)."""
    if is_csr(Xb):
        return Xb.row_squared_norms()
    values = Xb.data if _padded(Xb) else Xb
    return xp.sum(values * values, axis=1)


def mean_variance(xp, X, shift, column_sq) -> Any:
    """The mean over features of the column variances, from Σᵢ (xᵢⱼ - shiftⱼ)² (d,) for dense X."""
    if is_csr(X):
        return xp.mean(X.column_mean_variance()[1])
    return xp.mean(column_sq) / X.shape[0]


def column_squares(xp, Xb) -> Any:
    """Σᵢ xᵢⱼ² for each column of a block (dense or CSR), (d,)."""
    if is_csr(Xb):
        return Xb.with_data(Xb.data * Xb.data).column_sums()
    return xp.sum(Xb * Xb, axis=0)


def scale_rows(xp, Xb, w) -> Any:
    """diag(w) Xb."""
    if is_csr(Xb):
        return Xb.scale_rows(w)
    if _padded(Xb):
        return Xb.with_data(Xb.data * w[:, None])
    return Xb * w[:, None]


def cluster_sums(xp, Xb, labels, k: int) -> Any:
    """Σ of the rows of each cluster, (k, d): a scatter-add of dense rows, Xbᵀ (one-hot) for sparse ones."""
    if not (is_csr(Xb) or _padded(Xb)):
        return scatter_add(Xb, labels, k)
    one_hot = xp.astype(labels[:, None] == xp.arange(k, dtype=labels.dtype, device=device_of(labels)), Xb.data.dtype)
    return (Xb.T @ one_hot).T  # (k, d), from Xbᵀ (d, b) @ (b, k)


def distances_to_centres(xp, Xb, centers, labels) -> Any:
    """‖xᵢ - c_{labels[i]}‖² for each row of a block (b,), centres (k, d) in the block's coordinates."""
    if not (is_csr(Xb) or _padded(Xb)):
        diff = Xb - xp.take(centers, labels, axis=0)  # (b, d)
        return xp.sum(diff * diff, axis=1)
    d = centers.shape[1]
    if is_csr(Xb):
        entry_label = xp.take(labels, Xb.rows())  # (nnz,)
    else:
        entry_label = xp.broadcast_to(labels[:, None], Xb.indices.shape)  # (b, r)
    flat = xp.astype(entry_label, xp.int64) * d + xp.astype(Xb.indices, xp.int64)  # where each entry's c_j is
    c = xp.take(xp.reshape(centers, (-1,)), xp.reshape(flat, (-1,)))  # (nnz,) or (b r,)
    stored = (xp.reshape(Xb.data, (-1,)) - c) ** 2 - c * c  # a padding zero gives (0 - c)² - c² = 0
    if is_csr(Xb):
        per_row = Xb.with_data(stored) @ xp.ones(d, dtype=Xb.dtype, device=Xb.device)  # (b,)
    else:
        per_row = xp.sum(xp.reshape(stored, Xb.indices.shape), axis=1)  # (b,)
    return xp.clip(per_row + xp.take(xp.sum(centers * centers, axis=1), labels), min=0.0)


def lift(xp, X, shift, by_columns: bool = False, workers: int = 1) -> Any:
    """[X - shift, 1] (n, d + 1): the assignment step's homogeneous coordinates, for dense X; sparse X as it is.

    `by_columns` stores it column by column, as the transpose of a (d + 1, n) array: the centre-major product
    C @ Xbᵀ then reads Xbᵀ with contiguous rows, which BLAS packs faster (one thread, 200,000 × 32 float32, k=64:
    one pass's products and labels 12.6 -> 11.1 ms). `workers` threads share its blocks.
    """
    if is_csr(X) or _padded(X):
        return X
    if by_columns:  # a block at a time, in cache: each block's transpose, flattened and reshaped, has contiguous rows
        def run(blocks):  # one worker's blocks, each (d+1, b)
            parts = []
            for rows in blocks:
                Xb = X[rows, :] - shift  # (b, d)
                columns = xp.reshape(xp.reshape(Xb.T, (-1,)), (Xb.shape[1], Xb.shape[0]))  # (d, b)
                parts.append(xp.concat([columns, xp.ones_like(columns[:1, :])], axis=0))  # (d+1, b)
            return parts
        blocks = row_slices(X.shape[0], chunk_rows(backend_of(X), X.shape[1]))
        parts = [part for parts in on_workers(run, blocks, workers) for part in parts]
        return xp.concat(parts, axis=1).T  # (n, d+1), a view of (d+1, n): 7.5 ms here where one transpose took 18
    ones = xp.ones_like(X[:, :1])  # (n, 1), laid out as X's rows (dask: in its chunks)
    return xp.concat([X - shift, ones], axis=1)


def lifted_block(xp, X, rows: slice, shift) -> Any:
    """Rows `rows` of X for the assignment step: of dense X already lifted when `shift` is None, (b, d + 1); else
    shifted (`block`), (b, d), whose products add the centres' last lifted coordinate instead (`times_lifted`)."""
    return X[rows, :] if shift is None and not (is_csr(X) or _padded(X)) else block(X, rows, shift)


def unlifted(Xb, d: int) -> Any:
    """A dense block's rows without a lifted last coordinate (b, d); sparse rows as they are."""
    return Xb if is_csr(Xb) or _padded(Xb) else Xb[:, :d]


def times_lifted(Xb, lifted_centers, centre_major: bool = False) -> Any:
    """‖c‖² - 2 x·c for each row and centre (b, k), or (k, b) if `centre_major`, from the lifted centres
    [-2c, ‖c‖²] (k, d + 1), for lifted rows [x, 1] (b, d + 1) or rows x (b, d)."""
    if is_csr(Xb) or _padded(Xb):
        D = Xb @ lifted_centers[:, :-1].T + lifted_centers[:, -1]  # (b, k)
        return D.T if centre_major else D
    if Xb.shape[1] < lifted_centers.shape[1]:  # rows x: ‖c‖² added to the product
        if centre_major:
            return lifted_centers[:, :-1] @ Xb.T + lifted_centers[:, -1:]  # (k, b)
        return Xb @ lifted_centers[:, :-1].T + lifted_centers[:, -1]  # (b, k)
    return lifted_centers @ Xb.T if centre_major else Xb @ lifted_centers.T


def lifted_sums(xp, Xb, labels, k: int, w=None, lifted: bool = True) -> Any:
    """[Σ w x, Σ w] over the rows of each cluster (k, d + 1), for dense rows lifted [x, 1] (or x where not `lifted`)
    or sparse rows (w None: ones)."""
    if lifted and not (is_csr(Xb) or _padded(Xb)):
        return scatter_add(Xb if w is None else Xb * w[:, None], labels, k)
    sums = cluster_sums(xp, Xb if w is None else scale_rows(xp, Xb, w), labels, k)  # (k, d)
    w = xp.ones(labels.shape[0], dtype=sums.dtype, device=device_of(labels)) if w is None else w
    return xp.concat([sums, scatter_add(w, labels, k)[:, None]], axis=1)
