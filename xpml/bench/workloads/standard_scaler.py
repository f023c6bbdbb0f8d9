"""StandardScaler.fit_transform on dense float64 data: two passes over X (mean, then variance) and a scaling."""

from .._harness import Workload, host_data


def make_data(n, p, rng):
    return host_data("float64", rng.standard_normal((n, p)) * rng.uniform(0.1, 10, p) + rng.standard_normal(p), None)


def run_xpml(backend, X, _):
    from xpml import config_context
    from xpml._backend import to_backend
    from xpml.preprocessing import StandardScaler

    Xb = to_backend(X, backend)

    def run():
        with config_context(output="backend"):  # keep the result on the device, as a pipeline does
            Z = StandardScaler(backend=backend).fit_transform(Xb)
        return Z, float(backend.xp.mean(Z[:, 0] ** 2))

    return run


def run_sklearn(X, _):
    from sklearn.preprocessing import StandardScaler

    def run():
        Z = StandardScaler().fit_transform(X)
        return Z, float((Z[:, 0] ** 2).mean())

    return run


WORKLOAD = Workload(
    name="standard_scaler",
    sizes={"quick": [(10_000, 20)], "full": [(100_000, 50), (1_000_000, 50)]},
    dtype="float64",
    make_data=make_data,
    run_xpml=run_xpml,
    run_sklearn=run_sklearn,
    flops=lambda n, p: 5.0 * n * p,
)
