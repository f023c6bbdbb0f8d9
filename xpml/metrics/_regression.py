"""Regression metrics, computed on the backend of their inputs."""

from __future__ import annotations

from typing import Any

from .._backend import match_input
from ..utils._param_validation import Options, check_param
from ._common import prepare_numeric, weighted_mean

__all__ = ["r2_score"]

_MULTIOUTPUT = [Options({"raw_values", "uniform_average", "variance_weighted"}), "array-like"]


def r2_score(y_true: Any, y_pred: Any, *, sample_weight: Any = None, multioutput: Any = "uniform_average"):
    """The coefficient of determination, R² = 1 - SS_res / SS_tot.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), optional
    multioutput : {"uniform_average", "raw_values", "variance_weighted"} or array of shape (n_outputs,)
        How the R² of several outputs are combined.

    Returns
    -------
    float, or an array of shape (n_outputs,) with "raw_values".
        A constant y_true gives 1.0 if predicted exactly, else 0.0 (scikit-learn's `force_finite`).
    """
    check_param("multioutput", multioutput, _MULTIOUTPUT)
    xp, yt, yp, w = prepare_numeric(y_true, y_pred, sample_weight)
    if yt.shape[0] < 2:
        raise ValueError(f"r2_score needs at least 2 samples; got {yt.shape[0]}.")
    ss_res = weighted_mean(xp, (yt - yp) ** 2, w)  # (n_outputs,)
    ss_tot = weighted_mean(xp, (yt - weighted_mean(xp, yt, w)) ** 2, w)  # (n_outputs,)
    safe_tot = xp.where(ss_tot == 0, xp.ones_like(ss_tot), ss_tot)
    exact = xp.astype(ss_res == 0, ss_res.dtype)  # what a constant y_true scores: 1 if hit exactly, else 0
    raw = xp.where(ss_tot == 0, exact, 1 - ss_res / safe_tot)  # (n_outputs,)
    if isinstance(multioutput, str) and multioutput == "raw_values":
        return match_input(raw, y_pred)
    if isinstance(multioutput, str) and multioutput == "variance_weighted":
        total = xp.sum(ss_tot)
        return float(xp.sum(raw * ss_tot) / total) if float(total) != 0 else float(xp.mean(raw))
    if isinstance(multioutput, str):
        return float(xp.mean(raw))
    weights = xp.asarray(list(map(float, multioutput)), dtype=raw.dtype, device=raw.device)
    return float(xp.sum(raw * weights) / xp.sum(weights))
