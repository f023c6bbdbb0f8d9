"""Cross-validated predictions (cross_val_predict): each sample predicted by the model that did not train on it.

For each (train, test) split of `cv`, a clone is fitted on the training rows and its `method`
(predict, predict_proba, decision_function, ...) is applied to the test rows. The test sets must
partition the samples; the fold outputs are stacked and put back in the order of the samples.

A training fold may lack some classes of y. Then the columns of predict_proba, predict_log_proba and
decision_function are laid out for every class of y (sorted), the missing classes filled with 0 for
probabilities and with the dtype's most negative number for the others, with a RuntimeWarning.

Rows are taken where the data lives and the outputs stay there (torch in, torch out); only the index
bookkeeping and the class labels are read on the host.
"""

from __future__ import annotations

import time
from typing import Any

from .._backend import backend_of, device_of, is_host_input, to_backend
from ..base import clone, is_classifier
from ..utils._host import as_host, encode, host_namespace, unique_values
from ..utils._indexing import num_samples, take_rows
from ..utils._warnings import warn
from ..utils.validation import check_consistent_length
from ._split import check_cv
from ._validation import _fold_params

__all__ = ["cross_val_predict"]

_PER_CLASS = ("predict_proba", "predict_log_proba", "decision_function")


def cross_val_predict(estimator: Any, X: Any, y: Any = None, *, groups: Any = None, cv: Any = None,
                      n_jobs: int | None = None, verbose: int = 0, params: dict | None = None,
                      pre_dispatch: Any = "2*n_jobs", method: str = "predict"):
    """For each sample, the prediction of the model fitted on the folds that leave it out.

    Parameters
    ----------
    estimator : an xpml or scikit-learn estimator
    X : array-like of shape (n_samples, n_features), of any backend, or a DataFrame
    y : array-like of shape (n_samples,), optional
    groups : array-like of shape (n_samples,), optional
        Group labels for a group splitter's `split(X, y, groups)` (GroupKFold, LeaveOneGroupOut, ...).
    cv : int, splitter or iterable of (train, test) index pairs, default=5
        An int gives StratifiedKFold for a classifier, KFold otherwise. The test sets must be a
        partition of the samples (ShuffleSplit's or TimeSeriesSplit's are not).
    n_jobs, pre_dispatch : accepted for scikit-learn's signature and not used
        The folds run one after another, each on its backend (BLAS threads, the GPU).
    verbose : int, default=0
        Above 0, print a line per fold as it ends.
    params : dict, optional
        Fit parameters (such as sample_weight); per-sample arrays are split with the data.
    method : str, default="predict"
        The method of the fitted estimator to call: "predict", "predict_proba", "predict_log_proba",
        "decision_function", "transform", ...

    Returns
    -------
    predictions : array of shape (n_samples,) or (n_samples, n_outputs), in the library (and on the
        device) of the estimator's outputs, which follow X's.
    """
    if not isinstance(method, str):
        raise TypeError(f"method should be the name of a method of the estimator, a str; got {method!r}.")
    check_consistent_length(X=X, y=y)
    n = num_samples(X)
    folds = list(check_cv(cv, y, classifier=is_classifier(estimator)).split(X, y, groups))
    xp = host_namespace()
    tested = xp.concat([xp.asarray(test, dtype=xp.int64) for _, test in folds])  # (n,) when a partition
    if tested.shape[0] != n or not bool(xp.all(xp.sort(tested) == xp.arange(n))):
        raise ValueError(f"cross_val_predict needs cv's test sets to be a partition of the samples (each of the "
                         f"{n} samples tested exactly once); they test {tested.shape[0]} samples, "
                         f"{int(xp.unique_values(tested).shape[0])} of them distinct.")
    classes = None  # the classes of y, for a classifier's per-class outputs (one target)
    if method in _PER_CLASS and is_classifier(estimator) and y is not None and len(as_host(y, "y").shape) == 1:
        classes = unique_values(y)
    parts = []
    for k, (train, test) in enumerate(folds):
        start = time.perf_counter()
        model = clone(estimator)
        model.fit(take_rows(X, train), **({} if y is None else {"y": take_rows(y, train)}),
                  **_fold_params(params, train, n))
        if not hasattr(model, method):
            raise ValueError(f"method={method!r} is not a method of the fitted {type(model).__name__}; it should "
                             f"be one it has, such as 'predict'.")
        out = getattr(model, method)(take_rows(X, test))
        if classes is not None and not isinstance(out, list):
            out = _columns_for_every_class(out, as_host(model.classes_), classes, method)
        parts.append(out)
        if verbose > 0:
            print(f"[CV] END fold {k + 1}/{len(folds)}; n_train={len(train)}; "
                  f"total time={time.perf_counter() - start:.3f} s")
    order = xp.argsort(tested)  # (n,) where each sample's prediction is among the stacked fold outputs
    if isinstance(parts[0], list):  # one array per output (multi-output predict_proba)
        return [take_rows(_stack_rows([p[i] for p in parts]), order) for i in range(len(parts[0]))]
    return take_rows(_stack_rows(parts), order)


def _stack_rows(parts: list):
    """The fold outputs end to end (along the samples), in their library."""
    if is_host_input(parts[0]):
        return host_namespace().concat([as_host(p, "predictions") for p in parts], axis=0)
    return backend_of(parts[0]).xp.concat(parts, axis=0)


def _columns_for_every_class(out: Any, seen: Any, classes: Any, method: str):
    """A fold's per-class output (n_test, n_seen) laid out for every class of y (n_test, n_classes)."""
    n_classes = classes.shape[0]
    if seen.shape[0] == n_classes:
        return out
    warn(f"A training fold has {seen.shape[0]} of the {n_classes} classes of y; the {method} columns of the "
         f"others are filled in, and may not suit your use. Folds stratified by class avoid this.", RuntimeWarning)
    if method == "decision_function" and (len(out.shape) == 1 or n_classes <= 2):
        raise ValueError(f"A training fold has {seen.shape[0]} of the {n_classes} classes of y, and its "
                         f"decision_function gives {'one column' if len(out.shape) == 1 else 'its own columns'}, "
                         f"which cannot be laid out for every class; use folds stratified by class.")
    hx = host_namespace()
    position = encode(classes, seen)  # (n_classes,) each class's column in the fold's output, -1 if unseen
    position = hx.where(position < 0, seen.shape[0], position)  # the unseen ones: the filled column
    if is_host_input(out):
        out = as_host(out, "predictions")
        xp, index = hx, position
    else:
        backend = backend_of(out)
        xp, index = backend.xp, to_backend(position, backend)
    fill = 0.0 if method == "predict_proba" else float(xp.finfo(out.dtype).min)
    filler = xp.full((out.shape[0], 1), fill, dtype=out.dtype, device=device_of(out))  # (n_test, 1)
    return xp.take(xp.concat([out, filler], axis=1), index, axis=1)  # (n_test, n_classes)
