"""Out of core on a LocalCluster: KMeans, LogisticRegression and PCA on data several times the workers' memory,
by xpml and by dask-ml on the same cluster and data.

The data set is written to disk as .npy files, one per chunk of rows, and read back as a dask array
whose tasks load one file each: no process ever holds it whole. A LocalCluster of 2 worker processes,
each limited to `--worker-memory`, fits xpml's estimators (backend="dask") on it; the data set is at
least 4 times the workers' total limit. Reported: sizes, the time of each fit, the peak resident memory
of each worker process, and whether a worker was restarted (killed at its limit). dask-ml (the `bench`
extra: pip install 'xpml[bench]') runs the same fits on the same cluster and data, from the same start
where the estimator takes one: the ratios of the times (dask-ml / xpml: above 1, xpml is faster) and how
far the results are apart (KMeans: centres and inertia; LogisticRegression: coefficients; PCA: explained
variance) are reported. `--small` runs the whole comparison in a few minutes, on data that fit in memory.

    python benchmarks/dask_out_of_core.py --rows 10500000 --features 32 --worker-memory 320MiB
    python benchmarks/dask_out_of_core.py --small --out benchmarks/results/dask-out-of-core/small.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

import numpy as np


def write_chunks(folder: str, rows: int, features: int, chunk_rows: int, seed: int = 0) -> list[str]:
    """Blobs around 8 centres, with labels from a linear rule, as .npy files of `chunk_rows` rows each."""
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=4.0, size=(8, features))
    w = rng.normal(size=features)
    paths = []
    for i, start in enumerate(range(0, rows, chunk_rows)):
        n = min(chunk_rows, rows - start)
        x_path, y_path = os.path.join(folder, f"X_{i:05d}.npy"), os.path.join(folder, f"y_{i:05d}.npy")
        if not (os.path.exists(x_path) and os.path.exists(y_path)):
            X = centres[rng.integers(0, 8, n)] + rng.normal(size=(n, features))
            np.save(x_path, X)
            np.save(y_path, (X @ w + rng.normal(size=n) > 0).astype(np.int64))
        paths.append((x_path, y_path, n))
    return paths


def load(paths, features: int):
    import dask
    import dask.array as da

    # Keys of their own at each call (pure=False): each fit reads the files through a graph of its own, so that
    # the scheduler never meets one key with two task specs (which distributed refuses, or fails on).
    read = dask.delayed(np.load, pure=False)
    X = da.concatenate([da.from_delayed(read(x), shape=(n, features), dtype=np.float64) for x, _, n in paths])
    y = da.concatenate([da.from_delayed(read(y), shape=(n,), dtype=np.int64) for _, y, n in paths])
    return X, y


def start_sampler() -> None:
    """In a worker: a thread that keeps the peak resident memory of the process, sampled every 20 ms."""
    import threading

    if hasattr(sys.modules[__name__], "PEAK"):
        return

    import psutil

    process, state = psutil.Process(), {"peak": 0}

    def sample():
        while True:
            state["peak"] = max(state["peak"], process.memory_info().rss)
            time.sleep(0.02)
    threading.Thread(target=sample, daemon=True).start()
    sys.modules[__name__].PEAK = state


def read_peak_mib(reset: bool = True) -> float:
    start_sampler()  # a worker restarted by its nanny has none yet
    state = sys.modules[__name__].PEAK
    peak = state["peak"] / 2**20
    if reset:
        state["peak"] = 0
    return peak


def lifetime_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--features", type=int, default=32)
    parser.add_argument("--chunk-rows", type=int, default=100_000)
    parser.add_argument("--worker-memory", default="300MiB")
    parser.add_argument("--folder", default="/tmp/xpml_out_of_core")
    parser.add_argument("--kmeans-iter", type=int, default=10)
    parser.add_argument("--logistic-iter", type=int, default=10)
    parser.add_argument("--no-dask-ml", action="store_true", help="run xpml only")
    parser.add_argument("--dask-ml-pca", default="tsqr", help="dask-ml's svd_solver: tsqr (exact) or randomized")
    parser.add_argument("--only", default="kmeans,logistic,pca")
    parser.add_argument("--small", action="store_true",
                        help="1,000,000 rows in chunks of 50,000, workers of 1 GiB, LogisticRegression to convergence: "
                             "a few minutes, in memory")
    parser.add_argument("--out", default=None, help="write the report (JSON) here")
    args = parser.parse_args(argv)
    if args.small:
        args.rows, args.chunk_rows, args.logistic_iter, args.worker_memory = 1_000_000, 50_000, 100, "1GiB"
        args.folder = args.folder + "_small"

    from dask.utils import parse_bytes
    from distributed import Client, LocalCluster

    import xpml.cluster
    import xpml.decomposition
    import xpml.linear_model

    paths = write_chunks(args.folder, args.rows, args.features, args.chunk_rows)
    data_bytes = args.rows * args.features * 8
    limit = parse_bytes(args.worker_memory)
    report = {"rows": args.rows, "features": args.features, "data_GiB": data_bytes / 2**30,
              "chunks": len(paths), "workers": 2, "worker_limit_MiB": limit / 2**20,
              "data_over_total_limit": data_bytes / (2 * limit), "fits": {}}
    print(json.dumps({k: v for k, v in report.items() if k != "fits"}), flush=True)

    dask_ml = None
    if not args.no_dask_ml:
        try:
            import dask_ml.cluster
            import dask_ml.decomposition
            import dask_ml.linear_model
            report["dask_ml"] = dask_ml.__version__
        except ImportError as exc:
            report["dask_ml"] = f"not importable ({exc}): pip install 'xpml[bench]'"
    else:
        report["dask_ml"] = "not run (--no-dask-ml)"

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit=args.worker_memory,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        init = np.asarray(load(paths, args.features)[0][:8].compute())
        fits = {
            "kmeans": (lambda X, y: xpml.cluster.KMeans(8, init=init, n_init=1, max_iter=args.kmeans_iter, tol=0,
                                                        backend="dask").fit(X),
                       lambda X, y: dask_ml.cluster.KMeans(n_clusters=8, init=init, max_iter=args.kmeans_iter, tol=0,
                                                           n_init=1).fit(X)),
            "logistic": (lambda X, y: xpml.linear_model.LogisticRegression(max_iter=args.logistic_iter,
                                                                          backend="dask").fit(X, y),
                         lambda X, y: dask_ml.linear_model.LogisticRegression(solver="lbfgs", C=1.0,
                                                                             max_iter=args.logistic_iter).fit(X, y)),
            "pca": (lambda X, y: xpml.decomposition.PCA(4, svd_solver="covariance_eigh", backend="dask").fit(X),
                    lambda X, y: dask_ml.decomposition.PCA(4, svd_solver=args.dask_ml_pca, random_state=0).fit(X)),
        }
        client.run(start_sampler)
        for name in args.only.split(","):
            client.run(read_peak_mib)  # reset
            before = set(client.scheduler_info()["workers"])
            mine, seconds = timed(fits[name][0], *load(paths, args.features))
            peaks = client.run(read_peak_mib)
            row = {"xpml_seconds": round(seconds, 2), "peak_MiB_per_worker": [round(v) for v in peaks.values()],
                   "workers_restarted": len(before - set(client.scheduler_info()["workers"]))}
            if dask_ml is not None:
                client.run(read_peak_mib)
                before = set(client.scheduler_info()["workers"])
                try:
                    theirs, other = timed(fits[name][1], *load(paths, args.features))
                    row["dask_ml_seconds"] = round(other, 2)
                    row["dask_ml_over_xpml"] = round(other / seconds, 2)
                    row["agreement"] = agreement(name, mine, theirs, load(paths, args.features)[0])
                    row["dask_ml_peak_MiB_per_worker"] = [round(v) for v in client.run(read_peak_mib).values()]
                    row["dask_ml_workers_restarted"] = len(before - set(client.scheduler_info()["workers"]))
                except Exception as exc:  # noqa: BLE001  dask-ml against newer dask or scikit-learn: reported
                    row["dask_ml"] = f"failed: {type(exc).__name__}: {str(exc)[:200]}"
            report["fits"][name] = row
            print(name, json.dumps(row), flush=True)
        report["lifetime_peak_MiB_per_worker"] = [round(v) for v in client.run(lifetime_peak_mib).values()]
    return report


def _host(a):
    return np.asarray(a.compute() if hasattr(a, "compute") else a, dtype=np.float64)


def _relative(a, b) -> float:
    """max |a - b| over max |b|: how far apart two results are, in units of their size."""
    a, b = _host(a), _host(b)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


def _inertia(X, centres) -> float:
    """Σ over the rows of X of the squared distance to the nearest of `centres` (k, d): one pass over X."""
    C = _host(centres)
    d2 = (X * X).sum(axis=1)[:, None] - 2 * X @ C.T + (C * C).sum(axis=1)  # (n, k)
    return float(d2.min(axis=1).sum().compute())


def agreement(name: str, mine, theirs, X) -> dict:
    """How far xpml's fitted model is from dask-ml's (relative differences), measured on the same data X."""
    if name == "kmeans":  # each library's own inertia_, and both recomputed here from the centres
        ours, other = _inertia(X, mine.cluster_centers_), _inertia(X, theirs.cluster_centers_)
        return {"centres": _relative(mine.cluster_centers_, theirs.cluster_centers_),
                "inertia_recomputed": abs(ours - other) / other, "xpml_inertia_": float(mine.inertia_),
                "dask_ml_inertia_": float(theirs.inertia_), "inertia_recomputed_from_xpml_centres": ours}
    if name == "logistic":
        ours = np.concatenate([_host(mine.coef_).ravel(), _host(mine.intercept_).ravel()])
        other = np.concatenate([_host(theirs.coef_).ravel(), np.ravel(_host(theirs.intercept_))])
        head = X[:200_000]
        same = float((_host(mine.predict(head)) == _host(theirs.predict(head))).mean())
        return {"coefficients": _relative(ours, other), "xpml_n_iter": int(np.max(mine.n_iter_)),
                "same_predictions_first_200000_rows": same}
    components = np.abs(np.sum(_host(mine.components_) * _host(theirs.components_), axis=1))  # |cos|, 1: same axis
    return {"explained_variance": _relative(mine.explained_variance_, theirs.explained_variance_),
            "components_min_abs_cosine": float(np.min(components))}


if __name__ == "__main__":
    result = main()
    print(json.dumps(result, indent=1))
    out = next((sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == "--out"), None)
    if out:
        with open(out, "w") as f:
            json.dump(result, f, indent=1)
