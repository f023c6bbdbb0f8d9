"""PCA of float32 data to 32 components: xpml's PCA against scikit-learn's, both with svd_solver="auto".

For 100,000 × 256 both choose "covariance_eigh": one pass to form the 256 × 256 covariance, then a
small eigendecomposition. `flops` counts the covariance product, 2·n·p².
"""

import numpy as np

from .._harness import Workload, host_data

N_COMPONENTS = 32


def make_data(n, p, rng):
    spectrum = 1.0 / (1.0 + 0.1 * rng.permutation(p))  # decaying variances, in a random basis
    basis, _ = np.linalg.qr(rng.standard_normal((p, p)))
    X = (rng.standard_normal((n, p)) * spectrum) @ basis + rng.uniform(-1, 1, size=p)
    return host_data("float32", X)


def run_xpml(backend, X):
    from xpml._backend import to_backend, to_numpy
    from xpml.decomposition import PCA

    Xb = to_backend(X, backend)

    def run():
        model = PCA(n_components=N_COMPONENTS, backend=backend).fit(Xb)
        return model.components_, float(to_numpy(model.explained_variance_ratio_).sum())

    return run


def run_sklearn(X):
    from sklearn.decomposition import PCA

    def run():
        model = PCA(n_components=N_COMPONENTS).fit(X)
        return model.components_, float(model.explained_variance_ratio_.sum())

    return run


WORKLOAD = Workload(
    name="pca",
    sizes={"quick": [(10_000, 128)], "full": [(100_000, 256)], "large": [(1_000_000, 1024)]},
    dtype="float32",
    make_data=make_data,
    run_xpml=run_xpml,
    run_sklearn=run_sklearn,
    flops=lambda n, p: 2.0 * n * p * p,
    gemm=lambda n, p: (p, n, p),  # the covariance product Xᵀ X
    notes="32 components, svd_solver='auto'; score: explained variance ratio of the 32",
)
