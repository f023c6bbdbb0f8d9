"""Weighted scatter-add into many bins: out[j] = Σ_{i : index[i] = j} weights[i] · values[i, :].

The random splits of extra trees (`xpml.tree._random_splits`) sum, for every node of a level at once,
a statistic (the weights) of the samples on the left of each of its candidate splits (values[i, s] =
1 where sample i is on the left of candidate s, else 0): n rows of a few numbers into thousands of
bins (the nodes). On the host, where the library has the product of a sparse matrix (numpy and torch
on a CPU, through scipy: capability "csr_matmul"), with O (n, n_bins) the matrix of the weights at
(i, index[i]), one nonzero a row, out = Oᵀ @ values: n · d multiply-adds in the rows' order, with no
(n, d) product of the weights made first (torch's `index_add_` of that product took 1.5 times as
long; numpy has no scatter-add, and `scatter_add`'s portable one-hot product costs n · n_bins · d).
A small sum (n · d up to 2**15, a few columns) is d weighted bincounts instead: scipy takes about 85 µs
to set a product up, a bincount 4. Elsewhere (an accelerator, or a library that compiles each shape),
`xpml.utils._scatter.scatter_add` of the rows times their weights: a native scatter-add (torch's
`index_add_`, jax's `segment_sum`, cupy's `add.at`), or the portable one-hot product.

The sums are taken row after row, as a bincount takes them: in float64, the same sums to the last bit.
tests/test_scatter_rows.py checks the paths against one another.
"""

from __future__ import annotations

from typing import Any

from .._backend import backend_of, capability, compiles_per_shape, device_of, namespace_of, on_accelerator
from ._scatter import scatter_add

__all__ = ["scatter_rows"]

SMALL = 2**15  # values: a sum at most this large is d bincounts, which cost less than setting a sparse product up


def scatter_rows(values: Any, index: Any, n_bins: int, *, weights: Any = None, xp=None, native: bool = True) -> Any:
    """Sum the rows of `values` that share an index, each times its weight.

    Parameters
    ----------
    values : floating array of shape (n, d)
    index : integer array of shape (n,), in any order, every value in [0, n_bins)
    n_bins : int
    weights : floating array of shape (n,), optional
        Each row's factor (None: 1), of the values' dtype.
    native : bool, default=True
        Use the library's own scatter-add or sparse product where it has one; False forces the array-API version.

    Returns
    -------
    out : array of shape (n_bins, d), of the dtype and on the device of `values`

    Examples
    --------
    >>> import numpy as np
    >>> scatter_rows(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), np.array([2, 0, 2]), 3).tolist()
    [[3.0, 4.0], [0.0, 0.0], [6.0, 8.0]]
    >>> scatter_rows(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1, 1]), 2, weights=np.array([2.0, 0.5])).tolist()
    [[0.0, 0.0], [3.5, 6.0]]
    """
    xp = namespace_of(values) if xp is None else xp
    backend = backend_of(values)
    on_host = not (on_accelerator(backend) or compiles_per_shape(backend))
    sparse_product = capability(backend, "csr_matmul") if native and on_host else None
    if sparse_product is None:
        return scatter_add(values if weights is None else weights[:, None] * values, index, n_bins, xp=xp,
                           native=native)
    (n, d), device = values.shape, device_of(values)
    count = capability(backend, "bincount")
    if count is not None and n * d <= SMALL and d <= 8:  # each column's weighted count, in the rows' order too
        w = xp.ones(n, dtype=values.dtype, device=device) if weights is None else weights
        return xp.stack([xp.astype(count(index, n_bins, w * values[:, j]), values.dtype) for j in range(d)], axis=1)
    indptr = xp.arange(n + 1, dtype=index.dtype, device=device)  # (n + 1,): row i holds one entry, at index[i]
    data = xp.ones(n, dtype=values.dtype, device=device) if weights is None else weights  # (n,)
    return sparse_product(indptr, index, data, (n, n_bins), values, True)  # Oᵀ @ values: (n_bins, d)
