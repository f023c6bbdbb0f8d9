"""Compiling a pure array function for backends where that pays (capability "compile": `jax.jit`).

Run eagerly, jax dispatches every array operation on its own, and compiles each new combination
of operation and shape the first time it meets it; a training step of a small network, a hundred
tiny operations, then costs far more than its arithmetic. Traced once by `jax.jit`, the same step
becomes one compiled call. Other libraries run the function as it is (the fallback), which is also
what jax computes, to rounding.

The function must be pure: arrays in, arrays out, no side effects, and no Python branching on
array values. Arguments that are not arrays (the namespace `xp`, layer sizes, option strings,
floats that select the computation) are named in `static_argnames`: they must be hashable, and
each new value compiles a new version.
"""

from __future__ import annotations

from typing import Callable

from .._backend import Backend, capability

__all__ = ["compiled", "compiled_once"]


def compiled(fn: Callable, backend: Backend, *, static_argnames: tuple[str, ...] = ()) -> Callable:
    """`fn` compiled for `backend` (jax: `jax.jit`), or `fn` itself where nothing is gained.

    >>> from xpml import make_backend
    >>> def f(xp, x):
    ...     return xp.sum(x * x)
    >>> compiled(f, make_backend("numpy"), static_argnames=("xp",)) is f
    True
    """
    compile_ = capability(backend, "compile")
    return fn if compile_ is None else compile_(fn, tuple(static_argnames))


_COMPILED: dict = {}


def compiled_once(fn: Callable, backend: Backend, static_argnames: tuple[str, ...] = ()) -> Callable:
    """`compiled(fn, backend, ...)`, made once per process for each function and backend (jax keeps its
    compilations with the compiled function: a new `jax.jit` of the same function would compile again)."""
    key = (fn, backend.name, repr(backend.device), tuple(static_argnames))
    if key not in _COMPILED:
        _COMPILED[key] = compiled(fn, backend, static_argnames=static_argnames)
    return _COMPILED[key]
