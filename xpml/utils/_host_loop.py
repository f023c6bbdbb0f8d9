"""Python loops of many tiny array operations, run on the library that does them fastest.

A loop that applies a dozen array operations to a handful of numbers, thousands of times (SGD's
per-sample steps), is bound by the array library's cost per call, not by its arithmetic: about
0.5 µs a call on numpy, about 5 on torch on a CPU. A library whose arrays numpy can view in place,
without a copy, and whose calls cost more, says so with the capability "host_loops"; such a loop
then runs on numpy views of its arrays (`loop_backend`, `moved`), and its results move back. The
operations are the same IEEE ones, so the numbers are too, to rounding (a product of a few terms
may sum them in another order).
"""

from __future__ import annotations

from typing import Any

from .._backend import Backend, capability, make_backend, to_backend

__all__ = ["loop_backend", "moved"]


def loop_backend(backend: Backend) -> Backend:
    """The backend on which a loop of tiny operations on `backend`'s arrays runs: numpy where `backend` has
    the capability "host_loops", else `backend` itself.

    >>> loop_backend(make_backend("array_api_strict")).name
    'array_api_strict'
    """
    return make_backend("numpy") if capability(backend, "host_loops") else backend


def moved(backend: Backend, *arrays: Any) -> list:
    """The arrays on `backend` (views where the memory allows); None and Python numbers stay as they are."""
    return [a if a is None or isinstance(a, (int, float)) else to_backend(a, backend) for a in arrays]
