"""Preprocessing against scikit-learn, on every backend: scalers, encoders, polynomial features, imputer."""

import warnings

import numpy as np
import pytest
import sklearn.impute as sk_impute
import sklearn.preprocessing as skp

import xpml
from tests.helpers import assert_allclose, assert_on_backend
from xpml.exceptions import NotFittedError
from xpml.preprocessing import (
    LabelEncoder,
    MaxAbsScaler,
    MinMaxScaler,
    OneHotEncoder,
    PolynomialFeatures,
    SimpleImputer,
    StandardScaler,
)

TOL = 1e-12
RNG = np.random.default_rng(0)
# Features of very different scales, and a constant one (column 3).
X = RNG.standard_normal((48, 4)) * [1.0, 100.0, 1e-3, 0.0] + [0.0, 5.0, -3.0, 7.25]
W = RNG.uniform(0.2, 2.0, 48)


# ---- StandardScaler ---------------------------------------------------------------------------


@pytest.mark.parametrize("copy", [None, True, False])
def test_standard_scaler_copy_never_writes_x_in_place(backend, copy):
    """scikit-learn's `copy=False` may scale X in place; xpml accepts the argument and always returns a new array."""
    X_host = X.copy()
    scaler = StandardScaler().fit(X_host, sample_weight=W)
    ref = skp.StandardScaler().fit(X, sample_weight=W)
    assert_allclose(scaler.transform(X_host, copy=copy), ref.transform(X), rtol=1e-10, atol=1e-12)
    assert_allclose(scaler.inverse_transform(X_host, copy=copy), ref.inverse_transform(X), rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(X_host, X)


@pytest.mark.parametrize("with_mean, with_std", [(True, True), (False, True), (True, False)])
def test_standard_scaler_matches_sklearn(backend, xp, device, with_mean, with_std):
    for weights in (None, W):
        ours = StandardScaler(with_mean=with_mean, with_std=with_std).fit(X, sample_weight=weights)
        ref = skp.StandardScaler(with_mean=with_mean, with_std=with_std).fit(X, sample_weight=weights)
        assert_on_backend(ours.mean_, backend)
        assert_allclose(ours.mean_, ref.mean_, rtol=TOL, atol=1e-14)
        if with_std:
            assert_allclose(ours.var_, ref.var_, rtol=1e-10, atol=1e-20)
            assert_allclose(ours.scale_, ref.scale_, rtol=1e-10)
            assert float(ours.scale_[3]) == 1.0  # the constant feature is not divided by 0
        else:
            assert ours.scale_ is None and ours.var_ is None and ref.scale_ is None and ref.var_ is None
        Xb = xp.asarray(X, device=device)
        Z = ours.transform(Xb)
        assert_on_backend(Z, backend)
        assert_allclose(Z, ref.transform(X), rtol=1e-9, atol=1e-12)
        assert_allclose(ours.inverse_transform(Z), X, rtol=1e-12, atol=1e-12)
        assert isinstance(ours.transform(X), np.ndarray)


def test_standard_scaler_partial_fit_equals_one_fit(backend):
    ours, ref = StandardScaler(), skp.StandardScaler()
    for start in range(0, 48, 11):  # batches of 11, 11, 11, 11, 4
        ours.partial_fit(X[start:start + 11])
        ref.partial_fit(X[start:start + 11])
    whole = StandardScaler().fit(X)
    assert ours.n_samples_seen_ == 48
    for attr in ("mean_", "var_", "scale_"):
        assert_allclose(getattr(ours, attr), getattr(ref, attr), rtol=1e-10, atol=1e-14)
        assert_allclose(getattr(ours, attr), getattr(whole, attr), rtol=1e-10, atol=1e-14)
    weighted = StandardScaler().partial_fit(X[:20], sample_weight=W[:20]).partial_fit(X[20:], sample_weight=W[20:])
    assert_allclose(weighted.var_, StandardScaler().fit(X, sample_weight=W).var_, rtol=1e-10, atol=1e-20)


def test_standard_scaler_keeps_float32(backend, xp, device):
    # Column 2 (std 1e-3 around -3) is left out: in float32 its values carry only 3 or 4 significant
    # digits of their deviation from the mean, whatever the algorithm.
    host = X[:, [0, 1, 3]].astype(np.float32)
    Z = StandardScaler().fit(xp.asarray(host, device=device)).transform(xp.asarray(host, device=device))
    assert Z.dtype == xp.float32
    assert_allclose(Z, skp.StandardScaler().fit_transform(host), rtol=1e-5, atol=1e-5)


# ---- MinMaxScaler --------------------------------------------------------------------------------


def test_min_max_scaler_matches_sklearn(backend, xp, device):
    for feature_range, clip in (((0, 1), False), ((-2.0, 3.0), True)):
        ours = MinMaxScaler(feature_range=feature_range, clip=clip).fit(X)
        ref = skp.MinMaxScaler(feature_range=feature_range, clip=clip).fit(X)
        for attr in ("data_min_", "data_max_", "data_range_", "scale_", "min_"):
            assert_allclose(getattr(ours, attr), getattr(ref, attr), rtol=TOL, atol=1e-14)
        new = xp.asarray(X * 1.5 + 0.5, device=device)  # outside the range seen: clipping matters
        assert_allclose(ours.transform(new), ref.transform(X * 1.5 + 0.5), rtol=1e-10, atol=1e-12)
        assert_allclose(ours.inverse_transform(ours.transform(X)), X, rtol=1e-10, atol=1e-12)
    batches = MinMaxScaler().partial_fit(X[:10]).partial_fit(X[10:])
    assert_allclose(batches.scale_, MinMaxScaler().fit(X).scale_, rtol=TOL)
    assert batches.n_samples_seen_ == 48


# ---- MaxAbsScaler --------------------------------------------------------------------------------


def test_max_abs_scaler_matches_sklearn(backend, xp, device):
    for clip in (False, True):
        ours = MaxAbsScaler(clip=clip).fit(xp.asarray(X[:20], device=device)).partial_fit(X[20:])
        ref = skp.MaxAbsScaler(clip=clip).fit(X[:20]).partial_fit(X[20:])
        assert_on_backend(ours.scale_, backend)
        assert ours.n_samples_seen_ == ref.n_samples_seen_ == 48
        assert_allclose(ours.max_abs_, ref.max_abs_, rtol=0)
        assert_allclose(ours.scale_, ref.scale_, rtol=0)  # the constant column 3 is 7.25: scaled by it
        new = xp.asarray(X * 1.5 - 0.5, device=device)  # beyond the largest |x| seen: clipping matters
        Z = ours.transform(new)
        assert_on_backend(Z, backend)
        assert_allclose(Z, ref.transform(X * 1.5 - 0.5), rtol=TOL, atol=1e-15)
        assert_allclose(ours.inverse_transform(ours.transform(X)), ref.inverse_transform(ref.transform(X)), rtol=TOL)
    zeros = np.c_[X[:, :2], np.zeros(48)]
    assert_allclose(MaxAbsScaler().fit(zeros).scale_, [*skp.MaxAbsScaler().fit(zeros).max_abs_[:2], 1.0], rtol=0)


def test_max_abs_scaler_scales_sparse_input_without_densifying(backend):
    sp = pytest.importorskip("scipy.sparse")
    dense = np.where(RNG.random(X.shape) < 0.6, 0.0, X)  # (48, 4), 60% zeros
    for make in (sp.csr_matrix, sp.csc_matrix, sp.csr_array):
        A = make(dense)
        ours = MaxAbsScaler(clip=True).fit(A[:20]).partial_fit(A[20:])
        ref = skp.MaxAbsScaler(clip=True).fit(A[:20]).partial_fit(A[20:])
        assert_on_backend(ours.scale_, backend)
        assert_allclose(ours.max_abs_, ref.max_abs_, rtol=0)
        for got, want in ((ours.transform(A * 2), ref.transform(A * 2)),
                          (ours.inverse_transform(A), ref.inverse_transform(A))):
            assert type(got) is type(want) and got.nnz == want.nnz
            np.testing.assert_allclose(got.toarray(), want.toarray(), rtol=TOL)
    assert_allclose(MaxAbsScaler().fit(dense).transform(sp.csr_matrix(dense)).toarray(),
                    MaxAbsScaler().fit(sp.coo_matrix(dense)).transform(dense), rtol=TOL)
    assert MaxAbsScaler().fit(sp.csr_matrix(dense.astype(np.float32))).transform(sp.csr_matrix(dense)).dtype \
        == np.float32
    with pytest.raises(ValueError, match=r"X contains NaN"):
        MaxAbsScaler().fit(sp.csr_matrix(np.where(dense == 0, 0.0, np.nan)))
    with pytest.raises(ValueError, match=r"X has 3 features, but MaxAbsScaler is expecting 4"):
        MaxAbsScaler().fit(sp.csr_matrix(dense)).transform(sp.csr_matrix(dense[:, :3]))


def test_scaler_errors():
    with pytest.raises(ValueError, match=r"feature_range=\(1, 0\) should be a pair \(low, high\) of numbers with "
                                         r"low < high"):
        MinMaxScaler(feature_range=(1, 0)).fit(X)
    with pytest.raises(TypeError, match="with_mean should be a bool"):
        StandardScaler(with_mean="yes").fit(X)
    with pytest.raises(NotFittedError, match="This StandardScaler instance is not fitted yet"):
        StandardScaler().transform(X)
    with pytest.raises(ValueError, match="X has 2 features, but StandardScaler is expecting 4 features as input"):
        StandardScaler().fit(X).transform(X[:, :2])
    with pytest.raises(ValueError, match="X contains NaN"):
        StandardScaler().fit([[1.0], [np.nan]])


# ---- PolynomialFeatures --------------------------------------------------------------------------


@pytest.mark.parametrize("degree, interaction_only, include_bias",
                         [(2, False, True), (3, False, False), (3, True, True), ((2, 3), False, True),
                          ((0, 2), True, False), (1, False, True)])
def test_polynomial_features_match_sklearn(backend, xp, device, degree, interaction_only, include_bias):
    Xs = X[:10, :3]
    ours = PolynomialFeatures(degree=degree, interaction_only=interaction_only, include_bias=include_bias).fit(Xs)
    ref = skp.PolynomialFeatures(degree=degree, interaction_only=interaction_only, include_bias=include_bias).fit(Xs)
    assert ours.n_output_features_ == ref.n_output_features_
    assert_allclose(ours.powers_, ref.powers_, atol=0)
    out = ours.transform(xp.asarray(Xs, device=device))
    assert_on_backend(out, backend)
    assert_allclose(out, ref.transform(Xs), rtol=TOL)
    assert ours.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()
    assert ours.get_feature_names_out(["a", "b", "c"]).tolist() == ref.get_feature_names_out(["a", "b", "c"]).tolist()


def test_polynomial_features_errors():
    with pytest.raises(ValueError, match="degree=0 with include_bias=False would give no output column"):
        PolynomialFeatures(degree=0, include_bias=False).fit(X)
    with pytest.raises(ValueError, match=r"degree=\(3, 2\) should be an int >= 0 or a pair"):
        PolynomialFeatures(degree=(3, 2)).fit(X)
    with pytest.raises(ValueError, match="degree=-1 should be >= 0"):
        PolynomialFeatures(degree=-1).fit(X)


# ---- OneHotEncoder and LabelEncoder ---------------------------------------------------------------

CODES = RNG.integers(0, 4, (30, 3)) * [1, 10, 1]  # numeric categories: {0..3}, {0, 10, 20, 30}, {0..3}
WORDS = np.array(["red", "green", "blue"], dtype=object)[RNG.integers(0, 3, (30, 2))]


@pytest.mark.parametrize("drop", [None, "first", "if_binary"])
def test_one_hot_numeric_on_the_device(backend, xp, device, drop):
    data = np.column_stack([CODES[:, :2], CODES[:, 2] % 2])  # the last feature is binary
    ours = OneHotEncoder(drop=drop, sparse_output=False).fit(xp.asarray(data, device=device))
    ref = skp.OneHotEncoder(drop=drop, sparse_output=False).fit(data)
    for mine, theirs in zip(ours.categories_, ref.categories_):
        assert mine.tolist() == theirs.tolist()
    out = ours.transform(xp.asarray(data, device=device))
    assert_on_backend(out, backend)
    assert_allclose(out, ref.transform(data), atol=0)
    assert isinstance(ours.transform(data), np.ndarray)
    assert ours.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()
    assert (ours.inverse_transform(out) == ref.inverse_transform(ref.transform(data))).all()


def test_one_hot_strings_on_the_host(backend):
    ours = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(WORDS)
    ref = skp.OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(WORDS)
    new = np.array([["red", "pink"], ["blue", "green"]], dtype=object)
    assert_allclose(ours.transform(new), ref.transform(new), atol=0)
    assert ours.inverse_transform(ours.transform(new)).tolist() == ref.inverse_transform(ref.transform(new)).tolist()
    assert_allclose(ours.transform(WORDS.tolist()), ref.transform(WORDS), atol=0)  # lists of lists too
    given = OneHotEncoder(categories=[["red", "green", "blue", "pink"], ["blue", "green", "red"]],
                          sparse_output=False).fit(WORDS)
    assert given.transform([["pink", "red"]]).tolist() == [[0, 0, 0, 1, 0, 0, 1]]


def test_one_hot_errors():
    encoder = OneHotEncoder().fit(WORDS)
    with pytest.raises(ValueError, match=r"Found unknown categories \['pink'\] in column 1 during transform"):
        encoder.transform(np.array([["red", "pink"]], dtype=object))
    with pytest.raises(ValueError, match=r"Found unknown categories \[7\] in column 0 during transform"):
        OneHotEncoder().fit(CODES).transform([[7, 0, 0]])
    with pytest.raises(ValueError, match="X has 1 features, but OneHotEncoder is expecting 2 features as input"):
        encoder.transform([["red"]])
    with pytest.raises(ValueError, match="handle_unknown='nosuch' should be one of 'error', 'ignore', 'infrequent_if"):
        OneHotEncoder(handle_unknown="nosuch").fit(WORDS)
    with pytest.raises(ValueError, match=r"X has missing values \(None or NaN\) in column 0"):
        OneHotEncoder().fit(np.array([["a"], [None]], dtype=object))
    with pytest.raises(ValueError, match=r"categories\[0\]=\[2, 1\] should be sorted"):
        OneHotEncoder(categories=[[2, 1]]).fit([[1], [2]])
    with pytest.warns(UserWarning, match=r"Found unknown categories in columns \[0\] during transform"):
        OneHotEncoder(drop="first", handle_unknown="ignore").fit([["a"], ["b"]]).transform([["c"]])


def test_label_encoder(backend, xp, device):
    labels = np.array(["dog", "cat", "dog", "bird"])
    ours, ref = LabelEncoder().fit(labels), skp.LabelEncoder().fit(labels)
    assert ours.classes_.tolist() == ref.classes_.tolist()
    assert ours.transform(labels).tolist() == ref.transform(labels).tolist()
    assert ours.inverse_transform([2, 0]).tolist() == ["dog", "bird"]
    numbers = xp.asarray([5.0, -1.0, 5.0, 2.0], device=device)
    codes = LabelEncoder().fit_transform(numbers)
    assert_on_backend(codes, backend)
    assert_allclose(codes, skp.LabelEncoder().fit_transform([5.0, -1.0, 5.0, 2.0]), atol=0)
    back = LabelEncoder().fit(numbers).inverse_transform(codes)
    assert_on_backend(back, backend)
    assert_allclose(back, [5.0, -1.0, 5.0, 2.0])
    with pytest.raises(ValueError, match=r"y contains previously unseen labels: \['fish'\]"):
        ours.transform(["cat", "fish"])
    with pytest.raises(ValueError, match=r"y contains previously unseen labels: \[3.0\]"):
        LabelEncoder().fit(numbers).transform(xp.asarray([3.0], device=device))
    with pytest.raises(ValueError, match="y should hold codes 0 to 2"):
        ours.inverse_transform([3])


# ---- SimpleImputer ------------------------------------------------------------------------------

MISSING = X[:, :3].copy()
MISSING[RNG.random(MISSING.shape) < 0.25] = np.nan
MISSING[:, 2] = np.round(MISSING[:, 2] * 1e3)  # whole numbers: ties for most_frequent
MISSING[:7, 2] = np.nan


@pytest.mark.parametrize("strategy", ["mean", "median", "most_frequent", "constant"])
def test_imputer_numeric_on_the_device(backend, xp, device, strategy):
    fill = -4.5 if strategy == "constant" else None
    for rows in (slice(None), slice(0, 47)):  # an even and an odd number of rows: both medians
        data = MISSING[rows]
        ours = SimpleImputer(strategy=strategy, fill_value=fill).fit(xp.asarray(data, device=device))
        ref = sk_impute.SimpleImputer(strategy=strategy, fill_value=fill).fit(data)
        assert_on_backend(ours.statistics_, backend)
        assert_allclose(ours.statistics_, ref.statistics_.astype(float), rtol=TOL)
        out = ours.transform(xp.asarray(data, device=device))
        assert_on_backend(out, backend)
        assert_allclose(out, ref.transform(data), rtol=TOL)


def test_imputer_empty_columns_and_other_placeholders(backend, xp, device):
    data = np.column_stack([MISSING[:, 0], np.full(48, np.nan), MISSING[:, 1]])
    ours, ref = SimpleImputer(strategy="median").fit(data), sk_impute.SimpleImputer(strategy="median").fit(data)
    with pytest.warns(UserWarning, match=r"Skipping features without any observed values: \[1\]"):
        out = ours.transform(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_allclose(out, ref.transform(data), rtol=TOL)
    kept = SimpleImputer(keep_empty_features=True).fit(data).transform(data)
    assert_allclose(kept, sk_impute.SimpleImputer(keep_empty_features=True).fit_transform(data), rtol=TOL)
    minus_one = np.where(np.isnan(MISSING), -1.0, MISSING)
    ours = SimpleImputer(missing_values=-1.0, strategy="mean").fit(xp.asarray(minus_one, device=device))
    assert_allclose(ours.statistics_, sk_impute.SimpleImputer(missing_values=-1.0).fit(minus_one).statistics_, rtol=TOL)


def test_imputer_strings_on_the_host():
    words = WORDS.copy()
    words[[0, 3, 5], 0] = None
    words[2, 1] = np.nan
    for strategy, fill in (("most_frequent", None), ("constant", "unknown"), ("constant", None)):
        ours = SimpleImputer(strategy=strategy, fill_value=fill).fit(words)
        ref = sk_impute.SimpleImputer(strategy=strategy, fill_value=fill).fit(words)
        assert ours.statistics_.tolist() == ref.statistics_.tolist()
        assert ours.transform(words).tolist() == ref.transform(words).tolist()
    blanks = SimpleImputer(missing_values="", strategy="most_frequent").fit([["a"], [""], ["a"], ["b"]])
    assert blanks.transform([[""]]).tolist() == [["a"]]


def test_imputer_errors():
    with pytest.raises(ValueError, match="strategy='mean' needs numeric data"):
        SimpleImputer().fit(WORDS)
    with pytest.raises(ValueError, match="strategy='mode' should be one of"):
        SimpleImputer(strategy="mode").fit(MISSING)
    with pytest.raises(ValueError, match="X contains infinity"):
        SimpleImputer().fit([[1.0], [np.inf]])
    with pytest.raises(ValueError, match="X contains NaN but missing_values=-1"):
        SimpleImputer(missing_values=-1).fit(MISSING)
    with pytest.raises(ValueError, match="fill_value='x' is a string, but X is numeric"):
        SimpleImputer(strategy="constant", fill_value="x").fit(MISSING)


# ---- scikit-learn's parameters, each against scikit-learn ----------------------------------------

def test_positional_parameters_as_sklearn():
    assert MinMaxScaler((-1, 1)).feature_range == (-1, 1)
    assert PolynomialFeatures(3).degree == 3


@pytest.mark.parametrize("copy", [True, False])
def test_scalers_copy_leaves_X_alone_as_sklearn_results(backend, copy):
    data = X.copy()
    ours = StandardScaler(copy=copy).fit(data)
    assert_allclose(ours.transform(data), skp.StandardScaler(copy=True).fit_transform(X), rtol=1e-9, atol=1e-9)
    assert_allclose(ours.inverse_transform(ours.transform(data)), X, rtol=TOL, atol=1e-9)
    ours = MinMaxScaler((-2, 3), copy=copy, clip=True).fit(data)
    ref = skp.MinMaxScaler((-2, 3), copy=True, clip=True).fit(X)
    wide = X * 3.0
    assert_allclose(ours.transform(wide), ref.transform(wide), rtol=TOL, atol=TOL)  # clip: new data stays in range
    np.testing.assert_array_equal(data, X)  # whatever copy says, xpml writes nothing into X


@pytest.mark.parametrize("order", ["C", "F"])
def test_polynomial_order_gives_sklearn_values(backend, xp, device, order):
    ours = PolynomialFeatures(3, order=order).fit_transform(xp.asarray(X[:, :3], device=device))
    assert_allclose(ours, skp.PolynomialFeatures(3, order=order).fit_transform(X[:, :3]), rtol=TOL)


@pytest.mark.parametrize("strategy", ["mean", "median", "most_frequent", "constant"])
@pytest.mark.parametrize("keep_empty_features", [False, True])
def test_imputer_add_indicator_and_copy_as_sklearn(backend, xp, device, strategy, keep_empty_features):
    data = np.column_stack([MISSING, np.full(48, np.nan)])  # a last column with nothing observed
    params = dict(strategy=strategy, add_indicator=True, keep_empty_features=keep_empty_features, copy=False)
    before = data.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the empty column skipped, by both
        ours = SimpleImputer(**params).fit(xp.asarray(data, device=device))
        out = ours.transform(xp.asarray(data[:20], device=device))
        ref = sk_impute.SimpleImputer(**params).fit(data.copy())
        expected = ref.transform(data[:20].copy())  # copy=False: scikit-learn fills X in place
    assert_on_backend(out, backend)
    assert_allclose(out, expected, rtol=TOL)
    assert ours.indicator_features_ == ref.indicator_.features_.tolist()
    np.testing.assert_array_equal(data, before)


def test_imputer_add_indicator_on_strings_as_sklearn():
    words = np.array([["a", "x"], [None, "y"], ["b", None], ["a", "y"]], dtype=object)
    ours = SimpleImputer(missing_values=None, strategy="most_frequent", add_indicator=True).fit(words)
    ref = sk_impute.SimpleImputer(missing_values=None, strategy="most_frequent", add_indicator=True).fit(words)
    assert ours.transform(words).tolist() == ref.transform(words).tolist()
    clean = np.array([["b", "x"]], dtype=object)  # no missing value now: the indicator columns say so
    assert ours.transform(clean).tolist() == ref.transform(clean).tolist()



@pytest.mark.parametrize("keep_empty_features", [False, True])
def test_imputer_inverse_transform_restores_the_missing_values(backend, xp, device, keep_empty_features):
    """inverse_transform undoes transform: NaN again where the indicator columns flag it, the empty column too;
    and get_feature_names_out names the indicator columns, as scikit-learn's ("missingindicator_x1", ...)."""
    data = np.column_stack([MISSING, np.full(48, np.nan)])  # a last column with nothing observed
    params = dict(add_indicator=True, keep_empty_features=keep_empty_features)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the empty column skipped, by both
        ours = SimpleImputer(**params).fit(xp.asarray(data, device=device))
        back = ours.inverse_transform(ours.transform(xp.asarray(data, device=device)))
        ref = sk_impute.SimpleImputer(**params).fit(data)
        # scikit-learn's own inverse_transform fails where it keeps an empty column (an IndexError)
        expected = data if keep_empty_features else ref.inverse_transform(ref.transform(data))
    assert_on_backend(back, backend)
    np.testing.assert_array_equal(xpml.to_numpy(back), data)  # NaN where data had NaN, the rest unchanged
    np.testing.assert_array_equal(xpml.to_numpy(back), expected)
    assert ours.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()
    words = np.array([["a", "x"], [None, "y"], ["b", None]], dtype=object)
    on_host = SimpleImputer(missing_values=None, strategy="most_frequent", add_indicator=True).fit(words)
    assert on_host.inverse_transform(on_host.transform(words)).tolist() == words.tolist()
    with pytest.raises(ValueError, match=r"inverse_transform needs the indicator columns of add_indicator=True"):
        SimpleImputer().fit(data[:, :2]).inverse_transform(data[:, :2])
    with pytest.raises(ValueError, match=r"X has shape \(48, 4\); inverse_transform expects the output of transform"):
        ours.inverse_transform(data)

# ---- OneHotEncoder's parameters, each against scikit-learn ---------------------------------------

SKEWED = np.column_stack([RNG.choice([0, 1, 2, 3, 4], 60, p=[0.5, 0.25, 0.15, 0.07, 0.03]),
                          RNG.choice([10, 20, 30], 60, p=[0.8, 0.15, 0.05])])  # (60, 2) codes of unequal frequency
SKEWED_WORDS = np.array(["a", "b", "c", "d", "e"], dtype=object)[SKEWED[:, 0]][:, None]
NEW_CODES = np.array([[0, 10], [4, 30], [9, 20], [3, 40]])  # 9 and 40 unknown
INFREQUENT = [dict(min_frequency=5), dict(min_frequency=0.1), dict(max_categories=3), dict(max_categories=1),
              dict(min_frequency=4, max_categories=2), dict(max_categories=10)]


def _sk_one_hot(**params):
    return skp.OneHotEncoder(sparse_output=False, **params)


def _same_encoding(ours, ref, X, X_new, xp, device):
    out = ours.transform(xp.asarray(X_new, device=device))
    assert_allclose(out, ref.transform(X_new), atol=0)
    assert ours.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()
    assert ours.inverse_transform(out).tolist() == ref.inverse_transform(ref.transform(X_new)).tolist()


@pytest.mark.parametrize("params", INFREQUENT, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
@pytest.mark.parametrize("handle_unknown", ["ignore", "infrequent_if_exist"])
def test_one_hot_infrequent_categories_as_sklearn(backend, xp, device, params, handle_unknown):
    ours = OneHotEncoder(sparse_output=False, handle_unknown=handle_unknown, **params).fit(
        xp.asarray(SKEWED, device=device))
    ref = _sk_one_hot(handle_unknown=handle_unknown, **params).fit(SKEWED)
    assert [None if c is None else c.tolist() for c in ours.infrequent_categories_] == \
        [None if c is None else c.tolist() for c in ref.infrequent_categories_]
    _same_encoding(ours, ref, SKEWED, NEW_CODES, xp, device)


@pytest.mark.parametrize("drop", ["first", "if_binary", [1, 10], [4, None]])
def test_one_hot_drop_with_infrequent_categories_as_sklearn(backend, xp, device, drop):
    params = dict(min_frequency=5, drop=drop, handle_unknown="infrequent_if_exist")
    if drop == [4, None]:  # 4 is infrequent: it cannot be dropped alone
        with pytest.raises(ValueError, match=r"Unable to drop category 4 from feature 0 because it is infrequent"):
            OneHotEncoder(**params).fit(SKEWED)
        return
    ours = OneHotEncoder(sparse_output=False, **params).fit(xp.asarray(SKEWED, device=device))
    ref = _sk_one_hot(**params).fit(SKEWED)
    assert ours.drop_idx_.tolist() == ref.drop_idx_.tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # unknown categories with a drop: both warn
        _same_encoding(ours, ref, SKEWED, NEW_CODES, xp, device)


def test_one_hot_drop_categories_as_sklearn(backend, xp, device):
    ours = OneHotEncoder(sparse_output=False, drop=[2, 20]).fit(xp.asarray(SKEWED, device=device))
    ref = _sk_one_hot(drop=[2, 20]).fit(SKEWED)
    assert ours.drop_idx_.tolist() == ref.drop_idx_.tolist() == [2, 1]
    _same_encoding(ours, ref, SKEWED, SKEWED[:10], xp, device)
    with pytest.raises(ValueError, match=r"were not found in the training data.\nCategory: 7, Feature: 0"):
        OneHotEncoder(drop=[7, 20]).fit(SKEWED)


def test_one_hot_infrequent_strings_on_the_host():
    for params in INFREQUENT:
        ours = OneHotEncoder(sparse_output=False, handle_unknown="infrequent_if_exist", **params).fit(SKEWED_WORDS)
        ref = _sk_one_hot(handle_unknown="infrequent_if_exist", **params).fit(SKEWED_WORDS)
        new = np.array([["a"], ["e"], ["z"]], dtype=object)
        assert_allclose(ours.transform(new), ref.transform(new), atol=0)
        assert ours.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()
        assert ours.inverse_transform(ours.transform(new)).tolist() == ref.inverse_transform(ref.transform(new)).tolist()


def test_one_hot_handle_unknown_warn_as_sklearn(backend, xp, device):
    ours = OneHotEncoder(sparse_output=False, handle_unknown="warn", min_frequency=5).fit(SKEWED)
    ref = _sk_one_hot(handle_unknown="warn", min_frequency=5).fit(SKEWED)
    with pytest.warns(UserWarning, match=r"Found unknown categories in columns \[0, 1\] during transform. These "
                                         r"unknown categories will be encoded as the infrequent category"):
        out = ours.transform(xp.asarray(NEW_CODES, device=device))
    with pytest.warns(UserWarning):
        assert_allclose(out, ref.transform(NEW_CODES), atol=0)
    plain = OneHotEncoder(handle_unknown="warn", sparse_output=False).fit(SKEWED)  # no infrequent column: zeros
    with pytest.warns(UserWarning, match=r"will be encoded as the infrequent category"):  # scikit-learn's words
        out = plain.transform(NEW_CODES)
    with pytest.warns(UserWarning, match=r"will be encoded as the infrequent category"):
        assert_allclose(out, _sk_one_hot(handle_unknown="warn").fit(SKEWED).transform(NEW_CODES), atol=0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, "float32", np.int64, bool])
def test_one_hot_sparse_output_and_dtype_as_sklearn(backend, xp, device, dtype):
    import scipy.sparse

    ours = OneHotEncoder(dtype=dtype, min_frequency=5).fit(xp.asarray(SKEWED, device=device))
    ref = skp.OneHotEncoder(dtype=dtype, min_frequency=5).fit(SKEWED)
    out, expected = ours.transform(xp.asarray(SKEWED, device=device)), ref.transform(SKEWED)
    assert scipy.sparse.issparse(out) and out.format == "csr" and type(out) is type(expected)
    assert out.dtype == expected.dtype
    np.testing.assert_array_equal(out.toarray(), expected.toarray())
    assert ours.inverse_transform(out).tolist() == ref.inverse_transform(expected).tolist()
    dense = OneHotEncoder(dtype=dtype, sparse_output=False).fit(SKEWED).transform(SKEWED)
    assert dense.dtype == _sk_one_hot(dtype=dtype).fit(SKEWED).transform(SKEWED).dtype
    on_backend = OneHotEncoder(dtype=dtype, sparse_output=False).fit(SKEWED).transform(xp.asarray(SKEWED, device=device))
    assert_on_backend(on_backend, backend)


def _joined(feature, category):
    return f"{feature}={category}"


@pytest.mark.parametrize("combiner", ["concat", _joined])
def test_one_hot_feature_name_combiner_as_sklearn(combiner):
    ours = OneHotEncoder(feature_name_combiner=combiner, max_categories=3).fit(SKEWED)
    ref = skp.OneHotEncoder(feature_name_combiner=combiner, max_categories=3).fit(SKEWED)
    assert ours.get_feature_names_out(["f", "g"]).tolist() == ref.get_feature_names_out(["f", "g"]).tolist()
    with pytest.raises(TypeError, match="should return a Python string"):
        OneHotEncoder(feature_name_combiner=lambda f, c: 1).fit(SKEWED).get_feature_names_out()


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.dtype("int32"), bool])
def test_one_hot_dtype_survives_a_model_file(tmp_path, dtype):
    from xpml.io import load, save

    encoder = OneHotEncoder(dtype=dtype, max_categories=3).fit(SKEWED)
    save(encoder, tmp_path / "encoder.xpml")
    loaded = load(tmp_path / "encoder.xpml")
    assert loaded.get_params()["dtype"] == dtype
    np.testing.assert_array_equal(loaded.transform(SKEWED).toarray(), encoder.transform(SKEWED).toarray())
    assert loaded.transform(SKEWED).dtype == encoder.transform(SKEWED).dtype


def test_one_hot_without_scipy_is_dense_with_a_warning(monkeypatch):
    from xpml.preprocessing import _encoders

    monkeypatch.setattr(_encoders, "has_scipy", lambda: False)
    with pytest.warns(UserWarning, match=r"scipy is not installed: returning a dense array"):
        out = OneHotEncoder().fit(SKEWED).transform(SKEWED)
    assert_allclose(out, _sk_one_hot().fit(SKEWED).transform(SKEWED), atol=0)
