"""Pipeline and make_pipeline against scikit-learn's, on every backend."""

import numpy as np
import pytest
import sklearn.pipeline as skpipe
from sklearn.base import clone as sk_clone
from sklearn.linear_model import LinearRegression as SkLinearRegression
from sklearn.model_selection import cross_val_score as sk_cross_val_score
from sklearn.neighbors import NearestCentroid
from sklearn.preprocessing import PolynomialFeatures as SkPolynomialFeatures
from sklearn.preprocessing import StandardScaler as SkStandardScaler

import xpml
from tests._toy_estimators import NearestMean
from tests.helpers import assert_allclose, assert_on_backend
from xpml.base import clone
from xpml.datasets import load_diabetes, load_iris
from xpml.linear_model import LinearRegression
from xpml.pipeline import Pipeline, make_pipeline
from xpml.preprocessing import PolynomialFeatures, StandardScaler

X_DIAB, Y_DIAB = load_diabetes(return_X_y=True)
X_IRIS, Y_IRIS = load_iris(return_X_y=True)
IRIS_NAMES = np.array(["setosa", "versicolor", "virginica"])[Y_IRIS]

# (name, final xpml step, scikit-learn's counterpart, X, y): a scaler then this model. Add a case
# here for each model that lands (LogisticRegression against sklearn's, say).
FINAL_STEPS = [
    ("regressor", LinearRegression, SkLinearRegression, X_DIAB, Y_DIAB),
    ("classifier", NearestMean, NearestCentroid, X_IRIS, Y_IRIS),
    ("string labels", NearestMean, NearestCentroid, X_IRIS, IRIS_NAMES),
]


class Spy(StandardScaler):
    """A StandardScaler that records the library of what it is given."""

    seen = []

    def transform(self, X):
        Spy.seen.append(xpml._backend.library_of(X))
        return super().transform(X)


@pytest.mark.parametrize("case", FINAL_STEPS, ids=[c[0] for c in FINAL_STEPS])
def test_scaler_and_model_match_sklearn_with_output_following_input(backend, xp, device, case):
    _, model, sk_model, X, y = case
    ours = Pipeline([("scaler", StandardScaler()), ("model", model())]).fit(X, y)
    ref = skpipe.Pipeline([("scaler", SkStandardScaler()), ("model", sk_model())]).fit(X, y)
    Xb = xp.asarray(X, device=device)
    prediction = ours.predict(Xb)
    if y.dtype.kind in "iuf":
        assert_on_backend(prediction, backend)
    if y.dtype.kind == "f":
        assert_allclose(prediction, ref.predict(X), rtol=1e-10)
    else:
        np.testing.assert_array_equal(xpml.to_numpy(prediction), ref.predict(X))
    assert isinstance(ours.predict(X), np.ndarray)
    assert isinstance(ours.predict(X.tolist()), np.ndarray)
    assert ours.score(Xb, y) == pytest.approx(ref.score(X, y), rel=1e-10)
    assert_on_backend(ours.named_steps.scaler.mean_, backend)


def test_intermediate_data_stays_on_the_backend(backend, xp, device):
    Spy.seen = []
    pipe = make_pipeline(Spy(), LinearRegression()).fit(X_DIAB, Y_DIAB)
    pipe.predict(X_DIAB)
    # The scaler gets the user's numpy input; the model gets the scaler's output, still on the backend.
    assert Spy.seen == ["numpy", "numpy"]
    assert xpml._backend.library_of(pipe.named_steps.spy.transform(X_DIAB)) == "numpy"
    with xpml.config_context(output="backend"):
        assert_on_backend(pipe[:-1].transform(X_DIAB), backend)


def test_fit_parameters_are_routed_to_their_step():
    w = np.random.default_rng(0).uniform(0.2, 3.0, len(Y_DIAB))
    ours = make_pipeline(StandardScaler(), LinearRegression()).fit(X_DIAB, Y_DIAB, linearregression__sample_weight=w,
                                                                   standardscaler__sample_weight=w)
    ref = skpipe.make_pipeline(SkStandardScaler(), SkLinearRegression()).fit(
        X_DIAB, Y_DIAB, linearregression__sample_weight=w, standardscaler__sample_weight=w)
    assert_allclose(ours.predict(X_DIAB), ref.predict(X_DIAB), rtol=1e-10)
    assert ours.score(X_DIAB, Y_DIAB, sample_weight=w) == pytest.approx(ref.score(X_DIAB, Y_DIAB, sample_weight=w))
    with pytest.raises(ValueError, match="Fit parameter 'sample_weight' should be '<step>__<parameter>'"):
        make_pipeline(StandardScaler(), LinearRegression()).fit(X_DIAB, Y_DIAB, sample_weight=w)


def test_transformer_pipelines(backend, xp, device):
    X = X_DIAB[:40, :3]
    ours = make_pipeline(StandardScaler(), PolynomialFeatures(degree=2))
    ref = skpipe.make_pipeline(SkStandardScaler(), SkPolynomialFeatures(degree=2))
    out = ours.fit_transform(xp.asarray(X, device=device))
    assert_on_backend(out, backend)
    assert_allclose(out, ref.fit_transform(X), rtol=1e-10, atol=1e-12)
    assert_allclose(ours.transform(X), ref.transform(X), rtol=1e-10, atol=1e-12)
    scalers = make_pipeline(StandardScaler(), "passthrough", StandardScaler(with_mean=False))
    assert_allclose(scalers.inverse_transform(scalers.fit_transform(X)), X, rtol=1e-12)
    assert not hasattr(ours, "inverse_transform")  # PolynomialFeatures has none


def test_params_names_and_indexing_as_in_sklearn():
    ours = make_pipeline(StandardScaler(), StandardScaler(with_std=False), LinearRegression())
    ref = skpipe.make_pipeline(SkStandardScaler(), SkStandardScaler(with_std=False), SkLinearRegression())
    assert [name for name, _ in ours.steps] == [name for name, _ in ref.steps]  # standardscaler-1, -2, ...
    elsewhere = ("copy_X", "n_jobs", "positive", "tol", "memory", "transform_input")  # not (yet) in both
    assert sorted(k for k in ours.get_params() if not k.endswith(("backend", "dtype", *elsewhere))) == \
        sorted(k for k in ref.get_params() if not k.endswith(elsewhere))
    ours.set_params(linearregression__fit_intercept=False, **{"standardscaler-2__with_mean": False})
    assert ours.named_steps["linearregression"].fit_intercept is False
    assert ours["standardscaler-2"].with_mean is False
    assert len(ours) == 3 and isinstance(ours[:2], Pipeline) and ours[-1] is ours.named_steps.linearregression
    ours.set_params(**{"standardscaler-1": "passthrough"})
    assert ours.steps[0] == ("standardscaler-1", "passthrough")
    assert ours.fit(X_DIAB, Y_DIAB).n_features_in_ == 10
    assert not hasattr(ours, "predict_proba") and hasattr(make_pipeline(NearestMean()), "predict_proba")
    with pytest.raises(ValueError, match="Invalid parameter 'linearregression_fit_intercept' for Pipeline"):
        ours.set_params(linearregression_fit_intercept=True)


def test_clone_and_sklearn_tools_accept_the_pipeline():
    pipe = make_pipeline(StandardScaler(), LinearRegression()).fit(X_DIAB, Y_DIAB)
    for copy in (clone(pipe), sk_clone(pipe)):
        assert not copy.__sklearn_is_fitted__() and pipe.__sklearn_is_fitted__()
        assert copy.named_steps.linearregression is not pipe.named_steps.linearregression
        assert repr(copy) == repr(pipe)
    ours = sk_cross_val_score(make_pipeline(StandardScaler(), LinearRegression()), X_DIAB, Y_DIAB, cv=3)
    ref = sk_cross_val_score(skpipe.make_pipeline(SkStandardScaler(), SkLinearRegression()), X_DIAB, Y_DIAB, cv=3)
    assert_allclose(ours, ref, rtol=1e-10)
    assert xpml.base.is_classifier(make_pipeline(StandardScaler(), NearestMean()))


def test_bad_steps_get_clear_errors():
    with pytest.raises(TypeError, match=r"Step 'linearregression-1' \(LinearRegression\) is not the last step, so it "
                                        r"should have fit and transform"):
        make_pipeline(LinearRegression(), LinearRegression()).fit(X_DIAB, Y_DIAB)
    with pytest.raises(ValueError, match=r"Names in steps should be unique; got \['a', 'a'\]"):
        Pipeline([("a", StandardScaler()), ("a", LinearRegression())]).fit(X_DIAB, Y_DIAB)
    with pytest.raises(TypeError, match="steps should be a non-empty list"):
        Pipeline([]).fit(X_DIAB, Y_DIAB)
    with pytest.raises(ValueError, match="Name 'my__scaler' in steps should not contain '__'"):
        Pipeline([("my__scaler", StandardScaler()), ("m", LinearRegression())]).fit(X_DIAB, Y_DIAB)


def test_log_probabilities_scores_of_samples_and_fit_predict_go_through_the_steps(backend, xp, device):
    """predict_log_proba, score_samples and fit_predict (scikit-learn's Pipeline has all three): the final step's
    method on X transformed by the steps before, its result in the library of X."""
    from sklearn.decomposition import PCA as SkPCA
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression

    from xpml.cluster import KMeans
    from xpml.decomposition import PCA
    from xpml.linear_model import LogisticRegression

    X = xp.asarray(X_IRIS, device=device)
    classify = make_pipeline(StandardScaler(), LogisticRegression(tol=1e-10, max_iter=1000)).fit(X, Y_IRIS)
    log_proba = classify.predict_log_proba(X)
    assert_on_backend(log_proba, backend)
    assert_allclose(log_proba, classify[-1].predict_log_proba(classify[0].transform(X)), rtol=0)
    ref = skpipe.make_pipeline(SkStandardScaler(), SkLogisticRegression(tol=1e-10, max_iter=1000)).fit(X_IRIS, Y_IRIS)
    assert_allclose(log_proba, ref.predict_log_proba(X_IRIS), rtol=1e-6, atol=1e-6)
    assert not hasattr(classify, "fit_predict") and not hasattr(classify, "score_samples")

    density = make_pipeline(StandardScaler(), PCA(2)).fit(X)
    ref = skpipe.make_pipeline(SkStandardScaler(), SkPCA(2)).fit(X_IRIS)
    assert_allclose(density.score_samples(X), ref.score_samples(X_IRIS), rtol=1e-10)

    labels = make_pipeline(StandardScaler(), KMeans(3, n_init=2, random_state=0)).fit_predict(X)
    assert_on_backend(labels, backend)
    alone = KMeans(3, n_init=2, random_state=0).fit_predict(StandardScaler().fit_transform(X))
    np.testing.assert_array_equal(xpml.to_numpy(labels), xpml.to_numpy(alone))
