"""A grown tree as scikit-learn's arrays (`Tree`), in scikit-learn's node order, and walking it.

`_grow` finds the nodes breadth-first. Here they get scikit-learn's numbering: depth-first, left
child first (its builder's order: where every node is kept, all the trees of a batch are numbered at
once by array steps over the levels, `_preorder`); or, with `max_leaf_nodes`, the order in which best-first growth
creates them: the frontier node whose split decreases the impurity most splits next, until the
tree has max_leaf_nodes leaves. Every split that best-first growth can make is already in the
breadth-first tree, since a node's best split depends on its samples only.

Minimal cost-complexity pruning (`ccp_alpha`) then removes, one at a time, the internal node t with
the smallest g(t) = (R(t) - R(T_t)) / (|leaves(T_t)| - 1) while g(t) <= ccp_alpha, where R is the
impurity weighted by the share of samples, of the node (R(t)) or of its subtree's leaves (R(T_t)).

The structure is decided on the host (Python lists of node ids, or `_preorder`'s arrays); the trees'
arrays stay on the backend. A forest's feature importances are computed for all its trees at once
(`forest_importances`), as its predictions walk all its trees at once (`_forest_walk`).

Reference: Breiman et al., Classification and Regression Trees (1984), chapter 3.3 (pruning).
"""

from __future__ import annotations

import heapq
import math
import weakref

from .._backend import backend_of, device_of, to_backend, to_numpy
from ..utils._binning import integer_dtype
from ..utils._host import host_array, host_namespace
from . import _criteria as crit
from ._preorder import preorder

__all__ = ["Tree", "apply", "build_trees", "decision_path", "feature_importances", "forest_importances",
           "leaf_values"]

TREE_LEAF, TREE_UNDEFINED = -1, -2


class Tree:
    """scikit-learn's `tree_` arrays: node i splits on `feature[i]` at `threshold[i]` (x <= threshold goes to
    `children_left[i]`), or is a leaf (children -1, feature and threshold -2)."""

    def __init__(self, **arrays):
        self.__dict__.update(arrays)

    @property
    def n_leaves(self) -> int:
        return int(to_numpy(self.children_left == TREE_LEAF).sum())


def build_trees(xp, levels, criterion, n_trees, max_leaf_nodes=None, ccp_alpha=0.0):
    """The `Tree` of each root of the grown levels (`_grow.grow`). The levels' few numbers per node come to the
    host once; each tree's arrays are cut there and sent to the backend (a library that compiles per shape
    would otherwise compile every step anew for each tree's node count)."""
    hx = host_namespace()
    cat = {key: hx.concat([hx.asarray(to_numpy(lv[key]))[:len(lv["split"]), ...] for lv in levels])
           for key in ("total", "feature", "threshold", "improvement")}  # the real nodes, breadth-first
    backend, index_bits = backend_of(levels[0]["total"]), xp.iinfo(integer_dtype(xp, levels[0]["total"])).bits
    if max_leaf_nodes is None and not ccp_alpha > 0:  # every node kept: numbered by array steps (`_preorder`)
        return _trees_in_preorder(hx, levels, cat, criterion, backend, index_bits)
    children, offset = {}, 0  # breadth-first id -> (left, right)
    for lv in levels:
        next_offset, rank = offset + len(lv["split"]), 0
        for i, s in enumerate(lv["split"]):
            if s:
                children[offset + i] = (next_offset + 2 * rank, next_offset + 2 * rank + 1)
                rank += 1
        offset = next_offset
    gain = cat["improvement"].tolist()
    totals = cat["total"][:, 1:]
    W = crit.weight(hx, totals, criterion)
    tree_of = hx.asarray([t for lv in levels for t in lv["tree"]])
    r_node = (W * crit.impurity(hx, totals, criterion) / hx.take(W, tree_of)).tolist()
    trees = []
    for root in range(n_trees):
        kept = dict(children) if max_leaf_nodes is None else _best_first(root, children, gain, max_leaf_nodes)
        order = kept.pop("__order__", None)
        if ccp_alpha > 0:  # a pruned tree is numbered depth-first, as scikit-learn rebuilds it
            kept, order = _prune(root, kept, r_node, ccp_alpha), None
        order = _preorder(root, kept) if order is None else order
        tree = _arrays(hx, cat, totals, criterion, order, kept)
        trees.append(Tree(**{k: _to_device(v, backend, index_bits) for k, v in tree.__dict__.items()}))
    return trees


def _trees_in_preorder(hx, levels, cat, criterion, backend, index_bits: int) -> list:
    """`build_trees` where no node is cut: the nodes of all trees numbered at once (`_preorder`), their arrays
    built once, each tree's a slice of them."""
    numbering = preorder(hx, levels)
    order = hx.argsort(numbering["position"])  # (N,): the breadth-first nodes, depth-first, tree after tree
    totals, split = hx.take(cat["total"], order, axis=0), hx.take(numbering["left"], order) != TREE_LEAF
    arrays = {"children_left": hx.take(numbering["left"], order), "children_right": hx.take(numbering["right"], order),
              "feature": hx.where(split, hx.take(cat["feature"], order), TREE_UNDEFINED),
              "threshold": hx.where(split, hx.take(cat["threshold"], order), float(TREE_UNDEFINED)),
              "value": crit.node_value(hx, totals[:, 1:], criterion)[:, None, :],  # (N, 1, C) or (N, 1, 1)
              "impurity": crit.impurity(hx, totals[:, 1:], criterion),
              "n_node_samples": hx.astype(hx.round(totals[:, 0]), hx.int64),
              "weighted_n_node_samples": crit.weight(hx, totals[:, 1:], criterion)}
    depth = hx.take(numbering["depth"], order)  # (N,)
    trees = []
    for first, size in zip(numbering["start"].tolist(), numbering["size"].tolist()):
        part = slice(first, first + size)
        trees.append(Tree(**{k: _to_device(v[part, ...], backend, index_bits) for k, v in arrays.items()},
                          node_count=size, max_depth=int(hx.max(depth[part])), n_outputs=1))
    return trees


def _to_device(a, backend, index_bits: int):
    """A host array on the backend's device (integers in its index dtype), moved without computing there;
    anything else as it is."""
    if not hasattr(a, "dtype"):
        return a
    hx = host_namespace()
    if a.dtype not in (hx.float32, hx.float64):
        a = hx.astype(a, hx.int32 if index_bits == 32 else hx.int64)
    return to_backend(a, backend)


def _preorder(root, kids):
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        if node in kids:
            stack.extend(reversed(kids[node]))
    return out


def _best_first(root, children, gain, max_leaf_nodes):
    """The subtree best-first growth makes: split the frontier node of largest improvement until there are
    max_leaf_nodes leaves. Also records the creation order under "__order__"."""
    kept, order = {}, [root]
    frontier = [(-gain[root], 0, root)]
    splits_left, tick = max_leaf_nodes - 1, 1
    while frontier and splits_left > 0:
        _, _, node = heapq.heappop(frontier)
        if node not in children:
            continue
        kept[node] = children[node]
        order.extend(children[node])
        splits_left -= 1
        for child in children[node]:
            heapq.heappush(frontier, (-gain[child], tick, child))
            tick += 1
    kept["__order__"] = order
    return kept


def _weakest_links(root, kids, r_node):
    """Minimal cost-complexity pruning of the subtree `kids` (node -> children), one weakest link at a time: yields
    the link's α = (R(t) - R(T_t)) / (|leaves(T_t)| - 1), least first among the splits left (the first in
    depth-first order among equals), with R(T) of the tree before the cut; resumed, cuts it from `kids`."""
    while kids:
        leaves_r, n_leaves = {}, {}
        for node in reversed(_preorder(root, kids)):  # children before parents
            if node in kids:
                left, right = kids[node]
                leaves_r[node] = leaves_r[left] + leaves_r[right]
                n_leaves[node] = n_leaves[left] + n_leaves[right]
            else:
                leaves_r[node], n_leaves[node] = r_node[node], 1
        alpha, _, weakest = min(((r_node[n] - leaves_r[n]) / (n_leaves[n] - 1), i, n)
                                for i, n in enumerate(_preorder(root, kids)) if n in kids)
        yield alpha, leaves_r[root]
        for node in _preorder(weakest, kids):
            kids.pop(node, None)


def _prune(root, kids, r_node, ccp_alpha):
    """The splits of `kids` that minimal cost-complexity pruning keeps: the weakest links cut while α <= ccp_alpha."""
    for alpha, _ in _weakest_links(root, kids, r_node):
        if alpha > ccp_alpha:
            break
    return kids


def pruning_path(tree):
    """(ccp_alphas, impurities) of a grown tree, as scikit-learn's `cost_complexity_pruning_path`: the α of each
    weakest link cut in turn (0 first: the whole tree), and the total leaf impurity R(T) of the tree left after."""
    left, right, weight, impurity = (to_numpy(getattr(tree, name)).tolist() for name in (
        "children_left", "children_right", "weighted_n_node_samples", "impurity"))
    kids = {n: (left[n], right[n]) for n in range(len(left)) if left[n] != TREE_LEAF}
    r_node = [w * i / weight[0] for w, i in zip(weight, impurity)]  # R(t): impurity weighted by the share of samples
    alphas, risks = [0.0], []
    for alpha, risk in _weakest_links(0, kids, r_node):
        alphas.append(alpha)
        risks.append(risk)
    return host_array(alphas), host_array([*risks, r_node[0]])


def _arrays(xp, cat, totals, criterion, order, kids):
    """The Tree of the nodes `order` (old ids), renumbered 0 .. N-1 in that order."""
    new = {old: i for i, old in enumerate(order)}
    device = device_of(totals)
    index = xp.asarray(order, device=device)
    left = [new[kids[o][0]] if o in kids else TREE_LEAF for o in order]
    right = [new[kids[o][1]] if o in kids else TREE_LEAF for o in order]
    is_split = xp.asarray([o in kids for o in order], device=device)
    stats = xp.take(totals, index, axis=0)  # (N, k)
    depth = {order[0]: 0}
    for o in order:
        if o in kids:
            depth[kids[o][0]] = depth[kids[o][1]] = depth[o] + 1
    return Tree(
        children_left=xp.asarray(left, device=device), children_right=xp.asarray(right, device=device),
        feature=xp.where(is_split, xp.take(cat["feature"], index), TREE_UNDEFINED),
        threshold=xp.where(is_split, xp.take(cat["threshold"], index), float(TREE_UNDEFINED)),
        value=crit.node_value(xp, stats, criterion)[:, None, :],  # (N, 1, C) or (N, 1, 1)
        impurity=crit.impurity(xp, stats, criterion),
        n_node_samples=xp.astype(xp.round(xp.take(cat["total"][:, 0], index)), integer_dtype(xp, index)),
        weighted_n_node_samples=crit.weight(xp, stats, criterion),
        node_count=len(order), max_depth=max(depth.values()), n_outputs=1,
    )


def apply(xp, tree, X):
    """(n,): the leaf each row of X (n, p) falls in."""
    for node in _walk(xp, tree, X):
        pass
    return node


def leaf_values(xp, tree, X):
    """(n, k): the value (`tree.value[:, 0, :]`) of the leaf each row of X (n, p) falls in."""
    return xp.take(_walk_arrays(xp, tree)["value"], apply(xp, tree, X), axis=0)


_WALKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # tree -> its arrays padded for walking


def _walk_arrays(xp, tree):
    """The arrays a walk reads, padded on the host to a power of two of nodes (once per tree): every tree then
    walks with the same few shapes (a library that compiles per shape compiles the steps once)."""
    arrays = _WALKS.get(tree)
    if arrays is None:
        hx, n_nodes, backend = host_namespace(), tree.node_count, backend_of(tree.threshold)
        extra = 2 ** math.ceil(math.log2(max(n_nodes, 2))) - n_nodes

        def padded(a):
            a = hx.asarray(to_numpy(a))
            return to_backend(hx.concat([a, hx.broadcast_to(a[:1, ...], (extra, *a.shape[1:]))]), backend)

        feature = hx.asarray(to_numpy(tree.feature))
        arrays = {"left": padded(tree.children_left), "right": padded(tree.children_right),
                  "feature": padded(hx.where(feature < 0, 0, feature)),
                  "threshold": padded(tree.threshold), "value": padded(to_numpy(tree.value)[:, 0, :])}
        _WALKS[tree] = arrays
    return arrays


def _walk(xp, tree, X):
    """The node of every row of X (n, p) at each step from the root: each sample goes down one level per step."""
    n, p = X.shape
    walk = _walk_arrays(xp, tree)
    left, right, threshold, feature = walk["left"], walk["right"], walk["threshold"], walk["feature"]
    flat, start = xp.reshape(X, (-1,)), xp.arange(n, dtype=left.dtype, device=device_of(X)) * p  # (n·p,), (n,)
    node = xp.zeros(n, dtype=left.dtype, device=device_of(X))  # (n,) all at the root
    yield node
    for _ in range(tree.max_depth):
        x = xp.take(flat, start + xp.take(feature, node))  # (n,) each sample's value of its node's feature
        child = xp.where(x <= xp.take(threshold, node), xp.take(left, node), xp.take(right, node))
        node = xp.where(child == TREE_LEAF, node, child)
        yield node


def decision_path(xp, tree, X):
    """(n, node_count) of 0/1: the nodes each row of X passes through, root to leaf."""
    nodes = xp.arange(tree.node_count, dtype=tree.children_left.dtype, device=device_of(X))  # (N,)
    on = None
    for node in _walk(xp, tree, X):
        step = node[:, None] == nodes  # (n, N)
        on = step if on is None else on | step
    return xp.astype(on, integer_dtype(xp, on))


def feature_importances(xp, tree, n_features):
    """(p,): the impurity decrease of each feature's splits, weighted by the nodes' weights, summing to 1.
    Computed on the host from the tree's arrays (one tree's few numbers per node), returned on its device."""
    return forest_importances(xp, [tree], n_features)[0]


def forest_importances(xp, trees: list, n_features: int) -> list:
    """`feature_importances` of each of `trees`, computed together on the host (a forest's trees one after the
    other: the nodes of tree t are offset[t] ...)."""
    from ..utils._scatter import scatter_add

    hx, T = host_namespace(), len(trees)
    left, right, feature, weight, impurity = (hx.concat([hx.asarray(to_numpy(getattr(tree, name))) for tree in trees])
                                              for name in ("children_left", "children_right", "feature",
                                                           "weighted_n_node_samples", "impurity"))
    sizes = hx.asarray([tree.node_count for tree in trees])  # (T,)
    offset = hx.cumulative_sum(sizes) - sizes  # (T,)
    tree_of = hx.concat([hx.full(tree.node_count, t, dtype=offset.dtype) for t, tree in enumerate(trees)])  # (N,)
    split = left != TREE_LEAF  # (N,)
    base = hx.take(offset, tree_of)  # (N,): where the node's tree begins
    left, right = hx.where(split, left + base, 0), hx.where(split, right + base, 0)
    wi = weight * impurity  # (N,)
    decrease = hx.where(split, wi - hx.take(wi, left) - hx.take(wi, right), 0.0)  # (N,)
    index = tree_of * n_features + hx.where(split, feature, 0)  # (N,): (tree, feature)
    importances = hx.reshape(scatter_add(decrease, index, T * n_features, xp=hx), (T, n_features))
    importances = importances / hx.take(weight, offset)[:, None]  # (T, p): each tree's root weight
    total = hx.sum(importances, axis=1, keepdims=True)  # (T, 1)
    importances = hx.where(total > 0, importances / hx.where(total > 0, total, 1.0), importances)
    return [to_backend(importances[t, :], backend_of(tree.threshold)) for t, tree in enumerate(trees)]
