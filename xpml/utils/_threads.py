"""One host thread for loops of many block-sized kernels.

k-means' assignment step is a loop over blocks of a few thousand rows: a matrix product, an
argmin and a scatter-add per block. Threads gain little on kernels that small and lose a great
deal when the cores are shared with other work: every kernel waits at a barrier for all its
threads to be scheduled, and threads spinning there take the time the others need. Measured on a
busy 2-core machine (load average 8): one 65536 × 32 × 64 float32 product took 33 ms on numpy's
BLAS with 2 threads and 7.5 ms with one; ten Lloyd iterations on 200,000 × 32 with torch on the
CPU took 43 s with 2 threads and 1.1 s with one. scikit-learn runs its k-means with its BLAS
limited to one thread too.

Where a loop of such kernels can be split, `on_workers` runs its parts on threads of its own, each
part's kernels on one thread, as scikit-learn's k-means runs its chunks on OpenMP threads. numpy's
and torch's kernels release Python's interpreter lock, so the threads run at once: ten k-means
assignment steps (200,000 × 32, k=64) took 320 ms on one thread and 180 ms on two workers (an
idle 2-core machine). `host_workers(backend)` says how many: the cores this process may use
(bounded by OMP_NUM_THREADS where it is set, as OpenMP programs are) on the host backends, and 1 on
an accelerator or jax, whose kernels queue asynchronously anyway.

`one_host_thread(backend)` sets that limit for the duration of a `with` block, for the backends
that compute on the host and can limit their threads (the capability "one_thread": numpy's BLAS
through threadpoolctl, when it is installed, for numpy and array_api_strict; torch's intra-op
threads for torch on the CPU). It does nothing for the others. The limits are process-wide while
they last, as scikit-learn's are.
"""

from __future__ import annotations

import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Sequence

from .._backend import Backend, capability

__all__ = ["host_workers", "on_workers", "one_host_thread"]


def host_workers(backend: Backend) -> int:
    """How many threads `on_workers` should use on `backend`: the usable cores on the host, else 1.

    Workers need kernels that run on the host, release the interpreter lock and can be held to one
    thread each (the capability "one_thread"). Elsewhere, 1: an accelerator or jax queues its
    kernels asynchronously anyway, and workers on top of numpy's BLAS threads, where those cannot
    be limited (no threadpoolctl), would oversubscribe the cores.
    """
    if capability(backend, "one_thread") is None:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    limit = os.environ.get("OMP_NUM_THREADS", "").strip()
    return max(1, min(cores, int(limit))) if limit.isdigit() else cores


def on_workers(fn: Callable[[Sequence], Any], items: Sequence, workers: int) -> list:
    """[fn(part) for part in parts], with `items` cut into `workers` consecutive parts run on threads.

    The parts and their order depend only on len(items) and `workers`, so whatever combines the
    results in order gets the same numbers every time.
    """
    workers = max(1, min(workers, len(items)))
    if workers == 1:
        return [fn(items)]
    bounds = [len(items) * w // workers for w in range(workers + 1)]
    parts = [items[bounds[w]:bounds[w + 1]] for w in range(workers)]
    if getattr(_in_worker, "active", False):  # a worker's own loop: its parts run here, in turn
        return [fn(part) for part in parts]
    return list(_pool(workers).map(_as_worker(fn), parts))


_in_worker = threading.local()
_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


def _pool(workers: int) -> ThreadPoolExecutor:
    """The process's pool of `workers` threads, started once and kept (starting threads costs each call)."""
    with _pools_lock:
        if workers not in _pools:
            _pools[workers] = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="xpml-worker")
        return _pools[workers]


def _as_worker(fn: Callable) -> Callable:
    def run(part):
        _in_worker.active = True
        try:
            return fn(part)
        finally:
            _in_worker.active = False
    return run


@contextlib.contextmanager
def one_host_thread(backend: Backend):
    """Inside the block, the backend's host kernels run on one thread (where it can say so)."""
    one_thread = capability(backend, "one_thread")
    with contextlib.nullcontext() if one_thread is None else one_thread():
        yield
