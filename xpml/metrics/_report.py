"""The classification report: precision, recall, F1 and support of each class, and their averages, as text."""

from __future__ import annotations

from typing import Any

from ..utils._host import as_host
from ..utils._warnings import warn
from ._classification import precision_recall_fscore_support
from ._common import encode_labels

__all__ = ["classification_report"]

_HEADERS = ("precision", "recall", "f1-score", "support")


def classification_report(y_true: Any, y_pred: Any, *, labels: Any = None, target_names: Any = None,
                          sample_weight: Any = None, digits: int = 2, output_dict: bool = False,
                          zero_division: Any = "warn"):
    """A table of precision, recall, F1-score and support per class, then accuracy and averages.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : array-like of shape (n_labels,), optional
        The classes to report, in order; by default every label present, sorted.
    target_names : list of str, optional
        Display names of the classes, in the order of `labels`.
    sample_weight : array-like of shape (n_samples,), optional
    digits : int, default=2
        Decimal places of the scores in the text.
    output_dict : bool, default=False
        Return a dict {class name: {"precision": ..., ...}, "accuracy": ..., "macro avg": {...}, ...}.
    zero_division : {"warn", 0.0, 1.0, nan}, default="warn"

    Returns
    -------
    str, or dict with `output_dict=True`.

    The "accuracy" row replaces "micro avg" when every label present is reported (then micro-averaged
    precision, recall and F1 all equal the accuracy).
    """
    enc = encode_labels({"y_true": y_true, "y_pred": y_pred})
    present = enc.host_classes()
    labels_given = labels is not None
    labels = present if labels is None else as_host(labels).reshape(-1).tolist()
    micro_is_accuracy = not labels_given or set(present) <= set(labels)
    if target_names is not None and len(target_names) != len(labels):
        if not labels_given:
            raise ValueError(f"There are {len(labels)} classes but {len(target_names)} target_names; pass the "
                             f"classes through the labels parameter.")
        warn(f"labels has {len(labels)} entries but target_names has {len(target_names)}.",
             UserWarning)
    names = [str(name) for name in (target_names if target_names is not None else labels)]
    common = dict(labels=labels, sample_weight=sample_weight, zero_division=zero_division)
    p, r, f, s = (as_host(a).tolist() for a in precision_recall_fscore_support(y_true, y_pred, **common))
    rows = [(name, *scores) for name, *scores in zip(names, p, r, f, s)]
    total = sum(s)
    averages = []
    for average in ("micro", "macro", "weighted"):
        heading = "accuracy" if average == "micro" and micro_is_accuracy else f"{average} avg"
        ap, ar, af, _ = precision_recall_fscore_support(y_true, y_pred, average=average, **common)
        averages.append((heading, ap, ar, af, total))
    if output_dict:
        report = {name: dict(zip(_HEADERS, map(float, scores))) for name, *scores in rows}
        for heading, *scores in averages:
            report[heading] = scores[2] if heading == "accuracy" else dict(zip(_HEADERS, map(float, scores)))
        return report
    return _as_text(rows, averages, digits)


def _as_text(rows: list, averages: list, digits: int) -> str:
    """Right-aligned columns, 9 characters wide, under a first column as wide as the longest name."""
    width = max([len(row[0]) for row in rows] + [len("weighted avg"), digits])

    def line(name: str, cells: list) -> str:
        return f"{name:>{width}} " + "".join(f" {cell:>9}" for cell in cells) + "\n"

    def scores(values) -> list:
        return [f"{v:.{digits}f}" for v in values]

    text = line("", list(_HEADERS)) + "\n"
    for name, p, r, f, s in rows:
        text += line(name, scores((p, r, f)) + [str(s)])
    text += "\n"
    for name, p, r, f, s in averages:
        text += line(name, ["", ""] + scores((f,)) + [str(s)] if name == "accuracy" else scores((p, r, f)) + [str(s)])
    return text
