"""QuantileTransformer: each feature mapped through its own empirical distribution function, to a uniform or a
standard normal distribution.

fit reads the quantiles_ q_0 <= ... <= q_{m-1} of each column at m evenly spaced probabilities, the
references_ r_k = k / (m - 1), NaN left out, by numpy's linear rule (`xpml.utils._quantiles`, RobustScaler's),
from at most `subsample` rows drawn without replacement.

transform maps x to u on the broken line through the points (q_k, r_k). A value that repeats makes several q_k
equal: reading the line from the left gives the last r_k of that run, from the right the first, so u is the mean
of the two (numpy.interp of x against (q, r), and of -x against the same points reversed and negated), and a tied
value lands in the middle of its run. x below q_0 gives 0, above q_{m-1} gives 1, and x equal to q_0 (q_{m-1})
gives 0 (1), the lower end winning where both hold (a constant column). For the normal output, u becomes
Φ⁻¹(u) (`xpml.utils._normal`), after x within BOUNDS_THRESHOLD = 1e-7 of the ends has gone to them, clipped to
±Φ⁻¹(1e-7 - ε) so that no value is infinite. inverse_transform reads the same line the other way (after
u = Φ(z) for the normal output), the ends likewise. NaN passes through as NaN.

The interpolation is numpy's: j the last point with q_j <= x, then r_j where x = q_j, else r_j + s_j (x - q_j),
s_j = (r_{j+1} - r_j) / (q_{j+1} - q_j), in float64 where the device has it. The same j serves the reading from
the right: x between q_j and q_{j+1} reads r_{j+1} - s_j (q_{j+1} - x), x = q_j the first r of q_j's run of ties,
each in the arithmetic numpy.interp does on the points reversed and negated (one search, not two).

scipy.sparse input (CSR or CSC, non-negative unless ignore_implicit_zeros) is handled on the host as a CSC
matrix, as scikit-learn does: the zeros it does not store count in the quantiles (with ignore_implicit_zeros,
they do not), and transform maps the stored values only.

Reference: scikit-learn's QuantileTransformer (the same estimator, computed as described above).
"""

from __future__ import annotations

import math
from numbers import Integral
from statistics import NormalDist
from typing import Any

from .._backend import backend_of, device_of, float_dtype_for, resolve_backend, to_numpy
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, check_is_fitted
from ..utils._chunks import RowBlocks, chunk_rows, row_slices
from ..utils._errstate import float_errors_ignored
from ..utils._feature_names import check_feature_names, check_feature_names_in
from ..utils._host import host_namespace
from ..utils._normal import normal_cdf, normal_ppf
from ..utils._param_validation import Interval, Options
from ..utils._quantiles import nan_quantiles, searchsorted_columns, stored_and_zero_quantiles
from ..utils._random import check_random_state, draw
from ..utils._sparse_columns import check_sparse, is_sparse
from ..utils._sparse_input import host_sparse, scipy_output
from ..utils._values import ALLOW_NAN
from ..utils._warnings import warn
from ..utils.validation import check_n_features
from ._normalize import check_axis, transposed

__all__ = ["BOUNDS_THRESHOLD", "QuantileTransformer", "quantile_transform"]

BOUNDS_THRESHOLD = 1e-7  # values this close to an end of the distribution go to that end (normal output)
_CLIP = (NormalDist().inv_cdf(BOUNDS_THRESHOLD - 2**-52), NormalDist().inv_cdf(1 - (BOUNDS_THRESHOLD - 2**-52)))


def _interp(xp, X, XS, YS, slopes, first_of_run=None):
    """numpy.interp of each column: X[:, j] (n, p) on the broken line through (XS[:, j], YS[:, j]), XS (m, p)
    non-decreasing, YS (m, p), whose segments have the `slopes` (m - 1, p); the end values beyond the ends: (n, p).
    Given `first_of_run` (m, p), YS at the first point of each point's run of equal XS, also the same line read from
    the right, negated, as numpy.interp(-x, -XS reversed, -YS reversed) gives it (the module's docstring says how,
    from the same search): a pair of (n, p) arrays."""
    (m, p), shape = XS.shape, X.shape
    if m == 1:  # a single point: its value everywhere
        out = xp.broadcast_to(YS[:1, :], shape)
        return out if first_of_run is None else (out, -out)
    j = searchsorted_columns(xp, XS, X, side="right") - 1  # (n, p) the last point at or below x; -1: none
    below, beyond = j < 0, j >= m - 1  # (n, p) each: x before the first point; at or after the last
    column = xp.arange(p, dtype=j.dtype, device=device_of(j))  # (p,)
    at = xp.reshape(xp.clip(j, 0, m - 1) * p + column, (-1,))  # (n·p,) the point j in the tables read flat
    segment = xp.reshape(xp.clip(j, 0, m - 2) * p + column, (-1,))  # (n·p,) the segment j, or the nearest one
    read = lambda table, index: xp.reshape(xp.take(xp.reshape(table, (-1,)), index), shape)  # (n, p)
    with float_errors_ignored():  # a tied segment's slope (0/0) is never read: x there equals its left end
        x0, y0, slope = read(XS, at), read(YS, at), read(slopes, segment)  # (n, p) each
        tie = x0 == X  # (n, p)
        out = xp.where(tie, y0, slope * (X - x0) + y0)
        out = xp.where(below, YS[:1, :], xp.where(beyond, YS[-1:, :], out))
        if first_of_run is None:
            return out
        back = slope * (read(XS, segment + p) - X) - read(YS, segment + p)  # (n, p) from the segment's right end
        back = xp.where(tie, -read(first_of_run, at), xp.where(beyond, -YS[-1:, :], back))
        return out, xp.where(below, -YS[:1, :], back)


def quantile_map(xp, X, quantiles, references, *, normal: bool, inverse: bool, wide):
    """transform (or, `inverse`, inverse_transform) of X (n, p) by the `quantiles` (m, p) at `references` (m,),
    as the module's docstring says; the index arithmetic in the floating dtype `wide`. Returns X's dtype. The
    line's tables are made once, then X is mapped a block of rows at a time (`chunk_rows`), so that the dozen
    temporaries of a block stay small whatever n is."""
    R = xp.broadcast_to(references[:, None], quantiles.shape)  # (m, p)
    XS, YS = (R, quantiles) if inverse else (quantiles, R)
    with float_errors_ignored():  # 0/0 on a tied segment
        slopes = (YS[1:, :] - YS[:-1, :]) / (XS[1:, :] - XS[:-1, :])  # (m - 1, p)
    first_of_run = None if inverse else xp.take_along_axis(  # transform reads the line from both ends
        YS, searchsorted_columns(xp, XS, XS, side="left"), axis=0)  # (m, p) YS at the first of each run of ties
    out, tables = RowBlocks(xp, X.shape[0]), (XS, YS, slopes, first_of_run)
    for block in row_slices(X.shape[0], chunk_rows(backend_of(X), X.shape[1])) or [slice(0, 0)]:
        out.put(block, _map_rows(xp, X[block, :], *tables, normal=normal, inverse=inverse, wide=wide))
    return out.result()


def _map_rows(xp, X, XS, YS, slopes, first_of_run, *, normal: bool, inverse: bool, wide):
    """quantile_map of a block of rows X (b, p), the line's tables given."""
    if inverse and normal:  # z to u = Φ(z), kept in X's dtype as scikit-learn keeps it
        X = xp.astype(normal_cdf(xp.astype(X, wide, copy=False), xp=xp), X.dtype, copy=False)
    Q = YS if inverse else XS  # (m, p) the quantiles
    zero, one, ends = xp.zeros_like(Q[:1, :]), xp.ones_like(Q[:1, :]), (Q[:1, :], Q[-1:, :])
    (first, last), (at_low, at_high) = ((zero, one), ends) if inverse else (ends, (zero, one))  # (1, p) each
    if normal:
        low, high = X - BOUNDS_THRESHOLD < first, X + BOUNDS_THRESHOLD > last  # (b, p)
    else:
        low, high = X == first, X == last
    Xw = xp.astype(X, wide, copy=False)
    if inverse:
        U = _interp(xp, Xw, XS, YS, slopes)
    else:  # from the left and from the right, averaged: a tie maps to the middle of its run
        from_left, from_right = _interp(xp, Xw, XS, YS, slopes, first_of_run)
        U = 0.5 * (from_left - from_right)
    U = xp.where(low, at_low, xp.where(high, at_high, U))
    U = xp.astype(xp.where(xp.isnan(X), xp.asarray(math.nan, dtype=wide, device=device_of(X)), U), X.dtype, copy=False)
    if normal and not inverse:
        Z = xp.astype(normal_ppf(xp.astype(U, wide, copy=False), xp=xp), X.dtype, copy=False)
        U = xp.astype(xp.clip(xp.astype(Z, wide, copy=False), _CLIP[0], _CLIP[1]), X.dtype, copy=False)
    return U


class QuantileTransformer(TransformerMixin, BaseEstimator):
    """Transform features to a uniform or a normal distribution through their quantiles (robust to outliers).

    Parameters
    ----------
    n_quantiles : int, default=1000
        The number of quantiles (points of the distribution function); n_samples if larger.
    output_distribution : {"uniform", "normal"}, default="uniform"
    ignore_implicit_zeros : bool, default=False
        For scipy.sparse X only: leave the zeros that are not stored out of the quantiles.
    subsample : int or None, default=10_000
        The most samples the quantiles are read from (drawn without replacement); None: all.
    random_state : int, numpy.random.Generator or None, default=None
        The draw of the subsample (on the host, the same on every backend).
    copy : bool, default=True
        Accepted for scikit-learn compatibility: xpml never modifies X, whatever its value.
    backend : str or Backend, optional
        Where to compute; None: the backend in force at fit.
    dtype : {"float32", "float64"}, optional
        The floating dtype of X; by default floating input keeps its precision.

    Attributes
    ----------
    n_quantiles_ : int
    quantiles_ : array of shape (n_quantiles_, n_features)
        The quantiles of each feature, float64 (float32 on a device without float64).
    references_ : array of shape (n_quantiles_,)
        The probabilities of the quantiles, evenly spaced from 0 to 1.
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.preprocessing import QuantileTransformer
    >>> QuantileTransformer(n_quantiles=3).fit_transform([[1.0], [2.0], [2.0], [10.0]]).ravel().tolist()
    [0.0, 0.5, 0.5, 1.0]
    """

    _parameter_constraints = {
        "n_quantiles": [Interval(Integral, 1, None, closed="left")],
        "output_distribution": [Options({"uniform", "normal"})],
        "ignore_implicit_zeros": ["boolean"],
        "subsample": [Interval(Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
        "copy": ["boolean"],
        **BACKEND_CONSTRAINTS,
    }

    def __init__(self, *, n_quantiles: int = 1000, output_distribution: str = "uniform",
                 ignore_implicit_zeros: bool = False, subsample: int | None = 10_000, random_state: Any = None,
                 copy: bool = True, backend: Any = None, dtype: str | None = None):
        self.n_quantiles = n_quantiles
        self.output_distribution = output_distribution
        self.ignore_implicit_zeros = ignore_implicit_zeros
        self.subsample = subsample
        self.random_state = random_state
        self.copy = copy
        self.backend = backend
        self.dtype = dtype

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # missing values are left out of the quantiles and kept by transform
        tags.input_tags.sparse = True
        return tags

    def fit(self, X: Any, y: Any = None) -> QuantileTransformer:
        """Learn the quantiles of each feature of X (n_samples, n_features), NaN left out; X may be a
        scipy.sparse matrix (non-negative unless ignore_implicit_zeros). Returns self."""
        self._validate_params()
        if self.subsample is not None and self.n_quantiles > self.subsample:
            raise ValueError(f"n_quantiles={self.n_quantiles} should be <= subsample={self.subsample}: the "
                             f"quantiles are read from at most subsample samples.")
        X = host_sparse(X)
        sparse = is_sparse(X)
        if sparse:
            X = self._check_sparse(X, reset=True)
        else:
            X = self._validate_X(X, reset=True, ensure_finite=ALLOW_NAN)
        n = X.shape[0]
        if self.n_quantiles > n:
            warn(f"n_quantiles ({self.n_quantiles}) is greater than the total number of samples ({n}). "
                 f"n_quantiles is set to n_samples.", UserWarning)
        self.n_quantiles_ = max(1, min(self.n_quantiles, n))
        hxp, wide = host_namespace(), self._backend.float_dtype
        references = hxp.linspace(0.0, 1.0, self.n_quantiles_)  # (m,) float64, numpy's
        probabilities = references * 100 / 100  # as scikit-learn asks numpy for percentiles
        rng = check_random_state(self.random_state)
        if sparse:
            quantiles = self._to_backend(self._sparse_quantiles(X, probabilities, rng))
        else:
            if self.ignore_implicit_zeros:
                warn("'ignore_implicit_zeros' takes effect only with sparse matrix. This parameter has no effect.",
                     UserWarning)
            if self.subsample is not None and self.subsample < n:
                X = self._xp.take(X, draw(rng, self._backend, "choice", n, self.subsample, replace=False), axis=0)
            quantiles = nan_quantiles(X, probabilities)  # (m, p)
        self.references_ = self._to_backend(references)
        self.references_, self.quantiles_ = (self._xp.astype(a, wide) for a in (self.references_, quantiles))
        return self

    def _sparse_quantiles(self, X, probabilities, rng):
        """The quantiles (m, p) of a CSC matrix's columns on the host, as scikit-learn reads them: each column's
        stored values with its implicit zeros (none with ignore_implicit_zeros); a column of more stored values
        than `subsample` by a draw of them, zeros in proportion."""
        hxp, (n, p), out = host_namespace(), X.shape, []
        for j in range(p):
            stored = X.data[X.indptr[j]:X.indptr[j + 1]]
            zeros = 0 if self.ignore_implicit_zeros else n - stored.shape[0]
            if self.subsample is not None and stored.shape[0] > self.subsample:
                kept = self.subsample if self.ignore_implicit_zeros else self.subsample * stored.shape[0] // n
                stored, zeros = rng.choice(stored, size=kept, replace=False), self.subsample - kept
            if stored.shape[0] + zeros == 0:  # nothing to read: zeros, as scikit-learn
                out.append(hxp.zeros(probabilities.shape[0], dtype=hxp.float64))
            else:
                out.append(stored_and_zero_quantiles(stored, zeros, probabilities))
        return hxp.stack(out, axis=1)

    def _check_sparse(self, X, reset: bool, negative_ok: bool = False):
        """A scipy.sparse X as a new CSC matrix of the fit's dtype, NaN allowed; negative values refused unless
        ignore_implicit_zeros (or `negative_ok`, for inverse_transform)."""
        if reset:
            self._backend = resolve_backend(self.backend)
            check_feature_names(self, X, reset=True)  # a sparse matrix has no column names
            dtype = float_dtype_for(X.dtype.name, self._backend, self.dtype) if X.dtype.kind in "biuf" else None
        else:
            check_is_fitted(self)
            dtype = self._dtype
        X = check_sparse(X, dtype, ensure_finite=ALLOW_NAN).tocsc()
        if X.shape[1] == 0:
            raise ValueError(f"X has 0 feature(s) (shape={X.shape}) while a minimum of 1 is required.")
        if reset:
            self.n_features_in_, self._dtype = X.shape[1], X.dtype.name
        else:
            check_n_features(self, X.shape[1])
        with float_errors_ignored():
            negative = bool((X.data < 0).any())
        if negative and not (negative_ok or self.ignore_implicit_zeros):
            raise ValueError("QuantileTransformer only accepts non-negative sparse matrices (X has negative values); "
                             "pass ignore_implicit_zeros=True to leave the zeros out instead, or make X dense.")
        return X

    def _map_sparse(self, X, inverse: bool):
        """transform or inverse_transform of a sparse X: its stored values, column by column, on the host."""
        X = self._check_sparse(X, reset=False, negative_ok=inverse)
        hxp = host_namespace()
        Q, R = to_numpy(self.quantiles_), to_numpy(self.references_)
        data = [quantile_map(hxp, X.data[X.indptr[j]:X.indptr[j + 1]][:, None], Q[:, j:j + 1], R,
                             normal=self.output_distribution == "normal", inverse=inverse, wide=Q.dtype)[:, 0]
                for j in range(X.shape[1])]
        out = type(X)((hxp.concat(data) if data else X.data, X.indices.copy(), X.indptr.copy()), shape=X.shape)
        return scipy_output(out, self._backend)

    def _map(self, X: Any, inverse: bool):
        check_is_fitted(self)
        X = host_sparse(X)
        if is_sparse(X):
            return self._map_sparse(X, inverse)
        X_in, X = X, self._validate_X(X, reset=False, ensure_finite=ALLOW_NAN)
        out = quantile_map(self._xp, X, self.quantiles_, self.references_, inverse=inverse,
                           normal=self.output_distribution == "normal", wide=self._backend.float_dtype)
        return self._output(out, X_in)

    def transform(self, X: Any):
        """Map X (n_samples, n_features) to the output distribution, NaN kept: an array of X's shape, or a scipy
        CSC matrix for a sparse X (its stored values mapped)."""
        return self._map(X, inverse=False)

    def inverse_transform(self, X: Any):
        """Map values of the output distribution back to the features' scale, NaN kept (an array, or a scipy CSC
        matrix for a sparse X)."""
        return self._map(X, inverse=True)

    def get_feature_names_out(self, input_features: Any = None):
        """The output column names: the input's (`feature_names_in_`, or x0, x1, ...), one for one."""
        check_is_fitted(self)
        return check_feature_names_in(self, input_features)


def quantile_transform(X: Any, *, axis: int = 0, n_quantiles: int = 1000, output_distribution: str = "uniform",
                       ignore_implicit_zeros: bool = False, subsample: int | None = 100_000, random_state: Any = None,
                       copy: bool = True):
    """Map each feature (axis=0) or each sample (axis=1) of X to a uniform or a normal distribution through its
    quantiles: QuantileTransformer's fit_transform (of Xᵀ for axis=1, transposed back).

    Parameters
    ----------
    X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
    axis : {0, 1}, default=0
    n_quantiles, output_distribution, ignore_implicit_zeros, subsample, random_state, copy :
        As in QuantileTransformer (subsample defaults to 100_000 here, as in scikit-learn).

    Returns
    -------
    Xt : array of X's shape, in X's library (a scipy CSC matrix for sparse X with axis=0)
    """
    transformer = QuantileTransformer(n_quantiles=n_quantiles, output_distribution=output_distribution,
                                      ignore_implicit_zeros=ignore_implicit_zeros, subsample=subsample,
                                      random_state=random_state, copy=copy)
    X = host_sparse(X)
    if check_axis(axis) == 1:
        return transformer.fit_transform(transposed(X)).T
    return transformer.fit_transform(X)
