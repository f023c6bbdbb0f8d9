"""One host thread for loops of many block-sized kernels.

k-means' assignment step is a loop over blocks of a few thousand rows: a matrix product, an
argmin and a scatter-add per block. Threads gain little on kernels that small and lose a great
deal when the cores are shared with other work: every kernel waits at a barrier for all its
threads to be scheduled, and threads spinning there take the time the others need. Measured on a
busy 2-core machine (load average 8): one 65536 × 32 × 64 float32 product took 33 ms on numpy's
BLAS with 2 threads and 7.5 ms with one; ten Lloyd iterations on 200,000 × 32 with torch on the
CPU took 43 s with 2 threads and 1.1 s with one. scikit-learn runs its k-means with its BLAS
limited to one thread too.

`one_host_thread(backend)` sets that limit for the duration of a `with` block, for the backends
that compute on the host: numpy's BLAS (through threadpoolctl, when it is installed) for numpy
and array_api_strict, and torch's intra-op threads for torch on the CPU. It does nothing for the
others. Both limits are process-wide while they last, as scikit-learn's are.
"""

from __future__ import annotations

import contextlib
import importlib.util

from .._backend import Backend, native_module, on_accelerator

__all__ = ["one_host_thread"]


@contextlib.contextmanager
def one_host_thread(backend: Backend):
    """Inside the block, the backend's host kernels run on one thread."""
    if backend.name in ("numpy", "array_api_strict") and importlib.util.find_spec("threadpoolctl") is not None:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="blas"):
            yield
    elif backend.name == "torch" and not on_accelerator(backend):
        torch = native_module(backend)
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(threads)
    else:
        yield
