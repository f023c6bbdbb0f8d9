"""A sparse result given back as the user's input was: scipy.sparse for scipy.sparse input.

A transformer that keeps its sparse input sparse (StandardScaler(with_mean=False), ...) computes a
`CSR` on its backend. Output follows input: a scipy.sparse X gets a scipy.sparse result of the same
kind (a `csr_array` for a sparse array, a `csr_matrix` for a sparse matrix) and the same format
(CSR, CSC, ...); with `set_config(output="backend")` the backend's `CSR` itself comes back. scipy is
imported only here, and only when the input was scipy's, so it is installed.
"""

from __future__ import annotations

from typing import Any

from .._backend import get_config, to_numpy
from ._csr import CSR, is_scipy_sparse

__all__ = ["sparse_output"]


def sparse_output(result: CSR, like: Any) -> Any:
    """`result` (a CSR) as scipy.sparse in the format of `like`, or as it is (output="backend", or `like` not scipy's)."""
    if get_config()["output"] == "backend" or not is_scipy_sparse(like):
        return result
    import scipy.sparse

    kind = scipy.sparse.csr_array if isinstance(like, scipy.sparse.sparray) else scipy.sparse.csr_matrix
    out = kind((to_numpy(result.data), to_numpy(result.indices), to_numpy(result.indptr)), shape=result.shape)
    return out if like.format == "csr" else out.asformat(like.format)
