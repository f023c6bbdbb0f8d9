"""k-nearest-neighbour classification, predict only: xpml's blocked GEMM search against scikit-learn's
brute force. The full size is the issue's: 100,000 training points, 10,000 queries, 32 features, k=10."""

from .._harness import Workload, host_data

K = 10


def make_data(n, p, rng):
    """n training points and n/10 queries from 20 overlapping Gaussian clusters (labels: the cluster)."""
    centers = rng.standard_normal((20, p)) * 0.6  # close enough that about 1 query in 5 is misclassified
    labels = rng.integers(0, 20, size=n + n // 10)
    X = centers[labels] + rng.standard_normal((len(labels), p))
    return host_data("float32", X[:n], labels[:n], X[n:], labels[n:])


def run_xpml(backend, X_train, y_train, X_query, y_query):
    from xpml._backend import to_backend
    from xpml.metrics import accuracy_score
    from xpml.neighbors import KNeighborsClassifier

    model = KNeighborsClassifier(n_neighbors=K, backend=backend).fit(X_train, y_train)  # fit only stores the points
    Xq = to_backend(X_query, backend)  # the queries already live on the device

    def run():
        pred = model.predict(Xq)
        return pred, accuracy_score(y_query, pred)

    return run


def run_sklearn(X_train, y_train, X_query, y_query):
    from sklearn.neighbors import KNeighborsClassifier

    model = KNeighborsClassifier(n_neighbors=K, algorithm="brute").fit(X_train, y_train)

    def run():
        pred = model.predict(X_query)
        return pred, (pred == y_query).mean()

    return run


WORKLOAD = Workload(
    name="knn",
    sizes={"quick": [(5_000, 32)], "full": [(100_000, 32)], "large": [(400_000, 32)]},
    dtype="float32",
    make_data=make_data,
    run_xpml=run_xpml,
    run_sklearn=run_sklearn,
    flops=lambda n, p: 2.0 * n * (n // 10) * p,  # the distance products: queries x training points x features
    notes="n_samples is the training set; the queries are n_samples / 10 more points; k = 10",
)
