"""roc_auc_score of binary labels and float64 scores: a sort, cumulative sums and a trapezoid sum.

n_features is unused (1).
"""

from .._harness import Workload


def make_data(n, _, rng):
    y = rng.integers(0, 2, n)
    return y, (y + rng.standard_normal(n)).astype("float64")


def run_xpml(backend, y, score):
    from xpml._backend import to_backend
    from xpml.metrics import roc_auc_score

    yb, sb = to_backend(y, backend), to_backend(score, backend)

    def run():
        auc = roc_auc_score(yb, sb)
        return None, auc

    return run


def run_sklearn(y, score):
    from sklearn.metrics import roc_auc_score

    def run():
        return None, roc_auc_score(y, score)

    return run


WORKLOAD = Workload(
    name="roc_auc",
    sizes={"quick": [(20_000, 1)], "full": [(1_000_000, 1), (10_000_000, 1)]},
    dtype="float64",
    make_data=make_data,
    run_xpml=run_xpml,
    run_sklearn=run_sklearn,
)
