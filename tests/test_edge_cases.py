"""Numerical edge cases (issue 8) not already tested next to their estimator, on every backend.

Already tested where the estimator is: collinear features in LinearRegression (test_linear_regression),
separable data in LogisticRegression (test_logistic), duplicate points and empty clusters in KMeans
(test_cluster), a constant feature in StandardScaler and MinMaxScaler (test_preprocessing), huge logits
in softmax and the losses (test_special, test_loss, test_logistic, test_neural_network), float32 data
far from the origin in PCA's covariance (test_decomposition). Here: the same cases for the other
estimators, each against scikit-learn or a closed form.
"""

import numpy as np
import pytest
import sklearn.decomposition as skd
import sklearn.linear_model as skl
from sklearn.datasets import make_blobs
from sklearn.svm import LinearSVC as SkLinearSVC

import xpml
from tests.helpers import assert_allclose
from xpml.cluster import KMeans
from xpml.datasets import load_breast_cancer, load_diabetes, load_iris
from xpml.decomposition import PCA
from xpml.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge, SGDClassifier
from xpml.naive_bayes import GaussianNB, MultinomialNB
from xpml.neural_network import MLPClassifier
from xpml.preprocessing import MinMaxScaler, StandardScaler
from xpml.svm import LinearSVC

_X, _y = load_diabetes(return_X_y=True)
# Three diabetes features, one of them twice and a combination of two: rank 3 of 5.
X_COLLINEAR = np.column_stack([_X[:80, :3], _X[:80, 0], _X[:80, 0] - 2 * _X[:80, 1]])
Y_COLLINEAR = _y[:80] / 100
_Xc, Y_CANCER = load_breast_cancer(return_X_y=True)
_Xc = (_Xc[:, :4] - _Xc[:, :4].mean(axis=0)) / _Xc[:, :4].std(axis=0)
X_CANCER_COLLINEAR = np.column_stack([_Xc, _Xc[:, 0], _Xc[:, 1] + _Xc[:, 2]])  # rank 4 of 6


# ---- collinear features -------------------------------------------------------------------------

def test_collinear_features_with_an_l2_penalty_have_the_unique_solution(backend):
    # The L2 term makes the objective strictly convex: one solution, which splits the weight of a
    # duplicated feature equally. Ridge is solved exactly; the others stop at their tolerance.
    ridge = Ridge(alpha=0.1).fit(X_COLLINEAR, Y_COLLINEAR)
    ref = skl.Ridge(alpha=0.1).fit(X_COLLINEAR, Y_COLLINEAR)
    assert_allclose(ridge.coef_, ref.coef_, rtol=1e-10, atol=1e-12)
    assert float(ridge.coef_[0]) == pytest.approx(float(ridge.coef_[3]), rel=1e-10)

    alpha, l1_ratio, tol = 1e-3, 0.5, 1e-10
    net = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=tol, max_iter=100_000).fit(X_COLLINEAR, Y_COLLINEAR)
    ref = skl.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=tol, max_iter=100_000).fit(X_COLLINEAR, Y_COLLINEAR)
    # Each solver stops at a duality gap <= tol·||y - ȳ||²/n; the objective is μ-strongly convex with at
    # least μ = alpha·(1 - l1_ratio), so each is within sqrt(2·gap/μ) of the solution.
    yc = Y_COLLINEAR - Y_COLLINEAR.mean()
    bound = 2 * np.sqrt(2 * tol * (yc @ yc) / len(yc) / (alpha * (1 - l1_ratio)))
    assert_allclose(net.coef_, ref.coef_, rtol=0, atol=bound)

    logistic = LogisticRegression(tol=1e-10, max_iter=1000).fit(X_CANCER_COLLINEAR, Y_CANCER)
    ref = skl.LogisticRegression(tol=1e-10, max_iter=1000).fit(X_CANCER_COLLINEAR, Y_CANCER)
    assert_allclose(logistic.coef_, ref.coef_, rtol=0, atol=1e-7)
    assert float(logistic.coef_[0, 0]) == pytest.approx(float(logistic.coef_[0, 4]), abs=1e-8)

    svc = LinearSVC(tol=1e-10, max_iter=100_000).fit(X_CANCER_COLLINEAR, Y_CANCER)
    ref = SkLinearSVC(tol=1e-10, max_iter=100_000).fit(X_CANCER_COLLINEAR, Y_CANCER)
    assert_allclose(svc.decision_function(X_CANCER_COLLINEAR), ref.decision_function(X_CANCER_COLLINEAR),
                    rtol=0, atol=1e-5)


def test_collinear_features_in_the_lasso_give_the_unique_fit(backend):
    # With collinear features the lasso's coefficients need not be unique, but its fitted values and
    # the L1 norm of its coefficients are (Tibshirani, "The lasso problem and uniqueness", 2013).
    ours = Lasso(alpha=1e-3, tol=1e-10, max_iter=100_000).fit(X_COLLINEAR, Y_COLLINEAR)
    ref = skl.Lasso(alpha=1e-3, tol=1e-10, max_iter=100_000).fit(X_COLLINEAR, Y_COLLINEAR)
    assert_allclose(ours.predict(X_COLLINEAR), ref.predict(X_COLLINEAR), rtol=0, atol=1e-8)
    assert float(np.abs(xpml.to_numpy(ours.coef_)).sum()) == pytest.approx(np.abs(ref.coef_).sum(), abs=1e-8)


# ---- constant features ----------------------------------------------------------------------------

@pytest.mark.parametrize("solver", ["full", "covariance_eigh", "randomized"])
def test_pca_with_a_constant_feature(backend, solver):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4)) * [3.0, 2.0, 1.0, 1.0]
    X[:, 2] = 5.0  # constant: no variance along e₂, so the last component has variance 0
    ours = PCA(svd_solver=solver, random_state=0).fit(X)  # no warning: warnings are errors here
    ref = skd.PCA(svd_solver="full").fit(X)
    assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=1e-10, atol=1e-12)
    assert_allclose(ours.explained_variance_ratio_, ref.explained_variance_ratio_, rtol=1e-10, atol=1e-12)
    assert float(ours.explained_variance_[-1]) == pytest.approx(0.0, abs=1e-12)
    # The three components with variance are unique up to sign (svd_flip fixes it as scikit-learn does).
    assert_allclose(ours.transform(X)[:, :3], ref.transform(X)[:, :3], rtol=0, atol=1e-10)
    assert_allclose(ours.components_[:3, 2], np.zeros(3), rtol=0, atol=1e-12)  # orthogonal to the constant


# ---- float32 data with large values ----------------------------------------------------------------

def test_scalers_on_float32_data_far_from_the_origin(backend, xp, device):
    rng = np.random.default_rng(1)
    X = (1e5 + rng.normal(size=(2000, 3)) * [1.0, 2.0, 3.0]).astype(np.float32)  # spread 1e-5 of the mean
    exact = X.astype(np.float64)  # the float32 numbers themselves, in float64
    scaler = StandardScaler().fit(xp.asarray(X, device=device))
    assert scaler.scale_.dtype == xp.float32
    # E[x²] - E[x]² in float32 would lose every digit here (x² ~ 1e10, ulp ~ 1e3); the spread is kept.
    assert_allclose(scaler.scale_, exact.std(axis=0), rtol=1e-5)
    Z = scaler.transform(xp.asarray(X, device=device))
    # mean_ is a float32 near 1e5: off by up to half an ulp (0.004), which shifts z by 0.004 / σ.
    assert_allclose(Z, (exact - exact.mean(axis=0)) / exact.std(axis=0), rtol=0, atol=5e-3)

    minmax = MinMaxScaler().fit(xp.asarray(X, device=device))
    low, high = exact.min(axis=0), exact.max(axis=0)
    assert_allclose(minmax.transform(xp.asarray(X, device=device)), (exact - low) / (high - low), rtol=0, atol=1e-6)


def test_kmeans_on_float32_data_far_from_the_origin(backend):
    X, y = make_blobs(n_samples=300, centers=3, cluster_std=0.5, random_state=0)
    init = np.stack([X[y == c][0] for c in range(3)])
    near = KMeans(n_clusters=3, init=init).fit(X)
    # ‖x‖² - 2x·c + ‖c‖² cancels catastrophically at 1e4 in float32 (‖x‖² ~ 1e8, ulp ~ 8) unless the
    # data are centred first; the clusters are about 1 apart.
    far = KMeans(n_clusters=3, init=(init + 1e4).astype(np.float32)).fit((X + 1e4).astype(np.float32))
    np.testing.assert_array_equal(xpml.to_numpy(far.labels_), xpml.to_numpy(near.labels_))
    assert_allclose(far.cluster_centers_, xpml.to_numpy(near.cluster_centers_) + 1e4, rtol=0, atol=2e-3)


@pytest.mark.parametrize("Model", [LinearRegression, Ridge])
def test_linear_models_on_float32_data_far_from_the_origin(backend, Model):
    rng = np.random.default_rng(2)
    X = (1e4 + rng.normal(size=(200, 3))).astype(np.float32)
    y = ((X.astype(np.float64) - 1e4) @ [1.0, -2.0, 0.5] + 3).astype(np.float32)
    ours = Model().fit(X, y)
    ref = getattr(skl, Model.__name__)().fit(X.astype(np.float64), y.astype(np.float64))
    assert xpml.to_numpy(ours.coef_).dtype == np.float32
    # Centred in float32, the features keep about 3 of their 7 digits (1e4 beside a spread of 1).
    assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=1e-3)


# ---- huge logits -------------------------------------------------------------------------------------

@pytest.mark.parametrize("make", [
    GaussianNB, MultinomialNB, LogisticRegression,
    lambda: SGDClassifier(loss="log_loss", alpha=0.01, random_state=0),
    lambda: MLPClassifier(hidden_layer_sizes=(8,), solver="lbfgs", random_state=0),
], ids=["GaussianNB", "MultinomialNB", "LogisticRegression", "SGDClassifier", "MLPClassifier"])
def test_probabilities_of_inputs_a_million_times_too_large(backend, make):
    X, y = load_iris(return_X_y=True)
    model = make().fit(X, y)
    huge = X * 1e6  # scores of order 1e6: exp overflows, a naive log of a probability is log(0)
    P = xpml.to_numpy(model.predict_proba(huge))
    L = xpml.to_numpy(model.predict_log_proba(huge))
    assert np.all(np.isfinite(P)) and np.all(np.isfinite(L))
    assert_allclose(P.sum(axis=1), np.ones(len(X)), rtol=0, atol=1e-12)
    assert_allclose(np.exp(L), P, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(np.argmax(P, axis=1), np.searchsorted(model.classes_, model.predict(huge)))
