"""Regression metrics, computed on the backend of their inputs.

For targets y, predictions ŷ and weights s (1 by default), per output:

    MSE = Σ sᵢ (yᵢ - ŷᵢ)² / Σ sᵢ,  RMSE = √MSE,  MAE = Σ sᵢ |yᵢ - ŷᵢ| / Σ sᵢ,
    R² = 1 - Σ sᵢ (yᵢ - ŷᵢ)² / Σ sᵢ (yᵢ - ȳ)²   (ȳ the weighted mean).

Several outputs are combined by `multioutput`: "uniform_average" (the plain mean), "raw_values"
(one value per output) or an array of weights; R² also has "variance_weighted".
"""

from __future__ import annotations

from typing import Any

from .._backend import match_input
from ..utils._errstate import float_errors_ignored
from ..utils._host import as_host
from ..utils._param_validation import Options, check_param
from ._common import prepare_numeric, weighted_mean

__all__ = ["mean_absolute_error", "mean_squared_error", "r2_score", "root_mean_squared_error"]

_MULTIOUTPUT = [Options({"raw_values", "uniform_average"}), "array-like"]


def _combine(xp, raw, multioutput, like):
    """Per-output values (n_outputs,) combined as `multioutput` says; "raw_values" follow the input `like`."""
    if isinstance(multioutput, str) and multioutput == "raw_values":
        return match_input(raw, like)
    if isinstance(multioutput, str):
        return float(xp.mean(raw))
    weights = as_host(multioutput).astype("float64").reshape(-1)
    if weights.shape[0] != raw.shape[0]:
        raise ValueError(f"multioutput has {weights.shape[0]} weights but there are {raw.shape[0]} outputs.")
    weights = xp.asarray(weights.tolist(), dtype=raw.dtype, device=raw.device)
    return float(xp.sum(raw * weights) / xp.sum(weights))


def mean_squared_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None, multioutput: Any = "uniform_average"):
    """The (weighted) mean of squared errors.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), optional
    multioutput : {"uniform_average", "raw_values"} or array of shape (n_outputs,)

    Returns
    -------
    float, or an array of shape (n_outputs,) with "raw_values".
    """
    check_param("multioutput", multioutput, _MULTIOUTPUT)
    xp, yt, yp, w = prepare_numeric(y_true, y_pred, sample_weight)
    return _combine(xp, weighted_mean(xp, (yt - yp) ** 2, w), multioutput, y_pred)  # (n_outputs,)


def root_mean_squared_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                            multioutput: Any = "uniform_average"):
    """The square root of each output's mean squared error (then averaged over outputs).

    Parameters as in `mean_squared_error`.
    """
    check_param("multioutput", multioutput, _MULTIOUTPUT)
    xp, yt, yp, w = prepare_numeric(y_true, y_pred, sample_weight)
    return _combine(xp, xp.sqrt(weighted_mean(xp, (yt - yp) ** 2, w)), multioutput, y_pred)


def mean_absolute_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None, multioutput: Any = "uniform_average"):
    """The (weighted) mean of absolute errors.

    Parameters as in `mean_squared_error`.
    """
    check_param("multioutput", multioutput, _MULTIOUTPUT)
    xp, yt, yp, w = prepare_numeric(y_true, y_pred, sample_weight)
    return _combine(xp, weighted_mean(xp, xp.abs(yt - yp), w), multioutput, y_pred)


def r2_score(y_true: Any, y_pred: Any, *, sample_weight: Any = None, multioutput: Any = "uniform_average",
             force_finite: bool = True):
    """The coefficient of determination, R² = 1 - SS_res / SS_tot.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), optional
    multioutput : {"uniform_average", "raw_values", "variance_weighted"} or array of shape (n_outputs,)
        How the R² of several outputs are combined.
    force_finite : bool, default=True
        A constant y_true (SS_tot = 0) scores 1.0 if predicted exactly, else 0.0. With False, the formula
        as it stands: NaN (0 / 0) or -inf.

    Returns
    -------
    float, or an array of shape (n_outputs,) with "raw_values".
    """
    check_param("force_finite", force_finite, ["boolean"])
    check_param("multioutput", multioutput, [Options({"raw_values", "uniform_average", "variance_weighted"}),
                                             "array-like"])
    xp, yt, yp, w = prepare_numeric(y_true, y_pred, sample_weight)
    if yt.shape[0] < 2:
        raise ValueError(f"r2_score needs at least 2 samples; got {yt.shape[0]}.")
    ss_res = weighted_mean(xp, (yt - yp) ** 2, w)  # (n_outputs,)
    ss_tot = weighted_mean(xp, (yt - weighted_mean(xp, yt, w)) ** 2, w)  # (n_outputs,)
    safe_tot = xp.where(ss_tot == 0, xp.ones_like(ss_tot), ss_tot)
    exact = xp.astype(ss_res == 0, ss_res.dtype)  # what a constant y_true scores: 1 if hit exactly, else 0
    raw = xp.where(ss_tot == 0, exact, 1 - ss_res / safe_tot)  # (n_outputs,)
    if not force_finite:  # 0 / 0 is NaN, a positive SS_res over 0 is -inf
        nan_or_inf = xp.where(ss_res == 0, xp.full_like(raw, float("nan")), xp.full_like(raw, -float("inf")))
        raw = xp.where(ss_tot == 0, nan_or_inf, raw)
    if isinstance(multioutput, str) and multioutput == "variance_weighted":
        total = xp.sum(ss_tot)
        with float_errors_ignored():  # force_finite=False: a NaN R² of weight 0 keeps the average NaN, as in numpy
            return float(xp.sum(raw * ss_tot) / total) if float(total) != 0 else float(xp.mean(raw))
    return _combine(xp, raw, multioutput, y_pred)
