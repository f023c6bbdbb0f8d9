"""xpml.feature_selection against scikit-learn: the scores and p-values (rtol 1e-12, the survival functions
of utils/_distributions against scipy.special), the selected columns (ties and NaN scores included), the
transforms and the errors."""

import warnings

import numpy as np
import pytest
import sklearn.base
import sklearn.feature_selection as sk

from tests.helpers import assert_allclose, assert_on_backend
from xpml import feature_selection as fs
from xpml._backend import to_backend, to_numpy
from xpml.utils._distributions import chi2_sf, f_sf

_rng = np.random.default_rng(0)
X = _rng.random((24, 7))
X[:, 4] = X[:, 1]  # a tie: SelectKBest keeps the later of two equal scores
X[:, 6] = 0.5  # a constant feature: F = NaN, counted as the lowest score
Y_CLASSES = np.repeat([0, 1, 2], 8)
Y_REG = X[:, 0] * 2.0 + _rng.standard_normal(24)


def test_survival_functions_are_scipys():
    scipy = pytest.importorskip("scipy")  # a test dependency; xpml's functions need no scipy
    f = np.array([0.0, 1e-9, 0.05, 0.5, 1.0, 3.0, 12.0, 80.0, 1e3, np.inf, np.nan])
    for d1, d2 in [(1, 3), (2, 21), (5, 200)]:
        assert_allclose(f_sf(f, d1, d2), scipy.special.fdtrc(d1, d2, f), rtol=1e-12)
    x = np.array([0.0, 1e-7, 0.4, 1.0, 4.0, 11.0, 60.0, 500.0, np.inf, np.nan])
    for k in [1, 2, 3, 9, 40]:
        assert_allclose(chi2_sf(x, k), scipy.special.chdtrc(k, x), rtol=1e-12)


def test_scores_and_pvalues_are_sklearns(backend, xp):
    Xb = to_backend(X, backend)  # on the backend: the results stay there (host data gives host results)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the constant feature: both warn and give NaN
        pairs = [(fs.f_classif(Xb, Y_CLASSES), sk.f_classif(X, Y_CLASSES)),
                 (fs.chi2(Xb, Y_CLASSES), sk.chi2(X, Y_CLASSES))]
        for center in (True, False):
            pairs.append((fs.f_regression(Xb, Y_REG, center=center), sk.f_regression(X, Y_REG, center=center)))
            # r of the constant column is 0/0 up to rounding (±inf or NaN by the order of the sums): left out
            pairs.append(((fs.r_regression(Xb[:, :6], Y_REG, center=center),),
                          (sk.r_regression(X[:, :6], Y_REG, center=center),)))
    for ours, ref in pairs:
        for a, b in zip(ours, ref):
            assert_on_backend(a, backend)
            assert_allclose(a, b, rtol=1e-12, atol=0)


def test_f_classif_warns_on_a_constant_feature_and_chi2_refuses_negatives(backend):
    with pytest.warns(UserWarning, match=r"Features \[6\] are constant"):
        fs.f_classif(X, Y_CLASSES)
    with pytest.raises(ValueError, match="non-negative"):
        fs.chi2(X - 0.5, Y_CLASSES)


def test_selectors_keep_sklearns_columns(backend):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = [(fs.SelectKBest(k=k), sk.SelectKBest(k=k)) for k in (0, 1, 2, 4, "all")]
        cases += [(fs.SelectPercentile(percentile=q), sk.SelectPercentile(percentile=q)) for q in (0, 20, 50, 100)]
        cases += [(fs.SelectKBest(fs.chi2, k=3), sk.SelectKBest(sk.chi2, k=3)),
                  (fs.SelectPercentile(fs.f_regression, percentile=30), sk.SelectPercentile(sk.f_regression,
                                                                                             percentile=30))]
        for ours, ref in cases:
            y = Y_REG if ref.score_func is sk.f_regression else Y_CLASSES
            ours.fit(X, y), ref.fit(X, y)
            np.testing.assert_array_equal(ours.get_support(), ref.get_support())
            np.testing.assert_array_equal(ours.get_support(indices=True), ref.get_support(indices=True))
            assert_allclose(ours.scores_, ref.scores_, rtol=1e-12)
            assert_allclose(ours.pvalues_, ref.pvalues_, rtol=1e-12)
            assert_on_backend(ours.scores_, backend)
        model = fs.SelectKBest(k=3).fit(X, Y_CLASSES)
        ref = sk.SelectKBest(k=3).fit(X, Y_CLASSES)
    Z = model.transform(X)
    assert_allclose(Z, ref.transform(X), rtol=0)
    assert_allclose(model.inverse_transform(ref.transform(X)), ref.inverse_transform(ref.transform(X)), rtol=0)
    np.testing.assert_array_equal(model.get_feature_names_out(), ref.get_feature_names_out())


def test_variance_threshold_is_sklearns(backend):
    Xn = X.copy()
    Xn[3, 2] = np.nan  # NaN is ignored in the variances
    for threshold in (0.0, 0.08):
        ours, ref = fs.VarianceThreshold(threshold).fit(Xn), sk.VarianceThreshold(threshold).fit(Xn)
        assert_allclose(ours.variances_, ref.variances_, rtol=1e-12)
        np.testing.assert_array_equal(ours.get_support(), ref.get_support())
        assert_allclose(ours.transform(Xn), ref.transform(Xn), rtol=0)
    with pytest.raises(ValueError, match=r"No feature in X meets the variance threshold 0.00000 \(X contains only"):
        fs.VarianceThreshold().fit(X[:1])


@pytest.mark.parametrize("make, message", [(lambda: fs.SelectKBest(k=-1), "k"),
                                           (lambda: fs.SelectKBest(k="most"), "k"),
                                           (lambda: fs.SelectPercentile(percentile=101), "percentile"),
                                           (lambda: fs.VarianceThreshold(-1.0), "threshold"),
                                           (lambda: fs.SelectKBest(score_func=3), "score_func")])
def test_bad_parameters_are_refused(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make().fit(X, Y_CLASSES)


@pytest.mark.parametrize("threshold, max_features", [(None, None), ("median", None), ("1.25*mean", 2), (0.3, 3)])
def test_select_from_model_is_sklearns(backend, threshold, max_features):
    if backend.name not in ("numpy", "torch") and max_features is not None:
        pytest.skip("the mask is host code on the importances: numpy and torch run every setting")
    from sklearn.linear_model import LogisticRegression as SkLogisticRegression, Lasso as SkLasso
    from xpml.linear_model import Lasso

    lasso = SkLasso(alpha=0.01).fit(X, Y_REG)  # scikit-learn's model, prefit: the same importances in both
    ours = fs.SelectFromModel(lasso, threshold=threshold, prefit=True, max_features=max_features).fit(X, Y_REG)
    ref = sk.SelectFromModel(lasso, threshold=threshold, prefit=True, max_features=max_features).fit(X, Y_REG)
    np.testing.assert_array_equal(ours.get_support(), ref.get_support())
    assert ours.threshold_ == ref.threshold_
    assert_allclose(ours.transform(X), ref.transform(X), rtol=0)
    # an xpml model fitted inside: the mask is scikit-learn's rule on its coefficients (L1: threshold 1e-5)
    ours = fs.SelectFromModel(Lasso(alpha=0.01), threshold=threshold, max_features=max_features).fit(X, Y_REG)
    ref = sk.SelectFromModel(_Fixed(to_numpy(ours.estimator_.coef_)), threshold=threshold, prefit=True,
                             max_features=max_features).fit(X, Y_REG)
    assert_on_backend(ours.estimator_.coef_, backend)
    np.testing.assert_array_equal(ours.get_support(), ref.get_support())
    logistic = SkLogisticRegression().fit(X, Y_CLASSES)  # a 2-D coef_: the norm over the classes
    for order in (1, 2, np.inf):
        ours = fs.SelectFromModel(logistic, prefit=True, norm_order=order).fit(X, Y_CLASSES)
        ref = sk.SelectFromModel(logistic, prefit=True, norm_order=order).fit(X, Y_CLASSES)
        np.testing.assert_array_equal(ours.get_support(), ref.get_support())
        assert_allclose(ours.threshold_, ref.threshold_, rtol=1e-14)


class _Fixed(sklearn.base.BaseEstimator):
    """A fitted "Lasso" holding given coefficients, for scikit-learn's SelectFromModel with prefit=True."""

    def __init__(self, coef=None):
        self.coef = coef
        self.coef_ = coef

    def fit(self, X, y):
        return self


_Fixed.__name__ = "Lasso"  # scikit-learn's default threshold for an L1 model: 1e-5


def test_select_from_model_errors():
    from xpml.linear_model import Lasso

    with pytest.raises(ValueError, match="Expected threshold='mean' or threshold='median' got foo"):
        fs.SelectFromModel(Lasso(), threshold="foo").fit(X, Y_REG).get_support()
    with pytest.raises(ValueError, match="Unknown reference: max"):
        fs.SelectFromModel(Lasso(), threshold="2*max").fit(X, Y_REG).get_support()
    with pytest.raises(Exception, match="When `prefit=True`, `estimator` is expected to be a fitted estimator"):
        fs.SelectFromModel(Lasso(), prefit=True).fit(X, Y_REG)
