"""What the meta-ensembles (AdaBoost, bagging, voting, stacking) share: making their members and asking them.

A member is a clone of an estimator the user gave. It is fitted inside `use_backend(<the ensemble's
backend>)`, so a member (or a pipeline's step) left at backend=None computes where the ensemble does,
and its answers are read with `output="backend"`, so they stay arrays of that backend. Classifier
members are fitted on class indices (0 .. n_classes-1), as scikit-learn's voting and bagging fit on
encoded labels; a member that saw only some classes (a bootstrap sample) has its probability columns
placed among all the classes by a one-hot matrix.

Voting and stacking hold named members of different kinds (`Heterogeneous`): a member may be "drop"
(left out), and the fitted ones are read by name.
"""

from __future__ import annotations

import inspect
from typing import Any

from .._backend import config_context, library_of, to_backend, use_backend
from ..base import BaseEstimator, RegressorMixin, clone, is_classifier
from ..datasets import Bunch
from ..utils._metaestimators import Composition

__all__ = ["DROP", "Heterogeneous", "accepts_sample_weight", "ask", "check_member", "dropped", "fit_member",
           "full_columns", "is_fitted", "is_regressor", "make_member", "no_routing", "one_hot", "weighted_importances"]

DROP = "drop"  # a member given as this string is left out

MAX_SEED = 2**31 - 1


def make_member(template: Any, rng: Any = None) -> Any:
    """A new, unfitted clone of `template`; with a numpy Generator `rng`, each of its random_state
    parameters (nested ones too, as scikit-learn's ensembles do) set to an int drawn from it."""
    member = clone(template)
    if rng is not None:
        names = sorted(k for k in member.get_params(deep=True) if k == "random_state" or k.endswith("__random_state"))
        member.set_params(**{k: int(rng.integers(MAX_SEED)) for k in names})
    return member


def no_routing(owner: Any, method: str, params: dict) -> None:
    """scikit-learn passes these parameters to the members only with its metadata routing, which xpml does
    not have: refused, as scikit-learn refuses them without routing."""
    if params:
        raise ValueError(f"{type(owner).__name__}.{method} got parameters {sorted(params)}; passing them to the "
                         f"members needs scikit-learn's metadata routing, which xpml does not have.")


def check_member(estimator: Any, name: str) -> None:
    """TypeError unless `estimator` is an (unfitted or fitted) estimator: it has fit and get_params."""
    if isinstance(estimator, type) or not all(callable(getattr(estimator, m, None)) for m in ("fit", "get_params")):
        raise TypeError(f"{name} should be an estimator with fit and get_params methods; got {estimator!r}.")


def is_regressor(estimator: Any) -> bool:
    """Whether `estimator` is a regressor: an xpml regressor, a pipeline ending in one, or a scikit-learn
    regressor (asked through its tags, so scikit-learn is imported only for its own estimators)."""
    if is_classifier(estimator):
        return False
    if isinstance(estimator, RegressorMixin) or getattr(estimator, "_estimator_type", None) == "regressor":
        return True
    if isinstance(estimator, BaseEstimator):
        last = getattr(estimator, "_final_estimator", None)  # a Pipeline's last step
        return last is not None and last is not estimator and is_regressor(last)
    try:
        return estimator.__sklearn_tags__().estimator_type == "regressor"
    except Exception:  # no tags, or tags of another shape
        return False


def is_fitted(estimator: Any) -> bool:
    """Whether a member given as fitted is: it says so (`__sklearn_is_fitted__`), or it has attributes ending
    in "_", as scikit-learn's check_is_fitted asks."""
    asked = getattr(estimator, "__sklearn_is_fitted__", None)
    if asked is not None:
        return bool(asked())
    return any(k.endswith("_") and not k.startswith("__") for k in vars(estimator))


def accepts_sample_weight(estimator: Any) -> bool:
    """Whether `estimator.fit` takes a `sample_weight` argument."""
    return "sample_weight" in inspect.signature(estimator.fit).parameters


def fit_member(member: Any, backend: Any, X: Any, y: Any, sample_weight: Any = None) -> Any:
    """`member.fit(X, y[, sample_weight])` on `backend` (for a member left at backend=None). Returns it."""
    with use_backend(backend):
        if sample_weight is None:
            return member.fit(X, y)
        return member.fit(X, y, sample_weight=sample_weight)


def ask(member: Any, method: str, X: Any, backend: Any, **params: Any) -> Any:
    """`member.<method>(X, **params)` as an array of `backend` (a classifier's labels come from its host
    `classes_`)."""
    with config_context(output="backend"):
        result = getattr(member, method)(X, **params)
    return result if library_of(result) == backend.name else to_backend(result, backend)


def full_columns(xp: Any, device: Any, values: Any, member_classes: Any, n_classes: int) -> Any:
    """(n, n_classes): the columns `values` (n, k) of a member that knows the classes `member_classes`
    (k class indices, on the host) put in their place among all n_classes; 0 for the classes it never saw."""
    if len(member_classes) == n_classes:
        return values
    known = xp.asarray([int(c) for c in member_classes], device=device)  # (k,)
    place = xp.astype(known[:, None] == xp.arange(n_classes, dtype=known.dtype, device=device), values.dtype)  # (k, C)
    return values @ place  # (n, C)


def one_hot(xp: Any, device: Any, indices: Any, n_classes: int, dtype: Any) -> Any:
    """(n, n_classes): 1 in the column of each index, else 0."""
    return xp.astype(indices[:, None] == xp.arange(n_classes, dtype=indices.dtype, device=device), dtype)


def weighted_importances(xp: Any, members: list, weights: Any) -> Any:
    """(n_features,): the members' feature importances, averaged with the weights (n_members,), a boosting's say."""
    total = sum(w * m.feature_importances_ for m, w in zip(members, weights))
    return total / xp.sum(weights)


def dropped(estimator: Any) -> bool:
    """Whether a member is the placeholder "drop" (left out)."""
    return isinstance(estimator, str) and estimator == DROP


class Heterogeneous(Composition):
    """Base of the ensembles of named members of different kinds (voting, stacking): the (name, estimator)
    pairs of `estimators`, a member "drop" left out; the fitted members, `estimators_`, read by name."""

    _parts = "estimators"

    def _members_to_fit(self, sample_weight: Any = None) -> list[tuple[str, Any]]:
        """The (name, estimator) pairs that are not "drop", each checked to be an estimator (that takes
        sample_weight, where one is given); at least one is required."""
        self._check_parts()
        kept = [(name, est) for name, est in self.estimators if not dropped(est)]
        if not kept:
            raise ValueError(f"All estimators are dropped ({self.estimators!r}); at least one is required.")
        for name, est in kept:
            check_member(est, f"estimator {name!r}")
            if sample_weight is not None and not accepts_sample_weight(est):
                raise TypeError(f"estimator {name!r} ({type(est).__name__}) does not take sample_weight in fit.")
        return kept

    @property
    def named_estimators_(self) -> Bunch:
        """The fitted members by name ("drop" for the dropped ones)."""
        fitted = iter(self.estimators_)
        return Bunch(**{name: est if dropped(est) else next(fitted) for name, est in self.estimators})

    @property
    def named_estimators(self) -> Bunch:
        """The members (unfitted, as given) by name."""
        return Bunch(**dict(self.estimators))
