"""Numbering the nodes of a batch of trees depth-first, all trees at once, from their breadth-first levels.

`_grow` finds the nodes level by level (node r of a level that splits, counted among the level's split
nodes, has the children 2r and 2r + 1 of the next); scikit-learn numbers them depth-first, left child
first. A node's number in that order follows from the sizes of the subtrees:

    size(v)   = 1 + size(left) + size(right)     (1 for a leaf), from the deepest level up;
    number(v) = number(parent) + 1                for a left child,
              = number(parent) + 1 + size(left)   for a right child, from the roots down,

so each level costs a few array operations, whatever the number of trees and nodes (100 trees of
about 1,000 nodes: 0.2 s numbered by a walk with a stack and cut tree by tree, 0.04 s thus). The
trees follow one another: tree t's nodes are the numbers start[t] .. start[t] + size(root t) - 1.
"""

from __future__ import annotations

__all__ = ["preorder"]


def preorder(hx, levels) -> dict:
    """The depth-first numbering of the nodes of `levels` (`_grow.grow`'s: host lists `split` and `tree` a level),
    on the host namespace hx. Returns, over all nodes in breadth-first order: "position" (N,), each node's place in
    the trees' depth-first order, one tree after the other; "left" and "right" (N,), its children's numbers within
    its tree (-1 for a leaf); "depth" (N,); and per tree (T,): "start" and "size"."""
    index = hx.int64
    splits = [hx.asarray(lv["split"], dtype=hx.bool) for lv in levels]
    sizes: list = [None] * len(levels)  # (n_L,) each: the number of nodes of each node's subtree
    for L in reversed(range(len(levels))):
        split = splits[L]
        sizes[L] = hx.ones(split.shape[0], dtype=index)
        if L + 1 < len(levels) and sizes[L + 1].shape[0]:  # the children: 2r and 2r + 1 of the next level
            pair = hx.sum(hx.reshape(sizes[L + 1], (-1, 2)), axis=1)  # (n_split,)
            rank = hx.cumulative_sum(hx.astype(split, index)) - 1  # (n_L,)
            sizes[L] = sizes[L] + hx.where(split, hx.take(pair, hx.maximum(rank, 0)), 0)
    numbers = [hx.zeros(sizes[0].shape[0], dtype=index)]  # (n_L,) each: the number within its tree; roots 0
    for L in range(len(levels) - 1):
        parent = hx.take(numbers[L], hx.nonzero(splits[L])[0])  # (n_split,)
        left_size = hx.reshape(sizes[L + 1], (-1, 2))[:, 0]  # (n_split,)
        numbers.append(hx.reshape(hx.stack([parent + 1, parent + 1 + left_size], axis=1), (-1,)))  # (n_L+1,)
    left, right = [], []
    for L, split in enumerate(splits):
        rank = hx.maximum(hx.cumulative_sum(hx.astype(split, index)) - 1, 0)  # (n_L,)
        below = numbers[L + 1] if L + 1 < len(levels) and numbers[L + 1].shape[0] else hx.zeros(2, dtype=index)
        left.append(hx.where(split, hx.take(below, 2 * rank), -1))
        right.append(hx.where(split, hx.take(below, 2 * rank + 1), -1))
    size = sizes[0]  # (T,): each tree's node count (the roots are level 0, tree by tree)
    start = hx.cumulative_sum(size) - size  # (T,)
    trees = [hx.asarray(lv["tree"], dtype=index) for lv in levels]
    position = hx.concat([hx.take(start, t) + nb for t, nb in zip(trees, numbers)])  # (N,)
    depth = hx.concat([hx.full(t.shape[0], L, dtype=index) for L, t in enumerate(trees)])  # (N,)
    return {"position": position, "left": hx.concat(left), "right": hx.concat(right), "depth": depth,
            "start": start, "size": size}
