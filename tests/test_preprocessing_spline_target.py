"""SplineTransformer, TargetEncoder and MultiLabelBinarizer against scikit-learn: the B-spline values of every
extrapolation mode on both kinds of knots, weighted knots, missing values and sparse output; the target encodings,
target means and cross-fitted output of each target type on the same folds; label sets and their inverse; and the
errors of each."""

import warnings

import numpy as np
import pytest
import sklearn.preprocessing as skp
from sklearn.model_selection import KFold as SkKFold, StratifiedKFold as SkStratifiedKFold

import xpml
from tests.helpers import assert_allclose, assert_on_backend
from xpml.exceptions import NotFittedError
from xpml.preprocessing import MultiLabelBinarizer, SplineTransformer, TargetEncoder
from xpml.preprocessing._bsplines import spread

RNG = np.random.default_rng(7)
X = RNG.standard_normal((20, 2))
BEYOND = np.vstack([X, 3 * X[:4], [[-9.0, 9.0]]])  # values beyond the knots on both sides
MODES = ["error", "constant", "linear", "continue", "periodic"]


def _close(got, want):
    """Equal to rounding: 1e-12 of the largest value (far extrapolations of cubics reach ~1e3)."""
    want = np.asarray(want)
    assert_allclose(got, want, rtol=1e-12, atol=1e-12 * max(1.0, float(np.max(np.abs(want)))))


@pytest.mark.parametrize("extrapolation", MODES)
def test_splines_match_sklearn_in_every_mode_on_both_knots(xp, backend, extrapolation):
    data = X if extrapolation == "error" else BEYOND
    for knots, bias in (("uniform", True), ("quantile", False)):
        ref = skp.SplineTransformer(n_knots=5, degree=3, knots=knots, extrapolation=extrapolation,
                                    include_bias=bias).fit(X)
        est = SplineTransformer(n_knots=5, degree=3, knots=knots, extrapolation=extrapolation,
                                include_bias=bias).fit(xp.asarray(X, device=backend.device))
        out = est.transform(xp.asarray(data, device=backend.device))
        assert_on_backend(out, backend)
        _close(out, ref.transform(data))
        assert est.n_features_out_ == ref.n_features_out_
        np.testing.assert_array_equal(est.get_feature_names_out(), ref.get_feature_names_out())
        _close(est.knots_, np.stack([s.t for s in ref.bsplines_], axis=1))  # scikit-learn's BSpline knots


@pytest.mark.parametrize("degree", [0, 1, 2])
@pytest.mark.parametrize("extrapolation", MODES[1:])
def test_low_degrees_match_sklearn(degree, extrapolation):
    """scikit-learn's linear extrapolation of degree <= 1 raises its own `degree` inside its loop over features, so
    that only its first feature is right: it is compared one feature at a time. Its constant extrapolation of degree
    0 fails beyond the last knot (f_max[-0:] is every spline): left out."""
    if degree == 0 and extrapolation == "constant":
        data = np.vstack([X, [[-9.0, -9.0]]])  # below the knots only
    else:
        data = BEYOND
    est = SplineTransformer(4, degree, extrapolation=extrapolation, knots="quantile").fit(X)
    want = np.hstack([skp.SplineTransformer(4, degree, extrapolation=extrapolation, knots="quantile")
                      .fit(X[:, [j]]).transform(data[:, [j]]) for j in range(2)])
    _close(est.transform(data), want)


def test_weighted_knots_missing_values_given_knots_and_sparse_output():
    weights = RNG.uniform(0.0, 2.0, 20) * (np.arange(20) % 5 != 0)  # some of weight 0
    holes = np.where(RNG.random((20, 2)) < 0.2, np.nan, X)
    for knots in ("uniform", "quantile"):
        for data in (X, holes):
            params = dict(n_knots=4, knots=knots, handle_missing="zeros", extrapolation="linear")
            ref = skp.SplineTransformer(**params).fit(data, sample_weight=weights)
            est = SplineTransformer(**params).fit(data, sample_weight=weights)
            _close(est.transform(holes), ref.transform(holes))  # NaN: zeros in the feature's splines
    given = np.array([[-3.0, -2.0], [-1.0, 0.0], [0.5, 1.0], [3.0, 2.5]])
    ref = skp.SplineTransformer(knots=given, degree=2, extrapolation="continue", sparse_output=True).fit(X)
    est = SplineTransformer(knots=given, degree=2, extrapolation="continue", sparse_output=True).fit(X)
    sparse = est.transform(BEYOND)
    assert type(sparse).__name__ == "csr_matrix"
    _close(sparse.toarray(), ref.transform(BEYOND).toarray())


def test_splines_set_natively_or_by_comparison_and_in_several_blocks(xp, backend):
    """The local splines are set in their columns natively (numpy, torch: in place; jax: a scatter) or by comparing
    each column with the range (the standard's arrays): the same array. On numpy, 50 features of 22 splines are made
    187 rows a block (2**18 elements of temporaries, `chunk_rows`): the 4 blocks join into scikit-learn's output."""
    values = xp.asarray(RNG.standard_normal((3, 4, 2)), device=backend.device)
    columns = xp.asarray(np.array([[[0, 1], [1, 2], [2, 3], [3, 0]]])[[0, 0, 0]] + np.arange(3)[:, None, None],
                         device=backend.device)
    assert_allclose(spread(xp, values, columns, 6), spread(xp, values, columns, 6, native=False), rtol=0)
    if backend.name == "numpy":
        wide = RNG.standard_normal((700, 50))
        params = dict(n_knots=20, extrapolation="linear", include_bias=False)
        _close(SplineTransformer(**params).fit(wide).transform(1.2 * wide),
               skp.SplineTransformer(**params).fit(wide).transform(1.2 * wide))


def test_spline_errors():
    with pytest.raises(ValueError, match=r"X contains values beyond the limits of the knots"):
        SplineTransformer(extrapolation="error").fit(X).transform(BEYOND)
    with pytest.raises(ValueError, match=r"X contains NaN, and handle_missing='error' refuses it"):
        SplineTransformer().fit(np.where(X > 1, np.nan, X))
    with pytest.raises(ValueError, match=r"a minimum of 2 is required by SplineTransformer"):
        SplineTransformer().fit(X[:1])
    with pytest.raises(ValueError, match=r"knots has 1 columns but X has 2 features"):
        SplineTransformer(knots=[[0.0], [1.0]]).fit(X)
    with pytest.raises(ValueError, match=r"sorted along each column without duplicates"):
        SplineTransformer(knots=[[0.0, 0.0], [0.0, 1.0]]).fit(X)
    with pytest.raises(ValueError, match=r"Periodic splines need degree < n_knots; got n_knots=3 and degree=3"):
        SplineTransformer(3, extrapolation="periodic").fit(X)
    with pytest.raises(ValueError, match=r"sample_weight should be >= 0"):
        SplineTransformer().fit(X, sample_weight=-np.ones(20))
    with pytest.raises(NotFittedError):
        SplineTransformer().transform(X)


# ---- TargetEncoder -------------------------------------------------------------------------------

N = 30
CATS = np.column_stack([RNG.integers(0, 4, N), np.where(np.arange(N) % 7 == 3, np.nan, RNG.integers(0, 3, N))])
WORDS = np.array(["red", "green", "blue"], dtype=object)[RNG.integers(0, 3, N)][:, None]
TARGETS = {"continuous": RNG.standard_normal(N) * 3 + 1, "binary": np.array(["no", "yes"])[RNG.integers(0, 2, N)],
           "multiclass": RNG.integers(0, 3, N)}


def _splitter(target_type):
    return SkKFold(3, shuffle=True, random_state=0) if target_type == "continuous" else \
        SkStratifiedKFold(3, shuffle=True, random_state=0)


@pytest.mark.parametrize("target_type", list(TARGETS))
def test_target_encoder_matches_sklearn(xp, backend, target_type):
    y = TARGETS[target_type]
    for data, smooth in ((CATS, "auto"), (WORDS, 2.0)):
        given = xp.asarray(data, device=backend.device) if data.dtype != object else data
        ref = skp.TargetEncoder(smooth=smooth, cv=_splitter(target_type))
        est = TargetEncoder(smooth=smooth, cv=_splitter(target_type))
        cross = est.fit_transform(given, y)  # the same folds: scikit-learn's splitter
        _close(cross, ref.fit_transform(data, y))
        assert est.target_type_ == ref.target_type_
        assert len(est.encodings_) == len(ref.encodings_)
        for mine, theirs in zip(est.encodings_, ref.encodings_):
            assert_on_backend(mine, backend)
            _close(mine, theirs)
        _close(est.target_mean_, ref.target_mean_)
        unseen = data[:5].copy()
        unseen[0, 0] = 9 if data.dtype != object else "violet"  # an unknown category: the target mean
        _close(est.transform(unseen if data.dtype == object else xp.asarray(unseen, device=backend.device)),
               ref.transform(unseen))
        np.testing.assert_array_equal(est.get_feature_names_out(), ref.get_feature_names_out())
        if ref.classes_ is not None:
            np.testing.assert_array_equal(est.classes_, ref.classes_)


def test_target_encoder_int_cv_without_shuffle_and_the_deprecations():
    y = TARGETS["multiclass"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        want = skp.TargetEncoder(cv=4, shuffle=False).fit_transform(CATS, y)
    with pytest.warns(FutureWarning, match=r"TargetEncoder.shuffle and TargetEncoder.random_state are deprecated"):
        _close(TargetEncoder(cv=4, shuffle=False).fit_transform(CATS, y), want)
    with pytest.warns(FutureWarning):
        with pytest.raises(ValueError, match=r"random_state has no effect unless shuffle=True"):
            TargetEncoder(shuffle=False, random_state=0).fit_transform(CATS, y)
    same = TargetEncoder(cv=3).fit_transform(CATS, y)  # shuffled afresh: other folds, same per-fold encodings
    assert same.shape == (N, 6)


def test_cross_fitting_gives_a_category_outside_the_given_ones_its_folds_mean():
    """Given categories that leave out one value: its samples count in no category and get the mean of their
    training folds. (scikit-learn counts them in the first category, 0 here, and gives them all the last fold's
    mean.) Every other category's samples as scikit-learn encodes them."""
    y, folds = TARGETS["continuous"], SkKFold(3)
    data = CATS[:, :1]
    given = [np.array([0.0, 1.0, 2.0])]  # 3 is left out
    got = TargetEncoder(categories=given, smooth=1.0, cv=folds).fit_transform(data, y)
    want = skp.TargetEncoder(categories=given, smooth=1.0, cv=folds).fit_transform(data, y)
    outside = data[:, 0] == 3
    others = ~outside & (data[:, 0] != 0)
    _close(got[others], want[others])
    for train, test in folds.split(data):
        rows = test[outside[test]]
        np.testing.assert_allclose(got[rows, 0], y[train].mean(), rtol=1e-12)


def test_target_encoder_errors():
    with pytest.raises(ValueError, match=r"target type was inferred to be 'multilabel-indicator'"):
        TargetEncoder().fit(CATS, np.eye(N, 3, dtype=int))
    with pytest.raises(ValueError, match=r"must cover each sample index exactly once"):
        TargetEncoder(cv=[(np.arange(10, N), np.arange(10))]).fit_transform(CATS, TARGETS["continuous"])
    with pytest.raises(ValueError, match=r"y contains NaN"):
        TargetEncoder(target_type="continuous").fit(CATS, np.full(N, np.nan))
    with pytest.raises(ValueError, match=r"X and y have different numbers of samples"):
        TargetEncoder().fit(CATS, TARGETS["binary"][:-1])
    with pytest.raises(ValueError, match=r"cv=1 should be >= 2"):
        TargetEncoder(cv=1).fit(CATS, TARGETS["binary"])


# ---- MultiLabelBinarizer -------------------------------------------------------------------------

SETS = [(1, 2), (3,), (), (2, 5, 1)]
WORD_SETS = [{"sci-fi", "thriller"}, {"comedy"}, {"comedy", "drama", "sci-fi"}]


def test_multilabel_binarizer_matches_sklearn(xp, backend):
    for sets in (SETS, WORD_SETS):
        ref, est = skp.MultiLabelBinarizer(), MultiLabelBinarizer()
        want = ref.fit_transform(sets)
        np.testing.assert_array_equal(xpml.to_numpy(est.fit_transform(sets)), want)
        np.testing.assert_array_equal(est.classes_, ref.classes_)
        assert est.inverse_transform(want) == ref.inverse_transform(want)
    rows = xp.asarray(np.array([[0, 1], [1, 1], [2, 3]]), device=backend.device)  # a set per row of an array
    out = MultiLabelBinarizer().fit(rows).transform(rows)
    assert_on_backend(out, backend)
    np.testing.assert_array_equal(xpml.to_numpy(out), [[1, 1, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1]])


def test_multilabel_given_classes_sparse_output_and_unknown_labels():
    ref = skp.MultiLabelBinarizer(classes=[3, 1, 2], sparse_output=True)
    est = MultiLabelBinarizer(classes=[3, 1, 2], sparse_output=True)
    with pytest.warns(UserWarning, match=r"unknown class\(es\) \[5\] will be ignored"):
        got = est.fit(SETS).transform(SETS)
    with pytest.warns(UserWarning):
        want = ref.fit(SETS).transform(SETS)
    assert type(got).__name__ == "csr_matrix"
    np.testing.assert_array_equal(got.toarray(), want.toarray())
    assert est.inverse_transform(got) == ref.inverse_transform(want)


def test_multilabel_errors():
    with pytest.raises(ValueError, match=r"classes=\[1, 1\] contains duplicate classes"):
        MultiLabelBinarizer(classes=[1, 1]).fit(SETS)
    with pytest.raises(ValueError, match=r"y contains NaN"):
        MultiLabelBinarizer().fit([(1.0, float("nan"))])
    with pytest.raises(TypeError, match=r"it holds 1 \(int\), which is not an iterable"):
        MultiLabelBinarizer().fit([1, 2])
    with pytest.raises(ValueError, match=r"got an array of shape \(3,\)"):
        MultiLabelBinarizer().fit(np.arange(3))
    fitted = MultiLabelBinarizer().fit(SETS)
    with pytest.raises(ValueError, match=r"Expected indicator for 4 classes, but got yt of shape \(1, 3\)"):
        fitted.inverse_transform(np.ones((1, 3)))
    with pytest.raises(ValueError, match=r"Expected only 0s and 1s in label indicator. Also got \[2\]"):
        fitted.inverse_transform(np.array([[0, 2, 1, 0]]))
