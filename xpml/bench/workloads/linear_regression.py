"""Least squares on dense float64 data: xpml's QR + small SVD against scikit-learn's LinearRegression."""

from .._harness import Workload, host_data

def make_data(n, p, rng):
    X = rng.standard_normal((n, p))
    y = X @ rng.standard_normal(p) + 0.1 * rng.standard_normal(n)
    return host_data("float64", X, y)

def run_xpml(backend, X, y):
    from xpml._backend import to_backend
    from xpml.linear_model import LinearRegression

    Xb, yb = to_backend(X, backend), to_backend(y, backend)  # the data already lives on the device

    def run():
        model = LinearRegression(backend=backend).fit(Xb, yb)
        return model.coef_, model.score(Xb, yb)

    return run

def run_sklearn(X, y):
    from sklearn.linear_model import LinearRegression

    def run():
        model = LinearRegression().fit(X, y)
        return model.coef_, model.score(X, y)

    return run

WORKLOAD = Workload(
    name="linear_regression",
    sizes={"quick": [(10_000, 50)], "full": [(20_000, 50), (200_000, 100)], "large": [(2_000_000, 512)]},
    dtype="float64",
    make_data=make_data,
    run_xpml=run_xpml,
    run_sklearn=run_sklearn,
    flops=lambda n, p: 4.0 * n * p * p,  # a Householder QR with Q formed, the same count for every contender
    gemm=lambda n, p: (p, n, p),  # as much work as the product Xᵀ X
)
