"""Warnings that point at the user's line: the stack level is found, not counted by hand.

`warnings.warn(..., stacklevel=n)` names the line n frames up; counted by hand, n goes stale as soon as
a helper is added between the user's call and the warning. `warn` walks the stack instead, to the
first frame whose file is outside the xpml package: the line of the user's script (or of the library,
such as scikit-learn, that called xpml).

Every xpml warning goes through `warn`, so it is also where xpml's warnings (ConvergenceWarning, ...)
become scikit-learn's too, where scikit-learn is imported: code that filters or catches scikit-learn's
ConvergenceWarning then catches xpml's (see `xpml.exceptions`).
"""

from __future__ import annotations

import os
import sys
import warnings

__all__ = ["warn"]

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep  # .../xpml/


def warn(message: str, category: type[Warning] = UserWarning) -> None:
    """`warnings.warn(message, category)`, attributed to the first caller outside xpml."""
    if category.__module__ == "xpml.exceptions":
        from ..exceptions import interop

        category = interop(category)
    frame, level = sys._getframe(1), 2  # level 2: warn's caller
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
