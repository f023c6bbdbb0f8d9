"""NMF, fitted in xpml and in scikit-learn with the same parameters on the same data.

- nmf: 10 components of non-negative data made of 10 non-negative parts (non-negative mixes of 10 non-negative
  patterns, plus a little non-negative noise), by coordinate descent from NNDSVDa to the default tol=1e-4 in both
  (one randomized SVD for the start, then sweeps of one component at a time). Score: minus the reconstruction error.
"""

import numpy as np

from .._harness import fit_workload, unlabelled
from .fits import models


def nonnegative_parts(n, p, rng):
    """Non-negative mixes of 10 non-negative patterns, plus a little noise >= 0."""
    return (np.abs(rng.standard_normal((n, 10))) @ np.abs(rng.standard_normal((10, p))) + 0.1 * rng.random((n, p)),)


WORKLOADS = [
    fit_workload("nmf", **models("decomposition", "NMF", n_components=10, max_iter=200),
                 make_data=unlabelled(nonnegative_parts, "float32"), dtype="float32",
                 sizes={"quick": [(5_000, 64)], "full": [(50_000, 256)], "large": [(200_000, 256)]},
                 score=lambda model, X, y: -model.reconstruction_err_),
]
