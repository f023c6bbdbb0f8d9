"""partial_dependence on every backend against scikit-learn's (method="brute") run on the same fitted xpml model:
the same grids, averages and individual responses to 1e-12, the same errors."""

import numpy as np
import pytest
from sklearn.inspection import partial_dependence as sk_partial_dependence

from tests.helpers import assert_allclose, assert_on_backend
from tests.test_signatures import signature_differences
from xpml.inspection import partial_dependence
from xpml.linear_model import LinearRegression, LogisticRegression
from xpml.naive_bayes import GaussianNB

RNG = np.random.default_rng(3)
X = RNG.normal(size=(24, 3))
X[:, 2] = RNG.integers(0, 3, 24)  # few values: the grid is its unique values
Y_REG = X @ np.array([1.0, -2.0, 0.5]) + X[:, 0] ** 2
Y_CLASSES = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0.3)
W = RNG.random(24)
CASES = [  # (model, target, features, keywords)
    # two classes: the positive class's probability (scikit-learn's _get_response_values takes that column only from
    # a method named predict_proba: LogisticRegression's is a property returning `_predict_proba`)
    (GaussianNB, Y_CLASSES > 0, [0], {}),
    (LogisticRegression, Y_CLASSES, (0, 2), dict(grid_resolution=6, kind="both", sample_weight=W)),
    (LogisticRegression, Y_CLASSES, [1], dict(response_method="decision_function", percentiles=(0.2, 0.7),
                                              grid_resolution=5, kind="individual")),
    (LinearRegression, Y_REG, [1, 2], dict(categorical_features=[2], grid_resolution=4, kind="both")),
    (LinearRegression, np.c_[Y_REG, -Y_REG], 0, dict(custom_values={0: [-1.0, 0.0, 2.5]}, kind="both")),
]


def test_signature_is_sklearns():
    assert not signature_differences("partial_dependence", partial_dependence, sk_partial_dependence)


def test_partial_dependence_is_sklearns(backend, xp):
    Xb = xp.asarray(X, device=backend.device)
    for model, y, features, kw in CASES:
        fitted = model(backend=backend).fit(X, y)
        ours = partial_dependence(fitted, Xb, features, **{k: xp.asarray(v, device=backend.device)
                                                           if k == "sample_weight" else v for k, v in kw.items()})
        theirs = sk_partial_dependence(fitted, X, features, method="brute", **kw)
        assert sorted(ours) == sorted(theirs)
        for mine, their in zip(ours["grid_values"], theirs["grid_values"]):
            assert_on_backend(mine, backend)
            assert_allclose(mine, their, rtol=1e-13, atol=1e-13)
        for key in ("average", "individual"):
            if key in theirs:
                assert ours[key].shape == theirs[key].shape
                assert_allclose(ours[key], theirs[key], rtol=1e-12, atol=1e-12, err_msg=f"{model.__name__} {key}")


def test_bad_input_is_named():
    model = LinearRegression().fit(X, Y_REG)
    for call, match in (
        (lambda: partial_dependence(model, X, [0], method="recursion"), "method='recursion'"),
        (lambda: partial_dependence(model, X, [0], response_method="predict_proba"), "ignored for regressors"),
        (lambda: partial_dependence(model, X, [3]), r"all features must be in \[0, 2\]"),
        (lambda: partial_dependence(model, X, [0], percentiles=(0.9, 0.1)), "strictly less"),
        (lambda: partial_dependence(model, X, [0], grid_resolution=1), "strictly greater than 1"),
        (lambda: partial_dependence(model, X, [0], kind="mean"), "kind='mean'"),
        (lambda: partial_dependence(model, X.astype(int), [0]), "contains integer data"),
        (lambda: partial_dependence(model, X, [0], categorical_features=[]), "empty list"),
        (lambda: partial_dependence(model, X, ["a"]), "strings is only supported for dataframes"),
    ):
        with pytest.raises(ValueError, match=match):
            call()
    with pytest.raises(ValueError, match="not fitted"):
        partial_dependence(LinearRegression(), X, [0])


def test_dataframe_columns_by_name():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    model = LinearRegression().fit(frame, Y_REG)  # asked on DataFrames of its columns: no feature-name warning
    kw = dict(categorical_features=["c"], grid_resolution=5, kind="both")
    ours = partial_dependence(model, frame, ["a", "c"], **kw)
    theirs = sk_partial_dependence(model, frame, ["a", "c"], method="brute", **kw)
    for key in ("average", "individual"):
        assert_allclose(ours[key], theirs[key], rtol=1e-12, atol=1e-12)
