"""k-means|| seeding (Bahmani et al. 2012): k-means++ in a few passes over data that do not fit in one process.

k-means++ picks its k centres one after the other, each from a pass over the data: k passes. On a
lazy backend (dask), where a pass reads every chunk, possibly from disk, k-means|| needs few:

1. one centre drawn uniformly; ψ = Σ wᵢ d²(xᵢ, C), the cost of the centres so far (one pass);
2. `rounds` times, one pass each: every sample joins the candidates independently with probability
   min(1, ℓ wᵢ d²(xᵢ, C) / ψ), ℓ = `oversampling` × k; the pass also gives ψ for the candidates
   before the round, used by the next round (a ψ one round old is an upper bound of the current one:
   slightly fewer samples are drawn than with the current ψ, never more);
3. one pass weighs each candidate by the weight of the samples nearest to it;
4. the weighted candidates (about ℓ × rounds points, on the host) are clustered into k by greedy
   k-means++ and Lloyd, and those are the k starting centres.

The draws are made from `rng`: a seed gives the same centres with the same chunks.

Reference: B. Bahmani, B. Moseley, A. Vattani, R. Kumar and S. Vassilvitskii, "Scalable K-Means++",
PVLDB 5(7), 2012, 622-633.
"""

from __future__ import annotations

from .._backend import backend_of, to_backend
from ..utils._argmin import argmin_along
from ..utils._lazy import materialize, read_values
from ..utils._random import uniform_rows
from ..utils._scatter import scatter_add

__all__ = ["kmeans_parallel"]


def _nearest_sq(xp, X, shift, x_sq, C):
    """(n,) squared distance of each sample (shifted) to its nearest row of C (m, d), and (n,) its index."""
    D = xp.clip(x_sq[:, None] - 2 * ((X - shift) @ C.T) + xp.sum(C * C, axis=1), min=0.0)  # (n, m)
    return xp.min(D, axis=1), argmin_along(D, 1, xp=xp)


def kmeans_parallel(xp, X, shift, x_sq, w, n_clusters: int, rng, backend, *, rounds: int = 5,
                    oversampling: float = 2.0):
    """k-means|| starting centres (n_clusters, d) in shifted coordinates; `x_sq` holds ‖xᵢ - shift‖² (n,)."""
    from ._kmeans import lloyd  # the host reclustering runs Lloyd too
    from ._kmeans_common import kmeans_plusplus

    n = X.shape[0]
    first = int(rng.integers(n))
    C, = materialize(backend, X[first:first + 1, :] - shift)  # (1, d)
    d2, _ = _nearest_sq(xp, X, shift, x_sq, C)
    psi, = read_values(backend, xp.sum(w * d2))
    ell = oversampling * n_clusters
    for _ in range(rounds):
        if float(psi) <= 0:  # every sample sits on a candidate
            break
        d2, _ = _nearest_sq(xp, X, shift, x_sq, C)  # (n,)
        chosen = uniform_rows(rng, backend, X) * float(psi) < ell * w * d2  # (n,) independent draws
        new, psi = read_values(backend, X[chosen, :] - shift, xp.sum(w * d2))  # (m, d) on the host, ψ(C)
        if new.shape[0]:
            C, = materialize(backend, xp.concat([C, to_backend(new, backend, dtype=str(new.dtype))], axis=0))
    _, nearest = _nearest_sq(xp, X, shift, x_sq, C)  # (n,)
    candidates, weights = read_values(backend, C, scatter_add(w, nearest, C.shape[0]))  # (m, d), (m,)
    host = backend_of(candidates)
    hx = host.xp
    if candidates.shape[0] <= n_clusters:  # too few candidates: top them up with random samples
        extra = rng.choice(n, size=n_clusters - candidates.shape[0] + 1, replace=False)
        more, = read_values(backend, xp.take(X, to_backend(extra, backend), axis=0) - shift)
        candidates = hx.concat([candidates, hx.asarray(more, dtype=candidates.dtype)])
        weights = hx.concat([weights, hx.ones(more.shape[0], dtype=weights.dtype)])
    weights = hx.where(weights > 0, weights, hx.full_like(weights, 1e-12))  # a candidate nobody is nearest to
    zero = hx.zeros(candidates.shape[1], dtype=candidates.dtype)
    c_sq = hx.sum(candidates * candidates, axis=1)
    start = kmeans_plusplus(hx, candidates, zero, c_sq, weights, n_clusters, rng, host)
    centers, _, _ = lloyd(hx, candidates, zero, weights, start, max_iter=100, tol=0.0, rows=candidates.shape[0])
    return to_backend(centers, backend)
