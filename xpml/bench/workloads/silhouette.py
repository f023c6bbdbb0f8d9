"""silhouette_score (Euclidean) of 8 clusters: all pairwise distances, in blocks of rows.

The main kernel is the (chunk, n) distance block, a matmul of (chunk, p) by (p, n), then its
product with the (n, 8) one-hot matrix of the clusters.
"""

from .._harness import Workload, host_data


def make_data(n, p, rng):
    labels = rng.integers(0, 8, n)
    centres = 3 * rng.standard_normal((8, p))
    return host_data("float64", centres[labels] + rng.standard_normal((n, p)), labels)


def run_xpml(backend, X, labels):
    from xpml._backend import to_backend
    from xpml.metrics import silhouette_score

    Xb, lb = to_backend(X, backend), to_backend(labels, backend)

    def run():
        return None, silhouette_score(Xb, lb)

    return run


def run_sklearn(X, labels):
    from sklearn.metrics import silhouette_score

    def run():
        return None, silhouette_score(X, labels)

    return run


WORKLOAD = Workload(
    name="silhouette",
    sizes={"quick": [(2_000, 20)], "full": [(5_000, 20), (20_000, 50)], "large": [(200_000, 50)]},
    dtype="float64",
    make_data=make_data,
    run_xpml=run_xpml,
    run_sklearn=run_sklearn,
    flops=lambda n, p: 2.0 * n * n * p + 2.0 * n * n * 8,
)
