"""Top-k accuracy: how often the true class is among the k classes scored highest.

For a sample of true class t and scores s (one per class), the rank of t is the number of classes
that come before it,

    rank = #{c : s_c > s_t} + #{c > t : s_c = s_t}   (of equal scores, the later class comes first),

and the sample is a hit when rank < k. Top-k accuracy is the (weighted) fraction of hits. Binary
scores (one per sample, of the larger class) predict that class above a threshold, 0.5 for scores
in [0, 1] and 0 otherwise: with k = 1 a hit is a correct prediction; with k >= 2 every sample hits.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

from ..exceptions import UndefinedMetricWarning
from ..utils._host import as_host
from ..utils._param_validation import Interval, check_param
from ..utils._warnings import warn
from ..utils.validation import check_consistent_length
from ._common import check_weights, encode_labels, metric_backend, to_float, weighted_mean
from ._ranking import score_classes

__all__ = ["top_k_accuracy_score"]


def top_k_accuracy_score(y_true: Any, y_score: Any, *, k: int = 2, normalize: bool = True, sample_weight: Any = None,
                         labels: Any = None) -> float:
    """The fraction (or, with `normalize=False`, the weighted count) of samples whose true class is
    among the `k` classes scored highest.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Binary: the score of the larger class. Multiclass: a score for each class (probabilities or
        decision values), in the sorted order of the labels.
    k : int, default=2
        How many of the classes scored highest count as a hit.
    normalize : bool, default=True
    sample_weight : array-like of shape (n_samples,), optional
    labels : array-like of shape (n_classes,), optional
        The sorted classes of the columns of y_score, when y_true does not hold them all.

    Returns
    -------
    float
    """
    check_param("k", k, [Interval(Integral, 1, None, closed="left")])
    check_param("normalize", normalize, ["boolean"])
    check_consistent_length(y_true=y_true, y_score=y_score, sample_weight=sample_weight)
    backend = metric_backend(y_score, y_true)
    xp = backend.xp
    score = to_float(y_score, backend, "y_score")
    n_present = encode_labels({"y_true": y_true}, backend=backend).n_present
    binary = n_present <= 2 and (labels is None or as_host(labels).size <= 2)
    if binary:
        if score.ndim == 2 and score.shape[1] != 1:
            raise ValueError(f"y_true holds {n_present} classes but y_score has shape {tuple(score.shape)}: for "
                             f"binary y_true, pass the scores of the larger class, shape (n_samples,), or the "
                             f"classes of the columns through labels.")
        score = xp.reshape(score, (-1,))
    elif score.ndim != 2:
        raise ValueError(f"y_score should have shape (n_samples, n_classes) for y_true of {n_present} classes; got "
                         f"{tuple(score.shape)}.")
    n_classes = 2 if binary else score.shape[1]
    t = score_classes(y_true, n_classes, labels, backend).codes[0]  # (n,) index of the true class
    if k >= n_classes:
        warn(f"k={k} >= n_classes={n_classes}: every sample is a hit, so the score says nothing.",
             UndefinedMetricWarning)
    if binary:
        if k >= 2:
            hits = xp.ones(score.shape, dtype=xp.bool, device=score.device)
        else:
            threshold = 0.5 if float(xp.min(score)) >= 0 and float(xp.max(score)) <= 1 else 0.0
            hits = xp.astype(score > threshold, t.dtype) == t
    else:
        columns = xp.arange(n_classes, device=score.device)[None, :]  # (1, k)
        true_score = xp.sum(xp.where(columns == t[:, None], score, xp.zeros_like(score)), axis=1)[:, None]  # (n, 1)
        before = (score > true_score) | ((score == true_score) & (columns > t[:, None]))  # (n, k)
        hits = xp.sum(xp.astype(before, t.dtype), axis=1) < k  # (n,)
    hits = xp.astype(hits, score.dtype)
    w = check_weights(sample_weight, backend, hits.shape[0])
    if normalize:
        return float(weighted_mean(xp, hits, w))
    return float(xp.sum(hits if w is None else hits * w))
