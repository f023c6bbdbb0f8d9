"""Row normalization (Normalizer, normalize) and thresholding (Binarizer, binarize): transformers without state.

normalize divides each sample x by its norm: ‖x‖₁ = Σ|xⱼ|, ‖x‖₂ = (Σ xⱼ²)^½ or ‖x‖_∞ = max|xⱼ|.
The 2-norm is computed on x / 2^k, 2^k near max|xⱼ| (an exact division), then multiplied back, so
that squares of values beyond 1e154 cannot overflow nor those below 1e-154 underflow; it rounds as
Σ xⱼ² does. A dense row whose norm is within rounding of 0 is left as it is (its norm counted as
1), as scikit-learn does; a sparse row, only when its norm is exactly 0.

binarize maps each value to 1 where it is above `threshold`, else 0.

Sparse input: normalize computes on a CSR of the backend (scipy's CSR, CSC or COO in; a CSR out, as
scikit-learn returns), binarize on the host, stored values only, returning X's own format. Neither
learns anything: `fit` only checks X and records `n_features_in_` (and the column names of a
DataFrame), and `transform` works before `fit` too, as in scikit-learn.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

from .._backend import float_dtype_for, library_of, namespace_of, resolve_backend
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin
from ..utils._csr import is_csr
from ..utils._feature_names import check_feature_names, check_feature_names_in
from ..utils._host import as_host, host_namespace
from ..utils._param_validation import Options, check_param
from ..utils._segments import segment_max
from ..utils._sparse_columns import check_sparse, is_sparse
from ..utils._sparse_input import host_sparse, scipy_output
from ..utils.validation import check_array, check_n_features
from ._data import _safe_scale

__all__ = ["Binarizer", "Normalizer", "binarize", "check_axis", "normalize", "transposed"]

NORMS = ("l1", "l2", "max")


def _dense_norms(xp, X, norm: str):
    """The norm of each row of a dense X (n, p). (n,)"""
    A = xp.abs(X)
    if norm == "l1":
        return xp.sum(A, axis=1)
    top = xp.max(A, axis=1)  # (n,)
    if norm == "max":
        return top
    unit = xp.where(top > 0, 2.0 ** xp.round(xp.log2(xp.where(top > 0, top, 1.0))), 1.0)  # (n,) a power of two
    scaled = X / unit[:, None]  # (n, p) exact
    return xp.sqrt(xp.sum(scaled * scaled, axis=1)) * unit


def _sparse_norms(X, norm: str):
    """The norm of each row of a CSR X, its zeros counted. (n,)"""
    xp = X.xp
    A = xp.abs(X.data)  # (nnz,)
    if norm == "max":
        top = segment_max(A, X.rows(), X.shape[0])  # -inf for an empty row
        return xp.where(top > 0, top, xp.zeros_like(top))
    ones = xp.ones(X.shape[1], dtype=X.dtype, device=X.device)
    if norm == "l1":
        return X.with_data(A) @ ones
    return xp.sqrt(X.with_data(A * A) @ ones)


def _normalized_rows(X, norm: str):
    """(X with each row divided by its norm, the norms): X dense or a CSR of the backend."""
    if is_csr(X):
        norms = _sparse_norms(X, norm)
        xp = X.xp
        divisor = xp.take(xp.where(norms == 0, xp.ones_like(norms), norms), X.rows())  # (nnz,) each value's row's
        return X.with_data(X.data / divisor), norms
    xp = namespace_of(X)
    norms = _safe_scale(xp, _dense_norms(xp, X, norm))  # (n,)
    return X / norms[:, None], norms


class _Stateless(TransformerMixin, BaseEstimator):
    """A transformer that learns nothing: fit checks X; transform checks it against the fit, if there was one."""

    def fit(self, X: Any, y: Any = None):
        """Check X of shape (n_samples, n_features) and record n_features_in_ (nothing is learned). Returns self."""
        sparse = host_sparse(X)
        if is_sparse(sparse) and not self._accepts_sparse:  # checked on the host, where it is transformed
            self._validate_params()
            self._backend = resolve_backend(self.backend)
            check_feature_names(self, X, reset=True)
            self.n_features_in_ = check_sparse(sparse).shape[1]
        else:
            self._validate_X(X, reset=True)
        return self

    def _check_X(self, X: Any):
        """X on the backend of the fit (or, before any, the one in force), in its own floating precision."""
        fitted = "n_features_in_" in vars(self)
        self._validate_params()  # (set_params may have changed them since fit)
        if fitted:
            check_feature_names(self, X, reset=False)
        backend = self._backend if fitted else resolve_backend(self.backend)
        X = check_array(X, backend, dtype=self.dtype, accept_sparse=self._accepts_sparse)
        if fitted:
            check_n_features(self, X.shape[1])
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.sparse = True
        return tags

    def get_feature_names_out(self, input_features: Any = None):
        """The output column names: the input's (`feature_names_in_`, or x0, x1, ...), one for one."""
        return check_feature_names_in(self, input_features)


class Normalizer(_Stateless):
    """Scale each sample (row) to unit norm, independently of the others.

    Parameters
    ----------
    norm : {"l1", "l2", "max"}, default="l2"
        The norm each non-zero row is divided by.
    copy : bool, default=True
        Accepted for scikit-learn compatibility: xpml never modifies X, whatever its value.
    backend : str or Backend, optional
        Where to compute ("numpy", "torch", "torch:cuda", "jax", ...); None: the backend in force.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in; by default floating input keeps its precision.

    Attributes
    ----------
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.preprocessing import Normalizer
    >>> Normalizer().fit_transform([[3.0, 4.0], [0.0, 0.0]]).tolist()
    [[0.6, 0.8], [0.0, 0.0]]
    """

    _parameter_constraints = {"norm": [Options(set(NORMS))], "copy": ["boolean"], **BACKEND_CONSTRAINTS}
    _accepts_sparse = True  # computed on a CSR of the backend, returned as scipy's CSR

    def __init__(self, norm: str = "l2", *, copy: bool = True, backend: Any = None, dtype: str | None = None):
        self.norm = norm
        self.copy = copy
        self.backend = backend
        self.dtype = dtype

    def transform(self, X: Any, copy: Any = None):
        """Each row of X divided by its norm: an array of shape (n_samples, n_features) in X's library, or a
        scipy CSR matrix for sparse X. `copy` is accepted for scikit-learn's signature: X is never changed."""
        X_in, X = X, self._check_X(X)
        return self._output(_normalized_rows(X, self.norm)[0], X_in)


class Binarizer(_Stateless):
    """Set each value to 1 if it is above `threshold`, else to 0.

    Parameters
    ----------
    threshold : float, default=0.0
        Values above it become 1, the others 0; for sparse X it should be >= 0, so that zeros stay 0.
    copy : bool, default=True
        Accepted for scikit-learn compatibility: xpml never modifies X, whatever its value.
    backend : str or Backend, optional
        Where to compute; None: the backend in force.
    dtype : {"float32", "float64"}, optional
        The floating dtype of the output; by default floating input keeps its precision.

    Attributes
    ----------
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.preprocessing import Binarizer
    >>> Binarizer(threshold=1.5).fit_transform([[1.0, 2.0], [3.0, -1.0]]).tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """

    _parameter_constraints = {"threshold": [Real], "copy": ["boolean"], **BACKEND_CONSTRAINTS}

    def __init__(self, *, threshold: float = 0.0, copy: bool = True, backend: Any = None, dtype: str | None = None):
        self.threshold = threshold
        self.copy = copy
        self.backend = backend
        self.dtype = dtype

    def transform(self, X: Any, copy: Any = None):
        """1 where X > threshold, else 0, of X's floating dtype: an array of shape (n_samples, n_features) in X's
        library, or a sparse matrix of X's type and format for a scipy.sparse X."""
        sparse = host_sparse(X)
        if is_sparse(sparse):
            return self._binarize_sparse(sparse)
        X_in, X = X, self._check_X(X)
        return self._output(namespace_of(X).astype(X > self.threshold, X.dtype), X_in)

    def _backend_of_call(self):
        return self._backend if "n_features_in_" in vars(self) else resolve_backend(self.backend)

    def _binarize_sparse(self, X: Any):
        self._validate_params()
        if self.threshold < 0:
            raise ValueError(f"threshold={self.threshold!r} should be >= 0 for a sparse X: below 0, its zeros, which "
                             f"are not stored, would become ones. Make X dense (X.toarray()) first.")
        backend = self._backend_of_call()
        X = check_sparse(X, float_dtype_for(X.dtype.name, backend, self.dtype))
        if "n_features_in_" in vars(self):
            check_n_features(self, X.shape[1])
        hxp = host_namespace()
        data = hxp.astype(X.data > self.threshold, X.dtype)  # (nnz,)
        out = type(X)((data, X.indices.copy(), X.indptr.copy()), shape=X.shape)
        out.eliminate_zeros()  # a new matrix: the values at or below the threshold leave it
        return scipy_output(out, backend)


def check_axis(axis: Any) -> int:
    """axis, 0 or 1; anything else is refused by name."""
    if isinstance(axis, bool) or axis not in (0, 1):
        raise ValueError(f"axis={axis!r} should be 0 (each feature) or 1 (each sample).")
    return int(axis)


def transposed(X: Any) -> Any:
    """Xᵀ: an array's or a sparse matrix's own; a list or a DataFrame read on the host first."""
    return X.T if is_sparse(X) or library_of(X) is not None else as_host(X).T


def normalize(X: Any, norm: str = "l2", *, axis: int = 1, copy: bool = True, return_norm: bool = False):
    """Scale each sample (axis=1) or each feature (axis=0) of X to unit norm.

    Parameters
    ----------
    X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
    norm : {"l1", "l2", "max"}, default="l2"
    axis : {0, 1}, default=1
        1: normalize each sample (row); 0: each feature (column).
    copy : bool, default=True
        Accepted for scikit-learn compatibility: X is never changed.
    return_norm : bool, default=False
        Also return the norms.

    Returns
    -------
    X_normalized : array or sparse matrix of X's shape (a CSR matrix for axis=1, a CSC one for axis=0)
    norms : array of shape (n_samples,) for axis=1, (n_features,) for axis=0; only with return_norm
        The norms, with 1 for the rows of a dense X left as they were.
    """
    check_param("norm", norm, [Options(set(NORMS))])
    check_param("return_norm", return_norm, ["boolean"])
    X = transposed(host_sparse(X)) if check_axis(axis) == 0 else host_sparse(X)
    scaler = Normalizer(norm)
    X_in, X = X, scaler._check_X(X)
    out, norms = _normalized_rows(X, norm)
    out = scaler._output(out, X_in)
    if axis == 0:
        out = out.T
    return (out, scaler._output(norms, X_in)) if return_norm else out


def binarize(X: Any, *, threshold: float = 0.0, copy: bool = True):
    """1 where X > threshold, else 0 (see Binarizer): an array of X's shape in X's library, or a sparse matrix
    of X's type for a scipy.sparse X. `copy` is accepted for scikit-learn compatibility: X is never changed."""
    return Binarizer(threshold=threshold).transform(X)
