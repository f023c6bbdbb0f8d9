"""The output of a one-hot encoding: its dtype, given as scikit-learn takes it, and a scipy CSR matrix.

One-hot rows are described by their *slots*: for each sample and feature, the index of the output
column set to 1 within that feature's block, or -1 for none (an unknown or dropped category). The
dense output compares slots with each block's column indices on the device; the sparse output
builds a CSR matrix on the host, with scipy, imported only then.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._backend import to_backend, to_numpy

__all__ = ["FLOAT64", "csr_from_slots", "has_scipy", "output_dtype"]

FLOAT64 = np.float64  # OneHotEncoder's default dtype, as in scikit-learn's signature


def output_dtype(dtype: Any, backend) -> Any:
    """The backend's dtype for a numpy dtype, a numpy scalar type or its name ("float32", np.int64, bool, ...).

    float64 becomes float32 on a device without float64.
    """
    try:
        name = np.dtype(dtype).name
    except TypeError:
        raise TypeError(f"dtype should be a numeric dtype such as numpy.float64 or 'float32'; got {dtype!r}.") from None
    if name == "float64" and not backend.has_float64:
        name = "float32"
    if not hasattr(backend.xp, name) or np.dtype(name).kind not in "biuf":
        raise ValueError(f"dtype={dtype!r} should be a boolean, integer or floating dtype.")
    return getattr(backend.xp, name)


def has_scipy() -> bool:
    """Whether scipy can be imported (it is imported only to build a sparse output)."""
    try:
        import scipy.sparse  # noqa: F401
    except ImportError:
        return False
    return True


def csr_from_slots(slots: list, widths: list[int], dtype: Any, backend=None):
    """A CSR matrix of shape (n_samples, Σ widths) with a 1 at each slot >= 0: scipy's on the host, or, given a
    `backend`, xpml's `CSR` on it (`_sparse_input.sparse_output` then makes it the library's own).

    Parameters
    ----------
    slots : list of integer arrays of shape (n_samples,), one per feature, of any library
    widths : list of int, the columns of each feature's block
    dtype : the dtype of the values, as `output_dtype` takes it
    backend : Backend, optional
    """
    S = np.stack([to_numpy(s).astype(np.int64) for s in slots], axis=1)  # (n, p)
    offsets = np.cumsum([0, *widths[:-1]])  # (p,)
    hit = S >= 0
    indices = (S + offsets)[hit]  # row-major: each row's columns in order
    indptr = np.concatenate([[0], np.cumsum(hit.sum(axis=1))])
    shape = (S.shape[0], int(sum(widths)))
    if backend is not None:
        from ._csr import CSR

        data = backend.xp.ones(indices.shape[0], dtype=output_dtype(dtype, backend), device=backend.device)
        return CSR(to_backend(indptr, backend), to_backend(indices, backend), data, shape)
    from scipy import sparse

    data = np.ones(indices.shape[0], dtype=np.dtype(dtype))
    return sparse.csr_matrix((data, indices, indptr), shape=shape)
