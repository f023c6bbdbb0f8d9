"""Timing that can be trusted: warm up, synchronize the device before the clock stops, take medians.

A `Workload` describes one algorithm: how to make its data (on the host, from a seed), how to run it
with xpml on a backend, and how to run scikit-learn's counterpart on the same data. `measure` times
a call and returns the median of several repeats, after a warm-up run that pays for compilation,
caches and memory pools.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from xpml._backend import Backend, synchronize


@dataclass(frozen=True)
class Workload:
    """One algorithm to time.

    make_data(n_samples, n_features, rng) -> tuple of host numpy arrays (X, y or None)
    run_xpml(backend, *data) -> (seconds-free) callable that does the work once and returns (result, score)
    run_sklearn(*data) -> the same for scikit-learn, or None where there is no counterpart
    flops(n_samples, n_features) -> floating-point operations of one run's main kernel, or None
    gemm(n_samples, n_features) -> (m, k, n) or (m, k, n, "blocks"): the shape of a plain matmul
        (m, k) @ (k, n) doing that kernel's work, timed beside it on the same backend for the roofline
        (achieved GFLOP/s against what the machine's own matmul reaches on the same shape). With
        "blocks", the matmul is taken a block of rows of (m, k) at a time, in the blocks xpml's
        chunked kernels use (`xpml.utils._chunks.chunk_rows`), each block's product dropped once made,
        as a chunked kernel does: one (m, n) product written whole to fresh memory is slower than the
        same work done in cache-sized blocks
    """

    name: str
    sizes: dict  # "quick" / "full" -> list of (n_samples, n_features)
    dtype: str
    make_data: Callable[..., tuple]
    run_xpml: Callable[..., Callable[[], tuple[Any, float]]]
    run_sklearn: Callable[..., Callable[[], tuple[Any, float]]] | None = None
    flops: Callable[[int, int], float] | None = None
    gemm: Callable[[int, int], tuple] | None = None  # (m, k, n[, "blocks"]): the main kernel as a plain matmul
    notes: str = ""
    extra: dict = field(default_factory=dict)
    needs: tuple = ()  # optional libraries the workload's data need (its xpml side may take them as input)


def measure(fn: Callable[[], tuple[Any, float]], backend: Backend | None, repeats: int,
            warm_up: bool = True) -> tuple[float, float]:
    """Median wall-clock seconds of `fn()` over `repeats` runs, after one warm-up run (unless `warm_up` is
    False: the quick tier, where the times then include first-call costs such as compiling); and its score.

    The clock stops only after the device has finished (`synchronize`), so GPU timings are honest.
    """
    if warm_up:
        result, score = fn()
        if backend is not None:
            synchronize(backend, result)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result, score = fn()
        if backend is not None:
            synchronize(backend, result)
        times.append(time.perf_counter() - start)
    return statistics.median(times), float(score)


def host_data(dtype: str, *arrays: np.ndarray) -> tuple:
    """Cast floating host arrays to the workload's dtype (labels stay as they are)."""
    return tuple(a.astype(dtype) if a is not None and a.dtype.kind == "f" else a for a in arrays)


def matmul_gflops(backend: Backend | None, shape: tuple, dtype: str, repeats: int) -> float:
    """GFLOP/s of a plain (m, k) @ (k, n) matmul on `backend` (None: numpy, scikit-learn's BLAS), whole
    or, for a shape (m, k, n, "blocks"), in xpml's working blocks of rows (see `Workload.gemm`)."""
    from xpml._backend import make_backend, to_backend
    from xpml.utils._chunks import chunk_rows, row_slices

    m, k, n = shape[:3]
    rng = np.random.default_rng(1)
    target = backend or make_backend("numpy")
    A = to_backend(rng.standard_normal((m, k)).astype(dtype), target)
    B = to_backend(rng.standard_normal((k, n)).astype(dtype), target)
    if shape[3:] == ("blocks",):
        blocks = row_slices(m, chunk_rows(target, max(k, n)))

        def product():
            for block in blocks:
                last = A[block, :] @ B
            return last, 0.0
    else:
        def product():
            return A @ B, 0.0
    seconds, _ = measure(product, target, repeats)
    return 2.0 * m * k * n / seconds / 1e9


def fit_workload(name: str, *, xpml: Callable[[Any], Any], sklearn: Callable[[], Any] | None,
                 make_data: Callable[..., tuple], sizes: dict, dtype: str,
                 score: Callable[[Any, Any, Any], float] | None = None, notes: str = "") -> Workload:
    """A workload that times `fit` of one estimator on (X, y), or on X alone where make_data gives y=None.

    `xpml(backend)` and `sklearn()` build the two estimators with the same parameters; `score(model, X,
    y)` scores a fitted one (default: `model.score(X, y)`, or `model.score(X)` without y), so that a
    fit that does less work shows. The data are moved to the backend before the clock starts.
    """

    def scored(model, X, y):
        if score is not None:
            return float(score(model, X, y))
        return float(model.score(X) if y is None else model.score(X, y))

    def timed(model_factory, X, y):
        def run():
            model = model_factory().fit(X) if y is None else model_factory().fit(X, y)
            fitted = [v for k, v in vars(model).items() if k.endswith("_") and hasattr(v, "shape")]
            return fitted, scored(model, X, y)  # the fitted arrays: what the clock waits for

        return run

    def run_xpml(backend, X, y):
        from xpml._backend import to_backend

        Xb, yb = to_backend(X, backend), (None if y is None else to_backend(y, backend))
        return timed(lambda: xpml(backend), Xb, yb)

    def run_sklearn(X, y):
        return timed(sklearn, X, y)

    return Workload(name=name, sizes=sizes, dtype=dtype, make_data=make_data, run_xpml=run_xpml,
                    run_sklearn=None if sklearn is None else run_sklearn, notes=notes)


def peer(make: Callable[[int], Any]) -> Callable[..., Callable[[], tuple[Any, float]]]:
    """run(X, y) for another library's model (a workload's `extra["peers"]`): fit a fresh `make(n_features)` on
    (X, y) and score it by its training accuracy, as the xpml and scikit-learn fits of a classifier are scored."""

    def run(X, y):
        def once():
            model = make(X.shape[1]).fit(X, y)
            return None, float(np.mean(model.predict(X) == y))

        return once

    return run


def regression_data(dtype: str, n_targets: int | None = None):
    """make_data for regressors: X standard normal, y linear in X plus noise (n_targets columns: Y (n, n_targets),
    the targets sharing half of the features, as multi-task models assume)."""

    def make(n, p, rng):
        X = rng.standard_normal((n, p))
        if n_targets is None:
            return host_data(dtype, X, X @ rng.standard_normal(p) + 0.5 * rng.standard_normal(n))
        W = rng.standard_normal((p, n_targets)) * (rng.permutation(p) < (p + 1) // 2)[:, None]  # (p, t), rows of 0
        return host_data(dtype, X, X @ W + 0.5 * rng.standard_normal((n, n_targets)))

    return make


def classification_data(dtype: str, n_classes: int = 5, spread: float = 1.0):
    """make_data for classifiers: n_classes overlapping Gaussian clusters in p dimensions, labels 0..k-1."""

    def make(n, p, rng):
        centers = spread * rng.standard_normal((n_classes, p))
        labels = rng.integers(0, n_classes, size=n)
        return host_data(dtype, centers[labels] + rng.standard_normal((n, p)), labels)

    return make


def unlabelled(make: Callable[..., tuple], dtype: str) -> Callable[..., tuple]:
    """make_data for estimators fitted on X alone: the X of `make`, in `dtype`, and y=None."""

    def make_X(n, p, rng):
        return host_data(dtype, make(n, p, rng)[0])[0], None

    return make_X
