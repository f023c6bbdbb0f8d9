"""Reinforcement learning: agents that learn to act from rewards, and environments to act in.

- `QLearning`, `SARSA`: a table of Q(s, a) for environments with few states (`FrozenLake`).
- `DQN`: a deep Q-network, an xpml multi-layer perceptron, for observations that are vectors (`CartPole`).
- `evaluate(agent, env, n_episodes)`: the mean return of an agent's greedy policy.

Each agent learns with `fit(env)` and acts with `predict(observation)`. Environments follow
Gymnasium's interface (`xpml.envs`), so a Gymnasium environment can be given in place of these.
"""

from ..envs import CartPole, FrozenLake
from ._dqn import DQN
from ._evaluate import evaluate
from ._tabular import SARSA, QLearning

__all__ = ["DQN", "SARSA", "CartPole", "FrozenLake", "QLearning", "evaluate"]
