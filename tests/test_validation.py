"""The input-validation path and parameter checks: every error, with its message."""

import numpy as np
import pytest

import xpml
from tests.helpers import assert_allclose, assert_on_backend
from xpml.exceptions import NotFittedError
from xpml.linear_model import LinearRegression
from xpml.utils._param_validation import Interval, Options, check_param
from xpml.utils._random import check_random_state, draw
from xpml.utils.validation import check_array, check_labels, check_sample_weight, check_target

X_OK = np.arange(12.0).reshape(6, 2)
Y_OK = np.arange(6.0)


@pytest.mark.parametrize(
    ("X", "error", "message"),
    [
        (np.array([[1.0, np.nan]]), ValueError, r"X contains NaN; xpml estimators need finite values"),
        (np.array([[1.0, np.inf]]), ValueError, r"X contains infinity"),
        (np.arange(3.0), ValueError, r"X should be a 2-D array of shape \(n_samples, n_features\); got a 1-D array "
                                     r"of shape \(3,\)\. Reshape your data with X.reshape\(-1, 1\)"),
        (np.zeros((2, 2, 2)), ValueError, r"got a 3-D array of shape \(2, 2, 2\)"),
        (5.0, ValueError, r"got a scalar"),
        (np.zeros((0, 3)), ValueError, r"X has 0 sample\(s\) \(shape=\(0, 3\)\) while a minimum of 1 is required"),
        (np.zeros((3, 0)), ValueError, r"X has 0 feature\(s\) \(shape=\(3, 0\)\) while a minimum of 1 is required"),
        ([["a", "b"]], TypeError, r"X should contain numbers; got strings such as .a. \(dtype <U1\)"),
        (np.array([["a", 1]], dtype=object), TypeError, r"X should contain numbers; got an array of Python objects such as 'a' \(could not convert string to float: 'a'\)"),
        (np.array([[1 + 2j]]), ValueError, r"Complex data not supported: X should contain real numbers; got dtype complex128"),
        ([[1.0, 2.0], [3.0]], ValueError, r"X should be a rectangular array; its rows have different lengths"),
    ],
)
def test_check_array_errors(backend, X, error, message):
    with pytest.raises(error, match=message):
        check_array(X, backend)


def test_check_array_on_arrays_of_the_backend(backend, xp, device):
    X = xp.asarray([[1.0, xp.nan]], device=device)
    with pytest.raises(ValueError, match="X contains NaN"):
        check_array(X, backend)
    good = check_array(xp.asarray([[1, 2]], device=device), backend)
    assert_on_backend(good, backend)
    assert str(good.dtype).endswith("float64")


def test_check_array_allow_nan_refuses_infinity_alone(backend):
    """ensure_finite="allow-nan" (missing values as NaN): NaN passes, infinity is refused by name, dense, sparse
    (its stored values) and chunk by chunk on dask alike; and where the squares are checked, NaN is no overflow."""
    import scipy.sparse

    holes = np.array([[1.0, np.nan], [np.nan, 2.0], [3.0, 4.0]])
    kept = check_array(holes, backend, ensure_finite="allow-nan", squared="Model")
    assert_on_backend(kept, backend)
    assert_allclose(kept, holes, rtol=0)
    with pytest.raises(ValueError, match=r"^X contains infinity; NaN marks a missing value here"):
        np.asarray(check_array(np.where(np.isnan(holes), np.inf, holes), backend, ensure_finite="allow-nan"))
    with pytest.raises(ValueError, match=r"^X contains NaN; xpml estimators need finite values"):
        np.asarray(check_array(holes, backend))
    with pytest.raises(ValueError, match=r"^Xs contains infinity; NaN marks"):
        check_array(scipy.sparse.csr_matrix([[0.0, -np.inf]]), backend, name="Xs", ensure_finite="allow-nan",
                    accept_sparse=True)
    sparse = check_array(scipy.sparse.csr_matrix(np.nan_to_num(holes, nan=0.0) + np.eye(3, 2) * np.nan), backend,
                         ensure_finite="allow-nan", accept_sparse=True)
    assert sparse.nnz == 6
    with pytest.raises(ValueError, match=r"ensure_finite should be True, False or 'allow-nan'; got 'nan'"):
        check_array(holes, backend, ensure_finite="nan")


def test_check_array_converts_object_numbers_and_bools(backend):
    assert_allclose(check_array(np.array([[1, 2.5]], dtype=object), backend), [[1.0, 2.5]], rtol=0)
    assert_allclose(check_array(np.array([[True, False]]), backend), [[1.0, 0.0]], rtol=0)


def test_estimators_report_bad_X_and_y(backend):
    with pytest.raises(ValueError, match=r"X and y have different numbers of samples: X has 6, y has 5"):
        LinearRegression().fit(X_OK, Y_OK[:5])
    with pytest.raises(ValueError, match=r"y should have shape \(n_samples,\) or \(n_samples, n_targets\); got shape \(6, 1, 1\)"):
        LinearRegression().fit(X_OK, Y_OK.reshape(6, 1, 1))
    with pytest.raises(ValueError, match=r"y contains NaN"):
        LinearRegression().fit(X_OK, np.where(Y_OK > 2, np.nan, Y_OK))
    with pytest.raises(TypeError, match=r"y should contain numbers"):
        LinearRegression().fit(X_OK, ["a"] * 6)
    model = LinearRegression().fit(X_OK, Y_OK)
    with pytest.raises(ValueError, match=r"X has 3 features, but LinearRegression is expecting 2 features as input \(n_features_in_=2\)"):
        model.predict(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"X contains infinity"):
        model.predict([[1.0, np.inf]])


def test_y_none_and_column_vector_y():
    with pytest.raises(ValueError, match=r"LinearRegression requires y to be passed, but the target y is None"):
        LinearRegression().fit(X_OK, None)
    with pytest.warns(xpml.exceptions.DataConversionWarning, match=r"A column-vector y was passed when a 1d array was expected: y has shape \(3, 1\)"):
        classes, _ = check_labels(np.array([[1], [2], [1]]), n_samples=3)
    with pytest.warns(xpml.exceptions.DataConversionWarning, match=r"column-vector y"):
        y = check_target(np.ones((3, 1)), xpml.make_backend("numpy"), n_samples=3, dtype="float64", multi_output=False)
    assert y.shape == (3,)


class NotAnArray:
    """Offers its data only through __array__, as some array-likes do."""

    def __init__(self, data):
        self.data = np.asarray(data)

    def __array__(self, dtype=None, copy=None):
        return self.data


def test_array_likes_without_len_are_read():
    model = LinearRegression().fit(NotAnArray(X_OK), NotAnArray(Y_OK))
    assert_allclose(model.predict(X_OK), Y_OK, rtol=1e-10, atol=1e-10)


def test_not_fitted_error():
    with pytest.raises(NotFittedError, match=r"This LinearRegression instance is not fitted yet. Call 'fit'"):
        LinearRegression().predict(X_OK)
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)
    import sklearn.exceptions  # once scikit-learn is imported, its tools recognise the error as their own

    with pytest.raises(sklearn.exceptions.NotFittedError):
        LinearRegression().predict(X_OK)


def test_check_target_and_sample_weight(backend):
    y = check_target([1, 2, 3], backend, n_samples=3, dtype="float64")
    assert_on_backend(y, backend)
    with pytest.raises(ValueError, match=r"X and y have different numbers of samples: X has 4, y has 3"):
        check_target([1, 2, 3], backend, n_samples=4, dtype="float64")
    assert_allclose(check_sample_weight(None, backend, n_samples=3, dtype="float64"), np.ones(3), rtol=0)
    assert_allclose(check_sample_weight(2.0, backend, n_samples=2, dtype="float64"), [2.0, 2.0], rtol=0)
    with pytest.raises(ValueError, match=r"sample_weight should be >= 0; got negative weights"):
        check_sample_weight([1.0, -1.0], backend, n_samples=2, dtype="float64")
    with pytest.raises(ValueError, match=r"sample_weight should have at least one positive weight"):
        check_sample_weight([0.0, 0.0], backend, n_samples=2, dtype="float64")
    with pytest.raises(ValueError, match=r"X and sample_weight have different numbers of samples: X has 3, sample_weight has 2"):
        check_sample_weight([1.0, 1.0], backend, n_samples=3, dtype="float64")


def test_check_labels_of_any_type():
    classes, indices = check_labels(["b", "a", "b", "c"], n_samples=4)
    assert classes.tolist() == ["a", "b", "c"]
    assert indices.tolist() == [1, 0, 1, 2]
    classes, indices = check_labels(np.array([3, 1, 3]), n_samples=3)
    assert classes.tolist() == [1, 3] and indices.tolist() == [1, 0, 1]
    with pytest.raises(ValueError, match=r"y has 1 class\(es\) \(\[7\]\); a classifier needs at least 2"):
        check_labels([7, 7, 7], n_samples=3)
    with pytest.raises(ValueError, match=r"y contains NaN or infinity"):
        check_labels([1.0, np.nan], n_samples=2)
    with pytest.raises(ValueError, match=r"y should be a 1-D array of labels"):
        check_labels(np.zeros((2, 2)), n_samples=2)
    with pytest.raises(TypeError, match=r"y should hold labels of one type; got a mix of \['int', 'str'\]"):
        check_labels(np.array([1, "a"], dtype=object), n_samples=2)


@pytest.mark.parametrize(
    ("value", "constraints", "error", "message"),
    [
        (-1.0, [Interval(float, 0, None, closed="left")], ValueError, r"alpha=-1.0 should be >= 0\."),
        (0, [Interval(int, 0, None, closed="neither")], ValueError, r"alpha=0 should be > 0\."),
        (2.0, [Interval(float, 0, 1, closed="both")], ValueError, r"alpha=2.0 should be >= 0 and <= 1\."),
        ("foo", [Options({"gd", "lbfgs"})], ValueError, r"alpha='foo' should be one of 'gd', 'lbfgs'\."),
        ("1", [Interval(float, 0, None)], TypeError, r"alpha should be a number >= 0; got '1' \(str\)\."),
        (True, [Interval(int, 0, None)], TypeError, r"alpha should be an int >= 0; got True \(bool\)\."),
        ("yes", ["boolean"], TypeError, r"alpha should be a bool; got 'yes' \(str\)\."),
        (-3, ["random_state"], ValueError, r"alpha=-3 should be >= 0 and < 2\*\*32\."),
        (float("nan"), [Interval(float, 0, None)], ValueError, r"alpha=nan should be a finite number >= 0\."),
    ],
)
def test_parameter_errors(value, constraints, error, message):
    with pytest.raises(error, match=message):
        check_param("alpha", value, constraints)


def test_estimator_parameters_are_checked_at_fit():
    with pytest.raises(TypeError, match=r"fit_intercept should be a bool; got 'yes' \(str\)"):
        LinearRegression(fit_intercept="yes").fit(X_OK, Y_OK)
    with pytest.raises(ValueError, match=r"dtype='float16' should be one of 'float32', 'float64'"):
        LinearRegression(dtype="float16").fit(X_OK, Y_OK)
    with pytest.raises(ValueError, match=r"backend='nosuch' is not a backend"):
        LinearRegression(backend="nosuch").fit(X_OK, Y_OK)


def test_random_draws_are_the_same_on_every_backend(backend):
    reference = np.random.default_rng(42).standard_normal((3, 2))
    drawn = draw(check_random_state(42), backend, "standard_normal", (3, 2))
    assert_on_backend(drawn, backend)
    assert_allclose(drawn, reference, rtol=0)
    rng = np.random.default_rng(1)
    assert check_random_state(rng) is rng
    with pytest.raises(TypeError, match=r"random_state should be an int, None, a numpy.random.Generator or a "
                                        r"numpy.random.RandomState; got 'x'"):
        check_random_state("x")


def test_a_random_state_object_is_taken_as_scikit_learn_takes_it():
    """numpy.random.RandomState, as scikit-learn's random_state: draws are a function of its state, and it
    moves on (two fits with one RandomState object differ; two fits with RandomState(0) each are equal)."""
    first = check_random_state(np.random.RandomState(0)).standard_normal(5)
    again = check_random_state(np.random.RandomState(0)).standard_normal(5)
    assert_allclose(first, again, rtol=0)
    shared = np.random.RandomState(0)
    one, two = (check_random_state(shared).standard_normal(5) for _ in range(2))
    assert not np.allclose(one, two)
    assert_allclose(one, first, rtol=0)
    moved = [np.random.RandomState(3) for _ in range(2)]
    for state in moved:
        state.standard_normal(7)  # a state moved on: other draws than a fresh one, the same for the same state
    assert_allclose(check_random_state(moved[0]).random(4), check_random_state(moved[1]).random(4), rtol=0)
    assert not np.allclose(check_random_state(np.random.RandomState(3)).random(4),
                           check_random_state(np.random.RandomState(4)).random(4))


def test_estimators_take_a_random_state_object():
    from xpml.cluster import KMeans

    X = np.random.default_rng(0).normal(size=(60, 2))
    fits = [KMeans(n_clusters=3, n_init=1, random_state=np.random.RandomState(5)).fit(X) for _ in range(2)]
    assert_allclose(xpml.to_numpy(fits[0].cluster_centers_), xpml.to_numpy(fits[1].cluster_centers_), rtol=0)
    assert KMeans(n_clusters=3, random_state=np.random.RandomState(5)).get_params()["random_state"] is not None


def test_dtype_parameter_overrides_the_input_precision(backend):
    model = LinearRegression(dtype="float32").fit(X_OK, Y_OK)
    assert model._dtype == "float32"
    assert xpml.to_numpy(model.coef_).dtype == np.float32
