"""Split criteria: the impurity of a node from the sums of its samples' statistics.

A node's statistics are sums over its samples (weights w_i, labels y_i):

- classification: the weighted count of each class, c_k = Σ w_i [y_i = k], and W = Σ_k c_k;
  gini = 1 - Σ_k (c_k / W)²,  entropy = -Σ_k (c_k / W) log₂(c_k / W);
- regression: (W, S, Q) = (Σ w_i, Σ w_i y_i, Σ w_i y_i²); squared_error = Q / W - (S / W)².

Because impurities come from sums, a split's two children come from the histogram's cumulative sums
(left) and the node's total minus them (right). The best split maximizes the "proxy"

    -(W_L · impurity_L + W_R · impurity_R)

up to a constant of the node: for gini, Σ_k c_kL² / W_L + Σ_k c_kR² / W_R; for squared_error, S_L²/W_L + S_R²/W_R.

and the decrease in impurity a split brings, weighted by the node's share of all the weight, is

    improvement = W / W_tree · (impurity - W_L / W · impurity_L - W_R / W · impurity_R).

Reference: Breiman, Friedman, Olshen & Stone, Classification and Regression Trees (1984), chapters 4
and 8; scikit-learn's `sklearn/tree/_criterion.pyx` for the same quantities.
"""

from __future__ import annotations

import math

__all__ = ["CLASSIFICATION", "REGRESSION", "improvement", "impurity", "node_value", "proxy", "weight"]

CLASSIFICATION = ("gini", "entropy", "log_loss")
REGRESSION = ("squared_error",)


def weight(xp, stats, criterion: str):
    """W (...): the total weight of the samples summed in stats (..., k)."""
    return _column_sum(stats) if criterion in CLASSIFICATION else stats[..., 0]


def _column_sum(stats):
    """Σ_c stats[..., c], as elementwise additions: a reduction over a short last axis is slow on a CPU."""
    total = stats[..., 0]
    for c in range(1, stats.shape[-1]):
        total = total + stats[..., c]
    return total


def _safe(xp, W):
    return xp.where(W > 0, W, 1.0)


def impurity(xp, stats, criterion: str):
    """The impurity (...) of nodes (or children) with statistics (..., k)."""
    W = _safe(xp, weight(xp, stats, criterion))  # (...)
    if criterion == "gini":
        return 1.0 - _column_sum(stats * stats) / (W * W)
    if criterion in ("entropy", "log_loss"):
        share = stats / W[..., None]  # (..., C)
        logs = xp.log(xp.where(share > 0, share, 1.0)) / math.log(2.0)
        return -_column_sum(share * logs)
    S, Q = stats[..., 1], stats[..., 2]
    return Q / W - (S / W) ** 2


def proxy(xp, left, right, criterion: str):
    """What the best split maximizes (...), from its children's statistics (..., k)."""
    if criterion == "squared_error":
        return left[..., 1] ** 2 / _safe(xp, left[..., 0]) + right[..., 1] ** 2 / _safe(xp, right[..., 0])
    if criterion == "gini":  # W · gini = W - Σ_k c_k² / W, and W_L + W_R is the node's W
        return (_column_sum(left * left) / _safe(xp, weight(xp, left, criterion))
                + _column_sum(right * right) / _safe(xp, weight(xp, right, criterion)))
    return -(weight(xp, left, criterion) * impurity(xp, left, criterion)
             + weight(xp, right, criterion) * impurity(xp, right, criterion))


def improvement(xp, total, left, right, tree_weight, criterion: str):
    """The weighted impurity decrease (...) of splits of nodes with statistics `total` into left, right."""
    W, W_left, W_right = (weight(xp, s, criterion) for s in (total, left, right))
    child = (W_left * impurity(xp, left, criterion) + W_right * impurity(xp, right, criterion)) / _safe(xp, W)
    return W / tree_weight * (impurity(xp, total, criterion) - child)


def node_value(xp, stats, criterion: str):
    """(..., k'): a node's prediction: class shares for a classifier, the weighted mean of y for a regressor."""
    W = _safe(xp, weight(xp, stats, criterion))
    if criterion in CLASSIFICATION:
        return stats / W[..., None]
    return (stats[..., 1] / W)[..., None]
