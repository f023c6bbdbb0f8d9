"""Iterate on the device, check on the host now and then, and roll back to the step that mattered.

An iterative fit (Lloyd's k-means, mini-batch k-means, ...) decides after each step whether to
stop, or whether the step needs attention (a cluster left empty, say). Deciding means reading a
few numbers to the host, and each read makes the host wait until the device has finished
everything queued so far: on a GPU, or on jax, which queues its kernels asynchronously, reading
after every step leaves the device idle between steps.

`checked_steps` reads less often. It runs `check_every` steps one after the other, keeping the
state before and after each, with the step's numbers (its "flags") left on the device. Then it
reads the flags of all those steps at once, a single transfer, and hands them to `check` in
order, as if it had read them after each step. When `check` stops the fit at a step, the state
after that step is the result: the steps computed beyond it are dropped. When `check` replaces the
state after a step (it redid the step differently), the steps beyond it are dropped too, and the
loop goes on from the new state. The result is the same as checking every step; the price is up
to `check_every - 1` steps computed in vain, once, at the end or at a correction.

On a lazy backend (dask) each step is a pass over the data, and nothing is queued: the state and
flags of each step are computed together, in one pass (`xpml.utils._lazy.materialize`), and read
after every step.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from .._backend import backend_of, namespace_of, to_numpy
from ._lazy import is_lazy, materialize

__all__ = ["checked_steps"]


def _flag_row(xp, flags: Sequence[Any]):
    """The flags of one step (0-d arrays or Python numbers) as one 1-d floating array (m,)."""
    arrays = [f for f in flags if hasattr(f, "dtype")]
    device = arrays[0].device if arrays else None
    floating = [a.dtype for a in arrays if xp.isdtype(a.dtype, "real floating")]
    dtype = floating[0] if floating else xp.asarray(0.0, device=device).dtype  # else the default floating one
    return xp.stack([xp.astype(f, dtype) if hasattr(f, "dtype") else xp.asarray(float(f), dtype=dtype, device=device)
                     for f in flags])


def checked_steps(step: Callable, state: Any, check: Callable, *, max_steps: int, check_every: int,
                  xp=None) -> tuple[Any, int, bool]:
    """Run `step` up to `max_steps` times, reading its flags to the host once every `check_every` steps.

    Parameters
    ----------
    step : callable, step(state) -> (new_state, flags)
        One iteration on the device. `flags` is a sequence of 0-d arrays (bool or floating, cast
        to the floating dtype among them) or Python numbers: whatever `check` needs to decide.
    state : any
        The state to start from, handed to `step` as it is.
    check : callable, check(i, before, after, flags) -> (state, stop)
        Called on the host for step i (0-based), in order, with the states before and after that
        step and its flags as Python floats. It returns the state the step ends in, `after`
        itself, or a replacement (which drops the steps computed beyond i, the loop going on from
        the replacement), and whether to stop there.

    Returns
    -------
    state : the state after the last step taken
    n_steps : int
        Steps taken, counting the one that stopped.
    stopped : bool
        Whether `check` stopped the loop before `max_steps`.
    """
    # `xp`, where not given, is that of the first step's flags (helpers find their namespace from their arrays)
    n = 0
    while n < max_steps:
        trail = []  # (state before, state after, flags on the device) of each step since the last check
        for _ in range(min(check_every, max_steps - n)):
            new, flags = step(state)
            if xp is None:
                xp = namespace_of(*[f for f in flags if hasattr(f, "dtype")])
            row = _flag_row(xp, flags)
            backend = backend_of(row)
            lazy = is_lazy(backend)
            if lazy:  # one pass computes the step's state and flags; a check after every step
                new, row = _materialized(backend, new, row)
            trail.append((state, new, row))
            state = new
            if lazy:
                break
        rows = [flags for *_, flags in trail]
        # one read per check (a lazy backend's flags were computed with the state: read as they are)
        numbers = [to_numpy(rows[0]).tolist()] if len(rows) == 1 else to_numpy(xp.stack(rows)).tolist()
        for t, ((before, after, _), flags) in enumerate(zip(trail, numbers)):
            state, stop = check(n + t, before, after, flags)
            if stop:
                return state, n + t + 1, True
            if state is not after:  # a corrected step: what followed it is dropped
                break
        n += t + 1
    return state, n, False


def _materialized(backend, state, row):
    """The state (arrays, possibly in nested tuples or lists) and the flags computed together, in one pass."""
    leaves = []

    def collect(node):
        if isinstance(node, (tuple, list)):
            for item in node:
                collect(item)
        elif hasattr(node, "dtype"):
            leaves.append(node)

    def rebuild(node, values):
        if isinstance(node, (tuple, list)):
            return type(node)(rebuild(item, values) for item in node)
        return next(values) if hasattr(node, "dtype") else node

    collect(state)
    *done, row = materialize(backend, *leaves, row)
    return rebuild(state, iter(done)), row
