"""Clustering metrics that need no ground truth, computed from the data: the silhouette, and the
Calinski-Harabasz and Davies-Bouldin indices (the metrics that compare two labelings: `_cluster_labels`).

Silhouette of sample i in cluster A: a = mean distance to the other members of A, b = the smallest
mean distance to the members of another cluster, s = (b - a) / max(a, b), and 0 for a sample alone
in its cluster. The distances are computed a block of rows at a time, and each block is reduced
at once to per-cluster sums (block @ one-hot), so memory stays at one (chunk, n_samples) block.

Calinski-Harabasz: the between-cluster dispersion Σₖ nₖ ||μₖ - μ||² over the within-cluster dispersion
Σᵢ ||xᵢ - μ_{k(i)}||², times (n - k)/(k - 1): higher is better separated. Davies-Bouldin: for each cluster, the
worst ratio (sₖ + sₗ) / ||μₖ - μₗ|| over the others, sₖ the mean distance of its members to its centroid; the
mean of those: lower is better.

References: P. J. Rousseeuw, J. Comput. Appl. Math. 20 (1987) 53-65; T. Calinski and J. Harabasz, Comm. in
Statistics 3 (1974) 1-27; D. L. Davies and D. W. Bouldin, IEEE TPAMI 1 (1979) 224-227.
"""

from __future__ import annotations

from typing import Any

from .._backend import to_backend
from ..utils._indexing import take_rows
from ..utils._param_validation import Interval, Options, check_param
from ..utils._random import check_random_state
from ..utils.validation import check_consistent_length
from ._common import encode_labels, metric_backend, to_float
from .pairwise import distance_factors

__all__ = ["calinski_harabasz_score", "davies_bouldin_score", "silhouette_samples", "silhouette_score"]

_METRICS = Options({"euclidean", "sqeuclidean", "cosine", "precomputed"})
_BLOCK_BYTES = 64 * 2**20  # the distance block of one chunk: at most 64 MiB unless chunk_size says otherwise


def _finish(xp, D, metric: str):
    """Clip rounding below 0 (and, for cosine, above 2); Euclidean takes the square root."""
    if metric == "cosine":
        return xp.minimum(xp.maximum(D, 0.0), 2.0)
    D = xp.maximum(D, 0.0)
    return xp.sqrt(D) if metric == "euclidean" else D


def silhouette_samples(X: Any, labels: Any, *, metric: str = "euclidean", chunk_size: int | None = None,
                       **kwds: Any):
    """The silhouette coefficient of each sample, in [-1, 1].

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features), or (n_samples, n_samples) with metric="precomputed"
    labels : array-like of shape (n_samples,)
        The cluster of each sample; 2 to n_samples - 1 distinct values.
    metric : {"euclidean", "sqeuclidean", "cosine", "precomputed"}, default="euclidean"
    chunk_size : int, optional
        Rows of the distance matrix computed at a time; by default, as many as fit in 64 MiB.
    **kwds
        Parameters of the metric, as scikit-learn passes them to its pairwise distances. The metrics
        above take none; `n_jobs` is accepted and not used (the distances are array operations).

    Returns
    -------
    s : array of shape (n_samples,), in the library of X.
    """
    _check_metric_kwds(metric, kwds)
    check_param("metric", metric, [_METRICS])
    check_param("chunk_size", chunk_size, [None, Interval(int, 1, None)])
    check_consistent_length(X=X, labels=labels)
    backend = metric_backend(X)
    xp = backend.xp
    X = to_float(X, backend, "X")
    enc = encode_labels({"labels": labels}, backend=backend)
    n, k = X.shape[0], enc.n_present
    if not 2 <= k <= n - 1:
        raise ValueError(f"labels holds {k} distinct values; a silhouette needs 2 to n_samples - 1 = {n - 1}.")
    if metric == "precomputed":
        if X.shape[1] != n:
            raise ValueError(f"X should be a square distance matrix with metric='precomputed'; got {tuple(X.shape)}.")
        if bool(xp.any(xp.abs(xp.linalg.diagonal(X)) > 100 * xp.finfo(X.dtype).eps)):
            raise ValueError("The precomputed distance matrix has non-zero entries on its diagonal; set them to 0.")
    codes = enc.codes[0]  # (n,)
    clusters = xp.arange(k, device=codes.device)
    onehot = xp.astype(codes[:, None] == clusters[None, :], X.dtype)  # (n, k)
    sizes = xp.sum(onehot, axis=0)  # (k,)
    left, right = (X, None) if metric == "precomputed" else distance_factors(xp, X, metric)  # (n, p + 2) each
    chunk = min(chunk_size or max(1, _BLOCK_BYTES // (8 * n)), n)
    offsets = xp.arange(chunk, device=codes.device)
    parts = []
    for start in range(0, n, chunk):
        # Rows by gather, not by slice: a compiling backend (jax) then builds one program per chunk
        # shape rather than one per chunk position.
        rows = (offsets + start)[: min(chunk, n - start)]  # (c,)
        block = xp.take(left, rows, axis=0)
        D = block if right is None else _finish(xp, block @ right.T, metric)  # (c, n)
        own = xp.take(onehot, rows, axis=0)  # (c, k)
        self_distance = _entries(xp, D, rows)  # (c, 1) rounding noise; 0 in exact arithmetic
        sums = D @ onehot - self_distance * own  # (c, k) total distance to the other members of each cluster
        own_size = xp.sum(own * sizes[None, :], axis=1)  # (c,)
        a = xp.sum(sums * own, axis=1) / xp.clip(own_size - 1, 1, None)  # (c,) mean distance within
        others = xp.where(own > 0, xp.full_like(sums, float("inf")), sums / sizes[None, :])
        b = xp.min(others, axis=1)  # (c,) mean distance to the nearest other cluster
        top = xp.maximum(a, b)
        undefined = (own_size <= 1) | (top == 0)
        parts.append(xp.where(undefined, xp.zeros_like(a), (b - a) / xp.where(undefined, xp.ones_like(top), top)))
    return xp.concat(parts)


def _entries(xp, D, columns):
    """D[i, columns[i]] of each row i, (c, 1): by `take_along_axis`, or, where the namespace has none (dask), as
    the sum of the row masked to that column, which is the same number."""
    if hasattr(xp, "take_along_axis"):
        return xp.take_along_axis(D, columns[:, None], axis=1)
    hit = columns[:, None] == xp.arange(D.shape[1], device=columns.device)[None, :]  # (c, n)
    return xp.sum(xp.where(hit, D, xp.zeros_like(D)), axis=1, keepdims=True)


def _check_metric_kwds(metric: str, kwds: dict) -> None:
    """Refuse metric parameters that the metrics here do not take (n_jobs is accepted, and not used)."""
    unknown = sorted(set(kwds) - {"n_jobs"})
    if unknown:
        raise TypeError(f"metric={metric!r} takes no parameters; got {unknown}.")


def silhouette_score(X: Any, labels: Any, *, metric: str = "euclidean", sample_size: int | None = None,
                     random_state: Any = None, chunk_size: int | None = None, **kwds: Any) -> float:
    """The mean silhouette coefficient over the samples (or over a random subset of `sample_size`).

    Parameters as in `silhouette_samples`; `random_state` (int, None or numpy Generator) draws the subset.
    """
    _check_metric_kwds(metric, kwds)
    check_param("sample_size", sample_size, [None, Interval(int, 1, None)])
    if sample_size is not None:
        check_consistent_length(X=X, labels=labels)
        backend = metric_backend(X)
        xp = backend.xp
        X = to_float(X, backend, "X")
        subset = check_random_state(random_state).permutation(X.shape[0])[:sample_size]
        rows = to_backend(subset, backend)
        X, labels = xp.take(X, rows, axis=0), take_rows(labels, subset)
        if metric == "precomputed":
            X = xp.take(X, rows, axis=1)
    s = silhouette_samples(X, labels, metric=metric, chunk_size=chunk_size)
    return float(metric_backend(s).xp.mean(s))


def _centroids(X: Any, labels: Any):
    """(xp, X (n, p), one-hot of the clusters (n, k), sizes (k,), centroids (k, p)), checking 2 <= k < n."""
    check_consistent_length(X=X, labels=labels)
    backend = metric_backend(X)
    xp = backend.xp
    X = to_float(X, backend, "X")
    enc = encode_labels({"labels": labels}, backend=backend)
    n, k = X.shape[0], enc.n_present
    if not 2 <= k <= n - 1:
        raise ValueError(f"Number of labels is {k}. Valid values are 2 to n_samples - 1 (inclusive); n_samples={n}.")
    onehot = xp.astype(enc.codes[0][:, None] == xp.arange(k, device=X.device)[None, :], X.dtype)  # (n, k)
    sizes = xp.sum(onehot, axis=0)  # (k,)
    return xp, X, onehot, sizes, (onehot.T @ X) / sizes[:, None]  # (k, p)


def calinski_harabasz_score(X: Any, labels: Any) -> float:
    """The ratio of between-cluster to within-cluster dispersion, times (n - k)/(k - 1) (the variance ratio)."""
    xp, X, onehot, sizes, centroids = _centroids(X, labels)
    n, k = X.shape[0], sizes.shape[0]
    spread = centroids - xp.mean(X, axis=0)[None, :]  # (k, p)
    between = float(xp.sum(sizes * xp.sum(spread * spread, axis=1)))
    residual = X - onehot @ centroids  # (n, p) each sample from its centroid
    within = float(xp.sum(residual * residual))
    return 1.0 if within == 0.0 else between * (n - k) / (within * (k - 1.0))


def davies_bouldin_score(X: Any, labels: Any) -> float:
    """The mean over clusters of the worst (sₖ + sₗ) / ||μₖ - μₗ||, sₖ the mean distance to the centroid μₖ."""
    xp, X, onehot, sizes, centroids = _centroids(X, labels)
    residual = X - onehot @ centroids  # (n, p)
    spread = (xp.sqrt(xp.sum(residual * residual, axis=1)) @ onehot) / sizes  # (k,) s_k
    gaps = centroids[:, None, :] - centroids[None, :, :]  # (k, k, p)
    apart = xp.sqrt(xp.sum(gaps * gaps, axis=2))  # (k, k) distances between centroids
    if bool(xp.all(xp.abs(spread) <= 1e-8)) or bool(xp.all(xp.abs(apart) <= 1e-8)):
        return 0.0  # one point a cluster, or all centroids in one place (scikit-learn's allclose(., 0))
    ratio = (spread[:, None] + spread[None, :]) / xp.where(apart == 0, xp.full_like(apart, float("inf")), apart)
    return float(xp.mean(xp.max(ratio, axis=1)))
