"""The Brier score of predicted probabilities, and the hinge loss of decision values.

Brier score: with tᵢ the one-hot row of sample i's class and p̂ᵢ its predicted probabilities (k classes; a
1-D array is the positive class's, p̂ᵢ = (1 - pᵢ, pᵢ)),

    B = Σᵢ sᵢ ‖tᵢ - p̂ᵢ‖² / Σᵢ sᵢ,   halved ("scale_by_half") by default for two classes, to (yᵢ - pᵢ)²'s mean.

Hinge loss: with the margin mᵢ = yᵢ fᵢ for two classes (yᵢ = ±1, the greater label +1, fᵢ the decision value),
and mᵢ = fᵢ,yᵢ - max_{c≠yᵢ} fᵢ,c for more (Crammer & Singer),

    H = Σᵢ sᵢ max(0, 1 - mᵢ) / Σᵢ sᵢ.

References: G. W. Brier, "Verification of forecasts expressed in terms of probability", Monthly Weather Review
78(1), 1950; K. Crammer & Y. Singer, "On the algorithmic implementation of multiclass kernel-based vector
machines", JMLR 2, 2001.
"""

from __future__ import annotations

from typing import Any

from ..utils._host import as_host
from ..utils._lazy import read_values
from ..utils._warnings import warn
from ..utils.validation import check_consistent_length
from ._common import check_weights, encode_labels, labels_1d, metric_backend, to_float, weighted_mean

__all__ = ["brier_score_loss", "hinge_loss"]


def _positive_label(classes: list, pos_label: Any):
    """scikit-learn's positive class of binary labels: pos_label, else 1 for labels within {-1, 0, 1} that are
    {0, 1}, {-1, 1} or one of them, else the greater label (strings need pos_label)."""
    if pos_label is not None:
        return pos_label
    if classes in ([0, 1], [-1, 1], [0], [1], [-1]):
        return 1
    if not all(isinstance(c, (int, float)) for c in classes):
        raise ValueError(f"y_true takes value in {set(classes)} and pos_label is not specified: either make y_true "
                         f"take value in {{0, 1}} or {{-1, 1}} or pass pos_label explicitly.")
    return classes[-1]


def brier_score_loss(y_true: Any, y_proba: Any, *, sample_weight: Any = None, pos_label: Any = None,
                     labels: Any = None, scale_by_half: Any = "auto") -> float:
    """The mean squared difference between the one-hot true classes and the predicted probabilities.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        The positive class's probability (1-D), or each class's, in the sorted order of the classes.
    sample_weight : array-like of shape (n_samples,), optional
    pos_label : int, float, bool or str, optional
        The positive class with 1-D y_proba: by default 1 for labels in {0, 1} or {-1, 1}, else the greater.
    labels : array-like, optional
        The classes (with 2-D y_proba), when y_true does not hold them all.
    scale_by_half : bool or "auto", default="auto"
        Halve the score; "auto" halves it for two classes (to the binary score's range [0, 1]).

    Returns
    -------
    score : float
    """
    if not (isinstance(scale_by_half, bool) or scale_by_half == "auto"):
        raise ValueError(f"scale_by_half={scale_by_half!r} should be a bool or 'auto'.")
    check_consistent_length(y_true=y_true, y_proba=y_proba, sample_weight=sample_weight)
    backend = metric_backend(y_proba, y_true)
    xp = backend.xp
    P = to_float(y_proba, backend, "y_proba", keep_float=True)
    binary = P.ndim == 1 or P.shape[1] == 1
    given = P  # the probabilities as given, whose range is checked
    y_true = labels_1d(y_true, "y_true")
    if binary:
        P = xp.reshape(P, (-1,))
        enc = encode_labels({"y_true": y_true}, backend=backend)
        classes = enc.host_classes()
        if len(classes) > 2:
            raise ValueError(f"The type of the target inferred from y_true is multiclass (classes {classes}) but "
                             f"should be binary according to the shape of y_proba.")
        positive = _positive_label(classes, pos_label)
        code = classes.index(positive) if positive in classes else -1
        y = xp.astype(enc.codes[0] == code, P.dtype)  # (n,)
        T, P = xp.stack([1 - y, y], axis=1), xp.stack([1 - P, P], axis=1)  # (n, 2) each
    else:
        asked = None if labels is None else sorted(as_host(labels).reshape(-1).tolist())
        enc = encode_labels({"y_true": y_true}, asked, backend=backend)
        classes = enc.host_classes()
        if asked is not None and len(classes) > len(asked):
            raise ValueError(f"y_true contains values {classes[len(asked):]} not belonging to the passed labels "
                             f"{asked}.")
        if len(classes) != P.shape[1]:
            raise ValueError(f"y_true and y_proba contain different numbers of classes: {len(classes)} vs "
                             f"{P.shape[1]}. Please provide the true labels explicitly through the labels argument. "
                             f"Classes found in y_true: {classes}" if asked is None else
                             f"The number of classes in labels is different from that in y_proba ({P.shape[1]}). "
                             f"Classes found in labels: {asked}")
        columns = xp.arange(P.shape[1], device=P.device)
        T = xp.astype(enc.codes[0][:, None] == columns[None, :], P.dtype)  # (n, k) one-hot
    w = check_weights(sample_weight, backend, P.shape[0])
    score = weighted_mean(xp, xp.sum((T - P) ** 2, axis=1), None if w is None else xp.astype(w, P.dtype))
    low, high, off, score = (float(v) for v in read_values(backend, xp.min(given), xp.max(given),
                                                             xp.max(xp.abs(xp.sum(P, axis=1) - 1)), score))
    if high > 1:
        raise ValueError(f"y_proba contains values greater than 1: {high}")
    if low < 0:
        raise ValueError(f"y_proba contains values lower than 0: {low}")
    if not binary and not off <= xp.finfo(P.dtype).eps ** 0.5:
        warn("The y_prob values do not sum to one. Make sure to pass probabilities.", UserWarning)
    if scale_by_half == "auto":
        scale_by_half = P.shape[1] < 3
    return 0.5 * score if scale_by_half else score


def hinge_loss(y_true: Any, pred_decision: Any, *, labels: Any = None, sample_weight: Any = None) -> float:
    """The mean hinge loss max(0, 1 - margin) of decision values (binary, or Crammer-Singer's multiclass).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Two classes: the greater is the positive one (+1), the other -1.
    pred_decision : array-like of shape (n_samples,) or (n_samples, n_classes)
        The decision values (`decision_function`), one column per class in sorted order for more than 2.
    labels : array-like, optional
        The classes (more than 2), when y_true does not hold them all.
    sample_weight : array-like of shape (n_samples,), optional

    Returns
    -------
    loss : float
    """
    check_consistent_length(y_true=y_true, pred_decision=pred_decision, sample_weight=sample_weight)
    backend = metric_backend(pred_decision, y_true)
    xp = backend.xp
    F = to_float(pred_decision, backend, "pred_decision", keep_float=True)
    y_true = labels_1d(y_true, "y_true")
    asked = None if labels is None else sorted(set(as_host(labels).reshape(-1).tolist()))
    enc = encode_labels({"y_true": y_true}, asked, backend=backend)
    classes = enc.host_classes()
    n_classes = len(asked if asked is not None else classes)
    if n_classes > 2:
        if asked is not None and len(classes) > len(asked):
            raise ValueError(f"y_true contains previously unseen labels: {classes[len(asked):]}.")
        if F.ndim == 1 or (F.shape[1] != n_classes and asked is not None):
            raise ValueError(f"The shape of pred_decision is not consistent with the number of classes. With a "
                             f"multiclass target, pred_decision shape must be (n_samples, n_classes), that is "
                             f"({F.shape[0]}, {n_classes}). Got: {tuple(F.shape)}")
        if F.shape[1] != n_classes:
            raise ValueError(f"pred_decision has {F.shape[1]} columns but y_true holds {n_classes} classes: "
                             f"please include all labels in y_true or pass labels as third argument.")
        columns = xp.arange(n_classes, device=F.device)
        own = enc.codes[0][:, None] == columns[None, :]  # (n, k) the true class
        margin = xp.sum(xp.where(own, F, 0.0), axis=1) - xp.max(xp.where(own, -xp.inf, F), axis=1)  # (n,)
    else:
        if F.ndim == 2 and F.shape[1] != 1:
            raise ValueError(f"pred_decision should be 1-D (or a column) for a binary target; got shape "
                             f"{tuple(F.shape)}.")
        F = xp.reshape(F, (-1,))
        enc = encode_labels({"y_true": y_true}, backend=backend)  # the classes of y_true alone, as scikit-learn
        sign = 2.0 * xp.astype(enc.codes[0] == 1, F.dtype) - 1  # (n,) +1 for the greater class, -1 otherwise
        margin = sign * F
    w = check_weights(sample_weight, backend, F.shape[0])
    losses = xp.clip(1 - margin, 0.0, None)  # (n,)
    return float(weighted_mean(xp, losses, None if w is None else xp.astype(w, F.dtype)))
