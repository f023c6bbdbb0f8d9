"""Voting: several different estimators fitted on the same data, their predictions combined.

A voting classifier either counts the members' predicted classes, each member's vote weighted by
w_m ("hard": the class of largest Σ_m w_m [h_m(x) = k]), or averages their class probabilities,
Σ_m w_m p_m(k | x) / Σ_m w_m ("soft"), and predicts the class of largest average. A voting
regressor predicts the weighted average of its members' predictions.

Reference: Kuncheva, Combining Pattern Classifiers: Methods and Algorithms, Wiley (2004), chapter 4.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any, ClassVar

from .._backend import use_backend
from ..base import (
    BACKEND_CONSTRAINTS,
    ClassifierMixin,
    RegressorMixin,
    TransformerMixin,
    check_is_fitted,
    clone,
)
from ..utils._available_if import available_if
from ..utils._feature_names import check_feature_names_in
from ..utils._host import host_array
from ..utils._param_validation import Options
from ._members import Heterogeneous, ask, dropped, fit_member, no_routing, one_hot

__all__ = ["VotingClassifier", "VotingRegressor"]


class _BaseVoting(TransformerMixin, Heterogeneous):
    _parameter_constraints: ClassVar[dict] = {
        "weights": [None, "array-like"],
        "n_jobs": [None, Integral],
        "verbose": ["boolean"],
        **BACKEND_CONSTRAINTS,
    }

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []  # transform gives probabilities, or class indices
        return tags

    def _fit_parts(self, X, y, sample_weight):
        """Fit a clone of every member that is not "drop" on (X, y); set `estimators_`."""
        kept = self._members_to_fit(sample_weight)
        if self.weights is not None and len(self.weights) != len(self.estimators):
            raise ValueError(f"weights has {len(self.weights)} values but there are {len(self.estimators)} "
                             f"estimators; give one weight per estimator.")
        self.estimators_ = []
        for name, est in kept:
            if self.verbose:
                print(f"[Voting] fitting {name}")
            self.estimators_.append(fit_member(clone(est), self._backend, X, y, sample_weight))
        return self

    def _member_weights(self):
        """The weights of the members that are not dropped (1 each without weights)."""
        if self.weights is None:
            return [1.0] * len(self.estimators_)
        return [float(w) for (_, est), w in zip(self.estimators, self.weights)
                if not dropped(est)]

    def get_feature_names_out(self, input_features: Any = None):
        """The names of `transform`'s columns: "<class>_<member>" for each member kept, or with voting="soft"
        "<class>_<member><k>" for each of its class probabilities."""
        check_is_fitted(self)
        check_feature_names_in(self, input_features)
        soft = getattr(self, "voting", "hard") == "soft"
        if soft and not self.flatten_transform:
            raise ValueError("get_feature_names_out needs the columns of flatten_transform=True; with voting='soft' "
                             "and flatten_transform=False, transform gives a 3-D array.")
        prefix, kept = type(self).__name__.lower(), [name for name, est in self.estimators if not dropped(est)]
        return host_array([f"{prefix}_{name}{k}" for name in kept for k in range(len(self.classes_))] if soft
                          else [f"{prefix}_{name}" for name in kept], dtype="object")

    def _average(self, values):
        """Σ_m w_m values_m / Σ_m w_m."""
        weights = self._member_weights()
        return sum(w * v for w, v in zip(weights, values)) / sum(weights)


class VotingClassifier(ClassifierMixin, _BaseVoting):
    """A voting classifier: the members' weighted vote ("hard") or their weighted average probabilities ("soft").

    Parameters
    ----------
    estimators : list of (str, estimator) tuples
        The members by name; a member may be "drop" (left out). They are fitted on class indices.
    voting : {"hard", "soft"}, default="hard"
        Count the predicted classes, or average the predicted probabilities.
    weights : array-like of shape (n_estimators,), optional
        The weight of each member's vote or probabilities (None: equal weights).
    n_jobs : int, optional
        Accepted for scikit-learn's signature; the members are fitted one after another.
    flatten_transform : bool, default=True
        With voting="soft": `transform` returns (n_samples, n_members * n_classes) instead of
        (n_members, n_samples, n_classes).
    verbose : bool, default=False
        Print each member's name as it is fitted.
    backend, dtype
        Where and in what precision to compute.

    Attributes
    ----------
    estimators_ : list of estimators
        The fitted members that are not "drop".
    named_estimators_ : Bunch
        The fitted members by name.
    le_ : LabelEncoder
        The encoding of the labels into the class indices the members are fitted on.
    classes_, n_features_in_
    """

    _parameter_constraints: ClassVar[dict] = {**_BaseVoting._parameter_constraints, "voting": [Options({"hard", "soft"})],
                              "flatten_transform": ["boolean"]}

    def __init__(self, estimators, *, voting="hard", weights=None, n_jobs=None, flatten_transform=True,
                 verbose=False, backend=None, dtype=None):
        self.estimators = estimators
        self.voting = voting
        self.weights = weights
        self.n_jobs = n_jobs
        self.flatten_transform = flatten_transform
        self.verbose = verbose
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, **fit_params: Any):
        """Fit every member on X and the labels y (fit_params: sample_weight, optional). Returns self."""
        from ..preprocessing import LabelEncoder

        sample_weight = fit_params.pop("sample_weight", None)
        no_routing(self, "fit", fit_params)
        X, y_index = self._validate_labels(X, y)
        with use_backend(self._backend):
            self.le_ = LabelEncoder().fit(self.classes_)
        return self._fit_parts(X, y_index, sample_weight)

    def _probas(self, X):
        return [ask(member, "predict_proba", X, self._backend) for member in self.estimators_]  # m × (n, K)

    def _votes(self, X):
        return [ask(member, "predict", X, self._backend) for member in self.estimators_]  # m × (n,) class indices

    def _soft(self, X):
        return self._average(self._probas(X))  # (n, K)

    def predict(self, X: Any):
        """The class of largest weighted vote, or of largest weighted average probability."""
        X_in, X = X, self._validate_X(X, reset=False)
        xp, K = self._xp, len(self.classes_)
        if self.voting == "soft":
            scores = self._soft(X)
        else:
            scores = sum(w * one_hot(xp, self._device, v, K, X.dtype)
                         for w, v in zip(self._member_weights(), self._votes(X)))  # (n, K)
        return self._labels(xp.argmax(scores, axis=1), X_in)

    @available_if(lambda self: self.voting == "soft")
    def predict_proba(self, X: Any):
        """(n_samples, n_classes): the members' probabilities, weighted and averaged (voting="soft" only)."""
        X_in = X
        return self._output(self._soft(self._validate_X(X, reset=False)), X_in)

    def transform(self, X: Any):
        """The members' answers: probabilities (voting="soft"), or predicted class indices (n_samples, n_members)."""
        X_in, X = X, self._validate_X(X, reset=False)
        xp = self._xp
        if self.voting == "soft":
            probas = self._probas(X)
            return self._output(xp.concat(probas, axis=1) if self.flatten_transform else xp.stack(probas), X_in)
        return self._output(xp.stack(self._votes(X), axis=1), X_in)


class VotingRegressor(RegressorMixin, _BaseVoting):
    """A voting regressor: the weighted average of its members' predictions.

    Parameters are those of `VotingClassifier` without voting and flatten_transform.
    """

    def __init__(self, estimators, *, weights=None, n_jobs=None, verbose=False, backend=None, dtype=None):
        self.estimators = estimators
        self.weights = weights
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, **fit_params: Any):
        """Fit every member on X and the targets y (fit_params: sample_weight, optional). Returns self."""
        sample_weight = fit_params.pop("sample_weight", None)
        no_routing(self, "fit", fit_params)
        X, y = self._validate_data(X, y, multi_output=False)
        return self._fit_parts(X, y, sample_weight)

    def predict(self, X: Any):
        """The members' predictions, weighted and averaged."""
        X_in, X = X, self._validate_X(X, reset=False)
        return self._output(self._average([ask(m, "predict", X, self._backend) for m in self.estimators_]), X_in)

    def transform(self, X: Any):
        """(n_samples, n_members): each member's predictions."""
        X_in, X = X, self._validate_X(X, reset=False)
        return self._output(self._xp.stack([ask(m, "predict", X, self._backend) for m in self.estimators_], axis=1), X_in)
