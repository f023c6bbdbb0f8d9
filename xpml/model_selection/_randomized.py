"""Randomized search over parameters, scored by cross-validation (RandomizedSearchCV).

The search of GridSearchCV (`_search._BaseSearchCV`: the same folds for every candidate, the same
cv_results_, ranking, refit and best_* attributes) over n_iter candidates drawn by ParameterSampler:
values from lists (distinct points of the grid when every value is a list) or from distributions with
an `rvs` method, such as scipy.stats.loguniform(1e-3, 1e2). A budget of n_iter fits per fold, whatever
the number of parameters, where a grid grows with the product of their sizes.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

from ..utils._param_validation import Interval
from ._candidates import ParameterSampler
from ._search import _BaseSearchCV

__all__ = ["RandomizedSearchCV"]


class RandomizedSearchCV(_BaseSearchCV):
    """Cross-validate n_iter candidates drawn at random; keep the best.

    Parameters
    ----------
    estimator : an xpml or scikit-learn estimator
    param_distributions : dict or list of dicts
        {parameter name: list of values, or a distribution with an `rvs(random_state=...)` method (a
        scipy.stats distribution)}; nested parameters as "step__param". With a list of dicts, each
        candidate first picks one of them.
    n_iter : int, default=10
        The number of candidates. When every value is a list, they are distinct points of the grid (all
        of them, with a warning, if the grid has fewer).
    scoring : None, str, callable, list or dict, default=None
        None uses the estimator's `score`; several scores need `refit` to name the one that picks.
    n_jobs : accepted for scikit-learn's signature and ignored (as in GridSearchCV)
    refit : bool, str or callable, default=True
        Refit the best candidate on all the data. A callable gets cv_results_ and returns the best index.
    cv : int, splitter or iterable of (train, test) pairs, default=5
    verbose : int, default=0
    pre_dispatch : accepted for scikit-learn's signature and ignored (as n_jobs)
    random_state : int, None or numpy Generator
        The seed of the draws: an int draws the same candidates at every fit.
    error_score : "raise" or float, default=nan
    return_train_score : bool, default=False

    Attributes
    ----------
    cv_results_ : dict of numpy arrays
        As GridSearchCV's: "params", "param_<name>" (None where a candidate's dict lacks the name),
        "split<k>_test_<score>", "mean_test_<score>", "std_test_<score>", "rank_test_<score>", and the
        times; "mean_train_<score>" and the rest with return_train_score.
    best_index_, best_params_, best_score_, best_estimator_ (with refit), refit_time_, n_splits_, scorer_

    `fit(X, y, groups=..., **fit_params)` passes `groups` to the splitter (a group splitter needs them).
    """

    _parameter_constraints = {"n_iter": [Interval(Integral, 1, None)], "random_state": ["random_state"]}

    def __init__(self, estimator: Any, param_distributions: dict | list, *, n_iter: int = 10, scoring: Any = None,
                 n_jobs: int | None = None, refit: Any = True, cv: Any = None, verbose: int = 0,
                 pre_dispatch: Any = "2*n_jobs", random_state: Any = None, error_score: Any = float("nan"),
                 return_train_score: bool = False):
        self.estimator = estimator
        self.param_distributions = param_distributions
        self.n_iter = n_iter
        self.scoring = scoring
        self.n_jobs = n_jobs
        self.refit = refit
        self.cv = cv
        self.verbose = verbose
        self.pre_dispatch = pre_dispatch
        self.random_state = random_state
        self.error_score = error_score
        self.return_train_score = return_train_score

    def _candidates(self) -> list[dict]:
        return list(ParameterSampler(self.param_distributions, self.n_iter, random_state=self.random_state))
