"""Splitters, cross-validation, learning curves and grid search against scikit-learn, on every backend."""

import warnings

import numpy as np
import pytest
import sklearn.model_selection as skms
from sklearn.linear_model import LinearRegression as SkLinearRegression
from sklearn.neighbors import NearestCentroid
from sklearn.pipeline import make_pipeline as sk_make_pipeline
from sklearn.preprocessing import PolynomialFeatures as SkPolynomialFeatures

from tests._toy_estimators import NearestMean
from tests.helpers import assert_allclose, assert_on_backend
from xpml.datasets import load_diabetes, load_iris
from xpml.exceptions import FitFailedWarning
from xpml.linear_model import LinearRegression
from xpml.model_selection import (
    GridSearchCV,
    KFold,
    ParameterGrid,
    StratifiedKFold,
    cross_val_score,
    cross_validate,
    learning_curve,
    train_test_split,
)
from xpml.pipeline import make_pipeline
from xpml.preprocessing import PolynomialFeatures

TOL = 1e-10
X_DIAB, Y_DIAB = load_diabetes(return_X_y=True)
X_DIAB, Y_DIAB = X_DIAB[:150], Y_DIAB[:150]  # enough for 5 folds, quick to fit
X_IRIS, Y_IRIS = load_iris(return_X_y=True)


def same_folds(ours, theirs):
    ours, theirs = list(ours), list(theirs)
    assert len(ours) == len(theirs)
    for (train, test), (ref_train, ref_test) in zip(ours, theirs):
        assert train.tolist() == ref_train.tolist() and test.tolist() == ref_test.tolist()


# ---- splitters -------------------------------------------------------------------------------------


@pytest.mark.parametrize("n, k", [(10, 3), (12, 4), (7, 7)])
def test_kfold_matches_sklearn_and_shuffles_to_a_partition(n, k):
    same_folds(KFold(k).split(np.zeros(n)), skms.KFold(k).split(np.zeros(n)))
    tests = [test for _, test in KFold(k, shuffle=True, random_state=0).split(np.zeros(n))]
    assert sorted(np.concatenate(tests).tolist()) == list(range(n))
    assert [len(t) for t in tests] == [len(t) for _, t in skms.KFold(k).split(np.zeros(n))]
    again = [test for _, test in KFold(k, shuffle=True, random_state=0).split(np.zeros(n))]
    assert all((a == b).all() for a, b in zip(tests, again))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_stratified_kfold_matches_sklearn(seed):
    rng = np.random.default_rng(seed)
    y = rng.choice([3, 1, 2], size=40, p=[0.5, 0.3, 0.2])
    same_folds(StratifiedKFold(4).split(np.zeros(40), y), skms.StratifiedKFold(4).split(np.zeros(40), y))
    words = np.array(["c", "a", "b"])[rng.integers(0, 3, 30)]
    same_folds(StratifiedKFold(3).split(np.zeros(30), words), skms.StratifiedKFold(3).split(np.zeros(30), words))
    # Shuffled: the same number of each class in each fold as unshuffled, in another arrangement.
    for (_, test), (_, ref_test) in zip(StratifiedKFold(4, shuffle=True, random_state=seed).split(np.zeros(40), y),
                                         skms.StratifiedKFold(4).split(np.zeros(40), y)):
        assert np.bincount(y[test], minlength=4).tolist() == np.bincount(y[ref_test], minlength=4).tolist()


def test_splitter_errors_and_warnings():
    with pytest.raises(ValueError, match="n_splits=1 should be >= 2"):
        KFold(1)
    with pytest.raises(ValueError, match="n_splits=5 should be <= n_samples=3"):
        list(KFold(5).split(np.zeros(3)))
    with pytest.raises(ValueError, match="random_state has no effect unless shuffle=True"):
        KFold(3, random_state=0)
    with pytest.raises(ValueError, match="n_splits=3 cannot be greater than the number of members in each class"):
        list(StratifiedKFold(3).split(np.zeros(4), [0, 0, 1, 1]))
    with pytest.warns(UserWarning, match="The least populated class in y has only 2 members"):
        list(StratifiedKFold(3).split(np.zeros(7), [0, 0, 0, 0, 0, 1, 1]))
    with pytest.raises(ValueError, match="StratifiedKFold.split needs the labels y"):
        list(StratifiedKFold(2).split(np.zeros(4)))


def test_train_test_split_follows_the_input(backend, xp, device):
    X = np.arange(40.0).reshape(20, 2)
    y = np.arange(20)
    X_train, X_test, y_train, y_test = train_test_split(xp.asarray(X, device=device), y, random_state=3)
    assert_on_backend(X_train, backend)
    assert isinstance(y_train, np.ndarray)
    assert (X_train.shape, X_test.shape) == ((15, 2), (5, 2))
    # The same seed picks the same rows on every backend: rows and labels stay paired.
    ref = train_test_split(X, y, random_state=3)
    assert_allclose(X_train, ref[0])
    assert_allclose(X_test[:, 0], 2 * y_test)


def test_train_test_split_sizes_stratify_and_shuffle():
    X, y = np.arange(20.0)[:, None], np.arange(20)
    for kwargs in ({"test_size": 0.3}, {"test_size": 6}, {"train_size": 0.45}, {"train_size": 5, "test_size": 0.5}):
        ours, ref = train_test_split(X, **kwargs, random_state=0), skms.train_test_split(X, **kwargs, random_state=0)
        assert (len(ours[0]), len(ours[1])) == (len(ref[0]), len(ref[1]))
    head = train_test_split(X, y, shuffle=False, test_size=0.25)
    assert head[2].tolist() == list(range(15)) and head[3].tolist() == list(range(15, 20))
    labels = np.array(["a"] * 12 + ["b"] * 6 + ["c"] * 12)
    for seed in range(3):
        train, test = train_test_split(labels.tolist(), stratify=labels, test_size=0.3, random_state=seed)
        assert sorted(test.tolist()) == ["a"] * 4 + ["b"] * 2 + ["c"] * 3 or \
            sorted(test.tolist()) == ["a"] * 3 + ["b"] * 2 + ["c"] * 4  # 9 = 3.6 + 1.8 + 3.6, rounded
        assert len(train) == 21
    with pytest.raises(ValueError, match="arrays\\[0\\] and arrays\\[1\\] have different numbers of samples"):
        train_test_split(X, y[:5])
    with pytest.raises(ValueError, match="test_size=1.5 should be"):
        train_test_split(X, test_size=1.5)
    with pytest.raises(ValueError, match="The least populated class in y has only 1 member"):
        train_test_split(X, stratify=[0] * 19 + [1])
    with pytest.raises(ValueError, match="stratify needs shuffle=True"):
        train_test_split(X, shuffle=False, stratify=y)


# ---- cross-validation ----------------------------------------------------------------------------


def test_cross_val_score_matches_sklearn(backend, xp, device):
    Xb, yb = xp.asarray(X_DIAB, device=device), xp.asarray(Y_DIAB, device=device)
    for scoring in (None, "neg_mean_squared_error", "neg_mean_absolute_error"):
        ours = cross_val_score(LinearRegression(), Xb, yb, cv=5, scoring=scoring)
        ref = skms.cross_val_score(SkLinearRegression(), X_DIAB, Y_DIAB, cv=5, scoring=scoring)
        assert isinstance(ours, np.ndarray)
        assert_allclose(ours, ref, rtol=TOL)
    # A classifier gets stratified folds, as in scikit-learn.
    ours = cross_val_score(NearestMean(), xp.asarray(X_IRIS, device=device), Y_IRIS, cv=4)
    assert_allclose(ours, skms.cross_val_score(NearestCentroid(), X_IRIS, Y_IRIS, cv=4), rtol=TOL)


def test_cross_validate_several_scores_and_weights(backend, xp, device):
    w = np.random.default_rng(0).uniform(0.5, 2.0, len(Y_DIAB))
    scoring = ["r2", "neg_root_mean_squared_error"]
    ours = cross_validate(LinearRegression(), xp.asarray(X_DIAB, device=device), Y_DIAB, cv=3, scoring=scoring,
                          return_train_score=True, return_estimator=True, params={"sample_weight": w})
    ref = skms.cross_validate(SkLinearRegression(), X_DIAB, Y_DIAB, cv=3, scoring=scoring, return_train_score=True,
                              params={"sample_weight": w})
    for key in ("test_r2", "train_r2", "test_neg_root_mean_squared_error", "train_neg_root_mean_squared_error"):
        assert_allclose(ours[key], ref[key], rtol=TOL)
    assert ours["fit_time"].shape == (3,) and (ours["fit_time"] > 0).all()
    assert_on_backend(ours["estimator"][0].coef_, backend)


def test_cross_validation_accepts_sklearn_estimators_and_splitters():
    ours = cross_val_score(SkLinearRegression(), X_DIAB, Y_DIAB, cv=skms.KFold(4, shuffle=True, random_state=1))
    ref = skms.cross_val_score(SkLinearRegression(), X_DIAB, Y_DIAB, cv=skms.KFold(4, shuffle=True, random_state=1))
    assert_allclose(ours, ref, rtol=TOL)
    folds = list(KFold(3).split(X_DIAB))
    assert_allclose(cross_val_score(LinearRegression(), X_DIAB, Y_DIAB, cv=folds),
                    skms.cross_val_score(SkLinearRegression(), X_DIAB, Y_DIAB, cv=3), rtol=TOL)


def test_failed_fits_score_error_score():
    bad = LinearRegression(dtype="float16")  # an invalid parameter: every fit fails
    with pytest.warns(FitFailedWarning, match="A fit failed and its scores are set to error_score=nan"):
        scores = cross_val_score(bad, X_DIAB, Y_DIAB, cv=3)
    assert np.isnan(scores).all()
    with pytest.raises(ValueError, match="dtype='float16' should be one of 'float32', 'float64'"):
        cross_val_score(bad, X_DIAB, Y_DIAB, cv=3, error_score="raise")
    with pytest.raises(ValueError, match="scoring='r3' is not a known scorer"):
        cross_val_score(LinearRegression(), X_DIAB, Y_DIAB, scoring="r3")
    with pytest.raises(ValueError, match="X and y have different numbers of samples: X has 150, y has 10"):
        cross_val_score(LinearRegression(), X_DIAB, Y_DIAB[:10])


def test_learning_curve_matches_sklearn(backend, xp, device):
    sizes = [0.2, 0.5, 1.0]
    ours = learning_curve(LinearRegression(), xp.asarray(X_DIAB, device=device), Y_DIAB, cv=3, train_sizes=sizes,
                          return_times=True)
    ref = skms.learning_curve(SkLinearRegression(), X_DIAB, Y_DIAB, cv=3, train_sizes=sizes)
    assert ours[0].tolist() == ref[0].tolist()
    assert_allclose(ours[1], ref[1], rtol=1e-9)
    assert_allclose(ours[2], ref[2], rtol=1e-9)
    assert ours[3].shape == (3, 3)
    shuffled = learning_curve(LinearRegression(), X_DIAB, Y_DIAB, cv=3, train_sizes=[30, 100], shuffle=True,
                              random_state=0)
    assert shuffled[0].tolist() == [30, 100]
    with pytest.raises(ValueError, match=r"numbers of samples should be in \[1, 100\]"):
        learning_curve(LinearRegression(), X_DIAB, Y_DIAB, cv=3, train_sizes=[10, 500])
    with pytest.warns(RuntimeWarning, match="Some train_sizes give the same number of samples"):
        learning_curve(LinearRegression(), X_DIAB, Y_DIAB, cv=3, train_sizes=[0.5, 0.501])


# ---- grid search ------------------------------------------------------------------------------------


def test_parameter_grid_order_matches_sklearn():
    grid = [{"b": [1, 2], "a": ["x", "y"]}, {"c": [0.1]}]
    assert list(ParameterGrid(grid)) == list(skms.ParameterGrid(grid))
    assert len(ParameterGrid(grid)) == 5
    with pytest.raises(ValueError, match=r"param_grid\['a'\] should be a non-empty list of values"):
        ParameterGrid({"a": []})


def test_grid_search_picks_what_sklearn_picks(backend, xp, device):
    # Well-conditioned features: on diabetes, degree-2 features have condition numbers near 1e6,
    # where scikit-learn's LinearRegression (tol=1e-6) starts to drop singular values and ours does not.
    rng = np.random.default_rng(0)
    X = rng.standard_normal((150, 4))
    y = X @ [1.0, -2.0, 0.5, 0.0] + 0.7 * X[:, 0] * X[:, 1] + rng.standard_normal(150)
    Xb = xp.asarray(X, device=device)
    grid = {"polynomialfeatures__degree": [1, 2], "polynomialfeatures__interaction_only": [False, True],
            "linearregression__fit_intercept": [True, False]}
    ours = GridSearchCV(make_pipeline(PolynomialFeatures(include_bias=False), LinearRegression()), grid, cv=4,
                        return_train_score=True).fit(Xb, y)
    ref = skms.GridSearchCV(sk_make_pipeline(SkPolynomialFeatures(include_bias=False), SkLinearRegression()), grid,
                            cv=4, return_train_score=True).fit(X, y)
    assert ours.best_params_ == ref.best_params_
    assert ours.best_index_ == ref.best_index_
    assert ours.best_score_ == pytest.approx(ref.best_score_, rel=TOL)
    for key in ("mean_test_score", "std_test_score", "split3_test_score", "mean_train_score"):
        assert_allclose(ours.cv_results_[key], ref.cv_results_[key], rtol=1e-9, atol=1e-12)
    assert ours.cv_results_["rank_test_score"].tolist() == ref.cv_results_["rank_test_score"].tolist()
    assert ours.cv_results_["params"] == ref.cv_results_["params"]
    for name in grid:
        assert ours.cv_results_[f"param_{name}"].tolist() == ref.cv_results_[f"param_{name}"].tolist()
    prediction = ours.predict(Xb)
    assert_on_backend(prediction, backend)
    assert_allclose(prediction, ref.predict(X), rtol=1e-9)
    assert ours.score(X, y) == pytest.approx(ref.score(X, y), rel=TOL)
    assert ours.best_params_["polynomialfeatures__degree"] == 2  # the interaction term is found
    assert ours.n_features_in_ == 4


def test_grid_search_of_a_classifier_with_several_scores(backend, xp, device):
    grid = {"dtype": ["float32", "float64"]}
    search = GridSearchCV(NearestMean(), grid, scoring={"acc": "accuracy", "f1": "f1_macro"}, refit="f1",
                          cv=3).fit(xp.asarray(X_IRIS, device=device), Y_IRIS)
    ref = skms.cross_val_score(NearestCentroid(), X_IRIS, Y_IRIS, cv=3, scoring="f1_macro")
    assert_allclose(search.cv_results_["split1_test_f1"], [ref[1], ref[1]], rtol=1e-5)
    assert search.best_params_ == {"dtype": "float32"}  # a tie: the first candidate wins, as in scikit-learn
    assert search.classes_.tolist() == [0, 1, 2]
    assert hasattr(search, "predict_proba") and not hasattr(search, "transform")
    no_refit = GridSearchCV(LinearRegression(), {"fit_intercept": [True, False]}, refit=False, cv=3).fit(X_DIAB, Y_DIAB)
    assert no_refit.best_params_ == {"fit_intercept": True} and not hasattr(no_refit, "best_estimator_")
    picked = GridSearchCV(LinearRegression(), {"fit_intercept": [True, False]}, cv=3,
                          refit=lambda results: 1).fit(X_DIAB, Y_DIAB)
    assert picked.best_params_ == {"fit_intercept": False}
    with pytest.raises(ValueError, match="With several scores, refit should name the one"):
        GridSearchCV(NearestMean(), grid, scoring=["accuracy", "f1_macro"], cv=3).fit(X_IRIS, Y_IRIS)


def test_sklearn_grid_search_accepts_xpml_estimators():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ref = skms.GridSearchCV(LinearRegression(), {"fit_intercept": [True, False]}, cv=3).fit(X_DIAB, Y_DIAB)
    ours = GridSearchCV(LinearRegression(), {"fit_intercept": [True, False]}, cv=3).fit(X_DIAB, Y_DIAB)
    assert ours.best_params_ == ref.best_params_
    assert_allclose(ours.cv_results_["mean_test_score"], ref.cv_results_["mean_test_score"], rtol=TOL)


# ---- scikit-learn's further arguments: groups, check_cv's shuffle, verbose, incremental learning -------


def test_groups_reach_a_group_aware_splitter_as_in_sklearn(backend, xp, device):
    groups = np.arange(len(Y_DIAB)) % 7  # seven groups, each kept on one side of every split
    Xb, yb = xp.asarray(X_DIAB, device=device), xp.asarray(Y_DIAB, device=device)
    ours = cross_validate(LinearRegression(), Xb, yb, groups=groups, cv=skms.GroupKFold(3), return_indices=True,
                          n_jobs=2, pre_dispatch="all")
    ref = skms.cross_validate(SkLinearRegression(), X_DIAB, Y_DIAB, groups=groups, cv=skms.GroupKFold(3),
                              return_indices=True)
    assert_allclose(ours["test_score"], ref["test_score"], rtol=TOL)
    for train, test in zip(ours["indices"]["train"], ours["indices"]["test"]):
        assert not set(groups[train]) & set(groups[test])
    assert_allclose(cross_val_score(LinearRegression(), Xb, yb, groups=groups, cv=skms.GroupKFold(3)),
                    ref["test_score"], rtol=TOL)
    sizes = learning_curve(LinearRegression(), Xb, yb, groups=groups, cv=skms.GroupKFold(3), train_sizes=[0.5, 1.0])
    ref_sizes = skms.learning_curve(SkLinearRegression(), X_DIAB, Y_DIAB, groups=groups, cv=skms.GroupKFold(3),
                                    train_sizes=[0.5, 1.0])
    assert sizes[0].tolist() == ref_sizes[0].tolist()
    assert_allclose(sizes[2], ref_sizes[2], rtol=1e-9)


def test_check_cv_shuffles_the_folds_it_makes():
    from xpml.model_selection import check_cv

    same_folds(check_cv(3, shuffle=True, random_state=0).split(X_DIAB),
               KFold(3, shuffle=True, random_state=0).split(X_DIAB))
    cv = check_cv(3, Y_IRIS, classifier=True, shuffle=True, random_state=1)
    assert isinstance(cv, StratifiedKFold) and cv.shuffle and cv.random_state == 1
    assert skms.check_cv(3, Y_IRIS, classifier=True, shuffle=True, random_state=1).shuffle
    with pytest.raises(ValueError, match="random_state has no effect unless shuffle=True"):
        check_cv(3, random_state=0)


def test_verbose_prints_each_fold(capsys):
    cross_val_score(LinearRegression(), X_DIAB, Y_DIAB, cv=3, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[0].startswith("[CV] END fold 1/3;") and "score=" in lines[0]
    cross_val_score(LinearRegression(), X_DIAB, Y_DIAB, cv=3)
    assert capsys.readouterr().out == ""


def test_learning_curve_with_incremental_learning_matches_sklearn(backend, xp, device):
    from sklearn.naive_bayes import GaussianNB as SkGaussianNB

    from xpml.naive_bayes import GaussianNB

    order = np.random.default_rng(0).permutation(len(Y_IRIS))  # iris is sorted by class: mix it
    X, y, sizes = X_IRIS[order], Y_IRIS[order], [0.2, 0.6, 1.0]
    ours = learning_curve(GaussianNB(), xp.asarray(X, device=device), y, cv=3, train_sizes=sizes,
                          exploit_incremental_learning=True, return_times=True)
    ref = skms.learning_curve(SkGaussianNB(), X, y, cv=3, train_sizes=sizes, exploit_incremental_learning=True)
    assert ours[0].tolist() == ref[0].tolist()
    assert_allclose(ours[1], ref[1], rtol=1e-12)
    assert_allclose(ours[2], ref[2], rtol=1e-12)
    assert ours[3].shape == (3, 3)
    with pytest.raises(ValueError, match="exploit_incremental_learning=True needs an estimator with partial_fit"):
        learning_curve(LinearRegression(), X_DIAB, Y_DIAB, cv=3, exploit_incremental_learning=True)


def test_grid_search_passes_log_probabilities_and_scores_of_samples_on(backend, xp, device):
    """predict_log_proba and score_samples: the best estimator's, as scikit-learn's search passes them on."""
    from sklearn.decomposition import PCA as SkPCA

    from xpml.decomposition import PCA
    from xpml.linear_model import LogisticRegression

    X = xp.asarray(X_IRIS, device=device)
    search = GridSearchCV(LogisticRegression(max_iter=500), {"C": [0.1, 1.0]}, cv=3).fit(X, Y_IRIS)
    assert_allclose(search.predict_log_proba(X), search.best_estimator_.predict_log_proba(X), rtol=0)
    densities = GridSearchCV(PCA(), {"n_components": [1, 2, 3]}, cv=3).fit(X)
    ref = skms.GridSearchCV(SkPCA(), {"n_components": [1, 2, 3]}, cv=3).fit(X_IRIS)
    assert densities.best_params_ == ref.best_params_
    assert_on_backend(densities.score_samples(X), backend)
    assert_allclose(densities.score_samples(X), ref.score_samples(X_IRIS), rtol=1e-10)
    assert not hasattr(GridSearchCV(LinearRegression(), {"fit_intercept": [True]}), "predict_log_proba")
