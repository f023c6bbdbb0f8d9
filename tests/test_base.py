"""The estimator base: parameters, repr, fitted checks, mixins, and scikit-learn's tools."""

import numpy as np
import pytest
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.linear_model import LinearRegression as SkLinearRegression
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from tests.helpers import assert_allclose, assert_on_backend, requires
from xpml.base import BaseEstimator, ClassifierMixin, TransformerMixin
from xpml.datasets import load_diabetes
from xpml.linear_model import LinearRegression

X, Y = load_diabetes(return_X_y=True)


class NearestCentroid(ClassifierMixin, BaseEstimator):
    """A small classifier to exercise ClassifierMixin: predict the class of the nearest class mean."""

    def __init__(self, *, backend=None, dtype=None):
        self.backend = backend
        self.dtype = dtype

    def fit(self, X, y):
        X, y_index = self._validate_labels(X, y)
        xp = self._xp
        onehot = xp.astype(y_index[:, None] == xp.arange(len(self.classes_), device=X.device)[None, :], X.dtype)
        self.centroids_ = (onehot.T @ X) / xp.sum(onehot, axis=0)[:, None]  # (k, p)
        return self

    def predict(self, X):
        X_in = X
        X = self._validate_data(X, reset=False)
        xp = self._xp
        d = xp.sum((X[:, None, :] - self.centroids_[None, :, :]) ** 2, axis=2)  # (n, k)
        return self._labels(xp.argmin(d, axis=1), X_in)


class Scale(TransformerMixin, BaseEstimator):
    def __init__(self, *, factor=2.0, backend=None, dtype=None):
        self.factor = factor
        self.backend = backend
        self.dtype = dtype

    def fit(self, X, y=None):
        self._validate_data(X)
        return self

    def transform(self, X):
        X_in = X
        return self._output(self._validate_data(X, reset=False) * self.factor, X_in)


def test_get_params_set_params_and_repr():
    model = LinearRegression(fit_intercept=False)
    assert model.get_params() == {"backend": None, "copy_X": True, "dtype": None, "fit_intercept": False,
                                  "n_jobs": None, "positive": False, "tol": 1e-06}
    assert repr(model) == "LinearRegression(fit_intercept=False)"
    assert repr(LinearRegression()) == "LinearRegression()"
    assert model.set_params(fit_intercept=True, backend="torch") is model
    assert model.fit_intercept is True and model.backend == "torch"
    with pytest.raises(ValueError, match=r"Invalid parameter 'alpha' for estimator LinearRegression. Valid parameters are: \['backend', 'copy_X', 'dtype', 'fit_intercept', 'n_jobs', 'positive', 'tol'\]"):
        model.set_params(alpha=1.0)


def test_nested_params():
    class Wrapper(BaseEstimator):
        def __init__(self, *, inner=None, weight=1.0):
            self.inner = inner
            self.weight = weight

    w = Wrapper(inner=LinearRegression())
    params = w.get_params()
    assert params["inner__fit_intercept"] is True
    w.set_params(inner__fit_intercept=False, weight=2.0)
    assert w.inner.fit_intercept is False and w.weight == 2.0
    assert "inner__fit_intercept" not in w.get_params(deep=False)


def test_varargs_init_is_refused():
    class Bad(BaseEstimator):
        def __init__(self, *args):
            self.args = args

    with pytest.raises(TypeError, match=r"Bad.__init__ should take named parameters only"):
        Bad().get_params()


@requires("torch")
def test_sklearn_tags_and_clone():
    assert is_regressor(LinearRegression()) and not is_classifier(LinearRegression())
    assert is_classifier(NearestCentroid())
    model = LinearRegression(fit_intercept=False, backend="torch").fit(X, Y)
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    assert not copy.__sklearn_is_fitted__() and model.__sklearn_is_fitted__()


def test_sklearn_cross_val_score_and_grid_search_accept_xpml(backend):
    folds = KFold(4, shuffle=True, random_state=0)
    ours = cross_val_score(LinearRegression(), X, Y, cv=folds)
    ref = cross_val_score(SkLinearRegression(), X, Y, cv=folds)
    assert_allclose(ours, ref, rtol=1e-10)
    search = GridSearchCV(LinearRegression(), {"fit_intercept": [False, True]}, cv=folds).fit(X, Y)
    ref_search = GridSearchCV(SkLinearRegression(), {"fit_intercept": [False, True]}, cv=folds).fit(X, Y)
    assert search.best_params_ == ref_search.best_params_ == {"fit_intercept": True}
    assert search.best_score_ == pytest.approx(ref_search.best_score_, rel=1e-10)


def test_sklearn_pipeline_accepts_xpml(backend):
    pipe = Pipeline([("scale", StandardScaler()), ("ols", LinearRegression())]).fit(X, Y)
    ref = Pipeline([("scale", StandardScaler()), ("ols", SkLinearRegression())]).fit(X, Y)
    assert_allclose(pipe.predict(X), ref.predict(X), rtol=1e-10)
    pipe = Pipeline([("scale", Scale(factor=3.0)), ("ols", LinearRegression())]).fit(X, Y)
    assert_allclose(pipe.named_steps["ols"].coef_, SkLinearRegression().fit(3 * X, Y).coef_, rtol=1e-10)


def test_classifier_mixin_with_string_labels(backend, xp, device):
    rng = np.random.default_rng(0)
    centers = np.array([[0.0, 0.0], [5.0, 5.0], [0.0, 5.0]])
    labels = np.array(["cat", "dog", "emu"])
    which = rng.integers(0, 3, size=90)
    Xc = centers[which] + 0.3 * rng.standard_normal((90, 2))
    yc = labels[which]
    model = NearestCentroid().fit(Xc, yc)
    assert model.classes_.tolist() == ["cat", "dog", "emu"]
    assert model.predict(Xc).tolist() == yc.tolist()
    assert model.score(Xc, yc) == 1.0
    assert model.score(Xc, np.where(np.arange(90) < 9, "cat", yc)) == pytest.approx(1 - np.mean((np.arange(90) < 9) & (yc != "cat")))
    numeric = NearestCentroid().fit(Xc, which + 10)
    out = numeric.predict(xp.asarray(Xc, device=device))
    assert_on_backend(out, backend)  # numeric labels follow the input
    assert_allclose(out, which + 10, rtol=0)


def test_transformer_mixin_fit_transform(backend, xp, device):
    out = Scale(factor=0.5).fit_transform(xp.asarray(X, device=device))
    assert_on_backend(out, backend)
    assert_allclose(out, 0.5 * X, rtol=1e-15)
