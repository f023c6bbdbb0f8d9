"""Classification metrics: accuracy, the confusion matrix, precision, recall, F-scores and log loss.

Labels of any type are encoded as class indices (`encode_labels`); then every count is one
`bincount` on the backend of the inputs. For each class c, with weights sᵢ (1 by default):

    tp_c = Σ sᵢ [yᵢ = c and ŷᵢ = c],  true_c = Σ sᵢ [yᵢ = c],  pred_c = Σ sᵢ [ŷᵢ = c]
    precision_c = tp_c / pred_c,  recall_c = tp_c / true_c,
    F_β,c = (1 + β²) tp_c / (β² true_c + pred_c).

`average` combines classes: "binary" reports the class `pos_label` only, "micro" sums the counts
over classes first, "macro" takes the plain mean of the per-class scores, "weighted" their mean
weighted by support (true_c). A 0/0 becomes `zero_division` (and "warn" warns, then uses 0).
The counts (`class_counts`) and the confusion matrix (`confusion_counts`) also serve the Jaccard
index (`_label_losses`) and the scores of agreement (`_agreement`).

Reference: Manning, Raghavan & Schütze, Introduction to Information Retrieval (2008), section 13.6.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

from ..exceptions import UndefinedMetricWarning
from ..utils._bincount import bincount
from ..utils._lazy import materialize
from ..utils._param_validation import Interval, Options, check_param
from ..utils._warnings import warn
from ..utils.validation import check_consistent_length
from .._backend import dtype_name, to_backend
from ..utils._host import as_host, is_numeric, unique_labels
from ._common import check_weights, check_whole, encode_labels, labels_1d, metric_backend, to_float, weighted_mean

__all__ = ["accuracy_score", "confusion_matrix", "f1_score", "fbeta_score", "precision_recall_fscore_support",
           "precision_score", "recall_score"]

AVERAGES = (None, "binary", "micro", "macro", "weighted")


def _check_zero_division(zero_division: Any) -> float:
    """The value a 0/0 takes: "warn" and 0.0 give 0.0; 1.0 gives 1.0; nan gives nan."""
    if isinstance(zero_division, str) and zero_division == "warn":
        return 0.0
    if isinstance(zero_division, (int, float)) and not isinstance(zero_division, bool):
        if zero_division in (0, 1) or zero_division != zero_division:
            return float(zero_division)
    raise ValueError(f'zero_division={zero_division!r} should be "warn", 0.0, 1.0 or nan.')


def _columns(y: Any) -> int:
    """The number of columns of a 2-D y (several: a multilabel indicator matrix), else 1."""
    shape = tuple(getattr(y, "shape", None) or as_host(y).shape)
    return shape[1] if len(shape) == 2 else 1


def _agreement(y_true: Any, y_pred: Any):
    """(backend, agree): where the labels are equal, a boolean array on the backend of the inputs: (n_samples,), or
    (n_samples, n_labels) for multilabel indicator matrices of 0 and 1."""
    if _columns(y_true) > 1 or _columns(y_pred) > 1:
        backend = metric_backend(y_pred, y_true)
        yt, yp = (to_float(y, backend, name) for name, y in (("y_true", y_true), ("y_pred", y_pred)))
        xp = backend.xp
        if yt.shape != yp.shape or yt.ndim != 2 or not bool(xp.all(((yt == 0) | (yt == 1)) & ((yp == 0) | (yp == 1)))):
            raise ValueError(f"y_true and y_pred should both be labels of shape (n_samples,) or multilabel indicator "
                             f"matrices of 0 and 1 of one shape; got shapes {tuple(yt.shape)} and {tuple(yp.shape)}.")
        return backend, yt == yp
    yt, yp = labels_1d(y_true, "y_true"), labels_1d(y_pred, "y_pred")
    if not (is_numeric(yt) and is_numeric(yp)):  # strings: compared on the host
        unique_labels(yt, yp, names=("y_true", "y_pred"))  # refuses strings against numbers
        return metric_backend(), as_host(yt) == as_host(yp)
    backend = metric_backend(yp, yt)
    xp = backend.xp
    yt, yp = to_backend(yt, backend), to_backend(yp, backend)
    if any(dtype_name(y).startswith(("float", "bfloat")) for y in (yt, yp)):
        yt, yp = xp.astype(yt, backend.float_dtype), xp.astype(yp, backend.float_dtype)
        for name, y in (("y_true", yt), ("y_pred", yp)):
            check_whole(xp, y, name)
    return backend, yt == yp


def accuracy_score(y_true: Any, y_pred: Any, *, normalize: bool = True, sample_weight: Any = None) -> float:
    """The fraction (or, with `normalize=False`, the weighted count) of labels predicted exactly.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    normalize : bool, default=True
    sample_weight : array-like of shape (n_samples,), optional
    """
    return label_fraction(y_true, y_pred, sample_weight, normalize=normalize, matching=True)


def label_fraction(y_true: Any, y_pred: Any, sample_weight: Any, *, normalize: bool, matching: bool,
                   per_label: bool = False) -> float:
    """The (weighted) fraction, or with `normalize=False` the weighted count, of the samples whose labels match
    (`matching`) or differ: accuracy and the zero-one loss. Multilabel rows match when all their labels do (subset
    accuracy), or, with `per_label` (the Hamming loss), by the fraction of their labels that do."""
    check_consistent_length(y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
    backend, agree = _agreement(y_true, y_pred)
    xp = backend.xp
    if agree.ndim == 2:  # multilabel: a row's share of matching labels, or whether all of them match
        share = xp.mean(xp.astype(agree, backend.float_dtype), axis=1) if per_label else xp.astype(
            xp.all(agree, axis=1), backend.float_dtype)
        hit = share if matching else 1.0 - share  # (n_samples,)
    else:
        hit = xp.astype(agree if matching else ~agree, backend.float_dtype)  # (n_samples,)
    w = check_weights(sample_weight, backend, hit.shape[0])
    if normalize:
        return float(weighted_mean(xp, hit, w))
    return float(xp.sum(hit if w is None else hit * w))


def confusion_counts(arrays: dict, labels: Any, sample_weight: Any):
    """(Labels, C): the confusion matrix of {name of the rows: labels, name of the columns: labels}.

    C[i, j] sums the weights of the samples of class i in the first array and class j in the second,
    the classes being `labels` (samples of others left out) or every label present; integer counts
    without weights.
    """
    rows = next(iter(arrays))  # the name of the first array, for the message
    labels = None if labels is None else as_host(labels).reshape(-1)
    if labels is not None and labels.size == 0:
        raise ValueError("labels should contain at least one label; got an empty list.")
    enc = encode_labels(arrays, labels)
    xp, (t, p) = enc.xp, enc.codes
    k = enc.classes.shape[0] if labels is None else labels.size
    if labels is not None and not bool(xp.any(t < k)):
        raise ValueError(f"None of labels={labels.tolist()!r} is in {rows}; at least one should be.")
    w = check_weights(sample_weight, enc.backend, t.shape[0])
    inside = (t < k) & (p < k)  # samples of the classes asked for
    cell = xp.where(inside, t * k + p, k * k)  # (n_samples,) flat index; k*k collects the others
    return enc, xp.reshape(bincount(cell, k * k + 1, w)[: k * k], (k, k))


def confusion_matrix(y_true: Any, y_pred: Any, *, labels: Any = None, sample_weight: Any = None,
                     normalize: str | None = None):
    """C[i, j]: the (weighted) number of samples of true class i predicted as class j.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : array-like of shape (n_classes,), optional
        The classes, in the order of the rows and columns; samples of other classes are left out.
        By default, every label present, sorted.
    sample_weight : array-like of shape (n_samples,), optional
    normalize : {"true", "pred", "all"}, optional
        Divide by the row sums, the column sums or the total.

    Returns
    -------
    C : array of shape (n_classes, n_classes), in the library of the inputs; integer counts
        without weights or normalization.
    """
    check_param("normalize", normalize, [None, Options({"true", "pred", "all"})])
    enc, C = confusion_counts({"y_true": y_true, "y_pred": y_pred}, labels, sample_weight)
    xp, k = enc.xp, C.shape[0]
    if normalize is not None:
        C = xp.astype(C, enc.backend.float_dtype)
        total = {"true": xp.sum(C, axis=1, keepdims=True), "pred": xp.sum(C, axis=0, keepdims=True),
                 "all": xp.sum(C)}[normalize]
        C = xp.where(total == 0, xp.zeros_like(C), C / xp.where(total == 0, xp.ones_like(total), total))
    if k == 1:
        warn("A single label was found in y_true and y_pred. For the confusion matrix to have the "
             "correct shape, pass every known label in the labels parameter.", UserWarning)
    return C


def _warn_undefined(metric: str, modifier: str, n_results: int) -> None:
    where = "due to" if n_results == 1 else "in labels with"
    warn(f"{metric} is ill-defined and being set to 0.0 {where} no {modifier} samples. Use the "
         f"zero_division parameter to control this behavior.", UndefinedMetricWarning)


def _divide(xp, num, den, zero_division, metric: str, modifier: str, warn: bool):
    """num / den, with `zero_division` where den == 0 (and a warning, for "warn")."""
    zero = den == 0
    ratio = num / xp.where(zero, xp.ones_like(den), den)
    if not bool(xp.any(zero)):
        return ratio
    if warn and isinstance(zero_division, str):
        _warn_undefined(metric, modifier, num.shape[0])
    return xp.where(zero, xp.full_like(ratio, _check_zero_division(zero_division)), ratio)


def _nan_average(xp, values, weights) -> float:
    """The (weighted) mean of the entries that are not NaN; all-zero weights count as equal ones."""
    keep = ~xp.isnan(values)
    if values.shape[0] == 0 or not bool(xp.any(keep)):
        return float("nan")
    values = xp.where(keep, values, xp.zeros_like(values))
    w = xp.astype(keep, values.dtype) if weights is None else xp.where(keep, weights, xp.zeros_like(weights))
    if not bool(xp.any(w != 0)):
        w = xp.astype(keep, values.dtype)
    return float(xp.sum(values * w) / xp.sum(w))


def class_counts(y_true: Any, y_pred: Any, labels: Any, pos_label: Any, average: str | None, sample_weight: Any):
    """(xp, float dtype, tp, true_sum, pred_sum): the weighted counts of the classes `average` scores.

    "binary": the class `pos_label` only (counts 0 where it is absent from a single-label input);
    otherwise the classes of `labels` (all labels present by default), summed into one with "micro".
    The counts are integer arrays of shape (n_scored,) without weights, floating ones with.
    """
    check_param("average", average, [None, Options(AVERAGES[1:])])
    check_consistent_length(y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
    enc = encode_labels({"y_pred": y_pred, "y_true": y_true}, None if average == "binary" else labels)
    xp, (p, t) = enc.xp, enc.codes
    k = enc.classes.shape[0]
    w = check_weights(sample_weight, enc.backend, t.shape[0])
    tp = bincount(xp.where(t == p, t, k), k + 1, w)[:k]  # (k,) correct predictions per class
    true_sum, pred_sum = bincount(t, k, w), bincount(p, k, w)  # (k,), (k,)
    tp, true_sum, pred_sum = materialize(enc.backend, tp, true_sum, pred_sum)  # dask: the one pass over the data

    if average == "binary":
        present = enc.host_classes()
        if enc.n_present > 2:
            raise ValueError(f"average='binary' needs binary labels, but y_true and y_pred hold {enc.n_present} "
                             f"classes ({present}); choose average=None, 'micro', 'macro' or 'weighted'.")
        if pos_label in present:
            chosen = [present.index(pos_label)]
        elif enc.n_present == 2:
            raise ValueError(f"pos_label={pos_label!r} is not a valid label: it should be one of {present}.")
        else:  # a single label, not pos_label: the positive class is absent, its counts are 0
            chosen = [k]
            tp, true_sum, pred_sum = (xp.concat([a, xp.zeros(1, dtype=a.dtype, device=a.device)])
                                      for a in (tp, true_sum, pred_sum))
    else:
        if pos_label not in (None, 1):
            warn(f"pos_label={pos_label!r} is ignored when average={average!r} (only 'binary' uses it); "
                 f"pass labels=[pos_label] to score a single class.", UserWarning)
        chosen = list(range(k if labels is None else as_host(labels).size))
    index = xp.asarray(chosen, device=tp.device)
    tp, true_sum, pred_sum = (xp.take(a, index) for a in (tp, true_sum, pred_sum))
    if average == "micro":
        tp, true_sum, pred_sum = (xp.reshape(xp.sum(a), (1,)) for a in (tp, true_sum, pred_sum))
    return xp, enc.backend.float_dtype, tp, true_sum, pred_sum


def precision_recall_fscore_support(
    y_true: Any, y_pred: Any, *, beta: float = 1.0, labels: Any = None, pos_label: Any = 1,
    average: str | None = None, warn_for: tuple = ("precision", "recall", "f-score"),
    sample_weight: Any = None, zero_division: Any = "warn",
):
    """Precision, recall, F-beta score and support of each class, or averaged over classes.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    beta : float, default=1.0
        The weight of recall against precision in the F-score.
    labels : array-like, optional
        The classes to report, in order (with `average` other than "binary"); by default every label present.
    pos_label : int, float, bool or str, default=1
        The positive class, with `average="binary"`.
    average : {None, "binary", "micro", "macro", "weighted"}, default=None
        None gives per-class arrays.
    warn_for : tuple of str
        Which of "precision", "recall", "f-score" warn when undefined (for the single-score functions).
    sample_weight : array-like of shape (n_samples,), optional
    zero_division : {"warn", 0.0, 1.0, nan}, default="warn"

    Returns
    -------
    precision, recall, fbeta : float, or arrays of shape (n_labels,) when average=None
    support : None, or an array of shape (n_labels,) when average=None
    """
    check_param("beta", beta, [Interval(Real, 0, None, closed="left")])
    _check_zero_division(zero_division)
    xp, dtype, tp, true_sum, pred_sum = class_counts(y_true, y_pred, labels, pos_label, average, sample_weight)
    tp_f, true_f, pred_f = (xp.astype(a, dtype) for a in (tp, true_sum, pred_sum))
    precision = _divide(xp, tp_f, pred_f, zero_division, "Precision", "predicted", "precision" in warn_for)
    recall = _divide(xp, tp_f, true_f, zero_division, "Recall", "true", "recall" in warn_for)
    if beta == float("inf"):
        fscore = recall
    elif beta == 0:
        fscore = precision
    else:
        b2 = float(beta) ** 2
        fscore = _divide(xp, (1 + b2) * tp_f, b2 * true_f + pred_f, zero_division, "F-score",
                         "true nor predicted", "f-score" in warn_for)
    if average is None:
        return precision, recall, fscore, true_sum
    weights = true_f if average == "weighted" else None
    return (_nan_average(xp, precision, weights), _nan_average(xp, recall, weights),
            _nan_average(xp, fscore, weights), None)


def _one_score(which: int, warn_for: tuple, y_true, y_pred, **kwargs):
    return precision_recall_fscore_support(y_true, y_pred, warn_for=warn_for, **kwargs)[which]


def precision_score(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = 1, average: str | None = "binary",
                    sample_weight: Any = None, zero_division: Any = "warn"):
    """Precision tp / (tp + fp): of the samples predicted as a class, the fraction that belong to it.

    Parameters as in `precision_recall_fscore_support`. Returns a float, or an array of shape
    (n_labels,) with `average=None`.
    """
    return _one_score(0, ("precision",), y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
                      sample_weight=sample_weight, zero_division=zero_division)


def recall_score(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = 1, average: str | None = "binary",
                 sample_weight: Any = None, zero_division: Any = "warn"):
    """Recall tp / (tp + fn): of the samples of a class, the fraction predicted as it.

    Parameters as in `precision_recall_fscore_support`.
    """
    return _one_score(1, ("recall",), y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
                      sample_weight=sample_weight, zero_division=zero_division)


def fbeta_score(y_true: Any, y_pred: Any, *, beta: float, labels: Any = None, pos_label: Any = 1,
                average: str | None = "binary", sample_weight: Any = None, zero_division: Any = "warn"):
    """The F-beta score (1 + β²) tp / ((1 + β²) tp + β² fn + fp); β > 1 favours recall.

    Parameters as in `precision_recall_fscore_support`.
    """
    return _one_score(2, ("f-score",), y_true, y_pred, beta=beta, labels=labels, pos_label=pos_label,
                      average=average, sample_weight=sample_weight, zero_division=zero_division)


def f1_score(y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = 1, average: str | None = "binary",
             sample_weight: Any = None, zero_division: Any = "warn"):
    """The F1 score 2 tp / (2 tp + fn + fp), the harmonic mean of precision and recall.

    Parameters as in `precision_recall_fscore_support`.
    """
    return fbeta_score(y_true, y_pred, beta=1.0, labels=labels, pos_label=pos_label, average=average,
                       sample_weight=sample_weight, zero_division=zero_division)
