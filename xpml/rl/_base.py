"""What every agent of `xpml.rl` shares: checking an environment, the ε-greedy schedule, and `predict`.

An agent learns by acting. At each step it sees an observation s, picks an action a, and the
environment answers with a reward r and the next observation s'. The agents here learn Q(s, a), the
return (the discounted sum of the rewards to come, γ^t r_t summed over t) expected after taking a in s
and acting greedily from then on, and act greedily on it: `predict(s)` is argmax_a Q(s, a).

While learning, they explore with an ε-greedy policy: a random action with probability ε, the greedy
one otherwise. ε falls linearly from `epsilon_start` to `epsilon_end` over the first
`exploration_fraction` of the training (episodes or steps), then stays at `epsilon_end`.

Random numbers (exploration, episode seeds, replay batches) are drawn on the host from the agent's
numpy Generator, so that a seed gives the same run on every backend.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, check_is_fitted
from ..utils._param_validation import Interval

__all__ = ["EXPLORATION_CONSTRAINTS", "Agent", "check_env", "epsilon_at"]

EXPLORATION_CONSTRAINTS = {
    "gamma": [Interval(Real, 0, 1, closed="both")],
    "epsilon_start": [Interval(Real, 0, 1, closed="both")],
    "epsilon_end": [Interval(Real, 0, 1, closed="both")],
    "exploration_fraction": [Interval(Real, 0, 1, closed="both")],
    "random_state": ["random_state"],
    "verbose": ["boolean", Interval(Integral, 0, None, closed="left")],
    **BACKEND_CONSTRAINTS,
}


def check_env(env: Any, agent: str, observations: str) -> tuple[int, Any]:
    """Check that `env` has Gymnasium's interface, a discrete action space, and observations of the kind the
    agent reads: "discrete" (a Discrete space, for a table) or "vector" (a Box of shape (n,), for a network).

    Returns (n_actions, observation_space).
    """
    missing = [name for name in ("reset", "step", "action_space", "observation_space") if not hasattr(env, name)]
    if missing:
        raise TypeError(f"{agent}.fit(env) needs an environment with reset, step, action_space and "
                        f"observation_space (Gymnasium's interface); got {type(env).__name__}, without {missing}.")
    actions, space = env.action_space, env.observation_space
    if not isinstance(getattr(actions, "n", None), Integral):
        raise TypeError(f"{agent} needs a discrete action space (Discrete(n)); got action_space={actions!r}.")
    if observations == "discrete" and not isinstance(getattr(space, "n", None), Integral):
        raise TypeError(f"{agent} keeps a table of Q(s, a): it needs a discrete observation space (Discrete(n)); "
                         f"got observation_space={space!r}. Use DQN for observations that are vectors.")
    if observations == "vector" and len(getattr(space, "shape", ()) or ()) != 1:
        raise TypeError(f"{agent} needs observations that are vectors, a Box of shape (n_features,); got "
                         f"observation_space={space!r}.")
    return int(actions.n), space


def epsilon_at(progress: float, start: float, end: float, fraction: float) -> float:
    """ε after `progress` (in [0, 1]) of the training: linear from `start` to `end` over `fraction`, then `end`."""
    if fraction == 0 or progress >= fraction:
        return end
    return start + (end - start) * progress / fraction


class Agent(BaseEstimator):
    """An agent that acts greedily on its Q-values; subclasses give `_q_values` and `_check_observations`."""

    def _q_values(self, observations):
        """Q(s, ·) for a batch of observations on the backend: an array of shape (n_observations, n_actions)."""
        raise NotImplementedError

    def _check_observations(self, observation: Any) -> tuple[Any, bool]:
        """(the observations as a batch on the backend, whether one observation was given)."""
        raise NotImplementedError

    def predict(self, observation: Any) -> Any:
        """The greedy action argmax_a Q(s, a): an int for one observation, an array for a batch.

        Parameters
        ----------
        observation : int, array of shape (n_features,), or a batch of them
            What the environment returned (a cell of a grid, a cart-pole's state vector, ...).

        Returns
        -------
        action : int, or array of shape (n_observations,) in the library of the input
        """
        check_is_fitted(self)
        batch, single = self._check_observations(observation)
        actions = self._xp.argmax(self._q_values(batch), axis=1)  # (n_observations,)
        if single:
            return int(actions[0])
        return self._output(actions, observation)
