"""A linear SVM by SGD on dense float64 data: xpml's SGDClassifier against scikit-learn's.

Both run the same objective (hinge loss, L2 penalty alpha=1e-4, the "optimal" learning rate,
tol=1e-3 over 5 epochs) from the same seed; scikit-learn steps one sample at a time in Cython,
xpml in batches of max(100, n_samples // 400) rows (batch_size="auto" at the full sizes). The score
is the accuracy on 20,000 held-out samples, so that a fit that stops early shows.
"""

from .._harness import Workload, host_data

N_TEST = 20_000


def make_data(n, p, rng):
    X = rng.standard_normal((n + N_TEST, p))
    y = (X @ rng.standard_normal(p) + 0.5 * rng.standard_normal(n + N_TEST) > 0).astype(int)  # 2 classes, noisy
    return host_data("float64", X, y)


def run_xpml(backend, X, y):
    from xpml._backend import to_backend
    from xpml.linear_model import SGDClassifier

    X_train, y_train = to_backend(X[:-N_TEST], backend), y[:-N_TEST]  # the data already lives on the device
    X_test, y_test = to_backend(X[-N_TEST:], backend), y[-N_TEST:]
    batch_size = max(100, X_train.shape[0] // 400)  # "auto" at the full sizes; fewer steps at the quick one

    def run():
        model = SGDClassifier(random_state=0, batch_size=batch_size, backend=backend).fit(X_train, y_train)
        return model.coef_, model.score(X_test, y_test)

    return run


def run_sklearn(X, y):
    from sklearn.linear_model import SGDClassifier

    def run():
        model = SGDClassifier(random_state=0).fit(X[:-N_TEST], y[:-N_TEST])
        return model.coef_, model.score(X[-N_TEST:], y[-N_TEST:])

    return run


WORKLOAD = Workload(
    name="sgd",
    sizes={"quick": [(10_000, 20)], "full": [(100_000, 50), (400_000, 50)], "large": [(4_000_000, 50)]},
    dtype="float64",
    make_data=make_data,
    run_xpml=run_xpml,
    run_sklearn=run_sklearn,
    notes="hinge loss, alpha=1e-4, optimal rate, tol=1e-3; accuracy on 20,000 held-out samples",
)
