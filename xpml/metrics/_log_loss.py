"""Log loss (cross-entropy) of predicted class probabilities.

For true classes yᵢ and predicted probabilities p̂ᵢ,c (clipped to [eps, 1 - eps], eps of their
floating dtype, so that a confident mistake costs a large but finite amount):

    L = -Σᵢ sᵢ log p̂ᵢ,yᵢ / Σᵢ sᵢ.

Reference: C. M. Bishop, Pattern Recognition and Machine Learning (2006), section 4.3.4.
"""

from __future__ import annotations

from typing import Any

from ..utils._lazy import read_values
from ..utils._warnings import warn
from ..utils.validation import check_consistent_length
from ._common import (
    check_weights,
    encode_labels,
    metric_backend,
    to_float,
    weighted_mean,
)

__all__ = ["log_loss"]


def log_loss(y_true: Any, y_proba: Any = None, *, normalize: bool = True, sample_weight: Any = None,
             labels: Any = None, y_pred: Any = "deprecated") -> float:
    """The cross-entropy -Σᵢ sᵢ log p̂ᵢ,yᵢ (averaged over samples with `normalize`).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_proba : array-like of shape (n_samples, n_classes) or (n_samples,)
        Probabilities of the classes in sorted order; a 1-D array is the probability of the larger
        of two classes. They are clipped to [eps, 1 - eps], eps of their floating dtype.
    normalize : bool, default=True
    sample_weight : array-like of shape (n_samples,), optional
    labels : array-like, optional
        The classes, when y_true does not hold them all.
    y_pred : array-like, deprecated
        The former name of y_proba (scikit-learn renamed it): accepted with a FutureWarning.
    """
    if not (isinstance(y_pred, str) and y_pred == "deprecated"):
        if y_proba is not None:
            raise ValueError("log_loss got both y_proba and its former name y_pred; pass y_proba only.")
        warn("log_loss's y_pred was renamed y_proba; pass y_proba.", FutureWarning)
        y_proba = y_pred
    if y_proba is None:
        raise TypeError("log_loss needs y_proba, the predicted probabilities.")
    check_consistent_length(y_true=y_true, y_proba=y_proba, sample_weight=sample_weight)
    backend = metric_backend(y_proba, y_true)
    xp = backend.xp
    P = to_float(y_proba, backend, "y_proba", keep_float=True)
    asked = None
    if labels is not None:
        asked = sorted(labels)
        if list(labels) != asked:
            warn(f"labels={list(labels)!r} are not sorted; the columns of y_proba are taken to be the "
                 f"classes in sorted order, {asked!r}.", UserWarning)
    enc = encode_labels({"y_true": y_true}, asked, backend=backend)
    classes = enc.host_classes()
    if asked is not None and len(classes) > len(asked):
        raise ValueError(f"y_true holds labels {classes[len(asked):]} that are not in labels={asked!r}.")
    if len(classes) < 2:
        raise ValueError(f"y_true holds a single label ({classes[0]!r}); pass every class through the labels "
                         f"argument." if asked is None else f"labels should hold at least two labels; got {asked!r}.")
    P = xp.reshape(P, (-1, 1)) if P.ndim == 1 else P
    P = xp.concat([1 - P, P], axis=1) if P.shape[1] == 1 else P  # (n, k)
    if P.shape[1] != len(classes):
        raise ValueError(f"y_proba has {P.shape[1]} columns but there are {len(classes)} classes ({classes}); "
                         f"pass the classes through the labels argument.")
    eps = xp.finfo(P.dtype).eps
    columns = xp.arange(P.shape[1], device=P.device)
    hit = enc.codes[0][:, None] == columns[None, :]  # (n, k) one-hot of the true class
    loss = -xp.sum(xp.where(hit, xp.log(xp.clip(P, eps, 1 - eps)), xp.zeros_like(P)), axis=1)  # (n,)
    w = check_weights(sample_weight, backend, loss.shape[0])
    total = weighted_mean(xp, loss, w) if normalize else xp.sum(loss if w is None else loss * xp.astype(w, loss.dtype))
    # The checks and the loss read together: one pass over the data on dask.
    low, high, off, total = (float(v) for v in read_values(backend, xp.min(P), xp.max(P),
                                                             xp.max(xp.abs(xp.sum(P, axis=1) - 1)), total))
    if high > 1 or low < 0:
        raise ValueError(f"y_proba should hold probabilities in [0, 1]; got values from {low} to {high}.")
    if not off <= eps**0.5:
        warn("The rows of y_proba do not sum to one. Make sure to pass probabilities.", UserWarning)
    return total
