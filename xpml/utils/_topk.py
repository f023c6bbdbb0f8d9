"""Top-k: the k smallest (or largest) entries of each row, in order, with a fixed rule for ties.

The array API standard has sorting but no selection. Sorting a row of n entries costs O(n log n);
selecting its k smallest costs O(n), which is what a nearest-neighbour search wants: k = 10 out of
n = 100,000 distances per query.

The rule, on every backend: each row's k entries are ordered by value, and among equal values the
one with the lower column index comes first. That is the order of a stable sort cut at k.

How, in three steps:

1. Narrow down (long rows only). Cut each row of n entries into g = n // s interleaved groups of s
   (group j holds columns j, j + g, j + 2g, ...) and take each group's minimum: one cheap pass over
   the row. The k smallest entries of the row lie in the k groups with the smallest minima (an entry
   in any other group has k group minima, each a distinct entry, below it), so only those s·k
   entries (and the n - s·g left over) remain candidates. The k smallest minima are found by the
   same narrowing, one level down, while the row of minima is long enough (16 k or more). Larger
   groups leave fewer minima and more candidates; the least work, measured and modelled, comes at
   s ≈ ∛(n / k), at most 32: a row of 2,000 with k = 19 takes groups of 5, then 3; of 50,000 with
   k = 18 groups of 14, 6, then 3 (2.3 ms for 83 rows, against 2.9 with groups of √(n / k)).
2. Select the k smallest of the candidates (and of the group minima, at the last level), with the
   library's own selection where the backend has the capability "select_smallest", in O(n):
   `argpartition` (numpy, cupy), `torch.topk`, `jax.lax.top_k` (on the negated values). The pure
   array-API path sorts instead (a stable `argsort` cut at k). Selection costs some 6 to 10 ns an
   entry on numpy, gathering the candidates 5, the group minima 0.5: a row of 50,000 leaves ~600
   entries to select, of 2,000 ~250.
3. Settle ties. A selection is free to pick any of the entries tied at the k-th place, so rows where
   more than k entries are <= the k-th value are done again by a stable sort of the whole row (ties
   are rare in floating-point distances); then each row's k are put in (value, index) order. After
   step 1 those entries are counted without another pass over the row: any outside the candidates
   would make its group's minimum <= the k-th value.

Values must not be NaN. Reference: Hoare, "Algorithm 65: Find", CACM 4(7), 1961 (selection).
"""

from __future__ import annotations

from typing import Any

from .._backend import backend_of, capability, device_of, namespace_of
from ._compile import compiled_once

__all__ = ["order_rows", "topk"]

_GROUP = 32  # the most entries per group in step 1


def topk(x: Any, k: int, *, largest: bool = True, xp=None, native: bool = True,
         ordered: bool = True) -> tuple[Any, Any]:
    """The k largest (or smallest) entries of each row of `x`, in order, ties by lower index first.

    Parameters
    ----------
    x : array of shape (n_rows, n)
        Real numbers, no NaN.
    k : int
        How many to keep, 1 <= k <= n.
    largest : bool, default=True
        Keep the largest (sorted descending) or, if False, the smallest (sorted ascending).
    native : bool, default=True
        Select with the library's own O(n) selection where it has one; False forces the sort.
    ordered : bool, default=True
        Put each row's k in order of value; False puts them in index order (the same k entries, a cheaper sort),
        for a caller that orders them by something else (the nearest-neighbour search, by exact distances).

    Returns
    -------
    values : array of shape (n_rows, k)
    indices : array of shape (n_rows, k), of the default index dtype
        `values[i, j] == x[i, indices[i, j]]`.
    """
    _check_k(x, k)
    xp = namespace_of(x) if xp is None else xp
    key = -x if largest else x  # the k smallest of -x are the k largest of x, with the same ties
    smallest = capability(backend_of(x), "select_smallest") if native else None
    # steps 1 and 2 as one compiled call where the backend compiles (jax: 89 ms for 1,024 rows of 50,000, against
    # 154 eagerly)
    narrow_and_select = compiled_once(_narrow_and_select, backend_of(x), ("k", "smallest"))
    indices = _settle_ties(key, *narrow_and_select(key, k=k, smallest=smallest), ordered=ordered)
    return _along_rows(x, indices), indices


def _check_k(x: Any, k: int) -> None:
    if x.ndim != 2:
        raise ValueError(f"x should be a 2-D array of shape (n_rows, n); got shape {tuple(x.shape)}.")
    if not 1 <= k <= x.shape[1]:
        raise ValueError(f"k={k} should be >= 1 and <= the row length {x.shape[1]}.")


def _index_dtype(xp, x):
    return xp.__array_namespace_info__().default_dtypes(device=device_of(x))["indexing"]


def _narrow_and_select(x: Any, k: int, smallest=None) -> tuple[Any, Any]:
    """Steps 1 and 2: column indices (n_rows, k) of k smallest entries of each row, in any order, and
    for each row whether a tie straddles the k-th place (more than k entries <= the k-th value). `smallest`: the
    library's selection (the capability "select_smallest"), or None to sort."""
    xp = namespace_of(x)
    select = _select_sorted if smallest is None else (lambda v, m: _select_native(v, m, smallest))
    if _group_size(x.shape[1], k) is None:  # too short to be worth narrowing down
        indices = select(x, k)
        kth = xp.max(_along_rows(x, indices), axis=1)  # (rows,)
        return indices, xp.count_nonzero(x <= kth[:, None], axis=1) > k
    columns, candidates, minima, groups = _group_candidates(x, k, select)  # (rows, m) each; (rows, g); (rows, k)
    chosen = select(candidates, k)  # (rows, k), positions in `columns`
    kth = xp.max(_along_rows(candidates, chosen), axis=1)[:, None]  # (rows, 1)
    # An entry <= kth outside the candidates lies in a group left out whose minimum is <= kth.
    left_out = (xp.count_nonzero(minima <= kth, axis=1)
                - xp.count_nonzero(_along_rows(minima, groups) <= kth, axis=1))  # (rows,)
    crossing = xp.count_nonzero(candidates <= kth, axis=1) + left_out > k
    return _along_rows(columns, chosen), crossing


def _group_size(n: int, k: int) -> int | None:
    """Entries per group of step 1 for rows of n entries: about ∛(n / k), at most `_GROUP`; None below 3 (n < 16 k),
    where the groups would save little."""
    size = min(_GROUP, round((n / k) ** (1 / 3)))
    return size if size >= 3 else None


def _group_candidates(x: Any, k: int, select) -> tuple[Any, Any, Any, Any]:
    """Step 1: the candidate columns (rows, m) of each row of x (rows, n) and their entries (rows, m), with the group
    minima (rows, g) and the k groups of the smallest minima (rows, k), found by `_k_smallest`."""
    xp = namespace_of(x)
    (rows, n), size = x.shape, _group_size(x.shape[1], k)
    g = n // size
    minima = xp.min(xp.reshape(x[:, :g * size], (rows, size, g)), axis=1)  # (rows, g); [:, i, j] is column j + i g
    groups = _k_smallest(minima, k, select)  # (rows, k): the groups with the k smallest minima
    offsets = g * xp.arange(size, dtype=groups.dtype, device=device_of(x))  # (s,)
    columns = xp.reshape(groups[:, :, None] + offsets, (rows, k * size))  # (rows, s k)
    if n > g * size:  # the columns left over are always candidates
        rest = xp.arange(g * size, n, dtype=groups.dtype, device=device_of(x))
        columns = xp.concat([columns, xp.broadcast_to(rest, (rows, rest.shape[0]))], axis=1)
    return columns, _along_rows(x, columns), minima, groups


def _k_smallest(x: Any, k: int, select) -> Any:
    """Column indices (rows, k) of k smallest entries of each row of x (rows, n), in any order, ties broken any way:
    `select`, after narrowing down where the rows are long enough."""
    if _group_size(x.shape[1], k) is None:
        return select(x, k)
    columns, candidates, _, _ = _group_candidates(x, k, select)  # (rows, m) each
    return _along_rows(columns, select(candidates, k))


def _select_sorted(x: Any, k: int) -> Any:
    """The pure array-API selection: a stable sort of each row, cut at k. (n_rows, k) indices."""
    xp = namespace_of(x)
    return xp.astype(xp.argsort(x, axis=1, stable=True)[:, :k], _index_dtype(xp, x))


def _select_native(x: Any, k: int, smallest) -> Any:
    """k smallest of each row by the library's own O(n) selection, in no particular order. (n_rows, k)."""
    xp = namespace_of(x)
    return xp.astype(smallest(x, k), _index_dtype(xp, x))


def _settle_ties(x: Any, indices: Any, crossing: Any, ordered: bool = True) -> Any:
    """Step 3: redo the rows where a tie straddles the k-th place by a stable sort; order every row by value (if
    `ordered`), else by index."""
    xp = namespace_of(x)
    if bool(xp.any(crossing)):
        exact = _select_sorted(xp.take(x, xp.nonzero(crossing)[0], axis=0), indices.shape[1])  # (n_crossing, k)
        position = xp.cumulative_sum(xp.astype(crossing, indices.dtype)) - 1  # (n_rows,): row's place in exact
        redone = xp.take(exact, xp.clip(position, 0, None), axis=0)  # (n_rows, k)
        indices = xp.where(crossing[:, None], redone, indices)
    if ordered:
        _, indices = order_rows(_along_rows(x, indices), indices)
        return indices
    return xp.sort(indices, axis=1)


def order_rows(values: Any, indices: Any) -> tuple[Any, Any]:
    """Reorder each row's (value, index) pairs by value, then by index. Both of shape (n_rows, k)."""
    xp = namespace_of(values, indices)
    by_index = xp.argsort(indices, axis=1)  # (n_rows, k): indices in a row are distinct
    values, indices = _along_rows(values, by_index), _along_rows(indices, by_index)
    by_value = xp.argsort(values, axis=1, stable=True)  # equal values keep the index order
    return _along_rows(values, by_value), _along_rows(indices, by_value)


def _along_rows(x: Any, indices: Any) -> Any:
    """x[i, indices[i, j]] (n_rows, m) for x (n_rows, n): the standard's `take_along_axis`, as one gather from x
    flattened (numpy's take_along_axis builds a 2-D index, 3 times slower: 1.3 ms for (500, 296) of (500, 5000))."""
    xp = namespace_of(x, indices)
    rows, n = x.shape
    flat = indices + n * xp.arange(rows, dtype=indices.dtype, device=device_of(x))[:, None]  # (rows, m)
    return xp.reshape(xp.take(xp.reshape(x, (-1,)), xp.reshape(flat, (-1,))), indices.shape)
