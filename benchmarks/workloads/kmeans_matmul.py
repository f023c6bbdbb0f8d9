"""The reference for k-means' GFLOP/s: one plain matmul of the shape of a Lloyd iteration's distances.

X (n, d) @ Cᵀ (d, k) with k = 64, on each backend and in numpy for the scikit-learn row. KMeans'
GFLOP/s over this one's says how close the whole iteration (distances, argmin, scatter-add) comes
to the bare matrix product.
"""

from benchmarks.harness import Workload, host_data
from benchmarks.workloads.kmeans import N_CLUSTERS


def make_data(n, p, rng):
    return host_data("float32", rng.standard_normal((n, p)), rng.standard_normal((N_CLUSTERS, p)))


def run_xpml(backend, X, C):
    from xpml._backend import to_backend

    Xb, Cb = to_backend(X, backend), to_backend(C, backend)

    def run():
        D = Xb @ Cb.T  # (n, k)
        return D, 0.0

    return run


def run_sklearn(X, C):
    def run():  # scikit-learn's BLAS: numpy's matmul
        return X @ C.T, 0.0

    return run


WORKLOAD = Workload(
    name="kmeans_matmul",
    sizes={"quick": [(20_000, 32)], "full": [(200_000, 32)]},
    dtype="float32",
    make_data=make_data,
    run_xpml=run_xpml,
    run_sklearn=run_sklearn,
    flops=lambda n, p: 2.0 * n * p * N_CLUSTERS,
    notes="X @ C.T with C of shape (64, n_features): one Lloyd iteration's distance product",
)
