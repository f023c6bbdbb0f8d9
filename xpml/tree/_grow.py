"""Growing trees level by level on binned data: the histogram method.

Every feature is binned once (`xpml.utils._binning`), so a sample's value is a small code b. Then
each level of growth, for all the nodes of the level at once, is four array steps:

1. histograms: H[m, j, b] = the sums of the statistics (count, class weights or (w, wy, wy²)) of the
   samples of node m whose feature j falls in bin b: one scatter-add (`xpml.utils._histogram`);
2. split search: the left child of "x_j in bins <= b" has the cumulative sum of H over bins, the
   right child the node's total minus it; the criterion (`_criteria`) scores every (node, j, b),
   splits that leave a child too small are masked, and an argmax per node picks the best;
3. the decision: a node splits if it may (depth, sizes, impurity) and its best split decreases the
   impurity by at least `min_impurity_decrease`; the threshold is the midpoint between the largest
   value of the left bins and the smallest of the right ones, as an exact tree's;
4. moving the samples: each sample of a split node goes to child 2r or 2r + 1 (r the rank of its
   node among the split ones) by one gather of its code of the chosen feature.

Steps 1 and 2 cost nodes × features × bins per level, whatever the nodes hold. Deep in a tree, where
a node holds fewer samples than its histograms have cells, they are done by sorting the node's samples
instead (`_sorted_splits`, the same splits), chosen level by level (`_by_sorting`); and the samples
of finished leaves leave the arrays. Where the backend compiles per shape (jax), a level is one
compiled step on node counts padded to a few sizes (`_level_in_one_call`).

A forest is the same with several roots: its samples are (tree, row) pairs, and the nodes of all its
trees grow as one batch. The nodes come out in breadth-first order (`_structure` renumbers them).

splitter="random" (Extra-Trees, isolation trees) searches nothing: each (node, candidate feature) has one
threshold, drawn uniformly within the node's range of the feature's raw values, and the samples move by
those values (`_random_splits`); such trees are grown from X itself, without bins (`_random_step`).

References: Ke et al., "LightGBM", NeurIPS 2017; Breiman et al., Classification and Regression
Trees (1984).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .._backend import compiles_per_shape, device_of, to_backend, to_numpy
from ..utils._compile import compiled_once
from ..utils._histogram import node_blocks, node_histograms
from ..utils._random import draw
from . import _criteria as crit
from ._random_splits import draw_features, random_splits
from ._sorted_splits import sorted_best_splits

__all__ = ["Rules", "grow"]

EPSILON = 2.220446049250313e-16  # the float64 machine epsilon, as scikit-learn's tree compares with
TIE = 1e-12  # splits whose scores differ by less (relatively) are equally good: rounding, not merit


@dataclass(frozen=True)
class Rules:
    """When a node may split, and into what."""

    criterion: str
    max_depth: float  # math.inf for no limit
    min_samples_split: int
    min_samples_leaf: int
    min_weight_leaf: float
    min_impurity_decrease: float
    max_features: int
    splitter: str = "best"  # "random": one split per (node, feature), at a random threshold (`_random_splits`)
    dtype: str = "float64"  # of the statistics (and the random draws)
    layout: tuple = ()  # random splits: how they read the statistics (`_random_splits.Layout`, set by `_fit`)


def grow(xp, codes, bins, rows, stats, root, tree_weight, rules: Rules, rng=None, backend=None, allowed=None) -> list:
    """Grow trees breadth-first from the roots 0 .. T-1 (`root` (n,): each sample's). Returns the levels:
    per node, its totals (M, k), improvement, feature, cut (what its samples were compared with) and threshold,
    the host lists `split` and `tree` (of the n_nodes real nodes; arrays may be padded to M rows). `allowed`
    (T, p), bool: the features each tree may split on (None: all; with max_features no more than any tree's
    count). splitter="random" reads the raw values: `codes` is then X (n_rows, p) itself, and `bins` None."""
    node = root  # (n,): every sample at its tree's root
    tree_of = list(range(int(xp.max(root)) + 1))  # host: the tree of each node of the level
    levels, depth = [], 0
    while True:
        level = _split_level(xp, codes, bins, rows, node, stats, tree_of, tree_weight, rules, rng, backend, allowed)
        if depth >= rules.max_depth:
            level["split"] = [False] * len(tree_of)
        levels.append(level)
        if not any(level["split"]):
            return levels
        moved = level.pop("moved", None)  # the compiled step has already moved them
        node = _move_to_children(xp, codes, rows, node, level, backend) if moved is None else moved
        if not compiles_per_shape(backend):  # the samples of the new leaves are done: only the others go on
            node, rows, stats = _still_growing(xp, node, rows, stats, 2 * sum(level["split"]))
        tree_of = [t for t, s in zip(tree_of, level["split"]) if s for _ in (0, 1)]
        depth += 1


def _split_level(xp, codes, bins, rows, node, stats, tree_of, tree_weight, rules, rng, backend, allowed):
    """Steps 1 to 3 for the nodes of one level: by histograms, a bounded block of nodes at a time, or, where the
    nodes hold fewer samples than their histograms have bins, by sorting (`_sorted_splits`); random splits, and
    every level where the backend compiles, in one call with step 4 (`_level_in_one_call`)."""
    if compiles_per_shape(backend) or rules.splitter == "random":
        return _level_in_one_call(xp, codes, bins, rows, node, stats, tree_of, tree_weight, rules, rng, backend,
                                  allowed)
    n_nodes, n_bins, p = len(tree_of), bins.low.shape[1], codes.shape[1]  # B: the widest feature's bins
    f = min(rules.max_features, p)  # each node's split among f features (drawn at random when f < p)
    # the same draws on every backend and by either method: each node's order of features
    u = None if f == p and allowed is None else draw(rng, backend, "random", (n_nodes, p))  # (m, p)
    trees = xp.asarray(tree_of, device=device_of(node))  # (m,) each node's tree
    node_weight = xp.take(tree_weight, trees)  # (m,) each node's tree's weight
    features = None if u is None else draw_features(xp, u, f, allowed=None if allowed is None else xp.take(
        allowed, trees, axis=0))  # (m, f)
    if _by_sorting(node.shape[0], n_nodes, n_bins, stats.shape[1]):
        found = [_sorted_search(xp, codes, bins.low, bins.high, rows, node, stats, node_weight, rules, n_nodes, n_bins,
                                features)]
    else:
        found = _histogram_search(xp, codes, bins, rows, node, stats, node_weight, rules, features, backend)
    keys = ("total", "improvement", "feature", "cut", "threshold", "split")
    level = {key: xp.concat([f[i] for f in found]) for i, key in enumerate(keys)}
    level["split"] = [bool(s) for s in to_numpy(level["split"]).tolist()]
    level["tree"] = tree_of
    return level


def _level_in_one_call(xp, codes, bins, rows, node, stats, tree_of, tree_weight, rules, rng, backend, allowed):
    """Steps 1 to 4 as one call: random splits (`_random_step`) on every backend, best ones by sorting
    (`_level_step`) where the backend compiles (jax). There, the call is compiled, on arrays padded to a few node
    counts: each shape compiles once, and the level's many small operations run as one."""
    n_nodes, p = len(tree_of), codes.shape[1]
    f, M = min(rules.max_features, p), n_nodes
    if compiles_per_shape(backend):
        M = max(1024, 16 ** math.ceil(math.log(n_nodes, 16) - 1e-9))  # 1024, 16384, ...
    # the same draws as `_split_level`'s, made on the host and padded there (an operation per new shape otherwise):
    # each node's order of features, then, for random splits, the place of each candidate's threshold
    draws = None if f == p and allowed is None else draw(rng, backend, "random", (n_nodes, p), rows=M)  # (M, p)
    # each node's tree, then the number of real nodes: moved from the host (building them there compiles nothing)
    trees = to_backend(tree_of + [tree_of[0]] * (M - n_nodes) + [n_nodes], backend)  # (M + 1,)
    if rules.splitter == "random":
        cut_u = draw(rng, backend, "random", (n_nodes, f), dtype=rules.dtype, rows=M)  # (M, f)
        step = _compiled(_random_step, backend, ("xp", "rules", "n_nodes"))
        *found, moved = step(xp, codes, rows, node, stats, tree_weight, trees, draws, cut_u, allowed, rules=rules,
                             n_nodes=M)
    else:
        step = _compiled(_level_step, backend, ("xp", "rules", "n_nodes", "n_bins"))
        *found, moved = step(xp, codes, bins.low, bins.high, rows, node, stats, tree_weight, trees, draws, allowed,
                             rules=rules, n_nodes=M, n_bins=bins.low.shape[1])
    level = dict(zip(("total", "improvement", "feature", "cut", "threshold", "split"), found))  # M rows each
    level["split"] = [bool(s) for s in to_numpy(level["split"]).tolist()[:n_nodes]]
    level["tree"], level["moved"] = tree_of, moved
    return level


def _level_step(xp, codes, low, high, rows, node, stats, tree_weight, trees, draws, allowed, rules, n_nodes, n_bins):
    """One level of best splits for `_level_in_one_call`: the splits of the n_nodes (padded) nodes by sorting, then
    the samples moved."""
    f = min(rules.max_features, codes.shape[1])
    node_weight = xp.take(tree_weight, trees[:-1])  # (M,) each node's tree's weight
    features = None if draws is None else draw_features(xp, draws, f, allowed=None if allowed is None else xp.take(
        allowed, trees[:-1], axis=0))  # (M, f)
    found = _sorted_search(xp, codes, low, high, rows, node, stats, node_weight, rules, n_nodes, n_bins, features)
    return _real_splits_moved(xp, codes, rows, node, trees, *found)


def _random_step(xp, X, rows, node, stats, tree_weight, trees, draws, cut_u, allowed, rules, n_nodes):
    """One level of random splits for `_level_in_one_call` (`_random_splits`, on the raw values X (n_rows, p)): the
    splits of the n_nodes (maybe padded) nodes, then the samples moved by "x_j <= threshold"."""
    node_weight = xp.take(tree_weight, trees[:-1])  # (M,) each node's tree's weight
    total, best_left, found, feature, threshold = random_splits(
        xp, X, rows, node, stats, rules, n_nodes, draws, cut_u,
        None if allowed is None else xp.take(allowed, trees[:-1], axis=0), tie=TIE)
    gain, split = _split_or_not(xp, total, best_left, found, node_weight, rules)
    return _real_splits_moved(xp, X, rows, node, trees, total, gain, feature, threshold, threshold, split)


def _real_splits_moved(xp, codes, rows, node, trees, total, gain, feature, cut, threshold, split):
    """A level's splits of its real nodes (`trees[-1]` of them, the others padding), and the samples moved."""
    n_real = xp.astype(trees[-1], node.dtype)  # the level's real nodes: the others pad it
    split = split & (xp.arange(split.shape[0], dtype=node.dtype, device=device_of(node)) < n_real)  # (M,)
    sizes = xp.stack([n_real, 2 * xp.sum(xp.astype(split, node.dtype))])  # this level's nodes, the next level's
    return total, gain, feature, cut, threshold, split, _children(xp, codes, rows, node, split, feature, cut, sizes)


def _by_sorting(n_samples: int, n_nodes: int, n_bins: int, k: int) -> bool:
    """Whether sorting the level's (sample, feature) pairs costs less than filling and searching its histograms
    (nodes × bins × k numbers per feature): on numpy, when a node holds fewer than about bins · k / 5 samples."""
    return 5 * n_samples < n_nodes * n_bins * k


def _histogram_search(xp, codes, bins, rows, node, stats, node_weight, rules, features, backend):
    """Steps 1 and 2 by histograms, a bounded block of nodes at a time (samples sorted by node where several)."""
    n_nodes, n_bins = node_weight.shape[0], bins.low.shape[1]
    f = codes.shape[1] if features is None else features.shape[1]
    best_splits = _compiled(_best_splits, backend, ("xp", "rules"))
    histograms = _compiled(node_histograms, backend, ("first", "n_nodes", "n_bins", "xp"))
    found = []
    blocks = node_blocks(n_nodes, f, n_bins, stats.shape[1])
    if len(blocks) > 1:  # samples sorted by node once, so that each block reads only its own samples
        order = xp.argsort(node)
        node, rows, stats = xp.take(node, order), xp.take(rows, order), xp.take(stats, order, axis=0)
        starts = xp.asarray([first for first, _ in blocks] + [n_nodes], dtype=node.dtype, device=device_of(node))
        bounds = to_numpy(xp.searchsorted(node, starts)).tolist()
    for b, (first, count) in enumerate(blocks):
        part = slice(bounds[b], bounds[b + 1]) if len(blocks) > 1 else slice(None)  # the block's samples
        real, count = count, _padded(count, backend)  # jax compiles once per shape: a few sizes serve every level
        block = slice(first, first + real)
        chosen = None if features is None else _pad(xp, features[block, :], count)  # (m, f)
        H = histograms(codes, rows[part], node[part], stats[part, :], first=first, n_nodes=count, n_bins=n_bins,
                       features=chosen, xp=xp)  # (m, f, B, k)
        best = best_splits(xp, H, bins.low, bins.high, _pad(xp, node_weight[block], count), rules, chosen)
        found.append([a[:real, ...] for a in best])  # rows of the level's nodes in order
    return found


def _compiled(fn, backend, static):
    """`fn` compiled for the backend (jax), once per process (`xpml.utils._compile`)."""
    return compiled_once(fn, backend, static)


def _pad(xp, rows, count: int):
    """`rows` (r, ...) followed by copies of its first row, to `count` rows (None stays None)."""
    if rows is None or rows.shape[0] == count:
        return rows
    return xp.concat([rows, xp.broadcast_to(rows[:1, ...], (count - rows.shape[0], *rows.shape[1:]))])


def _padded(count: int, backend) -> int:
    """Where each shape compiles anew: 8 nodes at least, then powers of 4 (16, 64, 256, ...)."""
    if not compiles_per_shape(backend) or count > 2**20:
        return count
    return 8 if count <= 8 else 16 if count <= 16 else 4 ** math.ceil(math.log(count, 4) - 1e-9)


def _best_splits(xp, H, low, high, node_weight, rules, features=None):
    """The best split of each node of a histogram block H (m, f, B, k), steps 2 and 3: (total, improvement,
    feature, bin, threshold, split), each with m rows; `node_weight` (m,) is the weight of each node's tree.
    `features` (m, f) names the features of H's columns (None: all, in order)."""
    m, p, B, _ = H.shape
    c = rules.criterion
    total = xp.sum(H[:, 0, :, :], axis=1)  # (m, k): any feature's bins hold all the node's samples
    left = xp.cumulative_sum(H, axis=2)[:, :, :-1, :]  # (m, p, B-1, k): "x_j in bins <= b"
    right = total[:, None, None, :] - left  # (m, p, B-1, k)
    valid = ((left[..., 0] >= rules.min_samples_leaf) & (right[..., 0] >= rules.min_samples_leaf)
             & (crit.weight(xp, left[..., 1:], c) >= rules.min_weight_leaf)
             & (crit.weight(xp, right[..., 1:], c) >= rules.min_weight_leaf))  # (m, p, B-1)
    score = xp.where(valid, crit.proxy(xp, left[..., 1:], right[..., 1:], c), -math.inf)  # (m, f, B-1)
    score = xp.reshape(score, (m, p * (B - 1)))
    top = xp.max(score, axis=1, keepdims=True)  # (m, 1)
    # the first of the splits as good as the best, to rounding: the same choice on every backend
    best = xp.argmax(xp.astype(score >= top - TIE * xp.abs(top), xp.int8), axis=1)  # (m,)
    score = xp.reshape(score, (-1,))
    slot, cut = best // (B - 1), best % (B - 1)  # (m,) each
    feature = slot if features is None else xp.take(xp.reshape(features, (-1,)), xp.arange(
        m, device=device_of(best)) * p + slot)  # (m,)
    pick = xp.arange(m, device=device_of(best)) * (p * (B - 1)) + best  # (m,)
    best_left = xp.take(xp.reshape(left, (m * p * (B - 1), -1)), pick, axis=0)  # (m, k)
    found = xp.take(score, pick) > -math.inf  # (m,)
    return _decide(xp, total, best_left[:, 1:], found, feature, cut, _first_right(xp, H, slot, cut), low, high,
                   node_weight, rules)


def _sorted_search(xp, codes, low, high, rows, node, stats, node_weight, rules, n_nodes, n_bins, features=None):
    """Steps 2 and 3 by sorting the samples (`_sorted_splits`): the same six arrays as `_best_splits`."""
    total, best_left, found, feature, cut, first_right = sorted_best_splits(
        xp, codes, rows, node, stats, rules, n_nodes, n_bins, features, tie=TIE)
    total, best_left = xp.astype(total, stats.dtype), xp.astype(best_left, stats.dtype)
    return _decide(xp, total, best_left, found, feature, cut, first_right, low, high, node_weight, rules)


def _split_or_not(xp, total, best_left, found, node_weight, rules):
    """(gain, split), each (m,): the improvement of each node's best split (left child: `best_left` (m, k - 1), the
    statistics without the count; `found`: whether it has one), and whether the node may and does split."""
    c = rules.criterion
    gain = crit.improvement(xp, total[:, 1:], best_left, total[:, 1:] - best_left, node_weight, c)  # (m,)
    n, W, impurity = total[:, 0], crit.weight(xp, total[:, 1:], c), crit.impurity(xp, total[:, 1:], c)  # (m,) each
    may_split = ((n >= rules.min_samples_split) & (n >= 2 * rules.min_samples_leaf)
                 & (W >= 2 * rules.min_weight_leaf) & (impurity > EPSILON))
    return gain, may_split & found & (gain + EPSILON >= rules.min_impurity_decrease)


def _decide(xp, total, best_left, found, feature, cut, first_right, low, high, node_weight, rules):
    """Step 3: whether each node splits (`_split_or_not`); and the threshold: the midpoint between the two sides'
    nearest values."""
    gain, split = _split_or_not(xp, total, best_left, found, node_weight, rules)
    B = low.shape[1]
    a = xp.take(xp.reshape(high, (-1,)), feature * B + cut)  # (m,) the largest value on the left
    b = xp.take(xp.reshape(low, (-1,)), feature * B + first_right)  # (m,) the smallest value on the right
    mid = a / 2 + b / 2  # the midpoint, but never a threshold that sends b to the left
    threshold = xp.where((mid == b) | xp.isinf(mid), a, mid)
    return total, xp.where(split, gain, 0.0), feature, cut, threshold, split


def _first_right(xp, H, slot, cut):
    """(m,): the first bin after `cut` that the node occupies, in its feature of column `slot` of H (m, f, B, k)."""
    m, p, B, _ = H.shape
    rows = xp.arange(m, device=device_of(slot)) * p + slot  # (m,)
    occupied = xp.take(xp.reshape(H[..., 0], (m * p, B)), rows, axis=0) > 0  # (m, B): bins the node holds
    above = xp.arange(B, device=device_of(slot))[None, :] > cut[:, None]  # (m, B)
    return xp.argmax(xp.astype(occupied & above, xp.int8), axis=1)  # (m,)


def _still_growing(xp, node, rows, stats, n_next: int):
    """The samples whose node is of the next level (the others are in leaves): node, rows and stats."""
    keep = xp.nonzero(node < n_next)[0]  # (n',)
    return xp.take(node, keep), xp.take(rows, keep), xp.take(stats, keep, axis=0)


def _move_to_children(xp, codes, rows, node, level, backend):
    """Step 4: each sample of a split node to its child; the others to the discarded node 2 · n_split."""
    n_nodes, n_next = len(level["split"]), 2 * sum(level["split"])
    split = level["split"] + [False] * (level["feature"].shape[0] - n_nodes)  # padded as the level's arrays
    sizes = xp.asarray([n_nodes, n_next], dtype=node.dtype, device=device_of(node))
    move = _compiled(_children, backend, ("xp",))
    return move(xp, codes, rows, node, xp.asarray(split, device=device_of(node)), level["feature"], level["cut"], sizes)


def _children(xp, codes, rows, node, split, feature, cut, sizes):
    """(n,): the child of each sample's node (split (M,), feature and cut of each node; sizes: n_nodes, n_next):
    the right one where the sample's code (or, random splits, its value) is above the cut (or the threshold)."""
    rank = xp.cumulative_sum(xp.astype(split, node.dtype)) - 1  # (M,): the rank of each split node
    alive = node < sizes[0]  # (n,)
    at = xp.where(alive, node, 0)  # (n,)
    p = codes.shape[1]
    code = xp.take(xp.reshape(codes, (-1,)), rows * p + xp.take(feature, at))  # (n,) one gather
    child = 2 * xp.take(rank, at) + xp.astype(code > xp.take(cut, at), node.dtype)  # (n,)
    return xp.where(alive & xp.take(split, at), child, sizes[1])
