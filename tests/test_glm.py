"""PoissonRegressor, GammaRegressor and TweedieRegressor against scikit-learn, and the Tweedie deviance metrics.

The oracle of a fit is scikit-learn's fit of the same model with solver="newton-cholesky" and tol=1e-10: Newton's
method converges quadratically, so it stops within rounding of the unique minimizer (α > 0). xpml's Newton-Cholesky
follows the same rules and lands there too (measured: coef_ within 1e-16, the same n_iter_); its L-BFGS stops when
the relative decrease of the objective falls below 64 machine epsilons, within about 1e-8 of the minimizer on these
data: both are compared with it, to 1e-9 and 1e-6 (relative to max(1, |θ|)). The metrics are compared with
scikit-learn's to 1e-12 on the same predictions.
"""

import numpy as np
import pytest
import sklearn.linear_model as sk
import sklearn.metrics as skm

import xpml
from tests.helpers import assert_on_backend
from xpml.exceptions import ConvergenceWarning, LinAlgWarning, UndefinedMetricWarning
from xpml.linear_model import GammaRegressor, PoissonRegressor, TweedieRegressor
from xpml.metrics import d2_tweedie_score, mean_gamma_deviance, mean_poisson_deviance, mean_tweedie_deviance

_rng = np.random.default_rng(0)
X = _rng.normal(size=(30, 3))  # (30, 3)
MU = np.exp(X @ np.array([0.4, -0.3, 0.2]) + 0.5)  # (30,) the true means
COUNTS = _rng.poisson(MU).astype(float)  # Poisson counts, with zeros
POSITIVE = _rng.gamma(2.0, MU / 2.0)  # gamma-distributed, > 0
WEIGHT = _rng.uniform(0.2, 3.0, size=30)

# (xpml class, scikit-learn class, parameters, target): each family on the target it is made for
MODELS = [
    (PoissonRegressor, sk.PoissonRegressor, {}, COUNTS),
    (GammaRegressor, sk.GammaRegressor, {}, POSITIVE),
    (TweedieRegressor, sk.TweedieRegressor, {"power": 1.5}, COUNTS),  # log link, compound Poisson-gamma
    (TweedieRegressor, sk.TweedieRegressor, {"power": 0.0}, POSITIVE - 1.0),  # identity link: least squares
    (TweedieRegressor, sk.TweedieRegressor, {"power": 1.5, "link": "identity"}, POSITIVE + 1.0),
]


def _theta(model):
    return np.append(xpml.to_numpy(model.coef_), float(model.intercept_))


_ORACLES = {}


def _oracle(sk_class, params, y, weight=None):
    """scikit-learn's fit of the model to rounding (Newton, tol=1e-10), once per session."""
    key = (sk_class.__name__, tuple(sorted(params.items())), y.tobytes(), None if weight is None else weight.tobytes())
    if key not in _ORACLES:
        _ORACLES[key] = sk_class(tol=1e-10, solver="newton-cholesky", **params).fit(X, y, sample_weight=weight)
    return _ORACLES[key]


def test_fits_reach_sklearns_minimum_with_both_solvers(backend, xp, device):
    Xb = xp.asarray(X, device=device)
    for ours_class, sk_class, params, y in MODELS:
        weight = WEIGHT if ours_class is GammaRegressor else None  # one family weighted
        sk_model = _oracle(sk_class, dict(params, alpha=0.1), y, weight)
        exact = _theta(sk_model)
        for solver, atol in (("newton-cholesky", 1e-9), ("lbfgs", 1e-6)):
            ours = ours_class(alpha=0.1, solver=solver, tol=1e-10, **params).fit(
                Xb, xp.asarray(y, device=device), sample_weight=weight)
            assert_on_backend(ours.coef_, backend)
            assert ours.coef_.shape == (3,) and ours.intercept_.shape == () and isinstance(ours.n_iter_, int)
            msg = f"{ours_class.__name__}({params}, solver={solver!r})"
            np.testing.assert_allclose(_theta(ours), exact, rtol=0, atol=atol * max(1.0, np.abs(exact).max()),
                                       err_msg=msg)
            if solver == "newton-cholesky":  # the same steps as scikit-learn's
                assert ours.n_iter_ == sk_model.n_iter_, msg
            mu = ours.predict(Xb)
            assert_on_backend(mu, backend)
            np.testing.assert_allclose(xpml.to_numpy(mu), sk_model.predict(X), rtol=10 * atol, err_msg=msg)
            np.testing.assert_allclose(ours.score(Xb, y, sample_weight=weight), sk_model.score(X, y, weight),
                                       rtol=0, atol=10 * atol, err_msg=msg)


@pytest.mark.parametrize("solver", ["lbfgs", "newton-cholesky"])
def test_integer_weights_are_repeated_rows_and_no_intercept_as_sklearn(solver):
    weight = np.arange(30) % 3  # 0, 1, 2: rows left out, kept, doubled
    repeated = np.repeat(np.arange(30), weight)
    weighted = PoissonRegressor(alpha=0.05, solver=solver, tol=1e-10, fit_intercept=False).fit(X, COUNTS, weight)
    copies = PoissonRegressor(alpha=0.05, solver=solver, tol=1e-10, fit_intercept=False).fit(X[repeated],
                                                                                          COUNTS[repeated])
    np.testing.assert_allclose(xpml.to_numpy(weighted.coef_), xpml.to_numpy(copies.coef_), rtol=0, atol=1e-7)
    assert float(weighted.intercept_) == 0.0
    exact = _oracle(sk.PoissonRegressor, dict(alpha=0.05, fit_intercept=False), COUNTS, weight).coef_
    np.testing.assert_allclose(xpml.to_numpy(weighted.coef_), exact, rtol=0, atol=1e-6)


def test_tweedie_powers_1_and_2_are_poisson_and_gamma():
    for power, other, y in ((1, PoissonRegressor, COUNTS), (2, GammaRegressor, POSITIVE)):
        tweedie = TweedieRegressor(power=power, alpha=0.1).fit(X, y)
        np.testing.assert_array_equal(_theta(tweedie), _theta(other(alpha=0.1).fit(X, y)))
    # "auto": the identity link for power <= 0 (μ = X w + b), the log link above
    for power, link in ((-1.0, "identity"), (0.0, "identity"), (0.5, "log")):
        model = TweedieRegressor(power=power).fit(X, POSITIVE)
        eta = X @ xpml.to_numpy(model.coef_) + float(model.intercept_)
        np.testing.assert_allclose(xpml.to_numpy(model.predict(X)), eta if link == "identity" else np.exp(eta),
                                   rtol=1e-12)


@pytest.mark.parametrize("make, y, message", [
    (PoissonRegressor, -COUNTS, r"PoissonRegressor needs y >= 0 \(the Poisson deviance takes y log y\); y holds "),
    (GammaRegressor, COUNTS, r"GammaRegressor needs y > 0 \(the gamma deviance takes log y\); y holds 0.0"),
    (lambda: TweedieRegressor(power=1.5), -COUNTS, r"TweedieRegressor\(power=1.5\) needs y >= 0 \(with 0 < power=1.5 "
                                                   r"< 2 the deviance takes y\^\(2-p\)\); y holds -"),
    (lambda: TweedieRegressor(power=3), COUNTS, r"TweedieRegressor\(power=3\) needs y > 0 .*; y holds 0.0"),
    (PoissonRegressor, 0 * COUNTS, r"starts from the intercept log\(ȳ\), which needs the weighted mean of y > 0"),
    (lambda: TweedieRegressor(power=1.5, link="identity", fit_intercept=False), COUNTS,
     r"link='identity' with power=1.5 needs μ > 0, and w = 0 without an intercept predicts μ = 0"),
])
def test_targets_outside_the_deviance_are_refused_by_name(make, y, message):
    with pytest.raises(ValueError, match=message):
        make().fit(X, y)


def test_score_checks_y_too_and_a_negative_target_suits_the_normal_model():
    model = PoissonRegressor().fit(X, COUNTS)
    with pytest.raises(ValueError, match=r"PoissonRegressor needs y >= 0"):
        model.score(X, -COUNTS)
    TweedieRegressor(power=0).fit(X, -COUNTS)  # the normal deviance takes any y


def test_newton_hands_over_to_lbfgs_where_the_hessian_is_singular():
    """Two equal columns and α = 0: H is singular. As scikit-learn, Newton warns and L-BFGS finishes the fit; the
    predictions (unique, unlike the coefficients) are the minimum's."""
    X_twice = np.c_[X, X[:, :1]]  # (30, 4)
    with pytest.warns(LinAlgWarning, match=r"hands over to L-BFGS at iteration 1: the Hessian is singular"):
        ours = PoissonRegressor(alpha=0.0, solver="newton-cholesky", tol=1e-10).fit(X_twice, COUNTS)
    exact = _oracle(sk.PoissonRegressor, {"alpha": 0.0}, COUNTS).predict(X)
    np.testing.assert_allclose(xpml.to_numpy(ours.predict(X_twice)), exact, rtol=1e-6)


def test_warm_start_and_max_iter():
    model = GammaRegressor(alpha=0.1, solver="newton-cholesky", tol=1e-10, warm_start=True).fit(X, POSITIVE)
    assert model.n_iter_ > 2
    model.fit(X, POSITIVE)  # from the minimum: one step confirms it
    assert model.n_iter_ == 1
    with pytest.warns(ConvergenceWarning, match=r"GammaRegressor \(solver='lbfgs'\) did not converge: max_iter=1"):
        GammaRegressor(max_iter=1, tol=1e-10).fit(X, POSITIVE)


def test_float32_stays_float32_near_the_float64_fit():
    ours = PoissonRegressor(alpha=0.1, solver="newton-cholesky").fit(X.astype(np.float32), COUNTS.astype(np.float32))
    assert ours.coef_.dtype == np.float32 and ours.predict(X.astype(np.float32)).dtype == np.float32
    exact = _theta(_oracle(sk.PoissonRegressor, {"alpha": 0.1}, COUNTS))
    np.testing.assert_allclose(_theta(ours), exact, atol=1e-4)


# ---- the deviance metrics ---------------------------------------------------------------------

def test_deviances_and_d2_match_sklearn(backend, xp, device):
    pred = MU * np.exp(0.3 * _rng.normal(size=30))  # (30,) > 0
    y_true, y_pred = xp.asarray(POSITIVE, device=device), xp.asarray(pred, device=device)
    counts = xp.asarray(COUNTS, device=device)
    for power in (-1.0, 0.0, 1.0, 1.5, 2.0, 3.0):
        y, y_host = (counts, COUNTS) if 1 <= power < 2 else (y_true, POSITIVE)  # zeros where the power takes them
        for weight in (None, WEIGHT):
            msg = f"power={power}, weighted={weight is not None}"
            for ours, theirs in ((mean_tweedie_deviance, skm.mean_tweedie_deviance),
                                 (d2_tweedie_score, skm.d2_tweedie_score)):
                want = theirs(y_host, pred, sample_weight=weight, power=power)
                assert ours(y, y_pred, sample_weight=weight, power=power) == pytest.approx(want, rel=1e-12), msg
    assert mean_poisson_deviance(counts, y_pred) == pytest.approx(skm.mean_poisson_deviance(COUNTS, pred), rel=1e-12)
    assert mean_gamma_deviance(y_true, y_pred, sample_weight=WEIGHT) == pytest.approx(
        skm.mean_gamma_deviance(POSITIVE, pred, sample_weight=WEIGHT), rel=1e-12)
    assert mean_tweedie_deviance(y_true, y_true, power=2) == 0.0 and d2_tweedie_score(y_true, y_true, power=1) == 1.0


@pytest.mark.parametrize("call, message", [
    (lambda: mean_poisson_deviance([1.0, -1.0], [1.0, 1.0]), r"mean_poisson_deviance with power=1.0 needs y_true >= 0; "
                                                              r"y_true holds -1.0"),
    (lambda: mean_gamma_deviance([1.0, 0.0], [1.0, 1.0]), r"needs y_true > 0; y_true holds 0.0"),
    (lambda: mean_tweedie_deviance([1.0, 2.0], [1.0, 0.0], power=-1), r"power=-1.0 needs y_pred > 0; y_pred holds 0.0"),
    (lambda: mean_tweedie_deviance([1.0, 2.0], [1.0, 2.0], power=0.5), r"power=0.5 should be <= 0 or >= 1"),
    (lambda: d2_tweedie_score([[1.0, 2.0]] * 2, [[1.0, 2.0]] * 2), r"d2_tweedie_score takes a single output"),
])
def test_deviance_domains_are_refused_by_name(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_d2_of_a_single_sample_is_nan_with_a_warning():
    with pytest.warns(UndefinedMetricWarning, match=r"D² is undefined with fewer than two samples; got 1"):
        assert np.isnan(d2_tweedie_score([1.0], [2.0], power=1))


def test_deviance_scorers_are_sklearns():
    from xpml.metrics import get_scorer

    model = PoissonRegressor(alpha=0.1).fit(X, COUNTS)
    for name in ("neg_mean_poisson_deviance", "neg_mean_gamma_deviance"):
        assert get_scorer(name)(model, X, POSITIVE) == pytest.approx(skm.get_scorer(name)(model, X, POSITIVE),
                                                                    rel=1e-12), name
