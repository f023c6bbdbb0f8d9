"""The ROC curve and the area under it (ROC AUC), for binary and multiclass scores.

Sort the samples by decreasing score. Lowering a threshold through the distinct scores, the
(weighted) counts of positives and negatives above it are cumulative sums in that order:
tpr = tp / P and fpr = fp / N trace the ROC curve from (0, 0) to (1, 1), and its area, by the
trapezoidal rule, is the probability that a random positive scores above a random negative (ties
count half). Multiclass AUC averages binary ones: one class against the rest ("ovr"), or each pair
of classes against each other ("ovo", Hand & Till 2001). The counts at each threshold
(`threshold_counts`) also make the precision-recall curve (`_curves`).

References: T. Fawcett, An introduction to ROC analysis, Pattern Recognition Letters 27 (2006);
D. J. Hand and R. J. Till, Machine Learning 45 (2001) 171-186.
"""

from __future__ import annotations

from itertools import combinations
from numbers import Real
from typing import Any

from ..exceptions import UndefinedMetricWarning
from ..utils._host import as_host
from ..utils._lazy import is_lazy
from ..utils._param_validation import Interval, Options, check_param
from ..utils._warnings import warn
from ..utils.validation import check_consistent_length
from ._common import check_weights, encode_labels, metric_backend, to_float

__all__ = ["auc", "roc_auc_score", "roc_curve"]


def auc(x: Any, y: Any) -> float:
    """The area under a curve through points (x, y) with monotonic x, by the trapezoidal rule."""
    backend = metric_backend(x, y)
    xp = backend.xp
    x, y = to_float(x, backend, "x"), to_float(y, backend, "y")
    if x.ndim != 1 or x.shape != y.shape or x.shape[0] < 2:
        raise ValueError(f"x and y should be 1-D of the same length >= 2; got shapes {tuple(x.shape)} and "
                         f"{tuple(y.shape)}.")
    dx = x[1:] - x[:-1]
    direction = 1.0
    if bool(xp.any(dx < 0)):
        if not bool(xp.all(dx <= 0)):
            raise ValueError("x should be increasing or decreasing; it is neither.")
        direction = -1.0
    return direction * float(xp.sum(dx * (y[1:] + y[:-1])) / 2)


def _positive(y_true: Any, pos_label: Any, backend) -> Any:
    """y_true == pos_label as a floating 0/1 array on `backend`; pos_label None means 1 in {0, 1} or {-1, 1}."""
    enc = encode_labels({"y_true": y_true}, backend=backend)
    classes = enc.host_classes()
    if pos_label is None:
        if not (set(classes) <= {0, 1} or set(classes) <= {-1, 1}):
            raise ValueError(f"y_true takes values in {classes} and pos_label is not given: make y_true take values "
                             f"in {{0, 1}} or {{-1, 1}}, or pass pos_label.")
        pos_label = 1
    xp = backend.xp
    code = classes.index(pos_label) if pos_label in classes else -1
    return xp.astype(enc.codes[0] == code, backend.float_dtype)


def _cumulative_counts(y, score, w):
    """At each distinct score, from the highest down: false and true positives above it, and the score."""
    xp = metric_backend(score).xp
    if w is not None:  # zero weights create no thresholds
        keep = w != 0
        y, score, w = y[keep], score[keep], w[keep]
    order = xp.argsort(score, descending=True, stable=True)  # (n,)
    score, y = xp.take(score, order), xp.take(y, order)
    last = xp.nonzero(score[1:] != score[:-1])[0]  # the last sample of each run of equal scores
    ends = xp.concat([last, xp.asarray([score.shape[0] - 1], dtype=last.dtype, device=last.device)])  # (t,)
    if w is None:
        tps = xp.take(xp.cumulative_sum(y), ends)  # (t,)
        fps = xp.astype(ends, y.dtype) + 1 - tps
    else:
        w = xp.take(w, order)
        tps = xp.take(xp.cumulative_sum(y * w), ends)
        fps = xp.take(xp.cumulative_sum((1 - y) * w), ends)
    return fps, tps, xp.take(score, ends)


def _score_1d(y_score: Any, backend, name: str = "y_score"):
    s = to_float(y_score, backend, name)
    if s.ndim == 2 and s.shape[1] == 1:
        s = s[:, 0]
    if s.ndim != 1:
        raise ValueError(f"{name} should have shape (n_samples,) for binary labels; got {tuple(s.shape)}. "
                         f"For predict_proba output, pass the positive class's column, y_score[:, 1].")
    return s


def threshold_counts(y_true: Any, y_score: Any, pos_label: Any, sample_weight: Any, curve: str, area: str):
    """(xp, fps, tps, thresholds) of a binary curve: the false and true positives above each distinct score,
    from the highest down, (t,) each, and those scores. `curve` names the function, and `area` the one that
    computes its summary on dask, for the message that refuses dask."""
    check_consistent_length(y_true=y_true, y_score=y_score, sample_weight=sample_weight)
    backend = metric_backend(y_score, y_true)
    if is_lazy(backend):
        raise ValueError(f"{curve} gives a point for each distinct score, as many as the samples: on "
                         f"backend={backend.name!r} they would be gathered into one process, which xpml never does "
                         f"silently. Use {area} for its summary, or compute the curve of arrays in memory "
                         f"(y_true.compute(), y_score.compute()).")
    score = _score_1d(y_score, backend)
    y = _positive(y_true, pos_label, backend)
    return (backend.xp,) + _cumulative_counts(y, score, check_weights(sample_weight, backend, y.shape[0]))


def roc_curve(y_true: Any, y_score: Any, *, pos_label: Any = None, sample_weight: Any = None,
              drop_intermediate: bool = True):
    """The receiver operating characteristic curve of binary labels and scores.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_score : array-like of shape (n_samples,)
        Scores, higher for the positive class (probabilities or decision values).
    pos_label : int, float, bool or str, optional
        The positive class; by default 1, with labels in {0, 1} or {-1, 1}.
    sample_weight : array-like of shape (n_samples,), optional
    drop_intermediate : bool, default=True
        Leave out thresholds where the curve runs straight on (they change no area).

    Returns
    -------
    fpr, tpr : arrays of shape (n_thresholds,), from 0 to 1
    thresholds : array of shape (n_thresholds,), decreasing; the first is +inf (nothing positive).
    """
    xp, fps, tps, thresholds = threshold_counts(y_true, y_score, pos_label, sample_weight, "roc_curve",
                                                "roc_auc_score")
    if drop_intermediate and fps.shape[0] > 2:
        bend = (fps[2:] - 2 * fps[1:-1] + fps[:-2] != 0) | (tps[2:] - 2 * tps[1:-1] + tps[:-2] != 0)
        true = xp.ones(1, dtype=xp.bool, device=bend.device)
        keep = xp.concat([true, bend, true])  # (t,) the first, the last, and every corner
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    zero = xp.zeros(1, dtype=fps.dtype, device=fps.device)
    fps, tps = xp.concat([zero, fps]), xp.concat([zero, tps])
    thresholds = xp.concat([xp.full(1, float("inf"), dtype=thresholds.dtype, device=fps.device), thresholds])
    rates = []
    for counts, kind in ((fps, "negative"), (tps, "positive")):
        if float(counts[-1]) <= 0:
            warn(f"No {kind} samples in y_true: the {'false' if kind == 'negative' else 'true'} positive "
                 f"rate is undefined (NaN).", UndefinedMetricWarning)
            rates.append(xp.full(counts.shape, float("nan"), dtype=counts.dtype, device=counts.device))
        else:
            rates.append(counts / counts[-1])
    return rates[0], rates[1], thresholds


def _curve_points(y, score, w):
    """False and true positives above each sample's score, in order of decreasing score: (n,), (n,).

    Each is read at the end of its run of equal scores, so ties give repeated points (which add no
    area) instead of a staircase. Unlike `_cumulative_counts`, every shape is fixed by n, which
    spares a compiling backend (jax) a new program for every new number of distinct scores.
    """
    xp = metric_backend(score).xp
    order = xp.argsort(score, descending=True, stable=True)  # (n,)
    s = xp.take(score, order)
    positive = xp.take(y if w is None else y * w, order)
    negative = xp.take(1 - y if w is None else (1 - y) * w, order)
    ends = xp.searchsorted(-s, -s, side="right") - 1  # (n,) last position of each sample's run of ties
    return xp.take(xp.cumulative_sum(negative), ends), xp.take(xp.cumulative_sum(positive), ends)


def _binary_auc(y, score, w, max_fpr: float | None = None) -> float:
    """ROC AUC of 0/1 labels y; NaN, with a warning, when y holds one class only."""
    xp = metric_backend(score).xp
    n_pos = xp.sum(y if w is None else y * w)
    n_all = xp.sum(xp.ones_like(y) if w is None else w)
    if float(n_pos) == 0 or float(n_pos) == float(n_all):
        warn("Only one class is present in y_true. ROC AUC score is not defined in that case.",
             UndefinedMetricWarning)
        return float("nan")
    fps, tps = _curve_points(y, score, w)
    zero = xp.zeros(1, dtype=fps.dtype, device=fps.device)
    fpr, tpr = xp.concat([zero, fps]) / fps[-1], xp.concat([zero, tps]) / tps[-1]
    if max_fpr is None or max_fpr == 1:
        return float(xp.sum((fpr[1:] - fpr[:-1]) * (tpr[1:] + tpr[:-1])) / 2)
    # The area up to fpr = max_fpr (the curve cut there by linear interpolation), then McClish's
    # correction, which maps a random ranking to 0.5 and a perfect one to 1.
    stop = int(xp.searchsorted(fpr, xp.asarray(max_fpr, dtype=fpr.dtype, device=fpr.device), side="right"))
    x0, x1, y0, y1 = (float(v) for v in (fpr[stop - 1], fpr[stop], tpr[stop - 1], tpr[stop]))
    y_cut = y0 + (y1 - y0) * (max_fpr - x0) / (x1 - x0)
    partial = float(xp.sum((fpr[1:stop] - fpr[: stop - 1]) * (tpr[1:stop] + tpr[: stop - 1])) / 2)
    partial += (max_fpr - x0) * (y0 + y_cut) / 2
    min_area, max_area = max_fpr**2 / 2, max_fpr
    return 0.5 * (1 + (partial - min_area) / (max_area - min_area))


def roc_auc_score(y_true: Any, y_score: Any, *, average: str | None = "macro", sample_weight: Any = None,
                  max_fpr: float | None = None, multi_class: str = "raise", labels: Any = None):
    """The area under the ROC curve.

    The scores are sorted: on dask, by dask's argsort, which brings each column of scores into one task.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Binary: the score of the larger label. Multiclass: probabilities of the classes (rows sum to 1),
        in the sorted order of the labels.
    average : {"macro", "weighted", "micro", None}, default="macro"
        Multiclass: how the binary AUCs combine ("micro" pools every class, with "ovr" only).
    sample_weight : array-like of shape (n_samples,), optional
    max_fpr : float in (0, 1], optional
        Binary only: the standardized partial AUC up to this false positive rate.
    multi_class : {"raise", "ovr", "ovo"}, default="raise"
        Multiclass: one class against the rest, or each pair of classes.
    labels : array-like of shape (n_classes,), optional
        Multiclass: the sorted labels of the columns of y_score.

    Returns
    -------
    float, or an array of shape (n_classes,) with multiclass "ovr" and average=None.
        NaN, with an UndefinedMetricWarning, when y_true holds one class only.
    """
    check_param("average", average, [None, Options({"micro", "macro", "weighted"})])
    check_param("multi_class", multi_class, [Options({"raise", "ovr", "ovo"})])
    check_param("max_fpr", max_fpr, [None, Interval(Real, 0, 1, closed="right")])
    check_consistent_length(y_true=y_true, y_score=y_score, sample_weight=sample_weight)
    backend = metric_backend(y_score, y_true)
    score = to_float(y_score, backend, "y_score")
    enc = encode_labels({"y_true": y_true}, backend=backend)
    w = check_weights(sample_weight, backend, score.shape[0])
    if enc.n_present > 2 or (score.ndim == 2 and score.shape[1] > 2):
        if max_fpr not in (None, 1):
            raise ValueError(f"max_fpr={max_fpr!r}: the partial AUC is for binary labels only; leave max_fpr=None.")
        if multi_class == "raise":
            raise ValueError("y_true holds more than 2 classes: choose multi_class='ovr' or 'ovo'.")
        return _multiclass_auc(y_true, score, w, labels, multi_class, average, backend)
    y = backend.xp.astype(enc.codes[0] == enc.n_present - 1, backend.float_dtype)  # the larger label is positive
    return _binary_auc(y, _score_1d(score, backend), w, max_fpr)



def score_classes(y_true, n_scored: int, labels, backend):
    """y_true encoded against the `n_scored` classes that y_score scores, in its columns: `labels`, or those of
    y_true, sorted."""
    if labels is None:
        enc = encode_labels({"y_true": y_true}, backend=backend)
        if enc.n_present != n_scored:
            raise ValueError(f"y_true holds {enc.n_present} classes but y_score scores {n_scored}; pass the "
                             f"classes that y_score scores through labels.")
        return enc
    labels = as_host(labels).reshape(-1).tolist()
    if len(set(labels)) != len(labels) or labels != sorted(labels):
        raise ValueError(f"labels should be unique and sorted; got {labels}.")
    if len(labels) != n_scored:
        raise ValueError(f"labels has {len(labels)} classes but y_score scores {n_scored}.")
    enc = encode_labels({"y_true": y_true}, labels, backend=backend)
    if enc.classes.shape[0] > len(labels):
        raise ValueError(f"y_true holds labels that are not in labels={labels}.")
    return enc


def _multiclass_auc(y_true, score, w, labels, multi_class: str, average, backend):
    """One-vs-rest or one-vs-one AUC of multiclass probabilities score (n_samples, n_classes)."""
    xp = backend.xp
    if score.ndim != 2:
        raise ValueError(f"y_score should have shape (n_samples, n_classes) for multiclass y_true; got "
                         f"{tuple(score.shape)}.")
    if not bool(xp.all(xp.abs(xp.sum(score, axis=1) - 1) <= 1e-8 + 1e-5)):
        raise ValueError("For multiclass ROC AUC, y_score should hold probabilities: each row should sum to 1.")
    if multi_class == "ovo" and average not in ("macro", "weighted"):
        raise ValueError(f"average={average!r} is not available with multi_class='ovo'; use 'macro' or 'weighted'.")
    codes = score_classes(y_true, score.shape[1], labels, backend).codes[0]  # (n,)
    k = score.shape[1]
    if multi_class == "ovo":
        if w is not None:
            raise ValueError("sample_weight is not supported with multi_class='ovo'; leave it None.")
        present = as_host(xp.unique_values(codes)).tolist()
        scores, prevalence = [], []
        for a, b in combinations(present, 2):
            pair = xp.astype((codes == a) | (codes == b), score.dtype)  # (n,) weight 1 for samples of either class
            is_a, is_b = xp.astype(codes == a, score.dtype), xp.astype(codes == b, score.dtype)
            scores.append((_binary_auc(is_a, score[:, a], pair) + _binary_auc(is_b, score[:, b], pair)) / 2)
            prevalence.append(float(xp.mean(pair)))
        if average == "weighted":
            return sum(s * p for s, p in zip(scores, prevalence)) / sum(prevalence)
        return sum(scores) / len(scores)
    Y = xp.astype(codes[:, None] == xp.arange(k, device=codes.device)[None, :], score.dtype)  # (n, k) one-hot
    if average == "micro":
        w_all = None if w is None else xp.reshape(xp.broadcast_to(w[:, None], Y.shape), (-1,))
        return _binary_auc(xp.reshape(Y, (-1,)), xp.reshape(score, (-1,)), w_all)
    aucs = [_binary_auc(Y[:, c], score[:, c], w) for c in range(k)]
    if average is None:
        return xp.asarray(aucs, dtype=score.dtype, device=score.device)
    if average == "macro":
        return sum(aucs) / k
    support = as_host(xp.sum(Y if w is None else Y * w[:, None], axis=0)).tolist()  # (k,) weight of each class
    if abs(sum(support)) <= 1e-8:
        return 0.0
    return sum((a if s != 0 else 0.0) * s for a, s in zip(aucs, support)) / sum(support)
