"""Parameter searches scored by cross-validation: the search itself, and GridSearchCV, which searches a grid.

One search serves every generator of candidates (`_candidates`: GridSearchCV's ParameterGrid,
RandomizedSearchCV's ParameterSampler): each candidate is cross-validated on the same folds, the best
has the highest mean test score (the first one among ties), and with `refit` a clone with its
parameters is then fitted on all the data and answers `predict`, `score` and the rest.
"""

from __future__ import annotations

import inspect
import time
from typing import Any

from ..base import BaseEstimator, RegressorMixin, clone, is_classifier
from ..exceptions import not_fitted_error
from ..utils._available_if import available_if
from ..utils._host import host_array, host_namespace
from ..utils._warnings import warn
from ..utils.validation import check_consistent_length, check_dense
from ._candidates import ParameterGrid
from ._split import check_cv
from ._validation import _scorers, fit_and_score

__all__ = ["GridSearchCV"]


def _rank(means: list[float]) -> list[int]:
    """Rank 1 for the highest mean, equal means sharing the better rank; NaN ranks last."""
    key = [float("-inf") if m != m else m for m in means]
    return [1 + sum(other > mine for other in key) for mine in key]


def _requires_y(estimator: Any) -> bool:
    """Whether fitting `estimator` needs y: a classifier, or a regressor (the last step of a pipeline)."""
    last = getattr(estimator, "_final_estimator", estimator)
    return (is_classifier(estimator) or isinstance(last, RegressorMixin)
            or getattr(estimator, "_estimator_type", None) == "regressor")


def _score_weights(scorers: dict, sample_weight: Any) -> dict:
    """{"sample_weight": ...} for the scorers where sample_weight is given and every scorer takes it (a scorer of
    the user's that does not is warned about, and none is weighted), else {}."""
    if sample_weight is None:
        return {}
    refusing = [name for name, s in scorers.items() if not _takes_sample_weight(s)]
    if refusing:
        warn(f"The scoring {refusing} does not take sample_weight, so the held-out scores are not weighted while "
             f"the fits are.", UserWarning)
        return {}
    return {"sample_weight": sample_weight}


def _takes_sample_weight(scorer: Any) -> bool:
    parameters = inspect.signature(scorer).parameters
    return "sample_weight" in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


def _best_has(method: str):
    return lambda search: hasattr(search.best_estimator_ if hasattr(search, "best_estimator_") else search.estimator,
                                  method)


class _BaseSearchCV(BaseEstimator):
    """What every parameter search shares: the cross-validation of its candidates, the results, the refit, and
    the methods that the best estimator answers. A subclass says which candidates (`_candidates`)."""

    _refuses_sparse = True  # reads X on the host (check_dense): sparse X is refused, naming it

    @property
    def _estimator_type(self):
        return "classifier" if is_classifier(self.estimator) else getattr(self.estimator, "_estimator_type", None)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.estimator_type, tags.target_tags = inner.estimator_type, inner.target_tags
        tags.classifier_tags, tags.regressor_tags = inner.classifier_tags, inner.regressor_tags
        return tags

    def _candidates(self) -> list[dict]:
        raise NotImplementedError

    def fit(self, X: Any, y: Any = None, **params: Any) -> _BaseSearchCV:
        """Cross-validate every candidate, pick the best, and refit it (with refit). Returns self.

        `params` are fit parameters (such as sample_weight), split with the data; `groups` among them
        goes to the splitter's `split(X, y, groups)` instead (a group splitter such as GroupKFold needs it).
        sample_weight also weighs the held-out scores, as scikit-learn's search does, where every scorer takes it.
        """
        self._validate_params()
        groups = params.pop("groups", None)
        check_dense(X)
        if y is None and _requires_y(self.estimator):
            raise ValueError(f"{type(self.estimator).__name__} requires y to be passed, but the target y is None.")
        if y is not None:
            check_consistent_length(X=X, y=y)
        scorers, multi = _scorers(self.estimator, self.scoring)
        refit_name = "score" if not multi else self.refit
        if multi and not (callable(self.refit) or self.refit is False or self.refit in scorers):
            raise ValueError(f"With several scores, refit should name the one that picks the best candidate "
                             f"(one of {list(scorers)}), be False or be a callable; got refit={self.refit!r}.")
        folds = list(check_cv(self.cv, y, classifier=is_classifier(self.estimator)).split(X, y, groups))
        candidates = self._candidates()
        if not candidates:
            raise ValueError(f"{type(self).__name__} has no candidate to cross-validate: its grid is empty.")
        if self.verbose:
            print(f"Fitting {len(folds)} folds for each of {len(candidates)} candidates, "
                  f"totalling {len(folds) * len(candidates)} fits")
        score_params = _score_weights(scorers, params.get("sample_weight"))
        records = [[fit_and_score(clone(self.estimator).set_params(**candidate), X, y, train, test, scorers,
                                  params=params, return_train_score=self.return_train_score,
                                  error_score=self.error_score, score_params=score_params)
                    for train, test in folds] for candidate in candidates]
        self.cv_results_ = self._results(candidates, records, scorers, multi)
        self.n_splits_, self.multimetric_ = len(folds), multi
        if callable(self.refit):
            self.best_index_ = int(self.refit(self.cv_results_))
        elif self.refit is not False or not multi:
            self.best_index_ = int(host_namespace().argmin(self.cv_results_[f"rank_test_{refit_name}"]))
            self.best_score_ = float(self.cv_results_[f"mean_test_{refit_name}"][self.best_index_])
        if hasattr(self, "best_index_"):
            self.best_params_ = candidates[self.best_index_]
        if self.refit is not False:
            start = time.perf_counter()
            self.best_estimator_ = clone(self.estimator).set_params(**self.best_params_)
            self.best_estimator_.fit(X, **({} if y is None else {"y": y}), **params)
            self.refit_time_ = time.perf_counter() - start
        return self

    def _results(self, candidates: list[dict], records: list[list[dict]], scorers: dict, multi: bool) -> dict:
        xp = host_namespace()
        results: dict[str, Any] = {}
        for key in ("fit_time", "score_time"):
            table = host_array([[r[key] for r in row] for row in records])  # (n_candidates, n_splits)
            results[f"mean_{key}"], results[f"std_{key}"] = xp.mean(table, axis=1), xp.std(table, axis=1)
        names = sorted({name for c in candidates for name in c})
        for name in names:
            results[f"param_{name}"] = host_array([c.get(name) for c in candidates], "object")
        results["params"] = candidates
        parts = ("test", "train") if self.return_train_score else ("test",)
        for scorer in scorers:
            key = scorer if multi else "score"
            for part in parts:
                table = host_array([[r[part][scorer] for r in row] for row in records])  # (n_candidates, n_splits)
                for k in range(table.shape[1]):
                    results[f"split{k}_{part}_{key}"] = table[:, k]
                results[f"mean_{part}_{key}"] = xp.mean(table, axis=1)
                results[f"std_{part}_{key}"] = xp.std(table, axis=1)
            results[f"rank_test_{key}"] = host_array(_rank(results[f"mean_test_{key}"].tolist()), "int32")
        return results

    # ---- the refitted best estimator answers -------------------------------------------------

    def _fitted(self):
        if not hasattr(self, "best_estimator_"):
            raise not_fitted_error(f"This {type(self).__name__} has no best_estimator_: call fit with refit=True "
                                   f"first.")
        return self.best_estimator_

    @available_if(_best_has("predict"))
    def predict(self, X: Any):
        """best_estimator_.predict(X)."""
        return self._fitted().predict(X)

    @available_if(_best_has("predict_proba"))
    def predict_proba(self, X: Any):
        """best_estimator_.predict_proba(X)."""
        return self._fitted().predict_proba(X)

    @available_if(_best_has("predict_log_proba"))
    def predict_log_proba(self, X: Any):
        """best_estimator_.predict_log_proba(X)."""
        return self._fitted().predict_log_proba(X)

    @available_if(_best_has("score_samples"))
    def score_samples(self, X: Any):
        """best_estimator_.score_samples(X)."""
        return self._fitted().score_samples(X)

    @available_if(_best_has("decision_function"))
    def decision_function(self, X: Any):
        """best_estimator_.decision_function(X)."""
        return self._fitted().decision_function(X)

    @available_if(_best_has("transform"))
    def transform(self, X: Any):
        """best_estimator_.transform(X)."""
        return self._fitted().transform(X)

    @available_if(_best_has("inverse_transform"))
    def inverse_transform(self, X: Any):
        """best_estimator_.inverse_transform(X)."""
        return self._fitted().inverse_transform(X)

    def score(self, X: Any, y: Any = None, **params: Any) -> float:
        """The refit score (`scoring`, or the estimator's own score) of best_estimator_ on X, y; `params`
        (such as sample_weight) go to the scorer."""
        scorer = self.scorer_[self.refit] if self.multimetric_ else self.scorer_
        return float(scorer(self._fitted(), X, y, **params))

    @property
    def scorer_(self):
        """The scorer of `scoring` ({name: scorer} for several), rebuilt from the parameters rather than kept,
        so that a fitted search holds no callable and can be saved (xpml.io)."""
        if "cv_results_" not in vars(self):
            raise not_fitted_error(f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                                   f"appropriate arguments before using this estimator.")
        scorers, multi = _scorers(self.estimator, self.scoring)
        return scorers if multi else scorers["score"]

    @property
    def classes_(self):
        return self._fitted().classes_

    @property
    def n_features_in_(self):
        return self._fitted().n_features_in_


class GridSearchCV(_BaseSearchCV):
    """Cross-validate every combination of parameters in a grid; keep the best.

    Parameters
    ----------
    estimator : an xpml or scikit-learn estimator
    param_grid : dict or list of dicts
        {parameter name: list of values}; nested parameters as "step__param".
    scoring : None, str, callable, list or dict, default=None
        None uses the estimator's `score`; several scores need `refit` to name the one that picks.
    refit : bool, str or callable, default=True
        Refit the best candidate on all the data. A callable gets cv_results_ and returns the best index.
    cv : int, splitter or iterable of (train, test) pairs, default=5
    return_train_score : bool, default=False
    error_score : "raise" or float, default=nan
    verbose : int, default=0
    n_jobs, pre_dispatch : accepted for scikit-learn's signature and ignored
        They tune scikit-learn's parallel fits with joblib; xpml fits the candidates one after the other,
        each on the backend, whose library (BLAS threads, a GPU) is parallel already.

    Attributes
    ----------
    cv_results_ : dict of numpy arrays
        "params", "param_<name>", "split<k>_test_<score>", "mean_test_<score>", "std_test_<score>",
        "rank_test_<score>", "mean_fit_time", "std_fit_time", "mean_score_time", "std_score_time"
        (<score> is "score" for a single scoring).
    best_index_, best_params_, best_score_, best_estimator_ (with refit), refit_time_, n_splits_, scorer_

    `fit(X, y, groups=..., **fit_params)` passes `groups` to the splitter (a group splitter needs them).
    """

    def __init__(self, estimator: Any, param_grid: dict | list, *, scoring: Any = None, n_jobs: int | None = None,
                 refit: Any = True, cv: Any = None, verbose: int = 0, pre_dispatch: Any = "2*n_jobs",
                 error_score: Any = float("nan"), return_train_score: bool = False):
        self.estimator = estimator
        self.param_grid = param_grid
        self.scoring = scoring
        self.n_jobs = n_jobs
        self.refit = refit
        self.cv = cv
        self.verbose = verbose
        self.pre_dispatch = pre_dispatch
        self.error_score = error_score
        self.return_train_score = return_train_score

    def _candidates(self) -> list[dict]:
        return list(ParameterGrid(self.param_grid))
