"""Working on the rows of a large array a block at a time, so that temporaries stay small.

A k-means assignment step needs an (n_samples, n_clusters) block of distances, and a centred
covariance needs a centred copy of X. Taken a block of rows at a time, the temporary arrays have
`rows × width` elements whatever n_samples is: memory stays bounded, and on a CPU the block stays in
cache. On a GPU, blocks are made larger, since each block costs a few kernel launches.
"""

from __future__ import annotations

import threading

from .._backend import Backend, capability, is_writeable, on_accelerator

__all__ = ["RowBlocks", "chunk_rows", "row_slices"]

# Elements in one working block: 256 Ki (1 MiB of float32) on a CPU, 16 Mi on an accelerator.
# A backend whose every call costs much more than numpy's (jax on a CPU runs op by op at tens of
# microseconds a call) says how much larger its blocks should be ("block_scale").
_CPU_BLOCK = 2**18
_ACCELERATOR_BLOCK = 2**24


def chunk_rows(backend: Backend, width: int, *, scale: int = 1) -> int:
    """The number of rows per block when each row of the block's temporaries holds `width` elements.

    `scale` multiplies the block's budget, for steps that run faster on larger blocks (a matrix
    product whose output is small, say).
    """
    if on_accelerator(backend):
        budget = _ACCELERATOR_BLOCK * scale
    else:
        budget = _CPU_BLOCK * (capability(backend, "block_scale") or 1) * scale
    return max(1, budget // max(1, width))


def row_slices(n_rows: int, rows: int) -> list[slice]:
    """Slices that cover range(n_rows) in consecutive blocks of at most `rows` rows.

    >>> row_slices(5, 2)
    [slice(0, 2, None), slice(2, 4, None), slice(4, 5, None)]
    """
    return [slice(start, min(start + rows, n_rows)) for start in range(0, n_rows, rows)]


class RowBlocks:
    """The results of a loop over blocks of rows, joined into one array of n rows (or of n columns, `axis=1`, for
    results laid out a row per something else, such as a tree's values of every sample).

    Where arrays can be written to (numpy, torch, cupy), each block's result is written into one array
    allocated with the first block. Keeping a copy of each block and joining them at the end costs
    more than the copy: the kept blocks are small, long-lived allocations scattered among the blocks'
    large temporaries in the C heap, so the memory freed with each temporary can no longer be reused
    for the next (with torch on a CPU, one k-means pass over 2,000,000 × 32 samples grew the process
    by hundreds of MB). jax's arrays cannot be written to: its blocks are kept and joined once.
    Threads may put blocks at once (`xpml.utils._threads.on_workers`).

    >>> import numpy as np
    >>> out = RowBlocks(np, 4)
    >>> for block in row_slices(4, 3):
    ...     out.put(block, np.arange(block.start, block.stop) * 10)
    >>> out.result().tolist()
    [0, 10, 20, 30]
    """

    def __init__(self, xp, n_rows: int, axis: int = 0):
        self.xp, self.n_rows, self.axis = xp, n_rows, axis
        self.out = None
        self.parts: dict = {}  # {first row: block}, where arrays cannot be written to
        self.lock = threading.Lock()

    def put(self, block: slice, values) -> None:
        """Store `values` (rows, ...) as the rows `block` of the result (with axis=1, (..., rows) as its columns)."""
        if not is_writeable(values):
            self.parts[block.start] = values
            return
        with self.lock:
            if self.out is None:
                shape = list(values.shape)
                shape[self.axis] = self.n_rows
                self.out = self.xp.empty(tuple(shape), dtype=values.dtype, device=values.device)
        self.out[(slice(None),) * self.axis + (block, ...)] = values

    def result(self):
        """The array of n rows, or columns (an array of the same library and device as the blocks)."""
        if self.out is not None:
            return self.out
        parts = [self.parts[start] for start in sorted(self.parts)]
        return parts[0] if len(parts) == 1 else self.xp.concat(parts, axis=self.axis)
