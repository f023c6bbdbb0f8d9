"""Incremental principal component analysis: PCA learnt one batch of samples at a time.

D. A. Ross, J. Lim, R.-S. Lin & M.-H. Yang, "Incremental learning for robust visual tracking"
(IJCV, 2008), algorithm 1. After m samples seen, the model keeps their mean x̄ₐ, the variance of
each feature, and the top k singular pairs (S, V) of the centred data. A new batch B of b samples,
of mean x̄_b, is merged by one thin SVD of the stacked matrix

    [ diag(S) V                       ]   (k, p): the old data, summarized
    [ B - x̄_b                         ]   (b, p): the batch, centred on its own mean
    [ √(m b / (m + b)) (x̄ₐ - x̄_b)     ]   (1, p): the shift between the two means

whose Gram matrix is the centred scatter of all m + b samples (up to the directions dropped
before), so its singular values and right singular vectors are the new S and V. The mean and the
per-feature variance are merged exactly by Chan, Golub & LeVeque's update (as StandardScaler's
partial_fit). On the first batch the stack is just the centred batch: an ordinary PCA.

`fit` runs `partial_fit` over batches of `batch_size` rows (5 n_features by default; the last one
absorbs a remainder too small to hold n_components rows, as scikit-learn's `gen_batches`), a sparse
X one dense batch at a time. Signs follow `svd_flip` (the largest entry of each component is
positive), as scikit-learn's, so the components equal its own, not only up to sign.
"""

from __future__ import annotations

import math
from numbers import Integral
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, check_is_fitted
from ..utils._csr import is_csr, is_scipy_sparse
from ..utils._extmath import svd_flip
from ..utils._feature_names import prefixed_feature_names
from ..utils._param_validation import Interval
from ..utils.validation import check_array
from ._pca import PCA

__all__ = ["IncrementalPCA"]

_STATE = ("components_", "n_samples_seen_", "mean_", "var_", "singular_values_", "explained_variance_",
          "explained_variance_ratio_", "noise_variance_", "n_components_")
_NO_SPARSE = ("IncrementalPCA.partial_fit does not support sparse input. Either convert data to dense or use "
              "IncrementalPCA.fit to do so in batches.")


def batch_slices(n: int, batch_size: int, min_batch_size: int = 0) -> list[slice]:
    """Consecutive batches of `batch_size` rows; a last batch shorter than `min_batch_size` joins the one before."""
    slices, start = [], 0
    for _ in range(n // batch_size):
        if start + batch_size + min_batch_size > n:
            continue
        slices.append(slice(start, start + batch_size))
        start += batch_size
    if start < n:
        slices.append(slice(start, n))
    return slices


class IncrementalPCA(TransformerMixin, BaseEstimator):
    """Principal component analysis from batches of samples, in memory of one batch and k components.

    Parameters
    ----------
    n_components : int or None, default=None
        Components to keep, at most n_features; None: min(n_samples, n_features) of the first batch.
    whiten : bool, default=False
        Divide the transformed data by the square root of the explained variances.
    copy : bool, default=True
        Accepted for scikit-learn compatibility: xpml never modifies X, whatever its value.
    batch_size : int or None, default=None
        Rows per batch in `fit`; None: 5 n_features.
    backend, dtype
        Where and in which precision to compute (see `xpml.linear_model.LinearRegression`).

    Attributes
    ----------
    components_ : array of shape (n_components, n_features)
    explained_variance_, explained_variance_ratio_, singular_values_ : arrays of shape (n_components,)
    mean_, var_ : arrays of shape (n_features,)
        The mean and (biased) variance of each feature over every sample seen.
    noise_variance_ : array of shape ()
        The mean variance of the directions beyond n_components in the last update (0 when none).
    n_components_, n_samples_seen_, batch_size_, n_features_in_ : int

    Examples
    --------
    >>> from xpml.decomposition import IncrementalPCA
    >>> X = [[1.0, 1.0], [2.0, 2.1], [3.0, 2.9], [4.0, 4.0]]
    >>> ipca = IncrementalPCA(n_components=1, batch_size=2).fit(X)
    >>> [round(float(v), 3) for v in ipca.components_[0]], ipca.n_samples_seen_
    ([0.714, 0.701], 4)
    """

    _parameter_constraints = {
        "n_components": [Interval(Integral, 1, None, closed="left"), None],
        "whiten": ["boolean"],
        "copy": ["boolean"],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        **BACKEND_CONSTRAINTS,
    }

    _squares_X = True  # the scatter of X: values beyond ~1e150 are refused at input
    _accepts_sparse = True  # fit reads a sparse X one dense batch at a time; transform multiplies it as it is

    def __init__(self, n_components: int | None = None, *, whiten: bool = False, copy: bool = True,
                 batch_size: int | None = None, backend: Any = None, dtype: str | None = None):
        self.n_components = n_components
        self.whiten = whiten
        self.copy = copy
        self.batch_size = batch_size
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any = None) -> IncrementalPCA:
        """Learn the components from X, a batch of `batch_size` rows at a time, forgetting any earlier fit.

        Parameters
        ----------
        X : array-like or sparse matrix of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self
        """
        for name in _STATE:
            vars(self).pop(name, None)
        X = self._validate_data(X)
        n, p = X.shape
        k = self.n_components
        self.batch_size_ = 5 * p if self.batch_size is None else self.batch_size
        self._check_n_components(n, p, "n_samples")
        if k is not None and n > self.batch_size_ and self.batch_size_ < k:
            raise ValueError(f"batch_size={self.batch_size_} should be >= n_components={k}: each batch of fit "
                             f"must hold at least n_components samples.")
        for rows in batch_slices(n, self.batch_size_, k or 0):
            batch = X.row_block(rows.start, rows.stop).toarray() if is_csr(X) else X[rows, :]  # (b, p)
            self._update(batch)
        return self

    def partial_fit(self, X: Any, y: Any = None, check_input: bool = True) -> IncrementalPCA:
        """Update the components with one batch of samples, X (all of it, as one batch).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
        check_input : bool, default=True
            Accepted for scikit-learn compatibility: xpml always checks X (it also moves it to the backend).

        Returns
        -------
        self
        """
        first = not hasattr(self, "components_")
        if is_scipy_sparse(X):
            raise TypeError(_NO_SPARSE)
        X = self._validate_data(X, reset=first)
        if is_csr(X):  # a library's own sparse matrix (torch's, jax's)
            raise TypeError(_NO_SPARSE)
        if first:
            self._check_n_components(*X.shape, "the batch's n_samples for the first partial_fit call")
        self._update(X)
        return self

    def _check_n_components(self, n: int, p: int, rows: str) -> None:
        if n < 2:
            raise ValueError(f"{rows}={n} should be >= 2: IncrementalPCA estimates variances with n_samples - 1.")
        k = self.n_components
        if k is not None and k > p:
            raise ValueError(f"n_components={k} invalid for n_features={p}, need more rows than columns for "
                             f"IncrementalPCA processing: n_components should be <= n_features.")
        if k is not None and k > n:
            raise ValueError(f"n_components={k} must be less or equal to {rows}={n}.")

    def _update(self, X) -> None:
        """Merge the batch X (b, p) into the mean, variance and components (Ross et al., algorithm 1)."""
        xp = self._xp
        b, p = X.shape
        seen = getattr(self, "n_samples_seen_", 0)
        if seen == 0:
            k = min(b, p) if self.n_components is None else self.n_components
        else:
            k = self.components_.shape[0] if self.n_components is None else self.n_components
            if k != self.components_.shape[0]:
                raise ValueError(f"n_components={k} differs from the {self.components_.shape[0]} components of the "
                                 f"earlier partial_fit calls; set n_components to a fixed value.")
        n = seen + b
        batch_mean = xp.mean(X, axis=0)  # (p,)
        Xc = X - batch_mean  # (b, p)
        batch_m2 = xp.sum(Xc * Xc, axis=0)  # (p,): the batch's sum of squared deviations
        if seen == 0:
            mean, m2, stack = batch_mean, batch_m2, Xc
        else:  # Chan, Golub & LeVeque's merge of the two (count, mean, sum of squared deviations)
            shift = self.mean_ - batch_mean  # (p,)
            mean = self.mean_ - shift * (b / n)
            m2 = self.var_ * seen + batch_m2 + shift * shift * (seen * b / n)
            stack = xp.concat([self.singular_values_[:, None] * self.components_,  # (k, p)
                               Xc,  # (b, p)
                               math.sqrt(seen * b / n) * shift[None, :]], axis=0)  # (1, p): (k + b + 1, p)
        _, S, Vt = xp.linalg.svd(stack, full_matrices=False)  # (r,), (r, p) with r = min(rows, p)
        _, Vt = svd_flip(None, Vt, xp=xp)
        variance = S * S / (n - 1)  # (r,)
        self.n_samples_seen_, self.n_components_ = n, k
        self.mean_, self.var_ = mean, m2 / n
        self.components_, self.singular_values_ = Vt[:k, :], S[:k]
        self.explained_variance_ = variance[:k]
        self.explained_variance_ratio_ = S[:k] * S[:k] / xp.sum(m2)
        rest = variance[k:]
        # as scikit-learn: the discarded directions of this update, none when k is the batch's size or the width
        self.noise_variance_ = xp.mean(rest) if k not in (b, p) and rest.shape[0] else xp.zeros_like(S[0])

    transform = PCA.transform
    get_covariance = PCA.get_covariance
    get_precision = PCA.get_precision
    _scale = PCA._scale

    def inverse_transform(self, X: Any) -> Any:
        """Map transformed data back to the original space, of shape (n_samples, n_features)."""
        check_is_fitted(self)
        X_in, Z = X, check_array(X, self._backend, dtype=self._dtype)
        if Z.shape[1] != self.n_components_:
            raise ValueError(f"X has {Z.shape[1]} columns, but IncrementalPCA was fitted with n_components_="
                             f"{self.n_components_}; inverse_transform takes transformed data.")
        if self.whiten:
            Z = Z * self._scale(self._xp)
        return self._output(Z @ self.components_ + self.mean_, X_in)

    def get_feature_names_out(self, input_features: Any = None):
        """The output column names: "incrementalpca0", "incrementalpca1", ..., one per component."""
        check_is_fitted(self)
        return prefixed_feature_names(self, self.n_components_, input_features)
