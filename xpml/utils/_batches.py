"""Minibatches: which samples each step of an epoch visits, as index arrays on the backend.

The order is drawn on the host (so a seed gives the same batches on every backend) and cut into
batches there; each batch's indices then move to the device once per epoch. Cutting on the host
matters for jax, which compiles a separate kernel for every distinct static slice of a device
array: slicing a device-side permutation at n/m positions would compile n/m kernels.
"""

from __future__ import annotations

import numpy as np

from .._backend import Backend, to_backend

__all__ = ["batch_indices"]


def batch_indices(n_samples: int, batch_size: int, backend: Backend, rng: np.random.Generator | None = None) -> list:
    """The index arrays (int64, on `backend`) of one epoch's batches, in a random order if `rng`.

    Every batch holds `batch_size` samples except the last, which holds the rest.

    >>> from xpml import make_backend
    >>> [b.tolist() for b in batch_indices(5, 2, make_backend("numpy"))]
    [[0, 1], [2, 3], [4]]
    """
    order = np.arange(n_samples) if rng is None else rng.permutation(n_samples)
    return [to_backend(order[start:start + batch_size], backend) for start in range(0, n_samples, batch_size)]
