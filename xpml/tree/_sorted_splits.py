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
statistics (counts, bootstrap counts, integer weights) are then exact.

Reference: Breiman et al., Classification and Regression Trees (1984), chapter 2 (the exact search);
Shafer, Agrawal & Mehta, "SPRINT: a scalable parallel classifier for data mining", VLDB 1996.
"""

from __future__ import annotations

import math

from .._backend import device_of
from ..utils._bincount import bincount
from ..utils._scatter import scatter_add
from ..utils._segments import segment_max
from . import _criteria as crit

__all__ = ["sorted_best_splits"]


def sorted_best_splits(xp, codes, rows, node, stats, rules, n_nodes: int, n_bins: int, features=None, cut_draws=None,
                       tie=1e-12):
    """The best split of each node 0 .. n_nodes - 1 of the samples (`rows` (n,) of `codes`, `node` (n,), `stats`
    (n, k)), as the histogram search (`_grow._best_splits`) finds it; `features` (n_nodes, f) and `cut_draws`
    as there. Returns, each with n_nodes rows: the node's total (M, k), its best split's left child (M, k),
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
    end = M * f * B  # the key past every group
    key = xp.where(live[:, None], (at[:, None] * f + slots) * B + xp.astype(code, index), end)  # (n, f)
    order = xp.argsort(xp.reshape(key, (-1,)))  # (e,), e = n·f
    key = xp.take(xp.reshape(key, (-1,)), order)  # (e,) sorted
    # 2. left children by cumulative sums within each (node, slot) group; right = the node's total - left
    acc = _accumulation_dtype(xp, stats)
    S = xp.take(xp.astype(stats, acc), order // f, axis=0)  # (e, k) the statistics in key order
    C = xp.concat([xp.zeros((1, k), dtype=acc, device=device), xp.cumulative_sum(S, axis=0)])  # (e + 1, k)
    size = bincount(xp.where(live, node, M), M + 1, xp=xp)[:M]  # (M,) live samples of each node
    group_size = xp.reshape(xp.broadcast_to(size[:, None], (M, f)), (-1,))  # (M·f,) every slot holds them all
    start = xp.cumulative_sum(group_size) - group_size  # (M·f,) where each group begins
    group = xp.minimum(key // B, M * f - 1)  # (e,)
    left = C[1:, :] - xp.take(C, xp.take(start, group), axis=0)  # (e, k)
    total = scatter_add(xp.astype(stats, acc) * xp.astype(live, acc)[:, None], at, M, xp=xp)  # (M, k)
    right = xp.take(total, group // f, axis=0) - left  # (e, k)
    after = xp.concat([key[1:], xp.asarray([end], dtype=key.dtype, device=device)])  # (e,) the next key
    candidate = (after != key) & (after // B == key // B)  # last of its run, not last of its group
    c = rules.criterion
    valid = (candidate & (left[:, 0] >= rules.min_samples_leaf) & (right[:, 0] >= rules.min_samples_leaf)
             & (crit.weight(xp, left[:, 1:], c) >= rules.min_weight_leaf)
             & (crit.weight(xp, right[:, 1:], c) >= rules.min_weight_leaf))  # (e,)
    if cut_draws is not None:
        valid = valid & _random_cuts(xp, key, start, group_size, group, candidate, cut_draws)
    score = xp.where(valid, crit.proxy(xp, left[:, 1:], right[:, 1:], c), -math.inf)  # (e,)
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
    cut, right_code = (xp.where(found, xp.take(a, best) % B, 0) for a in (key, after))  # (M,) each; bin 0 if none
    best_left = xp.take(left, best, axis=0)  # (M, k)
    return total, best_left, found, feature, cut, right_code


def _random_cuts(xp, key, start, group_size, group, candidate, u):
    """(e,): for each (node, slot) group, the one candidate drawn uniformly (u (M, f)) among its cuts."""
    index, e = key.dtype, key.shape[0]
    new_run = xp.astype(xp.concat([xp.ones(1, dtype=xp.bool, device=device_of(key)), key[1:] != key[:-1]]), index)
    runs = xp.cumulative_sum(new_run)  # (e,) 1, 2, ... run after run
    first = xp.take(start, group)  # (e,) the first pair of each pair's group
    before = xp.take(xp.concat([xp.zeros(1, dtype=index, device=device_of(key)), runs]), first)  # runs before it
    rank = runs - before  # (e,) the rank of each pair's run in its group, from 1
    n_runs = xp.take(runs, xp.clip(first + xp.take(group_size, group) - 1, 0, e - 1)) - before  # (e,)
    draws = xp.take(xp.reshape(u, (-1,)), group)  # (e,)
    chosen = xp.astype(xp.floor(draws * xp.astype(n_runs - 1, draws.dtype)), index) + 1  # (e,) in 1 .. runs - 1
    return candidate & (rank == chosen)


def _accumulation_dtype(xp, stats):
    """float64 where the backend has it (cumulative sums of integer-valued statistics stay exact), else stats'."""
    info = xp.__array_namespace_info__().dtypes(device=device_of(stats))
    return info.get("float64", stats.dtype)
