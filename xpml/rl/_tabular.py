"""Tabular Q-learning and SARSA: learning a table of Q(s, a) from one step of experience at a time.

Both rest on the Bellman equation. The return expected after action a in state s, acting greedily
from then on, satisfies

    Q*(s, a) = E[ r + γ max_a' Q*(s', a') ]          (the expectation over the reward r and next state s')

Q-learning (Watkins, 1989) turns it into an update from each step (s, a, r, s'), moving Q(s, a) a
fraction α (the learning rate) towards a sample of the right-hand side, the target:

    Q(s, a) <- Q(s, a) + α (r + γ max_a' Q(s', a') - Q(s, a))

SARSA (Rummery & Niranjan, 1994) uses the action a' its own ε-greedy policy takes next instead of the
max, so it learns the value of the policy it follows, exploration included (on-policy), where
Q-learning learns the greedy one's (off-policy):

    Q(s, a) <- Q(s, a) + α (r + γ Q(s', a') - Q(s, a))

When s' ends the episode (a hole, the goal), nothing follows it and the target is r alone. A step cut
by a time limit (truncated) is not an end of the task, so its target still looks ahead.

The updates run one step at a time, each depending on the last, as the agent walks: a few scalar
operations per step, which the host does in a microsecond where an array library would spend more
on dispatching them than on the arithmetic. The table is learned on the host and then set, as
`q_table_`, on the backend, where `predict` reads it. Every number is a float64 made from the same
random draws, so a seed gives the same table on every backend.

References: C. J. C. H. Watkins, "Learning from delayed rewards", PhD thesis, Cambridge (1989);
G. A. Rummery and M. Niranjan, "On-line Q-learning using connectionist systems", CUED/F-INFENG/TR 166
(1994); R. S. Sutton and A. G. Barto, "Reinforcement Learning: An Introduction", 2nd ed. (2018), ch. 6.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from .._backend import float_dtype_for, resolve_backend
from ..utils._param_validation import Interval
from ..utils._random import check_random_state
from ._base import EXPLORATION_CONSTRAINTS, Agent, check_env, epsilon_at

__all__ = ["SARSA", "QLearning"]


def epsilon_greedy(row: list, epsilon: float, rng) -> int:
    """A random action with probability ε, else an action of largest Q in `row` (one state's Q(s, ·)).

    Ties are broken at random: with a table of zeros, "the first of the best" would always be action 0,
    and an agent that has not yet found a reward would stop exploring as soon as ε falls.
    """
    if rng.random() < epsilon:
        return int(rng.integers(len(row)))
    best = max(row)
    ties = [a for a, q in enumerate(row) if q == best]
    return ties[0] if len(ties) == 1 else ties[int(rng.integers(len(ties)))]


class _TabularAgent(Agent):
    _on_policy = False  # SARSA bootstraps on the action it takes next; Q-learning on the greedy one

    _parameter_constraints = {
        "n_episodes": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, 1, closed="right")],
        **EXPLORATION_CONSTRAINTS,
    }

    def __init__(self, n_episodes: int = 5000, learning_rate: float = 0.1, gamma: float = 0.99,
                 epsilon_start: float = 1.0, epsilon_end: float = 0.01, exploration_fraction: float = 0.8,
                 random_state: Any = None, verbose: int = 0, *, backend: Any = None, dtype: str | None = None):
        self.n_episodes = n_episodes
        self.learning_rate = learning_rate
        self.gamma = gamma
        self.epsilon_start = epsilon_start
        self.epsilon_end = epsilon_end
        self.exploration_fraction = exploration_fraction
        self.random_state = random_state
        self.verbose = verbose
        self.backend = backend
        self.dtype = dtype

    def fit(self, env: Any) -> _TabularAgent:
        """Learn Q(s, a) over `n_episodes` episodes of `env`.

        Parameters
        ----------
        env : environment
            Gymnasium's interface, with Discrete observation and action spaces (`FrozenLake`, say).

        Returns
        -------
        self
        """
        self._validate_params()
        self._backend = resolve_backend(self.backend)
        n_actions, space = check_env(env, type(self).__name__, "discrete")
        rng = check_random_state(self.random_state)
        Q = [[0.0] * n_actions for _ in range(int(space.n))]  # (n_states, n_actions), on the host
        returns, lengths = [], []
        for episode in range(self.n_episodes):
            epsilon = epsilon_at(episode / self.n_episodes, self.epsilon_start, self.epsilon_end,
                                 self.exploration_fraction)
            seed = int(rng.integers(2**31)) if episode == 0 else None  # later resets continue the env's generator
            total, steps = self._episode(env, Q, epsilon, rng, seed)
            returns.append(total)
            lengths.append(steps)
            if self.verbose and (episode + 1) % max(1, self.n_episodes // 10) == 0:
                recent = returns[-max(1, self.n_episodes // 10):]
                print(f"episode {episode + 1:>6}: epsilon = {epsilon:.3f}, "
                      f"mean return = {sum(recent) / len(recent):.3f}")
        self._dtype = float_dtype_for("int64", self._backend, self.dtype)  # float64 unless the device has none
        self.q_table_ = self._to_backend(Q, dtype=self._dtype)
        self.n_states_, self.n_actions_ = len(Q), n_actions
        self.episode_returns_, self.episode_lengths_ = returns, lengths
        self.n_steps_ = sum(lengths)
        return self

    def _episode(self, env: Any, Q: list, epsilon: float, rng, seed: int | None) -> tuple[float, int]:
        """Run one episode, updating `Q` (the host table) after every step; returns (return, steps)."""
        alpha, gamma = self.learning_rate, self.gamma
        s, _ = env.reset(seed=seed)
        s = int(s)
        a = epsilon_greedy(Q[s], epsilon, rng)
        total, steps, ended = 0.0, 0, False
        while not ended:
            s_next, r, terminated, truncated, _ = env.step(a)
            s_next, r, ended = int(s_next), float(r), terminated or truncated
            a_next = epsilon_greedy(Q[s_next], epsilon, rng) if self._on_policy and not ended else None
            if terminated:
                target = r  # nothing follows the end of the task
            elif self._on_policy:
                a_next = epsilon_greedy(Q[s_next], epsilon, rng) if a_next is None else a_next
                target = r + gamma * Q[s_next][a_next]  # the action SARSA takes next
            else:
                target = r + gamma * max(Q[s_next])  # the greedy action: Q-learning
            Q[s][a] += alpha * (target - Q[s][a])  # a Python list, on the host: not an array
            total, steps = total + r, steps + 1
            if not ended:
                s, a = s_next, a_next if self._on_policy else epsilon_greedy(Q[s_next], epsilon, rng)
        return total, steps

    def _check_observations(self, observation: Any) -> tuple[Any, bool]:
        xp = self._xp
        single = isinstance(observation, Integral) or getattr(observation, "shape", None) == ()
        batch = self._to_backend([int(observation)] if single else observation)
        if batch.ndim != 1 or not xp.isdtype(batch.dtype, "integral"):
            raise ValueError(f"observation should be a state, an int in 0 .. {self.n_states_ - 1}, or a 1-d array of "
                             f"them; got {observation!r}.")
        if batch.shape[0] and bool(xp.any((batch < 0) | (batch >= self.n_states_))):
            raise ValueError(f"observation should be in 0 .. {self.n_states_ - 1} (n_states_={self.n_states_}); "
                             f"got {observation!r}.")
        return batch, single

    def _q_values(self, observations):
        return self._xp.take(self.q_table_, observations, axis=0)  # (n_observations, n_actions)


class QLearning(_TabularAgent):
    """Tabular Q-learning: off-policy temporal-difference learning of the greedy policy's Q(s, a).

    Parameters
    ----------
    n_episodes : int
        Episodes to learn from.
    learning_rate : float
        α in (0, 1]: the fraction of the way each update moves Q(s, a) towards its target.
    gamma : float
        The discount γ in [0, 1] of future rewards.
    epsilon_start, epsilon_end : float
        ε, the probability of a random action, at the start and after `exploration_fraction` of the episodes.
    exploration_fraction : float
        The fraction of the episodes over which ε falls linearly from `epsilon_start` to `epsilon_end`.
    random_state : int, numpy.random.Generator or None
        Seeds exploration and the environment (its first reset), drawn on the host.
    verbose : int
        Print the mean return ten times during training.
    backend, dtype : keyword-only
        The backend of `q_table_` (None: the global one), and its dtype (None: the backend's default float).

    Attributes
    ----------
    q_table_ : array of shape (n_states, n_actions)
        Q(s, a), on the backend.
    n_states_, n_actions_ : int
    episode_returns_, episode_lengths_ : list
        The return (sum of rewards) and the number of steps of each training episode: the learning curve.
    n_steps_ : int
        Steps taken in training.

    Examples
    --------
    >>> from xpml.rl import FrozenLake, QLearning
    >>> agent = QLearning(n_episodes=1000, random_state=0).fit(FrozenLake(is_slippery=False))
    >>> agent.predict(14)  # next to the goal: move right
    2
    """


class SARSA(_TabularAgent):
    """Tabular SARSA: on-policy temporal-difference learning of the ε-greedy policy's Q(s, a).

    The parameters and attributes are those of `QLearning`; only the target of the update differs,
    r + γ Q(s', a') with a' the action the agent takes next, instead of r + γ max_a' Q(s', a').
    """

    _on_policy = True
