"""The logistic losses against closed forms (scipy's logaddexp / logsumexp) and central differences."""

import numpy as np
import pytest

from tests.helpers import assert_allclose
from xpml.linear_model._loss import LogisticLoss

scipy = pytest.importorskip("scipy")
pytest.importorskip("scipy.special")

RNG = np.random.default_rng(0)
X = RNG.standard_normal((40, 3))
W_SAMPLE = RNG.uniform(0.5, 2.0, size=40)


def reference(theta, y, n_classes, weights, fit_intercept, l2):
    """The objective in numpy: Σ sᵢ (logsumexp(zᵢ) - z_{i,yᵢ}) / Σ sᵢ + l2/2 ||W||²."""
    W = theta.reshape(-1, 3 + fit_intercept)  # (1, p+1) binary or (K, p+1)
    Z = X @ W[:, :3].T + (W[:, 3] if fit_intercept else 0)
    if n_classes == 2:  # one logit z for class 1; class 0 has logit 0
        Z = np.column_stack([np.zeros(len(Z)), Z[:, 0]])
    pointwise = scipy.special.logsumexp(Z, axis=1) - Z[np.arange(len(y)), y]
    s = np.ones(len(y)) if weights is None else weights
    return s @ pointwise / s.sum() + 0.5 * l2 * np.sum(W[:, :3] ** 2)


@pytest.mark.parametrize("n_classes", [2, 4])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_loss_and_gradient(xp, device, n_classes, fit_intercept, weighted):
    y = np.arange(40) % n_classes
    weights = W_SAMPLE if weighted else None
    loss = LogisticLoss(xp, xp.asarray(X, device=device), xp.asarray(y, device=device),
                        None if weights is None else xp.asarray(weights, device=device),
                        n_classes=n_classes, fit_intercept=fit_intercept, l2=0.3)
    theta = RNG.standard_normal(loss.n_params())
    value, grad = loss(xp.asarray(theta, device=device))
    assert float(value) == pytest.approx(reference(theta, y, n_classes, weights, fit_intercept, 0.3), rel=1e-13)
    h = 1e-6  # central differences: error O(h²) ≈ 1e-12, rounding ≈ 1e-16 / h = 1e-10
    numeric = [(reference(theta + h * e, y, n_classes, weights, fit_intercept, 0.3)
                - reference(theta - h * e, y, n_classes, weights, fit_intercept, 0.3)) / (2 * h)
               for e in np.eye(len(theta))]
    assert_allclose(grad, numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_huge_logits_give_exact_finite_losses(xp, device, n_classes):
    y = np.arange(40) % n_classes
    loss = LogisticLoss(xp, xp.asarray(X, device=device), xp.asarray(y, device=device), None,
                        n_classes=n_classes, fit_intercept=True, l2=0.0)
    theta = 1e4 * RNG.standard_normal(loss.n_params())  # logits of order 1e4: exp would overflow
    value, grad = loss(xp.asarray(theta, device=device))
    assert np.isfinite(float(value)) and bool(xp.all(xp.isfinite(grad)))
    assert float(value) == pytest.approx(reference(theta, y, n_classes, None, True, 0.0), rel=1e-12)
