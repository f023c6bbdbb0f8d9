"""The `xp` fixture: every test that takes it runs once per backend available here.

Backends: numpy; array_api_strict on its default device and on its second simulated device (which
catches arrays left on the wrong device); torch on the CPU; jax on its default device, with float64
enabled; cupy and torch on CUDA, skipped with a reason where there is no GPU; dask (threads), for the
shared per-estimator tests of the estimators that scale out only (`_keep_on_dask`). While a test runs,
its backend is the one in force (`xpml.use_backend`), so estimators built with `backend=None` use it.
"""

import os
import shutil
import tempfile

os.environ.setdefault("JAX_ENABLE_X64", "1")  # before anything imports jax: the float64 tests need it
# numpy's and scipy's OpenBLAS on one thread in each test process, set before either is loaded (as torch's threads
# below): the test workers already share out the cores, and a BLAS thread per core in each worker spins at its
# barriers for the time the others need. Four test modules (logistic, neural network, cluster, decomposition) on two
# workers took 112 s and 93 s with OpenBLAS's own threads, 89 s and 72 s with one. xpml's own worker threads
# (`xpml.utils._threads`) are not limited by this.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# The tests check results, not speed: jax compiles each operation of an eager run the first time it
# meets its shapes, and most of that time goes to XLA's optimization passes (the jax tests took 17%
# less time without them). The compiled programs compute the same values.
os.environ.setdefault("JAX_DISABLE_MOST_OPTIMIZATIONS", "1")
# XLA's CPU compiler emits each operation through its newer fusion emitters by default; its older emitter
# compiles the small programs of an eager run in about half the time (measured: 640 compilations of
# elementwise ops, reductions and matmuls took 15.7 s, 8.5 s with it; the jax tests of test_neighbors
# 34 s, 25 s) and computes the same operations.
if "xla_cpu_use_fusion_emitters" not in os.environ.get("XLA_FLAGS", ""):
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_cpu_use_fusion_emitters=false").strip()
# The test workers (pytest-xdist) compile the same operations: one compilation cache on disk, shared by the
# workers of this run, lets each read what another compiled (a warm cache halved the jax tests' time).
_OWN_JAX_CACHE = "JAX_COMPILATION_CACHE_DIR" not in os.environ  # a cache of the user's own is left alone
if _OWN_JAX_CACHE:  # the workers inherit the controller's
    os.environ["JAX_COMPILATION_CACHE_DIR"] = tempfile.mkdtemp(prefix="xpml-tests-jax-")
os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", "-1")

import importlib.util

import pytest

import xpml

BACKENDS = ["numpy", "array_api_strict", "array_api_strict:device1", "torch", "jax", "cupy", "torch:cuda", "dask"]


def _skip_reason(spec: str) -> str | None:
    name, _, device = spec.partition(":")
    if importlib.util.find_spec(name) is None:
        return f"{name} is not installed"
    if name == "cupy" and "cupy" not in xpml.available_backends():
        return "cupy is installed but no CUDA GPU can be reached"
    if device == "cuda":
        import torch

        if not torch.cuda.is_available():
            return "torch finds no CUDA GPU on this machine"
    return None


# The suite runs in 5 minutes on 2 cores. jax compiles every operation of an eager run anew for each shape
# it meets, so a jax case costs several times a numpy one, and array_api_strict's second device repeats its
# first. Where a test runs a model over several data sets or settings, jax runs its first case and the
# second device its first one: each test's code still runs on both, its other cases repeat that code with
# other data on the other backends. The shared tests (every estimator, one case each) keep every case (on jax,
# all but the model-file test named below).
# XPML_ALL_CASES=1 runs every case on every backend.
_EVERY_CASE_MODULES = {"test_common", "test_hostile", "test_io", "test_cli"}
_CASES_KEPT = {"jax": 1, "array_api_strict:device1": 1}
# And jax leaves out these tests, whose subject is code that does not depend on the backend, and which its other
# tests and test_common's jax fits exercise; each took 0.4 to 5 s on jax, compiling its shapes (XPML_ALL_CASES=1 runs
# them): a loop over blocks of queries or of samples, a search over parameters, a fit's path on singular data, the
# neighbours' weights and metrics (computed by the same array code on every backend, before and after the top-k
# that jax compiles, which the neighbours' other tests and test_topk check on jax), the MLP's options around the loss,
# gradient and steps that jax compiles (early stopping, max_fun, the loss of each L-BFGS step, L-BFGS to a weighted
# minimum, two outputs, accuracy on digits: its gradient, step-by-step, sample-weight, multilabel, float32 and
# regression tests check those compiled functions on jax), SGD's and k-means' options around the steps jax compiles
# (early stopping on held-out data, string labels, shuffling, scores on real data, several starts, a warning,
# blocks of samples: their step, weights, averaging, stopping and float32 tests check those steps on jax), what is
# assembled from a fitted model's arrays (the neighbours' graph, a forest's log-probabilities and paths, a tree's
# pruning path, on the host), a model file's fields (checked on the host, whatever the backend the model was
# fitted on), and a numpy-trained model loaded onto jax (test_common: the loading is the backend-neutral io, and
# what then runs on jax, each estimator's outputs from its fitted arrays, test_common's same-seed test runs after its
# jax fit; 10 s of jax's compilations).
_LEFT_OUT_ON_JAX = {("test_neighbors", "test_blocks_of_queries_give_the_same_answer_as_one_block"),
                    ("test_neighbors", "test_distance_weights_give_a_point_at_distance_zero_the_vote"),
                    ("test_neighbors", "test_cosine_treats_a_zero_vector_as_orthogonal_to_everything"),
                    ("test_neighbors", "test_minkowski_p_as_sklearn"),
                    ("test_neighbors", "test_metric_params_weights_and_p_as_sklearn"),
                    ("test_neighbors", "test_algorithm_leaf_size_and_n_jobs_only_tune_sklearn"),
                    ("test_neighbors", "test_callable_and_none_weights_as_sklearn"),
                    ("test_neighbors", "test_callable_metric_and_its_params_as_sklearn"),
                    ("test_neural_network", "test_digits_accuracy_matches_sklearn"),
                    ("test_neural_network", "test_early_stopping_keeps_the_best_network"),
                    ("test_neural_network", "test_early_stopping_regressor_scores_r2"),
                    ("test_neural_network", "test_lbfgs_records_the_loss_of_each_iteration"),
                    ("test_neural_network", "test_max_fun_stops_lbfgs_as_sklearn"),
                    ("test_neural_network", "test_sample_weight_with_lbfgs_reaches_sklearns_minimum"),
                    ("test_neural_network", "test_multi_output_regression"),
                    ("test_sgd", "test_early_stopping_counts_epochs_without_improvement"),
                    ("test_sgd", "test_string_labels_and_multiclass_shapes"),
                    ("test_sgd", "test_partial_fit_with_string_labels_in_chunks"),
                    ("test_sgd", "test_shuffled_log_loss_ends_near_the_optimum"),
                    ("test_sgd", "test_accuracy_matches_sklearn"),
                    ("test_sgd", "test_r2_matches_sklearn"),
                    ("test_cluster", "test_kmeans_plusplus_with_ten_inits_reaches_sklearn_inertia"),
                    ("test_cluster", "test_duplicate_points_warn_of_fewer_distinct_clusters"),
                    ("test_cluster", "test_kmeans_plusplus_does_not_depend_on_the_block_size"),
                    ("test_cluster", "test_blocks_give_the_same_labels_and_sums_as_one_block"),
                    ("test_neighbors", "test_kneighbors_graph_is_sklearns"),
                    ("test_ensemble", "test_forest_log_probabilities_are_the_log_of_its_probabilities"),
                    ("test_ensemble", "test_forest_decision_path_puts_the_trees_paths_side_by_side"),
                    ("test_tree", "test_cost_complexity_pruning_path_is_sklearns"),
                    ("test_model_selection", "test_grid_search_picks_what_sklearn_picks"),
                    ("test_sparse_unsupervised", "test_minibatch_kmeans_on_sparse_is_the_dense_fit"),
                    ("test_metrics", "test_silhouette_in_chunks"),
                    ("test_edge_cases", "test_collinear_features_with_an_l2_penalty_have_the_unique_solution"),
                    ("test_edge_cases", "test_collinear_features_in_the_lasso_give_the_unique_fit"),
                    ("test_hostile", "test_model_file_with_arrays_of_the_wrong_dimensions_is_refused"),
                    ("test_common", "test_round_trip_from_numpy_onto_every_backend"),
                    # DBSCAN: its loop over blocks of rows; and its sparse inputs, whose CSR kernels test_csr checks
                    # on jax, each nnz compiling them anew (30 s), under the array code its dense tests run on jax
                    ("test_dbscan", "test_blocks_of_rows_give_the_same_answer_as_one_block"),
                    ("test_dbscan", "test_sparse_X_as_sklearn"),
                    ("test_dbscan", "test_precomputed_sparse_graphs_as_sklearn"),
                    # AgglomerativeClustering on a graph: Müllner's generic algorithm, a loop compiled on jax as the
                    # chain's is (test_ward_and_single_linkage_are_sklearns, with the same writes of D), and the
                    # graph's components, array code that every other backend runs; its compilation took 2 s on jax
                    ("test_agglomerative", "test_connectivity_is_sklearns_structured_clustering"),
                    # the radius neighbours' other cases: jax runs their compiled search and votes in the radius
                    # search's and the radius classifier's tests, and each radius model's fit and outputs in
                    # test_common; the others (the training points' own neighbours, another radius, the regressor's
                    # means, the graph functions, duplicates, sparse points: each count of pairs a new shape) took
                    # 60 s on jax
                    ("test_neighbors_more", "test_nearest_neighbors_kneighbors_are_sklearns"),
                    ("test_neighbors_more", "test_radius_neighbors_of_the_training_points_and_of_another_radius"),
                    ("test_neighbors_more", "test_radius_regressor_is_sklearns"),
                    ("test_neighbors_more", "test_graph_functions_are_sklearns"),
                    ("test_neighbors_more", "test_sparse_points_are_searched_as_sklearn"),
                    ("test_neighbors_more", "test_duplicates_radius_zero_and_the_vote_of_points_at_distance_zero"),
                    # NMF: jax runs its compiled coordinate-descent sweep (test_coordinate_descent_is_sklearns) and
                    # the default fit in test_common; the multiplicative updates, the starts and the custom start are
                    # eager array code that every other backend runs, each shape a compilation on jax
                    ("test_nmf", "test_multiplicative_updates_are_sklearns"),
                    ("test_nmf", "test_nndsvd_start_and_the_random_fills"),
                    ("test_nmf", "test_custom_start_auto_components_and_float32")}
# And jax leaves to the other backends the modules whose subject runs the same code on every backend: no path of its
# own where each shape compiles (`compiles_per_shape`) and no compiled loop (`compiled_once`, `compiled_steps`, the
# optimizers of xpml.optim, the top-k of the neighbours, the MLP's loss and gradient, the SMO steps), so that what
# jax alone could break in them is its immutable arrays and its type promotion, which every estimator meets in the
# shared tests (its fit and outputs on jax, the same bits twice, round trips, hostile input). The linear models'
# solvers (closed forms, L-BFGS and Newton steps, coordinate descent, LinearSVC's dual) write into no array by
# index. And jax promotes types as numpy 2 does (NEP 50), or keeps the narrower type where numpy does not (float32
# data with a 0-d array made from a Python float, or with an integer array): what keeps float32 on numpy keeps it
# on jax. Their jax runs took about 120 of the suite's 550 s of test time; XPML_ALL_CASES=1 runs them.
_NEUTRAL_MODULES_ON_JAX = {
    "test_metrics", "test_metrics_more", "test_metrics_cluster", "test_pairwise", "test_naive_bayes", "test_preprocessing",
    "test_naive_bayes_more",  # the discrete models' counts: bincounts and products, met on jax in the shared tests
    "test_power_transformer",  # the batched Newton search reads the host after each step: nothing compiled
    "test_dbscan",  # its search is NearestNeighbors' (met on jax in test_neighbors_more); then gathers, segment minima
    "test_preprocessing_more",  # the new preprocessing tools: each met on jax in the shared tests (fit, outputs)
    "test_preprocessing_bins",  # quantiles, bins, labels: the same (met on jax in the shared tests, normal output too)
    "test_decomposition",
    "test_incremental_pca", "test_kernel_pca",  # stacked SVDs, kernels and eigh: eager array code, nothing compiled
    "test_ridge", "test_ridge_cv", "test_kernel_ridge", "test_validation", "test_dataframes", "test_inspection",
    "test_linear_regression", "test_logistic", "test_logistic_cv", "test_elastic_net", "test_svm",  # the linear models
    "test_huber", "test_linear_svr",  # the linear models' L-BFGS fits (HuberRegressor, LinearSVR)
    "test_feature_selection",  # scores, survival functions and masks: eager array code, nothing compiled
    "test_quantile",  # QuantileRegressor's interior-point steps: eager array code, nothing compiled; on jax in test_common
    "test_glm",  # the GLMs' L-BFGS and Newton steps (eager, nothing compiled), the deviances; on jax in test_common
    "test_sklearn_params_classifiers", "test_sklearn_params_regressors",  # the linear models' parameters
    "test_adaboost", "test_bagging", "test_voting",  # meta-estimators: their members' code
    "test_stacking",  # the members' code, in folds (cross_val_predict), then the final estimator's: nothing compiled
    "test_model_selection", "test_model_selection_more", "test_base", "test_pipeline",  # the plumbing around estimators
    "test_compose",  # ColumnTransformer: its columns taken and stacked by take, concat, nonzero, argsort
    "test_preprocessing_spline_target",  # splines, target encodings, label sets: eager array code (no compiled loop),
    # met on jax in the shared tests
    "test_distances", "test_margin_losses",  # pairwise distances, argmin, Brier, hinge: array code, nothing compiled
    "test_partial_dependence",  # predictions of fitted models on copies of X, averaged: nothing compiled of its own
}


# dask runs only where a whole estimator is at stake: the shared tests of test_common, for the estimators that
# scale out (that fit chunk by chunk on it, `_scales_out`, or learn from a stream of chunks, `_chunk_loss`),
# which test_dask*.py check in detail. The other estimators refuse dask (test_dask.py checks the message);
# the helpers' tests do not take it (its helpers are those tests' subjects on dask: test_dask*.py).
# The comparison of a fit on dask with numpy's (same seed) takes the estimators fitted in one pass, by a
# closed form or sufficient statistics (no max_iter or n_iter): the iterative ones take other paths on dask
# (k-means|| seeding, streamed epochs that visit the chunks in order) or many computes, and test_dask*.py
# compare them with numpy from the same start.
_DASK_TESTS = {"test_round_trip_from_numpy_onto_every_backend": ("one pass", "iterative", "stream"),
               "test_bad_arrays_of_every_library_are_refused": ("one pass", "iterative", "stream"),
               "test_same_seed_same_bits_and_round_trip_onto_numpy": ("one pass",)}


def _scaling_out() -> dict:
    """{estimator name: "one pass", "iterative" or "stream"} for the estimators whose recipe fits on dask (a
    stream needs partial_fit: not the MLPs' L-BFGS)."""
    from tests._common_recipes import RECIPES

    ways = {}
    for name, recipe in RECIPES.items():
        estimator = recipe.make()
        if estimator._scales_out:
            params = estimator.get_params()
            ways[name] = "iterative" if "max_iter" in params or "n_iter" in params else "one pass"
        elif estimator._chunk_loss is not None and getattr(estimator, "solver", None) != "lbfgs":
            ways[name] = "stream"
    return ways


def _keep_on_dask(items):
    kept, dropped, scaling = [], [], None
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if params.get("backend") != "dask":
            kept.append(item)
            continue
        scaling = _scaling_out() if scaling is None else scaling
        wanted = _DASK_TESTS.get(item.originalname) if item.module.__name__.endswith("test_common") else None
        way = scaling.get(params.get("name"))
        (kept if wanted and way in wanted else dropped).append(item)
    return kept, dropped


# jax fits every estimator in the shared tests (test_common), but where an estimator's fit runs on jax the code of
# another's, with a few array expressions of its own around it, it fits the other only: each of these took 1 to 3 s
# on jax, compiling what the other compiles again (XPML_ALL_CASES=1 runs them).
_SAME_CODE_ON_JAX = {
    "ExtraTreeClassifier": "ExtraTreesClassifier",  # one tree of the forest, grown by the same level steps
    "ExtraTreeRegressor": "ExtraTreesRegressor",
    "RidgeClassifierCV": "RidgeClassifier and RidgeCV",  # RidgeCV's leave-one-out on RidgeClassifier's targets
    "LassoCV": "ElasticNetCV",  # ElasticNetCV at l1_ratio=1
    "MultiTaskElasticNet": "MultiTaskLasso",  # the same grouped FISTA solver
    "RadiusNeighborsRegressor": "RadiusNeighborsClassifier",  # the same radius search, a mean in place of a vote
    "BaggingRegressor": "BaggingClassifier",  # the same draws of samples and features
    "FeatureAgglomeration": "AgglomerativeClustering",  # the same merges, over the columns; then a scatter-add
    "PoissonRegressor": "TweedieRegressor",  # the same GLM code and L-BFGS steps, the deviance at power 1, not 1.5
    "SVR": "SVC",  # the same SMO solver (BaseKernelSVM._solve), on the 2n variables of the epsilon-SVR dual
    "KNeighborsRegressor": "KNeighborsClassifier",  # the same search, a mean in place of a vote
    # the same binning, grower and predictor, least-squares gradients in place of the log-loss's; and
    # test_hist_gradient_boosting grows regressors on jax (categorical splits, quantile leaves)
    "HistGradientBoostingRegressor": "HistGradientBoostingClassifier",
}


def pytest_collection_modifyitems(config, items):
    items[:], dropped = _keep_on_dask(items)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    if os.environ.get("XPML_ALL_CASES") == "1":
        return
    seen = {}
    for item in items:
        spec = getattr(getattr(item, "callspec", None), "params", {}).get("backend")
        module = item.module.__name__.rpartition(".")[2]
        if spec == "jax" and (module in _NEUTRAL_MODULES_ON_JAX or (module, item.originalname) in _LEFT_OUT_ON_JAX):
            item.add_marker(pytest.mark.skip(reason="jax leaves this backend-neutral test to the other backends; "
                                                    "XPML_ALL_CASES=1 runs it (tests/conftest.py)"))
            continue
        name = getattr(getattr(item, "callspec", None), "params", {}).get("name")
        if spec == "jax" and module == "test_common" and name in _SAME_CODE_ON_JAX:
            item.add_marker(pytest.mark.skip(reason=f"on jax {name}'s fit runs the code of {_SAME_CODE_ON_JAX[name]}'s, "
                                                    f"fitted there; XPML_ALL_CASES=1 runs it (tests/conftest.py)"))
            continue
        if spec not in _CASES_KEPT or module in _EVERY_CASE_MODULES:
            continue
        key = (spec, item.module.__name__, item.originalname)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > _CASES_KEPT[spec]:
            item.add_marker(pytest.mark.skip(reason=f"{spec} runs this test's first {_CASES_KEPT[spec]} case(s); "
                                                    "XPML_ALL_CASES=1 runs the others (tests/conftest.py)"))
    _leave_to_the_second_device(items)


def _case(item, spec):
    """(test, its parameters but the backend) where the item runs on backend `spec`, else None."""
    callspec = getattr(item, "callspec", None)
    if callspec is None or callspec.params.get("backend") != spec:
        return None
    others = tuple(sorted((k, repr(v)) for k, v in callspec.params.items() if k != "backend"))
    return item.nodeid.partition("[")[0], others


def _leave_to_the_second_device(items):
    """array_api_strict's second device runs the same code as its first, and checks besides that every array stays
    on its device: a case that runs there is left out on the first (XPML_ALL_CASES=1 runs both)."""
    on_second = {_case(item, "array_api_strict:device1") for item in items if item.get_closest_marker("skip") is None}
    on_second.discard(None)  # the items of other backends
    for item in items:
        if _case(item, "array_api_strict") in on_second and item.get_closest_marker("skip") is None:
            item.add_marker(pytest.mark.skip(reason="array_api_strict runs this case on its second device, which "
                                                    "checks all the first does; XPML_ALL_CASES=1 runs both "
                                                    "(tests/conftest.py)"))


@pytest.fixture(params=BACKENDS, ids=[s.replace(":", "-") for s in BACKENDS])
def backend(request):
    """The Backend under test, in force for the test's duration."""
    reason = _skip_reason(request.param)
    if reason:
        pytest.skip(reason)
    b = xpml.make_backend(request.param)
    with xpml.use_backend(b):
        yield b


@pytest.fixture
def xp(backend):
    """The array namespace of the backend under test."""
    return backend.xp


@pytest.fixture
def device(backend):
    """The device of the backend under test."""
    return backend.device


@pytest.fixture(autouse=True, scope="session")
def _torch_on_one_thread():
    """torch's CPU kernels on one thread for the session, as xpml's k-means runs them (xpml.utils._threads).

    The tests' arrays are small: a second intra-op thread gains nothing on them, and on a machine whose
    2 cores are shared, threads spinning at torch's barriers multiply the CPU time (measured: the torch
    tests of test_neural_network took 36 s of CPU with 2 threads, 13 s with one). xpml's code paths are
    the same either way; its own worker threads (`host_workers`) are not limited by this.
    """
    if importlib.util.find_spec("torch") is None:
        yield
        return
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def pytest_unconfigure(config):
    """The run's jax compilation cache goes when the run ends (in the process that made it)."""
    if _OWN_JAX_CACHE and not hasattr(config, "workerinput"):
        shutil.rmtree(os.environ["JAX_COMPILATION_CACHE_DIR"], ignore_errors=True)
