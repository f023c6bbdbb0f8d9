"""One module per algorithm, each defining `WORKLOAD` (or a list, `WORKLOADS`); `all_workloads` collects them."""

from __future__ import annotations

import importlib
import pkgutil


def all_workloads() -> dict:
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for workload in getattr(module, "WORKLOADS", [getattr(module, "WORKLOAD", None)]):
            if workload is not None:
                found[workload.name] = workload
    return found
