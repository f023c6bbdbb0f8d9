"""The demo: every model xpml has, trained on a real data set, on one backend or all of them.

Each entry (`_demo_entries`) names a model, the data set it learns, and how to build it. The demo splits
each data set 75/25 with a fixed seed, fits on the first part, scores on the second, and prints one table.
"""

from __future__ import annotations

import time

import numpy as np

from . import datasets
from ._backend import device_spec, make_backend


from ._demo_entries import ENVIRONMENTS, _entries, _environment


def _dtype_of(model) -> str:
    """The dtype a fitted model computed in (a pipeline's: its last step's)."""
    model = getattr(model, "_final_estimator", model)
    return getattr(model, "_dtype", "-")


def _split(X: np.ndarray, y: np.ndarray, seed: int = 0):
    order = np.random.default_rng(seed).permutation(len(X))
    cut = (3 * len(X)) // 4
    return X[order[:cut]], X[order[cut:]], y[order[:cut]], y[order[cut:]]


def run_demo(backends: list[str], out=print, skip=(), once: bool = False) -> list[dict]:
    """Fit every demo model (but those named in `skip`) on every backend in `backends`; print and return the rows.

    Each fit is timed after a first, warm-up fit that pays for compilation; `once` fits each model once and
    times that fit, compilation included.
    """
    unknown = sorted(set(skip) - {entry.model for entry in _entries()})
    if unknown:
        raise ValueError(f"skip={unknown} names no model of the demo; its models are "
                         f"{', '.join(entry.model for entry in _entries())}.")
    resolved = [make_backend(spec) for spec in backends]  # a bad name fails here, before any output
    rows = []
    header = f"{'model':<31}{'data set':<15}{'backend':<32}{'dtype':<9}{'test score':>16}{'fit (s)':>10}"
    out(header)
    out("-" * len(header))
    for entry in (entry for entry in _entries() if entry.model not in skip):
        if entry.dataset in ENVIRONMENTS:  # an agent learns from, and is scored on, the environment itself
            train = test = (_environment(entry.dataset),)
        else:
            X, y = getattr(datasets, f"load_{entry.dataset}")(return_X_y=True)
            X, y = entry.prepare(X, y) if entry.prepare is not None else (X, y)
            X_train, X_test, y_train, y_test = _split(X, y)
            train, test = (X_train, y_train), (X_test, y_test)
        score_of = entry.score or (lambda model, X, y: model.score(X, y))
        for backend in resolved:
            model = entry.build(backend)
            if not once:
                score_of(model.fit(*train), *test)  # warm-up: the first run pays for compilation
            start = time.perf_counter()
            model.fit(*train)
            score = score_of(model, *test)  # a score reads the result back, so the fit is finished
            seconds = time.perf_counter() - start
            row = dict(model=entry.model, dataset=entry.dataset, backend=f"{backend.name} ({device_spec(backend)})",
                       dtype=_dtype_of(model), metric=entry.metric, score=score, seconds=seconds)
            rows.append(row)
            out(f"{row['model']:<31}{row['dataset']:<15}{row['backend']:<32}{row['dtype']:<9}"
                f"{entry.metric + ' ' + format(score, '.4f'):>16}{seconds:>10.4f}")
    return rows
