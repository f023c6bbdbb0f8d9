"""Binning for gradient boosting: the tree core's quantile bins, plus one bin for missing values.

Each feature's non-missing values are binned as every tree of xpml bins them
(`xpml.utils._binning.fit_bins`): one bin per distinct value when there are at most `max_bins`,
else `max_bins` bins of about equal counts, the edges being midpoints. A NaN has no place in that
order, so it gets a bin of its own, the last one (index `missing_bin`, after the widest feature's
bins); a split then sends it to whichever side lowers the loss more.

A categorical feature's values are codes 0, 1, ..., k - 1 of its k categories (`_categories`): its
bins are its categories (edges at 0.5, 1.5, ..., none learned), k of them, whatever the counts.

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

    def transform(self, xp, X, dtype=None):
        """(n, p) integer codes of X: the bin of every value, `missing_bin` for NaN (`dtype`: `bin_codes`'s)."""
        return bin_codes(X, self.edges, missing=self.missing_bin, dtype=dtype, xp=xp)  # (n, p)


def fit_bin_mapper(xp, X, max_bins: int, rng, subsample: int = SUBSAMPLE, n_categories=None) -> BinMapper:
    """Learn the bins of the columns of X (n, p), NaN allowed, at most `max_bins` non-missing bins each;
    `n_categories` (p,): a categorical feature's number of categories, None for the others."""
    n, p = X.shape
    n_categories = [None] * p if n_categories is None else n_categories
    edges: dict[int, list] = {j: [c + 0.5 for c in range(k - 1)] for j, k in enumerate(n_categories) if k is not None}
    if n > subsample:  # as scikit-learn: the edges from a random subset of the rows
        rows = sorted(rng.choice(n, subsample, replace=False).tolist())
        X = xp.take(X, xp.asarray(rows, device=device_of(X)), axis=0)
        n = subsample
    # each column sorted, NaN (as +inf) last; values need no stable sort (numpy's stable one is 13 times slower)
    S = xp.sort(xp.where(xp.isnan(X), math.inf, X), axis=0, stable=False)  # (n, p)
    n_missing = to_numpy(xp.sum(xp.astype(xp.isnan(X), xp.int32), axis=0)).tolist()  # host: NaNs per column
    new = (S[1:, :] != S[:-1, :]) & (S[1:, :] < math.inf)  # (n-1, p): row i+1 starts a new (non-missing) value
    distinct = [int(d) + 1 for d in to_numpy(xp.sum(xp.astype(new, xp.int32), axis=0)).tolist()]
    few = [j for j in range(p) if n_missing[j] == 0 and 1 < distinct[j] <= max_bins and j not in edges]
    if few:  # a bin per distinct value, cut at the midpoints: these columns together
        bins = fit_bins(xp.take(X, xp.asarray(few, device=device_of(X)), axis=1), max_bins, xp=xp)
        cuts = to_numpy(bins.edges).tolist()
        edges.update((j, cuts[i][:bins.n_bins[i] - 1]) for i, j in enumerate(few))
    for j in range(p):
        present = n - int(n_missing[j])
        if j in edges:
            continue
        if present == 0 or distinct[j] <= 1:  # constant, or nothing but NaN: one bin of values
            edges[j] = []
        elif distinct[j] <= max_bins:  # with NaN: the column's values alone
            column = xp.take(S[:, j], xp.arange(present, device=device_of(S)))  # (present,) a fresh array
            bins = fit_bins(column[:, None], max_bins, xp=xp)
            edges[j] = to_numpy(bins.edges[0, :bins.n_bins[0] - 1]).tolist()
        else:
            edges[j] = _quantile_edges(xp, S[:present, j], max_bins)
    n_bins = [len(edges[j]) + 1 for j in range(p)]
    width = max(n_bins)  # the missing bin's index, and the edges' width (the last column all +inf)
    table = [edges[j] + [math.inf] * (width - len(edges[j])) for j in range(p)]
    return BinMapper(edges=xp.asarray(table, dtype=X.dtype, device=device_of(X)), n_bins=n_bins, missing_bin=width)


def _quantile_edges(xp, values, max_bins: int):
    """The distinct quantiles (a host list) k / max_bins (k = 1 .. max_bins - 1) of sorted `values` (n,), each by the
    averaged inverse of the empirical distribution function (numpy's "averaged_inverted_cdf", as scikit-learn's edges):
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
    host = to_numpy(quantiles).tolist()
    return [v for i, v in enumerate(host) if i == 0 or v != host[i - 1]]  # sorted, distinct
