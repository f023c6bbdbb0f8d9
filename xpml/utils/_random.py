"""Random numbers: drawn on the host with numpy, then moved to the backend.

Drawing on the host means a seed gives the same numbers on every backend, so k-means starts from
the same centres and a network from the same weights whether it then runs on numpy, cupy, torch
or jax.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .._backend import Backend, capability, dtype_name, library_of, to_backend, to_numpy
from ._lazy import is_lazy, read_values

__all__ = ["check_random_state", "draw", "weighted_sample", "weighted_sampler"]


def check_random_state(random_state: Any) -> np.random.Generator:
    """A numpy Generator from an int seed, None (fresh entropy), a Generator (used as is) or a
    `numpy.random.RandomState`, as scikit-learn takes.

    A RandomState seeds a new Generator with four 32-bit words drawn from it: the draws are then a
    function of its state, and it moves on, so two fits with the same RandomState object differ (as
    they do in scikit-learn) while two fits with RandomState(0) each are the same.
    """
    if random_state is None or (isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool)):
        return np.random.default_rng(random_state)
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(0, 2**32, size=4, dtype=np.uint64))
    raise TypeError(
        f"random_state should be an int, None, a numpy.random.Generator or a numpy.random.RandomState; got "
        f"{random_state!r} ({type(random_state).__name__})."
    )


def draw(rng: np.random.Generator, backend: Backend, method: str, *args: Any, dtype: str | None = None,
         rows: int | None = None, **kwargs: Any):
    """Call `rng.<method>(*args, **kwargs)` on the host and return the result as an array of `backend`;
    with `rows`, its first axis padded to that length with copies of its first row (for fixed shapes).

    >>> from xpml import make_backend
    >>> x = draw(np.random.default_rng(0), make_backend("numpy"), "standard_normal", (2, 3), dtype="float32")
    >>> x.shape, str(x.dtype)
    ((2, 3), 'float32')
    """
    host = np.asarray(getattr(rng, method)(*args, **kwargs))
    if dtype is not None:
        host = host.astype(dtype)
    if rows is not None and rows > host.shape[0]:
        host = np.concatenate([host, np.repeat(host[:1], rows - host.shape[0], axis=0)])
    return to_backend(host, backend)


def weighted_sample(rng: np.random.Generator, backend: Backend, weights: Any, size: int):
    """`size` distinct indices drawn on the host with probabilities proportional to `weights`
    (an array of any library), returned as an integer array of `backend`."""
    p = _host_weights(backend, weights, "Drawing samples")
    if p is None:  # equal weights on a lazy backend
        chosen = rng.choice(weights.shape[0], size=size, replace=False)
    else:
        chosen = rng.choice(p.shape[0], size=size, replace=False, p=p / p.sum())
    return to_backend(chosen.astype(np.int64), backend)


def _host_weights(backend: Backend, weights: Any, what: str) -> np.ndarray | None:
    """The weights (n,) as float64 on the host; on a lazy backend (dask), whose arrays are never gathered, None
    where they are all equal (their minimum and maximum, read in one pass), and unequal ones are refused."""
    if not (is_lazy(backend) and library_of(weights) == backend.name):
        return to_numpy(weights).astype(np.float64)
    low, high = read_values(backend, backend.xp.min(weights), backend.xp.max(weights))
    if low == high:
        return None
    raise ValueError(f"{what} in proportion to unequal sample weights needs all {weights.shape[0]} weights on the "
                     f"host, and xpml never gathers a {backend.name} array silently: fit without sample_weight on "
                     f"backend={backend.name!r}, or bring X and sample_weight into memory (.compute()) and fit with "
                     f"backend='numpy'.")


def weighted_sampler(rng: np.random.Generator, backend: Backend, weights: Any):
    """A function `size -> indices`: draws with replacement, with probability proportional to `weights`.

    `weights` (n,) is an array of any library; the cumulative weights are formed once on the host, so
    each draw costs O(size log n). The indices come back as an integer array of `backend`.
    """
    w = _host_weights(backend, weights, "Drawing batches")
    if w is None or np.all(w == w[0]):
        n = weights.shape[0]
        return lambda size: to_backend(rng.integers(0, n, size), backend)
    cdf = np.cumsum(w) / np.sum(w)

    def sample(size: int) -> Any:
        indices = np.searchsorted(cdf, rng.random(size), side="right")  # (size,)
        return to_backend(np.minimum(indices, len(w) - 1), backend)

    return sample


def uniform_rows(rng: np.random.Generator, backend: Backend, X: Any):
    """One uniform draw in [0, 1) per row of X (n,), an array of `backend`, laid out as X's rows.

    Where the backend generates its own (dask: each chunk of rows drawn where it lives, seeded from
    `rng`, capability "uniform_rows"), nothing of size n is made on the host.
    """
    own = capability(backend, "uniform_rows")
    if own is not None:
        return own(int(rng.integers(2**63)), X)
    return draw(rng, backend, "random", X.shape[0], dtype=dtype_name(X))
