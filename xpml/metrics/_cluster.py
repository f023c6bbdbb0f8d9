"""Clustering metrics: the silhouette (no ground truth needed) and the adjusted Rand index.

Silhouette of sample i in cluster A: a = mean distance to the other members of A, b = the smallest
mean distance to the members of another cluster, s = (b - a) / max(a, b), and 0 for a sample alone
in its cluster. The distances are computed a block of rows at a time, and each block is reduced
at once to per-cluster sums (block @ one-hot), so memory stays at one (chunk, n_samples) block.

Adjusted Rand index: over the n(n-1) ordered pairs of samples, count the pairs that both labelings
put together (tp), apart (tn), or together in only one (fp, fn); all come from the contingency
table n_ij. ARI = 2 (tp·tn - fn·fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn)): 1 for identical
partitions, about 0 for independent ones.

References: P. J. Rousseeuw, J. Comput. Appl. Math. 20 (1987) 53-65; L. Hubert and P. Arabie,
Journal of Classification 2 (1985) 193-218.
"""

from __future__ import annotations

from typing import Any

from .._backend import to_backend
from ..utils._bincount import bincount
from ..utils._indexing import take_rows
from ..utils._param_validation import Interval, Options, check_param
from ..utils._random import check_random_state
from ..utils.validation import check_consistent_length
from ._common import encode_labels, metric_backend, to_float
from .pairwise import distance_factors

__all__ = ["adjusted_rand_score", "silhouette_samples", "silhouette_score"]

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


def adjusted_rand_score(labels_true: Any, labels_pred: Any) -> float:
    """The Rand index adjusted for chance, between two partitions of the samples.

    Parameters
    ----------
    labels_true, labels_pred : array-like of shape (n_samples,)
        Labels of any type; only which samples share a label matters.

    Returns
    -------
    float, 1.0 for identical partitions (up to renaming), near 0.0 for random ones, possibly negative.
    """
    check_consistent_length(labels_true=labels_true, labels_pred=labels_pred)
    backend = metric_backend(labels_pred, labels_true)
    xp = backend.xp
    true = encode_labels({"labels_true": labels_true}, backend=backend)
    pred = encode_labels({"labels_pred": labels_pred}, backend=backend)
    t, p = true.codes[0], pred.codes[0]
    k_pred = pred.n_present
    cells = xp.unique_counts(t * k_pred + p).counts  # (n_cells,) the non-empty entries n_ij of the contingency table
    sum_cells = int(xp.sum(cells * cells))  # Σ n_ij²
    sum_true = int(xp.sum(bincount(t, true.n_present) ** 2))  # Σ_i (row sum)²
    sum_pred = int(xp.sum(bincount(p, k_pred) ** 2))  # Σ_j (column sum)²
    n = int(t.shape[0])
    tp = sum_cells - n  # ordered pairs together in both
    fp = sum_pred - sum_cells  # together in labels_pred only
    fn = sum_true - sum_cells  # together in labels_true only
    tn = n * n - tp - fp - fn - n  # apart in both
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))
