"""Grouping a feature's rare categories into one "infrequent" output column, and choosing the column to drop.

A category is infrequent when it was seen fewer than `min_frequency` times at fit (an int), or in
fewer than `min_frequency` × n_samples samples (a float in (0, 1)). If more than `max_categories`
columns would remain (the infrequent one counting as one), the least frequent categories join the
infrequent group until `max_categories` - 1 frequent ones are left (the first in category order
among equal counts stay frequent), as scikit-learn does.

Each feature's categories then map to output slots: the frequent ones keep their order as slots
0 .. f - 1 and every infrequent one shares slot f. `drop` removes one slot per feature. This all
runs on the host, on per-category counts: a few numbers per feature.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

__all__ = ["drop_slots", "infrequent_indices", "slot_mapping"]


def infrequent_indices(counts: list[int], n_samples: int, min_frequency: Any, max_categories: int | None):
    """The indices of the infrequent categories of a feature whose categories were seen `counts` times, or None."""
    if min_frequency is None:
        infrequent = [False] * len(counts)
    else:
        threshold = min_frequency if isinstance(min_frequency, Integral) else n_samples * min_frequency
        infrequent = [c < threshold for c in counts]
    n_columns = len(counts) - sum(infrequent) + 1  # the frequent ones and the infrequent column
    if max_categories is not None and max_categories < n_columns:
        n_frequent = max_categories - 1
        by_count = sorted(range(len(counts)), key=lambda i: counts[i])  # stable: ties keep category order
        for i in by_count[:len(counts) - n_frequent]:
            infrequent[i] = True
    found = [i for i, rare in enumerate(infrequent) if rare]
    return found or None


def slot_mapping(n_categories: int, infrequent: list[int] | None):
    """Each category's output slot: frequent ones in order, every infrequent one in the last slot. None: identity."""
    if infrequent is None:
        return None
    rare, slots, frequent = set(infrequent), [], 0
    n_frequent = n_categories - len(rare)
    for i in range(n_categories):
        slots.append(n_frequent if i in rare else frequent)
        frequent += i not in rare
    return slots


def drop_slots(drop: Any, categories: list, infrequent: list):
    """The slot each feature drops (None: none), and the index in categories_ it stands for (`drop_idx_`).

    `drop` is None, "first", "if_binary" or one category per feature (None for none); `categories` are
    the features' host arrays, `infrequent` their `infrequent_indices`. Returns (None, None) for no drop.
    """
    mappings = [slot_mapping(len(c), rare) for c, rare in zip(categories, infrequent)]
    n_slots = [len(c) if m is None else max(m) + 1 for c, m in zip(categories, mappings)]
    if drop is None:
        return None, None
    if drop == "first":
        slots = [0] * len(categories)
    elif drop == "if_binary":
        slots = [0 if k == 2 else None for k in n_slots]
    else:
        if len(drop) != len(categories):
            raise ValueError(f"`drop` should have length equal to the number of features ({len(categories)}), "
                             f"got {len(drop)}.")
        slots, missing = [], []
        for j, (value, cats, rare, mapping) in enumerate(zip(drop, categories, infrequent, mappings)):
            where = [i for i, c in enumerate(cats.tolist()) if c == value]
            if value is None or not where:
                slots.append(None)
                if value is not None:
                    missing.append(f"Category: {value}, Feature: {j}")
                continue
            if rare is not None and where[0] in rare:
                raise ValueError(f"Unable to drop category {value!r} from feature {j} because it is infrequent.")
            slots.append(where[0] if mapping is None else mapping[where[0]])
        if missing:
            raise ValueError("The following categories were supposed to be dropped, but were not found in the "
                             "training data.\n" + "\n".join(missing))
    original = [None if s is None else (s if m is None else m.index(s)) for s, m in zip(slots, mappings)]
    return slots, original
