"""Finding every public estimator of xpml, for the common tests and the command line; and the one list
of xpml's algorithm folders, which the layout test, the benchmark test and the common tests read.

This module sits below `xpml.base` (it imports nothing of xpml at import time, and never `base`): an
estimator is recognized by what it does, a class with `fit` and `get_params`, as scikit-learn's
duck typing does.
"""

from __future__ import annotations

import importlib
import inspect

__all__ = ["ALGORITHM_FOLDERS", "HOST_FOLDERS", "MODEL_FOLDERS", "PUBLIC_MODULES", "TEXT_MODULES", "all_estimators"]

# The folders of models: learning algorithms, each with a benchmark workload and a common-test recipe.
MODEL_FOLDERS = ("linear_model", "svm", "kernel_ridge", "neighbors", "naive_bayes", "neural_network", "cluster",
                 "decomposition", "tree", "ensemble", "feature_selection")
# Every folder of array-API-only code (STYLE.md habit 1): the models, and the algorithms they share.
# `rl` (reinforcement learning) learns from an environment, not from (X, y): it is not among the models, whose
# common tests, demo and benchmark fit on data.
ALGORITHM_FOLDERS = MODEL_FOLDERS + ("preprocessing", "metrics", "model_selection", "optim", "rl", "inspection",
                                     "compose")
# Folders of host code, where numpy is allowed and no array-API algorithm runs: string work on the host
# (tokenizing text, whose results are scipy.sparse matrices) and the environments of `rl` (host simulations).
HOST_FOLDERS = ("feature_extraction", "envs")
# The modules whose public estimators `all_estimators` lists by default: those that take arrays.
PUBLIC_MODULES = MODEL_FOLDERS + ("preprocessing", "impute", "compose", "pipeline", "model_selection")
# The modules of estimators that take text documents, not arrays: tested on their own (tests/test_text.py).
TEXT_MODULES = ("feature_extraction.text",)


def _is_estimator(obj) -> bool:
    return (inspect.isclass(obj) and not inspect.isabstract(obj)
            and callable(getattr(obj, "fit", None)) and callable(getattr(obj, "get_params", None)))


def all_estimators(modules=PUBLIC_MODULES) -> list[tuple[str, type]]:
    """(name, class) of every public estimator of `modules` (names under xpml), sorted by name."""
    found = {}
    for module_name in modules:
        try:
            module = importlib.import_module(f"xpml.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"xpml.{module_name}":
                raise
            continue
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if _is_estimator(obj):
                found[name] = obj
    return sorted(found.items())
