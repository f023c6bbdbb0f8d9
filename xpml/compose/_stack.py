"""Putting the outputs of a ColumnTransformer's parts side by side: dense, sparse, or as a DataFrame.

Each part's output first becomes a *block* on the backend (`as_block`): a `CSR` for a sparse matrix of
any library, an array of the backend for numbers, or a host array of objects for what no array library
but numpy holds (strings passed through). The blocks are then stacked (`hstack`):

- sparse, when some block is sparse and the stored entries are fewer than `sparse_threshold` of all
  entries (`is_sparse_output`, decided once, at fit): the blocks' entries as coordinates (row, column,
  value), with the columns shifted by the widths before them, ordered by row, into one CSR on the device;
- dense otherwise: sparse blocks made dense, then one concatenation on the device (on the host, as
  objects, if a block holds objects, as scikit-learn gives a numpy array of objects then);
- as a pandas or polars DataFrame under `set_output` (`hstack_frames`), each block's columns keeping
  their dtype where the block is a DataFrame already.

Nothing is written in place.
"""

from __future__ import annotations

import importlib
from typing import Any

from .._backend import Backend, dtype_name, float_dtype_for, is_host_input, to_backend, to_numpy
from ..utils._csr import CSR, is_csr
from ..utils._frames import frame_library, frame_to_numpy, wrap_output
from ..utils._host import as_host, host_table
from ..utils._sparse_input import check_sparse, is_scipy_sparse, native_sparse

__all__ = ["as_block", "hstack", "hstack_frames", "is_sparse_output"]


def as_block(output: Any, backend: Backend, name: str) -> Any:
    """A part's output (named `name`) as a 2-D block: a CSR, an array of `backend`, or a host array of objects."""
    if is_scipy_sparse(output) or is_csr(output) or native_sparse(output) is not None:
        return check_sparse(output, backend, name=f"the output of {name!r}", ensure_finite=False, min_samples=0)
    if is_host_input(output):
        output = frame_to_numpy(output) if frame_library(output) is not None else as_host(output, name)
    if len(output.shape) != 2:
        raise ValueError(f"The output of the {name!r} transformer should be 2-D (an array, a sparse matrix or a "
                         f"DataFrame) of shape (n_samples, n_outputs); got shape {tuple(output.shape)}.")
    source = dtype_name(output)
    if is_host_input(output) and output.dtype.kind not in "biuf":
        return output.astype(object)  # strings, objects: stay on the host
    return to_backend(output, backend, dtype=float_dtype_for(source, backend) if source in ("bool", "float16")
                      or source.startswith(("int", "uint")) else None)


def is_sparse_output(blocks: list, threshold: float) -> bool:
    """Whether blocks stack into a sparse matrix: some block is sparse, and the stored entries (all of a dense
    block's) are fewer than `threshold` of all entries."""
    if not any(is_csr(b) for b in blocks):
        return False
    total = sum(b.shape[0] * b.shape[1] for b in blocks)
    stored = sum(b.nnz if is_csr(b) else b.shape[0] * b.shape[1] for b in blocks)
    return total > 0 and stored / total < threshold


def _common_dtype(blocks: list, backend: Backend) -> Any:
    """The blocks' dtype if they share one, else the backend's floating dtype (float32 where every block is)."""
    names = {dtype_name(b.data if is_csr(b) else b) for b in blocks}
    if len(names) == 1:
        return getattr(backend.xp, names.pop())
    return backend.xp.float32 if names == {"float32"} else backend.float_dtype


def hstack(blocks: list, *, n_samples: int, sparse: bool, backend: Backend) -> Any:
    """The blocks side by side: a CSR with `sparse`, else a dense array of `backend` (or of host objects)."""
    xp, device = backend.xp, backend.device
    if not blocks:
        return xp.zeros((n_samples, 0), dtype=backend.float_dtype, device=device)
    if any(not is_csr(b) and is_host_input(b) and b.dtype.kind == "O" for b in blocks):
        if sparse:
            raise ValueError("For a sparse output, all columns should be numeric: a part outputs (or passes through) "
                             "strings or objects. Encode them first, or set sparse_threshold=0.")
        host = [to_numpy(b.toarray()) if is_csr(b) else to_numpy(b) for b in blocks]
        return host_table([block[:, j] for block in host for j in range(block.shape[1])])
    dtype = _common_dtype(blocks, backend)
    if sparse:
        return _stack_csr([b if is_csr(b) else _dense_to_csr(b, backend) for b in blocks], dtype, backend)
    dense = [b.toarray() if is_csr(b) else b for b in blocks]
    return xp.concat([xp.astype(b, dtype) if b.dtype != dtype else b for b in dense], axis=1)  # (n, Σ widths)


def _dense_to_csr(A: Any, backend: Backend) -> CSR:
    """A dense (n, p) array as a CSR of its non-zero entries (row-major, as `nonzero` gives them)."""
    xp, device, index = backend.xp, backend.device, backend.int_dtype
    n, p = A.shape
    nonzero = A != 0  # (n, p)
    rows, cols = (xp.astype(i, index) for i in xp.nonzero(nonzero))  # (nnz,) each
    values = xp.take(xp.reshape(A, (-1,)), rows * p + cols)  # (nnz,)
    counts = xp.sum(xp.astype(nonzero, index), axis=1)  # (n,)
    indptr = xp.concat([xp.zeros(1, dtype=index, device=device), xp.cumulative_sum(counts)])  # (n + 1,)
    return CSR(indptr, cols, values, (n, p))


def _stack_csr(blocks: list, dtype: Any, backend: Backend) -> CSR:
    """CSR blocks (n, pₖ) side by side: every entry keeps its row, its column moves right by Σ_{j<k} pⱼ."""
    xp, device, index = backend.xp, backend.device, backend.int_dtype
    n = blocks[0].shape[0]
    offsets = [sum(b.shape[1] for b in blocks[:k]) for k in range(len(blocks))]
    rows = xp.concat([xp.astype(b.rows(), index) for b in blocks])  # (nnz,)
    cols = xp.concat([xp.astype(b.indices, index) + offset for b, offset in zip(blocks, offsets)])  # (nnz,)
    values = xp.concat([xp.astype(b.data, dtype) for b in blocks])  # (nnz,)
    order = xp.argsort(rows, stable=True)  # by row; within a row, block by block, each block's columns in order
    counts = sum(xp.astype(b.indptr[1:] - b.indptr[:-1], index) for b in blocks)  # (n,)
    indptr = xp.concat([xp.zeros(1, dtype=index, device=device), xp.cumulative_sum(counts)])  # (n + 1,)
    return CSR(indptr, xp.take(cols, order), xp.take(values, order), (n, offsets[-1] + blocks[-1].shape[1]))


def hstack_frames(outputs: list, names: Any, library: str, like: Any) -> Any:
    """The parts' outputs side by side as one DataFrame of `library` whose columns are `names`; an output that
    is a DataFrame of that library keeps its columns' dtypes, any other becomes one (numbers on the host)."""
    frames = []
    for k, out in enumerate(outputs):
        if not (frame_library(out) == library and hasattr(out, "columns")):
            out = wrap_output(out, None, library, like=like)
        temporary = [f"part{k}_{j}" for j in range(out.shape[1])]  # unique while stacking: names come after
        frames.append(out.set_axis(temporary, axis=1) if library == "pandas" else out.rename(dict(zip(out.columns,
                                                                                                        temporary))))
    module = importlib.import_module(library)  # the user asked for this library's frames (set_output)
    if library == "pandas":
        stacked = module.concat(frames, axis=1) if frames else module.DataFrame(index=getattr(like, "index", None))
        if stacked.shape[0] != (like.shape[0] if hasattr(like, "shape") else stacked.shape[0]):
            raise ValueError("Concatenating the parts' DataFrames gave a different number of rows than X has: their "
                             "indexes differ (a part returned a DataFrame with another index).")
        return stacked.set_axis([str(n) for n in names], axis=1)
    stacked = module.concat(frames, how="horizontal") if frames else module.DataFrame()
    return stacked.rename(dict(zip(stacked.columns, [str(n) for n in names])))
