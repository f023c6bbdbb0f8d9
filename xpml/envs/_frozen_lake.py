"""FrozenLake: a grid world with holes and a goal, with the rules of Gymnasium's `FrozenLake-v1`.

The agent walks on a frozen lake drawn as a grid of letters: S the start, F frozen (safe), H a hole,
G the goal. The observation is the cell, numbered row by row (row · n_cols + col); the actions are
0 left, 1 down, 2 right, 3 up. A move into the border leaves the agent where it is. Reaching G gives
a reward of 1 and ends the episode; falling into H ends it with 0; every other step gives 0.

On a slippery lake (`is_slippery=True`, the default) the ice makes the agent go in the intended
direction, or in either of the two directions perpendicular to it, each with probability 1/3.
An episode is cut (truncated) after 100 steps on the 4 x 4 map and 200 on the 8 x 8, the limits
Gymnasium registers.

The whole model is in `P`: `P[s][a]` lists the (probability, next state, reward, terminated) of
every outcome of action a in state s, the form value iteration reads (Bellman, 1957). A step draws
one uniform number from `np_random` and picks the outcome whose cumulative probability first exceeds
it, and a reset draws one to pick the start, as Gymnasium does, so that a seed gives the same episodes.

Reference: the Gymnasium documentation, "Frozen Lake" (Toy Text environments).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._spaces import Discrete

__all__ = ["MAPS", "FrozenLake"]

MAPS = {
    "4x4": ("SFFF", "FHFH", "FFFH", "HFFG"),
    "8x8": ("SFFFFFFF", "FFFFFFFF", "FFFHFFFF", "FFFFFHFF", "FFFHFFFF", "FHHFFFHF", "FHFFHFHF", "FFFHFFFG"),
}
LEFT, DOWN, RIGHT, UP = 0, 1, 2, 3


class FrozenLake:
    """A frozen lake to cross from S to G without falling into a hole H.

    Parameters
    ----------
    desc : sequence of str or None
        The map, one string per row, of the letters S, F, H and G; None takes `MAPS[map_name]`.
    map_name : {"4x4", "8x8"}
        The built-in map used when `desc` is None.
    is_slippery : bool
        Slippery ice: the move goes in the intended direction or either perpendicular one, 1/3 each.
    max_episode_steps : int or None
        Steps after which an episode is truncated; None gives 100, or 200 on the built-in 8 x 8 map.

    Attributes
    ----------
    P : dict
        `P[s][a]`: a list of (probability, next state, reward, terminated), the environment's model.
    observation_space, action_space : Discrete
        The n_rows · n_cols cells, and the 4 moves.

    Examples
    --------
    >>> env = FrozenLake(is_slippery=False)
    >>> env.reset(seed=0)
    (0, {'prob': 1})
    >>> env.step(2)[:4]
    (1, 0.0, False, False)
    """

    metadata = {"render_modes": []}

    def __init__(self, desc: Any = None, map_name: str = "4x4", is_slippery: bool = True,
                 max_episode_steps: int | None = None):
        if desc is None:
            if map_name not in MAPS:
                raise ValueError(f"map_name={map_name!r} should be one of {sorted(MAPS)}.")
            desc = MAPS[map_name]
        self.desc = tuple(str(row) for row in desc)
        self.n_rows, self.n_cols = len(self.desc), len(self.desc[0]) if self.desc else 0
        letters = set("".join(self.desc))
        if (self.n_rows == 0 or any(len(row) != self.n_cols for row in self.desc) or not letters <= set("SFHG")
                or "S" not in letters):
            raise ValueError(f"desc={desc!r} should be rows of equal length, of the letters S, F, H and G, with an S.")
        self.is_slippery = bool(is_slippery)
        if max_episode_steps is None:
            max_episode_steps = 200 if self.desc == MAPS["8x8"] else 100
        self.max_episode_steps = int(max_episode_steps)
        n_states = self.n_rows * self.n_cols
        self.observation_space, self.action_space = Discrete(n_states), Discrete(4)
        self.P = {s: {a: self._outcomes(s, a) for a in range(4)} for s in range(n_states)}
        starts = np.array([letter == "S" for letter in "".join(self.desc)], dtype=np.float64)
        self._start_probabilities = starts / starts.sum()  # (n_states,)
        self.np_random = np.random.default_rng()
        self.s, self._elapsed = 0, 0

    def _letter(self, s: int) -> str:
        return self.desc[s // self.n_cols][s % self.n_cols]

    def _move(self, s: int, a: int) -> int:
        """The cell reached from s by the move a; the border stops the agent."""
        row, col = divmod(s, self.n_cols)
        if a == LEFT:
            col = max(col - 1, 0)
        elif a == DOWN:
            row = min(row + 1, self.n_rows - 1)
        elif a == RIGHT:
            col = min(col + 1, self.n_cols - 1)
        else:
            row = max(row - 1, 0)
        return row * self.n_cols + col

    def _outcomes(self, s: int, a: int) -> list:
        """P[s][a]: every (probability, next state, reward, terminated) of action a in state s."""
        if self._letter(s) in "GH":  # an episode ends there; the model stays put
            return [(1.0, s, 0.0, True)]
        directions = [(a - 1) % 4, a, (a + 1) % 4] if self.is_slippery else [a]
        outcomes = []
        for b in directions:
            nxt = self._move(s, b)
            outcomes.append((1.0 / len(directions), nxt, float(self._letter(nxt) == "G"), self._letter(nxt) in "GH"))
        return outcomes

    def _pick(self, probabilities) -> int:
        """The index of the outcome drawn: the first whose cumulative probability exceeds one uniform draw
        (summed in order, as numpy's cumsum does; plain Python, many times faster on three numbers)."""
        u, cumulative = self.np_random.random(), 0.0
        for i, p in enumerate(probabilities):
            cumulative += p
            if cumulative > u:
                return i
        return 0

    def reset(self, *, seed: int | None = None, options: dict | None = None) -> tuple[int, dict]:
        """Start an episode at S; a `seed` reseeds `np_random`. Returns (observation, info)."""
        if seed is not None:
            self.np_random = np.random.default_rng(seed)
        self.s, self._elapsed = self._pick(self._start_probabilities), 0
        return self.s, {"prob": 1}

    def step(self, action: int) -> tuple[int, float, bool, bool, dict]:
        """Take a move. Returns (observation, reward, terminated, truncated, info)."""
        outcomes = self.P[self.s].get(action) if isinstance(action, int) else None
        if outcomes is None:
            if not self.action_space.contains(action):
                raise ValueError(f"action={action!r} should be an int in 0 .. 3 (left, down, right, up).")
            outcomes = self.P[self.s][int(action)]
        p, self.s, reward, terminated = outcomes[self._pick([o[0] for o in outcomes])]
        self._elapsed += 1
        return self.s, reward, terminated, self._elapsed >= self.max_episode_steps, {"prob": p}

    def render(self) -> str:
        """The map as text, with the agent's cell in brackets."""
        cells = [f"[{c}]" if i == self.s else f" {c} " for i, c in enumerate("".join(self.desc))]
        return "\n".join("".join(cells[r * self.n_cols:(r + 1) * self.n_cols]) for r in range(self.n_rows))

    def close(self) -> None:
        """Nothing to release (Gymnasium's interface)."""

    @property
    def unwrapped(self) -> FrozenLake:
        return self

    def __repr__(self) -> str:
        return f"FrozenLake(map={self.n_rows}x{self.n_cols}, is_slippery={self.is_slippery})"
