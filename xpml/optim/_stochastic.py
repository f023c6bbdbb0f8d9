"""Per-step optimizers for minibatch training: SGD with momentum, and Adam.

Each is a small object that holds its state (velocities, moment estimates) for a list of parameter
arrays. `step(params, grads)` returns the new parameters as new arrays (nothing is written in
place, so it works on every array library, JAX included). `learning_rate` is a plain attribute:
the caller may change it between steps to follow a schedule. Each parameter's update is one pure
function, compiled where the backend compiles (jax: one call a step, not a dozen dispatched operations).

SGD with momentum μ and learning rate η keeps a velocity v per parameter:

    v <- μ v - η g
    θ <- θ + v                  (classical momentum)
    θ <- θ + μ v - η g          (Nesterov's momentum, in the form of Sutskever et al. 2013)

Adam (Kingma & Ba 2015) keeps running means of the gradient and of its square:

    m <- β1 m + (1 - β1) g,     v <- β2 v + (1 - β2) g²
    θ <- θ - η_t m / (√v + ε),  η_t = η √(1 - β2^t) / (1 - β1^t)   (bias correction at step t)

References: I. Sutskever, J. Martens, G. Dahl and G. Hinton, "On the importance of initialization
and momentum in deep learning", ICML 2013; D. P. Kingma and J. Ba, "Adam: A method for stochastic
optimization", ICLR 2015.
"""

from __future__ import annotations

import math

from .._backend import backend_of, namespace_of
from ..utils._compile import compiled_once

__all__ = ["SGD", "Adam"]


def _zeros_like(params: list) -> list:
    xp = namespace_of(*params)
    return [xp.zeros_like(p) for p in params]


class SGD:
    """Stochastic gradient descent with (Nesterov) momentum.

    Parameters
    ----------
    params : list of arrays
        The parameters to be trained (their shapes, dtypes and devices set those of the state).
    learning_rate : float
        The step size η; may be changed between steps.
    momentum : float
        μ in [0, 1); 0 gives plain gradient descent.
    nesterov : bool
        Use Nesterov's momentum.

    Examples
    --------
    >>> import numpy as np
    >>> opt = SGD([np.zeros(2)], learning_rate=0.1, momentum=0.0)
    >>> opt.step([np.zeros(2)], [np.array([1.0, -2.0])])[0]
    array([-0.1,  0.2])
    """

    def __init__(self, params: list, learning_rate: float = 0.1, momentum: float = 0.9, nesterov: bool = True):
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.nesterov = nesterov
        self.velocities = _zeros_like(params)

    def step(self, params: list, grads: list) -> list:
        """The parameters after one step along `grads`; returns a new list of new arrays."""
        update = compiled_once(sgd_update, backend_of(params[0]), ("xp", "nesterov"))
        xp = namespace_of(*params)
        stepped = [update(xp, p, v, g, self.momentum, self.learning_rate, nesterov=self.nesterov)
                   for p, v, g in zip(params, self.velocities, grads)]
        self.velocities = [v for _, v in stepped]
        return [p for p, _ in stepped]


def sgd_update(xp, p, v, g, mu, lr, nesterov: bool):
    """One parameter's SGD step: (new p, new velocity)."""
    v = mu * v - lr * g
    return (p + mu * v - lr * g if nesterov else p + v), v


class Adam:
    """Adam: steps scaled by running estimates of the gradient's first and second moments.

    Parameters
    ----------
    params : list of arrays
        The parameters to be trained.
    learning_rate : float
        The step size η (before bias correction); may be changed between steps.
    beta_1, beta_2 : float
        Decay rates of the first- and second-moment estimates, in [0, 1).
    epsilon : float
        Added to √v for numerical stability.

    Attributes
    ----------
    t : int
        Steps taken so far.
    ms, vs : lists of arrays
        The first- and second-moment estimates.
    """

    def __init__(self, params: list, learning_rate: float = 1e-3, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-8):
        self.learning_rate = learning_rate
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.t = 0
        self.ms = _zeros_like(params)
        self.vs = _zeros_like(params)

    def step(self, params: list, grads: list) -> list:
        """The parameters after one Adam step along `grads`; returns a new list of new arrays."""
        b1, b2 = self.beta_1, self.beta_2
        self.t += 1
        lr_t = self.learning_rate * math.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        update = compiled_once(adam_update, backend_of(params[0]), ("xp",))
        xp = namespace_of(*params)
        stepped = [update(xp, p, m, v, g, lr_t, b1, b2, self.epsilon)
                   for p, m, v, g in zip(params, self.ms, self.vs, grads)]
        self.ms, self.vs = [m for _, m, _ in stepped], [v for _, _, v in stepped]
        return [p for p, _, _ in stepped]


def adam_update(xp, p, m, v, g, lr_t, b1, b2, epsilon):
    """One parameter's Adam step with the bias-corrected rate lr_t: (new p, new m, new v)."""
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * (g * g)
    return p - lr_t * m / (xp.sqrt(v) + epsilon), m, v
