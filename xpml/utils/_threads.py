"""A host BLAS limited to one thread, for loops of many small matrix products.

k-means' assignment step is a loop of block-sized products (a few thousand rows by tens of
columns). A multi-threaded BLAS gains little on products that small, and loses a great deal when
the cores are shared with other work: every product waits for all its threads to be scheduled,
and threads spinning at the barrier take the time the others need (measured on a busy 2-core
machine: 33 ms for one 65536 × 32 × 64 product on 2 threads, 7.5 ms on one). scikit-learn runs its
k-means under the same limit.

`single_threaded_blas(backend)` applies it for the backends that compute with numpy's BLAS, through
threadpoolctl when it is installed; otherwise, and for every other backend, it does nothing.
"""

from __future__ import annotations

import contextlib
import importlib.util

from .._backend import Backend

__all__ = ["single_threaded_blas"]

_NUMPY_BLAS = ("numpy", "array_api_strict")


@contextlib.contextmanager
def single_threaded_blas(backend: Backend):
    """Inside the block, numpy's BLAS runs on one thread (numpy-based backends, with threadpoolctl)."""
    if backend.name not in _NUMPY_BLAS or importlib.util.find_spec("threadpoolctl") is None:
        yield
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield
