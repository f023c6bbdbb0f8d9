"""A grown tree as scikit-learn's arrays (`Tree`), in scikit-learn's node order, and walking it.

`_grow` finds the nodes breadth-first. Here they get scikit-learn's numbering: depth-first, left
child first (its builder's order); or, with `max_leaf_nodes`, the order in which best-first growth
creates them: the frontier node whose split decreases the impurity most splits next, until the
tree has max_leaf_nodes leaves. Every split that best-first growth can make is already in the
breadth-first tree, since a node's best split depends on its samples only.

Minimal cost-complexity pruning (`ccp_alpha`) then removes, one at a time, the internal node t with
the smallest g(t) = (R(t) - R(T_t)) / (|leaves(T_t)| - 1) while g(t) <= ccp_alpha, where R is the
impurity weighted by the share of samples, of the node (R(t)) or of its subtree's leaves (R(T_t)).

The structure is decided on the host (Python lists of node ids); the arrays stay on the backend.

Reference: Breiman et al., Classification and Regression Trees (1984), chapter 3.3 (pruning).
"""

from __future__ import annotations

import heapq

from .._backend import device_of, to_numpy
from ..utils._binning import integer_dtype
from . import _criteria as crit

__all__ = ["Tree", "apply", "build_trees", "decision_path", "feature_importances"]

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
    """The `Tree` of each root of the grown levels (`_grow.grow`)."""
    real, padded_offset = [], 0  # the rows of the real nodes in the levels' (padded) arrays
    for lv in levels:
        real += range(padded_offset, padded_offset + len(lv["split"]))
        padded_offset += lv["feature"].shape[0]
    real = xp.asarray(real, device=device_of(levels[0]["total"]))
    cat = {key: xp.take(xp.concat([lv[key] for lv in levels]), real, axis=0)
           for key in ("total", "feature", "threshold", "improvement")}
    children, offset = {}, 0  # breadth-first id -> (left, right)
    for lv in levels:
        next_offset, rank = offset + len(lv["split"]), 0
        for i, s in enumerate(lv["split"]):
            if s:
                children[offset + i] = (next_offset + 2 * rank, next_offset + 2 * rank + 1)
                rank += 1
        offset = next_offset
    gain = to_numpy(cat["improvement"]).tolist()
    totals = cat["total"][:, 1:]
    W = crit.weight(xp, totals, criterion)
    tree_of = xp.asarray([t for lv in levels for t in lv["tree"]], device=device_of(W))
    r_node = to_numpy(W * crit.impurity(xp, totals, criterion) / xp.take(W, tree_of)).tolist()
    trees = []
    for root in range(n_trees):
        kept = dict(children) if max_leaf_nodes is None else _best_first(root, children, gain, max_leaf_nodes)
        order = kept.pop("__order__", None)
        if ccp_alpha > 0:  # a pruned tree is numbered depth-first, as scikit-learn rebuilds it
            kept, order = _prune(root, kept, r_node, ccp_alpha), None
        order = _preorder(root, kept) if order is None else order
        trees.append(_arrays(xp, cat, totals, criterion, order, kept))
    return trees


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


def _prune(root, kids, r_node, ccp_alpha):
    """Minimal cost-complexity pruning of the subtree `kids` (node -> children); returns the kept splits."""
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
        if alpha > ccp_alpha:
            break
        for node in _preorder(weakest, kids):
            kids.pop(node, None)
    return kids


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


def _walk(xp, tree, X):
    """The node of every row of X (n, p) at each step from the root: each sample goes down one level per step."""
    n, p = X.shape
    left, right, threshold = tree.children_left, tree.children_right, tree.threshold
    feature = xp.where(tree.feature < 0, 0, tree.feature)
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
    """(p,): the impurity decrease of each feature's splits, weighted by the nodes' weights, summing to 1."""
    from ..utils._scatter import scatter_add

    split = tree.children_left != TREE_LEAF  # (N,)
    left, right = xp.where(split, tree.children_left, 0), xp.where(split, tree.children_right, 0)
    wi = tree.weighted_n_node_samples * tree.impurity  # (N,)
    decrease = xp.where(split, wi - xp.take(wi, left) - xp.take(wi, right), 0.0)  # (N,)
    feature = xp.where(split, tree.feature, 0)
    importances = scatter_add(decrease, feature, n_features, xp=xp) / tree.weighted_n_node_samples[0]  # (p,)
    total = xp.sum(importances)
    return xp.where(total > 0, importances / xp.where(total > 0, total, 1.0), importances)
