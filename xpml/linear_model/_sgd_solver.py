"""Minibatch stochastic gradient descent for regularized linear models, k problems at once.

SGD minimizes, for each column c of the targets Y,

    (1/n) Σᵢ L(yᵢ꜀, xᵢ·w꜀ + b꜀) + α R(w꜀),    R(w) = (1 - ρ)/2 ‖w‖² + ρ ‖w‖₁

(ρ = l1_ratio: 0 for "l2", 1 for "l1"). The k problems are independent, but they read the same
X, so they share every batch and every matrix product: W has shape (n_features, k). A classifier
uses them for one-vs-rest (column c: class c against the others), a regressor has k = 1.

One step on a batch of m samples, at step t, with learning rate ηₜ:

    D   = L'(Y_B, X_B W + b) · weights                (m, k)
    W  ← W · max(0, 1 - ηₜ α (1 - ρ))  -  ηₜ X_Bᵀ D / m
    b  ← b - ηₜ Σ D / m
    W  ← the L1 part by cumulative truncation (Tsuruoka, Tsujii & Ananiadou, ACL 2009): each
         weight moves toward zero by the total L1 step u = Σₜ ηₜ α ρ, less what it already
         moved (q), and stops at zero instead of crossing it.

With m = 1 this is, operation for operation, scikit-learn's plain SGD (Bottou, "Stochastic
gradient descent tricks", 2012), so batch_size=1 reproduces its coefficients (on sparse X too,
where the intercept takes 1/100 of each step, as there); L' is clipped at
±1e12 as there, which keeps a fit on unscaled features finite. A batch averages m
gradients taken at the same weights: a step costs one matrix product instead of m Python-level
updates, which is what makes SGD fast on a GPU (and on the CPU from Python). The trade-off:
t counts steps, not samples, so an epoch makes n/m steps. The schedules keep their meaning per
step, the noise of a step falls as 1/m, and the stability limit of a step stays that of one
sample (a mean, never a sum). Far from the optimum, a large batch makes less progress per epoch
than per-sample SGD; close to it, where noise dominates, the two behave alike.

Learning rates (t starts at 1): "constant" η = η₀; "invscaling" η = η₀ / t^power_t; "optimal"
η = 1 / (α (t₀ + t - 1)) with t₀ = 1 / (α √(1/√α)) (Bottou's heuristic for the first step);
"adaptive" η = η₀, divided by 5 whenever n_iter_no_change epochs in a row fail to improve.

Stopping, per column and checked once per epoch: the epoch's mean objective (loss + penalty at the
weights of each step) must fall by `tol`, or, with early stopping, the validation score must rise
by `tol`; after n_iter_no_change epochs without that, the column stops (its weights freeze).
Divergence is an error: weights or objective that overflow to inf or NaN, or an objective that
stops "improving" because it climbs, ending tenfold above its best.
Averaging (ASGD, Polyak & Juditsky 1992) keeps the running mean of the weights from step `average`.
The step and the loop of an epoch's steps (compiled on jax, a lean Python loop elsewhere) are in `_sgd_steps`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Callable

from .._backend import Backend, to_numpy
from ..utils._csr import is_csr
from ..utils._errstate import float_errors_ignored
from ..utils._host_loop import loop_backend, moved
from ._sgd_steps import learning_rate_at, run_epoch

__all__ = ["SGDSettings", "SGDState", "learning_rate_at", "run_epochs"]

@dataclass(frozen=True)
class SGDSettings:
    """The hyperparameters of one run (see the estimators for their meaning)."""

    loss: Any
    alpha: float
    l1_ratio: float  # 0 for "l2", 1 for "l1"
    penalized: bool  # False for penalty=None
    learning_rate: str
    eta0: float
    power_t: float
    fit_intercept: bool
    batch_size: int
    shuffle: bool
    tol: float | None
    n_iter_no_change: int
    average: int  # 0: no averaging; else the step from which weights are averaged
    verbose: int
    intercept_decay: float = 1.0  # the intercept's share of each step: 0.01 on sparse X, as scikit-learn
    sparse: bool = False  # X was sparse: L1 truncates only the features a batch holds, as scikit-learn does


@dataclass
class SGDState:
    """What carries over between epochs and between `partial_fit` calls."""

    W: Any  # (p, k)
    b: Any  # (k,)
    t: int = 1  # the next step's number
    W_avg: Any = None  # (p, k)
    b_avg: Any = None  # (k,)
    n_avg: Any = None  # (k,) steps averaged so far, per column
    q: Any = None  # (p, k) L1 truncation each weight has received
    u: Any = None  # (k,) L1 truncation each weight could have received

    @classmethod
    def zeros(cls, xp, n_features: int, k: int, dtype, device) -> SGDState:
        W = xp.zeros((n_features, k), dtype=dtype, device=device)
        b = xp.zeros(k, dtype=dtype, device=device)
        return cls(W, b)

    def moved(self, backend: Backend) -> SGDState:
        """This state with its arrays on `backend` (views where the memory allows)."""
        names = ("W", "b", "W_avg", "b_avg", "n_avg", "q", "u")
        return replace(self, **dict(zip(names, moved(backend, *(getattr(self, name) for name in names)))))

    def coef(self, xp, averaged: bool):
        """(W, b) to predict with: the averaged weights where averaging has begun."""
        if not averaged or self.n_avg is None:
            return self.W, self.b
        begun = self.n_avg > 0  # (k,)
        return xp.where(begun, self.W_avg, self.W), xp.where(begun, self.b_avg, self.b)


@dataclass
class _Column:
    """The stopping bookkeeping of one column, on the host."""

    best: float
    eta_factor: float = 1.0
    bad_epochs: int = 0
    active: bool = True


def run_epochs(backend: Backend, s: SGDSettings, st: SGDState, X, Y, weights, *, max_iter: int, rng,
               validation_score: Callable | None = None) -> int:
    """Run up to `max_iter` epochs of SGD on (X, Y), updating `st`; returns the epochs run.

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
    Y : array of shape (n_samples, k)
        Targets: ±1 per one-vs-rest column for classification, real values for regression.
    weights : array of shape (n_samples, k), or None
        Each sample's weight in each column (sample_weight times class weight); None: all 1.
    rng : numpy.random.Generator
        Draws each epoch's order of the samples (on the host), when `s.shuffle`; else the
        samples are visited in their order.
    validation_score : callable (W, b) -> array (k,), optional
        For early stopping: a score to maximize, computed on held-out data.

    Raises
    ------
    ValueError
        When the weights or the objective become infinite or NaN: the learning rate is too large.
    """
    loop = loop_backend(backend)
    if loop is not backend and not is_csr(X):  # torch on a CPU: the steps run on numpy views (`_host_loop`)
        hosted = st.moved(loop)
        score = validation_score and (lambda W, b: moved(loop, validation_score(*moved(backend, W, b)))[0])
        epochs = run_epochs(loop, s, hosted, *moved(loop, X, Y, weights), max_iter=max_iter, rng=rng,
                            validation_score=score)
        vars(st).update(vars(hosted.moved(backend)))  # the weights, averages and step count, back on the backend
        return epochs
    xp = backend.xp
    n, k = Y.shape
    dtype, device = X.dtype, X.device
    track = (s.tol is not None and validation_score is None) or s.verbose > 0
    if s.average and st.W_avg is None:
        st.W_avg, st.b_avg = xp.zeros_like(st.W), xp.zeros_like(st.b)
        st.n_avg = xp.zeros(k, dtype=dtype, device=device)
    if s.penalized and s.l1_ratio > 0 and st.q is None:
        st.q, st.u = xp.zeros_like(st.W), xp.zeros(k, dtype=dtype, device=device)
    maximize = validation_score is not None
    columns = [_Column(best=-math.inf if maximize else math.inf) for _ in range(k)]
    # The objective of all-zero weights: a run that stops far above it diverged. Not with "optimal", whose
    # first steps, 1/(α t₀), are large by design, and whose epochs' mean objective starts far above it.
    if track and not maximize and s.learning_rate != "optimal":
        with float_errors_ignored():
            zero = to_numpy(xp.sum(s.loss.value(xp, Y, xp.zeros_like(Y)), axis=0) / n).tolist()  # (k,)
    else:
        zero = [math.inf] * k
    # The perceptron's loss, max(0, -y p), costs nothing at zero weights and has no scale: its epochs' mean
    # jumps between few mistakes and none, so a tenfold rise is no sign of divergence (inf and NaN still are).
    scale_free = getattr(s.loss, "threshold", None) == 0
    if scale_free:
        zero = [math.inf] * k
    epoch = 0
    for epoch in range(1, max_iter + 1):
        with float_errors_ignored():  # divergence is caught below, with a clearer message
            objective = _epoch(xp, backend, s, st, X, Y, weights, columns, rng, track)
            # One read from the device per epoch: the stopping criterion and a probe for inf / NaN.
            criterion = validation_score(st.W, st.b) if maximize else objective / n  # (k,)
            probe = xp.sum(st.W, axis=0) + st.b + (objective if track else 0.0)  # (k,) non-finite if any part is
            criterion, probe = to_numpy(xp.stack([criterion, probe])).tolist()
        if not all(math.isfinite(v) for v in probe):
            _diverged(s, epoch)
        if s.verbose:
            shown = "validation score" if maximize else "objective"
            print(f"-- Epoch {epoch}: {shown} {', '.join(f'{v:.6g}' for v in criterion)}; t={st.t}")
        if s.tol is None:
            continue
        for c, value, value_at_zero in zip(columns, criterion, zero):
            if not c.active:
                continue
            improved = value >= c.best + s.tol if maximize else value <= c.best - s.tol
            c.bad_epochs = 0 if improved else c.bad_epochs + 1
            c.best = max(c.best, value) if maximize else min(c.best, value)
            if c.bad_epochs >= s.n_iter_no_change:
                if s.learning_rate == "adaptive" and s.eta0 * c.eta_factor > 1e-6:
                    c.eta_factor, c.bad_epochs = c.eta_factor / 5, 0
                elif not maximize and not scale_free and (value > 10 * c.best + s.tol
                                                          or c.best > 10 * value_at_zero + s.tol):
                    _diverged(s, epoch)  # not a plateau: it climbed tenfold from its best, or from where it began
                else:
                    c.active = False
        if not any(c.active for c in columns):
            if s.verbose:
                print(f"Converged after {epoch} epochs.")
            break
    # A run that ends (at max_iter, say) tenfold above the objective of all-zero weights did not fit: it diverged.
    if not maximize and s.tol is not None and any(c.best > 10 * z + s.tol for c, z in zip(columns, zero)):
        _diverged(s, epoch)
    # Finite weights may still give infinite decision values on large X; untracked runs (tol=None) see no
    # objective, so the margins are read once, at the end.
    with float_errors_ignored():
        margins = to_numpy(xp.sum(X @ st.W + st.b, axis=0)).tolist()  # (k,)
    if not all(math.isfinite(v) for v in margins):
        _diverged(s, epoch)
    return epoch


def _epoch(xp, backend: Backend, s: SGDSettings, st: SGDState, X, Y, weights, columns, rng, track: bool):
    """One pass over the samples, in batches (`_sgd_steps.run_epoch`); returns the summed objective (k,) if `track`."""
    dtype, device = X.dtype, X.device
    factors = [c.eta_factor * c.active for c in columns]
    # The columns' learning rates differ only once one has stopped or (adaptive) slowed down.
    rate = factors[0] if len(set(factors)) == 1 else xp.asarray(factors, dtype=dtype, device=device)  # (k,)
    active = xp.asarray([float(c.active) for c in columns], dtype=dtype, device=device)  # (k,)
    return run_epoch(backend, s, st, X, Y, weights, rate, active, rng, track)


def _diverged(s: SGDSettings, epoch: int):
    """Raise the error for a run whose weights overflowed or whose objective kept growing."""
    if s.learning_rate == "optimal":
        rate = f"learning_rate='optimal' (eta = 1 / (alpha * t) with alpha={s.alpha})"
        advice = "Use a larger alpha, or learning_rate='constant' with a small eta0"
    elif s.penalized and s.l1_ratio < 1 and s.alpha * s.eta0 > 1:  # the L2 shrink w ← (1 - η α) w flips and grows
        rate = f"alpha={s.alpha} and eta0={s.eta0}: each step multiplies the weights by 1 - eta0 * alpha < 0"
        advice = "Use a smaller alpha (or eta0) so that eta0 * alpha < 1"
    else:
        rate = f"learning_rate={s.learning_rate!r} and eta0={s.eta0}"
        advice = "Use a smaller learning rate (eta0)"
    raise ValueError(
        f"SGD diverged: the loss grew until epoch {epoch} (to infinity or NaN, or tenfold above its best or above "
        f"that of all-zero weights), "
        f"with {rate}. "
        f"{advice}, or scale the features (StandardScaler)."
    )
