"""Deep Q-network (DQN): Q-learning with a neural network in place of the table, for states that are vectors.

A table cannot hold Q(s, a) for a cart-pole, whose state (x, ẋ, θ, θ̇) is a real vector. DQN (Mnih et
al., 2015) makes Q(s, ·) the output of a network with parameters θ, an xpml multi-layer perceptron
(`xpml.neural_network`: one output per action, ReLU hidden layers), and fits it to Q-learning's
targets by gradient descent, with two devices that keep it stable:

- experience replay: each step's transition goes into a buffer (`ReplayBuffer`, on the device), and
  the network learns from mini-batches drawn uniformly from it, not from the latest, correlated steps;
- a target network θ⁻, a copy of θ refreshed every `target_update_interval` steps, gives the targets,
  which then do not move with every step of θ:

    yᵢ = rᵢ + γ (1 - terminatedᵢ) max_a' Q(s'ᵢ, a'; θ⁻)                                     (b,)

The loss is the Huber loss of the error dᵢ = Q(sᵢ, aᵢ; θ) - yᵢ, averaged over the mini-batch: d²/2
for |d| <= 1 and |d| - 1/2 beyond, so that a large error gives a gradient of at most 1 (Mnih et al.
clip the error to [-1, 1] for this reason). Only the output of the action taken has an error, so

    δ_L = ∂J/∂z_L = onehot(aᵢ) · clip(dᵢ, -1, 1) / b                                       (b, n_actions)

and the chain rule from there is the MLP's own backward pass (`backpropagate`); the step is the shared
Adam optimizer's (`xpml.optim.Adam`) on θ, every weight and bias in one vector. A training step is one
compiled function where compiling pays (jax).

The agent explores ε-greedily (`xpml.rl._base`); every random draw (exploration, the environment's
seed, the network's initial weights, the mini-batches) is made on the host, so a seed gives the same
run on every backend, to rounding.

Reference: V. Mnih et al., "Human-level control through deep reinforcement learning", Nature 518 (2015).
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

from .._backend import device_of, float_dtype_for, resolve_backend
from ..neural_network._backprop import (
    ACTIVATIONS,
    backpropagate,
    forward,
    glorot_uniform,
    pack,
    unpack,
)
from ..optim import Adam
from ..utils._compile import compiled
from ..utils._errstate import float_errors_ignored
from ..utils._param_validation import Interval, Options
from ..utils._random import check_random_state
from ._base import EXPLORATION_CONSTRAINTS, Agent, check_env, epsilon_at
from ._replay import ReplayBuffer

__all__ = ["DQN", "huber_td_loss_and_gradient"]


def huber_td_loss_and_gradient(xp, theta, target_theta, observations, actions, rewards, next_observations, terminated,
                               *, layer_units: tuple, activation: str, gamma: float):
    """The mini-batch's Huber loss J (0-d) of the temporal-difference errors, and ∂J/∂θ (flat, like θ)."""
    coefs, intercepts = unpack(xp, theta, layer_units)
    target_coefs, target_intercepts = unpack(xp, target_theta, layer_units)
    q_next = forward(xp, target_coefs, target_intercepts, next_observations, activation, "identity")[-1]  # (b, k)
    y = rewards + gamma * (1 - terminated) * xp.max(q_next, axis=1)  # the targets, (b,)
    activations = forward(xp, coefs, intercepts, observations, activation, "identity")  # [a₀, ..., a_L]
    taken = xp.astype(actions[:, None] == xp.arange(layer_units[-1], device=device_of(actions))[None, :],
                      theta.dtype)  # onehot(aᵢ), (b, k)
    d = xp.sum(activations[-1] * taken, axis=1) - y  # Q(sᵢ, aᵢ; θ) - yᵢ, (b,)
    small = xp.abs(d) <= 1
    J = xp.mean(xp.where(small, 0.5 * d * d, xp.abs(d) - 0.5))
    delta = taken * (xp.clip(d, -1.0, 1.0) / d.shape[0])[:, None]  # δ_L = ∂J/∂z_L, (b, k)
    coef_grads, intercept_grads = backpropagate(xp, coefs, activations, delta, activation)
    return J, pack(xp, coef_grads, intercept_grads)


def greedy_action(xp, theta, observation, *, layer_units: tuple, activation: str):
    """argmax_a Q(s, a; θ) for one observation s of shape (n_features,): a 0-d integer array."""
    coefs, intercepts = unpack(xp, theta, layer_units)
    q = forward(xp, coefs, intercepts, xp.reshape(observation, (1, -1)), activation, "identity")[-1]  # (1, k)
    return xp.argmax(q[0, :])


class DQN(Agent):
    """A deep Q-network: Q-learning with an MLP, experience replay and a target network.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int
        The sizes of the Q-network's hidden layers.
    activation : {"relu", "tanh", "logistic", "identity"}
        The hidden layers' activation.
    learning_rate_init : float
        Adam's step size.
    total_timesteps : int
        Environment steps to learn from: the budget.
    buffer_size : int
        Transitions kept in the replay buffer.
    learning_starts : int
        Steps taken (exploring) before the first gradient step.
    batch_size : int
        Transitions per mini-batch.
    gamma : float
        The discount γ in [0, 1].
    train_freq : int
        Environment steps between two rounds of gradient steps.
    gradient_steps : int
        Gradient steps in each round.
    target_update_interval : int
        Environment steps between two copies of the network into the target network.
    epsilon_start, epsilon_end, exploration_fraction : float
        ε falls linearly from `epsilon_start` to `epsilon_end` over that fraction of `total_timesteps`.
    random_state : int, numpy.random.Generator or None
        Seeds everything random, drawn on the host: the same seed gives the same run on every backend.
    verbose : int
        Print progress at each tenth of the training.
    backend, dtype : keyword-only
        The backend of the network and the buffer, and their dtype (None: the backend's default float).

    Attributes
    ----------
    coefs_, intercepts_ : lists of arrays
        The Q-network's weights Wₗ (unitsₗ₋₁, unitsₗ) and biases bₗ (unitsₗ,), on the backend.
    n_features_in_, n_actions_ : int
    episode_returns_, episode_lengths_ : list
        The return and length of each training episode: the learning curve.
    loss_curve_ : list of float
        The Huber loss of the last mini-batch before each target update.
    n_steps_ : int
        Environment steps taken (`total_timesteps`).
    """

    _parameter_constraints = {
        "hidden_layer_sizes": ["array-like"],
        "activation": [Options(set(ACTIVATIONS))],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "total_timesteps": [Interval(Integral, 1, None, closed="left")],
        "buffer_size": [Interval(Integral, 1, None, closed="left")],
        "learning_starts": [Interval(Integral, 0, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "train_freq": [Interval(Integral, 1, None, closed="left")],
        "gradient_steps": [Interval(Integral, 0, None, closed="left")],
        "target_update_interval": [Interval(Integral, 1, None, closed="left")],
        **EXPLORATION_CONSTRAINTS,
    }

    def __init__(self, hidden_layer_sizes: tuple = (64, 64), activation: str = "relu", learning_rate_init: float = 1e-3,
                 total_timesteps: int = 50_000, buffer_size: int = 50_000, learning_starts: int = 1000,
                 batch_size: int = 64, gamma: float = 0.99, train_freq: int = 1, gradient_steps: int = 1,
                 target_update_interval: int = 500, epsilon_start: float = 1.0, epsilon_end: float = 0.02,
                 exploration_fraction: float = 0.1, random_state: Any = None, verbose: int = 0, *,
                 backend: Any = None, dtype: str | None = None):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.learning_rate_init = learning_rate_init
        self.total_timesteps = total_timesteps
        self.buffer_size = buffer_size
        self.learning_starts = learning_starts
        self.batch_size = batch_size
        self.gamma = gamma
        self.train_freq = train_freq
        self.gradient_steps = gradient_steps
        self.target_update_interval = target_update_interval
        self.epsilon_start = epsilon_start
        self.epsilon_end = epsilon_end
        self.exploration_fraction = exploration_fraction
        self.random_state = random_state
        self.verbose = verbose
        self.backend = backend
        self.dtype = dtype

    def _check_hidden_layer_sizes(self) -> list[int]:
        sizes = list(self.hidden_layer_sizes) if hasattr(self.hidden_layer_sizes, "__len__") else []
        if not sizes or not all(isinstance(u, Integral) and not isinstance(u, bool) and u >= 1 for u in sizes):
            raise ValueError(f"hidden_layer_sizes={self.hidden_layer_sizes!r} should be a non-empty tuple of ints "
                             f">= 1.")
        return [int(u) for u in sizes]

    def fit(self, env: Any) -> DQN:
        """Learn a Q-network from `total_timesteps` steps of `env`.

        Parameters
        ----------
        env : environment
            Gymnasium's interface, with a Discrete action space and a Box of observations of shape (n_features,).

        Returns
        -------
        self
        """
        self._validate_params()
        hidden = self._check_hidden_layer_sizes()
        backend = self._backend = resolve_backend(self.backend)
        xp = backend.xp
        n_actions, space = check_env(env, "DQN", "vector")
        rng = check_random_state(self.random_state)
        self._dtype = float_dtype_for("int64", backend, self.dtype)
        self._layer_units = (int(space.shape[0]), *hidden, n_actions)
        theta = pack(xp, *glorot_uniform(rng, backend, list(self._layer_units), self.activation, self._dtype))
        target_theta, optimizer = theta, Adam([theta], learning_rate=self.learning_rate_init)
        buffer = ReplayBuffer(self, self.buffer_size, self._layer_units[0], self._dtype)
        options = {"layer_units": self._layer_units, "activation": self.activation}
        train_step = compiled(huber_td_loss_and_gradient, backend,
                              static_argnames=("xp", "layer_units", "activation", "gamma"))
        greedy = compiled(greedy_action, backend, static_argnames=("xp", "layer_units", "activation"))
        self._returns, self._lengths, self._losses = [], [], []  # published as attributes at the end of the fit
        observation, _ = env.reset(seed=int(rng.integers(2**31)))
        total, steps, J = 0.0, 0, None
        with float_errors_ignored():  # a diverging loss stops the fit with an error that says what to change
            for t in range(self.total_timesteps):
                epsilon = epsilon_at(t / self.total_timesteps, self.epsilon_start, self.epsilon_end,
                                     self.exploration_fraction)
                if rng.random() < epsilon:
                    action = int(rng.integers(n_actions))
                else:
                    s = self._to_backend(observation, dtype=self._dtype)  # (d,)
                    action = int(greedy(xp, theta, s, **options))  # the one read-back of a step
                next_observation, reward, terminated, truncated, _ = env.step(action)
                buffer.add(observation, action, float(reward), next_observation, terminated)
                total, steps = total + float(reward), steps + 1
                if terminated or truncated:
                    self._end_episode(t, total, steps)
                    (observation, _), total, steps = env.reset(), 0.0, 0
                else:
                    observation = next_observation
                if t + 1 >= self.learning_starts and (t + 1) % self.train_freq == 0:
                    buffer.flush()
                    for _ in range(self.gradient_steps):
                        J, grad = train_step(xp, theta, target_theta, *buffer.sample(rng, self.batch_size),
                                             gamma=float(self.gamma), **options)
                        (theta,) = optimizer.step([theta], [grad])
                if (t + 1) % self.target_update_interval == 0:
                    target_theta = theta  # arrays are never written in place: the copy is a new name
                    if J is not None:
                        self._check_loss(float(J), t)
        self.coefs_, self.intercepts_ = unpack(xp, theta, list(self._layer_units))
        self.n_features_in_, self.n_actions_, self.n_steps_ = self._layer_units[0], n_actions, self.total_timesteps
        self.episode_returns_, self.episode_lengths_, self.loss_curve_ = self._returns, self._lengths, self._losses
        del self._returns, self._lengths, self._losses
        return self

    def _end_episode(self, t: int, total: float, steps: int) -> None:
        self._returns.append(total)
        self._lengths.append(steps)
        tenth = max(1, self.total_timesteps // 10)
        if self.verbose and (t + 1) // tenth != (t + 1 - steps) // tenth:
            recent = self._returns[-10:]
            print(f"step {t + 1:>7}: episode {len(self._returns)}, "
                  f"mean return of the last {len(recent)} = {sum(recent) / len(recent):.1f}")

    def _check_loss(self, loss: float, t: int) -> None:
        """Record the loss; one that is NaN or infinite stops the fit with a ValueError."""
        if not math.isfinite(loss):
            raise ValueError(f"The DQN's Huber loss became {loss} at step {t + 1}: the training diverged. Try a "
                             f"smaller learning_rate_init (it is {self.learning_rate_init}).")
        self._losses.append(loss)

    def _check_observations(self, observation: Any) -> tuple[Any, bool]:
        batch = self._to_backend(observation, dtype=self._dtype)
        single = batch.ndim == 1
        batch = self._xp.reshape(batch, (1, -1)) if single else batch
        if batch.ndim != 2 or batch.shape[1] != self.n_features_in_:
            raise ValueError(f"observation should be a vector of {self.n_features_in_} features, or a batch of "
                             f"shape (n_observations, {self.n_features_in_}); got shape {tuple(batch.shape)}.")
        return batch, single

    def _q_values(self, observations):
        return forward(self._xp, self.coefs_, self.intercepts_, observations, self.activation, "identity")[-1]
