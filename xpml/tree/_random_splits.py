"""Random splits on binned features: the Extra-Trees rule, and the features each node draws.

Extremely randomized trees (Geurts, Ernst & Wehenkel 2006) split a node thus: for each of K candidate
features, one threshold t drawn uniformly between the smallest and the largest value of that feature
among the node's samples; of those K splits "x_j <= t", the one the criterion prefers. The trees of an
isolation forest (Liu, Ting & Zhou 2008) are the case K = 1, where the criterion chooses nothing.

On binned features (`xpml.utils._binning`), each bin b of feature j knows the smallest and the largest
training value it holds, low[j, b] and high[j, b]; a node knows the range [lo, hi] of the codes of its
samples (`code_ranges`). For each (node, candidate feature), `random_cuts`:

1. draws t = low[j, lo] + u · (high[j, hi] - low[j, lo]), u uniform in [0, 1);
2. cuts after c, the last bin whose middle (low + high) / 2 is <= t, kept within [lo, hi - 1] so that
   each side holds a bin of the node: the samples in bins <= c go left;
3. and the split's threshold is t itself (`_grow._decide`), where t lies between the largest value on
   the left and the smallest on the right; elsewhere, the midpoint of those two values.

A feature with at most 256 distinct values has a bin per value (low = high = the value): this is then
the Extra-Trees rule exactly, t uniform over the node's [min, max] and the left child the samples with
x <= t. A feature with more values has quantile bins, and two approximations: the range drawn from is
that of the node's bins, which may reach past the node's own values, and a t that falls inside a bin
sends the whole bin to the side of its middle it falls on.

The candidate features (`draw_features`): K drawn without replacement among those not constant in the
node, constant ones coming only where fewer than K vary (they give no split). scikit-learn's splitter
draws features one at a time and stops after K, or later if all it met were constant: the same law for
K = 1 (uniform among the varying features), and for larger K a draw that here never wastes a candidate
on a constant feature. A forest whose trees see subsets of the features (an isolation forest's
max_features) draws each tree's nodes' features among its own (`allowed`).

References: Geurts, Ernst & Wehenkel, "Extremely randomized trees", Machine Learning 63 (2006);
Liu, Ting & Zhou, "Isolation Forest", ICDM 2008.
"""

from __future__ import annotations

import math

from .._backend import device_of
from ..utils._segments import segment_max

__all__ = ["bin_middles", "candidates", "code_ranges", "draw_features", "histogram_cut", "random_cuts"]


def candidates(xp, codes, low, high, middles, rows, node, stats, n_nodes: int, f: int, u, cut_u, allowed=None):
    """Each node's candidate features (n_nodes, f) (None: all p, in order), and for random splits (`cut_u`, uniform
    (n_nodes, f), not None) their cuts and drawn thresholds (n_nodes, f) each; `u` (n_nodes, p), uniform, orders
    the features (None where all p are candidates); `allowed` (n_nodes, p), bool, the features of each node's tree."""
    if cut_u is None:
        return (None if u is None else draw_features(xp, u, f, allowed=allowed)), None, None
    live = (stats[:, 0] > 0) & (node < n_nodes)  # (n,): samples that count, at a node of this level
    lo, hi = code_ranges(xp, codes, rows, node, live, n_nodes)  # (m, p) each
    features = None if u is None else draw_features(xp, u, f, constant=hi <= lo, allowed=allowed)
    cuts, drawn = random_cuts(xp, low, high, middles, lo, hi, features, cut_u, node.dtype)
    return features, cuts, drawn


def draw_features(xp, u, f: int, constant=None, allowed=None):
    """(m, f): each node's first f features in the random order u (m, p): varying ones first, then constant ones
    (`constant` (m, p)), then those its tree may not use (not `allowed` (m, p))."""
    priority = u
    if constant is not None:
        priority = priority + xp.astype(constant, u.dtype)  # u < 1: every varying feature before every constant one
    if allowed is not None:
        priority = priority + 2 * xp.astype(~allowed, u.dtype)
    return xp.argsort(priority, axis=1)[:, :f]


def code_ranges(xp, codes, rows, node, live, n_nodes: int):
    """(lo, hi), each (n_nodes, p) floats: the smallest and largest code of each feature among the `live` samples
    (rows `rows` (n,) of `codes`) of each node (lo = +inf, hi = -inf for a node without one)."""
    p = codes.shape[1]
    at = xp.where(live, node, n_nodes)  # (n,): the others to a last, discarded node
    order = xp.argsort(at)
    ids = xp.take(at, order)  # (n,) sorted
    C = xp.astype(xp.take(codes, xp.take(rows, order), axis=0), xp.float32)  # (n, p): codes < 2^24 are exact
    segments = xp.reshape(xp.arange(p, dtype=ids.dtype, device=device_of(ids))[:, None] * (n_nodes + 1)
                          + ids[None, :], (-1,))  # (p·n,), sorted: feature-major, then node
    values = xp.reshape(xp.permute_dims(C, (1, 0)), (-1,))  # (p·n,)
    n_segments = p * (n_nodes + 1)
    hi = xp.reshape(segment_max(values, segments, n_segments, xp=xp), (p, n_nodes + 1))[:, :n_nodes]  # (p, m)
    lo = -xp.reshape(segment_max(-values, segments, n_segments, xp=xp), (p, n_nodes + 1))[:, :n_nodes]
    return xp.permute_dims(lo, (1, 0)), xp.permute_dims(hi, (1, 0))


def bin_middles(xp, bins):
    """(p, B): the middle (low + high) / 2 of each bin, non-decreasing along each row: an empty bin (repeated
    quantile edges, or past a feature's own bins) takes its lower edge."""
    filled = bins.low <= bins.high  # (p, B)
    middle = xp.where(filled, bins.low, 0.0) / 2 + xp.where(filled, bins.high, 0.0) / 2
    inf = xp.full((bins.low.shape[0], 1), -math.inf, dtype=bins.low.dtype, device=device_of(bins.low))
    return xp.where(filled, middle, xp.concat([inf, bins.edges], axis=1))


def random_cuts(xp, low, high, middles, lo, hi, features, u, index_dtype):
    """(cut, t), each (m, f): steps 1 and 2 of the module docstring for every node and candidate feature
    (`features` (m, f), None: all p in order), from the nodes' code ranges lo, hi (m, p) and u uniform (m, f);
    cut = -1 where the feature is constant in the node (no split)."""
    m, (p, B) = lo.shape[0], low.shape
    if features is not None:
        flat = xp.arange(m, dtype=features.dtype, device=device_of(features))[:, None] * p + features  # (m, f)
        lo, hi = _gather(xp, lo, flat), _gather(xp, hi, flat)
        j = features
    else:
        j = xp.broadcast_to(xp.arange(p, dtype=index_dtype, device=device_of(lo))[None, :], (m, p))
    varies = hi > lo  # (m, f)
    first = xp.astype(xp.where(varies, lo, 0.0), index_dtype)  # (m, f) the node's first and last bins
    last = xp.astype(xp.where(varies, hi, 0.0), index_dtype)
    j = xp.astype(j, index_dtype)
    start = _gather(xp, low, j * B + first)  # (m, f) the smallest value of the node's first bin
    end = _gather(xp, high, j * B + last)  # (m, f) the largest of its last
    t = start + xp.astype(u, low.dtype) * (end - start)  # (m, f)
    below = _count_at_most(xp, middles, j, t)  # (m, f) bins whose middle is <= t
    cut = xp.minimum(xp.maximum(below - 1, first), last - 1)
    return xp.where(varies, cut, -1), t


def _gather(xp, table, index):
    """table's entries (flattened) at the positions `index` (m, f): an array of index's shape."""
    return xp.reshape(xp.take(xp.reshape(table, (-1,)), xp.reshape(index, (-1,))), index.shape)


def _count_at_most(xp, table, j, t):
    """(m, f): how many entries of row j (m, f) of `table` (p, B), non-decreasing rows, are <= t (m, f): a binary
    search of all at once, one level a step (as `xpml.utils._binning.bin_codes` searches its edges)."""
    p, B = table.shape
    levels = max(1, math.ceil(math.log2(B + 1)))
    width = 2**levels - 1
    padded = xp.concat([table, xp.full((p, width - B), math.inf, dtype=table.dtype, device=device_of(table))], axis=1)
    start = j * width  # (m, f)
    position = xp.zeros(j.shape, dtype=j.dtype, device=device_of(j))
    for level in range(levels - 1, -1, -1):
        step = 2**level
        entry = _gather(xp, padded, start + position + (step - 1))  # (m, f)
        position = position + xp.astype(entry <= t, j.dtype) * step
    return position


def histogram_cut(xp, occupied, cut):
    """(m, f, B-1): for each node and feature, True at the one cut position "bins <= b" that the drawn cut (m, f)
    makes: b the last bin the node occupies (`occupied` (m, f, B-1)) at or before it."""
    b = xp.arange(occupied.shape[2], dtype=cut.dtype, device=device_of(cut))  # (B-1,)
    last = xp.max(xp.where(occupied & (b <= cut[:, :, None]), b, -1), axis=2)  # (m, f); -1: no cut
    return b == last[:, :, None]
