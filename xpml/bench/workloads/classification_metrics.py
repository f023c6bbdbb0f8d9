"""f1_score(average="macro") and confusion_matrix of integer labels: label encoding and bincounts.

n_features here is the number of classes.
"""

from .._harness import Workload


def make_data(n, k, rng):
    y_true = rng.integers(0, k, n)
    y_pred = (y_true + (rng.random(n) < 0.3) * rng.integers(1, k, n)) % k  # 70% right
    return y_true, y_pred


def run_xpml(backend, y_true, y_pred):
    from xpml._backend import to_backend
    from xpml.metrics import confusion_matrix, f1_score

    t, p = to_backend(y_true, backend), to_backend(y_pred, backend)

    def run():
        C = confusion_matrix(t, p)
        return C, f1_score(t, p, average="macro")

    return run


def run_sklearn(y_true, y_pred):
    from sklearn.metrics import confusion_matrix, f1_score

    def run():
        C = confusion_matrix(y_true, y_pred)
        return C, f1_score(y_true, y_pred, average="macro")

    return run


WORKLOAD = Workload(
    name="classification_metrics",
    sizes={"quick": [(20_000, 10)], "full": [(1_000_000, 10), (10_000_000, 100)]},
    dtype="int64",
    make_data=make_data,
    run_xpml=run_xpml,
    run_sklearn=run_sklearn,
)
