"""The cupy backend: numpy's interface on an NVIDIA GPU."""

from __future__ import annotations


import array_api_compat

from ._libraries import Library, _argpartition_smallest, _set_rows, register_library


def _cupy_gpu_missing() -> str | None:
    try:
        import cupy

        if cupy.cuda.runtime.getDeviceCount() > 0:
            return None
    except Exception:  # cupy is installed but cannot reach a GPU or a CUDA runtime
        pass
    return "cannot reach a CUDA GPU on this machine"


def _cupy_device(device):
    import cupy

    if device is None or isinstance(device, cupy.cuda.Device):
        return device if device is not None else cupy.cuda.Device()
    index = str(device).removeprefix("cuda").removeprefix("gpu").lstrip(":") or "0"
    return cupy.cuda.Device(int(index))


def _cupy_scatter_add(values, index, n_bins):
    """add.at into a fresh flat output (flat index = bin · d + column), in one pass."""
    import cupy

    out = cupy.zeros((n_bins, *values.shape[1:]), dtype=values.dtype)
    if values.ndim == 1:
        cupy.add.at(out, index, values)
        return out
    d = values.shape[1]
    flat_index = index[:, None] * d + cupy.arange(d, dtype=index.dtype)  # (n, d)
    cupy.add.at(out.reshape(-1), flat_index.reshape(-1), values.reshape(-1))
    return out


def _cupy_csr_matmul(indptr, indices, data, shape, B, transpose):
    import cupy
    import cupyx.scipy.sparse

    indptr, indices = indptr.astype(cupy.int32, copy=False), indices.astype(cupy.int32, copy=False)  # cuSPARSE's
    X = cupyx.scipy.sparse.csr_matrix((data, indices, indptr), shape=tuple(shape), copy=False)
    return cupy.asarray((X.T if transpose else X) @ B)


def _cupy_sparse_matrix(indptr, indices, data, shape):
    import cupy
    import cupyx.scipy.sparse

    indptr, indices = indptr.astype(cupy.int32, copy=False), indices.astype(cupy.int32, copy=False)
    return cupyx.scipy.sparse.csr_matrix((data, indices, indptr), shape=tuple(shape))


def _cupy_sparse_parts(x):
    if not type(x).__module__.startswith("cupyx.scipy.sparse") or len(x.shape) != 2:
        return None
    x = x.tocsr()
    return x.indptr, x.indices, x.data, tuple(x.shape)


def _cupy_native(device) -> dict:
    import cupy

    return {
        "bincount": lambda x, length, weights: cupy.bincount(x, weights=weights, minlength=length),
        "scatter_add": _cupy_scatter_add,
        "set_rows": _set_rows,
        "select_smallest": _argpartition_smallest(cupy),
        "qr_r": lambda M: cupy.linalg.qr(M, mode="r"),
        "csr_matmul": _cupy_csr_matmul,
        "sparse_matrix": _cupy_sparse_matrix,
    }


def _cupy_synchronize(device, arrays):
    import cupy

    cupy.cuda.get_current_stream().synchronize()


def _cupy_hardware(device) -> str:
    import cupy

    name = cupy.cuda.runtime.getDeviceProperties(device.id)["name"]
    return name.decode() if isinstance(name, bytes) else str(name)


register_library(Library(
    name="cupy", module="cupy", install="pip install 'xpml[cupy]'  (cupy-cuda12x, for an NVIDIA GPU with CUDA 12)",
    namespace="array_api_compat.cupy", is_array=array_api_compat.is_cupy_array, resolve_device=_cupy_device,
    device_spec=lambda device: device.id, on_accelerator=lambda device: True, to_numpy=lambda x: x.get(),
    native=_cupy_native, usable=_cupy_gpu_missing, synchronize=_cupy_synchronize, hardware=_cupy_hardware,
    sparse_parts=_cupy_sparse_parts,
))


