"""`LeafWindows`: the leaves of a growing tree as runs of one permutation of the samples, for a library
that compiles each operation per shape (jax). The other way, `LeafRows`, and what both answer, are in
`_members`.

Each leaf is a run of positions [start, stop) in one permutation of the samples, parted in place by
each split, as scikit-learn's splitter keeps its samples. A leaf's step reads a window of a
power-of-two size from its run's start, the positions past its end masked out, so each step compiles
once per window size (about log2 n of them), and a leaf still costs its size, not n: 200,000 × 28,
10 iterations on jax took 21 s with one fixed shape (n) for every leaf, 4.7 s this way (numpy: 1.0 s).
"""

from __future__ import annotations

import math

import array_api_extra as xpx

from ..._backend import device_of
from ...utils._compile import compiled_once
from ...utils._histogram import node_histograms
from ...utils._scatter import scatter_add
from . import _losses
from ._members import _goes_left

__all__ = ["LeafWindows"]


class LeafWindows:
    """Each leaf a run of positions [start, stop) in one permutation of the samples (`perm`), as scikit-learn's
    splitter keeps them; every array a leaf's step reads is a window of a power-of-two size from its start (or all
    n), the positions past its stop masked out. A histogram and a split then cost the leaf's size (at most twice
    it), and a library that compiles each shape (jax) compiles each step once per window size: about log2(n)
    sizes, where one fixed shape for every leaf would count every sample for every leaf."""

    bounding, bounded, largest = False, frozenset(), None  # every leaf's counts are counted

    def __init__(self, xp, codes, backend=None):
        self.xp, self.codes, self.n, self.backend = xp, codes, codes.shape[0], backend
        everyone = xp.arange(self.n, device=device_of(codes))
        # positions n .. 2n - 1 pad the windows of the leaves near the end (their rows are masked out)
        self.perm = xp.concat([everyone, xp.zeros_like(everyone)])  # (2n,)
        self.runs = {0: (0, self.n)}  # leaf -> (start, stop) of its positions

    def _window(self, leaf):
        start, stop = self.runs[leaf]
        count = stop - start
        size = self.n if count * 2 > self.n else 2 ** max(0, math.ceil(math.log2(max(count, 1))))
        return start, stop, size

    def histogram(self, leaf, stats, n_bins):
        start, stop, size = self._window(leaf)
        return compiled_once(_window_histogram, self.backend, ("xp", "size", "n_bins"))(
            self.xp, self.codes, self.perm, start, stop, stats, size=size, n_bins=n_bins)

    def split(self, leaf, left, right, feature, cut, missing_left, missing_bin, n_left, left_set=None):
        start, stop, size = self._window(leaf)
        in_set = None if left_set is None else self.xp.asarray(left_set, device=device_of(self.perm))  # (B,)
        self.perm = compiled_once(_window_split, self.backend, ("xp", "size"))(
            self.xp, self.codes, self.perm, start, stop, feature, cut, missing_left, missing_bin, in_set, size=size)
        del self.runs[leaf]
        self.runs[left], self.runs[right] = (start, start + n_left), (start + n_left, stop)
        return n_left, stop - start - n_left

    def difference(self, leaf, parent, parent_hist, sibling, sibling_hist):
        return parent_hist - sibling_hist

    def steps(self, values, dtype):
        """(n,): the value of each sample's leaf, from a table of the leaves' first positions (padded to a power of
        two, so that a few table sizes serve every tree)."""
        xp, dev = self.xp, device_of(self.perm)
        runs = sorted((start, leaf) for leaf, (start, _stop) in self.runs.items())
        size = 2 ** math.ceil(math.log2(len(runs)))
        starts = xp.asarray([s for s, _ in runs] + [self.n] * (size - len(runs)), device=dev)
        table = xp.asarray([values[leaf] for _, leaf in runs] + [0.0] * (size - len(runs)), dtype=dtype, device=dev)
        return compiled_once(_window_steps, self.backend, ("xp",))(xp, self.perm, starts, table)

    def quantile(self, leaf, v, w, q, unweighted):
        xp = self.xp
        start, stop = self.runs[leaf]
        rows = self.perm[start:stop]  # (count,): a quantile is asked once a leaf, for two losses only
        return _losses.weighted_quantile(xp, xp.take(v, rows), xp.take(w, rows), q, unweighted)

    def leaves(self):
        return list(self.runs)


def _window_rows(xp, perm, start, stop, size):
    """The rows (size,) of the window of positions start .. start + size - 1, and which of them are the leaf's."""
    positions = start + xp.arange(size, dtype=perm.dtype, device=device_of(perm))  # (size,)
    return positions, xp.take(perm, positions), positions < stop


def _window_histogram(xp, codes, perm, start, stop, stats, size, n_bins):
    _, rows, inside = _window_rows(xp, perm, start, stop, size)
    node = xp.astype(~inside, rows.dtype)  # 0 for the leaf's samples, 1 (discarded) for the rest of the window
    return node_histograms(codes, rows, node, xp.take(stats, rows, axis=0), 0, 1, n_bins, xp=xp)[0, ...]


def _window_split(xp, codes, perm, start, stop, feature, cut, missing_left, missing_bin, in_set, size):
    """perm with the leaf's positions parted: those going left first, each side in its order."""
    positions, rows, inside = _window_rows(xp, perm, start, stop, size)
    code = xp.take(xp.reshape(codes, (-1,)), rows * codes.shape[1] + feature)  # (size,)
    goes_left = _goes_left(xp, code, cut, missing_left, missing_bin, in_set)
    side = xp.where(inside, xp.where(goes_left, 0, 1), 2)  # the window's rest stays after both, where it is
    order = xp.argsort(xp.astype(side, xp.int8), stable=True)
    return xpx.at(perm, positions).set(xp.take(rows, order))


def _window_steps(xp, perm, starts, table):
    n = perm.shape[0] // 2
    positions = xp.arange(n, dtype=starts.dtype, device=device_of(perm))
    run = xp.searchsorted(starts, positions, side="right") - 1  # (n,): the leaf of each position
    return scatter_add(xp.take(table, run), perm[:n], n, xp=xp)  # each sample's value (perm is a permutation)
