"""Which samples each leaf of a growing tree holds: two ways to keep it, one chosen per backend.

- `LeafRows` (here): each leaf keeps the array of its samples' rows. A histogram then reads only the
  leaf's samples, and a split parts them (cost: the leaf's size), as scikit-learn's splitter does.
  This is the fast way where array shapes cost nothing.
- `LeafWindows` (`_windows`): one permutation of the samples holds each leaf's as a run of
  positions, and each step reads a window of a power-of-two size: the way for a library that
  compiles each operation per shape (jax).

Both answer the same questions: a leaf's histogram, its split, and at the end each sample's leaf
value (the tree's step on the training data, without walking the tree) and the quantile of a
leaf's values (for absolute_error / quantile leaves).

Counts bounded, not counted (`LeafRows`, where the hessians differ from sample to sample, as
log loss's do): a leaf's counts by (feature, bin) serve only to keep `min_samples_leaf` samples
on each side of a cut, and a leaf's samples number at least H / h_max (H their hessians' sum,
h_max the tree's largest hessian). Its histogram then holds that bound in place of the count, one
scatter-add fewer per feature, and split search keeps the cuts the bound confirms. A cut it
cannot confirm matters only where it gains at least as much as the best one confirmed; then the
leaf's samples are counted for that cut's feature (and any other such: one to a few of 28) and its
search runs again (`counted`), so the split found is the one exact counts give. Leaves of fewer
than `BOUNDED` samples are counted at once: their searches more often need counts again.
HIGGS-shaped, 1,000,000 × 28, 100 iterations: large leaves' histograms took 2.6 ns an entry,
against 3.5 counted, and the fit 36.7 s against 41.8; 78 leaves were counted again, for 0.05 s
(all 28 features of each: 12 leaves, 0.5 s); leaves of 2,048 to 16,384 samples counted at once
took 0.2 s more.

Features counted two at a time (`LeafRows`, leaves of at least `PAIRED` samples): the codes of
features 2k and 2k + 1 make one code a·B + b of B² bins (`feature_pairs`, once a fit), counted in
one pass per statistic, then summed over b for feature a and over a for feature b. The passes over
the samples halve; the B² bins (512 KB of float64 for B = 256) stay in the core's cache, and their
sums cost a fixed 2·B² additions, which a leaf of 131,072 samples repays. A bin's sum is then the
sum of its cells, not of its samples in their order: the same number wherever the float64 sums of
the float32 gradients are exact (values within about 2^29 of each other, as log loss's mostly are),
else within rounding. 1,000,000 × 28: the root's histogram took 54 ms against 72, leaves of
300,000 and 500,000 samples 18% less.
"""

from __future__ import annotations

import math

from ..._backend import capability, device_of
from ...utils._bincount import bincounter
from ...utils._threads import host_workers, on_workers
from . import _losses
from ._predictor import part_rows, spread_leaf_values

__all__ = ["LeafRows", "feature_columns", "feature_pairs"]

# (samples × features) of a histogram worth sharing among the worker threads: numpy's scatter-add holds the interpreter
# lock, so only the gathers run at once, and below about 75,000 samples of 28 features the threads cost more than that
# (HIGGS-shaped 1,000,000 × 28, 30 iterations: histograms of leaves under 100,000 samples took 8.5 ns an entry on two
# threads and 6.3 on one; a fit with the threshold at 2**16, 15.1 s, at 2**21, 12.8 s)
THREADED = 2**21
BOUNDED = 2**11  # a leaf of fewer samples is counted: its search is more likely to need the counts
SPARSE = 10  # a leaf with fewer than 1 / SPARSE of the samples gathers its codes by rows
# a leaf of at least this many samples counts its features two at a time (`feature_pairs`): below it, summing the B²
# bins of each pair down to its two features' B costs more than the counts save
PAIRED = 2**17
PAIR_BYTES = 2**28  # the most memory the codes of feature pairs take as int64 (`feature_pairs`)


def feature_columns(xp, codes):
    """(p, n) uint8: the codes (n, p) a feature at a time, each row contiguous (B <= 256 bins)."""
    return xp.stack([xp.astype(codes[:, j], xp.uint8) for j in range(codes.shape[1])])


def feature_pairs(xp, columns, n_bins: int):
    """[(n,) integers]: the codes (p, n) of features 2k and 2k + 1 as one code a·B + b, of B² bins (B = n_bins <= 256);
    an odd p's last feature alone. As int64, the dtype a count reads, where they take at most `PAIR_BYTES` (4 bytes a
    sample and feature: 1,000,000 × 28, 112 MB), else as int32, which each count widens (a root's 40 ms took 5 more).
    (uint16 would take half of int32, but torch neither adds nor gathers it.)"""
    p, n = columns.shape
    dtype = xp.int64 if (p + 1) // 2 * n * 8 <= PAIR_BYTES else xp.int32
    wide = lambda j: xp.astype(columns[j, :], dtype)
    return [wide(j) * n_bins + wide(j + 1) for j in range(0, p - 1, 2)] + ([wide(p - 1)] if p % 2 else [])


def _goes_left(xp, code, cut: int, missing_left: bool, missing_bin: int, in_set=None):
    """Whether each code goes to the left child of "code <= cut", missing values to their side; of a categorical
    split, whether its bin is among those of `in_set` (an array of B bools, the missing values' bin included)."""
    if in_set is not None:
        return xp.take(in_set, xp.astype(code, xp.int32))
    left = code <= cut  # the missing values' bin, the last, is above every cut
    if isinstance(missing_left, bool):  # known here (a compiled split gets it as an array)
        return (left | (code == missing_bin)) if missing_left else left
    return xp.where(code == missing_bin, missing_left, left)


def _per_feature(xp, totals, n_bins: int, n_features: int):
    """[[each of `totals` for one feature]] from totals (B^n_features,) over one code of n_features features: a pair's
    B × B bins summed over the second feature's bins give the first's, over the first's the second's."""
    if n_features == 1:
        return [totals]
    squares = [xp.reshape(t, (n_bins, n_bins)) for t in totals]
    return [[xp.sum(t, axis=axis) for t in squares] for axis in (1, 0)]


class LeafRows:
    """Each leaf's samples as an array of rows; the codes also kept a feature at a time (`columns`, (p, n) of
    uint8, made once per fit), so that a histogram is one weighted count per (feature, statistic) over the
    leaf's samples in their order: no (samples × features) index to build, and scikit-learn's summation order.

    The root holds every sample in order, so its histogram reads the columns as they are, and its counts are the
    same for every tree of a fit: `fit_cache`, a dict shared by the fit's trees, keeps them, and the codes of
    feature pairs. Where the hessians are all equal (squared error without weights), a leaf's hessian sums are its
    counts times that value: one weighted count fewer per feature; where they differ and the library sums complex
    weights in one pass (numpy), g and h of a single feature's bins are counted together as g + ih. The features
    are shared among the host's worker threads (`xpml.utils._threads`): the gathers, and the counts that let go of
    the interpreter lock, run at once."""

    def __init__(self, xp, codes, backend=None, columns=None, fit_cache=None):
        self.xp, self.codes, self.n = xp, codes, codes.shape[0]
        self.columns = feature_columns(xp, codes) if columns is None else columns
        self.rows = {0: xp.arange(self.n, device=device_of(codes))}  # the root holds every sample
        self.fit_cache = {} if fit_cache is None else fit_cache
        self.hessian = None  # the hessians' common value, where they all have one (found at the root)
        self.bounding = False  # whether leaves' counts may be bounded (set by the grower, per tree)
        self.largest = None  # the tree's largest hessian, where the counts are bounded
        self.bounded = set()  # the leaves whose histograms hold bounds on their counts
        self.exact = {}  # a bounded leaf's features counted since (`counted`)
        self.gh = None  # (n,) g + ih of every sample, made at the root where g and h are counted together
        self.workers = 1 if backend is None else host_workers(backend)
        self.wide = xp.float64 if backend is not None and backend.has_float64 else None  # the histograms' dtype
        # where the library counts complex weights in one pass faster than real ones in two ("bincount_complex"): how it
        # makes g + ih
        self.complex = capability(backend, "bincount_complex") if self.wide is not None else None
        # where counts into B² bins cost what counts into B do, per entry ("bincount_wide"): features by pairs
        self.by_pairs = self.wide is not None and bool(capability(backend, "bincount_wide"))

    def histogram(self, leaf, stats, n_bins):
        """(p, B, 3): the sums of `stats` (n, 3) = (g, h, 1) of the leaf's samples by (feature, bin), in double
        precision where the backend has it (as scikit-learn's histograms), returned in the dtype of `stats`."""
        xp, rows, root, p = self.xp, self.rows[leaf], leaf == 0, self.columns.shape[0]
        if root:
            self.hessian = stats[0, 1] if bool(xp.all(stats[:, 1] == stats[0, 1])) else None
            largest = float(xp.max(stats[:, 1])) if self.bounding and self.hessian is None else math.nan
            self.largest = largest if math.isfinite(largest) and largest > 0 else None
        # the counts bounded rather than counted, in a leaf large enough that counting costs more than searching again
        bound = not root and self.largest is not None and rows.shape[0] >= BOUNDED
        gather = (lambda a: a) if root else (lambda a: xp.take(a, rows))  # the root reads every sample, in order
        wide = stats.dtype if self.wide is None else self.wide
        root_counts = self.fit_cache.get(("root counts", n_bins)) if root else None  # the same for every tree
        count_bins = bincounter(rows, xp=xp)  # the backend asked once, not for each of the many counts
        pairs = self._pairs(n_bins) if rows.shape[0] >= PAIRED else None
        paired = self.hessian is None and self.complex is not None  # g and h summed as one complex number g + ih
        if paired and root:  # made once a tree (at its root), then gathered for each leaf
            self.gh = self.complex(stats[:, 0], stats[:, 1])  # (n,)
        # not by pairs of features: their B² bins take one real count each of g and h, which the threads run at once
        # (numpy's bincount lets go of the interpreter lock, its complex add.at does not)
        paired = paired and pairs is None
        if paired:
            gh = gather(self.gh)  # (n_leaf,)
        else:
            g, h = xp.astype(gather(stats[:, 0]), wide), xp.astype(gather(stats[:, 1]), wide)  # (n_leaf,) each

        # a leaf of few samples spread over many rows gathers its rows of codes at once (a cache line a sample, where
        # a feature at a time would read a line a sample and feature: 0.6 ns an entry against 1 to 5 below 5%)
        sparse = pairs is None and rows.shape[0] * SPARSE < self.n
        block = xp.take(self.codes, rows, axis=0) if sparse else None  # (n_leaf, p)
        if pairs is not None:  # (features, their codes): two features a code of B² bins
            groups = [(list(range(2 * k, min(2 * k + 2, p))), lambda k=k: gather(pairs[k])) for k in range(len(pairs))]
        else:
            groups = [([j], lambda j=j: gather(self.columns[j, :]) if block is None else block[:, j]) for j in range(p)]

        weights = [gh] if paired else [g] if self.hessian is not None else [g, h]  # the weighted counts
        counts = root_counts is None and not bound  # and the plain count

        def count(part):  # [[the totals (B,) of each count] of each feature] for the features of some of the groups
            sums = []
            for features, codes_of in part:  # a group at a time: its codes stay in cache for its counts
                code = xp.astype(codes_of(), rows.dtype, copy=False)  # (n_leaf,) small integers
                width = n_bins ** len(features)
                totals = [count_bins(code, width, w) for w in weights]
                if counts:
                    totals.append(xp.astype(count_bins(code, width), wide))
                sums += _per_feature(xp, totals, n_bins, len(features))
            return sums

        workers = self.workers if rows.shape[0] * p >= THREADED else 1  # a small leaf: threads cost more than they save
        sums = [s for part in on_workers(count, groups, workers) for s in part]
        totals = [xp.stack([s[i] for s in sums]) for i in range(len(sums[0]))]  # (p, B) for each count
        if paired:  # G + iH
            totals = [xp.real(totals[0]), xp.imag(totals[0])] + totals[1:]
        G, rest = totals[0], totals[1:]
        N = root_counts if root_counts is not None else None if bound else rest[-1]
        H = N * self.hessian if self.hessian is not None else rest[0]
        if root:
            self.fit_cache[("root counts", n_bins)] = N
        if bound:
            self.bounded.add(leaf)
            N = H / self.largest  # bounded below by H / h_max
        return xp.astype(xp.stack([G, H, N], axis=2), stats.dtype)  # (p, B, 3)

    def _pairs(self, n_bins):
        """The codes of feature pairs (`feature_pairs`, made once a fit), where the backend counts into B² bins as
        fast as into B ("bincount_wide") and B² <= 65,536 (512 KB of float64 bins, which stay in a core's cache)."""
        if not self.by_pairs or n_bins**2 > 2**16:
            return None
        key = ("pairs", n_bins)
        if key not in self.fit_cache:
            self.fit_cache[key] = feature_pairs(self.xp, self.columns, n_bins)
        return self.fit_cache[key]

    def difference(self, leaf, parent, parent_hist, sibling, sibling_hist):
        """A child's histogram as its parent's minus its sibling's; where either's counts are bounded, so are the
        child's (a count minus a bound bounds nothing, H / h_max does)."""
        hist = parent_hist - sibling_hist
        if parent not in self.bounded and sibling not in self.bounded:
            return hist
        self.bounded.add(leaf)
        return self.xp.stack([hist[..., 0], hist[..., 1], hist[..., 1] / self.largest], axis=-1)

    def counted(self, leaf, hist, features):
        """The leaf's histogram `hist` (p, B, 3) with the bounds of `features` replaced by their counts."""
        xp, rows, p = self.xp, self.rows[leaf], self.columns.shape[0]
        count_bins, n_bins = bincounter(rows, xp=xp), hist.shape[1]
        N = [xp.astype(count_bins(xp.astype(xp.take(self.columns[j, :], rows), rows.dtype), n_bins), hist.dtype)
             if j in features else hist[j, :, 2] for j in range(p)]  # (B,) each
        exact = self.exact.setdefault(leaf, set())
        exact.update(features)
        if len(exact) == p:  # all counted: no longer bounded
            self.bounded.discard(leaf)
            del self.exact[leaf]
        return xp.stack([hist[..., 0], hist[..., 1], xp.stack(N)], axis=-1)

    def split(self, leaf, left, right, feature, cut, missing_left, missing_bin, n_left, left_set=None):
        """Part the leaf's samples between its children; returns how many each child holds."""
        xp, rows = self.xp, self.rows.pop(leaf)
        self.exact.pop(leaf, None)
        in_set = None if left_set is None else xp.asarray(left_set, device=device_of(rows))  # (B,)
        # the root holds every sample in order: its codes are the column itself, its children's rows where they go
        code = self.columns[feature, :] if leaf == 0 else xp.take(self.columns[feature, :], rows)
        goes_left = _goes_left(xp, code, cut, missing_left, missing_bin, in_set)
        self.rows[left], self.rows[right] = part_rows(xp, rows, goes_left, whole=leaf == 0)
        return self.rows[left].shape[0], self.rows[right].shape[0]

    def steps(self, values, dtype):
        """(n,): the value of each sample's leaf (`values`: a host list per node)."""
        return spread_leaf_values(self.xp, [(r, values[leaf]) for leaf, r in self.rows.items()], self.n, dtype)

    def quantile(self, leaf, v, w, q, unweighted):
        """The q-quantile of the values v (n,) of the leaf's samples (weights w)."""
        rows = self.rows[leaf]
        return _losses.weighted_quantile(self.xp, self.xp.take(v, rows), self.xp.take(w, rows), q, unweighted)

    def leaves(self):
        return list(self.rows)
