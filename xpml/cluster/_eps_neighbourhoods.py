"""The ε-neighbourhoods DBSCAN reads: for a block of points, which of the n points lie within eps of each.

`EpsNeighbourhoods.blocks()` yields, for consecutive blocks of b rows, the (b, n) boolean matrix
W[i, j] = [d(xᵢ, xⱼ) <= eps], i in the block. DBSCAN reads the whole of W once per pass, a block at a time,
and keeps none of it: the neighbourhoods are computed anew in each pass rather than stored, so memory stays
O(b·n + n) however many neighbours the points have. The block rule: b = budget // max(n, p) rows (at least 1),
with the working budget of `xpml.utils._chunks` (2^18 elements on a CPU, 2^24 on an accelerator), so that each
(b, n) temporary, and a block of sparse rows made dense (b, p), holds at most that many elements: never an
n × n matrix once n exceeds 512 on a CPU (4096 on an accelerator).

A block, by metric (resolved as scikit-learn's NearestNeighbors resolves it: "minkowski" with p = 1, 2 or inf
and no weights is the named metric), compared as scikit-learn's trees compare it:

    euclidean     Σⱼ (xⱼ - yⱼ)², one feature at a time (up to 4 features), else        <= eps²
                  ‖x‖² - 2 x·y + ‖y‖², one product (`distance_factors`), on X centred
    sqeuclidean   the same                                                             <= eps
    cosine        1 - x̂·ŷ, one product                                                <= eps
    manhattan     Σⱼ |xⱼ - yⱼ|, one feature at a time                                  <= eps
    chebyshev     maxⱼ |xⱼ - yⱼ|, one feature at a time                                 <= eps
    minkowski     Σⱼ wⱼ |xⱼ - yⱼ|ᵖ, one feature at a time (weights w, default ones)      <= epsᵖ
    callable      metric(x, y, **metric_params), called on every pair on the host      <= eps
    precomputed   the rows of X, distances given                                       <= eps

The product form rounds: the pairs whose product lies within its rounding error of the bound are measured
again from the differences, feature by feature in order (`_settle`), so that a duplicate, or a point of a grid
at exactly eps, is a neighbour as it is for scikit-learn, and every backend decides alike (the sums feature by
feature are those of scikit-learn's trees, in the same order). A sparse X computes
euclidean and cosine blocks from sparse products (`xpml.neighbors._sparse`, the product form, as scikit-learn's
sparse search), and is made dense for the other metrics. A sparse precomputed X is a graph: its stored entries
at most eps are the neighbours, and each point is its own neighbour unless its stored diagonal exceeds eps.
"""

from __future__ import annotations

import math
from typing import Any

from .._backend import device_of, to_numpy
from ..metrics.pairwise import distance_factors
from ..neighbors._base import _ALIASES
from ..neighbors._sparse import sparse_fit_key, sparse_ranking_key
from ..utils._chunks import chunk_rows, row_slices
from ..utils._csr import is_csr
from ..utils._scatter import scatter_add
from ..utils._sparse_input import csr_to_dense
from ..utils._warnings import warn

__all__ = ["EpsNeighbourhoods", "resolve_metric"]

_PRODUCT_FORM = ("euclidean", "sqeuclidean", "cosine")
# Up to this many features, (squared) euclidean blocks are summed feature by feature, exactly, rather than taken from
# a product and settled: a product over so few features runs far below the speed of BLAS (measured with numpy, 2
# features: 22 ns a pair for the product alone, against 4 ns for each elementwise pass over the block).
_FEW_FEATURES = 4


def resolve_metric(metric: Any, p: float | None, metric_params: dict | None, algorithm: str):
    """(name, p, w, params): the metric computed, its power and feature weights (minkowski), and the parameters of
    a callable, as scikit-learn's NearestNeighbors resolves `metric`, `p` and `metric_params`."""
    params = dict(metric_params or {})
    if "p" in params and p is not None:
        warn("Parameter p is found in metric_params. The corresponding parameter from __init__ is ignored.",
             SyntaxWarning)
    if callable(metric):
        return "callable", 2, None, params
    if metric != "minkowski":
        return _ALIASES.get(metric, metric), 2, None, params
    power, w = params.pop("p", 2 if p is None else p), params.pop("w", None)
    named = {1: "manhattan", 2: "euclidean", math.inf: "chebyshev"}.get(power) if w is None else None
    if named:
        return named, power, None, params
    if power < 1 and algorithm in ("kd_tree", "ball_tree"):
        raise ValueError(f'algorithm="{algorithm}" does not support 0 < p < 1 for the Minkowski metric. To resolve '
                         f'this problem either set p >= 1 or algorithm="brute".')
    if power < 1:
        warn("Mind that for 0 < p < 1, Minkowski metrics are not distance metrics. Continuing the execution with "
             "`algorithm='brute'`.", UserWarning)
    return "minkowski", power, w, params


class EpsNeighbourhoods:
    """The ε-neighbourhoods of the n rows of X under a resolved metric, a block of rows at a time.

    Parameters
    ----------
    xp, backend : the estimator's namespace and backend
    X : array of shape (n, p), or a CSR; (n, n) distances for metric "precomputed"
    eps : float
    metric : str
        A name from `resolve_metric`, "callable" or "precomputed".
    p, w, callable_metric, params : the Minkowski power and weights (an array (p,) or None), and a callable
        metric with its keyword arguments

    Attributes
    ----------
    n : int
    device : the device of X
    symmetric : bool
        Whether W = Wᵀ: true of every metric (a callable metric is taken to be one, as scikit-learn's trees take
        it); checked for precomputed distances.
    """

    def __init__(self, xp, backend, X, eps: float, metric: str, p: float = 2, w=None, callable_metric=None,
                 params: dict | None = None):
        if is_csr(X) and metric not in _PRODUCT_FORM + ("precomputed",):
            X = csr_to_dense(X, f"DBSCAN(metric={metric!r})", "metric='euclidean' or 'cosine'")
        self.xp, self.X, self.metric, self.n = xp, X, metric, X.shape[0]
        self.device = device_of(X.data if is_csr(X) else X)
        self.p, self.w, self.callable_metric, self.params = p, w, callable_metric, params or {}
        # the bound on what a block holds: d², d, dᵖ
        self.bound = eps * eps if metric == "euclidean" else eps ** p if metric == "minkowski" else eps
        self.budget = chunk_rows(backend, 1)  # elements in each of a block's temporaries
        self.rows = max(1, self.budget // max(X.shape[0], X.shape[1]))  # the block rule
        self._by_features = metric in ("manhattan", "chebyshev", "minkowski") or (
            metric in ("euclidean", "sqeuclidean") and not is_csr(X) and X.shape[1] <= _FEW_FEATURES)
        if self._by_features:  # the columns of X, each contiguous (p, n)
            self._columns = xp.reshape(xp.reshape(X.T, (-1,)), (X.shape[1], X.shape[0]))
        elif metric in _PRODUCT_FORM and is_csr(X):  # ‖y‖² (n,), or the unit rows ŷ (CSR)
            self._fit_key = sparse_fit_key(xp, X, "euclidean" if metric == "sqeuclidean" else metric)
        elif metric in _PRODUCT_FORM:
            Xc = X - xp.mean(X, axis=0) if metric != "cosine" else X  # distances are the same, the rounding less
            kind = "cosine" if metric == "cosine" else "sqeuclidean"
            self._left, self._right = distance_factors(xp, Xc, kind)  # (n, p + 2) or (n, p + 1)
            self._squares = xp.sum(Xc * Xc, axis=1)  # (n,): the scale of the product's rounding
            self._largest_square = xp.max(self._squares)
        self.symmetric = metric != "precomputed" or self._precomputed_is_symmetric()

    def blocks(self):
        """(rows, W_rows) for consecutive blocks of rows: a slice, and the (b, n) boolean block of W."""
        for rows in row_slices(self.n, self.rows):
            yield rows, self.block(rows)

    def block(self, rows: slice):
        """W[rows, :], (b, n): which points lie within eps of each point of the block."""
        xp, X = self.xp, self.X
        if self.metric == "precomputed":
            return self._graph_block(rows) if is_csr(X) else X[rows, :] <= self.bound
        if self.metric == "callable":
            block, points = to_numpy(X[rows, :]), to_numpy(X)
            called = [[float(self.callable_metric(x, y, **self.params)) for y in points] for x in block]
            return xp.asarray(called, dtype=X.dtype, device=X.device) <= self.bound  # (b, n)
        if self._by_features:
            return self._by_feature(X[rows, :]) <= self.bound
        if is_csr(X):
            Q = X.row_block(rows.start, rows.stop).toarray()  # (b, p): the block's rows, dense
            key = sparse_ranking_key(xp, X, self._fit_key, Q, "cosine" if self.metric == "cosine" else "euclidean")
            return key + (1.0 if self.metric == "cosine" else xp.sum(Q * Q, axis=1)[:, None]) <= self.bound
        product = self._left[rows, :] @ self._right.T  # (b, n): d² (or the cosine distance), rounded
        within = product <= self.bound
        if self.metric == "cosine":
            return within
        tol = 4 * (X.shape[1] + 2) * xp.finfo(X.dtype).eps  # the product's rounding, relative to ‖x‖² + ‖y‖²
        margin = tol * (self._squares[rows] + self._largest_square)[:, None]  # (b, 1)
        near = xp.abs(product - self.bound) <= margin  # (b, n): decided by the differences instead
        return self._settle(rows, within, near) if bool(xp.any(near)) else within

    def _by_feature(self, A):
        """Σⱼ |aⱼ - xⱼ| (manhattan), maxⱼ |aⱼ - xⱼ| (chebyshev), Σⱼ wⱼ |aⱼ - xⱼ|ᵖ (minkowski) or Σⱼ (aⱼ - xⱼ)²
        (euclidean, squared) between each row of A (b, p) and each point x, (b, n): one feature at a time, in
        order, as scikit-learn's trees sum them."""
        xp, key = self.xp, None
        for j in range(A.shape[1]):
            gap = A[:, j:j + 1] - self._columns[j, :]  # (b, n)
            if self.metric in ("euclidean", "sqeuclidean"):
                gap = gap * gap
            elif self.metric == "minkowski":
                gap = xp.abs(gap) ** self.p if self.w is None else xp.abs(gap) ** self.p * self.w[j]
            else:
                gap = xp.abs(gap)
            key = gap if key is None else xp.maximum(key, gap) if self.metric == "chebyshev" else key + gap
        return key

    def _settle(self, rows: slice, within, near):
        """`within` (b, n) with the `near` pairs decided by Σⱼ (xⱼ - yⱼ)², summed feature by feature in order (so
        that every backend sums alike, as scikit-learn's trees do), a batch of pairs at a time."""
        xp, X, n = self.xp, self.X, self.n
        block_rows, columns = xp.nonzero(near)  # (k,) each
        decided = []
        for batch in row_slices(block_rows.shape[0], max(1, self.budget // X.shape[1])):
            A = xp.take(X[rows, :], block_rows[batch], axis=0)  # (k', p)
            B = xp.take(X, columns[batch], axis=0)  # (k', p)
            squared = None
            for j in range(X.shape[1]):
                gap = A[:, j] - B[:, j]  # (k',)
                squared = gap * gap if squared is None else squared + gap * gap
            decided.append(squared <= self.bound)
        settled = xp.astype(decided[0] if len(decided) == 1 else xp.concat(decided), X.dtype)  # (k,) 1: within
        flat = block_rows * n + columns  # (k,), distinct: b n elements at most, whatever the integer dtype
        exact = xp.reshape(scatter_add(settled, flat, within.shape[0] * n, xp=xp), within.shape) > 0  # (b, n)
        return xp.where(near, exact, within)

    def _graph_block(self, rows: slice):
        """W[rows, :] of a sparse graph of distances: its stored entries <= eps, the diagonal unless stored > eps."""
        xp = self.xp
        G = self.X.row_block(rows.start, rows.stop)
        values, stored = G.toarray(), G.with_data(xp.ones_like(G.data)).toarray()  # (b, n) each, zeros where unstored
        columns = xp.arange(self.n, device=G.device)[None, :]
        diagonal = columns == xp.arange(rows.start, rows.stop, device=G.device)[:, None]  # (b, n)
        return (values <= self.bound) & ((stored > 0) | diagonal)

    def _precomputed_is_symmetric(self) -> bool:
        """Whether W = Wᵀ for precomputed distances: each block of rows against the same block of columns (dense),
        or the sorted pairs (i, j) of the stored entries within eps against the pairs (j, i) (a sparse graph)."""
        xp, X, n = self.xp, self.X, self.n
        if not is_csr(X):
            return all(bool(xp.all(self.block(rows) == (X[:, rows] <= self.bound).T))
                       for rows in row_slices(n, self.rows))
        kept = xp.nonzero((X.data <= self.bound) & (X.rows() != X.indices))[0]  # off the diagonal
        i, j = xp.take(X.rows(), kept), xp.astype(xp.take(X.indices, kept), X.rows().dtype)  # (k,) each

        def in_order(first, second):  # the pairs (first, second) sorted by first, then second: two stable sorts
            order = xp.argsort(second, stable=True)
            order = xp.take(order, xp.argsort(xp.take(first, order), stable=True))
            return xp.take(first, order), xp.take(second, order)

        (a, b), (c, d) = in_order(i, j), in_order(j, i)
        return bool(xp.all(a == c) & xp.all(b == d))
