"""Estimators made of named estimators (a Pipeline's steps): their parameters and their names.

Such an estimator holds a list of (name, estimator) pairs in one of its parameters (`_parts`, e.g.
"steps"). Its parameters are its own, each part by name, and each part's parameters as
"<name>__<parameter>", which is how GridSearchCV reaches inside it.
"""

from __future__ import annotations

from typing import Any

from ..base import BaseEstimator

SKIP = (None, "passthrough")  # a part that leaves the data as it is


class Composition(BaseEstimator):
    """Base class of an estimator whose parameter `_parts` holds (name, estimator) pairs."""

    _parts: str = "steps"

    def _named(self) -> list[tuple[str, Any]]:
        return list(getattr(self, self._parts))

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The estimator's own parameters; with `deep`, every part by name and its parameters as
        "<name>__<parameter>"."""
        out = {name: getattr(self, name) for name in self._get_param_names()}
        if deep:
            for name, est in self._named():
                out[name] = est
                if hasattr(est, "get_params"):
                    out.update((f"{name}__{key}", value) for key, value in est.get_params(deep=True).items())
        return out

    def set_params(self, **params: Any) -> Composition:
        """Set the estimator's own parameters, a whole part by name, or "<name>__<parameter>". Returns self."""
        own = self._get_param_names()
        if self._parts in params:  # first: the names below refer to the new parts
            setattr(self, self._parts, params.pop(self._parts))
        for name in [key for key in params if key in own]:
            setattr(self, name, params.pop(name))
        if not params:  # the parts are checked at fit, as any parameter: set_params never raises for them
            return self
        names = [name for name, _ in self._named()]
        for name in [key for key in params if key in names]:  # replace whole parts
            setattr(self, self._parts, [(n, params.pop(name) if n == name else est) for n, est in self._named()])
        nested: dict[str, dict] = {}
        for key, value in params.items():
            name, sep, sub = key.partition("__")
            if not sep or name not in names:
                raise ValueError(f"Invalid parameter {key!r} for {type(self).__name__}; valid are {own}, the "
                                 f"names {names} and '<name>__<parameter>'.")
            nested.setdefault(name, {})[sub] = value
        parts = dict(self._named())
        for name, sub_params in nested.items():
            parts[name].set_params(**sub_params)
        return self

    def _check_parts(self) -> None:
        """The parts are a non-empty list of (str, estimator) pairs with unique names that are neither
        parameters of the estimator nor contain '__'."""
        parts = getattr(self, self._parts)
        if not isinstance(parts, (list, tuple)) or not parts:
            raise TypeError(f"{self._parts} should be a non-empty list of (name, estimator) tuples; got {parts!r}.")
        for part in parts:
            if not (isinstance(part, tuple) and len(part) == 2 and isinstance(part[0], str)):
                raise TypeError(f"Each of {self._parts} should be a (name, estimator) tuple with a str name; "
                                f"got {part!r}.")
        names = [name for name, _ in parts]
        if len(set(names)) != len(names):
            raise ValueError(f"Names in {self._parts} should be unique; got {names}.")
        for name in names:
            if "__" in name or name in self._get_param_names():
                raise ValueError(f"Name {name!r} in {self._parts} should not contain '__' nor be one of "
                                 f"{self._get_param_names()}.")


def name_estimators(estimators: tuple) -> list[tuple[str, Any]]:
    """(name, estimator) pairs named after the classes, in lower case ("standardscaler"), a string ("drop",
    "passthrough") after itself and None "passthrough"; a name that repeats gets a number ("standardscaler-1",
    "standardscaler-2")."""
    names = [est if isinstance(est, str) else "passthrough" if est is None else type(est).__name__.lower()
             for est in estimators]
    seen = dict.fromkeys(names, 0)
    named = []
    for name, est in zip(names, estimators):
        if names.count(name) > 1:
            seen[name] += 1
            name = f"{name}-{seen[name]}"
        named.append((name, est))
    return named
