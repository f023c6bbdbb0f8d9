"""Random splits: ShuffleSplit, StratifiedShuffleSplit, GroupShuffleSplit, RepeatedKFold and
RepeatedStratifiedKFold.

ShuffleSplit draws n_splits independent random (train, test) pairs: each permutes the samples, the first
n_test test and the next n_train train; the first pair is train_test_split's with the same seed.
StratifiedShuffleSplit keeps each class's share in both sets (train_test_split's `stratify`, the same
code). GroupShuffleSplit draws groups rather than samples (its sizes count groups), so that no group is
on both sides. The repeated k-folds run a shuffled KFold (StratifiedKFold) n_repeats times, all drawn
from one random generator.

The draws are xpml's own (numpy's Generator, `xpml.utils._random`): with an int random_state, every
call of `split` gives the same pairs, on any backend.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any, Iterator

from ..utils._indexing import num_samples
from ..utils._param_validation import Interval, check_param
from ..utils._random import check_random_state
from ..utils._host import host_namespace
from ..utils.validation import check_consistent_length, check_labels
from ._split import KFold, StratifiedKFold, _class_codes, _split_sizes, _stratified_indices, check_size
from ._split_more import _Splitter, group_codes

__all__ = ["GroupShuffleSplit", "RepeatedKFold", "RepeatedStratifiedKFold", "ShuffleSplit", "StratifiedShuffleSplit"]


class ShuffleSplit(_Splitter):
    """Random (train, test) pairs, drawn independently: a sample may be tested in several of them.

    Parameters
    ----------
    n_splits : int, default=10
        The number of pairs.
    test_size : float in (0, 1) or int, optional
        The test set's fraction or number of samples; 0.1 if neither size is given.
    train_size : float in (0, 1) or int, optional
        By default, the complement of the test set.
    random_state : int, None or numpy Generator
    """

    _default_test = 0.1

    def __init__(self, n_splits: int = 10, *, test_size: float | int | None = None,
                 train_size: float | int | None = None, random_state: Any = None):
        check_param("n_splits", n_splits, [Interval(Integral, 1, None)])
        check_size("test_size", test_size)
        check_size("train_size", train_size)
        check_param("random_state", random_state, ["random_state"])
        self.n_splits, self.test_size, self.train_size = n_splits, test_size, train_size
        self.random_state = random_state

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """The number of (train, test) pairs `split` yields."""
        return self.n_splits

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[tuple[Any, Any]]:
        """Yield (train_indices, test_indices), numpy integer arrays, n_splits times."""
        n = num_samples(X)
        n_train, n_test = _split_sizes(n, self.test_size, self.train_size, self._default_test)
        rng = check_random_state(self.random_state)
        for _ in range(self.n_splits):
            order = rng.permutation(n)
            yield order[n_test:n_test + n_train], order[:n_test]


class StratifiedShuffleSplit(ShuffleSplit):
    """Random (train, test) pairs that keep each class's share of the samples in both sets.

    Each class gets its share of the test set, rounded so that the shares add up to the test size
    (the remainders go to the largest fractions), and likewise of the training set from the samples
    left; `split` needs the labels y. Parameters as in ShuffleSplit.
    """

    def split(self, X: Any, y: Any, groups: Any = None) -> Iterator[tuple[Any, Any]]:
        """Yield (train_indices, test_indices), numpy integer arrays, n_splits times."""
        if y is None:
            raise ValueError("StratifiedShuffleSplit.split needs the labels y.")
        check_consistent_length(X=X, y=y)
        n = num_samples(X)
        check_labels(y, n_samples=n, min_classes=1)  # class labels: not NaN, not a continuous target
        n_train, n_test = _split_sizes(n, self.test_size, self.train_size, self._default_test)
        codes, counts = _class_codes(y)
        rng = check_random_state(self.random_state)
        for _ in range(self.n_splits):
            yield _stratified_indices(codes, counts, n_train, n_test, rng)


class GroupShuffleSplit(ShuffleSplit):
    """Random (train, test) pairs of groups: every group is all in the training set, all in the test set,
    or in neither.

    Parameters as in ShuffleSplit, but `test_size` and `train_size` count groups (a fraction: of the
    groups), and the test set is 0.2 of the groups if neither size is given; n_splits defaults to 5.
    `split` needs `groups`, and yields the samples of the groups drawn, in the order of the data.
    """

    _default_test = 0.2

    def __init__(self, n_splits: int = 5, *, test_size: float | int | None = None,
                 train_size: float | int | None = None, random_state: Any = None):
        super().__init__(n_splits, test_size=test_size, train_size=train_size, random_state=random_state)

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[tuple[Any, Any]]:
        """Yield (train_indices, test_indices), numpy integer arrays, n_splits times."""
        xp = host_namespace()
        codes, names = group_codes(X, groups, "GroupShuffleSplit.split")
        k = names.shape[0]
        n_train, n_test = _split_sizes(k, self.test_size, self.train_size, self._default_test)
        rng = check_random_state(self.random_state)
        for _ in range(self.n_splits):
            place = xp.take(xp.argsort(rng.permutation(k)), codes)  # (n,) where each sample's group was drawn
            yield xp.nonzero((place >= n_test) & (place < n_test + n_train))[0], xp.nonzero(place < n_test)[0]


class RepeatedKFold(_Splitter):
    """KFold with shuffling, repeated n_repeats times with different draws: n_splits * n_repeats pairs.

    Parameters
    ----------
    n_splits : int, default=5
    n_repeats : int, default=10
    random_state : int, None or numpy Generator
        One generator draws every repetition's shuffle.
    """

    _folds = KFold

    def __init__(self, *, n_splits: int = 5, n_repeats: int = 10, random_state: Any = None):
        check_param("n_splits", n_splits, [Interval(Integral, 2, None)])
        check_param("n_repeats", n_repeats, [Interval(Integral, 1, None)])
        check_param("random_state", random_state, ["random_state"])
        self.n_splits, self.n_repeats, self.random_state = n_splits, n_repeats, random_state

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """n_splits * n_repeats."""
        return self.n_splits * self.n_repeats

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[tuple[Any, Any]]:
        """Yield (train_indices, test_indices), numpy integer arrays: the folds of each repetition in turn."""
        rng = check_random_state(self.random_state)
        for _ in range(self.n_repeats):
            yield from self._folds(self.n_splits, shuffle=True, random_state=rng).split(X, y, groups)


class RepeatedStratifiedKFold(RepeatedKFold):
    """StratifiedKFold with shuffling, repeated n_repeats times with different draws; `split` needs the
    labels y. Parameters as in RepeatedKFold."""

    _folds = StratifiedKFold

    def split(self, X: Any, y: Any, groups: Any = None) -> Iterator[tuple[Any, Any]]:
        """Yield (train_indices, test_indices), numpy integer arrays: the folds of each repetition in turn."""
        if y is None:
            raise ValueError("RepeatedStratifiedKFold.split needs the labels y.")
        return super().split(X, y, groups)
