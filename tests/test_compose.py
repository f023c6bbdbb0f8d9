"""ColumnTransformer, make_column_transformer and make_column_selector against scikit-learn's, on every backend.

The same data go through xpml's ColumnTransformer and scikit-learn's, with the same parts: the outputs
agree to rounding, and the output names, the fitted parts' columns, `output_indices_` and `sparse_output_`
are scikit-learn's. Arrays of the backend give arrays of the backend (sparse results too, under
output="backend"); pandas and polars frames are read by column name, strings included.
"""

import warnings

import numpy as np
import pytest
import sklearn.compose as skc
import sklearn.linear_model
import sklearn.pipeline
import sklearn.preprocessing as skp

import xpml
from tests.helpers import assert_allclose, assert_on_backend
from xpml.base import clone
from xpml.compose import ColumnTransformer, make_column_selector, make_column_transformer
from xpml.linear_model import LogisticRegression
from xpml.pipeline import make_pipeline
from xpml.preprocessing import MinMaxScaler, OneHotEncoder, StandardScaler

RNG = np.random.default_rng(0)
NUM = RNG.normal(size=(12, 5)) * [1.0, 10.0, 100.0, 0.1, 3.0] + [0.0, 5.0, -3.0, 1.0, 2.0]  # (12, 5)
CODES = np.c_[RNG.integers(0, 3, size=12), RNG.integers(0, 4, size=12), NUM[:, :1]]  # (12, 3): 2 category columns
TITANIC = {"age": [22.0, 38, 26, 35, 35, 54, 2, 27, 14, 4, 58, 20, 39, 14, 55, 31],
           "fare": [7.25, 71.3, 7.9, 53.1, 8.05, 51.9, 21.1, 11.1, 30.1, 16.7, 26.6, 8.05, 31.3, 7.85, 16.0, 18.0],
           "sex": ["m", "f", "f", "f", "m", "m", "m", "f", "f", "f", "f", "m", "m", "f", "f", "m"],
           "embarked": ["S", "C", "S", "S", "S", "Q", "S", "S", "C", "S", "S", "S", "S", "S", "S", "Q"]}
SURVIVED = np.array([0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0])


def titanic(library="pandas"):
    frames = pytest.importorskip(library)
    return frames.DataFrame(TITANIC)


def both(parts, **params):
    """(xpml's ColumnTransformer, scikit-learn's) of the same parts: xpml's preprocessing classes mapped to
    scikit-learn's namesakes, with the same parameters."""
    def twin(trans):
        if isinstance(trans, str):
            return trans
        sk = getattr(skp, type(trans).__name__)
        return sk(**{k: v for k, v in trans.get_params().items() if k in sk().get_params()})

    remainder = params.get("remainder", "drop")
    sk_params = {**params, "remainder": twin(remainder)}
    return (ColumnTransformer(parts, **params),
            skc.ColumnTransformer([(n, twin(t), c) for n, t, c in parts], **sk_params))


def dense(a):
    return a.toarray() if hasattr(a, "toarray") else xpml.to_numpy(a)


def assert_same_fit(ours, theirs, out, expected, rtol=1e-12):
    """Outputs, output names, the fitted parts' columns and the output slices as scikit-learn's."""
    assert_allclose(dense(out), dense(expected), rtol=rtol, atol=1e-12)
    assert ours.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()
    assert [(n, c if isinstance(c, (list, slice)) else list(c)) for n, _, c in ours.transformers_] == \
        [(n, c if isinstance(c, (list, slice)) else list(c)) for n, _, c in theirs.transformers_]
    assert ours.output_indices_ == theirs.output_indices_
    assert ours.sparse_output_ == theirs.sparse_output_


# ---- arrays of every backend ---------------------------------------------------------------------

def test_arrays_of_the_backend_give_scikit_learns_outputs_on_the_backend(backend, xp, device):
    ours, theirs = both([("scale", StandardScaler(), [0, -1]), ("range", MinMaxScaler(), slice(1, 3))],
                        remainder="passthrough")
    out = ours.fit_transform(xp.asarray(NUM, device=device))
    assert_on_backend(out, backend)
    assert_same_fit(ours, theirs, out, theirs.fit_transform(NUM))
    assert_allclose(ours.transform(xp.asarray(NUM[:3], device=device)), theirs.transform(NUM[:3]), rtol=1e-12)
    assert isinstance(ours.transform(NUM), np.ndarray) and isinstance(ours.transform(NUM.tolist()), np.ndarray)
    assert ours.n_features_in_ == 5 and not hasattr(ours, "feature_names_in_")


@pytest.mark.parametrize("remainder", ["drop", "passthrough", MinMaxScaler()], ids=["drop", "passthrough", "estimator"])
def test_remainder_variants_are_scikit_learns(backend, remainder):
    ours, theirs = both([("scale", StandardScaler(), [True, False, True, False, False]),
                         ("gone", "drop", [False, False, False, True, False])],
                        remainder=clone(remainder) if not isinstance(remainder, str) else remainder)
    assert_same_fit(ours, theirs, ours.fit_transform(NUM), theirs.fit_transform(NUM))
    name, fitted, columns = ours.transformers_[-1]
    assert (name, columns) == ("remainder", [False, True, False, False, True])  # the parts' kind: a mask
    assert (fitted == remainder) if isinstance(remainder, str) else (fitted is not ours.remainder)  # a fitted clone


def test_sparse_threshold_chooses_as_scikit_learn(backend, xp, device):
    """One-hot blocks (sparse) beside a dense one: sparse below the threshold, as scipy's CSR for numpy input
    and as the backend's own sparse matrix under output="backend"; dense above it; weights applied to both."""
    for threshold in (0.0, 0.3, 0.9):  # the blocks store 36 of 96 entries: a density of 0.375
        ours, theirs = both([("onehot", OneHotEncoder(), [0, 1]), ("scale", StandardScaler(), [2])],
                            sparse_threshold=threshold, transformer_weights={"scale": 2.0, "onehot": 0.5})
        out, expected = ours.fit_transform(CODES), theirs.fit_transform(CODES)
        assert_same_fit(ours, theirs, out, expected)
        assert ours.sparse_output_ == (threshold > 0.375)
        assert type(out).__module__.startswith("scipy.sparse") == ours.sparse_output_
        with xpml.config_context(output="backend"):
            native = ours.transform(xp.asarray(CODES, device=device))
        assert_allclose(dense(native) if not ours.sparse_output_ else _sparse_to_dense(native),
                        dense(expected), rtol=1e-12, atol=1e-12)
    all_sparse, theirs = both([("onehot", OneHotEncoder(), [0, 1])], sparse_threshold=0.0)  # no dense block: dense
    assert_same_fit(all_sparse, theirs, all_sparse.fit_transform(CODES), theirs.fit_transform(CODES))


def _sparse_to_dense(native):
    from xpml.utils._sparse_input import host_sparse

    return host_sparse(native).toarray()


# ---- DataFrames ------------------------------------------------------------------------------------

def test_a_frame_of_strings_in_a_pipeline_predicts_as_scikit_learn(backend):
    frame = titanic()
    parts = [("num", StandardScaler(), ["age", "fare"]), ("cat", OneHotEncoder(), ["sex", "embarked"])]
    ours, theirs = both(parts)
    assert_same_fit(ours, theirs, ours.fit_transform(frame), theirs.fit_transform(frame))
    assert ours.feature_names_in_.tolist() == theirs.feature_names_in_.tolist()
    pipe = make_pipeline(ColumnTransformer(parts), LogisticRegression()).fit(frame, SURVIVED)
    ref = sklearn.pipeline.make_pipeline(theirs, sklearn.linear_model.LogisticRegression()).fit(frame, SURVIVED)
    np.testing.assert_array_equal(pipe.predict(frame), ref.predict(frame))
    assert_allclose(pipe.predict_proba(frame), ref.predict_proba(frame), rtol=0, atol=1e-6)


def test_frames_are_read_by_name_at_transform():
    frame = titanic()
    ours, theirs = both([("num", StandardScaler(), ["fare"]), ("cat", OneHotEncoder(sparse_output=False), ["sex"])],
                        remainder="passthrough")
    expected = theirs.fit_transform(frame)
    ours.fit(frame)
    shuffled = frame[["embarked", "sex", "fare", "age"]].assign(extra=1.0)  # reordered, one more column
    np.testing.assert_array_equal(ours.transform(shuffled), ours.transform(frame))
    assert ours.transform(frame).dtype == object and (ours.transform(frame) == expected).all()  # strings passed through
    with pytest.raises(ValueError, match=r"X is missing the columns \['sex'\]: columns are missing that "
                                         r"ColumnTransformer was fitted on"):
        ours.transform(frame.drop(columns="sex"))


def test_column_selectors_pick_scikit_learns_columns():
    frame = titanic()
    for selector in (dict(dtype_include=np.number), dict(dtype_exclude=np.number), dict(pattern="^(?:age|sex)$"),
                     dict(pattern="a", dtype_exclude=np.number), dict(dtype_include=[np.floating, "category"])):
        assert make_column_selector(**selector)(frame) == skc.make_column_selector(**selector)(frame), selector
    parts = [("num", StandardScaler(), make_column_selector(dtype_include=np.number)),
             ("cat", OneHotEncoder(), make_column_selector(dtype_exclude=np.number))]
    ours = ColumnTransformer(parts)
    theirs = skc.ColumnTransformer([("num", skp.StandardScaler(), skc.make_column_selector(dtype_include=np.number)),
                                    ("cat", skp.OneHotEncoder(), skc.make_column_selector(dtype_exclude=np.number))])
    assert_same_fit(ours, theirs, ours.fit_transform(frame), theirs.fit_transform(frame))
    by_hand, theirs = both([("pick", StandardScaler(), lambda X: [0, 3])])  # a callable on an array
    assert_same_fit(by_hand, theirs, by_hand.fit_transform(NUM), theirs.fit_transform(NUM))


def test_polars_frames_in_and_out():
    pl = pytest.importorskip("polars")
    frame = titanic("polars")
    parts = [("num", StandardScaler(), make_column_selector(dtype_include=np.number)),
             ("cat", OneHotEncoder(sparse_output=False), make_column_selector(dtype_include=str))]
    assert [make_column_selector(**s)(frame) for s in (dict(dtype_include=np.number), dict(dtype_include=str))] == \
        [["age", "fare"], ["sex", "embarked"]]
    theirs = skc.ColumnTransformer([("num", skp.StandardScaler(), ["age", "fare"]),
                                    ("cat", skp.OneHotEncoder(sparse_output=False), ["sex", "embarked"])])
    ours = ColumnTransformer(parts)
    expected = theirs.fit_transform(titanic())
    assert_allclose(ours.fit_transform(frame), expected, rtol=1e-12)
    out = ours.set_output(transform="polars").transform(frame.select(["sex", "embarked", "fare", "age"]))
    assert isinstance(out, pl.DataFrame) and out.columns == theirs.get_feature_names_out().tolist()
    assert_allclose(out.to_numpy(), expected, rtol=1e-12)


def test_set_output_pandas_gives_scikit_learns_frame():
    pd = pytest.importorskip("pandas")
    frame = titanic().set_index(np.arange(100, 116))
    ours, theirs = both([("num", StandardScaler(), ["age"]), ("cat", OneHotEncoder(sparse_output=False), ["sex"])],
                        remainder="passthrough")
    out = ours.set_output(transform="pandas").fit_transform(frame)
    expected = theirs.set_output(transform="pandas").fit_transform(frame)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == list(expected.columns)
    assert list(out.index) == list(frame.index) and out["remainder__embarked"].tolist() == TITANIC["embarked"]
    assert_allclose(out[["num__age", "remainder__fare"]].to_numpy(), expected[["num__age", "remainder__fare"]]
                    .to_numpy(dtype=float), rtol=1e-12)
    assert ours.named_transformers_["num"].get_params()["backend"] is None  # the parts' output was set too
    assert ours.named_transformers_["num"]._sklearn_output_config == {"transform": "pandas"}


def test_one_column_as_a_scalar_goes_to_a_text_vectorizer_as_1d():
    pytest.importorskip("pandas")
    from sklearn.feature_extraction.text import CountVectorizer as SkCountVectorizer

    from xpml.feature_extraction.text import CountVectorizer

    frame = titanic().assign(note=["a cat", "a dog", "cat dog", "dog", "cat", "a", "cat cat", "dog a", "a b",
                                   "b", "b cat", "dog b", "a a", "cat b", "b b", "dog dog"])
    ours = ColumnTransformer([("text", CountVectorizer(), "note"), ("num", "passthrough", ["age"])])
    theirs = skc.ColumnTransformer([("text", SkCountVectorizer(), "note"), ("num", "passthrough", ["age"])])
    assert_same_fit(ours, theirs, ours.fit_transform(frame), theirs.fit_transform(frame))


def test_lists_mixing_strings_and_numbers_keep_each_columns_type():
    rows = [["m", 22.0, 1], ["f", 38.0, 2], ["f", 26.0, 3], ["m", 35.0, 4]]
    ours, theirs = both([("cat", OneHotEncoder(sparse_output=False), [0]), ("num", StandardScaler(), [1, 2])])
    assert_same_fit(ours, theirs, ours.fit_transform(rows), theirs.fit_transform(rows))


# ---- names, parameters, saving ---------------------------------------------------------------------

def test_output_names_as_scikit_learn():
    parts = [("a", StandardScaler(), [0, 1]), ("b", MinMaxScaler(), [2]), ("c", StandardScaler(), [])]
    for verbose in (True, False, "{feature_name}:{transformer_name}", lambda t, f: f"{f}@{t}"):
        ours, theirs = both(parts, remainder="passthrough", verbose_feature_names_out=verbose)
        assert_same_fit(ours, theirs, ours.fit_transform(NUM), theirs.fit_transform(NUM))
    assert ours.get_feature_names_out(["p", "q", "r", "s", "t"]).tolist() == ["p@a", "q@a", "r@b", "s@remainder",
                                                                             "t@remainder"]
    assert ours.named_transformers_["c"] is parts[2][1] and not hasattr(parts[2][1], "mean_")  # no column: unfitted
    clash = ColumnTransformer([("a", "passthrough", [0]), ("b", "passthrough", [0])], verbose_feature_names_out=False)
    with pytest.raises(ValueError, match=r"Output feature names: \['x0'\] are not unique. Please set "
                                         r"verbose_feature_names_out=True"):
        clash.fit(NUM).get_feature_names_out()


def test_params_nested_as_in_scikit_learn():
    ours, theirs = both([("num", StandardScaler(), [0]), ("other", "drop", [1])], remainder=MinMaxScaler())
    own = {"backend"} | {f"{part}__{name}" for part in ("num", "remainder") for name in ("backend", "dtype")}
    assert set(ours.get_params()) == set(theirs.get_params()) | own
    ours.set_params(num__with_mean=False, remainder__feature_range=(0, 2), other=StandardScaler())
    theirs.set_params(num__with_mean=False, remainder__feature_range=(0, 2), other=skp.StandardScaler())
    assert [c for _, _, c in ours.transformers] == [[0], [1]]  # a transformer replaced by name keeps its columns
    assert_same_fit(ours, theirs, ours.fit_transform(NUM), theirs.fit_transform(NUM))
    assert ours["other"] is ours.named_transformers_.other
    copy = clone(ours)
    assert copy.get_params()["num__with_mean"] is False and not hasattr(copy, "transformers_")
    names = [name for name, _, _ in make_column_transformer((StandardScaler(), [0]), ("drop", [1]),
                                                            (StandardScaler(), [2]), ("passthrough", [3])).transformers]
    assert names == [name for name, _, _ in skc.make_column_transformer(
        (skp.StandardScaler(), [0]), ("drop", [1]), (skp.StandardScaler(), [2]), ("passthrough", [3])).transformers]


def test_scikit_learn_transformers_as_parts(backend, xp, device):
    ours = ColumnTransformer([("scale", skp.StandardScaler(), [0, 1]), ("onehot", skp.OneHotEncoder(), [3])],
                             remainder="passthrough", sparse_threshold=0)
    theirs = skc.ColumnTransformer([("scale", skp.StandardScaler(), [0, 1]), ("onehot", skp.OneHotEncoder(), [3])],
                                   remainder="passthrough", sparse_threshold=0)
    data = np.c_[NUM[:, :3], CODES[:, :1]]  # (12, 4)
    out = ours.fit_transform(xp.asarray(data, device=device))
    assert_on_backend(out, backend)
    assert_same_fit(ours, theirs, out, theirs.fit_transform(data))


def test_save_and_load_keep_slices_selectors_and_frames(tmp_path):
    from xpml.io import load, save

    frame = titanic()
    ours = ColumnTransformer([("num", StandardScaler(), make_column_selector(dtype_include=np.number)),
                              ("cat", OneHotEncoder(sparse_output=False), slice("sex", "embarked"))]).fit(frame)
    save(ours, tmp_path / "ct.xpml")
    loaded = load(tmp_path / "ct.xpml", backend="numpy")
    np.testing.assert_array_equal(loaded.transform(frame), ours.transform(frame))
    assert loaded.output_indices_ == ours.output_indices_ and loaded.transformers[1][2] == slice("sex", "embarked")
    assert loaded.transformers[0][2].dtype_include is np.number


# ---- errors -------------------------------------------------------------------------------------------

def test_bad_columns_and_parts_are_refused_by_name():
    frame = titanic()
    cases = [
        (NUM, [("a", StandardScaler(), [5])], ValueError,
         r"transformer 'a' include the position\(s\) \[5\], out of range for X of 5 columns \(n_features=5\): "
         r"they should be in \[-5, 4\]"),
        (frame, [("a", StandardScaler(), ["age", "nosuch"])], ValueError,
         r"The columns of transformer 'a' include \['nosuch'\], which are not columns of X"),
        (NUM, [("a", StandardScaler(), ["age"])], ValueError, r"specifying the columns using strings is only "
                                                              r"supported for dataframes"),
        (NUM, [("a", StandardScaler(), [True, False])], ValueError, r"boolean mask of 2 entries; it should have one "
                                                                    r"per column of X, n_features=5"),
        (NUM, [("a", StandardScaler(), 1.5)], TypeError, r"The columns of transformer 'a' should be an int, a str, a "
                                                         r"slice.*; got 1.5 \(float\)"),
        (NUM, [("a", StandardScaler(), [0]), ("a", StandardScaler(), [1])], ValueError,
         r"Names in transformers should be unique; got \['a', 'a'\]"),
        (NUM, [("a__b", StandardScaler(), [0])], ValueError, r"Name 'a__b' in transformers should not contain '__'"),
        (NUM, [("a", LogisticRegression(), [0])], TypeError, r"Transformer 'a' should implement fit and transform, or "
                                                             r"be 'drop' or 'passthrough'; got LogisticRegression\(\)"),
        (NUM, [("a", StandardScaler(), [0], "extra")], TypeError, r"Each of transformers should be a \(name, "
                                                                  r"transformer, columns\) tuple"),
        (NUM, [("a", "passthrough", make_column_selector())], ValueError,
         r"make_column_selector can only be applied to pandas or polars DataFrames; got X of type ndarray"),
    ]
    for X, parts, error, message in cases:
        with pytest.raises(error, match=message):
            ColumnTransformer(parts).fit(X)
    for remainder, error in (("keep", ValueError), (StandardScaler, TypeError), (3, TypeError)):
        with pytest.raises(error, match=r"remainder.*should be 'drop', 'passthrough' or an estimator with fit and "
                                        r"transform"):
            ColumnTransformer([("a", StandardScaler(), [0])], remainder=remainder).fit(NUM)
    fitted = ColumnTransformer([("a", StandardScaler(), [0])]).fit(NUM)
    with pytest.raises(ValueError, match=r"X has 4 features, but ColumnTransformer is expecting 5 features as input"):
        fitted.transform(NUM[:, :4])
    with pytest.raises(ValueError, match=r"ColumnTransformer.fit got parameters \['sample_weight'\]"):
        ColumnTransformer([("a", StandardScaler(), [0])]).fit(NUM, sample_weight=np.ones(12))
    with pytest.raises(ValueError, match=r"X should be a 2-D array of shape \(n_samples, n_features\); got a 1-D"):
        fitted.transform(NUM[0])
    with pytest.raises(ValueError, match=r"transformer_weights has weights for \['b'\], which are not among"):
        ColumnTransformer([("a", StandardScaler(), [0])], transformer_weights={"b": 2.0}).fit(NUM)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ColumnTransformer([("a", StandardScaler(), [0])]).fit(NUM).transform(NUM)  # no warning on the way


def test_impute_is_where_scikit_learn_users_look():
    import xpml.impute
    import xpml.preprocessing

    assert xpml.impute.SimpleImputer is xpml.preprocessing.SimpleImputer
