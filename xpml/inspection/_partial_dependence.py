"""Partial dependence: a fitted model's average response as some features are set to each value of a grid.

For target features S (one, two, or more) and a grid point v, every sample of X has its features S set to
v while its other features stay; the model's responses f(v, x_C) on those copies are the individual
conditional expectations (ICE) of each sample, and their (weighted) mean over the samples the partial
dependence:

    pd_S(v) = Σᵢ sᵢ f(v, x_C,i) / Σᵢ sᵢ.

The grid of each feature is its unique values when there are fewer than grid_resolution of them (or the
feature is categorical), else grid_resolution points evenly spaced between two of its percentiles, taken
as scipy's `mquantiles` takes them (Hyndman & Fan's definition with α = β = 0.4, scikit-learn's choice);
the grid of S is the cartesian product of its features' grids, the last feature varying fastest. This is
the "brute" method: the responses of a block of grid points' copies come from one predict call, blocks
sized by `chunk_rows` so that memory stays bounded. ("recursion", which walks fitted trees with the
training data's weights instead of X's, is scikit-learn's alone.)

References: J. H. Friedman, "Greedy function approximation: a gradient boosting machine", Annals of
Statistics 29(5), 2001, section 8.2; A. Goldstein et al., "Peeking inside the black box: visualizing
statistical learning with plots of individual conditional expectation", JCGS 24(1), 2015.
"""

from __future__ import annotations

import math
from numbers import Integral
from typing import Any

from .._backend import dtype_name, match_input, resolve_backend, to_backend
from ..base import check_is_fitted, is_classifier
from ..datasets import Bunch
from ..utils._chunks import chunk_rows, row_slices
from ..utils._frames import feature_names_of, frame_library, wrap_output
from ..utils._param_validation import Interval, Options, check_param
from ..utils.validation import check_array, check_sample_weight

__all__ = ["partial_dependence"]


def partial_dependence(estimator: Any, X: Any, features: Any, *, sample_weight: Any = None,
                       categorical_features: Any = None, feature_names: Any = None, response_method: str = "auto",
                       percentiles: tuple = (0.05, 0.95), grid_resolution: int = 100, custom_values: Any = None,
                       method: str = "auto", kind: str = "average"):
    """The partial dependence of a fitted model's response on `features`, and each sample's (ICE).

    Parameters
    ----------
    estimator : fitted classifier or regressor
    X : array-like of shape (n_samples, n_features)
        The samples whose other features are kept (a DataFrame names the features).
    features : int, str, or list of them
        The target features, by index (or by column name for a DataFrame).
    sample_weight : array-like of shape (n_samples,), optional
        Weights of the mean over the samples (the individual responses do not depend on them).
    categorical_features : array-like of bool (n_features,), of int or of str, optional
        Features whose grid is their unique values.
    feature_names : array-like of str, optional
        The names of the features, for `categorical_features` given by name (default: a DataFrame's columns).
    response_method : {"auto", "predict_proba", "decision_function"}, default="auto"
        A classifier's response ("auto": predict_proba, else decision_function; of two classes, the positive
        class's); a regressor's is always predict, and it takes only "auto".
    percentiles : tuple of float, default=(0.05, 0.95)
        The ends of the grid of a numeric feature, as fractions in [0, 1].
    grid_resolution : int, default=100
        The number of grid points of a numeric feature with at least that many unique values.
    custom_values : dict, optional
        {feature: 1-D values}: the grid of those features, as given.
    method : {"auto", "brute"}, default="auto"
        "auto" is "brute" here; "recursion" is refused.
    kind : {"average", "individual", "both"}, default="average"

    Returns
    -------
    result : Bunch
        grid_values (a list of 1-D arrays, one per feature), average (n_outputs, *grid shape) and/or individual
        (n_outputs, n_samples, *grid shape), in the library of X; n_outputs is 1 for regression and two
        classes, the number of classes or of targets otherwise.
    """
    check_param("response_method", response_method, [Options({"auto", "predict_proba", "decision_function"})])
    check_param("method", method, [Options({"auto", "recursion", "brute"})])
    check_param("kind", kind, [Options({"average", "individual", "both"})])
    check_param("grid_resolution", grid_resolution, [Interval(Integral, 1, None, closed="left")])
    check_is_fitted(estimator)
    classifier = is_classifier(estimator)
    if not classifier and not hasattr(estimator, "predict"):
        raise ValueError("'estimator' must be a fitted regressor or classifier.")
    if not classifier and response_method != "auto":
        raise ValueError("The response_method parameter is ignored for regressors and must be 'auto'.")
    if method == "recursion":
        raise ValueError("method='recursion' is not available in xpml (it walks scikit-learn's fitted trees); use "
                         "method='brute' or 'auto', which average the predictions over X.")
    frame_names = feature_names_of(X)  # a DataFrame's columns, or None
    integer_input = dtype_name(X).startswith(("int", "uint")) if hasattr(X, "dtype") else False
    backend = vars(estimator).get("_backend") or resolve_backend(None)
    X_in, X = X, check_array(X, backend, dtype=vars(estimator).get("_dtype"), ensure_finite="allow-nan")
    xp, (n, p) = backend.xp, X.shape
    names = _names(frame_names if feature_names is None else feature_names, p)
    frame = frame_library(X_in) if frame_names is not None and hasattr(estimator, "feature_names_in_") else None
    listed = list(features) if isinstance(features, (list, tuple)) else [features]
    indices = [_column(f, names, p, by_name=frame_names is not None) for f in listed]
    is_categorical = _categorical(categorical_features, indices, names, p)
    if integer_input and not all(is_categorical):
        feature = listed[is_categorical.index(False)]
        raise ValueError(f"The column {feature!r} contains integer data. Partial dependence plots are not supported "
                         f"for integer data: this can lead to implicit rounding with NumPy arrays or even errors with "
                         f"newer pandas versions. Please convert numerical features to floating point dtypes ahead "
                         f"of time to avoid problems.")
    custom = dict(custom_values or {})
    grids = [_grid(xp, X[:, j], cat, percentiles, grid_resolution, custom.get(f), backend)
             for f, j, cat in zip(listed, indices, is_categorical)]
    w = None if sample_weight is None else check_sample_weight(sample_weight, backend, n_samples=n,
                                                               dtype=dtype_name(X))
    as_input = (lambda A: wrap_output(A, frame_names, frame)) if frame else (lambda A: A)  # as it was fitted
    individual = _responses(estimator, xp, backend, X, indices, grids, classifier, response_method,
                            as_input)  # (P, n, k)
    shape = tuple(g.shape[0] for g in grids)
    result = Bunch(grid_values=[match_input(g, X_in) for g in grids])
    if kind in ("average", "both"):
        mean = xp.mean(individual, axis=1) if w is None else \
            xp.sum(individual * w[None, :, None], axis=1) / xp.sum(w)  # (P, k)
        result["average"] = match_input(xp.reshape(mean.T, (-1, *shape)), X_in)
    if kind in ("individual", "both"):
        ice = xp.permute_dims(individual, (2, 1, 0))  # (k, n, P)
        result["individual"] = match_input(xp.reshape(ice, (-1, n, *shape)), X_in)
    return result


def _names(names: Any, p: int) -> list:
    if names is None:
        return [f"x{i}" for i in range(p)]
    names = list(names)
    if len(set(names)) != len(names):
        raise ValueError(f"feature_names should not contain duplicates; got {names}.")
    if len(names) != p:
        raise ValueError(f"feature_names should hold {p} names, one per feature of X; got {len(names)}.")
    return names


def _column(feature: Any, names: list, p: int, *, by_name: bool) -> int:
    """The column index of a feature given by index (in [0, p)) or by a DataFrame's column name."""
    if isinstance(feature, str):
        if not by_name:
            raise ValueError(f"features={feature!r}: specifying the columns using strings is only supported for "
                             f"dataframes.")
        if feature not in names:
            raise ValueError(f"features={feature!r} is not a column of X; its columns are {names}.")
        return names.index(feature)
    if not isinstance(feature, Integral) or isinstance(feature, bool) or not 0 <= feature < p:
        raise ValueError(f"all features must be in [0, {p - 1}]; got {feature!r}.")
    return int(feature)


def _categorical(categorical_features: Any, indices: list, names: list, p: int) -> list:
    """For each target feature, whether it is categorical."""
    if categorical_features is None:
        return [False] * len(indices)
    listed = list(categorical_features)
    if not listed:
        raise ValueError("Passing an empty list (`[]`) to `categorical_features` is not supported. Use `None` "
                         "instead to indicate that there are no categorical features.")
    if all(isinstance(c, bool) or type(c).__name__ == "bool_" for c in listed):
        if len(listed) != p:
            raise ValueError(f"When `categorical_features` is a boolean array-like, the array should be of shape "
                             f"(n_features,). Got {len(listed)} elements while `X` contains {p} features.")
        return [bool(listed[j]) for j in indices]
    chosen = set()
    for c in listed:
        if isinstance(c, str):
            if c not in names:
                raise ValueError(f"categorical_features: {c!r} is not in feature_names {names}.")
            chosen.add(names.index(c))
        elif isinstance(c, Integral):
            chosen.add(int(c) % p if -p <= c < p else _out_of_range(c, p))
        else:
            raise ValueError(f"Expected `categorical_features` to be an array-like of boolean, integer, or string. "
                             f"Got {type(c).__name__} instead.")
    return [j in chosen for j in indices]


def _out_of_range(c: int, p: int):
    raise ValueError(f"categorical_features: index {c} is out of range for {p} features.")


def _grid(xp, column, categorical: bool, percentiles, grid_resolution: int, custom, backend):
    """The grid values of one feature (g,): custom, its unique values, or evenly spaced between percentiles."""
    if not (isinstance(percentiles, (tuple, list)) and len(percentiles) == 2):
        raise ValueError("'percentiles' must be a sequence of 2 elements.")
    if not all(0 <= q <= 1 for q in percentiles):
        raise ValueError("'percentiles' values must be in [0, 1].")
    if percentiles[0] >= percentiles[1]:
        raise ValueError("percentiles[0] must be strictly less than percentiles[1].")
    if grid_resolution <= 1:
        raise ValueError("'grid_resolution' must be strictly greater than 1.")
    if custom is not None:
        values = check_array(custom, backend, name="custom_values", ndim=1, dtype=dtype_name(column))
        return values
    uniques = xp.unique_values(column)  # (u,) sorted
    if categorical or uniques.shape[0] < grid_resolution:
        return uniques
    low, high = (_mquantile(xp, column, q) for q in percentiles)
    if math.isclose(low, high, rel_tol=1e-5, abs_tol=1e-8):
        raise ValueError("percentiles are too close to each other, unable to build the grid. Please choose "
                         "percentiles that are further apart.")
    return xp.linspace(low, high, grid_resolution, dtype=column.dtype, device=column.device)


def _mquantile(xp, column, q: float) -> float:
    """Quantile q of a column as scipy.stats.mstats.mquantiles computes it (α = β = 0.4): at the virtual
    position h = n q + 0.4 + 0.2 q (1-based), between the order statistics ⌊h⌋ and ⌊h⌋ + 1 (h kept in [1, n - 1])."""
    ordered = xp.sort(column)  # (n,)
    n = ordered.shape[0]
    h = n * q + (0.4 + q * 0.2)
    k = math.floor(min(max(h, 1), n - 1))
    gamma = min(max(h - k, 0.0), 1.0)
    return float((1.0 - gamma) * ordered[k - 1] + gamma * ordered[k])


def _cartesian(xp, grids, dtype, device):
    """The grid points (P, f), the last feature varying fastest."""
    shape = tuple(g.shape[0] for g in grids)
    total = math.prod(shape)
    columns = []
    for i, g in enumerate(grids):
        inner = math.prod(shape[i + 1:])  # how many points each value repeats for
        index = (xp.arange(total, device=device) // inner) % shape[i]  # (P,)
        columns.append(xp.astype(xp.take(g, index), dtype))
    return xp.stack(columns, axis=1)


def _responses(estimator, xp, backend, X, indices, grids, classifier: bool, response_method: str, as_input):
    """The model's response on each sample of X with `indices` set to each grid point: (P, n, k). The copies are
    given to the model as `as_input` makes them (a DataFrame of X's columns for a model fitted on one)."""
    n, p = X.shape
    points = _cartesian(xp, grids, X.dtype, X.device)  # (P, f)
    placed = xp.asarray([[1.0 if j == c else 0.0 for j in range(p)] for c in indices], dtype=X.dtype,
                        device=X.device)  # (f, p): which column each target feature sets
    target = xp.any(placed != 0, axis=0)  # (p,)
    out = []
    for block in row_slices(points.shape[0], chunk_rows(backend, n * p)):
        values = points[block, ...] @ placed  # (B, p): the grid values in their columns (exact: products by 0 or 1)
        copies = xp.where(target, values[:, None, :], X[None, :, :])  # (B, n, p)
        B = copies.shape[0]
        response = _respond(estimator, backend, as_input(xp.reshape(copies, (B * n, p))), classifier, response_method)
        out.append(xp.reshape(response, (B, n, -1)))  # (B, n, k)
    return out[0] if len(out) == 1 else xp.concat(out, axis=0)


def _respond(estimator, backend, X, classifier: bool, response_method: str):
    """predict for a regressor; for a classifier predict_proba (its positive column for two classes) or
    decision_function, as response_method asks ("auto": the first the estimator has). (m,) or (m, k)"""
    if not classifier:
        return to_backend(estimator.predict(X), backend)
    methods = ("predict_proba", "decision_function") if response_method == "auto" else (response_method,)
    for method in methods:
        if hasattr(estimator, method):
            out = to_backend(getattr(estimator, method)(X), backend)
            return out[:, 1] if method == "predict_proba" and out.ndim == 2 and out.shape[1] == 2 else out
    raise ValueError(f"{type(estimator).__name__} has none of the methods {list(methods)} that response_method="
                     f"{response_method!r} needs.")
