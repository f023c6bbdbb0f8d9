"""Property tests (hypothesis) of the validation layer and of the metrics, on numpy and torch.

Validation: for random shapes, dtypes, containers and NaN / infinity placements, `check_array` either
raises the error a model of the rules predicts (the rule that fails first, in the order the rules
are checked) or returns the same numbers, converted as API.md section 2 says. Labels and lengths
likewise. Metrics: agreement with scikit-learn on random inputs, and the invariances that define
them (sample order, relabelling, monotone transforms of scores, symmetry).

Examples are few (max_examples is small) and shapes are bounded, so that the file runs in seconds.
"""

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import xpml
from tests.helpers import assert_on_backend, requires
from xpml import metrics
from xpml.exceptions import UndefinedMetricWarning
from xpml.utils._param_validation import Interval, check_param
from xpml.utils.validation import check_array, check_consistent_length, check_labels

BACKENDS = ["numpy", pytest.param("torch", marks=requires("torch"))]  # numpy, and one library not numpy underneath
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TOL = 1e-10

DTYPES = ["bool", "int8", "int32", "int64", "uint8", "float16", "float32", "float64", "complex128", "str"]


@st.composite
def arrays(draw):
    """(array, dtype name, where NaN went or None, where inf went or None): any rank 0-3, sides 0-4."""
    shape = tuple(draw(st.lists(st.integers(0, 4), min_size=0, max_size=3)))
    dtype = draw(st.sampled_from(DTYPES))
    values = draw(st.lists(st.integers(-50, 50), min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
    a = np.array(values, dtype=np.float64).reshape(shape) / 4  # quarters: exact in float16 too
    nan_at = inf_at = None
    if dtype.startswith("float") and a.size:
        flat = a.reshape(-1)
        if draw(st.booleans()):
            nan_at = draw(st.integers(0, a.size - 1))
            flat[nan_at] = np.nan
        if draw(st.booleans()):
            inf_at = draw(st.integers(0, a.size - 1))
            flat[inf_at] = -np.inf if draw(st.booleans()) else np.inf
    if dtype == "str":
        return a.astype(str), dtype, None, None
    if dtype in ("bool",):
        return (a > 0), dtype, None, None
    if dtype.startswith(("int", "uint")):
        a = np.abs(a) if dtype.startswith("uint") else a
        return a.astype(dtype), dtype, None, None
    if dtype == "complex128":
        return a + 1j, dtype, None, None
    return a.astype(dtype), dtype, nan_at, inf_at


def expected_error(a, dtype):
    """The (error type, message) the rules predict for array `a`, or None if it is valid."""
    if dtype == "str":
        return TypeError, r"X should contain numbers"
    if dtype == "complex128":
        return ValueError, r"Complex data not supported: X should contain real numbers; got dtype complex128"
    if a.ndim != 2:
        return ValueError, r"X should be a 2-D array of shape \(n_samples, n_features\); got (a scalar|a \d-D array)"
    if a.shape[0] == 0:
        return ValueError, r"X has 0 sample\(s\) \(shape=\(0, \d\)\) while a minimum of 1 is required"
    if a.shape[1] == 0:
        return ValueError, r"X has 0 feature\(s\) \(shape=\(\d, 0\)\) while a minimum of 1 is required"
    if dtype.startswith("float") and np.isnan(a).any():
        return ValueError, r"X contains NaN; xpml estimators need finite values"
    if dtype.startswith("float") and np.isinf(a).any():
        return ValueError, r"X contains infinity"
    return None


def _container(a, how, backend):
    if how == "list":
        return a.tolist()
    if how == "backend" and a.dtype.kind not in "USc":  # arrays of the backend's own library (no strings there)
        return backend.xp.asarray(a, device=backend.device)
    return a


@pytest.mark.parametrize("spec", BACKENDS)
@SETTINGS
@given(case=arrays(), how=st.sampled_from(["numpy", "list", "backend"]))
def test_check_array_raises_what_the_rules_predict_or_converts_exactly(spec, case, how):
    a, dtype, _, _ = case
    backend = xpml.make_backend(spec)
    X = _container(a, how, backend)
    if how == "list" and a.ndim and a.size == 0:
        X = a  # an empty list loses its shape: give the array
    if how == "list" and dtype in ("float16", "float32"):
        dtype = "float64"  # Python floats: a list does not keep the precision
    error = expected_error(a, dtype)
    if error is not None:
        with pytest.raises(error[0], match=error[1]):
            check_array(X, backend)
        return
    out = check_array(X, backend)
    assert_on_backend(out, backend)
    want_dtype = {"float32": "float32", "float16": "float32"}.get(dtype, "float64")
    assert xpml.to_numpy(out).dtype == np.dtype(want_dtype)
    np.testing.assert_array_equal(xpml.to_numpy(out), a.astype(want_dtype))  # the same numbers, exactly


@st.composite
def non_finite(draw):
    """A 2-D float array with NaN, infinity or both, anywhere."""
    n, p = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    a = np.arange(n * p, dtype=draw(st.sampled_from([np.float32, np.float64])))
    for value in draw(st.lists(st.sampled_from([np.nan, np.inf, -np.inf]), min_size=1, max_size=3)):
        a[draw(st.integers(0, n * p - 1))] = value
    return a.reshape(n, p)


@SETTINGS
@given(a=non_finite())
def test_nan_is_reported_before_infinity_and_wherever_it_is(a):
    # Whatever the placements, NaN wins over infinity (the message names what is there, NaN first).
    what = "NaN" if np.isnan(a).any() else "infinity"
    with pytest.raises(ValueError, match=f"X contains {what}"):
        check_array(a, xpml.make_backend("numpy"))
    kept = xpml.to_numpy(check_array(a, xpml.make_backend("numpy"), ensure_finite=False))  # imputers' path
    np.testing.assert_array_equal(kept, a)  # NaN and infinity where they were


@SETTINGS
@given(lengths=st.lists(st.integers(0, 5), min_size=1, max_size=4))
def test_check_consistent_length(lengths):
    arrays_ = {f"a{i}": np.zeros(n) for i, n in enumerate(lengths)}
    if len(set(lengths)) == 1:
        check_consistent_length(**arrays_)
        return
    detail = ", ".join(f"a{i} has {n}" for i, n in enumerate(lengths))
    with pytest.raises(ValueError, match=f"have different numbers of samples: {detail}"):
        check_consistent_length(**arrays_)


@SETTINGS
@given(values=st.lists(st.integers(-3, 3), min_size=1, max_size=12), kind=st.sampled_from(["int", "str", "float"]))
def test_check_labels_inverts_and_sorts(values, kind):
    y = {"int": np.array(values), "str": np.array([f"c{v}" for v in values]), "float": np.array(values) / 1.0}[kind]
    if len(set(values)) < 2:
        with pytest.raises(ValueError, match=r"y has 1 class\(es\)"):
            check_labels(y, n_samples=len(y))
        return
    classes, indices = check_labels(y, n_samples=len(y))
    np.testing.assert_array_equal(classes, np.unique(y))
    np.testing.assert_array_equal(classes[indices], y)


@SETTINGS
@given(values=st.lists(st.integers(-30, 30), min_size=2, max_size=12))
def test_non_integer_float_labels_are_a_continuous_target(values):
    y = np.array(values) / 4
    assume(np.any(y != np.floor(y)))
    with pytest.raises(ValueError, match=r"Unknown label type: continuous"):
        check_labels(y, n_samples=len(y))


@SETTINGS
@given(value=st.one_of(st.floats(-10, 10), st.just(float("nan"))), low=st.integers(-5, 5), width=st.integers(0, 5),
       closed=st.sampled_from(["both", "left", "right", "neither"]))
def test_interval_parameters(value, low, width, closed):
    high = low + width
    inside = (low <= value if closed in ("both", "left") else low < value) and \
             (value <= high if closed in ("both", "right") else value < high)
    constraint = Interval(float, low, high, closed=closed)
    if inside:
        check_param("alpha", value, [constraint])
        return
    with pytest.raises(ValueError, match=rf"alpha={value!r} should be (a finite number )?[<>]=? "):
        check_param("alpha", value, [constraint])


# ---- metrics ------------------------------------------------------------------------------------

N = 24  # one length for every example


def labels(n_classes):
    return st.lists(st.integers(0, n_classes - 1), min_size=N, max_size=N).map(np.array)


# Rounded to 1e-6: a value such as 1e-160 squares to below the smallest float64, and both libraries
# would then compare their underflow noise, not their formulas.
reals = st.lists(st.floats(-100, 100).map(lambda v: round(v, 6)), min_size=N, max_size=N).map(np.array)


def on(spec, *arrays_):
    backend = xpml.make_backend(spec)
    return [backend.xp.asarray(a, device=backend.device) for a in arrays_]


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 0/0 warnings: both libraries warn, their values are compared
        return fn(*args, **kwargs)


@pytest.mark.parametrize("spec", BACKENDS)
@SETTINGS
@given(yt=labels(3), yp=labels(3), perm=st.permutations(range(N)), relabel=st.permutations(range(3)))
def test_classification_metrics_agree_with_sklearn_and_are_invariant(spec, yt, yp, perm, relabel):
    T, P = on(spec, yt, yp)
    acc = metrics.accuracy_score(T, P)
    assert acc == pytest.approx(skm.accuracy_score(yt, yp), abs=TOL)
    f1 = quiet(metrics.f1_score, T, P, average="macro", zero_division=0.0)
    assert f1 == pytest.approx(quiet(skm.f1_score, yt, yp, average="macro", zero_division=0.0), abs=TOL)
    np.testing.assert_array_equal(xpml.to_numpy(metrics.confusion_matrix(T, P, labels=[0, 1, 2])),
                                  skm.confusion_matrix(yt, yp, labels=[0, 1, 2]))
    perm, relabel = np.array(perm), np.array(relabel)
    T2, P2 = on(spec, relabel[yt][perm], relabel[yp][perm])  # samples shuffled, classes renamed
    assert metrics.accuracy_score(T2, P2) == pytest.approx(acc, abs=TOL)
    assert quiet(metrics.f1_score, T2, P2, average="macro", zero_division=0.0) == pytest.approx(f1, abs=TOL)


@pytest.mark.parametrize("spec", BACKENDS)
@SETTINGS
@given(yt=reals, yp=reals, perm=st.permutations(range(N)), scale=st.floats(0.01, 100))
def test_regression_metrics_agree_with_sklearn_and_scale(spec, yt, yp, perm, scale):
    T, P = on(spec, yt, yp)
    mse = metrics.mean_squared_error(T, P)
    assert mse == pytest.approx(skm.mean_squared_error(yt, yp), rel=TOL, abs=TOL)
    assert metrics.mean_absolute_error(T, P) == pytest.approx(skm.mean_absolute_error(yt, yp), rel=TOL, abs=TOL)
    if np.ptp(yt) > 0:  # R² of a constant target is a 0/0
        assert metrics.r2_score(T, P) == pytest.approx(skm.r2_score(yt, yp), rel=TOL, abs=TOL)
    assert metrics.mean_squared_error(T, T) == 0.0
    assert metrics.mean_squared_error(P, T) == pytest.approx(mse, rel=TOL, abs=TOL)  # symmetric
    perm = np.array(perm)
    T2, P2 = on(spec, yt[perm] * scale, yp[perm] * scale)  # order does not matter; MSE scales as scale²
    assert metrics.mean_squared_error(T2, P2) == pytest.approx(mse * scale**2, rel=1e-9, abs=TOL)


@pytest.mark.parametrize("spec", BACKENDS)
@SETTINGS
@given(yt=labels(2), score=st.lists(st.integers(-5, 5), min_size=N, max_size=N).map(np.array))
def test_roc_auc_agrees_with_sklearn_and_only_sees_the_order(spec, yt, score):
    if len(set(yt.tolist())) < 2:  # undefined: NaN with a warning, as scikit-learn
        with pytest.warns(UndefinedMetricWarning, match=r"Only one class is present in y_true"):
            assert np.isnan(metrics.roc_auc_score(*on(spec, yt, score / 1.0)))
        return
    auc = metrics.roc_auc_score(*on(spec, yt, score / 1.0))  # integer scores: many ties
    assert auc == pytest.approx(skm.roc_auc_score(yt, score), abs=TOL)
    assert metrics.roc_auc_score(*on(spec, yt, np.exp(score / 3.0) + 7)) == pytest.approx(auc, abs=TOL)
    assert metrics.roc_auc_score(*on(spec, yt, -score / 1.0)) == pytest.approx(1 - auc, abs=TOL)


@pytest.mark.parametrize("spec", BACKENDS)
@SETTINGS
@given(a=labels(4), b=labels(3), relabel=st.permutations(range(4)))
def test_adjusted_rand_agrees_with_sklearn_is_symmetric_and_ignores_names(spec, a, b, relabel):
    A, B = on(spec, a, b)
    ari = metrics.adjusted_rand_score(A, B)
    assert ari == pytest.approx(skm.adjusted_rand_score(a, b), abs=TOL)
    assert metrics.adjusted_rand_score(B, A) == pytest.approx(ari, abs=TOL)
    assert metrics.adjusted_rand_score(*on(spec, np.array(relabel)[a], b)) == pytest.approx(ari, abs=TOL)
    assert metrics.adjusted_rand_score(A, A) == pytest.approx(1.0, abs=TOL)


@pytest.mark.parametrize("spec", BACKENDS)
@SETTINGS
@given(yt=labels(3), logits=st.lists(st.floats(-30, 30), min_size=3 * N, max_size=3 * N).map(np.array))
def test_log_loss_agrees_with_sklearn(spec, yt, logits):
    Z = logits.reshape(N, 3)
    P = np.exp(Z - Z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    got = metrics.log_loss(*on(spec, yt, P), labels=[0, 1, 2])
    assert got == pytest.approx(skm.log_loss(yt, P, labels=[0, 1, 2]), rel=1e-9, abs=TOL)
