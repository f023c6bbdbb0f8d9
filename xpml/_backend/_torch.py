"""The torch backend: on the CPU, a CUDA GPU or Apple's MPS."""

from __future__ import annotations

import contextlib
import importlib.util
import warnings

import array_api_compat

from ._libraries import Library, _set_rows, register_library


def _torch_device(device):
    import torch

    device = torch.get_default_device() if device is None else torch.device(device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device={str(device)!r}: torch finds no CUDA GPU on this machine.")
    if device.type == "mps" and not torch.backends.mps.is_available():
        raise ValueError(f"device={str(device)!r}: torch finds no Apple MPS device on this machine.")
    return device


def _torch_to_numpy(x):
    import torch

    x = x.detach().cpu()
    return (x.float() if x.dtype == torch.bfloat16 else x).numpy()  # numpy has no bfloat16


def _torch_scatter_min_max(values, index, n_bins):
    import torch

    return tuple(torch.full((n_bins,), fill, dtype=values.dtype, device=values.device).scatter_reduce_(
        0, index, values, reduce) for fill, reduce in ((float("inf"), "amin"), (-float("inf"), "amax")))


def _torch_cpu_scatter_min_max(values, index, n_bins):
    # numpy's minimum.at and maximum.at on views of the tensors: 1,000,000 values into 80,000 bins took 3.6 ms by
    # torch's scatter_reduce (amax), 1.7 by numpy's maximum.at
    import torch

    if values.requires_grad:
        return _torch_scatter_min_max(values, index, n_bins)
    from ._numpy import _numpy_scatter_min_max

    return tuple(torch.from_numpy(a) for a in _numpy_scatter_min_max(values.numpy(), index.numpy(), n_bins))


def _torch_cpu_bincount(x, length, weights):
    # torch.bincount runs on one thread on a CPU, ~10x slower than a float index_add_ into a fresh array.
    import torch

    dtype = torch.float64 if weights is None else weights.dtype
    values = torch.ones(x.shape[0], dtype=dtype) if weights is None else weights
    counts = torch.zeros(length, dtype=dtype).index_add_(0, x, values)
    return counts if weights is not None else counts.to(torch.int64)


@contextlib.contextmanager
def _torch_one_thread():
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _torch_lu_permuted_l(A):
    """P L from the packed factors and LAPACK's row swaps (torch gives P only as an n × n matrix)."""
    import torch

    factors, pivots, _ = torch.linalg.lu_factor_ex(A)  # no error for a singular U: P L exists all the same
    n, k = A.shape
    L = torch.tril(factors, -1) + torch.eye(n, k, dtype=A.dtype, device=A.device)  # (n, k), rows in pivoted order
    moved = {}  # position -> the row of A that the swaps bring there, for the k or more positions they touch
    for i, swap in enumerate(pivots.tolist()):  # row i was swapped with row swap - 1 (1-based), in turn
        j = swap - 1
        moved[i], moved[j] = moved.get(j, j), moved.get(i, i)
    order = torch.arange(n, device=A.device)  # (n,): row r of L belongs to A's row order[r]
    order[torch.tensor(list(moved), device=A.device)] = torch.tensor(list(moved.values()), device=A.device)
    out = torch.empty_like(L)
    out[order] = L
    return out


def _torch_host_csr_matmul(indptr, indices, data, shape, B, transpose):
    """On a CPU with scipy, scipy's kernels on views of the tensors: torch's own Xᵀ B took 7 s where scipy takes
    0.3 s (50,000 × 100,000, 2.5M values, B of 110 columns), and its X b 4 times scipy's time."""
    import torch

    if B.requires_grad:
        return _torch_csr_matmul(indptr, indices, data, shape, B, transpose)
    from ._numpy import _scipy_csr_matmul

    return torch.from_numpy(_scipy_csr_matmul(indptr.numpy(), indices.numpy(), data.numpy(), tuple(shape),
                                              B.numpy(), transpose))


def _torch_csr_matmul(indptr, indices, data, shape, B, transpose):
    """torch's own sparse CSR product (and, for Xᵀ B on a CPU, index_add_ by blocks)."""
    import torch

    if transpose and B.device.type == "cpu":  # torch's CSC product copies the matrix: add it up a block at a time
        return _torch_cpu_csr_t_matmul(indptr, indices, data, shape, B)
    with warnings.catch_warnings():  # "sparse CSR tensor support is in beta state"
        warnings.simplefilter("ignore", UserWarning)
        X = torch.sparse_csr_tensor(indptr, indices, data, size=tuple(shape))
        return (X.t() if transpose else X) @ B


def _torch_cpu_csr_t_matmul(indptr, indices, data, shape, B, block: int = 2**22):
    """Xᵀ B for the CSR X, by index_add_ over blocks of about `block` stored values (rows taken whole), so
    that the temporaries stay at a block's size."""
    import torch

    n, nnz = shape[0], int(indptr[-1])
    out = torch.zeros((shape[1], *B.shape[1:]), dtype=B.dtype)
    step = max(1, block * n // max(nnz, 1))  # rows per block
    for r0 in range(0, n, step):
        r1 = min(r0 + step, n)
        e0, e1 = int(indptr[r0]), int(indptr[r1])
        rows = torch.repeat_interleave(torch.arange(r0, r1), indptr[r0 + 1:r1 + 1] - indptr[r0:r1])  # (e,)
        values = data[e0:e1] if B.ndim == 1 else data[e0:e1, None]
        out.index_add_(0, indices[e0:e1], B[rows] * values)
    return out


def _torch_sparse_matrix(indptr, indices, data, shape):
    import torch

    with warnings.catch_warnings():  # "sparse CSR tensor support is in beta state"
        warnings.simplefilter("ignore", UserWarning)
        return torch.sparse_csr_tensor(indptr, indices, data, size=tuple(shape))


def _torch_sparse_parts(x):
    import torch

    if not isinstance(x, torch.Tensor) or x.layout == torch.strided or x.ndim != 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        if x.layout == torch.sparse_coo:
            x = x.coalesce()
        if x.layout != torch.sparse_csr:
            x = x.to_sparse_csr()
    return x.crow_indices(), x.col_indices(), x.values(), tuple(x.shape)


def _torch_hardware(device) -> str:
    import torch

    return "" if device.type == "cpu" else torch.cuda.get_device_name(device)


def _torch_native(device) -> dict:
    import torch

    table = {
        "bincount": lambda x, length, weights: torch.bincount(x, weights=weights, minlength=length),
        "scatter_add": lambda values, index, n_bins: torch.zeros(
            (n_bins, *values.shape[1:]), dtype=values.dtype, device=values.device).index_add_(0, index, values),
        "set_rows": _set_rows,
        "segment_max": lambda values, ids, n_segments: torch.full(
            (n_segments,), -float("inf"), dtype=values.dtype, device=values.device).scatter_reduce_(
            0, ids, values, "amax"),
        "scatter_min_max": _torch_scatter_min_max,
        "select_smallest": lambda x, k: torch.topk(x, k, dim=1, largest=False, sorted=False).indices,
        "qr_r": lambda M: torch.linalg.qr(M, mode="r").R,
        "lu_permuted_l": _torch_lu_permuted_l,
        "csr_matmul": _torch_csr_matmul,
        "sparse_matrix": _torch_sparse_matrix,
        "normal_ppf": torch.special.ndtri,
    }
    if device.type == "cpu":
        table["bincount"] = _torch_cpu_bincount
        table["scatter_min_max"] = _torch_cpu_scatter_min_max
        if importlib.util.find_spec("scipy") is not None:
            table["csr_matmul"] = _torch_host_csr_matmul
        table["one_thread"] = _torch_one_thread
        table["centre_major"] = True
        table["host_loops"] = True
    return table


def _torch_cuda_targets() -> list:
    import torch

    return ["torch:cuda"] if torch.cuda.is_available() else []


def _torch_synchronize(device, arrays):
    if device.type == "cuda":
        import torch

        torch.cuda.synchronize(device)


register_library(Library(
    name="torch", module="torch", install="pip install 'xpml[torch]'", namespace="array_api_compat.torch",
    is_array=array_api_compat.is_torch_array, resolve_device=_torch_device, device_spec=str,
    on_accelerator=lambda device: device.type != "cpu", to_numpy=_torch_to_numpy, native=_torch_native,
    extra_targets=_torch_cuda_targets, synchronize=_torch_synchronize,
    hardware=_torch_hardware, sparse_parts=_torch_sparse_parts,
))


