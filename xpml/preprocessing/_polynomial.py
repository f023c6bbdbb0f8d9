"""Polynomial features: every product of the input features up to a given degree.

For features x₀ … x_{p-1} and degree d, the output holds the monomials x_{i₁} x_{i₂} … x_{i_k},
i₁ ≤ i₂ ≤ … ≤ i_k, for k = 0 (the bias column of ones) … d, in order of degree and then
lexicographically in (i₁, …, i_k). With `interaction_only` the indices are strictly increasing
(no powers above 1).

The columns of degree k are built from those of degree k - 1: the monomials starting with x_j
are x_j times the degree-(k-1) monomials whose first index is ≥ j (> j for interactions only),
which, in lexicographic order, are a contiguous run of columns. So each degree costs one
multiplication per output column.
"""

from __future__ import annotations

import math
from itertools import combinations, combinations_with_replacement
from numbers import Integral
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin
from ..utils._host import host_array
from ..utils._param_validation import Interval, Options
from ..utils._feature_names import check_feature_names_in

__all__ = ["PolynomialFeatures"]

MAX_OUTPUT_FEATURES = 10**7  # wider than this is a mistake (degree=10**9), refused before any enumeration


class PolynomialFeatures(TransformerMixin, BaseEstimator):
    """Generate polynomial and interaction features.

    Parameters
    ----------
    degree : int or tuple (min_degree, max_degree), default=2
        The largest degree, or the range of degrees, of the monomials.
    interaction_only : bool, default=False
        Only products of distinct features (x₀x₁, but not x₀²).
    include_bias : bool, default=True
        Include the column of ones (degree 0).
    order : {"C", "F"}, default="C"
        Accepted for scikit-learn compatibility: the memory layout of scikit-learn's output (the
        values are the same); xpml's output has the layout its backend gives it.
    backend : str or Backend, optional
        Where to compute; None: the backend in force at fit.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in; by default floating input keeps its precision.

    Attributes
    ----------
    powers_ : array of shape (n_output_features_, n_features_in_)
        powers_[i, j] is the exponent of feature j in output column i.
    n_output_features_ : int
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.preprocessing import PolynomialFeatures
    >>> PolynomialFeatures(degree=2).fit_transform([[2.0, 3.0]]).tolist()
    [[1.0, 2.0, 3.0, 4.0, 6.0, 9.0]]
    """

    _parameter_constraints = {
        "degree": [Interval(Integral, 0, None), tuple],
        "interaction_only": ["boolean"],
        "include_bias": ["boolean"],
        "order": [Options({"C", "F"})],
        **BACKEND_CONSTRAINTS,
    }

    def __init__(self, degree: int | tuple = 2, *, interaction_only: bool = False, include_bias: bool = True,
                 order: str = "C", backend: Any = None, dtype: str | None = None):
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias
        self.order = order
        self.backend = backend
        self.dtype = dtype

    def _degrees(self) -> tuple[int, int]:
        if isinstance(self.degree, tuple):
            ok = len(self.degree) == 2 and all(isinstance(d, Integral) and not isinstance(d, bool) for d in self.degree)
            if not ok or not 0 <= self.degree[0] <= self.degree[1]:
                raise ValueError(f"degree={self.degree!r} should be an int >= 0 or a pair (min_degree, max_degree) "
                                 f"of ints with 0 <= min_degree <= max_degree.")
            low, high = self.degree
        else:
            low, high = 0, self.degree
        if high == 0 and not self.include_bias:
            raise ValueError("degree=0 with include_bias=False would give no output column; raise the degree or "
                             "include the bias.")
        return low, high

    def _n_output_features(self) -> int:
        """How many monomials there are, counted without listing them, and refused if absurdly many.

        Of degree k: C(p, k) products of distinct features, or C(p + k - 1, k) with powers; the
        latter summed over k = 0 … d is C(p + d, d).
        """
        low, high = self._degrees()
        p, first = self.n_features_in_, max(low, 1)
        if self.interaction_only:
            count = sum(math.comb(p, k) for k in range(first, min(high, p) + 1))
        else:
            count = math.comb(p + high, high) - math.comb(p + first - 1, first - 1) if high >= first else 0
        count += int(self.include_bias)
        if count > MAX_OUTPUT_FEATURES:
            shown = f"{count}" if count < 10**30 else f"about 10^{len(str(count)) - 1}"
            raise ValueError(f"degree={self.degree!r} on {p} feature(s) would give n_output_features={shown}, more "
                             f"than the {MAX_OUTPUT_FEATURES} columns PolynomialFeatures builds; lower the degree.")
        return count

    def _monomials(self) -> list[tuple[int, ...]]:
        """The feature indices of every output column, in output order (() is the bias)."""
        self._n_output_features()  # refuses an absurd width before listing anything
        low, high = self._degrees()
        pick = combinations if self.interaction_only else combinations_with_replacement
        p = self.n_features_in_
        terms = [()] if self.include_bias else []
        for k in range(max(low, 1), (min(high, p) if self.interaction_only else high) + 1):
            terms += list(pick(range(p), k))
        return terms

    def fit(self, X: Any, y: Any = None) -> PolynomialFeatures:
        """Record the number of features and the monomials. Returns self."""
        X = self._validate_data(X)
        xp = self._xp
        terms = self._monomials()
        powers = [[term.count(j) for j in range(self.n_features_in_)] for term in terms]
        self.powers_ = xp.asarray(powers, device=self._device)  # (n_output, n_features), integers
        self.n_output_features_ = len(terms)
        return self

    @staticmethod
    def _check_no_overflow(xp, X, degree: int) -> None:
        """Refuse X whose largest |value| to the power `degree` overflows: the monomials would hold inf."""
        big = float(xp.max(xp.abs(X))) if degree >= 2 and math.prod(X.shape) > 0 else 0.0
        if big > 1 and degree * math.log(big) > math.log(xp.finfo(X.dtype).max):
            raise ValueError(f"X has values up to {big:.3g}, whose degree-{degree} monomials overflow "
                             f"{X.dtype}. Scale X first (StandardScaler) or lower degree.")

    def transform(self, X: Any):
        """The monomials of X. Returns an array of shape (n_samples, n_output_features_)."""
        X_in, X = X, self._validate_data(X, reset=False)
        xp = self._xp
        low, high = self._degrees()
        n, p = X.shape
        self._check_no_overflow(xp, X, min(high, p) if self.interaction_only else high)
        step = 1 if self.interaction_only else 0  # next factor's index: > j (interactions) or >= j
        blocks = [xp.ones((n, 1), dtype=X.dtype, device=X.device)] if self.include_bias else []
        previous, firsts = X, list(range(p))  # degree-1 columns and the first index of each
        if low <= 1 <= high:
            blocks.append(X)
        for k in range(2, high + 1):
            columns, new_firsts = [], []
            for j in range(p):
                start = next((c for c, f in enumerate(firsts) if f >= j + step), len(firsts))
                if start < len(firsts):
                    columns.append(X[:, j:j + 1] * previous[:, start:])  # (n, run) monomials starting with x_j
                    new_firsts += [j] * (len(firsts) - start)
            if not columns:
                break
            if k >= low:
                blocks += columns  # joined once, at the end: the output is written in a single copy
            if k < high:
                previous, firsts = xp.concat(columns, axis=1), new_firsts  # (n, n_terms of degree k)
        if not blocks:  # interactions of degree >= 2 of a single feature, without the bias: no column
            return self._output(xp.zeros((n, 0), dtype=X.dtype, device=X.device), X_in)
        return self._output(xp.concat(blocks, axis=1), X_in)

    def get_feature_names_out(self, input_features: Any = None):
        """Output column names: "1", "x0", "x0^2", "x0 x1", ...; features are x0, x1, ... by default."""
        names = check_feature_names_in(self, input_features)
        out = []
        for term in self._monomials():
            parts = [names[j] if term.count(j) == 1 else f"{names[j]}^{term.count(j)}" for j in sorted(set(term))]
            out.append(" ".join(parts) or "1")
        return host_array(out, "object")
