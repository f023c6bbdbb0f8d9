"""Installing the proxies into scikit-learn's modules, and taking them out again.

For every xpml estimator whose scikit-learn twin lives under the same module path
(xpml.linear_model.Ridge <-> sklearn.linear_model.Ridge), the name is replaced in the module that
defines the scikit-learn class (sklearn.linear_model._ridge) and in its public parent
(sklearn.linear_model). Every replacement is remembered, so `uninstall` puts back exactly what was
there, and an error half-way through `install` undoes the ones already made.
"""

from __future__ import annotations

import importlib
import threading

from ..utils.discovery import MODEL_FOLDERS, all_estimators
from ._proxy import make_proxy

# The folders whose estimators are proxied. pipeline and model_selection are not: scikit-learn's own
# Pipeline and GridSearchCV drive the proxies. LabelEncoder is not: it fits on y alone, on the host.
# FunctionTransformer is not: it runs the script's own function, written for what scikit-learn gives it
# (numpy arrays, DataFrames); there is nothing of xpml's to run, and a backend's arrays would reach it.
FOLDERS = MODEL_FOLDERS + ("preprocessing",)
SKIPPED = {"LabelEncoder", "FunctionTransformer"}

_lock = threading.Lock()
_patches: list[tuple[object, str, type]] = []  # (module, name, the original) for each replacement made
_state = {"backend": None}


def pairs() -> list[tuple[type, type]]:
    """(scikit-learn class, xpml class) for every estimator both have under the same module path."""
    found = []
    for name, xpml_class in all_estimators(FOLDERS):
        if name in SKIPPED:
            continue
        folder = xpml_class.__module__.split(".")[1]
        try:
            sk_module = importlib.import_module(f"sklearn.{folder}")
        except ImportError:
            continue
        sk_class = getattr(sk_module, name, None)
        if isinstance(sk_class, type) and not getattr(sk_class, "_xpml_proxy", None):
            found.append((sk_class, xpml_class))
    return found


def install(backend: str) -> list[str]:
    """Patch scikit-learn; returns the names of the patched estimators."""
    with _lock:
        _uninstall_locked()
        try:
            for sk_class, xpml_class in pairs():
                proxy = make_proxy(sk_class, xpml_class, backend)
                folder = xpml_class.__module__.split(".")[1]
                for module_name in dict.fromkeys((sk_class.__module__, f"sklearn.{folder}")):
                    module = importlib.import_module(module_name)
                    if getattr(module, sk_class.__name__, None) is sk_class:
                        _patches.append((module, sk_class.__name__, sk_class))
                        setattr(module, sk_class.__name__, proxy)
        except BaseException:
            _uninstall_locked()
            raise
        _state["backend"] = backend
        return sorted({name for _, name, _ in _patches})


def _uninstall_locked() -> None:
    while _patches:
        module, name, original = _patches.pop()
        setattr(module, name, original)
    _state["backend"] = None


def uninstall() -> None:
    """Put back every scikit-learn class that `install` replaced."""
    with _lock:
        _uninstall_locked()


def installed_backend() -> str | None:
    return _state["backend"]
