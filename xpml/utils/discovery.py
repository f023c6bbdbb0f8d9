"""Finding every public estimator of xpml, for the common tests and the command line."""

from __future__ import annotations

import importlib
import inspect

__all__ = ["all_estimators"]

PUBLIC_MODULES = ["linear_model", "cluster", "decomposition", "neural_network", "neighbors", "naive_bayes", "svm",
                  "preprocessing", "pipeline", "model_selection"]


def all_estimators() -> list[tuple[str, type]]:
    """(name, class) of every public estimator, sorted by name."""
    from ..base import BaseEstimator

    found = {}
    for module_name in PUBLIC_MODULES:
        try:
            module = importlib.import_module(f"xpml.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"xpml.{module_name}":
                raise
            continue
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator) and not inspect.isabstract(obj):
                found[name] = obj
    return sorted(found.items())
