"""The generators of curves, surfaces and classic synthetic problems (make_moons, make_circles, the Friedman
problems, the swiss roll and S curve, Gaussian quantiles, Hastie's 10.2, a sparse uncorrelated regression,
low-rank and SPD matrices): the same seed gives the same data on every backend; the points lie where the
closed forms put them (scikit-learn's own points where nothing is random); the random parts have the
documented distributions. xpml draws with numpy's Generator (as make_blobs does), scikit-learn with a
RandomState, so the random draws themselves differ from scikit-learn's."""

import numpy as np
import pytest
import sklearn.datasets

import xpml
from tests.helpers import assert_on_backend
from xpml.datasets import (
    make_circles,
    make_friedman1,
    make_friedman2,
    make_friedman3,
    make_gaussian_quantiles,
    make_hastie_10_2,
    make_low_rank_matrix,
    make_moons,
    make_s_curve,
    make_sparse_uncorrelated,
    make_spd_matrix,
    make_swiss_roll,
)

GENERATORS = [lambda **kw: make_moons(30, noise=0.1, **kw), lambda **kw: make_circles(30, noise=0.1, **kw),
              lambda **kw: make_friedman1(20, 6, noise=0.5, **kw), lambda **kw: make_friedman2(20, noise=1.0, **kw),
              lambda **kw: make_friedman3(20, noise=0.1, **kw), lambda **kw: make_swiss_roll(20, hole=True, **kw),
              lambda **kw: make_s_curve(20, noise=0.1, **kw), lambda **kw: make_gaussian_quantiles(n_samples=20, **kw),
              lambda **kw: make_sparse_uncorrelated(20, 5, **kw), lambda **kw: make_hastie_10_2(20, **kw),
              lambda **kw: (make_low_rank_matrix(8, 5, effective_rank=2, **kw),),
              lambda **kw: (make_spd_matrix(4, **kw),)]


def test_same_seed_gives_the_same_data_on_every_backend(backend):
    for make in GENERATORS:
        reference = make(random_state=7, backend="numpy")
        for got, want in zip(make(random_state=7), reference):
            assert_on_backend(got, backend)
            np.testing.assert_array_equal(xpml.to_numpy(got), want)


def test_moons_and_circles_without_noise_are_sklearns_points():
    """Nothing is random without noise and shuffling: the very points of scikit-learn (to rounding)."""
    for ours, theirs in [(make_moons(41, shuffle=False), sklearn.datasets.make_moons(41, shuffle=False)),
                         (make_moons((7, 12), shuffle=False), sklearn.datasets.make_moons((7, 12), shuffle=False)),
                         (make_circles(41, shuffle=False, factor=0.3),
                          sklearn.datasets.make_circles(41, shuffle=False, factor=0.3))]:
        np.testing.assert_allclose(ours[0], theirs[0], rtol=0, atol=1e-15)
        np.testing.assert_array_equal(ours[1], theirs[1])


def test_moons_lie_on_their_half_circles_and_noise_has_its_spread():
    X, y = make_moons(400, random_state=0)
    assert np.bincount(y).tolist() == [200, 200]
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0, rtol=1e-14)  # radius 1 about (0, 0), above the axis
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, rtol=1e-14)  # about (1, 1/2)
    assert upper[:, 1].min() >= 0 and lower[:, 1].max() <= 0.5
    noisy, labels = make_moons(400, noise=0.2, random_state=0)
    np.testing.assert_array_equal(labels, y)  # the same shuffle, then the noise
    np.testing.assert_allclose((noisy - X).std(), 0.2, rtol=0.1)


def test_circles_have_radii_one_and_factor():
    X, y = make_circles(301, factor=0.4, random_state=1)
    assert np.bincount(y).tolist() == [150, 151]  # the inner circle takes the odd one
    np.testing.assert_allclose(np.hypot(*X[y == 0].T), 1.0, rtol=1e-14)
    np.testing.assert_allclose(np.hypot(*X[y == 1].T), 0.4, rtol=1e-14)
    with pytest.raises(ValueError, match=r"factor=1.0 should be >= 0 and < 1"):
        make_circles(factor=1.0)
    with pytest.raises(ValueError, match=r"n_samples=\(1, 2, 3\) should be an int or a pair"):
        make_circles((1, 2, 3))


def test_friedman_targets_are_their_closed_forms():
    X, y = make_friedman1(200, 7, random_state=0)
    assert X.shape == (200, 7) and X.min() >= 0 and X.max() <= 1
    np.testing.assert_allclose(y, 10 * np.sin(np.pi * X[:, 0] * X[:, 1]) + 20 * (X[:, 2] - 0.5) ** 2 + 10 * X[:, 3]
                               + 5 * X[:, 4], rtol=1e-14)
    X, y = make_friedman2(200, random_state=0)
    low, high = [0, 40 * np.pi, 0, 1], [100, 560 * np.pi, 1, 11]
    assert np.all(X.min(axis=0) >= low) and np.all(X.max(axis=0) <= high)
    inner = X[:, 1] * X[:, 2] - 1 / (X[:, 1] * X[:, 3])
    np.testing.assert_allclose(y, np.sqrt(X[:, 0] ** 2 + inner**2), rtol=1e-14)
    X, y = make_friedman3(200, random_state=0)
    inner = X[:, 1] * X[:, 2] - 1 / (X[:, 1] * X[:, 3])
    np.testing.assert_allclose(y, np.arctan(inner / X[:, 0]), rtol=1e-14)
    X_noisy, y_noisy = make_friedman3(2000, noise=0.3, random_state=0)
    inner = X_noisy[:, 1] * X_noisy[:, 2] - 1 / (X_noisy[:, 1] * X_noisy[:, 3])
    np.testing.assert_allclose((y_noisy - np.arctan(inner / X_noisy[:, 0])).std(), 0.3, rtol=0.05)
    with pytest.raises(ValueError, match=r"n_features=4 should be >= 5"):
        make_friedman1(n_features=4)
    with pytest.raises(ValueError, match=r"noise=-1.0 should be >= 0"):
        make_friedman2(noise=-1.0)


def test_swiss_roll_and_s_curve_lie_on_their_surfaces():
    X, t = make_swiss_roll(500, random_state=0)
    np.testing.assert_allclose(X[:, 0], t * np.cos(t), rtol=1e-14)
    np.testing.assert_allclose(X[:, 2], t * np.sin(t), rtol=1e-14)
    assert 1.5 * np.pi <= t.min() and t.max() <= 4.5 * np.pi and 0 <= X[:, 1].min() and X[:, 1].max() <= 21
    X, t = make_swiss_roll(2000, hole=True, random_state=0)
    in_hole = (t > 2.5 * np.pi) & (t < 3.5 * np.pi) & (X[:, 1] > 7) & (X[:, 1] < 14)
    assert not in_hole.any() and len(np.unique(np.floor(t / np.pi - 1.5) * 3 + X[:, 1] // 7)) == 8  # 8 cells
    X, t = make_s_curve(500, random_state=0)
    np.testing.assert_allclose(X[:, 0], np.sin(t), rtol=1e-14)
    np.testing.assert_allclose(X[:, 2], np.sign(t) * (np.cos(t) - 1), rtol=1e-14)
    assert -1.5 * np.pi <= t.min() and t.max() <= 1.5 * np.pi and 0 <= X[:, 1].min() and X[:, 1].max() <= 2
    noisy, t_noisy = make_s_curve(500, noise=0.5, random_state=0)
    np.testing.assert_array_equal(t_noisy, t)
    np.testing.assert_allclose((noisy - X).std(axis=0), 0.5, rtol=0.15)


def test_gaussian_quantiles_are_nested_shells_of_equal_size():
    mean = np.array([1.0, -2.0, 0.5])
    X, y = make_gaussian_quantiles(mean=mean, cov=4.0, n_samples=1000, n_features=3, n_classes=3, random_state=0)
    assert np.bincount(y).tolist() == [333, 333, 334]  # the last class takes the remainder
    distance = np.sum((X - mean) ** 2, axis=1)
    assert all(distance[y == k].max() <= distance[y == k + 1].min() for k in range(2))  # nested shells
    np.testing.assert_allclose(X.mean(axis=0), mean, atol=4 * 2 / np.sqrt(1000))  # 4 standard errors
    np.testing.assert_allclose(X.var(axis=0), 4.0, rtol=0.15)
    with pytest.raises(ValueError, match=r"n_samples=2 should be >= n_classes=3"):
        make_gaussian_quantiles(n_samples=2)
    with pytest.raises(ValueError, match=r"mean should have shape \(n_features=2,\)"):
        make_gaussian_quantiles(mean=[0.0, 0.0, 0.0])


def test_hastie_labels_split_at_the_chi_square_median():
    X, y = make_hastie_10_2(4000, random_state=0)
    assert X.shape == (4000, 10) and y.dtype == np.float64
    np.testing.assert_array_equal(y, np.where((X**2).sum(axis=1) > 9.34, 1.0, -1.0))
    assert abs((y == 1).mean() - 0.5) < 4 * 0.5 / np.sqrt(4000)  # 9.34 is the median of χ²(10)


def test_sparse_uncorrelated_has_four_informative_features():
    X, y = make_sparse_uncorrelated(4000, 6, random_state=0)
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    np.testing.assert_allclose(coef, [1.0, 2.0, -2.0, -1.5, 0.0, 0.0], atol=4 / np.sqrt(4000))
    np.testing.assert_allclose((y - X[:, :4] @ [1.0, 2.0, -2.0, -1.5]).std(), 1.0, rtol=0.05)
    with pytest.raises(ValueError, match=r"n_features=3 should be >= 4"):
        make_sparse_uncorrelated(n_features=3)


def test_low_rank_matrix_has_the_documented_spectrum():
    X = make_low_rank_matrix(50, 30, effective_rank=4, tail_strength=0.2, random_state=0)
    i = np.arange(30)
    want = 0.8 * np.exp(-((i / 4) ** 2)) + 0.2 * np.exp(-0.1 * i / 4)
    np.testing.assert_allclose(np.linalg.svd(X, compute_uv=False), want, rtol=1e-12)
    with pytest.raises(ValueError, match=r"tail_strength=1.5 should be >= 0 and <= 1"):
        make_low_rank_matrix(tail_strength=1.5)


def test_spd_matrix_is_symmetric_with_eigenvalues_in_one_to_two():
    A = make_spd_matrix(6, random_state=0)
    np.testing.assert_array_equal(A, A.T)
    eigenvalues = np.linalg.eigvalsh(A)
    assert 1 - 1e-12 <= eigenvalues.min() and eigenvalues.max() <= 2 + 1e-12
    with pytest.raises(ValueError, match=r"n_dim=0 should be >= 1"):
        make_spd_matrix(0)


def test_a_bad_value_names_its_argument():
    with pytest.raises(ValueError, match=r"n_samples=0 should be >= 1"):
        make_moons(0)
    with pytest.raises(ValueError, match=r"noise=-0.5 should be >= 0"):
        make_moons(noise=-0.5)
    with pytest.raises(TypeError, match=r"hole should be a bool; got 'yes'"):
        make_swiss_roll(hole="yes")
