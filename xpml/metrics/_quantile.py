"""Regression metrics built on quantiles: the median absolute error, the pinball loss and D² of the absolute error.

For targets y, predictions ŷ and weights s (1 by default), per output:

    pinball loss  L_α = Σ sᵢ (α max(yᵢ - ŷᵢ, 0) + (1 - α) max(ŷᵢ - yᵢ, 0)) / Σ sᵢ,
    median absolute error = the weighted median of |yᵢ - ŷᵢ|,
    D² (absolute error) = 1 - L_½(y, ŷ) / L_½(y, m),  m the weighted median of y.

The weighted median of values v with weights s (the averaged inverse of their weighted distribution
function): sort v, accumulate the weights into C₁ ≤ … ≤ Cₙ, and find the first j with Cⱼ ≥ Cₙ/2. If
Cⱼ exceeds Cₙ/2 the median is vⱼ; if it equals it, the mean of vⱼ and the next value of positive
weight. With unit weights this is the ordinary median.

Reference: R. Koenker, Quantile Regression (2005), sections 1.2 and 1.3.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

from ..exceptions import UndefinedMetricWarning
from ..utils._param_validation import Interval, check_param
from ..utils._warnings import warn
from ._common import prepare_numeric, weighted_mean
from ._regression import _combine, check_multioutput, explained_fraction

__all__ = ["d2_absolute_error_score", "mean_pinball_loss", "median_absolute_error"]


def _weighted_median(xp, values, w):
    """The weighted median of each column of values (n, m), weights w (n,) or None; NaN where all weights are 0."""
    n = values.shape[0]
    w = xp.ones(n, dtype=values.dtype, device=values.device) if w is None else w
    eps = xp.finfo(values.dtype).eps
    medians = []
    for j in range(values.shape[1]):
        order = xp.argsort(values[:, j])
        v, cum = xp.take(values[:, j], order), xp.cumulative_sum(xp.take(w, order))  # (n,), (n,) sorted
        half = cum[-1:] / 2  # (1,)
        at = xp.clip(xp.searchsorted(cum, half, side="left"), 0, n - 1)  # (1,) first cum >= half
        cum_at = xp.take(cum, at)
        after = xp.searchsorted(cum, cum_at, side="right")  # (1,) the next value of positive weight
        after = xp.where(after > n - 1, at, after)
        low, high = xp.take(v, at), xp.take(v, after)
        median = xp.where(cum_at - half > eps, low, (low + high) / 2)
        medians.append(xp.where(cum[-1:] == 0, xp.full_like(median, float("nan")), median))
    return xp.concat(medians)  # (m,)


def _pinball(xp, yt, yp, w, alpha: float):
    """The pinball loss of each output, (n_outputs,)."""
    diff = yt - yp  # (n, n_outputs)
    loss = xp.where(diff >= 0, alpha * diff, (alpha - 1) * diff)
    return weighted_mean(xp, loss, w)


def median_absolute_error(y_true: Any, y_pred: Any, *, multioutput: Any = "uniform_average", sample_weight: Any = None):
    """The (weighted) median of absolute errors: robust to a few large errors.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    multioutput : {"uniform_average", "raw_values"} or array of shape (n_outputs,)
    sample_weight : array-like of shape (n_samples,), optional

    Returns
    -------
    float, or an array of shape (n_outputs,) with "raw_values".
    """
    check_multioutput(multioutput)
    xp, yt, yp, w = prepare_numeric(y_true, y_pred, sample_weight)
    return _combine(xp, _weighted_median(xp, xp.abs(yp - yt), w), multioutput, y_pred)


def mean_pinball_loss(y_true: Any, y_pred: Any, *, sample_weight: Any = None, alpha: float = 0.5,
                      multioutput: Any = "uniform_average"):
    """The pinball (quantile) loss: its expectation is least at the α-quantile of y.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), optional
    alpha : float in [0, 1], default=0.5
        The quantile: under-predictions cost α each, over-predictions 1 - α (α = 0.5: half the absolute error).
    multioutput : {"uniform_average", "raw_values"} or array of shape (n_outputs,)

    Returns
    -------
    float, or an array of shape (n_outputs,) with "raw_values".
    """
    check_param("alpha", alpha, [Interval(Real, 0, 1, closed="both")])
    check_multioutput(multioutput)
    xp, yt, yp, w = prepare_numeric(y_true, y_pred, sample_weight)
    return _combine(xp, _pinball(xp, yt, yp, w, float(alpha)), multioutput, y_pred)


def d2_absolute_error_score(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                            multioutput: Any = "uniform_average"):
    """D² of the absolute error: the fraction of the absolute error of the (weighted) median of y_true
    that the predictions avoid; 1 is perfect, 0 no better than that constant.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), optional
    multioutput : {"uniform_average", "raw_values"} or array of shape (n_outputs,)

    Returns
    -------
    float, or an array of shape (n_outputs,) with "raw_values". A constant y_true scores 1 if predicted
    exactly, else 0; fewer than two samples give NaN, with a warning.
    """
    check_multioutput(multioutput)
    xp, yt, yp, w = prepare_numeric(y_true, y_pred, sample_weight)
    if yt.shape[0] < 2:
        warn(f"D² is undefined with fewer than two samples; got {yt.shape[0]}. It is set to NaN.",
             UndefinedMetricWarning)
        return float("nan")
    median = _weighted_median(xp, yt, w)[None, :]  # (1, n_outputs)
    loss, baseline = _pinball(xp, yt, yp, w, 0.5), _pinball(xp, yt, median, w, 0.5)  # (n_outputs,) each
    return explained_fraction(xp, loss, baseline, multioutput, True, y_pred)
