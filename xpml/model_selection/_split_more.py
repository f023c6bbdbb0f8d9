"""Splitters without random draws: LeaveOneOut, LeavePOut, TimeSeriesSplit and PredefinedSplit; and what the
splitters of the other modules share (a repr that shows the parameters, the reading of `groups`).

LeaveOneOut tests on each sample in turn; LeavePOut on every set of p samples, in lexicographic order
(n choose p splits). TimeSeriesSplit keeps time's order: the test sets are the last n_splits blocks
of `test_size` samples (n // (n_splits + 1) by default), each trained on what comes before it, less a
`gap` of samples (and at most `max_train_size` of them). PredefinedSplit takes each sample's test fold
from the user (-1: never tested), the folds in sorted order.

As everywhere in model selection, the indices are numpy integer arrays (host bookkeeping).
"""

from __future__ import annotations

import inspect
import math
from itertools import combinations
from numbers import Integral
from typing import Any, Iterator

from ..utils._host import as_host, encode, host_namespace, unique_values
from ..utils._indexing import num_samples
from ..utils._param_validation import Interval, check_param
from ..utils.validation import check_consistent_length

__all__ = ["LeaveOneOut", "LeavePOut", "PredefinedSplit", "TimeSeriesSplit"]


class _Splitter:
    """The repr of a splitter: its class and its parameters, in the order of its signature."""

    def __repr__(self) -> str:
        params = inspect.signature(type(self).__init__).parameters.values()
        names = [p.name for p in params if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in names)})"


def group_codes(X: Any, groups: Any, who: str):
    """Each sample's group as an index into the sorted distinct groups (host integers, (n,)), and those groups.
    `who` names the caller in the message when groups are missing."""
    if groups is None:
        raise ValueError(f"{who} needs groups, an array of shape (n_samples,) that gives each sample's group; "
                         f"got groups=None.")
    host = as_host(groups, "groups")  # labels of any library, on the host: splitting is host bookkeeping
    if len(host.shape) != 1:
        raise ValueError(f"groups should be a 1-D array of shape (n_samples,); got shape {tuple(host.shape)}.")
    if X is not None:
        check_consistent_length(X=X, groups=host)
    names = unique_values(host, "groups")
    return encode(host, names), names


def _everyone_but(n: int, test):
    """(train, test): the samples 0 .. n-1 that are not in `test` (sorted host integers), and `test`."""
    xp = host_namespace()
    everyone = xp.arange(n)
    in_test = xp.any(everyone[:, None] == test[None, :], axis=1) if test.shape[0] else everyone < 0  # (n,)
    return everyone[~in_test], test


class LeaveOneOut(_Splitter):
    """Each sample is the test set once, the others train: n_samples splits.

    LeavePOut(1) gives the same splits; KFold(n_splits=n_samples) too, more cheaply.
    """

    def get_n_splits(self, X: Any, y: Any = None, groups: Any = None) -> int:
        """The number of samples of X."""
        if X is None:
            raise ValueError("LeaveOneOut.get_n_splits needs X: it makes one split per sample; got X=None.")
        return num_samples(X)

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[tuple[Any, Any]]:
        """Yield (train_indices, test_indices), numpy integer arrays, once per sample."""
        n = num_samples(X)
        if n < 2:
            raise ValueError(f"LeaveOneOut needs at least 2 samples; got n_samples={n}.")
        xp = host_namespace()
        everyone = xp.arange(n)
        for i in range(n):
            yield everyone[everyone != i], everyone[i:i + 1]


class LeavePOut(_Splitter):
    """Every set of p samples is the test set once, the others train: n_samples choose p splits.

    Parameters
    ----------
    p : int
        The size of the test sets.
    """

    def __init__(self, p: int):
        check_param("p", p, [Interval(Integral, 1, None)])
        self.p = p

    def get_n_splits(self, X: Any, y: Any = None, groups: Any = None) -> int:
        """n_samples choose p."""
        if X is None:
            raise ValueError("LeavePOut.get_n_splits needs X: it makes one split per set of p samples; got X=None.")
        return math.comb(num_samples(X), self.p)

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[tuple[Any, Any]]:
        """Yield (train_indices, test_indices) for every set of p samples, in lexicographic order."""
        n = num_samples(X)
        if n <= self.p:
            raise ValueError(f"p={self.p} should be < n_samples={n}: some samples must be left to train on.")
        xp = host_namespace()
        for test in combinations(range(n), self.p):
            yield _everyone_but(n, xp.asarray(test))


class TimeSeriesSplit(_Splitter):
    """Splits of time-ordered samples: each test block follows its training samples.

    The last n_splits blocks of `test_size` samples are the test sets, in order; each trains on the
    samples before it, less the `gap` just before it, and at most the last `max_train_size` of them.

    Parameters
    ----------
    n_splits : int, default=5
    max_train_size : int, optional
        The most samples a training set may have (the latest ones); None for all.
    test_size : int, optional
        The size of each test set; n_samples // (n_splits + 1) by default.
    gap : int, default=0
        Samples left out between each training set and its test set.
    """

    def __init__(self, n_splits: int = 5, *, max_train_size: int | None = None, test_size: int | None = None,
                 gap: int = 0):
        check_param("n_splits", n_splits, [Interval(Integral, 2, None)])
        check_param("max_train_size", max_train_size, [None, Interval(Integral, 1, None)])
        check_param("test_size", test_size, [None, Interval(Integral, 1, None)])
        check_param("gap", gap, [Interval(Integral, 0, None)])
        self.n_splits, self.max_train_size, self.test_size, self.gap = n_splits, max_train_size, test_size, gap

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """The number of (train, test) pairs `split` yields."""
        return self.n_splits

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[tuple[Any, Any]]:
        """Yield (train_indices, test_indices), numpy integer arrays, the test blocks in time order."""
        n = num_samples(X)
        if self.n_splits + 1 > n:
            raise ValueError(f"n_splits={self.n_splits} needs n_samples >= n_splits + 1 = {self.n_splits + 1}; "
                             f"got n_samples={n}.")
        size = self.test_size if self.test_size is not None else n // (self.n_splits + 1)
        if n - self.gap - size * self.n_splits <= 0:
            raise ValueError(f"n_splits={self.n_splits} test sets of test_size={size} after gap={self.gap} need more "
                             f"than {self.gap + size * self.n_splits} samples; got n_samples={n}.")
        xp = host_namespace()
        everyone = xp.arange(n)
        for start in range(n - self.n_splits * size, n, size):
            end = start - self.gap  # the training samples end here
            first = 0 if self.max_train_size is None else max(0, end - self.max_train_size)
            yield everyone[first:end], everyone[start:start + size]


class PredefinedSplit(_Splitter):
    """Splits given by the user: `test_fold[i]` is the fold in which sample i is tested (-1: never).

    Parameters
    ----------
    test_fold : array-like of int, of shape (n_samples,)
        One split per distinct value other than -1, in sorted order.
    """

    def __init__(self, test_fold: Any):
        xp = host_namespace()
        folds = as_host(test_fold, "test_fold")
        if len(folds.shape) != 1 or folds.dtype.kind not in "iu" and not (
                folds.dtype.kind == "f" and bool(xp.all(folds == xp.round(folds)))):
            raise ValueError(f"test_fold should be a 1-D array of integers (-1 for samples never tested); got "
                             f"{test_fold!r}.")
        self.test_fold = xp.astype(folds, xp.int64)
        values = unique_values(self.test_fold, "test_fold")
        self.unique_folds = values[values != -1]

    def __repr__(self) -> str:
        return f"PredefinedSplit(test_fold={self.test_fold.tolist()!r})"

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """The number of distinct folds in test_fold, -1 aside."""
        return int(self.unique_folds.shape[0])

    def split(self, X: Any = None, y: Any = None, groups: Any = None) -> Iterator[tuple[Any, Any]]:
        """Yield (train_indices, test_indices) for each fold of test_fold, in sorted order."""
        xp = host_namespace()
        if X is not None:
            check_consistent_length(X=X, test_fold=self.test_fold)
        for fold in self.unique_folds.tolist():
            yield xp.nonzero(self.test_fold != fold)[0], xp.nonzero(self.test_fold == fold)[0]
