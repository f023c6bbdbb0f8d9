"""The benchmark runner writes what `python -m xpml bench` promises (no timing is asserted here)."""

import json

from tests.helpers import requires
from xpml.bench import all_workloads, run
from xpml.bench._harness import matmul_gflops

FIELDS = {"algorithm", "backend", "device", "dtype", "n_samples", "n_features", "seconds", "repeats", "score"}


def test_every_algorithm_of_the_issue_has_a_workload():
    names = set(all_workloads())
    assert {"linear_regression", "logistic_regression", "kmeans", "pca", "mlp"} <= names


# Each model of xpml and the workload that times it (transformers and meta-estimators aside).
MODEL_WORKLOADS = {
    "LinearRegression": "linear_regression", "Ridge": "ridge", "Lasso": "lasso", "ElasticNet": "elastic_net",
    "LogisticRegression": "logistic_regression", "SGDClassifier": "sgd", "SGDRegressor": "sgd_regressor",
    "LinearSVC": "linear_svc", "KNeighborsClassifier": "knn", "KNeighborsRegressor": "knn_regressor",
    "GaussianNB": "gaussian_nb", "MultinomialNB": "multinomial_nb", "MLPClassifier": "mlp",
    "MLPRegressor": "mlp_regressor", "KMeans": "kmeans", "MiniBatchKMeans": "minibatch_kmeans", "PCA": "pca",
    "TruncatedSVD": "truncated_svd",
}


def test_every_model_has_a_workload():
    from tests._common_recipes import MODELS

    assert MODELS == set(MODEL_WORKLOADS)
    assert set(MODEL_WORKLOADS.values()) <= set(all_workloads())


@requires("matplotlib")
def test_fit_workloads_score_what_sklearn_scores(tmp_path):
    """The same data and parameters give xpml and scikit-learn the same accuracy (naive Bayes) and the
    same explained variance (a randomized SVD of data of rank 40 to 32 components)."""
    rows = run(["numpy"], ["gaussian_nb", "truncated_svd"], sizes="quick", repeats=1, out_dir=tmp_path)
    score = {(r["algorithm"], r["backend"]): r["score"] for r in rows}
    assert score["gaussian_nb", "numpy"] == score["gaussian_nb", "sklearn"] > 0.9
    assert abs(score["truncated_svd", "numpy"] - score["truncated_svd", "sklearn"]) < 1e-4


@requires("torch", "matplotlib")
def test_runner_writes_results_table_and_figures(tmp_path):
    rows = run(["numpy", "torch"], ["linear_regression"], sizes="quick", repeats=1, out_dir=tmp_path)
    assert {r["backend"] for r in rows} == {"numpy", "torch", "sklearn"}
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["rows"] == rows and saved["sizes"] == "quick"
    assert {"numpy", "xpml"} <= set(saved["environment"]["versions"]) and "cores" in saved["environment"]["cpu"]
    saved = saved["rows"]
    for row in saved:
        assert FIELDS <= set(row)
        assert row["seconds"] > 0 and row["n_samples"] == 10_000
        assert row["matmul_gflops"] > 0  # the roofline's reference, measured in the same run
    # every contender solved the same least-squares problem: the same R²
    assert max(r["score"] for r in rows) - min(r["score"] for r in rows) < 1e-10
    table = (tmp_path / "results.md").read_text()
    assert "- CPU: " in table and "- versions: " in table and "torch:cpu" in table
    assert table.count("| linear_regression |") == 3 and "vs sklearn" in table
    for figure in ("speedup.png", "roofline.png"):
        assert (tmp_path / figure).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_matmul_reference_counts_flops():
    assert matmul_gflops(None, (64, 32, 16), "float64", repeats=1) > 0
