"""The tree of merges, on the host: scipy's numbering of the merges, scikit-learn's numbering of the clusters.

Leaves are the points 0 .. n - 1; merge t makes node n + t, and children[t] holds the two nodes it joins
(`number_the_merges`, by union-find over the points: Tarjan, "Efficiency of a good but not linear set union
algorithm", JACM 22, 1975).

scikit-learn cuts the tree into k clusters from the top (`cut_tree`): in a binary heap of the negated node numbers
(Python's heapq), starting from the root, it replaces the largest node (the last merge) by its two children, k - 1
times, and numbers the clusters by the positions of their nodes in the heap's list. The same heap operations on
the same nodes give the same numbers. A tree stopped early (`top_nodes`) numbers each point by the rank of its
top node.

This is bookkeeping of n integers, in plain Python; the O(n²) work of the merges is the backend's (`_linkage`).
"""

from __future__ import annotations

import heapq

__all__ = ["cut_tree", "number_the_merges", "top_nodes"]


def number_the_merges(left: list, right: list, n: int, *, keep_sides: bool, order_edges: bool) -> list:
    """children [[a, b], ...]: the nodes of the clusters holding points left[t] and right[t] when merge t joins
    them (union-find). [smaller, larger], or, with keep_sides, in the record's order (with order_edges, that of the
    edge's points, smaller first)."""
    parent = list(range(n + len(left)))
    children = []
    for t, (u, v) in enumerate(zip(left, right)):
        if order_edges and u > v:
            u, v = v, u
        a, b = _root(parent, u), _root(parent, v)
        parent[a] = parent[b] = n + t
        children.append([a, b] if keep_sides else [min(a, b), max(a, b)])
    return children


def _root(parent: list, x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]  # path halving
        x = parent[x]
    return x


def cut_tree(children: list, n: int, n_clusters: int) -> list:
    """scikit-learn's labels for n_clusters clusters of the full tree: its heap of negated nodes, replayed."""
    heap = [-(max(children[-1]) + 1)]  # the root
    for _ in range(n_clusters - 1):  # the largest node, replaced by its two children
        a, b = children[-heap[0] - n]
        heapq.heappush(heap, -a)
        heapq.heappushpop(heap, -b)
    label = [-1] * (n + len(children))
    for position, node in enumerate(heap):
        label[-node] = position
    for node in range(n + len(children) - 1, n - 1, -1):  # from the top down, each cluster's label to its children
        if label[node] >= 0:
            a, b = children[node - n]
            label[a] = label[b] = label[node]
    return label[:n]


def top_nodes(children: list, n: int, n_merges: int) -> list:
    """The labels of a tree stopped after n_merges merges: each point's top node, ranked."""
    parent = list(range(n + n_merges))
    for t, (a, b) in enumerate(children[:n_merges]):
        parent[a] = parent[b] = n + t
    heads = [_root(parent, i) for i in range(n)]
    rank = {head: i for i, head in enumerate(sorted(set(heads)))}
    return [rank[head] for head in heads]
