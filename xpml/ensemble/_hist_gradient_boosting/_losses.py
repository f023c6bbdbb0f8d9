"""The losses gradient boosting minimizes, each as what a boosting iteration needs of it.

Boosting fits raw predictions F (n, K) (K = 1, or one column per class). Each loss L(y, F) gives:

- `baseline`: the best constant F before any tree (the link of the weighted mean, median, ...);
- `gradient_hessian`: g = dL/dF and h = d²L/dF² per sample (the caller weights them); a tree's leaf then
  takes the Newton step -sum(g) / (sum(h) + l2);
- `mean`: the weighted mean loss (its negative is `train_score_` with scoring="loss");
- `inverse_link`: from F to predictions (the mean, probabilities).

The losses are scikit-learn's "half" losses, so that their scores agree:

    squared_error   (y - F)² / 2                  g = F - y                 h = 1
    absolute_error  |y - F|                       g = sign(F - y) (-1 at 0) h = 1
    quantile α      α (y - F)+ + (1 - α) (F - y)+  g = -α (y >= F), 1 - α    h = 1
    poisson         exp(F) - y F                  g = exp(F) - y            h = exp(F)
    gamma           F + y exp(-F)                 g = 1 - y exp(-F)         h = y exp(-F)
    binary log_loss log(1 + exp(F)) - y F          g = sigmoid(F) - y        h = p (1 - p)
    multinomial     logsumexp(F) - F_y             g = softmax(F) - onehot   h = p (1 - p)

For absolute_error and quantile the Newton step is meaningless (h is constant); their leaves take
instead the median, or the α-quantile, of the residuals y - F of their samples (`weighted_quantile`).

Reference: Friedman, "Greedy Function Approximation: A Gradient Boosting Machine", Annals of
Statistics 29 (2001); scikit-learn's `sklearn._loss`.
"""

from __future__ import annotations

from ..._backend import device_of
from ...utils._quantiles import nan_quantiles, weighted_quantiles

__all__ = ["baseline", "gradient_hessian", "inverse_link", "mean", "quantile_of", "weighted_quantile"]

EPS = 2.220446049250313e-16


def quantile_of(loss: str, alpha) -> float | None:
    """The quantile a leaf takes (0.5 for absolute_error), or None where leaves take Newton steps."""
    return 0.5 if loss == "absolute_error" else alpha if loss == "quantile" else None


def baseline(xp, loss, y, w, K: int, alpha=None):
    """(K,): the constant raw prediction that minimizes the weighted loss. y: targets, or class indices."""
    W = xp.sum(w)
    if loss == "log_loss":
        classes = xp.arange(max(K, 2), dtype=y.dtype, device=device_of(y))
        share = xp.sum(xp.astype(y[:, None] == classes, w.dtype) * w[:, None], axis=0) / W  # (C,)
        share = xp.clip(share, EPS, 1 - EPS)
        if K == 1:
            return xp.log(share[1:] / (1 - share[1:]))  # (1,): the logit
        return xp.log(share) - xp.mean(xp.log(share))  # (K,): the symmetric multinomial logit
    if loss in ("absolute_error", "quantile"):
        return xp.reshape(weighted_quantile(xp, y, w, quantile_of(loss, alpha), unweighted=bool(xp.all(w == w[0]))),
                          (1,))
    average = xp.sum(w * y) / W
    return xp.reshape(xp.log(average) if loss in ("poisson", "gamma") else average, (1,))


def gradient_hessian(xp, loss, y, F, alpha=None):
    """(g, h), each (n, K): the first and second derivatives of the loss at F (n, K), per sample (unweighted)."""
    if loss == "log_loss":
        if F.shape[1] == 1:
            f, t = F[:, 0], xp.astype(y, F.dtype)
            e = xp.exp(-xp.maximum(f, -37.0))  # (n,) written as scikit-learn's, for the same rounding
            g, h = ((1 - t) - t * e) / (1 + e), e / (1 + e) ** 2
            if bool(xp.any(f <= -37)):  # where exp(-f) could overflow, its limits (as scikit-learn's)
                small = xp.exp(xp.minimum(f, -37.0))
                g, h = xp.where(f > -37, g, small - t), xp.where(f > -37, h, small)
            return g[:, None], h[:, None]
        P = _softmax(xp, F)  # (n, K)
        onehot = xp.astype(y[:, None] == xp.arange(F.shape[1], dtype=y.dtype, device=device_of(y)), F.dtype)
        return P - onehot, P * (1 - P)
    f = F[:, 0]
    ones = xp.ones_like(f)
    if loss == "squared_error":
        g, h = f - y, ones
    elif loss == "absolute_error":
        g, h = xp.where(f > y, 1.0, -1.0), ones
    elif loss == "quantile":
        g, h = xp.where(y >= f, -alpha, 1 - alpha), ones
    elif loss == "poisson":
        g, h = xp.exp(f) - y, xp.exp(f)
    else:  # gamma
        g, h = 1 - y * xp.exp(-f), y * xp.exp(-f)
    return g[:, None], h[:, None]


def mean(xp, loss, y, F, w, alpha=None):
    """The weighted mean loss at F (n, K), a 0-d array."""
    if loss == "log_loss":
        if F.shape[1] == 1:
            f = F[:, 0]
            each = xp.logaddexp(xp.zeros_like(f), f) - xp.astype(y, F.dtype) * f
        else:
            top = xp.max(F, axis=1)  # (n,)
            lse = top + xp.log(xp.sum(xp.exp(F - top[:, None]), axis=1))
            each = lse - xp.sum(xp.where(y[:, None] == xp.arange(F.shape[1], dtype=y.dtype, device=device_of(y)),
                                         F, 0.0), axis=1)
    else:
        f = F[:, 0]
        each = {"squared_error": lambda: (y - f) ** 2 / 2, "absolute_error": lambda: xp.abs(y - f),
                "quantile": lambda: xp.where(y >= f, alpha * (y - f), (1 - alpha) * (f - y)),
                "poisson": lambda: xp.exp(f) - y * f, "gamma": lambda: f + y * xp.exp(-f)}[loss]()
    return xp.sum(w * each) / xp.sum(w)


def inverse_link(xp, loss, F):
    """Predictions from raw predictions F (n, K): the mean, or the class probabilities (n, C)."""
    if loss == "log_loss":
        if F.shape[1] == 1:
            p = 1 / (1 + xp.exp(-F[:, 0]))
            return xp.stack([1 - p, p], axis=1)
        return _softmax(xp, F)
    return xp.exp(F[:, 0]) if loss in ("poisson", "gamma") else F[:, 0]


def weighted_quantile(xp, v, w, q: float, unweighted: bool):
    """The q-quantile of v (n,), a 0-d array of v's dtype: without weights, numpy's percentile 100 q (linear
    interpolation); with weights, the smallest value whose cumulative weight reaches q of the total (scikit-learn's
    `_weighted_percentile`). Both are the column quantiles of `xpml.utils._quantiles`, of the one column v."""
    if unweighted:  # the probability as scikit-learn hands it to numpy, in percent
        return xp.astype(nan_quantiles(v[:, None], [100 * q / 100], xp=xp)[0, 0], v.dtype)
    return weighted_quantiles(v[:, None], w, [100 * q], average=False, xp=xp)[0, 0]


def _softmax(xp, F):
    E = xp.exp(F - xp.max(F, axis=1, keepdims=True))  # (n, K)
    return E / xp.sum(E, axis=1, keepdims=True)
