"""Growing one gradient boosting tree, best-first (leaf-wise), on binned data.

Every sample i carries its gradient g_i and hessian h_i. A leaf holding samples S takes the Newton
step v = -G / (H + λ) (G, H the sums of g, h over S; λ = l2_regularization), which lowers the loss
by G² / (H + λ) / 2 to second order. Splitting S into L and R therefore gains

    gain = G_L² / (H_L + λ) + G_R² / (H_R + λ) - G² / (H + λ)      (twice the decrease; XGBoost's form)

The tree grows one split at a time, always the leaf whose best split gains most (a heap), until it
has `max_leaf_nodes` leaves or no split gains anything:

1. histogram: for a leaf, the sums of (g, h, 1) of its samples by (feature, bin): one scatter-add
   (`xpml.utils._histogram.node_histograms`). After a split only the smaller child is counted;
   the larger child's histogram is its parent's minus the smaller one's;
2. split search: cumulative sums over the bins give the left child's (G, H, n) of every cut
   "bin <= b"; the missing values' bin is tried on both sides (left, then right) where the feature
   had any; cuts leaving a child with fewer than `min_samples_leaf` samples or a hessian below
   1e-3 are masked; the first best of (feature, side, bin) wins, in scikit-learn's scanning order;
   A categorical feature's split is a set of categories going left (`_categorical`); between the
   two kinds, the first feature (the categorical ones come first) wins a tie. Where a leaf's
   counts are only bounded (`_members`), a cut the bound cannot confirm that may gain at least
   as much as the best one confirmed has its feature counted and the leaf searched again;
3. the split: the leaf's samples are parted by one gather of their codes of the chosen feature.
   Where the feature had no missing value at fit, a NaN met later follows the larger child.

Reference: Ke et al., "LightGBM: A Highly Efficient Gradient Boosting Decision Tree", NeurIPS 2017;
Chen & Guestrin, "XGBoost: A Scalable Tree Boosting System", KDD 2016; scikit-learn's `TreeGrower`.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

from ..._backend import compiles_per_shape, device_of, to_numpy
from ...utils._compile import compiled_once
from . import _categorical
from ._members import LeafRows

__all__ = ["GrowRules", "Grown", "grow_tree", "node_value", "split_layout"]

MIN_HESSIAN = 1e-3  # scikit-learn's min_hessian_to_split


@dataclass(frozen=True)
class GrowRules:
    """When a leaf may split."""

    max_leaf_nodes: int | None
    max_depth: int | None
    min_samples_leaf: int
    l2_regularization: float
    n_features_per_split: int  # max_features as a count: < p draws the features of each split
    n_categorical: int = 0  # the first n_categorical features are categorical


@dataclass
class Grown:
    """A grown tree on the host: per node (0 the root) its feature, bin, missing side, children (-1: a leaf),
    sums (G, H, n) and, for a categorical split, the bins that go left (else None); `members` says which samples each
    leaf holds (`_members`)."""

    feature: list = field(default_factory=list)
    bin: list = field(default_factory=list)
    missing_left: list = field(default_factory=list)
    left: list = field(default_factory=list)
    right: list = field(default_factory=list)
    sums: list = field(default_factory=list)
    depth: list = field(default_factory=list)
    left_set: list = field(default_factory=list)
    members: object = None

    def add(self, sums, depth) -> int:
        self.left_set.append(None)
        for name, value in (("feature", 0), ("bin", 0), ("missing_left", False), ("left", -1), ("right", -1)):
            getattr(self, name).append(value)
        self.sums.append(list(sums))
        self.depth.append(depth)
        return len(self.sums) - 1


def split_layout(xp, n_bins, has_missing, device, n_categorical=0):
    """The cuts split search may try, as arrays of shape (p, S, W) (W = max(n_bins), S the sides): `allowed` says
    which exist, `bin_of` (S, W) is the cut's bin. Side 0 sends missing values right and tries bins ascending
    (b <= n_bins[j] - 1 when feature j has missing values: "all values left, NaN right"); side 1 sends
    them left and tries bins descending, b <= n_bins[j] - 2, only where there are missing values. Where no
    feature has any, there is only side 0 (S = 1), and split search does half the work.
    The first `n_categorical` features have no such cuts: the third array (or None) holds their categories."""
    W = max(n_bins)
    sides = 2 if any(has_missing[n_categorical:]) else 1
    allowed = [[[b <= nb - 2 + int(miss) and j >= n_categorical for b in range(W)],
                [(W - 1 - q) <= nb - 2 and miss and j >= n_categorical for q in range(W)]][:sides]
               for j, (nb, miss) in enumerate(zip(n_bins, has_missing))]
    bin_of = [list(range(W)), list(range(W - 1, -1, -1))][:sides]
    categories = (_categorical.category_layout(xp, n_bins, has_missing, n_categorical, device) if n_categorical
                  else None)
    return xp.asarray(allowed, device=device), xp.asarray(bin_of, device=device), categories


def grow_tree(xp, codes, stats, layout, has_missing, rules: GrowRules, rng=None, members=LeafRows,
              backend=None) -> Grown:
    """Grow one tree on the codes (n, p) of its samples with statistics `stats` (n, 3) = (g, h, 1); `members`
    keeps which samples each leaf holds (`_members`)."""
    B = layout[1].shape[1] + 1  # the bins of a histogram: the widest feature's, then the missing values' bin
    tree, held = Grown(), members(xp, codes, backend)
    # counts may be bounded where split search needs them only for min_samples_leaf (`_members`)
    held.bounding = rules.n_categorical == 0 and rules.n_features_per_split == codes.shape[1]
    hist = {0: held.histogram(0, stats, B)}
    root = tree.add(to_numpy(xp.sum(hist[0][0, :, :], axis=0)).tolist(), 0)  # the sums of one feature's bins
    if not all(math.isfinite(v) for v in tree.sums[root]):  # float32 gradients overflow past 3.4e38
        raise ValueError(f"y is too large for the gradients: their sums at the root are {tree.sums[root][:2]}. In "
                         "float32, as in scikit-learn, |prediction - y| (and its product with sample_weight) must "
                         "stay below 3.4e38; scale y or sample_weight down.")
    heap, tick, n_leaves = [], 0, 1
    for node, split in _search(xp, tree, [root], hist, held, layout, rules, rng, backend):
        heapq.heappush(heap, (-split[0], tick, node, split))
        tick += 1
    hist = {c: h for c, h in hist.items() if any(c == entry[2] for entry in heap)}
    while heap:
        _, _, node, (_gain, f, b, miss_left, *child_sums) = heapq.heappop(heap)
        f, b, miss_left = int(f), int(b), bool(miss_left)
        left_set = [v > 0 for v in child_sums[6:]] if f < rules.n_categorical else None  # (B,) a categorical split
        depth = tree.depth[node] + 1
        left, right = tree.add(child_sums[:3], depth), tree.add(child_sums[3:6], depth)
        n_left, n_right = held.split(node, left, right, f, b, miss_left, B - 1, int(child_sums[2]), left_set)  # step 3
        tree.sums[left][2], tree.sums[right][2] = float(n_left), float(n_right)  # where the histogram bounded them
        tree.left_set[node] = left_set
        tree.feature[node], tree.bin[node], tree.left[node], tree.right[node] = f, b, left, right
        # a feature without missing values at fit sends NaN to the child with more samples
        tree.missing_left[node] = miss_left if has_missing[f] else n_left > n_right
        n_leaves += 1
        parent_hist = hist.pop(node)
        if rules.max_leaf_nodes is not None and n_leaves >= rules.max_leaf_nodes:
            break
        growing = [c for c in (left, right) if _may_split(tree, c, rules)]
        if growing:  # step 1: the smaller child counted, the larger one by subtraction
            small, large = (left, right) if n_left < n_right else (right, left)
            hist[small] = held.histogram(small, stats, B)
            hist[large] = held.difference(large, node, parent_hist, small, hist[small])
            splitting = _search(xp, tree, growing, hist, held, layout, rules, rng, backend)
            for child, split in splitting:
                heapq.heappush(heap, (-split[0], tick, child, split))
                tick += 1
            for c in {left, right} - {child for child, _ in splitting}:  # leaves for good: their histograms go
                hist.pop(c, None)
    tree.members = held
    return tree


def _may_split(tree, node, rules) -> bool:
    _G, H, count = tree.sums[node]
    return ((rules.max_depth is None or tree.depth[node] < rules.max_depth)
            and count >= 2 * rules.min_samples_leaf and H >= MIN_HESSIAN)


def _search(xp, tree, nodes, hist, held, layout, rules, rng, backend):
    """Step 2 for a few leaves (`_find_splits`); a leaf whose bounded counts leave a cut unsure that may gain at least
    as much as its best confirmed one is counted and searched again, so that each split is the one counts give."""
    found, unsure = _find_splits(xp, tree, nodes, hist, held, layout, rules, rng, backend)
    if not unsure:
        return found
    for c, features in unsure:  # only the features whose unsure cuts may win are counted
        hist[c] = held.counted(c, hist[c], features)
    found += _find_splits(xp, tree, [c for c, _ in unsure], hist, held, layout, rules, rng, backend)[0]
    return sorted(found, key=lambda s: nodes.index(s[0]))  # the leaves' order, which breaks ties in the heap


def _find_splits(xp, tree, nodes, hist, held, layout, rules, rng, backend):
    """Step 2 for a few leaves: (leaf, (gain, feature, bin, missing_left, G_L, H_L, n_L, G_R, H_R, n_R)) for each
    leaf whose best split gains more than 0, and (leaf, features) for the bounded leaves (`held.bounded`) to search
    again with those features counted."""
    nodes = [c for c in nodes if _may_split(tree, c, rules)]
    if not nodes:
        return [], []
    # where each shape compiles anew (jax), a lone leaf is searched beside a copy of itself: always m = 2 leaves
    rows = nodes * 2 if len(nodes) == 1 and backend is not None and compiles_per_shape(backend) else nodes
    H = xp.stack([hist[c] for c in rows])  # (m, p, B, 3)
    p = H.shape[1]
    chosen = None
    if rules.n_features_per_split < p:  # each leaf's split among a random subset of the features
        keep = [sorted(rng.choice(p, rules.n_features_per_split, replace=False).tolist()) for _ in nodes]
        keep = keep * (len(rows) // len(nodes))
        chosen = xp.asarray([[j in k for j in range(p)] for k in keep], device=device_of(H))  # (m, p)
    totals = xp.asarray([tree.sums[c] for c in rows], dtype=H.dtype, device=device_of(H))  # (m, 3)
    exact = [held.exact.get(c, ()) if c in held.bounded else range(p) for c in rows]  # the features counted
    # a bounded feature's count is bounded as its bins' are (H / h_max); the bounds may be short of the counts by the
    # rounding of float32 sums over the bins (at most about 1.5e-5 of the total), so a cut needs a margin beyond
    # min_samples_leaf
    bound = [tree.sums[c][1] / held.largest if c in held.bounded else 0.0 for c in rows]
    count = xp.asarray([[tree.sums[c][2] if j in e else b for j in range(p)] for c, e, b in zip(rows, exact, bound)],
                       dtype=H.dtype, device=device_of(H))  # (m, p)
    margin = xp.asarray([[0.0 if j in e else 1e-3 * b for j in range(p)] for e, b in zip(exact, bound)],
                        dtype=H.dtype, device=device_of(H))  # (m, p)
    allowed, bin_of, categories = layout
    best_splits = compiled_once(_best_splits, backend, ("xp", "rules"))
    found = to_numpy(best_splits(xp, H, totals, count, allowed, bin_of, chosen, margin, rules)).tolist()
    # a bounded feature whose unsure cuts may gain at least as much as the best cut confirmed is counted
    unsure = [(c, [j for j, gain in enumerate(row[10:]) if j not in e and gain > 0 and gain >= row[0]])
              for c, e, row in zip(nodes, exact, found)]
    unsure = [(c, features) for c, features in unsure if features]
    found = [row[:10] for row in found]
    if categories is not None:  # a categorical split where it gains at least as much (its feature comes first)
        best_set = compiled_once(_categorical.best_categorical_splits, backend, ("xp", "rules"))
        by_set = to_numpy(best_set(xp, H, totals, categories, chosen, rules)).tolist()
        found = [cat if cat[0] >= num[0] else num + [0.0] * (len(cat) - len(num)) for num, cat in zip(found, by_set)]
    again = {c for c, _ in unsure}
    return [(c, tuple(row)) for c, row in zip(nodes, found) if row[0] > 0 and c not in again], unsure


def _best_splits(xp, H, total, count, allowed, bin_of, chosen, margin, rules):
    """(m, 10 + p): for each histogram of H (m, p, B, 3) and the node's sums `total` (m, 3) (those its parent's split
    found, so that every gain is computed from the same numbers), its best split (gain, feature, bin, missing_left, the
    left child's (G, H, n), the right child's); gain -inf where no cut is allowed. `count` (m, p) is the node's count
    as each feature's bins sum it (a bound where they hold bounds). Each child of a cut must hold min_samples_leaf +
    margin (m, p) samples; the last p columns are, by feature, the best gain of the cuts that only this misses."""
    m, p, B, _ = H.shape
    W, sides = B - 1, allowed.shape[1]
    # (3, m, p, W): the statistics first, the bins last, copied in that order, so that the scans, the gains and the
    # picks below read rows in order (numpy: 10% of the search; a view would keep H's order, the statistics last)
    S = xp.reshape(xp.permute_dims(H[:, :, :W, :], (3, 0, 1, 2)), (3, m, p, W), copy=True)
    t = xp.permute_dims(total, (1, 0))[:2, :, None, None]  # (2, m, 1, 1): G and H, then n by feature
    t = xp.concat([xp.broadcast_to(t, (2, m, p, 1)), count[None, :, :, None]], axis=0)  # (3, m, p, 1)
    left_0 = xp.cumulative_sum(S, axis=3)  # "bin <= b", missing values right
    if sides == 1:  # no missing values anywhere
        left, right = left_0[:, :, :, None, :], (t - left_0)[:, :, :, None, :]  # (3, m, p, 1, W)
    else:
        above = xp.flip(xp.cumulative_sum(xp.flip(S, axis=3), axis=3), axis=3)  # (3, m, p, W): bins >= b
        # missing values left: the right child is summed from the top bin down, the left one is the rest (scanned
        # from the top, bins descending, as scikit-learn does, so that the rounding is its own)
        right_1 = xp.concat([above[..., 1:], xp.zeros_like(above[..., :1])], axis=3)  # bins > b
        left = xp.stack([left_0, xp.flip(t - right_1, axis=3)], axis=3)  # (3, m, p, 2, W): side 1 scans descending
        right = xp.stack([t - left_0, xp.flip(right_1, axis=3)], axis=3)
    lam = rules.l2_regularization
    gain = (_loss(t[:, :, :, :, None], lam) - _loss(left, lam)) - _loss(right, lam)  # (m, p, S, W)
    fits = allowed[None, ...] & (left[1, ...] >= MIN_HESSIAN) & (right[1, ...] >= MIN_HESSIAN)  # all but the counts
    if chosen is not None:
        fits = fits & chosen[:, :, None, None]
    least = rules.min_samples_leaf + margin[:, :, None, None]  # (m, p, 1, 1)
    valid = fits & (left[2, ...] >= least) & (right[2, ...] >= least)
    per_node = p * sides * W
    unsure = xp.max(xp.reshape(xp.where(fits & ~valid, gain, -math.inf), (m, p, sides * W)), axis=2)  # (m, p)
    score = xp.reshape(xp.where(valid, gain, -math.inf), (m, per_node))
    best = xp.argmax(score, axis=1)  # (m,): the first best in the order (feature, side, scan)
    rows = xp.arange(m, device=device_of(H)) * per_node + best  # (m,)
    pick = lambda a: xp.permute_dims(xp.take(xp.reshape(a, (3, m * per_node)), rows, axis=1), (1, 0))  # (m, 3)
    feature, side, scan = best // (sides * W), (best // W) % sides, best % W
    cut = xp.take(xp.reshape(bin_of, (-1,)), side * W + scan)  # (m,)
    columns = [xp.take(xp.reshape(score, (-1,)), rows), xp.astype(feature, H.dtype), xp.astype(cut, H.dtype),
               xp.astype(side, H.dtype)]
    return xp.concat([xp.stack(columns, axis=1), pick(left), pick(right), unsure], axis=1)  # (m, 10 + p)


def node_value(G, H, lam):
    """A leaf's Newton step -G / (H + λ), computed as scikit-learn does (with its 1e-15 guard)."""
    return -G / (H + lam + 1e-15)


def _loss(sums, lam):
    """-G² / (H + λ), a node's loss after its Newton step, of sums (3, ...) = (G, H, n): G times its value."""
    return sums[0, ...] * node_value(sums[0, ...], sums[1, ...], lam)
