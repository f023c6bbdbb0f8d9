"""Where each fit ran: the records that `xpml.accel.report()` returns, and the log lines of `verbose`.

Every fit of a patched estimator adds one record (estimator, where, reason): `where` is the xpml
backend's name, or "sklearn" when the fit fell back to scikit-learn's own code, and `reason` says why.
Records go to the logger "xpml.accel" always, and to stderr when `verbose` is on.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from typing import NamedTuple

LOGGER = logging.getLogger("xpml.accel")


class Record(NamedTuple):
    estimator: str  # the class name, e.g. "LogisticRegression"
    where: str  # the xpml backend's name, or "sklearn"
    reason: str  # why it ran there ("" when it ran on xpml)


_lock = threading.Lock()
_records: list[Record] = []
_verbose = False


def set_verbose(verbose: bool) -> None:
    global _verbose
    _verbose = bool(verbose) or os.environ.get("XPML_ACCEL_LOG", "") not in ("", "0")


def record(estimator: str, where: str, reason: str = "") -> None:
    entry = Record(estimator, where, reason)
    with _lock:
        _records.append(entry)
    line = f"{estimator}.fit ran on xpml ({where})" if where != "sklearn" else (
        f"{estimator}.fit fell back to scikit-learn: {reason}")
    LOGGER.info(line)
    if _verbose:
        print(f"xpml.accel: {line}", file=sys.stderr, flush=True)


def report(clear: bool = False) -> list[Record]:
    """The records of every fit since `install` (or the last `report(clear=True)`), oldest first."""
    with _lock:
        out = list(_records)
        if clear:
            _records.clear()
    return out


def clear() -> None:
    with _lock:
        _records.clear()
