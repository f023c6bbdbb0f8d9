"""Environments for reinforcement learning: simulations that run on the host, in Python and numpy.

An environment is what an agent of `xpml.rl` acts in. It follows Gymnasium's interface, so that a
Gymnasium environment can be used in place of these ones as it is:

- `reset(seed=None, options=None) -> (observation, info)` starts an episode; a seed reseeds the
  environment's random generator (`np_random`), which later resets continue;
- `step(action) -> (observation, reward, terminated, truncated, info)`: `terminated` when the episode
  ends in the task itself (a hole, the goal, the pole down), `truncated` when a time limit cuts it;
- `action_space` and `observation_space`: `Discrete(n)` (the integers 0 .. n - 1) or `Box` (real vectors
  between bounds).

These are host code, like `xpml.datasets`: an environment steps one state at a time, which no array
library would speed up. The agents (`xpml.rl`) keep their tables and networks on the backend.
They are public as `xpml.rl.FrozenLake` and `xpml.rl.CartPole`.
"""

from ._cart_pole import CartPole
from ._frozen_lake import MAPS, FrozenLake
from ._spaces import Box, Discrete

__all__ = ["MAPS", "Box", "CartPole", "Discrete", "FrozenLake"]
