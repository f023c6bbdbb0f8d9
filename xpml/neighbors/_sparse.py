"""Nearest neighbours among sparse training points: euclidean and cosine distances from sparse products.

The training points Y stay sparse (a CSR); each block of c queries Q is made dense, (c, p). The ranking
key is the same as for dense points, from one sparse product per block:

    euclidean:  ‖y‖² - 2 q·y  (= d² - ‖q‖²),        cosine:  -q̂·ŷ  (= d - 1),

with Y Qᵀ (n, c) computed by the CSR. The m candidates of each query are then measured exactly as
d² = ‖q‖² + ‖y‖² - 2 q·y (scikit-learn's form for sparse data), where each q·y sums the products of
the candidate's stored values with the query's entries in their columns: a gather and a scatter-add
over the candidates' stored values, so no candidate is made dense.
"""

from __future__ import annotations

from ..utils._csr import take_rows
from ..utils._scatter import scatter_add

__all__ = ["sparse_exact_distances", "sparse_fit_key", "sparse_ranking_key"]


def _unit(xp, Q):
    norms = xp.sqrt(xp.sum(Q * Q, axis=-1, keepdims=True))  # (c, 1)
    return Q / xp.where(norms == 0, xp.ones_like(norms), norms)


def sparse_fit_key(xp, Y, metric: str):
    """What the ranking needs from the training points Y (n, p) CSR: ‖y‖² (n,), or the unit rows ŷ (CSR)."""
    squared = Y.row_squared_norms()  # (n,)
    if metric == "euclidean":
        return squared
    norms = xp.sqrt(squared)
    return Y.scale_rows(1.0 / xp.where(norms == 0, xp.ones_like(norms), norms))  # (n, p) ŷ, zero rows stay 0


def sparse_ranking_key(xp, Y, key, Q, metric: str):
    """(c, n): a key that orders the training points as their distance to each dense query of Q (c, p)."""
    if metric == "euclidean":
        return key[None, :] - 2 * (Y @ Q.T).T  # ‖y‖² - 2 q·y
    return -(key @ _unit(xp, Q).T).T  # -q̂·ŷ


def sparse_exact_distances(xp, Y, key, Q, candidates, metric: str):
    """(c, m): squared euclidean or cosine distances from each query of Q (c, p) to its m candidates."""
    c, m = candidates.shape
    p = Q.shape[1]
    flat = xp.reshape(candidates, (-1,))  # (c m,)
    rows = take_rows(Y if metric == "euclidean" else key, flat)  # (c m, p) CSR: candidate i of query i // m
    pair = rows.rows()  # (nnz,) the (query, candidate) pair of each stored value
    source = xp.reshape(Q if metric == "euclidean" else _unit(xp, Q), (-1,))  # (c p,)
    where = xp.astype(pair // m, xp.int64) * p + xp.astype(rows.indices, xp.int64)  # (nnz,) its query's entry
    dots = xp.reshape(scatter_add(rows.data * xp.take(source, where), pair, c * m, xp=xp), (c, m))  # q·y
    if metric == "cosine":
        return xp.clip(1 - dots, 0.0, 2.0)
    y_squared = xp.reshape(xp.take(key, flat), (c, m))
    return xp.clip(xp.sum(Q * Q, axis=1)[:, None] + y_squared - 2 * dots, min=0.0)
