"""The regression trees of gradient boosting: grown on the negative gradient by xpml's tree core, their
leaves then given the loss's steps.

X is binned once per fit (`xpml.utils._binning`: at most 256 bins per feature, one per distinct value where
a feature has no more, and the tree is then the exact CART tree, scikit-learn's). A stage's K trees (one per
class) grow together as K roots of the tree core (`xpml.tree._grow.grow`): its slots are the (tree, sample)
pairs, with the statistics (1, w, w r_k, w r_k²) of the k-th column of the negative gradient r and the
sample's weight w (0 out of the subsample), so that a node's value is the weighted mean of r_k and its
impurity their weighted variance, the squared error criterion.

The criterion "friedman_mse" scores a split by W_L W_R / (W_L + W_R) · (S_L / W_L - S_R / W_R)², S the sums
of r and W of the weights of the two children. Since S_L² / W_L + S_R² / W_R - S² / W = W_L W_R / W ·
(S_L / W_L - S_R / W_R)² (S = S_L + S_R, W = W_L + W_R), it is the squared error's score (`_criteria.proxy`)
less S² / W, a constant of the node: both choose the same split, which is why scikit-learn 1.9 deprecates
the parameter as having no effect. It has none here either.

Reference: Friedman, "Greedy Function Approximation: A Gradient Boosting Machine" (2001), section 4.3
(the criterion, his equation 35); Breiman et al., Classification and Regression Trees (1984).
"""

from __future__ import annotations

import math

from .._backend import backend_of, compiles_per_shape, device_of, to_backend, to_numpy
from ..tree import DecisionTreeRegressor, _structure
from ..tree._fit import MAX_BINS
from ..tree._grow import grow
from ..tree._stats import _finite_sums
from ..utils._binning import bin_codes, fit_bins, integer_dtype
from ..utils._host import host_namespace

__all__ = ["TREE_PARAMS", "Binned", "as_member", "grow_stage", "leaf_of", "node_values", "padded_size", "template",
           "total_decrease", "with_leaf_steps"]

# The parameters of gradient boosting that its trees take as their own.
TREE_PARAMS = ("max_depth", "min_samples_split", "min_samples_leaf", "min_weight_fraction_leaf",
               "min_impurity_decrease", "max_features", "max_leaf_nodes", "random_state", "ccp_alpha")


class Binned:
    """X (n, p) binned once for every tree of a fit: the bins and each sample's codes (n, p)."""

    def __init__(self, xp, X, backend):
        # where each shape compiles (jax), the bins' width rounded up so that other data reuse the compiled steps
        self.bins = fit_bins(X, MAX_BINS, round_up=compiles_per_shape(backend), xp=xp)
        self.codes = bin_codes(X, self.bins.edges, xp=xp)  # (n, p)


def template(est) -> DecisionTreeRegressor:
    """The tree every stage grows: gradient boosting's tree parameters, the squared error criterion."""
    tree = DecisionTreeRegressor(**{k: getattr(est, k) for k in TREE_PARAMS}, backend=est.backend)
    tree._dtype = est._dtype
    return tree


def grow_stage(xp, binned, R, w, rules, rng, backend, max_leaf_nodes=None, ccp_alpha=0.0) -> list:
    """The K trees (`xpml.tree._structure.Tree`) of one stage, tree k grown on the column k of the negative
    gradient R (n, K) with the weights w (n,), all K as one batch of roots."""
    n, K = R.shape
    device = device_of(R)
    counted = xp.astype(w != 0, w.dtype)  # (n,) the samples the trees hold
    wR = w[:, None] * R  # (n, K)
    stats = xp.stack([xp.broadcast_to(counted[:, None], (n, K)), xp.broadcast_to(w[:, None], (n, K)), wR,
                      wR * R], axis=2)  # (n, K, 4)
    stats = _finite_sums(xp, xp.reshape(xp.permute_dims(stats, (1, 0, 2)), (K * n, 4)), 2)  # (K·n, 4) by tree
    index = integer_dtype(xp, R)
    rows = xp.reshape(xp.broadcast_to(xp.arange(n, dtype=index, device=device)[None, :], (K, n)), (-1,))  # (K·n,)
    root = xp.reshape(xp.broadcast_to(xp.arange(K, dtype=index, device=device)[:, None], (K, n)), (-1,))  # (K·n,)
    tree_weight = xp.sum(w) * xp.ones(K, dtype=w.dtype, device=device)  # (K,) each tree's total weight
    if not compiles_per_shape(backend):  # the samples of weight 0 change nothing: left out where shapes may change
        keep = xp.nonzero(stats[:, 0] > 0)[0]
        stats, rows, root = xp.take(stats, keep, axis=0), xp.take(rows, keep), xp.take(root, keep)
    levels = grow(xp, binned.codes, binned.bins, rows, stats, root, tree_weight, rules, rng=rng, backend=backend)
    return _structure.build_trees(xp, levels, "squared_error", K, max_leaf_nodes, ccp_alpha)


def leaf_of(xp, tree, X):
    """(n,): the node (a leaf) each row of X (n, p) falls in."""
    return _structure.apply(xp, tree, X)


def padded_size(tree) -> int:
    """The number of node values the steps of a tree are computed for: its node count rounded up to a power of 2
    (as a tree's walk pads its nodes), so that every tree of a few shapes reuses what a library that compiles per
    shape compiled."""
    return 2 ** math.ceil(math.log2(max(tree.node_count, 2)))


def node_values(tree):
    """(padded_size,) on the tree's backend: the value of each node, padded with zeros."""
    hx = host_namespace()
    value = hx.asarray(to_numpy(tree.value))[:, 0, 0]  # (N,)
    return to_backend(hx.concat([value, hx.zeros(padded_size(tree) - value.shape[0], dtype=value.dtype)]),
                      backend_of(tree.value))


def with_leaf_steps(tree, steps):
    """A copy of `tree` whose leaves hold `steps` (a value per node, padded); its inner nodes keep their values
    (the mean negative gradient), as scikit-learn's do. Made on the host: a tree's few numbers per node."""
    hx = host_namespace()
    value = hx.asarray(to_numpy(tree.value))  # (N, 1, 1)
    leaf = hx.asarray(to_numpy(tree.children_left)) == _structure.TREE_LEAF  # (N,)
    steps = hx.astype(hx.asarray(to_numpy(steps))[:value.shape[0]], value.dtype)  # (N,)
    value = hx.where(leaf[:, None, None], steps[:, None, None], value)  # (N, 1, 1)
    return _structure.Tree(**{**vars(tree), "value": to_backend(value, backend_of(tree.value))})


def as_member(est, tree) -> DecisionTreeRegressor:
    """A fitted DecisionTreeRegressor holding `tree`, as an element of `estimators_`."""
    model = template(est)
    model._backend, model.n_features_in_ = est._backend, est.n_features_in_
    model.tree_, model.n_outputs_, model.max_features_ = tree, 1, est.max_features_
    model.feature_importances_ = _structure.feature_importances(est._xp, tree, est.n_features_in_)
    return model


def total_decrease(tree) -> float:
    """The tree's impurity decrease over all its splits, weighted by the nodes' shares of the root's weight: the
    root's impurity less its leaves' weighted impurities (the sum of the splits' decreases, telescoped). Times the
    tree's normalized importances, it gives scikit-learn's unnormalized ones. On the host (a few numbers per node)."""
    hx = host_namespace()
    W, impurity, left = (hx.asarray(to_numpy(a)) for a in (tree.weighted_n_node_samples, tree.impurity,
                                                            tree.children_left))
    return float(impurity[0] - hx.sum(hx.where(left == _structure.TREE_LEAF, W * impurity, 0.0)) / W[0])
