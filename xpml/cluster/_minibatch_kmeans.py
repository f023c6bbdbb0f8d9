"""Mini-batch k-means: k-means from small random batches, for data too large for many full passes.

Sculley, "Web-scale k-means clustering" (WWW 2010). Each step draws a batch, labels it with the
current centres, and moves each centre towards its batch samples with a per-centre learning rate:
the centre stays the weighted mean of every sample it has been given,

    c ← (c · W + Σ_batch wᵢ xᵢ) / (W + Σ_batch wᵢ),   W ← W + Σ_batch wᵢ.

Centres whose accumulated weight W falls below `reassignment_ratio` × the largest are moved onto
random samples of the batch, so that no centre is left stranded. The fit stops after max_iter passes
over the data, when the centres move by at most `tol` (relative to the data's variance), or when an
exponentially weighted average of the batch inertia has not improved for `max_no_improvement` steps.
The host reads the per-step numbers every `_CHECK_EVERY` steps and returns to the exact step where
the fit should have stopped (`xpml.utils._iterate.checked_steps`).
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS
from ..exceptions import ConvergenceWarning
from ..utils._compile import compiled
from ..utils._csr import PaddedBatch, PaddedRows, for_batches, is_csr, take_rows
from ..utils._iterate import checked_steps
from ..utils._param_validation import Interval, Options
from ..utils._random import check_random_state, draw, weighted_sampler
from ..utils._threads import one_host_thread
from ..utils._warnings import warn
from . import _blocks
from ._kmeans_common import BaseKMeans, assign, centered_row_norms, inertia
from ._minibatch_monitor import Monitor

__all__ = ["MiniBatchKMeans"]

_CHECK_EVERY = 10  # steps between reads of the batch inertias on the host


def minibatch_step(xp, X, w, shift, centers, counts, rows, *, reassign, ratio, candidates):
    """One mini-batch update; returns (centers (k, d), counts (k,), batch inertia (), squared centre move ()).

    `centers` are in shifted coordinates; `w` (None: unit weights) weighs the batch `X` (b, d).
    `reassign` (a 0-d bool array) allows moving light centres onto the batch samples `candidates`.
    A sparse batch comes as a CSR, or as `PaddedRows` where the step is compiled (jax).
    """
    if isinstance(X, PaddedRows):  # arrays that jax traces, made a batch of sparse rows again
        X = PaddedBatch(X.indices, X.values, centers.shape[1])
    labels, sums, weights = assign(xp, X, shift, centers, rows, w, with_sums=True)  # (b,), (k, d), (k,)
    batch_inertia = inertia(xp, X, shift, centers, labels, rows, w)
    new_counts = counts + weights  # (k,)
    touched = weights > 0
    moved = (centers * counts[:, None] + sums) / xp.where(touched, new_counts, xp.ones_like(counts))[:, None]
    new = xp.where(touched[:, None], moved, centers)  # (k, d)
    # Light centres jump to random batch samples; at most half a batch of them, the lightest.
    light = xp.logical_and(reassign, new_counts < ratio * xp.max(new_counts))  # (k,)
    rank = xp.argsort(xp.argsort(new_counts, stable=True), stable=True)  # (k,): 0 for the lightest
    light = xp.logical_and(light, rank < int(0.5 * X.shape[0]))
    slot = xp.clip(xp.cumulative_sum(xp.astype(light, xp.int32)) - 1, min=0)  # (k,): j-th light one -> candidate j
    jumped = _blocks.dense_rows(xp, X, xp.take(candidates, xp.clip(slot, max=candidates.shape[0] - 1)), shift)  # (k, d)
    new = xp.where(light[:, None], jumped, new)
    # A moved centre restarts at the lightest kept weight; when reassignment_ratio > 1 moves them all, at the
    # heaviest (an infinite or zero weight would give NaN centres at the next step).
    kept_min = xp.min(xp.where(light, xp.max(new_counts), new_counts))
    new_counts = xp.where(light, kept_min, new_counts)
    return new, new_counts, batch_inertia, xp.sum((new - centers) ** 2)


class MiniBatchKMeans(BaseKMeans):
    """k-means on mini-batches (Sculley, 2010), with `partial_fit` for streams.

    Parameters
    ----------
    n_clusters : int, default=8
    init : {"k-means++", "random"}, callable or array of shape (n_clusters, n_features), default="k-means++"
        As in KMeans, applied to `init_size` random samples (given to a callable uncentred).
    max_iter : int, default=100
        Passes over the data: the fit takes at most max_iter · n_samples / batch_size steps.
    batch_size : int, default=1024
    verbose : int, default=0
    compute_labels : bool, default=True
        Label the training data (and compute `inertia_` exactly) once the fit ends.
    random_state : int, numpy.random.Generator or None
    tol : float, default=0.0
        Stop when the centres move by at most tol × the mean feature variance in one step (0: never).
    max_no_improvement : int or None, default=10
        Stop after this many steps without improvement of the smoothed batch inertia (None: never).
    init_size : int or None, default=None
        Samples used to seed (None: 3 · batch_size, at least 3 · n_clusters).
    n_init : int or "auto", default="auto"
        Seedings tried, the best kept by inertia on a validation sample. "auto": 1 for "k-means++"
        or an array, 3 for "random" or a callable.
    reassignment_ratio : float, default=0.01
        A centre whose accumulated weight falls below this fraction of the largest is moved.
    backend, dtype
        Where and in which precision to compute (see `xpml.linear_model.LinearRegression`).

    Attributes
    ----------
    cluster_centers_ : array of shape (n_clusters, n_features)
    labels_ : integer array of shape (n_samples,) (with `compute_labels`)
    inertia_ : float
    n_iter_ : int
        Passes over the data made.
    n_steps_ : int
        Mini-batches processed.
    n_features_in_ : int
    """

    _parameter_constraints = {
        "n_clusters": [Interval(Integral, 1, None, closed="left")],
        "init": [Options({"k-means++", "random"}), "callable", "array-like"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "verbose": ["boolean", Interval(Integral, 0, None, closed="left")],
        "compute_labels": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "max_no_improvement": [Interval(Integral, 0, None, closed="left"), None],
        "init_size": [Interval(Integral, 1, None, closed="left"), None],
        "n_init": [Options({"auto"}), Interval(Integral, 1, None, closed="left")],
        "reassignment_ratio": [Interval(Real, 0, None, closed="left")],
        **BACKEND_CONSTRAINTS,
    }
    _init_sees_centred_X = False  # as scikit-learn's, which does not centre X

    def __init__(self, n_clusters: int = 8, *, init: Any = "k-means++", max_iter: int = 100, batch_size: int = 1024,
                 verbose: int = 0, compute_labels: bool = True, random_state: Any = None, tol: float = 0.0,
                 max_no_improvement: int | None = 10, init_size: int | None = None, n_init: int | str = "auto",
                 reassignment_ratio: float = 0.01, backend: Any = None, dtype: str | None = None):
        self.n_clusters = n_clusters
        self.init = init
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.verbose = verbose
        self.compute_labels = compute_labels
        self.random_state = random_state
        self.tol = tol
        self.max_no_improvement = max_no_improvement
        self.init_size = init_size
        self.n_init = n_init
        self.reassignment_ratio = reassignment_ratio
        self.backend = backend
        self.dtype = dtype

    def _start(self, X, w):
        """Checks and state shared by `fit` and the first `partial_fit`; returns the seeding arguments."""
        xp, n = self._xp, X.shape[0]
        init = self._check_init(X)
        self._batch = min(self.batch_size, n)
        init_size = self.init_size if self.init_size is not None else max(3 * self._batch, 3 * self.n_clusters)
        self._init_size = min(max(init_size, self.n_clusters), n)
        self._shift = _blocks.column_shift(xp, X)  # (d,): the mean, or zeros for sparse X
        self._rng = check_random_state(self.random_state)
        self._counts = xp.zeros(self.n_clusters, dtype=X.dtype, device=X.device)
        self._since_reassign, self.n_steps_ = 0, 0
        return init

    def _seed_on_sample(self, X, w, init):
        """Centres (shifted coordinates) seeded on `init_size` random samples of X."""
        xp, rows = self._xp, self._rows(X)
        X_init, w_init = X, w
        if self._init_size < X.shape[0]:
            take = draw(self._rng, self._backend, "integers", 0, X.shape[0], self._init_size)
            X_init, w_init = _blocks.take(xp, X, take), xp.take(w, take)
        x_sq, _ = centered_row_norms(xp, X_init, self._shift, rows)
        return self._seed(X_init, self._shift, x_sq, w_init, init, self._rng)

    def _step(self, X, w):
        """One mini-batch update of `cluster_centers_` and `_counts` from the batch X (weights w or None)."""
        xp, n_batch, rows = self._xp, X.shape[0], self._rows(X)
        if isinstance(X, PaddedBatch):  # the padded rows of a sparse batch (jax): arrays a compiled step takes
            X = PaddedRows(X.indices, X.data)
        elif is_csr(X):
            X = for_batches(X)  # PaddedRows where the step is compiled, else the CSR itself
        self._since_reassign += n_batch
        due = self._since_reassign >= 10 * self.n_clusters
        if due:
            self._since_reassign = 0
        reassign = xp.logical_or(xp.asarray(due, device=self._backend.device), xp.any(self._counts == 0))
        n_candidates = min(self.n_clusters, n_batch)
        candidates = draw(self._rng, self._backend, "choice", n_batch, size=n_candidates, replace=False)
        step = minibatch_step  # one compiled call on jax; not for a CSR batch, whose shape varies
        if not is_csr(X):
            step = compiled(minibatch_step, self._backend, static_argnames=("xp", "rows", "ratio"))
        centers, self._counts, batch_inertia, moved = step(
            xp, X, w, self._shift, self.cluster_centers_ - self._shift, self._counts, rows,
            reassign=reassign, ratio=float(self.reassignment_ratio), candidates=candidates)
        self.cluster_centers_ = centers + self._shift
        self.n_steps_ += 1
        return batch_inertia, moved

    def _state(self):
        return self.cluster_centers_, self._counts, self._since_reassign, self.n_steps_

    def _set_state(self, state):
        self.cluster_centers_, self._counts, self._since_reassign, self.n_steps_ = state

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> MiniBatchKMeans:
        """Cluster X by mini-batches drawn with probability proportional to `sample_weight`.

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
        y : ignored
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        X = self._validate_data(X)
        with one_host_thread(self._backend):  # block-sized kernels: see xpml.utils._threads
            self._fit(X, sample_weight)
        return self

    def _fit(self, X, sample_weight) -> None:
        xp, n = self._xp, X.shape[0]
        w = self._weights(X, sample_weight)
        init = self._start(X, w)
        rows = self._rows(X)
        _, mean_variance = centered_row_norms(xp, X, self._shift, rows)
        tol = float(mean_variance) * self.tol
        n_init = self._resolve_n_init(init, default=3)
        check = draw(self._rng, self._backend, "integers", 0, n, self._init_size)
        X_check, w_check = _blocks.take(xp, X, check), xp.take(w, check)
        best = None
        for _ in range(n_init):
            start = self._seed_on_sample(X, w, init)
            score = float(inertia(xp, X_check, self._shift, start, assign(xp, X_check, self._shift, start, rows),
                                  rows, w_check))
            if best is None or score < best[0]:
                best = (score, start)
        self.cluster_centers_ = best[1] + self._shift

        sample = weighted_sampler(self._rng, self._backend, w)  # batches drawn in proportion to the weights
        rows_of = for_batches(X)  # sparse X on jax: its rows padded to one length, so that batches share a shape
        n_steps = (self.max_iter * n) // self._batch
        monitor = Monitor(self, n, tol)

        def step(state):  # one mini-batch from `state`
            self._set_state(state)
            batch = take_rows(rows_of, sample(self._batch), xp=xp, n_columns=X.shape[1])  # (b, d)
            numbers = self._step(batch, None)  # (batch inertia, centre move): the sampling used the weights
            return self._state(), numbers

        def check(i, before, after, numbers):  # on the host, for each step in turn
            batch_inertia, moved = numbers
            return after, monitor.converged(after[-1], n_steps, batch_inertia / self._batch, moved)

        state, _, stopped = checked_steps(step, self._state(), check, max_steps=n_steps - self.n_steps_,
                                          check_every=_CHECK_EVERY, xp=xp)
        self._set_state(state)
        self.n_iter_ = math.ceil(self.n_steps_ * self._batch / n)
        if not stopped and (self.tol > 0 or self.max_no_improvement is not None):
            warn(f"MiniBatchKMeans stopped at max_iter={self.max_iter} passes before converging; "
                 f"increase max_iter.", ConvergenceWarning)
        if self.compute_labels or monitor.ewa is None:
            self._label(X, w)
        else:
            self.inertia_ = monitor.ewa * float(xp.sum(w))

    def partial_fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> MiniBatchKMeans:
        """Update the centres with one mini-batch, X (seeding them from X on the first call).

        Parameters
        ----------
        X : array-like or scipy.sparse matrix of shape (n_samples, n_features)
        y : ignored
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        first = not hasattr(self, "cluster_centers_")
        X = self._validate_data(X, reset=first)
        w = self._weights(X, sample_weight)
        with one_host_thread(self._backend):
            if first:
                init = self._start(X, w)
                self.cluster_centers_ = self._seed_on_sample(X, w, init) + self._shift
            self._step(X, w)
            if self.compute_labels:
                self._label(X, w)
        return self

    def _label(self, X, w):
        xp, rows = self._xp, self._rows(X)
        centers = self.cluster_centers_ - self._shift
        self.labels_ = assign(xp, X, self._shift, centers, rows)
        self.inertia_ = float(inertia(xp, X, self._shift, centers, self.labels_, rows, w))
