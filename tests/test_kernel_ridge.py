"""KernelRidge on every backend against scikit-learn's (the same linear system, solved exactly: rtol 1e-9)."""

import numpy as np
import pytest
from sklearn.kernel_ridge import KernelRidge as SkKernelRidge

from tests._common_recipes import DATA
from tests.helpers import assert_allclose, assert_on_backend
from xpml.datasets import load_diabetes
from xpml.kernel_ridge import KernelRidge

X, y = load_diabetes(return_X_y=True)
X, y = X[:80], y[:80]
Y = np.c_[y, np.sqrt(y)]
WEIGHT = np.random.default_rng(0).uniform(0.5, 2.0, len(y))


@pytest.mark.parametrize("params, targets, weighted", [
    (dict(), y, False),
    (dict(kernel="rbf", gamma=2.0, alpha=0.1), Y, True),
    (dict(kernel="poly", degree=2, alpha=[1.0, 0.3]), Y, False),
    (dict(kernel="sigmoid", gamma=0.5), y, True),
], ids=["linear", "rbf-weighted-2-targets", "poly-per-target-alpha", "sigmoid-weighted"])
def test_kernel_ridge_is_sklearns(backend, params, targets, weighted):
    if backend.name != "numpy" and params.get("kernel") in (None, "sigmoid"):
        pytest.skip("numpy runs the linear and sigmoid kernels; the other backends the two with more to check")
    X_fit, weight = X, WEIGHT if weighted else None
    if backend.name == "jax":  # jax compiles per shape: the common tests' data, compiled once for both
        X_fit, t = DATA["regression"]
        targets, weight = (np.c_[t, t ** 2] if params["kernel"] == "poly" else t), None
    ours = KernelRidge(**params).fit(X_fit, targets, sample_weight=weight)
    ref = SkKernelRidge(**params).fit(X_fit, targets, sample_weight=weight)
    assert_on_backend(ours.dual_coef_, backend)
    assert ours.dual_coef_.shape == ref.dual_coef_.shape
    assert_allclose(ours.dual_coef_, ref.dual_coef_, rtol=1e-9, atol=1e-9 * np.abs(ref.dual_coef_).max())
    new = X_fit[::7] + 0.01
    assert_allclose(ours.predict(new), ref.predict(new), rtol=1e-9, atol=1e-9 * np.abs(targets).max())


def test_precomputed_kernel_is_the_kernel(backend):
    if backend.name == "jax":
        pytest.skip("the array code of the other tests; jax would compile the shapes of this data again")
    K = X @ X.T
    ours = KernelRidge(kernel="precomputed", alpha=0.5).fit(K, y)
    ref = KernelRidge(alpha=0.5).fit(X, y)
    assert_allclose(ours.predict(K[:9]), ref.predict(X[:9]), rtol=1e-9)
    with pytest.raises(ValueError, match="alpha"):
        KernelRidge(alpha=[1.0, 2.0, 3.0]).fit(X, Y)
