"""The bin edges of KBinsDiscretizer: for each feature, n_bins + 1 edges from its smallest to its largest value.

- "uniform": evenly spaced, numpy.linspace(min, max, n_bins + 1) in the data's dtype;
- "quantile": the quantiles at 0, 1/n_bins, ..., 1 (`xpml.utils._quantiles`: numpy's `method`, or, with sample
  weights, scikit-learn's weighted inverted distribution function, averaged or not), in float64;
- "kmeans": the midpoints between the sorted centres of a 1-D k-means (`xpml.cluster.KMeans`, Lloyd's
  algorithm, weighted by the samples' weights) started, as scikit-learn starts it, from the centres of
  the uniform bins, with min and max at the ends.

A constant feature gets one bin, (-inf, inf), with a warning; with sample weights, a feature is constant where
its samples of positive weight are, whatever those of weight 0 hold, which no strategy reads otherwise
(scikit-learn's quantiles would give it no bin at all, and its one-hot encoding then fails). With "quantile" and
"kmeans", an edge within 1e-8 of the one before it is removed (ties, or clusters that met), with a warning: the
feature then has fewer bins. The quantiles are computed on the device, all the features that share a number of
bins at once; the few numbers per feature (minimum, maximum, edges) then come to the host, where the edges are
kept as scikit-learn keeps them (one numpy array per feature).
"""

from __future__ import annotations

import math

from .._backend import to_backend, to_numpy
from ..utils._errstate import float_errors_ignored
from ..utils._host import host_namespace
from ..utils._quantiles import nan_quantiles, weighted_quantiles
from ..utils._warnings import warn

__all__ = ["bin_edges", "edge_tables"]

_NARROWEST = 1e-8  # a bin narrower than this is removed (its upper edge dropped)


def _uniform(low, high, n_bins: int):
    """numpy.linspace(low, high, n_bins + 1) on the host, in low's dtype (low, high: 0-d host arrays)."""
    return host_namespace().linspace(low, high, n_bins + 1)


def _quantile_edges(X, n_bins: list, wanted: list, w, method: str, backend) -> dict:
    """{feature: its n_bins + 1 quantiles (on the host)}, for the `wanted` features, each group of features with
    the same number of bins in one computation."""
    hxp, out = host_namespace(), {}
    for k in sorted({n_bins[j] for j in wanted}):
        columns = [j for j in wanted if n_bins[j] == k]
        part = backend.xp.take(X, to_backend(hxp.asarray(columns), backend), axis=1)  # (n, c)
        levels = hxp.linspace(0.0, 100.0, k + 1)  # (k + 1,) percent, numpy's
        if w is None:
            found = nan_quantiles(part, levels / 100, method=method)  # (k + 1, c)
        else:
            found = weighted_quantiles(part, w, levels, average=method == "averaged_inverted_cdf")
        found = to_numpy(found)
        out.update({j: found[:, i] for i, j in enumerate(columns)})
    return out


def _kmeans_edges(X, j: int, n_bins: int, low, high, w, backend):
    """Feature j's edges from a 1-D k-means started at the centres of the uniform bins."""
    from ..cluster import KMeans

    hxp = host_namespace()
    grid = _uniform(low, high, n_bins)  # (k + 1,) in the data's dtype
    start = ((grid[1:] + grid[:-1]) * 0.5)[:, None]  # (k, 1) the bins' centres
    km = KMeans(n_clusters=n_bins, init=start, n_init=1, backend=backend).fit(X[:, j:j + 1], sample_weight=w)
    centres = hxp.sort(to_numpy(km.cluster_centers_)[:, 0])  # (k,)
    middles = (centres[1:] + centres[:-1]) * 0.5
    return hxp.concat([hxp.reshape(low, (1,)), middles, hxp.reshape(high, (1,))])


def bin_edges(X, n_bins: list, strategy: str, method: str, w, backend) -> list:
    """Each feature's edges (a host array) for X (n, p) on `backend`, with weights w (n,) or None; n_bins, one int
    per feature, is updated where a feature is constant (1) or loses narrow bins."""
    xp, hxp = backend.xp, host_namespace()
    mask = None if w is None else w != 0  # the samples of positive weight bound the bins
    X_low = X if mask is None else xp.where(mask[:, None], X, xp.full_like(X, math.inf))
    X_high = X if mask is None else xp.where(mask[:, None], X, xp.full_like(X, -math.inf))
    lows, highs = to_numpy(xp.min(X_low, axis=0)), to_numpy(xp.max(X_high, axis=0))  # (p,) each, X's dtype
    constant = [bool(lows[j] == highs[j]) for j in range(X.shape[1])]
    varying = [j for j in range(X.shape[1]) if not constant[j]]
    quantiles = _quantile_edges(X, n_bins, varying, w, method, backend) if strategy == "quantile" else {}
    edges = []
    for j in range(X.shape[1]):
        if constant[j]:
            warn(f"Feature {j} is constant and will be replaced with 0.", UserWarning)
            n_bins[j] = 1
            edges.append(hxp.asarray([-math.inf, math.inf]))
            continue
        low, high = hxp.asarray(lows[j]), hxp.asarray(highs[j])  # 0-d, X's dtype
        if strategy == "uniform":
            edges.append(_uniform(low, high, n_bins[j]))
            continue
        found = quantiles[j] if strategy == "quantile" else _kmeans_edges(X, j, n_bins[j], low, high, w, backend)
        keep = hxp.concat([hxp.asarray([math.inf]), found[1:] - found[:-1]]) > _NARROWEST
        found = found[keep]
        if found.shape[0] - 1 != n_bins[j]:
            warn(f"Bins whose width are too small (i.e., <= 1e-8) in feature {j} are removed. Consider decreasing "
                 f"the number of bins.", UserWarning)
            n_bins[j] = found.shape[0] - 1
        edges.append(found)
    return edges


def edge_tables(edges: list, backend):
    """What transform and inverse_transform read on the device: each feature's inner edges (p, B - 1), padded with
    +inf, and its bins' centres (p, B), padded with NaN (B the most bins of a feature), in the backend's float
    dtype (float64 where there is one, in which every edge is exact)."""
    hxp = host_namespace()
    width = max(e.shape[0] for e in edges) - 1  # B
    pad = lambda values, value, length: hxp.concat([values, hxp.full(length - values.shape[0], value)])
    with float_errors_ignored():  # a constant feature's one bin, (-inf, inf), has no centre: NaN, as scikit-learn's
        wide = [hxp.astype(e, hxp.float64) for e in edges]
        inner = hxp.stack([pad(e[1:-1], math.inf, max(width - 1, 0)) for e in wide])  # (p, B - 1)
        centres = hxp.stack([pad((e[1:] + e[:-1]) * 0.5, math.nan, width) for e in wide])  # (p, B)
    dtype = "float64" if backend.has_float64 else "float32"
    return to_backend(inner, backend, dtype=dtype), to_backend(centres, backend, dtype=dtype)
