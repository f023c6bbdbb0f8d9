"""QuantileRegressor, fitted in xpml and in scikit-learn with the same parameters on the same data.

- quantile_regressor: the median with a light L1 penalty (alpha=0.01). scikit-learn's HiGHS solves a linear program
  of n rows by the simplex method: 15 s at the full size, minutes at the large one; xpml's interior point reads X once
  per iteration, 15 to 25 of them. Score: R².
"""

from .._harness import fit_workload
from .fits import REGRESSION, models

WORKLOADS = [
    fit_workload("quantile_regressor", **models("linear_model", "QuantileRegressor", alpha=0.01), make_data=REGRESSION,
                 sizes={"quick": [(2_000, 10)], "full": [(10_000, 20)], "large": [(40_000, 20)]}, dtype="float64"),
]
