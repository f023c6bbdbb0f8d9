"""Fitting trees: bin the features once, then grow one tree, or a forest's trees in batches of roots (random
splits, which read the raw values, need no bins).

A forest's tree t sees sample i `counts[t, i]` times (a bootstrap draw). Its samples are the slots
(t, i) of a batch: slot statistics are the sample's statistics times its count, each slot's root is
its tree, and all the trees of the batch grow together, level by level (`_grow`). A batch holds at
most about `SLOTS` slots (2**18: a level's sort and sums then stay in a CPU's caches), which bounds the
memory whatever the number of trees. Slots a tree did not draw are left out where shapes may change.
"""

from __future__ import annotations

from .._backend import compiles_per_shape, device_of, on_accelerator
from ..utils._binning import bin_codes, fit_bins
from ..utils._compile import compiled_once
from . import _structure
from ._grow import grow

__all__ = ["MAX_BINS", "fit_trees"]

MAX_BINS = 256
SLOTS = 2**18  # (tree, sample) slots grown in one batch


def fit_trees(xp, X, stats, weights, rules, *, counts=None, max_leaf_nodes=None, ccp_alpha=0.0, rng=None,
              backend=None, allowed=None) -> list:
    """The trees grown on X (n, p) with per-sample statistics `stats` (n, k) (column 0: 1 where the sample
    counts, its weight `weights` (n,) nonzero), one per row of `counts` (T, n) (None: one tree, each sample once);
    `allowed` (T, p), bool: the features each tree may split on (None: all)."""
    n = X.shape[0]
    if rules.splitter == "random":  # random splits read the raw values (`_random_splits`): no bins
        codes, bins = X, None
    else:
        bins = fit_bins(X, MAX_BINS, round_up=compiles_per_shape(backend), xp=xp)  # jax: the next tree's shapes alike
        codes = bin_codes(X, bins.edges, xp=xp)  # (n, p)
    if counts is None:
        counts = xp.ones((1, n), dtype=stats.dtype, device=device_of(X))
    trees, per_batch = [], max(1, SLOTS * (16 if on_accelerator(backend) else 1) // n)  # a GPU: larger batches
    n_trees = counts.shape[0]
    for first in range(0, n_trees, per_batch):
        c = counts[first:min(first + per_batch, n_trees), :]  # (t, n)
        t = c.shape[0]
        slot_stats, rows, root, tree_weight = compiled_once(_slots, backend, ("xp",))(xp, c, stats, weights)
        if not bool(xp.all(tree_weight > 0)):
            raise ValueError("sample_weight leaves a tree without a sample of positive weight: its bootstrap draw "
                             "holds only samples weighted 0, so no class (or target) has any weight in it. Give more "
                             "samples a positive weight, or use bootstrap=False.")
        if not compiles_per_shape(backend):  # the slots of samples a tree did not draw change nothing: left out
            keep = xp.nonzero(slot_stats[:, 0] > 0)[0]
            slot_stats, rows, root = xp.take(slot_stats, keep, axis=0), xp.take(rows, keep), xp.take(root, keep)
        batch_allowed = None if allowed is None else allowed[first:first + t, :]  # (t, p)
        levels = grow(xp, codes, bins, rows, slot_stats, root, tree_weight, rules, rng=rng, backend=backend,
                      allowed=batch_allowed)
        trees += _structure.build_trees(xp, levels, rules.criterion, t, max_leaf_nodes, ccp_alpha)
    return trees


def _slots(xp, c, stats, weights):
    """The (tree, sample) slots of a batch of bootstrap counts c (t, n): their statistics (t·n, k), rows and
    roots (t·n,), and each tree's weight (t,)."""
    (t, n), device = c.shape, device_of(c)
    scaled = c[:, :, None] * stats[None, :, 1:]  # (t, n, k-1): the statistics of the draws
    counted = xp.astype(c > 0, stats.dtype)[:, :, None] * stats[None, :, :1]  # (t, n, 1)
    slot_stats = xp.reshape(xp.concat([counted, scaled], axis=2), (t * n, stats.shape[1]))  # (t·n, k)
    rows = xp.reshape(xp.broadcast_to(xp.arange(n, device=device)[None, :], (t, n)), (-1,))  # (t·n,)
    root = xp.reshape(xp.broadcast_to(xp.arange(t, device=device)[:, None], (t, n)), (-1,))  # (t·n,)
    return slot_stats, rows, root, xp.sum(c * weights[None, :], axis=1)
