"""Spline features (SplineTransformer): each feature expanded into its B-spline basis.

Feature j gets a knot vector t₀ <= t₁ <= … <= t_{m-1}: n_knots base knots spread uniformly from its
smallest to its largest value, or at its quantiles, or given; then `degree` = k more knots before and
after them, at the spacing of the first and last base interval (or, for periodic splines, the base
knots shifted by one period). The B-splines of degree k on that vector, by the Cox-de Boor recursion

    B_{i,0}(x) = 1 if t_i <= x < t_{i+1}, else 0
    B_{i,d}(x) = (x - t_i) / (t_{i+d} - t_i) · B_{i,d-1}(x) + (t_{i+d+1} - x) / (t_{i+d+1} - t_{i+1}) · B_{i+1,d-1}(x)

(a term whose denominator is 0 is 0), are m - k - 1 = n_knots + k - 1 functions, which sum to 1 on the
base interval [t_k, t_{m-k-1}]. At x in [t_i, t_{i+1}) only the k + 1 functions B_{i-k,k} .. B_{i,k}
are non-zero: those are computed, by de Boor's triangle on the 2k knots around x (`_bsplines`), for all
samples and features at once, a block of rows at a time, and set in their columns. The interval is
clamped to the base intervals: x outside the base interval then gets the polynomial pieces of the
first or last one, continued (extrapolation="continue", scipy's `extrapolate=True`). The other modes:
"constant" keeps the values at the nearer end of the base interval, "linear" continues them along
their slopes there (B'_{i,k} = k (B_{i,k-1} / (t_{i+k} - t_i) - B_{i+1,k-1} / (t_{i+k+1} - t_{i+1}))),
"error" refuses x outside, and "periodic" maps x into the base interval modulo its length and adds the
last k functions to the first k (n_knots - 1 functions, periodic and smooth across the ends).

Reference: C. de Boor, A Practical Guide to Splines, Springer 1978, chapters IX and X; scikit-learn's
SplineTransformer, whose outputs these are.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

from .._backend import to_backend
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, check_is_fitted
from ..utils._chunks import RowBlocks, chunk_rows, row_slices
from ..utils._csr import CSR
from ..utils._feature_names import check_feature_names_in
from ..utils._host import as_host, host_array, host_namespace
from ..utils._param_validation import Interval, Options
from ..utils._quantiles import nan_quantiles, weighted_quantiles
from ..utils._values import ALLOW_NAN
from ..utils.validation import check_sample_weight
from ._bsplines import base_interval, local_bsplines, local_slopes, spread

__all__ = ["SplineTransformer"]


class SplineTransformer(TransformerMixin, BaseEstimator):
    """Generate univariate B-spline bases for features.

    Parameters
    ----------
    n_knots : int, default=5
        Number of base knots per feature ("uniform" or "quantile" knots); at least 2.
    degree : int, default=3
        The degree of the polynomial pieces.
    knots : {"uniform", "quantile"} or array-like of shape (n_knots, n_features), default="uniform"
        Base knots spread uniformly from each feature's smallest to its largest value, at its quantiles (weighted
        by sample_weight), or given (sorted, without repeats).
    extrapolation : {"error", "constant", "linear", "continue", "periodic"}, default="constant"
        What values beyond the base knots get (see the module's docstring).
    include_bias : bool, default=True
        Keep every spline; False drops each feature's last one (the splines sum to 1, so that a model with an
        intercept has no redundant column).
    order : {"C", "F"}, default="C"
        Accepted for scikit-learn compatibility: the memory layout of scikit-learn's dense output (the values are
        the same); xpml's output has the layout its backend gives it.
    handle_missing : {"error", "zeros"}, default="error"
        NaN in X is refused, or gives zeros in all of its feature's splines (NaN is then left out of the knots).
    sparse_output : bool, default=False
        Return a scipy.sparse CSR matrix (under `xpml.set_config(output="backend")`, the backend's own).
    backend : str or Backend, optional
        Where to compute; None: the backend in force at fit.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in; by default floating input keeps its precision.

    Attributes
    ----------
    knots_ : array of shape (n_knots + 2 * degree, n_features)
        Each feature's knot vector (a column), the added knots included; with `degree`, it defines the splines
        (scikit-learn's `bsplines_` are scipy BSpline objects made of the same knots).
    n_features_out_ : int
        The number of output columns.
    n_features_in_ : int
    feature_names_in_ : array of shape (n_features_in_,), where X was a DataFrame with string column names

    Examples
    --------
    >>> from xpml.preprocessing import SplineTransformer
    >>> SplineTransformer(n_knots=3, degree=1).fit_transform([[0.0], [0.5], [1.0]]).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """

    _parameter_constraints = {
        "n_knots": [Interval(Integral, 2, None)],
        "degree": [Interval(Integral, 0, None)],
        "knots": [Options({"uniform", "quantile"}), "array-like"],
        "extrapolation": [Options({"error", "constant", "linear", "continue", "periodic"})],
        "include_bias": ["boolean"],
        "order": [Options({"C", "F"})],
        "handle_missing": [Options({"error", "zeros"})],
        "sparse_output": ["boolean"],
        **BACKEND_CONSTRAINTS,
    }

    def __init__(self, n_knots: int = 5, degree: int = 3, *, knots: Any = "uniform", extrapolation: str = "constant",
                 include_bias: bool = True, order: str = "C", handle_missing: str = "error",
                 sparse_output: bool = False, backend: Any = None, dtype: str | None = None):
        self.n_knots = n_knots
        self.degree = degree
        self.knots = knots
        self.extrapolation = extrapolation
        self.include_bias = include_bias
        self.order = order
        self.handle_missing = handle_missing
        self.sparse_output = sparse_output
        self.backend = backend
        self.dtype = dtype

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = self.handle_missing == "zeros"
        return tags

    def _checked_X(self, X: Any, reset: bool):
        """X validated, NaN let through with handle_missing="zeros" and refused, saying so, otherwise."""
        try:
            return self._validate_X(X, reset=reset, ensure_finite=ALLOW_NAN if self.handle_missing == "zeros" else True)
        except ValueError as error:
            if "X contains NaN" not in str(error):
                raise
            raise ValueError("X contains NaN, and handle_missing='error' refuses it: set handle_missing='zeros' to "
                             "give missing values splines of value 0, or impute them first (SimpleImputer).") from error

    def _base_knots(self, X, sample_weight):
        """The base knots (n_knots, n_features) of each feature, in X's dtype."""
        xp, p = self._xp, X.shape[1]
        if isinstance(self.knots, str) and self.knots not in ("uniform", "quantile"):
            raise ValueError(f"knots={self.knots!r} should be one of 'quantile', 'uniform' or an array of shape "
                             f"(n_knots, n_features).")
        if not isinstance(self.knots, str):
            given = as_host(self.knots, "knots")
            if given.ndim != 2 or given.dtype.kind not in "iuf":
                raise ValueError(f"knots should be a 2-D array of numbers of shape (n_knots, n_features); got shape "
                                 f"{tuple(given.shape)}, dtype {given.dtype}.")
            if given.shape[0] < 2:
                raise ValueError(f"knots has {given.shape[0]} row(s); a minimum of 2 knots is required.")
            if given.shape[1] != p:
                raise ValueError(f"knots has {given.shape[1]} columns but X has {p} features; one column per feature.")
            hxp = host_namespace()
            if not bool(hxp.all(hxp.isfinite(given))) or not bool(hxp.all(given[1:] > given[:-1])):
                raise ValueError("knots should be finite, and sorted along each column without duplicates.")
            return to_backend(given, self._backend, dtype=self._dtype)
        step = 1 / (self.n_knots - 1)
        ranks = [100 * (i * step) for i in range(self.n_knots - 1)] + [100.0]  # percentages, numpy's linspace's
        nan = xp.isnan(X)
        if self.knots == "quantile" and sample_weight is None:
            return nan_quantiles(X, [r / 100 for r in ranks], method="linear")  # (n_knots, p)
        if self.knots == "quantile":  # NaN weighs nothing (and sorts last, as +inf)
            W = xp.where(nan, 0, xp.broadcast_to(sample_weight[:, None], X.shape))  # (n, p)
            return weighted_quantiles(xp.where(nan, xp.inf, X), W, ranks, average=False)
        kept = ~nan if sample_weight is None else ~nan & (sample_weight[:, None] > 0)  # (n, p)
        seen = xp.any(kept, axis=0)  # (p,) a feature of NaN only: knots at 0, as scikit-learn's
        low = xp.where(seen, xp.min(xp.where(kept, X, xp.inf), axis=0), 0)  # (p,)
        high = xp.where(seen, xp.max(xp.where(kept, X, -xp.inf), axis=0), 0)
        steps = xp.arange(self.n_knots - 1, dtype=X.dtype, device=X.device)[:, None]  # (n_knots - 1, 1)
        return xp.concat([low + steps * ((high - low) / (self.n_knots - 1)), high[None, :]], axis=0)

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> SplineTransformer:
        """Place the knots of each feature.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
        sample_weight : array-like of shape (n_samples,), optional
            Weights of the quantiles (knots="quantile"); with knots="uniform", samples of weight 0 are left out
            of the range.

        Returns
        -------
        self
        """
        X = self._checked_X(X, reset=True)
        xp, k = self._xp, self.degree
        if X.shape[0] < 2:
            raise ValueError(f"X has {X.shape[0]} sample(s) (shape={tuple(X.shape)}) while a minimum of 2 is "
                             f"required by SplineTransformer.")
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)
        base = xp.astype(self._base_knots(X, sample_weight), X.dtype)  # (n_knots, p) (quantiles come in float64)
        n_knots = base.shape[0]
        if self.extrapolation == "periodic" and n_knots <= k:
            raise ValueError(f"Periodic splines need degree < n_knots; got n_knots={n_knots} and degree={k}.")
        if self.extrapolation == "periodic":
            period = base[-1:, :] - base[:1, :]  # (1, p)
            before, after = base[n_knots - 1 - k:n_knots - 1, :] - period, base[1:k + 1, :] + period
        else:  # k more knots at the spacing of the first (last) base interval
            steps = xp.arange(1, k + 1, dtype=base.dtype, device=base.device)[:, None]  # (k, 1)
            before = base[:1, :] - xp.flip(steps, axis=0) * (base[1:2, :] - base[:1, :])  # (k, p)
            after = base[-1:, :] + steps * (base[-1:, :] - base[-2:-1, :])
        self.knots_ = xp.concat([before, base, after], axis=0)  # (n_knots + 2k, p)
        n_splines = self._n_splines()
        self.n_features_out_ = self.n_features_in_ * (n_splines - (not self.include_bias))
        return self

    def _n_splines(self) -> int:
        n_knots = self.knots_.shape[0] - 2 * self.degree
        return n_knots - 1 if self.extrapolation == "periodic" else n_knots + self.degree - 1

    def transform(self, X: Any):
        """The splines of each feature: an array (or sparse matrix) of shape (n_samples, n_features_out_), each
        feature's splines side by side."""
        X_in, X = X, self._checked_X(X, reset=False)
        xp, k, t = self._xp, self.degree, self.knots_
        m, n_splines = t.shape[0], self._n_splines()
        low, high = t[k, :], t[m - k - 1, :]  # (p,) the ends of the base interval
        missing = xp.isnan(X) if self.handle_missing == "zeros" else None  # (n, p) ("error": refused above)
        x = X if missing is None else xp.where(missing, low, X)  # (n, p) a missing value's splines: made, then zeroed
        if self.extrapolation == "error" and bool(xp.any((x < low) | (x > high))):
            raise ValueError("X contains values beyond the limits of the knots (extrapolation='error'): feature "
                             "values should lie within the range seen at fit, or the given knots.")
        if self.extrapolation == "periodic":
            period = high - low
            x = xp.where(period > 0, low + xp.remainder(x - low, xp.where(period > 0, period, 1)), 0)
        width = n_splines - (not self.include_bias)
        blocks = RowBlocks(xp, x.shape[0])  # a block of rows at a time: the temporaries stay in cache
        for rows in row_slices(x.shape[0], chunk_rows(self._backend, x.shape[1] * (n_splines + 2 * k))):
            splines = self._splines(x[rows, :], None if missing is None else missing[rows, :], n_splines)
            blocks.put(rows, splines[:, :, :width])  # (rows, p, width)
        out = xp.reshape(blocks.result(), (x.shape[0], -1))  # (n, p * width) feature by feature
        if self.sparse_output:
            return self._output(_csr(out, self._backend), X_in)
        return self._output(out, X_in)

    def _splines(self, x, missing, n_splines: int):
        """The splines (n, p, n_splines) of x (n, p), 0 where `missing`: its k + 1 local ones set in their columns."""
        xp, k, t = self._xp, self.degree, self.knots_
        low, high = t[k, :], t[t.shape[0] - k - 1, :]  # (p,)
        at = x if self.extrapolation in ("continue", "periodic") else xp.clip(x, low, high)  # (n, p)
        i = base_interval(xp, at, t, k, self._backend.int_dtype)  # (n, p)
        B, shares = local_bsplines(xp, at, t, i, k)  # (k + 1, n, p): B_{i-k} .. B_i
        # x beyond the base interval is evaluated at its nearer end `at`: "constant" keeps those values (of the k + 1
        # splines there, the one that starts or ends there is exactly 0), "linear" goes on along their slopes (x - at
        # is 0 within the interval); degree 0's constant extrapolation is 0, as scikit-learn's
        if self.extrapolation == "linear":
            B = B + (x - at) * local_slopes(xp, shares, k)
        if self.extrapolation == "constant" and k == 0:
            B = xp.where(x != at, 0, B)
        if missing is not None:
            B = xp.where(missing, 0, B)
        column = xp.arange(k + 1, dtype=i.dtype, device=i.device)[:, None, None] + (i - k)  # (k + 1, n, p)
        if self.extrapolation == "periodic":  # the last k splines are the first k, one period on
            if k == n_splines:  # degree n_knots - 1: B_{i-k} and B_i are the same periodic spline
                B = xp.concat([B[:1, ...] + B[k:, ...], B[1:k, ...]], axis=0)
                column = column[:k, ...]
            column = xp.remainder(column, n_splines)
        return spread(xp, B, column, n_splines)  # (n, p, splines)

    def get_feature_names_out(self, input_features: Any = None):
        """Output column names "<feature>_sp_<j>"; features are named x0, x1, ... by default."""
        check_is_fitted(self)
        names = check_feature_names_in(self, input_features)
        width = self._n_splines() - (not self.include_bias)
        return host_array([f"{name}_sp_{j}" for name in names for j in range(width)], "object")


def _csr(dense, backend) -> CSR:
    """A dense (n, q) result as a CSR of its non-zero entries (found on the host), on `backend`."""
    hxp = host_namespace()
    values = as_host(dense)
    rows, columns = hxp.nonzero(values)  # row by row, columns in order
    indptr = hxp.concat([hxp.zeros(1, dtype=hxp.int64), hxp.cumulative_sum(hxp.sum(values != 0, axis=1))])
    return CSR(to_backend(hxp.astype(indptr, hxp.int64), backend), to_backend(hxp.astype(columns, hxp.int64), backend),
               to_backend(values[rows, columns], backend), values.shape)
