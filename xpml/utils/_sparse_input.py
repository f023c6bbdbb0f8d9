"""scipy.sparse input: checked and moved to the backend as a `CSR`, or made dense where it must be.

An estimator that computes on sparse data says so (`BaseEstimator._accepts_sparse`); its sparse X
becomes a `CSR` on its backend, after the checks a dense X gets (shape, numbers, finite values).
Any other estimator gets a dense array with a warning, as long as that array holds at most
`DENSE_LIMIT` entries; a larger one is refused with a TypeError, since densifying, say, a
1,000,000 × 1,000,000 term matrix would need terabytes. scipy is never imported here: a sparse
matrix is read through its own methods.
"""

from __future__ import annotations

from typing import Any

from .._backend import (
    Backend,
    backend_of,
    capability,
    dtype_name,
    float_dtype_for,
    get_config,
    sparse_parts,
    to_backend,
    to_numpy,
)
from ..exceptions import data_conversion_warning
from ._csr import CSR, is_scipy_sparse
from ._values import check_values, square_limit
from ._warnings import warn

__all__ = ["DENSE_LIMIT", "check_sparse", "csr_to_dense", "densify", "host_sparse", "is_scipy_sparse", "native_sparse",
           "scipy_output", "sparse_output"]

# The most entries (rows × columns) a sparse input is made dense with, for an estimator that cannot
# use it sparse: 10**8 entries are 800 MB of float64.
DENSE_LIMIT = 10**8


def native_sparse(X: Any) -> CSR | None:
    """A library's own sparse matrix (a torch sparse tensor, a jax BCOO, a cupyx matrix) as a CSR of its arrays,
    not yet validated; None for anything else."""
    parts = sparse_parts(X)
    return None if parts is None else CSR(*parts)


def densify(X: Any, name: str = "X", estimator: str | None = None) -> Any:
    """A scipy.sparse X as a dense numpy array, with a warning; TypeError beyond DENSE_LIMIT entries."""
    n, p = X.shape
    who = f"{estimator} does not compute on sparse input" if estimator else "sparse input is not supported here"
    if n * p > DENSE_LIMIT:
        raise TypeError(
            f"{name} is a sparse matrix ({type(X).__name__}) of shape {(n, p)}, and {who}: as a dense array it "
            f"would hold {n * p:.3g} entries, more than xpml densifies (DENSE_LIMIT={DENSE_LIMIT:.0e}). Reduce "
            f"its width first (xpml.decomposition.TruncatedSVD or feature selection), or use an estimator that "
            f"takes sparse input (SGDClassifier, LogisticRegression, MultinomialNB, ...)."
        )
    warn(f"{name} is a sparse matrix ({type(X).__name__}) of shape {(n, p)}, and {who}: it is made dense "
         f"({n * p} entries).", data_conversion_warning())
    return X.toarray()


def csr_to_dense(X: CSR, who: str, instead: str) -> Any:
    """A CSR as a dense array of its backend, for a computation that needs one; TypeError beyond DENSE_LIMIT."""
    n, p = X.shape
    if n * p > DENSE_LIMIT:
        raise TypeError(f"{who} needs X dense, and X is sparse of shape {(n, p)}: {n * p:.3g} entries, more than "
                        f"xpml densifies (DENSE_LIMIT={DENSE_LIMIT:.0e}). Use {instead}, which computes on sparse X.")
    return X.toarray()


def sparse_output(X: CSR, like: Any) -> Any:
    """A sparse result for the user: a scipy.sparse CSR on the host (a csr_array for a scipy sparse-array input,
    else a csr_matrix); with `set_config(output="backend")` the backend's own sparse matrix (scipy's on numpy,
    torch's sparse CSR tensor, jax's BCOO, cupyx's), or the CSR itself where the library has none."""
    if get_config()["output"] == "backend":
        native = capability(backend_of(X.data), "sparse_matrix")
        return X if native is None else native(X.indptr, X.indices, X.data, X.shape)
    return _scipy_csr(X, like)


def _scipy_csr(X: CSR, like: Any = None) -> Any:
    import scipy.sparse

    make = scipy.sparse.csr_array if type(like).__name__.endswith("_array") else scipy.sparse.csr_matrix
    return make((to_numpy(X.data), to_numpy(X.indices), to_numpy(X.indptr)), shape=X.shape)


def scipy_output(S: Any, backend: Backend) -> Any:
    """A scipy.sparse result made on the host (scaled columns, document-term counts) for the user, by the rule of
    `sparse_output`: as it is, or, under `set_config(output="backend")`, `backend`'s own sparse matrix."""
    if get_config()["output"] != "backend":
        return S
    return sparse_output(CSR.from_scipy(S, backend), S)


def host_sparse(X: Any) -> Any:
    """A library's own sparse matrix (torch's, jax's BCOO, cupyx's) or xpml's CSR, as scipy's CSR on the host, for
    code that works on scipy matrices (what `scipy_output` gives back under output="backend"); X as it is else."""
    csr = X if isinstance(X, CSR) else native_sparse(X)
    return X if csr is None else _scipy_csr(csr)


def check_sparse(X: Any, backend: Backend, *, name: str = "X", dtype: str | None = None, ndim: int = 2,
                 ensure_finite: bool | str = True, min_samples: int = 1, squared: str | None = None) -> CSR:
    """Validate a sparse X, scipy's or a library's own (as `check_array` does a dense one), and move it to
    `backend` as a CSR; a CSR already validated moves to `backend` and `dtype`."""
    if isinstance(X, CSR):
        return _moved(X, backend, dtype)
    native = native_sparse(X)
    if ndim != 2:
        raise ValueError(f"{name} should be a {ndim}-D array; got a sparse matrix of shape {X.shape}.")
    source = X.dtype.name if native is None else dtype_name(native.data)
    if source.startswith("complex"):
        raise ValueError(f"Complex data not supported: {name} should contain real numbers; got dtype {source}.")
    if not source.startswith(("bool", "int", "uint", "float", "bfloat")):
        raise TypeError(f"{name} should contain numbers; got a sparse matrix of dtype {source}.")
    n, p = X.shape
    if n < min_samples:
        raise ValueError(f"{name} has {n} sample(s) (shape={(n, p)}) while a minimum of {min_samples} is required.")
    if p == 0:
        raise ValueError(f"{name} has 0 feature(s) (shape={(n, p)}) while a minimum of 1 is required.")
    if native is None:
        out = CSR.from_scipy(X, backend, dtype=float_dtype_for(source, backend, dtype))
    else:
        out = _moved(native, backend, dtype)
    if out.nnz:
        limit = square_limit(out.data, n, p) if squared is not None else None
        check_values(out.data, name, ensure_finite=ensure_finite, squared=squared, limit=limit, sparse=True)
    return out


def _moved(X: CSR, backend: Backend, dtype: str | None) -> CSR:
    """X's arrays moved to `backend`, its values cast to the floating dtype for `dtype`."""
    return CSR(to_backend(X.indptr, backend), to_backend(X.indices, backend),
               to_backend(X.data, backend, dtype=float_dtype_for(dtype_name(X.data), backend, dtype)), X.shape)
