"""Regression metrics, computed on the backend of their inputs.

For targets y, predictions ŷ and weights s (1 by default), per output:

    MSE = Σ sᵢ (yᵢ - ŷᵢ)² / Σ sᵢ,  RMSE = √MSE,  MAE = Σ sᵢ |yᵢ - ŷᵢ| / Σ sᵢ,
    MAPE = Σ sᵢ |yᵢ - ŷᵢ| / max(|yᵢ|, ε) / Σ sᵢ   (ε the float64 machine epsilon),
    MSLE = Σ sᵢ (log(1 + yᵢ) - log(1 + ŷᵢ))² / Σ sᵢ,  RMSLE = √MSLE   (y, ŷ > -1),
    max error = maxᵢ |yᵢ - ŷᵢ|   (a single output),
    R² = 1 - Σ sᵢ (yᵢ - ŷᵢ)² / Σ sᵢ (yᵢ - ȳ)²   (ȳ the weighted mean),
    explained variance = 1 - Var(y - ŷ) / Var(y)   (weighted variances; a constant bias costs nothing).

R², the explained variance and D² (`_quantile`) are each 1 - numerator / denominator; with
`force_finite`, a zero denominator (constant y) scores 1 for a zero numerator (a perfect fit) and 0
otherwise, instead of NaN or -inf. Several outputs are combined by `multioutput`: "uniform_average"
(the plain mean), "raw_values" (one value per output) or an array of weights; R² and the explained
variance also have "variance_weighted" (weighted by the denominators).
"""

from __future__ import annotations

from typing import Any

from .._backend import match_input
from ..utils._errstate import float_errors_ignored
from ..utils._host import as_host
from ..utils._param_validation import Options, check_param
from ._common import prepare_numeric, weighted_mean

__all__ = ["explained_variance_score", "max_error", "mean_absolute_error", "mean_absolute_percentage_error",
           "mean_squared_error", "mean_squared_log_error", "r2_score", "root_mean_squared_error",
           "root_mean_squared_log_error"]

_MULTIOUTPUT = ("raw_values", "uniform_average")
_EPS64 = 2.0**-52  # float64's machine epsilon, the floor of |y| in MAPE (on every backend and dtype)
_MULTIOUTPUT_VARIANCE = ("raw_values", "uniform_average", "variance_weighted")


def check_multioutput(multioutput: Any, options: tuple = _MULTIOUTPUT) -> None:
    """Refuse a `multioutput` that is neither one of `options` nor an array of weights (a string is none)."""
    constraints = [Options(options)] + ([] if isinstance(multioutput, str) else ["array-like"])
    check_param("multioutput", multioutput, constraints)


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
    check_multioutput(multioutput)
    xp, yt, yp, w = prepare_numeric(y_true, y_pred, sample_weight)
    return _combine(xp, weighted_mean(xp, (yt - yp) ** 2, w), multioutput, y_pred)  # (n_outputs,)


def root_mean_squared_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                            multioutput: Any = "uniform_average"):
    """The square root of each output's mean squared error (then averaged over outputs).

    Parameters as in `mean_squared_error`.
    """
    check_multioutput(multioutput)
    xp, yt, yp, w = prepare_numeric(y_true, y_pred, sample_weight)
    return _combine(xp, xp.sqrt(weighted_mean(xp, (yt - yp) ** 2, w)), multioutput, y_pred)


def mean_absolute_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None, multioutput: Any = "uniform_average"):
    """The (weighted) mean of absolute errors.

    Parameters as in `mean_squared_error`.
    """
    check_multioutput(multioutput)
    xp, yt, yp, w = prepare_numeric(y_true, y_pred, sample_weight)
    return _combine(xp, weighted_mean(xp, xp.abs(yt - yp), w), multioutput, y_pred)



def mean_absolute_percentage_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                                   multioutput: Any = "uniform_average"):
    """The (weighted) mean of the relative errors |y - ŷ| / max(|y|, ε), ε the float64 machine epsilon.

    A zero target gives a huge but finite error. Parameters as in `mean_squared_error`.
    """
    check_multioutput(multioutput)
    xp, yt, yp, w = prepare_numeric(y_true, y_pred, sample_weight)
    relative = xp.abs(yp - yt) / xp.clip(xp.abs(yt), _EPS64, None)  # (n, n_outputs)
    return _combine(xp, weighted_mean(xp, relative, w), multioutput, y_pred)


def _squared_log_errors(y_true, y_pred, sample_weight, metric: str):
    """(xp, MSLE of each output (n_outputs,)), targets and predictions checked to be > -1."""
    xp, yt, yp, w = prepare_numeric(y_true, y_pred, sample_weight)
    for name, y in (("y_true", yt), ("y_pred", yp)):
        low = float(xp.min(y))
        if low <= -1:
            raise ValueError(f"{metric} takes log(1 + y), so y_true and y_pred should be > -1; {name} holds {low}.")
    return xp, weighted_mean(xp, (xp.log1p(yt) - xp.log1p(yp)) ** 2, w)


def mean_squared_log_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                           multioutput: Any = "uniform_average"):
    """The (weighted) mean of (log(1 + y) - log(1 + ŷ))²: squared errors of relative size.

    Parameters as in `mean_squared_error`; y_true and y_pred should be > -1.
    """
    check_multioutput(multioutput)
    xp, msle = _squared_log_errors(y_true, y_pred, sample_weight, "mean_squared_log_error")
    return _combine(xp, msle, multioutput, y_pred)


def root_mean_squared_log_error(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                                multioutput: Any = "uniform_average"):
    """The square root of each output's mean squared log error (then averaged over outputs).

    Parameters as in `mean_squared_error`; y_true and y_pred should be > -1.
    """
    check_multioutput(multioutput)
    xp, msle = _squared_log_errors(y_true, y_pred, sample_weight, "root_mean_squared_log_error")
    return _combine(xp, xp.sqrt(msle), multioutput, y_pred)


def max_error(y_true: Any, y_pred: Any) -> float:
    """The largest absolute error maxᵢ |yᵢ - ŷᵢ|, of a single output.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    """
    xp, yt, yp, _ = prepare_numeric(y_true, y_pred)
    if yt.shape[1] != 1:
        raise ValueError(f"max_error takes a single output; y_true and y_pred have shape {tuple(yt.shape)}, with "
                         f"{yt.shape[1]} outputs. Score each column on its own.")
    return float(xp.max(xp.abs(yt - yp)))

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
    check_multioutput(multioutput, _MULTIOUTPUT_VARIANCE)
    xp, yt, yp, w = prepare_numeric(y_true, y_pred, sample_weight)
    if yt.shape[0] < 2:
        raise ValueError(f"r2_score needs at least 2 samples; got {yt.shape[0]}.")
    ss_res = weighted_mean(xp, (yt - yp) ** 2, w)  # (n_outputs,)
    ss_tot = weighted_mean(xp, (yt - weighted_mean(xp, yt, w)) ** 2, w)  # (n_outputs,)
    return explained_fraction(xp, ss_res, ss_tot, multioutput, force_finite, y_pred)


def explained_variance_score(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                             multioutput: Any = "uniform_average", force_finite: bool = True):
    """The explained variance 1 - Var(y - ŷ) / Var(y): R² without the penalty of a constant bias.

    Parameters as in `r2_score` (without its need of two samples).

    Returns
    -------
    float, or an array of shape (n_outputs,) with "raw_values".
    """
    check_param("force_finite", force_finite, ["boolean"])
    check_multioutput(multioutput, _MULTIOUTPUT_VARIANCE)
    xp, yt, yp, w = prepare_numeric(y_true, y_pred, sample_weight)
    residual = yt - yp  # (n, n_outputs)
    var_res = weighted_mean(xp, (residual - weighted_mean(xp, residual, w)) ** 2, w)  # (n_outputs,)
    var_true = weighted_mean(xp, (yt - weighted_mean(xp, yt, w)) ** 2, w)  # (n_outputs,)
    return explained_fraction(xp, var_res, var_true, multioutput, force_finite, y_pred)


def explained_fraction(xp, numerator, denominator, multioutput, force_finite: bool, like):
    """1 - numerator / denominator of each output (n_outputs,), combined as `multioutput` says.

    With `force_finite`, a zero denominator gives 1 for a zero numerator, else 0; without, the formula
    as it stands: NaN (0 / 0) or -inf. "variance_weighted" weights the outputs by their denominators
    (equally, where all are 0).
    """
    safe = xp.where(denominator == 0, xp.ones_like(denominator), denominator)
    exact = xp.astype(numerator == 0, numerator.dtype)  # what a constant y_true scores: 1 if hit exactly, else 0
    raw = xp.where(denominator == 0, exact, 1 - numerator / safe)  # (n_outputs,)
    if not force_finite:  # 0 / 0 is NaN, a positive numerator over 0 is -inf
        nan_or_inf = xp.where(numerator == 0, xp.full_like(raw, float("nan")), xp.full_like(raw, -float("inf")))
        raw = xp.where(denominator == 0, nan_or_inf, raw)
    if isinstance(multioutput, str) and multioutput == "variance_weighted":
        total = xp.sum(denominator)
        with float_errors_ignored():  # force_finite=False: a NaN score of weight 0 keeps the average NaN, as in numpy
            return float(xp.sum(raw * denominator) / total) if float(total) != 0 else float(xp.mean(raw))
    return _combine(xp, raw, multioutput, like)
