"""QuantileTransformer, KBinsDiscretizer and LabelBinarizer (with quantile_transform and label_binarize) against
scikit-learn on the same small data, on every backend: fitted quantiles and bin edges, outputs and inverses (ties,
constant columns, NaN, values beyond the training range), sparse input and output, sample weights, subsamples,
and the errors that name a bad argument; and the shared quantile and normal-distribution helpers against numpy,
scipy and closed forms."""

import warnings

import numpy as np
import pytest
import sklearn.preprocessing as skp
from sklearn.utils.stats import _weighted_percentile

import xpml
from tests.helpers import assert_allclose, assert_on_backend
from xpml.exceptions import NotFittedError
from xpml.preprocessing import (
    KBinsDiscretizer,
    LabelBinarizer,
    QuantileTransformer,
    RobustScaler,
    label_binarize,
    quantile_transform,
)
from xpml.utils._normal import normal_cdf, normal_ppf, portable_normal_ppf
from xpml.utils._quantiles import QUANTILE_METHODS, nan_quantiles, weighted_quantiles

TOL = 1e-12
RNG = np.random.default_rng(11)
# (30, 4): normal, integers (ties), a constant, exponential (skewed)
X = np.column_stack([RNG.standard_normal(30), RNG.integers(0, 4, 30), np.full(30, 2.5), RNG.exponential(size=30)])
HOLES = np.where(RNG.random(X.shape) < 0.15, np.nan, X)  # missing values
NEW = np.vstack([X[:6], [[-9.0, -1.0, 2.5, 50.0], [9.0, 7.0, 2.4, np.nan], [0.1, 1.5, 2.6, 0.0]]])  # beyond the range
WEIGHTS = RNG.integers(0, 3, 30).astype(float)  # zeros among them
LABELS = RNG.choice([3, 7, 1, 9], 30)


def host(a):
    return a.toarray() if hasattr(a, "toarray") else np.asarray(xpml.to_numpy(a))


def quietly(fn, *args, **kwargs):
    """fn(...) with the warnings of tiny data (fewer samples than quantiles, a constant feature, narrow bins) off."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", RuntimeWarning)  # scikit-learn's own, on a NaN column's quantiles
        return fn(*args, **kwargs)


# ---- the shared helpers ----------------------------------------------------------------------------

def test_quantiles_are_numpys_to_the_last_bit_for_every_method(backend, xp, device):
    levels = np.array([0.0, 3.0, 12.5, 25.0, 50.0, 100 / 3, 75.0, 99.0, 100.0])
    data = np.round(HOLES * 2) / 2  # ties
    for method in QUANTILE_METHODS:
        got = nan_quantiles(xp.asarray(data, device=device), levels / 100, method=method)
        assert_on_backend(got, backend)
        want = quietly(np.nanpercentile, data, levels, axis=0, method=method)
        np.testing.assert_array_equal(host(got), want, err_msg=method)


def test_weighted_quantiles_are_scikit_learns(backend, xp, device):
    levels = np.linspace(0, 100, 6)
    for average in (False, True):
        got = weighted_quantiles(xp.asarray(np.round(X, 1), device=device), xp.asarray(WEIGHTS, device=device),
                                 levels, average=average)
        want = _weighted_percentile(np.round(X, 1), WEIGHTS, levels, average=average).T  # (m, p)
        np.testing.assert_array_equal(host(got), want, err_msg=f"average={average}")


def test_normal_distribution_functions_are_scipys(backend, xp, device):
    special = pytest.importorskip("scipy.special")
    z = np.concatenate([np.linspace(-9, 9, 181), [-30.0, -20.0, 0.0, 37.0, np.inf, -np.inf, np.nan]])
    p = np.concatenate([np.linspace(0, 1, 101), [1e-300, 1e-20, 1e-7 - 2**-52, 0.4999999, 1 - 1e-12, np.nan, -0.5]])
    cdf = host(normal_cdf(xp.asarray(z, device=device)))
    want_cdf, want_ppf = special.ndtr(z), special.ndtri(p)
    np.testing.assert_allclose(cdf, want_cdf, rtol=2e-13, atol=0)  # relative, tails included (scipy's is ~1e-13 off)
    for quantile in (normal_ppf, portable_normal_ppf):  # the backend's own ndtri where it has one; the array API's
        ppf = host(quantile(xp.asarray(p, device=device)))
        np.testing.assert_allclose(ppf, want_ppf, rtol=1e-14, atol=1e-15)  # ±inf at 0 and 1, NaN outside
        assert np.array_equal(np.isnan(ppf), np.isnan(want_ppf))


def test_robust_scaler_still_reads_numpys_quantiles():
    ours, ref = RobustScaler(quantile_range=(10.0, 90.0)).fit(HOLES), skp.RobustScaler(quantile_range=(10.0, 90.0))
    np.testing.assert_array_equal(host(ours.scale_), ref.fit(HOLES).scale_)


# ---- QuantileTransformer -------------------------------------------------------------------------

@pytest.mark.parametrize("output", ["uniform", "normal"])
def test_quantile_transformer_matches_sklearn(backend, xp, device, output):
    for n_quantiles in (7, 100):  # 100 > 30 samples: n_samples quantiles, with a warning
        ours = quietly(QuantileTransformer(n_quantiles=n_quantiles, output_distribution=output).fit,
                       xp.asarray(HOLES, device=device))
        ref = quietly(skp.QuantileTransformer(n_quantiles=n_quantiles, output_distribution=output).fit, HOLES)
        assert ours.n_quantiles_ == ref.n_quantiles_
        assert_on_backend(ours.quantiles_, backend)
        assert_allclose(ours.quantiles_, ref.quantiles_, rtol=TOL)
        assert_allclose(ours.references_, ref.references_, rtol=TOL)
        out = ours.transform(xp.asarray(NEW, device=device))
        assert_on_backend(out, backend)
        assert_allclose(out, ref.transform(NEW), rtol=TOL, atol=TOL, err_msg=f"{output} {n_quantiles}")
        back = ours.inverse_transform(out)
        assert_allclose(back, ref.inverse_transform(ref.transform(NEW)), rtol=TOL, atol=TOL)
        assert np.all(np.isfinite(host(out))[~np.isnan(NEW)])  # the normal output is clipped, never infinite


def test_quantile_transformer_maps_ties_to_the_middle_and_the_ends_to_0_and_1():
    values = np.array([[1.0], [2.0], [2.0], [2.0], [3.0]])  # quantiles 1, 2, 2, 2, 3 at 0, ¼, ½, ¾, 1
    qt = QuantileTransformer(n_quantiles=5).fit(values)
    assert host(qt.transform([[2.0], [1.0], [3.0], [0.0], [9.0], [1.5]])).ravel().tolist() == [0.5, 0.0, 1.0, 0.0,
                                                                                               1.0, 0.125]
    normal = QuantileTransformer(n_quantiles=5, output_distribution="normal").fit(values)
    z = host(normal.transform([[2.0], [-9.0], [9.0]])).ravel()
    assert z[0] == 0.0 and -5.2 < z[1] < -5.19 < 5.19 < z[2] < 5.2  # Φ⁻¹(½) = 0; clipped at Φ⁻¹(1e-7), Φ⁻¹(1 - 1e-7)


def test_quantile_transformer_on_sparse_input_counts_the_implicit_zeros():
    sp = pytest.importorskip("scipy.sparse")
    S = sp.random(30, 4, density=0.4, random_state=3, format="csr")
    for ignore in (False, True):
        for make in (sp.csr_matrix, sp.csc_matrix, sp.csr_array):
            ours = QuantileTransformer(n_quantiles=9, ignore_implicit_zeros=ignore).fit(make(S))
            ref = skp.QuantileTransformer(n_quantiles=9, ignore_implicit_zeros=ignore).fit(make(S))
            assert_allclose(ours.quantiles_, ref.quantiles_, rtol=TOL)
            got, want = ours.transform(make(S)), ref.transform(make(S))
            assert got.format == want.format == "csc" and type(got).__name__.endswith(type(want).__name__[-6:])
            np.testing.assert_allclose(got.toarray(), want.toarray(), rtol=TOL, atol=TOL)
            np.testing.assert_allclose(ours.inverse_transform(got).toarray(), ref.inverse_transform(want).toarray(),
                                       rtol=TOL, atol=TOL)
    with pytest.raises(ValueError, match=r"QuantileTransformer only accepts non-negative sparse matrices"):
        QuantileTransformer(n_quantiles=9).fit(-S)
    negative = QuantileTransformer(n_quantiles=9, ignore_implicit_zeros=True).fit(-S)  # accepted: zeros left out
    assert_allclose(negative.quantiles_, skp.QuantileTransformer(n_quantiles=9, ignore_implicit_zeros=True)
                    .fit(-S).quantiles_, rtol=TOL)


def test_quantile_transformer_subsample_reads_the_rows_drawn(backend, xp, device):
    ours = QuantileTransformer(n_quantiles=5, subsample=12, random_state=4).fit(xp.asarray(HOLES, device=device))
    rows = np.random.default_rng(4).choice(30, 12, replace=False)  # the draw, on the host, on every backend
    assert_allclose(ours.quantiles_, quietly(np.nanpercentile, HOLES[rows], np.linspace(0, 100, 5), axis=0),
                    rtol=TOL)


def test_quantile_transform_function_on_either_axis(backend, xp, device):
    for axis in (0, 1):
        got = quietly(quantile_transform, xp.asarray(X, device=device), axis=axis, n_quantiles=5,
                      output_distribution="normal")
        assert_on_backend(got, backend)
        assert_allclose(got, quietly(skp.quantile_transform, X, axis=axis, n_quantiles=5,
                                     output_distribution="normal", copy=True), rtol=TOL, atol=TOL)


def test_quantile_transformer_keeps_float32():
    data = X.astype(np.float32)
    ours, ref = QuantileTransformer(n_quantiles=8).fit(data), skp.QuantileTransformer(n_quantiles=8).fit(data)
    assert host(ours.transform(data)).dtype == np.float32 and host(ours.quantiles_).dtype == np.float64
    np.testing.assert_array_equal(host(ours.quantiles_), ref.quantiles_)  # numpy's float64 quantiles of float32
    np.testing.assert_allclose(host(ours.transform(data)), ref.transform(data), rtol=1e-6)


def test_quantile_transformer_errors_name_the_argument():
    with pytest.raises(ValueError, match=r"n_quantiles=20 should be <= subsample=10"):
        QuantileTransformer(n_quantiles=20, subsample=10).fit(X)
    with pytest.warns(UserWarning, match=r"n_quantiles \(1000\) is greater than the total number of samples \(30\)"):
        QuantileTransformer().fit(X)
    with pytest.warns(UserWarning, match=r"'ignore_implicit_zeros' takes effect only with sparse matrix"):
        QuantileTransformer(n_quantiles=5, ignore_implicit_zeros=True).fit(X)
    with pytest.raises(ValueError, match=r"X contains infinity"):
        QuantileTransformer(n_quantiles=5).fit(np.where(np.isnan(HOLES), np.inf, HOLES))
    with pytest.raises(ValueError, match=r"X has 3 features, but QuantileTransformer is expecting 4 features"):
        QuantileTransformer(n_quantiles=5).fit(X).inverse_transform(X[:, :3])
    with pytest.raises(NotFittedError):
        QuantileTransformer().transform(X)


# ---- KBinsDiscretizer ----------------------------------------------------------------------------

def same_edges(ours, ref):
    assert ours.n_bins_.tolist() == ref.n_bins_.tolist() and ours.n_bins_.dtype == ref.n_bins_.dtype
    assert len(ours.bin_edges_) == len(ref.bin_edges_)
    for mine, theirs in zip(ours.bin_edges_, ref.bin_edges_):
        assert mine.dtype == theirs.dtype
        np.testing.assert_allclose(mine, theirs, rtol=TOL, atol=0)  # k-means centres: sums a rounding apart


@pytest.mark.parametrize("strategy", ["uniform", "quantile", "kmeans"])
def test_kbins_matches_sklearn(backend, xp, device, strategy):
    for n_bins, encode in ((3, "onehot-dense"), ([2, 3, 4, 5], "ordinal"), (4, "onehot")):
        ours = quietly(KBinsDiscretizer(n_bins, encode=encode, strategy=strategy).fit, xp.asarray(X, device=device))
        ref = quietly(skp.KBinsDiscretizer(n_bins, encode=encode, strategy=strategy).fit, X)
        same_edges(ours, ref)
        finite = NEW[~np.isnan(NEW).any(axis=1)]  # values beyond the training range among them
        out, want = ours.transform(xp.asarray(finite, device=device)), ref.transform(finite)
        if encode == "onehot":
            assert type(out) is type(want) and out.dtype == want.dtype  # a scipy CSR matrix, as scikit-learn's
        else:
            assert_on_backend(out, backend)
        np.testing.assert_array_equal(host(out), host(want), err_msg=f"{strategy} {encode}")
        back = quietly(ours.inverse_transform, out)
        np.testing.assert_allclose(host(back), quietly(ref.inverse_transform, want), rtol=TOL)  # NaN: constant
        assert list(ours.get_feature_names_out()) == list(ref.get_feature_names_out())


def test_kbins_quantile_methods_and_weights_are_sklearns(backend, xp, device):
    data = xp.asarray(X, device=device)
    for method in QUANTILE_METHODS:
        ours = quietly(KBinsDiscretizer(4, encode="ordinal", quantile_method=method).fit, data)
        same_edges(ours, quietly(skp.KBinsDiscretizer(4, encode="ordinal", quantile_method=method).fit, X))
    w = xp.asarray(WEIGHTS, device=device)
    for strategy, method in (("quantile", "inverted_cdf"), ("quantile", "averaged_inverted_cdf"), ("uniform", "linear"),
                             ("kmeans", "linear")):
        ours = quietly(KBinsDiscretizer(4, encode="ordinal", strategy=strategy, quantile_method=method).fit, data,
                       sample_weight=w)
        ref = quietly(skp.KBinsDiscretizer(4, encode="ordinal", strategy=strategy, quantile_method=method).fit, X,
                      sample_weight=WEIGHTS)
        same_edges(ours, ref)


def test_kbins_with_many_bins_searches_the_edges(backend, xp, device):
    # over 32 inner edges, transform searches them (searchsorted) rather than comparing a value with each in turn
    for encode in ("ordinal", "onehot-dense"):
        ours = KBinsDiscretizer(40, encode=encode, strategy="uniform").fit(xp.asarray(X[:, [0, 3]], device=device))
        ref = skp.KBinsDiscretizer(40, encode=encode, strategy="uniform").fit(X[:, [0, 3]])
        finite = NEW[~np.isnan(NEW).any(axis=1)][:, [0, 3]]  # values beyond the training range among them
        np.testing.assert_array_equal(host(ours.transform(xp.asarray(finite, device=device))), ref.transform(finite))


def test_kbins_feature_constant_over_its_weighted_samples_keeps_one_bin(backend, xp, device):
    # column 0 is 1.0 wherever the weight is positive, and varies where it is 0: scikit-learn's quantiles give it no
    # bin (n_bins_ 0, and its one-hot encoding fails); here it is constant, one bin (-inf, inf), as uniform has it
    data = np.column_stack([np.where(WEIGHTS > 0, 1.0, X[:, 0]), X[:, 3]])
    for method in ("inverted_cdf", "averaged_inverted_cdf"):
        with pytest.warns(UserWarning, match=r"Feature 0 is constant and will be replaced with 0"):
            ours = KBinsDiscretizer(3, encode="onehot-dense", quantile_method=method).fit(
                xp.asarray(data, device=device), sample_weight=xp.asarray(WEIGHTS, device=device))
        ref = skp.KBinsDiscretizer(3, encode="ordinal", quantile_method=method).fit(data[:, 1:], sample_weight=WEIGHTS)
        assert ours.n_bins_.tolist() == [1, *ref.n_bins_.tolist()]
        np.testing.assert_array_equal(ours.bin_edges_[0], [-np.inf, np.inf])
        np.testing.assert_array_equal(ours.bin_edges_[1], ref.bin_edges_[0])
        out = host(ours.transform(xp.asarray(data, device=device)))  # (30, 1 + k): the one bin, then feature 1's
        np.testing.assert_array_equal(out[:, 0], 1.0)
        np.testing.assert_array_equal(out[:, 1:].argmax(axis=1), ref.transform(data[:, 1:])[:, 0])


def test_kbins_subsample_reads_the_rows_drawn():
    ours = quietly(KBinsDiscretizer(3, encode="ordinal", subsample=20, random_state=5).fit, X)
    rows = np.random.default_rng(5).integers(0, 30, 20)  # with replacement, on the host
    same_edges(ours, quietly(skp.KBinsDiscretizer(3, encode="ordinal", subsample=None).fit, X[rows]))


def test_kbins_warns_as_sklearn_and_keeps_the_dtypes():
    with pytest.warns(UserWarning, match=r"Feature 2 is constant and will be replaced with 0"):
        KBinsDiscretizer(3).fit(X)
    with pytest.warns(UserWarning, match=r"Bins whose width are too small \(i.e., <= 1e-8\) in feature 1 are removed"):
        KBinsDiscretizer(6, encode="ordinal").fit(X[:, :2])
    data = X[:, [0, 3]].astype(np.float32)
    for strategy in ("uniform", "quantile", "kmeans"):
        ours = KBinsDiscretizer(3, encode="ordinal", strategy=strategy).fit(data)
        same_edges(ours, skp.KBinsDiscretizer(3, encode="ordinal", strategy=strategy).fit(data))  # float32 edges
        assert host(ours.transform(data)).dtype == np.float32
    out = KBinsDiscretizer(3, dtype=np.float32, encode="onehot-dense").fit(X[:, :2]).transform(X[:, :2])
    assert host(out).dtype == np.float32


def test_kbins_errors_name_the_argument():
    with pytest.raises(ValueError, match=r"n_bins=1 should be >= 2"):
        KBinsDiscretizer(1).fit(X)
    with pytest.raises(ValueError, match=r"dtype=<class 'int'> should be numpy.float32, numpy.float64"):
        KBinsDiscretizer(dtype=int).fit(X)
    with pytest.raises(ValueError, match=r"quantile_method='linear' cannot weigh samples"):
        KBinsDiscretizer(quantile_method="linear").fit(X, sample_weight=WEIGHTS)
    with pytest.raises(ValueError, match=r"sample_weight should be >= 0"):
        KBinsDiscretizer().fit(X, sample_weight=-WEIGHTS)
    fitted = quietly(KBinsDiscretizer(3, encode="ordinal").fit, X)
    with pytest.raises(ValueError, match=r"X should hold bin numbers from 0 to n_bins_\[j\] - 1"):
        fitted.inverse_transform(np.full((2, 4), 3.0))
    with pytest.raises(ValueError, match=r"X has 3 features, but KBinsDiscretizer is expecting 4 features"):
        fitted.transform(X[:, :3])
    with pytest.raises(ValueError, match=r"X contains NaN"):
        KBinsDiscretizer().fit(HOLES)


# ---- LabelBinarizer ------------------------------------------------------------------------------

def test_label_binarizer_matches_sklearn(backend, xp, device):
    for params in (dict(), dict(neg_label=-1, pos_label=2), dict(neg_label=-2, pos_label=0)):
        for y in (LABELS, LABELS % 2 * 5):  # multiclass, binary
            ours, ref = LabelBinarizer(**params).fit(xp.asarray(y, device=device)), skp.LabelBinarizer(**params).fit(y)
            assert ours.classes_.tolist() == ref.classes_.tolist() and ours.y_type_ == ref.y_type_
            unseen = np.concatenate([y[:5], [4, 4]])  # a label not among the classes: a row of neg_label
            got = ours.transform(xp.asarray(unseen, device=device))
            assert_on_backend(got, backend)
            np.testing.assert_array_equal(host(got), ref.transform(unseen), err_msg=str(params))
            scores = RNG.standard_normal((7, len(ref.classes_))) if ref.y_type_ == "multiclass" else \
                RNG.standard_normal((7, 1))
            for threshold in (None, 0.3):
                back = ours.inverse_transform(xp.asarray(scores, device=device), threshold=threshold)
                np.testing.assert_array_equal(host(back), ref.inverse_transform(scores, threshold=threshold))
    indicator = (RNG.random((8, 3)) < 0.4).astype(int)  # multilabel
    ours, ref = LabelBinarizer(pos_label=3).fit(xp.asarray(indicator, device=device)), skp.LabelBinarizer(pos_label=3)
    np.testing.assert_array_equal(host(ours.transform(xp.asarray(indicator, device=device))),
                                  ref.fit(indicator).transform(indicator))
    np.testing.assert_array_equal(host(ours.inverse_transform(xp.asarray(indicator * 3, device=device))),
                                  ref.inverse_transform(indicator * 3))


def test_label_binarizer_strings_sparse_and_one_class():
    sp = pytest.importorskip("scipy.sparse")
    words = np.array(["yes", "no", "maybe", "no"])
    for params in (dict(), dict(sparse_output=True, pos_label=2)):
        ours, ref = LabelBinarizer(**params).fit(words), skp.LabelBinarizer(**params).fit(words)
        got, want = ours.transform(["no", "never", "yes"]), ref.transform(["no", "never", "yes"])
        assert type(got) is type(want)
        np.testing.assert_array_equal(host(got), host(want))
        assert ours.inverse_transform(want).tolist() == ref.inverse_transform(want).tolist()
    single = LabelBinarizer().fit([4, 4])
    assert host(single.transform([4, 5])).tolist() == [[0], [0]] and single.inverse_transform(
        np.array([[1], [0]])).tolist() == [4, 4]
    S = sp.csr_matrix((RNG.random((6, 3)) < 0.5).astype(int))  # a sparse indicator: sparse back from inverse
    ours, ref = LabelBinarizer().fit(S), skp.LabelBinarizer().fit(S)
    assert ours.sparse_input_ and type(ours.inverse_transform(S.toarray())) is type(ref.inverse_transform(S.toarray()))
    np.testing.assert_array_equal(ours.inverse_transform(S.toarray()).toarray(), S.toarray())


def test_label_binarize_keeps_the_order_of_the_classes(backend, xp, device):
    for classes in ([1, 3, 7, 9], [9, 1, 7, 3], [7, 3]):
        for params in (dict(), dict(neg_label=-1, pos_label=5)):
            got = label_binarize(xp.asarray(LABELS[:9], device=device), classes=classes, **params)
            np.testing.assert_array_equal(host(got), skp.label_binarize(LABELS[:9], classes=classes, **params))
    got = label_binarize(LABELS[:9], classes=[9, 1, 7, 3], sparse_output=True)
    np.testing.assert_array_equal(got.toarray(), skp.label_binarize(LABELS[:9], classes=[9, 1, 7, 3]))
    indicator = np.array([[1, 0], [0, 1], [1, 1]])
    np.testing.assert_array_equal(host(label_binarize(indicator, classes=[5, 2])),
                                  skp.label_binarize(indicator, classes=[5, 2]))


def test_label_binarizer_errors_name_the_argument():
    with pytest.raises(ValueError, match=r"neg_label=2 must be strictly less than pos_label=1"):
        LabelBinarizer(neg_label=2, pos_label=1).fit(LABELS)
    with pytest.raises(ValueError, match=r"Sparse binarization is only supported with non zero pos_label"):
        label_binarize(LABELS, classes=[1, 3], neg_label=-1, sparse_output=True)
    with pytest.raises(ValueError, match=r"continuous target data is not supported with label binarization"):
        LabelBinarizer().fit([0.5, 1.5])
    with pytest.raises(ValueError, match=r"Multioutput target data is not supported"):
        LabelBinarizer().fit([[1, 2], [0, 3]])
    with pytest.raises(ValueError, match=r"Input y contains NaN"):
        LabelBinarizer().fit([1.0, np.nan])
    with pytest.raises(ValueError, match=r"The object was not fitted with multilabel input"):
        LabelBinarizer().fit(LABELS).transform(np.array([[1, 0], [0, 1]]))
    with pytest.raises(ValueError, match=r"classes \[1, 2\] mismatch with the labels \[0, 1, 2\] found in the data"):
        label_binarize([[1, 0, 1]], classes=[1, 2])
    with pytest.raises(ValueError, match=r"The number of class is not equal to the number of dimension of y"):
        LabelBinarizer().fit(np.array([[1, 0], [0, 1]])).inverse_transform(np.zeros((2, 3)))
