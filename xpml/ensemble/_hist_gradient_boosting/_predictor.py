"""Trees as arrays, and all of them walked at once.

A fitted ensemble is one table of nodes (every tree's, one after the other): node i asks "x_f <= t?"
(`feature`, `threshold`), sends NaN to the side `missing_left` says, and has children `left`,
`right` (-1 at a leaf, whose `value` is its contribution to the raw prediction). `roots` (T,) are
the trees' first nodes, tree t = iteration · K + k for class k. A model with categorical features
(whose values are then codes 0 .. C - 1, `_categories`) has two more: `categorical` says which nodes
split a categorical feature, and row i of `cat_left` (N, C) which codes go left there.

Prediction walks every (sample, tree) pair down one level per step: one gather of the node's
feature, one of the sample's value, one comparison, one gather of the child (a leaf's children are
itself, so finished pairs stay put), `max_depth` steps in all; then the leaves' values summed over
iterations (or cumulated, for staged predictions). Rows go a block at a time, so that memory stays
bounded with many trees, and the blocks are shared among the host's worker threads.
"""

from __future__ import annotations

import math

from ..._backend import backend_of, device_of
from ...utils._binning import integer_dtype
from ...utils._chunks import RowBlocks, chunk_rows, row_slices
from ...utils._threads import host_workers, on_workers

__all__ = ["concat_trees", "extend_table", "leaf_values", "tree_arrays"]


def tree_arrays(xp, grown, thresholds, values, like, n_codes=None) -> dict:
    """The arrays of one grown tree (`_grower.Grown`): thresholds from the bins, `values` (host list) per node;
    `n_codes` (C): with categorical features, the number of codes of the widest one."""
    dev = device_of(like)
    index = integer_dtype(xp, like)
    N = len(grown.left)
    pad = [0] * (2 ** math.ceil(math.log2(N)) - N)  # unreachable leaves: a few table sizes serve every tree
    leaf = [-1] * len(pad)
    threshold = [thresholds[f][b] if c >= 0 and s is None else 0.0
                 for f, b, c, s in zip(grown.feature, grown.bin, grown.left, grown.left_set)]
    categorical = {}
    if n_codes is not None:  # the codes that go left at each categorical split (its bins are its codes)
        rows = [s[:n_codes] if s is not None else [False] * n_codes for s in grown.left_set]
        categorical = {"categorical": xp.asarray([s is not None for s in grown.left_set] + [False] * len(pad), device=dev),
                       "cat_left": xp.asarray(rows + [[False] * n_codes] * len(pad), device=dev)}
    return {
        **categorical,
        "feature": xp.asarray(grown.feature + pad, dtype=index, device=dev),
        "threshold": xp.asarray(threshold + pad, dtype=like.dtype, device=dev),
        "missing_left": xp.asarray(grown.missing_left + [False] * len(pad), device=dev),
        "left": xp.asarray(grown.left + leaf, dtype=index, device=dev),
        "right": xp.asarray(grown.right + leaf, dtype=index, device=dev),
        "value": xp.asarray(values + pad, dtype=like.dtype, device=dev),
        "depth": max(grown.depth),
    }


def concat_trees(xp, trees: list) -> tuple[dict, list]:
    """One table of the nodes of `trees`, children renumbered; and the root of each tree (host list)."""
    roots, offset, parts = [], 0, []
    for t in trees:
        roots.append(offset)
        parts.append({**t, **{side: xp.where(t[side] >= 0, t[side] + offset, t[side]) for side in ("left", "right")}})
        offset += t["value"].shape[0]
    keys = ["feature", "threshold", "missing_left", "left", "right", "value"] + (["categorical", "cat_left"]
                                                                               if "cat_left" in trees[0] else [])
    table = {key: xp.concat([t[key] for t in parts]) for key in keys}
    table["depth"] = max(t["depth"] for t in trees)
    return table, roots


def extend_table(xp, table, roots, trees) -> tuple[dict, list]:
    """A fitted table (and its roots) with `trees` appended after its trees (warm start)."""
    more, more_roots = concat_trees(xp, trees)
    offset = table["value"].shape[0]
    merged = {key: xp.concat([table[key], xp.where(more[key] >= 0, more[key] + offset, more[key])
                              if key in ("left", "right") else more[key]]) for key in table if key != "depth"}
    merged["depth"] = max(table["depth"], more["depth"])
    return merged, list(roots) + [r + offset for r in more_roots]


def leaf_values(xp, table, roots, X):
    """(n, T): the value of the leaf each row of X (n, p) reaches in each tree whose root is in `roots` (T,).
    The blocks of rows are shared among the host's worker threads (`xpml.utils._threads`)."""
    n, _p = X.shape
    T, backend = len(roots), backend_of(X)
    N = table["value"].shape[0]
    ids = xp.arange(N, dtype=table["left"].dtype, device=device_of(X))
    # each node's two children side by side, a leaf leading to itself: a step is then one gather for every pair
    children = xp.reshape(xp.stack([xp.where(table[side] >= 0, table[side], ids) for side in ("left", "right")],
                                   axis=1), (-1,))  # (2N,)
    out = RowBlocks(xp, n)

    def walk(blocks):
        for rows in blocks:
            out.put(rows, _walk(xp, table, children, roots, X[rows, :]))

    on_workers(walk, row_slices(n, chunk_rows(backend, 4 * T)), host_workers(backend))
    return out.result()


def _walk(xp, table, children, roots, X):
    m, p = X.shape
    T, feature = len(roots), table["feature"]
    index = feature.dtype
    flat = xp.reshape(X, (-1,))  # (m·p,)
    start = xp.reshape(xp.broadcast_to(xp.arange(m, dtype=index, device=device_of(X))[:, None] * p, (m, T)), (-1,))
    node = xp.reshape(xp.broadcast_to(xp.asarray(roots, dtype=index, device=device_of(X))[None, :], (m, T)), (-1,))
    missing = bool(xp.any(xp.isnan(X)))  # without NaN, a step needs no missing-value rule
    for _ in range(table["depth"]):  # node (m·T,): each (sample, tree) pair's node, one level down a step
        x = xp.take(flat, start + xp.take(feature, node))  # one gather of the values the nodes ask about
        go_left = x <= xp.take(table["threshold"], node)
        if missing:
            go_left = xp.where(xp.isnan(x), xp.take(table["missing_left"], node), go_left)
        if "cat_left" in table:  # at a categorical split: whether the code x is in the node's row of cat_left
            C = table["cat_left"].shape[1]
            coded = xp.take(table["categorical"], node) & ~xp.isnan(x)
            code = xp.astype(xp.where(coded, x, 0.0), index)
            go_left = xp.where(coded, xp.take(xp.reshape(table["cat_left"], (-1,)), node * C + code), go_left)
        node = xp.take(children, 2 * node + xp.astype(~go_left, index))  # a leaf stays where it is
    return xp.reshape(xp.take(table["value"], node), (m, T))
