"""Walking a forest: every row down all of its trees at once.

A tree's walk (`_structure._walk`) sends each row down one level per step: a gather of the node's
feature, one of the row's value, a comparison, a gather of the child. A forest of T trees walked
tree by tree costs T times the steps of the deepest tree, each a few operations on n rows; for a
hundred trees of depth 12, the Python work of those 10,000 small operations outweighs their
arithmetic. Here the trees' nodes are one table (tree t's node i is node offset[t] + i), each
node's two children side by side (a leaf leads to itself), and every (row, tree) pair steps at once:
the same arithmetic, in a few large operations. The rows go a block at a time (about 2**18 pairs),
and the blocks are shared among the host's worker threads (`xpml.utils._threads`).

What the walk gives is the node each pair reaches; the forests gather from it the leaves' values
(`mean_values`: their average over the trees, summed tree after tree, as one tree at a time sums
them) or per-leaf numbers (an isolation tree's path lengths: `summed`).
"""

from __future__ import annotations

import itertools
import math
import weakref

from .._backend import backend_of, device_of, to_backend, to_numpy
from ..utils._chunks import RowBlocks, chunk_rows, row_slices
from ..utils._host import host_namespace
from ..utils._threads import host_workers, on_workers, one_host_thread

__all__ = ["forest_table", "leaves", "mean_values", "summed"]

_TABLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # forest -> (its trees, their table)


def forest_table(owner, trees: list, features: list | None = None, numbers: list | None = None) -> dict:
    """The nodes of `trees` (`Tree`s) as one table, made on the host once for `owner` (a fitted forest) and kept
    while its trees are the same: "feature", "threshold" and "children" (2N: a node's right then left child) of
    every node, "value" (N, k) and, with `numbers` (one (node_count,) array a tree), "number" (N,); "offset" (T,),
    where each tree's nodes begin, and "depth", the deepest tree's. `features`: each tree's columns of X (None: X's
    own), its features renumbered as X's."""
    kept = _TABLES.get(owner)
    if kept is not None and len(kept[0]) == len(trees) and all(a is b for a, b in zip(kept[0], trees)):
        return kept[1]
    hx, backend = host_namespace(), backend_of(trees[0].threshold)
    sizes = [tree.node_count for tree in trees]
    *offset, n_nodes = itertools.accumulate(sizes, initial=0)  # where each tree's nodes begin; all of them
    pad = 2 ** math.ceil(math.log2(max(n_nodes, 2))) - n_nodes  # a few table sizes (a library compiles per shape)

    def joined(parts, fill):  # the trees' arrays one after the other on the host, then `pad` rows of `fill`
        parts = [hx.asarray(to_numpy(a)) for a in parts]
        return hx.concat(parts + [hx.full((pad, *parts[0].shape[1:]), fill, dtype=parts[0].dtype)])

    left, right = ([hx.asarray(to_numpy(getattr(tree, side))) for tree in trees] for side in ("children_left",
                                                                                             "children_right"))
    leaf = joined([a < 0 for a in left], True)  # (N,): the padding too
    ids = hx.arange(n_nodes + pad, dtype=left[0].dtype)
    left, right = (joined([a + o for a, o in zip(side, offset)], 0) for side in (left, right))
    children = hx.reshape(hx.stack([hx.where(leaf, ids, right), hx.where(leaf, ids, left)], axis=1), (-1,))  # (2N,)
    feature = [hx.asarray(to_numpy(tree.feature)) for tree in trees]
    if features is not None:  # each tree's columns of X: its features as X's
        feature = [hx.take(hx.asarray(to_numpy(cols)), hx.where(f >= 0, f, 0)) for f, cols in zip(feature, features)]
    table = {"feature": hx.where(leaf, 0, joined(feature, 0)), "threshold": joined([t.threshold for t in trees], 0.0),
             "children": children, "value": joined([tree.value[:, 0, :] for tree in trees], 0.0)}
    if numbers is not None:
        table["number"] = joined(numbers, 0.0)
    table = {key: to_backend(value, backend) for key, value in table.items()}
    table.update(offset=offset, depth=max(tree.max_depth for tree in trees))
    _TABLES[owner] = (list(trees), table)
    return table


def leaves(xp, table: dict, X):
    """(n, T): the node each row of X (n, p) reaches in each tree, numbered in its tree."""
    offset = xp.asarray(table["offset"], dtype=table["children"].dtype, device=device_of(X))  # (T,)
    return _by_blocks(xp, table, X, lambda node: node - offset[None, :], axis=0)


def mean_values(xp, table: dict, X):
    """(n, k): the average over the trees of the value of the leaf each row of X (n, p) reaches."""
    value, T = table["value"], len(table["offset"])

    def average(node):  # (b, T) -> (b, k): the trees' values summed one after the other
        values = xp.reshape(xp.take(value, xp.reshape(node, (-1,)), axis=0), (node.shape[0], T, -1))  # (b, T, k)
        total = values[:, 0, :]
        for t in range(1, T):
            total = total + values[:, t, :]
        return total / T

    return _by_blocks(xp, table, X, average, axis=0)


def summed(xp, table: dict, X):
    """(n,): the sum over the trees of the `number` of the leaf each row of X (n, p) reaches, tree after tree."""
    number, T = table["number"], len(table["offset"])

    def add(node):  # (b, T) -> (b,)
        numbers = xp.reshape(xp.take(number, xp.reshape(node, (-1,))), node.shape)  # (b, T)
        total = numbers[:, 0]
        for t in range(1, T):
            total = total + numbers[:, t]
        return total

    return _by_blocks(xp, table, X, add, axis=0)


def _by_blocks(xp, table, X, reduce, axis: int):
    """reduce(node (b, T)) of each block of rows of X, joined: the blocks shared among the host's worker threads."""
    n, backend = X.shape[0], backend_of(X)
    out = RowBlocks(xp, n, axis=axis)

    def run(blocks):
        for rows in blocks:
            out.put(rows, reduce(_walk(xp, table, X[rows, :])))

    with one_host_thread(backend):  # each worker's kernels on one thread (`xpml.utils._threads`)
        on_workers(run, row_slices(n, chunk_rows(backend, len(table["offset"]))), host_workers(backend))
    return out.result()


def _walk(xp, table, X):
    """(b, T): the node every row of X (b, p) reaches in every tree, one level a step."""
    (b, p), T = X.shape, len(table["offset"])
    feature, threshold, children = table["feature"], table["threshold"], table["children"]
    flat = xp.reshape(X, (-1,))  # (b·p,)
    index = children.dtype
    start = xp.reshape(xp.broadcast_to(xp.arange(b, dtype=index, device=device_of(X))[:, None] * p, (b, T)), (-1,))
    node = xp.reshape(xp.broadcast_to(xp.asarray(table["offset"], dtype=index, device=device_of(X))[None, :],
                                      (b, T)), (-1,))  # (b·T,): every pair at its tree's root
    for _ in range(table["depth"]):
        x = xp.take(flat, start + xp.take(feature, node))  # (b·T,) each pair's value of its node's feature
        node = xp.take(children, 2 * node + xp.astype(x <= xp.take(threshold, node), index))  # right, or left
    return xp.reshape(node, (b, T))
