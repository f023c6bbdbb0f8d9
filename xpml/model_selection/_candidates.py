"""The candidates of a parameter search: every point of a grid (ParameterGrid), or a random sample of
them (ParameterSampler).

ParameterGrid lists the combinations of {name: list of values} in a fixed order: the names sorted,
the last one varying fastest, the grids of a list one after the other. `grid[i]` gives the i-th
without listing the ones before it.

ParameterSampler draws n_iter candidates. When every value is a list, it draws n_iter distinct points
of the grid (without replacement; all of them, with a warning, when the grid has fewer than n_iter).
Otherwise each candidate picks one of the dicts (when a list of them is given) and, for each name in
sorted order, a value: `values.rvs(random_state=rng)` for a distribution (scipy.stats' frozen or
unfrozen distributions, or any object with such an `rvs`), or a uniformly chosen element of a list.
The draws come from one numpy Generator (`xpml.utils._random`): an int random_state gives the same
candidates every time.
"""

from __future__ import annotations

import math

from itertools import product
from numbers import Integral
from typing import Any, Iterator

from ..utils._param_validation import Interval, check_param
from ..utils._random import check_random_state
from ..utils._warnings import warn

__all__ = ["ParameterGrid", "ParameterSampler"]


def _as_dicts(value: Any, name: str) -> list[dict]:
    """A dict, or a list of dicts, as a list of dicts; anything else is refused."""
    dicts = [value] if isinstance(value, dict) else value
    if not isinstance(dicts, (list, tuple)) or not dicts or not all(isinstance(d, dict) for d in dicts):
        raise TypeError(f"{name} should be a dict or a non-empty list of dicts; got {value!r}.")
    return list(dicts)


def _check_values(name: str, key: str, values: Any, distributions: bool) -> None:
    """Refuse what is neither a non-empty list of values nor (where `distributions`) an object with `rvs`."""
    if distributions and hasattr(values, "rvs"):
        return
    expected = "a non-empty list of values" + (" or a distribution with an rvs method" if distributions else "")
    if isinstance(values, (str, bytes, dict)) or not hasattr(values, "__iter__") or not hasattr(values, "__len__"):
        raise TypeError(f"{name}[{key!r}] should be {expected}; got {values!r} ({type(values).__name__}).")
    if len(values) == 0:
        raise ValueError(f"{name}[{key!r}] should be {expected}; got {values!r}.")


def _size(grid: dict) -> int:
    """The number of combinations of one grid."""
    return math.prod(len(values) for values in grid.values())


class ParameterGrid:
    """Every combination of a grid {name: list of values}, or of each grid in a list of them.

    >>> list(ParameterGrid({"b": [1, 2], "a": [True]}))
    [{'a': True, 'b': 1}, {'a': True, 'b': 2}]
    >>> ParameterGrid({"b": [1, 2], "a": [True]})[1]
    {'a': True, 'b': 2}
    """

    def __init__(self, param_grid: dict | list):
        grids = _as_dicts(param_grid, "param_grid")
        for grid in grids:
            for name, values in grid.items():
                _check_values("param_grid", name, values, distributions=False)
        self.grids = grids

    def __iter__(self) -> Iterator[dict]:
        for grid in self.grids:
            names = sorted(grid)
            for values in product(*(list(grid[name]) for name in names)):
                yield dict(zip(names, values))

    def __len__(self) -> int:
        return sum(_size(grid) for grid in self.grids)

    def __getitem__(self, index: int) -> dict:
        """The candidate `list(self)[index]`, found by counting in mixed radix (the last name fastest)."""
        if not isinstance(index, Integral) or isinstance(index, bool):
            raise TypeError(f"ParameterGrid indices should be ints; got {index!r}.")
        position = int(index)
        if not 0 <= position < len(self):
            raise IndexError(f"index={index} is out of range for a ParameterGrid of {len(self)} candidates.")
        for grid in self.grids:
            names = sorted(grid)
            size = _size(grid)
            if position >= size:
                position -= size
                continue
            picked = []
            for name in reversed(names):
                position, digit = divmod(position, len(grid[name]))
                picked.append(list(grid[name])[digit])
            return dict(zip(names, reversed(picked)))


class ParameterSampler:
    """n_iter candidates drawn at random from lists of values and from distributions.

    Parameters
    ----------
    param_distributions : dict or list of dicts
        {name: list of values or distribution}; a distribution is an object with an
        `rvs(random_state=...)` method, such as scipy.stats.uniform(0, 1) or scipy.stats.loguniform(1e-3, 1e2).
        With a list of dicts, each candidate first picks one of them at random.
    n_iter : int
        The number of candidates. When every value is a list, the candidates are distinct points of the
        grid, and there are at most as many as the grid has (with a warning when it has fewer).
    random_state : int, None or numpy Generator
        The draws' seed: an int gives the same candidates each time.

    >>> sorted(c["a"] for c in ParameterSampler({"a": [1, 2], "b": [True]}, 2, random_state=0))
    [1, 2]
    """

    def __init__(self, param_distributions: dict | list, n_iter: int, *, random_state: Any = None):
        for d in _as_dicts(param_distributions, "param_distributions"):
            for key, values in d.items():
                _check_values("param_distributions", key, values, distributions=True)
        check_param("n_iter", n_iter, [Interval(Integral, 0, None)])
        check_param("random_state", random_state, ["random_state"])
        self.param_distributions = param_distributions
        self.n_iter = n_iter
        self.random_state = random_state

    def _all_lists(self) -> bool:
        return not any(hasattr(v, "rvs") for d in _as_dicts(self.param_distributions, "") for v in d.values())

    def __len__(self) -> int:
        """n_iter, or the size of the grid where it is smaller and every value is a list."""
        if self._all_lists():
            return min(self.n_iter, len(ParameterGrid(self.param_distributions)))
        return self.n_iter

    def __iter__(self) -> Iterator[dict]:
        rng = check_random_state(self.random_state)
        dicts = _as_dicts(self.param_distributions, "param_distributions")
        if self._all_lists():
            grid = ParameterGrid(dicts)
            if len(grid) < self.n_iter:
                warn(f"The grid of param_distributions has {len(grid)} candidates, fewer than n_iter={self.n_iter}: "
                     f"all {len(grid)} are drawn. GridSearchCV searches a grid exhaustively.", UserWarning)
            for index in rng.choice(len(grid), size=len(self), replace=False).tolist():
                yield grid[index]
            return
        for _ in range(self.n_iter):
            d = dicts[int(rng.integers(len(dicts)))] if len(dicts) > 1 else dicts[0]
            yield {key: _draw(d[key], rng) for key in sorted(d)}


def _draw(values: Any, rng) -> Any:
    """One value: a draw of a distribution (a Python number where it gives a 0-d one), or an element of a list."""
    if hasattr(values, "rvs"):
        value = values.rvs(random_state=rng)
        return value.item() if getattr(value, "shape", None) == () and hasattr(value, "item") else value
    values = list(values)
    return values[int(rng.integers(len(values)))]
