"""xpml.utils._compile.compiled: the compiled function (jax.jit on jax) against the plain one."""

import numpy as np
import pytest

from tests.helpers import assert_allclose, assert_on_backend
from xpml._backend import to_backend
from xpml.neural_network import _backprop as bp
from xpml.utils._compile import compiled
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
