"""Lazy backends (dask): computing the state an iteration keeps, and reading values on the host, in one pass.

On an eager backend both helpers give back what they get. On a lazy one, arrays are task graphs:
state carried from one iteration to the next must be computed once per iteration (else each graph
holds all the iterations before it, and reading a convergence test recomputes them all), and the
values an iteration reads on the host should be read together, with one compute. Algorithms call
these two helpers and stay one code for every backend.
"""

from __future__ import annotations

from typing import Any

from .._backend import Backend, capability, to_numpy

__all__ = ["is_lazy", "materialize", "read_values"]


def is_lazy(backend: Backend) -> bool:
    """Whether the backend's arrays are task graphs computed when read (dask)."""
    return bool(capability(backend, "lazy"))


def materialize(backend: Backend, *arrays: Any) -> tuple:
    """The arrays computed (together, in one pass) where the backend is lazy; as they are elsewhere."""
    compute = capability(backend, "materialize")
    return arrays if compute is None else compute(*arrays)


def read_values(backend: Backend, *arrays: Any) -> tuple:
    """Host (numpy) values of several arrays of the backend, computed together where it is lazy."""
    read = capability(backend, "read")
    return tuple(to_numpy(a) for a in arrays) if read is None else read(*arrays)
