"""Permutation feature importance: how much a fitted model's score drops when one feature's values
are shuffled among the samples, which breaks that feature's link with the target.

For feature j and repeat r, the rows of column j are put in a random order π_jr (the order that
sorts uniform draws u_jr, shape (n_repeats, n_samples), drawn from `random_state` feature after
feature) while every other column stays; the importance is s - s_jr, the score on the data as it
is minus the score on the shuffled data. The n_repeats shuffled copies of the data for one feature
are built at once, (n_repeats, n_samples, n_features), from one gather.

Reference: Breiman, "Random Forests", Machine Learning 45 (2001), section 10; Fisher, Rudin &
Dominici, "All Models are Wrong, but Many are Useful", JMLR 20 (2019).
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from .._backend import dtype_name, match_input, resolve_backend, to_backend
from ..datasets import Bunch
from ..metrics import check_scoring
from ..utils._indexing import num_samples, take_rows
from ..utils._param_validation import Interval, check_param
from ..utils._random import check_random_state, draw
from ..utils.validation import check_array

__all__ = ["permutation_importance"]


def permutation_importance(estimator: Any, X: Any, y: Any, *, scoring: Any = None, n_repeats: int = 5,
                           n_jobs: Any = None, random_state: Any = None, sample_weight: Any = None,
                           max_samples: float = 1.0):
    """The drop in score when each feature is shuffled, for a fitted estimator.

    Parameters
    ----------
    estimator : fitted estimator
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,), or None for unsupervised scorers
    scoring : str, callable, list, tuple or dict, optional
        The score (None: the estimator's `score`); several give a dict of results by name.
    n_repeats : int, default=5
        How many times each feature is shuffled.
    n_jobs : int, optional
        Accepted for scikit-learn's signature; the shuffled copies are scored on the backend, one after another.
    random_state : int, Generator, RandomState or None
        Seeds the rows drawn (max_samples < 1) and then, feature after feature, the shuffles.
    sample_weight : array-like of shape (n_samples,), optional
        Weights the scores.
    max_samples : int or float, default=1.0
        The rows scored (a float: that fraction of n_samples), drawn without replacement. On dask, keep
        it small: each shuffle is a permutation of all the rows scored, whose random keys are drawn on
        the host and sorted by dask in one task.

    Returns
    -------
    result : Bunch (or dict of Bunch, one per scorer)
        importances_mean (n_features,), importances_std (n_features,) and importances
        (n_features, n_repeats), in the library of X.
    """
    check_param("n_repeats", n_repeats, [Interval(Integral, 1, None, closed="left")])
    check_param("max_samples", max_samples, [Interval(Integral, 1, None, closed="left"),
                                             Interval(Real, 0.0, 1.0, closed="right")])
    backend = vars(estimator).get("_backend") or resolve_backend(None)
    X_in = X
    X = check_array(X, backend, dtype=vars(estimator).get("_dtype"), ensure_finite=False)
    xp, (n, p) = backend.xp, X.shape
    m = max_samples if isinstance(max_samples, Integral) else int(max_samples * n)
    if not 1 <= m <= n:
        raise ValueError(f"max_samples={max_samples!r} gives {m} rows; it should give between 1 and n_samples={n}.")
    if y is not None and num_samples(y) != n:
        raise ValueError(f"X has {n} samples but y has {num_samples(y)}; they should have the same number.")
    rng = check_random_state(random_state)
    if m < n:
        rows = rng.choice(n, m, replace=False)  # host indices
        X, y, sample_weight = take_rows(X, rows), take_rows(y, rows), take_rows(sample_weight, rows)
    scorer = check_scoring(estimator, scoring)
    baseline = _score(scorer, estimator, X, y, sample_weight)
    columns = xp.arange(p, device=backend.device)
    drops = []  # per feature: per repeat, the score drop (a float, or a dict of them)
    for j in range(p):
        order = xp.argsort(draw(rng, backend, "random", (n_repeats, m)), axis=1)  # (R, m) the shuffles π_jr
        shuffled = xp.reshape(xp.take(X[:, j], xp.reshape(order, (-1,))), (n_repeats, m))  # (R, m)
        copies = xp.where(columns == j, shuffled[:, :, None], X[None, :, :])  # (R, m, p)
        drops.append([_minus(baseline, _score(scorer, estimator, copies[r, ...], y, sample_weight))
                      for r in range(n_repeats)])
    if isinstance(baseline, dict):
        return {name: _bunch([[d[name] for d in row] for row in drops], backend, dtype_name(X), X_in)
                for name in baseline}
    return _bunch(drops, backend, dtype_name(X), X_in)


def _score(scorer, estimator, X, y, sample_weight):
    if sample_weight is None:
        return scorer(estimator, X, y)
    return scorer(estimator, X, y, sample_weight=sample_weight)


def _minus(baseline, score):
    if isinstance(baseline, dict):
        return {name: baseline[name] - score[name] for name in baseline}
    return baseline - score


def _bunch(drops, backend, dtype, like):
    importances = to_backend(drops, backend, dtype=dtype)  # (p, R)
    xp = backend.xp
    mean = xp.mean(importances, axis=1)
    std = xp.sqrt(xp.mean((importances - mean[:, None]) ** 2, axis=1))
    return Bunch(importances_mean=match_input(mean, like), importances_std=match_input(std, like),
                 importances=match_input(importances, like))
