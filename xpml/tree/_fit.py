"""Fitting trees: bin the features once, then grow one tree, or a forest's trees in batches of roots (random
splits, which read the raw values, need no bins).

A forest's tree t sees sample i `counts[t, i]` times (a bootstrap draw). Its samples are the slots
(t, i) of a batch: slot statistics are the sample's statistics times its count, each slot's root is
its tree, and all the trees of the batch grow together, level by level (`_grow`). A batch holds at
most about `SLOTS` slots (2**18: a level's sort and sums then stay in a CPU's caches), which bounds the
memory whatever the number of trees: `SLOTS // n` trees, or `SLOTS // m` where each tree draws m rows
(`drawn`: an isolation forest's 256). Slots a tree did not draw are left out where shapes may change
(found among the counts, or the rows drawn, without making the batch's t · n slots).

Random splits read a classifier's statistics as (count, weight, class) (`_random_splits.sample_stats`),
made once a fit from the samples' (a draw's count multiplies the weight alone); and each batch says
whether its slots all weigh 1 (`with_unit`), which spares a sum.
"""

from __future__ import annotations

from dataclasses import replace

from .._backend import compiles_per_shape, device_of, on_accelerator
from ..utils._bincount import bincount
from ..utils._binning import bin_codes, fit_bins
from ..utils._compile import compiled_once
from ..utils._threads import one_host_thread
from . import _structure
from ._grow import grow
from ._random_splits import sample_stats, with_unit

__all__ = ["MAX_BINS", "fit_trees"]

MAX_BINS = 256
SLOTS = 2**18  # (tree, sample) slots grown in one batch


def fit_trees(xp, X, stats, weights, rules, *, counts=None, max_leaf_nodes=None, ccp_alpha=0.0, rng=None,
              backend=None, allowed=None, drawn=None) -> list:
    """The trees grown on X (n, p) with per-sample statistics `stats` (n, k) (column 0: 1 where the sample
    counts, its weight `weights` (n,) nonzero), one per row of `counts` (T, n) (None: one tree, each sample once),
    or of `drawn` (T, m), the rows each tree drew (with repeats, counted), where m is much less than n (batches of
    SLOTS // m trees, and no (T, n) array); `allowed` (T, p), bool: the features each tree may split on (None: all)."""
    n = X.shape[0]
    if rules.splitter == "random":  # random splits read the raw values (`_random_splits`): no bins
        codes, bins = X, None
        stats, layout = sample_stats(xp, stats, rules.criterion)  # as the random splits read them, made once
        rules = replace(rules, layout=layout)
    else:
        bins = fit_bins(X, MAX_BINS, round_up=compiles_per_shape(backend), xp=xp)  # jax: the next tree's shapes alike
        codes = bin_codes(X, bins.edges, xp=xp)  # (n, p)
    if counts is None and drawn is None:
        counts = xp.ones((1, n), dtype=stats.dtype, device=device_of(X))
    (n_trees, per_tree), scale = (counts if drawn is None else drawn).shape, 16 if on_accelerator(backend) else 1
    trees, per_batch = [], max(1, SLOTS * scale // min(n, per_tree))  # a GPU: larger batches
    with one_host_thread(backend):  # a level is many small kernels, which threads slow down (`xpml.utils._threads`)
        for first in range(0, n_trees, per_batch):
            trees += _batch(xp, codes, bins, stats, weights, rules, counts, drawn, slice(first, min(first + per_batch,
                            n_trees)), max_leaf_nodes, ccp_alpha, rng, backend, allowed)
    return trees


def _batch(xp, codes, bins, stats, weights, rules, counts, drawn, part: slice, max_leaf_nodes, ccp_alpha, rng, backend,
           allowed) -> list:
    """The trees of the rows `part` of `counts` (or of `drawn`), grown together."""
    n, c = codes.shape[0], counts[part, :] if drawn is None else None  # (t, n)
    scaled = 1 if rules.layout and rules.layout.classes else stats.shape[1] - 1  # the columns a count multiplies
    if compiles_per_shape(backend):  # every slot, the same shapes for every batch
        c = _counts(xp, drawn[part, :], n, stats.dtype) if c is None else c
        slot_stats, rows, root, tree_weight = compiled_once(_slots, backend, ("xp", "scaled"))(
            xp, c, stats, weights, scaled=scaled)
    elif c is None:  # the slots of the rows drawn, found among them
        slot_stats, rows, root, tree_weight = _listed_slots(xp, drawn[part, :], stats, weights, scaled)
    else:  # the slots of samples a tree did not draw change nothing: left out
        slot_stats, rows, root, tree_weight = _drawn_slots(xp, c, stats, weights, scaled)
    if rules.splitter == "random":  # whether each slot of the batch weighs 1 (`with_unit`)
        rules = replace(rules, layout=with_unit(xp, slot_stats, rules.layout))
    if not bool(xp.all(tree_weight > 0)):
        raise ValueError("sample_weight leaves a tree without a sample of positive weight: its bootstrap draw "
                         "holds only samples weighted 0, so no class (or target) has any weight in it. Give more "
                         "samples a positive weight, or use bootstrap=False.")
    levels = grow(xp, codes, bins, rows, slot_stats, root, tree_weight, rules, rng=rng, backend=backend,
                  allowed=None if allowed is None else allowed[part, :])  # (t, p)
    return _structure.build_trees(xp, levels, rules.criterion, tree_weight.shape[0], max_leaf_nodes, ccp_alpha)


def _slots(xp, c, stats, weights, scaled):
    """The (tree, sample) slots of a batch of bootstrap counts c (t, n): their statistics (t·n, k): the count, the
    `scaled` next columns times the draws, the others as they are; rows and roots (t·n,), each tree's weight (t,)."""
    (t, n), device, k = c.shape, device_of(c), stats.shape[1]
    counted = xp.astype(c > 0, stats.dtype)[:, :, None] * stats[None, :, :1]  # (t, n, 1)
    times = c[:, :, None] * stats[None, :, 1:1 + scaled]  # (t, n, scaled): the statistics of the draws
    kept = xp.broadcast_to(stats[None, :, 1 + scaled:], (t, n, k - 1 - scaled))  # (t, n, k - 1 - scaled)
    slot_stats = xp.reshape(xp.concat([counted, times, kept], axis=2), (t * n, k))  # (t·n, k)
    rows = xp.reshape(xp.broadcast_to(xp.arange(n, device=device)[None, :], (t, n)), (-1,))  # (t·n,)
    root = xp.reshape(xp.broadcast_to(xp.arange(t, device=device)[:, None], (t, n)), (-1,))  # (t·n,)
    return slot_stats, rows, root, xp.sum(c * weights[None, :], axis=1)


def _drawn_slots(xp, c, stats, weights, scaled):
    """`_slots`' arrays for the slots that count alone (drawn, of a sample that counts), in the same order, found
    among the counts c (t, n) without making the others."""
    t, n = c.shape
    counted = (c > 0) & (stats[:, 0] > 0)[None, :]  # (t, n)
    keep = xp.nonzero(xp.reshape(counted, (-1,)))[0]  # (s,): the slots t · n + i that count
    rows, root = keep % n, keep // n  # (s,) each
    drawn = xp.take(xp.reshape(c, (-1,)), keep)  # (s,)
    return _of_slots(xp, stats, rows, drawn, scaled), rows, root, xp.sum(c * weights[None, :], axis=1)


def _listed_slots(xp, drawn, stats, weights, scaled):
    """`_drawn_slots`' arrays from the rows each tree drew (`drawn` (t, m), with repeats): each distinct (tree,
    row) a slot, counted as often as drawn, in the same order (by tree, then row)."""
    (t, _), n = drawn.shape, stats.shape[0]
    trees = xp.arange(t, dtype=drawn.dtype, device=device_of(drawn))[:, None]  # (t, 1)
    slots, times = xp.unique_counts(xp.reshape(trees * n + drawn, (-1,)))  # (s,) each: t · n + i, sorted
    keep = xp.nonzero(xp.take(stats[:, 0], slots % n) > 0)[0]  # the slots of samples that count
    slots, times = xp.take(slots, keep), xp.astype(xp.take(times, keep), stats.dtype)
    rows, root = slots % n, slots // n  # (s,) each
    return _of_slots(xp, stats, rows, times, scaled), rows, root, bincount(root, t, times * xp.take(weights, rows),
                                                                            xp=xp)


def _of_slots(xp, stats, rows, times, scaled: int):
    """(s, k): the statistics of slots of the samples `rows` (s,), drawn `times` (s,) each: the count, the `scaled`
    next columns times the draws, the others as they are."""
    taken = xp.take(stats, rows, axis=0)  # (s, k)
    return xp.concat([taken[:, :1], times[:, None] * taken[:, 1:1 + scaled], taken[:, 1 + scaled:]], axis=1)


def _counts(xp, drawn, n: int, dtype):
    """(t, n): how many times each tree drew each row (`drawn` (t, m))."""
    t = drawn.shape[0]
    trees = xp.arange(t, dtype=drawn.dtype, device=device_of(drawn))[:, None]  # (t, 1)
    return xp.reshape(xp.astype(bincount(xp.reshape(trees * n + drawn, (-1,)), t * n, xp=xp), dtype), (t, n))
