"""Scoring an agent: the mean return of its greedy policy over whole episodes.

The return of an episode is the sum of its rewards, undiscounted: on FrozenLake the fraction of
episodes that reach the goal, on CartPole the number of steps the pole stays up (at most 500).
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

from ..base import check_is_fitted

__all__ = ["evaluate"]


def evaluate(agent: Any, env: Any, n_episodes: int = 100, *, seed: int | None = None) -> float:
    """The mean return of `agent.predict` over `n_episodes` episodes of `env`.

    Parameters
    ----------
    agent : fitted agent
        Anything with `predict(observation) -> action` (QLearning, SARSA, DQN).
    env : environment
        Gymnasium's interface.
    n_episodes : int
        Episodes to average over, >= 1.
    seed : int or None
        Seeds the environment at the first reset, for a reproducible score.

    Returns
    -------
    float
        The mean over episodes of the sum of rewards.

    Notes
    -----
    A greedy policy's action depends on the observation alone: on a discrete observation space
    (`Discrete(n)`), each state's action is asked of the agent once and remembered.
    """
    if not isinstance(n_episodes, Integral) or isinstance(n_episodes, bool) or n_episodes < 1:
        raise ValueError(f"n_episodes={n_episodes!r} should be an int >= 1.")
    if hasattr(agent, "__sklearn_is_fitted__"):
        check_is_fitted(agent)
    discrete = isinstance(getattr(env.observation_space, "n", None), Integral)
    remembered: dict = {}
    total = 0.0
    for episode in range(n_episodes):
        observation, _ = env.reset(seed=seed if episode == 0 else None)
        ended = False
        while not ended:
            if discrete:
                state = int(observation)
                if state not in remembered:
                    remembered[state] = agent.predict(state)
                action = remembered[state]
            else:
                action = agent.predict(observation)
            observation, reward, terminated, truncated, _ = env.step(action)
            total += float(reward)
            ended = terminated or truncated
    return total / n_episodes
