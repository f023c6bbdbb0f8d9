"""The shared optimizers on problems whose minimum is known, on every backend.

Oracles: closed forms (quadratics, an orthogonal-design lasso), Rosenbrock's minimum at (1, ..., 1),
scipy's L-BFGS-B and scikit-learn's Lasso and MLP optimizers.
"""

import math

import numpy as np
import pytest
from sklearn.linear_model import Lasso as SkLasso
from sklearn.neural_network._stochastic_optimizers import AdamOptimizer, SGDOptimizer

from tests.helpers import assert_allclose, assert_on_backend
from xpml.optim import SGD, Adam, fista, gradient_descent, lbfgs, soft_threshold, strong_wolfe

scipy = pytest.importorskip("scipy")
pytest.importorskip("scipy.optimize")

RNG = np.random.default_rng(0)  # module-level problems only: each test that draws makes its own generator
Q, _ = np.linalg.qr(RNG.standard_normal((20, 20)))
A_QUAD = Q @ np.diag(np.linspace(1.0, 100.0, 20)) @ Q.T  # SPD, condition number 100, L = 100
B_QUAD = RNG.standard_normal(20)
X_STAR = np.linalg.solve(A_QUAD, B_QUAD)


def quadratic(xp, device):
    """f(x) = x·Ax/2 - b·x, minimized at A⁻¹b."""
    A, b = xp.asarray(A_QUAD, device=device), xp.asarray(B_QUAD, device=device)

    def fun(x):
        Ax = A @ x
        return 0.5 * (x @ Ax) - b @ x, Ax - b

    return fun


def rosenbrock(xp, device):
    """Σ 100 (x_{i+1} - x_i²)² + (1 - x_i)², minimized at (1, ..., 1)."""

    def fun(x):
        head, tail = x[:-1], x[1:]
        r = tail - head * head
        zero = xp.zeros(1, dtype=x.dtype, device=device)
        grad = xp.concat([-400.0 * head * r - 2.0 * (1.0 - head), zero]) + xp.concat([zero, 200.0 * r])
        return xp.sum(100.0 * r * r + (1.0 - head) ** 2), grad

    return fun


def logistic_problem():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((200, 5))
    y = (X @ np.array([1.0, -2.0, 0.5, 0.0, 1.5]) + rng.standard_normal(200) > 0).astype(float)
    return X, y


def logistic(xp, device, X, y):
    """The mean logistic loss plus 0.01·||w||²/2, in a numerically stable form."""
    Xb, yb = xp.asarray(X, device=device), xp.asarray(y, device=device)

    def fun(w):
        z = Xb @ w
        e = xp.exp(-xp.abs(z))
        loss = xp.mean(0.5 * (z + xp.abs(z)) + xp.log1p(e) - yb * z) + 0.005 * (w @ w)
        p = xp.where(z >= 0, 1.0, e) / (1.0 + e)
        return loss, Xb.T @ (p - yb) / X.shape[0] + 0.01 * w

    return fun


# ---- L-BFGS -----------------------------------------------------------------------------------


def test_lbfgs_finds_the_minimum_of_a_quadratic(backend, xp, device):
    x0 = xp.zeros(20, dtype=xp.float64, device=device)
    # tol=1e-7: below that, loss decreases (|grad|²/L ~ 1e-16) drown in the rounding of f, for any line search
    res = lbfgs(quadratic(xp, device), x0, max_iter=200, tol=1e-7, ftol=0.0)
    assert res.converged and res.message == "max|grad| <= tol"
    assert isinstance(res.n_iter, int) and isinstance(res.converged, bool) and isinstance(res.fun, float)
    assert_on_backend(res.x, backend)
    assert_allclose(res.x, X_STAR, rtol=0, atol=5e-7)  # |x - x*| <= |A⁻¹| |grad|₂ <= 1 · 1e-7 · √20
    assert res.fun == pytest.approx(-0.5 * B_QUAD @ X_STAR, rel=1e-14)
    assert res.n_iter <= 60  # L-BFGS on a 20-dimensional quadratic of condition 100


def test_lbfgs_reads_the_device_once_per_iteration(monkeypatch):
    """Each iteration brings its scalars to the host in one transfer when the line search takes its first
    trial step, and one more per further trial (on this quadratic, a handful in all): a GPU waits about
    once per step."""
    import xpml.optim._lbfgs as lbfgs_module
    import xpml.optim._line_search as line_search_module

    reads, read = [], line_search_module.read_scalars

    def counting(*values):
        reads.append(len(values))
        return read(*values)

    monkeypatch.setattr(lbfgs_module, "read_scalars", counting)
    monkeypatch.setattr(line_search_module, "read_scalars", counting)
    res = lbfgs(quadratic(np, None), np.zeros(20), max_iter=200, tol=1e-7, ftol=0.0)
    assert res.converged and res.message == "max|grad| <= tol"
    extra_trials = res.n_fev - 1 - res.n_iter  # beyond the start and one trial per iteration
    assert len(reads) == res.n_iter + 1 + extra_trials  # the first iteration reads its slope, then its trial
    assert extra_trials <= 5 < 30 <= res.n_iter
    assert_allclose(res.x, X_STAR, rtol=0, atol=5e-7)


def test_lbfgs_spends_no_trial_step_once_converged():
    """max|g| at a trial step comes to the host with its loss: when the line search takes that first trial, the
    next iteration sees convergence before it evaluates a trial of its own, so the solution is the last point
    evaluated (scipy's L-BFGS-B evaluates no further point either)."""
    evaluated, fun = [], quadratic(np, None)

    def recording(x):
        evaluated.append(x)
        return fun(x)

    res = lbfgs(recording, np.zeros(20), max_iter=200, tol=1e-7, ftol=0.0)
    assert res.converged and res.message == "max|grad| <= tol" and len(evaluated) == res.n_fev
    assert evaluated[-1] is res.x


@pytest.mark.parametrize("n", [2, 10])
def test_lbfgs_finds_the_minimum_of_rosenbrock_as_fast_as_scipy(backend, xp, device, n):
    start = np.where(np.arange(n) % 2 == 0, -1.2, 1.0)
    res = lbfgs(rosenbrock(xp, device), xp.asarray(start, device=device), max_iter=500, tol=1e-8)
    ref = scipy.optimize.minimize(
        lambda x: (scipy.optimize.rosen(x), scipy.optimize.rosen_der(x)), start, jac=True, method="L-BFGS-B",
        options=dict(gtol=1e-8, ftol=64 * np.finfo(float).eps, maxiter=500),
    )
    assert res.converged
    assert_allclose(res.x, np.ones(n), rtol=0, atol=1e-6)
    assert res.fun < 1e-12
    assert res.n_iter <= 1.2 * ref.nit + 5 and res.n_fev <= 1.2 * ref.nfev + 5


def test_lbfgs_matches_scipy_on_a_logistic_loss(backend, xp, device):
    X, y = logistic_problem()
    res = lbfgs(logistic(xp, device, X, y), xp.zeros(5, dtype=xp.float64, device=device), tol=1e-9, ftol=0.0)
    numpy_fun = logistic(np, "cpu", X, y)
    ref = scipy.optimize.minimize(lambda w: tuple(map(np.asarray, numpy_fun(w))), np.zeros(5), jac=True,
                                  method="L-BFGS-B", options=dict(gtol=1e-9, ftol=0))
    assert res.converged and ref.success
    # The Hessian is >= 0.01 I, so each solution is within |grad|₂ / 0.01 <= 1e-9·√5 / 0.01 < 2.5e-7 of the minimum.
    assert_allclose(res.x, ref.x, rtol=0, atol=5e-7)
    assert res.fun == pytest.approx(ref.fun, rel=1e-13)


def test_lbfgs_reports_max_iter_and_callback_stops(xp, device):
    fun = rosenbrock(xp, device)
    x0 = xp.asarray([-1.2, 1.0], device=device)
    res = lbfgs(fun, x0, max_iter=3)
    assert not res.converged and res.n_iter == 3 and res.message == "max_iter=3 reached"
    seen = []
    res = lbfgs(fun, x0, callback=lambda x: seen.append(float(x[0])) or len(seen) == 5)
    assert res.n_iter == 5 and len(seen) == 5 and not res.converged
    assert seen[-1] == float(res.x[0])


def test_lbfgs_stops_on_relative_loss_decrease(xp, device):
    res = lbfgs(quadratic(xp, device), xp.zeros(20, dtype=xp.float64, device=device), tol=0.0, ftol=1e-3)
    assert res.converged and res.message == "relative decrease of the loss <= ftol"
    assert float(xp.max(xp.abs(res.grad))) > 1e-10  # it stopped before the gradient test could pass


def test_lbfgs_refuses_a_non_finite_start(xp, device):
    def fun(x):
        return xp.sum(x * x) * float("nan"), 2.0 * x

    with pytest.raises(ValueError, match="loss at the starting point is nan"):
        lbfgs(fun, xp.asarray([-1.0, 2.0], device=device))


# ---- the line search --------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # the long step overflows, on purpose
@pytest.mark.parametrize("first_step", [1e-4, 1.0, 1e3])
def test_line_search_satisfies_the_strong_wolfe_conditions(xp, device, first_step):
    def fun(x):  # Σ cosh(3x) - 2x: overflows to inf far along the line
        return xp.sum(xp.cosh(3.0 * x) - 2.0 * x), 3.0 * xp.sinh(3.0 * x) - 2.0

    x = xp.asarray([1.0, -0.5], device=device)
    f0, g0 = fun(x)
    d = -g0
    slope0 = float(g0 @ d)
    res = strong_wolfe(fun, x, d, float(f0), slope0, first_step, c1=1e-4, c2=0.9)
    assert res.ok and res.wolfe
    assert res.f <= float(f0) + 1e-4 * res.step * slope0
    assert abs(float(res.grad @ d)) <= 0.9 * abs(slope0)
    assert_allclose(res.x, xp.asarray(x + res.step * d), rtol=1e-15)


# ---- gradient descent -------------------------------------------------------------------------


@pytest.mark.parametrize("momentum, nesterov", [(0.0, False), (0.9, False), (0.9, True)])
def test_gradient_descent_finds_the_minimum_of_a_quadratic(backend, xp, device, momentum, nesterov):
    x0 = xp.zeros(20, dtype=xp.float64, device=device)
    res = gradient_descent(quadratic(xp, device), x0, learning_rate=1 / 100, momentum=momentum,
                           nesterov=nesterov, max_iter=5000, tol=1e-9)
    assert res.converged and res.n_iter % 10 == 0
    assert_on_backend(res.x, backend)
    assert_allclose(res.x, X_STAR, rtol=0, atol=1e-9)


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # numpy's notice of the blow-up
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_gradient_descent_warns_of_divergence_with_the_learning_rate(xp, device):
    x0 = xp.zeros(20, dtype=xp.float64, device=device)
    with pytest.raises(ValueError, match=r"diverged with learning_rate=0.1\. Try a smaller learning_rate"):
        gradient_descent(quadratic(xp, device), x0, learning_rate=0.1, momentum=0.0, max_iter=10_000)


def test_gradient_descent_stops_at_max_iter(xp, device):
    x0 = xp.zeros(20, dtype=xp.float64, device=device)
    res = gradient_descent(quadratic(xp, device), x0, learning_rate=1e-3, max_iter=25)
    assert not res.converged and res.n_iter == 25 and res.message == "max_iter=25 reached"


# ---- FISTA ------------------------------------------------------------------------------------


def test_soft_threshold(xp, device):
    x = xp.asarray([-3.0, -0.5, 0.0, 0.7, 2.0], device=device)
    assert_allclose(soft_threshold(x, 1.0), [-2.0, 0.0, 0.0, 0.0, 1.0], rtol=0, atol=0)


def lasso_fun(xp, device, X, y, alpha):
    """f(w) = ||y - X w||² / (2n), h(w) = alpha ||w||₁ (scikit-learn's Lasso objective)."""
    Xb, yb, n = xp.asarray(X, device=device), xp.asarray(y, device=device), X.shape[0]

    def fun(w):
        r = yb - Xb @ w
        return (r @ r) / (2 * n), -(Xb.T @ r) / n

    def prox(v, step):
        return soft_threshold(v, alpha * step)

    return fun, prox, np.linalg.eigvalsh(X.T @ X / n)[-1]


def test_fista_solves_an_orthogonal_lasso_exactly(backend, xp, device):
    # With XᵀX = n I the lasso solution is soft_threshold(Xᵀy / n, alpha), coordinate by coordinate.
    n, p, alpha, rng = 64, 8, 0.3, np.random.default_rng(2)
    X = np.linalg.qr(rng.standard_normal((n, p)))[0] * math.sqrt(n)
    y = X @ np.array([2.0, -1.0, 0.2, 0.0, 0.5, -0.25, 1.0, 0.1]) + 0.1 * rng.standard_normal(n)
    fun, prox, L = lasso_fun(xp, device, X, y, alpha)
    res = fista(fun, prox, xp.zeros(p, dtype=xp.float64, device=device), lipschitz=L, tol=1e-12)
    expected = np.sign(X.T @ y / n) * np.maximum(np.abs(X.T @ y / n) - alpha, 0)
    assert res.converged and res.n_iter <= 20  # L = 1: one proximal step is exact
    assert_on_backend(res.x, backend)
    assert_allclose(res.x, expected, rtol=1e-12, atol=1e-14)


def test_fista_matches_sklearn_lasso_on_correlated_features(backend, xp, device):
    n, p, alpha, rng = 100, 12, 0.05, np.random.default_rng(3)
    base = rng.standard_normal((n, p))
    X = base + 0.8 * base[:, :1]  # strongly correlated columns
    y = X[:, :4] @ np.array([1.0, -0.5, 0.25, 2.0]) + 0.3 * rng.standard_normal(n)
    fun, prox, L = lasso_fun(xp, device, X, y, alpha)
    res = fista(fun, prox, xp.zeros(p, dtype=xp.float64, device=device), lipschitz=L, max_iter=20_000, tol=1e-11)
    ref = SkLasso(alpha=alpha, fit_intercept=False, tol=1e-14, max_iter=100_000).fit(X, y)
    assert res.converged
    assert_allclose(res.x, ref.coef_, rtol=1e-7, atol=1e-9)
    assert set(np.flatnonzero(np.asarray(ref.coef_))) == set(np.flatnonzero(np.asarray(_np(res.x))))


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # numpy's notice of the blow-up
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_fista_uses_a_given_criterion_and_detects_a_bad_lipschitz_constant(xp, device):
    fun = quadratic(xp, device)
    x0 = xp.zeros(20, dtype=xp.float64, device=device)
    calls = []
    res = fista(fun, lambda v, step: v, x0, lipschitz=100.0, tol=0.5,
                criterion=lambda x: calls.append(1) or float(xp.max(xp.abs(fun(x)[1]))), check_every=5)
    assert res.converged and res.n_iter == 5 * len(calls) and float(xp.max(xp.abs(res.grad))) <= 0.5
    with pytest.raises(ValueError, match="lipschitz=1.0 is too small"):
        fista(fun, lambda v, step: v, x0, lipschitz=1.0, max_iter=5000)


# ---- SGD and Adam -----------------------------------------------------------------------------


def _np(x):
    import xpml

    return xpml.to_numpy(x)


@pytest.mark.parametrize("make", ["sgd", "sgd-classical", "adam"])
def test_steps_match_sklearn_mlp_optimizers(backend, xp, device, make):
    shapes, rng = [(4, 3), (3,)], np.random.default_rng(4)
    params = [rng.standard_normal(s) for s in shapes]
    grads = [[rng.standard_normal(s) for s in shapes] for _ in range(6)]
    ref_params = [p.copy() for p in params]
    ours_params = [xp.asarray(p, device=device) for p in params]
    if make == "adam":
        ref, ours = AdamOptimizer(ref_params, 0.01), Adam(ours_params, learning_rate=0.01)
    else:
        nesterov = make == "sgd"
        ref = SGDOptimizer(ref_params, 0.1, momentum=0.8, nesterov=nesterov)
        ours = SGD(ours_params, learning_rate=0.1, momentum=0.8, nesterov=nesterov)
    for k, g in enumerate(grads):
        if k == 3 and make != "adam":  # a schedule changes the learning rate between steps
            ref.learning_rate = ours.learning_rate = 0.02
        if k == 3 and make == "adam":
            ref.learning_rate_init = ours.learning_rate = 0.002
        ref.update_params(ref_params, g)
        new = ours.step(ours_params, [xp.asarray(gi, device=device) for gi in g])
        assert new[0] is not ours_params[0]  # new arrays, nothing written in place
        ours_params = new
    for ours_p, ref_p in zip(ours_params, ref_params):
        assert_on_backend(ours_p, backend)
        assert_allclose(ours_p, ref_p, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name", ["sgd", "adam"])
def test_step_optimizers_minimize_a_quadratic(xp, device, name):
    fun = quadratic(xp, device)
    x = xp.zeros(20, dtype=xp.float64, device=device)
    opt = SGD([x], learning_rate=0.005) if name == "sgd" else Adam([x], learning_rate=0.05)
    for t in range(3000):
        if name == "adam":  # a decaying rate, set by the caller: Adam's steps shrink only with it
            opt.learning_rate = 0.05 / math.sqrt(1 + t / 10)
        (x,) = opt.step([x], [fun(x)[1]])
    assert_allclose(x, X_STAR, rtol=0, atol=1e-12)
