"""The Tweedie deviances: the mean deviance of a power p, its Poisson (p = 1) and gamma (p = 2) cases, and D².

The Tweedie distributions of power p are those whose variance is a power of their mean, Var(y) = φ μᵖ: the normal
(p = 0), the Poisson (p = 1), the compound Poisson-gamma (1 < p < 2), the gamma (p = 2), the inverse Gaussian (p = 3).
The unit deviance of a prediction μ of y, twice the log-likelihood of y under the mean y less that under the mean μ,
is

    p = 0:       d(y, μ) = (y - μ)²
    p = 1:       d(y, μ) = 2 (y log(y/μ) - y + μ)                 (y log(y/μ) = 0 at y = 0)
    p = 2:       d(y, μ) = 2 (log(μ/y) + y/μ - 1)
    otherwise:   d(y, μ) = 2 (max(y, 0)^(2-p) / ((1-p)(2-p)) - y μ^(1-p) / (1-p) + μ^(2-p) / (2-p))

(the last is the integral 2 ∫ from μ to y of (y - t) / tᵖ dt; the three special ones are its limits). It is >= 0,
and 0 only at μ = y. Each power has its domain: p < 0: y any real and μ > 0; p = 0: both any real; 1 <= p < 2:
y >= 0 and μ > 0; p >= 2: y > 0 and μ > 0. No distribution has 0 < p < 1: the metrics refuse those powers (the
generalized linear models, `xpml.linear_model._glm`, accept them with y >= 0, as scikit-learn does: the deviance is
still a consistent loss for the mean there). Powers μ^k are computed as exp(k log μ), so that a model with a log link
passes its linear predictor η = log μ itself (`unit_deviance(..., log_mu=η)`) and never forms μ^k by overflow.

With sample weights sᵢ (1 by default):

    mean deviance = Σ sᵢ d(yᵢ, μᵢ) / Σ sᵢ,      D² = 1 - Σ sᵢ d(yᵢ, μᵢ) / Σ sᵢ d(yᵢ, ȳ)   (ȳ the weighted mean of y)

D² is the fraction of the deviance of the best constant prediction that the predictions explain: R² for p = 0.

Reference: B. Jørgensen, The Theory of Dispersion Models, Chapman & Hall, 1997, chapter 4 (the Tweedie models).
"""

from __future__ import annotations

from numbers import Real
from typing import Any

from ..exceptions import UndefinedMetricWarning
from ..utils._errstate import float_errors_ignored
from ..utils._param_validation import Interval, check_param
from ..utils._warnings import warn
from ._common import prepare_numeric, weighted_mean

__all__ = ["d2_tweedie_score", "deviance_explained", "mean_gamma_deviance", "mean_poisson_deviance",
           "mean_tweedie_deviance", "unit_deviance"]


def power_of(xp, mu, log_mu, k: float):
    """μ^k from μ and log μ: μ itself for k = 1, ones for k = 0 (μ may be <= 0 there), else exp(k log μ)."""
    if k == 1:
        return mu
    return xp.ones_like(mu) if k == 0 else xp.exp(k * log_mu)


def unit_deviance(xp, y, mu, power: float, log_mu=None):
    """The unit deviance d(y, μ) of the module docstring, elementwise; `log_mu`: log μ if known (a log link's η)."""
    p = power
    if p == 0:
        return (y - mu) ** 2
    log_mu = xp.log(mu) if log_mu is None else log_mu
    if p == 1:
        positive = y > 0
        y_log_ratio = xp.where(positive, y * (xp.log(xp.where(positive, y, 1.0)) - log_mu), 0.0)  # y log(y/μ)
        return 2 * (y_log_ratio - y + mu)
    if p == 2:
        return 2 * (log_mu - xp.log(y) + y / mu - 1)
    y_term = xp.pow(xp.maximum(y, 0.0), 2 - p) / ((1 - p) * (2 - p))  # max(y, 0)^(2-p) / ((1-p)(2-p))
    return 2 * (y_term - y * power_of(xp, mu, log_mu, 1 - p) / (1 - p) + power_of(xp, mu, log_mu, 2 - p) / (2 - p))


def deviance_explained(xp, y, mu, sample_weight, power: float) -> float:
    """D² = 1 - Σ s d(y, μ) / Σ s d(y, ȳ) of 1-D y and μ (n,), weights (n,) or None (y and μ in their domain)."""
    y_mean = weighted_mean(xp, y, sample_weight)  # ()
    with float_errors_ignored():  # a constant y: 0 / 0 is NaN, as in scikit-learn
        deviance = weighted_mean(xp, unit_deviance(xp, y, mu, power), sample_weight)
        baseline = weighted_mean(xp, unit_deviance(xp, y, y_mean, power), sample_weight)  # μ = ȳ for every sample
        return float(1 - deviance / baseline)


def _check_domain(xp, yt, yp, power: float, metric: str) -> None:
    """Refuse y_true and y_pred outside the deviance's domain for `power`, naming the rule and the value."""
    rules = []
    if power >= 2:
        rules.append(("y_true", yt, "> 0", lambda v: v > 0))
    elif power >= 1:
        rules.append(("y_true", yt, ">= 0", lambda v: v >= 0))
    if power != 0:
        rules.append(("y_pred", yp, "> 0", lambda v: v > 0))
    for name, values, rule, holds in rules:
        if not bool(xp.all(holds(values))):
            low = float(xp.min(values))
            raise ValueError(f"{metric} with power={power!r} needs {name} {rule}; {name} holds {low!r}.")


def _prepare(y_true, y_pred, sample_weight, power, metric: str):
    """(xp, y_true (n,), y_pred (n,), weights or None): one output, in the domain of `power`."""
    check_param("power", power, [Interval(Real, None, None)])
    if 0 < power < 1:
        raise ValueError(f"power={power!r} should be <= 0 or >= 1: no Tweedie distribution has a power in (0, 1).")
    xp, yt, yp, w = prepare_numeric(y_true, y_pred, sample_weight)
    if yt.shape[1] != 1:
        raise ValueError(f"{metric} takes a single output; y_true and y_pred have shape {tuple(yt.shape)}, with "
                         f"{yt.shape[1]} outputs. Score each column on its own.")
    yt, yp = yt[:, 0], yp[:, 0]
    _check_domain(xp, yt, yp, float(power), metric)
    return xp, yt, yp, w


def mean_tweedie_deviance(y_true: Any, y_pred: Any, *, sample_weight: Any = None, power: float = 0) -> float:
    """The (weighted) mean Tweedie deviance of power p: a loss for predictions of a mean, >= 0, best at 0.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    sample_weight : array-like of shape (n_samples,), optional
    power : float, default=0
        p <= 0 or p >= 1. 0: the squared error (normal); 1: Poisson (y_true >= 0, y_pred > 0); 1 < p < 2: compound
        Poisson-gamma (y_true >= 0, y_pred > 0); 2: gamma; 3: inverse Gaussian (p >= 2: y_true > 0, y_pred > 0);
        p < 0: y_pred > 0.

    Returns
    -------
    float
    """
    xp, yt, yp, w = _prepare(y_true, y_pred, sample_weight, power, "mean_tweedie_deviance")
    return float(weighted_mean(xp, unit_deviance(xp, yt, yp, float(power)), w))


def mean_poisson_deviance(y_true: Any, y_pred: Any, *, sample_weight: Any = None) -> float:
    """The mean Poisson deviance, `mean_tweedie_deviance` with power=1: y_true >= 0 (counts), y_pred > 0.

    Parameters as in `mean_tweedie_deviance`.
    """
    xp, yt, yp, w = _prepare(y_true, y_pred, sample_weight, 1.0, "mean_poisson_deviance")
    return float(weighted_mean(xp, unit_deviance(xp, yt, yp, 1.0), w))


def mean_gamma_deviance(y_true: Any, y_pred: Any, *, sample_weight: Any = None) -> float:
    """The mean gamma deviance, `mean_tweedie_deviance` with power=2: y_true > 0, y_pred > 0. It depends on the
    ratios y_pred / y_true only, so it weighs relative errors.

    Parameters as in `mean_tweedie_deviance`.
    """
    xp, yt, yp, w = _prepare(y_true, y_pred, sample_weight, 2.0, "mean_gamma_deviance")
    return float(weighted_mean(xp, unit_deviance(xp, yt, yp, 2.0), w))


def d2_tweedie_score(y_true: Any, y_pred: Any, *, sample_weight: Any = None, power: float = 0) -> float:
    """D² of the Tweedie deviance: the fraction of the deviance of the (weighted) mean of y_true that the predictions
    explain; 1 is perfect, 0 no better than that constant, and it can be negative. R² for power=0.

    Parameters as in `mean_tweedie_deviance`.

    Returns
    -------
    float. Fewer than two samples give NaN, with a warning.
    """
    xp, yt, yp, w = _prepare(y_true, y_pred, sample_weight, power, "d2_tweedie_score")
    if yt.shape[0] < 2:
        warn(f"D² is undefined with fewer than two samples; got {yt.shape[0]}. It is set to NaN.",
             UndefinedMetricWarning)
        return float("nan")
    return deviance_explained(xp, yt, yp, w, float(power))
