"""The splitters beyond k-fold, ParameterSampler, RandomizedSearchCV, cross_val_predict and validation_curve
against scikit-learn.

Splitters without random draws give scikit-learn's very indices. Random ones draw with xpml's own numpy
Generator (as KFold(shuffle=True) does), so for them the tests check what scikit-learn documents: sizes,
disjointness, coverage, class proportions, groups kept whole, and reproducibility. Most of this is host
index bookkeeping, run once; the backend matters only where data is sliced and predicted (the last tests).
"""

import warnings

import numpy as np
import pytest
import sklearn.model_selection as skms
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.linear_model import Ridge as SkRidge
from sklearn.naive_bayes import GaussianNB as SkGaussianNB

from tests.helpers import assert_allclose, assert_on_backend
from xpml.datasets import load_diabetes, load_iris
from xpml.linear_model import LogisticRegression, Ridge
from xpml.model_selection import (
    GridSearchCV,
    GroupKFold,
    GroupShuffleSplit,
    KFold,
    LeaveOneGroupOut,
    LeaveOneOut,
    LeavePGroupsOut,
    LeavePOut,
    ParameterGrid,
    ParameterSampler,
    PredefinedSplit,
    RandomizedSearchCV,
    RepeatedKFold,
    RepeatedStratifiedKFold,
    ShuffleSplit,
    StratifiedGroupKFold,
    StratifiedKFold,
    StratifiedShuffleSplit,
    TimeSeriesSplit,
    cross_val_predict,
    cross_val_score,
    cross_validate,
    learning_curve,
    train_test_split,
    validation_curve,
)
from xpml.naive_bayes import GaussianNB

X_DIAB, Y_DIAB = load_diabetes(return_X_y=True)
X_DIAB, Y_DIAB = X_DIAB[:90], Y_DIAB[:90]
X_IRIS, Y_IRIS = load_iris(return_X_y=True)  # sorted by class: unshuffled KFold leaves a class out of each fold
RNG = np.random.default_rng(0)
Y_30 = np.repeat(["a", "b", "c"], [15, 9, 6])
GROUPS_30 = RNG.integers(0, 8, 30)


def folds_of(splits):
    return [(train.tolist(), test.tolist()) for train, test in splits]


def assert_same_folds(ours, theirs):
    assert folds_of(ours) == folds_of(theirs)


# ---- splitters without random draws: scikit-learn's indices ------------------------------------------


def _deterministic_cases():
    rng = np.random.default_rng(1)
    y, groups, folds = rng.integers(0, 3, 40), rng.integers(0, 9, 40), rng.integers(-1, 4, 40)
    yield "LeaveOneOut", LeaveOneOut(), skms.LeaveOneOut(), 7, None, None
    yield "LeavePOut", LeavePOut(3), skms.LeavePOut(3), 7, None, None
    yield "TimeSeriesSplit", TimeSeriesSplit(), skms.TimeSeriesSplit(), 23, None, None
    yield ("TimeSeriesSplit-gap", TimeSeriesSplit(3, max_train_size=6, test_size=4, gap=2),
           skms.TimeSeriesSplit(3, max_train_size=6, test_size=4, gap=2), 23, None, None)
    yield "PredefinedSplit", PredefinedSplit(folds), skms.PredefinedSplit(folds), 40, None, None
    yield "GroupKFold", GroupKFold(4), skms.GroupKFold(4), 40, y, groups
    yield "GroupKFold-strings", GroupKFold(3), skms.GroupKFold(3), 30, None, np.array(list("abcdefgh"))[GROUPS_30]
    yield "StratifiedGroupKFold", StratifiedGroupKFold(3), skms.StratifiedGroupKFold(3), 40, y, groups
    yield "LeaveOneGroupOut", LeaveOneGroupOut(), skms.LeaveOneGroupOut(), 40, y, groups
    yield "LeavePGroupsOut", LeavePGroupsOut(2), skms.LeavePGroupsOut(2), 40, y, groups


@pytest.mark.parametrize("name, ours, theirs, n, y, groups", list(_deterministic_cases()),
                         ids=[case[0] for case in _deterministic_cases()])
def test_splitters_without_draws_give_sklearns_indices(name, ours, theirs, n, y, groups):
    X = np.zeros((n, 2))
    assert_same_folds(ours.split(X, y, groups), theirs.split(X, y, groups))
    assert ours.get_n_splits(X, y, groups) == theirs.get_n_splits(X, y, groups)


@pytest.mark.parametrize("seed", range(6))
def test_group_k_folds_balance_as_sklearn_on_random_groups(seed):
    """The greedy balancing (GroupKFold) and the class-spread rule (StratifiedGroupKFold), ties included."""
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(30, 70)), int(rng.integers(2, 5))
    y, groups = rng.integers(0, 3, n), rng.integers(0, 12, n)
    X = np.zeros((n, 1))
    assert_same_folds(GroupKFold(k).split(X, y, groups), skms.GroupKFold(k).split(X, y, groups))
    assert_same_folds(StratifiedGroupKFold(k).split(X, y, groups), skms.StratifiedGroupKFold(k).split(X, y, groups))


# ---- random splitters: what scikit-learn documents, with xpml's draws ---------------------------------


@pytest.mark.parametrize("sizes", [{}, {"test_size": 0.3}, {"test_size": 7}, {"train_size": 0.5},
                                   {"train_size": 12, "test_size": 0.2}])
def test_shuffle_split_sizes_disjointness_and_seed(sizes):
    X = np.zeros((30, 1))
    ours = list(ShuffleSplit(4, **sizes, random_state=0).split(X))
    theirs = list(skms.ShuffleSplit(4, **sizes, random_state=0).split(X))
    assert [(len(a), len(b)) for a, b in ours] == [(len(a), len(b)) for a, b in theirs]
    for train, test in ours:
        assert not set(train) & set(test) and set(train) | set(test) <= set(range(30))
    assert folds_of(ours) == folds_of(ShuffleSplit(4, **sizes, random_state=0).split(X))  # an int seed: the same
    assert len({tuple(sorted(test)) for _, test in ours}) == 4  # four different draws
    # train_test_split is ShuffleSplit's first pair, with the same seed.
    first = train_test_split(np.arange(30), **sizes, random_state=0) if sizes else None
    if first is not None:
        assert (first[0].tolist(), first[1].tolist()) == folds_of(ours)[0]


def test_stratified_shuffle_split_keeps_the_class_shares_in_both_sets():
    X = np.zeros((30, 1))
    # Sizes whose shares round without ties (scikit-learn breaks ties at random): the same counts as scikit-learn's.
    for sizes in ({"test_size": 0.2}, {"test_size": 0.2, "train_size": 20}, {"test_size": 5, "train_size": 16},
                  {"test_size": 0.3, "train_size": 17}):
        ours = list(StratifiedShuffleSplit(3, **sizes, random_state=0).split(X, Y_30))
        theirs = list(skms.StratifiedShuffleSplit(3, **sizes, random_state=0).split(X, Y_30))
        for (train, test), (ref_train, ref_test) in zip(ours, theirs):
            for part, ref in ((train, ref_train), (test, ref_test)):
                assert sorted(Y_30[part].tolist()) == sorted(Y_30[ref].tolist())
            assert not set(train) & set(test)
    first = next(StratifiedShuffleSplit(1, test_size=0.2, random_state=4).split(X, Y_30))
    split = train_test_split(np.arange(30), test_size=0.2, stratify=Y_30, random_state=4)
    assert folds_of([first]) == [(split[0].tolist(), split[1].tolist())]


def test_group_shuffle_split_draws_whole_groups():
    X = np.zeros((30, 1))
    n_groups = len(np.unique(GROUPS_30))
    for sizes, n_test in (({}, 2), ({"test_size": 0.5}, 4), ({"test_size": 3, "train_size": 2}, 3)):
        ours = list(GroupShuffleSplit(5, **sizes, random_state=1).split(X, groups=GROUPS_30))
        theirs = list(skms.GroupShuffleSplit(5, **sizes, random_state=1).split(X, groups=GROUPS_30))
        for (train, test), (ref_train, _) in zip(ours, theirs):
            assert len(set(GROUPS_30[test])) == n_test and not set(GROUPS_30[train]) & set(GROUPS_30[test])
            assert len(set(GROUPS_30[train])) == len(set(GROUPS_30[ref_train]))
            assert set(train) | set(test) == set(np.flatnonzero(np.isin(GROUPS_30, GROUPS_30[np.r_[train, test]])))
            assert train.tolist() == sorted(train.tolist()) and test.tolist() == sorted(test.tolist())
        if not sizes:
            assert all(len(set(GROUPS_30[tr])) == n_groups - 2 for tr, _ in ours)  # the complement by default


def test_repeated_k_folds_repeat_a_shuffled_k_fold():
    X = np.zeros((30, 1))
    folds = list(RepeatedKFold(n_splits=3, n_repeats=4, random_state=0).split(X))
    assert len(folds) == RepeatedKFold(n_splits=3, n_repeats=4).get_n_splits() == 12
    for r in range(4):  # each repetition is a partition into KFold's fold sizes
        tests = [test for _, test in folds[3 * r:3 * r + 3]]
        assert sorted(np.concatenate(tests).tolist()) == list(range(30)) and [len(t) for t in tests] == [10] * 3
    assert len({tuple(test) for _, test in folds}) == 12  # the repetitions draw anew
    one = RepeatedKFold(n_splits=3, n_repeats=1, random_state=5).split(X)
    assert_same_folds(one, KFold(3, shuffle=True, random_state=5).split(X))
    stratified = list(RepeatedStratifiedKFold(n_splits=3, n_repeats=2, random_state=0).split(X, Y_30))
    reference = list(StratifiedKFold(3).split(X, Y_30)) * 2
    assert RepeatedStratifiedKFold(n_splits=3, n_repeats=2).get_n_splits() == 6
    for (_, test), (_, ref_test) in zip(stratified, reference):
        assert sorted(Y_30[test].tolist()) == sorted(Y_30[ref_test].tolist())
    assert folds_of(stratified[:3]) != folds_of(stratified[3:])


def test_shuffled_group_k_folds_keep_groups_whole():
    X = np.zeros((30, 1))
    n_groups = len(np.unique(GROUPS_30))
    for splitter in (GroupKFold(3, shuffle=True, random_state=0), StratifiedGroupKFold(3, True, 0)):
        folds = list(splitter.split(X, Y_30, GROUPS_30))
        tests = [test for _, test in folds]
        assert sorted(np.concatenate(tests).tolist()) == list(range(30))
        assert sum(len(set(GROUPS_30[t])) for t in tests) == n_groups  # each group tested once, whole
        for train, test in folds:
            assert not set(GROUPS_30[train]) & set(GROUPS_30[test])
        assert folds_of(folds) == folds_of(splitter.split(X, Y_30, GROUPS_30))
    # GroupKFold's shuffle deals the groups in runs as KFold deals samples: 3, 3, 2 of the 8 groups.
    tests = [t for _, t in GroupKFold(3, shuffle=True, random_state=0).split(X, None, GROUPS_30)]
    assert [len(set(GROUPS_30[t])) for t in tests] == [3, 3, 2]


# ---- splitters refuse, naming the argument -----------------------------------------------------------


@pytest.mark.parametrize("splitter", [GroupKFold(2), StratifiedGroupKFold(2), GroupShuffleSplit(2),
                                      LeaveOneGroupOut(), LeavePGroupsOut(1)], ids=lambda s: type(s).__name__)
def test_group_splitters_need_groups(splitter):
    with pytest.raises(ValueError, match=rf"{type(splitter).__name__}\.split needs groups, an array of shape "
                                         r"\(n_samples,\).*got groups=None"):
        list(splitter.split(np.zeros((30, 1)), Y_30))


@pytest.mark.parametrize("make, error, message", [
    (lambda: list(LeaveOneOut().split(np.zeros((1, 2)))), ValueError, r"LeaveOneOut needs at least 2 samples; got "
                                                                       r"n_samples=1"),
    (lambda: LeaveOneOut().get_n_splits(None), ValueError, r"LeaveOneOut.get_n_splits needs X"),
    (lambda: list(LeavePOut(3).split(np.zeros((3, 1)))), ValueError, r"p=3 should be < n_samples=3"),
    (lambda: LeavePOut(0), ValueError, r"p=0 should be >= 1"),
    (lambda: list(GroupKFold(9).split(np.zeros((30, 1)), None, GROUPS_30)), ValueError,
     r"n_splits=9 should be <= the number of groups=8"),
    (lambda: list(GroupKFold(40).split(np.zeros((30, 1)), None, GROUPS_30)), ValueError,
     r"n_splits=40 should be <= n_samples=30"),
    (lambda: GroupKFold(3, random_state=0), ValueError, r"random_state has no effect unless shuffle=True"),
    (lambda: list(GroupKFold(2).split(np.zeros((30, 1)), None, GROUPS_30[:5])), ValueError,
     r"X and groups have different numbers of samples: X has 30, groups has 5"),
    (lambda: list(StratifiedGroupKFold(16).split(np.zeros((30, 1)), Y_30, np.arange(30))), ValueError,
     r"n_splits=16 cannot be greater than the number of members in each class \(the largest class has 15\)"),
    (lambda: list(LeaveOneGroupOut().split(np.zeros((4, 1)), None, [1, 1, 1, 1])), ValueError,
     r"LeaveOneGroupOut needs at least 2 distinct groups; groups holds 1: \[1\]"),
    (lambda: list(LeavePGroupsOut(2).split(np.zeros((4, 1)), None, [1, 1, 2, 2])), ValueError,
     r"n_groups=2 should be < the number of distinct groups=2"),
    (lambda: list(TimeSeriesSplit(5).split(np.zeros((5, 1)))), ValueError,
     r"n_splits=5 needs n_samples >= n_splits \+ 1 = 6; got n_samples=5"),
    (lambda: list(TimeSeriesSplit(3, test_size=4, gap=1).split(np.zeros((13, 1)))), ValueError,
     r"n_splits=3 test sets of test_size=4 after gap=1 need more than 13 samples; got n_samples=13"),
    (lambda: TimeSeriesSplit(gap=-1), ValueError, r"gap=-1 should be >= 0"),
    (lambda: PredefinedSplit([0.5, 1]), ValueError, r"test_fold should be a 1-D array of integers"),
    (lambda: list(PredefinedSplit([0, 1, 1]).split(np.zeros((4, 1)))), ValueError,
     r"X and test_fold have different numbers of samples: X has 4, test_fold has 3"),
    (lambda: ShuffleSplit(test_size=1.5), ValueError, r"test_size=1.5 should be a float in \(0, 1\) \(a fraction\) "
                                                      r"or an int >= 1"),
    (lambda: list(ShuffleSplit(test_size=40).split(np.zeros((30, 1)))), ValueError,
     r"test_size=40 should be a float in \(0, 1\) \(a fraction\) or an int in \[1, 30\]"),
    (lambda: ShuffleSplit(train_size="half"), TypeError, r"train_size should be None, a float in \(0, 1\) or an int"),
    (lambda: list(ShuffleSplit(test_size=0.5, train_size=0.7).split(np.zeros((30, 1)))), ValueError,
     r"train_size=0.7 and test_size=0.5 ask for 21 \+ 15 samples but there are only 30"),
    (lambda: ShuffleSplit(0), ValueError, r"n_splits=0 should be >= 1"),
    (lambda: list(StratifiedShuffleSplit().split(np.zeros((30, 1)), None)), ValueError,
     r"StratifiedShuffleSplit.split needs the labels y"),
    (lambda: list(StratifiedShuffleSplit(test_size=2).split(np.zeros((30, 1)), Y_30)), ValueError,
     r"test size 2 and train size 28 should each be >= the number of classes 3"),
    (lambda: RepeatedKFold(n_repeats=0), ValueError, r"n_repeats=0 should be >= 1"),
    (lambda: RepeatedStratifiedKFold(n_splits=1), ValueError, r"n_splits=1 should be >= 2"),
    (lambda: list(RepeatedStratifiedKFold().split(np.zeros((30, 1)), None)), ValueError,
     r"RepeatedStratifiedKFold.split needs the labels y"),
])
def test_splitter_errors_name_the_argument(make, error, message):
    with pytest.raises(error, match=message):
        make()


# ---- the splitters wherever a cv goes, groups routed as in scikit-learn -------------------------------


def test_splitters_and_groups_reach_every_cv_consumer_as_in_sklearn():
    groups = np.arange(len(Y_DIAB)) % 6
    for ours, theirs in ((GroupKFold(3), skms.GroupKFold(3)), (LeaveOneGroupOut(), skms.LeaveOneGroupOut())):
        assert_allclose(cross_val_score(Ridge(), X_DIAB, Y_DIAB, groups=groups, cv=ours),
                        skms.cross_val_score(SkRidge(), X_DIAB, Y_DIAB, groups=groups, cv=theirs), rtol=1e-10)
        search = GridSearchCV(Ridge(), {"alpha": [0.1, 10.0]}, cv=ours).fit(X_DIAB, Y_DIAB, groups=groups)
        ref = skms.GridSearchCV(SkRidge(), {"alpha": [0.1, 10.0]}, cv=theirs).fit(X_DIAB, Y_DIAB, groups=groups)
        assert search.n_splits_ == ref.n_splits_
        assert_allclose(search.cv_results_["mean_test_score"], ref.cv_results_["mean_test_score"], rtol=1e-10)
    ours = learning_curve(Ridge(), X_DIAB, Y_DIAB, cv=TimeSeriesSplit(3), train_sizes=[0.5, 1.0])
    ref = skms.learning_curve(SkRidge(), X_DIAB, Y_DIAB, cv=skms.TimeSeriesSplit(3), train_sizes=[0.5, 1.0])
    assert ours[0].tolist() == ref[0].tolist()
    assert_allclose(ours[2], ref[2], rtol=1e-10)
    # xpml's splitters drive scikit-learn's functions too, and ours reach a randomized search.
    assert_allclose(skms.cross_val_score(SkRidge(), X_DIAB, Y_DIAB, cv=TimeSeriesSplit(3)),
                    skms.cross_val_score(SkRidge(), X_DIAB, Y_DIAB, cv=skms.TimeSeriesSplit(3)), rtol=1e-12)
    out = cross_validate(Ridge(), X_DIAB, Y_DIAB, cv=ShuffleSplit(3, test_size=0.25, random_state=0),
                         return_indices=True)
    assert [len(t) for t in out["indices"]["test"]] == [23, 23, 23]
    search = RandomizedSearchCV(Ridge(), {"alpha": [0.1, 10.0]}, n_iter=2, cv=GroupKFold(3), random_state=0)
    with pytest.raises(ValueError, match=r"GroupKFold.split needs groups"):
        search.fit(X_DIAB, Y_DIAB)


# ---- candidates: ParameterGrid's indexing, ParameterSampler ------------------------------------------


def test_parameter_grid_indexing_matches_its_order_and_sklearns():
    grid = [{"b": [1, 2, 3], "a": ["x", "y"], "c": [True, False]}, {"d": [0.1, 0.2]}, {}]
    ours, theirs = ParameterGrid(grid), skms.ParameterGrid(grid)
    assert [ours[i] for i in range(len(ours))] == list(ours) == [theirs[i] for i in range(len(theirs))]
    with pytest.raises(IndexError, match=r"index=15 is out of range for a ParameterGrid of 15 candidates"):
        ours[15]


def test_parameter_sampler_samples_a_grid_without_replacement():
    grid = {"a": [1, 2, 3], "b": ["x", "y"]}
    every = [tuple(sorted(c.items())) for c in ParameterGrid(grid)]
    some = [tuple(sorted(c.items())) for c in ParameterSampler(grid, 4, random_state=0)]
    assert len(set(some)) == 4 and set(some) <= set(every)
    assert some == [tuple(sorted(c.items())) for c in ParameterSampler(grid, 4, random_state=0)]
    with pytest.warns(UserWarning, match=r"The grid of param_distributions has 6 candidates, fewer than n_iter=9"):
        drawn = [tuple(sorted(c.items())) for c in ParameterSampler(grid, 9, random_state=0)]
    assert sorted(drawn) == sorted(every)
    assert len(ParameterSampler(grid, 9)) == len(skms.ParameterSampler(grid, 9)) == 6
    generator = np.random.default_rng(0)
    assert len({tuple(sorted(c.items())) for c in ParameterSampler(grid, 6, random_state=generator)}) == 6


def test_parameter_sampler_draws_distributions_and_lists():
    stats = pytest.importorskip("scipy.stats")
    spaces = [{"C": stats.loguniform(1e-2, 1e2), "kind": ["p", "q"]}, {"C": stats.randint(1, 4)}]
    candidates = list(ParameterSampler(spaces, 40, random_state=0))
    assert len(candidates) == len(ParameterSampler(spaces, 40)) == 40
    continuous = [c for c in candidates if "kind" in c]
    discrete = [c for c in candidates if "kind" not in c]
    assert 5 < len(continuous) < 35  # both dicts are picked
    assert all(isinstance(c["C"], float) and 1e-2 <= c["C"] <= 1e2 and c["kind"] in ("p", "q") for c in continuous)
    assert {c["C"] for c in discrete} <= {1, 2, 3} and all(isinstance(c["C"], int) for c in discrete)
    assert list(ParameterSampler(spaces, 40, random_state=0)) == candidates
    assert list(ParameterSampler(spaces, 40, random_state=1)) != candidates
    with pytest.raises(TypeError, match=r"param_distributions\['C'\] should be a non-empty list of values or a "
                                        r"distribution with an rvs method; got 3"):
        ParameterSampler({"C": 3}, 2)
    with pytest.raises(ValueError, match=r"param_distributions\['C'\] should be a non-empty list"):
        ParameterSampler({"C": []}, 2)
    with pytest.raises(TypeError, match=r"param_distributions should be a dict or a non-empty list of dicts"):
        ParameterSampler("C", 2)


# ---- RandomizedSearchCV ------------------------------------------------------------------------------


def test_randomized_search_over_a_whole_grid_is_the_grid_search():
    grid = {"alpha": [0.01, 1.0, 100.0], "fit_intercept": [True, False]}
    with pytest.warns(UserWarning, match=r"fewer than n_iter=10"):
        ours = RandomizedSearchCV(Ridge(), grid, cv=3, random_state=0, return_train_score=True).fit(X_DIAB, Y_DIAB)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ref = skms.RandomizedSearchCV(SkRidge(), grid, cv=3, random_state=0, return_train_score=True).fit(X_DIAB,
                                                                                                        Y_DIAB)
    assert sorted(ours.cv_results_) == sorted(ref.cv_results_)
    assert ours.best_params_ == ref.best_params_
    assert ours.best_score_ == pytest.approx(ref.best_score_, rel=1e-10)
    key = [ref.cv_results_["params"].index(p) for p in ours.cv_results_["params"]]  # the same 6, in another order
    assert sorted(key) == list(range(6))
    for name in ("mean_test_score", "std_test_score", "split2_test_score", "mean_train_score"):
        assert_allclose(ours.cv_results_[name], ref.cv_results_[name][key], rtol=1e-9, atol=1e-12)
    assert ours.cv_results_["rank_test_score"].tolist() == ref.cv_results_["rank_test_score"][key].tolist()
    grid_search = GridSearchCV(Ridge(), grid, cv=3).fit(X_DIAB, Y_DIAB)
    assert ours.best_params_ == grid_search.best_params_ and ours.best_index_ == key.index(ref.best_index_)
    assert_allclose(ours.predict(X_DIAB), ref.predict(X_DIAB), rtol=1e-9)


def test_randomized_search_with_distributions_and_several_scores():
    stats = pytest.importorskip("scipy.stats")
    space = {"alpha": stats.loguniform(1e-3, 1e3)}
    scoring = ["r2", "neg_mean_squared_error"]
    search = RandomizedSearchCV(Ridge(), space, n_iter=4, cv=3, random_state=0, scoring=scoring,
                                refit="neg_mean_squared_error").fit(X_DIAB, Y_DIAB)
    alphas = [p["alpha"] for p in search.cv_results_["params"]]
    assert len(set(alphas)) == 4 and all(1e-3 <= a <= 1e3 for a in alphas)
    assert search.cv_results_["param_alpha"].tolist() == alphas
    for i, alpha in enumerate(alphas):  # every candidate scored as scikit-learn scores its alpha
        ref = skms.cross_validate(SkRidge(alpha=alpha), X_DIAB, Y_DIAB, cv=3, scoring=scoring)
        for name in scoring:
            assert search.cv_results_[f"mean_test_{name}"][i] == pytest.approx(ref[f"test_{name}"].mean(), rel=1e-10)
            assert search.cv_results_[f"split1_test_{name}"][i] == pytest.approx(ref[f"test_{name}"][1], rel=1e-10)
    best = int(np.argmax(search.cv_results_["mean_test_neg_mean_squared_error"]))
    assert search.best_index_ == best and search.best_params_ == {"alpha": alphas[best]}
    assert search.cv_results_["rank_test_neg_mean_squared_error"][best] == 1
    refitted = SkRidge(alpha=alphas[best]).fit(X_DIAB, Y_DIAB)  # the refit scorer: the negated squared error
    assert search.score(X_DIAB, Y_DIAB) == pytest.approx(
        -np.mean((refitted.predict(X_DIAB) - Y_DIAB) ** 2), rel=1e-10)
    again = RandomizedSearchCV(Ridge(), space, n_iter=4, cv=3, random_state=0)._candidates()
    assert [p["alpha"] for p in again] == alphas  # an int seed draws the same candidates at every fit
    no_refit = RandomizedSearchCV(Ridge(), {"alpha": [0.1, 1.0]}, n_iter=2, cv=3, refit=False,
                                  random_state=0).fit(X_DIAB, Y_DIAB)
    assert not hasattr(no_refit, "best_estimator_") and no_refit.best_params_ in ({"alpha": 0.1}, {"alpha": 1.0})
    with pytest.raises(ValueError, match=r"n_iter=0 should be >= 1"):
        RandomizedSearchCV(Ridge(), {"alpha": [1.0]}, n_iter=0).fit(X_DIAB, Y_DIAB)
    with pytest.raises(ValueError, match=r"With several scores, refit should name the one"):
        RandomizedSearchCV(Ridge(), {"alpha": [1.0]}, n_iter=1, scoring=["r2", "neg_max_error"]).fit(X_DIAB, Y_DIAB)


# ---- cross_val_predict and validation_curve ---------------------------------------------------------


@pytest.mark.parametrize("method", ["predict", "predict_proba", "predict_log_proba", "decision_function"])
def test_cross_val_predict_matches_sklearn(method):
    # Standardized iris, where L-BFGS converges tightly: the two logistic regressions agree to 1e-8.
    estimator, ref = (LogisticRegression(), SkLogisticRegression()) if method == "decision_function" \
        else (GaussianNB(), SkGaussianNB())
    order = np.random.default_rng(0).permutation(150)
    X, y = (X_IRIS[order] - X_IRIS.mean(axis=0)) / X_IRIS.std(axis=0), Y_IRIS[order]
    ours = cross_val_predict(estimator, X, y, cv=4, method=method)
    theirs = skms.cross_val_predict(ref, X, y, cv=4, method=method)
    assert isinstance(ours, np.ndarray) and ours.shape == theirs.shape
    assert_allclose(ours, theirs, rtol=1e-10, atol=1e-7 if method == "decision_function" else 1e-12)


def test_cross_val_predict_lays_out_every_class_and_refuses_what_is_not_a_partition():
    cv = KFold(3)  # iris is sorted by class: each training fold lacks one class
    with pytest.warns(RuntimeWarning, match=r"A training fold has 2 of the 3 classes of y"):
        ours = cross_val_predict(GaussianNB(), X_IRIS, Y_IRIS, cv=cv, method="predict_log_proba")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        theirs = skms.cross_val_predict(SkGaussianNB(), X_IRIS, Y_IRIS, cv=skms.KFold(3), method="predict_log_proba")
        proba = cross_val_predict(GaussianNB(), X_IRIS, Y_IRIS, cv=cv, method="predict_proba")
    floor = np.finfo(np.float64).min
    assert ((ours == floor) == (theirs == floor)).all() and (ours == floor).sum() == 150
    assert_allclose(np.where(ours == floor, 0, ours), np.where(theirs == floor, 0, theirs), rtol=1e-10, atol=1e-12)
    assert (proba[:50, 0] == 0).all() and np.allclose(proba.sum(axis=1), 1)
    with pytest.raises(ValueError, match=r"cross_val_predict needs cv's test sets to be a partition of the samples"):
        cross_val_predict(Ridge(), X_DIAB, Y_DIAB, cv=ShuffleSplit(3, random_state=0))
    with pytest.raises(ValueError, match=r"method='predict_proba' is not a method of the fitted Ridge"):
        cross_val_predict(Ridge(), X_DIAB, Y_DIAB, cv=3, method="predict_proba")
    groups = np.arange(len(Y_DIAB)) % 5
    assert_allclose(cross_val_predict(Ridge(), X_DIAB, Y_DIAB, cv=LeaveOneGroupOut(), groups=groups),
                    skms.cross_val_predict(SkRidge(), X_DIAB, Y_DIAB, cv=skms.LeaveOneGroupOut(), groups=groups),
                    rtol=1e-10)


def test_validation_curve_matches_sklearn():
    alphas = np.array([0.01, 1.0, 100.0])
    train, test = validation_curve(Ridge(), X_DIAB, Y_DIAB, param_name="alpha", param_range=alphas, cv=3)
    ref_train, ref_test = skms.validation_curve(SkRidge(), X_DIAB, Y_DIAB, param_name="alpha", param_range=alphas,
                                                cv=3)
    assert train.shape == (3, 3)
    assert_allclose(train, ref_train, rtol=1e-10)
    assert_allclose(test, ref_test, rtol=1e-10)
    with pytest.raises(ValueError, match=r"param_range=\[\] is empty; give the values of 'alpha' to try"):
        validation_curve(Ridge(), X_DIAB, Y_DIAB, param_name="alpha", param_range=[])
    with pytest.raises(ValueError, match=r"validation_curve takes a single scoring"):
        validation_curve(Ridge(), X_DIAB, Y_DIAB, param_name="alpha", param_range=alphas, scoring=["r2"])


def test_cross_val_predict_and_validation_curve_follow_the_input(backend, xp, device):
    X = xp.asarray(X_IRIS, device=device)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a class missing from each training fold: filled in
        proba = cross_val_predict(GaussianNB(), X, Y_IRIS, cv=KFold(3), method="predict_proba")
        ref = skms.cross_val_predict(SkGaussianNB(), X_IRIS, Y_IRIS, cv=skms.KFold(3), method="predict_proba")
    assert_on_backend(proba, backend)
    assert_allclose(proba, ref, rtol=1e-9, atol=1e-12)
    labels = cross_val_predict(GaussianNB(), X, Y_IRIS, cv=StratifiedKFold(3, shuffle=True, random_state=0))
    assert_allclose(labels, skms.cross_val_predict(SkGaussianNB(), X_IRIS, Y_IRIS,
                                                   cv=list(StratifiedKFold(3, shuffle=True, random_state=0)
                                                           .split(X_IRIS, Y_IRIS))))
    scores = validation_curve(Ridge(), xp.asarray(X_DIAB, device=device), Y_DIAB, param_name="alpha",
                              param_range=[0.1, 10.0], cv=3)
    ref_scores = skms.validation_curve(SkRidge(), X_DIAB, Y_DIAB, param_name="alpha", param_range=[0.1, 10.0], cv=3)
    assert_allclose(scores[1], ref_scores[1], rtol=1e-9)


def test_a_randomized_search_with_distributions_saves_and_loads(tmp_path):
    import json
    import zipfile

    from xpml.io import load, save

    stats = pytest.importorskip("scipy.stats")
    space = {"alpha": stats.loguniform(1e-3, 1e3), "max_iter": stats.randint(5, 9), "tol": stats.expon,
             "fit_intercept": [True, False]}
    search = RandomizedSearchCV(Ridge(), space, n_iter=3, cv=3, random_state=0).fit(X_DIAB, Y_DIAB)
    save(search, tmp_path / "search.xpml")
    loaded = load(tmp_path / "search.xpml")
    assert loaded.best_params_ == search.best_params_ and loaded.cv_results_["params"] == search.cv_results_["params"]
    assert loaded._candidates() == search._candidates()  # the same distributions: the same draws
    assert_allclose(loaded.predict(X_DIAB), search.predict(X_DIAB), rtol=1e-12)
    with zipfile.ZipFile(tmp_path / "search.xpml") as src, zipfile.ZipFile(tmp_path / "bad.xpml", "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "model.json":
                data = data.replace(b'"name": "loguniform"', b'"name": "sys"')
                assert b'"sys"' in data and json.loads(data)
            dst.writestr(name, data)
    with pytest.raises(ValueError, match=r"the model file holds an unknown distribution 'sys'; it can only hold the "
                                         r"distributions of scipy.stats"):
        load(tmp_path / "bad.xpml")


def test_search_weighs_its_held_out_scores_by_sample_weight():
    """As scikit-learn 1.9's search: sample_weight weighs the fits and the held-out (and training) scores; a
    scorer of the user's that takes no sample_weight is warned about and scores unweighted."""
    from sklearn.linear_model import Ridge as SkRidge
    from sklearn.model_selection import GridSearchCV as SkGridSearchCV

    from xpml.linear_model import Ridge
    from xpml.model_selection import GridSearchCV

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y, w = X @ np.array([1.0, 2.0, 3.0]) + rng.normal(size=40), rng.uniform(0.1, 3.0, 40)
    kw = dict(cv=4, return_train_score=True, scoring=["r2", "neg_mean_squared_error"], refit="r2")
    ours = GridSearchCV(Ridge(), {"alpha": [0.1, 10.0]}, **kw).fit(X, y, sample_weight=w)
    ref = SkGridSearchCV(SkRidge(), {"alpha": [0.1, 10.0]}, **kw).fit(X, y, sample_weight=w)
    for key in ("split0_test_r2", "mean_test_r2", "mean_train_neg_mean_squared_error", "rank_test_r2"):
        np.testing.assert_allclose(ours.cv_results_[key], ref.cv_results_[key], rtol=1e-10)
    plain = GridSearchCV(Ridge(), {"alpha": [0.1]}, cv=4).fit(X, y).cv_results_["mean_test_score"]
    with pytest.warns(UserWarning, match=r"does not take sample_weight, so the held-out scores are not weighted"):
        unweighted = GridSearchCV(Ridge(), {"alpha": [0.1]}, cv=4, scoring=lambda m, X, y: m.score(X, y)).fit(
            X, y, sample_weight=np.ones(40))
    np.testing.assert_allclose(unweighted.cv_results_["mean_test_score"], plain, rtol=1e-12)
    seen = []  # a scorer taking **kwargs is given the weights too

    def scorer(model, X, y, **kwargs):
        seen.append(sorted(kwargs))
        return model.score(X, y, **kwargs)

    GridSearchCV(Ridge(), {"alpha": [0.1]}, cv=2, scoring=scorer).fit(X, y, sample_weight=w)
    assert seen == [["sample_weight"]] * 2
