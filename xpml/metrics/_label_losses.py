"""Losses and overlaps of predicted labels: the zero-one loss, the Hamming loss and the Jaccard index.

With weights sᵢ (1 by default), for labels yᵢ and predictions ŷᵢ:

    zero-one loss = Σ sᵢ [yᵢ ≠ ŷᵢ] / Σ sᵢ  (or the weighted count of errors, unnormalized),
    Hamming loss  = Σ sᵢ [yᵢ ≠ ŷᵢ] / Σ sᵢ  (the same, for one label per sample),
    Jaccard_c     = tp_c / (true_c + pred_c - tp_c), the size of the intersection of the samples of
                    class c and those predicted as c over the size of their union,

the counts tp_c, true_c, pred_c, and the averages over classes, being those of precision and recall
(`class_counts`). A 0/0 becomes `zero_division`.

Reference: P. Jaccard, Bulletin de la Société Vaudoise des Sciences Naturelles 37 (1901) 547-579.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

from ._classification import _divide, _nan_average, class_counts, label_fraction

__all__ = ["hamming_loss", "jaccard_score", "zero_one_loss"]


def zero_one_loss(y_true: Any, y_pred: Any, *, normalize: bool = True, sample_weight: Any = None) -> float:
    """The fraction (or, with `normalize=False`, the weighted count) of samples predicted wrongly: 1 - accuracy.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    normalize : bool, default=True
    sample_weight : array-like of shape (n_samples,), optional
    """
    return label_fraction(y_true, y_pred, sample_weight, normalize=normalize, matching=False)


def hamming_loss(y_true: Any, y_pred: Any, *, sample_weight: Any = None) -> float:
    """The (weighted) fraction of labels predicted wrongly; with one label per sample, the zero-one loss.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    sample_weight : array-like of shape (n_samples,), optional
    """
    return label_fraction(y_true, y_pred, sample_weight, normalize=True, matching=False, per_label=True)


def jaccard_score(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = 1, average: str | None = "binary",
                  sample_weight: Any = None, zero_division: Any = "warn"):
    """The Jaccard index tp / (tp + fp + fn) of each class, or averaged over classes.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : array-like, optional
        The classes to score, in order (with `average` other than "binary"); by default every label present.
    pos_label : int, float, bool or str, default=1
        The positive class, with `average="binary"`.
    average : {"binary", "micro", "macro", "weighted", None}, default="binary"
        As in `precision_recall_fscore_support`; None gives the index of each class.
    sample_weight : array-like of shape (n_samples,), optional
    zero_division : {"warn", 0.0, 1.0}, default="warn"
        The index of a class neither present nor predicted (0 / 0); "warn" warns and gives 0.

    Returns
    -------
    float, or an array of shape (n_labels,) with average=None.
    """
    if not (isinstance(zero_division, str) and zero_division == "warn" or isinstance(zero_division, Real)
            and not isinstance(zero_division, bool) and zero_division in (0, 1)):
        raise ValueError(f'zero_division={zero_division!r} should be "warn", 0.0 or 1.0.')
    xp, dtype, tp, true_sum, pred_sum = class_counts(y_true, y_pred, labels, pos_label, average, sample_weight)
    tp, true_sum, pred_sum = (xp.astype(a, dtype) for a in (tp, true_sum, pred_sum))
    jaccard = _divide(xp, tp, true_sum + pred_sum - tp, zero_division, "Jaccard", "true or predicted", True)
    if average is None:
        return jaccard
    return _nan_average(xp, jaccard, true_sum if average == "weighted" else None)
