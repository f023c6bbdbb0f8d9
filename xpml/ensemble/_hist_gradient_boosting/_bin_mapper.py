"""Binning for gradient boosting: the tree core's quantile bins, plus one bin for missing values.

Each feature's non-missing values are binned as every tree of xpml bins them
(`xpml.utils._binning.fit_bins`): one bin per distinct value when there are at most `max_bins`,
else `max_bins` bins of about equal counts, the edges being midpoints. A NaN has no place in that
order, so it gets a bin of its own, the last one (index `missing_bin`, after the widest feature's
bins); a split then sends it to whichever side lowers the loss more.

Like scikit-learn, the edges are learned from at most `subsample` rows drawn at random (the
quantiles of 200 000 rows are as good as those of millions), and the codes of all rows follow.

Reference: scikit-learn's `_BinMapper` (sklearn/ensemble/_hist_gradient_boosting/binning.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..._backend import device_of, to_numpy
from ...utils._binning import bin_codes, fit_bins

__all__ = ["BinMapper", "fit_bin_mapper"]

SUBSAMPLE = 200_000


@dataclass
class BinMapper:
    """What binning learned: feature j's edges `edges[j, :n_bins[j] - 1]` (the rest +inf), its number of
    non-missing bins `n_bins[j]`, and the bin of missing values, the same for all features."""

    edges: Any  # (p, missing_bin), +inf padded: edges[j, n_bins[j] - 1] is a threshold that keeps all values left
    n_bins: list  # p ints
    missing_bin: int  # = max(n_bins): histograms have missing_bin + 1 bins

    def transform(self, xp, X):
        """(n, p) integer codes of X: the bin of every value, `missing_bin` for NaN."""
        missing = xp.isnan(X)
        codes = bin_codes(xp.where(missing, 0.0, X), self.edges, xp=xp)  # (n, p)
        return xp.where(missing, xp.asarray(self.missing_bin, dtype=codes.dtype, device=device_of(codes)), codes)


def fit_bin_mapper(xp, X, max_bins: int, rng, subsample: int = SUBSAMPLE) -> BinMapper:
    """Learn the bins of the columns of X (n, p), NaN allowed, at most `max_bins` non-missing bins each."""
    n, p = X.shape
    if n > subsample:  # as scikit-learn: the edges from a random subset of the rows
        rows = sorted(rng.choice(n, subsample, replace=False).tolist())
        X = xp.take(X, xp.asarray(rows, device=device_of(X)), axis=0)
    n_missing = to_numpy(xp.sum(xp.astype(xp.isnan(X), X.dtype), axis=0)).tolist()  # host: NaNs per column
    rows_of: dict[int, tuple[Any, int]] = {}  # feature -> (its row of edges, n_bins)
    for j in range(p):
        present = X.shape[0] - int(n_missing[j])
        values = xp.sort(xp.where(xp.isnan(X[:, j]), math.inf, X[:, j]))[:present]  # (present,) NaNs sorted last
        distinct = 1 + int(xp.sum(xp.astype(values[1:] != values[:-1], xp.int32))) if present else 0
        if distinct <= 1:  # constant, or nothing but NaN: one bin of values
            rows_of[j] = (xp.zeros(0, dtype=X.dtype, device=device_of(X)), 1)
        elif distinct <= max_bins:  # a bin per distinct value, cut at the midpoints
            bins = fit_bins(values[:, None], max_bins, xp=xp)
            rows_of[j] = (bins.edges[0, :], bins.n_bins[0])
        else:
            edges = _quantile_edges(xp, values, max_bins)
            rows_of[j] = (edges, edges.shape[0] + 1)
    n_bins = [rows_of[j][1] for j in range(p)]
    width = max(n_bins)  # the missing bin's index, and the edges' width (the last column all +inf)
    edges = xp.stack([_padded(xp, rows_of[j][0][:n_bins[j] - 1], width, X) for j in range(p)])  # (p, width)
    return BinMapper(edges=edges, n_bins=n_bins, missing_bin=width)


def _quantile_edges(xp, values, max_bins: int):
    """The distinct quantiles k / max_bins (k = 1 .. max_bins - 1) of sorted `values` (n,), each by the averaged
    inverse of the empirical distribution function (numpy's "averaged_inverted_cdf", as scikit-learn's edges):
    the order statistic at n·q, or the mean of the two around it where n·q is a whole number."""
    n = values.shape[0]
    lower, upper = [], []
    for k in range(1, max_bins):
        position = n * (k * (100 / max_bins) / 100) - 1  # the virtual index, 0-based
        below = math.floor(position)
        exact = position == below
        lower.append(min(max(below if exact else below + 1, 0), n - 1))
        upper.append(min(below + 1, n - 1))
    dev = device_of(values)
    quantiles = (xp.take(values, xp.asarray(lower, device=dev)) / 2
                 + xp.take(values, xp.asarray(upper, device=dev)) / 2)  # (max_bins - 1,)
    kept = to_numpy(xp.concat([xp.ones(1, dtype=xp.bool, device=dev), quantiles[1:] != quantiles[:-1]])).tolist()
    return xp.take(quantiles, xp.asarray([i for i, keep in enumerate(kept) if keep], device=dev))  # sorted, distinct


def _padded(xp, row, width: int, like):
    """`row` followed by +inf to `width` entries."""
    pad = xp.full(width - row.shape[0], math.inf, dtype=like.dtype, device=device_of(like))
    return xp.concat([xp.astype(row, like.dtype), pad])
