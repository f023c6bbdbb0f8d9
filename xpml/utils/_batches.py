"""Minibatches: which samples each step of an epoch visits, as index arrays on the backend.

The order is drawn on the host (so a seed gives the same batches on every backend) and cut into
batches there: the full batches become the rows of one (n_batches, batch_size) array, the last,
shorter batch a one-row array of its own, and each moves to the device once per epoch. A step then
takes its batch as a row of that array, `block[row, :]`, inside its own (compiled) function: with
jax, the row is a traced number, so one compiled step serves every batch, where a device-side
slice at each of n/m static positions would compile n/m kernels and a transfer per batch would
cost a host round trip each.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._backend import Backend, to_backend

__all__ = ["batch_indices", "batch_runs", "epoch_order"]


def epoch_order(n_samples: int, backend: Backend, rng: np.random.Generator | None = None) -> Any:
    """One epoch's order of the samples (n_samples,), int64 on `backend`: drawn on the host as `batch_indices`
    draws it (the same draw from `rng`), for a loop that gathers the epoch's rows once and slices its batches.

    >>> from xpml import make_backend
    >>> epoch_order(4, make_backend("numpy")).tolist()
    [0, 1, 2, 3]
    """
    return to_backend(_host_order(n_samples, rng), backend)


def _host_order(n_samples: int, rng: np.random.Generator | None) -> np.ndarray:
    return np.arange(n_samples) if rng is None else rng.permutation(n_samples)


def batch_indices(n_samples: int, batch_size: int, backend: Backend,
                  rng: np.random.Generator | None = None) -> list[tuple[Any, int]]:
    """One epoch's batches, in a random order if `rng`, as (block, row) pairs: the batch's sample
    indices (int64, on `backend`) are `block[row, :]`.

    Every batch holds `batch_size` samples except the last, which holds the rest.

    >>> from xpml import make_backend
    >>> [block[row, :].tolist() for block, row in batch_indices(5, 2, make_backend("numpy"))]
    [[0, 1], [2, 3], [4]]
    """
    order = _host_order(n_samples, rng)
    n_full = n_samples // batch_size
    batches = []
    if n_full:
        full = to_backend(order[:n_full * batch_size].reshape(n_full, batch_size), backend)  # (n_full, batch_size)
        batches += [(full, row) for row in range(n_full)]
    if n_samples > n_full * batch_size:
        batches.append((to_backend(order[n_full * batch_size:][None, :], backend), 0))  # (1, rest)
    return batches


def batch_runs(n_samples: int, batch_size: int, backend: Backend,
               rng: np.random.Generator | None = None) -> list[tuple[Any, list[int]]]:
    """`batch_indices`, with the consecutive batches of one block grouped: [(block, [row, ...]), ...].

    A run of steps over one block can then be one compiled loop (`xpml.utils._compile.compiled_steps`).

    >>> from xpml import make_backend
    >>> [(block.shape, rows) for block, rows in batch_runs(5, 2, make_backend("numpy"))]
    [((2, 2), [0, 1]), ((1, 1), [0])]
    """
    runs = []
    for block, row in batch_indices(n_samples, batch_size, backend, rng):
        if runs and runs[-1][0] is block:
            runs[-1][1].append(row)
        else:
            runs.append((block, [row]))
    return runs
