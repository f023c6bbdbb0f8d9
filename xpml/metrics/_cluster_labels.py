"""Clustering metrics that compare two partitions of the samples, built on their contingency table n_ij (the
samples that `labels_true` puts in class i and `labels_pred` in cluster j), with row sums aᵢ and column sums bⱼ:

- pair counts (over ordered pairs of distinct samples): together in both partitions Σn_ij² - n, together in
  one only, apart in both; the Rand index is the fraction of pairs on which the two agree, Fowlkes-Mallows the
  geometric mean of the pairs' precision and recall.
- information: entropies H(C) = -Σ (aᵢ/n) log(aᵢ/n), H(K) likewise, and mutual information
  MI = Σ (n_ij/n) log(n n_ij / (aᵢ bⱼ)). Homogeneity MI/H(C) (each cluster holds one class), completeness
  MI/H(K), the V-measure their weighted harmonic mean; normalized MI divides by a mean of H(C) and H(K);
  adjusted MI subtracts E[MI], its expectation over random partitions of the same sizes (hypergeometric,
  Vinh, Epps and Bailey 2010), computed in blocks of (class, cluster, n_ij) from a table of log-factorials.

The table is kept sparse, as its non-empty cells: a partition of n samples into n singletons costs O(n).

References: W. M. Rand, JASA 66 (1971); E. B. Fowlkes and C. L. Mallows, JASA 78 (1983); A. Rosenberg and
J. Hirschberg, EMNLP-CoNLL 2007; N. X. Vinh, J. Epps and J. Bailey, JMLR 11 (2010) 2837-2854.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

from ..utils._bincount import bincount
from ..utils._csr import CSR
from ..utils._host import as_host, host_namespace
from ..utils._sparse_input import sparse_output
from ..utils._param_validation import Interval, Options, check_param
from ..utils.validation import check_consistent_length
from ._common import encode_labels, metric_backend, to_float

__all__ = ["adjusted_mutual_info_score", "adjusted_rand_score", "completeness_score", "contingency_matrix", "entropy",
           "fowlkes_mallows_score", "homogeneity_completeness_v_measure", "homogeneity_score", "mutual_info_score",
           "normalized_mutual_info_score", "pair_confusion_matrix", "rand_score", "v_measure_score"]

_AVERAGES = Options({"min", "geometric", "arithmetic", "max"})
_BLOCK = 2**22  # (class, cluster, n_ij) terms of E[MI] computed at a time


class _Table:
    """The contingency table of two labelings, as its non-empty cells: rows, columns and counts n_ij, with the
    row sums a and column sums b, all on the labels' backend (counts as floats)."""

    def __init__(self, labels_true: Any, labels_pred: Any):
        check_consistent_length(labels_true=labels_true, labels_pred=labels_pred)
        self.backend = metric_backend(labels_pred, labels_true)
        xp = self.xp = self.backend.xp
        true = encode_labels({"labels_true": labels_true}, backend=self.backend, whole=False)
        pred = encode_labels({"labels_pred": labels_pred}, backend=self.backend, whole=False)
        t, p = true.codes[0], pred.codes[0]  # (n,), (n,)
        self.n_rows, self.n_columns, self.n = true.n_present, pred.n_present, int(t.shape[0])
        cells = xp.unique_counts(t * self.n_columns + p)
        self.rows, self.columns = cells.values // self.n_columns, cells.values % self.n_columns  # (n_cells,)
        dtype = getattr(xp, "float64" if self.backend.has_float64 else "float32")
        self.cells = xp.astype(cells.counts, dtype)  # (n_cells,) n_ij
        self.a = xp.astype(bincount(t, self.n_rows), dtype)  # (R,)
        self.b = xp.astype(bincount(p, self.n_columns), dtype)  # (C,)

    def together(self) -> tuple[float, float, float]:
        """(Σn_ij², Σaᵢ², Σbⱼ²), exact as Python numbers: ordered pairs together, plus n."""
        xp = self.xp
        return tuple(float(xp.sum(v * v)) for v in (self.cells, self.a, self.b))

    def mutual_info(self) -> float:
        xp, n = self.xp, float(self.n)
        a, b = xp.take(self.a, self.rows), xp.take(self.b, self.columns)  # (n_cells,)
        mi = xp.sum(self.cells / n * (xp.log(self.cells) + math.log(n) - xp.log(a) - xp.log(b)))
        return max(float(mi), 0.0)  # rounding below 0 for independent labelings

    def entropies(self) -> tuple[float, float]:
        return _entropy(self.xp, self.a), _entropy(self.xp, self.b)

    def expected_mutual_info(self) -> float:
        """E[MI] over the partitions with row sums a and column sums b, all equally likely (hypergeometric n_ij)."""
        xp, n = self.xp, self.n
        a, b = self.a[:, None, None], self.b[None, :, None]  # (R, 1, 1), (1, C, 1)
        device = self.a.device
        log_fact = xp.concat([xp.zeros(1, dtype=self.a.dtype, device=device),
                              xp.cumulative_sum(xp.log(xp.arange(1, n + 1, dtype=self.a.dtype, device=device)))])

        def lf(k):  # log(k!) of a float array of whole numbers
            return xp.reshape(xp.take(log_fact, xp.reshape(xp.astype(k, xp.int64), (-1,))), k.shape)

        fixed = lf(a) + lf(b) + lf(n - a) + lf(n - b) - log_fact[n]  # (R, C, 1) the terms without n_ij
        low, high = xp.maximum(a + b - n, 1.0), xp.minimum(a, b)  # (R, C, 1) the range of n_ij
        top = int(xp.max(self.a)) if self.n_rows else 0
        width = max(1, _BLOCK // max(1, self.n_rows * self.n_columns))
        total = 0.0
        for start in range(1, top + 1, width):
            k = xp.arange(start, min(start + width, top + 1), dtype=self.a.dtype, device=device)[None, None, :]
            inside = (k >= low) & (k <= high)  # (R, C, w)
            kk = xp.where(inside, k, xp.ones_like(k))  # (R, C, w): a valid n_ij where the term is 0
            zero = xp.zeros_like(kk)
            log_p = (fixed - lf(kk) - lf(xp.where(inside, a - kk, zero)) - lf(xp.where(inside, b - kk, zero))
                     - lf(xp.where(inside, n - a - b + kk, zero)))  # log P(n_ij = k), hypergeometric
            p = xp.exp(xp.where(inside, log_p, xp.full_like(log_p, -math.inf)))  # 0 outside the range
            total += float(xp.sum(kk / n * (math.log(n) + xp.log(kk) - xp.log(a) - xp.log(b)) * p))
        return total


def _entropy(xp, counts) -> float:
    """-Σ pᵢ log pᵢ of the counts (> 0), pᵢ = countᵢ/Σcounts; 0 for one class (or none)."""
    if counts.shape[0] <= 1:
        return 0.0
    total = float(xp.sum(counts))
    return max(float(-xp.sum(counts / total * (xp.log(counts) - math.log(total)))), 0.0)


def _mean(h_true: float, h_pred: float, method: str) -> float:
    return {"min": min, "max": max, "arithmetic": lambda u, v: (u + v) / 2,
            "geometric": lambda u, v: math.sqrt(u * v)}[method](h_true, h_pred)


def entropy(labels: Any) -> float:
    """The entropy of a labeling, -Σ pᵢ log pᵢ over its labels' frequencies (natural log); 1.0 for no labels."""
    backend = metric_backend(labels)
    enc = encode_labels({"labels": labels}, backend=backend, whole=False)
    if enc.codes[0].shape[0] == 0:
        return 1.0
    xp = backend.xp
    return _entropy(xp, xp.astype(bincount(enc.codes[0], enc.n_present), xp.float64 if backend.has_float64
                                   else xp.float32))


def contingency_matrix(labels_true: Any, labels_pred: Any, *, eps: float | None = None, sparse: bool = False,
                       dtype: Any = "int64") -> Any:
    """The (n_classes, n_clusters) table of counts n_ij: dense, in the labels' library, of `dtype` (floats plus
    `eps` where eps is given); or, with `sparse`, a scipy.sparse CSR matrix of its non-empty cells."""
    check_param("eps", eps, [None, Interval(Real, 0, None, closed="left")])
    check_param("sparse", sparse, ["boolean"])
    if sparse and eps is not None:
        raise ValueError("eps adds to every entry of the table, so it cannot be sparse; give sparse=False with eps.")
    table = _Table(labels_true, labels_pred)
    xp, shape = table.xp, (table.n_rows, table.n_columns)
    name = getattr(dtype, "__name__", None) or str(dtype)
    name = {"int": "int64", "float": "float64"}.get(name, name)
    if not hasattr(xp, name):
        raise ValueError(f"dtype={dtype!r} should name a numeric dtype such as 'int64' or 'float64'.")
    if sparse:  # the cells come sorted by row, then column
        counts = bincount(table.rows, table.n_rows)  # (R,)
        indptr = xp.concat([xp.zeros(1, dtype=counts.dtype, device=counts.device), xp.cumulative_sum(counts)])
        return sparse_output(CSR(indptr, table.columns, xp.astype(table.cells, getattr(xp, name)), shape), None)
    dense = xp.reshape(bincount(table.rows * table.n_columns + table.columns, shape[0] * shape[1],
                                weights=table.cells), shape)  # (R, C)
    return dense + eps if eps is not None else xp.astype(dense, getattr(xp, name))


def _pairs(table: _Table) -> list[list[int]]:
    """[[apart in both, together in pred only], [together in true only, together in both]], over the ordered
    pairs of distinct samples, exact Python ints."""
    cells, rows, columns = (int(v) for v in table.together())
    n = table.n
    both, pred_only, true_only = cells - n, columns - cells, rows - cells
    return [[n * n - n - both - pred_only - true_only, pred_only], [true_only, both]]


def pair_confusion_matrix(labels_true: Any, labels_pred: Any) -> Any:
    """The pair confusion matrix [[apart in both, together in pred only], [together in true only, together in
    both]] over ordered pairs of distinct samples: a (2, 2) int64 array in the labels' library."""
    table = _Table(labels_true, labels_pred)
    return table.xp.asarray(_pairs(table), dtype=table.xp.int64, device=table.cells.device)


def rand_score(labels_true: Any, labels_pred: Any) -> float:
    """The fraction of pairs of samples on which the two partitions agree (together in both, or apart in both)."""
    (apart, pred_only), (true_only, both) = _pairs(_Table(labels_true, labels_pred))
    total = apart + pred_only + true_only + both
    return 1.0 if apart + both == total or total == 0 else (apart + both) / total


def fowlkes_mallows_score(labels_true: Any, labels_pred: Any) -> float:
    """√(precision · recall) of the pairs that labels_pred puts together, against those labels_true does."""
    (_, pred_only), (true_only, both) = _pairs(_Table(labels_true, labels_pred))
    return math.sqrt(both / (both + pred_only)) * math.sqrt(both / (both + true_only)) if both else 0.0


def mutual_info_score(labels_true: Any, labels_pred: Any, *, contingency: Any = None) -> float:
    """The mutual information of two labelings, in nats. A `contingency` table, if given, is used instead, its
    entries as they are (fractional counts too; scikit-learn truncates them to integers)."""
    if contingency is not None:
        return _from_contingency(contingency)
    return _Table(labels_true, labels_pred).mutual_info()


def _from_contingency(contingency: Any) -> float:
    """MI from a table of counts n_ij: dense (in its library), or scipy.sparse (its stored cells, on the host)."""
    if type(contingency).__module__.startswith("scipy.sparse"):
        coo = contingency.tocoo()  # a sparse table stays sparse: its cells and their row and column
        xp, cells = host_namespace(), as_host(coo.data, "contingency")
        rows, columns, shape = as_host(coo.row), as_host(coo.col), coo.shape
    else:
        backend = metric_backend(contingency)
        xp = backend.xp
        table = to_float(contingency, backend, "contingency")  # (R, C)
        shape = tuple(table.shape)
        if table.ndim == 2:
            rows, columns = xp.nonzero(table)
            cells = xp.take(xp.reshape(table, (-1,)), rows * shape[1] + columns)
    if len(shape) != 2 or bool(xp.any(cells < 0)):
        raise ValueError(f"contingency should be a 2-D table of counts >= 0; got shape {shape}.")
    cells = xp.astype(cells, xp.float64)
    keep = cells > 0
    cells, rows, columns = cells[keep], rows[keep], columns[keep]  # the non-empty cells
    n = float(xp.sum(cells))
    a = bincount(rows, shape[0], weights=cells, xp=xp)  # (R,)
    b = bincount(columns, shape[1], weights=cells, xp=xp)  # (C,)
    mi = xp.sum(cells / n * (xp.log(cells) + math.log(n) - xp.log(xp.take(a, rows)) - xp.log(xp.take(b, columns))))
    return max(float(mi), 0.0)


def normalized_mutual_info_score(labels_true: Any, labels_pred: Any, *, average_method: str = "arithmetic") -> float:
    """MI divided by a mean (`average_method`) of the two entropies: 1 for identical partitions."""
    check_param("average_method", average_method, [_AVERAGES])
    table = _Table(labels_true, labels_pred)
    if table.n_rows == table.n_columns == 1 or table.n == 0:
        return 1.0
    mi = table.mutual_info()
    if mi == 0:
        return 0.0
    return mi / _mean(*table.entropies(), average_method)


def adjusted_mutual_info_score(labels_true: Any, labels_pred: Any, *, average_method: str = "arithmetic") -> float:
    """(MI - E[MI]) / (mean(H(C), H(K)) - E[MI]): 1 for identical partitions, about 0 for independent ones."""
    check_param("average_method", average_method, [_AVERAGES])
    table = _Table(labels_true, labels_pred)
    if table.n_rows == table.n_columns == 1 or table.n == 0:
        return 1.0
    mi, emi = table.mutual_info(), table.expected_mutual_info()
    denominator = _mean(*table.entropies(), average_method) - emi
    eps = 2.0 ** -52
    denominator = min(denominator, -eps) if denominator < 0 else max(denominator, eps)  # a perfect match: 0/eps
    return (mi - emi) / denominator


def homogeneity_completeness_v_measure(labels_true: Any, labels_pred: Any, *, beta: float = 1.0):
    """(homogeneity, completeness, V-measure): MI/H(C), MI/H(K), and their weighted harmonic mean."""
    check_param("beta", beta, [Interval(Real, 0, None, closed="left")])
    table = _Table(labels_true, labels_pred)
    if table.n == 0:
        return 1.0, 1.0, 1.0
    h_true, h_pred = table.entropies()
    mi = table.mutual_info()
    homogeneity = mi / h_true if h_true else 1.0
    completeness = mi / h_pred if h_pred else 1.0
    if homogeneity + completeness == 0.0:
        return homogeneity, completeness, 0.0
    return homogeneity, completeness, (1 + beta) * homogeneity * completeness / (beta * homogeneity + completeness)


def homogeneity_score(labels_true: Any, labels_pred: Any) -> float:
    """MI/H(C): 1 when each cluster holds members of a single class."""
    return homogeneity_completeness_v_measure(labels_true, labels_pred)[0]


def completeness_score(labels_true: Any, labels_pred: Any) -> float:
    """MI/H(K): 1 when all members of a class are in one cluster."""
    return homogeneity_completeness_v_measure(labels_true, labels_pred)[1]


def v_measure_score(labels_true: Any, labels_pred: Any, *, beta: float = 1.0) -> float:
    """The weighted harmonic mean of homogeneity and completeness (beta > 1 weighs completeness more)."""
    return homogeneity_completeness_v_measure(labels_true, labels_pred, beta=beta)[2]


def adjusted_rand_score(labels_true: Any, labels_pred: Any) -> float:
    """The Rand index adjusted for chance: over the n(n-1) ordered pairs, tp together in both labelings, tn
    apart in both, fp and fn together in one only; ARI = 2 (tp·tn - fn·fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp
    + tn)): 1 for identical partitions (up to renaming), near 0 for random ones, possibly negative."""
    (tn, fp), (fn, tp) = (tuple(int(v) for v in row) for row in _pairs(_Table(labels_true, labels_pred)))
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))
