"""Pipelines: a chain of transformers ending in any estimator, used as one estimator.

`fit` fits each transformer on the output of the ones before it, then the last step. `predict`,
`transform`, `score` and the rest send the data through the fitted transformers first. Between
steps the data stays in the backend's arrays (`config_context(output="backend")`), so a chain on a
GPU does not go back to the host; only the final result follows the input's library.

Parameters of the steps are reached as "<step name>__<parameter>", in `get_params`,
`set_params` and fit parameters, so GridSearchCV can search over them.

`set_output(transform="pandas")` sets every step's output, so each step passes a DataFrame to the
next (which records its column names) and the pipeline returns the last step's DataFrame, with the
column names `get_feature_names_out` gives.
"""

from __future__ import annotations

import time
from typing import Any

from ._backend import config_context, match_input
from .base import is_classifier
from .datasets import Bunch
from .utils._available_if import available_if
from .utils._frames import is_frame
from .utils._metaestimators import SKIP, Composition, name_estimators

__all__ = ["Pipeline", "make_pipeline"]


def _final_has(method: str):
    def check(pipe) -> bool:  # a passthrough last step transforms (as the identity) but does nothing else
        last = pipe._final_estimator
        return method == "transform" if last in SKIP else hasattr(last, method)

    return check


def _all_have(method: str):
    return lambda pipe: all(est in SKIP or hasattr(est, method) for _, est in pipe.steps)


def _no_routing(method: str, params: dict) -> None:
    """scikit-learn's Pipeline takes metadata in transform, score, ... only with its metadata routing, which
    xpml does not have: refused, as scikit-learn refuses them without routing."""
    if params:
        raise ValueError(f"Pipeline.{method} got parameters {sorted(params)}; passing metadata to the steps' "
                         f"{method} needs scikit-learn's metadata routing, which xpml does not have.")


def _follow_input(result: Any, X: Any) -> Any:
    """The pipeline's result in the library of X; a DataFrame (a step's set_output) is returned as it is."""
    return result if is_frame(result) else match_input(result, X)


class Pipeline(Composition):
    """A sequence of transformers followed by a final estimator.

    Parameters
    ----------
    steps : list of (name, estimator) tuples
        Every step but the last needs `fit` and `transform`; the last needs `fit`. A step may be
        None or "passthrough" (it leaves the data as it is).
    transform_input : None
        scikit-learn's way to send metadata through the steps, which needs its metadata routing; xpml
        routes fit parameters as "<step>__<parameter>" instead, so only None is accepted.
    memory : None, str or object with a joblib.Memory interface, default=None
        Accepted for scikit-learn's signature; xpml does not cache fitted transformers (a step fitted on a
        device is not written to disk), so every fit refits every step.
    verbose : bool, default=False
        Print each step's name and fit time.

    Attributes
    ----------
    named_steps : Bunch
        The steps by name: `pipe.named_steps.scaler` or `pipe.named_steps["scaler"]`.

    Examples
    --------
    >>> from xpml.pipeline import Pipeline
    >>> from xpml.preprocessing import StandardScaler
    >>> from xpml.linear_model import LinearRegression
    >>> pipe = Pipeline([("scaler", StandardScaler()), ("model", LinearRegression())])
    >>> pipe.fit([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0]).predict([[3.0]]).round(6).tolist()
    [7.0]
    """

    def __init__(self, steps: list, *, transform_input: Any = None, memory: Any = None, verbose: bool = False):
        self.steps = steps
        self.transform_input = transform_input
        self.memory = memory
        self.verbose = verbose

    # ---- steps and parameters ------------------------------------------------------------------

    def _validate_steps(self) -> None:
        if self.transform_input is not None:
            raise ValueError(f"transform_input={self.transform_input!r} should be None: xpml routes fit parameters "
                             f"as '<step>__<parameter>', without scikit-learn's metadata routing.")
        self._check_parts()
        for name, est in self.steps[:-1]:
            if est not in SKIP and not (hasattr(est, "fit") and hasattr(est, "transform")):
                raise TypeError(f"Step {name!r} ({type(est).__name__}) is not the last step, so it should have fit and "
                                f"transform (or be 'passthrough').")
        last_name, last = self.steps[-1]
        if last not in SKIP and not hasattr(last, "fit"):
            raise TypeError(f"The last step {last_name!r} ({type(last).__name__}) should have a fit method.")

    @property
    def named_steps(self) -> Bunch:
        return Bunch(**dict(self.steps))

    @property
    def _final_estimator(self):
        return self.steps[-1][1]

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, index: int | slice | str):
        """A step by position or name, or a Pipeline of a slice of the steps."""
        if isinstance(index, slice):
            return Pipeline(self.steps[index], transform_input=self.transform_input, memory=self.memory,
                            verbose=self.verbose)
        if isinstance(index, str):
            return self.named_steps[index]
        return self.steps[index][1]

    @property
    def _estimator_type(self):
        last = self._final_estimator
        return "classifier" if is_classifier(last) else getattr(last, "_estimator_type", None)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        last = self._final_estimator
        if last not in SKIP:
            inner = last.__sklearn_tags__()
            tags.estimator_type, tags.target_tags = inner.estimator_type, inner.target_tags
            tags.classifier_tags, tags.regressor_tags = inner.classifier_tags, inner.regressor_tags
            tags.transformer_tags = inner.transformer_tags
        first = next((step for _, step in self.steps if step not in SKIP), None)
        if first is not None and hasattr(first, "__sklearn_tags__"):  # the data go to the first step
            tags.input_tags.sparse = first.__sklearn_tags__().input_tags.sparse
        return tags

    def __sklearn_is_fitted__(self) -> bool:
        last = self._final_estimator
        return last in SKIP or (last.__sklearn_is_fitted__() if hasattr(last, "__sklearn_is_fitted__")
                                 else any(k.endswith("_") and not k.startswith("_") for k in vars(last)))

    # ---- fitting ----------------------------------------------------------------------------------

    def _split_params(self, params: dict) -> dict[str, dict]:
        names = [name for name, _ in self.steps]
        routed: dict[str, dict] = {name: {} for name in names}
        for key, value in params.items():
            name, sep, sub = key.partition("__")
            if not sep or name not in names:
                raise ValueError(f"Fit parameter {key!r} should be '<step>__<parameter>' with a step of {names}, "
                                 f"e.g. '{names[-1]}__sample_weight'.")
            routed[name][sub] = value
        return routed

    def _fit_steps(self, X: Any, y: Any, params: dict, *, last: str):
        """Fit every step on the output of the ones before, the last one by its method `last` ("fit",
        "fit_transform" or "fit_predict"); return the last step's result (its output, or itself for "fit")."""
        self._validate_steps()
        routed = self._split_params(params)
        for i, (name, est) in enumerate(self.steps):
            if est in SKIP:
                continue
            start = time.perf_counter()
            method = last if i == len(self.steps) - 1 else "fit_transform"
            if method == "fit_transform" and not hasattr(est, "fit_transform"):
                X = est.fit(X, y, **routed[name]).transform(X)
            else:
                X = getattr(est, method)(X, y, **routed[name])
            if self.verbose:
                print(f"[Pipeline] ({name}) fitted in {time.perf_counter() - start:.3f}s")
        return X

    def fit(self, X: Any, y: Any = None, **params: Any) -> Pipeline:
        """Fit the transformers one after the other, then the final estimator.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), optional
        **params : fit parameters as "<step>__<parameter>", e.g. model__sample_weight=w

        Returns
        -------
        self
        """
        with config_context(output="backend"):
            self._fit_steps(X, y, params, last="fit")
        return self

    def _transform_head(self, X: Any):
        """X through every fitted step but the last, staying on the backend."""
        for _, est in self.steps[:-1]:
            if est not in SKIP:
                X = est.transform(X)
        return X

    def _through(self, method: str, X: Any, **kwargs: Any):
        """The final step's `method` on the transformed X, returned in the library of X."""
        with config_context(output="backend"):
            result = getattr(self._final_estimator, method)(self._transform_head(X), **kwargs)
        return _follow_input(result, X)

    @available_if(_final_has("predict"))
    def predict(self, X: Any, **params: Any):
        """Transform X, then the final estimator's predict."""
        return self._through("predict", X, **params)

    @available_if(_final_has("predict_proba"))
    def predict_proba(self, X: Any, **params: Any):
        """Transform X, then the final estimator's predict_proba (with `params`)."""
        return self._through("predict_proba", X, **params)

    @available_if(_final_has("predict_log_proba"))
    def predict_log_proba(self, X: Any, **params: Any):
        """Transform X, then the final estimator's predict_log_proba (with `params`)."""
        return self._through("predict_log_proba", X, **params)

    @available_if(_final_has("score_samples"))
    def score_samples(self, X: Any):
        """Transform X, then the final estimator's score_samples."""
        return self._through("score_samples", X)

    @available_if(_final_has("decision_function"))
    def decision_function(self, X: Any, **params: Any):
        """Transform X, then the final estimator's decision_function (with `params`)."""
        return self._through("decision_function", X, **params)

    @available_if(_final_has("transform"))
    def transform(self, X: Any, **params: Any):
        """X through every step (all must be transformers). `params` are refused (see `_no_routing`)."""
        _no_routing("transform", params)
        if self._final_estimator in SKIP:
            with config_context(output="backend"):
                return _follow_input(self._transform_head(X), X)
        return self._through("transform", X)

    @available_if(_final_has("transform"))
    def fit_transform(self, X: Any, y: Any = None, **params: Any):
        """Fit every step, and return X transformed by all of them."""
        with config_context(output="backend"):
            Xt = self._fit_steps(X, y, params, last="fit_transform")
        return _follow_input(Xt, X)

    @available_if(_final_has("fit_predict"))
    def fit_predict(self, X: Any, y: Any = None, **params: Any):
        """Fit the transformers, then the final estimator's fit_predict on their output: its labels for X."""
        with config_context(output="backend"):
            labels = self._fit_steps(X, y, params, last="fit_predict")
        return _follow_input(labels, X)

    @available_if(_all_have("inverse_transform"))
    def inverse_transform(self, X: Any, **params: Any):
        """Undo the steps' transforms, last step first. `params` are refused (see `_no_routing`)."""
        _no_routing("inverse_transform", params)
        Xt = X
        with config_context(output="backend"):
            for _, est in reversed(self.steps):
                if est not in SKIP:
                    Xt = est.inverse_transform(Xt)
        return _follow_input(Xt, X)

    def set_output(self, *, transform: str | None = None) -> Pipeline:
        """Set the output of every step that transforms (see SetOutputMixin.set_output). Returns self."""
        for name, est in self.steps:
            if est in SKIP or transform is None:
                continue
            if hasattr(est, "set_output"):
                est.set_output(transform=transform)
            elif hasattr(est, "transform") or hasattr(est, "fit_transform"):
                raise ValueError(f"Unable to configure output for step {name!r} ({type(est).__name__}) because "
                                 f"`set_output` is not available.")
        return self

    @available_if(_final_has("transform"))
    def get_feature_names_out(self, input_features: Any = None):
        """The output column names: each step's `get_feature_names_out` applied to the names before it."""
        names = input_features
        for name, est in self.steps:
            if est in SKIP:
                continue
            if not hasattr(est, "get_feature_names_out"):
                raise AttributeError(f"Estimator {name} ({type(est).__name__}) does not provide "
                                     f"get_feature_names_out. Did you mean to call pipeline[:-1].get_feature_names_out()?")
            names = est.get_feature_names_out(names)
        return names

    @available_if(_final_has("score"))
    def score(self, X: Any, y: Any = None, sample_weight: Any = None, **params: Any) -> float:
        """Transform X, then the final estimator's score. `params` are refused (see `_no_routing`)."""
        _no_routing("score", params)
        kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
        with config_context(output="backend"):
            return self._final_estimator.score(self._transform_head(X), y, **kwargs)

    @property
    def classes_(self):
        return self._final_estimator.classes_

    @property
    def n_features_in_(self):
        first = next(est for _, est in self.steps if est not in SKIP)
        return first.n_features_in_


def make_pipeline(*steps: Any, memory: Any = None, transform_input: Any = None, verbose: bool = False) -> Pipeline:
    """A Pipeline whose steps are named after their classes, in lower case ("standardscaler"); a name
    that repeats gets a number ("standardscaler-1", "standardscaler-2").

    >>> from xpml.preprocessing import StandardScaler
    >>> from xpml.linear_model import LinearRegression
    >>> [name for name, _ in make_pipeline(StandardScaler(), LinearRegression()).steps]
    ['standardscaler', 'linearregression']
    """
    return Pipeline(name_estimators(steps), transform_input=transform_input, memory=memory, verbose=verbose)
