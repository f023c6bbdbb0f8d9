"""What every optimizer returns, and the check that stops a fit whose loss has blown up."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["OptimizeResult", "check_finite_loss"]


@dataclass
class OptimizeResult:
    """The outcome of a minimization.

    Attributes
    ----------
    x : array
        The last iterate, an array of the library and device of `x0`.
    fun : float
        The loss at `x` (for `fista`, the smooth part only; the penalty is the caller's).
    grad : array
        The gradient of the (smooth) loss at `x`, shaped like `x`.
    n_iter : int
        Iterations made (steps taken).
    converged : bool
        Whether the convergence test passed before `max_iter`.
    n_fev : int
        Calls made to `fun`.
    message : str
        Why the optimizer stopped.
    """

    x: Any
    fun: float
    grad: Any
    n_iter: int
    converged: bool
    n_fev: int = 0
    message: str = ""


def check_finite_loss(loss: float, n_iter: int, learning_rate: float) -> None:
    """Raise ValueError when the loss has become NaN or infinite: the step was too large."""
    if not math.isfinite(loss):
        raise ValueError(
            f"The loss became {loss} at iteration {n_iter}: the optimization diverged with "
            f"learning_rate={learning_rate!r}. Try a smaller learning_rate (or scale the features)."
        )
