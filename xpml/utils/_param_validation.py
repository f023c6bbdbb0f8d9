"""Checking an estimator's parameters against declared constraints, with messages that say the rule.

Infinity is refused by every Interval unless it says `allow_inf=True`: Ridge(alpha=inf) or
GaussianNB(var_smoothing=inf) would only give NaN outputs.

An estimator declares, for each parameter, the kinds of value it accepts:

    _parameter_constraints = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "solver": [Options({"lbfgs", "gd"})],
        "fit_intercept": ["boolean"],
        "random_state": ["random_state"],
    }

`validate_params` raises ValueError for a value of the right type outside its range or options
("alpha=-1 should be >= 0.") and TypeError for a value of the wrong type.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Interval", "Options", "validate_params"]


@dataclass(frozen=True)
class Interval:
    """Numbers of `kind` (numbers.Real or numbers.Integral) between `left` and `right` (None: unbounded)."""

    kind: type
    left: float | None
    right: float | None
    closed: str = "both"  # "both", "left", "right" or "neither"
    allow_inf: bool = False  # infinity passes only where the parameter declares it (never NaN)

    def accepts_type(self, value: Any) -> bool:
        if isinstance(value, (bool, np.bool_)):
            return False
        return isinstance(value, self.kind)

    def contains(self, value: Any) -> bool:
        if value != value:  # NaN
            return False
        if not self.allow_inf and value in (math.inf, -math.inf):  # inf α, inf smoothing: NaN outputs
            return False
        low_ok = self.left is None or (value >= self.left if self.closed in ("both", "left") else value > self.left)
        high_ok = self.right is None or (value <= self.right if self.closed in ("both", "right") else value < self.right)
        return low_ok and high_ok

    def rule(self) -> str:
        parts = []
        if self.left is not None:
            parts.append((">= " if self.closed in ("both", "left") else "> ") + repr(self.left))
        if self.right is not None:
            parts.append(("<= " if self.closed in ("both", "right") else "< ") + repr(self.right))
        return " and ".join(parts) or "a number"

    def type_name(self) -> str:
        return "an int" if issubclass(self.kind, numbers.Integral) else "a number"


@dataclass(frozen=True)
class Options:
    """One of a fixed set of values (strings, usually)."""

    values: frozenset

    def __init__(self, values):
        object.__setattr__(self, "values", frozenset(values))

    def rule(self) -> str:
        return "one of " + ", ".join(sorted(repr(v) for v in self.values))


_TYPE_NAMES = {
    "boolean": "a bool",
    "random_state": "an int, None, a numpy.random.Generator or a numpy.random.RandomState",
    "array-like": "an array",
    "callable": "a callable",
    "dict": "a dict",
    "str": "a str",
    None: "None",
}


def _matches(value: Any, constraint: Any) -> bool:
    if constraint is None:
        return value is None
    if constraint == "boolean":
        return isinstance(value, (bool, np.bool_))
    if constraint == "random_state":
        return value is None or isinstance(value, (np.random.Generator, np.random.RandomState)) or (
            isinstance(value, numbers.Integral) and not isinstance(value, bool) and 0 <= value < 2**32
        )
    if constraint == "array-like":
        return hasattr(value, "__len__") or hasattr(value, "shape")
    if constraint == "callable":
        return callable(value)
    if constraint == "dict":
        return isinstance(value, dict)
    if constraint == "str":
        return isinstance(value, str)
    if isinstance(constraint, Interval):
        return constraint.accepts_type(value) and constraint.contains(value)
    if isinstance(constraint, Options):
        return isinstance(value, (str, bool, type(None))) and value in constraint.values
    if isinstance(constraint, type):
        return isinstance(value, constraint)
    raise TypeError(f"unknown parameter constraint {constraint!r}")


def check_param(name: str, value: Any, constraints: list) -> None:
    """Raise ValueError or TypeError unless `value` meets one of `constraints`."""
    if any(_matches(value, c) for c in constraints):
        return
    # Right type but out of range, or a string that is not among the options: a ValueError that says the rule.
    for c in constraints:
        if isinstance(c, Interval) and c.accepts_type(value) and not (value - value == 0):  # NaN or ±inf
            raise ValueError(f"{name}={value!r} should be a finite number {c.rule()}.")
        if isinstance(c, Interval) and c.accepts_type(value):
            raise ValueError(f"{name}={value!r} should be {c.rule()}.")
        if isinstance(c, Options) and isinstance(value, str):
            raise ValueError(f"{name}={value!r} should be {c.rule()}.")
        if c == "random_state" and isinstance(value, numbers.Integral) and not isinstance(value, bool):
            raise ValueError(f"{name}={value!r} should be >= 0 and < 2**32.")
    expected = []
    for c in constraints:
        if isinstance(c, Interval):  # an unbounded one is its type alone ("an int")
            bounded = c.left is not None or c.right is not None
            expected.append(f"{c.type_name()} {c.rule()}" if bounded else c.type_name())
        elif isinstance(c, Options):
            expected.append(c.rule())
        elif isinstance(c, type):
            expected.append(f"a {c.__name__}")
        else:
            expected.append(_TYPE_NAMES[c])
    raise TypeError(f"{name} should be {' or '.join(expected)}; got {value!r} ({type(value).__name__}).")


def validate_params(estimator: Any) -> None:
    """Check every parameter of `estimator` against its class's `_parameter_constraints`."""
    constraints = getattr(type(estimator), "_parameter_constraints", {})
    params = estimator.get_params(deep=False)
    for name, allowed in constraints.items():
        check_param(name, params[name], allowed)
