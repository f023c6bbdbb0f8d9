"""The replay buffer of a deep Q-network: the last `capacity` transitions, kept on the backend's device.

Learning from consecutive steps, which are strongly correlated, makes a Q-network unstable. Mnih et al.
(2015) store every transition (s, a, r, s', terminated) and learn from mini-batches drawn uniformly
from the last N of them ("experience replay"). Here the N transitions are five arrays on the backend
(a ring: the newest overwrite the oldest). The environment gives them on the host one at a time; they
wait in a short host list and are written to the device together, just before the next mini-batch is
drawn (`flush`). A mini-batch's indices are drawn on the host, so a seed gives the same batches on
every backend, and its rows are gathered on the device.

Reference: V. Mnih et al., "Human-level control through deep reinforcement learning", Nature 518 (2015).
"""

from __future__ import annotations

from typing import Any

import array_api_extra as xpx

from .._backend import is_writeable

__all__ = ["ReplayBuffer"]


def _write_rows(ring, start: int, values, to_backend):
    """`ring` with its rows start, start + 1, ... (modulo its length) set to `values`, (m, ...).

    An array that can be written in place (numpy, torch, cupy) gets the rows as one or two slices, a copy
    of m rows; one that cannot (jax) gets a scatter at an array of indices, which compiles once per m,
    where slices would compile once per start.
    """
    n, m = ring.shape[0], values.shape[0]
    if not is_writeable(ring):
        rows = to_backend([(start + i) % n for i in range(m)])  # (m,)
        return xpx.at(ring, rows).set(values)
    first = min(m, n - start)
    ring = xpx.at(ring, (slice(start, start + first), ...)).set(values[:first, ...])
    if first < m:  # the ring wraps around: the rest at its top
        ring = xpx.at(ring, (slice(0, m - first), ...)).set(values[first:, ...])
    return ring


class ReplayBuffer:
    """The last `capacity` transitions, on the device of `agent` (an estimator with a backend).

    Parameters
    ----------
    agent : BaseEstimator
        Gives the backend (`_xp`, `_device`, `_to_backend`).
    capacity : int
        N, the number of transitions kept.
    n_features : int
        The length of an observation.
    dtype : str
        The floating dtype of observations and rewards.
    """

    def __init__(self, agent: Any, capacity: int, n_features: int, dtype: str):
        xp, device = agent._xp, agent._device
        self._agent, self.capacity, self.dtype = agent, capacity, dtype
        float_ = getattr(xp, dtype)
        self.observations = xp.zeros((capacity, n_features), dtype=float_, device=device)  # (N, d)
        self.next_observations = xp.zeros((capacity, n_features), dtype=float_, device=device)  # (N, d)
        self.actions = xp.zeros(capacity, dtype=xp.int64, device=device)  # (N,)
        self.rewards = xp.zeros(capacity, dtype=float_, device=device)  # (N,)
        self.terminated = xp.zeros(capacity, dtype=float_, device=device)  # (N,), 1.0 where s' ended the task
        self.size, self.position, self._pending = 0, 0, []

    def add(self, observation: Any, action: int, reward: float, next_observation: Any, terminated: bool) -> None:
        """Keep one transition (host values) until the next `flush`."""
        self._pending.append((observation, action, reward, next_observation, terminated))

    def flush(self) -> None:
        """Write the waiting transitions to the device, at the ring's next positions."""
        pending = self._pending[-self.capacity:]  # more than N at once: the oldest would be overwritten anyway
        self._pending = []
        if not pending:
            return
        m, to, dtype = len(pending), self._agent._to_backend, self.dtype
        observations, actions, rewards, next_observations, terminated = zip(*pending)
        columns = {"observations": to([list(o) for o in observations], dtype=dtype),  # (m, d)
                   "actions": to(list(actions), dtype="int64"),  # (m,)
                   "rewards": to(list(rewards), dtype=dtype),  # (m,)
                   "next_observations": to([list(o) for o in next_observations], dtype=dtype),  # (m, d)
                   "terminated": to([float(t) for t in terminated], dtype=dtype)}  # (m,)
        for name, values in columns.items():
            setattr(self, name, _write_rows(getattr(self, name), self.position, values, to))
        self.position = (self.position + m) % self.capacity
        self.size = min(self.size + m, self.capacity)

    def sample(self, rng: Any, batch_size: int) -> tuple:
        """A mini-batch of `batch_size` transitions drawn uniformly, with replacement, among those kept:
        (observations (b, d), actions (b,), rewards (b,), next observations (b, d), terminated (b,))."""
        xp = self._agent._xp
        rows = self._agent._to_backend(rng.integers(0, self.size, size=batch_size))  # (b,), drawn on the host
        return tuple(xp.take(a, rows, axis=0) for a in (self.observations, self.actions, self.rewards,
                                                         self.next_observations, self.terminated))
