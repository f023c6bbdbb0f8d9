"""Model files: round trips across backends, and refusal of every kind of bad file."""

import io
import json
import zipfile

import numpy as np
import pytest

import xpml
from tests.helpers import assert_allclose, assert_on_backend, requires
from xpml.datasets import load_diabetes
from xpml.io import load, save
from xpml.linear_model import LinearRegression

X, Y = load_diabetes(return_X_y=True)


@requires("torch")
def test_round_trip_onto_every_backend(tmp_path, backend):
    trained = LinearRegression(backend="torch").fit(X, Y)
    save(trained, tmp_path / "model.xpml")
    loaded = load(tmp_path / "model.xpml", backend=backend)
    assert loaded.get_params()["backend"] is backend
    assert_on_backend(loaded.coef_, backend)
    assert loaded.n_features_in_ == 10 and loaded.rank_ == 10
    np.testing.assert_array_equal(xpml.to_numpy(loaded.coef_), xpml.to_numpy(trained.coef_))
    assert_allclose(loaded.predict(X), trained.predict(X), rtol=1e-12)


@requires("jax")
def test_loading_without_a_backend_uses_the_saved_parameter(tmp_path):
    save(LinearRegression().fit(X, Y), tmp_path / "m.xpml")
    with xpml.use_backend("jax"):
        assert load(tmp_path / "m.xpml")._backend.name == "jax"  # backend=None at fit: the one in force
    save(LinearRegression(backend="array_api_strict").fit(X, Y), tmp_path / "s.xpml")
    assert load(tmp_path / "s.xpml")._backend.name == "array_api_strict"


def test_unfitted_estimators_round_trip(tmp_path):
    save(LinearRegression(fit_intercept=False), tmp_path / "u.xpml")
    loaded = load(tmp_path / "u.xpml")
    assert repr(loaded) == "LinearRegression(fit_intercept=False)"
    with pytest.raises(xpml.exceptions.NotFittedError):
        loaded.predict(X)


def test_the_file_is_a_zip_of_npy_arrays_and_json(tmp_path):
    save(LinearRegression().fit(X, Y), tmp_path / "m.xpml")
    with zipfile.ZipFile(tmp_path / "m.xpml") as archive:
        names = archive.namelist()
        meta = json.loads(archive.read("model.json"))
    assert names[0] == "model.json" and all(n.endswith(".npy") for n in names[1:])
    assert meta["format"] == "xpml-model" and meta["format_version"] == 1
    assert meta["xpml_version"] == xpml.__version__
    assert meta["estimator"]["class"] == "xpml.linear_model._base.LinearRegression"
    assert {"dtype": "<f8", "shape": [10], "where": "backend"} in meta["arrays"]
    assert not any(b"pickle" in name.encode() for name in names)


def _rewrite(src, dst, edit_meta=None, edit_array=None):
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w") as b:
        for name in a.namelist():
            data = a.read(name)
            if name == "model.json" and edit_meta:
                meta = json.loads(data)
                edit_meta(meta)
                data = json.dumps(meta).encode()
            if name == "arrays/0.npy" and edit_array is not None:
                buffer = io.BytesIO()
                np.save(buffer, edit_array, allow_pickle=False)
                data = buffer.getvalue()
            b.writestr(name, data)


def test_bad_files_are_refused_with_clear_errors(tmp_path):
    good = tmp_path / "good.xpml"
    save(LinearRegression().fit(X, Y), good)
    raw = good.read_bytes()

    (tmp_path / "truncated.xpml").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(ValueError, match=r"not a readable xpml model file \(corrupt or truncated zip archive"):
        load(tmp_path / "truncated.xpml")
    (tmp_path / "text.xpml").write_text("hello")
    with pytest.raises(ValueError, match=r"corrupt or truncated"):
        load(tmp_path / "text.xpml")

    def future(meta):
        meta["format_version"] = 99

    _rewrite(good, tmp_path / "v99.xpml", future)
    with pytest.raises(ValueError, match=r"has model format version 99; this xpml reads version 1"):
        load(tmp_path / "v99.xpml")

    def foreign(meta):
        meta["estimator"]["class"] = "os.system"

    _rewrite(good, tmp_path / "os.xpml", foreign)
    with pytest.raises(ValueError, match=r"unknown class 'os.system'; it can only hold xpml estimators"):
        load(tmp_path / "os.xpml")

    def not_estimator(meta):
        meta["estimator"]["class"] = "xpml.io.save"

    _rewrite(good, tmp_path / "fn.xpml", not_estimator)
    with pytest.raises(ValueError, match=r"unknown class 'xpml.io.save'"):
        load(tmp_path / "fn.xpml")

    _rewrite(good, tmp_path / "shape.xpml", edit_array=np.zeros(3))
    with pytest.raises(ValueError, match=r"array 0 of the model file has dtype <f8 and shape \[3\], but its metadata says"):
        load(tmp_path / "shape.xpml")

    with zipfile.ZipFile(tmp_path / "nometa.xpml", "w") as z:
        z.writestr("other.txt", "x")
    with pytest.raises(ValueError, match=r"not an xpml model file: it has no model.json"):
        load(tmp_path / "nometa.xpml")


def test_pickled_arrays_are_never_loaded(tmp_path):
    good = tmp_path / "good.xpml"
    save(LinearRegression().fit(X, Y), good)
    with zipfile.ZipFile(good) as a, zipfile.ZipFile(tmp_path / "evil.xpml", "w") as b:
        for name in a.namelist():
            data = a.read(name)
            if name == "arrays/0.npy":
                buffer = io.BytesIO()
                np.save(buffer, np.array([object()], dtype=object), allow_pickle=True)
                data = buffer.getvalue()
            b.writestr(name, data)
    with pytest.raises(ValueError, match=r"array 0 of the model file cannot be read: .*allow_pickle=False"):
        load(tmp_path / "evil.xpml")


def test_save_refuses_what_it_cannot_hold(tmp_path):
    from sklearn.linear_model import LinearRegression as SkLinearRegression

    with pytest.raises(TypeError, match=r"estimator should be an xpml estimator; got LinearRegression"):
        save(SkLinearRegression(), tmp_path / "x.xpml")
    model = LinearRegression().fit(X, Y)
    model.extra_ = object()
    with pytest.raises(TypeError, match=r"LinearRegression\['extra_'\] is a object, which an xpml model file cannot hold"):
        save(model, tmp_path / "y.xpml")


def test_a_voting_classifier_with_a_dropped_member_round_trips(tmp_path, backend):
    """Fitted on numpy, saved, loaded onto the backend under test: the same probabilities, with members of three
    kinds and one dropped. (Every estimator's round trip onto every backend is test_common's
    test_round_trip_from_numpy_onto_every_backend.)"""
    from xpml.datasets import load_iris
    from xpml.ensemble import VotingClassifier
    from xpml.linear_model import LogisticRegression
    from xpml.naive_bayes import GaussianNB
    from xpml.tree import DecisionTreeClassifier

    X, y = load_iris(return_X_y=True)
    members = [("lr", LogisticRegression()), ("nb", GaussianNB()), ("skip", "drop"),
               ("tree", DecisionTreeClassifier(max_depth=3, random_state=0))]
    model = VotingClassifier(members, voting="soft", backend="numpy").fit(X, y)
    save(model, tmp_path / "m.xpml")
    loaded = load(tmp_path / "m.xpml", backend=backend)
    assert loaded.named_estimators_["skip"] == "drop"
    assert_allclose(loaded.predict_proba(X), model.predict_proba(X), rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(xpml.to_numpy(loaded.predict(X)), xpml.to_numpy(model.predict(X)))


@requires("torch")
def test_helper_objects_generators_and_object_arrays_round_trip_and_refuse_foreign_classes(tmp_path):
    """What fitted estimators hold besides arrays: an SGD solver's state (an xpml object), a mini-batch
    k-means' random generator, a search's cv_results_ (arrays of Python objects). A file that names a
    class outside xpml, or a bit generator numpy does not list, is refused."""
    from xpml.cluster import MiniBatchKMeans
    from xpml.linear_model import SGDRegressor
    from xpml.model_selection import GridSearchCV

    sgd = SGDRegressor(random_state=0).fit(X, Y / 100)
    save(sgd, tmp_path / "sgd.xpml")
    loaded = load(tmp_path / "sgd.xpml", backend="torch")
    assert type(loaded._state).__name__ == "SGDState"
    assert_on_backend(loaded._state.W, xpml.make_backend("torch"))
    assert_allclose(loaded.predict(X), sgd.predict(X), rtol=1e-12)

    kmeans = MiniBatchKMeans(n_clusters=3, n_init=1, random_state=0).fit(X)
    save(kmeans, tmp_path / "k.xpml")
    rng = load(tmp_path / "k.xpml")._rng
    assert rng.bit_generator.state == kmeans._rng.bit_generator.state  # the stream goes on where it was
    assert rng.integers(0, 2**62) == kmeans._rng.integers(0, 2**62)

    search = GridSearchCV(LinearRegression(), {"fit_intercept": [True, False]}, cv=3).fit(X, Y)
    save(search, tmp_path / "s.xpml")
    results = load(tmp_path / "s.xpml").cv_results_
    assert results["param_fit_intercept"].dtype == object and results["param_fit_intercept"].tolist() == [True, False]
    assert results["params"] == search.cv_results_["params"]

    def foreign_object(meta):
        meta["estimator"]["state"]["__dict__"]["_state"]["__object__"]["class"] = "subprocess.Popen"

    _rewrite(tmp_path / "sgd.xpml", tmp_path / "popen.xpml", foreign_object)
    with pytest.raises(ValueError, match=r"unknown class 'subprocess.Popen'; it can only hold xpml estimators and "
                                         r"xpml's own objects"):
        load(tmp_path / "popen.xpml")

    def foreign_generator(meta):
        meta["estimator"]["state"]["__dict__"]["_rng"]["__generator__"]["bit_generator"] = "RandomState"

    _rewrite(tmp_path / "k.xpml", tmp_path / "rs.xpml", foreign_generator)
    with pytest.raises(ValueError, match=r"unknown bit generator 'RandomState'"):
        load(tmp_path / "rs.xpml")


def test_an_mlp_solver_round_trips_and_partial_fit_goes_on_alike(tmp_path, backend):
    """The MLP holds its solver (an xpml helper object: Adam's moments, the counters); a loaded model's next
    partial_fit takes the same step as the original's."""
    from xpml.neural_network import MLPRegressor

    model = MLPRegressor(hidden_layer_sizes=(6,), batch_size=20, random_state=0, backend="numpy")
    for _ in range(2):
        model.partial_fit(X, Y / 100)
    save(model, tmp_path / "mlp.xpml")
    loaded = load(tmp_path / "mlp.xpml", backend=backend)
    assert type(loaded._solver).__name__ == "MLPSolver" and loaded._solver.optimizer.t == model._solver.optimizer.t
    assert_on_backend(loaded._solver.optimizer.ms[0], backend)
    model.partial_fit(X, Y / 100)
    loaded.partial_fit(X, Y / 100)
    assert loaded.t_ == model.t_ and len(loaded.loss_curve_) == 3
    assert_allclose(loaded.predict(X), model.predict(X), rtol=1e-9, atol=1e-12)


@requires("pandas")
def test_models_fitted_on_dataframes_round_trip_with_their_names_and_categories(tmp_path):
    # scikit-learn keeps feature names (and string categories) in arrays of dtype object: they load, as labels
    import pandas as pd

    from xpml.ensemble import HistGradientBoostingClassifier
    from xpml.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"num": rng.standard_normal(200), "colour": pd.Categorical(rng.choice(["red", "blue"], 200))})
    y = ((X.colour == "red") ^ (X.num > 0)).astype(int)
    for model, data in ((LogisticRegression().fit(X[["num"]], y), X[["num"]]),
                        (HistGradientBoostingClassifier(max_iter=5).fit(X, y), X)):
        save(model, tmp_path / "model.xpml")
        loaded = load(tmp_path / "model.xpml")
        assert loaded.feature_names_in_.tolist() == list(data.columns)
        assert_allclose(loaded.predict_proba(data), model.predict_proba(data), rtol=0, atol=0)


def test_a_selectors_score_function_round_trips_and_only_xpml_functions_load(tmp_path):
    """SelectKBest holds a function (its score_func): the file names it by its dotted path, and loads only one of
    xpml's public functions: a file that names another, or something that is not a function, is refused."""
    from xpml.feature_selection import SelectKBest, chi2

    selector = SelectKBest(chi2, k=2).fit(np.abs(X), (Y > np.median(Y)).astype(int))
    save(selector, tmp_path / "k.xpml")
    loaded = load(tmp_path / "k.xpml")
    assert loaded.score_func is chi2
    assert_allclose(loaded.scores_, selector.scores_, rtol=0)

    for path in ("os.system", "xpml.io._reader.importlib", "xpml.io._reader._xpml_class"):
        def forged(meta, path=path):
            meta["estimator"]["params"]["__dict__"]["score_func"]["__function__"] = path

        _rewrite(tmp_path / "k.xpml", tmp_path / "forged.xpml", forged)
        with pytest.raises(ValueError, match=r"unknown function .*it can only hold xpml's public functions"):
            load(tmp_path / "forged.xpml")
