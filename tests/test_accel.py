"""xpml.accel: unchanged scikit-learn scripts run on an xpml backend, with scikit-learn's results.

The scripts in tests/accel_scripts/ import only scikit-learn. Each runs once plainly and once under
`python -m xpml.accel`, in subprocesses with one thread; their results must agree, and the log must say
which estimators ran on xpml and which fell back to scikit-learn, and why.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")

import xpml.accel as accel  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = Path(__file__).resolve().parent / "accel_scripts"

# Per script: for each result, (relative, absolute) tolerance; and the estimators expected on xpml or
# on scikit-learn (with a phrase of the reason).
# Deterministic fits (closed forms, convex problems solved to tolerance) agree to about 1e-6; k-means
# draws its starts from another random stream than scikit-learn's, so it may land in another local
# optimum of near-equal quality: there, the agreement asked is on quality, not on the labels.
CASES = {
    "classify_pipeline.py": {
        "tolerance": {"cv_scores": (0, 1e-9), "coef": (1e-3, 1e-3), "train_accuracy": (0, 1e-9)},
        "xpml": {"StandardScaler", "LogisticRegression"}, "sklearn": {},
    },
    "cluster_digits.py": {
        "tolerance": {"explained_variance_ratio": (1e-6, 1e-9), "inertia": (0.01, 0), "silhouette": (0, 0.02),
                      "ari_with_digits": (0, 0.05)},
        "xpml": {"PCA", "KMeans"}, "sklearn": {},
    },
    "ridge_grid.py": {
        "tolerance": {"best_alpha": (0, 0), "best_score": (1e-6, 1e-9), "mean_test_scores": (1e-6, 1e-9),
                      "test_r2": (1e-6, 1e-9), "coef": (1e-6, 1e-6)},
        "xpml": {"Ridge"}, "sklearn": {},
    },
    "wine_neighbors.py": {
        "tolerance": {"accuracy": (0, 1e-9), "proba": (1e-6, 1e-9)},
        "xpml": {"GaussianNB", "MinMaxScaler", "KNeighborsClassifier"},
        "sklearn": {"KNeighborsClassifier": "xpml refused it (ValueError: metric='canberra'"},
    },
}


def run_script(tmp_path, script, backend=None):
    """Run a script plainly (backend None) or under xpml.accel; returns (results, stderr lines)."""
    out = tmp_path / f"{script}.{backend or 'plain'}.json"
    accel_args = ["-m", "xpml.accel", "--backend", backend] if backend else []
    env = {**os.environ, "OMP_NUM_THREADS": "1", "XPML_ACCEL_LOG": "1", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, *accel_args, str(SCRIPTS / script), str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text()), done.stderr.splitlines()


def assert_results_agree(accelerated, plain, tolerance, path=""):
    for key, value in plain.items():
        if isinstance(value, dict):
            assert_results_agree(accelerated[key], value, tolerance, f"{path}{key}.")
            continue
        rtol, atol = tolerance[key]
        np.testing.assert_allclose(accelerated[key], value, rtol=rtol, atol=atol, err_msg=f"{path}{key}")


def where_fits_ran(lines):
    """{estimator: set of places} and {estimator: reasons} from the `xpml.accel:` log lines."""
    on_xpml, on_sklearn = {}, {}
    for line in lines:
        if not line.startswith("xpml.accel: "):
            continue
        estimator, _, rest = line[len("xpml.accel: "):].partition(".fit ")
        if rest.startswith("ran on xpml"):
            on_xpml.setdefault(estimator, set()).add(rest)
        else:
            on_sklearn.setdefault(estimator, set()).add(rest.partition(": ")[2])
    return on_xpml, on_sklearn


BACKENDS = ["numpy", "torch"]
# Every script on numpy, one on torch too (each script's runs are subprocesses of several seconds)
RUNS = {(script, "numpy") for script in CASES} | {("classify_pipeline.py", "torch")}


@pytest.fixture(scope="module")
def script_runs(tmp_path_factory):
    """Every run of every script (plainly, and under each installed backend), three at a time."""
    from concurrent.futures import ThreadPoolExecutor
    from importlib.util import find_spec

    tmp = tmp_path_factory.mktemp("accel")
    runs = [(script, backend) for script in CASES
            for backend in [None, *(b for b in BACKENDS if find_spec(b) is not None and (script, b) in RUNS)]]
    with ThreadPoolExecutor(max_workers=3) as pool:
        done = pool.map(lambda run: run_script(tmp, *run), runs)
        return dict(zip(runs, done))


@pytest.mark.parametrize(("script", "backend"), sorted(RUNS))
def test_script_under_accel_agrees_with_scikit_learn(script, backend, script_runs):
    if backend != "numpy":
        pytest.importorskip(backend)
    case = CASES[script]
    results, lines = script_runs[(script, backend)]
    assert_results_agree(results, script_runs[(script, None)][0], case["tolerance"])
    on_xpml, on_sklearn = where_fits_ran(lines)
    assert set(on_xpml) == case["xpml"], lines
    assert all(places == {f"ran on xpml ({backend})"} for places in on_xpml.values())
    assert set(on_sklearn) == set(case["sklearn"]), lines
    for estimator, phrase in case["sklearn"].items():
        assert any(phrase in reason for reason in on_sklearn[estimator])


# ---- unit tests, in this process -------------------------------------------------------------

@pytest.fixture
def installed():
    names = accel.install(backend="numpy")
    yield names
    accel.uninstall()


def test_install_and_uninstall_restore_the_original_classes():
    import sklearn.cluster
    import sklearn.cluster._kmeans
    import sklearn.linear_model

    originals = (sklearn.linear_model.Ridge, sklearn.cluster.KMeans, sklearn.cluster._kmeans.KMeans)
    names = accel.install(backend="numpy")
    try:
        assert {"Ridge", "KMeans", "PCA", "StandardScaler", "LogisticRegression"} <= set(names)
        assert "Pipeline" not in names and "GridSearchCV" not in names
        assert sklearn.linear_model.Ridge is not originals[0] and issubclass(sklearn.linear_model.Ridge, originals[0])
        assert sklearn.cluster.KMeans is sklearn.cluster._kmeans.KMeans
        assert accel.installed_backend() == "numpy"
        accel.install(backend="numpy")  # installing twice does not stack proxies
        assert sklearn.linear_model.Ridge.__bases__ == (originals[0],)
    finally:
        accel.uninstall()
    assert (sklearn.linear_model.Ridge, sklearn.cluster.KMeans, sklearn.cluster._kmeans.KMeans) == originals
    assert accel.installed_backend() is None


def test_an_error_half_way_through_install_leaves_nothing_patched(monkeypatch):
    import sklearn.linear_model
    from xpml.accel import _patch

    before = dict(vars(sklearn.linear_model))
    made = []

    def failing_make_proxy(sk_class, xpml_class, backend):
        if len(made) == 3:
            raise RuntimeError("proxy failed")
        made.append(sk_class)
        return type(sk_class.__name__, (sk_class,), {})

    monkeypatch.setattr(_patch, "make_proxy", failing_make_proxy)
    with pytest.raises(RuntimeError, match="proxy failed"):
        accel.install(backend="numpy")
    assert dict(vars(sklearn.linear_model)) == before and accel.installed_backend() is None


def test_an_unknown_backend_is_refused_before_patching():
    import sklearn.linear_model

    ridge = sklearn.linear_model.Ridge
    with pytest.raises(ValueError, match="nosuch"):
        accel.install(backend="nosuch")
    assert sklearn.linear_model.Ridge is ridge


def test_proxy_works_with_isinstance_clone_pipeline_and_get_params(installed):
    from sklearn.base import clone
    from sklearn.datasets import load_iris
    from sklearn.linear_model import LogisticRegression
    from sklearn.linear_model._logistic import LogisticRegression as Original
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = load_iris(return_X_y=True)
    model = LogisticRegression(C=0.5, max_iter=500)
    assert isinstance(model, LogisticRegression.__mro__[1]) and type(model).__name__ == "LogisticRegression"
    assert model.get_params() == Original(C=0.5, max_iter=500).get_params()
    copy = clone(model)
    assert type(copy) is type(model) and copy.get_params() == model.get_params()
    assert repr(copy) == "LogisticRegression(C=0.5, max_iter=500)"
    pipe = make_pipeline(StandardScaler(), model).fit(X, y)
    expected = make_pipeline(StandardScaler(), Original(C=0.5, max_iter=500)).fit(X, y)
    assert type(pipe[-1].coef_) is np.ndarray and pipe[-1]._xpml_estimator is not None
    np.testing.assert_allclose(pipe.predict_proba(X), expected.predict_proba(X), atol=1e-5)
    assert [r.where for r in accel.report()] == ["numpy"] * 4  # the second pipeline's scaler is a proxy too


def test_fallback_on_a_parameter_xpml_does_not_have(installed, monkeypatch):
    import inspect

    import xpml.neighbors
    from sklearn.datasets import load_iris
    from sklearn.neighbors import KNeighborsClassifier

    # xpml has every parameter of scikit-learn's today: hide one, as a newer scikit-learn may add one
    ours = xpml.neighbors.KNeighborsClassifier
    signature = inspect.signature(ours.__init__)
    monkeypatch.setattr(ours.__init__, "__signature__", signature.replace(
        parameters=[p for name, p in signature.parameters.items() if name != "p"]), raising=False)
    monkeypatch.setattr(ours, "_parameter_constraints",
                        {name: rule for name, rule in ours._parameter_constraints.items() if name != "p"})
    X, y = load_iris(return_X_y=True)
    model = KNeighborsClassifier(n_neighbors=3, p=4).fit(X, y)
    assert "_xpml_estimator" not in vars(model)
    assert accel.report()[-1] == ("KNeighborsClassifier", "sklearn", "parameter p=4 is not supported by xpml")
    model.set_params(p=2).fit(X, y)  # decided again at each fit: p=2, scikit-learn's default, needs no parameter
    assert accel.report()[-1].where == "numpy" and model.predict(X[:3]).dtype == y.dtype


def test_fallback_on_a_value_or_an_input_xpml_refuses(installed):
    import scipy.sparse
    from sklearn.decomposition import TruncatedSVD
    from sklearn.cluster import KMeans
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6))
    y = np.arange(40) % 2
    KNeighborsClassifier(metric="canberra").fit(X, y)
    assert accel.report()[-1].where == "sklearn" and "xpml refused it (ValueError" in accel.report()[-1].reason
    svc = SVC().fit(scipy.sparse.csr_matrix(X), y)  # xpml's SVC computes dense: scipy.sparse goes to scikit-learn
    assert accel.report()[-1].where == "sklearn" and "scipy.sparse" in accel.report()[-1].reason
    assert svc.predict(X).shape == (40,)
    km = KMeans(2, n_init=1, random_state=0).fit(scipy.sparse.csr_matrix(X))  # computes on sparse X: on xpml
    assert accel.report()[-1].where == "numpy" and km.predict(X).shape == (40,)
    svd = TruncatedSVD(2, random_state=0).fit(scipy.sparse.csr_matrix(X))  # computes on sparse X: stays on xpml
    assert accel.report()[-1].where == "numpy" and svd.transform(X).shape == (40, 2)


def test_results_are_numpy_and_pandas_where_set_output_asks(installed):
    pd = pytest.importorskip("pandas")
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler

    X = pd.DataFrame(np.random.default_rng(0).normal(size=(30, 3)), columns=["a", "b", "c"])
    scaled = StandardScaler().set_output(transform="pandas").fit_transform(X)
    assert isinstance(scaled, pd.DataFrame) and list(scaled.columns) == ["a", "b", "c"]
    pca = PCA(2).fit(X)
    assert type(pca.components_) is np.ndarray and type(pca.transform(X)) is np.ndarray
    assert list(pca.feature_names_in_) == ["a", "b", "c"]
    assert [r.where for r in accel.report()] == ["numpy", "numpy"]


def test_method_availability_follows_scikit_learn(installed):
    from sklearn.linear_model import SGDClassifier

    assert not hasattr(SGDClassifier(loss="hinge"), "predict_proba")
    assert hasattr(SGDClassifier(loss="log_loss"), "predict_proba")


def test_ipython_extension_uses_xpml_backend(monkeypatch):
    monkeypatch.setenv("XPML_BACKEND", "numpy")
    accel.load_ipython_extension(None)
    try:
        assert accel.installed_backend() == "numpy"
    finally:
        accel.unload_ipython_extension(None)
    assert accel.installed_backend() is None


def test_import_xpml_does_not_import_scikit_learn():
    code = "import sys, xpml, xpml.linear_model, xpml.cluster; print('sklearn' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


def test_sparse_input_stays_on_xpml_for_kmeans_pca_and_kneighbors(installed):
    import scipy.sparse
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.neighbors import KNeighborsClassifier

    X = scipy.sparse.random(40, 6, density=0.5, format="csr", random_state=0)
    y = np.arange(40) % 2
    KMeans(2, random_state=0).fit(X)
    assert accel.report()[-1].where == "numpy"
    PCA(2).fit(X)  # "auto" is "arpack" on sparse input, centred implicitly
    assert accel.report()[-1].where == "numpy"
    knn = KNeighborsClassifier(metric="cosine").fit(X, y)
    assert accel.report()[-1].where == "numpy" and knn.predict(X).shape == (40,)
