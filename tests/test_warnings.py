"""xpml's warnings point at the user's line, however deep in xpml they are raised (`xpml.utils._warnings.warn`)."""

import sys
import warnings

import numpy as np
import pytest

from xpml.exceptions import ConvergenceWarning
from xpml.linear_model import ElasticNet, LogisticRegression, SGDRegressor
from xpml.neural_network import MLPClassifier, MLPRegressor
from xpml.pipeline import make_pipeline
from xpml.preprocessing import StandardScaler
from xpml.svm import LinearSVC
from xpml.utils._warnings import warn

RNG = np.random.default_rng(0)
X = RNG.normal(size=(60, 3))
Y_CLASS = (X[:, 0] + 0.3 * RNG.normal(size=60) > 0).astype(int)
Y_REG = X @ np.array([1.0, -2.0, 0.5]) + 0.1 * RNG.normal(size=60)

UNCONVERGED = [
    (LogisticRegression(max_iter=1), Y_CLASS),
    (LinearSVC(max_iter=1), Y_CLASS),
    (ElasticNet(alpha=1e-4, max_iter=1), Y_REG),
    (SGDRegressor(max_iter=1, random_state=0), Y_REG),
    (MLPClassifier(hidden_layer_sizes=(4,), solver="sgd", max_iter=1, random_state=0), Y_CLASS),
    (MLPRegressor(hidden_layer_sizes=(4,), solver="lbfgs", max_iter=1, random_state=0), Y_REG),
    (make_pipeline(StandardScaler(), LogisticRegression(max_iter=1)), Y_CLASS),  # xpml frames in between
]


@pytest.mark.parametrize("model, y", UNCONVERGED, ids=lambda v: type(v).__name__ if hasattr(v, "fit") else "")
def test_a_convergence_warning_points_at_the_users_file(model, y):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, y)
    convergence = [w for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert convergence, "the fit was meant not to converge"
    assert {w.filename for w in convergence} == {__file__}


@pytest.mark.filterwarnings("ignore::xpml.exceptions.ConvergenceWarning")
def test_a_batch_size_warning_points_at_the_users_line():
    fit_line = sys._getframe().f_lineno + 2
    with pytest.warns(UserWarning, match=r"batch_size=500 is larger than n_samples=60") as caught:
        MLPRegressor(hidden_layer_sizes=(4,), batch_size=500, max_iter=2, random_state=0).fit(X, Y_REG)  # the line warned about
    line = [w for w in caught if "batch_size" in str(w.message)][0]
    assert (line.filename, line.lineno) == (__file__, fit_line)


def test_warn_called_from_outside_xpml_names_its_caller():
    with pytest.warns(RuntimeWarning, match="here") as caught:
        warn("here", RuntimeWarning)
    assert caught[0].filename == __file__


@pytest.mark.parametrize("model, y", UNCONVERGED[:3], ids=lambda v: type(v).__name__ if hasattr(v, "fit") else "")
def test_code_that_catches_scikit_learns_convergence_warning_catches_xpmls(model, y):
    import sklearn.exceptions

    with pytest.warns(sklearn.exceptions.ConvergenceWarning) as caught:
        model.fit(X, y)
    assert any(issubclass(w.category, ConvergenceWarning) for w in caught)  # xpml's own class still matches
    with warnings.catch_warnings():
        warnings.simplefilter("error", sklearn.exceptions.ConvergenceWarning)  # a filter set on scikit-learn's class
        with pytest.raises(sklearn.exceptions.ConvergenceWarning):
            model.fit(X, y)


def test_every_xpml_warning_class_with_a_scikit_learn_namesake_is_caught_as_it():
    import sklearn.exceptions

    from xpml import exceptions

    for name in ("ConvergenceWarning", "DataConversionWarning", "FitFailedWarning", "UndefinedMetricWarning"):
        with pytest.warns(getattr(sklearn.exceptions, name)):
            warn("a message", getattr(exceptions, name))
