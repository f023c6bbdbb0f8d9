"""Splitters that keep groups whole: GroupKFold, StratifiedGroupKFold, LeaveOneGroupOut and LeavePGroupsOut.

Samples of one group (a patient, a session, a site) are never both trained and tested on, so the scores
measure how a model does on groups it has not seen. Each `split` needs `groups`, an array of shape
(n_samples,) of any labels (numbers or strings); they are read on the host.

GroupKFold deals whole groups to n_splits folds. Without shuffling it balances the folds' sizes
greedily: the largest group first (among equal sizes, the one that sorts last), each to the fold with
the fewest samples so far (the first among equals). With shuffling, the groups are put in a random
order and cut into n_splits consecutive runs, as KFold cuts samples.

StratifiedGroupKFold also keeps each class's share in every fold, as far as whole groups allow: the
groups, in order of decreasing spread of their class counts (their standard deviation over the
classes; ties in the order of the sorted groups, or a random one with shuffling), each go to the fold
that then has the most even class shares: the least mean, over the classes, of the standard
deviation over the folds of the fold's share of the class. Among folds whose means agree within
numpy's isclose tolerances, the fold with fewer samples wins (then the first).

LeaveOneGroupOut tests on each group in turn (in sorted order); LeavePGroupsOut on every set of
n_groups groups, in lexicographic order.
"""

from __future__ import annotations

import math
from itertools import combinations
from numbers import Integral
from typing import Any, Iterator

from ..utils._bincount import bincount
from ..utils._host import host_namespace
from ..utils._param_validation import Interval, check_param
from ..utils._random import check_random_state
from ..utils.validation import check_labels
from ._split import KFold, _BaseKFold, check_class_counts
from ._split_more import _Splitter, group_codes

__all__ = ["GroupKFold", "LeaveOneGroupOut", "LeavePGroupsOut", "StratifiedGroupKFold"]


def _fold_of_each_group(n_groups: int, n_splits: int, who: str) -> None:
    if n_splits > n_groups:
        raise ValueError(f"n_splits={n_splits} should be <= the number of groups={n_groups} ({who} tests each "
                         f"group in one fold).")


class GroupKFold(_BaseKFold):
    """K folds of whole groups: each group is tested in exactly one fold.

    Parameters
    ----------
    n_splits : int, default=5
        At most the number of distinct groups.
    shuffle : bool, default=False
        Deal the groups in a random order instead of balancing the folds' sizes.
    random_state : int, None or numpy Generator
        The seed of the shuffle (shuffle=True only).
    """

    def _test_folds(self, n: int, y: Any, groups: Any):
        xp = host_namespace()
        codes, names = group_codes(range(n), groups, "GroupKFold.split")  # (n,)
        k = names.shape[0]
        _fold_of_each_group(k, self.n_splits, "GroupKFold")
        if self.shuffle:
            fold = KFold(self.n_splits, shuffle=True, random_state=self.random_state)._test_folds(k, None)
            return xp.take(fold, codes)
        sizes = bincount(codes, k).tolist()  # samples per group
        loads, fold = [0] * self.n_splits, [0] * k
        for g in sorted(range(k), key=lambda g: (sizes[g], g), reverse=True):  # largest first; ties: last first
            lightest = loads.index(min(loads))
            loads[lightest] += sizes[g]
            fold[g] = lightest
        return xp.take(xp.asarray(fold), codes)


class StratifiedGroupKFold(_BaseKFold):
    """K folds of whole groups that keep each class's share of the samples as well as the groups allow.

    Parameters as in GroupKFold; `split` needs the labels y and the groups. With shuffle=True, groups whose
    class counts spread alike are dealt in a random order.
    """

    def __init__(self, n_splits: int = 5, shuffle: bool = False, random_state: Any = None):
        super().__init__(n_splits, shuffle=shuffle, random_state=random_state)

    def _test_folds(self, n: int, y: Any, groups: Any):
        xp = host_namespace()
        if y is None:
            raise ValueError("StratifiedGroupKFold.split needs the labels y.")
        _, labels = check_labels(y, n_samples=n, min_classes=1)  # (n,) class index of each sample
        counts = bincount(xp.asarray(labels), int(xp.max(labels)) + 1)  # (c,)
        c = counts.shape[0]
        check_class_counts(self.n_splits, counts)
        codes, names = group_codes(range(n), groups, "StratifiedGroupKFold.split")
        k = names.shape[0]
        _fold_of_each_group(k, self.n_splits, "StratifiedGroupKFold")
        table = xp.reshape(bincount(codes * c + xp.asarray(labels), k * c), (k, c))  # (k, c) class counts per group
        order = xp.arange(k)
        if self.shuffle:
            order = xp.asarray(check_random_state(self.random_state).permutation(k))
        spread = xp.std(xp.astype(xp.take(table, order, axis=0), xp.float64), axis=1)  # (k,)
        order = xp.take(order, xp.argsort(-spread, stable=True))
        folds = xp.zeros((self.n_splits, c), dtype=xp.float64)  # (n_splits, c) class counts per fold
        rows = xp.arange(self.n_splits)[:, None]  # (n_splits, 1)
        fold = [0] * k
        for g in order.tolist():
            best = self._best_fold(folds, counts, table[g, :], rows)
            folds = folds + xp.where(rows == best, xp.astype(table[g, :], xp.float64), 0.0)
            fold[g] = best
        return xp.take(xp.asarray(fold), codes)

    def _best_fold(self, folds, counts, group, rows) -> int:
        """The fold that, given the group's class counts (c,), leaves the most even class shares."""
        xp = host_namespace()
        best, best_mean, best_size = 0, math.inf, math.inf
        for i in range(self.n_splits):
            trial = folds + xp.where(rows == i, xp.astype(group, xp.float64), 0.0)  # (n_splits, c)
            mean = float(xp.mean(xp.std(trial / counts, axis=0)))
            size = float(xp.sum(folds[i, :]))
            if mean < best_mean or (abs(mean - best_mean) <= 1e-8 + 1e-5 * abs(best_mean) and size < best_size):
                best, best_mean, best_size = i, mean, size
        return best


class LeaveOneGroupOut(_Splitter):
    """Each group is the test set once, the other groups train: one split per distinct group."""

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """The number of distinct groups."""
        return int(group_codes(X, groups, "LeaveOneGroupOut.get_n_splits")[1].shape[0])

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[tuple[Any, Any]]:
        """Yield (train_indices, test_indices), numpy integer arrays, for each group in sorted order."""
        xp = host_namespace()
        codes, names = group_codes(X, groups, "LeaveOneGroupOut.split")
        if names.shape[0] < 2:
            raise ValueError(f"LeaveOneGroupOut needs at least 2 distinct groups; groups holds "
                             f"{names.shape[0]}: {names.tolist()}.")
        for g in range(names.shape[0]):
            yield xp.nonzero(codes != g)[0], xp.nonzero(codes == g)[0]


class LeavePGroupsOut(_Splitter):
    """Every set of n_groups groups is the test set once, the other groups train.

    Parameters
    ----------
    n_groups : int
        The number of groups in each test set; fewer than the number of distinct groups.
    """

    def __init__(self, n_groups: int):
        check_param("n_groups", n_groups, [Interval(Integral, 1, None)])
        self.n_groups = n_groups

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """The number of distinct groups choose n_groups."""
        return math.comb(int(group_codes(X, groups, "LeavePGroupsOut.get_n_splits")[1].shape[0]), self.n_groups)

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[tuple[Any, Any]]:
        """Yield (train_indices, test_indices) for every set of n_groups groups, in lexicographic order."""
        xp = host_namespace()
        codes, names = group_codes(X, groups, "LeavePGroupsOut.split")
        k = names.shape[0]
        if self.n_groups >= k:
            raise ValueError(f"n_groups={self.n_groups} should be < the number of distinct groups={k} "
                             f"({names.tolist()}): some groups must be left to train on.")
        for chosen in combinations(range(k), self.n_groups):
            tested = xp.any(codes[:, None] == xp.asarray(chosen)[None, :], axis=1)  # (n,)
            yield xp.nonzero(~tested)[0], xp.nonzero(tested)[0]
