"""What KMeans and MiniBatchKMeans share: the seeding, the update step and the estimator base (the
assignment step is `_assign`).

Seeding is k-means++ (Arthur & Vassilvitskii, "k-means++: the advantages of careful seeding", SODA
2007) in its greedy form: each new centre is the best of 2 + ⌊ln k⌋ candidates drawn with
probability proportional to the squared distance to the nearest centre so far. The uniform draws are
made on the host (`xpml.utils._random`), the sampling itself on the device, so a seed gives the same
centres on every backend.
"""

from __future__ import annotations

import math
from typing import Any

from .._backend import dtype_name
from ..base import BaseEstimator, TransformerMixin, check_is_fitted
from ..utils._chunks import RowBlocks, chunk_rows, row_slices
from ..utils._csr import is_csr
from ..utils._feature_names import prefixed_feature_names
from ..utils._lazy import align_rows, is_lazy
from ..utils._random import draw, weighted_sample
from ..utils._warnings import warn
from ..utils.validation import check_array, check_sample_weight
from . import _blocks
from ._assign import (
    assign,
    assign_and_sum,
    block_rows,
    inertia,
    labels_inertia,
    prepare_samples,
    squared_distances,
)

__all__ = ["BaseKMeans", "assign", "assign_and_sum", "block_rows", "centered_row_norms", "inertia", "kmeans_plusplus",
           "labels_inertia", "mean_centers", "prepare_samples", "squared_distances"]


def kmeans_parallel(*args, **kwargs):
    from ._kmeans_parallel import (
        kmeans_parallel,  # it uses this module's seeding for its last step
    )

    return kmeans_parallel(*args, **kwargs)


def xp_ones_rows(xp, X):
    """Ones (n,) laid out as X's rows (dask: in its chunks, never one chunk of n)."""
    return xp.ones_like(X[:, 0])


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

    def get_feature_names_out(self, input_features: Any = None):
        """The output column names of `transform`: "kmeans0", "kmeans1", ..., one per centre."""
        check_is_fitted(self)
        return prefixed_feature_names(self, self.cluster_centers_.shape[0], input_features)

    def score(self, X: Any, y: Any = None, sample_weight: Any = None) -> float:
        """Minus the inertia of X: -Σ wᵢ ‖xᵢ - nearest centre‖² (higher is better)."""
        X = self._validate_data(X, reset=False)
        xp, rows = self._xp, self._rows(X)
        w = self._weights(X, sample_weight)
        centers = self.cluster_centers_ - self._shift
        labels = assign(xp, X, self._shift, centers, rows)
        return -float(inertia(xp, X, self._shift, centers, labels, rows, w))
