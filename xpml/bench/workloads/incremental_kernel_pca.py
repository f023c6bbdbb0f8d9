"""IncrementalPCA and KernelPCA, fitted in xpml and in scikit-learn with the same parameters on the same data.

- incremental_pca: 32 components of data near a 40-dimensional subspace, in batches of 5 n_features rows (the
  default): one thin SVD of (32 + batch + 1) × p per batch in both libraries. Score: the explained variance ratio.
- kernel_pca: 8 components of an rbf kernel (γ = 1 / n_features), by the randomized eigensolver in both (the n × n
  kernel is formed whole, then a randomized SVD of it, 7 power iterations). Score: the sum of the 8 eigenvalues.
"""

from .._harness import fit_workload, regression_data, unlabelled
from .fits import low_rank, models

WORKLOADS = [
    fit_workload("incremental_pca", **models("decomposition", "IncrementalPCA", n_components=32),
                 make_data=unlabelled(low_rank, "float32"), dtype="float32",
                 sizes={"quick": [(5_000, 64)], "full": [(100_000, 256)], "large": [(400_000, 256)]},
                 score=lambda model, X, y: model.explained_variance_ratio_.sum()),
    fit_workload("kernel_pca", **models("decomposition", "KernelPCA", n_components=8, kernel="rbf",
                                        eigen_solver="randomized", random_state=0),
                 make_data=unlabelled(regression_data("float32"), "float32"), dtype="float32",
                 sizes={"quick": [(1_000, 16)], "full": [(5_000, 32)], "large": [(10_000, 64)]},
                 score=lambda model, X, y: model.eigenvalues_.sum()),
]
