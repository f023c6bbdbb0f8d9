"""Host scipy.sparse views of fitted arrays, for scikit-learn's sparse attributes (`sparse_coef_`).

scipy is imported only when such a view is asked for: fitting never needs it.
"""

from __future__ import annotations

from typing import Any

from .._backend import to_numpy

__all__ = ["host_csr"]


def host_csr(a: Any):
    """A scipy.sparse CSR matrix of the 1-d or 2-d array `a` (of any backend), on the host; a 1-d array is one row."""
    import scipy.sparse

    host = to_numpy(a)
    return scipy.sparse.csr_matrix(host.reshape(1, -1) if host.ndim == 1 else host)
