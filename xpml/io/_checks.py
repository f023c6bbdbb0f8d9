"""A loaded estimator is user input: its parameters and fitted arrays are checked before it is used."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._backend import dtype_name, library_of


def check_loaded(estimator: Any, where: str) -> None:
    """Validate a loaded estimator as user input: its parameters through the same checks as fit, its
    fitted attributes by name (`n_features_in_` an int >= 1, arrays of real numbers). Raises ValueError
    or TypeError naming the field."""
    from ..base import BaseEstimator
    from ..utils._param_validation import check_param

    constraints = getattr(type(estimator), "_parameter_constraints", {})
    for name, value in estimator.get_params(deep=False).items():
        if isinstance(value, BaseEstimator):
            check_loaded(value, f"{where}.{name}")
        elif name in constraints:
            try:
                check_param(name, value, constraints[name])
            except (ValueError, TypeError) as exc:
                raise type(exc)(f"parameter {where}.{name}: {exc}") from None
    for name, value in vars(estimator).items():
        field = f"{where}.{name}"
        if name in ("n_features_in_", "n_outputs_", "n_output_features_") and not (
                isinstance(value, int) and not isinstance(value, bool) and value >= (name != "n_output_features_")):
            raise ValueError(f"field {field} should be an int >= 1; got {value!r}.")
        if name.endswith("_") and not name.startswith("_") and isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                if isinstance(item, BaseEstimator):
                    check_loaded(item, f"{field}[{i}]")
        if isinstance(value, BaseEstimator):
            check_loaded(value, field)
        elif library_of(value) is not None and not dtype_name(value).startswith(("float", "int", "uint", "bool")) \
                and not _plain_labels(value) and not _ragged_numbers(value):
            raise ValueError(f"field {field} should be an array of real numbers, or of labels (strings and numbers); "
                             f"got dtype {dtype_name(value)}.")
    _check_fitted_ndims(estimator, where)


def _plain_labels(value: Any) -> bool:
    """Whether `value` is a host array of labels: strings (feature names, string classes or categories, as
    scikit-learn keeps them in arrays of dtype object) or plain numbers, nothing else."""
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    if kind in ("U", "S"):
        return True
    items = value.reshape(-1).tolist() if kind == "O" else ()
    return kind == "O" and all(item is None or type(item) in (str, int, float, bool) for item in items)


def _ragged_numbers(value: Any) -> bool:
    """Whether `value` is a host array of arrays of real numbers, one per feature (KBinsDiscretizer's bin_edges_, an
    array of objects as scikit-learn keeps it), nothing else."""
    if getattr(getattr(value, "dtype", None), "kind", None) != "O":
        return False
    return all(isinstance(item, np.ndarray) and item.dtype.kind in "biuf" for item in value.reshape(-1).tolist())


# The number of dimensions each common fitted array has after a real fit (a tuple: the ones allowed);
# `_NDIM_BY_CLASS` overrides it where an estimator's attribute of that name has another shape.
_NDIM = {"coef_": (1, 2), "intercept_": (0, 1), "cluster_centers_": (2,), "components_": (2,), "mean_": (1,),
         "var_": (1,), "scale_": (1,), "classes_": (1,), "theta_": (2,), "labels_": (1,)}
_NDIM_BY_CLASS = {"GaussianNB": {"var_": (2,)}, "HuberRegressor": {"scale_": (0,)}}  # HuberRegressor's σ: a scalar
_LIST_NDIM = {"coefs_": 2, "intercepts_": 1}  # lists of arrays, one per layer
_FEATURES_LAST = ("coef_", "cluster_centers_", "components_")  # (..., n_features_in_)


def _check_fitted_ndims(estimator: Any, where: str) -> None:
    """Refuse fitted arrays whose number of dimensions (or feature axis) differs from a real fit's:
    a file edited to hold a 2-D intercept_ or a 3-D coef_ would otherwise fail later, inside predict."""
    state = vars(estimator)
    allowed = {**_NDIM, **_NDIM_BY_CLASS.get(type(estimator).__name__, {})}
    for name, ndims in allowed.items():
        value = state.get(name)
        if library_of(value) is not None and value.ndim not in ndims:
            raise ValueError(f"field {where}.{name} should have {' or '.join(map(str, ndims))} dimension(s); "
                             f"got {value.ndim} (shape {tuple(value.shape)}).")
    for name, ndim in _LIST_NDIM.items():
        for i, item in enumerate(state.get(name) or ()) if isinstance(state.get(name), (list, tuple)) else ():
            if library_of(item) is not None and item.ndim != ndim:
                raise ValueError(f"field {where}.{name}[{i}] should have {ndim} dimension(s); got {item.ndim} "
                                 f"(shape {tuple(item.shape)}).")
    coef, intercept = state.get("coef_"), state.get("intercept_")
    if library_of(coef) is not None and library_of(intercept) is not None and (
            tuple(intercept.shape) not in (((coef.shape[0],),) if coef.ndim == 2 else ((), (1,)))):
        raise ValueError(f"field {where}.intercept_ has shape {tuple(intercept.shape)}, which does not match "
                         f"coef_ of shape {tuple(coef.shape)} (one intercept per row of a 2-D coef_, one in all for a 1-D coef_).")
    n_features = state.get("n_features_in_")
    for name in _FEATURES_LAST:
        value = state.get(name)
        if isinstance(n_features, int) and library_of(value) is not None and value.ndim >= 1 \
                and value.shape[-1] != n_features:
            raise ValueError(f"field {where}.{name} has shape {tuple(value.shape)}, but n_features_in_={n_features}: "
                             f"its last axis should have {n_features} entries.")

