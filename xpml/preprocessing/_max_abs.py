"""MaxAbsScaler: divide each feature by its largest absolute value, so that it lies in [-1, 1].

There is no shift, so zeros stay zeros: the scaler suits sparse data (a document-term matrix, one-hot
columns), which it scales without making it dense. `partial_fit` keeps the running maximum of |x|
over the batches, which is exactly the maximum over all of them. A feature whose maximum is 0 (or
within rounding of it) is divided by 1 instead.

scipy.sparse input (CSR or CSC) is scaled on the host, stored values only, and returned as a sparse
matrix of the same type, as scikit-learn does, or, under `set_config(output="backend")`, as the backend's
own sparse matrix (the rule of OneHotEncoder, `utils/_sparse_input.scipy_output`); a library's own sparse
matrix is taken as scipy's. The fitted max_abs_ and scale_ are arrays of the backend.
"""

from __future__ import annotations

from typing import Any

from .._backend import float_dtype_for, resolve_backend, to_numpy
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, check_is_fitted
from ..utils._feature_names import check_feature_names
from ..utils._sparse_columns import (
    check_sparse,
    is_sparse,
    scale_sparse_columns,
    sparse_max_abs,
)
from ..utils._sparse_input import host_sparse, scipy_output
from ..utils.validation import check_n_features
from ._data import _IncrementalFit, _safe_scale

__all__ = ["MaxAbsScaler"]


class MaxAbsScaler(_IncrementalFit, TransformerMixin, BaseEstimator):
    """Scale each feature by its maximum absolute value, to [-1, 1]; dense arrays or scipy.sparse matrices.

    Parameters
    ----------
    copy : bool, default=True
        Accepted for scikit-learn compatibility: xpml never modifies X, whatever its value.
    clip : bool, default=False
        Clip transformed values of new data to [-1, 1].
    backend : str or Backend, optional
        Where to compute ("numpy", "torch", "torch:cuda", "jax", ...); None: the backend in force at fit.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in; by default floating input keeps its precision.

    Attributes
    ----------
    max_abs_ : array of shape (n_features,)
        The largest absolute value of each feature.
    scale_ : array of shape (n_features,)
        max_abs_, with 1 for features whose maximum is 0.
    n_samples_seen_ : int
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.preprocessing import MaxAbsScaler
    >>> MaxAbsScaler().fit_transform([[1.0, -4.0], [-2.0, 2.0]]).tolist()
    [[0.5, -1.0], [-1.0, 0.5]]
    """

    _parameter_constraints = {"copy": ["boolean"], "clip": ["boolean"], **BACKEND_CONSTRAINTS}
    _state = ("n_samples_seen_", "max_abs_", "scale_")

    def __init__(self, *, copy: bool = True, clip: bool = False, backend: Any = None, dtype: str | None = None):
        self.copy = copy
        self.clip = clip
        self.backend = backend
        self.dtype = dtype

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def _validate_sparse(self, X: Any, *, reset: bool):
        """A scipy.sparse X checked (as `_validate_X` checks an array) and kept on the host, CSR or CSC."""
        if reset:
            self._validate_params()
            self._backend = resolve_backend(self.backend)
            check_feature_names(self, X, reset=True)  # a sparse matrix has no column names
            X = check_sparse(X, float_dtype_for(X.dtype.name, self._backend, self.dtype))
            self.n_features_in_, self._dtype = X.shape[1], X.dtype.name
            return X
        check_is_fitted(self)
        X = check_sparse(X, self._dtype)
        check_n_features(self, X.shape[1])
        return X

    def partial_fit(self, X: Any, y: Any = None) -> MaxAbsScaler:
        """Update the maximum absolute value of each feature with a batch X of shape (n_samples, n_features)
        (an array or a scipy.sparse matrix). Returns self."""
        first, X = not hasattr(self, "n_samples_seen_"), host_sparse(X)
        if is_sparse(X):
            X = self._validate_sparse(X, reset=first)
            max_abs = self._to_backend(sparse_max_abs(X), dtype=self._dtype)  # (p,)
        else:
            X = self._validate_data(X, reset=first)
            max_abs = self._xp.max(self._xp.abs(X), axis=0)  # (p,)
        if first:
            self.n_samples_seen_ = X.shape[0]
        else:
            max_abs = self._xp.maximum(self.max_abs_, max_abs)
            self.n_samples_seen_ += X.shape[0]
        self.max_abs_ = max_abs
        self.scale_ = _safe_scale(self._xp, max_abs)
        return self

    def transform(self, X: Any):
        """Scale X: X / scale_ (clipped to [-1, 1] if clip). An array, or a sparse matrix of X's type for a
        scipy.sparse X; shape (n_samples, n_features)."""
        check_is_fitted(self)
        X = host_sparse(X)
        if is_sparse(X):
            return scipy_output(scale_sparse_columns(self._validate_sparse(X, reset=False), 1.0 / to_numpy(self.scale_),
                                                     clip=self.clip), self._backend)
        X_in, X = X, self._check_fitted_X(X)
        X = X / self.scale_
        if self.clip:
            X = self._xp.clip(X, -1.0, 1.0)
        return self._output(X, X_in)

    def inverse_transform(self, X: Any):
        """Undo `transform`: X * scale_ (an array, or a sparse matrix of X's type)."""
        check_is_fitted(self)
        X = host_sparse(X)
        if is_sparse(X):
            return scipy_output(scale_sparse_columns(self._validate_sparse(X, reset=False), to_numpy(self.scale_)),
                                self._backend)
        X_in, X = X, self._check_fitted_X(X)
        return self._output(X * self.scale_, X_in)
