"""Stacking (stacked generalization): a final estimator learns how to combine the answers of several estimators.

Each member h_m answers by one method (its class probabilities, its decision function or its predictions).
The final estimator g learns from answers the members gave on data they did not train on: for each fold k
of a cross-validation, a clone of h_m fitted on the other folds answers for the samples of fold k. The
members themselves are then fitted on all the data, and predict as

    z(x) = [h_1(x), ..., h_M(x)]  (with x appended, passthrough=True)      ŷ(x) = g(z(x)).

In a binary problem a member's probabilities are one column, P(second class | x): the first, 1 minus it,
would only repeat it. With cv="prefit" the members are taken as fitted and answer on the training data itself.

Reference: Wolpert, "Stacked generalization", Neural Networks 5(2), 241-259 (1992).
"""

from __future__ import annotations

from numbers import Integral
from typing import Any, ClassVar

from .._backend import config_context, library_of, to_backend, use_backend
from ..base import (BACKEND_CONSTRAINTS, ClassifierMixin, RegressorMixin, TransformerMixin, check_is_fitted, clone,
                    is_classifier)
from ..exceptions import not_fitted_error
from ..utils._available_if import available_if
from ..utils._feature_names import check_feature_names_in
from ..utils._host import host_array
from ..utils._param_validation import Interval, Options
from ..utils.validation import check_sample_weight
from ._members import (Heterogeneous, accepts_sample_weight, ask, check_member, dropped, fit_member, is_fitted,
                       is_regressor, no_routing)

__all__ = ["StackingClassifier", "StackingRegressor"]

_AUTO = ("predict_proba", "decision_function", "predict")  # stack_method="auto": the first a member has


def _response_method(name: str, estimator: Any, stack_method: str) -> str:
    """The method by which member `name` answers: `stack_method`, or with "auto" the first of `_AUTO` it has."""
    methods = _AUTO if stack_method == "auto" else (stack_method,)
    found = next((m for m in methods if hasattr(estimator, m)), None)
    if found is None:
        raise ValueError(f"estimator {name!r} ({type(estimator).__name__}) has no method {' nor '.join(methods)}, "
                         f"which stack_method={stack_method!r} asks of it.")
    return found


def _check_cv(cv: Any) -> None:
    """cv is None, "prefit", an int >= 2, a splitter or an iterable of (train, test) pairs (check_cv: the last two)."""
    if (isinstance(cv, str) and cv != "prefit") or (isinstance(cv, Integral) and not isinstance(cv, bool) and cv < 2):
        raise ValueError(f"cv={cv!r} should be 'prefit', None, an int >= 2 (the number of folds), a splitter or an "
                         f"iterable of (train, test) index pairs.")


def _final_has(method: str):
    """available_if's check: the final estimator (fitted, else as given, else the default) has `method`."""
    def check(self) -> bool:
        fitted = vars(self).get("final_estimator_")
        return hasattr(self._final_template() if fitted is None else fitted, method)

    return check


class _BaseStacking(TransformerMixin, Heterogeneous):
    _parameter_constraints: ClassVar[dict] = {
        "n_jobs": [None, Integral],
        "passthrough": ["boolean"],
        "verbose": [Interval(Integral, 0, None), "boolean"],
        **BACKEND_CONSTRAINTS,
    }

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The parameters; with `deep`, each member's and the final estimator's as "<name>__<parameter>"."""
        out = super().get_params(deep)
        final = self.final_estimator
        if deep and hasattr(final, "get_params") and not isinstance(final, type):
            out.update((f"final_estimator__{k}", v) for k, v in final.get_params(deep=True).items())
        return out

    def set_params(self, **params: Any):
        """Set the parameters, a member's as "<name>__<parameter>", the final estimator's as
        "final_estimator__<parameter>". Returns self."""
        nested = {k.partition("__")[2]: params.pop(k) for k in list(params) if k.startswith("final_estimator__")}
        super().set_params(**params)
        if nested and not hasattr(self.final_estimator, "set_params"):
            raise ValueError(f"Invalid parameters {sorted(nested)} for final_estimator={self.final_estimator!r}, "
                             f"which has no parameters.")
        if nested:
            self.final_estimator.set_params(**nested)
        return self

    def _final_template(self) -> Any:
        return self._default_final() if self.final_estimator is None else self.final_estimator

    def _fit_stack(self, X: Any, y: Any, sample_weight: Any):
        """Fit the members and, on their cross-validated answers, the final estimator. X and y are on the
        backend (y: a classifier's class indices). Returns self."""
        prefit = isinstance(self.cv, str) and self.cv == "prefit"
        kept = self._members_to_fit(None if prefit else sample_weight)
        check_member(self._final_template(), "final_estimator")
        final = clone(self._final_template())
        kind, is_kind = ("classifier", is_classifier) if is_classifier(self) else ("regressor", is_regressor)
        if not is_kind(final):
            raise ValueError(f"final_estimator should be a {kind}; got {final!r}.")
        if sample_weight is not None and not accepts_sample_weight(final):
            raise TypeError(f"final_estimator ({type(final).__name__}) does not take sample_weight in fit.")
        _check_cv(self.cv)
        methods = [_response_method(name, est, self._method) for name, est in kept]
        w = None if sample_weight is None else check_sample_weight(sample_weight, self._backend,
                                                                   n_samples=X.shape[0], dtype=self._dtype)  # (n,)
        if prefit:
            for name, est in kept:
                if not is_fitted(est):
                    raise not_fitted_error(f"estimator {name!r} ({type(est).__name__}) is not fitted; cv='prefit' "
                                           f"takes fitted estimators.")
            self.estimators_ = [est for _, est in kept]
            answers = [ask(est, m, X, self._backend) for est, m in zip(self.estimators_, methods)]  # on X itself
        else:
            self.estimators_ = [fit_member(clone(est), self._backend, X, y, w) for _, est in kept]
            answers = self._cross_val_answers([est for _, est in kept], methods, X, y, w)
        self.stack_method_ = methods
        columns = self._columns(answers)
        self._n_feature_outs = [c.shape[1] for c in columns]  # k_m: the columns of each member
        self.final_estimator_ = fit_member(final, self._backend, self._features(columns, X), y, w)
        return self

    def _cross_val_answers(self, members: list, methods: list, X: Any, y: Any, w: Any) -> list:
        """Each member's answers, sample by sample from a clone fitted on the folds that leave the sample out;
        the same folds for every member (a shuffling splitter draws them once)."""
        from ..model_selection import check_cv, cross_val_predict

        folds = list(check_cv(self.cv, y, classifier=is_classifier(self)).split(X, y))
        params = {} if w is None else {"sample_weight": w}
        answers = []
        for member, method in zip(members, methods):
            with use_backend(self._backend), config_context(output="backend"):
                out = cross_val_predict(member, X, y, cv=folds, method=method, params=params, verbose=self.verbose)
            answers.append(out if library_of(out) == self._backend.name else to_backend(out, self._backend))
        return answers

    def _columns(self, answers: list) -> list:
        """The members' answers as 2-D blocks (n, k_m) of the fit's dtype: 1-D answers as one column; in a
        binary problem, probabilities as the second class's only."""
        xp, binary = self._xp, len(getattr(self, "classes_", ())) == 2
        columns = []
        for method, answer in zip(self.stack_method_, answers):
            answer = xp.astype(answer, getattr(xp, self._dtype))  # class indices (predict) become numbers
            if answer.ndim == 1:
                answer = xp.reshape(answer, (-1, 1))  # (n, 1)
            elif method == "predict_proba" and binary:
                answer = answer[:, 1:]  # (n, 1): P(classes_[1] | x); P(classes_[0] | x) is 1 minus it
            columns.append(answer)
        return columns

    def _features(self, columns: list, X: Any) -> Any:
        """(n, Σ_m k_m [+ n_features]): the final estimator's features, X's columns last with passthrough."""
        return self._xp.concat(columns + [X] if self.passthrough else columns, axis=1)

    def _stacked(self, X: Any) -> Any:
        """The final estimator's features from the fitted members' answers on X (validated, on the backend)."""
        answers = [ask(est, m, X, self._backend) for est, m in zip(self.estimators_, self.stack_method_)]
        return self._features(self._columns(answers), X)

    def _final(self, method: str, X: Any, **params: Any) -> Any:
        """The final estimator's `method` on the stacked features of X; returns (its answer, X as given)."""
        X_in, X = X, self._validate_X(X, reset=False)
        return ask(self.final_estimator_, method, self._stacked(X), self._backend, **params), X_in

    def transform(self, X: Any):
        """(n_samples, Σ_m k_m): each member's answers (k_m columns: 1 for predictions and binary probabilities,
        else one per class), and X's columns after them with passthrough=True."""
        X_in, X = X, self._validate_X(X, reset=False)
        return self._output(self._stacked(X), X_in)

    def get_feature_names_out(self, input_features: Any = None):
        """The names of `transform`'s columns: "<class>_<member>" for a member of one column, else
        "<class>_<member><k>"; then, with passthrough=True, the input features' names."""
        check_is_fitted(self)
        names_in = check_feature_names_in(self, input_features)
        prefix = type(self).__name__.lower()
        kept = [name for name, est in self.estimators if not dropped(est)]
        names = [f"{prefix}_{name}" if k == 1 else f"{prefix}_{name}{j}"
                 for name, k in zip(kept, self._n_feature_outs) for j in range(k)]
        return host_array(names + (list(names_in) if self.passthrough else []), dtype="object")


class StackingClassifier(ClassifierMixin, _BaseStacking):
    """A classifier fitted on the cross-validated answers of several estimators.

    Parameters
    ----------
    estimators : list of (str, estimator) tuples
        The members by name; a member may be "drop" (left out). They are fitted on class indices
        (0 .. n_classes-1): their predictions, with stack_method="predict", are class indices.
    final_estimator : classifier, optional
        Fitted on the members' cross-validated answers (None: LogisticRegression()).
    cv : int, splitter, iterable of (train, test) pairs or "prefit", optional
        The folds of the cross-validated answers (None: 5; an int k: k folds, stratified by class).
        "prefit": the members are fitted already; used as they are, they answer on the training data.
    stack_method : {"auto", "predict_proba", "decision_function", "predict"}, default="auto"
        How each member answers; "auto": the first of predict_proba, decision_function, predict that it has.
    n_jobs : int, optional
        Accepted for scikit-learn's signature; the members are fitted one after another.
    passthrough : bool, default=False
        Give the final estimator X's columns too, after the members' answers.
    verbose : int, default=0
        Above 0, a line per fold of the cross-validation.
    backend, dtype
        Where and in what precision to compute.

    Attributes
    ----------
    estimators_ : list of estimators
        The members that are not "drop", fitted on all the data (with cv="prefit": those given).
    named_estimators_ : Bunch
        The fitted members by name ("drop" for the dropped ones).
    final_estimator_ : estimator
        Fitted on the members' cross-validated answers (n_samples, Σ_m k_m).
    stack_method_ : list of str
        The method by which each member answers (for each of estimators_).
    classes_, n_features_in_, feature_names_in_
    """

    _parameter_constraints: ClassVar[dict] = {
        **_BaseStacking._parameter_constraints,
        "stack_method": [Options({"auto", "predict_proba", "decision_function", "predict"})],
    }

    def __init__(self, estimators, final_estimator=None, *, cv=None, stack_method="auto", n_jobs=None,
                 passthrough=False, verbose=0, backend=None, dtype=None):
        self.estimators = estimators
        self.final_estimator = final_estimator
        self.cv = cv
        self.stack_method = stack_method
        self.n_jobs = n_jobs
        self.passthrough = passthrough
        self.verbose = verbose
        self.backend = backend
        self.dtype = dtype

    @property
    def _method(self) -> str:
        return self.stack_method

    @staticmethod
    def _default_final() -> Any:
        from ..linear_model import LogisticRegression

        return LogisticRegression()

    def fit(self, X: Any, y: Any, **fit_params: Any):
        """Fit the members on X and the labels y, and the final estimator on their cross-validated answers
        (fit_params: sample_weight, optional, given to every fit). Returns self."""
        sample_weight = fit_params.pop("sample_weight", None)
        no_routing(self, "fit", fit_params)
        X, y_index = self._validate_labels(X, y)
        return self._fit_stack(X, y_index, sample_weight)

    @available_if(_final_has("predict"))
    def predict(self, X: Any, **predict_params: Any):
        """The final estimator's classes for the members' answers on X (predict_params go to its predict)."""
        indices, X_in = self._final("predict", X, **predict_params)
        return self._labels(indices, X_in)

    @available_if(_final_has("predict_proba"))
    def predict_proba(self, X: Any):
        """(n_samples, n_classes): the final estimator's class probabilities for the members' answers on X."""
        return self._output(*self._final("predict_proba", X))

    @available_if(_final_has("decision_function"))
    def decision_function(self, X: Any):
        """The final estimator's decision function for the members' answers on X."""
        return self._output(*self._final("decision_function", X))


class StackingRegressor(RegressorMixin, _BaseStacking):
    """A regressor fitted on the cross-validated predictions of several estimators.

    Parameters and attributes are those of `StackingClassifier`, without stack_method (the members answer by
    `predict`) and classes_; final_estimator is a regressor, RidgeCV() by default, and an int cv gives k folds
    (KFold).
    """

    _method = "predict"  # a regressor's members answer by their predictions

    def __init__(self, estimators, final_estimator=None, *, cv=None, n_jobs=None, passthrough=False, verbose=0,
                 backend=None, dtype=None):
        self.estimators = estimators
        self.final_estimator = final_estimator
        self.cv = cv
        self.n_jobs = n_jobs
        self.passthrough = passthrough
        self.verbose = verbose
        self.backend = backend
        self.dtype = dtype

    @staticmethod
    def _default_final() -> Any:
        from ..linear_model import RidgeCV

        return RidgeCV()

    def fit(self, X: Any, y: Any, **fit_params: Any):
        """Fit the members on X and the targets y, and the final estimator on their cross-validated predictions
        (fit_params: sample_weight, optional, given to every fit). Returns self."""
        sample_weight = fit_params.pop("sample_weight", None)
        no_routing(self, "fit", fit_params)
        X, y = self._validate_data(X, y, multi_output=False)
        return self._fit_stack(X, y, sample_weight)

    def fit_transform(self, X: Any, y: Any, **fit_params: Any):
        """Fit (as `fit`), then the members' predictions on X (n_samples, n_members)."""
        return self.fit(X, y, **fit_params).transform(X)

    @available_if(_final_has("predict"))
    def predict(self, X: Any, **predict_params: Any):
        """The final estimator's predictions for the members' predictions on X (predict_params go to its predict)."""
        return self._output(*self._final("predict", X, **predict_params))
