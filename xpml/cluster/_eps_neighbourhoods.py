"""The ε-graph DBSCAN reads: every pair of points within eps of each other, found once and kept on the backend.

W[i, j] = [d(xᵢ, xⱼ) <= eps] is kept as its edges (i, j), in row order (i ascending): a CSR's layout without
the values. scikit-learn's DBSCAN keeps every neighbourhood too (a list of arrays, one per point), so memory is
O(edges) there as here; each pass of the propagation then reads the edges, O(edges), rather than measuring n²
distances again.

The edges are found by NearestNeighbors' radius search (`xpml.neighbors._radius`), as scikit-learn's DBSCAN
finds them with its NearestNeighbors: blocks of rows ranked by one matrix product (or feature by feature), the
pairs within eps plus the product's rounding margin taken as candidates, and each candidate measured again from
the differences, summed feature by feature in order as scikit-learn's trees sum them, and kept when

    euclidean     Σⱼ (xⱼ - yⱼ)²          <= eps²          (sqeuclidean: the same sums, <= eps)
    manhattan     Σⱼ |xⱼ - yⱼ|           <= eps
    chebyshev     maxⱼ |xⱼ - yⱼ|          <= eps
    minkowski     Σⱼ wⱼ |xⱼ - yⱼ|ᵖ       <= epsᵖ          (weights w, default ones)
    cosine        1 - x̂·ŷ               <= eps
    callable      metric(x, y, **metric_params), called on every pair on the host, <= eps

so that a duplicate, or a point of a grid at exactly eps, is a neighbour as it is for scikit-learn's trees, and
every backend decides alike (cosine pairs within rounding of eps may differ: scikit-learn decides them by its own
matrix product, without a tree). A sparse X computes euclidean and cosine distances from sparse products, and is made
dense for the other metrics (as NearestNeighbors does). Precomputed distances: the entries <= eps of a dense X; of a
sparse X (a graph), its stored entries <= eps, each point its own neighbour unless its stored diagonal exceeds eps.

Under the metrics summed or maximised feature by feature (unweighted), on the host, a pair within eps is within eps
along any one axis: the points are sorted along one, and each block of them searched against those within eps of
it along that axis only, each pair once (`xpml.neighbors._sweep`): the same pairs, the same measure, fewer products.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..neighbors._sweep import pairs_by_sweep, sweeps
from ..neighbors._unsupervised import NearestNeighbors
from ..utils._bincount import bincount
from ..utils._csr import is_csr

__all__ = ["EpsGraph", "eps_graph"]


class EpsGraph(NamedTuple):
    """W as its edges (i, j): rows (edges,) ascending and columns (edges,), for n points; `symmetric`: W = Wᵀ (true
    of every metric; checked for precomputed distances)."""

    n: int
    rows: Any
    columns: Any
    symmetric: bool

    def by_receiver(self, xp):
        """(receiver, sender), each (edges,), sorted by receiver: the edges (i, j) as j receives them from i. Where
        W = Wᵀ, the edges of row j are those j receives: (rows, columns) as they are; else one stable sort by
        column."""
        if self.symmetric:
            return self.rows, self.columns
        order = xp.argsort(self.columns, stable=True)  # (edges,)
        return xp.take(self.columns, order), xp.take(self.rows, order)

    def neighbourhood_weights(self, xp, sample_weight):
        """Σⱼ W[i, j] wⱼ (n,): exact integer counts without weights (sample_weight None)."""
        if sample_weight is None:
            return bincount(self.rows, self.n, xp=xp)
        return bincount(self.rows, self.n, xp.take(sample_weight, self.columns), xp=xp)


def eps_graph(estimator, X, eps: float) -> EpsGraph:
    """The ε-graph of the n rows of X (n, p), dense or CSR, or of the distances X (n, n) for metric="precomputed",
    under the metric and backend of a DBSCAN `estimator`."""
    xp = estimator._xp
    if estimator.metric == "precomputed":
        rows, columns = _graph_edges(xp, X, eps) if is_csr(X) else _entries_within(xp, X, eps)  # (edges,) each
        return EpsGraph(X.shape[0], rows, columns, _is_symmetric(xp, rows, columns))
    squared = estimator.metric == "sqeuclidean"  # the euclidean search, whose raw distances are the squared ones
    search = NearestNeighbors(radius=eps, algorithm=estimator.algorithm, leaf_size=estimator.leaf_size,
                              metric="euclidean" if squared else estimator.metric, p=estimator.p,
                              metric_params=estimator.metric_params, backend=estimator._backend,
                              dtype=estimator.dtype).fit(X)
    bound = eps if squared else search._raw(eps)  # eps², epsᵖ, or eps
    if sweeps(search):  # each point against those near it along one axis (`_sweep`); the same pairs
        rows, columns = pairs_by_sweep(search, bound)
    else:
        _, rows, columns, _ = search._pairs_within(search._fit_X, bound)  # the points as queries: each finds itself
    return EpsGraph(X.shape[0], rows, columns, True)


def _entries_within(xp, D, eps: float):
    """The edges of dense distances D (n, n): its entries <= eps, in row order, then column order (found in D
    flattened, where numpy finds them ~10 times faster than in 2-D)."""
    flat = xp.nonzero(xp.reshape(D <= eps, (-1,)))[0]  # (edges,)
    return flat // D.shape[1], flat % D.shape[1]


def _graph_edges(xp, G, eps: float):
    """The edges of a sparse graph of distances G (n, n): its stored entries <= eps off the diagonal, and (i, i) for
    every point but those whose stored diagonal exceeds eps; in row order, then column order."""
    rows, columns = G.rows(), xp.astype(G.indices, G.rows().dtype)  # (stored,) each
    on_diagonal = rows == columns
    kept = xp.nonzero((G.data <= eps) & ~on_diagonal)[0]  # (k,)
    far = xp.take(rows, xp.nonzero(on_diagonal & (G.data > eps))[0])  # the points that are not their own neighbours
    own = xp.astype(xp.nonzero(bincount(far, G.shape[0], xp=xp) == 0)[0], rows.dtype)  # (n',): those that are
    return _in_order(xp, xp.concat([xp.take(rows, kept), own]), xp.concat([xp.take(columns, kept), own]))


def _is_symmetric(xp, rows, columns) -> bool:
    """Whether the edges (i, j) are the edges (j, i): both sorted by their first, then second, end, compared."""
    (a, b), (c, d) = _in_order(xp, rows, columns), _in_order(xp, columns, rows)
    return bool(xp.all(a == c) & xp.all(b == d))


def _in_order(xp, first, second):
    """The pairs (first, second) (k,) sorted by first, then second: two stable sorts."""
    order = xp.argsort(second, stable=True)
    order = xp.take(order, xp.argsort(xp.take(first, order), stable=True))  # (k,)
    return xp.take(first, order), xp.take(second, order)
