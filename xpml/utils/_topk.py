"""Top-k: the k smallest (or largest) entries of each row, in order, with a fixed rule for ties.

The array API standard has sorting but no selection. Sorting a row of n entries costs O(n log n);
selecting its k smallest costs O(n), which is what a nearest-neighbour search wants: k = 10 out of
n = 100,000 distances per query.

The rule, on every backend: each row's k entries are ordered by value, and among equal values the
one with the lower column index comes first. That is the order of a stable sort cut at k, and the
pure array-API path is exactly that (`xp.argsort(..., stable=True)`). The native paths select in
linear time and then settle ties so that they give the same answer:

- numpy and cupy: `argpartition`, whose choice among values tied at the k-th place is arbitrary;
- torch: `torch.topk`, whose order among ties is unspecified;
- jax: `jax.lax.top_k` (largest first) on the negated values, which already puts the lower index
  first among ties, so it needs no settling (only -0.0, which it ranks below 0.0, is made 0.0).

Settling: after a native selection, the rows where more than k entries are <= the k-th value (a tie
crosses the cut) are redone with the stable sort; then the k chosen of every row are put in
(value, index) order. Ties are rare in floating-point distances, so the repair is cheap.

Values must not be NaN. Reference: Hoare, "Algorithm 65: Find", CACM 4(7), 1961 (selection).
"""

from __future__ import annotations

from typing import Any

import array_api_extra as xpx

from .._backend import backend_of, namespace_of, native_module

__all__ = ["order_rows", "topk"]


def topk(x: Any, k: int, *, largest: bool = True) -> tuple[Any, Any]:
    """The k largest (or smallest) entries of each row of `x`, in order, ties by lower index first.

    Parameters
    ----------
    x : array of shape (n_rows, n)
        Real numbers, no NaN.
    k : int
        How many to keep, 1 <= k <= n.
    largest : bool, default=True
        Keep the largest (sorted descending) or, if False, the smallest (sorted ascending).

    Returns
    -------
    values : array of shape (n_rows, k)
    indices : array of shape (n_rows, k), of the default index dtype
        `values[i, j] == x[i, indices[i, j]]`.
    """
    _check_k(x, k)
    key = -x if largest else x  # the k smallest of -x are the k largest of x, with the same ties
    name = backend_of(x).name
    if name in ("numpy", "cupy", "torch", "jax"):
        indices = _smallest_native(key, k, name)
    else:
        indices = _smallest_sorted(key, k)
    xp = namespace_of(x)
    return xp.take_along_axis(x, indices, axis=1), indices


def _check_k(x: Any, k: int) -> None:
    if x.ndim != 2:
        raise ValueError(f"x should be a 2-D array of shape (n_rows, n); got shape {tuple(x.shape)}.")
    if not 1 <= k <= x.shape[1]:
        raise ValueError(f"k={k} should be >= 1 and <= the row length {x.shape[1]}.")


def _index_dtype(xp, x):
    return xp.__array_namespace_info__().default_dtypes(device=x.device)["indexing"]


def _smallest_sorted(x: Any, k: int) -> Any:
    """The pure array-API path: a stable sort of each row, cut at k. (n_rows, k) indices."""
    xp = namespace_of(x)
    return xp.astype(xp.argsort(x, axis=1, stable=True)[:, :k], _index_dtype(xp, x))


def _smallest_native(x: Any, k: int, name: str) -> Any:
    """The k smallest of each row by the library's own selection, then ties settled. (n_rows, k)."""
    xp = namespace_of(x)
    lib = native_module(backend_of(x))
    if name == "jax":
        # top_k puts the lower index first among ties, as the rule wants, but orders -0.0 before 0.0:
        # adding 0 turns -0.0 into 0.0.
        _, indices = lib.lax.top_k(-x + 0, k)
        return xp.astype(indices, _index_dtype(xp, x))
    if name == "torch":
        indices = lib.topk(x, k, dim=1, largest=False, sorted=False).indices
    elif k < x.shape[1]:  # numpy, cupy
        indices = lib.argpartition(x, k - 1, axis=1)[:, :k]
    else:
        indices = xp.argsort(x, axis=1)
    indices = xp.astype(indices, _index_dtype(xp, x))
    return _settle_ties(x, indices)


def _settle_ties(x: Any, indices: Any) -> Any:
    """Make a selection of the k smallest per row follow the rule: ties at the cut, then order."""
    xp = namespace_of(x)
    k = indices.shape[1]
    kth = xp.max(xp.take_along_axis(x, indices, axis=1), axis=1)  # (n_rows,)
    crossing = xp.count_nonzero(x <= kth[:, None], axis=1) > k  # (n_rows,): a tie straddles the cut
    if bool(xp.any(crossing)):
        rows = xp.nonzero(crossing)[0]
        indices = xpx.at(indices)[rows, :].set(_smallest_sorted(xp.take(x, rows, axis=0), k))
    _, indices = order_rows(xp.take_along_axis(x, indices, axis=1), indices)
    return indices


def order_rows(values: Any, indices: Any) -> tuple[Any, Any]:
    """Reorder each row's (value, index) pairs by value, then by index. Both of shape (n_rows, k)."""
    xp = namespace_of(values, indices)
    by_index = xp.argsort(indices, axis=1)  # (n_rows, k): indices in a row are distinct
    values = xp.take_along_axis(values, by_index, axis=1)
    indices = xp.take_along_axis(indices, by_index, axis=1)
    by_value = xp.argsort(values, axis=1, stable=True)  # equal values keep the index order
    return xp.take_along_axis(values, by_value, axis=1), xp.take_along_axis(indices, by_value, axis=1)
