"""One SGD step (`sgd_update`), and one epoch of them (`run_epoch`), for `_sgd_solver`, which explains the algorithm.

An epoch runs its steps one of two ways; both apply `sgd_update`, the step itself, to the same batches:

- Compiled (backends with the capability "compile_scan": jax). `_indexed_step` is a pure function that
  gathers its batch, `block[row, :]`, and adds the batch's objective to a running sum; an epoch's steps
  become one compiled loop (`xpml.utils._compile.compiled_steps`).
- A Python loop (every other backend). A step of a few samples costs some fifteen array operations of
  a microsecond or more each, whatever their size, so the loop does as little per step as it can: the
  epoch's rows are gathered once (`Xe`, `Ye`) and each batch is a slice of them; the learning rate and
  the averaging flag are Python floats; the scores P each step saw and the weights it started from are
  kept (references, no copies: arrays are never written in place), and the epoch's objective is
  computed from them at the end, in a few operations on all of them, instead of in each step. Where
  a library's calls cost several times numpy's (torch on a CPU: capability "host_loops"), `run_epochs`
  runs the whole fit on numpy views of its arrays (`xpml.utils._host_loop`).
"""

from __future__ import annotations

import math

from .._backend import Backend, capability, to_numpy
from ..utils._batches import batch_runs, epoch_order
from ..utils._compile import compiled_steps
from ..utils._csr import for_batches, is_csr, is_sparse, take_rows

__all__ = ["learning_rate_at", "run_epoch", "sgd_update"]

MAX_DLOSS = 1e12  # |∂L/∂p| is clipped here, as in scikit-learn: unscaled features stay finite
_STACKED = 1 << 20  # the most weights kept (steps × p × k) before their penalty is summed


def learning_rate_at(s, t: int) -> float:
    """The learning rate of step t of the schedule (before any per-column adaptive factor)."""
    if s.learning_rate == "optimal":
        typical_w = math.sqrt(1.0 / math.sqrt(s.alpha))  # Bottou's guess of a weight's size
        t0 = 1.0 / (typical_w * s.alpha)  # so that the first step (t = 1) is typical_w
        return 1.0 / (s.alpha * (t0 + (t - 1)))  # not (t0 + t) - 1: a tiny t0 (huge α) would round to 0
    if s.learning_rate == "invscaling":
        return s.eta0 * float(t) ** -s.power_t  # underflows to 0 for a huge power_t, where t**power_t overflows
    return s.eta0  # "constant" and "adaptive"


def _penalty(xp, s, W, m):
    """m α R(w꜀) for each column: the penalty's share of a batch of m samples. (k,); or, for weights
    stacked over steps (steps, p, k) and their batch sizes m (steps, 1), each step's (steps, k)."""
    total = 0.0
    if s.l1_ratio < 1:
        total = (m * s.alpha * (1 - s.l1_ratio) * 0.5) * xp.sum(W * W, axis=-2)
    if s.l1_ratio > 0:
        total = total + (m * s.alpha * s.l1_ratio) * xp.sum(xp.abs(W), axis=-2)
    return total


def sgd_update(xp, s, state: tuple, Xb, Yb, wb, P, eta, active, joins) -> tuple:
    """One SGD step on the batch (Xb (m, p), Yb (m, k), weights wb (m, k) or None) whose scores P = Xb W + b
    (m, k) were computed at `state` = (W, b, W_avg, b_avg, n_avg, q, u) (unused parts None): the new state.

    `eta` is the learning rate, a float or (k,) when the columns' rates differ; `active` (k,) is 1 for the
    columns still running; `joins` is 1 if the step joins the average, else 0.
    """
    W, b, W_avg, b_avg, n_avg, q, u = state
    m = Xb.shape[0]
    D = s.loss.gradient(xp, Yb, P)  # (m, k) ∂L/∂p
    # Clipped as scikit-learn does, by maximum and minimum (array-api-compat's clip for numpy took 22 µs a call),
    # unless the loss's gradient is bounded for ±1 targets (hinge, log, modified huber), where the clip is idle.
    if not getattr(s.loss, "bounded", False):
        D = xp.minimum(xp.maximum(D, -MAX_DLOSS), MAX_DLOSS)
    if wb is not None:
        D = D * wb
    if s.penalized and s.l1_ratio < 1:  # weight decay, never below zero
        decay = 1.0 - (1.0 - s.l1_ratio) * s.alpha * eta
        W = W * (max(decay, 0.0) if isinstance(decay, float) else xp.maximum(decay, 0.0))
    # Xbᵀ D (p, k); dense, as (Dᵀ Xb)ᵀ: XLA's CPU product reads Xbᵀ slowly (34 µs for 1000 × 50 against 10); for
    # one dense sample, the outer product xᵀ d, the same numbers by a cheaper broadcast product
    if is_sparse(Xb):
        gradient = Xb.T @ D
    else:
        gradient = Xb.T * D if m == 1 else (D.T @ Xb).T
    W = W - (eta / m) * gradient  # (p, k)
    if s.fit_intercept:
        summed = D[0, :] if m == 1 else xp.sum(D, axis=0)  # (k,) one sample's row is its own sum: no reduction
        b = b - (eta * s.intercept_decay / m) * summed  # (k,)
    if s.average:
        counted = active * joins  # (k,) 1 for the columns whose average this step joins
        n_avg = n_avg + counted  # (k,)
        share = counted / xp.maximum(n_avg, 1.0)  # (k,) 1/count, 0 for stopped columns or before `average`
        W_avg = W_avg + (W - W_avg) * share
        b_avg = b_avg + (b - b_avg) * share
    if s.penalized and s.l1_ratio > 0:
        u = u + s.l1_ratio * s.alpha * eta  # (k,)
        before = W
        fallen = xp.maximum(before - (u + q), 0.0)  # positive weights fall, not below 0
        risen = xp.minimum(before + (u - q), 0.0)  # negative weights rise, not above 0
        W = xp.where(before > 0, fallen, xp.where(before < 0, risen, before))
        if s.sparse:  # only the batch's non-zero features are truncated, as scikit-learn does on sparse X
            if is_sparse(Xb):
                nonzero = Xb.with_data(xp.astype(Xb.data != 0, W.dtype))  # (m, p)
                present = (nonzero.T @ xp.ones_like(D[:, 0])) > 0  # (p,)
            else:  # a small sparse X made dense (`for_batches`)
                present = xp.any(Xb != 0, axis=0)  # (p,)
            W = xp.where(present[:, None], W, before)  # (p, k)
        q = q + (W - before)
    return W, b, W_avg, b_avg, n_avg, q, u


def _indexed_step(xp, s, track: bool, X, Y, weights, block, rate, active, carry: tuple, x: tuple):
    """`sgd_update` on the batch `block[row, :]` of (X, Y), as a pure function for `compiled_steps`: the new
    carry (state, objective), `objective` (k,) plus the batch's summed objective if `track`. `x` is the step's
    (row, schedule rate, 1 if it joins the average else 0); `weights` is None when every sample weighs 1."""
    state, objective = carry
    row, schedule, joins = x
    W, b = state[0], state[1]
    idx = block[row, :]  # (m,)
    Xb, Yb = take_rows(X, idx, xp=xp, n_columns=W.shape[0]), xp.take(Y, idx, axis=0)  # (m, p) dense or sparse, (m, k)
    wb = None if weights is None else xp.take(weights, idx, axis=0)  # (m, k)
    P = Xb @ W + b  # (m, k)
    if track:
        objective = objective + xp.sum(s.loss.value(xp, Yb, P), axis=0)  # (k,)
        if s.penalized:
            objective = objective + _penalty(xp, s, W, Xb.shape[0])
    return sgd_update(xp, s, state, Xb, Yb, wb, P, schedule * rate, active, joins), objective


def run_epoch(backend: Backend, s, st, X, Y, weights, rate, active, rng, track: bool):
    """One pass over the samples, in batches, updating `st`; returns the summed objective (k,) if `track`
    (the loss at the weights each step started from, plus the penalty's share), else zeros."""
    xp = backend.xp
    # A sparse X is compiled as padded rows (jax), else a CSR batch's size depends on its rows: no compilation.
    X = for_batches(X)
    if capability(backend, "compile_scan") is None or is_csr(X):
        return _looped_epoch(xp, backend, s, st, X, Y, weights, rate, active, rng, track)
    run = compiled_steps(_indexed_step, backend, n_static=3)
    dtype, device = Y.dtype, Y.device  # X may be padded rows now (a pair of arrays)
    carry = ((st.W, st.b, st.W_avg, st.b_avg, st.n_avg, st.q, st.u), xp.zeros(Y.shape[1], dtype=dtype, device=device))
    for block, rows in batch_runs(Y.shape[0], s.batch_size, backend, rng if s.shuffle else None):
        t = range(st.t, st.t + len(rows))  # the steps' numbers
        schedule = [learning_rate_at(s, i) for i in t]
        joins = [float(0 < s.average <= i) for i in t]  # whether each step joins the average
        xs = tuple(xp.asarray(v, dtype=dt, device=device) for v, dt
                   in ((rows, None), (schedule, dtype), (joins, dtype)))
        carry = run(xp, s, track, X, Y, weights, block, rate, active, carry, xs)
        st.t += len(rows)
    (st.W, st.b, st.W_avg, st.b_avg, st.n_avg, st.q, st.u), objective = carry
    return objective


def _looped_epoch(xp, backend: Backend, s, st, X, Y, weights, rate, active, rng, track: bool):
    """`run_epoch` as a Python loop over slices of the epoch's rows, gathered once (a CSR's batches are
    gathered one by one), with the objective computed once, from the scores and weights each step saw."""
    n, m = Y.shape[0], s.batch_size
    order = epoch_order(n, backend, rng if s.shuffle else None)  # (n,) the same draw as `batch_indices`
    Ye = xp.take(Y, order, axis=0)  # (n, k)
    we = None if weights is None else xp.take(weights, order, axis=0)  # (n, k)
    Xe = None if is_csr(X) else xp.take(X, order, axis=0)  # (n, p)
    # The steps' learning rates and averaging flags, as the compiled loop reads them: Python floats of X's dtype.
    t = range(st.t, st.t + -(-n // m))  # the steps' numbers
    schedule, joins = to_numpy(xp.asarray([[learning_rate_at(s, i) for i in t], [float(0 < s.average <= i) for i in t]],
                                          dtype=Y.dtype, device=Y.device)).tolist()
    state = (st.W, st.b, st.W_avg, st.b_avg, st.n_avg, st.q, st.u)
    scores, started, first = [], [], 0  # each step's P (m, k), and its W (p, k) where the objective has a penalty
    objective = xp.zeros(Y.shape[1], dtype=Y.dtype, device=Y.device)  # (k,)
    for step, start in enumerate(range(0, n, m)):
        stop = min(start + m, n)
        Xb = take_rows(X, order[start:stop], xp=xp) if Xe is None else Xe[start:stop, :]  # (m, p)
        P = Xb @ state[0] + state[1]  # (m, k)
        if track:
            scores.append(P)
            if s.penalized:
                first = start if not started else first
                started.append(state[0])
                if len(started) * math.prod(state[0].shape) >= _STACKED:  # sum their penalty, forget them
                    objective, started = objective + _stacked_penalty(xp, s, started, first, stop), []
        wb = None if we is None else we[start:stop, :]  # (m, k)
        eta = schedule[step] * rate
        state = sgd_update(xp, s, state, Xb, Ye[start:stop, :], wb, P, eta, active, joins[step])
    st.t += len(t)
    st.W, st.b, st.W_avg, st.b_avg, st.n_avg, st.q, st.u = state
    if track:
        objective = objective + xp.sum(s.loss.value(xp, Ye, xp.concat(scores, axis=0)), axis=0)  # (k,)
        if started:
            objective = objective + _stacked_penalty(xp, s, started, first, n)
    return objective


def _stacked_penalty(xp, s, started: list, first: int, stop: int):
    """The summed penalty (k,) of the steps that started from the weights `started`, whose batches of
    s.batch_size (the last perhaps shorter) cover the epoch's samples first .. stop - 1."""
    W = xp.stack(started, axis=0)  # (steps, p, k)
    sizes = [min(s.batch_size, stop - i) for i in range(first, stop, s.batch_size)]  # each batch's size
    sizes = xp.asarray(sizes, dtype=W.dtype, device=W.device)[:, None]  # (steps, 1)
    return xp.sum(_penalty(xp, s, W, sizes), axis=0)  # (k,)
