"""xpml.metrics.pairwise's distances, nearest rows and feature-sum kernels on every backend against scikit-learn's
functions of the same names (which call scipy's cdist for sqeuclidean, chebyshev and minkowski): the same values to
1e-12, the same indices exactly (ties on integer data to the lowest index), the same errors."""

import numpy as np
import pytest
import sklearn.metrics.pairwise as sk
from threadpoolctl import threadpool_limits

import xpml.metrics.pairwise as ours
from tests.helpers import assert_allclose, assert_on_backend
from tests.test_signatures import signature_differences
from xpml import to_numpy

RNG = np.random.default_rng(1)
X, Y = RNG.normal(size=(13, 4)), RNG.normal(size=(6, 4))
X[3] = 0.0  # a zero row: cosine 1 from every row
GRID_X, GRID_Y = RNG.integers(0, 3, size=(13, 4)) * 1.0, RNG.integers(0, 3, size=(6, 4)) * 1.0  # exact ties
W = np.array([0.5, 1.0, 2.0, 0.25])
METRICS = [("euclidean", {}), ("l2", dict(squared=True)), ("sqeuclidean", {}), ("manhattan", {}), ("cityblock", {}),
           ("l1", {}), ("chebyshev", {}), ("minkowski", dict(p=3)), ("minkowski", dict(p=1.5, w=W)), ("cosine", {})]
NAMES = ["additive_chi2_kernel", "chi2_kernel", "cosine_distances", "laplacian_kernel", "manhattan_distances",
         "nan_euclidean_distances", "paired_cosine_distances", "paired_distances", "paired_euclidean_distances",
         "paired_manhattan_distances", "pairwise_distances", "pairwise_distances_argmin",
         "pairwise_distances_argmin_min"]
TIGHT = dict(rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_signature_is_sklearns(name):
    assert not signature_differences(name, getattr(ours, name), getattr(sk, name))


def test_distances_and_kernels_are_sklearns(backend, xp):
    Xb, Yb = (xp.asarray(a, device=backend.device) for a in (X, Y))
    for metric, kw in METRICS:
        got = ours.pairwise_distances(Xb, Yb, metric=metric, **kw)
        assert_on_backend(got, backend)
        assert_allclose(got, sk.pairwise_distances(X, Y, metric=metric, **kw), **TIGHT, err_msg=metric)
        assert_allclose(ours.pairwise_distances(Xb, metric=metric, **kw), sk.pairwise_distances(X, metric=metric, **kw),
                        **TIGHT, err_msg=metric)
    for name in ("manhattan_distances", "cosine_distances"):
        assert_allclose(getattr(ours, name)(Xb), getattr(sk, name)(X), **TIGHT, err_msg=name)
    A, B = xp.abs(Xb), xp.abs(Yb)
    for name, kw in (("laplacian_kernel", {}), ("laplacian_kernel", dict(gamma=0.3)), ("chi2_kernel", dict(gamma=0.5)),
                     ("additive_chi2_kernel", {})):
        assert_allclose(getattr(ours, name)(A, B, **kw), getattr(sk, name)(np.abs(X), np.abs(Y), **kw), **TIGHT)
        metric = name.removesuffix("_kernel")
        assert_allclose(ours.pairwise_kernels(A, metric=metric, **kw), sk.pairwise_kernels(np.abs(X), metric=metric,
                                                                                           **kw), **TIGHT)
    for metric in ("euclidean", "manhattan", "cosine"):
        assert_allclose(ours.paired_distances(Xb[:6, :], Yb, metric=metric),
                        sk.paired_distances(X[:6], Y, metric=metric), **TIGHT, err_msg=metric)


def test_nan_euclidean_is_sklearns(backend, xp):
    Xn, Yn = X.copy(), Y.copy()
    Xn[0, 1] = Xn[2, :2] = Yn[1, 3] = np.nan
    Xn[5, :] = np.nan  # no coordinate in common with any row: NaN, as scikit-learn's
    Xb, Yb = (xp.asarray(a, device=backend.device) for a in (Xn, Yn))
    assert_allclose(ours.nan_euclidean_distances(Xb, Yb), sk.nan_euclidean_distances(Xn, Yn), **TIGHT)
    assert_allclose(ours.pairwise_distances(Xb, metric="nan_euclidean", squared=True),
                    sk.pairwise_distances(Xn, metric="nan_euclidean", squared=True), **TIGHT)
    index, dist = ours.pairwise_distances_argmin_min(Xb, Yb, metric="nan_euclidean")
    with threadpool_limits(1):
        sk_index, sk_dist = sk.pairwise_distances_argmin_min(Xn, Yn, metric="nan_euclidean")
    np.testing.assert_array_equal(to_numpy(index), sk_index)  # row 5, all NaN: its first, as numpy's argmin
    assert_allclose(dist, sk_dist, **TIGHT)
    Xm = np.where(np.isnan(Xn), -1.0, Xn)
    assert_allclose(ours.nan_euclidean_distances(xp.asarray(Xm, device=backend.device), missing_values=-1.0),
                    sk.nan_euclidean_distances(Xm, missing_values=-1.0), **TIGHT)


def test_nearest_rows_are_sklearns_in_blocks(backend, xp, monkeypatch):
    # Blocks of 4 rows of X; on the integer grid, exact ties go to the lowest index, as scikit-learn's.
    monkeypatch.setattr("xpml.metrics._nearest.chunk_rows", lambda backend, width: 4)
    for A, B in ((X, Y), (GRID_X, GRID_Y)):
        Ab, Bb = (xp.asarray(a, device=backend.device) for a in (A, B))
        for metric, kw in (("euclidean", {}), ("euclidean", dict(squared=True)), ("manhattan", {}), ("chebyshev", {}),
                           ("minkowski", dict(p=3)), ("sqeuclidean", {}), ("cosine", {})):
            if metric == "cosine" and A is GRID_X:
                continue  # unit rows of integers are rounded: ties there are ties of rounding
            for axis in (0, 1):
                index, dist = ours.pairwise_distances_argmin_min(Ab, Bb, axis=axis, metric=metric, metric_kwargs=kw)
                with threadpool_limits(1):  # scikit-learn's OpenMP threads take 50 ms a call to start on 2 busy cores
                    sk_index, sk_dist = sk.pairwise_distances_argmin_min(A, B, axis=axis, metric=metric,
                                                                         metric_kwargs=kw)
                assert_on_backend(index, backend)
                np.testing.assert_array_equal(to_numpy(index), sk_index, err_msg=f"{metric} {kw} {axis}")
                assert_allclose(dist, sk_dist, **TIGHT, err_msg=metric)
        with threadpool_limits(1):
            assert np.array_equal(to_numpy(ours.pairwise_distances_argmin(Ab, Bb)), sk.pairwise_distances_argmin(A, B))


def test_feature_sums_in_blocks_give_the_whole(monkeypatch):
    monkeypatch.setattr("xpml.metrics.pairwise.chunk_rows", lambda backend, width: 3)
    assert_allclose(ours.manhattan_distances(X, Y), sk.manhattan_distances(X, Y), **TIGHT)
    assert_allclose(ours.chi2_kernel(np.abs(X)), sk.chi2_kernel(np.abs(X)), **TIGHT)


def test_callables_and_precomputed_are_sklearns():
    def tilted(a, b, scale=1.0):  # not symmetric: scikit-learn calls each pair i < j once with Y=None
        return scale * float(np.sum(np.abs(a - b)) + a[0])

    for Y_ in (None, Y):
        assert_allclose(ours.pairwise_distances(X, Y_, metric=tilted, scale=2.0),
                        sk.pairwise_distances(X, Y_, metric=tilted, scale=2.0), **TIGHT)
    assert_allclose(ours.pairwise_kernels(X, Y, metric=tilted), sk.pairwise_kernels(X, Y, metric=tilted), **TIGHT)
    assert_allclose(ours.pairwise_distances_argmin_min(X, Y, metric=tilted)[1],
                    sk.pairwise_distances_argmin_min(X, Y, metric=tilted)[1], **TIGHT)
    assert_allclose(ours.paired_distances(X[:6], Y, metric=tilted), sk.paired_distances(X[:6], Y, metric=tilted))
    D = sk.euclidean_distances(X, Y)
    assert_allclose(ours.pairwise_distances(D, metric="precomputed"), D)


def test_bad_input_is_named():
    Xn = X.copy()
    Xn[0, 0] = np.nan
    for call, error, match in (
        (lambda: ours.pairwise_distances(X, metric="braycurtis"), ValueError, "metric='braycurtis'"),
        (lambda: ours.pairwise_distances(X, Y[:, :3]), ValueError, "Incompatible dimension"),
        (lambda: ours.pairwise_distances(X, metric="chebyshev", p=2), TypeError, "p"),
        (lambda: ours.pairwise_distances(X, metric="minkowski", p=-1), ValueError, "p=-1"),
        (lambda: ours.pairwise_distances(Xn, metric="chebyshev"), ValueError, "NaN"),
        (lambda: ours.pairwise_distances(-np.ones((2, 2)), metric="precomputed"), ValueError, "Negative values"),
        (lambda: ours.pairwise_distances(np.ones((2, 3)), Y, metric="precomputed"), ValueError, "Precomputed"),
        (lambda: ours.chi2_kernel(X), ValueError, "X contains negative values"),
        (lambda: ours.paired_distances(X, Y), ValueError, "same shape"),
        (lambda: ours.paired_distances(X[:6], Y, metric="chebyshev"), ValueError, "metric='chebyshev'"),
        (lambda: ours.pairwise_distances_argmin(X, Y, axis=2), ValueError, "axis=2"),
    ):
        with pytest.raises(error, match=match):
            call()
    assert np.isnan(ours.pairwise_distances(Xn, metric="chebyshev", ensure_all_finite="allow-nan")[0, 1])
