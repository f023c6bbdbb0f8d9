"""Quantile binning: each feature's values mapped once to at most `max_bins` small integer codes.

A tree only ever asks "is x_j <= t?", so it needs the order of a feature's values, not the values.
Binning keeps that order in a code per value, and every later step (histograms, split search,
moving samples) works on the codes:

- a feature with at most `max_bins` distinct values gets one bin per value, and the edges between
  bins are the midpoints of adjacent distinct values; then a split on codes is exactly a split on
  values, as an exact tree would find it;
- a feature with more gets `max_bins` bins of about equal counts: the edges are the quantiles
  k / max_bins of its values (each the midpoint of the two order statistics around it), repeated
  edges dropped.

Each bin also records the smallest and the largest training value it holds, so that a split
between two bins can be given the threshold an exact tree would give: the midpoint between the
largest value on the left and the smallest on the right.

Reference: scikit-learn's HistGradientBoosting binning (`_BinMapper`); Ke et al., "LightGBM: A Highly
Efficient Gradient Boosting Decision Tree", NeurIPS 2017.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .._backend import device_of, namespace_of

__all__ = ["Bins", "bin_codes", "fit_bins"]


@dataclass
class Bins:
    """What binning learned, per feature j: `edges[j, :n_bins[j] - 1]` (the rest +inf), and the
    smallest `low[j, b]` and largest `high[j, b]` value of each bin b; B = max(n_bins) <= max_bins."""

    edges: Any  # (p, B - 1)
    low: Any  # (p, B)
    high: Any  # (p, B)
    n_bins: list  # p ints


def fit_bins(X: Any, max_bins: int = 256, *, xp=None) -> Bins:
    """Learn the bins of every column of X (n, p), at most `max_bins` each (2 <= max_bins <= 256)."""
    xp = namespace_of(X) if xp is None else xp
    p = X.shape[1]
    inf = xp.asarray(math.inf, dtype=X.dtype, device=device_of(X))
    edges, n_bins = [], []
    for j in range(p):
        distinct = xp.unique_values(X[:, j])  # (d,), sorted
        if distinct.shape[0] <= max_bins:
            cuts = (distinct[:-1] + distinct[1:]) / 2  # (d - 1,) midpoints of adjacent values
        else:
            cuts = xp.unique_values(_quantiles(xp, xp.sort(X[:, j]), max_bins))  # (<= max_bins - 1,)
        n_bins.append(int(cuts.shape[0]) + 1)
        edges.append(cuts)
    width = max(n_bins)
    edges = xp.stack([xp.concat([cuts, xp.broadcast_to(inf, (width - cuts.shape[0] - 1,))])
                      for cuts in edges])  # (p, B - 1), B = the most bins of any feature; +inf pads
    low, high = _bin_ranges(xp, X, bin_codes(X, edges, xp=xp), width)
    return Bins(edges, low, high, n_bins)


def bin_codes(X: Any, edges: Any, *, xp=None) -> Any:
    """The bin of every entry of X (n, p): the number of edges of its feature below it, as int64."""
    xp = namespace_of(X) if xp is None else xp
    n, p = X.shape
    by_feature = xp.reshape(xp.permute_dims(X, (1, 0)), (-1,))  # (p·n,): each column contiguous, as searches want
    columns = [xp.searchsorted(edges[j, :], by_feature[j * n:(j + 1) * n], side="left") for j in range(p)]
    return xp.astype(xp.stack(columns, axis=1), xp.int64)  # (n, p)


def _quantiles(xp, sorted_column, max_bins: int):
    """The quantiles k / max_bins, k = 1 .. max_bins - 1, each the midpoint of its two order statistics."""
    n = sorted_column.shape[0]
    position = [k * (n - 1) / max_bins for k in range(1, max_bins)]
    below = xp.asarray([math.floor(q) for q in position], device=device_of(sorted_column))
    above = xp.asarray([math.ceil(q) for q in position], device=device_of(sorted_column))
    return (xp.take(sorted_column, below) + xp.take(sorted_column, above)) / 2


def _bin_ranges(xp, X, codes, max_bins: int):
    """(low, high), each (p, max_bins): the smallest and largest value of X in each bin (+inf / -inf if empty)."""
    bins = xp.arange(max_bins, dtype=codes.dtype, device=device_of(codes))  # (B,)
    low, high = [], []
    for j in range(X.shape[1]):
        order = xp.argsort(X[:, j])
        values, column = xp.take(X[:, j], order), xp.take(codes[:, j], order)  # sorted values, their codes
        first = xp.searchsorted(column, bins, side="left")  # (B,)
        last = xp.searchsorted(column, bins, side="right") - 1  # (B,)
        empty = last < first
        top = values.shape[0] - 1
        low.append(xp.where(empty, math.inf, xp.take(values, xp.clip(first, 0, top))))
        high.append(xp.where(empty, -math.inf, xp.take(values, xp.clip(last, 0, top))))
    return xp.stack(low), xp.stack(high)
