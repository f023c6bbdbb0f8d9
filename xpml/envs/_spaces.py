"""The two kinds of space an environment declares, as Gymnasium's `spaces.Discrete` and `spaces.Box`.

`Discrete(n)` holds the integers 0, 1, ..., n - 1 (actions, or the cells of a grid); `Box(low, high)`
holds the real vectors x with low <= x <= high elementwise (a pole's angle and speed). Each can draw
a random element (`sample`), from its own generator (`seed`), and test membership (`contains`).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = ["Box", "Discrete"]


class Discrete:
    """The integers 0 .. n - 1.

    Parameters
    ----------
    n : int
        The number of elements, >= 1.
    seed : int, numpy.random.Generator or None
        Seeds the generator of `sample`.
    """

    def __init__(self, n: int, seed: Any = None):
        if not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < 1:
            raise ValueError(f"n={n!r} should be an int >= 1.")
        self.n = int(n)
        self.shape = ()
        self.dtype = np.dtype(np.int64)
        self.seed(seed)

    def seed(self, seed: Any = None) -> None:
        """Reseed the generator of `sample`."""
        self.np_random = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)

    def sample(self) -> int:
        """A uniformly random element."""
        return int(self.np_random.integers(self.n))

    def contains(self, x: Any) -> bool:
        """Whether `x` is one of the integers 0 .. n - 1."""
        if isinstance(x, np.ndarray) and x.shape == ():
            x = x.item()
        return isinstance(x, numbers.Integral) and not isinstance(x, bool) and 0 <= x < self.n

    __contains__ = contains

    def __repr__(self) -> str:
        return f"Discrete({self.n})"


class Box:
    """The real vectors between `low` and `high` (elementwise; the bounds may be infinite).

    Parameters
    ----------
    low, high : array-like of shape (n,)
        The bounds.
    dtype : str
        The dtype of the elements, float32 as in Gymnasium.
    seed : int, numpy.random.Generator or None
        Seeds the generator of `sample`.
    """

    def __init__(self, low: Any, high: Any, dtype: str = "float32", seed: Any = None):
        self.dtype = np.dtype(dtype)
        self.low = np.asarray(low, dtype=self.dtype)
        self.high = np.asarray(high, dtype=self.dtype)
        if self.low.shape != self.high.shape or np.any(self.low > self.high):
            raise ValueError(f"low={self.low} and high={self.high} should have one shape, with low <= high.")
        self.shape = self.low.shape
        self.seed(seed)

    def seed(self, seed: Any = None) -> None:
        """Reseed the generator of `sample`."""
        self.np_random = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)

    def sample(self) -> np.ndarray:
        """A random element: uniform where both bounds are finite, normal where neither is, and an
        exponential step from the finite bound where only one is."""
        low, high = self.low.astype(np.float64), self.high.astype(np.float64)
        x = self.np_random.standard_normal(self.shape)  # (n,)
        bounded = np.isfinite(low) & np.isfinite(high)
        x = np.where(bounded, self.np_random.uniform(np.where(bounded, low, 0), np.where(bounded, high, 1)), x)
        only_low, only_high = np.isfinite(low) & ~np.isfinite(high), ~np.isfinite(low) & np.isfinite(high)
        step = self.np_random.exponential(size=self.shape)
        x = np.where(only_low, low + step, np.where(only_high, high - step, x))
        return x.astype(self.dtype)

    def contains(self, x: Any) -> bool:
        """Whether `x` has the space's shape and lies between its bounds."""
        x = np.asarray(x)
        return x.shape == self.shape and bool(np.all(x >= self.low) and np.all(x <= self.high))

    __contains__ = contains

    def __repr__(self) -> str:
        return f"Box({self.low.tolist()}, {self.high.tolist()}, {self.shape}, {self.dtype})"
