"""Feature names: a DataFrame's column names, kept at fit and checked after, as scikit-learn does.

A DataFrame's string column names are the estimator's `feature_names_in_`: `check_feature_names`
records them at fit and compares them later, with scikit-learn's errors and warnings, and
`check_feature_names_in` gives the names a transformer's `get_feature_names_out` starts from.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..exceptions import not_fitted_error
from ._frames import feature_names_of
from ._warnings import warn

__all__ = ["check_feature_names", "check_feature_names_in", "prefixed_feature_names"]


def _listed(names: list) -> str:
    shown = [f"- {name}\n" for name in names[:5]]
    return "".join(shown) + ("- ...\n" if len(names) > 5 else "")


def check_feature_names(estimator: Any, X: Any, *, reset: bool) -> None:
    """Record (`reset`, at fit) or check (later) the column names of a DataFrame X.

    At fit, string column names become `feature_names_in_` (a numpy array of objects), and X without
    them removes an earlier `feature_names_in_`. Later, names that differ from fit, or come in another
    order, raise ValueError; X with names given to an estimator fitted without, or the other way
    round, warns. The messages are scikit-learn's.
    """
    names = feature_names_of(X)
    if reset:
        if names is not None:
            estimator.feature_names_in_ = names
        elif "feature_names_in_" in vars(estimator):
            del estimator.feature_names_in_
        return
    fitted = getattr(estimator, "feature_names_in_", None)
    kind = type(estimator).__name__
    if fitted is None and names is None:
        return
    if fitted is None:
        warn(f"X has feature names, but {kind} was fitted without feature names", UserWarning)
        return
    if names is None:
        warn(f"X does not have valid feature names, but {kind} was fitted with feature names", UserWarning)
        return
    if len(names) == len(fitted) and bool(np.all(names == fitted)):
        return
    unseen = sorted(set(names) - set(fitted))
    missing = sorted(set(fitted) - set(names))
    message = "The feature names should match those that were passed during fit.\n"
    if unseen:
        message += "Feature names unseen at fit time:\n" + _listed(unseen)
    if missing:
        message += "Feature names seen at fit time, yet now missing:\n" + _listed(missing)
    if not unseen and not missing:
        message += "Feature names must be in the same order as they were in fit.\n"
    raise ValueError(message)


def check_feature_names_in(estimator: Any, input_features: Any = None) -> np.ndarray:
    """The names of a fitted estimator's input features, for `get_feature_names_out`: `input_features`
    if given (checked against the fit), else `feature_names_in_`, else "x0", "x1", ..."""
    fitted = getattr(estimator, "feature_names_in_", None)
    n_features = getattr(estimator, "n_features_in_", None)
    if n_features is None:
        raise not_fitted_error(f"This {type(estimator).__name__} instance is not fitted yet. Call 'fit' with "
                               f"appropriate arguments before using this estimator.")
    if input_features is not None:
        given = np.asarray(input_features, dtype=object)
        if fitted is not None and (len(given) != len(fitted) or not bool(np.all(given == fitted))):
            raise ValueError(f"input_features is not equal to feature_names_in_: got {given.tolist()}, "
                             f"expected {fitted.tolist()}.")
        if len(given) != n_features:
            raise ValueError(f"input_features should have length equal to number of features ({n_features}), "
                             f"got {len(given)}")
        return given
    if fitted is not None:
        return fitted
    return np.asarray([f"x{j}" for j in range(n_features)], dtype=object)


def prefixed_feature_names(estimator: Any, n_features_out: int, input_features: Any = None) -> np.ndarray:
    """Output names of a transformer whose outputs are new features ("pca0", "pca1", ...): the class
    name in lower case and a number, as scikit-learn names them. `input_features` is only checked."""
    check_feature_names_in(estimator, input_features)
    prefix = type(estimator).__name__.lower()
    return np.asarray([f"{prefix}{j}" for j in range(n_features_out)], dtype=object)
