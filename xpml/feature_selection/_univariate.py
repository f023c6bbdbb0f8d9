"""Univariate feature scores: f_classif (one-way ANOVA), f_regression and r_regression (correlation with the
target), chi2 (chi-squared statistic of non-negative features against the classes).

For classes 1..K with n_k samples each and a feature x, the one-way ANOVA F statistic is

    F = [SS_between / (K - 1)] / [SS_within / (n - K)],
    SS_total = Σ x² - (Σ x)² / n,  SS_between = Σ_k (Σ_{i in k} x_i)² / n_k - (Σ x)² / n,
    SS_within = SS_total - SS_between,

with the p-value P(F(K-1, n-K) > F). r_regression gives Pearson's r of each feature with y, and f_regression
F = r² / (1 - r²) (n - 2) (n - 1 without centering) with the p-value of F(1, n - 2). chi2 compares the observed
per-class feature totals O = Yᵀ X (Y the one-hot classes) with those expected from the class frequencies,
E = p_k Σ_i x_i, as χ² = Σ_k (O - E)² / E, with K - 1 degrees of freedom. The survival functions are
xpml.utils._distributions (no scipy at runtime).

Reference: R. A. Fisher, Statistical Methods for Research Workers, Oliver & Boyd (1925), ch. VII-VIII;
K. Pearson, On the criterion that a given system of deviations..., Phil. Mag. 50 (1900) 157-175.
"""

from __future__ import annotations

from typing import Any

from .._backend import backend_of, dtype_name, is_host_input, match_input, resolve_backend, to_backend, to_numpy
from ..utils._distributions import chi2_sf, f_sf
from ..utils._errstate import float_errors_ignored
from ..utils._host import host_namespace
from ..utils._warnings import warn
from ..utils.validation import check_array, check_labels, check_target

__all__ = ["chi2", "f_classif", "f_regression", "r_regression"]


def _features(X: Any):
    """X checked and kept on its own library's backend (host data goes to the backend in force); results follow
    the input (`match_input`)."""
    backend = resolve_backend(None) if is_host_input(X) else backend_of(X)
    return backend, check_array(X, backend)


def _one_hot_classes(backend, X, y):
    """Y (n, K): the one-hot classes of y, in X's dtype on X's backend; and K."""
    classes, codes = check_labels(y, n_samples=X.shape[0])
    hnp = host_namespace()
    onehot = codes[:, None] == hnp.arange(len(classes))[None, :]  # (n, K) on the host
    return to_backend(onehot, backend, dtype=dtype_name(X)), len(classes)


def f_classif(X: Any, y: Any):
    """The one-way ANOVA F statistic of each feature between the classes of y, and its p-value.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,), the class labels

    Returns
    -------
    f_statistic : array of shape (n_features,)
    p_values : array of shape (n_features,)
    """
    X_in, (backend, X) = X, _features(X)
    xp = backend.xp
    Y, K = _one_hot_classes(backend, X, y)  # (n, K)
    n = X.shape[0]
    counts = xp.sum(Y, axis=0)  # (K,)
    class_sums = Y.T @ X  # (K, p)
    total = xp.sum(X, axis=0)  # (p,)
    square_of_total = total * total / n  # (p,)
    ss_total = xp.sum(X * X, axis=0) - square_of_total  # (p,)
    ss_between = xp.sum(class_sums * class_sums / counts[:, None], axis=0) - square_of_total  # (p,)
    ss_within = ss_total - ss_between
    df_between, df_within = K - 1, n - K
    if bool(xp.any(ss_within == 0)) and bool(xp.any(ss_between == 0)):
        constant = to_numpy(ss_within == 0).nonzero()[0]
        warn(f"Features {constant} are constant.")
    with float_errors_ignored():
        f = (ss_between / df_between) / (ss_within / df_within)  # (p,)
    return match_input(f, X_in), match_input(f_sf(f, float(df_between), float(df_within)), X_in)


def r_regression(X: Any, y: Any, *, center: bool = True, force_finite: bool = True):
    """Pearson's correlation of each feature with y (without centering: the cosine of the angle).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    center : bool, default=True
    force_finite : bool, default=True
        A correlation that is NaN (a constant feature or target) is set to 0.

    Returns
    -------
    correlation_coefficient : array of shape (n_features,)
    """
    X_in, (backend, X) = X, _features(X)
    xp = backend.xp
    y = check_target(y, backend, n_samples=X.shape[0], dtype=dtype_name(X), multi_output=False)
    n = X.shape[0]
    if center:
        y = y - xp.mean(y)
        means = xp.mean(X, axis=0)  # (p,)
        norms = xp.sqrt(xp.sum(X * X, axis=0) - n * means * means)  # (p,)
    else:
        norms = xp.sqrt(xp.sum(X * X, axis=0))  # (p,)
    with float_errors_ignored():
        r = (y @ X) / norms / xp.sqrt(xp.sum(y * y))  # (p,)
    if force_finite:
        r = xp.where(xp.isnan(r), 0.0, r)
    return match_input(r, X_in)


def f_regression(X: Any, y: Any, *, center: bool = True, force_finite: bool = True):
    """The F statistic of each feature's univariate linear regression on y, r² / (1 - r²) · dof, and its p-value.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    center : bool, default=True
    force_finite : bool, default=True
        F = NaN (a constant feature or target) becomes 0 with p = 1; F = inf (r² = 1) the largest finite
        float with p = 0.

    Returns
    -------
    f_statistic, p_values : arrays of shape (n_features,)
    """
    X_in, (backend, X) = X, _features(X)
    xp = backend.xp
    r = to_backend(r_regression(X, y, center=center, force_finite=False), backend)  # r_regression follows its input
    dof = X.shape[0] - (2 if center else 1)
    r2 = r * r  # (p,)
    with float_errors_ignored():
        f = r2 / (1.0 - r2) * dof  # (p,)
    p = f_sf(f, 1.0, float(dof))
    if force_finite:
        perfect = xp.abs(r2 - 1.0) <= 1e-8 + 1e-5  # r² within numpy.isclose's default tolerance of 1
        missing = xp.isnan(f)
        f = xp.where(perfect, xp.finfo(f.dtype).max, xp.where(missing, 0.0, f))
        p = xp.where(perfect, 0.0, xp.where(missing, 1.0, p))
    return match_input(f, X_in), match_input(p, X_in)


def chi2(X: Any, y: Any):
    """The chi-squared statistic of each non-negative feature against the classes of y, and its p-value.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features), non-negative (counts, frequencies)
    y : array-like of shape (n_samples,), the class labels

    Returns
    -------
    chi2 : array of shape (n_features,)
    p_values : array of shape (n_features,)
    """
    X_in, (backend, X) = X, _features(X)
    xp = backend.xp
    if bool(xp.any(X < 0)):
        raise ValueError("Input X must be non-negative; chi2 takes counts or frequencies.")
    Y, K = _one_hot_classes(backend, X, y)  # (n, K)
    observed = Y.T @ X  # (K, p)
    expected = xp.mean(Y, axis=0)[:, None] * xp.sum(X, axis=0)[None, :]  # (K, p)
    with float_errors_ignored():
        statistic = xp.sum((observed - expected) ** 2 / expected, axis=0)  # (p,)
    return match_input(statistic, X_in), match_input(chi2_sf(statistic, float(K - 1)), X_in)

