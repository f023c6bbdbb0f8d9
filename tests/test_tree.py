"""Decision trees against scikit-learn's, on every backend: the same nodes, thresholds and values.

On data with at most 256 distinct values per feature, xpml's binned tree is the exact CART tree. Where
two candidate splits of a node are exactly as good, scikit-learn takes the one its random feature
order visits first, xpml the lowest feature index: `assert_same_tree` walks both trees together and,
at a node whose splits differ, requires the two splits to decrease the impurity equally (a tie), and
stops there. Everything else (the nodes' sample counts, values, impurities, the leaves) must match.
"""

import numpy as np
import pytest
from sklearn import tree as sk_tree
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine

import xpml
from tests.helpers import requires
from xpml.tree import DecisionTreeClassifier, DecisionTreeRegressor, export_text
from xpml.utils._binning import bin_codes, fit_bins
from xpml.utils._histogram import node_histograms

FIELDS = ("value", "impurity", "n_node_samples", "weighted_n_node_samples")


def discretized(X, levels):
    """Each column replaced by its quantile level 0 .. levels - 1 (exact in float32, as scikit-learn stores X)."""
    ranks = np.argsort(np.argsort(X, axis=0, kind="stable"), axis=0, kind="stable")
    return np.floor(ranks * levels / len(X))


CANCER_X, CANCER_Y = load_breast_cancer(return_X_y=True)
CANCER_X = discretized(CANCER_X, 8)  # (569, 30), 8 values a feature
DIABETES_X, DIABETES_Y = load_diabetes(return_X_y=True)
DIABETES_X = np.round(DIABETES_X * 16) / 4  # (442, 10), a few values a feature


def tree_arrays(model):
    t = model.tree_
    names = ("children_left", "children_right", "feature", "threshold") + FIELDS
    return {k: np.asarray(xpml.to_numpy(getattr(t, k)) if not isinstance(getattr(t, k), np.ndarray)
                          else getattr(t, k)) for k in names}


def assert_same_tree(ours, theirs):
    """The same tree node for node, up to ties between equally good splits. Returns (nodes compared, ties)."""
    A, B = tree_arrays(ours), tree_arrays(theirs)
    counts = {"nodes": 0, "ties": 0}

    def decrease(T, i):
        w, imp, left, right = T["weighted_n_node_samples"], T["impurity"], T["children_left"][i], T["children_right"][i]
        return w[i] * imp[i] - w[left] * imp[left] - w[right] * imp[right]

    def walk(i, j):
        counts["nodes"] += 1
        for k in FIELDS:
            np.testing.assert_allclose(A[k][i], B[k][j], rtol=1e-10, atol=1e-10, err_msg=f"{k} of node {i}")
        leaf = A["children_left"][i] == -1
        assert leaf == (B["children_left"][j] == -1), f"node {i}: a leaf in one tree only"
        if leaf:
            return
        if (A["feature"][i], A["threshold"][i]) == (B["feature"][j], B["threshold"][j]):
            walk(A["children_left"][i], B["children_left"][j])
            walk(A["children_right"][i], B["children_right"][j])
            return
        np.testing.assert_allclose(decrease(A, i), decrease(B, j), rtol=1e-9, err_msg=f"split of node {i}")
        counts["ties"] += 1

    walk(0, 0)
    return counts["nodes"], counts["ties"]


def test_classifier_equals_scikit_learn(backend):
    """Full depth (gini), then best-first to 8 leaves (entropy): the trees, predictions and rules."""
    if backend.name == "jax":
        pytest.skip("jax compiles a tree's level step once per data shape and rules (these two fits: 6 to 13 s "
                    "on a loaded machine; they pass): its trees are compared with numpy's in test_common")
    for params in ({}, {"criterion": "entropy", "max_leaf_nodes": 8}):
        ours = DecisionTreeClassifier(**params).fit(CANCER_X, CANCER_Y)
        theirs = sk_tree.DecisionTreeClassifier(**params, random_state=0).fit(CANCER_X, CANCER_Y)
        nodes, ties = assert_same_tree(ours, theirs)
        assert nodes >= 15 and ties <= nodes // 3
        np.testing.assert_allclose(xpml.to_numpy(ours.predict_proba(CANCER_X)), theirs.predict_proba(CANCER_X))
        if not ties:
            np.testing.assert_array_equal(xpml.to_numpy(ours.apply(CANCER_X)), theirs.apply(CANCER_X))
            np.testing.assert_allclose(xpml.to_numpy(ours.feature_importances_), theirs.feature_importances_,
                                       rtol=1e-10, atol=1e-12)
            assert export_text(ours) == sk_tree.export_text(theirs)
            assert (ours.get_depth(), ours.get_n_leaves()) == (theirs.get_depth(), theirs.get_n_leaves())


def test_regressor_equals_scikit_learn(backend):
    """min_samples_leaf and cost-complexity pruning; then the predictions, importances and depth."""
    if backend.name == "jax":
        pytest.skip("jax compiles a tree's level step once per data shape and rules (4 to 7 s here): its trees are "
                    "compared with numpy's in test_common")
    params = {"min_samples_leaf": 5, "ccp_alpha": 20.0}
    ours = DecisionTreeRegressor(**params).fit(DIABETES_X, DIABETES_Y)
    theirs = sk_tree.DecisionTreeRegressor(**params, random_state=0).fit(DIABETES_X, DIABETES_Y)
    nodes, ties = assert_same_tree(ours, theirs)
    assert nodes >= 15 and ties == 0
    np.testing.assert_allclose(xpml.to_numpy(ours.predict(DIABETES_X)), theirs.predict(DIABETES_X), rtol=1e-10)
    np.testing.assert_allclose(xpml.to_numpy(ours.feature_importances_), theirs.feature_importances_, rtol=1e-9)
    path = xpml.to_numpy(ours.decision_path(DIABETES_X[:20]))
    np.testing.assert_array_equal(path, theirs.decision_path(DIABETES_X[:20]).toarray())
    assert ours.get_depth() == theirs.get_depth() and ours.get_n_leaves() == theirs.get_n_leaves()


@pytest.mark.parametrize("params", [
    {"max_depth": 3, "min_samples_split": 10},
    {"min_impurity_decrease": 0.01, "criterion": "log_loss"},
    {"min_weight_fraction_leaf": 0.05},
    {"class_weight": {0: 1.0, 1: 3.0, 2: 0.5}, "max_leaf_nodes": 5},
])
def test_classifier_parameters_match_scikit_learn(params):
    X, y = load_wine(return_X_y=True)
    X = np.round(X * 2) / 2
    w = np.random.default_rng(0).integers(1, 4, size=len(y)).astype(float)
    ours = DecisionTreeClassifier(**params, backend="numpy").fit(X, y, sample_weight=w)
    theirs = sk_tree.DecisionTreeClassifier(**params, random_state=0).fit(X, y, sample_weight=w)
    assert_same_tree(ours, theirs)


def test_integer_weights_are_repeated_samples():
    X, y = load_iris(return_X_y=True)
    X = np.round(X * 10)
    w = np.random.default_rng(1).integers(0, 3, size=len(y))
    weighted = DecisionTreeClassifier(max_depth=4, backend="numpy").fit(X, y, sample_weight=w.astype(float))
    repeated = DecisionTreeClassifier(max_depth=4, backend="numpy").fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    for key in ("threshold", "feature", "value", "impurity"):
        np.testing.assert_allclose(tree_arrays(weighted)[key], tree_arrays(repeated)[key])


def test_export_text_options_match_scikit_learn():
    X, y = load_iris(return_X_y=True)
    X = np.round(X * 10) / 10
    names = ["sepal length", "sepal width", "petal length", "petal width"]
    ours = DecisionTreeClassifier(max_depth=4, backend="numpy").fit(X, y)
    theirs = sk_tree.DecisionTreeClassifier(max_depth=4, random_state=0).fit(X, y)
    if assert_same_tree(ours, theirs)[1] == 0:
        for options in ({"feature_names": names, "show_weights": True, "decimals": 3},
                        {"class_names": ["a", "b", "c"], "max_depth": 1, "spacing": 2}):
            assert export_text(ours, **options) == sk_tree.export_text(theirs, **options)
    with pytest.raises(ValueError, match=r"feature_names should have 4 names, one per feature; got 2"):
        export_text(ours, feature_names=["a", "b"])


def test_random_features_and_cuts_generalize_like_scikit_learn():
    """max_features and splitter="random" draw differently from scikit-learn: compared by held-out accuracy."""
    X, y = load_breast_cancer(return_X_y=True)
    rng = np.random.default_rng(0)
    test = rng.permutation(len(y))[:200]
    train = np.setdiff1d(np.arange(len(y)), test)
    for params in ({"max_features": "sqrt"}, {"splitter": "random"}):
        ours = [DecisionTreeClassifier(**params, random_state=s, backend="numpy").fit(X[train], y[train])
                .score(X[test], y[test]) for s in range(5)]
        theirs = [sk_tree.DecisionTreeClassifier(**params, random_state=s).fit(X[train], y[train])
                  .score(X[test], y[test]) for s in range(5)]
        assert np.mean(ours) > np.mean(theirs) - 0.03, (params, ours, theirs)
    again = DecisionTreeClassifier(max_features=3, random_state=7, backend="numpy").fit(X, y)
    first = DecisionTreeClassifier(max_features=3, random_state=7, backend="numpy").fit(X, y)
    np.testing.assert_array_equal(tree_arrays(again)["threshold"], tree_arrays(first)["threshold"])


def test_binning_and_histograms(xp, device):
    """Exact bins give each distinct value its own code; quantile bins hold about equal counts; the histogram
    is the brute-force sum over (node, feature, bin)."""
    rng = np.random.default_rng(0)
    X = np.c_[rng.integers(0, 5, 300), rng.normal(size=300)]  # 5 values; 300 values
    bins = fit_bins(xp.asarray(X, device=device), max_bins=16)
    codes = xpml.to_numpy(bin_codes(xp.asarray(X, device=device), bins.edges))
    assert bins.n_bins == [5, 16]
    np.testing.assert_array_equal(codes[:, 0], X[:, 0])
    assert np.bincount(codes[:, 1]).min() >= 300 // 16 - 1 and np.bincount(codes[:, 1]).max() <= 300 // 16 + 2
    np.testing.assert_array_equal(xpml.to_numpy(bins.high)[1], [X[codes[:, 1] == b, 1].max() for b in range(16)])
    node = rng.integers(0, 4, 300)  # node 3: outside the block of nodes 1, 2
    stats = rng.normal(size=(300, 2))
    H = node_histograms(xp.asarray(codes, device=device), xp.arange(300, device=device),
                        xp.asarray(node, device=device), xp.asarray(stats, device=device), 1, 2, 16)
    want = np.zeros((2, 2, 16, 2))
    for i in range(300):
        if node[i] in (1, 2):
            for j in range(2):
                want[node[i] - 1, j, codes[i, j]] += stats[i]
    np.testing.assert_allclose(xpml.to_numpy(H), want, rtol=1e-12, atol=1e-12)


@requires("matplotlib")
def test_tree_drawing_shows_every_split_and_leaf():
    from xpml.plot import tree as draw_tree

    X, y = load_iris(return_X_y=True)
    model = DecisionTreeClassifier(max_depth=2, backend="numpy").fit(X, y)
    texts = [t.get_text() for t in draw_tree(model, feature_names=["a", "b", "c", "d"]).axes[0].texts]
    assert len(texts) == model.tree_.node_count == 5
    assert texts.count("c <= 2.45\nn=150\nclass 0") == 1 and sum("<=" in t for t in texts) == 2


@pytest.mark.parametrize("spec", ["numpy", "torch"])  # (jax, which pads each block: test_cli's demo forest, 4 s here)
def test_histograms_in_blocks_of_nodes_grow_the_same_tree(monkeypatch, spec):
    """A tiny histogram budget: the nodes of a level in many blocks (samples sorted by node): the same tree."""
    import xpml.tree._grow as grow_module
    from xpml.utils._histogram import node_blocks

    pytest.importorskip(spec)
    whole = DecisionTreeRegressor(max_depth=3, min_samples_leaf=5, backend="numpy").fit(DIABETES_X, DIABETES_Y)
    monkeypatch.setattr(grow_module, "node_blocks", lambda m, f, b, k: node_blocks(m, f, b, k, budget=3 * f * b * k))
    blocked = DecisionTreeRegressor(max_depth=3, min_samples_leaf=5, backend=spec).fit(DIABETES_X, DIABETES_Y)
    for key, value in tree_arrays(whole).items():
        np.testing.assert_allclose(tree_arrays(blocked)[key], value, rtol=1e-12, err_msg=key)


@pytest.mark.parametrize("params", [{"max_features": 3, "random_state": 1}, {"splitter": "random", "random_state": 2},
                                    {"class_weight": "balanced", "min_samples_leaf": 3}])
def test_sorting_and_histograms_find_the_same_splits(monkeypatch, params):
    """Every level by sorting its samples, then every level by histograms: the same tree (features, cuts and
    random draws alike), with the exact tree's thresholds."""
    import xpml.tree._grow as grow_module

    X, y = load_wine(return_X_y=True)
    X = np.round(X * 2) / 2
    trees = []
    for sorting in (True, False):
        monkeypatch.setattr(grow_module, "_by_sorting", lambda *args, sorting=sorting: sorting)
        trees.append(tree_arrays(DecisionTreeClassifier(**params, backend="numpy").fit(X, y)))
    assert len(trees[0]["feature"]) > 15
    for key, value in trees[0].items():
        np.testing.assert_allclose(trees[1][key], value, rtol=1e-12, err_msg=key)


@pytest.mark.parametrize(("Model", "Sk", "load", "params"), [
    (DecisionTreeClassifier, sk_tree.DecisionTreeClassifier, load_iris, {}),
    (DecisionTreeClassifier, sk_tree.DecisionTreeClassifier, load_wine, {"criterion": "entropy"}),
    (DecisionTreeRegressor, sk_tree.DecisionTreeRegressor, load_diabetes, {"max_depth": 5}),
])
def test_cost_complexity_pruning_path_is_sklearns(backend, xp, device, Model, Sk, load, params):
    """The α of each weakest link and the leaves' total impurity after its cut, on trees equal to scikit-learn's;
    pruning at one of those α leaves the tree of that step (its leaves' impurity is the path's)."""
    X, y = load(return_X_y=True)
    path = Model(random_state=0, **params).cost_complexity_pruning_path(xp.asarray(X, device=device), y)
    ref = Sk(random_state=0, **params).cost_complexity_pruning_path(X, y)
    assert isinstance(path.ccp_alphas, np.ndarray) and path.ccp_alphas.shape == ref.ccp_alphas.shape
    np.testing.assert_allclose(path.ccp_alphas, ref.ccp_alphas, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(path.impurities, ref.impurities, rtol=1e-9, atol=1e-15)
    step = len(path.ccp_alphas) // 2
    pruned = Model(random_state=0, ccp_alpha=float(path.ccp_alphas[step]), **params).fit(X, y).tree_
    leaves = xpml.to_numpy(pruned.children_left) == -1
    weight, impurity = xpml.to_numpy(pruned.weighted_n_node_samples), xpml.to_numpy(pruned.impurity)
    assert np.sum(weight[leaves] * impurity[leaves]) / weight[0] == pytest.approx(path.impurities[step], rel=1e-9)
