"""The precision-recall curve and average precision, for binary and multiclass scores.

Lowering a threshold through the distinct scores, from the highest down, the (weighted) true and
false positives above it, tp and fp, are cumulative sums in the order of the scores (the counts of
the ROC curve, `threshold_counts`). At each threshold

    precision = tp / (tp + fp)  (0 where nothing is above it),  recall = tp / P,

P the total weight of the positives. Average precision sums the precision at each threshold,
weighted by the recall it adds: AP = Σₙ (Rₙ - Rₙ₋₁) Pₙ, a step function's integral with no
interpolation between points. Multiclass y_true is scored one class against the rest, and the
per-class values averaged ("macro", "weighted" by support), or pooled ("micro"), or averaged over
samples ("samples": with a single positive per sample, 1 / the number of classes scored at least
as high as the true one).

Reference: C. D. Manning, P. Raghavan and H. Schütze, Introduction to Information Retrieval (2008),
sections 8.4 and 8.7.
"""

from __future__ import annotations

from typing import Any

from ..utils._host import as_host
from ..utils._param_validation import Options, check_param
from ..utils._warnings import warn
from ..utils.validation import check_consistent_length
from ._common import check_weights, encode_labels, metric_backend, to_float, weighted_mean
from ._ranking import _curve_points, _score_1d, threshold_counts

__all__ = ["average_precision_score", "precision_recall_curve"]


def _warn_no_positive() -> None:
    warn("No positive samples in y_true: recall is undefined, and set to 1 at every threshold.", UserWarning)


def precision_recall_curve(y_true: Any, y_score: Any, *, pos_label: Any = None, sample_weight: Any = None,
                           drop_intermediate: bool = False):
    """Precision and recall of binary labels at each threshold of the scores.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_score : array-like of shape (n_samples,)
        Scores, higher for the positive class (probabilities or decision values).
    pos_label : int, float, bool or str, optional
        The positive class; by default 1, with labels in {0, 1} or {-1, 1}.
    sample_weight : array-like of shape (n_samples,), optional
    drop_intermediate : bool, default=False
        Leave out thresholds where the true positives do not change on either side (the points
        between the two ends of a run of equal recall).

    Returns
    -------
    precision, recall : arrays of shape (n_thresholds + 1,)
        In order of increasing threshold, recall decreasing; the last point is (precision 1, recall 0).
    thresholds : array of shape (n_thresholds,), increasing
        The distinct scores (those kept).
    """
    check_param("drop_intermediate", drop_intermediate, ["boolean"])
    xp, fps, tps, thresholds = threshold_counts(y_true, y_score, pos_label, sample_weight, "precision_recall_curve",
                                                "average_precision_score")
    if drop_intermediate and fps.shape[0] > 2:
        turns = (tps[1:-1] != tps[:-2]) | (tps[2:] != tps[1:-1])  # (t - 2,) recall changes on one side
        true = xp.ones(1, dtype=xp.bool, device=turns.device)
        keep = xp.concat([true, turns, true])
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    above = tps + fps  # (t,) total weight above each threshold
    nonzero = above != 0
    precision = xp.where(nonzero, tps / xp.where(nonzero, above, xp.ones_like(above)), xp.zeros_like(tps))
    if float(tps[-1]) == 0:
        _warn_no_positive()
        recall = xp.ones_like(tps)
    else:
        recall = tps / tps[-1]
    one, zero = xp.ones(1, dtype=tps.dtype, device=tps.device), xp.zeros(1, dtype=tps.dtype, device=tps.device)
    return xp.concat([xp.flip(precision), one]), xp.concat([xp.flip(recall), zero]), xp.flip(thresholds)


def _binary_average_precision(y, score, w) -> float:
    """AP of 0/1 labels y (n,) and scores (n,); 0.0, with a warning, when no sample is positive."""
    xp = metric_backend(score).xp
    fps, tps = _curve_points(y, score, w)  # (n,), (n,): counts at each sample's threshold, ties repeated
    positives = float(tps[-1])
    if positives == 0:
        _warn_no_positive()
        return 0.0
    added = tps - xp.concat([xp.zeros(1, dtype=tps.dtype, device=tps.device), tps[:-1]])  # (n,) 0 inside a tie run
    above = tps + fps
    precision = tps / xp.where(above == 0, xp.ones_like(above), above)  # (n,) added is 0 where above is
    return max(0.0, float(xp.sum(added * precision)) / positives)


def average_precision_score(y_true: Any, y_score: Any, *, average: str | None = "macro", pos_label: Any = 1,
                            sample_weight: Any = None):
    """Average precision: the precision at each threshold, weighted by the recall it adds.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Binary y_true (at most two labels): scores of the class `pos_label`, shape (n_samples,).
        Multiclass y_true: a score for each class, in the sorted order of its labels.
    average : {"macro", "weighted", "micro", "samples", None}, default="macro"
        Multiclass only: how the per-class values combine ("micro" pools every class and sample,
        "samples" averages over samples). Binary y_true gives a single value whatever it is.
    pos_label : int, float, bool or str, default=1
        The positive class of binary y_true; multiclass y_true takes only 1, its default.
    sample_weight : array-like of shape (n_samples,), optional

    Returns
    -------
    float, or an array of shape (n_classes,) with multiclass y_true and average=None.
    """
    check_param("average", average, [None, Options({"micro", "macro", "weighted", "samples"})])
    check_consistent_length(y_true=y_true, y_score=y_score, sample_weight=sample_weight)
    backend = metric_backend(y_score, y_true)
    xp = backend.xp
    enc = encode_labels({"y_true": y_true}, backend=backend)
    present = enc.host_classes()
    w = check_weights(sample_weight, backend, enc.codes[0].shape[0])
    if enc.n_present <= 2:
        if enc.n_present == 2 and pos_label not in present:
            raise ValueError(f"pos_label={pos_label!r} is not a valid label: it should be one of {present}.")
        code = present.index(pos_label) if pos_label in present else -1
        y = xp.astype(enc.codes[0] == code, backend.float_dtype)
        return _binary_average_precision(y, _score_1d(y_score, backend), w)
    if pos_label != 1:
        raise ValueError(f"pos_label={pos_label!r} applies to binary y_true only; y_true holds {enc.n_present} "
                         f"classes, each scored against the rest in turn: leave pos_label=1.")
    score = to_float(y_score, backend, "y_score")
    k = enc.n_present
    if score.ndim != 2 or score.shape[1] != k:
        raise ValueError(f"y_score should have shape (n_samples, n_classes) = (n_samples, {k}) for y_true of {k} "
                         f"classes; got {tuple(score.shape)}.")
    Y = xp.astype(enc.codes[0][:, None] == xp.arange(k, device=score.device)[None, :], score.dtype)  # (n, k) one-hot
    if average == "micro":
        w_all = None if w is None else xp.reshape(xp.broadcast_to(w[:, None], Y.shape), (-1,))
        return _binary_average_precision(xp.reshape(Y, (-1,)), xp.reshape(score, (-1,)), w_all)
    if average == "samples":  # one positive per row: AP = 1 / #{classes scored >= the true class}
        true_score = xp.sum(Y * score, axis=1, keepdims=True)  # (n, 1)
        rank = xp.sum(xp.astype(score >= true_score, score.dtype), axis=1)  # (n,)
        return float(weighted_mean(xp, 1 / rank, w))
    aps = [_binary_average_precision(Y[:, c], score[:, c], w) for c in range(k)]
    if average is None:
        return xp.asarray(aps, dtype=score.dtype, device=score.device)
    if average == "macro":
        return sum(aps) / k
    support = as_host(xp.sum(Y if w is None else Y * w[:, None], axis=0)).tolist()  # (k,) weight of each class
    if abs(sum(support)) <= 1e-8:
        return 0.0
    return sum(a * s for a, s in zip(aps, support) if s != 0) / sum(support)
