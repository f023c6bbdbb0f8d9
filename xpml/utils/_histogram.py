"""Histograms of per-sample statistics by (node, feature, bin): the one reduction a tree grows by.

For every sample i at node m (of the nodes being grown) and every feature j whose value falls in
bin b = codes[i, j], its statistics s_i (a count, weights, class counts, gradients, ...) are added to

    H[m, j, b, :] += s_i.

That is one scatter-add over the n·p (sample, feature) pairs with the flat index (m·p + j)·B + b:
a weighted count (`xpml.utils._bincount.bincount`, native where the library has one, by sorting
where not) for each statistic. Samples whose node is `n_nodes` or more (finished leaves, or
nodes of another block) go to a last, discarded slot.

Memory stays bounded: the samples are taken a block of rows at a time (the index of a block is
rows × p integers), and `node_blocks` splits the nodes so that each histogram block holds at most
about `budget` numbers; a caller loops over the node blocks.

Reference: Ke et al., "LightGBM: A Highly Efficient Gradient Boosting Decision Tree", NeurIPS 2017
(histogram-based split finding).
"""

from __future__ import annotations

from typing import Any

from .._backend import backend_of, device_of, namespace_of
from ._bincount import bincount
from ._chunks import chunk_rows, row_slices

__all__ = ["node_blocks", "node_histograms"]

HISTOGRAM_BUDGET = 2**24  # numbers in one histogram block (128 MiB of float64)


def node_histograms(codes: Any, rows: Any, node: Any, stats: Any, first: int, n_nodes: int, n_bins: int,
                    features: Any = None, *, xp=None) -> Any:
    """H (n_nodes, f, n_bins, k): the sums of `stats` by (node - first, feature, bin).

    Parameters
    ----------
    codes : integer array of shape (n_rows, p), the bins of the data (`xpml.utils._binning.bin_codes`)
    rows : integer array of shape (n,), the row of `codes` of each sample (a forest repeats rows)
    node : integer array of shape (n,), the node of each sample
    stats : floating array of shape (n, k)
    first, n_nodes : int
        The block of nodes first .. first + n_nodes - 1; samples elsewhere are left out.
    n_bins : int
    features : integer array of shape (n_nodes, f), optional
        The features of each node to count (a random forest's draws); by default all p of them.
    """
    xp = namespace_of(stats) if xp is None else xp
    n, k = stats.shape
    p = codes.shape[1]
    f = p if features is None else features.shape[1]
    size = n_nodes * f * n_bins  # the discarded slot is `size`
    slots = xp.arange(f, dtype=codes.dtype, device=device_of(codes))  # (f,)
    sums = [None] * k  # each statistic's histogram (size + 1,), summed over the blocks of rows
    # the index of a block is rows × f integers; each block adds its counts to the whole histogram, so blocks are
    # made large (16 times the usual budget): few passes over the histogram, whatever the number of samples
    for block in row_slices(n, chunk_rows(backend_of(stats), f * (k + 3), scale=16)):
        local = node[block] - first  # (b,)
        inside = (local >= 0) & (local < n_nodes)
        at = xp.where(inside, local, 0)  # (b,)
        base = at[:, None] * f + slots  # (b, f)
        if features is None:
            code = xp.take(codes, rows[block], axis=0)  # (b, p)
        else:  # each sample's codes of its node's features
            chosen = xp.take(xp.reshape(features, (-1,)), xp.reshape(base, (-1,)))  # (b·f,)
            code = xp.reshape(xp.take(xp.reshape(codes, (-1,)), xp.reshape(rows[block][:, None] * p + xp.reshape(
                chosen, (-1, f)), (-1,))), (-1, f))  # (b, f)
        index = xp.where(inside[:, None], base * n_bins + code, size)  # (b, f)
        index = xp.reshape(index, (-1,))  # (b·f,)
        for c in range(k):
            counted = bincount(index, size + 1, xp.reshape(xp.broadcast_to(stats[block, c:c + 1], (
                index.shape[0] // f, f)), (-1,)), xp=xp)  # (size + 1,)
            sums[c] = counted if sums[c] is None else sums[c] + counted
    if sums[0] is None:  # no samples
        sums = [xp.zeros(size + 1, dtype=stats.dtype, device=device_of(stats))] * k
    hist = xp.stack(sums, axis=1)  # (size + 1, k)
    return xp.reshape(hist[:size, :], (n_nodes, f, n_bins, k))


def node_blocks(n_nodes: int, p: int, n_bins: int, k: int, budget: int = HISTOGRAM_BUDGET) -> list[tuple[int, int]]:
    """(first, count) blocks of nodes whose histograms hold at most about `budget` numbers each."""
    per_block = max(1, budget // (p * n_bins * k))
    return [(first, min(per_block, n_nodes - first)) for first in range(0, n_nodes, per_block)]
