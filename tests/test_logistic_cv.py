"""LogisticRegressionCV against scikit-learn's, on every backend.

Both fit each fold's path with warm starts and the same stopping rules as LogisticRegression (see
test_logistic.py): at tol=1e-10 one of the two often stops on the relative decrease of the loss (64·eps)
an iteration or two before the other (15 against 13 iterations on a fold here), which leaves the coefficients
exact to about 1e-8 (C <= 0.1) and 1e-7 (C = 1) on these standardized data. The held-out scores, the choice
of C and the refit follow.
scikit-learn 1.9's transition warnings (l1_ratios, scoring, use_legacy_attributes) are its own.
"""

import functools

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegressionCV as SkLogisticRegressionCV

from tests.helpers import assert_allclose, assert_on_backend
from xpml.datasets import load_breast_cancer, load_wine
from xpml.linear_model import LogisticRegressionCV

pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning")


def _standardized(loader, step):
    X, y = loader(return_X_y=True)
    X, y = X[::step], y[::step]
    return (X - X.mean(axis=0)) / X.std(axis=0), y


X_CANCER, Y_CANCER = _standardized(load_breast_cancer, 3)  # 190 x 30, 2 classes
X_WINE, Y_WINE = _standardized(load_wine, 2)  # 89 x 13, 3 classes
TIGHT = dict(tol=1e-10, max_iter=1000)
CS = [0.01, 0.1, 1.0]


def _np(x):
    import xpml

    return xpml.to_numpy(x)


def test_binary_path_scores_and_refit_match_sklearn(backend):
    ours = LogisticRegressionCV(Cs=CS, cv=3, **TIGHT).fit(X_CANCER, Y_CANCER)
    ref = SkLogisticRegressionCV(Cs=CS, cv=3, **TIGHT).fit(X_CANCER, Y_CANCER)
    assert list(ours.coefs_paths_) == [1] and list(ours.scores_) == [1]  # keyed by the positive class
    assert_on_backend(ours.coef_, backend)
    assert_on_backend(ours.coefs_paths_[1], backend)
    assert ours.coefs_paths_[1].shape == (3, 3, 31) and ours.n_iter_.shape == (1, 3, 3)
    assert_allclose(_np(ours.coefs_paths_[1])[:, :2], ref.coefs_paths_[1][:, :2], rtol=0, atol=1e-7)
    assert_allclose(ours.coefs_paths_[1], ref.coefs_paths_[1], rtol=0, atol=1e-6)
    np.testing.assert_allclose(ours.scores_[1], ref.scores_[1], rtol=1e-15)  # fractions of the same hits
    np.testing.assert_array_equal(ours.Cs_, ref.Cs_)
    np.testing.assert_array_equal(ours.C_, ref.C_)
    assert ours.l1_ratio_.tolist() == ref.l1_ratio_.tolist() == [None]
    assert ours.l1_ratios_.tolist() == ref.l1_ratios_.tolist() == [None]
    atol = 1e-7 if ref.C_[0] <= 0.1 else 1e-6
    assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=atol)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=0, atol=atol)
    assert_allclose(ours.predict_proba(X_CANCER), ref.predict_proba(X_CANCER), rtol=0, atol=atol)
    assert ours.score(X_CANCER, Y_CANCER) == ref.score(X_CANCER, Y_CANCER)


def test_multinomial_weighted_log_loss_matches_sklearn(backend):
    """Wine's three classes, sample weights and balanced class weights, neg_log_loss, the new attributes."""
    sw = np.random.default_rng(0).uniform(0.5, 2.0, len(Y_WINE))
    kw = dict(Cs=CS, cv=3, scoring="neg_log_loss", class_weight="balanced", use_legacy_attributes=False, **TIGHT)
    ours = LogisticRegressionCV(**kw).fit(X_WINE, Y_WINE, sample_weight=sw)
    ref = SkLogisticRegressionCV(**kw).fit(X_WINE, Y_WINE, sample_weight=sw)
    assert ours.coefs_paths_.shape == ref.coefs_paths_.shape == (3, 1, 3, 3, 14)
    assert ours.scores_.shape == ref.scores_.shape == (3, 1, 3)
    assert_allclose(ours.coefs_paths_, ref.coefs_paths_, rtol=0, atol=1e-6)
    assert_allclose(ours.scores_, ref.scores_, rtol=0, atol=1e-8)
    assert ours.C_ == ref.C_ and ours.l1_ratio_ == ref.l1_ratio_ == 0.0
    assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=1e-6)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=0, atol=1e-6)
    assert ours.score(X_WINE, Y_WINE, sample_weight=sw) == pytest.approx(ref.score(X_WINE, Y_WINE, sample_weight=sw),
                                                                         abs=1e-9)


@functools.cache
def _elastic_net_reference():
    """scikit-learn's saga on 8 of breast cancer's features (its 10,000 epochs a fit take a second)."""
    return SkLogisticRegressionCV(**ELASTIC, tol=1e-10).fit(X_CANCER[:, :8], Y_CANCER)


ELASTIC = dict(Cs=[0.05, 0.2], l1_ratios=np.array([0.5, 1.0]), cv=3, solver="saga", refit=False, max_iter=100000)


def test_elastic_net_l1_ratios_and_refit_false_match_sklearn(backend):
    """Two L1 shares (FISTA here, saga there: the same optimum); without refit, the folds' best averaged."""
    if backend.name == "array_api_strict":  # its 10,000 FISTA steps took 4 s there; the L1 path is LogisticRegression's
        pytest.skip("array_api_strict: the elastic-net path is LogisticRegression's FISTA, met there in test_logistic")
    ours = LogisticRegressionCV(**ELASTIC, tol=1e-10).fit(X_CANCER[:, :8], Y_CANCER)
    ref = _elastic_net_reference()
    assert ours.coefs_paths_[1].shape == (3, 2, 2, 9) and ours.n_iter_.shape == (1, 3, 2, 2)
    assert_allclose(ours.coefs_paths_[1], ref.coefs_paths_[1], rtol=0, atol=1e-7)
    np.testing.assert_allclose(ours.scores_[1], ref.scores_[1], rtol=1e-15)
    np.testing.assert_allclose(ours.C_, ref.C_, rtol=1e-15)
    np.testing.assert_allclose(ours.l1_ratio_, ref.l1_ratio_, rtol=1e-15)
    np.testing.assert_array_equal(ours.l1_ratios_, ref.l1_ratios_)
    assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=1e-7)


def test_default_grid_and_splitter(backend):
    """Cs=4 is scikit-learn's log grid from 1e-4 to 1e4; cv given as a splitter with groups routed to it."""
    from sklearn.model_selection import GroupKFold as SkGroupKFold

    from xpml.model_selection import GroupKFold

    groups = np.arange(len(Y_CANCER)) % 4
    ours = LogisticRegressionCV(Cs=4, cv=GroupKFold(2), **TIGHT).fit(X_CANCER, Y_CANCER, groups=groups)
    ref = SkLogisticRegressionCV(Cs=4, cv=list(SkGroupKFold(2).split(X_CANCER, Y_CANCER, groups)), **TIGHT)
    ref.fit(X_CANCER, Y_CANCER)
    np.testing.assert_allclose(ours.Cs_, np.logspace(-4, 4, 4), rtol=1e-15)
    assert ours.scores_[1].shape == (2, 4)
    np.testing.assert_allclose(ours.scores_[1][:, :2], ref.scores_[1][:, :2], rtol=1e-15)  # C <= 0.05: well determined


def test_bad_parameters_are_refused_by_name():
    with pytest.raises(ValueError, match=r"Cs should hold one or more numbers > 0"):
        LogisticRegressionCV(Cs=[0.0, 1.0]).fit(X_CANCER, Y_CANCER)
    with pytest.raises(ValueError, match=r"l1_ratios should be an array-like of numbers between 0 and 1"):
        LogisticRegressionCV(Cs=2, l1_ratios=[0.5, 2.0]).fit(X_CANCER, Y_CANCER)
    with pytest.raises(ValueError, match=r"dual=True needs solver='liblinear'"):
        LogisticRegressionCV(Cs=2, dual=True).fit(X_CANCER, Y_CANCER)
    with pytest.raises(ValueError, match=r"solver='liblinear' takes two classes"):
        LogisticRegressionCV(Cs=2, solver="liblinear").fit(X_WINE, Y_WINE)
    with pytest.raises(ValueError, match=r"scoring="):
        LogisticRegressionCV(Cs=2, scoring="nope").fit(X_CANCER, Y_CANCER)
    with pytest.raises(ValueError, match=r"Cs=0 should be >= 1"):
        LogisticRegressionCV(Cs=0).fit(X_CANCER, Y_CANCER)
