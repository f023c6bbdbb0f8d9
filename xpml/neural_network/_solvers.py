"""Training a multi-layer perceptron: mini-batch epochs (Adam or SGD), or full-batch L-BFGS.

The stochastic solvers run epochs. Each epoch shuffles the training samples (a permutation drawn on
the host, so a seed gives the same order on every backend), cuts them into batches, and for each
batch computes the loss and its gradient by backpropagation and takes one step of the shared
optimizer (`xpml.optim.Adam` or `SGD`). Both work on θ, every weight and bias in one flat vector
(`pack` / `unpack`), and the loss-and-gradient function is compiled where that pays (jax).
The epoch's loss is the mean of the batch losses, weighted by batch size; it is the one number read
back to the host per epoch, for these checks:

- a loss that diverges stops the fit with a ValueError that names learning_rate_init (`check_divergence`);
- without early stopping, an epoch "improves" when its loss falls below the best so far minus `tol`;
  with early stopping, when the score on a held-out validation set rises above the best plus `tol`;
- after more than `n_iter_no_change` epochs without improvement, the fit stops, except that SGD with
  `learning_rate="adaptive"` first divides its learning rate by 5, until it is below 1e-6;
- SGD with `learning_rate="invscaling"` sets its rate to learning_rate_init / (t + 1)^power_t after
  each epoch, t being the number of samples seen.

L-BFGS minimizes the loss over the whole training set with `xpml.optim.lbfgs`, on the same θ.

`MLPSolver` is the solver as an object: the model holds one (`_solver`) and the solver owns its state,
the optimizer's moments or velocities, the samples seen, the loss curve, the best loss or validation
score and the best network, so that `partial_fit` and `warm_start` continue it and a model file keeps
it. It reads the model's parameters at each run and gives back θ; the model sets its attributes.

Divergence. The scale of the loss is where it starts: L₀, the loss of the first batch at the starting
θ (free: it is the first step's loss). A fresh network predicts nearly a constant, so L₀ is about the
loss of a trivial model, which a useful fit only lowers. A fit has diverged when an epoch's loss is NaN
or infinite, or exceeds DIVERGENCE_FACTOR · (1 + L₀) = 10⁶ · (1 + L₀) (the "1 +" keeps a start near 0
from making small absolute losses count as divergence). A workable step may overshoot L₀ in the first
epochs, but not a millionfold, while a step far too large crosses the bound within an epoch or two
(Adam at learning_rate_init=1e6 on a classifier: 10⁸ · L₀ after one epoch), long before the loss
overflows (SGD there reaches 1e120 after 200 epochs, with predictions already meaningless). The check
runs on each epoch's loss, before the validation score of early stopping.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from ..exceptions import ConvergenceWarning
from ..optim import SGD, Adam, lbfgs
from ..utils._compile import compiled
from ..utils._csr import is_csr, take_rows
from ..utils._errstate import float_errors_ignored
from ..utils._holdout import holdout_split
from ..utils._random import draw
from ..utils._warnings import warn
from ._backprop import flat_loss_and_gradient, pack, unpack

__all__ = ["DIVERGENCE_FACTOR", "MLPSolver", "check_divergence"]

class _OutOfEvaluations(Exception):
    """Raised by the L-BFGS objective once it has been evaluated `max_fun` times."""


@dataclass
class _Stopped:
    """The L-BFGS result when `max_fun` stopped it (the fields of `xpml.optim` results that are read here)."""

    x: Any
    fun: Any
    n_iter: int
    converged: bool
    message: str


DIVERGENCE_FACTOR = 1e6  # a loss above DIVERGENCE_FACTOR * (1 + the starting loss) has diverged

_SETTINGS = ("solver", "learning_rate", "learning_rate_init", "power_t", "momentum", "nesterovs_momentum", "beta_1",
             "beta_2", "epsilon", "tol", "n_iter_no_change", "max_iter", "shuffle", "batch_size", "early_stopping",
             "validation_fraction", "verbose", "alpha", "max_fun")


def check_divergence(loss: float, start_loss: float | None, settings: dict, where: str) -> None:
    """Raise ValueError when `loss` is NaN, infinite, or above DIVERGENCE_FACTOR · (1 + start_loss)."""
    limit = math.inf if start_loss is None else DIVERGENCE_FACTOR * (1.0 + start_loss)
    if math.isfinite(loss) and loss <= limit:
        return
    solver = settings["solver"]
    what = f"became {loss}" if not math.isfinite(loss) else f"grew to {loss:.3g}, from {start_loss:.3g} at the start,"
    hint = f"a smaller learning_rate_init (it is {settings['learning_rate_init']}), " if solver != "lbfgs" else ""
    raise ValueError(f"The training loss {what} {where}: the {solver} optimization diverged. "
                     f"Try {hint}standardized features, or a larger alpha (it is {settings['alpha']}).")


def _batch_size(requested, n_samples: int) -> int:
    if requested == "auto":
        return min(200, n_samples)
    if requested > n_samples:
        warn(f"batch_size={requested} is larger than n_samples={n_samples}; using {n_samples}.", UserWarning)
    return min(requested, n_samples)


_SMALL_DENSE = 2**16  # entries of a sparse batch made dense for the network's first layer


def loss_and_gradient_of(model):
    """θ, X, Y, sample_weight -> (J, ∂J/∂θ) for this model's network and loss, compiled for its backend where that
    pays (sample_weight: an array of shape (n_samples,), or None for equal weights)."""
    fun = compiled(flat_loss_and_gradient, model._backend,
                   static_argnames=("xp", "layer_units", "activation", "out_activation", "loss", "alpha"))
    options = dict(layer_units=tuple(model._layer_units), activation=model.activation,
                   out_activation=model.out_activation_, loss=model._loss, alpha=float(model.alpha))
    def loss_and_gradient(theta, X, Y, sample_weight=None):
        # A sparse X (a CSR, the first layer's input) is no array a compiled function takes: it runs as it is,
        # unless its dense form is small (a mini-batch of few features), where a dense product is faster.
        if is_csr(X) and X.shape[0] * X.shape[1] <= _SMALL_DENSE:
            X = X.toarray()
        return (flat_loss_and_gradient if is_csr(X) else fun)(model._xp, theta, X, Y, sample_weight, **options)

    return loss_and_gradient


class MLPSolver:
    """Adam, SGD or L-BFGS for a multi-layer perceptron, with the state it keeps between calls.

    Parameters
    ----------
    validating : bool
        Early stopping on a held-out set (the stochastic solvers): track validation scores, not the best loss.

    Attributes
    ----------
    settings : dict
        The model's training parameters, read again at each `run` (`warm_start` may have changed them).
    optimizer : xpml.optim.Adam, SGD or None
        The per-step optimizer and its moments (velocities), kept by `partial_fit`.
    t : int
        Training samples seen by the stochastic solvers.
    loss, n_iter, loss_curve, best_loss, validation_scores, best_validation_score
        As the model's attributes of the same names with a trailing underscore.
    no_improvement_count : int
        Epochs in a row without improvement by tol.
    best_params : (coefs, intercepts) or None
        The network of the best validation score.
    start_loss : float or None
        The loss at the start of the first run, the scale of `check_divergence`.
    """

    def __init__(self, validating: bool):
        self.settings, self.optimizer, self.t, self.loss, self.n_iter = {}, None, 0, None, 0
        self.loss_curve, self.no_improvement_count, self.start_loss, self.best_params = [], 0, None, None
        self.best_loss = None if validating else math.inf
        self.validation_scores = [] if validating else None
        self.best_validation_score = -math.inf if validating else None

    def run(self, model, X, Y, rng, *, incremental: bool, stratify=None, sample_weight=None):
        """Train from the model's network; returns the new (coefs, intercepts). `model` is read, not written:
        its parameters, backend, network shape and `_validation_score(X, Y, params, sample_weight)`.
        `sample_weight` (n_samples,) on the backend, or None, weighs each sample's loss term."""
        self.settings = {name: getattr(model, name) for name in _SETTINGS}
        params = (model.coefs_, model.intercepts_)
        if self.best_params is None:
            self.best_params = params  # early stopping returns the start if no epoch scores better
        if self.settings["solver"] == "lbfgs":
            return self._run_lbfgs(model, X, Y, params, sample_weight)
        with float_errors_ignored():  # an overflowing loss stops the fit with an error that says what to change
            return self._run_stochastic(model, X, Y, params, rng, incremental=incremental, stratify=stratify,
                                        sample_weight=sample_weight)

    def _make_optimizer(self, theta):
        s = self.settings
        if s["solver"] == "adam":
            return Adam([theta], learning_rate=s["learning_rate_init"], beta_1=s["beta_1"], beta_2=s["beta_2"],
                        epsilon=s["epsilon"])
        return SGD([theta], learning_rate=s["learning_rate_init"], momentum=s["momentum"],
                   nesterov=s["nesterovs_momentum"])

    def _run_stochastic(self, model, X, Y, params, rng, *, incremental: bool, stratify=None, sample_weight=None):
        """Mini-batch epochs, up to `max_iter` (one for `partial_fit`, which keeps the optimizer's state).

        X (n_samples, n_features) and Y (n_samples, n_outputs) are on the model's backend; `rng` draws the
        validation split and each epoch's order on the host; `stratify` (host class indices, optional)
        keeps the class proportions in the validation split; `sample_weight` (n_samples,), optional, weighs
        each sample's loss term and validation score.
        """
        s, xp, backend = self.settings, model._xp, model._backend
        theta = pack(xp, *params)  # (n_params,)
        if not incremental or self.optimizer is None:
            self.optimizer = self._make_optimizer(theta)
        X_val = Y_val = w_val = None
        w = sample_weight
        if s["early_stopping"]:
            train, val = holdout_split(X.shape[0], s["validation_fraction"], rng, stratify)
            if len(val) < 2:
                raise ValueError(f"validation_fraction={s['validation_fraction']} of n_samples={X.shape[0]} gives a "
                                 f"validation set of {len(val)}; early stopping needs at least 2 samples to score.")
            train, val = model._to_backend(train), model._to_backend(val)
            X_val, Y_val = take_rows(X, val, xp=xp), xp.take(Y, val, axis=0)
            X, Y = take_rows(X, train, xp=xp), xp.take(Y, train, axis=0)
            if w is not None:
                w_val, w = xp.take(w, val, axis=0), xp.take(w, train, axis=0)
        n = X.shape[0]
        batch = _batch_size(s["batch_size"], n)
        loss_and_gradient = loss_and_gradient_of(model)
        start_time = time.perf_counter()
        self.n_iter = 0
        for _ in range(1 if incremental else s["max_iter"]):
            X_epoch, Y_epoch, w_epoch = X, Y, w
            if s["shuffle"]:
                order = draw(rng, backend, "permutation", n)  # (n,)
                X_epoch, Y_epoch = take_rows(X, order, xp=xp), xp.take(Y, order, axis=0)
                w_epoch = None if w is None else xp.take(w, order, axis=0)
            total = 0.0
            for start in range(0, n, batch):
                stop = min(start + batch, n)
                X_batch = X_epoch.row_block(start, stop) if is_csr(X_epoch) else X_epoch[start:stop, ...]  # (b, p)
                Y_batch = Y_epoch[start:stop, ...]  # (b, k)
                w_batch = None if w_epoch is None else w_epoch[start:stop]  # (b,)
                J, grad = loss_and_gradient(theta, X_batch, Y_batch, w_batch)  # forward and backward pass
                if self.start_loss is None:
                    self.start_loss = float(J)  # once per model: the scale of check_divergence
                (theta,) = self.optimizer.step([theta], [grad])
                total = total + J * X_batch.shape[0]
            params = unpack(xp, theta, model._layer_units)
            self.loss = float(total) / n  # the one read-back of the epoch
            self.n_iter += 1
            self.t += n
            check_divergence(self.loss, self.start_loss, s, f"at epoch {self.n_iter}")
            self.loss_curve.append(self.loss)
            if s["verbose"]:
                print(f"Epoch {self.n_iter:>4}, loss = {self.loss:.8f}, elapsed {time.perf_counter() - start_time:.2f} s")
            self._record_progress(model, params, X_val, Y_val, w_val)
            if s["solver"] == "sgd" and s["learning_rate"] == "invscaling":
                self.optimizer.learning_rate = s["learning_rate_init"] / (self.t + 1) ** s["power_t"]
            if self._should_stop() or incremental:
                break
        else:
            warn(f"{type(model).__name__}: max_iter={s['max_iter']} epochs reached and the {s['solver']} optimization "
                 f"has not converged yet (tol={s['tol']}, n_iter_no_change={s['n_iter_no_change']}).",
                 ConvergenceWarning)
        return self.best_params if s["early_stopping"] else params

    def _record_progress(self, model, params, X_val, Y_val, w_val=None) -> None:
        """After an epoch: count epochs without improvement, and keep the best network seen."""
        tol = self.settings["tol"]
        if X_val is None:
            self.no_improvement_count = self.no_improvement_count + 1 if self.loss > self.best_loss - tol else 0
            self.best_loss = min(self.best_loss, self.loss)
            return
        score = model._validation_score(X_val, Y_val, params, w_val)
        self.validation_scores.append(score)
        if self.settings["verbose"]:
            print(f"         validation score = {score:.6f}")
        self.no_improvement_count = self.no_improvement_count + 1 if score < self.best_validation_score + tol else 0
        if score > self.best_validation_score:
            self.best_validation_score = score
            self.best_params = params  # arrays are never written in place

    def _should_stop(self) -> bool:
        """Too many epochs without improvement: stop, or (SGD, adaptive) divide the learning rate by 5."""
        s = self.settings
        if self.no_improvement_count <= s["n_iter_no_change"]:
            return False
        if s["solver"] == "sgd" and s["learning_rate"] == "adaptive" and self.optimizer.learning_rate > 1e-6:
            self.optimizer.learning_rate /= 5
            self.no_improvement_count = 0
            if s["verbose"]:
                print(f"         learning rate divided by 5: now {self.optimizer.learning_rate:g}")
            return False
        if s["verbose"]:
            what = "Validation score" if s["early_stopping"] else "Training loss"
            print(f"{what} did not improve by more than tol={s['tol']} for {s['n_iter_no_change']} "
                  f"consecutive epochs. Stopping.")
        return True

    def _run_lbfgs(self, model, X, Y, params, sample_weight=None):
        """L-BFGS on the full-batch loss, from the model's network."""
        xp, s = model._xp, self.settings
        loss_and_gradient = loss_and_gradient_of(model)
        last = {"calls": 0}  # the latest point evaluated and its loss, to record each iterate's loss without recomputing it
        accepted = {"theta": pack(xp, *params), "J": None}  # the latest iterate, kept if max_fun stops the search

        def fun(theta):
            if last["calls"] >= s["max_fun"]:
                raise _OutOfEvaluations
            last["calls"] += 1
            last["theta"], (last["J"], grad) = theta, loss_and_gradient(theta, X, Y, sample_weight)
            return last["J"], grad

        def record(theta):
            J = last["J"] if theta is last["theta"] else loss_and_gradient(theta, X, Y, sample_weight)[0]
            accepted.update(theta=theta, J=J)
            self.loss_curve.append(float(J))

        start_time = time.perf_counter()
        try:
            with float_errors_ignored():  # the line search treats an overflowing step as too long
                result = lbfgs(fun, accepted["theta"], max_iter=s["max_iter"], tol=s["tol"], callback=record,
                               verbose=int(s["verbose"]))
        except _OutOfEvaluations:  # max_fun loss evaluations: stop at the last iterate, as scipy's L-BFGS-B does
            J = accepted["J"] if accepted["J"] is not None else loss_and_gradient(accepted["theta"], X, Y, sample_weight)[0]
            result = _Stopped(x=accepted["theta"], fun=J, n_iter=len(self.loss_curve), converged=False,
                              message=f"max_fun={s['max_fun']} loss evaluations reached")
        self.loss, self.n_iter = float(result.fun), int(result.n_iter)
        check_divergence(self.loss, None, s, f"after {self.n_iter} L-BFGS iterations")
        self.best_loss = min(self.best_loss, self.loss, *self.loss_curve)
        if s["verbose"]:
            print(f"L-BFGS: {self.n_iter} iterations, loss = {self.loss:.8f}, "
                  f"elapsed {time.perf_counter() - start_time:.2f} s")
        if not result.converged:
            warn(f"{type(model).__name__}: lbfgs stopped after {self.n_iter} iterations (max_iter={s['max_iter']}) "
                 f"without meeting tol={s['tol']}: {result.message}.", ConvergenceWarning)
        return unpack(xp, result.x, model._layer_units)

    def fitted_attributes(self) -> dict:
        """The model's fitted attributes that report on training, from this solver's state. As in scikit-learn,
        L-BFGS sets no loss curve, best loss or validation scores: those report on the epochs of Adam and SGD."""
        found = {"loss_": self.loss, "n_iter_": self.n_iter, "t_": self.t}
        if self.settings["solver"] == "lbfgs":
            return found
        return {**found, "loss_curve_": list(self.loss_curve),
                "best_loss_": self.best_loss, "validation_scores_": None if self.validation_scores is None
                else list(self.validation_scores), "best_validation_score_": self.best_validation_score}
