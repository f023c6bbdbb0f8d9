"""The best split of every node of a level by sorting its samples, for levels of many small nodes.

A histogram (`_grow`, steps 1 and 2) costs nodes × features × bins whatever the nodes hold: deep in a
tree, where a node holds fewer samples than a feature has bins, most of its bins are empty. There the
exact method of CART is cheaper: sort each node's samples by each feature and scan them. For all the
nodes of a level at once:

1. every (sample, slot) pair, slot s being the node's s-th candidate feature, gets the key
   (node, s, code), and one sort puts the pairs in key order: each (node, s) is then a contiguous
   group, its samples in the order of their bins;
2. the cumulative sum of the statistics in that order, minus its value where the group starts, is
   the left child of "x_j in bins <= code" at every pair; a candidate split is the last pair of a run
   of equal codes that is not the last of its group; the right child is the node's total minus it;
3. the criterion scores the candidates (as the histogram's), and each node takes the first
   candidate, in (slot, code) order, of the best score: the split the histogram search picks.

Samples of zero weight are left out (sorted past the end), as a histogram leaves their bins
unoccupied. The cumulative sums run in float64 where the backend has it: sums of integer-valued
statistics (counts, bootstrap counts, integer weights) are then exact, and so are the children's
statistics taken as differences of them; the scores are computed in the statistics' dtype, as the
histogram search computes them.

Reference: Breiman et al., Classification and Regression Trees (1984), chapter 2 (the exact search);
Shafer, Agrawal & Mehta, "SPRINT: a scalable parallel classifier for data mining", VLDB 1996.
"""

from __future__ import annotations

import math

from .._backend import device_of
from ..utils._bincount import bincount
from ..utils._segments import segment_max
from . import _criteria as crit

__all__ = ["sorted_best_splits"]


def sorted_best_splits(xp, codes, rows, node, stats, rules, n_nodes: int, n_bins: int, features=None, tie=1e-12):
    """The best split of each node 0 .. n_nodes - 1 of the samples (`rows` (n,) of `codes`, `node` (n,), `stats`
    (n, k)), as the histogram search (`_grow._best_splits`) finds it; `features` (n_nodes, f) as there.
    Returns, each with n_nodes rows: the node's total (M, k), its best split's left child (M, k - 1, no count),
    whether it has one, and its feature, bin (the last on the left) and first occupied bin on the right."""
    M, k, p, B = n_nodes, stats.shape[1], codes.shape[1], n_bins
    f = p if features is None else features.shape[1]
    device, index = device_of(node), node.dtype
    # 1. the key (node, slot, code) of every (sample, slot) pair, sorted; zero-weight samples last
    live = (stats[:, 0] > 0) & (node < M)  # (n,)
    at = xp.where(live, node, 0)
    slots = xp.arange(f, dtype=index, device=device)  # (f,)
    if features is None:
        code = xp.take(codes, rows, axis=0)  # (n, p)
    else:  # each sample's codes of its node's features
        chosen = xp.take(xp.reshape(features, (-1,)), xp.reshape(at[:, None] * f + slots, (-1,)))  # (n·f,)
        where = xp.reshape(rows[:, None] * p + xp.reshape(chosen, (-1, f)), (-1,))  # (n·f,)
        code = xp.reshape(xp.take(xp.reshape(codes, (-1,)), where), (-1, f))  # (n, f)
    shift = max(1, math.ceil(math.log2(B)))  # key = (group << shift) | code: the group is key >> shift
    end = (M * f) << shift  # the key past every group
    group = at[:, None] * f + slots  # (n, f)
    key = xp.where(live[:, None], xp.bitwise_left_shift(group, shift) | xp.astype(code, index), end)  # (n, f)
    order = xp.argsort(xp.reshape(key, (-1,)))  # (e,), e = n·f
    key = xp.take(xp.reshape(key, (-1,)), order)  # (e,) sorted
    # 2. left children by cumulative sums within each (node, slot) group; right = the node's total - left
    acc = _accumulation_dtype(xp, stats)
    size = bincount(xp.where(live, node, M), M + 1, xp=xp)[:M]  # (M,) live samples of each node
    group_size = xp.reshape(xp.broadcast_to(size[:, None], (M, f)), (-1,))  # (M·f,) every slot holds them all
    start = xp.cumulative_sum(group_size) - group_size  # (M·f,) where each group begins
    counts = 0 if rules.min_samples_leaf > 1 else 1  # with 1, a candidate's children hold a live sample each
    weights = xp.astype(stats, acc) * xp.astype(live, acc)[:, None]  # (n, k): zero where not live
    total = xp.stack([bincount(at, M, weights[:, c], xp=xp) for c in range(k)], axis=1)  # (M, k) each node's sums
    # statistics by rows (k', e): each a contiguous run of the pairs in key order, as cumulative sums want
    C = xp.cumulative_sum(xp.take(xp.permute_dims(weights[:, counts:], (1, 0)), order // f, axis=1), axis=1)
    base = xp.take(C, xp.clip(start - 1, 0, None), axis=1) * xp.astype(start > 0, acc)  # (k', M·f): before each
    group_total = xp.reshape(xp.broadcast_to(xp.permute_dims(total[:, counts:], (1, 0))[:, :, None],
                                             (k - counts, M, f)), (k - counts, M * f))  # (k', M·f)
    group = xp.minimum(xp.bitwise_right_shift(key, shift), M * f - 1)  # (e,)
    left = xp.astype(C - xp.take(base, group, axis=1), stats.dtype)  # (k', e)
    right = xp.astype(xp.take(group_total + base, group, axis=1) - C, stats.dtype)  # (k', e)
    left_rows, left, right = left, xp.permute_dims(left, (1, 0)), xp.permute_dims(right, (1, 0))  # (e, k') views
    after = xp.concat([key[1:], xp.asarray([end], dtype=key.dtype, device=device)])  # (e,) the next key
    candidate = (after != key) & (xp.bitwise_right_shift(after, shift) == group)  # last of its run, not of its group
    c = rules.criterion
    valid = candidate  # (e,): each side then holds a live sample, which is all min_samples_leaf=1 asks
    if counts == 0:
        valid = valid & (left[:, 0] >= rules.min_samples_leaf) & (right[:, 0] >= rules.min_samples_leaf)
    left, right = left[:, 1 - counts:], right[:, 1 - counts:]  # (e, k - 1): the statistics the criterion reads
    if rules.min_weight_leaf > 0:
        valid = valid & (crit.weight(xp, left, c) >= rules.min_weight_leaf) & (
            crit.weight(xp, right, c) >= rules.min_weight_leaf)
    score = xp.where(valid, crit.proxy(xp, left, right, c), -math.inf)  # (e,)
    # 3. each node's first candidate of the best score, to rounding (as the histogram search's argmax)
    owner = group // f  # (e,) the node of each pair
    top = segment_max(score, owner, M, xp=xp)  # (M,)
    near = xp.take(top, owner)
    good = xp.astype((score > -math.inf) & (score >= near - tie * xp.abs(near)), index)  # (e,)
    good_before = xp.cumulative_sum(good)  # (e,)
    first = xp.take(start, xp.arange(M, dtype=index, device=device) * f)  # (M,) each node's first pair
    seen = xp.take(xp.concat([xp.zeros(1, dtype=index, device=device), good_before]), first)  # (M,)
    e = key.shape[0]
    best = xp.clip(xp.searchsorted(good_before, seen + 1, side="left"), 0, e - 1)  # (M,)
    found = top > -math.inf
    slot = xp.take(group, best) % f
    feature = slot if features is None else xp.take(xp.reshape(features, (-1,)), xp.arange(
        M, dtype=index, device=device) * f + slot)  # (M,)
    cut, right_code = (xp.where(found, xp.take(a, best) & (2**shift - 1), 0) for a in (key, after))  # (M,) each
    best_left = xp.permute_dims(xp.take(left_rows[1 - counts:, :], best, axis=1), (1, 0))  # (M, k - 1)
    return total, best_left, found, feature, cut, right_code


def _accumulation_dtype(xp, stats):
    """float64 where the backend has it (cumulative sums of integer-valued statistics stay exact), else stats'."""
    info = xp.__array_namespace_info__().dtypes(device=device_of(stats))
    return info.get("float64", stats.dtype)
