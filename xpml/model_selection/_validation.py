"""Cross-validation: fit on some folds, score on the one left out, for every fold.

For each (train, test) split of `cv`, a fresh clone of the estimator is fitted on the training rows
and scored on the test rows. The rows are taken where the data lives (a torch tensor on a GPU stays
there), so xpml estimators never pull it back to the host; scikit-learn estimators work too.
Scores, times and sizes come back as numpy arrays (host values), as in scikit-learn.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from ..base import clone, is_classifier
from ..exceptions import FitFailedWarning
from ..metrics import check_scoring
from ..utils._host import host_array, unique_values
from ..utils._indexing import num_samples, take_rows
from ..utils._random import check_random_state
from ..utils._warnings import warn
from ..utils.validation import check_consistent_length
from ._split import check_cv

__all__ = ["cross_val_score", "cross_validate", "learning_curve", "validation_curve"]


def _scorers(estimator: Any, scoring: Any) -> tuple[dict[str, Callable], bool]:
    """{name: scorer} and whether several metrics were asked for (then results are named test_<name>)."""
    if isinstance(scoring, (list, tuple, set)):
        return {name: check_scoring(estimator, name) for name in scoring}, True
    if isinstance(scoring, dict):
        return {name: check_scoring(estimator, s) for name, s in scoring.items()}, True
    return {"score": check_scoring(estimator, scoring)}, False


def _fold_params(params: dict | None, indices, n_samples: int) -> dict:
    """Fit parameters for a subset of the rows: per-sample arrays are sliced, others pass as they are."""
    out = {}
    for key, value in (params or {}).items():
        sliceable = hasattr(value, "shape") or isinstance(value, (list, tuple))
        out[key] = take_rows(value, indices) if sliceable and num_samples(value) == n_samples else value
    return out


def fit_and_score(estimator: Any, X: Any, y: Any, train, test, scorers: dict, *, params: dict | None = None,
                  return_train_score: bool = False, error_score: Any = float("nan"),
                  score_params: dict | None = None) -> dict:
    """Fit a clone on the rows `train`, score it on `test` (and `train`). Returns the fold's record.

    `params` go to the fit, `score_params` (sample_weight) to the scorers, each split with the data."""
    n = num_samples(X)
    model = clone(estimator)
    X_train, y_train = take_rows(X, train), take_rows(y, train)
    start = time.perf_counter()
    try:
        model.fit(X_train, **({} if y is None else {"y": y_train}), **_fold_params(params, train, n))
    except Exception as exc:
        if isinstance(error_score, str) and error_score == "raise":
            raise
        warn(f"A fit failed and its scores are set to error_score={error_score!r}: "
             f"{type(exc).__name__}: {exc}", FitFailedWarning)
        failed = {name: float(error_score) for name in scorers}
        return dict(estimator=model, fit_time=time.perf_counter() - start, score_time=0.0, test=failed,
                    train=dict(failed), n_train=len(train))
    fit_time = time.perf_counter() - start
    start = time.perf_counter()
    X_test, y_test = take_rows(X, test), take_rows(y, test)
    scored = _fold_params(score_params, test, n)
    record = dict(estimator=model, test={name: s(model, X_test, y_test, **scored) for name, s in scorers.items()},
                  n_train=len(train))
    record["score_time"] = time.perf_counter() - start  # includes the wait for the device to finish the fit
    record["fit_time"] = fit_time
    if return_train_score:
        scored = _fold_params(score_params, train, n)
        record["train"] = {name: s(model, X_train, y_train, **scored) for name, s in scorers.items()}
    return record


def cross_validate(estimator: Any, X: Any, y: Any = None, *, groups: Any = None, scoring: Any = None, cv: Any = None,
                   n_jobs: int | None = None, verbose: int = 0, params: dict | None = None,
                   pre_dispatch: Any = "2*n_jobs", return_train_score: bool = False, return_estimator: bool = False,
                   return_indices: bool = False, error_score: Any = float("nan")) -> dict:
    """Evaluate one or several scores by cross-validation, and time the fits.

    Parameters
    ----------
    estimator : an xpml or scikit-learn estimator
    X : array-like of shape (n_samples, n_features), of any backend
    y : array-like of shape (n_samples,), optional
    groups : array-like of shape (n_samples,), optional
        Group labels, passed to the splitter's `split(X, y, groups)`: a group-aware splitter (such as
        GroupKFold or LeaveOneGroupOut) keeps each group on one side; KFold and StratifiedKFold ignore them.
    scoring : None, str, callable, list of str or dict of {name: str or callable}
        None uses the estimator's `score`.
    cv : int, splitter or iterable of (train, test) index pairs, default=5
        An int gives StratifiedKFold for a classifier, KFold otherwise.
    n_jobs : int or None, default=None
        Accepted for scikit-learn's signature, and not used: the folds run one after another, and each fit
        uses the parallelism of its backend (BLAS threads, the GPU) instead of worker processes.
    verbose : int, default=0
        Above 0, print each fold's scores and time as it ends.
    params : dict, optional
        Fit parameters (such as sample_weight); per-sample arrays are split with the data.
    pre_dispatch : int or str, default="2*n_jobs"
        Accepted for scikit-learn's signature, and not used (no jobs are dispatched, as for n_jobs).
    return_train_score, return_estimator, return_indices : bool, default=False
    error_score : "raise" or float, default=nan
        The score of a fold whose fit fails (with a FitFailedWarning), or "raise" to raise.

    Returns
    -------
    dict of numpy arrays of shape (n_splits,): "fit_time", "score_time", "test_score" (or
    "test_<name>" for several scores), "train_score" if asked; "estimator" and "indices" if asked.
    """
    check_consistent_length(X=X, y=y)
    splitter = check_cv(cv, y, classifier=is_classifier(estimator))
    scorers, multi = _scorers(estimator, scoring)
    folds = list(splitter.split(X, y, groups))
    records = []
    for k, (train, test) in enumerate(folds):
        records.append(fit_and_score(estimator, X, y, train, test, scorers, params=params,
                                     return_train_score=return_train_score, error_score=error_score))
        if verbose > 0:
            _report_fold(k, len(folds), records[-1])
    out = {"fit_time": host_array([r["fit_time"] for r in records]),
           "score_time": host_array([r["score_time"] for r in records])}
    for name in scorers:
        key = name if multi else "score"
        out[f"test_{key}"] = host_array([r["test"][name] for r in records])
        if return_train_score:
            out[f"train_{key}"] = host_array([r["train"][name] for r in records])
    if return_estimator:
        out["estimator"] = [r["estimator"] for r in records]
    if return_indices:
        out["indices"] = {"train": [f[0] for f in folds], "test": [f[1] for f in folds]}
    return out


def _report_fold(k: int, n_folds: int, record: dict) -> None:
    """One line per fold, for verbose > 0: its scores and its time."""
    scores = ", ".join(f"{name}={value:.3f}" for name, value in record["test"].items())
    total = record["fit_time"] + record["score_time"]
    print(f"[CV] END fold {k + 1}/{n_folds}; n_train={record['n_train']}; {scores}; total time={total:.3f} s")


def cross_val_score(estimator: Any, X: Any, y: Any = None, *, groups: Any = None, scoring: Any = None,
                    cv: Any = None, n_jobs: int | None = None, verbose: int = 0, params: dict | None = None,
                    pre_dispatch: Any = "2*n_jobs", error_score: Any = float("nan")):
    """The test score of each cross-validation fold: a numpy array of shape (n_splits,).

    Parameters as in `cross_validate`, with a single `scoring`.
    """
    if isinstance(scoring, (list, tuple, set, dict)):
        raise ValueError("cross_val_score takes a single scoring; use cross_validate for several.")
    return cross_validate(estimator, X, y, groups=groups, scoring=scoring, cv=cv, n_jobs=n_jobs, verbose=verbose,
                          params=params, pre_dispatch=pre_dispatch, error_score=error_score)["test_score"]


def learning_curve(estimator: Any, X: Any, y: Any, *, groups: Any = None,
                   train_sizes: Any = (0.1, 0.325, 0.55, 0.775, 1.0), cv: Any = None, scoring: Any = None,
                   exploit_incremental_learning: bool = False, n_jobs: int | None = None, pre_dispatch: Any = "all",
                   verbose: int = 0, shuffle: bool = False, random_state: Any = None, error_score: Any = float("nan"),
                   return_times: bool = False, params: dict | None = None):
    """Training and test scores for training sets of growing size.

    For each fold of `cv` and each size s, the estimator is fitted on the first s training rows of
    the fold (shuffled first with `shuffle`) and scored on them and on the fold's test rows.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or None
        Required, as in scikit-learn; None for an unsupervised estimator.
    train_sizes : array-like of floats in (0, 1] or ints
        Fractions of, or numbers of samples from, the largest training set (a fold's).
    groups, cv, scoring, n_jobs, verbose, params, error_score : as in `cross_validate`
    exploit_incremental_learning : bool, default=False
        With an estimator that has `partial_fit`: one model per fold, fed each size's new rows by
        `partial_fit` (classifiers get every class of y at the first call), and scored after each.
    pre_dispatch : int or str, default="all"
        Accepted for scikit-learn's signature, and not used (as n_jobs).
    shuffle : bool, default=False
        Shuffle each fold's training rows before taking prefixes.
    random_state : int, None or numpy Generator
    return_times : bool, default=False

    Returns
    -------
    train_sizes_abs : numpy array of shape (n_sizes,), the distinct sizes used
    train_scores, test_scores : numpy arrays of shape (n_sizes, n_splits)
    fit_times, score_times : numpy arrays of shape (n_sizes, n_splits), if return_times
    """
    check_consistent_length(X=X, y=y)
    folds = list(check_cv(cv, y, classifier=is_classifier(estimator)).split(X, y, groups))
    n_max = len(folds[0][0])
    sizes = _absolute_sizes(train_sizes, n_max)
    scorers, _ = _scorers(estimator, scoring)
    rng = check_random_state(random_state) if shuffle else None
    grid = [[None] * len(folds) for _ in sizes]
    for k, (train, test) in enumerate(folds):
        if rng is not None:
            train = take_rows(train, rng.permutation(len(train)))
        if exploit_incremental_learning:
            for i, record in enumerate(_incremental_records(estimator, X, y, train, test, sizes, scorers, params)):
                grid[i][k] = record
        else:
            for i, size in enumerate(sizes):
                grid[i][k] = fit_and_score(estimator, X, y, train[:size], test, scorers, params=params,
                                           return_train_score=True, error_score=error_score)
        if verbose > 0:
            for i in range(len(sizes)):
                _report_fold(k, len(folds), grid[i][k])
    def table(key: str, part: str | None = None):  # (n_sizes, n_splits)
        return host_array([[r[key][part] if part else r[key] for r in row] for row in grid])

    out = (host_array(sizes), table("train", "score"), table("test", "score"))
    return out + (table("fit_time"), table("score_time")) if return_times else out


def validation_curve(estimator: Any, X: Any, y: Any, *, param_name: str, param_range: Any, groups: Any = None,
                     cv: Any = None, scoring: Any = None, n_jobs: int | None = None, pre_dispatch: Any = "all",
                     verbose: int = 0, error_score: Any = float("nan"), params: dict | None = None):
    """Training and test scores of the estimator for each value of one parameter.

    For each value v of `param_range` and each fold of `cv`, a clone with `param_name=v` is fitted on
    the fold's training rows and scored on them and on its test rows.

    Parameters
    ----------
    param_name : str
        The parameter that varies ("step__param" inside a pipeline).
    param_range : array-like of shape (n_values,)
        Its values.
    y, groups, cv, scoring, n_jobs, verbose, error_score, params : as in `learning_curve`
    pre_dispatch : int or str, default="all"
        Accepted for scikit-learn's signature, and not used (as n_jobs).

    Returns
    -------
    train_scores, test_scores : numpy arrays of shape (n_values, n_splits)
    """
    if isinstance(scoring, (list, tuple, set, dict)):
        raise ValueError("validation_curve takes a single scoring; use cross_validate for several.")
    check_consistent_length(X=X, y=y)
    values = list(param_range.tolist() if hasattr(param_range, "tolist") else param_range)
    if not values:
        raise ValueError(f"param_range={param_range!r} is empty; give the values of {param_name!r} to try.")
    folds = list(check_cv(cv, y, classifier=is_classifier(estimator)).split(X, y, groups))
    scorers, _ = _scorers(estimator, scoring)
    grid = [[fit_and_score(clone(estimator).set_params(**{param_name: v}), X, y, train, test, scorers, params=params,
                           return_train_score=True, error_score=error_score) for train, test in folds]
            for v in values]
    if verbose > 0:
        for row in grid:
            for k, record in enumerate(row):
                _report_fold(k, len(folds), record)
    return tuple(host_array([[r[part]["score"] for r in row] for row in grid]) for part in ("train", "test"))


def _incremental_records(estimator: Any, X: Any, y: Any, train, test, sizes: list[int], scorers: dict,
                         params: dict | None):
    """One clone fed the rows train[previous size:size] by partial_fit for each size in turn; a record
    (as `fit_and_score`'s) after each."""
    if not hasattr(estimator, "partial_fit"):
        raise ValueError(f"exploit_incremental_learning=True needs an estimator with partial_fit; "
                         f"{type(estimator).__name__} has none.")
    model, n = clone(estimator), num_samples(X)
    first = {"classes": unique_values(y)} if is_classifier(estimator) else {}
    X_test, y_test = take_rows(X, test), take_rows(y, test)
    records, done = [], 0
    for size in sizes:
        chunk = train[done:size]
        start = time.perf_counter()
        model.partial_fit(take_rows(X, chunk), **({} if y is None else {"y": take_rows(y, chunk)}),
                          **_fold_params(params, chunk, n), **first)
        fit_time, first, done = time.perf_counter() - start, {}, size
        start = time.perf_counter()
        X_seen, y_seen = take_rows(X, train[:size]), take_rows(y, train[:size])
        record = dict(estimator=model, n_train=size, fit_time=fit_time,
                      test={name: s(model, X_test, y_test) for name, s in scorers.items()},
                      train={name: s(model, X_seen, y_seen) for name, s in scorers.items()})
        record["score_time"] = time.perf_counter() - start
        records.append(record)
    return records


def _absolute_sizes(train_sizes: Any, n_max: int) -> list[int]:
    """Training set sizes as distinct counts in [1, n_max]: floats are fractions of n_max, ints are counts."""
    values = list(train_sizes.tolist() if hasattr(train_sizes, "tolist") else train_sizes)
    if not values:
        raise ValueError("train_sizes is empty; give fractions in (0, 1] or numbers of samples.")
    if any(isinstance(v, float) for v in values):
        if min(values) <= 0 or max(values) > 1:
            raise ValueError(f"train_sizes={values}: fractions should be in (0, 1].")
        sizes = [max(1, int(v * n_max)) for v in values]
    else:
        if min(values) < 1 or max(values) > n_max:
            raise ValueError(f"train_sizes={values}: numbers of samples should be in [1, {n_max}] (the size of "
                             f"the training set of a fold).")
        sizes = [int(v) for v in values]
    distinct = sorted(set(sizes))
    if len(distinct) < len(sizes):
        warn(f"Some train_sizes give the same number of samples; keeping the distinct ones {distinct}.",
             RuntimeWarning)
    return distinct
