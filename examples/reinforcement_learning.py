"""Reinforcement learning: an agent learns to act from rewards alone, on any backend.

Supervised learning is given the right answers; reinforcement learning is not. An agent acts in an
environment, collects rewards, and must find out which actions lead to high rewards later on. We
write down the Bellman equation and solve a small grid world exactly with it, then let tabular
Q-learning learn the same policy from experience, and finally let a deep Q-network (DQN) learn to
balance a pole on a cart from its raw state. Run it with a backend of your choice:

    python examples/reinforcement_learning.py --backend torch
"""

import argparse
import os
import time

import xpml
from xpml import plot
from xpml.rl import DQN, CartPole, FrozenLake, QLearning, evaluate

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--backend", default="numpy", help="numpy, torch, jax, cupy, torch:cuda, ...")
parser.add_argument("--out", default="reinforcement_learning.png", help="where to save the figure")
args = parser.parse_args()
backend = xpml.set_backend(args.backend)
xp = backend.xp  # the backend's array namespace: the same calls work on numpy, torch, cupy and jax
SMALL = os.environ.get("XPML_EXAMPLE_SMALL") == "1"  # the test suite runs a shortened version
ARROWS = "←↓→↑"

# 1. The environment: FrozenLake, a 4 x 4 lake crossed from S to the goal G, avoiding the holes H.
#    The agent sees its cell s (0 .. 15) and picks an action a (left, down, right, up). Reaching G pays 1,
#    everything else 0. On slippery ice the agent moves where it meant to, or to either side, 1/3 each.
env = FrozenLake(is_slippery=True)
print("The lake (S start, F ice, H hole, G goal):\n" + "\n".join("   " + row for row in env.desc))

# 2. The Bellman equation. Let Q(s, a) be the return (sum of rewards, future ones discounted by γ) expected
#    after doing a in s and acting as well as possible afterwards. One step of look-ahead gives
#        Q(s, a) = Σ_s' P(s' | s, a) [ r(s, a, s') + γ max_a' Q(s', a') ]
#    Knowing the environment's model P, value iteration applies this equation until nothing changes.
#    Here it runs with the backend's array functions: T[s, a, s'] = P(s' | s, a) for the moves that go on,
#    R[s, a] the expected reward.
n_states, n_actions, gamma = env.observation_space.n, env.action_space.n, 0.99
T_host = [[[0.0] * n_states for _ in range(n_actions)] for _ in range(n_states)]
R_host = [[0.0] * n_actions for _ in range(n_states)]
for s in range(n_states):
    for a in range(n_actions):
        for p, s_next, r, done in env.P[s][a]:
            T_host[s][a][s_next] += 0.0 if done else p
            R_host[s][a] += p * r
T, R = xp.asarray(T_host, device=backend.device), xp.asarray(R_host, device=backend.device)  # (16, 4, 16), (16, 4)
V = xp.zeros(n_states, device=backend.device, dtype=T.dtype)
for sweep in range(1000):
    Q = R + gamma * xp.sum(T * V, axis=2)  # the right-hand side of the Bellman equation, (16, 4)
    V_new = xp.max(Q, axis=1)  # (16,)
    if float(xp.max(xp.abs(V_new - V))) < 1e-10:
        break
    V = V_new
optimal = xp.argmax(Q, axis=1)  # the optimal policy, (16,)
print(f"\nValue iteration converged in {sweep} sweeps. Optimal policy (holes and goal as they are):")
cells = "".join(env.desc)
for row in range(4):
    print("   " + " ".join(cells[4 * row + c] if cells[4 * row + c] in "HG" else ARROWS[int(optimal[4 * row + c])]
                         for c in range(4)))
# Its success rate within FrozenLake's 100 steps: the Bellman equation again, without the max, for that policy
# and undiscounted, 100 steps back from the end.
pick = xp.astype(optimal[:, None] == xp.arange(n_actions, device=backend.device)[None, :], T.dtype)  # (16, 4)
V = xp.zeros(n_states, device=backend.device, dtype=T.dtype)
for _ in range(100):
    V = xp.sum(pick * (R + xp.sum(T * V, axis=2)), axis=1)
best = float(V[0])
print(f"Following it, the agent reaches the goal {best:.1%} of the time "
      f"(no policy does better than 74.4% within the 100 steps an episode may last).")

# 3. Q-learning learns Q without knowing P: it walks the lake, and after each step (s, a, r, s') moves its
#    estimate a fraction α towards the Bellman target:  Q(s, a) += α (r + γ max_a' Q(s', a') - Q(s, a)).
#    It explores ε-greedily: a random action with probability ε, which falls from 1 to 0.01 over 80% of the run.
start = time.perf_counter()
grid = QLearning(n_episodes=600, random_state=0).fit(FrozenLake(is_slippery=False))
print(f"\nQ-learning on the non-slippery lake: success rate {evaluate(grid, FrozenLake(is_slippery=False), 10):.0%}, "
      f"route: {' '.join(ARROWS[grid.predict(s)] for s in (0, 4, 8, 9, 13, 14))} (6 moves, the shortest)")
agent = QLearning(n_episodes=3000, random_state=0).fit(env)
learned = evaluate(agent, env, 300 if SMALL else 2000, seed=0)
print(f"Q-learning on the slippery lake ({agent.n_steps_} steps, {time.perf_counter() - start:.1f} s): "
      f"success rate {learned:.1%} (the optimum: {best:.1%}); q_table_ is a {type(agent.q_table_).__module__} array "
      f"of shape {tuple(agent.q_table_.shape)}")
chosen = agent.predict(xp.arange(n_states))  # the greedy action in every cell, (16,)
same = sum(int(chosen[s]) == int(optimal[s]) for s in range(n_states) if cells[s] in "SF")
print(f"It picks value iteration's action in {same} of the {sum(c in 'SF' for c in cells)} cells where one matters "
      f"(where it differs, both moves are nearly as good: see the success rates).")

# 4. A table cannot hold Q for a cart-pole, whose state (position, speed, angle, angular speed) is a real vector.
#    DQN puts an xpml neural network in its place, Q(s, ·) = MLP(s), trained on the same targets
#    r + γ max_a' Q(s', a') with the Huber loss, from mini-batches of past steps (a replay buffer on the device)
#    and with targets from an older copy of the network that changes only every 500 steps. The return of an
#    episode is the number of steps the pole stays up, at most 500; "solved" is a mean of 195.
steps = 1500 if SMALL else 50_000
start = time.perf_counter()
dqn = DQN(total_timesteps=steps, random_state=0).fit(CartPole())
first, last = dqn.episode_returns_[:10], dqn.episode_returns_[-10:]
print(f"\nDQN on the cart-pole, {steps} steps in {time.perf_counter() - start:.1f} s: mean return of the first 10 "
      f"episodes {sum(first) / len(first):.0f}, of the last 10 {sum(last) / len(last):.0f}")
print(f"Greedy policy over 20 new episodes: mean return {evaluate(dqn, CartPole(), 20, seed=1):.0f} (of 500)")

# 5. The learning curves: the return of each training episode, and its moving average.
from matplotlib.figure import Figure  # noqa: E402  (imported here: only this step draws)

fig = Figure(figsize=(11, 4.2), layout="constrained")
left, right = fig.subplots(1, 2)
plot.episode_returns(agent, window=100, ax=left, label="Q-learning", title="Q-learning on the slippery lake")
left.axhline(best, color="gray", linestyle="--", label=f"optimal policy: {best:.0%}")
left.legend(loc="lower right", fontsize="small")
plot.episode_returns(dqn, window=10, ax=right, label="DQN", title="DQN on the cart-pole")
fig.savefig(args.out, dpi=100)
print(f"\nSaved the learning curves to {args.out}")
