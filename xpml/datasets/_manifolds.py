"""Synthetic data sets on curves and surfaces: two moons, two circles, the swiss roll and the S curve.

As for the other generators (`_generators.py`), every number is drawn on the host with a numpy Generator
seeded by `random_state`, and the arrays are then moved to the backend (`backend=None`: the one in
force): a seed gives the same data on every backend. The points of the moons and circles are evenly
spaced along their curves before the Gaussian noise; the swiss roll and the S curve are drawn uniformly
in their parameters (t, height) and mapped onto the surface.

Reference: S. Marsland, Machine Learning: An Algorithmic Perspective (2nd ed.), 2014, chapter 6 (the
swiss roll, a manifold for dimensionality reduction).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from ..utils._param_validation import Interval, check_param
from ..utils._random import check_random_state
from ._generators import _NON_NEGATIVE, _POSITIVE_INT, _deliver

__all__ = ["make_circles", "make_moons", "make_s_curve", "make_swiss_roll"]


def _two_counts(n_samples: Any, smallest: int) -> tuple[int, int]:
    """(n_outer, n_inner): an int split in two (the inner half gets the odd one), or a pair as given."""
    if isinstance(n_samples, tuple):
        if len(n_samples) != 2:
            raise ValueError(f"n_samples={n_samples!r} should be an int or a pair (n_outer, n_inner); got a tuple of "
                             f"{len(n_samples)} elements.")
        for i, count in enumerate(n_samples):
            check_param(f"n_samples[{i}]", count, [Interval(numbers.Integral, 0, None, closed="left")])
        return int(n_samples[0]), int(n_samples[1])
    check_param("n_samples", n_samples, [Interval(numbers.Integral, smallest, None, closed="left"), tuple])
    return n_samples // 2, n_samples - n_samples // 2


def _labelled(outer: np.ndarray, inner: np.ndarray, shuffle: bool, noise: float | None, rng, backend: Any):
    """The two curves' points stacked (label 0, then 1), shuffled, with Gaussian noise of std `noise`."""
    X = np.concatenate([outer, inner])  # (n, 2)
    y = np.repeat(np.arange(2), [len(outer), len(inner)])  # (n,)
    if shuffle:
        order = rng.permutation(len(y))
        X, y = X[order], y[order]
    if noise is not None:
        X = X + rng.normal(scale=noise, size=X.shape)
    return _deliver(backend, X, y)


def make_moons(n_samples: Any = 100, *, shuffle: bool = True, noise: float | None = None, random_state: Any = None,
               backend: Any = None):
    """Two interleaving half circles, for classification and clustering.

    The upper moon is the half circle of radius 1 about (0, 0), points (cos s, sin s) for s in [0, π]; the
    lower one, (1 - cos s, 1/2 - sin s), is the same half circle turned over and shifted by (1, 1/2).

    Parameters
    ----------
    n_samples : int or tuple (n_upper, n_lower), default=100
        The number of points, split between the moons (the lower one gets the odd one).
    shuffle : bool, default=True
    noise : float, optional
        The standard deviation of Gaussian noise added to the points.
    random_state : int, None or numpy.random.Generator
    backend : str or Backend, optional

    Returns
    -------
    X : array of shape (n_samples, 2)
    y : array of shape (n_samples,), the moon of each point (0 upper, 1 lower)
    """
    n_outer, n_inner = _two_counts(n_samples, 1)
    check_param("shuffle", shuffle, ["boolean"])
    check_param("noise", noise, _NON_NEGATIVE + [None])
    rng = check_random_state(random_state)
    s_out, s_in = np.linspace(0.0, math.pi, n_outer), np.linspace(0.0, math.pi, n_inner)
    outer = np.column_stack([np.cos(s_out), np.sin(s_out)])  # (n_outer, 2)
    inner = np.column_stack([1.0 - np.cos(s_in), 0.5 - np.sin(s_in)])  # (n_inner, 2)
    return _labelled(outer, inner, shuffle, noise, rng, backend)


def make_circles(n_samples: Any = 100, *, shuffle: bool = True, noise: float | None = None, random_state: Any = None,
                 factor: float = 0.8, backend: Any = None):
    """A circle of radius 1 about the origin and, inside it, a circle of radius `factor`, for classification.

    Parameters
    ----------
    n_samples : int or tuple (n_outer, n_inner), default=100
        The number of points, split between the circles (the inner one gets the odd one); each circle's
        points are evenly spaced in angle, from 0.
    shuffle : bool, default=True
    noise : float, optional
        The standard deviation of Gaussian noise added to the points.
    random_state : int, None or numpy.random.Generator
    factor : float, default=0.8
        The inner circle's radius, in [0, 1).
    backend : str or Backend, optional

    Returns
    -------
    X : array of shape (n_samples, 2)
    y : array of shape (n_samples,), the circle of each point (0 outer, 1 inner)
    """
    n_outer, n_inner = _two_counts(n_samples, 0)
    check_param("shuffle", shuffle, ["boolean"])
    check_param("noise", noise, _NON_NEGATIVE + [None])
    check_param("factor", factor, [Interval(numbers.Real, 0, 1, closed="left")])
    rng = check_random_state(random_state)
    a_out = np.linspace(0.0, 2 * math.pi, n_outer, endpoint=False)  # (n_outer,) angles
    a_in = np.linspace(0.0, 2 * math.pi, n_inner, endpoint=False)
    outer = np.column_stack([np.cos(a_out), np.sin(a_out)])  # (n_outer, 2)
    inner = factor * np.column_stack([np.cos(a_in), np.sin(a_in)])  # (n_inner, 2)
    return _labelled(outer, inner, shuffle, noise, rng, backend)


def make_swiss_roll(n_samples: int = 100, *, noise: float = 0.0, random_state: Any = None, hole: bool = False,
                    backend: Any = None):
    """Points on a swiss roll, a rolled-up rectangle in 3-D, for manifold learning.

    A point of parameters (t, h), t in [3π/2, 9π/2] along the roll and h in [0, 21] across it, sits at
    (t cos t, h, t sin t), plus Gaussian noise of standard deviation `noise` in each coordinate. Without a
    hole (t, h) is uniform on the rectangle; with `hole`, the rectangle is cut into 3 × 3 cells of π × 7
    and the middle one is left empty (each point picks one of the other eight, then a uniform place in it).

    Parameters
    ----------
    n_samples : int, default=100
    noise : float, default=0.0
    random_state : int, None or numpy.random.Generator
    hole : bool, default=False
    backend : str or Backend, optional

    Returns
    -------
    X : array of shape (n_samples, 3)
    t : array of shape (n_samples,), each point's position t along the roll
    """
    check_param("n_samples", n_samples, _POSITIVE_INT)
    check_param("noise", noise, _NON_NEGATIVE)
    check_param("hole", hole, ["boolean"])
    rng = check_random_state(random_state)
    if hole:
        cells = [(1.5 * math.pi + i * math.pi, 7.0 * j) for i in range(3) for j in range(3) if (i, j) != (1, 1)]
        corner = np.asarray(cells)[rng.integers(0, 8, size=n_samples)]  # (n, 2) each point's cell
        t, h = (corner + rng.uniform(size=(n_samples, 2)) * [math.pi, 7.0]).T  # (n,) each
    else:
        t = 1.5 * math.pi * (1.0 + 2.0 * rng.uniform(size=n_samples))  # (n,) in [3π/2, 9π/2]
        h = 21.0 * rng.uniform(size=n_samples)  # (n,) in [0, 21]
    X = np.column_stack([t * np.cos(t), h, t * np.sin(t)]) + noise * rng.standard_normal((n_samples, 3))
    return _deliver(backend, X, t)


def make_s_curve(n_samples: int = 100, *, noise: float = 0.0, random_state: Any = None, backend: Any = None):
    """Points on an S-shaped surface in 3-D, for manifold learning.

    A point of parameters (t, h), uniform on [-3π/2, 3π/2] × [0, 2], sits at (sin t, h, sign(t) (cos t - 1)):
    two arcs of the unit circle joined at the origin, drawn out along the second axis; plus Gaussian noise of
    standard deviation `noise` in each coordinate.

    Parameters
    ----------
    n_samples : int, default=100
    noise : float, default=0.0
    random_state : int, None or numpy.random.Generator
    backend : str or Backend, optional

    Returns
    -------
    X : array of shape (n_samples, 3)
    t : array of shape (n_samples,), each point's position t along the S
    """
    check_param("n_samples", n_samples, _POSITIVE_INT)
    check_param("noise", noise, _NON_NEGATIVE)
    rng = check_random_state(random_state)
    t = 3.0 * math.pi * (rng.uniform(size=n_samples) - 0.5)  # (n,)
    h = 2.0 * rng.uniform(size=n_samples)  # (n,)
    X = np.column_stack([np.sin(t), h, np.sign(t) * (np.cos(t) - 1.0)]) + noise * rng.standard_normal((n_samples, 3))
    return _deliver(backend, X, t)
