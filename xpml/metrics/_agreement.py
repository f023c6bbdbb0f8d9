"""Scores of agreement read off the confusion matrix: balanced accuracy, Matthews' correlation, Cohen's kappa.

With C the (weighted) confusion matrix of k classes, rows the truth and columns the predictions,
t = C 1 its row sums, p = Cᵀ1 its column sums and N = Σ C:

    balanced accuracy = (1/k') Σ_c C_cc / t_c  over the k' classes with t_c > 0;
        adjusted: (score - 1/k') / (1 - 1/k'), so that chance scores 0 and a perfect score 1.
    MCC = (N tr C - t·p) / √((N² - p·p)(N² - t·t))   (0 where a factor of the denominator is 0).
    κ = 1 - Σ W ⊙ C / Σ W ⊙ E,  E = t pᵀ / N the counts expected by chance, and the disagreement
        weights W_ij = [i ≠ j] (none), |i - j| ("linear") or (i - j)² ("quadratic").

References: Brodersen et al., The balanced accuracy and its posterior distribution, ICPR (2010);
B. W. Matthews, Biochimica et Biophysica Acta 405 (1975) 442-451; J. Gorodkin, Computational Biology
and Chemistry 28 (2004) 367-374 (the multiclass MCC); J. Cohen, Psychological Bulletin 70 (1968) 213-220.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

from ..exceptions import UndefinedMetricWarning
from ..utils._lazy import materialize
from ..utils._param_validation import Interval, Options, check_param
from ..utils._warnings import warn
from ._classification import confusion_counts

__all__ = ["balanced_accuracy_score", "cohen_kappa_score", "matthews_corrcoef"]


def _float_confusion(arrays: dict, labels: Any, sample_weight: Any):
    """(xp, C, t, p): the confusion matrix as floats (k, k), its row sums t (k,) and column sums p (k,)."""
    enc, C = confusion_counts(arrays, labels, sample_weight)
    xp = enc.xp
    C = xp.astype(materialize(enc.backend, C)[0], enc.backend.float_dtype)  # dask: the one pass over the data
    return xp, C, xp.sum(C, axis=1), xp.sum(C, axis=0)


def balanced_accuracy_score(y_true: Any, y_pred: Any, *, sample_weight: Any = None, adjusted: bool = False) -> float:
    """The mean over classes of their recall: accuracy in which each class counts alike.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    sample_weight : array-like of shape (n_samples,), optional
    adjusted : bool, default=False
        Rescale so that a prediction at chance level scores 0 (a perfect one still scores 1).

    Returns
    -------
    float
        Classes predicted but absent from y_true (no recall) are left out, with a warning. With
        `adjusted` and a single class left, NaN.
    """
    check_param("adjusted", adjusted, ["boolean"])
    xp, C, t, _ = _float_confusion({"y_true": y_true, "y_pred": y_pred}, None, sample_weight)
    present = t > 0  # (k,) classes with a recall
    recall = xp.linalg.diagonal(C) / xp.where(present, t, xp.ones_like(t))  # (k,)
    n_present = int(xp.sum(xp.astype(present, xp.int32)))
    if n_present == 0:
        raise ValueError("sample_weight gives every sample of y_true a weight of 0: balanced_accuracy_score needs at "
                         "least one sample of positive weight.")
    if n_present < C.shape[0]:
        warn("y_pred contains classes not in y_true: they have no recall and are left out of the balanced "
             "accuracy.", UserWarning)
    score = float(xp.sum(xp.where(present, recall, xp.zeros_like(recall)))) / n_present
    if not adjusted:
        return score
    if n_present == 1:
        warn("The adjusted balanced accuracy is undefined (NaN) with a single class in y_true: chance and a "
             "perfect prediction then score alike.", UndefinedMetricWarning)
        return float("nan")
    chance = 1 / n_present
    return (score - chance) / (1 - chance)


def matthews_corrcoef(y_true: Any, y_pred: Any, *, sample_weight: Any = None) -> float:
    """Matthews' correlation coefficient (the phi coefficient, and its multiclass extension R_K).

    From -1 (binary: always wrong) through 0 (no better than chance) to +1 (always right).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    sample_weight : array-like of shape (n_samples,), optional

    Returns
    -------
    float
        0.0 where y_true or y_pred holds a single class (the denominator is 0).
    """
    xp, C, t, p = _float_confusion({"y_true": y_true, "y_pred": y_pred}, None, sample_weight)
    n = xp.sum(t)
    cov_tp = xp.sum(xp.linalg.diagonal(C)) * n - xp.sum(t * p)
    cov_pp, cov_tt = n * n - xp.sum(p * p), n * n - xp.sum(t * t)
    cov_tp, denominator = float(cov_tp), float(cov_pp * cov_tt)
    return 0.0 if denominator == 0 else cov_tp / denominator**0.5


def cohen_kappa_score(y1: Any, y2: Any, *, labels: Any = None, weights: str | None = None, sample_weight: Any = None,
                      replace_undefined_by: float = float("nan")) -> float:
    """Cohen's kappa: the agreement of two labelings beyond the agreement expected by chance.

    Parameters
    ----------
    y1, y2 : array-like of shape (n_samples,)
        The labels of two annotators (the score is symmetric in them).
    labels : array-like of shape (n_classes,), optional
        The classes to score, in order (which matters for the weighted kappa); samples of other classes
        are left out. By default, every label present, sorted.
    weights : {None, "linear", "quadratic"}, default=None
        The cost of a disagreement between classes i and j: 1, |i - j| or (i - j)².
    sample_weight : array-like of shape (n_samples,), optional
    replace_undefined_by : float in [-1, 1] or nan, default=nan
        The score where kappa is 0 / 0: no sample of `labels` in both labelings, or a single class in common.

    Returns
    -------
    float
    """
    check_param("weights", weights, [None, Options({"linear", "quadratic"})])
    if replace_undefined_by == replace_undefined_by:  # nan passes
        check_param("replace_undefined_by", replace_undefined_by, [Interval(Real, -1, 1, closed="both")])
    xp, C, t, p = _float_confusion({"y1": y1, "y2": y2}, labels, sample_weight)
    n = xp.sum(t)
    if float(n) == 0:
        warn(f"y1 and y2 have no sample of labels in common: Cohen's kappa is undefined and set to "
             f"replace_undefined_by={replace_undefined_by}.", UndefinedMetricWarning)
        return replace_undefined_by
    expected = t[:, None] * p[None, :] / n  # (k, k) counts expected if the labelings were independent
    classes = xp.arange(C.shape[0], device=C.device)
    gap = xp.astype(classes[:, None] - classes[None, :], C.dtype)  # (k, k) i - j
    W = {None: xp.astype(gap != 0, C.dtype), "linear": xp.abs(gap), "quadratic": gap * gap}[weights]
    observed, chance = float(xp.sum(W * C)), float(xp.sum(W * expected))
    if chance == 0:
        warn(f"y1, y2 and labels have a single class in common: Cohen's kappa is undefined and set to "
             f"replace_undefined_by={replace_undefined_by}.", UndefinedMetricWarning)
        return replace_undefined_by
    return 1 - observed / chance
