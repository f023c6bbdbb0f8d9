"""Bagging: copies of one estimator, each fitted on a random sample of the rows and of the features,
their predictions averaged.

Member t draws `max_samples` rows (with replacement if `bootstrap`, else without) and `max_features`
features (with replacement if `bootstrap_features`). A member whose fit takes sample_weight gets the
rows as weights, the number of times each row was drawn; any other is fitted on the drawn rows. A
classifier averages its members' class probabilities (or their votes, for members without
predict_proba); a regressor averages their predictions. A row's out-of-bag prediction averages the
members that did not draw it.

Reference: Breiman, "Bagging predictors", Machine Learning 24 (1996); Ho, "The random subspace
method for constructing decision forests", IEEE TPAMI 20 (1998).
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

from .._backend import to_numpy
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, ClassifierMixin, RegressorMixin
from ..tree import DecisionTreeClassifier, DecisionTreeRegressor
from ..utils._available_if import available_if
from ..utils._bincount import bincount
from ..utils._param_validation import Interval
from ..utils._random import check_random_state, draw
from ..utils._special import safe_log
from ..utils._warnings import warn
from ..utils.validation import check_sample_weight
from ._members import (
    MAX_SEED,
    accepts_sample_weight,
    ask,
    check_member,
    fit_member,
    full_columns,
    make_member,
    no_routing,
    one_hot,
)

__all__ = ["BaggingClassifier", "BaggingRegressor"]


class _BaseBagging(BaseEstimator):
    _default = DecisionTreeClassifier
    _parameter_constraints: ClassVar[dict] = {
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "max_samples": [None, Interval(Integral, 1, None, closed="left"), Interval(Real, 0.0, 1.0, closed="right")],
        "max_features": [Interval(Integral, 1, None, closed="left"), Interval(Real, 0.0, 1.0, closed="right")],
        "bootstrap": ["boolean"],
        "bootstrap_features": ["boolean"],
        "oob_score": ["boolean"],
        "warm_start": ["boolean"],
        "n_jobs": [None, Integral],
        "random_state": ["random_state"],
        "verbose": [Integral],
        **BACKEND_CONSTRAINTS,
    }

    def __init__(self, estimator=None, n_estimators=10, *, max_samples=None, max_features=1.0, bootstrap=True,
                 bootstrap_features=False, oob_score=False, warm_start=False, n_jobs=None, random_state=None,
                 verbose=0, backend=None, dtype=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.bootstrap_features = bootstrap_features
        self.oob_score = oob_score
        self.warm_start = warm_start
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.backend = backend
        self.dtype = dtype

    def _sizes(self, n: int, p: int, sample_weight: Any) -> tuple[int, int]:
        """(rows, features) each member draws."""
        m = self.max_samples
        if m is None:
            m = n
        elif not isinstance(m, Integral):
            total = n if sample_weight is None else float(self._xp.sum(sample_weight))
            m = max(int(m * total), 1)
        if not self.bootstrap and m > n:
            raise ValueError(f"max_samples={m} should be <= n_samples={n} to draw without replacement "
                             f"(bootstrap=False).")
        return m, self._n_features(p)

    def _n_features(self, p: int) -> int:
        """The features each member draws, of p."""
        f = self.max_features
        f = f if isinstance(f, Integral) else int(f * p)
        if f > p:
            raise ValueError(f"max_features={self.max_features!r} should be <= n_features={p}.")
        return max(1, f)

    def _draw(self, seed: int):
        """(features (f,), rows (m,)): the indices member `seed` draws, as arrays of the backend."""
        rng = check_random_state(seed)
        p, (m, f) = self.n_features_in_, self._drawn
        if self.bootstrap_features:
            features = draw(rng, self._backend, "integers", 0, p, f)
        else:
            features = self._xp.sort(draw(rng, self._backend, "permutation", p)[:f])
        if self._sample_p is not None:
            rows = draw(rng, self._backend, "choice", self._n_samples, m, replace=self.bootstrap,
                        p=to_numpy(self._sample_p))
        elif self.bootstrap:
            rows = draw(rng, self._backend, "integers", 0, self._n_samples, m)
        else:
            # m distinct rows in random order: Floyd's method costs O(m) where a permutation of all n rows cost O(n)
            rows = draw(rng, self._backend, "choice", self._n_samples, m, replace=False)
        return features, rows

    def _fit_members(self, X, y, sample_weight):
        xp, (n, p) = self._xp, X.shape
        if self.oob_score and not self.bootstrap:
            raise ValueError("oob_score=True needs bootstrap=True: without it no sample is out of bag.")
        template = self._default() if self.estimator is None else self.estimator
        check_member(template, "estimator")
        self.estimator_ = template
        w = None
        if sample_weight is not None:
            w = check_sample_weight(sample_weight, self._backend, n_samples=n, dtype=self._dtype)  # (n,)
        self._drawn, self._n_samples = self._sizes(n, p, w), n
        self._sample_p = None if w is None else w / xp.sum(w)  # (n,) the probability of drawing each row
        rng = check_random_state(self.random_state)
        self._seeds = [int(s) for s in rng.integers(MAX_SEED, size=self.n_estimators)]
        draws = [self._draw(seed) for seed in self._seeds]  # T × (features, rows)
        counts = xp.stack([xp.astype(bincount(rows, n, xp=xp), X.dtype) for _, rows in draws])  # (T, n) draws per row
        self.estimators_features_ = [features for features, _ in draws]
        self.estimators_ = [self._fit_one(template, seed, X, y, features, rows, counts[t, :])
                            for t, (seed, (features, rows)) in enumerate(zip(self._seeds, draws))]
        if self.oob_score:
            self._set_oob(X, y, counts == 0)  # (T, n): the rows each member did not draw
        return self

    def _fit_one(self, template, seed, X, y, features, rows, count):
        """A member fitted on the drawn rows (as weights, where its fit takes them) and features."""
        member, X_t = make_member(template, check_random_state(seed)), self._member_X(X, features)
        if accepts_sample_weight(template):
            return fit_member(member, self._backend, X_t, y, count)
        return fit_member(member, self._backend, self._xp.take(X_t, rows, axis=0), self._xp.take(y, rows, axis=0))

    def _member_X(self, X, features):
        return X if features.shape[0] == X.shape[1] and not self.bootstrap_features else self._xp.take(X, features, axis=1)

    def _oob_sum(self, X, out, values_of):
        """(Σ_t out_t · values_t(X), Σ_t out_t): the members' values summed over the rows out of their bag."""
        total = None
        for t, (member, features) in enumerate(zip(self.estimators_, self.estimators_features_)):
            values = values_of(member, self._member_X(X, features))  # (n,) or (n, K)
            mask = self._xp.astype(out[t, :], X.dtype)  # (n,)
            values = values * (mask[:, None] if values.ndim == 2 else mask)
            total = values if total is None else total + values
        seen = self._xp.sum(self._xp.astype(out, X.dtype), axis=0)  # (n,)
        if bool(self._xp.any(seen == 0)):
            warn("Some inputs do not have OOB scores: every member drew them. Use more estimators for reliable "
                 "out-of-bag estimates.")
        return total, seen

    @property
    def estimators_samples_(self):
        """The rows each member drew (a list of index arrays, with repeats where drawn with replacement)."""
        return [self._draw(seed)[1] for seed in self._seeds]


def _has(method: str):
    return lambda self: hasattr(self.estimator if self.estimator is not None else self._default(), method)


class BaggingClassifier(ClassifierMixin, _BaseBagging):
    """A bagging classifier: copies of an estimator on random rows and features, their probabilities averaged.

    Parameters
    ----------
    estimator : xpml classifier, optional
        The estimator to copy (None: a DecisionTreeClassifier).
    n_estimators : int, default=10
    max_samples : int or float, optional
        The rows each member draws (a float: that fraction of n_samples, or of the total sample weight;
        None: n_samples).
    max_features : int or float, default=1.0
        The features each member draws (a float: that fraction of n_features).
    bootstrap, bootstrap_features : bool, default=True, False
        Draw the rows, the features, with replacement.
    oob_score : bool, default=False
        Score the out-of-bag predictions (accuracy): `oob_score_`, `oob_decision_function_`.
    warm_start, n_jobs, verbose
        Accepted for scikit-learn's signature; every fit fits all members, one after another.
    random_state : int, Generator, RandomState or None
    backend, dtype
        Where and in what precision to compute.

    Attributes
    ----------
    estimator_, estimators_, estimators_features_, estimators_samples_, classes_, n_classes_,
    n_features_in_, oob_score_, oob_decision_function_
    """

    def fit(self, X: Any, y: Any, sample_weight: Any = None, **fit_params: Any):
        """Fit the members on random rows and features of X and the labels y. Returns self."""
        no_routing(self, "fit", fit_params)
        X, y_index = self._validate_labels(X, y)
        self.n_classes_ = len(self.classes_)
        return self._fit_members(X, y_index, sample_weight)

    def _member_proba(self, member, X):
        """(n, K): a member's probabilities (or its vote, one-hot) over all the classes."""
        xp, K = self._xp, self.n_classes_
        if hasattr(member, "predict_proba"):
            return full_columns(xp, self._device, ask(member, "predict_proba", X, self._backend), member.classes_, K)
        return one_hot(xp, self._device, ask(member, "predict", X, self._backend), K, X.dtype)

    def _set_oob(self, X, y_index, out):
        xp = self._xp
        total, _ = self._oob_sum(X, out, self._member_proba)
        sums = xp.sum(total, axis=1, keepdims=True)  # (n, 1)
        self.oob_decision_function_ = xp.where(sums > 0, total / xp.where(sums > 0, sums, 1.0), xp.nan)
        self.oob_score_ = float(xp.mean(xp.astype(xp.argmax(total, axis=1) == y_index, X.dtype)))

    def _proba(self, X):
        total = None
        for member, features in zip(self.estimators_, self.estimators_features_):
            proba = self._member_proba(member, self._member_X(X, features))
            total = proba if total is None else total + proba
        return total / len(self.estimators_)  # (n, K)

    def predict_proba(self, X: Any, **params: Any):
        """(n_samples, n_classes): the members' probabilities (or votes), averaged."""
        no_routing(self, "predict_proba", params)
        X_in = X
        return self._output(self._proba(self._validate_X(X, reset=False)), X_in)

    def predict_log_proba(self, X: Any, **params: Any):
        """The logarithm of `predict_proba` (-inf, without a warning, where it is 0)."""
        no_routing(self, "predict_log_proba", params)
        X_in = X
        return self._output(safe_log(self._proba(self._validate_X(X, reset=False))), X_in)

    def predict(self, X: Any, **params: Any):
        """The class of largest average probability."""
        no_routing(self, "predict", params)
        X_in = X
        return self._labels(self._xp.argmax(self._proba(self._validate_X(X, reset=False)), axis=1), X_in)

    @available_if(_has("decision_function"))
    def decision_function(self, X: Any, **params: Any):
        """The members' decision functions, averaged."""
        no_routing(self, "decision_function", params)
        X_in, X = X, self._validate_X(X, reset=False)
        total = sum(ask(m, "decision_function", self._member_X(X, f), self._backend)
                    for m, f in zip(self.estimators_, self.estimators_features_))
        return self._output(total / len(self.estimators_), X_in)


class BaggingRegressor(RegressorMixin, _BaseBagging):
    """A bagging regressor: copies of an estimator on random rows and features, their predictions averaged.

    Parameters are those of `BaggingClassifier`; the default estimator is a DecisionTreeRegressor, and
    `oob_score` scores R², with `oob_prediction_`.
    """

    _default = DecisionTreeRegressor

    def fit(self, X: Any, y: Any, sample_weight: Any = None, **fit_params: Any):
        """Fit the members on random rows and features of X and the targets y. Returns self."""
        no_routing(self, "fit", fit_params)
        X, y = self._validate_data(X, y, multi_output=False)
        return self._fit_members(X, y, sample_weight)

    def _set_oob(self, X, y, out):
        from ..metrics import r2_score

        xp = self._xp
        total, seen = self._oob_sum(X, out, lambda member, X_t: ask(member, "predict", X_t, self._backend))
        self.oob_prediction_ = total / xp.where(seen > 0, seen, 1.0)  # (n,)
        self.oob_score_ = float(r2_score(y, self.oob_prediction_))

    def predict(self, X: Any, **params: Any):
        """The members' predictions, averaged."""
        no_routing(self, "predict", params)
        X_in, X = X, self._validate_X(X, reset=False)
        total = sum(ask(m, "predict", self._member_X(X, f), self._backend) for m, f in zip(self.estimators_, self.estimators_features_))
        return self._output(total / len(self.estimators_), X_in)
