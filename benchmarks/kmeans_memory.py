"""Peak memory of KMeans on 2,000,000 × 32 float32 data (256 MB) with k=256: it should stay under twice the data.

Each measurement runs in a fresh subprocess, so that one cannot inherit another's freed memory:

- rss: the process's peak resident memory during the fit (VmHWM, reset once the data are on the
  backend) minus its resident memory just before the data were made (after a small warm-up fit has
  loaded the libraries), so it counts the data and everything the fit allocates, whatever the
  library (numpy, its BLAS, torch, jax, ...);
- traced (numpy only): the peak of numpy's allocations during the fit alone (tracemalloc), plus the
  data.

The data are drawn directly in float32, a block at a time, so making them does not itself peak
above their size.

    python -m benchmarks.kmeans_memory [--n 2000000] [--backends numpy torch] [--init k-means++ random] [--max-iter 10]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

N_FEATURES, N_CLUSTERS = 32, 256


def _status_mb(field: str) -> float:
    """VmRSS (resident memory now) or VmHWM (its peak) of this process, in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    """Start VmHWM afresh from the current resident memory (Linux: /proc/self/clear_refs)."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def measured_fit(fit, traced: bool):
    """Run `fit()` with the peak memory counted from now: (its result, seconds, numpy's traced peak in bytes).

    VmHWM restarts from the current resident memory; where `traced` (numpy, whose allocations tracemalloc
    sees), numpy's own peak is traced too (0 otherwise). Warnings are silenced: max_iter is reached on purpose.
    """
    import time
    import tracemalloc
    import warnings

    _reset_peak()
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = fit()
    seconds = time.perf_counter() - start
    traced_peak = tracemalloc.get_traced_memory()[1] if traced else 0
    tracemalloc.stop()
    return result, seconds, traced_peak


def child_result(module: str, config: dict, *, check: bool = True):
    """Run `python -m <module> --child <config>` in a fresh process: its result (the last line, JSON), or the
    finished process where it failed and `check` is False."""
    out = subprocess.run([sys.executable, "-m", module, "--child", json.dumps(config)],
                         capture_output=True, text=True, check=check)
    return out if out.returncode else json.loads(out.stdout.strip().splitlines()[-1])


def measure(backend: str, n: int, init: str, max_iter: int, with_sklearn: bool = False) -> dict:
    """Fit once in this process and report its memory (call in a fresh process)."""
    import warnings

    import numpy as np

    from xpml._backend import make_backend, synchronize, to_backend

    b = make_backend(backend)
    if with_sklearn:
        from sklearn.cluster import KMeans
    else:
        from xpml.cluster import KMeans
    with warnings.catch_warnings():  # a small fit first: libraries load lazily, and that is not the fit's memory
        warnings.simplefilter("ignore")
        small = to_backend(np.random.default_rng(1).standard_normal((2000, N_FEATURES), dtype=np.float32), b)
        if with_sklearn:
            KMeans(n_clusters=8, init=init, n_init=1, max_iter=2).fit(small)
        else:
            KMeans(n_clusters=8, init=init, n_init=1, max_iter=2, backend=b).fit(small)
        del small
    rss_before = _status_mb("VmRSS")
    rng = np.random.default_rng(0)
    X = np.empty((n, N_FEATURES), dtype=np.float32)
    for start in range(0, n, 100_000):  # blocks of float32 draws: no float64 copy of the whole
        X[start:start + 100_000] = rng.standard_normal((min(100_000, n - start), N_FEATURES), dtype=np.float32)
    X = to_backend(X, b)  # numpy -> torch shares the memory (DLPack); jax copies, and the original goes
    synchronize(b, X)  # jax copies in the background: until it has finished, both copies are held
    data_mb = n * N_FEATURES * 4 / 2**20
    # the peak from here on: the data, and all the fit adds to them (tracemalloc sees numpy's allocations only)
    if with_sklearn:
        fit = KMeans(n_clusters=N_CLUSTERS, init=init, n_init=1, max_iter=max_iter, random_state=0).fit
    else:
        fit = KMeans(n_clusters=N_CLUSTERS, init=init, n_init=1, max_iter=max_iter, random_state=0, backend=b).fit
    model, seconds, traced_peak = measured_fit(lambda: fit(X), traced=backend == "numpy")
    peak_rss_mb = _status_mb("VmHWM")
    return dict(
        library="sklearn" if with_sklearn else f"xpml/{backend}", n_samples=n, n_features=N_FEATURES,
        n_clusters=N_CLUSTERS, init=init, max_iter=max_iter, n_iter=int(model.n_iter_), seconds=round(seconds, 1),
        data_mb=round(data_mb, 1), rss_mb=round(peak_rss_mb - rss_before, 1),
        traced_mb=round(traced_peak / 2**20 + data_mb, 1) if backend == "numpy" else None,
        limit_mb=round(2 * data_mb, 1),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.kmeans_memory", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2_000_000)
    parser.add_argument("--backends", nargs="+", default=["numpy"])
    parser.add_argument("--init", nargs="+", default=["k-means++"])
    parser.add_argument("--max-iter", type=int, default=10)
    parser.add_argument("--sklearn", action="store_true", help="also measure scikit-learn's KMeans (for comparison)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:  # a fresh process: measure one configuration and print it as JSON
        print(json.dumps(measure(**json.loads(args.child))))
        return 0
    configs = [dict(backend=b, n=args.n, init=i, max_iter=args.max_iter) for b in args.backends for i in args.init]
    if args.sklearn:
        configs += [dict(backend="numpy", n=args.n, init=i, max_iter=args.max_iter, with_sklearn=True)
                    for i in args.init]
    print("| library | init | n_samples × n_features | k | iterations | fit s | data MB | peak RSS MB | "
          "numpy peak MB | limit MB (2 × data) | within |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for config in configs:
        r = child_result("benchmarks.kmeans_memory", config)
        worst = max(v for v in (r["rss_mb"], r["traced_mb"]) if v is not None)
        print(f"| {r['library']} | {r['init']} | {r['n_samples']:,} × {r['n_features']} | {r['n_clusters']} | "
              f"{r['n_iter']} | {r['seconds']} | {r['data_mb']} | {r['rss_mb']} | {r['traced_mb'] or '-'} | "
              f"{r['limit_mb']} | {'yes' if worst < r['limit_mb'] else 'NO'} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
