"""The brute-force neighbour search of `_base` when the training points or the queries are sparse (a `CSR`).

Only the metrics with a product form are computed on sparse data, as for text features:

    euclidean  ‖x - y‖² = ‖x‖² - 2 x·y + ‖y‖²
    cosine     1 - cos(x, y) = 1 - x̂·ŷ,  x̂ = x / ‖x‖ (a zero row stays zero)

(any other metric makes sparse input dense at validation, `NeighborsBase._accepts_sparse`). The
products x·y of a block of queries with every training point are one CSR product: Xb @ Yᵀ for
sparse queries and dense points, (Y @ Xbᵀ)ᵀ for sparse points, the query block made dense first
when both are sparse (its rows are few enough for `_BLOCK_BYTES`). The k smallest keys of each
row are the neighbours, and the distances come from the same products, as scikit-learn computes
them on sparse data: no exact refinement from the differences (which would make the neighbours'
rows dense), so a duplicate point lies at about √ε · ‖x‖ rather than exactly 0.
"""

from __future__ import annotations

from typing import Any

from ..utils._csr import is_csr
from ..utils._topk import order_rows, topk

__all__ = ["SPARSE_METRICS", "fit_sparse_points", "query_rows", "sparse_kneighbors_block"]

SPARSE_METRICS = ("euclidean", "cosine")


def unit_rows(xp, X) -> Any:
    """X with each row scaled to unit length (zero rows stay zero), dense or CSR."""
    norms = xp.sqrt(X.row_squared_norms() if is_csr(X) else xp.sum(X * X, axis=1))  # (n,)
    inverse = 1 / xp.where(norms == 0, xp.ones_like(norms), norms)
    return X.scale_rows(inverse) if is_csr(X) else X * inverse[:, None]


def fit_sparse_points(estimator, X) -> None:
    """What the search keeps of the training points (n, p) for a sparse search: ‖y‖² or the unit rows."""
    xp = estimator._xp
    if estimator._metric == "euclidean":
        estimator._fit_key = X.row_squared_norms() if is_csr(X) else xp.sum(X * X, axis=1)  # (n,)
    else:
        estimator._fit_key = unit_rows(xp, X)  # (n, p)


def _point_keys(estimator) -> Any:
    """‖y‖² (n,) or the unit rows (n, p) of the training points: kept at fit if they are sparse, else (dense
    points met by sparse queries) computed here."""
    Y = estimator._fit_X
    if is_csr(Y):
        return estimator._fit_key
    xp = estimator._xp
    return xp.sum(Y * Y, axis=1) if estimator._metric == "euclidean" else unit_rows(xp, Y)


def query_rows(X, rows: slice) -> Any:
    """The queries `rows` of X, dense or CSR."""
    return X.row_block(rows.start, rows.stop) if is_csr(X) else X[rows, :]


def _products(Xb, Y) -> Any:
    """Xb @ Yᵀ (c, n), for queries Xb (c, p) and points Y (n, p), either or both sparse."""
    if not is_csr(Y):
        return Xb @ Y.T
    dense_b = Xb.toarray() if is_csr(Xb) else Xb  # (c, p)
    return (Y @ dense_b.T).T


def sparse_kneighbors_block(estimator, Xb, k: int):
    """Distances (c, k) and indices (c, k) of the k nearest training points to each query of a block."""
    xp = estimator._xp
    if estimator._metric == "euclidean":
        y_sq = _point_keys(estimator)  # (n,)
        key = y_sq - 2 * _products(Xb, estimator._fit_X)  # (c, n): ‖x - y‖² - ‖x‖²
        keys, candidates = topk(key, k, largest=False)  # (c, k)
        x_sq = Xb.row_squared_norms() if is_csr(Xb) else xp.sum(Xb * Xb, axis=1)  # (c,)
        distances, indices = order_rows(xp.clip(keys + x_sq[:, None], min=0.0), candidates)
        return xp.sqrt(distances), indices
    key = -_products(unit_rows(xp, Xb), _point_keys(estimator))  # (c, n): -cos = d - 1
    keys, candidates = topk(key, k, largest=False)  # (c, k)
    return order_rows(xp.clip(1 + keys, 0.0, 2.0), candidates)
