"""The scaling functions: scale, minmax_scale, maxabs_scale and robust_scale, each its estimator's fit_transform.

Each takes X of shape (n_samples, n_features) and scales its features (axis=0) or its samples
(axis=1: the estimator runs on Xᵀ, and the result is transposed back). A 1-D X is one feature (or,
with axis=1, one sample), and gives a 1-D result, as in scikit-learn. The work runs on the backend in
force (`xpml.use_backend`); the result follows the input (numpy in, numpy out; a scipy.sparse matrix
where the estimator takes one). `copy` is accepted for scikit-learn's signatures: X is never changed.
"""

from __future__ import annotations

from typing import Any

from .._backend import library_of, namespace_of
from ..utils._host import as_host, host_namespace
from ..utils._sparse_columns import is_sparse
from ..utils._sparse_input import host_sparse
from ._data import MinMaxScaler, StandardScaler
from ._max_abs import MaxAbsScaler
from ._normalize import check_axis, transposed
from ._robust import RobustScaler

__all__ = ["maxabs_scale", "minmax_scale", "robust_scale", "scale"]


def _along_axis(estimator: Any, X: Any, axis: int) -> Any:
    """estimator.fit_transform of X's features (axis=0) or of its samples (axis=1); a 1-D X as one column (or row)."""
    check_axis(axis)
    X = host_sparse(X)
    if not is_sparse(X) and library_of(X) is None:
        X = as_host(X)
    one_d = not is_sparse(X) and len(X.shape) == 1
    if one_d:
        xp = host_namespace() if library_of(X) is None else namespace_of(X)
        X = xp.reshape(X, (-1, 1) if axis == 0 else (1, -1))
    out = estimator.fit_transform(transposed(X)).T if axis == 1 else estimator.fit_transform(X)
    if one_d:
        return (host_namespace() if library_of(out) is None else namespace_of(out)).reshape(out, (-1,))
    return out


def scale(X: Any, *, axis: int = 0, with_mean: bool = True, with_std: bool = True, copy: bool = True):
    """Standardize X along an axis: subtract the mean, divide by the standard deviation (see StandardScaler).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features) or (n_samples,), or a scipy.sparse matrix (with_mean=False)
    axis : {0, 1}, default=0
        0: standardize each feature; 1: each sample.
    with_mean, with_std : bool, default=True
    copy : bool, default=True
        Accepted for scikit-learn compatibility: X is never changed.

    Returns
    -------
    X_scaled : array of X's shape, in X's library (a scipy CSC matrix for sparse X)
    """
    out = _along_axis(StandardScaler(with_mean=with_mean, with_std=with_std, copy=copy), X, axis)
    return out.tocsc() if is_sparse(out) else out  # a sparse result in CSC form, as scikit-learn gives it


def minmax_scale(X: Any, feature_range: tuple = (0, 1), *, axis: int = 0, copy: bool = True):
    """Rescale X along an axis linearly to `feature_range` (see MinMaxScaler).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features) or (n_samples,)
    feature_range : tuple (low, high), default=(0, 1)
    axis : {0, 1}, default=0
        0: rescale each feature; 1: each sample.
    copy : bool, default=True
        Accepted for scikit-learn compatibility: X is never changed.

    Returns
    -------
    X_scaled : array of X's shape, in X's library
    """
    return _along_axis(MinMaxScaler(feature_range, copy=copy), X, axis)


def maxabs_scale(X: Any, *, axis: int = 0, copy: bool = True):
    """Divide X along an axis by its largest absolute value, to [-1, 1] (see MaxAbsScaler).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features) or (n_samples,), or a scipy.sparse matrix
    axis : {0, 1}, default=0
        0: scale each feature; 1: each sample.
    copy : bool, default=True
        Accepted for scikit-learn compatibility: X is never changed.

    Returns
    -------
    X_scaled : array of X's shape, in X's library, or a sparse matrix for sparse X
    """
    return _along_axis(MaxAbsScaler(copy=copy), X, axis)


def robust_scale(X: Any, *, axis: int = 0, with_centering: bool = True, with_scaling: bool = True,
                 quantile_range: tuple = (25.0, 75.0), copy: bool = True, unit_variance: bool = False):
    """Centre X along an axis on its median and divide by its quantile range, NaN left out (see RobustScaler).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features) or (n_samples,), or a scipy.sparse matrix
        (with_centering=False)
    axis : {0, 1}, default=0
        0: scale each feature; 1: each sample.
    with_centering, with_scaling : bool, default=True
    quantile_range : tuple (q_min, q_max), default=(25.0, 75.0)
    copy : bool, default=True
        Accepted for scikit-learn compatibility: X is never changed.
    unit_variance : bool, default=False

    Returns
    -------
    X_scaled : array of X's shape, in X's library, or a sparse matrix for sparse X
    """
    return _along_axis(RobustScaler(with_centering=with_centering, with_scaling=with_scaling,
                                    quantile_range=quantile_range, copy=copy, unit_variance=unit_variance), X, axis)
