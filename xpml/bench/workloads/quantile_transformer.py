"""QuantileTransformer and KBinsDiscretizer fit_transform on dense float64 data: a sort of each column for its
quantiles, then a search of every value among them (the quantile map to a normal distribution; the bins, one-hot)."""

from .._harness import Workload, host_data


def make_data(n, p, rng):
    return host_data("float64", rng.standard_normal((n, p)) * rng.uniform(0.1, 10, p) + rng.exponential(size=(n, p)),
                     None)


def _run_xpml(make):
    def run_xpml(backend, X, _):
        from xpml import config_context
        from xpml._backend import to_backend

        Xb = to_backend(X, backend)

        def run():
            with config_context(output="backend"):  # keep the result on the device, as a pipeline does
                Z = make(backend).fit_transform(Xb)
            return Z, float(backend.xp.mean(Z[:, 0] ** 2))

        return run

    return run_xpml


def _run_sklearn(make):
    def run_sklearn(X, _):
        def run():
            Z = make().fit_transform(X)
            return Z, float((Z[:, 0] ** 2).mean())

        return run

    return run_sklearn


def _quantile(backend=None):
    if backend is None:
        from sklearn.preprocessing import QuantileTransformer

        return QuantileTransformer(output_distribution="normal", subsample=None)
    from xpml.preprocessing import QuantileTransformer

    return QuantileTransformer(output_distribution="normal", subsample=None, backend=backend)


def _bins(backend=None):
    if backend is None:
        from sklearn.preprocessing import KBinsDiscretizer

        return KBinsDiscretizer(8, encode="onehot-dense", subsample=None)
    from xpml.preprocessing import KBinsDiscretizer

    return KBinsDiscretizer(8, encode="onehot-dense", subsample=None, backend=backend)


WORKLOADS = [
    Workload(
        name="quantile_transformer",
        sizes={"quick": [(10_000, 20)], "full": [(100_000, 50), (1_000_000, 20)], "large": [(4_000_000, 50)]},
        dtype="float64",
        make_data=make_data,
        run_xpml=_run_xpml(_quantile),
        run_sklearn=_run_sklearn(_quantile),
        flops=lambda n, p: 20.0 * n * p,  # a sort and two searches per value, Φ⁻¹ by a few Halley steps
    ),
    Workload(
        name="kbins_discretizer",
        sizes={"quick": [(10_000, 20)], "full": [(100_000, 50), (1_000_000, 20)], "large": [(4_000_000, 50)]},
        dtype="float64",
        make_data=make_data,
        run_xpml=_run_xpml(_bins),
        run_sklearn=_run_sklearn(_bins),
        flops=lambda n, p: 10.0 * n * p,  # a sort per column and a search per value
    ),
]
