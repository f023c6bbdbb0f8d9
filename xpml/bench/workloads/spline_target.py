"""SplineTransformer and TargetEncoder fit_transform on dense data: each feature's cubic B-splines (de Boor's triangle
on the 4 that are non-zero at each value, every sample and feature at once), and each categorical feature's target
encoding by 5-fold cross fitting (per-category sums by scatter-adds, then a gather per sample)."""

from .._harness import Workload, host_data

N_CATEGORIES = 50  # categories per feature of the target encoding's data


def spline_data(n, p, rng):
    return host_data("float64", rng.standard_normal((n, p)) * rng.uniform(0.5, 5, p), None)


def category_data(n, p, rng):
    """Integer categories 0..49 (a skewed share each) and a continuous target that depends on them."""
    X = rng.zipf(1.5, size=(n, p)) % N_CATEGORIES
    y = (X * rng.standard_normal(p)).sum(axis=1) / p + rng.standard_normal(n)
    return host_data("float64", X.astype("float64"), y)


def _splines(backend=None):
    if backend is None:
        from sklearn.preprocessing import SplineTransformer

        return SplineTransformer(n_knots=8, degree=3)
    from xpml.preprocessing import SplineTransformer

    return SplineTransformer(n_knots=8, degree=3, backend=backend)


def _target(backend=None):
    """Unshuffled folds (both libraries' KFold(5)): the same folds, so the same output on both sides."""
    if backend is None:
        from sklearn.model_selection import KFold
        from sklearn.preprocessing import TargetEncoder

        return TargetEncoder(cv=KFold(5))
    from xpml.model_selection import KFold
    from xpml.preprocessing import TargetEncoder

    return TargetEncoder(cv=KFold(5), backend=backend)


def _run_xpml(make):
    def run_xpml(backend, X, y):
        from xpml import config_context
        from xpml._backend import to_backend

        Xb = to_backend(X, backend)

        def run():
            with config_context(output="backend"):  # keep the result on the device, as a pipeline does
                Z = make(backend).fit_transform(Xb, y)
            return Z, float(backend.xp.mean(Z[:, 0] ** 2))

        return run

    return run_xpml


def _run_sklearn(make):
    def run_sklearn(X, y):
        def run():
            Z = make().fit_transform(X, y)
            return Z, float((Z[:, 0] ** 2).mean())

        return run

    return run_sklearn


WORKLOADS = [
    Workload(
        name="spline_transformer",
        sizes={"quick": [(10_000, 10)], "full": [(100_000, 20)], "large": [(800_000, 10)]},
        dtype="float64",
        make_data=spline_data,
        run_xpml=_run_xpml(_splines),
        run_sklearn=_run_sklearn(_splines),
        flops=lambda n, p: 4.0 * 3 * 14 * n * p,  # 3 rounds of the recursion over 14 knots, 4 operations each
    ),
    Workload(
        name="target_encoder",
        sizes={"quick": [(10_000, 10)], "full": [(200_000, 10)], "large": [(2_000_000, 10)]},
        dtype="float64",
        make_data=category_data,
        run_xpml=_run_xpml(_target),
        run_sklearn=_run_sklearn(_target),
        flops=lambda n, p: 6.0 * 6 * n * p,  # 6 fits (all data, 5 folds), two scatter-adds and a gather each
    ),
]
