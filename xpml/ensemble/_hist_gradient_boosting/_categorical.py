"""The best split of a categorical feature: a set of categories to the left, the others to the right.

A feature with k categories has 2^(k-1) - 1 ways to part them in two; for a loss that is a sum of
G² / (H + λ) terms, the best one is among the k - 1 "prefixes" of the categories sorted by G / H
(Fisher, 1958). So, as LightGBM and scikit-learn do, for each (leaf, categorical feature) of the
histograms at once:

1. a category is a bin (the missing values' bin is one more category); one supported by a hessian
   of at least MIN_CAT_SUPPORT (10, per sample: H_c · n / H) is *used*, the others always go right;
2. the used categories are sorted by G_c / (H_c + MIN_CAT_SUPPORT) (the smoothing keeps rare
   categories from the ends);
3. the cut "the first i + 1 sorted categories go left" is scanned in both directions (ascending:
   the lowest first; descending: the highest first), each time up to the middle, so that the right
   child keeps at least half of the used categories (and every unused one); the left sums are the
   running sums of the sorted bins, in the order scikit-learn adds them;
4. the gain of each cut is the numerical one, the same leaf-size and hessian rules mask it, and the
   first best of (feature, direction, cut) wins.

The split is returned as the row of bins that go left (the missing values' bin included).

Reference: W. D. Fisher, "On Grouping for Maximum Homogeneity", JASA 53 (1958); scikit-learn's
`Splitter._find_best_bin_to_split_category` (sklearn/ensemble/_hist_gradient_boosting/splitting.pyx).
"""

from __future__ import annotations

import math

from ..._backend import device_of
from . import _grower

__all__ = ["MIN_CAT_SUPPORT", "best_categorical_splits", "category_layout"]

MIN_CAT_SUPPORT = 10.0  # scikit-learn's (LightGBM's cat_smooth): the hessian a category needs, and its smoothing


def category_layout(xp, n_bins, has_missing, n_categorical, device):
    """(c, B) bool: the bins that are categories of each of the c categorical features (the first c), the missing
    values' bin (B - 1) where the feature had missing values."""
    B = max(n_bins) + 1
    return xp.asarray([[b < n_bins[j] or (b == B - 1 and has_missing[j]) for b in range(B)]
                       for j in range(n_categorical)], device=device)


def best_categorical_splits(xp, H, total, present, chosen, rules):
    """(m, 10 + B): for each histogram of H (m, p, B, 3) (its first c features categorical) and the node's sums
    `total` (m, 3), its best categorical split: (gain, feature, 0, missing_left, the left child's (G, H, n), the right
    child's, then B entries 1.0 for the bins that go left); gain -inf where no cut is allowed."""
    m, _, B, _ = H.shape
    c = present.shape[0]
    dev = device_of(H)
    S = xp.permute_dims(H[:, :c, :, :], (3, 0, 1, 2))  # (3, m, c, B): the statistics first, the bins last
    t = xp.permute_dims(total, (1, 0))[:, :, None, None]  # (3, m, 1, 1)
    used = present[None, :, :] & (S[1, ...] * (t[2, ...] / t[1, ...]) >= MIN_CAT_SUPPORT)  # (m, c, B): step 1
    n_used = xp.sum(xp.astype(used, xp.int32), axis=2)  # (m, c)
    key = xp.where(used, S[0, ...] / (S[1, ...] + MIN_CAT_SUPPORT), math.inf)  # the unused last
    order = xp.argsort(key, axis=2, stable=True)  # (m, c, B): step 2, bins by increasing G / (H + smoothing)
    position = xp.arange(B, device=dev)[None, None, :]  # (1, 1, B)
    backwards = xp.clip(n_used[:, :, None] - 1 - position, 0, B - 1)  # (m, c, B): the used ones, highest first
    descending = _along_bins(xp, order, backwards)  # (m, c, B)
    left = xp.stack([xp.cumulative_sum(_along_bins(xp, S, order), axis=3),  # step 3: (3, m, c, 2, B)
                     xp.cumulative_sum(_along_bins(xp, S, descending), axis=3)], axis=3)
    right = t[:, :, :, :, None] - left
    half = (n_used + 1) // 2  # (m, c): the cuts of each direction
    scanned = xp.stack([position < half[:, :, None], position < half[:, :, None] - 1], axis=2)  # (m, c, 2, B)
    lam = rules.l2_regularization
    gain = (_grower._loss(t[:, :, :, :, None], lam) - _grower._loss(left, lam)) - _grower._loss(right, lam)  # step 4
    valid = (scanned & (n_used >= 2)[:, :, None, None]
             & (left[2, ...] >= rules.min_samples_leaf) & (right[2, ...] >= rules.min_samples_leaf)
             & (left[1, ...] >= _grower.MIN_HESSIAN) & (right[1, ...] >= _grower.MIN_HESSIAN))
    if chosen is not None:
        valid = valid & chosen[:, :c, None, None]
    score = xp.reshape(xp.where(valid, gain, -math.inf), (m, c * 2 * B))
    best = xp.argmax(score, axis=1)  # (m,): the first best in the order (feature, direction, cut)
    feature, direction, cut = best // (2 * B), (best // B) % 2, best % B
    rows = xp.arange(m, device=dev) * (c * 2 * B) + best  # (m,)
    pick = lambda a: xp.permute_dims(xp.take(xp.reshape(a, (3, m * c * 2 * B)), rows, axis=1), (1, 0))  # (m, 3)
    # the bins that go left: used, and ranked within the cut (from the bottom, or from the top)
    at = xp.arange(m, device=dev) * c + feature  # (m,): the chosen (leaf, feature)
    rank = xp.take(xp.reshape(xp.argsort(order, axis=2), (m * c, B)), at, axis=0)  # (m, B): each bin's sorted place
    used_here = xp.take(xp.reshape(used, (m * c, B)), at, axis=0)  # (m, B)
    count = xp.take(xp.reshape(n_used, (-1,)), at)[:, None]  # (m, 1)
    goes_left = used_here & xp.where((direction == 0)[:, None], rank <= cut[:, None], rank >= count - 1 - cut[:, None])
    dtype = H.dtype
    columns = [xp.take(xp.reshape(score, (-1,)), rows), xp.astype(feature, dtype), xp.zeros(m, dtype=dtype, device=dev),
               xp.astype(goes_left[:, B - 1], dtype)]
    return xp.concat([xp.stack(columns, axis=1), pick(left), pick(right), xp.astype(goes_left, dtype)], axis=1)


def _along_bins(xp, a, index):
    """a[..., index] along the last axis (bins), per (leaf, feature): a (..., m, c, B), index (m, c, B) integers."""
    m, c, B = index.shape
    flat = xp.reshape(xp.arange(m * c, dtype=index.dtype, device=device_of(index)), (m, c, 1)) * B + index
    lead = a.shape[:-3]
    taken = xp.take(xp.reshape(a, (*lead, m * c * B)), xp.reshape(flat, (-1,)), axis=len(lead))
    return xp.reshape(taken, (*lead, m, c, B))
