"""Writing row i and column i of a symmetric matrix at an index i held on the device: M[i, :] = M[:, i] = v
(`line_setter`), or several such lines at once (`set_lines`).

An algorithm that picks its next row on the device (an argmin) and rewrites it there, step after step, would
otherwise read the index to the host at every step, making the host wait for the device each time. The array
API standard writes at Python integers and slices only (array_api_strict refuses an array as an index of
`__setitem__`), so this is the one place that writes at a device index:

- in place, where the library assigns at an integer-array index (capability "set_rows", `out[index] = value`:
  numpy, torch, cupy);
- functionally where arrays are immutable (jax: `.at[...].set(v)`, through array-api-extra, one scatter of the
  2n entries), which a compiled loop turns into a write in place;
- else by masks over the whole matrix, M = where(row i or column i, v, M) (the standard's own arrays, which serve
  for tests on small matrices): O(the size of M) a write.

tests/test_agglomerative.py checks the native paths against the masks.
"""

from __future__ import annotations

from typing import Any, Callable

import array_api_extra as xpx

from .._backend import backend_of, capability, device_of, is_writeable, namespace_of

__all__ = ["line_setter", "set_lines"]


def line_setter(M: Any, *, native: bool = True) -> Callable[[Any, Any, Any], Any]:
    """A function put(M, i, v) -> M with M[i, :] = M[:, i] = v, chosen once for the library and device of M (n, n).

    `i` is a 0-d integer array on M's device, `v` an (n,) array of M's dtype. The caller keeps the returned
    matrix and drops the one it passed (which may or may not have been written in place). `native=False` forces
    the masks.

    >>> import numpy as np
    >>> put = line_setter(np.zeros((3, 3)))
    >>> put(np.zeros((3, 3)), np.asarray(1), np.array([5.0, 6.0, 7.0]))
    array([[0., 5., 0.],
           [5., 6., 7.],
           [0., 7., 0.]])
    """
    set_rows = capability(backend_of(M), "set_rows") if native else None
    if set_rows is not None:
        return lambda M, i, v: set_rows(set_rows(M, (slice(None), i), v), (i, slice(None)), v)
    if native and not is_writeable(M):
        return _set_functionally
    xp = namespace_of(M)

    def by_masks(M, i, v):
        line = xp.arange(M.shape[0], dtype=i.dtype, device=device_of(M)) == i  # (n,)
        return xp.where(line[:, None], v[None, :], xp.where(line[None, :], v[:, None], M))

    return by_masks


def set_lines(M: Any, rows: Any, V: Any, *, native: bool = True) -> Any:
    """M with M[rows[p], :] = M[:, rows[p]] = V[p] for each p: several rows and columns of a symmetric matrix.

    M (n, n); `rows` (k,) distinct integers on M's device; V (k, n) of M's dtype, symmetric where the lines cross
    (V[p, rows[q]] = V[q, rows[p]]). In place where the library assigns at an integer-array index (the caller keeps
    the returned matrix), else, and with `native=False`, by masks over the whole matrix.

    >>> import numpy as np
    >>> set_lines(np.zeros((3, 3)), np.array([0, 2]), np.array([[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]]))
    array([[1., 2., 3.],
           [2., 0., 4.],
           [3., 4., 5.]])
    """
    set_rows = capability(backend_of(M), "set_rows") if native else None
    if set_rows is not None:  # the columns as rows of the transposed view (numpy: a third faster than M[:, rows])
        set_rows(M.T, rows, V)
        return set_rows(M, rows, V)
    xp = namespace_of(M)
    hit = rows[:, None] == xp.arange(M.shape[0], dtype=rows.dtype, device=device_of(M))[None, :]  # (k, n)
    line, which = xp.any(hit, axis=0), xp.argmax(xp.astype(hit, xp.int8), axis=0)  # (n,) each: a line, and whose
    full = xp.take(V, which, axis=0)  # (n, n): at each line, its row of V
    return xp.where(line[:, None], full, xp.where(line[None, :], full.T, M))


def _set_functionally(M, i, v):
    # One function for every call: a compiled loop that takes it as a static argument compiles once. One scatter of
    # the 2n entries (i, j) and (j, i): XLA writes a single update of a loop's matrix in place, where a row's update
    # after a column's, of values read from the matrix, made it copy the matrix at every step (1,000 x 1,000: 3,000
    # steps took 4 s, 0.06 s as one scatter).
    xp = namespace_of(M)
    n = M.shape[0]
    every, here = xp.arange(n, dtype=i.dtype, device=device_of(M)), xp.full(n, i, dtype=i.dtype, device=device_of(M))
    return xpx.at(M, (xp.concat([here, every]), xp.concat([every, here]))).set(xp.concat([v, v]))
