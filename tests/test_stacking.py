"""Stacking against scikit-learn's, with members whose answers equal scikit-learn's to rounding: Gaussian naive
Bayes, ridge (its classifier's decision function), k nearest neighbours (on continuous data: no ties) and logistic
regression solved to a tight tolerance. (Small trees are left out here: on tens of samples their folds hold equally
good splits, which scikit-learn breaks at random.) The stacked features (`transform`), the final estimator
fitted on the members' cross-validated answers, and its predictions agree on every backend."""

import numpy as np
import pytest
from sklearn import ensemble as sk_ensemble
from sklearn import linear_model as sk_linear
from sklearn import naive_bayes as sk_nb
from sklearn import neighbors as sk_neighbors
from sklearn.datasets import load_diabetes, load_wine

import xpml
from tests.helpers import assert_allclose, assert_on_backend
from xpml.ensemble import StackingClassifier, StackingRegressor
from xpml.exceptions import NotFittedError
from xpml.linear_model import LinearRegression, LogisticRegression, Ridge, RidgeClassifier
from xpml.naive_bayes import GaussianNB
from xpml.neighbors import KNeighborsClassifier, KNeighborsRegressor
from xpml.tree import DecisionTreeClassifier

_X, _y = load_wine(return_X_y=True)
_rows = np.concatenate([np.flatnonzero(_y == k)[:16] for k in range(3)])  # 16 of each class
X_WINE = ((_X - _X.mean(0)) / _X.std(0))[_rows]  # (48, 13), standardized
LABELS = np.array(["barolo", "grignolino", "barbera"])[_y[_rows]]
X_DIA, Y_DIA = (a[:48] for a in load_diabetes(return_X_y=True))  # (48, 10)


def _classifiers(library):
    if library == "xpml":
        return [("nb", GaussianNB()), ("skip", "drop"), ("ridge", RidgeClassifier()),
                ("knn", KNeighborsClassifier(5))]
    return [("nb", sk_nb.GaussianNB()), ("skip", "drop"), ("ridge", sk_linear.RidgeClassifier()),
            ("knn", sk_neighbors.KNeighborsClassifier(5))]


def test_classifier_equals_scikit_learn(backend, xp, device):
    """Three classes: each member's probabilities (or decision function) in full, one "drop" left out."""
    X = xp.asarray(X_WINE, device=device)
    ours = StackingClassifier(_classifiers("xpml"), LogisticRegression(tol=1e-10), backend=backend).fit(X, LABELS)
    theirs = sk_ensemble.StackingClassifier(_classifiers("sklearn"), sk_linear.LogisticRegression(tol=1e-10))
    theirs.fit(X_WINE, LABELS)
    assert ours.stack_method_ == theirs.stack_method_ == ["predict_proba", "decision_function", "predict_proba"]
    stacked = ours.transform(X)  # (n, 3 + 3 + 3)
    assert_on_backend(stacked, backend)
    assert_allclose(stacked, theirs.transform(X_WINE), rtol=1e-10, atol=1e-12)
    # the final estimator learnt from the same cross-validated answers: the same coefficients
    assert_allclose(ours.final_estimator_.coef_, theirs.final_estimator_.coef_, rtol=1e-9)
    np.testing.assert_array_equal(xpml.to_numpy(ours.predict(X)), theirs.predict(X_WINE))
    assert_allclose(ours.predict_proba(X), theirs.predict_proba(X_WINE), rtol=1e-9, atol=1e-14)
    assert_allclose(ours.decision_function(X), theirs.decision_function(X_WINE), rtol=1e-9, atol=1e-12)
    assert ours.score(X, LABELS) == theirs.score(X_WINE, LABELS)
    assert list(ours.named_estimators_) == ["nb", "skip", "ridge", "knn"] and ours.named_estimators_.skip == "drop"
    assert ours.named_estimators_.knn is ours.estimators_[2]
    assert ours.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()


def test_binary_problem_keeps_the_second_probability_and_passes_x_through(backend, xp, device):
    """Two classes: a member's probabilities are one column, P(classes_[1] | x); a 1-D decision function one
    column; passthrough puts X after them. The default final estimator (LogisticRegression)."""
    binary = np.where(LABELS == "barolo", "barolo", "other")
    X = xp.asarray(X_WINE, device=device)
    ours = StackingClassifier(_classifiers("xpml"), passthrough=True, backend=backend).fit(X, binary)
    theirs = sk_ensemble.StackingClassifier(_classifiers("sklearn"), passthrough=True).fit(X_WINE, binary)
    stacked = ours.transform(X)  # (n, 3 + 13)
    assert stacked.shape == (48, 16)
    assert_allclose(stacked, theirs.transform(X_WINE), rtol=1e-10, atol=1e-12)
    assert_allclose(stacked[:, 0], ours.estimators_[0].predict_proba(X)[:, 1], rtol=1e-14)
    assert_allclose(stacked[:, 3:], X_WINE, rtol=0)
    np.testing.assert_array_equal(xpml.to_numpy(ours.predict(X)), theirs.predict(X_WINE))
    assert_allclose(ours.predict_proba(X), theirs.predict_proba(X_WINE), rtol=1e-9, atol=1e-14)
    names = ours.get_feature_names_out().tolist()
    assert names == theirs.get_feature_names_out().tolist()
    assert names[:4] == ["stackingclassifier_nb", "stackingclassifier_ridge", "stackingclassifier_knn", "x0"]


def test_regressor_equals_scikit_learn_with_folds_given_and_sample_weight(backend, xp, device):
    """The default final estimator (RidgeCV) on the members' predictions; folds given as (train, test) pairs;
    sample_weight to every fit, the members' and the final estimator's."""
    X, y = xp.asarray(X_DIA, device=device), xp.asarray(Y_DIA, device=device)
    folds = [(np.setdiff1d(np.arange(48), test), test) for test in np.array_split(np.arange(48)[::-1], 4)]
    ours = StackingRegressor([("ridge", Ridge(0.5)), ("knn", KNeighborsRegressor(4))], cv=folds, backend=backend)
    theirs = sk_ensemble.StackingRegressor([("ridge", sk_linear.Ridge(0.5)),
                                            ("knn", sk_neighbors.KNeighborsRegressor(4))], cv=folds)
    stacked = ours.fit_transform(X, y)
    assert_on_backend(stacked, backend)
    assert_allclose(stacked, theirs.fit_transform(X_DIA, Y_DIA), rtol=1e-10)  # (n, 2): each member's predictions
    assert_allclose(ours.final_estimator_.coef_, theirs.final_estimator_.coef_, rtol=1e-9)
    assert_allclose(ours.predict(X), theirs.predict(X_DIA), rtol=1e-10)
    assert ours.score(X, y) == pytest.approx(theirs.score(X_DIA, Y_DIA), rel=1e-10)
    assert ours.get_feature_names_out().tolist() == ["stackingregressor_ridge", "stackingregressor_knn"]
    w = np.linspace(0.5, 2.0, 48)
    ours.set_params(knn=LinearRegression()).fit(X, y, sample_weight=xp.asarray(w, device=device))
    theirs.set_params(knn=sk_linear.LinearRegression()).fit(X_DIA, Y_DIA, sample_weight=w)
    assert_allclose(ours.final_estimator_.coef_, theirs.final_estimator_.coef_, rtol=1e-8)
    assert_allclose(ours.predict(X), theirs.predict(X_DIA), rtol=1e-10)


@pytest.mark.parametrize("stack_method", ["predict", "decision_function"])
def test_stack_method_and_prefit_members_as_sklearn(stack_method):
    """stack_method for every member (predict: the class indices the members learnt); cv="prefit": the members
    given, fitted, answer on the training data themselves, and are kept as they are."""
    members = [("lr", LogisticRegression(tol=1e-10)), ("ridge", RidgeClassifier())]
    sk_members = [("lr", sk_linear.LogisticRegression(tol=1e-10)), ("ridge", sk_linear.RidgeClassifier())]
    ours = StackingClassifier(members, RidgeClassifier(), stack_method=stack_method).fit(X_WINE, LABELS)
    theirs = sk_ensemble.StackingClassifier(sk_members, sk_linear.RidgeClassifier(), stack_method=stack_method)
    theirs.fit(X_WINE, LABELS)
    # logistic regression solved to tol=1e-10 in both: its decision function within 1e-10 of scikit-learn's
    assert_allclose(ours.transform(X_WINE), theirs.transform(X_WINE), rtol=1e-9, atol=1e-10)
    assert_allclose(ours.decision_function(X_WINE), theirs.decision_function(X_WINE), rtol=1e-7, atol=1e-7)
    fitted = [(name, est.fit(X_WINE[::2], LABELS[::2])) for name, est in members]
    sk_fitted = [(name, est.fit(X_WINE[::2], LABELS[::2])) for name, est in sk_members]
    ours = StackingClassifier(fitted, RidgeClassifier(), cv="prefit", stack_method="decision_function")
    theirs = sk_ensemble.StackingClassifier(sk_fitted, sk_linear.RidgeClassifier(), cv="prefit",
                                            stack_method="decision_function")
    ours.fit(X_WINE, LABELS)
    theirs.fit(X_WINE, LABELS)
    assert ours.estimators_[0] is fitted[0][1]
    assert_allclose(ours.decision_function(X_WINE), theirs.decision_function(X_WINE), rtol=1e-7, atol=1e-7)
    with pytest.raises(NotFittedError, match=r"estimator 'tree' \(DecisionTreeClassifier\) is not fitted; cv='prefit'"):
        StackingClassifier([("tree", DecisionTreeClassifier())], cv="prefit").fit(X_WINE, LABELS)


def test_bad_settings_are_refused_by_name():
    with pytest.raises(ValueError, match=r"estimator 'ridge' \(RidgeClassifier\) has no method predict_proba, which "
                                         r"stack_method='predict_proba' asks of it"):
        StackingClassifier(_classifiers("xpml"), stack_method="predict_proba").fit(X_WINE, LABELS)
    with pytest.raises(ValueError, match=r"final_estimator should be a classifier; got Ridge\(\)"):
        StackingClassifier(_classifiers("xpml"), Ridge()).fit(X_WINE, LABELS)
    with pytest.raises(ValueError, match=r"final_estimator should be a regressor; got GaussianNB\(\)"):
        StackingRegressor([("a", Ridge())], GaussianNB()).fit(X_DIA, Y_DIA)
    with pytest.raises(ValueError, match=r"cv=1 should be 'prefit', None, an int >= 2"):
        StackingRegressor([("a", Ridge())], cv=1).fit(X_DIA, Y_DIA)
    with pytest.raises(TypeError, match=r"estimator 'knn' \(KNeighborsRegressor\) does not take sample_weight"):
        StackingRegressor([("knn", KNeighborsRegressor())]).fit(X_DIA, Y_DIA, sample_weight=np.ones(48))
    with pytest.raises(ValueError, match=r"StackingRegressor.fit got parameters \['check_input'\]; passing them"):
        StackingRegressor([("a", Ridge())]).fit(X_DIA, Y_DIA, check_input=True)


def test_final_estimator_parameters_and_frames():
    """final_estimator's parameters as "final_estimator__<name>" (a grid search reaches them), the members' as
    "<name>__<parameter>"; a DataFrame's column names go through passthrough."""
    pd = pytest.importorskip("pandas")
    stack = StackingRegressor([("ridge", Ridge())], Ridge(), passthrough=True)
    assert stack.get_params()["final_estimator__alpha"] == 1.0 and stack.get_params()["ridge__alpha"] == 1.0
    stack.set_params(final_estimator__alpha=3.0, ridge__alpha=2.0)
    assert stack.final_estimator.alpha == 3.0 and stack.estimators[0][1].alpha == 2.0
    frame = pd.DataFrame(X_DIA, columns=[f"c{j}" for j in range(10)])
    out = stack.fit(frame, Y_DIA).set_output(transform="pandas").transform(frame)
    assert out.columns.tolist() == ["stackingregressor_ridge"] + [f"c{j}" for j in range(10)]
    assert stack.feature_names_in_.tolist() == [f"c{j}" for j in range(10)]
    with pytest.raises(ValueError, match=r"final_estimator=None, which has no parameters"):
        StackingRegressor([("ridge", Ridge())]).set_params(final_estimator__alpha=1.0)
