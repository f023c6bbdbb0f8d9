"""Reinforcement learning (xpml.rl): the environments' rules, Q-learning and SARSA against hand-computed
updates and value iteration, DQN's gradient against finite differences, and the same run on every backend."""

import math
import os

import numpy as np
import pytest

import xpml
from tests.helpers import assert_on_backend
from xpml.envs import Box, Discrete
from xpml.rl import DQN, SARSA, CartPole, FrozenLake, QLearning, evaluate
from xpml.rl._dqn import huber_td_loss_and_gradient
from xpml.utils._compile import compiled

LEFT, DOWN, RIGHT, UP = 0, 1, 2, 3


# ---- value iteration: the oracle ---------------------------------------------------------------


def q_star(env, horizon, gamma=1.0, policy=None):
    """Q over the last `horizon` steps by backward induction on env.P (the greedy policy's, or `policy`'s)."""
    n = env.observation_space.n
    T, R = np.zeros((n, 4, n)), np.zeros((n, 4))  # P(s' | s, a) of the steps that go on, and E[r | s, a]
    for s in range(n):
        for a in range(4):
            for p, s2, r, done in env.P[s][a]:
                T[s, a, s2] += 0.0 if done else p
                R[s, a] += p * r
    V = np.zeros(n)
    for _ in range(horizon):
        Q = R + gamma * T @ V  # (n, 4)
        V = Q.max(axis=1) if policy is None else Q[np.arange(n), policy]
    return Q, V


def success_rate(env, policy):
    """The exact probability that `policy` (an action per state) reaches the goal within the time limit."""
    return q_star(env, env.max_episode_steps, policy=np.asarray(policy))[1][0]


def test_the_optimal_success_rate_on_the_slippery_lake_is_the_published_74_percent():
    env = FrozenLake(is_slippery=True)
    _, V = q_star(env, 100)
    assert V[0] == pytest.approx(0.7442, abs=5e-4)  # within FrozenLake-v1's 100 steps
    assert q_star(env, 5000)[1][0] == pytest.approx(14 / 17, abs=1e-9)  # with no time limit: 0.8235...


# ---- the environments --------------------------------------------------------------------------


def test_frozen_lake_follows_gymnasium_rules():
    env = FrozenLake(is_slippery=True)
    assert (env.observation_space.n, env.action_space.n, env.max_episode_steps) == (16, 4, 100)
    # intended direction or either perpendicular one, 1/3 each; the border stops the agent
    assert sorted(env.P[0][RIGHT]) == sorted([(1 / 3, 1, 0.0, False), (1 / 3, 4, 0.0, False), (1 / 3, 0, 0.0, False)])
    assert sorted(env.P[14][RIGHT]) == sorted([(1 / 3, 15, 1.0, True), (1 / 3, 10, 0.0, False),
                                               (1 / 3, 14, 0.0, False)])
    assert env.P[5][LEFT] == [(1.0, 5, 0.0, True)]  # a hole ends the episode
    still = FrozenLake(is_slippery=False)
    assert still.P[1][DOWN] == [(1.0, 5, 0.0, True)] and still.P[0][UP] == [(1.0, 0, 0.0, False)]
    assert FrozenLake(map_name="8x8").max_episode_steps == 200
    still.reset(seed=0)
    steps = [still.step(LEFT) for _ in range(100)]  # against the wall: truncated at the 100th step
    assert [s[3] for s in steps] == [False] * 99 + [True] and all(s[:3] == (0, 0.0, False) for s in steps)


def test_slippery_moves_are_drawn_one_third_each():
    env = FrozenLake(is_slippery=True)
    counts = {}
    env.reset(seed=1)
    for _ in range(3000):
        env.reset()
        s = env.step(RIGHT)[0]
        counts[s] = counts.get(s, 0) + 1
    assert sorted(counts) == [0, 1, 4] and all(abs(c / 3000 - 1 / 3) < 0.03 for c in counts.values())


def test_cart_pole_integrates_the_published_equations():
    env = CartPole()
    obs, _ = env.reset(seed=3)
    assert obs.dtype == np.float32 and np.all(np.abs(obs) <= 0.05)
    x, x_dot, th, th_dot = env.state
    obs, reward, terminated, truncated, _ = env.step(1)
    # by hand: F = +10 N, m_c = 1, m_p = 0.1, l = 0.5, g = 9.8, τ = 0.02
    a = (10 + 0.05 * th_dot**2 * math.sin(th)) / 1.1
    th_acc = (9.8 * math.sin(th) - math.cos(th) * a) / (0.5 * (4 / 3 - 0.1 * math.cos(th) ** 2 / 1.1))
    x_acc = a - 0.05 * th_acc * math.cos(th) / 1.1
    expected = [x + 0.02 * x_dot, x_dot + 0.02 * x_acc, th + 0.02 * th_dot, th_dot + 0.02 * th_acc]
    np.testing.assert_allclose(env.state, expected, rtol=1e-14)
    assert (reward, terminated, truncated) == (1.0, False, False)
    env.state = np.array([0.0, 0.0, 12 * math.pi / 180 - 1e-9, 1.0])  # tips past 12 degrees on this step
    assert env.step(0)[2:4] == (True, False)
    obs, _ = env.reset(seed=0)  # a hand-tuned controller balances until the 500-step limit
    for t in range(1, 501):
        x, x_dot, th, th_dot = obs
        obs, _, terminated, truncated, _ = env.step(int(th + 0.5 * th_dot + 0.01 * x + 0.05 * x_dot > 0))
        assert not terminated and truncated == (t == 500)


def test_spaces():
    space = Discrete(4, seed=0)
    assert all(space.contains(space.sample()) for _ in range(20)) and not space.contains(4) and 3 in space
    box = CartPole().observation_space
    assert isinstance(box, Box) and box.shape == (4,) and box.contains(box.sample())
    with pytest.raises(ValueError, match="n=0 should be an int >= 1"):
        Discrete(0)
    with pytest.raises(ValueError, match="action=4 should be an int in 0 .. 3"):
        FrozenLake().step(4)


# ---- tabular agents ----------------------------------------------------------------------------


class Corridor:
    """Two cells then the end: any action moves one cell on; action a pays `pay[a]`."""

    observation_space, action_space = Discrete(3), Discrete(2)

    def __init__(self, pay=(1.0, 0.0)):
        self.pay = pay

    def reset(self, *, seed=None, options=None):
        self.s = 0
        return 0, {}

    def step(self, action):
        self.s += 1
        return self.s, self.pay[action], self.s == 2, False, {}


@pytest.mark.parametrize("Agent", [QLearning, SARSA])
def test_the_update_matches_a_hand_computed_one(Agent):
    agent = Agent(n_episodes=2, learning_rate=0.5, gamma=0.9, epsilon_start=0.0, epsilon_end=0.0, random_state=0,
                  backend="numpy").fit(Corridor(pay=(1.0, 1.0)))
    # Greedy (ε = 0), ties broken at random: call a and b the actions first taken in cells 0 and 1.
    # episode 1: Q(0,a) <- 0 + 0.5 (1 + 0.9 · max Q(1, ·) - 0) = 0.5, then Q(1,b) <- 0.5 (1 - 0) = 0.5 (1 is the end)
    # episode 2, a and b again (now the best): Q(0,a) <- 0.5 + 0.5 (1 + 0.9 · 0.5 - 0.5) = 0.975,
    #            then Q(1,b) <- 0.5 + 0.5 (1 - 0.5) = 0.75
    table = np.sort(agent.q_table_, axis=1)
    np.testing.assert_array_equal(table, [[0.0, 0.975], [0.0, 0.75], [0.0, 0.0]])
    assert agent.episode_returns_ == [2.0, 2.0] and agent.n_steps_ == 4


@pytest.mark.parametrize(("Agent", "q0"), [(QLearning, [1.9, 0.9]), (SARSA, [1.45, 0.45])])
def test_q_learning_learns_the_greedy_policys_values_and_sarsa_its_own(Agent, q0):
    """Acting at random (ε = 1) in the corridor: Q(1, ·) = (1, 0) for both; from cell 0, Q-learning's target
    looks ahead greedily, r + 0.9 · 1, and SARSA's at the random next action, r + 0.9 · (1 + 0) / 2."""
    agent = Agent(n_episodes=10_000, learning_rate=0.002, gamma=0.9, epsilon_start=1.0, epsilon_end=1.0, random_state=0,
                  backend="numpy").fit(Corridor())
    # SARSA's values keep the noise of the random a' in its targets: σ ≈ 0.015 at this learning rate
    np.testing.assert_allclose(agent.q_table_[:2], [q0, [1.0, 0.0]], atol=0.04)


def test_q_learning_solves_the_grid_world(xp, backend):
    env = FrozenLake(is_slippery=False)
    agent = QLearning(n_episodes=600, random_state=0).fit(env)
    assert_on_backend(agent.q_table_, backend)
    policy = xpml.to_numpy(agent.predict(xp.arange(16)))
    gamma = 0.99
    V_star = q_star(env, 100, gamma)[1]
    assert V_star[0] == pytest.approx(gamma**5)  # six moves to the goal at best
    assert q_star(env, 100, gamma, policy)[1][0] == pytest.approx(V_star[0])  # the learned policy is optimal


_REFERENCE = {}


def test_q_learning_reaches_the_optimal_success_rate_on_the_slippery_lake():
    """Within 5 points of the optimal policy's 74.4% (value iteration): the greedy policy's exact success rate."""
    env = FrozenLake(is_slippery=True)
    agent = QLearning(n_episodes=3000, random_state=0, backend="numpy").fit(env)  # within 5 points for seeds 0 to 9
    policy = agent.predict(np.arange(16))
    assert success_rate(env, policy) >= q_star(env, 100)[1][0] - 0.05


def test_the_same_seed_gives_the_same_table_on_every_backend(xp, backend):
    """The updates are float64 host arithmetic on the same random draws: the tables are equal, bit for bit
    (so the slippery result above holds on every backend)."""
    env = FrozenLake(is_slippery=True)
    settings = {"n_episodes": 300, "random_state": 1}
    agent = QLearning(**settings).fit(env)
    if "table" not in _REFERENCE:
        reference = agent if backend.name == "numpy" else QLearning(**settings, backend="numpy").fit(env)
        _REFERENCE["table"] = xpml.to_numpy(reference.q_table_)
    np.testing.assert_array_equal(xpml.to_numpy(agent.q_table_), _REFERENCE["table"])
    assert agent.q_table_.dtype == xp.float64 and np.abs(_REFERENCE["table"]).max() > 0.1


def test_sarsa_solves_the_grid_world_and_evaluate_estimates_the_success_rate():
    env = FrozenLake(is_slippery=False)
    agent = SARSA(n_episodes=600, random_state=0, backend="numpy").fit(env)
    assert agent.predict(14) == RIGHT and evaluate(agent, env, 3) == 1.0
    assert evaluate(QLearning(n_episodes=600, random_state=0, backend="numpy").fit(env), env, 3) == 1.0
    slippery = FrozenLake(is_slippery=True)
    policy = [0, 3, 3, 3, 0, 0, 0, 0, 3, 1, 0, 0, 0, 2, 1, 0]  # value iteration's
    table = np.eye(4)[policy]
    agent = QLearning(backend="numpy").fit(Corridor())
    agent.q_table_, agent.n_states_ = agent._to_backend(table), 16
    assert evaluate(agent, slippery, 2000, seed=0) == pytest.approx(success_rate(slippery, policy), abs=0.03)


# ---- DQN ---------------------------------------------------------------------------------------


def test_the_huber_td_gradient_matches_finite_differences(xp, backend):
    rng = np.random.default_rng(0)
    units = (3, 5, 2)
    theta = rng.standard_normal(3 * 5 + 5 * 2 + 5 + 2)
    target = rng.standard_normal(theta.shape[0])
    batch = [rng.standard_normal((6, 3)), np.array([0, 1, 1, 0, 1, 0]), rng.standard_normal(6) * 3,
             rng.standard_normal((6, 3)), np.array([0.0, 1, 0, 0, 1, 0])]
    on = [xp.asarray(a, device=backend.device) for a in [theta, target, *batch]]
    fun = compiled(huber_td_loss_and_gradient, backend, static_argnames=("xp", "layer_units", "activation", "gamma"))
    J, grad = fun(xp, *on, layer_units=units, activation="tanh", gamma=0.9)  # as DQN.fit calls it
    grad = xpml.to_numpy(grad)

    def loss(t):
        return float(huber_td_loss_and_gradient(np, t, target, *batch, layer_units=units, activation="tanh",
                                                gamma=0.9)[0])

    h = 1e-6
    numeric = [(loss(theta + h * e) - loss(theta - h * e)) / (2 * h) for e in np.eye(theta.shape[0])]
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)
    d_large = huber_td_loss_and_gradient(np, theta, target, batch[0], batch[1], batch[2] + 100, batch[3], batch[4],
                                         layer_units=units, activation="tanh", gamma=0.9)
    assert float(J) == pytest.approx(loss(theta)) and float(d_large[0]) > 50  # linear, not quadratic, far out


_DQN_SMALL = {"hidden_layer_sizes": (8,), "total_timesteps": 300, "learning_starts": 100, "batch_size": 16,
              "train_freq": 4, "target_update_interval": 50, "buffer_size": 200, "random_state": 0}


def test_dqn_makes_the_same_run_on_every_backend(xp, backend):
    if backend.name == "jax":  # passes (3 s, measured), but eager jax compiles each of ~70 small operations once
        pytest.skip("compile-heavy on jax; its training step is checked, compiled, by the finite-difference test")
    agent = DQN(**_DQN_SMALL).fit(CartPole())
    if "dqn" not in _REFERENCE:
        _REFERENCE["dqn"] = agent if backend.name == "numpy" else DQN(**_DQN_SMALL, backend="numpy").fit(CartPole())
    ref = _REFERENCE["dqn"]
    assert_on_backend(agent.coefs_[0], backend)
    assert agent.episode_returns_ == ref.episode_returns_
    for got, want in zip(agent.coefs_ + agent.intercepts_, ref.coefs_ + ref.intercepts_):
        np.testing.assert_allclose(xpml.to_numpy(got), want, rtol=1e-9, atol=1e-12)
    obs = np.random.default_rng(1).uniform(-0.05, 0.05, (5, 4))
    assert xpml.to_numpy(agent.predict(xp.asarray(obs))).tolist() == ref.predict(obs).tolist()


@pytest.mark.skipif(os.environ.get("XPML_LONG_TESTS") != "1", reason="a long run: set XPML_LONG_TESTS=1")
def test_dqn_balances_the_cart_pole():
    """DQN reaches a mean return >= 195 over 100 episodes within a budget of 50,000 steps (seed 0, numpy)."""
    agent = DQN(total_timesteps=50_000, random_state=0, backend="numpy").fit(CartPole())
    assert evaluate(agent, CartPole(), 100, seed=0) >= 195


# ---- errors ------------------------------------------------------------------------------------


def test_errors_name_the_argument():
    with pytest.raises(TypeError, match="reset, step, action_space and observation_space"):
        QLearning().fit([[0, 1]])
    with pytest.raises(TypeError, match="discrete observation space"):
        QLearning().fit(CartPole())
    with pytest.raises(TypeError, match="a Box of shape"):
        DQN().fit(FrozenLake())
    with pytest.raises(ValueError, match="learning_rate=0 should be > 0"):
        QLearning(learning_rate=0).fit(FrozenLake())
    with pytest.raises(ValueError, match="hidden_layer_sizes=\\(\\) should be"):
        DQN(hidden_layer_sizes=()).fit(CartPole())
    with pytest.raises(ValueError, match="training diverged. Try a smaller learning_rate_init"):
        DQN(**{**_DQN_SMALL, "learning_rate_init": 1e300}, backend="numpy").fit(CartPole())
    with pytest.raises(xpml.exceptions.NotFittedError):
        QLearning().predict(0)
    agent = QLearning(n_episodes=1, backend="numpy").fit(FrozenLake())
    with pytest.raises(ValueError, match="observation should be in 0 .. 15"):
        agent.predict(16)
    with pytest.raises(ValueError, match="n_episodes=0 should be an int >= 1"):
        evaluate(agent, FrozenLake(), 0)


# ---- model files and figures -------------------------------------------------------------------


def test_agents_round_trip_through_a_model_file(tmp_path, xp, backend):
    from xpml.io import load, save

    agent = QLearning(n_episodes=300, random_state=1, backend="numpy").fit(FrozenLake())
    save(agent, tmp_path / "q.xpml")
    loaded = load(tmp_path / "q.xpml", backend=backend)
    assert_on_backend(loaded.q_table_, backend)
    np.testing.assert_array_equal(xpml.to_numpy(loaded.q_table_), agent.q_table_)
    assert xpml.to_numpy(loaded.predict(xp.arange(16))).tolist() == agent.predict(np.arange(16)).tolist()
    if backend.name == "numpy":  # a DQN's network and its shape come back too
        dqn = DQN(**_DQN_SMALL, backend="numpy").fit(CartPole())
        save(dqn, tmp_path / "dqn.xpml")
        obs = np.random.default_rng(2).uniform(-0.2, 0.2, (20, 4))
        assert load(tmp_path / "dqn.xpml").predict(obs).tolist() == dqn.predict(obs).tolist()


def test_the_learning_curve_figure_draws_the_moving_average():
    pytest.importorskip("matplotlib")
    from xpml import plot

    returns = [float(r) for r in np.random.default_rng(0).integers(0, 2, 60)]
    fig = plot.episode_returns(returns, window=10)
    dots, mean = fig.axes[0].lines
    np.testing.assert_array_equal(dots.get_ydata(), returns)
    np.testing.assert_allclose(mean.get_ydata(), [np.mean(returns[i - 9:i + 1]) for i in range(9, 60)])
    with pytest.raises(ValueError, match="window=0 should be >= 1"):
        plot.episode_returns(returns, window=0)


# ---- Gymnasium -----------------------------------------------------------------------------------


def test_the_environments_match_gymnasium_step_for_step_and_agents_take_its_environments():
    gym = pytest.importorskip("gymnasium")
    pairs = [(FrozenLake(is_slippery=False), gym.make("FrozenLake-v1", is_slippery=False)),
             (FrozenLake(is_slippery=True), gym.make("FrozenLake-v1", is_slippery=True)),
             (CartPole(), gym.make("CartPole-v1"))]
    rng = np.random.default_rng(0)
    for ours, theirs in pairs:  # the same seed and actions: the same observations, rewards, ends and truncations
        for episode in range(30):
            a, b = ours.reset(seed=7 if episode == 0 else None), theirs.reset(seed=7 if episode == 0 else None)
            assert np.array_equal(a[0], b[0])
            ended = False
            while not ended:
                action = int(rng.integers(ours.action_space.n))
                a, b = ours.step(action), theirs.step(action)
                assert np.array_equal(a[0], b[0]) and a[1:4] == tuple(b[1:4])
                ended = a[2] or a[3]
    ours = QLearning(n_episodes=200, random_state=0, backend="numpy").fit(FrozenLake(is_slippery=True))
    theirs = QLearning(n_episodes=200, random_state=0, backend="numpy").fit(gym.make("FrozenLake-v1", is_slippery=True))
    np.testing.assert_array_equal(theirs.q_table_, ours.q_table_)


def test_agents_are_estimators():
    from sklearn.base import clone

    agent = QLearning(n_episodes=5, backend="numpy").set_params(learning_rate=0.2)
    assert agent.get_params()["learning_rate"] == 0.2
    assert repr(agent) == "QLearning(backend='numpy', learning_rate=0.2, n_episodes=5)"
    copy = clone(agent.fit(FrozenLake()))
    assert copy.get_params() == agent.get_params() and not hasattr(copy, "q_table_")
    assert DQN().get_params()["hidden_layer_sizes"] == (64, 64) and "backend" in SARSA().get_params()
