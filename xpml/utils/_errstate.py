"""Silencing floating-point warnings where an algorithm checks for inf and NaN itself.

numpy, and array_api_strict, which computes with numpy, warn on overflow and on invalid
operations; the GPU libraries do not. An iterative fit that may diverge detects non-finite values
on its own and raises an error that says what to change, so numpy's warnings would only be noise
ahead of it (and, under a test suite that turns warnings into errors, would replace it).
"""

from __future__ import annotations

import numpy as np

__all__ = ["float_errors_ignored"]


def float_errors_ignored():
    """A context in which overflow, underflow and invalid operations give inf or NaN silently.

    >>> with float_errors_ignored():
    ...     float(np.float64(1e300) * 1e300)
    inf
    """
    return np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore")
