"""KMeans on dask's threads, in memory: xpml against dask-ml on the same data, from the same centres.

1,000,000 × 32 float64 (8 blobs, as benchmarks/dask_out_of_core.py makes them) in 20 chunks of 50,000 rows, held
in memory as a dask array; KMeans(8) from given centres, 10 Lloyd iterations, tol=0, on dask's threaded scheduler.
Each library's fit runs once untimed, then `--repeats` times, alternating; reported: the median and the least
wall-clock time, the median process CPU time, and how far the centres are apart.

    python benchmarks/dask_kmeans_threads.py --repeats 5
"""

from __future__ import annotations

import argparse
import json
import time
import warnings

import numpy as np


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    import dask
    import dask.array as da
    import dask_ml.cluster

    import xpml.cluster

    rng = np.random.default_rng(0)
    centres = rng.normal(scale=4.0, size=(8, 32))
    X_host = centres[rng.integers(0, 8, args.rows)] + rng.normal(size=(args.rows, 32))
    X, init = da.from_array(X_host, chunks=(50_000, 32)), X_host[:8]
    fits = {"xpml": lambda: xpml.cluster.KMeans(8, init=init, n_init=1, max_iter=10, tol=0, backend="dask").fit(X),
            "dask_ml": lambda: dask_ml.cluster.KMeans(n_clusters=8, init=init, max_iter=10, tol=0, n_init=1).fit(X)}
    times, models = {name: [] for name in fits}, {}
    with dask.config.set(scheduler="threads"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # max_iter is reached on purpose
        for name, fit in fits.items():
            models[name] = fit()
        for _ in range(args.repeats):
            for name, fit in fits.items():
                wall, cpu = time.perf_counter(), time.process_time()
                fit()
                times[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    report = {name: {"wall_median_s": round(float(np.median([t[0] for t in v])), 3),
                     "wall_min_s": round(float(min(t[0] for t in v)), 3),
                     "cpu_median_s": round(float(np.median([t[1] for t in v])), 3)} for name, v in times.items()}
    report["dask_ml_over_xpml_wall_median"] = round(report["dask_ml"]["wall_median_s"] / report["xpml"]["wall_median_s"], 2)
    ours, theirs = np.asarray(models["xpml"].cluster_centers_), np.asarray(models["dask_ml"].cluster_centers_)
    report["centres_relative_difference"] = float(np.abs(ours - theirs).max() / np.abs(theirs).max())
    return report


if __name__ == "__main__":
    print(json.dumps(main(), indent=1))
