"""The demo: every model xpml has, trained on a real data set, on one backend or all of them.

Each entry names a model, the data set it learns, and how to build it. The demo splits each data
set 75/25 with a fixed seed, fits on the first part, scores on the second, and prints one table.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import datasets
from ._backend import _device_spec, make_backend


@dataclass(frozen=True)
class DemoEntry:
    model: str
    dataset: str
    metric: str  # "R²" or "accuracy": what `model.score` returns
    build: Callable[[str], object]  # backend spec -> an unfitted estimator


def _entries() -> list[DemoEntry]:
    from .linear_model import LinearRegression
    from .naive_bayes import GaussianNB, MultinomialNB
    from .neighbors import KNeighborsClassifier, KNeighborsRegressor
    from .svm import LinearSVC

    return [
        DemoEntry("LinearRegression", "diabetes", "R²", lambda b: LinearRegression(backend=b)),
        DemoEntry("KNeighborsClassifier", "digits", "accuracy", lambda b: KNeighborsClassifier(backend=b)),
        DemoEntry("KNeighborsRegressor", "diabetes", "R²", lambda b: KNeighborsRegressor(n_neighbors=10, backend=b)),
        DemoEntry("GaussianNB", "wine", "accuracy", lambda b: GaussianNB(backend=b)),
        DemoEntry("MultinomialNB", "digits", "accuracy", lambda b: MultinomialNB(backend=b)),  # pixel counts
        DemoEntry("LinearSVC", "iris", "accuracy", lambda b: LinearSVC(backend=b)),
    ]


def _split(X: np.ndarray, y: np.ndarray, seed: int = 0):
    order = np.random.default_rng(seed).permutation(len(X))
    cut = (3 * len(X)) // 4
    return X[order[:cut]], X[order[cut:]], y[order[:cut]], y[order[cut:]]


def run_demo(backends: list[str], out=print) -> list[dict]:
    """Fit every demo model on every backend in `backends`; print and return the table's rows."""
    resolved = [make_backend(spec) for spec in backends]  # a bad name fails here, before any output
    rows = []
    header = f"{'model':<24}{'data set':<15}{'backend':<32}{'dtype':<9}{'test score':>16}{'fit (s)':>10}"
    out(header)
    out("-" * len(header))
    for entry in _entries():
        X, y = getattr(datasets, f"load_{entry.dataset}")(return_X_y=True)
        X_train, X_test, y_train, y_test = _split(X, y)
        for backend in resolved:
            model = entry.build(backend)
            model.fit(X_train, y_train).score(X_test, y_test)  # warm-up: the first run pays for compilation
            start = time.perf_counter()
            model.fit(X_train, y_train)
            score = model.score(X_test, y_test)  # a score reads the result back, so the fit is finished
            seconds = time.perf_counter() - start
            row = dict(model=entry.model, dataset=entry.dataset, backend=f"{backend.name} ({_device_spec(backend)})",
                       dtype=model._dtype, metric=entry.metric, score=score, seconds=seconds)
            rows.append(row)
            out(f"{row['model']:<24}{row['dataset']:<15}{row['backend']:<32}{row['dtype']:<9}"
                f"{entry.metric + ' ' + format(score, '.4f'):>16}{seconds:>10.4f}")
    return rows
