"""The SGD losses and learning-rate schedules: values against closed forms, derivatives against
finite differences, on every backend."""

import math

import numpy as np
import pytest

from tests.helpers import assert_allclose
from xpml.linear_model._sgd_losses import CLASSIFICATION_LOSSES, REGRESSION_LOSSES, make_loss
from xpml.linear_model._sgd_solver import SGDSettings, learning_rate_at

EPSILON = 0.3
# Targets and scores on a grid that avoids the kinks (margins y·p of exactly 1, 0 or -1, and
# residuals of exactly ±ε), where the derivative is one-sided.
Y_CLASS = np.array([1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, 1.0])
P = np.array([-2.7, -0.55, -0.2, 0.35, 0.8, 1.6, 2.5, 40.0])
Y_REAL = np.array([0.1, -0.4, 0.25, 1.0, -2.0, 0.6, 2.1, 39.0])


def _closed_form(name, y, p):
    z, r = y * p, p - y
    return {
        "hinge": np.maximum(0, 1 - z),
        "perceptron": np.maximum(0, -z),
        "squared_hinge": np.maximum(0, 1 - z) ** 2,
        "log_loss": np.log1p(np.exp(-z)),
        "modified_huber": np.where(z >= 1, 0, np.where(z >= -1, (1 - z) ** 2, -4 * z)),
        "squared_error": r**2 / 2,
        "huber": np.where(np.abs(r) <= EPSILON, r**2 / 2, EPSILON * np.abs(r) - EPSILON**2 / 2),
        "epsilon_insensitive": np.maximum(0, np.abs(r) - EPSILON),
        "squared_epsilon_insensitive": np.maximum(0, np.abs(r) - EPSILON) ** 2,
    }[name]


@pytest.mark.parametrize("name", CLASSIFICATION_LOSSES)
def test_loss_values_and_derivatives(xp, device, name):
    loss = make_loss(name, EPSILON)
    y_host = Y_REAL if name in REGRESSION_LOSSES else Y_CLASS
    y, p = xp.asarray(y_host, device=device), xp.asarray(P, device=device)
    assert_allclose(loss.value(xp, y, p), _closed_form(name, y_host, P), rtol=1e-12, atol=1e-15)
    h = 1e-6  # central differences: error O(h²) on these smooth pieces, rounding O(1e-16 / h)
    numeric = (_closed_form(name, y_host, P + h) - _closed_form(name, y_host, P - h)) / (2 * h)
    assert_allclose(loss.gradient(xp, y, p), numeric, rtol=1e-6, atol=1e-8)


def test_log_loss_is_stable_for_large_margins(xp, device):
    loss = make_loss("log_loss", EPSILON)
    y, p = xp.asarray([1.0, 1.0, -1.0], device=device), xp.asarray([-800.0, 800.0, 800.0], device=device)
    assert_allclose(loss.value(xp, y, p), [800.0, 0.0, 800.0], rtol=1e-12)
    assert_allclose(loss.gradient(xp, y, p), [-1.0, 0.0, 1.0], rtol=1e-12)


def _settings(**changes):
    base = dict(loss=None, alpha=1e-4, l1_ratio=0.0, penalized=True, learning_rate="optimal", eta0=0.5,
                power_t=0.25, fit_intercept=True, batch_size=1, shuffle=True, tol=None, n_iter_no_change=5,
                average=0, verbose=0)
    return SGDSettings(**{**base, **changes})


def test_learning_rate_schedules():
    # "optimal": the first step is sqrt(1/sqrt(alpha)) = 10 for alpha=1e-4, then 1 / (alpha (t0 + t - 1)).
    optimal = _settings(learning_rate="optimal")
    t0 = 1 / (10 * 1e-4)
    assert learning_rate_at(optimal, 1) == pytest.approx(10.0, rel=1e-14)
    assert learning_rate_at(optimal, 501) == pytest.approx(1 / (1e-4 * (t0 + 500)), rel=1e-14)
    assert learning_rate_at(_settings(learning_rate="invscaling"), 16) == pytest.approx(0.5 / 2, rel=1e-14)
    assert learning_rate_at(_settings(learning_rate="constant"), 1000) == 0.5
    assert learning_rate_at(_settings(learning_rate="adaptive"), 1000) == 0.5  # divided per column on stalls
    assert math.isfinite(learning_rate_at(_settings(alpha=1e-12), 10**9))
