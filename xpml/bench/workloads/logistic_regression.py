"""Binary logistic regression on dense float64 data: xpml's L-BFGS against scikit-learn's lbfgs.

Both fit C=1, tol=1e-4 (max|∇| <= tol, or a relative loss decrease below 64·eps: scikit-learn's
settings for scipy's L-BFGS-B), max_iter=1000, from zero. The data are not well conditioned on
purpose: feature scales spread from 1 to 10 and every feature shares a common component, so both
solvers need about 60 iterations rather than a handful.

The score is the final objective, mean log-loss + ||w||²/(2·C·n), computed the same way (numpy)
for every row after the clock stops: equal scores mean both reached the same minimum.
Each L-BFGS iteration costs about one loss-and-gradient evaluation, that is two passes over X
(X·w and Xᵀr), so a fit costs about 60 times two matrix-vector products of X's shape.
"""

import numpy as np

from .._harness import Workload, host_data


def make_data(n, p, rng):
    scales = np.logspace(0, 1, p)
    X = rng.standard_normal((n, p)) * scales
    X = X + 0.5 * X[:, :1]  # a shared component: correlated features
    w = rng.standard_normal(p) / scales * 3 / np.sqrt(p)
    y = (X @ w + rng.logistic(size=n) > 0).astype(np.int64)
    return host_data("float64", X, y)


class _FinalLoss:
    """The objective at the fitted coefficients, computed only when the harness asks for the score."""

    def __init__(self, X, y, coef, intercept, C=1.0):
        self.args = X, y, coef, intercept, C

    def __float__(self):
        from xpml import to_numpy

        X, y, coef, intercept, C = self.args
        w = to_numpy(coef).reshape(-1)
        z = X @ w + to_numpy(intercept).reshape(-1)[0]
        return float(np.mean(np.logaddexp(0, z) - y * z) + w @ w / (2 * C * len(y)))


def run_xpml(backend, X, y):
    from xpml._backend import to_backend
    from xpml.linear_model import LogisticRegression

    Xb, yb = to_backend(X, backend), to_backend(y, backend)  # the data already lives on the device

    def run():
        model = LogisticRegression(C=1.0, tol=1e-4, max_iter=1000, backend=backend).fit(Xb, yb)
        return model.coef_, _FinalLoss(X, y, model.coef_, model.intercept_)

    return run


def run_sklearn(X, y):
    from sklearn.linear_model import LogisticRegression

    def run():
        model = LogisticRegression(C=1.0, tol=1e-4, max_iter=1000, solver="lbfgs").fit(X, y)
        return model.coef_, _FinalLoss(X, y, model.coef_, model.intercept_)

    return run


WORKLOAD = Workload(
    name="logistic_regression",
    sizes={"quick": [(10_000, 50)], "full": [(100_000, 100)], "large": [(2_000_000, 256)]},
    dtype="float64",
    make_data=make_data,
    run_xpml=run_xpml,
    run_sklearn=run_sklearn,
    flops=None,  # set by the iteration count, which the table does not show
    notes="Same tol (1e-4) and stopping rules; the score column is the final objective.",
)
