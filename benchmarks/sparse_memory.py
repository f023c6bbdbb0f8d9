"""Peak memory of SGDClassifier and MultinomialNB on a 1,000,000 × 1,000,000 CSR matrix with 0.01% non-zeros.

The matrix holds 10⁸ stored values (100 per row, in random columns): float32 values and int32 column
indices, 800 MB, plus 4 MB of row pointers. Its dense form would hold 10¹² entries (4 TB): nothing
of that shape is ever made. The goal is a peak within 3 times the matrix's own size.

Each measurement runs in a fresh subprocess, as `kmeans_memory` does:

- rss: the process's peak resident memory during the fit (VmHWM, reset once the matrix is made)
  minus its resident memory just before the matrix was made, so it counts the matrix and everything
  the fit adds, whatever allocates it (numpy, scipy's sparse kernels, torch, ...);
- traced (numpy only): the peak of numpy's own allocations during the fit (tracemalloc), plus the matrix.

    python -m benchmarks.sparse_memory [--n 1000000] [--per-row 100] [--backends numpy torch] [--epochs 2]
"""

from __future__ import annotations

import argparse
import json
import sys

from benchmarks.kmeans_memory import _status_mb, child_result, measured_fit


def make_matrix(n: int, per_row: int, seed: int = 0):
    """An n × n CSR matrix with `per_row` stored values in each row, made without any dense array."""
    import numpy as np
    import scipy.sparse

    rng = np.random.default_rng(seed)
    indptr = np.arange(0, n * per_row + 1, per_row, dtype=np.int32)  # (n + 1,)
    indices = rng.integers(0, n, size=n * per_row, dtype=np.int32)  # (nnz,)
    data = np.ones(n * per_row, dtype=np.float32)  # word counts of 1
    data[::7] = 2.0
    X = scipy.sparse.csr_matrix((data, indices, indptr), shape=(n, n), copy=False)
    y = (indices[::per_row] % 2).astype(np.int64)  # a label each row's first column decides (learnable)
    return X, y


def measure(estimator: str, backend: str, n: int, per_row: int, epochs: int) -> dict:
    """Fit once in this process and report its memory (call in a fresh process)."""
    import warnings

    from xpml.linear_model import SGDClassifier
    from xpml.naive_bayes import MultinomialNB

    def model():
        if estimator == "SGDClassifier":
            return SGDClassifier(max_iter=epochs, tol=None, random_state=0, backend=backend)
        return MultinomialNB(backend=backend)

    with warnings.catch_warnings():  # a small fit first: libraries load lazily, and that is not the fit's memory
        warnings.simplefilter("ignore")
        model().fit(*make_matrix(2000, 5))
    rss_before = _status_mb("VmRSS")
    X, y = make_matrix(n, per_row)
    matrix_mb = (X.data.nbytes + X.indices.nbytes + X.indptr.nbytes) / 2**20
    traced = backend == "numpy"
    fitted, seconds, traced_peak = measured_fit(lambda: model().fit(X, y), traced)
    accuracy = float((fitted.predict(X[:20000]) == y[:20000]).mean())
    return dict(estimator=estimator, backend=backend, n=n, nnz=int(X.nnz), seconds=round(seconds, 1),
                matrix_mb=round(matrix_mb, 1), rss_mb=round(_status_mb("VmHWM") - rss_before, 1),
                traced_mb=round(traced_peak / 2**20 + matrix_mb, 1) if traced else None,
                accuracy=round(accuracy, 3))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sparse_memory", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--per-row", type=int, default=100)
    parser.add_argument("--backends", nargs="+", default=["numpy"])
    parser.add_argument("--estimators", nargs="+", default=["SGDClassifier", "MultinomialNB"])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:  # a fresh process: measure one configuration and print it as JSON
        print(json.dumps(measure(**json.loads(args.child))))
        return 0
    print("| estimator | backend | n × n | stored values | fit s | matrix MB | peak RSS MB | numpy peak MB | "
          "peak / matrix | within 3× |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for estimator in args.estimators:
        for backend in args.backends:
            config = dict(estimator=estimator, backend=backend, n=args.n, per_row=args.per_row, epochs=args.epochs)
            r = child_result("benchmarks.sparse_memory", config, check=False)
            if not isinstance(r, dict):
                print(f"| {estimator} | {backend} | failed: {r.stderr.strip().splitlines()[-1]} |", flush=True)
                continue
            worst = max(v for v in (r["rss_mb"], r["traced_mb"]) if v is not None)
            print(f"| {estimator} | {backend} | {r['n']:,} × {r['n']:,} | {r['nnz']:,} | {r['seconds']} | "
                  f"{r['matrix_mb']} | {r['rss_mb']} | {r['traced_mb'] or '-'} | {worst / r['matrix_mb']:.2f} | "
                  f"{'yes' if worst <= 3 * r['matrix_mb'] else 'NO'} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
