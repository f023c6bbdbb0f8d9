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
    "RidgeCV": "ridge_cv", "RidgeClassifier": "ridge_classifier", "RidgeClassifierCV": "ridge_classifier_cv",
    "LassoCV": "lasso_cv", "ElasticNetCV": "elastic_net_cv", "MultiTaskLasso": "multi_task_lasso",
    "MultiTaskElasticNet": "multi_task_elastic_net",
    "LogisticRegression": "logistic_regression", "LogisticRegressionCV": "logistic_regression_cv", "SGDClassifier": "sgd", "SGDRegressor": "sgd_regressor",
    "LinearSVC": "linear_svc", "LinearSVR": "linear_svr", "HuberRegressor": "huber_regressor",
    "QuantileRegressor": "quantile_regressor",
    "PoissonRegressor": "poisson_regressor", "GammaRegressor": "gamma_regressor",
    "TweedieRegressor": "tweedie_regressor",
    "KNeighborsClassifier": "knn", "KNeighborsRegressor": "knn_regressor",
    "NearestNeighbors": "nearest_neighbors", "RadiusNeighborsClassifier": "radius_neighbors_classifier",
    "RadiusNeighborsRegressor": "radius_neighbors_regressor",
    "GaussianNB": "gaussian_nb", "MultinomialNB": "multinomial_nb", "BernoulliNB": "bernoulli_nb",
    "ComplementNB": "complement_nb", "CategoricalNB": "categorical_nb", "MLPClassifier": "mlp",
    "MLPRegressor": "mlp_regressor", "KMeans": "kmeans", "MiniBatchKMeans": "minibatch_kmeans", "PCA": "pca",
    "DBSCAN": "dbscan", "AgglomerativeClustering": "agglomerative_clustering",
    "FeatureAgglomeration": "feature_agglomeration",
    "TruncatedSVD": "truncated_svd", "IncrementalPCA": "incremental_pca", "KernelPCA": "kernel_pca", "NMF": "nmf",
    "Perceptron": "perceptron", "SVC": "svc", "SVR": "svr",
    "KernelRidge": "kernel_ridge", "DecisionTreeClassifier": "decision_tree_classifier",
    "DecisionTreeRegressor": "decision_tree_regressor", "RandomForestClassifier": "random_forest_classifier",
    "RandomForestRegressor": "random_forest_regressor",
    "AdaBoostClassifier": "adaboost_classifier", "AdaBoostRegressor": "adaboost_regressor",
    "BaggingClassifier": "bagging_classifier",
    "BaggingRegressor": "bagging_regressor", "VotingClassifier": "voting_classifier",
    "VotingRegressor": "voting_regressor",
    "StackingClassifier": "stacking_classifier", "StackingRegressor": "stacking_regressor",
    "HistGradientBoostingClassifier": "hist_gradient_boosting",
    "HistGradientBoostingRegressor": "hist_gradient_boosting_regressor",
    "ExtraTreeClassifier": "extra_tree_classifier", "ExtraTreeRegressor": "extra_tree_regressor",
    "ExtraTreesClassifier": "extra_trees_classifier", "ExtraTreesRegressor": "extra_trees_regressor",
    "IsolationForest": "isolation_forest",
    "GradientBoostingClassifier": "gradient_boosting_classifier",
    "GradientBoostingRegressor": "gradient_boosting_regressor",
    "SelectFromModel": "select_from_model", "SelectKBest": "select_k_best", "SelectPercentile": "select_percentile", "VarianceThreshold": "variance_threshold",
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


def test_bench_runs_from_any_folder_with_a_progress_line(tmp_path):
    """`python -m xpml bench` needs no source checkout: run from an empty folder, it writes its results
    there and says on stderr which workload runs and how many remain."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-m", "xpml", "bench", "--quick", "--backends", "numpy", "--algorithms",
                           "kmeans", "pca", "--no-sklearn", "--out", "out"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(root)})
    assert done.returncode == 0, done.stderr
    assert "[  1/2," in done.stderr and "kmeans 10,000 × 32 float32 on numpy" in done.stderr
    assert "[  2/2," in done.stderr and "pca" in done.stderr
    saved = json.loads((tmp_path / "out" / "results.json").read_text())
    assert [r["algorithm"] for r in saved["rows"]] == ["kmeans", "pca"]
    assert {"results.json", "results.md"} <= {p.name for p in (tmp_path / "out").iterdir()}


def test_every_fit_has_a_gpu_sized_tier():
    """The large tier times every model's fit (single passes over the data, such as a scaler or a metric,
    stay in the CPU tiers: no size that fits in a GPU's memory keeps it busy for long)."""
    single_pass = {"standard_scaler", "polynomial_features", "roc_auc", "classification_metrics"}
    for name, work in all_workloads().items():
        assert set(work.sizes) == ({"quick", "full"} if name in single_pass else {"quick", "full", "large"}), name
        if "large" in work.sizes:
            (n, p), = work.sizes["large"]
            assert n * p >= 4 * max(a * b for a, b in work.sizes["full"]), name  # data 4 times the CPU sizes or more


def test_speedup_svg_draws_one_bar_per_contender():
    from xpml.bench._svg import speedup_svg

    rows = [dict(algorithm="kmeans", n_samples=1000, n_features=8, backend=b, device="cpu", seconds=s)
            for b, s in (("numpy", 1.0), ("torch", 0.5), ("sklearn", 2.0))]
    svg = speedup_svg(rows, title="t")
    assert svg.startswith("<svg") and svg.count("<rect") == 2  # numpy and torch against scikit-learn
    assert "2.00×" in svg and "4.00×" in svg


def test_workloads_whose_data_need_a_missing_library_are_left_out_or_refused(tmp_path, monkeypatch, capsys):
    import dataclasses

    import pytest

    import xpml.bench._run as runner

    workloads = all_workloads()
    needy = dataclasses.replace(workloads["linear_regression"], name="needy", needs=("no_such_library_xyz",))
    monkeypatch.setattr(runner, "all_workloads", lambda: {"needy": needy, "ridge": workloads["ridge"]})
    rows = run(["numpy"], None, sizes="quick", repeats=1, out_dir=tmp_path, with_sklearn=False)
    assert {r["algorithm"] for r in rows} == {"ridge"}
    assert "left out: needy (they need no_such_library_xyz, which is not installed)" in capsys.readouterr().err
    with pytest.raises(ValueError, match=r"algorithms \['needy'\] need no_such_library_xyz, which is not installed"):
        run(["numpy"], ["needy"], sizes="quick", repeats=1, out_dir=tmp_path, with_sklearn=False)


def test_a_peer_fits_a_fresh_model_and_scores_its_training_accuracy():
    """`peer(make)`: each run fits `make(n_features)` anew and scores it as the xpml and scikit-learn fits are."""
    import numpy as np
    from sklearn.tree import DecisionTreeClassifier

    from xpml.bench._harness import classification_data, peer

    X, y = classification_data("float32")(300, 6, np.random.default_rng(0))
    made = []

    def make(n_features):
        made.append(n_features)
        return DecisionTreeClassifier(max_depth=2, random_state=0)

    once = peer(make)(X, y)
    scores = [once()[1], once()[1]]
    expected = float(np.mean(DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y).predict(X) == y))
    assert made == [6, 6] and scores == [expected, expected] and 0.4 < expected < 1.0


def test_the_tree_workloads_time_lightgbm_and_xgboost_beside_scikit_learn():
    """HistGradientBoosting and the random forest name LightGBM and XGBoost as peers; each installed one fits the
    quick workload's data (1,000 rows) about as well as scikit-learn's model does (training accuracy within 0.1)."""
    import importlib.util

    import numpy as np

    workloads = all_workloads()
    for name in ("hist_gradient_boosting", "random_forest_classifier"):
        work = workloads[name]
        assert set(work.extra["peers"]) == {"lightgbm", "xgboost"}
        (_, p), = work.sizes["quick"]
        X, y = work.make_data(1_000, p, np.random.default_rng(0))  # a fifth of the quick size: 100 trees each, 3 times
        reference = work.run_sklearn(X, y)()[1]
        for peer_name, run in work.extra["peers"].items():
            if importlib.util.find_spec(peer_name) is None:
                continue
            assert abs(run(X, y)()[1] - reference) <= 0.1, (name, peer_name)
