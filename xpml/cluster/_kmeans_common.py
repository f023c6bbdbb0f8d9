"""What KMeans and MiniBatchKMeans share: the assignment step, the seeding, and the estimator base.

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

Seeding is k-means++ (Arthur & Vassilvitskii, "k-means++: the advantages of careful seeding", SODA
2007) in its greedy form: each new centre is the best of 2 + ⌊ln k⌋ candidates drawn with
probability proportional to the squared distance to the nearest centre so far. The uniform draws are
made on the host (`xpml.utils._random`), the sampling itself on the device, so a seed gives the same
centres on every backend.
"""

from __future__ import annotations

import math
from typing import Any

from .._backend import backend_of, capability, device_of, dtype_name
from ..base import BaseEstimator, TransformerMixin
from ..utils._argmin import argmin_along
from ..utils._chunks import RowBlocks, chunk_rows, row_slices
from ..utils._csr import is_csr
from ..utils._lazy import align_rows, is_lazy
from ..utils._random import draw, weighted_sample
from ..utils._threads import on_workers
from ..utils._warnings import warn
from ..utils.validation import check_array, check_sample_weight
from . import _blocks

__all__ = ["BaseKMeans", "assign", "assign_and_sum", "centered_row_norms", "inertia", "kmeans_plusplus", "labels_inertia",
           "lift_samples", "mean_centers"]


def kmeans_parallel(*args, **kwargs):
    from ._kmeans_parallel import (
        kmeans_parallel,  # it uses this module's seeding for its last step
    )

    return kmeans_parallel(*args, **kwargs)


def xp_ones_rows(xp, X):
    """Ones (n,) laid out as X's rows (dask: in its chunks, never one chunk of n)."""
    return xp.ones_like(X[:, 0])


def block_rows(backend, n_clusters: int, n_features: int) -> int:
    """Rows per block of the assignment step: the (rows, n_clusters) distances fit the working budget, four
    times it where they are laid out centre-major (`xpml.utils._argmin`).

    There larger blocks spread the per-call overhead of the product and the two reductions: one thread,
    200,000 × 32 float32, k=64, 50 iterations, numpy's CPU seconds: 0.91 with 4,096-row blocks, 0.79 with 16,384.
    """
    return chunk_rows(backend, max(n_clusters, n_features), scale=4 if capability(backend, "centre_major") else 1)


def _lifts_by_columns(X, shift) -> bool:
    """Whether `lift_samples` lifts X by columns: where the distances are centre-major, for dense X, except on a
    lazy backend, whose lifted columns would come in two chunks, splitting the product's sum."""
    backend = backend_of(shift)
    return bool(capability(backend, "centre_major")) and not is_lazy(backend) and not is_csr(X)


def lift_samples(xp, X, shift):
    """X lifted once for every assignment step (`_blocks.lift`), by columns where `_lifts_by_columns`."""
    return _blocks.lift(xp, X, shift, by_columns=_lifts_by_columns(X, shift))


def _nearest_of(xp, centers):
    """A function of a lifted block Xb (b, d+1), or of sparse rows (b, d), that gives the index of each row's
    nearest centre (b,)."""
    lifted_centers = xp.concat([-2 * centers, xp.sum(centers * centers, axis=1)[:, None]], axis=1)  # (k, d+1)
    centre_major = bool(capability(backend_of(centers), "centre_major"))

    def nearest(Xb):
        D = _blocks.times_lifted(Xb, lifted_centers, centre_major)  # (k, b) or (b, k): ‖c‖² - 2x·c
        return argmin_along(D, 0 if centre_major else 1)  # (b,)
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
    k, d = centers.shape
    nearest = _nearest_of(xp, centers)
    labels = RowBlocks(xp, X.shape[0])
    by_columns = shift is None and _lifts_by_columns(X, centers)  # X lifted by `lift_samples`

    def run(blocks):  # one worker's blocks: their labels, and the sums [Σ w (x - shift), Σ w] of their clusters
        sums = xp.zeros((k, d + 1), dtype=centers.dtype, device=device_of(centers))  # (k, d+1)
        new = []  # the blocks' labels, where only the samples that moved are summed, after the blocks
        for block in blocks:
            Xb = _blocks.lifted_block(xp, X, block, shift)  # (b, d+1): [x - shift, 1]; sparse rows (b, d)
            labels_b = nearest(Xb)  # (b,)
            labels.put(block, labels_b)
            if with_sums and previous is None:
                w_b = None if sample_weight is None else sample_weight[block]  # (b,)
                sums = sums + _blocks.lifted_sums(xp, Xb, labels_b, k, w_b)  # (k, d+1)
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

    parts = on_workers(run, row_slices(X.shape[0], rows), workers)  # [sums] in block order
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
    """Each sample's nearest centre (n,) and the inertia Σ wᵢ ‖xᵢ - c_{label(i)}‖² (a 0-d array), in one pass.

    X and `shift` are as `assign` takes them (X lifted when `shift` is None); the distances to the centres
    are computed from the differences (exact), as `inertia` computes them.
    """
    nearest = _nearest_of(xp, centers)
    labels = RowBlocks(xp, X.shape[0])

    def run(blocks):  # one worker's blocks: their labels, and their part of the inertia
        total = xp.zeros((), dtype=centers.dtype, device=device_of(centers))
        for block in blocks:
            Xb = _blocks.lifted_block(xp, X, block, shift)  # (b, d+1), or sparse rows (b, d)
            labels_b = nearest(Xb)  # (b,)
            labels.put(block, labels_b)
            d2 = _blocks.distances_to_centres(xp, _blocks.unlifted(Xb), centers, labels_b)  # (b,)
            total = total + xp.sum(d2 if sample_weight is None else sample_weight[block] * d2)
        return total

    parts = on_workers(run, row_slices(X.shape[0], rows), workers)  # [inertia] in block order
    total = parts[0]
    for more in parts[1:]:
        total = total + more
    return labels.result(), total


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


def mean_centers(xp, sums, weights):
    """sums / weights for each cluster; an empty cluster sits at the heaviest cluster's centre."""
    filled = weights > 0  # (k,)
    means = sums / xp.where(filled, weights, xp.ones_like(weights))[:, None]  # (k, d)
    heaviest = xp.take(means, xp.reshape(xp.argmax(weights), (1,)), axis=0)  # (1, d)
    return xp.where(filled[:, None], means, heaviest)


def centered_row_norms(xp, X, shift, rows: int):
    """‖xᵢ - shift‖² for each sample (n,), and the mean over features of the variances (Σᵢ (xᵢⱼ - x̄ⱼ)² / n)."""
    norms, column_sq = RowBlocks(xp, X.shape[0]), 0
    for block in row_slices(X.shape[0], rows):
        Xb = _blocks.block(X, block, shift)  # (b, d)
        norms.put(block, _blocks.row_norms(xp, Xb))
        column_sq = column_sq + _blocks.column_squares(xp, Xb)  # (d,)
    return norms.result(), _blocks.mean_variance(xp, X, shift, column_sq)


def kmeans_plusplus(xp, X, shift, x_sq, sample_weight, n_clusters: int, rng, backend, rows: int | None = None):
    """Greedy k-means++ seeding; returns centres of shape (n_clusters, d) in shifted coordinates.

    `x_sq` holds ‖xᵢ - shift‖² (n,); `rng` is a numpy Generator. Everything stays on the device: the
    host only draws uniforms.
    `rows` per block defaults to what the working budget allows for the (rows, d) blocks.
    """
    n = X.shape[0]
    trials = 2 + int(math.log(n_clusters))
    rows = rows or chunk_rows(backend, max(X.shape[1], trials))
    u = draw(rng, backend, "random", (n_clusters, trials), dtype=dtype_name(x_sq))  # (k, t)

    def pick(cumulative, targets):  # sample indices whose cumulative weight first reaches each target
        return xp.clip(xp.searchsorted(cumulative, targets), max=n - 1)

    def nearest_with(points, closest=None):  # (n, m): squared distance to each point, or to the nearest
        p_sq = xp.sum(points * points, axis=1)  # centre so far where that is closer
        out = RowBlocks(xp, n)
        for b in row_slices(n, rows):
            d2 = xp.clip(x_sq[b, None] - 2 * (_blocks.block(X, b, shift) @ points.T) + p_sq, min=0.0)  # (b, m)
            out.put(b, d2 if closest is None else xp.minimum(closest[b, None], d2))
        return out.result()

    cumulative_w = xp.cumulative_sum(sample_weight)  # (n,)
    first = pick(cumulative_w, u[0, :1] * cumulative_w[-1])  # (1,)
    centers = [_blocks.dense_rows(xp, X, first, shift)]  # (1, d)
    closest = nearest_with(centers[0])[:, 0]  # (n,)
    for c in range(1, n_clusters):
        cumulative = xp.cumulative_sum(sample_weight * closest)  # (n,)
        candidates = _blocks.dense_rows(xp, X, pick(cumulative, u[c, :] * cumulative[-1]), shift)  # (t, d)
        D = nearest_with(candidates, closest)  # (n, t)
        potential = sample_weight @ D  # (t,): the inertia with each candidate added
        best = xp.reshape(xp.argmin(potential), (1,))
        centers.append(xp.take(candidates, best, axis=0))
        closest = xp.take(D, best, axis=1)[:, 0]  # (n,)
    return xp.concat(centers)


class BaseKMeans(TransformerMixin, BaseEstimator):
    """The methods KMeans and MiniBatchKMeans share once `cluster_centers_` and `_shift` are set."""

    _scales_out = True  # on dask: computed per chunk and reduced across chunks (tests/test_dask.py)

    _squares_X = True  # squared distances / variances of X: values beyond ~1e150 are refused at input
    _accepts_sparse = True  # a CSR X: its row blocks are multiplied by the centres (`_blocks`)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "clusterer"
        return tags

    # A callable init sees X centred on its mean (KMeans, as scikit-learn's), or as given (MiniBatchKMeans).
    _init_sees_centred_X = True

    def _check_init(self, X) -> Any:
        """`init` as a string or a callable, or as centres on the backend of shape (n_clusters, n_features)."""
        init, n, d = self.init, X.shape[0], X.shape[1]
        if n < self.n_clusters:
            raise ValueError(f"n_samples={n} should be >= n_clusters={self.n_clusters}.")
        if callable(init):
            return init
        if isinstance(init, str):
            if init not in ("k-means++", "random"):
                raise ValueError(f"init={init!r} should be 'k-means++', 'random' or an array of shape "
                                 f"(n_clusters, n_features).")
            return init
        return self._check_centers(init, d)

    def _check_centers(self, centers, d: int):
        centers = check_array(centers, self._backend, name="init", dtype=self._dtype)
        if tuple(centers.shape) != (self.n_clusters, d):
            raise ValueError(f"init has shape {tuple(centers.shape)}; expected (n_clusters, n_features)="
                             f"({self.n_clusters}, {d}).")
        return centers

    def _seed(self, X, shift, x_sq, w, init, rng):
        """Starting centres in shifted coordinates: k-means++, k random samples, a callable's or the given array."""
        xp = self._xp
        if callable(init):
            if self._init_sees_centred_X and not is_csr(X):
                return self._check_centers(init(X - shift, self.n_clusters, random_state=rng), X.shape[1])
            return self._check_centers(init(X, self.n_clusters, random_state=rng), X.shape[1]) - shift
        if not isinstance(init, str):
            return init - shift
        if init == "k-means++" and is_lazy(self._backend):  # k passes over the data are k computes: k-means||
            return kmeans_parallel(xp, X, shift, x_sq, w, self.n_clusters, rng, self._backend)
        if init == "k-means++":
            return kmeans_plusplus(xp, X, shift, x_sq, w, self.n_clusters, rng, self._backend)
        chosen = weighted_sample(rng, self._backend, w, self.n_clusters)  # (k,) distinct sample indices
        return _blocks.dense_rows(xp, X, chosen, shift)

    def _resolve_n_init(self, init, default: int) -> int:
        """`n_init`, with "auto" as 1 for "k-means++" or an array and `default` for "random"."""
        if self.n_init == "auto":
            return default if callable(init) or (isinstance(init, str) and init == "random") else 1
        if not isinstance(init, str) and not callable(init) and self.n_init != 1:
            warn(f"init is an array of centres: running once, not n_init={self.n_init} times.",
                 RuntimeWarning)
            return 1
        return self.n_init

    def _weights(self, X, sample_weight):
        if sample_weight is None and not is_csr(X):
            return xp_ones_rows(self._xp, X)
        w = check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)
        return align_rows(self._backend, w, X)

    def _rows(self, X) -> int:
        return block_rows(self._backend, self.n_clusters, X.shape[1])

    def predict(self, X: Any) -> Any:
        """The index of each sample's nearest centre, of shape (n_samples,)."""
        X_in, X = X, self._validate_data(X, reset=False)
        centers = self.cluster_centers_ - self._shift
        return self._output(assign(self._xp, X, self._shift, centers, self._rows(X)), X_in)

    def fit_predict(self, X: Any, y: Any = None, sample_weight: Any = None) -> Any:
        """Fit, then return `labels_` (the cluster of each training sample), of shape (n_samples,)."""
        return self._output(self.fit(X, sample_weight=sample_weight).labels_, X)

    def transform(self, X: Any) -> Any:
        """Euclidean distances to every centre, of shape (n_samples, n_clusters)."""
        X_in, X = X, self._validate_data(X, reset=False)
        xp = self._xp
        Xs = _blocks.block(X, slice(0, X.shape[0]), self._shift)  # (n, d)
        C = self.cluster_centers_ - self._shift  # (k, d)
        sq = _blocks.row_norms(xp, Xs)[:, None] - 2 * (Xs @ C.T) + xp.sum(C * C, axis=1)  # (n, k)
        return self._output(xp.sqrt(xp.clip(sq, min=0.0)), X_in)

    def fit_transform(self, X: Any, y: Any = None, sample_weight: Any = None) -> Any:
        """Fit, then return the distances of X to the centres, of shape (n_samples, n_clusters)."""
        return self.fit(X, sample_weight=sample_weight).transform(X)

    def score(self, X: Any, y: Any = None, sample_weight: Any = None) -> float:
        """Minus the inertia of X: -Σ wᵢ ‖xᵢ - nearest centre‖² (higher is better)."""
        X = self._validate_data(X, reset=False)
        xp, rows = self._xp, self._rows(X)
        w = self._weights(X, sample_weight)
        centers = self.cluster_centers_ - self._shift
        labels = assign(xp, X, self._shift, centers, rows)
        return -float(inertia(xp, X, self._shift, centers, labels, rows, w))
