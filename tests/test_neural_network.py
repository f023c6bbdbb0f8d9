"""MLPClassifier and MLPRegressor: gradients against finite differences, training against scikit-learn.

Three kinds of oracle, on every backend:

- the hand-written gradients against central finite differences of the same backend's loss;
- whole training runs against scikit-learn's MLP started from the same weights (its `_init_coef` is
  handed our Glorot draws), without shuffling, so that both take the same steps: loss curves and
  weights must agree to rounding error;
- held-out accuracy on digits and R² on diabetes against scikit-learn with the same architecture.
"""

import warnings

import numpy as np
import pytest
import sklearn.neural_network as skl
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning as SklearnConvergenceWarning

from tests.helpers import assert_allclose, assert_on_backend
from xpml._backend import make_backend, to_backend, to_numpy
from xpml.datasets import load_diabetes, load_digits
from xpml.exceptions import ConvergenceWarning, NotFittedError
from xpml.neural_network import MLPClassifier, MLPRegressor
from xpml.neural_network import _backprop as bp
from xpml.neural_network import _solvers
from xpml.utils._random import check_random_state

RNG = np.random.default_rng(0)
X_SMALL = RNG.standard_normal((60, 5))
Y_MULTICLASS = RNG.integers(0, 3, 60)
Y_BINARY = np.where(X_SMALL[:, 0] + 0.5 * RNG.standard_normal(60) > 0, "yes", "no")
Y_MULTILABEL = (X_SMALL[:, :3] + 0.5 * RNG.standard_normal((60, 3)) > 0).astype(int)
Y_REGRESSION = X_SMALL @ RNG.standard_normal(5) + np.sin(X_SMALL[:, 1]) + 0.1 * RNG.standard_normal(60)
SMALL = dict(hidden_layer_sizes=(6, 4), batch_size=20)  # one network shape for the small tests: jax compiles it once


def _split(X, y, seed=0):
    order = np.random.default_rng(seed).permutation(len(X))
    cut = (3 * len(X)) // 4
    return X[order[:cut]], X[order[cut:]], y[order[:cut]], y[order[cut:]]


# ---- gradients --------------------------------------------------------------------------------

# (hidden activation, output activation, loss, n_outputs): every activation, every output and loss.
GRADIENT_CASES = [
    ("identity", "softmax", "log_loss", 3),
    ("logistic", "softmax", "log_loss", 3),
    ("tanh", "softmax", "log_loss", 3),
    ("relu", "softmax", "log_loss", 3),
    ("tanh", "logistic", "binary_log_loss", 1),
    ("relu", "logistic", "binary_log_loss", 3),
    ("logistic", "identity", "squared_error", 2),
    ("tanh", "exp", "poisson", 2),
]


@pytest.mark.parametrize("activation, out_activation, loss, k", GRADIENT_CASES)
def test_gradients_match_finite_differences(backend, activation, out_activation, loss, k):
    """∂J/∂θ from `backward` against (J(θ + εeᵢ) - J(θ - εeᵢ)) / 2ε for every weight and bias θᵢ."""
    xp, rng, units = backend.xp, np.random.default_rng(1), [3, 4, 3, k]
    X = rng.standard_normal((8, 3))
    if loss == "log_loss":
        Y = np.eye(k)[rng.integers(0, k, 8)]
    elif loss == "binary_log_loss":
        Y = rng.integers(0, 2, (8, k)).astype(float)
    elif loss == "poisson":
        Y = rng.poisson(1.5, (8, k)).astype(float)  # counts, zeros among them
    else:
        Y = rng.standard_normal((8, k))
    Xb, Yb = to_backend(X, backend), to_backend(Y, backend)
    coefs, intercepts = bp.glorot_uniform(rng, backend, units, activation, "float64")
    kw = dict(activation=activation, out_activation=out_activation, loss=loss, alpha=0.3)
    J, coef_grads, intercept_grads = bp.loss_and_gradients(xp, coefs, intercepts, Xb, Yb, **kw)
    assert_on_backend(coef_grads[0], backend)
    analytic = to_numpy(bp.pack(xp, coef_grads, intercept_grads))

    theta, eps = to_numpy(bp.pack(xp, coefs, intercepts)), 1e-6

    def J_at(t):
        c, i = bp.unpack(xp, to_backend(t, backend), units)
        return float(bp.loss_and_gradients(xp, c, i, Xb, Yb, **kw)[0])

    numeric = np.array([(J_at(theta + eps * e) - J_at(theta - eps * e)) / (2 * eps) for e in np.eye(theta.size)])
    # Central differences err by O(ε²) ≈ 1e-12 plus rounding ≈ 1e-16 · J / ε ≈ 1e-10.
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=2e-9)
    assert float(J) == pytest.approx(J_at(theta), rel=1e-14)


def test_loss_values_are_scikit_learns():
    """The three losses, penalty included, against scikit-learn's own loss functions."""
    from sklearn.neural_network._base import binary_log_loss, log_loss, squared_loss

    xp, rng = make_backend("numpy").xp, np.random.default_rng(2)
    W = [rng.standard_normal((4, 3))]
    Y1, P1 = np.eye(3)[rng.integers(0, 3, 10)], rng.dirichlet(np.ones(3), 10)
    Y2, P2 = rng.integers(0, 2, (10, 3)).astype(float), rng.uniform(0, 1, (10, 3))
    Y3, P3 = rng.standard_normal((10, 1)), rng.standard_normal((10, 1))
    penalty = 0.2 / 20 * np.sum(W[0] ** 2)
    assert float(bp.loss_value(xp, "log_loss", Y1, P1, W, 0.2)) == pytest.approx(log_loss(Y1, P1) + penalty, rel=1e-14)
    assert float(bp.loss_value(xp, "binary_log_loss", Y2, P2, W, 0.2)) == pytest.approx(
        binary_log_loss(Y2, P2) + penalty, rel=1e-14)
    assert float(bp.loss_value(xp, "squared_error", Y3, P3, W, 0.2)) == pytest.approx(
        squared_loss(Y3, P3) + penalty, rel=1e-14)
    P_certain = np.array([[1.0, 0.0, 0.0]])  # clipped to [eps, 1 - eps], so the loss stays finite
    assert float(bp.loss_value(xp, "log_loss", np.array([[0.0, 1.0, 0.0]]), P_certain, W, 0.0)) == pytest.approx(
        log_loss(np.array([[0.0, 1.0, 0.0]]), P_certain), rel=1e-14)


def test_logistic_and_softmax_do_not_overflow(backend):
    xp = backend.xp
    z = to_backend(np.array([[-800.0, 0.0, 800.0]]), backend)
    assert_allclose(bp.activate(xp, "logistic", z), [[0.0, 0.5, 1.0]], atol=1e-300)
    assert_allclose(bp.activate(xp, "softmax", z), [[0.0, 0.0, 1.0]], atol=1e-300)


def test_glorot_initialization_is_the_same_on_every_backend(backend):
    coefs, intercepts = bp.glorot_uniform(check_random_state(5), backend, [64, 20, 10], "relu", "float32")
    ref_c, ref_i = bp.glorot_uniform(check_random_state(5), make_backend("numpy"), [64, 20, 10], "relu", "float32")
    for got, want in zip([*coefs, *intercepts], [*ref_c, *ref_i]):
        assert_on_backend(got, backend)
        np.testing.assert_array_equal(to_numpy(got), to_numpy(want))
    bound = np.sqrt(6 / (64 + 20))
    assert coefs[0].shape == (64, 20) and np.abs(to_numpy(coefs[0])).max() <= bound
    assert np.abs(to_numpy(coefs[0])).max() > 0.95 * bound  # uniform on the whole interval
    logistic = bp.glorot_uniform(check_random_state(5), backend, [64, 20], "logistic", "float64")[0][0]
    assert np.abs(to_numpy(logistic)).max() <= np.sqrt(2 / (64 + 20))


# ---- training, step by step, against scikit-learn ---------------------------------------------


def _sklearn_from_our_init(cls, units, seed, **params):
    """A scikit-learn MLP whose initial weights are the Glorot draws xpml makes from `seed`."""
    coefs, intercepts = bp.glorot_uniform(check_random_state(seed), make_backend("numpy"), units,
                                          params["activation"], "float64")
    draws = iter(zip(coefs, intercepts))
    model = cls(**params)
    model._init_coef = lambda fan_in, fan_out, dtype: next(draws)
    return model


def _fit_quietly(model, *args, **kwargs):
    """fit, with the convergence warnings of xpml and scikit-learn silenced (short fits are intended)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=ConvergenceWarning)
        warnings.simplefilter("ignore", category=SklearnConvergenceWarning)
        return model.fit(*args, **kwargs)


STEP_CASES = [  # (estimator, y, params)
    ("classifier", Y_MULTICLASS, dict(activation="tanh", solver="adam", learning_rate_init=0.01)),
    ("classifier", Y_BINARY, dict(activation="relu", solver="sgd", learning_rate="invscaling",
                                  learning_rate_init=0.5)),
    ("classifier", Y_MULTILABEL, dict(activation="logistic", solver="sgd", nesterovs_momentum=False,
                                      learning_rate_init=0.2)),
    ("regressor", Y_REGRESSION, dict(activation="relu", solver="adam", learning_rate_init=0.01)),
    ("regressor", Y_REGRESSION, dict(activation="identity", solver="sgd", learning_rate="adaptive",
                                     learning_rate_init=0.01, n_iter_no_change=2, tol=10.0, max_iter=25)),
]


@pytest.mark.parametrize("kind, y, params", STEP_CASES, ids=["adam-softmax", "sgd-binary-invscaling",
                                                             "sgd-multilabel", "adam-regression", "sgd-adaptive"])
def test_training_matches_sklearn_step_by_step(backend, kind, y, params):
    params = SMALL | dict(alpha=0.01, shuffle=False, max_iter=15, tol=0.0) | params
    ours_cls, sk_cls = (MLPClassifier, skl.MLPClassifier) if kind == "classifier" else (MLPRegressor, skl.MLPRegressor)
    ours = _fit_quietly(ours_cls(random_state=3, **params), X_SMALL, y)
    n_out = 1 if kind == "regressor" or y.ndim == 1 and len(np.unique(y)) == 2 else (3 if y.ndim == 1 else y.shape[1])
    ref = _fit_quietly(_sklearn_from_our_init(sk_cls, [5, 6, 4, n_out], 3, **params), X_SMALL, y)

    assert ours.n_iter_ == ref.n_iter_
    assert_allclose(ours.loss_curve_, ref.loss_curve_, rtol=1e-12)
    for got, want in zip([*ours.coefs_, *ours.intercepts_], [*ref.coefs_, *ref.intercepts_]):
        assert_on_backend(got, backend)
        assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    assert ours.best_loss_ == pytest.approx(ref.best_loss_, rel=1e-12)
    if kind == "classifier":
        assert_allclose(ours.predict_proba(X_SMALL), ref.predict_proba(X_SMALL), rtol=1e-10, atol=1e-12)
        np.testing.assert_array_equal(ours.predict(X_SMALL), ref.predict(X_SMALL))
        np.testing.assert_array_equal(ours.classes_, ref.classes_)
    else:
        assert_allclose(ours.predict(X_SMALL), ref.predict(X_SMALL), rtol=1e-10)


def test_warm_start_and_partial_fit_match_sklearn(backend):
    params = SMALL | dict(activation="tanh", alpha=0.001, shuffle=False,
                  learning_rate_init=0.01, max_iter=4, warm_start=True)
    ours, ref = MLPClassifier(random_state=1, **params), _sklearn_from_our_init(
        skl.MLPClassifier, [5, 6, 4, 3], 1, **params)
    for _ in range(2):  # each warm-started fit begins a fresh Adam from the previous weights
        _fit_quietly(ours, X_SMALL, Y_MULTICLASS)
        _fit_quietly(ref, X_SMALL, Y_MULTICLASS)
    for _ in range(3):  # partial_fit keeps the optimizer's state, one epoch per call
        ours.partial_fit(X_SMALL[:30], Y_MULTICLASS[:30])
        ref.partial_fit(X_SMALL[:30], Y_MULTICLASS[:30])
    assert_allclose(ours.loss_curve_, ref.loss_curve_, rtol=1e-12)
    assert len(ours.loss_curve_) == 11
    assert ours.t_ == ref.t_ == 2 * 4 * 60 + 3 * 30
    for got, want in zip([*ours.coefs_, *ours.intercepts_], [*ref.coefs_, *ref.intercepts_]):
        assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_partial_fit_from_scratch_needs_classes_and_matches_sklearn(backend):
    ours = MLPClassifier(**SMALL, shuffle=False, random_state=2)
    ref = _sklearn_from_our_init(skl.MLPClassifier, [5, 6, 4, 3], 2, **SMALL, activation="relu", shuffle=False)
    with pytest.raises(ValueError, match="classes should be given on the first call to partial_fit"):
        ours.partial_fit(X_SMALL, Y_MULTICLASS)
    for start in range(0, 60, 20):  # the first batch holds only some of the classes
        batch = slice(start, start + 20)
        ours.partial_fit(X_SMALL[batch], Y_MULTICLASS[batch], classes=[0, 1, 2])
        ref.partial_fit(X_SMALL[batch], Y_MULTICLASS[batch], classes=[0, 1, 2])
    assert_allclose(ours.loss_curve_, ref.loss_curve_, rtol=1e-12)
    with pytest.raises(ValueError, match=r"y contains labels \[7\] that are not in classes=\[0, 1, 2\]"):
        ours.partial_fit(X_SMALL[:2], [0, 7])
    with pytest.raises(ValueError, match=r"classes=\[0, 1\] differs from the classes of the first call"):
        ours.partial_fit(X_SMALL[:2], [0, 1], classes=[0, 1])


def test_same_seed_gives_the_same_network_on_every_backend(backend):
    params = SMALL | dict(max_iter=5, random_state=4)
    ours = _fit_quietly(MLPRegressor(**params), X_SMALL, Y_REGRESSION)
    ref = _fit_quietly(MLPRegressor(backend="numpy", **params), X_SMALL, Y_REGRESSION)  # shuffled the same way
    assert_allclose(ours.loss_curve_, ref.loss_curve_, rtol=1e-12)
    assert_allclose(ours.coefs_[0], ref.coefs_[0], rtol=1e-10, atol=1e-13)


# ---- real data: digits and diabetes -----------------------------------------------------------

X_DIGITS, Y_DIGITS = load_digits(return_X_y=True)
DIGITS = _split(X_DIGITS / 16, Y_DIGITS)
X_DIAB, Y_DIAB = load_diabetes(return_X_y=True)
DIABETES = _split(X_DIAB / X_DIAB.std(axis=0), (Y_DIAB - Y_DIAB.mean()) / Y_DIAB.std())


DIGITS_PARAMS = dict(hidden_layer_sizes=(64,), batch_size=128, learning_rate_init=0.01, max_iter=30)


@pytest.fixture(scope="module")
def sklearn_digits_accuracy():
    X_train, X_test, y_train, y_test = DIGITS
    return np.mean([_fit_quietly(skl.MLPClassifier(random_state=seed, **DIGITS_PARAMS), X_train, y_train)
                    .score(X_test, y_test) for seed in range(2)])


def test_digits_accuracy_matches_sklearn(backend, sklearn_digits_accuracy):
    """Held-out accuracy, averaged over two seeds, at least scikit-learn's minus one point."""
    X_train, X_test, y_train, y_test = DIGITS
    accuracy = np.mean([_fit_quietly(MLPClassifier(random_state=seed, **DIGITS_PARAMS), X_train, y_train)
                        .score(X_test, y_test) for seed in range(2)])
    assert accuracy >= sklearn_digits_accuracy - 0.01
    assert accuracy > 0.97


@pytest.mark.parametrize("solver", ["lbfgs", "adam"])
def test_diabetes_regression_matches_sklearn(backend, solver):
    """Held-out R², averaged over two seeds, within 0.02 of scikit-learn's."""
    X_train, X_test, y_train, y_test = DIABETES
    params = dict(hidden_layer_sizes=(10,), activation="tanh", solver=solver, alpha=10.0, max_iter=500,
                  learning_rate_init=0.01)
    ours = np.mean([_fit_quietly(MLPRegressor(random_state=s, **params), X_train, y_train).score(X_test, y_test)
                    for s in range(2)])
    ref = np.mean([_fit_quietly(skl.MLPRegressor(random_state=s, **params), X_train, y_train).score(X_test, y_test)
                   for s in range(2)])
    assert ours == pytest.approx(ref, abs=0.02)
    assert ours > 0.35  # least squares reaches 0.37 on this split


# ---- early stopping, stopping rules, divergence -------------------------------------------------


@pytest.fixture
def recorded_split(monkeypatch):
    """The (train, validation) indices of the next early-stopping split, recorded as the fit draws them."""
    split, draw_split = {}, _solvers.holdout_split

    def recording(*args):
        split["train"], split["val"] = draw_split(*args)
        return split["train"], split["val"]

    monkeypatch.setattr(_solvers, "holdout_split", recording)
    return split


def _stop_epoch(scores, n_iter_no_change, tol=0.0):
    """The epoch at which more than n_iter_no_change epochs in a row have not beaten the best + tol."""
    best, count = -np.inf, 0
    for epoch, score in enumerate(scores, start=1):
        count, best = (count + 1 if score < best + tol else 0), max(best, score)
        if count > n_iter_no_change:
            return epoch
    return None


def test_early_stopping_keeps_the_best_network(backend, recorded_split):
    X_train, _, y_train, _ = DIGITS
    model = MLPClassifier(**DIGITS_PARAMS | dict(max_iter=200), early_stopping=True, validation_fraction=0.2,
                          n_iter_no_change=3, tol=0.0, random_state=0)
    model.fit(X_train, y_train)
    scores, val = model.validation_scores_, recorded_split["val"]
    assert model.best_loss_ is None and len(scores) == len(model.loss_curve_) == model.n_iter_ < 200
    assert model.best_validation_score_ == max(scores)
    assert len(val) == int(np.ceil(0.2 * len(X_train)))
    # the class shares of the validation set are those of the training data, to within one sample
    val_counts, all_counts = np.bincount(y_train[val], minlength=10), np.bincount(y_train, minlength=10)
    assert np.all(np.abs(val_counts - 0.2 * all_counts) <= 1)
    assert model.n_iter_ == _stop_epoch(scores, model.n_iter_no_change)  # a tie with the best resets the count
    assert model.score(X_train[val], y_train[val]) == pytest.approx(max(scores), abs=1e-12)  # the best is kept


def test_early_stopping_regressor_scores_r2(backend, recorded_split):
    from sklearn.metrics import r2_score

    X_train, _, y_train, _ = DIABETES
    model = MLPRegressor(hidden_layer_sizes=(10,), activation="tanh", early_stopping=True, n_iter_no_change=5,
                         alpha=10.0, learning_rate_init=0.01, max_iter=300, random_state=0).fit(X_train, y_train)
    val = recorded_split["val"]
    assert model.n_iter_ == _stop_epoch(model.validation_scores_, 5, tol=model.tol)
    assert model.best_validation_score_ == max(model.validation_scores_) > 0.2
    assert r2_score(y_train[val], model.predict(X_train[val])) == pytest.approx(model.best_validation_score_, rel=1e-12)


def test_training_loss_plateau_stops_the_fit(backend):
    model = MLPRegressor(**SMALL, tol=1e6, n_iter_no_change=3, random_state=0)
    model.fit(X_SMALL, Y_REGRESSION)  # the first epoch sets the best loss; no later one can beat it by tol
    assert model.n_iter_ == 1 + model.n_iter_no_change + 1
    assert model.best_loss_ == min(model.loss_curve_)


def test_lbfgs_records_the_loss_of_each_iteration(backend):
    model = MLPClassifier(**SMALL, activation="tanh", solver="lbfgs", alpha=1.0, max_iter=500, random_state=0,
                          early_stopping=True)
    model.fit(X_SMALL, Y_MULTICLASS)  # early stopping is for the stochastic solvers: L-BFGS ignores it
    curve = np.array(model._solver.loss_curve)
    assert len(curve) == model.n_iter_ > 10 and curve[-1] == model.loss_
    assert np.all(np.diff(curve) <= 1e-12 * curve[:-1])  # every L-BFGS step decreases the loss
    for name in ("loss_curve_", "best_loss_", "validation_scores_", "best_validation_score_"):
        assert not hasattr(model, name)  # as scikit-learn: these report on the epochs of Adam and SGD
    ref = _sklearn_from_our_init(skl.MLPClassifier, [5, 6, 4, 3], 0, **SMALL, activation="tanh", solver="lbfgs",
                                 alpha=1.0, max_iter=500).fit(X_SMALL, Y_MULTICLASS)
    assert model.loss_ == pytest.approx(ref.loss_, rel=1e-6)  # the same minimum as scipy's L-BFGS-B


def test_max_iter_warns_convergence(backend):
    with pytest.warns(ConvergenceWarning, match=r"max_iter=3 epochs reached and the adam optimization has not converged"):
        MLPClassifier(**SMALL, max_iter=3, random_state=0).fit(X_SMALL, Y_MULTICLASS)


def test_divergence_raises_and_names_the_learning_rate(backend):
    y = 1e6 * Y_REGRESSION
    model = MLPRegressor(**SMALL, activation="identity", solver="sgd", learning_rate_init=10.0, max_iter=20,
                         random_state=0)
    with pytest.raises(ValueError, match=r"loss (became (nan|inf)|grew to .*) at epoch \d+.*smaller learning_rate_init \(it is 10.0\)"):
        model.fit(X_SMALL, y)  # and no overflow notice from numpy before it: warnings are errors here


DIVERGING = [  # a learning rate far too large: the loss explodes without (at first) becoming inf or NaN
    (MLPClassifier, dict(solver="sgd"), Y_MULTICLASS),
    (MLPClassifier, dict(solver="adam"), Y_BINARY),
    (MLPRegressor, dict(solver="adam"), Y_REGRESSION),
    (MLPRegressor, dict(solver="sgd"), Y_REGRESSION),
]


@pytest.mark.parametrize("early_stopping", [False, True])
@pytest.mark.parametrize("cls, params, y", DIVERGING, ids=[f"{c.__name__}-{p['solver']}" for c, p, _ in DIVERGING])
def test_an_exploding_loss_raises_and_names_learning_rate_init(backend, cls, params, y, early_stopping):
    """The loss grows past DIVERGENCE_FACTOR times its start: the fit stops with the divergence error, also
    with early stopping, where the validation score of the exploded network used to fail first."""
    model = cls(**SMALL, **params, learning_rate_init=1e6, max_iter=50, early_stopping=early_stopping, random_state=0)
    with pytest.raises(ValueError, match=r"the (sgd|adam) optimization diverged\. Try a smaller learning_rate_init "
                                         r"\(it is 1000000\.0\)"):
        model.fit(X_SMALL, y)


def test_the_divergence_rule(backend):
    """NaN, inf and a loss above DIVERGENCE_FACTOR * (1 + the starting loss) diverge; a loss below does not."""
    settings = {"solver": "adam", "learning_rate_init": 0.5, "alpha": 1e-4}
    _solvers.check_divergence(0.9e6, 0.0, settings, "at epoch 3")
    for loss in (float("nan"), float("inf"), 2.1e6):
        with pytest.raises(ValueError, match=r"at epoch 3: the adam optimization diverged.*learning_rate_init \(it is 0.5\)"):
            _solvers.check_divergence(loss, 1.0, settings, "at epoch 3")


def test_partial_fit_and_warm_start_keep_the_solver_state(backend):
    """The model holds its solver, which owns the optimizer's moments and the training counters."""
    model = MLPRegressor(**SMALL, random_state=0).partial_fit(X_SMALL, Y_REGRESSION)
    solver, t = model._solver, model._solver.optimizer.t
    model.partial_fit(X_SMALL, Y_REGRESSION)
    assert model._solver is solver and solver.optimizer.t == 2 * t and model.t_ == solver.t == 120
    assert model.loss_curve_ == solver.loss_curve and len(model.loss_curve_) == 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.set_params(warm_start=True, max_iter=2).fit(X_SMALL, Y_REGRESSION)
    assert model._solver is solver and len(model.loss_curve_) == 4 and model.t_ == 240


def test_verbose_prints_epoch_loss_and_time(backend, capsys):
    model = MLPClassifier(**SMALL, max_iter=2, verbose=True, random_state=0)
    _fit_quietly(model, X_SMALL, Y_MULTICLASS)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Epoch    1, loss = ") and lines[0].endswith(" s")
    assert f"{model.loss_curve_[1]:.8f}" in lines[1]


# ---- dtypes, input and output ------------------------------------------------------------------


def test_float32_input_trains_in_float32(backend):
    X32 = X_SMALL.astype(np.float32)
    model = _fit_quietly(MLPClassifier(**SMALL, max_iter=10, random_state=0), X32, Y_MULTICLASS)
    ref = _fit_quietly(MLPClassifier(**SMALL, max_iter=10, random_state=0), X_SMALL, Y_MULTICLASS)
    assert model._dtype == "float32"
    for a in [*model.coefs_, *model.intercepts_]:
        assert to_numpy(a).dtype == np.float32
    assert model.predict_proba(X32).dtype == np.float32
    assert_allclose(model.loss_curve_, ref.loss_curve_, rtol=1e-5)  # float32 rounding, 10 epochs
    assert_allclose(model.coefs_[0], ref.coefs_[0], rtol=1e-4, atol=1e-5)


def test_predictions_follow_the_input(backend, xp, device):
    model = _fit_quietly(MLPClassifier(**SMALL, max_iter=5, random_state=0), X_SMALL, Y_BINARY)
    P = model.predict_proba(X_SMALL)
    assert isinstance(P, np.ndarray) and P.shape == (60, 2)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(model.predict_log_proba(X_SMALL), np.log(P), rtol=1e-12)
    assert set(model.predict(X_SMALL)) <= {"no", "yes"}
    np.testing.assert_array_equal(model.predict(X_SMALL), model.classes_[(P[:, 1] > 0.5).astype(int)])
    assert_on_backend(model.predict_proba(xp.asarray(X_SMALL, device=device)), backend)
    assert model.score(X_SMALL, Y_BINARY) == pytest.approx(np.mean(model.predict(X_SMALL) == Y_BINARY))


def test_multilabel_predicts_an_indicator_matrix(backend, xp, device):
    model = _fit_quietly(MLPClassifier(**SMALL, max_iter=50, learning_rate_init=0.05,
                                       random_state=0), X_SMALL, Y_MULTILABEL)
    predicted = model.predict(X_SMALL)
    assert predicted.shape == (60, 3) and set(np.unique(predicted)) <= {0, 1}
    np.testing.assert_array_equal(predicted, (model.predict_proba(X_SMALL) > 0.5).astype(int))
    np.testing.assert_array_equal(model.classes_, [0, 1, 2])
    assert model.score(X_SMALL, Y_MULTILABEL) == pytest.approx(np.mean(np.all(predicted == Y_MULTILABEL, axis=1)))
    assert model.score(X_SMALL, Y_MULTILABEL) > 0.6
    assert_on_backend(model.predict(xp.asarray(X_SMALL, device=device)), backend)


def test_multi_output_regression(backend):
    Y = np.column_stack([Y_REGRESSION, -2 * Y_REGRESSION])
    model = _fit_quietly(MLPRegressor(**SMALL, solver="lbfgs", max_iter=300, random_state=0), X_SMALL, Y)
    assert model.predict(X_SMALL).shape == (60, 2) and model.n_outputs_ == 2
    assert model.score(X_SMALL, Y) > 0.95


# ---- parameters and errors ---------------------------------------------------------------------


def test_sklearn_clone_and_params():
    model = MLPClassifier(hidden_layer_sizes=(3, 2), alpha=0.5)
    copy = clone(model)
    assert copy.get_params() == model.get_params() and copy is not model
    assert repr(model) == "MLPClassifier(alpha=0.5, hidden_layer_sizes=(3, 2))"


@pytest.mark.parametrize("params, error, match", [
    (dict(hidden_layer_sizes=(5, 0)), ValueError, r"hidden_layer_sizes=\(5, 0\) should hold ints >= 1"),
    (dict(hidden_layer_sizes=0), ValueError, r"hidden_layer_sizes=0 should be >= 1"),
    (dict(activation="softplus"), ValueError, r"activation='softplus' should be one of"),
    (dict(solver="rmsprop"), ValueError, r"solver='rmsprop' should be one of 'adam', 'lbfgs', 'sgd'"),
    (dict(learning_rate_init=0.0), ValueError, r"learning_rate_init=0.0 should be > 0"),
    (dict(validation_fraction=1.0), ValueError, r"validation_fraction=1.0 should be > 0 and < 1"),
    (dict(momentum=1.5), ValueError, r"momentum=1.5 should be >= 0 and <= 1"),
    (dict(batch_size="big"), ValueError, r"batch_size='big' should be one of 'auto'"),
    (dict(max_iter=2.5), TypeError, r"max_iter should be an int >= 1"),
])
def test_bad_parameters_are_refused(params, error, match):
    with pytest.raises(error, match=match):
        MLPClassifier(**params).fit(X_SMALL, Y_MULTICLASS)


def test_usage_errors():
    with pytest.raises(NotFittedError, match="MLPRegressor instance is not fitted yet"):
        MLPRegressor().predict(X_SMALL)
    for method in ("predict", "predict_proba", "predict_log_proba", "score"):
        with pytest.raises(NotFittedError, match="MLPClassifier instance is not fitted yet"):
            getattr(MLPClassifier(), method)(*([X_SMALL] if method != "score" else [X_SMALL, Y_MULTICLASS]))
    with pytest.raises(ValueError, match="MLPClassifier requires y to be passed, but the target y is None"):
        MLPClassifier().fit(X_SMALL, None)
    with pytest.raises(AttributeError, match="partial_fit is only available for the stochastic solvers"):
        MLPRegressor(solver="lbfgs").partial_fit(X_SMALL, Y_REGRESSION)
    assert not hasattr(MLPClassifier(solver="lbfgs"), "partial_fit")
    with pytest.raises(ValueError, match="partial_fit does not support early_stopping=True"):
        MLPRegressor(early_stopping=True).partial_fit(X_SMALL, Y_REGRESSION)
    model = _fit_quietly(MLPClassifier(**SMALL, max_iter=2), X_SMALL, Y_MULTICLASS)
    with pytest.raises(ValueError, match=r"X has 2 features, but MLPClassifier is expecting 5 features as input"):
        model.predict(X_SMALL[:, :2])
    with pytest.raises(ValueError, match=r"y has 1 class\(es\)"):
        MLPClassifier().fit(X_SMALL, np.zeros(60))
    model.set_params(warm_start=True, hidden_layer_sizes=(4,))
    with pytest.raises(ValueError, match=r"warm_start: the fitted network has layer sizes \[5, 6, 4, 3\] and output .softmax., but this data and hidden_layer_sizes give \[5, 4, 3\]"):
        model.fit(X_SMALL, Y_MULTICLASS)
    with pytest.raises(ValueError, match="validation_fraction=0.1 of n_samples=10 gives a validation set of 1"):
        MLPRegressor(early_stopping=True).fit(X_SMALL[:10], Y_REGRESSION[:10])
    with pytest.warns(UserWarning, match="batch_size=100 is larger than n_samples=60; using 60"):
        _fit_quietly(MLPRegressor(batch_size=100, max_iter=1), X_SMALL, Y_REGRESSION)


# ---- scikit-learn's parameters, each against scikit-learn ----------------------------------------

Y_COUNTS = np.random.default_rng(4).poisson(np.exp(0.5 * X_SMALL[:, 0] - 0.3 * X_SMALL[:, 2])).astype(float)


def test_positional_parameters_as_sklearn():
    model = MLPClassifier((64, 32), "tanh")
    assert model.hidden_layer_sizes == (64, 32) and model.activation == "tanh"
    model = MLPRegressor("poisson", (8,), "logistic")
    assert (model.loss, model.hidden_layer_sizes, model.activation) == ("poisson", (8,), "logistic")


def test_poisson_loss_value_is_scikit_learns():
    from sklearn.neural_network._base import poisson_loss

    xp, rng = make_backend("numpy").xp, np.random.default_rng(2)
    W = [rng.standard_normal((4, 3))]
    Y, mu = rng.poisson(2.0, (10, 2)).astype(float), rng.uniform(0.1, 4.0, (10, 2))
    penalty = 0.2 / 20 * np.sum(W[0] ** 2)
    assert float(bp.loss_value(xp, "poisson", Y, mu, W, 0.2)) == pytest.approx(poisson_loss(Y, mu) + penalty, rel=1e-14)


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_poisson_regression_matches_sklearn_step_by_step(backend, solver):
    params = SMALL | dict(loss="poisson", activation="tanh", solver=solver, alpha=0.01, shuffle=False,
                          learning_rate_init=0.01, max_iter=15, tol=0.0)
    ours = _fit_quietly(MLPRegressor(random_state=3, **params), X_SMALL, Y_COUNTS)
    ref = _fit_quietly(_sklearn_from_our_init(skl.MLPRegressor, [5, 6, 4, 1], 3, **params), X_SMALL, Y_COUNTS)
    assert ours.out_activation_ == ref.out_activation_ == "exp"
    if solver == "lbfgs":  # another L-BFGS implementation: the same minimum, not the same steps
        assert ours.loss_ == pytest.approx(ref.loss_, rel=0.05)
        return
    assert ours.n_iter_ == ref.n_iter_
    assert_allclose(ours.loss_curve_, ref.loss_curve_, rtol=1e-12)
    assert_allclose(ours.predict(X_SMALL), ref.predict(X_SMALL), rtol=1e-10)


def test_poisson_needs_non_negative_targets(backend):
    with pytest.raises(ValueError, match=r"loss='poisson' needs targets y >= 0; got a minimum of -"):
        MLPRegressor("poisson", (4,), solver="lbfgs").fit(X_SMALL, Y_REGRESSION)
    with pytest.raises(ValueError, match=r"loss='absolute_error' should be one of 'poisson', 'squared_error'"):
        MLPRegressor("absolute_error").fit(X_SMALL, Y_REGRESSION)


@pytest.mark.parametrize("cls, y", [(MLPClassifier, Y_MULTICLASS), (MLPRegressor, Y_REGRESSION)])
def test_max_fun_stops_lbfgs_as_sklearn(backend, cls, y, monkeypatch):
    calls = []
    real = _solvers.loss_and_gradient_of

    def counting(model):
        fun = real(model)
        return lambda *args: (calls.append(1), fun(*args))[1]

    monkeypatch.setattr(_solvers, "loss_and_gradient_of", counting)
    params = dict(SMALL, activation="tanh", solver="lbfgs", max_iter=500, max_fun=12)
    with pytest.warns(ConvergenceWarning, match=r"max_fun=12 loss evaluations reached"):
        ours = cls(random_state=0, **params).fit(X_SMALL, y)
    with pytest.warns(SklearnConvergenceWarning, match=r"lbfgs failed to converge"):
        ref = getattr(skl, cls.__name__)(random_state=0, **params).fit(X_SMALL, y)
    assert ours.n_iter_ <= 12 and ref.n_iter_ <= 12  # stopped by max_fun long before max_iter, as scikit-learn
    assert ours.loss_ == ours._solver.loss_curve[-1]
    assert len(calls) <= 12 + ours.n_iter_  # max_fun evaluations, and one loss per iterate recorded
    full = _fit_quietly(cls(random_state=0, **(params | dict(max_fun=15000))), X_SMALL, y)
    assert full.n_iter_ > ours.n_iter_


# ---- sample weights -----------------------------------------------------------------------------

SAMPLE_WEIGHT = np.random.default_rng(5).uniform(0.1, 3.0, 60)


@pytest.mark.parametrize("kind, y, params", [
    ("classifier", Y_MULTICLASS, dict(activation="tanh", solver="adam", learning_rate_init=0.01)),
    ("classifier", Y_BINARY, dict(activation="relu", solver="sgd", learning_rate_init=0.5)),
    ("regressor", Y_REGRESSION, dict(activation="relu", solver="adam", learning_rate_init=0.01)),
], ids=["adam-softmax", "sgd-binary", "adam-regression"])
def test_sample_weight_matches_sklearn_step_by_step(backend, kind, y, params):
    params = SMALL | dict(alpha=0.01, shuffle=True, max_iter=10, tol=0.0) | params
    ours_cls, sk_cls = (MLPClassifier, skl.MLPClassifier) if kind == "classifier" else (MLPRegressor, skl.MLPRegressor)
    ours = _fit_quietly(ours_cls(random_state=3, **(params | dict(shuffle=False))), X_SMALL, y,
                        sample_weight=SAMPLE_WEIGHT)
    n_out = 1 if kind == "regressor" or len(np.unique(y)) == 2 else 3
    ref = _fit_quietly(_sklearn_from_our_init(sk_cls, [5, 6, 4, n_out], 3, **(params | dict(shuffle=False))),
                       X_SMALL, y, sample_weight=SAMPLE_WEIGHT)
    assert_allclose(ours.loss_curve_, ref.loss_curve_, rtol=1e-12)
    for got, want in zip([*ours.coefs_, *ours.intercepts_], [*ref.coefs_, *ref.intercepts_]):
        assert_on_backend(got, backend)
        assert_allclose(got, want, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("cls, y", [(MLPClassifier, Y_MULTICLASS), (MLPRegressor, Y_REGRESSION)])
def test_sample_weight_with_lbfgs_reaches_sklearns_minimum(backend, cls, y):
    """Weighted average of the loss terms, penalty α/(2 Σ s) ‖W‖²: the minimum scikit-learn's L-BFGS finds."""
    params = dict(hidden_layer_sizes=(4,), activation="tanh", solver="lbfgs", alpha=0.1, max_iter=2000, tol=1e-10)
    ours = _fit_quietly(cls(random_state=0, **params), X_SMALL, y, sample_weight=SAMPLE_WEIGHT)
    ref = _fit_quietly(_sklearn_from_our_init(getattr(skl, cls.__name__), [5, 4, 3 if cls is MLPClassifier else 1],
                                              0, **params), X_SMALL, y, sample_weight=SAMPLE_WEIGHT)
    assert ours.loss_ == pytest.approx(ref.loss_, rel=1e-4)
    unweighted = _fit_quietly(cls(random_state=0, **params), X_SMALL, y)
    assert abs(unweighted.loss_ - ref.loss_) > 1e-3  # the weights matter


def test_sample_weight_gradient_and_integer_weights_repeat_samples(backend):
    """Weight 2 counts a sample twice: the same loss and gradients as repeating it."""
    xp = make_backend(backend).xp
    units = [5, 6, 3]
    coefs, intercepts = bp.glorot_uniform(check_random_state(0), make_backend(backend), units, "tanh", "float64")
    theta = bp.pack(xp, coefs, intercepts)
    Y = np.eye(3)[Y_MULTICLASS[:20]]
    w = np.arange(20) % 3  # 0, 1 or 2 copies
    X_rep, Y_rep = np.repeat(X_SMALL[:20], w, axis=0), np.repeat(Y, w, axis=0)
    options = dict(layer_units=tuple(units), activation="tanh", out_activation="softmax", loss="log_loss", alpha=0.3)
    on = lambda a: to_backend(a, make_backend(backend))  # noqa: E731
    J_w, g_w = bp.flat_loss_and_gradient(xp, theta, on(X_SMALL[:20]), on(Y), on(w.astype(float)), **options)
    J_r, g_r = bp.flat_loss_and_gradient(xp, theta, on(X_rep), on(Y_rep), **options)
    assert float(J_w) == pytest.approx(float(J_r), rel=1e-12)
    assert_allclose(g_w, to_numpy(g_r), rtol=1e-10, atol=1e-14)
