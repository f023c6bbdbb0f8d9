"""LogisticRegressionCV: the penalty strength C (and the L1 share ρ) chosen by cross-validation.

For each fold of `cv` and each ρ of `l1_ratios`, the regularization path is fitted on the training rows:
one fit per C of the grid `Cs` (by default 10 values from 1e-4 to 1e4), in increasing order, each started
from the previous one's coefficients. Each fit is scored on the held-out rows (`scoring`, accuracy by
default, weighted by sample_weight): `scores_`. The (C, ρ) whose scores summed over the folds is highest
wins, and with `refit` the model is fitted on all the data from the mean of the folds' coefficients there;
without it, the folds' own best coefficients are averaged.

The fits are LogisticRegression's (same objective, same solvers, see `_logistic.py`); the folds' class
weights ("balanced") are computed once, on all the data, as scikit-learn does. On the host they run on one
thread (`xpml.utils._threads`): their kernels, matrix-vector-like products and element-wise steps over
(classes, samples), gain little from threads and lose much when the cores are shared (on a busy 2-core
machine, 5 folds × 5 Cs on 5,000 × 20 with torch took 5 to 20 s with its threads, 0.5 to 1.8 s with one).
"""

from __future__ import annotations

import copy
from numbers import Integral
from typing import Any

from .._backend import to_backend
from ..base import BACKEND_CONSTRAINTS
from ..exceptions import ConvergenceWarning
from ..metrics import get_scorer, get_scorer_names
from ..utils._csr import take_rows
from ..utils._host import as_host, host_array
from ..utils._param_validation import Interval, Options
from ..utils._threads import one_host_thread
from ..utils._warnings import warn
from ..utils.validation import check_sample_weight
from ._logistic import LogisticRegression
from ._loss import LogisticLoss

__all__ = ["LogisticRegressionCV"]

_SOLVERS = {"lbfgs", "liblinear", "newton-cg", "newton-cholesky", "sag", "saga"}


class LogisticRegressionCV(LogisticRegression):
    """Logistic regression whose C (and l1_ratio) are chosen by cross-validation along the path.

    Parameters
    ----------
    Cs : int or array-like, default=10
        The values of C to try, or their number: a grid from 1e-4 to 1e4, evenly spaced in log scale.
    l1_ratios : array-like of float in [0, 1], None or "warn", default="warn"
        The L1 shares ρ to try (with the elastic-net penalty); None or "warn" (scikit-learn 1.9's default,
        without its transition warning): no L1 share, and the fitted attributes have no l1_ratio axis.
    fit_intercept : bool, default=True
    cv : int, splitter or iterable, default=None
        The folds: None is 5, an int k is StratifiedKFold(k).
    dual : bool, default=False
        True only with solver="liblinear", as in LogisticRegression.
    penalty : {"l1", "l2", "elasticnet"} or "deprecated", default="deprecated"
        scikit-learn's older way to name the penalty; "deprecated" reads it from l1_ratios (all 0 or None:
        "l2", all 1: "l1", else "elasticnet").
    scoring : str, callable, None or "warn", default="warn"
        The held-out score to maximize; None or "warn" is accuracy.
    solver : {"lbfgs", "liblinear", "newton-cg", "newton-cholesky", "sag", "saga"}, default="lbfgs"
        As in LogisticRegression: each name minimizes the same objective with xpml's solvers.
    tol, max_iter, class_weight, n_jobs, verbose, intercept_scaling, random_state
        As in LogisticRegression.
    refit : bool, default=True
        Fit on all the data with the best (C, ρ); otherwise average the folds' best coefficients.
    use_legacy_attributes : bool or "warn", default="warn"
        True or "warn": scikit-learn 1.9's default attributes (dicts keyed by class, C_ repeated per class);
        False: its simplified ones (C_ and l1_ratio_ floats, arrays with an l1_ratio axis before the C axis).
    backend : str or Backend, optional
    dtype : {"float32", "float64"}, optional

    Attributes
    ----------
    classes_ : numpy array of shape (n_classes,)
    coef_ : array of shape (1, n_features) or (n_classes, n_features)
    intercept_ : array of shape (1,) or (n_classes,)
    Cs_ : numpy array of shape (n_cs,)
    l1_ratios_ : numpy array of shape (n_l1_ratios,)
        [None] without l1_ratios.
    coefs_paths_ : dict of arrays, or an array (see use_legacy_attributes)
        Per fold, C (and ρ), the coefficients with the intercept last: (n_folds, n_cs[, n_l1_ratios], n_dof).
    scores_ : dict of numpy arrays, or a numpy array
        The held-out score per fold and C (and ρ).
    C_ : numpy array of shape (1,) or (n_classes,), or float
    l1_ratio_ : numpy array of shape (1,) or (n_classes,), or float
    n_iter_ : numpy array of shape (1, n_folds, n_cs[, n_l1_ratios]), or (n_folds, n_l1_ratios, n_cs)
    n_features_in_ : int
    """

    _scales_out = False  # the folds' rows are gathered: on dask it is refused, by name (LogisticRegression scales out)

    _parameter_constraints = {
        **{k: LogisticRegression._parameter_constraints[k] for k in (
            "fit_intercept", "dual", "tol", "max_iter", "class_weight", "n_jobs", "verbose", "intercept_scaling",
            "random_state")},
        "Cs": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "l1_ratios": ["array-like", None, Options({"warn"})],
        "penalty": [Options({"l1", "l2", "elasticnet", "deprecated"})],
        "scoring": [Options(set(get_scorer_names()) | {"warn"}), "callable", None],
        "solver": [Options(_SOLVERS)],
        "refit": ["boolean"],
        "use_legacy_attributes": ["boolean", Options({"warn"})],
        **BACKEND_CONSTRAINTS,
    }

    def __init__(self, *, Cs: Any = 10, l1_ratios: Any = "warn", fit_intercept: bool = True, cv: Any = None,
                 dual: bool = False, penalty: str = "deprecated", scoring: Any = "warn", solver: str = "lbfgs",
                 tol: float = 1e-4, max_iter: int = 100, class_weight: Any = None, n_jobs: Any = None,
                 verbose: int = 0, refit: bool = True, intercept_scaling: float = 1.0, random_state: Any = None,
                 use_legacy_attributes: Any = "warn", backend: Any = None, dtype: str | None = None):
        self.Cs = Cs
        self.l1_ratios = l1_ratios
        self.fit_intercept = fit_intercept
        self.cv = cv
        self.dual = dual
        self.penalty = penalty
        self.scoring = scoring
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.class_weight = class_weight
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.refit = refit
        self.intercept_scaling = intercept_scaling
        self.random_state = random_state
        self.use_legacy_attributes = use_legacy_attributes
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None, **params: Any) -> LogisticRegressionCV:
        """Score the path of every fold, pick (C, ρ), then fit (or average) the coefficients.

        Parameters
        ----------
        X : array-like or sparse matrix of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Weighs the fits and the held-out scores.
        **params
            Passed to the splitter's `split` (groups=...).

        Returns
        -------
        self
        """
        from ..model_selection import check_cv

        X, y = self._validate_labels(X, y)  # (n, p), (n,) class indices
        penalty, given, ratios = self._penalty_grid()
        Cs, n_classes = self._grid(), len(self.classes_)
        if self.dual and self.solver != "liblinear":
            raise ValueError(f"dual=True needs solver='liblinear'; got solver={self.solver!r}.")
        if self.solver == "liblinear" and n_classes > 2:
            raise ValueError(f"solver='liblinear' takes two classes, as in scikit-learn; y has {n_classes}.")
        scaling = float(self.intercept_scaling) if self.solver == "liblinear" and self.fit_intercept else None
        weights = self._weights(y, sample_weight)  # (n,) or None: class weights from all the data
        scored = None if sample_weight is None else check_sample_weight(
            sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)  # the held-out scores' weights
        labels = self.classes_[as_host(y)]
        folds = list(check_cv(self.cv, labels, classifier=True).split(X, labels, **params))
        # per fold, per ρ: the path's coefficients, scores and iterations along Cs, and its count of fits not converged
        with one_host_thread(self._backend):  # small kernels, which threads slow down: see xpml.utils._threads
            runs = [[self._path(X, y, labels, weights, scored, train, test, Cs, rho, scaling) for rho in ratios]
                    for train, test in folds]
        not_converged = sum(path[3] for run in runs for path in run)
        if not_converged:
            warn(f"LogisticRegressionCV: {not_converged} of the path's fits did not converge. Increase "
                 f"max_iter, or scale the features (xpml.preprocessing.StandardScaler).", ConvergenceWarning)
        total = [[sum(run[r][1][c] for run in runs) for r in range(len(ratios))] for c in range(len(Cs))]
        flat = [v for row in total for v in row]  # (n_cs · n_l1_ratios,), C major: ties go to the first
        c, r = divmod(flat.index(max(flat)), len(ratios))
        if self.refit:
            start = sum(run[r][0][c] for run in runs) / len(folds)  # (K or 1, n_dof)
            coef = self._refit(X, y, weights, Cs[c], ratios[r], scaling, start)
            C, ratio = Cs[c], (given[r] if given is not None else None)
        else:
            best = [divmod(fold.index(max(fold)), len(ratios))
                    for fold in (self._fold_scores(run, len(ratios)) for run in runs)]  # per fold: its best (c, r)
            coef = sum(run[rb][0][cb] for run, (cb, rb) in zip(runs, best)) / len(folds)
            C = sum(Cs[cb] for cb, _ in best) / len(folds)
            ratio = sum(given[rb] for _, rb in best) / len(folds) if penalty == "elasticnet" else 0.0
        p = X.shape[1]
        self.coef_, self.intercept_ = coef[:, :p], (coef[:, p] if self.fit_intercept else self._xp.zeros_like(
            coef[:, 0]))
        self._set_path_attributes(runs, Cs, given, C, ratio, penalty, n_classes)
        return self

    # ---- the grid -----------------------------------------------------------------------------

    def _grid(self) -> list[float]:
        """The C values, increasing as given (an int: a log-spaced grid from 1e-4 to 1e4)."""
        if isinstance(self.Cs, Integral):
            n = int(self.Cs)
            return [10.0 ** (-4 + 8 * i / (n - 1)) if n > 1 else 1e-4 for i in range(n)]
        Cs = [float(v) for v in as_host(self.Cs, "Cs").reshape(-1).tolist()]
        if not Cs or any(not v > 0 for v in Cs):
            raise ValueError(f"Cs should hold one or more numbers > 0 (inf: no penalty); got {self.Cs!r}.")
        return Cs

    def _penalty_grid(self):
        """(penalty, l1_ratios as given or None, the L1 share ρ of each fit)."""
        given = None if isinstance(self.l1_ratios, str) or self.l1_ratios is None else [
            float(v) for v in as_host(self.l1_ratios, "l1_ratios").reshape(-1).tolist()]
        penalty = self.penalty
        if penalty == "deprecated":
            penalty = "l2" if given is None or all(v == 0 for v in given) else (
                "l1" if all(v == 1 for v in given) else "elasticnet")
        if penalty == "elasticnet" and (not given or any(not 0 <= v <= 1 for v in given)):
            raise ValueError(f"l1_ratios should be an array-like of numbers between 0 and 1 with the elastic-net "
                             f"penalty; got l1_ratios={self.l1_ratios!r}.")
        share = {"l2": lambda v: 0.0, "l1": lambda v: 1.0, "elasticnet": lambda v: v}[penalty]
        return penalty, given, [share(v) for v in (given if given is not None else [None])]

    # ---- one fold's path ----------------------------------------------------------------------

    def _path(self, X, y, labels, weights, scored, train, test, Cs, rho, scaling):
        """The path along Cs fitted on the rows `train`, each fit warm-started from the last, and scored on
        the rows `test`: (coefficients (K or 1, n_dof) per C, scores per C, iterations per C, how many of the
        fits did not converge)."""
        xp, backend = self._xp, self._backend
        rows, held = to_backend(train, backend), to_backend(test, backend)
        X_train, y_train = take_rows(X, rows, xp=xp), xp.take(y, rows)
        w_train = None if weights is None else xp.take(weights, rows)
        total = X_train.shape[0] if w_train is None else float(xp.sum(w_train))
        loss = LogisticLoss(xp, X_train, y_train, w_train, n_classes=len(self.classes_), l2=0.0,
                            fit_intercept=self.fit_intercept, intercept_scaling=scaling)
        theta = xp.zeros(loss.n_params(), dtype=X.dtype, device=X.device)
        X_test, y_test = take_rows(X, held, xp=xp), labels[as_host(test)]
        w_test = None if scored is None else xp.take(scored, held)
        scorer = self._scorer()
        coefs, scores, n_iter, not_converged = [], [], [], 0
        for C in Cs:
            l1, l2 = self._penalty_terms(C, rho, total)
            loss.l2 = l2
            result = self._solve(loss, theta, X_train, w_train, l1, l2, 1.0 if scaling is None else scaling)
            not_converged += not result.converged
            theta = result.x
            coefs.append(self._coefficients(loss, theta, scaling))
            scores.append(scorer(self._fitted_with(coefs[-1], X.shape[1]), X_test, y_test, sample_weight=w_test))
            n_iter.append(result.n_iter)
        return coefs, scores, n_iter, not_converged

    @staticmethod
    def _penalty_terms(C: float, rho: float, total: float) -> tuple[float, float]:
        """(l1, l2), the objective's penalties divided by C·S: ρ/(C·S) and (1 - ρ)/(C·S)."""
        lam = 1.0 / (C * total)  # C=inf: 0, no penalty
        return rho * lam, (1.0 - rho) * lam

    def _coefficients(self, loss, theta, scaling):
        """θ as rows [coef, intercept] (K or 1, n_dof), the intercept a·v in liblinear's form."""
        xp = self._xp
        coef, intercept = loss.unpack(theta)  # (p,), () or (K, p), (K,)
        coef, intercept = (coef[None, :], intercept[None]) if loss.binary else (coef, intercept)
        if not self.fit_intercept:
            return coef
        return xp.concat([coef, (intercept if scaling is None else scaling * intercept)[:, None]], axis=1)

    def _fitted_with(self, coef, p: int):
        """A copy of this model holding the coefficients `coef` (K or 1, n_dof), for the scorer."""
        model = copy.copy(self)
        vars(model).pop("feature_names_in_", None)  # the held-out rows are an array of the backend
        model.coef_ = coef[:, :p]
        model.intercept_ = coef[:, p] if self.fit_intercept else self._xp.zeros_like(coef[:, 0])
        return model

    def _scorer(self):
        return get_scorer("accuracy" if self.scoring in (None, "warn") else self.scoring)

    @staticmethod
    def _fold_scores(run, n_ratios: int) -> list[float]:
        """One fold's scores, flattened C major: (n_cs · n_l1_ratios,)."""
        return [run[r][1][c] for c in range(len(run[0][1])) for r in range(n_ratios)]

    def _refit(self, X, y, weights, C, rho, scaling, start):
        """Coefficients (K or 1, n_dof) fitted on all the data with (C, ρ), from `start` (the folds' mean)."""
        xp = self._xp
        total = X.shape[0] if weights is None else float(xp.sum(weights))
        l1, l2 = self._penalty_terms(C, rho, total)
        loss = LogisticLoss(xp, X, y, weights, n_classes=len(self.classes_), l2=l2,
                            fit_intercept=self.fit_intercept, intercept_scaling=scaling)
        if scaling is not None:  # θ holds liblinear's v, not a·v
            start = xp.concat([start[:, :-1], start[:, -1:] / scaling], axis=1)
        with one_host_thread(self._backend):  # as the folds' fits
            result = self._solve(loss, xp.reshape(start, (-1,)), X, weights, l1, l2,
                                 1.0 if scaling is None else scaling)
        if not result.converged:
            warn(f"LogisticRegressionCV's refit did not converge: {result.message}. Increase max_iter, or scale "
                 f"the features (xpml.preprocessing.StandardScaler).", ConvergenceWarning)
        return self._coefficients(loss, result.x, scaling)

    # ---- the fitted attributes ----------------------------------------------------------------

    def _set_path_attributes(self, runs, Cs, given, C, ratio, penalty, n_classes):
        xp = self._xp
        n_ratios = len(runs[0])
        # (n_folds, n_ratios, n_cs, K or 1, n_dof) and (n_folds, n_ratios, n_cs)
        paths = xp.stack([xp.stack([xp.stack(run[r][0]) for r in range(n_ratios)]) for run in runs])
        scores = host_array([[run[r][1] for r in range(n_ratios)] for run in runs], "float64")
        n_iter = host_array([[run[r][2] for r in range(n_ratios)] for run in runs], "int32")
        self.Cs_ = host_array(Cs, "float64")
        self.l1_ratios_ = host_array(given, "float64") if given is not None else host_array([None], "object")
        if self.use_legacy_attributes is False:
            self.C_ = float(C)
            self.l1_ratio_ = float(ratio) if ratio is not None else (1.0 if penalty == "l1" else 0.0)
            self.coefs_paths_, self.scores_, self.n_iter_ = paths, scores, n_iter
            return
        keys = self.classes_[1:] if n_classes == 2 else self.classes_
        legacy = xp.permute_dims(paths, (3, 0, 2, 1, 4))  # (K or 1, n_folds, n_cs, n_ratios, n_dof)
        scores, n_iter = scores.transpose(0, 2, 1), n_iter.transpose(0, 2, 1)[None]  # C before ρ
        if given is None:  # no l1_ratio axis
            legacy, scores, n_iter = legacy[:, :, :, 0, :], scores[:, :, 0], n_iter[..., 0]
        self.coefs_paths_ = {key: legacy[k, ...] for k, key in enumerate(keys)}
        self.scores_ = {key: scores.copy() for key in keys}
        self.n_iter_ = n_iter
        repeat = 1 if n_classes == 2 else n_classes
        self.C_ = host_array([C] * repeat, "float64")
        self.l1_ratio_ = host_array([ratio] * repeat, "object" if ratio is None else "float64")

    def score(self, X: Any, y: Any, *, sample_weight: Any = None, **score_params: Any) -> float:
        """The `scoring` of the model on (X, y): accuracy by default. xpml's scorers take no other parameters
        than sample_weight (scikit-learn's take them through its metadata routing)."""
        if score_params:
            raise TypeError(f"score got the parameters {sorted(score_params)}, which xpml's scorers do not take; "
                            f"only sample_weight is passed on.")
        return self._scorer()(self, X, y, sample_weight=sample_weight)
