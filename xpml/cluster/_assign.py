"""k-means' assignment step: each sample's nearest centre, and the sums of each cluster's samples.

The assignment step labels each sample with its nearest centre. For a block of samples Xb,

    ‖x - c‖² = ‖x‖² - 2 x·c + ‖c‖²,

and since ‖x‖² is the same for every centre, argmin_c (‖c‖² - 2 x·c) gives the label. In
homogeneous coordinates, x̂ = [x, 1] and ĉ = [-2c, ‖c‖²], that is one matrix product per block,
X̂b @ Ĉᵀ, and the update step's sums come out of one scatter-add of the x̂: the cluster's Σ x beside
its count in the last column. Blocks of rows keep the (rows, n_clusters) distance block small, so
the n × k distance matrix is never held and memory stays bounded whatever n is.

The data are shifted by their mean (`shift`) block by block, as the centres are: distances between
points far from the origin would otherwise cancel in ‖x‖² - 2x·c + ‖c‖² (in float32 especially).
Sparse data (a `CSR`) are not shifted, which would fill in their zeros: their blocks are CSR row
blocks, multiplied by the centres through the CSR product (`_blocks`).

On a backend of chunks (dask, the capability "reduce_rows"), each chunk of rows runs this same
step on its own library (numpy), with the centres on the host; the clusters' sums of the chunks
are added in one tree, one task per chunk, and the labels stay lazy.
"""

from __future__ import annotations

import math
from functools import partial

from .._backend import backend_of, capability, device_of, to_backend
from ..utils._argmin import argmin_along
from ..utils._bincount import bincount
from ..utils._chunks import RowBlocks, chunk_rows, row_slices
from ..utils._csr import is_csr
from ..utils._lazy import read_values
from ..utils._threads import on_workers
from . import _blocks

__all__ = ["assign", "assign_and_sum", "block_rows", "inertia", "labels_inertia", "prepare_samples",
           "squared_distances"]


def block_rows(backend, n_clusters: int, n_features: int) -> int:
    """Rows per block of the assignment step: the (rows, n_clusters) distances fit the working budget, four
    times it where they are laid out centre-major (`xpml.utils._argmin`).

    There larger blocks spread the per-call overhead of the product and the two reductions: one thread,
    200,000 × 32 float32, k=64, 50 iterations, numpy's CPU seconds: 0.91 with 4,096-row blocks, 0.79 with 16,384.
    """
    return chunk_rows(backend, max(n_clusters, n_features), scale=4 if capability(backend, "centre_major") else 1)


def _lifts_by_columns(X, backend) -> bool:
    """Whether `prepare_samples` lifts X by columns: where the distances are centre-major, for dense X."""
    return bool(capability(backend, "centre_major")) and not is_csr(X)


def prepare_samples(xp, X, shift, workers: int = 1) -> tuple:
    """X and its shift as every assignment step takes them: (X lifted, None), lifted once (`_blocks.lift`) and by
    columns where `_lifts_by_columns`; on a backend of chunks, (X, shift) as they are, each block of a chunk
    shifted where it is read (`_assign_by_chunks`). `workers` threads share the lifting."""
    if capability(backend_of(shift), "reduce_rows") is not None:
        return X, shift
    return _blocks.lift(xp, X, shift, by_columns=_lifts_by_columns(X, backend_of(shift)), workers=workers), None


def _shared_blocks(n: int, rows: int, workers: int) -> list:
    """Blocks of at most `rows` rows, all of one size (within a row) and as many for each worker: a worker
    waiting for another at the end of a step waits for less than a block."""
    blocks = max(1, min(n, workers * math.ceil(n / (rows * workers))))
    return [slice(n * i // blocks, n * (i + 1) // blocks) for i in range(blocks)] if n else []


def _nearest_of(xp, centers):
    """A function of a lifted block Xb (b, d+1), or of sparse rows (b, d), that gives the index of each row's
    nearest centre (b,)."""
    lifted_centers = xp.concat([-2 * centers, xp.sum(centers * centers, axis=1)[:, None]], axis=1)  # (k, d+1)
    centre_major = bool(capability(backend_of(centers), "centre_major"))

    def nearest(Xb):
        D = _blocks.times_lifted(Xb, lifted_centers, centre_major)  # (k, b) or (b, k): ‖c‖² - 2x·c
        return argmin_along(D, 0 if centre_major else 1, xp=xp)  # (b,)
    return nearest


def assign(xp, X, shift, centers, rows: int, sample_weight=None, *, with_sums: bool = False, previous=None,
           workers: int = 1):
    """Label each sample with its nearest centre; optionally sum each cluster's samples and weights.

    Parameters
    ----------
    X : array of shape (n, d), or (n, d + 1) already lifted (`lift`) when `shift` is None
    shift : array of shape (d,) or None
        Subtracted from X; `centers` are given in these shifted coordinates.
    centers : array of shape (k, d)
    rows : int
        Rows per block.
    sample_weight : array of shape (n,), optional (None: all ones)
    with_sums : bool
    previous : integer array of shape (n,), optional
        The labels before this step. With it, the sums and weights returned are the changes to the
        clusters' sums and weights: the samples whose label changed, added to their new cluster and
        taken from their old one. After Lloyd's first steps few samples move, so this costs far less
        than summing every sample again.
    workers : int
        Threads that share the blocks (`xpml.utils._threads.on_workers`), each summing its own.

    Returns
    -------
    labels : integer array of shape (n,)
    sums : array of shape (k, d), Σ wᵢ (xᵢ - shift) over each cluster (only `with_sums`)
    weights : array of shape (k,), Σ wᵢ over each cluster (only `with_sums`)
    """
    if capability(backend_of(centers), "reduce_rows") is not None and previous is None:
        return _assign_by_chunks(X, shift, centers, sample_weight, with_sums)
    k, d = centers.shape
    nearest = _nearest_of(xp, centers)
    labels = RowBlocks(xp, X.shape[0])
    by_columns = shift is None and _lifts_by_columns(X, backend_of(centers))  # X lifted by `prepare_samples`

    def run(blocks):  # one worker's blocks: their labels, and the sums [Σ w (x - shift), Σ w] of their clusters
        sums = xp.zeros((k, d + 1), dtype=centers.dtype, device=device_of(centers))  # (k, d+1)
        new = []  # the blocks' labels, where only the samples that moved are summed, after the blocks
        for block in blocks:
            Xb = _blocks.lifted_block(xp, X, block, shift)  # (b, d+1): [x - shift, 1], or (b, d): x - shift
            labels_b = nearest(Xb)  # (b,)
            labels.put(block, labels_b)
            if with_sums and previous is None:
                w_b = None if sample_weight is None else sample_weight[block]  # (b,)
                sums = sums + _blocks.lifted_sums(xp, Xb, labels_b, k, w_b, lifted=shift is None)  # (k, d+1)
            elif with_sums:
                new.append(labels_b)
        if not new:
            return sums
        # the samples that moved, found once for the worker's rows (a block at a time costs more calls than sums)
        part = slice(blocks[0].start, blocks[-1].stop)
        new, old = (new[0] if len(new) == 1 else xp.concat(new)), previous[part]  # (p,), (p,)
        moved = xp.nonzero(new != old)[0]  # (m,)
        if moved.shape[0] == 0:
            return sums
        # each moved sample twice: added to its new cluster (weight w), taken from its old one (weight -w)
        w_moved = xp.ones(moved.shape[0], dtype=sums.dtype, device=device_of(sums)) if sample_weight is None \
            else xp.take(sample_weight[part], moved)  # (m,)
        twice = xp.concat([moved, moved]) + part.start  # (2m,) in X's rows
        rows_twice = _blocks.take(xp, X, twice, by_columns)  # (2m, d+1), or unlifted (2m, d) where `shift` is given
        rows_twice = rows_twice if shift is None else _blocks.lift(xp, rows_twice, shift)  # (2m, d+1)
        new_then_old = xp.concat([xp.take(new, moved), xp.take(old, moved)])  # (2m,)
        return sums + _blocks.lifted_sums(xp, rows_twice, new_then_old, k, xp.concat([w_moved, -w_moved]))

    parts = on_workers(run, _shared_blocks(X.shape[0], rows, workers), workers)  # [sums] in block order
    if not with_sums:
        return labels.result()
    sums = parts[0]
    for more in parts[1:]:
        sums = sums + more
    return labels.result(), sums[:, :d], sums[:, d]


def assign_and_sum(xp, X, shift, centers, rows: int, sample_weight=None, *, previous=None, totals=None,
                   workers: int = 1):
    """Lloyd's assignment step with what its update step needs: labels (n,), sums (k, d), weights (k,).

    `previous` and `totals` are the labels (n,) and the clusters' (sums, weights) of the step
    before. Given both (with unit weights), the sums are those totals updated by the samples that
    changed cluster (`assign`'s `previous`), not summed afresh: the weights stay whole numbers,
    exact in floating point, and the sums differ from fresh ones by rounding alone.
    """
    if previous is None or totals is None:
        return assign(xp, X, shift, centers, rows, sample_weight, with_sums=True, workers=workers)
    labels, moved_sums, moved_weights = assign(xp, X, shift, centers, rows, with_sums=True, previous=previous,
                                               workers=workers)
    sums, weights = totals
    return labels, sums + moved_sums, weights + moved_weights


def labels_inertia(xp, X, shift, centers, rows: int, sample_weight=None, *, workers: int = 1):
    """Each sample's nearest centre (n,), the inertia Σ wᵢ ‖xᵢ - c_{label(i)}‖² (a 0-d array) and the number of
    samples in each cluster (k,), in one pass.

    X and `shift` are as `assign` takes them (X lifted when `shift` is None); the distances to the centres
    are computed from the differences (exact), as `inertia` computes them.
    """
    if capability(backend_of(centers), "reduce_rows") is not None:
        return _assign_by_chunks(X, shift, centers, sample_weight, with_inertia=True)
    nearest = _nearest_of(xp, centers)
    labels = RowBlocks(xp, X.shape[0])

    def run(blocks):  # one worker's blocks: their labels, and their part of the inertia
        total = xp.zeros((), dtype=centers.dtype, device=device_of(centers))
        for block in blocks:
            Xb = _blocks.lifted_block(xp, X, block, shift)  # (b, d+1), or (b, d)
            labels_b = nearest(Xb)  # (b,)
            labels.put(block, labels_b)
            d2 = _blocks.distances_to_centres(xp, _blocks.unlifted(Xb, centers.shape[1]), centers, labels_b)  # (b,)
            total = total + xp.sum(d2 if sample_weight is None else sample_weight[block] * d2)
        return total

    parts = on_workers(run, _shared_blocks(X.shape[0], rows, workers), workers)  # [inertia] in block order
    total = parts[0]
    for more in parts[1:]:
        total = total + more
    labels = labels.result()
    return labels, total, bincount(labels, centers.shape[0])


def _assign_by_chunks(X, shift, centers, sample_weight, with_sums: bool = False, with_inertia: bool = False):
    """`assign` (or `labels_inertia`) on a backend of chunks: each chunk of rows runs it on its own library.

    The centres and the shift come to the host once; each chunk, one task, is assigned in blocks shifted as they
    are read, small enough to stay in cache (no lifted copy of the chunk: dask's threads would allocate and free
    large temporaries at once). Returns the labels (lazy: a task per chunk of their own, computed only where
    read), then the sums (k, d) and weights (k,) added over the chunks in one tree if `with_sums`, or the
    inertia and the clusters' sizes (k,) if `with_inertia`.
    """
    backend = backend_of(centers)
    k, d = centers.shape
    shift_host, centers_host = read_values(backend, shift, centers)

    def on_chunk(X_c, w_c=None, *, sums=False, inertia=False):  # X_c (m, d), w_c (m,): arrays of the chunk's library
        chunk = backend_of(X_c)
        cxp, shift_c, centers_c = chunk.xp, to_backend(shift_host, chunk), to_backend(centers_host, chunk)
        rows = chunk_rows(chunk, max(k, d))  # blocks of (rows, d) and (k, rows)
        if inertia:
            _, inertia_c, sizes_c = labels_inertia(cxp, X_c, shift_c, centers_c, rows, w_c)
            return cxp.concat([inertia_c[None], cxp.astype(sizes_c, inertia_c.dtype)])  # (k+1,)
        if not sums:
            return assign(cxp, X_c, shift_c, centers_c, rows)  # (m,)
        _, sums_c, weights_c = assign(cxp, X_c, shift_c, centers_c, rows, w_c, with_sums=True)
        return cxp.concat([sums_c, weights_c[:, None]], axis=1)  # (k, d+1)

    labels = capability(backend, "map_rows")(on_chunk, X, None, backend.int_dtype)  # (n,), lazy
    if not (with_sums or with_inertia):
        return labels
    reduce_rows, weights = capability(backend, "reduce_rows"), () if sample_weight is None else (sample_weight,)
    if with_inertia:
        total = reduce_rows(partial(on_chunk, inertia=True), X, *weights, shape=(k + 1,), dtype=centers.dtype)
        return labels, total[0], total[1:]  # (n,), (), (k,)
    total = reduce_rows(partial(on_chunk, sums=True), X, *weights, shape=(k, d + 1), dtype=centers.dtype)  # (k, d+1)
    return labels, total[:, :d], total[:, d]


def squared_distances(xp, X, shift, centers, labels, rows: int):
    """‖xᵢ - c_{labels[i]}‖² for each sample, computed from the differences (exact), of shape (n,)."""
    out = RowBlocks(xp, X.shape[0])
    for block in row_slices(X.shape[0], rows):
        out.put(block, _blocks.distances_to_centres(xp, _blocks.block(X, block, shift), centers, labels[block]))
    return out.result()


def inertia(xp, X, shift, centers, labels, rows: int, sample_weight=None):
    """Σ wᵢ ‖xᵢ - c_{labels[i]}‖², a 0-d array."""
    d2 = squared_distances(xp, X, shift, centers, labels, rows)  # (n,)
    return xp.sum(d2 if sample_weight is None else sample_weight * d2)
