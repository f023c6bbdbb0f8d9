"""PolynomialFeatures(degree=2) on dense float64 data: one product per output column."""

from .._harness import Workload, host_data


def make_data(n, p, rng):
    return host_data("float64", rng.standard_normal((n, p)), None)


def run_xpml(backend, X, _):
    from xpml import config_context
    from xpml._backend import to_backend
    from xpml.preprocessing import PolynomialFeatures

    Xb = to_backend(X, backend)

    def run():
        with config_context(output="backend"):
            Z = PolynomialFeatures(degree=2, backend=backend).fit_transform(Xb)
        return Z, float(backend.xp.sum(Z[:, -1]))

    return run


def run_sklearn(X, _):
    from sklearn.preprocessing import PolynomialFeatures

    def run():
        Z = PolynomialFeatures(degree=2).fit_transform(X)
        return Z, float(Z[:, -1].sum())

    return run


WORKLOAD = Workload(
    name="polynomial_features",
    sizes={"quick": [(5_000, 10)], "full": [(50_000, 20), (100_000, 30)]},
    dtype="float64",
    make_data=make_data,
    run_xpml=run_xpml,
    run_sklearn=run_sklearn,
    flops=lambda n, p: n * (p + 1) * (p + 2) / 2,  # one multiplication per output entry
)
