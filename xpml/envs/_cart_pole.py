"""CartPole: balancing a pole on a cart, with the equations and constants of Gymnasium's `CartPole-v1`.

A pole is hinged on a cart that moves along a track without friction. Each step the agent pushes the
cart left (action 0) or right (action 1) with a force F = ∓10 N, and gets a reward of 1 for every step
the pole stays up. With the cart's position x, the pole's angle θ from upright, gravity g = 9.8,
the cart's mass m_c = 1, the pole's mass m_p = 0.1 and its half-length l = 0.5, the equations of
motion (Barto, Sutton & Anderson, 1983; the form of Florian, 2007, without friction) are

    a      = (F + m_p l θ̇² sin θ) / (m_c + m_p)
    θ̈      = (g sin θ - a cos θ) / (l (4/3 - m_p cos² θ / (m_c + m_p)))
    ẍ      = a - m_p l θ̈ cos θ / (m_c + m_p)

integrated by Euler's method with τ = 0.02 s: x += τ ẋ, ẋ += τ ẍ, θ += τ θ̇, θ̇ += τ θ̈ (each on
the values before the step). The observation is (x, ẋ, θ, θ̇) as float32, drawn uniformly in
[-0.05, 0.05] at a reset. The episode ends (terminated) when |x| > 2.4 or |θ| > 12°, the reward of
that last step included; it is cut (truncated) after 500 steps, so the best return is 500.

References: A. G. Barto, R. S. Sutton and C. W. Anderson, "Neuronlike adaptive elements that can
solve difficult learning control problems", IEEE Trans. SMC 13 (1983); R. V. Florian, "Correct
equations for the dynamics of the cart-pole system" (2007); the Gymnasium documentation, "Cart Pole".
"""

from __future__ import annotations

import math

import numpy as np

from ._spaces import Box, Discrete

__all__ = ["CartPole"]


class CartPole:
    """The cart-pole: keep the pole upright by pushing the cart left or right.

    Parameters
    ----------
    max_episode_steps : int
        Steps after which an episode is truncated (500, as `CartPole-v1`).

    Attributes
    ----------
    observation_space : Box
        (x, ẋ, θ, θ̇), within (±4.8, ±inf, ±24°, ±inf).
    action_space : Discrete
        0 pushes left, 1 pushes right.
    state : numpy array of shape (4,)
        The current (x, ẋ, θ, θ̇), in float64.

    Examples
    --------
    >>> env = CartPole()
    >>> observation, info = env.reset(seed=0)
    >>> observation.shape, str(observation.dtype)
    ((4,), 'float32')
    """

    gravity, masscart, masspole, length, force_mag, tau = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
    theta_threshold_radians = 12 * 2 * math.pi / 360
    x_threshold = 2.4
    metadata = {"render_modes": []}

    def __init__(self, max_episode_steps: int = 500):
        self.max_episode_steps = int(max_episode_steps)
        high = np.array([self.x_threshold * 2, np.inf, self.theta_threshold_radians * 2, np.inf], dtype=np.float32)
        self.observation_space, self.action_space = Box(-high, high), Discrete(2)
        self.np_random = np.random.default_rng()
        self.state, self._elapsed = None, 0

    def reset(self, *, seed: int | None = None, options: dict | None = None) -> tuple[np.ndarray, dict]:
        """Start an episode near upright; a `seed` reseeds `np_random`. Returns (observation, info)."""
        if seed is not None:
            self.np_random = np.random.default_rng(seed)
        self.state, self._elapsed = self.np_random.uniform(-0.05, 0.05, size=4), 0  # (4,)
        return self.state.astype(np.float32), {}

    def step(self, action: int) -> tuple[np.ndarray, float, bool, bool, dict]:
        """Push the cart for τ seconds. Returns (observation, reward, terminated, truncated, info)."""
        if not self.action_space.contains(action):
            raise ValueError(f"action={action!r} should be 0 (push left) or 1 (push right).")
        if self.state is None:
            raise ValueError("CartPole.step was called before reset; call reset() to start an episode.")
        x, x_dot, theta, theta_dot = (float(v) for v in self.state)
        force = self.force_mag if action == 1 else -self.force_mag
        total_mass, pole_moment = self.masscart + self.masspole, self.masspole * self.length
        cos, sin = math.cos(theta), math.sin(theta)
        a = (force + pole_moment * theta_dot**2 * sin) / total_mass
        theta_acc = (self.gravity * sin - cos * a) / (self.length * (4.0 / 3.0 - self.masspole * cos**2 / total_mass))
        x_acc = a - pole_moment * theta_acc * cos / total_mass
        x, x_dot = x + self.tau * x_dot, x_dot + self.tau * x_acc
        theta, theta_dot = theta + self.tau * theta_dot, theta_dot + self.tau * theta_acc
        self.state = np.array([x, x_dot, theta, theta_dot])  # (4,)
        terminated = abs(x) > self.x_threshold or abs(theta) > self.theta_threshold_radians
        self._elapsed += 1
        return self.state.astype(np.float32), 1.0, terminated, self._elapsed >= self.max_episode_steps, {}

    def close(self) -> None:
        """Nothing to release (Gymnasium's interface)."""

    @property
    def unwrapped(self) -> CartPole:
        return self

    def __repr__(self) -> str:
        return f"CartPole(max_episode_steps={self.max_episode_steps})"
