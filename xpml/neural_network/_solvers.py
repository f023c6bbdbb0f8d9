"""Training a multi-layer perceptron: mini-batch epochs (Adam or SGD), or full-batch L-BFGS.

The stochastic solvers run epochs. Each epoch shuffles the training samples (a permutation drawn on
the host, so a seed gives the same order on every backend), cuts them into batches, and for each
batch computes the loss and its gradient by backpropagation and takes one step of the shared
optimizer (`xpml.optim.Adam` or `SGD`). Both work on θ, every weight and bias in one flat vector
(`pack` / `unpack`), and the loss-and-gradient function is compiled where that pays (jax).
The epoch's loss is the mean of the batch losses, weighted by batch size; it is the one number read
back to the host per epoch, for these checks:

- a loss that is NaN or infinite stops the fit with a ValueError (the learning rate is too large);
- without early stopping, an epoch "improves" when its loss falls below the best so far minus `tol`;
  with early stopping, when the score on a held-out validation set rises above the best plus `tol`;
- after more than `n_iter_no_change` epochs without improvement, the fit stops, except that SGD with
  `learning_rate="adaptive"` first divides its learning rate by 5, until it is below 1e-6;
- SGD with `learning_rate="invscaling"` sets its rate to learning_rate_init / (t + 1)^power_t after
  each epoch, t being the number of samples seen.

L-BFGS minimizes the loss over the whole training set with `xpml.optim.lbfgs`, on the same θ.

Reference: Kingma & Ba, "Adam: a method for stochastic optimization", ICLR (2015); Prechelt,
"Early stopping - but when?", in Neural Networks: Tricks of the Trade (1998).
"""

from __future__ import annotations

import math
import time

from ..exceptions import ConvergenceWarning
from ..optim import SGD, Adam, lbfgs
from ..utils._compile import compiled
from ..utils._errstate import float_errors_ignored
from ..utils._holdout import holdout_split
from ..utils._random import draw
from ..utils._warnings import warn
from ._backprop import flat_loss_and_gradient, pack, unpack

__all__ = ["fit_lbfgs", "fit_stochastic"]


def _batch_size(requested, n_samples: int) -> int:
    if requested == "auto":
        return min(200, n_samples)
    if requested > n_samples:
        warn(f"batch_size={requested} is larger than n_samples={n_samples}; using {n_samples}.",
             UserWarning)
    return min(requested, n_samples)


def _make_optimizer(model, params):
    if model.solver == "adam":
        return Adam(params, learning_rate=model.learning_rate_init, beta_1=model.beta_1, beta_2=model.beta_2,
                    epsilon=model.epsilon)
    return SGD(params, learning_rate=model.learning_rate_init, momentum=model.momentum,
               nesterov=model.nesterovs_momentum)


def _loss_and_gradient(model):
    """θ, X, Y -> (J, ∂J/∂θ) for this model's network and loss, compiled for its backend where that pays."""
    fun = compiled(flat_loss_and_gradient, model._backend,
                   static_argnames=("xp", "layer_units", "activation", "out_activation", "loss", "alpha"))
    options = dict(layer_units=tuple(model._layer_units), activation=model.activation,
                   out_activation=model.out_activation_, loss=model._loss, alpha=float(model.alpha))
    return lambda theta, X, Y: fun(model._xp, theta, X, Y, **options)


def _check_finite(model, loss: float, where: str) -> None:
    if not math.isfinite(loss):
        hint = f"a smaller learning_rate_init (it is {model.learning_rate_init}), " if model.solver != "lbfgs" else ""
        raise ValueError(
            f"The training loss became {loss} {where}: the {model.solver} optimization diverged. "
            f"Try {hint}standardized features, or a larger alpha (it is {model.alpha})."
        )


def _record_progress(model, X_val, Y_val) -> None:
    """After an epoch: count epochs without improvement, and keep the best network seen."""
    if X_val is not None:
        score = model._validation_score(X_val, Y_val)
        model.validation_scores_.append(score)
        if model.verbose:
            print(f"         validation score = {score:.6f}")
        model._no_improvement_count = (
            model._no_improvement_count + 1 if score < model.best_validation_score_ + model.tol else 0)
        if score > model.best_validation_score_:
            model.best_validation_score_ = score
            model._best_params = (model.coefs_, model.intercepts_)  # arrays are never written in place
    else:
        loss = model.loss_curve_[-1]
        model._no_improvement_count = model._no_improvement_count + 1 if loss > model.best_loss_ - model.tol else 0
        model.best_loss_ = min(model.best_loss_, loss)


def _should_stop(model) -> bool:
    """Too many epochs without improvement: stop, or (SGD, adaptive) divide the learning rate by 5."""
    if model._no_improvement_count <= model.n_iter_no_change:
        return False
    optimizer = model._optimizer
    if model.solver == "sgd" and model.learning_rate == "adaptive" and optimizer.learning_rate > 1e-6:
        optimizer.learning_rate /= 5
        model._no_improvement_count = 0
        if model.verbose:
            print(f"         learning rate divided by 5: now {optimizer.learning_rate:g}")
        return False
    if model.verbose:
        what = "Validation score" if model.early_stopping else "Training loss"
        print(f"{what} did not improve by more than tol={model.tol} for {model.n_iter_no_change} "
              f"consecutive epochs. Stopping.")
    return True


def fit_stochastic(model, X, Y, rng, *, incremental: bool, stratify=None) -> None:
    """Train with mini-batches (see `_fit_stochastic`); numpy's overflow notices are silenced, since a
    loss that becomes NaN or infinite stops the fit with an error that says what to change."""
    with float_errors_ignored():
        _fit_stochastic(model, X, Y, rng, incremental=incremental, stratify=stratify)


def _fit_stochastic(model, X, Y, rng, *, incremental: bool, stratify=None) -> None:
    """Train `model.coefs_` and `model.intercepts_` with mini-batches, for up to `max_iter` epochs.

    Parameters
    ----------
    X : array of shape (n_samples, n_features), on the model's backend
    Y : array of shape (n_samples, n_outputs), on the model's backend
    rng : numpy.random.Generator
        Draws the validation split and each epoch's order, on the host.
    incremental : bool
        One epoch, keeping the optimizer's state (`partial_fit`).
    stratify : host array of shape (n_samples,), optional
        Class indices, to keep class proportions in the validation split.
    """
    xp, backend = model._xp, model._backend
    theta = pack(xp, model.coefs_, model.intercepts_)  # (n_params,)
    if not incremental or not hasattr(model, "_optimizer"):
        model._optimizer = _make_optimizer(model, [theta])
    X_val = Y_val = None
    if model.early_stopping:
        train, val = holdout_split(X.shape[0], model.validation_fraction, rng, stratify)
        if len(val) < 2:
            raise ValueError(f"validation_fraction={model.validation_fraction} of n_samples={X.shape[0]} gives a "
                             f"validation set of {len(val)}; early stopping needs at least 2 samples to score.")
        train, val = model._to_backend(train), model._to_backend(val)
        X_val, Y_val = xp.take(X, val, axis=0), xp.take(Y, val, axis=0)
        X, Y = xp.take(X, train, axis=0), xp.take(Y, train, axis=0)
    n = X.shape[0]
    batch = _batch_size(model.batch_size, n)
    loss_and_gradient = _loss_and_gradient(model)
    start_time = time.perf_counter()
    model.n_iter_ = 0
    for _ in range(1 if incremental else model.max_iter):
        X_epoch, Y_epoch = X, Y
        if model.shuffle:
            order = draw(rng, backend, "permutation", n)  # (n,)
            X_epoch, Y_epoch = xp.take(X, order, axis=0), xp.take(Y, order, axis=0)
        total = 0.0
        for start in range(0, n, batch):
            stop = min(start + batch, n)
            X_batch, Y_batch = X_epoch[start:stop, ...], Y_epoch[start:stop, ...]  # (b, p), (b, k)
            J, grad = loss_and_gradient(theta, X_batch, Y_batch)  # forward and backward pass
            (theta,) = model._optimizer.step([theta], [grad])
            total = total + J * X_batch.shape[0]
        model.coefs_, model.intercepts_ = unpack(xp, theta, model._layer_units)
        model.loss_ = float(total) / n  # the one read-back of the epoch
        model.n_iter_ += 1
        model.t_ += n
        _check_finite(model, model.loss_, f"at epoch {model.n_iter_}")
        model.loss_curve_.append(model.loss_)
        if model.verbose:
            print(f"Epoch {model.n_iter_:>4}, loss = {model.loss_:.8f}, "
                  f"elapsed {time.perf_counter() - start_time:.2f} s")
        _record_progress(model, X_val, Y_val)
        if model.solver == "sgd" and model.learning_rate == "invscaling":
            model._optimizer.learning_rate = model.learning_rate_init / (model.t_ + 1) ** model.power_t
        if _should_stop(model) or incremental:
            break
    else:
        warn(
            f"{type(model).__name__}: max_iter={model.max_iter} epochs reached and the {model.solver} "
            f"optimization has not converged yet (tol={model.tol}, n_iter_no_change={model.n_iter_no_change}).",
            ConvergenceWarning,
        )
    if model.early_stopping:
        model.coefs_, model.intercepts_ = model._best_params


def fit_lbfgs(model, X, Y) -> None:
    """Train `model.coefs_` and `model.intercepts_` by L-BFGS on the full-batch loss."""
    xp = model._xp
    loss_and_gradient = _loss_and_gradient(model)
    last = {}  # the latest point evaluated and its loss, to record each iterate's loss without recomputing it

    def fun(theta):
        last["theta"], (last["J"], grad) = theta, loss_and_gradient(theta, X, Y)
        return last["J"], grad

    def record(theta):
        J = last["J"] if theta is last["theta"] else fun(theta)[0]
        model.loss_curve_.append(float(J))

    start_time = time.perf_counter()
    with float_errors_ignored():  # the line search treats an overflowing step as too long
        result = lbfgs(fun, pack(xp, model.coefs_, model.intercepts_), max_iter=model.max_iter, tol=model.tol,
                       callback=record, verbose=int(model.verbose))
    model.loss_ = float(result.fun)
    model.n_iter_ = int(result.n_iter)
    _check_finite(model, model.loss_, f"after {model.n_iter_} L-BFGS iterations")
    model.best_loss_ = min(model.best_loss_, model.loss_, *model.loss_curve_)
    model.coefs_, model.intercepts_ = unpack(xp, result.x, model._layer_units)
    if model.verbose:
        print(f"L-BFGS: {model.n_iter_} iterations, loss = {model.loss_:.8f}, "
              f"elapsed {time.perf_counter() - start_time:.2f} s")
    if not result.converged:
        warn(
            f"{type(model).__name__}: lbfgs stopped after {model.n_iter_} iterations (max_iter={model.max_iter}) "
            f"without meeting tol={model.tol}: {result.message}.",
            ConvergenceWarning,
        )
