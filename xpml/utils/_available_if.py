"""Methods that exist only when a condition holds, for meta-estimators (Pipeline, GridSearchCV).

A pipeline has `predict_proba` only if its last step has it; `hasattr(pipe, "predict_proba")` must
say so, since scorers and scikit-learn choose a method by asking.
"""

from __future__ import annotations

import functools
import types
from typing import Any, Callable

__all__ = ["available_if"]


class available_if:
    """Decorator: the method is an attribute only where `check(self)` is true (else AttributeError)."""

    def __init__(self, check: Callable[[Any], bool]):
        self.check = check

    def __call__(self, fn: Callable) -> available_if:
        self.fn = fn
        functools.update_wrapper(self, fn)
        return self

    def __get__(self, obj: Any, owner: type | None = None):
        if obj is None:
            return self.fn
        if not self.check(obj):
            raise AttributeError(f"This {type(obj).__name__} has no {self.fn.__name__} method: the estimator it "
                                 f"delegates to has none.")
        return types.MethodType(self.fn, obj)
