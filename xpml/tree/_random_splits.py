"""Random splits: the Extra-Trees rule on the raw feature values, and the features each node draws.

Extremely randomized trees (Geurts, Ernst & Wehenkel 2006) split a node thus: for each of K candidate
features, one threshold t drawn uniformly between the smallest and the largest value of that feature
among the node's samples; of those K splits "x_j <= t", the one the criterion prefers. The trees of an
isolation forest (Liu, Ting & Zhou 2008) are the case K = 1, where the criterion chooses nothing.

A random split searches nothing, so it needs neither bins nor histograms: it reads the raw values,
and the rule holds exactly whatever a feature's number of distinct values. For all the nodes of a
level at once, `random_splits`:

1. draws each node's K candidate features (`draw_features`) and takes each node's range [lo, hi] of
   each of them among its samples (`value_ranges`: the smallest and largest value of each (node,
   feature) pair, a scatter-minimum and a scatter-maximum of the values, unsorted);
2. draws, for each candidate, t = lo + u · (hi - lo), u uniform in [0, 1) (`uniform_thresholds`; a t
   that rounding carries up to hi becomes lo, as in scikit-learn, so that each side holds a sample);
3. sums the statistics of each node's samples that have x_j <= t, for each of its candidates: the
   pairs' "x_j <= t" (0 or 1) times the statistics, added up by node, a bounded block of samples at a
   time; the right child's are the node's total minus them;
4. scores the K splits (`_criteria`) and keeps each node's first of the best score.

The split's threshold is t itself: the samples move to the children by "x_j <= t" on their raw values
(`_grow`), as predict, apply and decision_path send them.

The candidate features (`draw_features`): K drawn without replacement among those not constant in the
node, constant ones coming only where fewer than K vary (they give no split). scikit-learn's splitter
draws features one at a time and stops after K, or later if all it met were constant: the same law for
K = 1 (uniform among the varying features), and for larger K a draw that here never wastes a candidate
on a constant feature. A forest whose trees see subsets of the features (an isolation forest's
max_features) draws each tree's nodes' features among its own (`allowed`).

What step 1 costs: knowing which features are constant needs every feature's range, K of which are
used. So the K first features of the node's random order are taken first, with their ranges alone;
that is the rule's draw wherever they all vary, and wherever the node holds one sample (all its
features are constant, and the order is kept). Only a level where a node of two samples or more meets
a constant candidate (duplicate rows, discrete features) takes every feature's range and draws again.
Where a level is one compiled call (jax), which cannot branch on a value, every level takes every range.

What step 3 costs: each block of samples adds its rows of "x <= t" (K numbers, 0 or 1), times a
statistic, to its nodes' rows (`xpml.utils._scatter_rows`), and the statistics the scores do not need
are left out: a regressor's Σ w y² is summed for each node's chosen split alone, and a count equal to
the weights (no sample_weight, no bootstrap) is not summed twice. A classifier's one-hot class weights
are read as (count, weight, class) (`sample_stats`): one sum into (node, class) bins, from three
numbers a sample. Each leaves the sums as they were, to the last bit: taken in float64, in the
samples' order, as a bincount takes them.

References: Geurts, Ernst & Wehenkel, "Extremely randomized trees", Machine Learning 63 (2006);
Liu, Ting & Zhou, "Isolation Forest", ICDM 2008.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from .._backend import backend_of, compiles_per_shape, device_of
from ..utils._bincount import bincount
from ..utils._chunks import chunk_rows, row_slices
from ..utils._scatter_min_max import scatter_min_max
from ..utils._scatter_rows import scatter_rows
from . import _criteria as crit

__all__ = ["Layout", "draw_features", "random_splits", "sample_stats", "uniform_thresholds", "value_ranges",
           "with_unit"]


class Layout(NamedTuple):
    """How `random_splits` reads the statistics of a fit (`sample_stats`)."""

    classes: int  # C > 0: each sample's (count, weight, class) of one-hot class weights; 0: the criterion's columns
    scored: int  # the columns (count first) of the criterion's statistics that a split's score needs
    weighed: bool  # column 1 is each sample's weight (a regressor's w, a one-hot classifier's class weight)
    unit: bool = False  # each counted sample weighs exactly 1: its count is its weight, summed once (`with_unit`)


def sample_stats(xp, stats, criterion: str):
    """(statistics, Layout) for the random splits, from the samples' statistics (n, k) of a fit (count, then the
    criterion's): a classifier's one-hot class weights as (count, weight, class) (n, 3), the others as they are.
    Made once a fit: every level of every tree then reads three numbers a sample where it would read 1 + C."""
    k = stats.shape[1]
    if criterion not in crit.CLASSIFICATION:  # (count, Σ w, Σ w y, Σ w y²): the score needs no Σ w y²
        return stats, Layout(0, 3, True)
    if not bool(xp.all(xp.sum(xp.astype(stats[:, 1:] != 0, xp.int32), axis=1) <= 1)):
        return stats, Layout(0, k, False)
    label = xp.astype(xp.argmax(xp.astype(stats[:, 1:] != 0, xp.int8), axis=1), stats.dtype)  # (n,)
    weight = xp.sum(stats[:, 1:], axis=1)  # (n,): the one nonzero class weight
    return xp.stack([stats[:, 0], weight, label], axis=1), Layout(k - 1, k, True)


def with_unit(xp, stats, layout: Layout) -> Layout:
    """`layout` saying whether each counted (tree, sample) slot of a batch (`stats` (n, ·), `sample_stats`' times
    the draws' counts) weighs exactly 1 (no sample_weight, no bootstrap)."""
    unit = layout.weighed and bool(xp.all((stats[:, 0] <= 0) | (stats[:, 1] == 1)))
    return layout._replace(unit=unit)


def random_splits(xp, X, rows, node, stats, rules, n_nodes: int, u, cut_u, allowed=None, tie=1e-12):
    """Steps 1 to 4 for the nodes 0 .. n_nodes - 1 of the samples (`rows` (n,) of X (n_rows, p), `node` (n,),
    `stats` (n, ·), as `sample_stats` made them, `rules.layout` its Layout). `u` (n_nodes, p), uniform, orders the
    features (None: all p are candidates), `cut_u` (n_nodes, f), uniform, places the thresholds, `allowed`
    (n_nodes, p), bool, the features of each node's tree. Returns, each with n_nodes rows: the node's total (m, k) of
    the criterion's statistics, its best split's left child (m, k - 1, no count), whether it has one, and its
    feature and threshold."""
    M, n, f, layout = n_nodes, stats.shape[0], cut_u.shape[1], rules.layout
    live = (stats[:, 0] > 0) & (node < M)  # (n,): samples that count, at a node of this level
    at = xp.where(live, node, M)  # (n,): the others to a last, discarded node
    # a classifier's samples by (node, class), numbered node · C + class
    by_class = at * layout.classes + xp.astype(stats[:, 2], at.dtype) if layout.classes else None  # (n,)
    total = _node_totals(xp, stats, at, by_class, M, layout)  # (M, k)
    # the blocks of samples whose sums are added up (each rounded to the statistics' dtype, then added)
    blocks = row_slices(n, chunk_rows(backend_of(stats), f * (total.shape[1] + 3), scale=16))
    features, x, lo, hi = _candidates(xp, X, rows, at, total[:, 0], u, f, allowed, M)  # (M, f), (n, f), (M, f) x 2
    varies = hi > lo  # (M, f): constant features, and nodes without samples, give no split
    t = uniform_thresholds(xp, lo, hi, varies, xp.astype(cut_u, X.dtype))  # (M, f)
    left = _left_sums(xp, x, at, by_class, stats, t, M, layout, blocks)  # (M, f, s): the first s statistics
    s, k = layout.scored, total.shape[1]
    right = total[:, None, :s] - left  # (M, f, s)
    c = rules.criterion
    valid = varies & (left[..., 0] >= rules.min_samples_leaf) & (right[..., 0] >= rules.min_samples_leaf)
    if rules.min_weight_leaf > 0:
        valid = valid & (crit.weight(xp, left[..., 1:], c) >= rules.min_weight_leaf) & (
            crit.weight(xp, right[..., 1:], c) >= rules.min_weight_leaf)
    score = xp.where(valid, crit.proxy(xp, left[..., 1:], right[..., 1:], c), -math.inf)  # (M, f)
    top = xp.max(score, axis=1, keepdims=True)  # (M, 1)
    # the first of the candidates as good as the best, to rounding: the same choice on every backend
    best = xp.astype(xp.argmax(xp.astype(score >= top - tie * xp.abs(top), xp.int8), axis=1), at.dtype)  # (M,)
    pick = xp.arange(M, dtype=at.dtype, device=device_of(at)) * f + best  # (M,)
    best_left = xp.take(xp.reshape(left[..., 1:], (M * f, s - 1)), pick, axis=0)  # (M, s - 1)
    threshold = xp.take(xp.reshape(t, (-1,)), pick)  # (M,)
    if s < k:  # the statistics no score needs, for each node's chosen split alone
        slot = _of_node(xp, best, at)  # (n,): the column of x of each sample's node's split
        chosen = xp.take(xp.reshape(x, (-1,)), xp.arange(n, dtype=at.dtype, device=device_of(at)) * f + slot)  # (n,)
        on_left = xp.where(chosen <= _of_node(xp, threshold, at), at, M)  # (n,)
        wide = xp.astype(stats[:, s:], _wide(xp, stats))  # (n, k - s)
        rest = _block_sums(xp, {0: (on_left, M + 1, None)}, lambda block: wide[block, :], stats.dtype, blocks,
                           k - s)[0][:M, :]  # (M, k - s)
        best_left = xp.concat([best_left, rest], axis=1)  # (M, k - 1)
    return total, best_left, top[:, 0] > -math.inf, xp.take(xp.reshape(features, (-1,)), pick), threshold


def draw_features(xp, u, f: int, constant=None, allowed=None):
    """(m, f): each node's first f features in the random order u (m, p): varying ones first, then constant ones
    (`constant` (m, p)), then those its tree may not use (not `allowed` (m, p))."""
    priority = u
    if constant is not None:
        priority = priority + xp.astype(constant, u.dtype)  # u < 1: every varying feature before every constant one
    if allowed is not None:
        priority = priority + 2 * xp.astype(~allowed, u.dtype)
    # u's own order needs no stable sort (twice as fast): its draws tie with probability 0; u + 1 and u' + 1 may
    return xp.argsort(priority, axis=1, stable=priority is not u)[:, :f]


def value_ranges(xp, values, at, n_nodes: int):
    """(lo, hi), each (n_nodes, c): the smallest and largest of each column of `values` (n, c) among the samples of
    each node (`at` (n,); those at node n_nodes are left out); lo = +inf, hi = -inf for a node without samples."""
    n, c = values.shape
    numbers = xp.reshape(xp.arange((n_nodes + 1) * c, dtype=at.dtype, device=device_of(at)), (n_nodes + 1, c))
    pair = xp.take(numbers, at, axis=0)  # (n, c): each value's (node, column), numbered node · c + column
    lo, hi = scatter_min_max(xp.reshape(values, (-1,)), xp.reshape(pair, (-1,)), (n_nodes + 1) * c, xp=xp)
    return xp.reshape(lo, (n_nodes + 1, c))[:n_nodes, :], xp.reshape(hi, (n_nodes + 1, c))[:n_nodes, :]


def uniform_thresholds(xp, lo, hi, varies, u):
    """(m, f): lo + u · (hi - lo) for u uniform in [0, 1) (m, f), in [lo, hi) where `varies` (hi > lo): a draw that
    rounding carries to hi is lo instead; computed from half the range, which stays finite where hi - lo would
    overflow. Where the feature does not vary, any finite value (no split takes it)."""
    lo, hi = xp.where(varies, lo, 0.0), xp.where(varies, hi, 0.0)
    half = hi / 2 - lo / 2  # (m, f)
    t = (lo + u * half) + u * half  # (m, f)
    return xp.where(t < hi, xp.maximum(t, lo), lo)


def _candidates(xp, X, rows, at, count, u, f: int, allowed, n_nodes: int):
    """Step 1: each node's candidate features (M, f), each sample's values of its node's candidates (n, f), and each
    node's lo and hi of them (M, f); `count` (M,): each node's samples."""
    M, p = n_nodes, X.shape[1]
    if u is None:  # every feature a candidate, in order
        x = xp.take(X, rows, axis=0)  # (n, p)
        features = xp.broadcast_to(xp.arange(p, dtype=at.dtype, device=device_of(at))[None, :], (M, p))
        return (features, x, *value_ranges(xp, x, at, M))
    if not compiles_per_shape(backend_of(X)):  # the first f features in u's order, and only their ranges
        features = xp.astype(draw_features(xp, u, f, allowed=allowed), at.dtype)  # (M, f)
        x = _values(xp, X, rows, at, features)  # (n, f)
        lo, hi = value_ranges(xp, x, at, M)  # (M, f) each
        if not bool(xp.any((count >= 2) & xp.any(hi <= lo, axis=1))):  # the rule's draw: no constant to pass over
            return features, x, lo, hi
    lo, hi = value_ranges(xp, xp.take(X, rows, axis=0), at, M)  # (M, p) each: every feature's range
    features = xp.astype(draw_features(xp, u, f, constant=hi <= lo, allowed=allowed), at.dtype)  # (M, f)
    flat = xp.arange(M, dtype=at.dtype, device=device_of(at))[:, None] * p + features  # (M, f)
    return features, _values(xp, X, rows, at, features), _gather(xp, lo, flat), _gather(xp, hi, flat)


def _values(xp, X, rows, at, features):
    """(n, f): each sample's values (`rows` (n,) of X (n_rows, p)) of its node's candidates (`features` (M, f))."""
    n, f, p = at.shape[0], features.shape[1], X.shape[1]
    feature = _of_node(xp, features, at)  # (n, f)
    return xp.reshape(xp.take(xp.reshape(X, (-1,)), xp.reshape(rows[:, None] * p + feature, (-1,))), (n, f))


def _node_totals(xp, stats, at, by_class, n_nodes: int, layout):
    """(M, k): each node's sums of the criterion's statistics, over its samples (`at` (n,); node M left out;
    `by_class` (n,): a classifier's (node, class) of each)."""
    M, wide = n_nodes, _wide(xp, stats)
    if not layout.classes:
        return xp.astype(scatter_rows(xp.astype(stats, wide), at, M + 1, xp=xp)[:M, :], stats.dtype)
    C = layout.classes
    count = bincount(at, M + 1, xp.astype(stats[:, 0], wide), xp=xp)  # (M + 1,)
    classes = xp.reshape(bincount(by_class, (M + 1) * C, xp.astype(stats[:, 1], wide), xp=xp), (M + 1, C))
    totals = xp.concat([count[:, None], classes], axis=1)  # (M + 1, 1 + C)
    return xp.astype(totals[:M, :], stats.dtype)


def _left_sums(xp, x, at, by_class, stats, t, n_nodes: int, layout, blocks):
    """(M, f, s): the sums of the first s = `layout.scored` statistics over each node's samples whose value x (n, f)
    of its candidate is <= t[node, candidate] (t (M, f)); samples at node M are left out. Each block of samples adds
    its rows of "x <= t" (0 or 1), times a statistic, to its nodes' rows (or its (node, class) rows); `blocks`: the
    slices of samples."""
    f, M, C, wide = x.shape[1], n_nodes, layout.classes, _wide(xp, stats)
    if C:  # (index, bins, weights) of each sum: the class weights by (node, class), the count unless it is theirs
        sums = {"classes": (by_class, (M + 1) * C, stats[:, 1])}
        sums.update({} if layout.unit else {0: (at, M + 1, stats[:, 0])})
    else:  # the columns, but a Σ w that is the count
        sums = {c: (at, M + 1, stats[:, c]) for c in range(layout.scored) if not (layout.unit and c == 1)}
    def goes_left(block):  # (b, f): 1 where the block's sample is on the left of its node's candidate, else 0
        return xp.astype(x[block, :] <= _of_node(xp, t, at[block]), wide)

    part = _block_sums(xp, sums, goes_left, stats.dtype, blocks, f)  # (bins, f) each
    if C:  # (M, 1 + C, f): the count, then the classes
        classes = xp.reshape(part["classes"], (M + 1, C, f))[:M, ...]
        if layout.unit:  # where each sample weighs 1, the count is the sum of the classes' counts (exact)
            count = classes[:, 0, :]  # (M, f)
            for c in range(1, C):
                count = count + classes[:, c, :]
        else:
            count = part[0][:M, :]  # (M, f)
        left = [count[:, None, :], classes]
    else:  # (M, 1, f) each: the count, Σ w (the count, where each sample weighs 1), ...
        column = {**part, 1: part[0]} if layout.unit else part
        left = [column[c][:M, None, :] for c in range(layout.scored)]
    return xp.permute_dims(xp.concat(left, axis=1), (0, 2, 1))  # (M, f, s), laid out (M, s, f)


def _block_sums(xp, sums: dict, rows_of, dtype, blocks: list, width: int) -> dict:
    """{key: (bins, width)}: for sums[key] = (index (n,), bins, weights (n,) or None), the sum over the blocks of
    samples of their rows (`rows_of(block)`: (b, width)) added up by index, each times its weight. A block's sums are
    taken in float64 and rounded to `dtype`, then added to the others'; its temporaries are its rows times a few
    numbers, bounded whatever n and width."""
    totals: dict = {}
    for block in blocks:
        rows = rows_of(block)  # (b, width)
        parts = {key: xp.astype(scatter_rows(rows, index[block], bins, xp=xp, weights=None if weights is None else
                                             xp.astype(weights[block], rows.dtype)), dtype)
                 for key, (index, bins, weights) in sums.items()}  # (bins, width) each
        totals = parts if not totals else {key: totals[key] + part for key, part in parts.items()}
    if not totals:  # no samples
        totals = {key: xp.zeros((bins, width), dtype=dtype, device=device_of(index)) for key, (index, bins, _) in
                  sums.items()}
    return totals


def _wide(xp, stats):
    """The dtype sums are taken in: float64 where the backend has it (as a bincount's), else the statistics'."""
    return backend_of(stats).float_dtype if stats.dtype != xp.float64 else stats.dtype


def _padded(xp, table):
    """`table` (M, ...) with a copy of its first row below: its row M is what the samples at node M read."""
    return xp.concat([table, table[:1, ...]], axis=0)


def _of_node(xp, table, at):
    """(n, ...): the row of `table` (M, ...) of each sample's node (`at` (n,), in [0, M])."""
    return xp.take(_padded(xp, table), at, axis=0)


def _gather(xp, table, index):
    """table's entries (flattened) at the positions `index` (m, f): an array of index's shape."""
    return xp.reshape(xp.take(xp.reshape(table, (-1,)), xp.reshape(index, (-1,))), index.shape)
