"""Trees as arrays, and the way of every row down all of them.

A fitted ensemble is one table of nodes (every tree's, one after the other): node i asks "x_f <= t?"
(`feature`, `threshold`), sends NaN to the side `missing_left` says, and has children `left`,
`right` (-1 at a leaf, whose `value` is its contribution to the raw prediction). `roots` (T,) are
the trees' first nodes, tree t = iteration · K + k for class k. A model with categorical features
(whose values are then codes 0 .. C - 1, `_categories`) has two more: `categorical` says which nodes
split a categorical feature, and row i of `cat_left` (N, C) which codes go left there.

Prediction takes one of two ways, by where it runs; both reach the same leaves.

- On the host (`_route`): the rows are routed down each tree as the fit parted its samples, a
  split at a time: one gather of the split feature's values of the node's rows, one comparison,
  and the rows that go left and those that go right become the children's. A row costs one step
  per level it descends (HIGGS-shaped, 100 trees of 31 leaves: 6.5 on average), and a block of
  rows is large enough (up to `ROUTED` rows) that the Python work per node is small beside it.
- On an accelerator, or where every new shape compiles anew (jax), (`_walk`): every (row, tree)
  pair walks down one level per step, with no data-dependent shape: one gather of the node's
  feature, one of the row's value, one comparison, one gather of the child. The pairs lie tree by
  tree, the deepest trees first, so that the pairs of the trees still deeper than a level are a
  prefix, and a step walks only those (where shapes compile, every tree every step): a tree of
  depth d costs d steps, not the deepest tree's (HIGGS-shaped: depths 6 to 16, 9.7 on average).

Then the leaves' values are summed over iterations (or cumulated, for staged predictions). Rows go
a block at a time, so that memory stays bounded, and the blocks are shared among the host's worker
threads. 1,000,000 × 28, 100 trees of 31 leaves, two threads: routed 2.8 to 3.3 s, walked 4.4 to 5.0 s.
"""

from __future__ import annotations

import math

import array_api_extra as xpx

from ..._backend import backend_of, capability, compiles_per_shape, device_of, on_accelerator, to_numpy
from ...utils._binning import integer_dtype
from ...utils._chunks import RowBlocks, chunk_rows, row_slices
from ...utils._scatter import scatter_add
from ...utils._threads import host_workers, on_workers

__all__ = ["concat_trees", "extend_table", "leaf_values", "part_rows", "spread_leaf_values", "tree_arrays"]

ROUTED = 2**18  # the most rows routed at once (a block's copy of its rows, by feature: 28 MB of float32 for 28)


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
    table["depths"] = [t["depth"] for t in trees]  # host list, one a tree
    return table, roots


def extend_table(xp, table, roots, trees) -> tuple[dict, list]:
    """A fitted table (and its roots) with `trees` appended after its trees (warm start)."""
    more, more_roots = concat_trees(xp, trees)
    offset = table["value"].shape[0]
    merged = {key: xp.concat([table[key], xp.where(more[key] >= 0, more[key] + offset, more[key])
                              if key in ("left", "right") else more[key]]) for key in table
              if key not in ("depth", "depths")}
    merged["depth"] = max(table["depth"], more["depth"])
    merged["depths"] = _depths(table, roots) + more["depths"]
    return merged, list(roots) + [r + offset for r in more_roots]


def leaf_values(xp, table, roots, X, outputs=None):
    """(T, n): the value of the leaf each row of X (n, p) reaches in each tree whose root is in `roots` (T,), a tree's
    values in a row. With `outputs` = K, (K, n): their sums over the iterations (tree t = iteration · K + k adds to
    row k), what a prediction needs, without keeping every tree's values (1,000,000 rows and 100 trees: 400 MB of
    float32). The blocks of rows are shared among the host's worker threads (`xpml.utils._threads`)."""
    n, _p = X.shape
    T, backend = len(roots), backend_of(X)
    out = RowBlocks(xp, n, axis=1)

    def combine(per_tree):  # (T, m) or (K, m) from the trees' values (m,), in the trees' order
        if outputs is None:
            return xp.stack(list(per_tree))
        sums = [None] * outputs
        for t, values in enumerate(per_tree):  # each output's sum in the trees' order, as an iteration adds them
            sums[t % outputs] = values if sums[t % outputs] is None else sums[t % outputs] + values
        return xp.stack(sums)

    if _routes(backend):
        nodes = {key: to_numpy(table[key]).tolist() for key in ("feature", "threshold", "missing_left", "left",
                                                                "right", "value", "categorical") if key in table}
        workers = host_workers(backend)

        def route(blocks):
            for rows in blocks:
                out.put(rows, combine(_route(xp, table, nodes, roots, X[rows, :])))

        # as few blocks as there are workers, where they hold at most ROUTED rows: the fewer the blocks, the less Python
        # work per row, but past 2**18 rows a feature's values (1 MB) leave the core's cache (1,000,000 × 100 trees,
        # two threads: 2.8 to 3.0 s in blocks of 2**18 rows, 2.9 to 3.5 s of 2**19, 3.5 to 4.3 s of 2**16)
        on_workers(route, row_slices(n, min(ROUTED, max(1, math.ceil(n / workers)))), workers)
        return out.result()
    N = table["value"].shape[0]
    ids = xp.arange(N, dtype=table["left"].dtype, device=device_of(X))
    # each node's two children side by side, a leaf leading to itself: a step is then one gather for every pair
    children = xp.reshape(xp.stack([xp.where(table[side] >= 0, table[side], ids) for side in ("left", "right")],
                                   axis=1), (-1,))  # (2N,)
    depths = _depths(table, roots)
    order = sorted(range(T), key=lambda t: -depths[t])  # the deepest trees first (a stable sort: ties keep their order)
    # at each level, how many trees (the first ones) are deeper; where each shape compiles anew, every tree each time
    walking = [T if compiles_per_shape(backend) else sum(d > level for d in depths) for level in range(max(depths))]
    back = xp.asarray(sorted(range(T), key=order.__getitem__), device=device_of(X))  # the trees' own order again

    def walk(blocks):
        for rows in blocks:
            values = xp.take(_walk(xp, table, children, [roots[t] for t in order], walking, X[rows, :]), back, axis=0)
            out.put(rows, values if outputs is None else combine(values[t, :] for t in range(T)))  # trees' own order

    # blocks of about 2**18 pairs (1,000,000 × 100 trees on two CPU threads: 5.2 s against 6.4 for a quarter that)
    on_workers(walk, row_slices(n, chunk_rows(backend, T)), host_workers(backend))
    return out.result()


def _routes(backend) -> bool:
    """Whether prediction routes rows down the trees (`_route`): on the host, where shapes may depend on the data and
    the library scatters a tree's values to their rows natively (else `scatter_add` multiplies by a one-hot matrix,
    (rows × rows) for a block: array_api_strict walks)."""
    host = not (on_accelerator(backend) or compiles_per_shape(backend) or capability(backend, "lazy"))
    return host and (capability(backend, "scatter_add") is not None or capability(backend, "bincount") is not None)


def _route(xp, table, nodes, roots, X):
    """Yield, tree by tree, the values (m,) of the leaves X's rows reach in the trees of `roots`, the rows parted at
    each split; `nodes`: the table's columns as host lists."""
    m, p = X.shape
    dev = device_of(X)
    by_feature = xp.reshape(xp.permute_dims(X, (1, 0)), (p, m), copy=True)  # (p, m): a split reads one row of it
    missing = bool(xp.any(xp.isnan(X)))  # without NaN, a split needs no missing-value rule
    categorical = nodes.get("categorical")
    every = xp.arange(m, device=dev)
    for root in roots:
        reached = []  # (rows, value) of each leaf
        todo = [(root, every)]  # (node, the rows that reach it)
        while todo:
            node, rows = todo.pop()
            if nodes["left"][node] < 0:
                reached.append((rows, nodes["value"][node]))
                continue
            whole = rows is every  # the root: every row, in order (its values need no gather, its parts no take)
            column = by_feature[nodes["feature"][node], :]
            x = column if whole else xp.take(column, rows)  # the split feature's values of its rows
            if categorical is not None and categorical[node]:  # is the code in the set that goes left?
                known = ~xp.isnan(x)
                go_left = xp.take(table["cat_left"][node, :], xp.astype(xp.where(known, x, 0.0), rows.dtype))
                go_left = go_left if not missing else xp.where(known, go_left, nodes["missing_left"][node])
            else:
                go_left = x <= nodes["threshold"][node]  # NaN: False, to the right
                go_left = go_left | xp.isnan(x) if missing and nodes["missing_left"][node] else go_left
            left, right = part_rows(xp, rows, go_left, whole)
            for child, reach in ((nodes["right"][node], right), (nodes["left"][node], left)):
                if reach.shape[0]:
                    todo.append((child, reach))
        yield spread_leaf_values(xp, reached, m, table["value"].dtype)


def part_rows(xp, rows, goes_left, whole=False):
    """The rows that go left and those that go right, each in their order (a million rows: 2.4 ms, where a stable
    argsort of the sides took 6.5); `whole`: `rows` are every row in order (a root's), so the positions are the rows."""
    part = (lambda side: xp.nonzero(side)[0]) if whole else (lambda side: xp.take(rows, xp.nonzero(side)[0]))
    return part(goes_left), part(~goes_left)


def spread_leaf_values(xp, leaves, n, dtype):
    """(n,): each row's value, from [(rows, value)] of leaves whose rows part range(n), a host value each."""
    set_rows = capability(backend_of(leaves[0][0]), "set_rows")
    if set_rows is not None:  # each leaf's rows set in place (1,000,000 rows in 31 leaves: 2.4 ms, the sum below 6)
        out = xp.empty(n, dtype=dtype, device=device_of(leaves[0][0]))
        for rows, value in leaves:
            out = set_rows(out, rows, value)
        return out
    each = xp.concat([xp.full(rows.shape[0], value, dtype=dtype, device=device_of(rows)) for rows, value in leaves])
    return scatter_add(each, xp.concat([rows for rows, _ in leaves]), n, xp=xp)  # each row in one leaf: set, not add


def _depths(table, roots) -> list:
    """Host list: each tree's depth (1 for a lone split); a table saved without them reads as all of the deepest's."""
    return table.get("depths") or [table["depth"]] * len(roots)


def _walk(xp, table, children, roots, walking, X):
    """(T, m): the values of the leaves X's rows reach in the trees of `roots`, which `walking` (one count a level)
    says how many of are deeper than each level: those first."""
    m, p = X.shape
    T, feature = len(roots), table["feature"]
    index, dev = feature.dtype, device_of(X)
    flat = xp.reshape(X, (-1,))  # (m·p,)
    # pair (tree t, row i) at t·m + i: its row of X starts at i·p of `flat`
    start = xp.reshape(xp.broadcast_to(xp.arange(m, dtype=index, device=dev)[None, :] * p, (T, m)), (-1,))
    node = xp.reshape(xp.broadcast_to(xp.asarray(roots, dtype=index, device=dev)[:, None], (T, m)), (-1,))
    missing = bool(xp.any(xp.isnan(X)))  # without NaN, a step needs no missing-value rule
    for k in walking:  # the first k·m pairs (those of the k trees deeper than this level), one level down a step
        at = node[:k * m]  # each pair's node
        x = xp.take(flat, start[:k * m] + xp.take(feature, at))  # one gather of the values the nodes ask about
        go_left = x <= xp.take(table["threshold"], at)
        if missing:
            go_left = xp.where(xp.isnan(x), xp.take(table["missing_left"], at), go_left)
        if "cat_left" in table:  # at a categorical split: whether the code x is in the node's row of cat_left
            C = table["cat_left"].shape[1]
            coded = xp.take(table["categorical"], at) & ~xp.isnan(x)
            code = xp.astype(xp.where(coded, x, 0.0), index)
            go_left = xp.where(coded, xp.take(xp.reshape(table["cat_left"], (-1,)), at * C + code), go_left)
        below = xp.take(children, 2 * at + xp.astype(~go_left, index))  # a leaf stays where it is
        node = below if k == T else xpx.at(node, slice(0, k * m)).set(below)
    return xp.reshape(xp.take(table["value"], node), (T, m))
