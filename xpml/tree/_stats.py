"""The statistics a tree grows from, one row per sample: a classifier's weighted one-hot classes, a regressor's
(w, w y, w y²), each with 1 where the weight is nonzero (the samples a leaf holds); their sums over a node's rows
give its impurity, so the root's, every node's parts, must stay where the split search can square them."""

from __future__ import annotations

from .._backend import dtype_name
from ..utils._class_weight import compute_class_weight
from ..utils._errstate import float_errors_ignored
from ..utils.validation import check_sample_weight

__all__ = ["class_stats", "regression_stats"]


def _checked_weights(est, sample_weight, n):
    if est.monotonic_cst is not None:
        raise ValueError(f"monotonic_cst={est.monotonic_cst!r}: monotonicity constraints are not supported; use None.")
    return check_sample_weight(sample_weight, est._backend, n_samples=n, dtype=est._dtype)  # (n,)


def class_stats(est, y_index, sample_weight):
    """(stats (n, 1 + C), weights (n,)) of a classifier's samples: 1 where the weight is nonzero, then each
    sample's weight (times its class's weight) in its class's column."""
    xp = est._xp
    w = _checked_weights(est, sample_weight, y_index.shape[0])
    class_w = compute_class_weight(est.class_weight, classes=est.classes_, y_indices=y_index,
                                   sample_weight=None if sample_weight is None else w)
    w = w * xp.take(est._to_backend(class_w, dtype=est._dtype), y_index)  # (n,)
    classes = xp.arange(len(est.classes_), dtype=y_index.dtype, device=est._device)
    Y = xp.astype(y_index[:, None] == classes, w.dtype) * w[:, None]  # (n, C) weighted one-hot
    return _finite_sums(xp, xp.concat([xp.astype(w != 0, w.dtype)[:, None], Y], axis=1), Y.shape[1]), w


def regression_stats(est, y, sample_weight):
    """(stats (n, 4), weights (n,)) of a regressor's samples: (1 where the weight is nonzero, w, w y, w y²)."""
    xp = est._xp
    w = _checked_weights(est, sample_weight, y.shape[0])
    with float_errors_ignored():  # an overflow is refused below, by name
        stats = xp.stack([xp.astype(w != 0, w.dtype), w, w * y, w * y * y], axis=1)
    return _finite_sums(xp, stats, 2), w  # Σ w and Σ w y


def _finite_sums(xp, stats, squared: int):
    """`stats`, once their sums over all samples (the root's statistics, of which every node's are parts) are
    finite, and the first `squared` of them (past the count), which the split search squares, below the square
    root of the largest float: else every impurity is NaN, and the tree grows without end or not at all."""
    limit = xp.finfo(stats.dtype).max ** 0.5
    with float_errors_ignored():
        sums = xp.abs(xp.sum(stats, axis=0))
        top = float(xp.max(sums[1:1 + squared]))
        finite = bool(xp.all(xp.isfinite(sums)))
    if not (finite and top < limit):
        raise ValueError(f"y and sample_weight are so large that the tree's weighted sums overflow "
                         f"{dtype_name(stats)} or reach {top:.3g}, whose square does (they should stay below "
                         f"{limit:.3g}); scale y or sample_weight down.")
    return stats
