"""Fit-and-score times of xpml's trees and forests against scikit-learn's, in one process, on the data of the
bench workloads (`xpml/bench/workloads/fits.py`: five Gaussian classes, float32):

    python -m benchmarks.tree_speed --model forest --n 200000 --p 20 --trees 100 --backends numpy sklearn
    python -m benchmarks.tree_speed --model tree --n 50000 --p 20 --backends numpy torch jax sklearn

Each line gives the time of `fit` then `score` on the training data (as the bench times them), the
accuracy, and the ratio to scikit-learn's time where it ran first; the machine's load average is printed
before and after, since the development machine is shared.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from xpml.bench._harness import classification_data


def build(library, model: str, trees: int):
    """The bench workloads' estimators: a forest of `trees` trees of depth <= 12, or a tree of depth <= 10."""
    if model == "forest":
        return library.ensemble.RandomForestClassifier(n_estimators=trees, max_depth=12, random_state=0)
    return library.tree.DecisionTreeClassifier(max_depth=10, random_state=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["forest", "tree"], default="forest")
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--p", type=int, default=20)
    parser.add_argument("--trees", type=int, default=100)
    parser.add_argument("--backends", nargs="+", default=["sklearn", "numpy"])
    args = parser.parse_args()
    import sklearn.ensemble
    import sklearn.tree

    import xpml.ensemble
    import xpml.tree
    from xpml._backend import make_backend, to_backend

    X, y = classification_data("float32")(args.n, args.p, np.random.default_rng(0))
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    reference = None
    for name in args.backends:
        if name == "sklearn":
            model, Xb, yb = build(sklearn, args.model, args.trees), X, y
        else:
            backend = make_backend(name)
            model, Xb, yb = build(xpml, args.model, args.trees), to_backend(X, backend), to_backend(y, backend)
            model.set_params(backend=name)
        start = time.perf_counter()
        score = float(model.fit(Xb, yb).score(Xb, yb))
        elapsed = time.perf_counter() - start
        reference = elapsed if name == "sklearn" and reference is None else reference
        ratio = f"  {elapsed / reference:.2f}x scikit-learn" if reference and name != "sklearn" else ""
        print(f"{args.model} {args.n}x{args.p} trees={args.trees if args.model == 'forest' else 1} {name:8s} "
              f"{elapsed:8.2f} s  accuracy {score:.4f}{ratio}", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
