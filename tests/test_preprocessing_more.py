"""OrdinalEncoder, RobustScaler, Normalizer, Binarizer, FunctionTransformer and the scaling functions, against
scikit-learn on the same small data, on every backend: outputs, inverses, fitted attributes, feature names,
DataFrames, sparse input, missing values, unknown categories, and the errors that name a bad argument."""

import math
import warnings

import numpy as np
import pytest
import sklearn.preprocessing as skp

import xpml
from tests.helpers import assert_allclose, assert_on_backend
from xpml.exceptions import NotFittedError
from xpml.preprocessing import (
    Binarizer,
    FunctionTransformer,
    Normalizer,
    OneHotEncoder,
    OrdinalEncoder,
    RobustScaler,
    binarize,
    maxabs_scale,
    minmax_scale,
    normalize,
    robust_scale,
    scale,
)

TOL = 1e-12
RNG = np.random.default_rng(7)
X = RNG.standard_normal((23, 4)) * [1.0, 100.0, 1e-3, 0.0] + [0.0, 5.0, -3.0, 7.25]  # column 3 is constant
HOLES = np.where(RNG.random(X.shape) < 0.2, np.nan, X)  # X with missing values
CODES = np.column_stack([RNG.choice([3, 1, 7, 5], 30, p=[0.5, 0.3, 0.15, 0.05]),
                         RNG.choice([2.5, -1.0, 4.0], 30, p=[0.6, 0.3, 0.1])])  # (30, 2) numeric categories
CODES_NAN = np.where(RNG.random(CODES.shape) < 0.15, np.nan, CODES)
WORDS = np.array(["b", "a", "c", "d"], dtype=object)[RNG.choice(4, (30, 2), p=[0.5, 0.3, 0.15, 0.05])]
WORDS[[2, 9, 17], 0] = None  # a category of its own (sorted after the strings)
WORDS[[4, 11], 1] = np.nan  # the missing category
SPARSE_VALUES = np.where(RNG.random((20, 5)) < 0.6, 0.0, RNG.standard_normal((20, 5)))  # 60% zeros


def same_categories(ours, ref):
    """Lists of category arrays equal item by item (None as None, NaN as NaN)."""
    assert len(ours) == len(ref)
    for mine, theirs in zip(ours, ref):
        assert [("nan" if v != v else v) for v in mine.tolist()] == [("nan" if v != v else v) for v in theirs.tolist()]


def same_objects(ours, ref):
    assert np.asarray(ours).shape == np.asarray(ref).shape
    assert [("nan" if isinstance(v, float) and v != v else v) for v in np.asarray(ours, dtype=object).ravel()] == \
        [("nan" if isinstance(v, float) and v != v else v) for v in np.asarray(ref, dtype=object).ravel()]


def inverted(data, infrequent):
    """What inverse_transform(transform(data)) gives: data with each infrequent category as "infrequent_sklearn"."""
    want = np.array(data, dtype=object)
    for j, rare in enumerate(infrequent):
        for i, value in enumerate(want[:, j]):
            if rare is not None and any(value is r or value == r for r in rare.tolist()):
                want[i, j] = "infrequent_sklearn"
    return want


# ---- OrdinalEncoder -------------------------------------------------------------------------------

ORDINAL_PARAMS = [dict(), dict(encoded_missing_value=-1), dict(min_frequency=3), dict(max_categories=2),
                  dict(min_frequency=0.2, encoded_missing_value=-2, dtype=np.float32),
                  dict(categories=[[1, 3, 5, 7, 9], [-1.0, 2.5, 4.0]], handle_unknown="use_encoded_value",
                       unknown_value=-1, encoded_missing_value=-2, dtype=np.int64)]


@pytest.mark.parametrize("params", ORDINAL_PARAMS, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "-")
def test_ordinal_numeric_on_the_device_as_sklearn(backend, xp, device, params):
    ours = OrdinalEncoder(**params).fit(xp.asarray(CODES_NAN, device=device))
    ref = skp.OrdinalEncoder(**params).fit(CODES_NAN)
    same_categories(ours.categories_, ref.categories_)
    if "min_frequency" in params or "max_categories" in params:
        same_categories(ours.infrequent_categories_, ref.infrequent_categories_)
    out = ours.transform(xp.asarray(CODES_NAN, device=device))
    assert_on_backend(out, backend)
    expected = ref.transform(CODES_NAN)
    np.testing.assert_array_equal(xpml.to_numpy(out), expected)  # NaN where the input is missing
    assert xpml.to_numpy(ours.transform(CODES_NAN)).dtype == expected.dtype
    assert ours.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist() == ["x0", "x1"]
    back = ours.inverse_transform(expected)
    if "min_frequency" in params or "max_categories" in params:  # scikit-learn's fails on NaN with infrequent groups
        same_objects(back, inverted(CODES_NAN, ref.infrequent_categories_))
    else:
        same_objects(back, ref.inverse_transform(expected))


def test_ordinal_strings_none_and_nan_on_the_host_as_sklearn(backend):
    for params in [dict(), dict(min_frequency=4), dict(max_categories=2, encoded_missing_value=-1),
                   dict(handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=-2,
                        max_categories=3),
                   dict(categories=[["a", "b", "c", "d", "e", None], ["a", "b", "c", "d", np.nan]])]:
        ours, ref = OrdinalEncoder(**params).fit(WORDS), skp.OrdinalEncoder(**params).fit(WORDS)
        same_categories(ours.categories_, ref.categories_)
        np.testing.assert_array_equal(ours.transform(WORDS), ref.transform(WORDS), err_msg=str(params))
        back = ours.inverse_transform(ours.transform(WORDS))
        if "min_frequency" in params or "max_categories" in params:  # scikit-learn's misreads NaN with infrequent ones
            same_objects(back, inverted(WORDS, ref.infrequent_categories_))
        else:
            same_objects(back, ref.inverse_transform(ref.transform(WORDS)))
    new = np.array([["z", "a"], [None, np.nan], ["b", "y"]], dtype=object)
    ours = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, min_frequency=4).fit(WORDS)
    ref = skp.OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, min_frequency=4).fit(WORDS)
    np.testing.assert_array_equal(ours.transform(new), ref.transform(new))
    want = inverted(new, ref.infrequent_categories_)
    want[0, 0] = want[2, 1] = None  # unknown categories
    same_objects(ours.inverse_transform(ours.transform(new)), want)
    mixed = [[1, "x"], [None, "y"], [2, "x"]]  # numbers and None in a list: None is a category after the numbers
    same_categories(OrdinalEncoder().fit(mixed).categories_, skp.OrdinalEncoder().fit(mixed).categories_)


def test_ordinal_and_one_hot_learn_the_same_categories():
    """One piece of code learns both encoders' categories and infrequent groups, as scikit-learn's do."""
    data = np.nan_to_num(CODES_NAN, nan=9.0)
    for params in (dict(min_frequency=4), dict(max_categories=2)):
        ordinal, one_hot = OrdinalEncoder(**params).fit(data), OneHotEncoder(**params).fit(data)
        same_categories(ordinal.categories_, one_hot.categories_)
        same_categories(ordinal.infrequent_categories_, skp.OneHotEncoder(**params).fit(data).infrequent_categories_)
        same_categories(ordinal.infrequent_categories_, one_hot.infrequent_categories_)


def test_ordinal_dataframes_as_sklearn():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"colour": pd.Categorical(["red", "blue", None, "red"]), "size": [3, 1, 2, 3],
                          "shape": ["o", None, "x", "o"], "weight": [1.5, np.nan, 2.0, 1.5],
                          "count": pd.array([1, None, 4, 1], dtype="Int64")})
    ours, ref = OrdinalEncoder().fit(frame), skp.OrdinalEncoder().fit(frame.astype({"count": "float64"}))
    same_categories(ours.categories_, ref.categories_)  # pandas' None is missing: NaN, as scikit-learn reads it
    np.testing.assert_array_equal(ours.transform(frame), ref.transform(frame.astype({"count": "float64"})))
    assert ours.feature_names_in_.tolist() == ref.feature_names_in_.tolist()
    assert ours.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()
    out = OrdinalEncoder().set_output(transform="pandas").fit_transform(frame)
    assert list(out.columns) == list(frame.columns) and out.index.tolist() == frame.index.tolist()
    with pytest.raises(ValueError, match=r"The feature names should match those that were passed during fit"):
        ours.transform(frame[frame.columns[::-1]])
    pl = pytest.importorskip("polars")
    table = pl.DataFrame({"shape": ["o", None, "x", "o"], "size": [3, None, 2, 3]})
    ours, ref = OrdinalEncoder().fit(table), skp.OrdinalEncoder().fit(table)
    same_categories(ours.categories_, ref.categories_)  # polars' null: None among strings, NaN among numbers
    np.testing.assert_array_equal(ours.transform(table), ref.transform(table))
    assert ours.get_feature_names_out().tolist() == ["shape", "size"]


def test_ordinal_errors_name_the_argument():
    fitted = OrdinalEncoder().fit(WORDS)
    with pytest.raises(ValueError, match=r"Found unknown categories \['z'\] in column 0 during transform"):
        fitted.transform([["z", "a"]])
    with pytest.raises(ValueError, match=r"Found unknown categories \[nan\] in column 1 during transform"):
        OrdinalEncoder().fit(CODES).transform([[3, np.nan]])
    with pytest.raises(ValueError, match=r"Found unknown categories \[9\] in column 0 during fit"):
        OrdinalEncoder(categories=[[1, 3, 5, 7], [-1.0, 2.5, 4.0]]).fit(np.vstack([CODES, [[9, 2.5]]]).astype(int))
    with pytest.raises(TypeError, match=r"unknown_value=None should be an int or nan when handle_unknown="):
        OrdinalEncoder(handle_unknown="use_encoded_value").fit(CODES)
    with pytest.raises(TypeError, match=r"unknown_value=0.5 should be an int or nan"):
        OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=0.5).fit(CODES)
    with pytest.raises(ValueError, match=r"unknown_value=3 is the code of a known category \(codes 0 to 3"):
        OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=3).fit(CODES)
    with pytest.raises(ValueError, match=r"unknown_value=2 is the code of a known category"):  # the infrequent code
        OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=2, max_categories=3).fit(CODES)
    with pytest.raises(ValueError, match=r"unknown_value=nan needs a floating dtype; got dtype=<class 'numpy.int32'>"):
        OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan, dtype=np.int32).fit(CODES)
    with pytest.raises(ValueError, match=r"encoded_missing_value=1 is the code of a known category in features \[0"):
        OrdinalEncoder(encoded_missing_value=1).fit(CODES_NAN)
    with pytest.raises(ValueError, match=r"X has missing values \(NaN\) in features \[0, 1\], whose code "
                                         r"encoded_missing_value=nan needs a floating dtype"):
        OrdinalEncoder(dtype=np.int64).fit(CODES_NAN)
    with pytest.raises(ValueError, match=r"encoded_missing_value=inf should be an int or nan"):
        OrdinalEncoder(encoded_missing_value=math.inf).fit(CODES)
    with pytest.raises(ValueError, match=r"categories\[0\]=\[3, 1\] should be sorted"):
        OrdinalEncoder(categories=[[3, 1], [2.5]]).fit(CODES)
    with pytest.raises(ValueError, match=r"categories\[1\]=\[nan, 'a'\] should have NaN, the missing category, last"):
        OrdinalEncoder(categories=[["a"], [np.nan, "a"]]).fit([["a", "a"]])
    with pytest.raises(ValueError, match=r"X contains infinity"):
        OrdinalEncoder().fit([[1.0], [np.inf]])
    with pytest.raises(ValueError, match=r"X has 1 features, but OrdinalEncoder is expecting 2 features"):
        fitted.transform([["a"]])
    with pytest.raises(ValueError, match=r"X\[:, 0\] holds 7.0, which is not a code of feature 0: its codes are 0 to"):
        fitted.inverse_transform([[7, 0]])
    with pytest.raises(ValueError, match=r"X should have 2 columns, the output of transform; got shape \(1, 3\)"):
        fitted.inverse_transform([[0, 0, 0]])
    with pytest.raises(TypeError, match=r"X is a sparse matrix"):
        OrdinalEncoder().fit(pytest.importorskip("scipy.sparse").csr_matrix(CODES))
    with pytest.raises(NotFittedError):
        OrdinalEncoder().transform(CODES)


def test_ordinal_encoder_with_none_and_nan_categories_survives_a_model_file(tmp_path):
    from xpml.io import load, save

    encoder = OrdinalEncoder(min_frequency=4, encoded_missing_value=-1).fit(WORDS)
    save(encoder, tmp_path / "ordinal.xpml")
    loaded = load(tmp_path / "ordinal.xpml")
    same_categories(loaded.categories_, encoder.categories_)
    np.testing.assert_array_equal(loaded.transform(WORDS), encoder.transform(WORDS))
    codes = encoder.transform(WORDS)
    same_objects(loaded.inverse_transform(codes), encoder.inverse_transform(codes))


# ---- RobustScaler -----------------------------------------------------------------------------------

ROBUST_PARAMS = [dict(), dict(quantile_range=(10.0, 90.0)), dict(unit_variance=True, quantile_range=(5.0, 60.0)),
                 dict(with_centering=False), dict(with_scaling=False), dict(quantile_range=(0, 100)),
                 dict(quantile_range=(33.3, 33.3))]


def test_robust_scaler_matches_sklearn_with_missing_values(backend, xp, device):
    for params in ROBUST_PARAMS:
        for data in (X, HOLES, HOLES[:22]):  # no NaN; NaN; an even number of rows
            ours = RobustScaler(**params).fit(xp.asarray(data, device=device))
            ref = skp.RobustScaler(**params).fit(data)
            for name in ("center_", "scale_"):
                if getattr(ref, name) is None:
                    assert getattr(ours, name) is None
                else:
                    assert_on_backend(getattr(ours, name), backend)
                    assert_allclose(getattr(ours, name), getattr(ref, name), rtol=TOL, err_msg=f"{params} {name}")
            out = ours.transform(xp.asarray(data, device=device))
            assert_on_backend(out, backend)
            assert_allclose(out, ref.transform(data), rtol=1e-10, atol=1e-12, err_msg=str(params))
            assert_allclose(ours.inverse_transform(out), ref.inverse_transform(ref.transform(data)), rtol=1e-10,
                            atol=1e-10)
    single = xp.asarray(X[:, :2].astype(np.float32), device=device)  # float32 stays float32
    Z = RobustScaler().fit_transform(single)
    assert Z.dtype == xp.float32
    assert_allclose(Z, skp.RobustScaler().fit_transform(X[:, :2].astype(np.float32)), rtol=1e-5, atol=1e-5)


def test_robust_scaler_scales_sparse_input_without_densifying(backend):
    sp = pytest.importorskip("scipy.sparse")
    values = SPARSE_VALUES.copy()
    values[3, 1] = np.nan  # a stored NaN: missing, left out
    for make in (sp.csr_matrix, sp.csc_matrix, sp.csr_array):
        A = make(values)
        ours = RobustScaler(with_centering=False, quantile_range=(20.0, 70.0)).fit(A)
        ref = skp.RobustScaler(with_centering=False, quantile_range=(20.0, 70.0)).fit(A)
        assert_on_backend(ours.scale_, backend)
        assert_allclose(ours.scale_, ref.scale_, rtol=TOL)
        for got, want in ((ours.transform(A), ref.transform(A)), (ours.inverse_transform(A), ref.inverse_transform(A))):
            assert type(got) is type(want) and got.format == want.format and got.nnz == want.nnz
            np.testing.assert_allclose(got.toarray(), want.toarray(), rtol=TOL)
    assert_allclose(RobustScaler(with_centering=False).fit(sp.csr_matrix(SPARSE_VALUES)).scale_,
                    RobustScaler(with_centering=False).fit(SPARSE_VALUES).scale_, rtol=TOL)  # zeros counted alike
    with pytest.raises(ValueError, match=r"with_centering=True cannot centre a sparse X"):
        RobustScaler().fit(sp.csr_matrix(SPARSE_VALUES))
    with pytest.raises(ValueError, match=r"X has 4 features, but RobustScaler is expecting 5"):
        RobustScaler(with_centering=False).fit(sp.csr_matrix(SPARSE_VALUES)).transform(sp.csr_matrix(X))


def test_robust_scaler_errors_name_the_argument():
    with pytest.raises(ValueError, match=r"quantile_range=\(80, 20\) should be a pair \(q_min, q_max\) of "
                                         r"percentages with 0 <= q_min <= q_max <= 100"):
        RobustScaler(quantile_range=(80, 20)).fit(X)
    with pytest.raises(ValueError, match=r"quantile_range=\(-1, 50\) should be a pair"):
        RobustScaler(quantile_range=(-1, 50)).fit(X)
    with pytest.raises(TypeError, match=r"quantile_range should be a tuple; got \[25, 75\]"):
        RobustScaler(quantile_range=[25, 75]).fit(X)
    with pytest.raises(ValueError, match=r"unit_variance=True needs 0 < q_min < q_max < 100"):
        RobustScaler(unit_variance=True, quantile_range=(0.0, 50.0)).fit(X)
    with pytest.raises(ValueError, match=r"X contains infinity; NaN marks a missing value here"):
        RobustScaler().fit(np.where(np.isnan(HOLES), np.inf, HOLES))
    with pytest.raises(ValueError, match=r"X has 3 features, but RobustScaler is expecting 4 features"):
        RobustScaler().fit(X).transform(X[:, :3])
    all_missing = np.column_stack([X[:, 0], np.full(23, np.nan)])  # no observed value: NaN statistics, as sklearn's
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # scikit-learn's "All-NaN slice"
        ref = skp.RobustScaler().fit(all_missing)
    ours = RobustScaler().fit(all_missing)
    assert_allclose(ours.center_, ref.center_, rtol=TOL)
    assert_allclose(ours.scale_, ref.scale_, rtol=TOL)


# ---- Normalizer, Binarizer -----------------------------------------------------------------------------

ROWS = np.vstack([X[:6], np.zeros(4), np.full(4, 1e-17), [[1e200, -1e200, 0.0, 3e199]]])  # zero, tiny, huge rows


@pytest.mark.parametrize("norm", ["l1", "l2", "max"])
def test_normalizer_matches_sklearn(backend, xp, device, norm):
    ours = Normalizer(norm).fit(X)
    out = ours.transform(xp.asarray(ROWS[:-1], device=device))
    assert_on_backend(out, backend)
    assert_allclose(out, skp.Normalizer(norm).fit(X).transform(ROWS[:-1]), rtol=TOL, atol=1e-300)
    for axis in (0, 1):
        got, norms = normalize(xp.asarray(ROWS[:-1], device=device), norm, axis=axis, return_norm=True)
        want, want_norms = skp.normalize(ROWS[:-1], norm, axis=axis, return_norm=True)
        assert_allclose(got, want, rtol=TOL, atol=1e-300)
        assert_allclose(norms, want_norms, rtol=TOL)
    huge = Normalizer(norm).transform(ROWS[-1:])  # scikit-learn's squares overflow to inf there: zeros for l2
    exact = ROWS[-1:] / {"l1": 2.3e200, "l2": math.hypot(1e200, 1e200, 3e199), "max": 1e200}[norm]
    assert_allclose(huge, exact, rtol=TOL)
    assert Normalizer(norm).transform(X[:2].tolist()).tolist() == normalize(X[:2], norm).tolist()  # before fit too


def test_normalizer_and_binarizer_on_sparse_input(backend):
    sp = pytest.importorskip("scipy.sparse")
    for make in (sp.csr_matrix, sp.csc_matrix, sp.csr_array, sp.coo_matrix):
        A = make(SPARSE_VALUES)
        for norm in ("l1", "l2", "max"):
            for got, want in ((Normalizer(norm).fit(A).transform(A), skp.Normalizer(norm).fit(A).transform(A)),
                              (normalize(A, norm, axis=0), skp.normalize(A, norm, axis=0))):
                assert type(got) is type(want) and got.format == want.format
                np.testing.assert_allclose(got.toarray(), want.toarray(), rtol=TOL)
        if make is not sp.coo_matrix:  # (scikit-learn's binarize refuses COO)
            got, want = binarize(A, threshold=0.4), skp.binarize(A, threshold=0.4)
            assert type(got) is type(want) and got.format == want.format and got.nnz == want.nnz
            np.testing.assert_array_equal(got.toarray(), want.toarray())
    _, norms = normalize(sp.csr_matrix(SPARSE_VALUES), "max", return_norm=True)
    np.testing.assert_allclose(norms, skp.normalize(sp.csr_matrix(SPARSE_VALUES), "max", return_norm=True)[1])
    with pytest.raises(ValueError, match=r"threshold=-0.5 should be >= 0 for a sparse X"):
        Binarizer(threshold=-0.5).fit(SPARSE_VALUES).transform(sp.csr_matrix(SPARSE_VALUES))
    with pytest.raises(ValueError, match=r"X has 4 features, but Binarizer is expecting 5 features"):
        Binarizer().fit(sp.csr_matrix(SPARSE_VALUES)).transform(sp.csr_matrix(X))


def test_binarizer_matches_sklearn(backend, xp, device):
    for threshold in (0.0, 5.0, -3.0):
        ours = Binarizer(threshold=threshold).fit(X)
        out = ours.transform(xp.asarray(X, device=device))
        assert_on_backend(out, backend)
        assert_allclose(out, skp.Binarizer(threshold=threshold).fit_transform(X), rtol=0)
        assert_allclose(binarize(X, threshold=threshold), skp.binarize(X, threshold=threshold), rtol=0)
    assert ours.get_feature_names_out().tolist() == ["x0", "x1", "x2", "x3"]


def test_normalizer_and_binarizer_errors_name_the_argument():
    with pytest.raises(ValueError, match=r"norm='l3' should be one of 'l1', 'l2', 'max'"):
        Normalizer("l3").fit(X)
    with pytest.raises(ValueError, match=r"norm='l0' should be one of 'l1', 'l2', 'max'"):
        normalize(X, "l0")
    with pytest.raises(ValueError, match=r"axis=2 should be 0 \(each feature\) or 1 \(each sample\)"):
        normalize(X, axis=2)
    with pytest.raises(TypeError, match=r"threshold should be a Real; got 'high'"):
        Binarizer(threshold="high").transform(X)
    with pytest.raises(ValueError, match=r"X contains NaN"):
        Normalizer().fit(HOLES)
    with pytest.raises(ValueError, match=r"X has 3 features, but Normalizer is expecting 4 features"):
        Normalizer().fit(X).transform(X[:, :3])


# ---- FunctionTransformer -----------------------------------------------------------------------------


def _log_names(transformer, names):
    return [f"log({name})" for name in names]


def test_function_transformer_as_sklearn(backend, xp, device):
    positive = np.abs(X) + 1.0
    ours = FunctionTransformer(lambda A: A * 2.0 + 1.0, lambda A: (A - 1.0) / 2.0, validate=True)
    out = ours.fit_transform(xp.asarray(positive, device=device))  # an array-API function: it runs on the backend
    assert_on_backend(out, backend)
    assert_allclose(out, positive * 2.0 + 1.0, rtol=TOL)
    assert_allclose(ours.inverse_transform(out), positive, rtol=TOL)
    assert isinstance(ours.transform(positive), np.ndarray) and ours.n_features_in_ == 4
    rounded = FunctionTransformer(np.round, kw_args={"decimals": 1})
    assert_allclose(rounded.fit_transform(positive), skp.FunctionTransformer(np.round, kw_args={"decimals": 1})
                    .fit_transform(positive), rtol=0)
    rows = [[1.0, 2.0], [3.0, 4.0]]
    assert FunctionTransformer().fit(rows).transform(rows) is rows  # validate=False: X goes through as it is
    for names_out in ("one-to-one", _log_names):
        ours = FunctionTransformer(np.log, feature_names_out=names_out).fit(positive)
        ref = skp.FunctionTransformer(np.log, feature_names_out=names_out).fit(positive)
        assert ours.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()
        assert ours.get_feature_names_out(["a", "b", "c", "d"]).tolist() == \
            ref.get_feature_names_out(["a", "b", "c", "d"]).tolist()
    assert not hasattr(FunctionTransformer(), "get_feature_names_out")  # as scikit-learn: only with feature_names_out


def test_function_transformer_checks_the_inverse_and_takes_sparse_and_frames():
    positive = np.abs(X) + 1.0
    with pytest.warns(UserWarning, match=r"inverse_func\(func\(X\)\) is not X on a sample of X's rows"):
        FunctionTransformer(np.log, np.exp2).fit(positive)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FunctionTransformer(np.log, np.exp).fit(positive)
        FunctionTransformer(np.log, np.exp2, check_inverse=False).fit(positive)
    sp = pytest.importorskip("scipy.sparse")
    A = sp.csr_matrix(SPARSE_VALUES)
    out = FunctionTransformer(lambda S: S * 3.0, validate=True, accept_sparse=True).fit_transform(A)
    assert sp.issparse(out) and out.nnz == A.nnz
    np.testing.assert_allclose(out.toarray(), SPARSE_VALUES * 3.0)
    with pytest.raises(TypeError, match=r"X is a sparse matrix \(csr_matrix\), and accept_sparse=False with "
                                        r"validate=True takes dense arrays"):
        FunctionTransformer(validate=True).fit(A)
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(positive, columns=["a", "b", "c", "d"])
    ours = FunctionTransformer(np.log, feature_names_out="one-to-one").set_output(transform="pandas")
    ref = skp.FunctionTransformer(np.log, feature_names_out="one-to-one").set_output(transform="pandas")
    pd.testing.assert_frame_equal(ours.fit_transform(frame), ref.fit_transform(frame))
    pd.testing.assert_frame_equal(FunctionTransformer(np.log).set_output(transform="pandas").fit_transform(frame),
                                  np.log(frame))  # func's own DataFrame, without feature_names_out
    with pytest.warns(UserWarning, match=r"set_output\(transform='pandas'\) returns DataFrames named by "
                                         r"get_feature_names_out, which needs feature_names_out"):
        FunctionTransformer(np.log).set_output(transform="pandas").fit_transform(positive)


def test_function_transformer_errors_name_the_argument():
    with pytest.raises(TypeError, match=r"func should be None or a callable; got 'log' \(str\)"):
        FunctionTransformer("log").fit(X)
    with pytest.raises(ValueError, match=r"feature_names_out='names' should be one of 'one-to-one'"):
        FunctionTransformer(feature_names_out="names").fit(X)
    with pytest.raises(TypeError, match=r"inv_kw_args=\{'base': 2\} are keyword arguments for the function, but it "
                                        r"is None \(the identity\)"):
        FunctionTransformer(np.log, inv_kw_args={"base": 2}).fit(np.abs(X) + 1)
    with pytest.raises(ValueError, match=r"X contains NaN"):
        FunctionTransformer(validate=True).fit(HOLES)
    with pytest.raises(ValueError, match=r"X has 3 features, but FunctionTransformer is expecting 4 features"):
        FunctionTransformer(validate=True).fit(X).transform(X[:, :3])


# ---- the scaling functions ------------------------------------------------------------------------------


def test_scaling_functions_match_sklearn(backend, xp, device):
    data = xp.asarray(X[:8], device=device)
    for ours, theirs, kwargs in ((scale, skp.scale, {}), (minmax_scale, skp.minmax_scale, {"feature_range": (-1, 2)}),
                                 (maxabs_scale, skp.maxabs_scale, {}),
                                 (robust_scale, skp.robust_scale, {"quantile_range": (10.0, 80.0)})):
        for axis in (0, 1):
            out = ours(data, axis=axis, **kwargs)
            assert_on_backend(out, backend)
            assert_allclose(out, theirs(X[:8], axis=axis, **kwargs), rtol=1e-10, atol=1e-12,
                            err_msg=f"{ours.__name__} axis={axis}")
        column = ours(X[:8, 1].tolist(), **kwargs)  # a 1-D X: one feature, a 1-D result
        assert column.shape == (8,)
        assert_allclose(column, theirs(X[:8, 1], **kwargs), rtol=1e-10, atol=1e-12)
    sp = pytest.importorskip("scipy.sparse")
    A = sp.csr_matrix(SPARSE_VALUES)
    for got, want in ((scale(A, with_mean=False), skp.scale(A, with_mean=False)),
                      (maxabs_scale(A, axis=1), skp.maxabs_scale(A, axis=1)),
                      (robust_scale(A, with_centering=False), skp.robust_scale(A, with_centering=False))):
        assert type(got) is type(want) and got.format == want.format
        np.testing.assert_allclose(got.toarray(), want.toarray(), rtol=1e-12)
    with pytest.raises(ValueError, match=r"axis=-1 should be 0 \(each feature\) or 1 \(each sample\)"):
        scale(X, axis=-1)


# ---- DataFrames in, feature names and DataFrames out -----------------------------------------------------


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_new_transformers_on_dataframes_as_sklearn(library):
    lib = pytest.importorskip(library)
    columns = ["a", "b", "c", "d"]
    frame = lib.DataFrame(HOLES[:, :4], columns=columns) if library == "pandas" else \
        lib.DataFrame(HOLES[:, :4], schema=columns, orient="row")
    dense = frame.fillna(0.0) if library == "pandas" else frame.fill_nan(0.0)
    for ours, ref, data in ((RobustScaler(), skp.RobustScaler(), frame), (Normalizer(), skp.Normalizer(), dense),
                            (Binarizer(threshold=1.0), skp.Binarizer(threshold=1.0), dense),
                            (FunctionTransformer(np.abs, feature_names_out="one-to-one"),
                             skp.FunctionTransformer(np.abs, feature_names_out="one-to-one"), dense)):
        out = ours.set_output(transform=library).fit_transform(data)
        want = ref.set_output(transform=library).fit_transform(data)
        assert list(out.columns) == list(want.columns) == columns, type(ours).__name__
        np.testing.assert_allclose(out.to_numpy(), want.to_numpy(), rtol=1e-12, err_msg=type(ours).__name__)
        assert ours.feature_names_in_.tolist() == columns
        with pytest.raises(ValueError, match=r"input_features is not equal to feature_names_in_"):
            ours.get_feature_names_out(["x", "y", "z", "w"])
