"""k-means clustering by Lloyd's algorithm.

k-means looks for k centres c_j minimizing the inertia Σᵢ wᵢ ‖xᵢ - c_{label(i)}‖². Lloyd's algorithm
(Lloyd, "Least squares quantization in PCM", IEEE Trans. Inf. Theory, 1982) alternates two steps
that each lower it:

1. assignment: label each sample with its nearest centre (a matrix product per block of samples,
   `_kmeans_common.assign`);
2. update: move each centre to the weighted mean of its samples (a scatter-add, `xpml.utils._scatter`).

It stops when no label changes (strict convergence), or when the centres move by at most
Σⱼ ‖c_j,new - c_j,old‖² ≤ tol · (mean variance of the features).

A cluster left empty by step 1 is moved onto the sample farthest from its own centre, which is
taken out of its cluster. The loop reads its flags (labels changed, centre shift, cluster empty) to
the host only once every `_CHECK_EVERY` iterations, and returns to the first iteration that needed
attention (`xpml.utils._iterate.checked_steps`): the result is the same as checking every time.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

import array_api_extra as xpx

from .._backend import compiles_per_shape, device_of, to_numpy
from ..base import BACKEND_CONSTRAINTS
from ..exceptions import ConvergenceWarning
from ..utils._bincount import bincount
from ..utils._iterate import checked_steps
from ..utils._lazy import after_checks, is_lazy, materialize, read_values
from ..utils._param_validation import Interval, Options
from ..utils._random import check_random_state
from ..utils._threads import host_workers, one_host_thread
from ..utils._warnings import warn
from . import _blocks
from ._kmeans_common import (BaseKMeans, assign_and_sum, centered_row_norms, labels_inertia, mean_centers,
                             prepare_samples, squared_distances)

__all__ = ["KMeans"]

_CHECK_EVERY = 4  # iterations between reads of the convergence flags on the host


def lloyd(xp, X, shift, w, centers, *, max_iter: int, tol: float, rows: int, workers: int = 1, by_moves: bool = True,
          compare_labels: bool = True, verbose: int = 0, prepared=None):
    """Lloyd iterations from `centers` (shifted coordinates, (k, d)), with sample weights `w` (n,) or None (ones).

    `prepared` is (X, shift) as the assignment takes them (`prepare_samples`), where the caller has made it.

    `rows` per block and `workers` threads share the assignment step (`assign`). With unit weights
    and `by_moves`, the clusters' sums are updated by the samples that change cluster rather than
    summed afresh (`assign_and_sum`). Without `compare_labels` (dask, whose labels stay in the chunks: comparing
    them with the last iteration's would compute those again), a run stops on the centres' shift alone, which is
    exactly 0 when no label changes.

    Returns
    -------
    centers : array of shape (k, d)
    n_iter : int
    converged : bool
    """
    by_moves = by_moves and w is None
    X_a, shift_a = prepare_samples(xp, X, shift) if prepared is None else prepared  # [x - shift, 1] (n, d+1), None

    def step(state):  # one iteration, on the device
        centers, labels_old, totals = state  # (k, d), (n,) or None, the clusters' sums to update or None
        labels, sums, weights = assign_and_sum(xp, X_a, shift_a, centers, rows, w, previous=labels_old,
                                               totals=totals, workers=workers)  # 1. nearest: (n,), (k, d), (k,)
        new = mean_centers(xp, sums, weights)  # 2. means of the clusters: (k, d)
        changed = True if labels_old is None else xp.any(labels != labels_old)
        flags = (changed, xp.sum((new - centers) ** 2), xp.any(weights == 0))
        return (new, labels if by_moves or compare_labels else None, (sums, weights) if by_moves else None), flags

    def check(i, before, after, flags):  # on the host, for each iteration in turn
        changed, shift2, empty = flags
        if empty:  # redo the iteration, relocating its empty clusters; the next one sums afresh
            start = before[0]  # (k, d)
            centers, labels = step_relocating_empty_clusters(xp, X, shift, w, start, rows, workers)
            after, shift2 = (centers, labels, None), float(xp.sum((centers - start) ** 2))
        if verbose:
            print(f"Iteration {i}: centre shift {shift2:.6g}{', empty clusters relocated' if empty else ''}")
        return after, not changed or shift2 <= tol

    (centers, *_), n_iter, converged = checked_steps(step, (centers, None, None), check, max_steps=max_iter,
                                                     check_every=_CHECK_EVERY, xp=xp)
    return centers, n_iter, converged


def step_relocating_empty_clusters(xp, X, shift, w, centers, rows: int, workers: int = 1):
    """One Lloyd iteration from `centers` (k, d) that moves each empty cluster onto a far sample.

    Returns the new centres (k, d) and the labels (n,) of the assignment (a relocated sample keeps
    its old label, so the clusters' sums must next be summed afresh).
    """
    labels, sums, weights = assign_and_sum(xp, X, shift, centers, rows, w, workers=workers)  # (n,), (k, d), (k,)
    sums, weights = relocate_empty_clusters(xp, X, shift, w, centers, labels, sums, weights, rows)
    return mean_centers(xp, sums, weights), labels


def relocate_empty_clusters(xp, X, shift, w, centers, labels, sums, weights, rows):
    """Move each empty cluster onto one of the samples farthest from their centres (weights `w` or None: ones).

    Returns the cluster sums and weights after the moves: the chosen sample leaves its cluster's
    sums and becomes the whole of the empty one. Nothing moves when every sample sits on its
    centre (more clusters than distinct samples).
    """
    empty = [j for j, weight in enumerate(to_numpy(weights).tolist()) if weight == 0]
    d2 = squared_distances(xp, X, shift, centers, labels, rows)  # (n,)
    if not empty or float(xp.max(d2)) == 0:
        return sums, weights
    far = xp.argsort(d2, descending=True)[:len(empty)]  # (n_empty,)
    for j, i, old in zip(empty, to_numpy(far).tolist(), to_numpy(xp.take(labels, far)).tolist()):
        w_i = 1.0 if w is None else w[i]
        moved = _blocks.dense_rows(xp, X, xp.asarray([i], device=device_of(centers)), shift)[0, :] * w_i  # (d,)
        sums = xpx.at(sums, (old, slice(None))).subtract(moved)
        weights = xpx.at(weights, old).subtract(w_i)
        sums = xpx.at(sums, (j, slice(None))).set(moved)
        weights = xpx.at(weights, j).set(w_i)
    return sums, weights


class KMeans(BaseKMeans):
    """k-means clustering (Lloyd's algorithm, k-means++ seeding).

    Parameters
    ----------
    n_clusters : int, default=8
    init : {"k-means++", "random"}, callable or array of shape (n_clusters, n_features), default="k-means++"
        "k-means++": greedy k-means++ seeding; "random": n_clusters samples drawn at random
        (weighted by sample_weight); an array: these centres; a callable: called as
        ``init(X, n_clusters, random_state=rng)`` once per run, as in scikit-learn: X is the data
        centred on its mean (an array of the backend), the centres it returns are read in those
        centred coordinates, and `rng` is a numpy Generator.
    n_init : int or "auto", default="auto"
        Runs from different seeds; the one of lowest inertia is kept. "auto": 1 for
        "k-means++" or an array, 10 for "random" or a callable.
    max_iter : int, default=300
        Lloyd iterations per run.
    tol : float, default=1e-4
        Convergence when the centres move by at most tol × the mean variance of the features
        (in squared distance, summed over centres).
    verbose : int, default=0
    random_state : int, numpy.random.Generator or None
        Seeds the initialization; the same seed gives the same result on every backend.
    copy_x : bool, default=True
        Accepted for scikit-learn compatibility: xpml never modifies X, whatever its value.
    algorithm : {"lloyd", "elkan"}, default="lloyd"
        Both run Lloyd's algorithm. scikit-learn's "elkan" reaches the same clustering by skipping
        distances with the triangle inequality, a speed device of its own machinery.
    backend, dtype
        Where and in which precision to compute (see `xpml.linear_model.LinearRegression`).

    Attributes
    ----------
    cluster_centers_ : array of shape (n_clusters, n_features)
    labels_ : integer array of shape (n_samples,)
    inertia_ : float
        Σ wᵢ ‖xᵢ - nearest centre‖² on the training data.
    n_iter_ : int
        Lloyd iterations of the run kept.
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.cluster import KMeans
    >>> X = [[1.0, 2.0], [1.0, 4.0], [1.0, 0.0], [10.0, 2.0], [10.0, 4.0], [10.0, 0.0]]
    >>> km = KMeans(n_clusters=2, random_state=0).fit(X)
    >>> sorted(float(c[0]) for c in km.cluster_centers_), km.inertia_
    ([1.0, 10.0], 16.0)
    """

    _parameter_constraints = {
        "n_clusters": [Interval(Integral, 1, None, closed="left")],
        "init": [Options({"k-means++", "random"}), "callable", "array-like"],
        "n_init": [Options({"auto"}), Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["boolean", Interval(Integral, 0, None, closed="left")],
        "random_state": ["random_state"],
        "copy_x": ["boolean"],
        "algorithm": [Options({"lloyd", "elkan"})],
        **BACKEND_CONSTRAINTS,
    }

    def __init__(self, n_clusters: int = 8, *, init: Any = "k-means++", n_init: int | str = "auto",
                 max_iter: int = 300, tol: float = 1e-4, verbose: int = 0, random_state: Any = None,
                 copy_x: bool = True, algorithm: str = "lloyd", backend: Any = None, dtype: str | None = None):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.verbose = verbose
        self.random_state = random_state
        self.copy_x = copy_x
        self.algorithm = algorithm
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> KMeans:
        """Cluster X.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
            A sparse X is clustered as it is, not centred (as in scikit-learn).
        y : ignored
        sample_weight : array-like of shape (n_samples,), optional
            Weights of the samples in the inertia and the centres (and in the seeding).

        Returns
        -------
        self
        """
        X = self._validate_data(X)
        with one_host_thread(self._backend):  # block-sized kernels: see xpml.utils._threads
            self._fit(X, sample_weight)
        return self

    def _fit(self, X, sample_weight) -> None:
        xp = self._xp
        init = self._check_init(X)
        n_init = self._resolve_n_init(init, default=10)
        w = self._weights(X, sample_weight)
        unit_or_w = None if sample_weight is None else w  # None spares Lloyd a product by ones
        rows = self._rows(X)
        # the mean (zeros for sparse X), computed before its use row by row: a lazy backend would otherwise hold
        # every chunk of X until it is known
        self._shift, = materialize(self._backend, _blocks.column_shift(xp, X))  # (d,)
        X = after_checks(self._backend, X)  # that pass read all of X, checking it (lazy backends)
        # ‖xᵢ - shift‖² for k-means++ seeding, the features' mean variance for a tolerance (none for tol=0)
        seeds_by_distance = isinstance(init, str) and init == "k-means++"
        x_sq, mean_variance = centered_row_norms(xp, X, self._shift, rows) if seeds_by_distance or self.tol \
            else (None, 0.0)  # (n,), ()
        tol = float(mean_variance) * self.tol
        rng = check_random_state(self.random_state)
        best = None
        by_moves = not (compiles_per_shape(self._backend) or is_lazy(self._backend))
        workers = host_workers(self._backend)
        prepared = prepare_samples(xp, X, self._shift, workers)  # [x - shift, 1] (n, d+1), None: for every run
        for _ in range(n_init):
            start = self._seed(X, self._shift, x_sq, w, init, rng)  # (k, d)
            centers, n_iter, converged = lloyd(xp, X, self._shift, unit_or_w, start, max_iter=self.max_iter,
                                               tol=tol, rows=rows, workers=workers, by_moves=by_moves,
                                               compare_labels=not is_lazy(self._backend), verbose=self.verbose,
                                               prepared=prepared)
            # (n,), agreeing with the final centres, and their inertia
            labels, run_inertia, sizes = labels_inertia(xp, *prepared, centers, rows, unit_or_w, workers=workers)
            # computed together, the labels too where no longer than a chunk (lazy backends: one pass)
            labels, run_inertia, sizes = materialize(self._backend, labels, run_inertia, sizes)
            run_inertia, sizes = read_values(self._backend, run_inertia, sizes)  # (), (k,) on the host
            # as scikit-learn: a lower inertia replaces the best run only with another partition of the samples, so
            # that two runs reaching the same clusters (inertias a rounding apart) keep the first on every backend
            if best is None or (float(run_inertia) < best[0]
                                and not same_partition(xp, labels, best[2], self.n_clusters)):
                best = (float(run_inertia), centers, labels, n_iter, converged, sizes)
        self.inertia_, centers, self.labels_, self.n_iter_, converged, sizes = best
        self.cluster_centers_ = centers + self._shift
        if not converged:
            warn(f"KMeans stopped at max_iter={self.max_iter} before converging (tol={self.tol}); "
                 f"increase max_iter or tol.", ConvergenceWarning)
        distinct = sum(1 for size in sizes.tolist() if size > 0)  # clusters holding a sample
        if distinct < self.n_clusters:
            warn(f"KMeans found {distinct} distinct clusters, fewer than n_clusters={self.n_clusters}; "
                 f"X may hold fewer distinct points.", ConvergenceWarning)


def same_partition(xp, a, b, k: int) -> bool:
    """Whether the labels a and b (n,), each in 0 .. k-1, part the samples alike, whatever their numbering: where
    they do, each label of a meets one label of b, so there are as many distinct pairs (a_i, b_i) as labels in a
    and in b."""
    distinct = lambda counts: xp.sum(xp.astype(counts > 0, xp.int64))
    pairs, in_a, in_b = (distinct(bincount(x, length)) for x, length in ((a * k + b, k * k), (a, k), (b, k)))
    return bool((pairs == in_a) & (pairs == in_b))
