"""The losses of GradientBoostingClassifier and GradientBoostingRegressor, as Friedman's algorithm uses them.

Each stage fits a regression tree to the negative gradient r = -dL/dF of the loss at the current raw
prediction F, then gives each leaf R_j the loss's own step there, γ_j = argmin_γ Σ_{i in R_j} w_i L(y_i, F_i + γ)
(Friedman's Algorithm 1, step 5), exactly where it has a closed form and by one Newton step where not:

    loss             L(y, F)                         r                           leaf step γ_j
    squared_error    (y - F)² / 2                    y - F                       mean of r (the tree's own value)
    absolute_error   |y - F|                         sign(y - F)                 weighted median of y - F
    quantile α       α (y - F)+ + (1 - α) (F - y)+   α, or α - 1 where y < F     weighted α-quantile of y - F
    huber α          (y - F)² / 2 within δ,          y - F, clipped to ±δ        m + mean of sign(d) min(δ, |d|),
                     δ (|y - F| - δ / 2) beyond                                  m the median of y - F, d = y - F - m
    log_loss, 2      log(1 + e^F) - y F              y - p                       Σ w r / Σ w p (1 - p)
    log_loss, K      logsumexp(F) - F_y              [y = k] - p_k               (K-1)/K · Σ w r_k / Σ w p_k (1 - p_k)
    exponential      y e^-F + (1 - y) e^F            y e^-F - (1 - y) e^F        Σ w r / Σ w |r|

Huber's δ is the α-quantile of |y - F| over the samples at the start of each stage. The means and
quantiles are weighted (a quantile is the smallest value whose cumulative weight reaches the quantile of
the total, scikit-learn's `_weighted_percentile`), over the samples of the stage's subsample only.
`train_score_` is the weighted mean loss, doubled for squared_error and two-class log_loss (the deviance), as
scikit-learn reports it. The (K-1)/K of the multinomial step is Friedman's (and scikit-learn's).

The losses shared with histogram gradient boosting come from its `_losses`.

Reference: Friedman, "Greedy Function Approximation: A Gradient Boosting Machine", Annals of Statistics 29
(2001), Algorithms 1 to 6; Friedman, Hastie & Tibshirani, "Additive Logistic Regression", Annals of
Statistics 28 (2000) (the exponential loss).
"""

from __future__ import annotations

import math

from .._backend import device_of
from ..utils._bincount import bincount
from ..utils._binning import integer_dtype
from ..utils._errstate import float_errors_ignored
from ..utils._special import sigmoid
from ._hist_gradient_boosting import _losses

__all__ = ["SHARED", "huber_delta", "init_raw", "leaf_steps", "mean_loss", "negative_gradient", "proba_of_raw",
           "segment_quantiles"]

SHARED = ("squared_error", "absolute_error", "quantile", "log_loss")  # the losses `_losses` computes
TINY = 1e-150  # a Newton step whose curvature is below this is 0 (no improvement possible: p = 0 or 1)


def deviance_factor(loss: str, K: int) -> int:
    """2 where scikit-learn reports the deviance (twice the half loss): squared_error and two-class log_loss."""
    return 2 if loss == "squared_error" or (loss == "log_loss" and K == 1) else 1


def negative_gradient(xp, loss, y, F, alpha=None, delta=None):
    """(n, K): -dL/dF per sample at the raw predictions F (n, K); y: targets, or class indices (classifiers)."""
    f = F[:, 0]
    if loss == "quantile":  # α where y >= F, α - 1 below (in F's dtype: a where of two numbers may not keep it)
        return (alpha - xp.astype(y < f, F.dtype))[:, None]
    if loss in SHARED:
        g, _ = _losses.gradient_hessian(xp, loss, y, F, alpha)
        return -xp.astype(g, F.dtype)
    if loss == "huber":
        d = y - f
        return xp.where(xp.abs(d) <= delta, d, delta * xp.sign(d))[:, None]
    t = xp.astype(y, F.dtype)  # exponential: y in {0, 1}
    with float_errors_ignored():
        return (t * xp.exp(-f) - (1 - t) * xp.exp(f))[:, None]


def mean_loss(xp, loss, y, F, w, alpha=None, delta=None):
    """The weighted mean loss at F (n, K), a 0-d array, as `train_score_` reports it (doubled: the deviance)."""
    factor = deviance_factor(loss, F.shape[1])
    if loss in SHARED:
        return factor * _losses.mean(xp, loss, y, F, w, alpha)
    f = F[:, 0]
    if loss == "huber":
        a = xp.abs(y - f)
        each = xp.where(a <= delta, a * a / 2, delta * (a - delta / 2))
    else:  # exponential
        t = xp.astype(y, F.dtype)
        with float_errors_ignored():
            each = t * xp.exp(-f) + (1 - t) * xp.exp(f)
    return xp.sum(w * each) / xp.sum(w)


def huber_delta(xp, y, F, w, alpha):
    """δ: the weighted α-quantile of |y - F| (n,), over all the samples (0-d array)."""
    a = xp.abs(y - F[:, 0])  # (n,)
    one = xp.zeros(a.shape[0], dtype=integer_dtype(xp, a), device=device_of(a))  # a single segment: all the samples
    return segment_quantiles(xp, a, w, one, 1, alpha)[0]


def leaf_steps(xp, loss, leaf, n_nodes, y, r, f, w, K, alpha=None, delta=None):
    """(n_nodes,): the step γ of each node of a tree for the samples in its leaves. `leaf` (n,): each sample's
    node, n_nodes for a sample left out (out of the subsample); y (n,): targets, or 1 for the samples of this
    tree's class (classifiers); r (n,): the negative gradient the tree was fitted on; f (n,): the raw prediction
    of this output; w (n,): the weights. Only the leaves' steps are meaningful."""
    bins = n_nodes + 1
    W = bincount(leaf, bins, w, xp=xp)[:n_nodes]  # (N,)
    W_safe = xp.where(W > 0, W, 1.0)

    def average(v):
        return bincount(leaf, bins, w * v, xp=xp)[:n_nodes] / W_safe  # (N,) each node's weighted mean of v

    if loss in ("absolute_error", "quantile"):
        return segment_quantiles(xp, y - f, w, leaf, n_nodes, 0.5 if loss == "absolute_error" else alpha)
    if loss == "huber":
        d = y - f
        median = segment_quantiles(xp, d, w, leaf, n_nodes, 0.5)  # (N,)
        diff = d - xp.take(median, xp.clip(leaf, 0, n_nodes - 1))  # (n,)
        return median + average(xp.sign(diff) * xp.minimum(delta, xp.abs(diff)))
    t = xp.astype(y, r.dtype)
    if loss == "exponential":
        curvature = r * (2 * t - 1)  # e^-F where y = 1, e^F where y = 0: |r|
    else:  # log_loss: p (1 - p), p = y - r
        p = t - r
        curvature = p * (1 - p)
    numerator, denominator = average(r), average(curvature)  # (N,) each
    if loss == "log_loss" and K > 1:
        numerator = numerator * ((K - 1) / K)
    flat = xp.abs(denominator) < max(TINY, float(xp.finfo(denominator.dtype).smallest_normal))  # float32: its own
    return xp.where(flat, 0.0, numerator / xp.where(flat, 1.0, denominator))


def segment_quantiles(xp, v, w, segment, n_segments: int, q: float):
    """(n_segments,): the weighted q-quantile of the values v (n,) of each segment 0 .. n_segments - 1 (`segment`
    (n,); n_segments or more: left out): the smallest value whose cumulative weight, in increasing order, reaches
    q of the segment's total weight (scikit-learn's `_weighted_percentile`, "inverted_cdf"). Weight-0 samples
    never decide it. All the segments at once: the samples sorted by (segment, value), the cumulative weights
    counted from each segment's start, and in each the number of samples below q of its total.

    Each segment's quantile is `xpml.utils._quantiles.weighted_quantiles` (average=False) of its values, but that
    one reads the columns of a full (n, p) matrix: the leaves of a tree hold different numbers of samples, and
    taking them one at a time would cost a loop over the leaves, each an array of a length known only from the data
    (jax compiles for each new length). So the segments keep this form, sorted once; their cumulative weights are
    one running sum less its value at each segment's start, which may round apart from a sum begun at the segment
    (in the last bits, for weights that are not whole numbers)."""
    index = segment.dtype
    segment = xp.where((segment < n_segments) & (w > 0), segment, n_segments)  # (n,) left out: the last segment
    by_value = xp.argsort(v, stable=True)
    order = xp.take(by_value, xp.argsort(xp.take(segment, by_value), stable=True))  # (n,) by segment, then value
    s, sv, sw = xp.take(segment, order), xp.take(v, order), xp.take(w, order)  # (n,) each, sorted
    size = bincount(s, n_segments + 1, xp=xp)  # (S + 1,)
    start = xp.cumulative_sum(size) - size  # (S + 1,) where each segment begins
    C = xp.cumulative_sum(sw)  # (n,)
    before = xp.take(xp.concat([xp.zeros(1, dtype=C.dtype, device=device_of(C)), C]), start)  # (S + 1,)
    within = C - xp.take(before, s)  # (n,) the cumulative weight from the segment's start
    last = xp.clip(start + size - 1, 0, sv.shape[0] - 1)  # (S + 1,)
    rank = (100.0 * q) / 100 * xp.take(within, last)  # (S + 1,) q of each segment's total (as scikit-learn scales)
    below = bincount(s, n_segments + 1, xp.astype(within < xp.take(rank, s), sw.dtype), xp=xp)  # (S + 1,)
    at = xp.minimum(start + xp.astype(below, index), last)  # (S + 1,)
    return xp.where(size > 0, xp.take(sv, at), 0.0)[:n_segments]


def init_raw(xp, loss, predictions, K: int):
    """(n, K): the raw predictions of an initial estimator's predictions: a regressor's (n,) as they are; a
    classifier's probabilities (n, C), clipped to [eps, 1 - eps], through the loss's link (the logit; half of it for
    the exponential loss; the symmetric multinomial logit log p - mean(log p))."""
    if loss not in ("log_loss", "exponential"):
        return xp.reshape(predictions, (-1, 1))
    eps = xp.finfo(predictions.dtype).eps
    P = xp.clip(predictions, eps, 1 - eps)
    if K > 1:
        logs = xp.log(P)  # (n, K)
        return logs - xp.mean(logs, axis=1, keepdims=True)
    p = P[:, 1:2]  # (n, 1) the positive class
    logit = xp.log(p / (1 - p))
    return logit / 2 if loss == "exponential" else logit


def proba_of_raw(xp, loss, F):
    """(n, C): class probabilities from raw predictions F (n, K): softmax, sigmoid(F), or sigmoid(2F) (exponential)."""
    if loss == "log_loss":
        return _losses.inverse_link(xp, "log_loss", F)
    p = sigmoid(2 * F[:, 0], xp=xp)
    return xp.stack([1 - p, p], axis=1)


def unweighted_quantile(xp, v, q: float):
    """numpy's percentile of v (n,) (linear interpolation): the initial constant of an unweighted fit."""
    return _losses.weighted_quantile(xp, v, None, q, unweighted=True)


def finite_or_raise(value: float, stage: int, learning_rate: float) -> None:
    """A loss that became inf or NaN: an error that suggests a smaller learning rate."""
    if not math.isfinite(value):
        raise FloatingPointError(f"The training loss became {value} at stage {stage + 1}; try a smaller "
                                 f"learning_rate (now {learning_rate}).")
