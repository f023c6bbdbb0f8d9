"""xpml.utils._compile: compiled functions and loops (jax.jit, lax.scan on jax) against the plain ones."""

import numpy as np
import pytest

from tests.helpers import assert_allclose, assert_on_backend
from xpml._backend import to_backend
from xpml.neural_network import _backprop as bp
from xpml import to_numpy
from xpml.utils._compile import compiled, compiled_steps
from xpml.utils._random import check_random_state


def _softplus_sum(xp, x, *, scale: float):
    return xp.sum(xp.log(1 + xp.exp(scale * x)), axis=0)


def test_compiled_equals_the_plain_function(backend):
    x = to_backend(np.random.default_rng(0).standard_normal((5, 3)), backend)
    fast = compiled(_softplus_sum, backend, static_argnames=("xp", "scale"))
    assert (fast is _softplus_sum) == (backend.name != "jax")
    for scale in (1.0, -2.0):  # a new static value compiles a new version, with its own result
        got = fast(backend.xp, x, scale=scale)
        assert_on_backend(got, backend)
        assert_allclose(got, _softplus_sum(backend.xp, x, scale=scale), rtol=1e-14)
    assert compiled(_softplus_sum, backend, static_argnames=("xp", "scale")) is fast  # made once per function


def test_compiled_backpropagation_equals_the_plain_one(backend):
    units = (4, 5, 3)
    rng = check_random_state(0)
    coefs, intercepts = bp.glorot_uniform(rng, backend, list(units), "tanh", "float64")
    theta = bp.pack(backend.xp, coefs, intercepts)
    X = to_backend(rng.standard_normal((6, 4)), backend)
    Y = to_backend(np.eye(3)[rng.integers(0, 3, 6)], backend)
    kw = dict(layer_units=units, activation="tanh", out_activation="softmax", loss="log_loss", alpha=0.1)
    fast = compiled(bp.flat_loss_and_gradient, backend,
                    static_argnames=("xp", "layer_units", "activation", "out_activation", "loss", "alpha"))
    J_fast, g_fast = fast(backend.xp, theta, X, Y, **kw)
    J, g = bp.flat_loss_and_gradient(backend.xp, theta, X, Y, **kw)
    assert float(J_fast) == pytest.approx(float(J), rel=1e-14)
    assert_allclose(g_fast, g, rtol=1e-12, atol=1e-15)


def _decay_step(xp, scale, carry, x):
    value, total = carry
    rate, keep = x
    value = value * (1.0 - rate) + scale * keep
    return value, total + xp.sum(value)


def test_compiled_steps_equal_the_python_loop(backend):
    xp = backend.xp
    rng = np.random.default_rng(0)
    rates, keeps = rng.uniform(0, 0.5, 7), rng.integers(0, 2, 7).astype(float)
    value = to_backend(rng.standard_normal(3), backend)
    carry = (value, xp.zeros((), dtype=value.dtype, device=value.device))
    xs = (to_backend(rates, backend), to_backend(keeps, backend))
    run = compiled_steps(_decay_step, backend, n_static=1)
    got_value, got_total = run(xp, 2.0, carry, xs)
    expected, total = to_numpy(value), 0.0
    for rate, keep in zip(rates, keeps):
        expected = expected * (1.0 - rate) + 2.0 * keep
        total += expected.sum()
    assert_on_backend(got_value, backend)
    assert_allclose(got_value, expected, rtol=1e-12)
    assert float(got_total) == pytest.approx(total, rel=1e-12)
