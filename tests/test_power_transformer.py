"""PowerTransformer and power_transform against scikit-learn on every backend (lambdas_, transform, inverse,
the internal scaler, missing values), the fitted λ against the closed-form derivative of the log-likelihood,
and the batched, safeguarded Newton search that finds it (xpml.optim.newton_maximize)."""

import warnings

import numpy as np
import pytest
import sklearn.preprocessing as skp

import xpml
from tests.helpers import assert_allclose, assert_on_backend
from xpml.exceptions import NotFittedError
from xpml.optim import newton_maximize
from xpml.preprocessing import PowerTransformer, power_transform

RNG = np.random.default_rng(3)
POSITIVE = np.column_stack([RNG.lognormal(0.0, 0.5, 40), RNG.exponential(2.0, 40) + 0.5, RNG.gamma(3.0, 1.0, 40)])
MIXED = np.column_stack([RNG.standard_normal(40) * 2 + 1, RNG.exponential(1.0, 40) - 1.5, -RNG.lognormal(0, 0.6, 40)])
HOLES = np.where(RNG.random((40, 3)) < 0.15, np.nan, 1.0)  # NaN (missing) where 15% of the entries were
CASES = [("box-cox", POSITIVE), ("yeo-johnson", MIXED), ("box-cox", POSITIVE * HOLES), ("yeo-johnson", MIXED * HOLES),
         ("yeo-johnson", POSITIVE)]
# scikit-learn finds λ with scipy's Brent (Box-Cox) or bounded Brent (Yeo-Johnson, xtol=1.48e-8): its own λ is within
# about 2e-8 of the maximum (6e-7 relative where λ is near 0.03), measured against a 40-digit mpmath root of the
# derivative; xpml's within 2e-13 (test_lambdas_are_the_maximum_of_the_likelihood).
LAMBDA_RTOL = 1e-6


@pytest.mark.parametrize("method, X", CASES, ids=[f"{m}-{i}" for i, (m, _) in enumerate(CASES)])
def test_lambdas_transform_and_inverse_match_sklearn(xp, backend, method, X):
    ref = skp.PowerTransformer(method=method).fit(X)
    pt = PowerTransformer(method=method).fit(xp.asarray(X, device=backend.device))
    assert_on_backend(pt.lambdas_, backend)
    assert_allclose(pt.lambdas_, ref.lambdas_, rtol=LAMBDA_RTOL)
    Z = pt.transform(xp.asarray(X, device=backend.device))
    assert_on_backend(Z, backend)
    assert_allclose(Z, ref.transform(X), rtol=1e-6, atol=1e-7)  # NaN where X had NaN, on both sides
    assert_allclose(pt._scaler.mean_, ref._scaler.mean_, rtol=1e-6, atol=1e-7)
    assert_allclose(pt._scaler.scale_, ref._scaler.scale_, rtol=1e-6)
    np.testing.assert_array_equal(xpml.to_numpy(pt._scaler.n_samples_seen_), (~np.isnan(X)).sum(axis=0))
    assert_allclose(pt.inverse_transform(Z), X, rtol=1e-12, atol=1e-12)  # the inverse is exact to rounding


def _loglik_slope(method, x, lmbda):
    """dℓ/dλ at λ, in closed form: Σ J(x) - n cov(ψ, ∂ψ/∂λ) / var(ψ), x the observed values of one feature."""
    if method == "box-cox":
        power = x**lmbda
        y = (power - 1) / lmbda
        dy = (power * np.log(x) - y) / lmbda
        jacobian = np.log(x).sum()
    else:
        u = np.where(x >= 0, 1 + x, 1 - x)
        m = np.where(x >= 0, lmbda, 2 - lmbda)  # the exponent on each side
        y = np.where(x >= 0, (u**m - 1) / m, -(u**m - 1) / m)
        dy = np.where(x >= 0, (u**m * np.log(u) - y) / m, (u**m * np.log(u) + y) / m)
        jacobian = (np.sign(x) * np.log1p(np.abs(x))).sum()
    return jacobian - len(x) * np.mean((y - y.mean()) * (dy - dy.mean())) / y.var()


@pytest.mark.parametrize("method, X", CASES[:4], ids=[f"{m}-{i}" for i, (m, _) in enumerate(CASES[:4])])
def test_lambdas_are_the_maximum_of_the_likelihood(method, X):
    """The likelihood rises up to each λ and falls after it, within 1e-11 (1 + |λ|): the maximum itself, far
    tighter than scikit-learn's own search stops (LAMBDA_RTOL)."""
    lambdas = xpml.to_numpy(PowerTransformer(method=method).fit(X).lambdas_)
    for j, lmbda in enumerate(lambdas):
        x = X[~np.isnan(X[:, j]), j]
        step = 1e-11 * (1 + abs(lmbda))
        assert _loglik_slope(method, x, lmbda - step) > 0 > _loglik_slope(method, x, lmbda + step), (method, j)


def test_box_cox_lambda_does_not_depend_on_the_scale_of_x():
    """x → cx only shifts Box-Cox's log-likelihood (by -n log c): the same λ for data scaled by 1e150 or 1e-150,
    where x^λ itself would overflow for the λ of the unscaled data's search interval."""
    lambdas = xpml.to_numpy(PowerTransformer("box-cox").fit(POSITIVE).lambdas_)
    for scale in (1e150, 1e-150):
        scaled = PowerTransformer("box-cox").fit(POSITIVE * scale)
        np.testing.assert_allclose(xpml.to_numpy(scaled.lambdas_), lambdas, rtol=1e-6)
        assert np.isfinite(xpml.to_numpy(scaled.transform(POSITIVE * scale))).all()


def test_standardize_false_fit_transform_and_the_function(xp, backend):
    X = xp.asarray(MIXED, device=backend.device)
    ref = skp.PowerTransformer(standardize=False).fit(MIXED)
    pt = PowerTransformer(standardize=False).fit(X)
    assert pt._scaler is None
    assert_allclose(pt.transform(X), ref.transform(MIXED), rtol=1e-6)
    assert_allclose(pt.inverse_transform(pt.transform(X)), MIXED, rtol=1e-12, atol=1e-12)
    assert_allclose(PowerTransformer().fit_transform(X), PowerTransformer().fit(X).transform(X), rtol=0, atol=0)
    got = power_transform(X)  # on X's backend, as X
    assert_on_backend(got, backend)
    assert_allclose(got, skp.power_transform(MIXED), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(power_transform(POSITIVE, "box-cox", standardize=False),
                               skp.power_transform(POSITIVE, "box-cox", standardize=False), rtol=1e-6)


def test_constant_feature_keeps_lambda_one_under_yeo_johnson():
    X = np.column_stack([np.full(40, 2.5), MIXED[:, 1]])
    pt, ref = PowerTransformer().fit(X), skp.PowerTransformer().fit(X)
    np.testing.assert_array_equal(xpml.to_numpy(pt.lambdas_)[0], 1.0)
    np.testing.assert_allclose(xpml.to_numpy(pt.lambdas_), ref.lambdas_, rtol=LAMBDA_RTOL)
    np.testing.assert_allclose(pt.transform(X), ref.transform(X), rtol=1e-6, atol=1e-7)  # the constant: 0


def test_float32_keeps_its_precision_and_the_float64_lambda():
    """λ is searched in float64 whatever X's precision, then kept in X's dtype, as the transform is."""
    X32 = POSITIVE.astype(np.float32)
    pt = PowerTransformer("box-cox").fit(X32)
    assert pt.lambdas_.dtype == np.float32 and pt.transform(X32).dtype == np.float32
    ref = skp.PowerTransformer("box-cox").fit(X32.astype(np.float64))
    np.testing.assert_allclose(pt.lambdas_, ref.lambdas_, rtol=1e-6)
    np.testing.assert_allclose(pt.transform(X32), ref.transform(X32.astype(np.float64)), rtol=1e-5, atol=1e-5)


def test_box_cox_refuses_what_it_cannot_transform():
    with pytest.raises(ValueError, match=r"The Box-Cox transformation can only be applied to strictly positive "
                                         r"data; column 1 of X holds -1.5"):
        PowerTransformer("box-cox").fit(np.column_stack([POSITIVE[:, 0], np.r_[-1.5, POSITIVE[1:, 1]]]))
    fitted = PowerTransformer("box-cox").fit(POSITIVE)
    with pytest.raises(ValueError, match=r"strictly positive data; column 2 of X holds 0.0"):
        fitted.transform(np.where(np.arange(3) == 2, 0.0, POSITIVE))
    with pytest.raises(ValueError, match=r"Data must not be constant: column 0 of X holds the single value 3.0"):
        PowerTransformer("box-cox").fit(np.column_stack([np.full(40, 3.0), POSITIVE[:, 1]]))
    with pytest.raises(ValueError, match=r"Column 1 of X must not be all NaN"):
        PowerTransformer().fit(np.column_stack([MIXED[:, 0], np.full(40, np.nan)]))
    with pytest.raises(ValueError, match=r"method='box_cox' should be one of 'box-cox', 'yeo-johnson'"):
        PowerTransformer("box_cox").fit(POSITIVE)
    with pytest.raises(NotFittedError):
        PowerTransformer().transform(POSITIVE)


def test_inverse_outside_the_range_warns_as_sklearn_does():
    """Box-Cox with λ > 0 maps onto (-1/λ, ∞): a transformed value below -1/λ has no inverse (NaN), with a warning
    that names its column, as in scikit-learn."""
    pt = PowerTransformer("box-cox", standardize=False).fit(POSITIVE)
    lmbda = float(xpml.to_numpy(pt.lambdas_)[2])
    assert lmbda > 0
    Z = np.array([[0.1, 0.1, -2 / lmbda]])
    with pytest.warns(UserWarning, match=r"Some values in column 2 of the inverse-transformed data are NaN"):
        got = pt.inverse_transform(Z)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = skp.PowerTransformer("box-cox", standardize=False).fit(POSITIVE).inverse_transform(Z)
    np.testing.assert_allclose(got, want, rtol=1e-6)  # NaN in the same place


def test_frames_give_names_out():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(MIXED, columns=["a", "b", "c"])
    pt = PowerTransformer().set_output(transform="pandas").fit(frame)
    out = pt.transform(frame)
    assert list(out.columns) == ["a", "b", "c"] and list(pt.feature_names_in_) == ["a", "b", "c"]
    np.testing.assert_allclose(out.to_numpy(), skp.power_transform(MIXED), rtol=1e-6, atol=1e-7)


# ---- the batched, safeguarded Newton search ------------------------------------------------------------

def test_newton_finds_each_maximum_of_a_batch(xp, backend):
    """Five problems at once: an asymmetric peak inside its interval, one whose maximum is the interval's upper
    end, the flat top of a quartic, -√(1 + d²), whose Newton steps from afar overshoot (they are -d (1 + d²)):
    the bracket turns those into bisections, and a parabola undefined (NaN) beyond x = 3, started at 8. Each ends
    at its maximum to the rounding of x; the one on the edge, on the edge itself."""
    centres = xp.asarray([0.3, 5.0, -2.0, 1.0, 0.5], dtype=xp.float64, device=backend.device)

    def derivatives(x):  # (5,) -> (5,), (5,)
        d = x - centres
        root, undefined = xp.sqrt(1 + d[3] ** 2), xp.where(x[4] > 3, xp.nan, 0 * d[4])
        slope = xp.stack([-2 * d[0] + d[0] ** 2, -2 * d[1], -4 * d[2] ** 3 - 2 * d[2], -d[3] / root,
                          -2 * d[4] + undefined])
        curvature = xp.stack([-2 + 2 * d[0], -2 + 0 * d[1], -12 * d[2] ** 2 - 2, -1 / root ** 3, -2 + undefined])
        return slope, curvature

    like = {"dtype": xp.float64, "device": backend.device}
    low, high = xp.asarray([-1.0, 0.0, -10.0, -20.0, 0.0], **like), xp.asarray([1.0, 2.0, 10.0, 30.0, 10.0], **like)
    result = newton_maximize(derivatives, low, high, xp.asarray([0.9, 0.5, -0.5, 25.0, 8.0], **like))
    assert_on_backend(result.x, backend)
    x = xpml.to_numpy(result.x)
    assert result.converged and result.n_iter <= 12
    np.testing.assert_allclose(x[[0, 2, 3, 4]], [0.3, -2.0, 1.0, 0.5], rtol=1e-15, atol=0)
    assert x[1] == 2.0  # on the edge, reached by a step clipped to it


@pytest.mark.parametrize("method", ["yeo-johnson", "box-cox"])
def test_blocks_of_samples_pooled_give_the_lambdas_of_one(monkeypatch, method):
    """Large data are searched a block of samples at a time (their sums pooled), the first steps over one block in
    eight: with blocks of 8 samples, so that 400 make 50 blocks, those of one sign only and mixed ones, with missing
    values, λ is that of the whole data as one block, to rounding."""
    import xpml.preprocessing._power_likelihood as likelihood

    rng = np.random.default_rng(5)
    X = rng.lognormal(0.0, 0.6, (400, 3)) * np.where(np.arange(400)[:, None] < 200, 1.0, -1.0)  # + then - rows
    X[300:, 2] = rng.standard_normal(100)  # mixed rows
    X = np.where(rng.random(X.shape) < 0.1, np.nan, X)
    X = np.abs(X) if method == "box-cox" else X
    whole = xpml.to_numpy(PowerTransformer(method).fit(X).lambdas_)
    monkeypatch.setattr(likelihood, "_SHARE", 2**18 // 24)  # chunk_rows' budget over 8 rows of 3 values
    blocks = xpml.to_numpy(PowerTransformer(method).fit(X).lambdas_)
    np.testing.assert_allclose(blocks, whole, rtol=1e-13, atol=1e-13)  # within 1e-13 (1 + |λ|)
    np.testing.assert_allclose(blocks, skp.PowerTransformer(method=method).fit(X).lambdas_, rtol=LAMBDA_RTOL)
