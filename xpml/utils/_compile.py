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

from .._backend import Backend, capability, to_numpy

__all__ = ["compiled", "compiled_once", "compiled_steps"]


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


def compiled_steps(step: Callable, backend: Backend, *, n_static: int = 0, compile: bool = True) -> Callable:
    """A loop of `step` over a sequence, as one compiled call where the backend has one (jax: `lax.scan`).

    `step(*args, carry, x) -> carry` is a pure function; the returned `run(*args, carry, xs)` applies it
    once for each step i, with x = tuple(a[i] for a in xs), and returns the last carry. `xs` is a tuple
    of arrays of one length, the per-step inputs (a batch's row, a learning rate). The first `n_static`
    args select the computation (as `static_argnames` of `compiled`); `compile=False` runs the Python loop.

    Without the capability, the loop runs in Python with each per-step input read back as a Python
    number, which is what a step is given there anyway: a loop of many small steps then costs one
    compiled call on jax, where it would cost one dispatch per step.

    >>> from xpml import make_backend
    >>> import numpy as np
    >>> run = compiled_steps(lambda c, x: c + x[0] * x[1], make_backend("numpy"))
    >>> run(0.0, (np.array([1.0, 2.0]), np.array([3.0, 4.0])))
    11.0
    """
    scan = capability(backend, "compile_scan") if compile else None
    if scan is not None:
        return scan(step, n_static)

    def run(*args):
        *fixed, carry, xs = args
        for x in zip(*(to_numpy(a).tolist() for a in xs)):
            carry = step(*fixed, carry, x)
        return carry

    return run
