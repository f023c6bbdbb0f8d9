"""RidgeCV: ridge regression with its penalty α chosen by cross-validation.

By default (cv=None) the choice is by leave-one-out cross-validation, computed without a refit: one
decomposition of the centred, weighted X (the eigendecomposition of XXᵀ or XᵀX, or the SVD of X) gives
every sample's held-out residual for every α of the grid (`_ridge_gcv`; Golub, Heath and Wahba's
generalized cross-validation in its exact, per-sample form). The α of the lowest mean squared held-out
error (or the highest `scoring` of the held-out predictions) wins, for all targets together or, with
`alpha_per_target`, for each target on its own; the coefficients for it come from the same decomposition.

With `cv` given, Ridge is fitted on each fold for each α by GridSearchCV, as scikit-learn does, and
refitted on all the data with the best one.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, RegressorMixin
from ..utils._host import as_host, host_array
from ..utils._param_validation import Interval, Options
from ..utils.validation import check_sample_weight
from ._base import LinearModel, center_data
from ._ridge import Ridge, ridge_coef
from ._ridge_gcv import decompose, loo_residuals, spectral_coef

__all__ = ["RidgeCV"]


class _IdentityRegressor:
    """Stands for a regressor whose predictions are its input: scores the held-out predictions with a scorer."""

    def predict(self, predictions):
        return predictions


class _BaseRidgeCV(LinearModel):
    """What RidgeCV and RidgeClassifierCV share: the leave-one-out search and the grid search over folds."""

    _parameter_constraints = {
        "alphas": [Interval(Real, 0, None, closed="neither"), "array-like"],
        "fit_intercept": ["boolean"],
        "scoring": ["str", "callable", None],
        "store_cv_results": ["boolean"],
        **BACKEND_CONSTRAINTS,
    }

    def _alpha_values(self) -> list[float]:
        """`alphas` as a list of floats, each finite and > 0 (>= 0 with cv given: no leave-one-out shortcut at 0)."""
        values = as_host(self.alphas, "alphas")
        if values.dtype.kind not in "iuf" or values.ndim > 1 or values.size == 0:
            raise TypeError(f"alphas should be a number or a non-empty 1-D array of numbers; got {self.alphas!r}.")
        alphas = [float(a) for a in values.reshape(-1).tolist()]
        for i, alpha in enumerate(alphas):
            if not (alpha - alpha == 0 and (alpha > 0 or (alpha == 0 and self.cv is not None))):
                rule = "> 0 (the leave-one-out of cv=None needs a penalty)" if self.cv is None else ">= 0"
                raise ValueError(f"alphas[{i}]={alpha!r} should be finite and {rule}.")
        return alphas

    def _scorer(self):
        from ..metrics import get_scorer

        return None if self.scoring is None else get_scorer(self.scoring)

    def _fit_leave_one_out(self, X, y, sample_weight, score_params: dict) -> None:
        """Choose α by leave-one-out on X (n, p) and the numeric targets y (n,) or (n, t), and set alpha_,
        best_score_, coef_, intercept_ (and cv_results_). The work is in float64 where the backend has it
        (as scikit-learn's), the results in the dtype of the fit."""
        xp, backend, scorer = self._xp, self._backend, self._scorer()
        wide = "float64" if backend.has_float64 else self._dtype
        X, y = xp.astype(X, getattr(xp, wide)), xp.astype(y, getattr(xp, wide))
        Y = y[:, None] if y.ndim == 1 else y  # (n, t)
        w = check_sample_weight(sample_weight, backend, n_samples=X.shape[0], dtype=wide)  # (n,)
        A, Ys, X_offset, y_offset = center_data(xp, X, Y, w, self.fit_intercept)
        root_w = xp.sqrt(w)  # (n,)
        s = root_w if self.fit_intercept else None
        spectrum = decompose(xp, A, Ys, s, "svd" if self.gcv_mode == "svd" else "eigen")
        alphas = self._alpha_values()
        per_target = self.alpha_per_target and y.ndim == 2
        weights = None if sample_weight is None else w
        scores, kept = [], []
        for alpha in alphas:
            looe = loo_residuals(xp, spectrum, Ys, s, alpha)  # (n, t), scaled by √w
            if scorer is None:  # minus the mean squared (weighted) held-out error
                result = looe * looe
                scores.append(-xp.mean(result, axis=0) if per_target else -xp.mean(result))
            else:  # the held-out predictions, in the units of y
                result = (Ys - looe) / root_w[:, None] + y_offset  # (n, t)
                scores.append(self._score_predictions(scorer, result, y, weights, per_target, score_params))
            if self.store_cv_results:
                kept.append(result if y.ndim == 2 else result[:, 0])
        table = as_host(xp.stack(scores)) if scorer is None else host_array(scores)  # (n_alphas,) or (n_alphas, t)
        best = table.argmax(axis=0)  # the first of the best: index, or one per target
        chosen = [alphas[i] for i in best.tolist()] if per_target else [alphas[int(best)]] * Y.shape[1]
        W = spectral_coef(spectrum, self._to_backend(host_array(chosen), wide))  # (p, t)
        coef, intercept = ridge_coef(W, X_offset, y_offset, y.ndim == 1)
        self.coef_, self.intercept_ = xp.astype(coef, getattr(xp, self._dtype)), xp.astype(intercept, coef.dtype)
        if per_target:
            self.best_score_ = self._to_backend(table.max(axis=0), wide)  # (t,)
            self.alpha_ = self._to_backend(host_array(chosen), wide) if Y.shape[1] > 1 else chosen[0]
        else:
            self.alpha_, self.best_score_ = chosen[0], float(table[int(best)])
        if self.store_cv_results:  # (n, n_alphas) or (n, t, n_alphas)
            self.cv_results_ = xp.astype(xp.stack(kept, axis=-1), getattr(xp, self._dtype))

    def _score_predictions(self, scorer, predictions, y, sample_weight, per_target: bool, params: dict):
        """The score of the held-out predictions (n, t) of the targets y: one float, or one per target."""
        identity, weighted = _IdentityRegressor(), {**params, **({} if sample_weight is None else
                                                                 {"sample_weight": sample_weight})}
        if per_target:
            return [scorer(identity, predictions[:, j], y[:, j], **weighted) for j in range(y.shape[1])]
        return scorer(identity, predictions if y.ndim == 2 else predictions[:, 0], y, **weighted)

    def _fit_grid(self, estimator, X, y, sample_weight, params: dict) -> None:
        """Choose α by GridSearchCV of `estimator` over the folds of `cv`; set alpha_, best_score_, coef_ and
        intercept_ from the refit on all the data."""
        from ..model_selection import GridSearchCV

        for name in ("store_cv_results", "alpha_per_target"):
            if getattr(self, name):
                raise ValueError(f"{name}=True needs cv=None (the leave-one-out); got cv={self.cv!r}.")
        search = GridSearchCV(estimator, {"alpha": self._alpha_values()}, cv=self.cv, scoring=self.scoring)
        weighted = {**params, **({} if sample_weight is None else {"sample_weight": sample_weight})}
        search.fit(X, y, **weighted)
        best = search.best_estimator_
        self.alpha_, self.best_score_ = float(best.alpha), float(search.best_score_)
        self.coef_, self.intercept_ = best.coef_, best.intercept_

    def _checked_weights(self, sample_weight, n_samples: int):
        """sample_weight (a number or (n_samples,)) checked, on the backend; None stays None."""
        if sample_weight is None:
            return None
        return check_sample_weight(sample_weight, self._backend, n_samples=n_samples, dtype=self._dtype)

    def _check_fit_arguments(self, params: dict) -> None:
        """alphas, and the keyword arguments of fit, checked before any work."""
        self._alpha_values()
        if params and self.cv is None and self.scoring is None:
            raise TypeError(f"fit got {sorted(params)}, which go to the scorer (cv=None) or to the splitter's split "
                            f"(cv given); with cv=None and scoring=None there is neither.")


_PARAMETERS = """alphas : float or array-like of shape (n_alphas,), default=(0.1, 1.0, 10.0)
        The penalties to try: each > 0 (>= 0 with cv given).
    fit_intercept : bool, default=True
    scoring : str, callable or None, default=None
        How the held-out predictions are scored (greater is better): a scorer's name (`xpml.metrics.get_scorer`)
        or a callable `scorer(estimator, X, y)`. None: with cv=None, minus the mean squared held-out error
        (weighted by sample_weight); with cv given, the estimator's `score`."""

_CV = """cv : int, splitter, iterable of (train, test) pairs or None, default=None
        None: efficient leave-one-out cross-validation. Otherwise the folds of a GridSearchCV over alphas."""

_STORE = """store_cv_results : bool, default=False
        Keep every sample's held-out result for every α in `cv_results_` (cv=None only)."""


class RidgeCV(_BaseRidgeCV, RegressorMixin, BaseEstimator):
    __doc__ = f"""Ridge regression with its penalty chosen by cross-validation (efficient leave-one-out by default).

    Parameters
    ----------
    {_PARAMETERS}
    {_CV}
    gcv_mode : {{"auto", "svd", "eigen"}} or None, default=None
        The leave-one-out's decomposition: "svd" of X, or "eigen" (None and "auto" too) of XXᵀ when n_samples <=
        n_features, else of XᵀX. All give the same results to rounding.
    {_STORE}
    alpha_per_target : bool, default=False
        With several targets, choose an α for each (cv=None only).
    backend : str or Backend, optional
        Where to compute; None: the backend in force at fit.
    dtype : {{"float32", "float64"}}, optional
        The dtype of the fit. The leave-one-out computes in float64 where the backend has it, as scikit-learn's.

    Attributes
    ----------
    alpha_ : float, or array of shape (n_targets,) with alpha_per_target
    best_score_ : float, or array of shape (n_targets,) with alpha_per_target
        The score of the chosen α (cv=None, scoring=None: minus its mean squared held-out error).
    cv_results_ : array of shape (n_samples, n_alphas) or (n_samples, n_targets, n_alphas)
        With store_cv_results: the squared held-out errors (scoring=None; scaled by the sample weights) or
        the held-out predictions.
    coef_ : array of shape (n_features,) or (n_targets, n_features)
    intercept_ : array of shape () or (n_targets,)
    n_features_in_ : int

    Notes
    -----
    Sparse X is made dense (with a warning, up to `DENSE_LIMIT` entries). With cv given, sample_weight weighs the
    fits and the folds' scores (GridSearchCV's, as scikit-learn 1.9's).

    Examples
    --------
    >>> from xpml.linear_model import RidgeCV
    >>> model = RidgeCV(alphas=[0.1, 1.0, 10.0]).fit([[0.0], [1.0], [2.0], [3.0]], [0.1, 0.9, 2.1, 2.9])
    >>> model.alpha_
    0.1
    """

    _multi_output = True
    _parameter_constraints = {
        **_BaseRidgeCV._parameter_constraints,
        "gcv_mode": [Options({"auto", "svd", "eigen"}), None],
        "alpha_per_target": ["boolean"],
    }

    def __init__(self, alphas: Any = (0.1, 1.0, 10.0), *, fit_intercept: bool = True, scoring: Any = None,
                 cv: Any = None, gcv_mode: str | None = None, store_cv_results: bool = False,
                 alpha_per_target: bool = False, backend: Any = None, dtype: str | None = None):
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.scoring = scoring
        self.cv = cv
        self.gcv_mode = gcv_mode
        self.store_cv_results = store_cv_results
        self.alpha_per_target = alpha_per_target
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None, **params: Any) -> RidgeCV:
        """Choose alpha by cross-validation and fit Ridge with it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : float or array-like of shape (n_samples,), optional
            Weighs the fits and, with cv=None, the held-out errors (and the scorer).
        **params
            With cv=None, passed to the scorer; with cv given, `groups` goes to the splitter's split.

        Returns
        -------
        self
        """
        X, y = self._validate_data(X, y)
        w = self._checked_weights(sample_weight, X.shape[0])
        self._check_fit_arguments(params)
        if self.cv is None:
            self._fit_leave_one_out(X, y, w, params)
        else:
            ridge = Ridge(fit_intercept=self.fit_intercept, backend=self._backend, dtype=self._dtype)
            self._fit_grid(ridge, X, y, w, params)
        return self
