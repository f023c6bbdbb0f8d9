"""KBinsDiscretizer: each feature cut into intervals (bins), and each value replaced by its bin.

fit finds each feature's bin edges e_0 < e_1 < ... < e_k (`_bin_edges`: uniform widths, equal counts by
quantiles, or 1-D k-means clusters), from at most `subsample` rows drawn with replacement (in proportion to
the sample weights, which are then used up). transform gives a value x the number of inner edges at or
below it, searchsorted(e_1 .. e_{k-1}, x, side="right"), so that the outer edges never cut: a value beyond
the training range goes to the first or last bin. The bins come out as numbers ("ordinal") or one-hot
columns ("onehot": a scipy CSR matrix; "onehot-dense": an array): those of a OneHotEncoder with the
categories 0 .. k - 1 of each feature, as scikit-learn makes them, whose columns are the bins themselves (so
transform sets them from the bins directly, and the encoder inverts them). inverse_transform gives each bin's
centre, (e_i + e_{i+1}) / 2.

Reference: scikit-learn's KBinsDiscretizer (the same estimator, computed as described above).
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

from .._backend import dtype_name, get_config, library_of, resolve_backend, to_backend
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, _check_scales_out, check_is_fitted
from ..utils._feature_names import check_feature_names, check_feature_names_in
from ..utils._host import as_host, host_array, host_namespace
from ..utils._lazy import is_lazy
from ..utils._one_hot import csr_from_slots, has_scipy, output_dtype
from ..utils._param_validation import Interval, Options
from ..utils._quantiles import QUANTILE_METHODS, searchsorted_columns
from ..utils._random import check_random_state, weighted_sampler
from ..utils._sparse_input import sparse_output
from ..utils.validation import check_array, check_n_features, check_sample_weight
from ._bin_edges import bin_edges, edge_tables
from ._encoders import OneHotEncoder

__all__ = ["KBinsDiscretizer"]

_FEW_EDGES = 32  # up to this many inner edges, transform counts the edges below each value by comparisons


class KBinsDiscretizer(TransformerMixin, BaseEstimator):
    """Bin continuous features into intervals.

    Parameters
    ----------
    n_bins : int or array-like of shape (n_features,), default=5
        The number of bins of every feature, or of each (at least 2).
    encode : {"onehot", "onehot-dense", "ordinal"}, default="onehot"
        The bins as one-hot columns in a scipy CSR matrix, in a dense array, or as bin numbers.
    strategy : {"uniform", "quantile", "kmeans"}, default="quantile"
        Bins of equal widths, of equal counts, or of the values nearest to each centre of a 1-D k-means.
    quantile_method : str, default="averaged_inverted_cdf"
        numpy's method for the quantiles of strategy="quantile" ("inverted_cdf", "averaged_inverted_cdf",
        "closest_observation", "interpolated_inverted_cdf", "hazen", "weibull", "linear", "median_unbiased",
        "normal_unbiased"); with sample_weight, one of the first two.
    dtype : {numpy.float32, numpy.float64, "float32", "float64"} or None, default=None
        The dtype of the output (and of X at transform); None: X's floating dtype.
    subsample : int or None, default=200_000
        The most samples the edges are learned from (drawn with replacement); None: all.
    random_state : int, numpy.random.Generator or None, default=None
        The draw of the subsample (on the host, the same on every backend).
    backend : str or Backend, optional
        Where to compute; None: the backend in force at fit.

    Attributes
    ----------
    bin_edges_ : numpy array of objects of shape (n_features,)
        Each feature's edges, a numpy array of shape (n_bins_[j] + 1,) (kept on the host, as they differ in
        length; [-inf, inf] for a constant feature).
    n_bins_ : numpy array of int64 of shape (n_features,)
        The bins of each feature, fewer than asked where narrow bins were removed.
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.preprocessing import KBinsDiscretizer
    >>> X = [[-2.0], [-1.0], [0.0], [1.0]]
    >>> KBinsDiscretizer(3, encode="ordinal", strategy="uniform").fit_transform(X).ravel().tolist()
    [0.0, 1.0, 2.0, 2.0]
    """

    _parameter_constraints = {
        "n_bins": [Interval(Integral, 2, None, closed="left"), "array-like"],
        "encode": [Options({"onehot", "onehot-dense", "ordinal"})],
        "strategy": [Options({"uniform", "quantile", "kmeans"})],
        "quantile_method": [Options(set(QUANTILE_METHODS))],
        "dtype": [None, Options({"float32", "float64"}), type],
        "subsample": [Interval(Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
        "backend": BACKEND_CONSTRAINTS["backend"],
    }
    _host_attributes = ("bin_edges_", "n_bins_")  # ragged: one numpy array per feature, as scikit-learn's

    def __init__(self, n_bins: Any = 5, *, encode: str = "onehot", strategy: str = "quantile",
                 quantile_method: str = "averaged_inverted_cdf", dtype: Any = None, subsample: int | None = 200_000,
                 random_state: Any = None, backend: Any = None):
        self.n_bins = n_bins
        self.encode = encode
        self.strategy = strategy
        self.quantile_method = quantile_method
        self.dtype = dtype
        self.subsample = subsample
        self.random_state = random_state
        self.backend = backend

    def _output_dtype(self) -> str | None:
        """The `dtype` parameter's name ("float32" or "float64"), or None."""
        name = self.dtype if self.dtype is None or isinstance(self.dtype, str) else getattr(self.dtype, "__name__", "")
        if name not in (None, "float32", "float64"):
            raise ValueError(f"dtype={self.dtype!r} should be numpy.float32, numpy.float64 (or their names) or None.")
        return name

    def _check_X(self, X: Any, reset: bool):
        """X checked and on the backend: at fit in its own floating precision; later in the output dtype, or the
        fit's."""
        if reset:
            self._validate_params()
            self._output_dtype()
            self._backend = resolve_backend(self.backend)
            _check_scales_out(self)
            check_feature_names(self, X, reset=True)
            X = check_array(X, self._backend)
            self.n_features_in_, self._dtype = X.shape[1], dtype_name(X)
            return X
        check_is_fitted(self)
        check_feature_names(self, X, reset=False)
        X = check_array(X, self._backend, dtype=self._output_dtype() or self._dtype)
        check_n_features(self, X.shape[1])
        return X

    def _n_bins(self, n_features: int) -> list:
        """n_bins as one int per feature."""
        if isinstance(self.n_bins, Integral):
            return [int(self.n_bins)] * n_features
        values = as_host(self.n_bins, "n_bins")
        if values.ndim != 1 or values.shape[0] != n_features:
            raise ValueError(f"n_bins should be an int or an array of shape (n_features,) = ({n_features},); got "
                             f"shape {tuple(values.shape)}.")
        listed = [int(v) if float(v).is_integer() else v for v in values.tolist()] if values.dtype.kind in "iuf" \
            else values.tolist()
        bad = [j for j, v in enumerate(listed) if not isinstance(v, int) or isinstance(v, bool) or v < 2]
        if bad:
            raise ValueError(f"n_bins={listed} should hold an int >= 2 for each feature; got "
                             f"{[listed[j] for j in bad]} at indices {bad}.")
        return [int(v) for v in listed]

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> KBinsDiscretizer:
        """Learn the bin edges of each feature of X (n_samples, n_features).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
        sample_weight : array-like of shape (n_samples,), optional
            The samples' weights: in the quantiles, the k-means, and which samples bound a uniform grid (those
            of positive weight); or in the subsample's draw, when there is one.

        Returns
        -------
        self
        """
        X = self._check_X(X, reset=True)
        xp, (n, p) = self._xp, X.shape
        w = None if sample_weight is None else check_sample_weight(sample_weight, self._backend, n_samples=n,
                                                                     dtype=self._dtype)
        if self.subsample is not None and n > self.subsample:  # with replacement, in proportion to the weights
            rng = check_random_state(self.random_state)
            rows = weighted_sampler(rng, self._backend, w if w is not None else xp.ones(n, device=self._device))
            X, w = xp.take(X, rows(self.subsample), axis=0), None
        n_bins = self._n_bins(p)
        if self.strategy == "quantile" and w is not None and \
                self.quantile_method not in ("inverted_cdf", "averaged_inverted_cdf"):
            raise ValueError(f"quantile_method={self.quantile_method!r} cannot weigh samples: with strategy='quantile' "
                             f"and sample_weight, quantile_method should be 'averaged_inverted_cdf' or 'inverted_cdf'.")
        edges = bin_edges(X, n_bins, self.strategy, self.quantile_method, w, self._backend)
        self.bin_edges_ = host_array(edges, "object")
        self.n_bins_ = host_namespace().asarray(n_bins, dtype=host_namespace().int64)
        self._inner_edges, self._centres = edge_tables(edges, self._backend)  # (p, B - 1), (p, B)
        self._encoder = None
        if self.encode != "ordinal":  # the bins' one-hot columns, as OneHotEncoder makes them (categories 0 .. k-1)
            hxp = host_namespace()
            self._encoder = OneHotEncoder(categories=[hxp.arange(k, dtype=hxp.float64) for k in n_bins],
                                          sparse_output=self.encode == "onehot", dtype=self._out_dtype(),
                                          backend=self._backend).fit(hxp.zeros((1, p)))
        return self

    def _out_dtype(self) -> str:
        return self._output_dtype() or self._dtype

    def transform(self, X: Any):
        """Each value's bin: an array of bin numbers (n_samples, n_features), or their one-hot columns (a scipy CSR
        matrix for encode="onehot", an array for "onehot-dense"), of the output dtype."""
        X_in, X = X, self._check_X(X, reset=False)
        xp = self._xp
        bins = self._bins(xp.astype(X, self._inner_edges.dtype, copy=False))  # exact: the edges compare in float64
        if self._encoder is None:
            return self._output(xp.astype(bins, X.dtype), X_in)
        if is_lazy(self._backend) or (self.encode == "onehot" and not has_scipy()):  # chunk by chunk; or a warning
            encoded = self._encoder.transform(xp.astype(bins, X.dtype))
            return self._output(encoded, X_in) if self.encode == "onehot-dense" else encoded
        return self._one_hot(bins, X_in)

    def _bins(self, X):
        """Each value's bin (n, p), an integer array: the number of its feature's inner edges at or below it. With few
        edges (at most _FEW_EDGES), counted by comparing X with each edge in turn, all features at once (a cheap pass
        over X an edge); with more, by a binary search among them (`searchsorted_columns`, a feature at a time)."""
        xp, edges = self._xp, self._inner_edges  # (p, B - 1), padded with +inf, which no value reaches
        if edges.shape[1] > _FEW_EDGES:
            return searchsorted_columns(xp, edges.T, X, side="right")
        count = xp.zeros(X.shape, dtype=xp.int8, device=self._device)  # (n, p)
        for k in range(edges.shape[1]):
            count = count + xp.astype(X >= edges[:, k], xp.int8)
        return count

    def _one_hot(self, bins, like):
        """The one-hot columns of the bins (n, p) (integers), as the fitted OneHotEncoder makes them: its categories
        0 .. k - 1 are the bins themselves, so each bin is its column in its feature's block (the encoder's matching
        of values with categories is skipped). A scipy CSR matrix for encode="onehot" (under set_config(output=
        "backend"), the backend's own), else an array."""
        xp, widths = self._xp, [int(k) for k in self.n_bins_]
        if self.encode == "onehot":
            slots = [bins[:, j] for j in range(bins.shape[1])]  # (n,) each
            if get_config()["output"] == "backend":
                return sparse_output(csr_from_slots(slots, widths, self._out_dtype(), self._backend), like)
            return csr_from_slots(slots, widths, self._out_dtype())
        (n, p), width = bins.shape, max(widths)  # each feature's block as wide as the widest, then cut to its bins
        hot = bins[:, :, None] == xp.arange(width, dtype=bins.dtype, device=self._device)  # (n, p, width)
        hot = xp.reshape(hot, (n, p * width))
        if min(widths) < width:  # the columns of the bins that exist
            kept = [j * width + b for j, k in enumerate(widths) for b in range(k)]
            hot = xp.take(hot, xp.asarray(kept, device=self._device), axis=1)
        return self._output(xp.astype(hot, output_dtype(self._out_dtype(), self._backend)), like)

    def inverse_transform(self, X: Any):
        """Each bin's centre: X, bin numbers (n_samples, n_features) or their one-hot columns, back on the features'
        scale (an array; NaN for a constant feature's bin, which has no centre)."""
        check_is_fitted(self)
        like = X
        if self._encoder is not None:
            like = X if library_of(X) is not None else []  # an array of a library gives one back, else numpy
            X = host_namespace().astype(self._encoder.inverse_transform(X), host_namespace().float64)
        X = check_array(X, self._backend, ensure_finite=True)
        check_n_features(self, X.shape[1])
        xp = self._xp
        bins = xp.astype(X, self._backend.int_dtype)  # (n, p) truncated, as scikit-learn reads them
        limits = to_backend(self.n_bins_, self._backend)
        if bool(xp.any((bins < 0) | (bins >= limits[None, :]))):
            raise ValueError(f"X should hold bin numbers from 0 to n_bins_[j] - 1 in each column j (n_bins_="
                             f"{self.n_bins_.tolist()}); got values from {float(xp.min(X))} to {float(xp.max(X))}.")
        centres = xp.take_along_axis(self._centres.T, bins, axis=0)  # (n, p)
        return self._output(xp.astype(centres, X.dtype), like)

    def get_feature_names_out(self, input_features: Any = None):
        """The output column names: the input's for encode="ordinal"; "<feature>_<bin>" for the one-hot columns."""
        check_is_fitted(self)
        names = check_feature_names_in(self, input_features)
        return names if self._encoder is None else self._encoder.get_feature_names_out(names)
