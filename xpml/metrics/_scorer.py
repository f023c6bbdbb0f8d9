"""Scorers: a metric bound to the estimator method that feeds it, for model selection.

A scorer is called as `scorer(estimator, X, y)` and returns a float where greater is better: losses
and errors are negated ("neg_mean_squared_error"). `get_scorer` knows them by name;
`make_scorer` builds one from any metric; `check_scoring` also accepts None (the estimator's own
`score`) and a callable.
"""

from __future__ import annotations

import traceback
from typing import Any, Callable

from ..utils._host import as_host
from ._agreement import balanced_accuracy_score, matthews_corrcoef
from ._classification import accuracy_score, f1_score, precision_score, recall_score
from ._curves import average_precision_score
from ._deviance import mean_gamma_deviance, mean_poisson_deviance
from ._label_losses import jaccard_score
from ._log_loss import log_loss
from ._margin_losses import brier_score_loss
from ._cluster_labels import (adjusted_mutual_info_score, adjusted_rand_score, completeness_score,
                              fowlkes_mallows_score, homogeneity_score, mutual_info_score,
                              normalized_mutual_info_score, rand_score, v_measure_score)
from ._quantile import d2_absolute_error_score, median_absolute_error
from ._ranking import roc_auc_score
from ._regression import (explained_variance_score, max_error, mean_absolute_error, mean_absolute_percentage_error,
                          mean_squared_error, mean_squared_log_error, r2_score, root_mean_squared_error,
                          root_mean_squared_log_error)
from ._top_k import top_k_accuracy_score

__all__ = ["check_scoring", "get_scorer", "get_scorer_names", "make_scorer"]


class _Scorer:
    """sign · metric(y, response), the response being `estimator.<response_method>(X)`."""

    def __init__(self, score_func: Callable, sign: int, response_method: str | tuple, kwargs: dict):
        self._score_func, self._sign, self._response_method, self._kwargs = score_func, sign, response_method, kwargs

    def __repr__(self) -> str:
        return f"make_scorer({self._score_func.__name__}, greater_is_better={self._sign > 0}, " \
               f"response_method={self._response_method!r})"

    def _response(self, estimator, X):
        methods = (self._response_method,) if isinstance(self._response_method, str) else self._response_method
        for method in methods:
            if hasattr(estimator, method):
                out = getattr(estimator, method)(X)
                if method == "predict_proba" and self._score_func in _POSITIVE_COLUMN and out.shape[1] == 2:
                    out = out[:, 1]  # binary scores are the positive (larger) class's probability
                return out
        raise AttributeError(f"{type(estimator).__name__} has none of the methods {list(methods)} that this "
                             f"scorer needs.")

    def __call__(self, estimator: Any, X: Any, y: Any, sample_weight: Any = None) -> float:
        kwargs = dict(self._kwargs)
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight
        if self._score_func in (log_loss, brier_score_loss) and hasattr(estimator, "classes_"):  # all columns scored
            kwargs.setdefault("labels", as_host(estimator.classes_).tolist())
        return self._sign * float(self._score_func(y, self._response(estimator, X), **kwargs))


class _EstimatorScore:
    """The estimator's own `score` method, as a scorer."""

    def __call__(self, estimator: Any, X: Any, y: Any, sample_weight: Any = None) -> float:
        if sample_weight is None:
            return float(estimator.score(X, y))
        return float(estimator.score(X, y, sample_weight=sample_weight))

    def __repr__(self) -> str:
        return "the estimator's score method"


def make_scorer(score_func: Callable, *, response_method: str | tuple = "predict", greater_is_better: bool = True,
                **kwargs: Any) -> _Scorer:
    """A scorer from a metric `score_func(y_true, y_response, **kwargs)`.

    Parameters
    ----------
    score_func : callable
    response_method : str or tuple of str, default="predict"
        The estimator method giving the second argument; a tuple lists methods to try in order.
    greater_is_better : bool, default=True
        False for losses: the scorer then returns their negation.
    """
    return _Scorer(score_func, 1 if greater_is_better else -1, response_method, kwargs)


_SCORES = ("decision_function", "predict_proba")
# The metrics that score binary labels by the positive class's score alone: of predict_proba, its column 1.
_POSITIVE_COLUMN = (roc_auc_score, average_precision_score, top_k_accuracy_score)
_SCORERS = {
    "accuracy": make_scorer(accuracy_score),
    "r2": make_scorer(r2_score),
    "neg_mean_squared_error": make_scorer(mean_squared_error, greater_is_better=False),
    "neg_root_mean_squared_error": make_scorer(root_mean_squared_error, greater_is_better=False),
    "neg_mean_absolute_error": make_scorer(mean_absolute_error, greater_is_better=False),
    "neg_log_loss": make_scorer(log_loss, response_method="predict_proba", greater_is_better=False),
    "neg_brier_score": make_scorer(brier_score_loss, response_method="predict_proba", greater_is_better=False),
    "roc_auc": make_scorer(roc_auc_score, response_method=_SCORES),
    "roc_auc_ovr": make_scorer(roc_auc_score, response_method="predict_proba", multi_class="ovr"),
    "roc_auc_ovo": make_scorer(roc_auc_score, response_method="predict_proba", multi_class="ovo"),
    "roc_auc_ovr_weighted": make_scorer(roc_auc_score, response_method="predict_proba", multi_class="ovr",
                                        average="weighted"),
    "roc_auc_ovo_weighted": make_scorer(roc_auc_score, response_method="predict_proba", multi_class="ovo",
                                        average="weighted"),
    **{f.__name__: make_scorer(f) for f in (  # clusterings scored against labels
        adjusted_rand_score, adjusted_mutual_info_score, completeness_score, fowlkes_mallows_score,
        homogeneity_score, mutual_info_score, normalized_mutual_info_score, rand_score, v_measure_score)},
    "balanced_accuracy": make_scorer(balanced_accuracy_score),
    "matthews_corrcoef": make_scorer(matthews_corrcoef),
    "top_k_accuracy": make_scorer(top_k_accuracy_score, response_method=_SCORES),
    "average_precision": make_scorer(average_precision_score, response_method=_SCORES),
    "explained_variance": make_scorer(explained_variance_score),
    "neg_max_error": make_scorer(max_error, greater_is_better=False),
    "neg_median_absolute_error": make_scorer(median_absolute_error, greater_is_better=False),
    "neg_mean_absolute_percentage_error": make_scorer(mean_absolute_percentage_error, greater_is_better=False),
    "neg_mean_squared_log_error": make_scorer(mean_squared_log_error, greater_is_better=False),
    "neg_root_mean_squared_log_error": make_scorer(root_mean_squared_log_error, greater_is_better=False),
    "d2_absolute_error_score": make_scorer(d2_absolute_error_score),
    "neg_mean_poisson_deviance": make_scorer(mean_poisson_deviance, greater_is_better=False),
    "neg_mean_gamma_deviance": make_scorer(mean_gamma_deviance, greater_is_better=False),
}
for _name, _func in (("precision", precision_score), ("recall", recall_score), ("f1", f1_score),
                     ("jaccard", jaccard_score)):
    _SCORERS[_name] = make_scorer(_func)
    for _average in ("micro", "macro", "weighted"):
        _SCORERS[f"{_name}_{_average}"] = make_scorer(_func, average=_average)


def get_scorer_names() -> list[str]:
    """The names `get_scorer` knows."""
    return sorted(_SCORERS)


def get_scorer(scoring: str | Callable) -> Callable:
    """The scorer of a name such as "accuracy", "r2" or "neg_mean_squared_error" (a callable is returned as is)."""
    if callable(scoring):
        return scoring
    if not isinstance(scoring, str) or scoring not in _SCORERS:
        raise ValueError(f"scoring={scoring!r} is not a known scorer; use one of {get_scorer_names()} or a callable.")
    return _SCORERS[scoring]


def check_scoring(estimator: Any = None, scoring: Any = None, *, allow_none: bool = False,
                  raise_exc: bool = True) -> Callable | None:
    """The scorer for `scoring`.

    Parameters
    ----------
    estimator : estimator, optional
        Whose own `score` method stands for scoring=None.
    scoring : None, str, callable, list, tuple or set of str, or dict of {name: str or callable}
        None means the estimator's `score` method. Several scorers (a list, tuple, set or dict) give one
        scorer that returns {name: score}.
    allow_none : bool, default=False
        With scoring=None and an estimator without `score`, return None instead of raising TypeError.
    raise_exc : bool, default=True
        For several scorers: whether a scorer's exception is raised, or returned (its formatted traceback)
        as that scorer's result.
    """
    if isinstance(scoring, (list, tuple, set, dict)):
        if not scoring:
            raise ValueError(f"scoring={scoring!r} is empty; give at least one scorer.")
        if isinstance(scoring, dict):
            scorers = {name: get_scorer(s) for name, s in scoring.items()}
        else:
            if not all(isinstance(name, str) for name in scoring) or len(set(scoring)) != len(scoring):
                raise ValueError(f"scoring={scoring!r}: a list, tuple or set should hold distinct scorer names.")
            scorers = {name: get_scorer(name) for name in scoring}
        return _MultimetricScorer(scorers, raise_exc=raise_exc)
    if scoring is None:
        if hasattr(estimator, "score"):
            return _EstimatorScore()
        if allow_none:
            return None
        raise TypeError(f"scoring=None needs an estimator with a score method; {type(estimator).__name__} has "
                        f"none. Pass scoring, e.g. scoring='accuracy'.")
    return get_scorer(scoring)


class _MultimetricScorer:
    """Several scorers as one: called like a scorer, it returns {name: score}."""

    def __init__(self, scorers: dict, *, raise_exc: bool = True):
        self.scorers, self.raise_exc = scorers, raise_exc

    def __call__(self, estimator: Any, X: Any, y: Any = None, **kwargs: Any) -> dict:
        scores = {}
        for name, scorer in self.scorers.items():
            try:
                scores[name] = scorer(estimator, X, y, **kwargs)
            except Exception:
                if self.raise_exc:
                    raise
                scores[name] = traceback.format_exc()
        return scores

    def __repr__(self) -> str:
        return f"scorers {sorted(self.scorers)}"
