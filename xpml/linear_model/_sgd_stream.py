"""The SGD objective of one chunk, read when SGD learns from a stream of chunks on dask (`utils/_stream.py`).

After a chunk's `partial_fit`, the model's objective on that chunk, for each of its k columns
(one-vs-rest problems, or the regressor's one), averaged over the columns:

    (Σᵢ sᵢ L(yᵢ, xᵢ·w + b)) / Σᵢ sᵢ + α ((1 - ρ)/2 ‖w‖² + ρ ‖w‖₁)

An epoch's mean of it over the chunks is the stopping criterion of `fit` on dask: numpy's criterion
(the epoch's mean objective), measured at the weights each chunk leaves, while the chunk is in memory.
"""

from __future__ import annotations

from typing import Any

from ..utils._labels import label_indices

__all__ = ["sgd_chunk_loss"]


def sgd_chunk_loss(model: Any, X: Any, y: Any, sample_weight: Any) -> float:
    """The objective of a fitted SGD model (on the chunks' backend) on the chunk X (m, p), y (m,)."""
    xp = model._xp
    W, b = model._coef_as_columns()  # (p, k), (k,)
    P = X @ W + b  # (m, k)
    if hasattr(model, "classes_"):  # ±1 targets of the one-vs-rest problems
        index = model._to_backend(label_indices(y, model.classes_, n_samples=X.shape[0]))  # (m,)
        columns = xp.asarray([1]) if W.shape[1] == 1 else xp.arange(W.shape[1])
        Y = 2.0 * xp.astype(index[:, None] == model._to_backend(columns), P.dtype) - 1.0  # (m, k)
    else:
        Y = xp.reshape(model._to_backend(y, model._dtype), (-1, 1))  # (m, 1)
    w = xp.ones(X.shape[0], dtype=P.dtype) if sample_weight is None else model._to_backend(sample_weight, model._dtype)
    s = model._settings(X.shape[0], stream=True)
    loss = (w @ s.loss.value(xp, Y, P)) / xp.sum(w)  # (k,)
    if s.penalized:
        rho = s.l1_ratio
        loss = loss + s.alpha * ((1 - rho) / 2 * xp.sum(W * W, axis=0) + rho * xp.sum(xp.abs(W), axis=0))
    return float(xp.mean(loss))
