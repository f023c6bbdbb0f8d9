"""Lloyd's k-means on float32 data, 50 iterations from a given init: xpml's KMeans against scikit-learn's.

The data are Gaussian noise, which has no clusters to settle into: both run all 50 iterations
(tol=0), so the timings compare the same work. `flops` counts the distance products (2·n·d·k per
iteration); the runner times a plain matmul of one iteration's shape beside it (the roofline).
"""

import warnings

from .._harness import Workload, host_data

N_ITER = 50


def n_clusters(n: int) -> int:
    """k=64, and k=256 for the GPU-sized data of a million samples and more."""
    return 256 if n >= 1_000_000 else 64


def make_data(n, p, rng):
    X = rng.standard_normal((n, p))
    init = X[rng.choice(n, n_clusters(n), replace=False)]
    return host_data("float32", X, init)


def run_xpml(backend, X, init):
    from xpml._backend import to_backend
    from xpml.cluster import KMeans

    Xb, init_b = to_backend(X, backend), to_backend(init, backend)  # the data already live on the device

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # max_iter is reached on purpose
            model = KMeans(n_clusters=init.shape[0], init=init_b, max_iter=N_ITER, tol=0.0, backend=backend).fit(Xb)
        return model.cluster_centers_, model.inertia_ / X.shape[0]

    return run


def run_sklearn(X, init):
    from sklearn.cluster import KMeans

    def run():
        model = KMeans(n_clusters=init.shape[0], init=init, n_init=1, max_iter=N_ITER, tol=0.0).fit(X)
        return model.cluster_centers_, model.inertia_ / X.shape[0]

    return run


WORKLOAD = Workload(
    name="kmeans",
    sizes={"quick": [(10_000, 32)], "full": [(200_000, 32)], "large": [(4_000_000, 64)]},
    dtype="float32",
    make_data=make_data,
    run_xpml=run_xpml,
    run_sklearn=run_sklearn,
    flops=lambda n, p: 2.0 * n * p * n_clusters(n) * N_ITER,
    gemm=lambda n, p: (n, p, n_clusters(n), "blocks"),  # one iteration's distances: X (n, d) @ Cᵀ (d, k), by blocks
    notes="k=64 (256 from a million samples), 50 Lloyd iterations from the same init, tol=0; score: inertia / n_samples",
)
