"""Splitting samples into training and test sets: train_test_split, KFold and StratifiedKFold.

Splits are index bookkeeping on the host: the indices are integer arrays drawn with numpy
(`xpml.utils._random`), so a seed gives the same split for data on any backend, and the data
itself is then sliced where it lives (`take_rows`), so output follows input.

KFold cuts the (optionally shuffled) samples into k consecutive folds, the first n mod k of them
one sample larger. StratifiedKFold keeps each class's share in every fold: the samples, sorted by
class (classes in order of first appearance), are dealt to the folds in turn, which fixes how many
of each class every fold gets; within a class, the samples then fill the folds in order (or in a
shuffled order). train_test_split with `stratify` (and StratifiedShuffleSplit) rounds each class's
share of the training set so that the shares add up to its size, giving the remainders to the largest
fractions, then the shares of the test set likewise from the samples left.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any, Iterator

from ..utils._bincount import bincount
from ..utils._host import as_host, encode, host_namespace, unique_values
from ..utils._indexing import num_samples, take_rows
from ..utils._param_validation import Interval, check_param
from ..utils._random import check_random_state
from ..utils._warnings import warn
from ..utils.validation import check_consistent_length, check_labels

__all__ = ["KFold", "StratifiedKFold", "check_cv", "train_test_split"]


def _class_codes(y: Any):
    """Each sample's class, numbered in order of first appearance (host integers, (n,)); and the class counts."""
    classes = unique_values(y, "y")  # labels of any library, on the host: splitting is host bookkeeping
    codes = encode(y, classes)  # (n,) index into the sorted classes
    xp = host_namespace()
    first = xp.asarray([int(xp.argmax(codes == c)) for c in range(len(classes))])  # first sample of each class
    codes = xp.take(xp.argsort(xp.argsort(first)), codes)  # (n,) classes renumbered by first appearance
    return codes, bincount(codes, len(classes))


def check_class_counts(n_splits: int, counts) -> None:
    """Refuse more folds than the largest class has members; warn where the smallest class has fewer."""
    largest, smallest = int(max(counts.tolist())), int(min(counts.tolist()))
    if n_splits > largest:
        raise ValueError(f"n_splits={n_splits} cannot be greater than the number of members in each class "
                         f"(the largest class has {largest}).")
    if n_splits > smallest:
        warn(f"The least populated class in y has only {smallest} members, which is less than n_splits={n_splits}.",
             UserWarning)


class _BaseKFold:
    """What both k-fold splitters share: parameters, `get_n_splits` and the (train, test) pairs."""

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False, random_state: Any = None):
        check_param("n_splits", n_splits, [Interval(Integral, 2, None)])
        check_param("shuffle", shuffle, ["boolean"])
        check_param("random_state", random_state, ["random_state"])
        if not shuffle and random_state is not None:
            raise ValueError("random_state has no effect unless shuffle=True; leave random_state=None or set "
                             "shuffle=True.")
        self.n_splits, self.shuffle, self.random_state = n_splits, shuffle, random_state

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n_splits={self.n_splits}, shuffle={self.shuffle}, " \
               f"random_state={self.random_state!r})"

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """The number of (train, test) pairs `split` yields."""
        return self.n_splits

    def _test_folds(self, n: int, y: Any, groups: Any):
        raise NotImplementedError

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[tuple[Any, Any]]:
        """Yield (train_indices, test_indices), numpy integer arrays, once per fold."""
        n = num_samples(X)
        if self.n_splits > n:
            raise ValueError(f"n_splits={self.n_splits} should be <= n_samples={n}.")
        xp = host_namespace()
        fold = self._test_folds(n, y, groups)  # (n,) the test fold of each sample
        everyone = xp.arange(n)
        for k in range(self.n_splits):
            yield everyone[fold != k], everyone[fold == k]


class KFold(_BaseKFold):
    """K consecutive folds: each serves once as the test set while the others train.

    Parameters
    ----------
    n_splits : int, default=5
    shuffle : bool, default=False
        Shuffle the samples before cutting them into folds.
    random_state : int, None or numpy Generator
        The seed of the shuffle (shuffle=True only).
    """

    def _test_folds(self, n: int, y: Any, groups: Any = None):
        xp = host_namespace()
        sizes = [n // self.n_splits + (1 if k < n % self.n_splits else 0) for k in range(self.n_splits)]
        fold = xp.concat([xp.full(size, k) for k, size in enumerate(sizes)])  # (n,) in order
        if self.shuffle:
            order = check_random_state(self.random_state).permutation(n)  # sample order[i] gets fold[i]
            fold = xp.take(fold, xp.argsort(order))
        return fold


class StratifiedKFold(_BaseKFold):
    """K folds that keep each class's share of the samples.

    Parameters as in KFold; `split` needs the labels y. They are read on the host whole, a dask array too:
    n_samples labels, as many as the indices that `split` yields (X is never read).
    """

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[tuple[Any, Any]]:
        if y is None:
            raise ValueError("StratifiedKFold.split needs the labels y.")
        check_consistent_length(X=X, y=y)
        check_labels(y, n_samples=num_samples(X), min_classes=1)  # class labels: not NaN, not a continuous target
        return super().split(X, y, groups)

    def _test_folds(self, n: int, y: Any, groups: Any = None):
        xp = host_namespace()
        codes, counts = _class_codes(y)
        check_class_counts(self.n_splits, counts)
        dealt = xp.arange(n) % self.n_splits  # the fold of each position in class-sorted order
        starts = xp.cumulative_sum(counts) - counts  # (n_classes,) first sorted position of each class
        rng = check_random_state(self.random_state) if self.shuffle else None
        assigned = []  # per class: the folds its members get, in fold order (or shuffled)
        for c in range(counts.shape[0]):
            mine = xp.sort(dealt[int(starts[c]):int(starts[c] + counts[c])])
            assigned.append(xp.take(mine, rng.permutation(mine.shape[0])) if rng is not None else mine)
        by_class = xp.argsort(codes, stable=True)  # (n,) samples sorted by class, data order within a class
        slot = xp.argsort(by_class)  # (n,) each sample's position in class-sorted order
        return xp.take(xp.concat(assigned), slot)  # (n,)


def check_cv(cv: Any = 5, y: Any = None, *, classifier: bool = False, shuffle: bool = False,
             random_state: Any = None):
    """A splitter from `cv`: an int (StratifiedKFold for a classifier's 1-D labels, else KFold), a splitter,
    or an iterable of (train, test) index pairs.

    `shuffle` and `random_state` go to the KFold or StratifiedKFold that an int (or None) makes; a
    splitter or an iterable of pairs is used as it is."""
    if cv is None:
        cv = 5
    if isinstance(cv, Integral) and not isinstance(cv, bool):
        shape = None if y is None else tuple(getattr(y, "shape", None) or as_host(y).shape)
        if classifier and shape is not None and (len(shape) == 1 or shape[1:] == (1,)):
            return StratifiedKFold(cv, shuffle=shuffle, random_state=random_state)  # not for multilabel y
        return KFold(cv, shuffle=shuffle, random_state=random_state)
    if hasattr(cv, "split") and hasattr(cv, "get_n_splits"):
        return cv
    expected = "an int, a splitter with split and get_n_splits, or an iterable of (train, test) index pairs"
    if isinstance(cv, (str, dict)) or not hasattr(cv, "__iter__"):
        raise ValueError(f"cv={cv!r} should be {expected}.")
    splits = list(cv)
    for pair in splits:
        if isinstance(pair, (str, dict)) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise ValueError(f"cv should be {expected}; it holds {pair!r}, which is not a (train, test) pair.")
    return _FixedSplits(splits)


class _FixedSplits:
    """Given (train, test) pairs, as a splitter."""

    def __init__(self, splits: list):
        self.splits = splits

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        return len(self.splits)

    def split(self, X: Any = None, y: Any = None, groups: Any = None):
        yield from self.splits


def check_size(name: str, size: Any, n: int | None = None) -> None:
    """Refuse a `test_size` or `train_size` that is neither None, a fraction in (0, 1), nor a count in [1, n]."""
    if size is not None and (isinstance(size, bool) or not isinstance(size, Real)):
        raise TypeError(f"{name} should be None, a float in (0, 1) or an int >= 1; got {size!r} "
                        f"({type(size).__name__}).")
    count = "an int >= 1" if n is None else f"an int in [1, {n}] (a number of samples, of n_samples={n})"
    if size is not None and not (1 <= size <= (n or size) if isinstance(size, Integral) else 0 < size < 1):
        raise ValueError(f"{name}={size!r} should be a float in (0, 1) (a fraction) or {count}.")


def _split_sizes(n: int, test_size: Any, train_size: Any, default_test: float = 0.25) -> tuple[int, int]:
    """(n_train, n_test) from fractions or counts; the test size defaults to `default_test` (a fraction)."""
    check_size("test_size", test_size, n)
    check_size("train_size", train_size, n)
    if test_size is None and train_size is None:
        test_size = default_test
    n_test = None if test_size is None else (math.ceil(test_size * n) if isinstance(test_size, float) else test_size)
    n_train = None if train_size is None else (
        math.floor(train_size * n) if isinstance(train_size, float) else train_size)
    n_test = n - n_train if n_test is None else n_test
    n_train = n - n_test if n_train is None else n_train
    if n_train + n_test > n:
        raise ValueError(f"train_size={train_size!r} and test_size={test_size!r} ask for {n_train} + {n_test} samples "
                         f"but there are only {n}.")
    if n_train == 0 or n_test == 0:
        raise ValueError(f"With n_samples={n}, test_size={test_size!r} and train_size={train_size!r}, the "
                         f"{'training' if n_train == 0 else 'test'} set would be empty; adjust the sizes.")
    return n_train, n_test


def _stratified_indices(codes, counts, n_train: int, n_test: int, rng):
    """Train and test indices with each class's share of the test set as close as rounding allows."""
    xp = host_namespace()
    n_classes = counts.shape[0]
    if int(xp.min(counts)) < 2:
        raise ValueError("The least populated class in y has only 1 member, which is too few: stratifying needs "
                         "at least 2 of each class.")
    if n_test < n_classes or n_train < n_classes:
        raise ValueError(f"test size {n_test} and train size {n_train} should each be >= the number of classes "
                         f"{n_classes} to stratify.")
    keep = _shares([int(c) for c in counts], n_train)  # each class's training samples
    take = _shares([int(c) - k for c, k in zip(counts, keep)], n_test)  # and test samples, of the others
    train, test = [], []
    for c in range(n_classes):
        members = xp.nonzero(codes == c)[0]
        members = xp.take(members, rng.permutation(members.shape[0]))
        test.append(members[: take[c]])
        train.append(members[take[c]:take[c] + keep[c]])
    train, test = xp.concat(train), xp.concat(test)
    return xp.take(train, rng.permutation(train.shape[0])), xp.take(test, rng.permutation(test.shape[0]))


def _shares(counts: list[int], total: int) -> list[int]:
    """`total` split in proportion to `counts`, rounded down, the rest given to the largest remainders."""
    share = [total * c / sum(counts) for c in counts]
    take = [math.floor(s) for s in share]
    for c in sorted(range(len(counts)), key=lambda c: share[c] - take[c], reverse=True)[: total - sum(take)]:
        take[c] += 1
    return take


def train_test_split(*arrays: Any, test_size: float | int | None = None, train_size: float | int | None = None,
                     random_state: Any = None, shuffle: bool = True, stratify: Any = None) -> list:
    """Split arrays into random training and test subsets.

    Parameters
    ----------
    *arrays : arrays of any backend, lists or DataFrames, all with the same number of samples
    test_size : float in (0, 1) or int, optional
        The test set's fraction or number of samples; 0.25 if neither size is given.
    train_size : float in (0, 1) or int, optional
        By default, the complement of the test set.
    random_state : int, None or numpy Generator
    shuffle : bool, default=True
        Without shuffling, the first samples train and the last ones test.
    stratify : array-like of shape (n_samples,), optional
        Labels whose class shares both sets keep (needs shuffle=True).

    Returns
    -------
    list of 2 * len(arrays) arrays: train and test parts of each, in the library (and on the device)
    of the input.
    """
    if not arrays:
        raise ValueError("train_test_split needs at least one array.")
    check_consistent_length(**{f"arrays[{i}]": a for i, a in enumerate(arrays)})
    n = num_samples(arrays[0])
    n_train, n_test = _split_sizes(n, test_size, train_size)
    xp = host_namespace()
    if not shuffle:
        if stratify is not None:
            raise ValueError("stratify needs shuffle=True.")
        train, test = xp.arange(n_train), xp.arange(n_train, n_train + n_test)
    elif stratify is not None:
        check_consistent_length(arrays=arrays[0], stratify=stratify)
        codes, counts = _class_codes(stratify)
        train, test = _stratified_indices(codes, counts, n_train, n_test, check_random_state(random_state))
    else:
        order = check_random_state(random_state).permutation(n)
        test, train = order[:n_test], order[n_test:n_test + n_train]
    return [part for a in arrays for part in (take_rows(a, train), take_rows(a, test))]

