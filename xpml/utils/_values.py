"""The value checks of validated input, one function for a whole array, a chunk of a lazy one, or a sparse
matrix's stored values: the entries are finite (or, where NaN marks a missing value, at least not infinite), and
small enough that the estimator's squares of them do not overflow.

Every message names the argument, the value it got and what was expected (API.md section 4).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._backend import backend_of, dtype_name

__all__ = ["ALLOW_NAN", "check_values", "square_limit"]

ALLOW_NAN = "allow-nan"  # ensure_finite's value where NaN marks a missing value: infinity alone is refused


def square_limit(X: Any, n_samples: int, n_features: int) -> float:
    """The largest |value| of X's dtype whose squares, summed over n samples and p features of (a - b)², stay
    finite: sqrt(max / (4 n p))."""
    return (float(backend_of(X).xp.finfo(X.dtype).max) / (4 * max(n_samples, 1) * max(n_features, 1))) ** 0.5


def check_values(values: Any, name: str, *, ensure_finite: bool | str = True, squared: str | None = None,
                 limit: float | None = None, sparse: bool = False) -> None:
    """Refuse NaN and infinity in `values` (`ensure_finite=True`), or infinity alone (`ensure_finite="allow-nan"`);
    and, where `squared` names the estimator, |values| above `limit` (`square_limit` of the whole matrix).

    A finite sum means finite entries: one pass and no temporary. isfinite(X) is an n × p array (torch's takes
    1.7 times the memory of X), read only when the sum is not finite: a bad entry, or a sum that overflowed
    (hence numpy's overflow warning is silenced here).
    """
    if ensure_finite not in (True, False, ALLOW_NAN):
        raise ValueError(f"ensure_finite should be True, False or {ALLOW_NAN!r}; got {ensure_finite!r}.")
    xp = backend_of(values).xp
    with np.errstate(over="ignore", invalid="ignore"):
        finite = not ensure_finite or bool(xp.isfinite(xp.sum(values)))
    if not finite and ensure_finite == ALLOW_NAN:
        if bool(xp.any(xp.isinf(values))):
            raise ValueError(f"{name} contains infinity; NaN marks a missing value here, but the other values "
                             f"should be finite.")
    elif not finite and not bool(xp.all(xp.isfinite(values))):
        what = "NaN" if bool(xp.any(xp.isnan(values))) else "infinity"
        raise ValueError(f"{name} contains {what}; xpml estimators need finite values. "
                         f"Remove those samples or fill them in (xpml.preprocessing.SimpleImputer).")
    if squared is None or math.prod(values.shape) == 0:
        return
    top = max(float(xp.max(values)), -float(xp.min(values)))  # NaN (allowed missing values) compares False
    if top > limit:
        scaler = "StandardScaler(with_mean=False) or MaxAbsScaler" if sparse else "StandardScaler"
        raise ValueError(f"{name} has values up to {top:.3g}, whose squares overflow {dtype_name(values)} (values "
                         f"should stay below {limit:.3g}); {squared} computes squared distances or variances. "
                         f"Scale the features first (xpml.preprocessing.{scaler}).")
