"""pandas and polars tables in and out, against scikit-learn on the same data (API.md section 3b).

- In: DataFrames and Series go wherever arrays go; string column names become `feature_names_in_`,
  and later mismatches raise or warn with scikit-learn's messages.
- Out: `get_feature_names_out` names the columns as scikit-learn names them, and `set_output`
  returns DataFrames with those names (and a pandas input's index), alone and in a Pipeline.
"""

import warnings

import numpy as np
import pytest
import sklearn.decomposition
import sklearn.impute
import sklearn.linear_model
import sklearn.pipeline
import sklearn.preprocessing

import xpml
import xpml.decomposition
import xpml.preprocessing
from xpml.decomposition import PCA, TruncatedSVD
from xpml.linear_model import LogisticRegression, Ridge
from xpml.pipeline import Pipeline
from xpml.preprocessing import (MaxAbsScaler, MinMaxScaler, OneHotEncoder, PolynomialFeatures, SimpleImputer,
                                StandardScaler)
from xpml.utils._frames import feature_names_of, frame_to_numpy

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

RNG = np.random.default_rng(0)
VALUES = RNG.normal(size=(30, 3))
Y_REG = VALUES @ np.array([1.0, -2.0, 0.5]) + 0.1 * RNG.normal(size=30)
Y_CLASS = (VALUES[:, 0] > 0).astype(int)
COLUMNS = ["alpha", "beta", "gamma"]


def pandas_frame(values=VALUES, columns=COLUMNS):
    return pd.DataFrame(values, columns=columns, index=np.arange(100, 100 + len(values)))


def polars_frame(values=VALUES, columns=COLUMNS):
    return pl.DataFrame(values, schema=columns, orient="row")


FRAMES = {"pandas": pandas_frame, "polars": polars_frame}


def message_of(call, error=ValueError):
    with pytest.raises(error) as info:
        call()
    return str(info.value)


def warnings_of(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


# ---- in -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("library", FRAMES)
def test_fit_on_a_frame_records_the_names_and_predicts_as_on_arrays(backend, library):
    X = FRAMES[library]()
    model = Ridge().fit(X, pd.Series(Y_REG) if library == "pandas" else pl.Series(Y_REG))
    ref = sklearn.linear_model.Ridge().fit(pandas_frame(), Y_REG)
    assert isinstance(model.feature_names_in_, np.ndarray) and model.feature_names_in_.dtype == object
    np.testing.assert_array_equal(model.feature_names_in_, ref.feature_names_in_)
    on_arrays = Ridge().fit(VALUES, Y_REG)
    np.testing.assert_allclose(model.predict(X), on_arrays.predict(VALUES), rtol=1e-12)
    assert isinstance(model.predict(X), np.ndarray)  # a table in, numpy out, as scikit-learn's default output
    np.testing.assert_allclose(model.predict(X), ref.predict(pandas_frame()), rtol=1e-8)


def test_a_classifier_takes_labels_as_a_series():
    labels = np.array(["no", "yes"])[Y_CLASS]
    for y in (pd.Series(labels), pl.Series(labels), pd.Series(Y_CLASS)):
        model = LogisticRegression().fit(pandas_frame(), y)
        expected = LogisticRegression().fit(VALUES, np.asarray(y)).predict(VALUES)
        np.testing.assert_array_equal(model.predict(pandas_frame()), expected)


@pytest.mark.parametrize("library", FRAMES)
def test_names_in_another_order_or_unseen_raise_scikit_learns_error(library):
    X = FRAMES[library]()
    ours, ref = Ridge().fit(X, Y_REG), sklearn.linear_model.Ridge().fit(pandas_frame(), Y_REG)
    reordered = ["gamma", "alpha", "beta"]
    renamed = ["alpha", "beta", "delta"]
    cases = {
        "order": (X[reordered], pandas_frame()[reordered]),
        "renamed": (FRAMES[library](columns=renamed), pandas_frame(columns=renamed)),
    }
    for case, (X_ours, X_ref) in cases.items():
        expected = message_of(lambda: ref.predict(X_ref))
        assert message_of(lambda: ours.predict(X_ours)) == expected, case
    assert "Feature names must be in the same order as they were in fit." in message_of(lambda: ours.predict(
        cases["order"][0]))


def test_names_at_fit_but_not_later_warn_as_scikit_learn_does_and_the_other_way_round():
    ours, ref = Ridge().fit(pandas_frame(), Y_REG), sklearn.linear_model.Ridge().fit(pandas_frame(), Y_REG)
    assert warnings_of(lambda: ours.predict(VALUES)) == warnings_of(lambda: ref.predict(VALUES))
    assert warnings_of(lambda: ours.predict(VALUES)) == [
        "X does not have valid feature names, but Ridge was fitted with feature names"]
    ours, ref = Ridge().fit(VALUES, Y_REG), sklearn.linear_model.Ridge().fit(VALUES, Y_REG)
    assert warnings_of(lambda: ours.predict(pandas_frame())) == warnings_of(lambda: ref.predict(pandas_frame()))
    assert warnings_of(lambda: ours.predict(pandas_frame())) == [
        "X has feature names, but Ridge was fitted without feature names"]


def test_refit_on_an_array_forgets_the_names_and_non_string_names_are_no_names():
    model = Ridge().fit(pandas_frame(), Y_REG).fit(VALUES, Y_REG)
    assert not hasattr(model, "feature_names_in_")
    assert not hasattr(Ridge().fit(pd.DataFrame(VALUES), Y_REG), "feature_names_in_")  # 0, 1, 2: not strings
    with pytest.raises(TypeError, match=r"Feature names are only supported if all input features have string names"):
        Ridge().fit(pd.DataFrame(VALUES, columns=["a", 1, "c"]), Y_REG)


def test_integer_float_boolean_and_nullable_columns_are_read_as_numbers():
    frame = pd.DataFrame({"i": [1, 2, 3], "f": [0.5, 1.5, 2.5], "b": [True, False, True]})
    assert frame_to_numpy(frame).dtype == np.float64  # pandas alone would give objects for bool + float
    np.testing.assert_array_equal(frame_to_numpy(frame), [[1, 0.5, 1], [2, 1.5, 0], [3, 2.5, 1]])
    nullable = pd.DataFrame({"i": pd.array([1, None, 3], dtype="Int64"), "f": [1.0, 2.0, 3.0]})
    np.testing.assert_array_equal(frame_to_numpy(nullable), [[1, 1], [np.nan, 2], [3, 3]])
    assert frame_to_numpy(pl.DataFrame({"i": [1, 2], "b": [True, False]})).dtype.kind in "if"
    floats = pandas_frame()
    assert np.shares_memory(frame_to_numpy(floats), floats["alpha"].to_numpy())  # no copy where pandas allows
    assert feature_names_of(floats).tolist() == COLUMNS and feature_names_of(VALUES) is None
    model = SimpleImputer().fit(nullable)
    np.testing.assert_array_equal(model.transform(nullable), [[1, 1], [2, 2], [3, 3]])


def test_strings_in_a_numeric_estimator_are_refused():
    frame = pd.DataFrame({"a": ["x", "y", "z"], "b": [1.0, 2.0, 3.0]})
    with pytest.raises(TypeError, match=r"X should contain numbers"):
        Ridge().fit(frame, [1.0, 2.0, 3.0])


# ---- out ----------------------------------------------------------------------------------------

CATEGORIES = pd.DataFrame({"colour": ["red", "blue", "red", "green"], "size": ["s", "m", "m", "l"]})
WITH_NAN = pd.DataFrame({"a": [1.0, np.nan, 3.0, 4.0], "b": [np.nan, np.nan, np.nan, np.nan],
                         "c": [1.0, 2.0, np.nan, 0.0]})
PAIRS = {  # xpml transformer, scikit-learn's, the data
    "StandardScaler": (StandardScaler(), sklearn.preprocessing.StandardScaler(), pandas_frame()),
    "MinMaxScaler": (MinMaxScaler(), sklearn.preprocessing.MinMaxScaler(), pandas_frame()),
    "MaxAbsScaler": (MaxAbsScaler(), sklearn.preprocessing.MaxAbsScaler(), pandas_frame()),
    "PolynomialFeatures": (PolynomialFeatures(degree=3), sklearn.preprocessing.PolynomialFeatures(degree=3),
                           pandas_frame()),
    "PolynomialFeatures-interactions": (PolynomialFeatures(interaction_only=True, include_bias=False),
                                        sklearn.preprocessing.PolynomialFeatures(interaction_only=True,
                                                                                 include_bias=False), pandas_frame()),
    "PCA": (PCA(n_components=2), sklearn.decomposition.PCA(n_components=2), pandas_frame()),
    "TruncatedSVD": (TruncatedSVD(n_components=2), sklearn.decomposition.TruncatedSVD(n_components=2),
                     pandas_frame()),
    "OneHotEncoder": (OneHotEncoder(sparse_output=False), sklearn.preprocessing.OneHotEncoder(sparse_output=False), CATEGORIES),
    "OneHotEncoder-drop": (OneHotEncoder(drop="first", sparse_output=False),
                           sklearn.preprocessing.OneHotEncoder(drop="first", sparse_output=False), CATEGORIES),
    "SimpleImputer": (SimpleImputer(), sklearn.impute.SimpleImputer(), WITH_NAN),
}


@pytest.mark.parametrize("case", PAIRS)
def test_get_feature_names_out_names_as_scikit_learn(case):
    ours, ref, X = PAIRS[case]
    for data in (X, X.to_numpy()):  # the frame's names, or x0, x1, ...
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # SimpleImputer's all-missing column
            ours.fit(data)
            ref.fit(data)
        assert ours.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()
        assert ours.get_feature_names_out().dtype == object
    given = [f"f{j}" for j in range(X.shape[1])]
    assert ours.get_feature_names_out(given).tolist() == ref.get_feature_names_out(given).tolist()
    with pytest.raises(ValueError, match=r"input_features should have length equal to number of features"):
        ours.get_feature_names_out(given[:-1])


def test_get_feature_names_out_refuses_other_names_than_at_fit_and_an_unfitted_estimator():
    model = StandardScaler().fit(pandas_frame())
    with pytest.raises(ValueError, match=r"input_features is not equal to feature_names_in_"):
        model.get_feature_names_out(["a", "b", "c"])
    with pytest.raises(xpml.exceptions.NotFittedError):
        StandardScaler().get_feature_names_out()


@pytest.mark.parametrize("case", PAIRS)
def test_set_output_pandas_gives_scikit_learns_frame(case):
    ours, ref, X = PAIRS[case]
    ours.set_output(transform="pandas")
    ref.set_output(transform="pandas")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for method in ("fit_transform", "transform"):
            got = ours.fit_transform(X) if method == "fit_transform" else ours.transform(X)
            want = ref.fit_transform(X) if method == "fit_transform" else ref.transform(X)
            assert isinstance(got, pd.DataFrame), method
            assert got.columns.tolist() == want.columns.tolist() and got.index.equals(want.index), method
            if not case.startswith(("PCA", "TruncatedSVD")):  # components have a sign and a random start
                np.testing.assert_allclose(got.to_numpy(dtype=float), want.to_numpy(dtype=float), atol=1e-10)
        ours.set_output(transform="default")
        assert isinstance(ours.transform(X), np.ndarray)


def test_set_output_polars_and_its_refusals():
    out = StandardScaler().set_output(transform="polars").fit_transform(polars_frame())
    assert isinstance(out, pl.DataFrame) and out.columns == COLUMNS
    out = PCA(n_components=2).set_output(transform="polars").fit_transform(VALUES)
    assert out.columns == ["pca0", "pca1"]
    with pytest.raises(ValueError, match=r"transform='table' should be one of 'default', 'pandas', 'polars'"):
        StandardScaler().set_output(transform="table")
    scaler = StandardScaler().set_output(transform="pandas")
    assert xpml.base.clone(scaler)._sklearn_output_config == {"transform": "pandas"}
    assert not hasattr(Ridge(), "set_output")


PIPELINES = {
    "scaler-pca": (lambda m: [("scaler", m.StandardScaler()), ("pca", m.PCA(n_components=2))], pandas_frame()),
    "poly-scaler": (lambda m: [("poly", m.PolynomialFeatures()), ("scaler", m.StandardScaler())], pandas_frame()),
    "onehot": (lambda m: [("onehot", m.OneHotEncoder(**m.dense)), ("scaler", m.StandardScaler())], CATEGORIES),
    "imputer-scaler": (lambda m: [("impute", m.SimpleImputer()), ("scaler", m.StandardScaler())], WITH_NAN[["a", "c"]]),
}


class _Modules:
    def __init__(self, scikit_learn: bool):
        pre = sklearn.preprocessing if scikit_learn else xpml.preprocessing
        self.StandardScaler, self.PolynomialFeatures, self.OneHotEncoder = (
            pre.StandardScaler, pre.PolynomialFeatures, pre.OneHotEncoder)
        self.PCA = (sklearn.decomposition if scikit_learn else xpml.decomposition).PCA
        self.SimpleImputer = sklearn.impute.SimpleImputer if scikit_learn else xpml.preprocessing.SimpleImputer
        self.dense = {"sparse_output": False}  # a DataFrame holds dense data only, in both libraries


@pytest.mark.parametrize("case", PIPELINES)
def test_a_pipeline_set_to_pandas_names_columns_as_scikit_learns(case):
    steps, X = PIPELINES[case]
    ours = Pipeline(steps(_Modules(False))).set_output(transform="pandas")
    ref = sklearn.pipeline.Pipeline(steps(_Modules(True))).set_output(transform="pandas")
    got, want = ours.fit_transform(X), ref.fit_transform(X)
    assert isinstance(got, pd.DataFrame)
    assert got.columns.tolist() == want.columns.tolist() and got.index.equals(want.index)
    assert ours.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()
    assert ours.transform(X).columns.tolist() == want.columns.tolist()
    for (name, step), (_, ref_step) in zip(ours.steps, ref.steps):  # every step saw its input's names
        np.testing.assert_array_equal(step.feature_names_in_, ref_step.feature_names_in_, err_msg=name)
    if case != "scaler-pca":
        np.testing.assert_allclose(got.to_numpy(dtype=float), want.to_numpy(dtype=float), atol=1e-10)


def test_scikit_learns_global_transform_output_is_followed():
    with sklearn.config_context(transform_output="pandas"):
        out = StandardScaler().fit_transform(pandas_frame())
    assert isinstance(out, pd.DataFrame) and out.columns.tolist() == COLUMNS
    with sklearn.config_context(transform_output="pandas"):
        assert isinstance(StandardScaler().set_output(transform="default").fit_transform(VALUES), np.ndarray)


def test_set_output_refuses_a_sparse_result_by_name():
    pytest.importorskip("scipy")
    enc = OneHotEncoder().set_output(transform="pandas")  # sparse_output=True, scikit-learn's default
    with pytest.raises(ValueError, match=r"transform='pandas' output does not hold sparse data.*sparse_output=False"):
        enc.fit_transform(CATEGORIES)
