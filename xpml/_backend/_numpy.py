"""The numpy backend: the default, on the host; its fast paths are numpy's own."""

from __future__ import annotations

import contextlib
import importlib.util

import array_api_compat
import numpy as np

from ._libraries import Library, _argpartition_smallest, _blas_one_thread, _set_rows, register_library


def _numpy_device(device):
    if device not in (None, "cpu"):
        raise ValueError(f"device={device!r} is not a numpy device; numpy has only 'cpu'.")
    return "cpu"


def _numpy_one_hot_t(index, n_bins, dtype):
    """Oᵀ (n_bins, n) with Oᵀ[index[i], i] = 1, set by indexing rather than by n · n_bins comparisons."""
    out = np.zeros((n_bins, index.shape[0]), dtype=dtype)
    out[index, np.arange(index.shape[0])] = 1
    return out


def _numpy_segment_max(values, ids, n_segments):
    """The maximum of each run of equal sorted ids, by one `maximum.reduceat` over the runs."""
    out = np.full(n_segments, -np.inf, dtype=values.dtype)
    if values.shape[0]:
        starts = np.flatnonzero(np.concatenate([[True], ids[1:] != ids[:-1]]))  # where each run begins
        out[ids[starts]] = np.maximum.reduceat(values, starts)
    return out


def _numpy_scatter_min_max(values, index, n_bins):
    """Each bin's smallest and largest value by `minimum.at` and `maximum.at`, in the values' order: 1,000,000 float32
    values into 4,000 to 400,000 bins took 5 to 7 ms, where sorting them by bin first took 100."""
    low, high = np.full(n_bins, np.inf, dtype=values.dtype), np.full(n_bins, -np.inf, dtype=values.dtype)
    np.minimum.at(low, index, values)
    np.maximum.at(high, index, values)
    return low, high


def _numpy_bincount(x, length, weights):
    # np.bincount lets go of the interpreter lock while it counts, so counts on worker threads run at once, and it
    # takes ~1.2 ns an entry (1.4 weighted) where np.add.at takes ~1.5. Complex weights (two statistics in one pass,
    # "bincount_complex") only np.add.at can sum: ~2.5 ns an entry, against two weighted bincounts' 2.8; it wants the
    # index as intp and the weights as complex128 (a mixed add is 50 times slower).
    if weights is None or not np.iscomplexobj(weights):
        return np.bincount(x, weights=weights, minlength=length)
    counts = np.zeros(length, dtype=np.complex128)
    np.add.at(counts, x.astype(np.intp, copy=False), weights.astype(np.complex128, copy=False))
    return counts


def _numpy_complex(re, im):
    # the two parts written in place: 1,000,000 float32 pairs in about 2 ms, where re + 1j * im (a complex product and
    # a complex sum over complex copies) took 7 to 10
    out = np.empty(re.shape, dtype=np.complex128)
    out.real, out.imag = re, im
    return out


def _scipy_lu_permuted_l(A):
    # A = P L U, so P L = A U⁻¹: LAPACK's getrf for U, then one triangular solve (100,000 × 42 float32: 14 ms,
    # against 23 for scipy's lu(permute_l=True), which permutes and copies L out); a zero pivot takes scipy's lu
    import scipy.linalg

    k = A.shape[1]
    with _scipy_lapack_threads(k):
        getrf, = scipy.linalg.get_lapack_funcs(("getrf",), (A,))
        lu, _, info = getrf(np.array(A, order="F"), overwrite_a=True)
        if info != 0:
            return scipy.linalg.lu(A, permute_l=True, check_finite=False)[0]
        return scipy.linalg.solve_triangular(np.triu(lu[:k]), A.T, trans="T", check_finite=False).T


def _scipy_qr(M, mode):
    # LAPACK's blocked geqrf through scipy, on a Fortran-ordered copy it may overwrite: 2 to 5 times faster than
    # numpy's qr (100,000 × 42 float32: Q in 0.03 s against 0.12, which works in double precision and unblocked)
    import scipy.linalg

    with _scipy_lapack_threads(M.shape[1]):
        out = scipy.linalg.qr(np.array(M, order="F"), mode=mode, overwrite_a=True, check_finite=False)
    return out[0] if mode == "economic" else out[1]  # "economic": (Q, R); "raw": ((reflectors, tau), R (k, m))


def _scipy_lapack_threads(n_columns: int):
    """One BLAS thread for a factorization of at most 64 columns, where threadpoolctl can set it: pip's scipy carries
    its own OpenBLAS beside numpy's, whose threads, still spinning after a product, fight scipy's for the cores. A
    100,000 × 42 float32 LU right after a matrix product took 30 to 45 ms on 2 threads, 10 to 13 on one, as it
    does alone; wider matrices gain from the threads more than they lose."""
    one_thread = _blas_one_thread() if n_columns <= 64 else None
    return contextlib.nullcontext() if one_thread is None else one_thread()


def _scipy_csr_matmul(indptr, indices, data, shape, B, transpose):
    import scipy.sparse

    X = scipy.sparse.csr_matrix((data, indices, indptr), shape=shape, copy=False)
    return np.asarray((X.T if transpose else X) @ B, dtype=data.dtype)  # X.T is a CSC view: nothing is copied


def _scipy_ndtri(p):
    # Cephes' rational approximations: 200,000 values in about 3 ms, where the portable Halley iteration took 40
    import scipy.special

    return scipy.special.ndtri(p)


def _scipy_sparse_matrix(indptr, indices, data, shape):
    import scipy.sparse

    return scipy.sparse.csr_matrix((data, indices, indptr), shape=shape)


def _numpy_native(device) -> dict:
    table = {
        "bincount": _numpy_bincount,
        "bincount_complex": _numpy_complex,
        "bincount_wide": True,
        "one_hot_t": _numpy_one_hot_t,
        "segment_max": _numpy_segment_max,
        "scatter_min_max": _numpy_scatter_min_max,
        "set_rows": _set_rows,
        "select_smallest": _argpartition_smallest(np),
        "qr_r": lambda M: np.linalg.qr(M, mode="r"),
        "centre_major": True,
    }
    if importlib.util.find_spec("scipy") is not None:  # optional: LAPACK's LU and QR, sparse products, Φ⁻¹, via scipy
        table["lu_permuted_l"] = _scipy_lu_permuted_l
        table["qr_q"] = lambda M: _scipy_qr(M, "economic")
        table["qr_r"] = lambda M: _scipy_qr(M, "raw")
        table["csr_matmul"] = _scipy_csr_matmul
        table["sparse_matrix"] = _scipy_sparse_matrix
        table["normal_ppf"] = _scipy_ndtri
    one_thread = _blas_one_thread()
    if one_thread is not None:
        table["one_thread"] = one_thread
    return table


register_library(Library(
    name="numpy", module="numpy", install="pip install numpy", namespace="array_api_compat.numpy",
    is_array=array_api_compat.is_numpy_array, resolve_device=_numpy_device, native=_numpy_native,
))


