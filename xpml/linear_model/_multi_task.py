"""MultiTaskLasso and MultiTaskElasticNet: several targets fitted at once, sharing their features.

They minimize, for Y of shape (n_samples, n_targets) (weights sᵢ optional, S = Σᵢ sᵢ),

    P(W) = 1/(2S) Σᵢ sᵢ ||yᵢ - Wxᵢ - b||²  +  α ρ Σⱼ ||W₍:,ⱼ₎||₂  +  α (1 - ρ)/2 ||W||²

with ρ = l1_ratio (1 for the lasso): the L1 penalty falls on the length of each feature's column of
coefficients (one per target), so that a feature is used by every target or by none, where Lasso and
ElasticNet fit each target alone. The solver is ElasticNet's (`_enet_solver.py`), its proximal step
shrinking each feature's coefficients by their length rather than one by one.

Reference: G. Obozinski, B. Taskar and M. Jordan, "Joint covariate selection and joint subspace selection
for multiple classification problems", Statistics and Computing 20 (2010).
"""

from __future__ import annotations

from numbers import Real
from typing import Any

from ..utils._param_validation import Interval
from ._elastic_net import _SHARED_CONSTRAINTS, _ElasticNetBase

__all__ = ["MultiTaskElasticNet", "MultiTaskLasso"]

_CONSTRAINTS = {name: rule for name, rule in _SHARED_CONSTRAINTS.items()
                if name not in ("precompute", "positive", "verbose")}

_PARAMETERS = """alpha : float, default=1.0
        The penalty strength, > 0.
    fit_intercept : bool, default=True
        Whether to fit the (unpenalized) intercepts.
    copy_X : bool, default=True
        Accepted for scikit-learn compatibility: xpml never writes into X.
    max_iter : int, default=1000
        The most FISTA iterations.
    tol : float, default=1e-4
        Stop when the duality gap is <= tol · ||Y - Ȳ||² / Σsᵢ (scikit-learn's criterion).
    warm_start : bool, default=False
        Start from the previous fit's coef_ (when its shape fits) instead of zeros.
    random_state : int, numpy.random.Generator or None, default=None
        Accepted for scikit-learn compatibility (FISTA draws no random numbers).
    selection : {"cyclic", "random"}, default="cyclic"
        The order of scikit-learn's coordinate descent: checked, without effect on the optimum.
    backend : str or Backend, optional
        Where to compute; None: the backend in force at fit.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in. By default floating input keeps its precision."""

_ATTRIBUTES = """coef_ : array of shape (n_targets, n_features)
    intercept_ : array of shape (n_targets,)
    sparse_coef_ : scipy.sparse CSR matrix of shape (n_targets, n_features)
        coef_ on the host, as a sparse matrix (a property; needs scipy).
    n_iter_ : int
        FISTA iterations run.
    dual_gap_ : float
        The duality gap of the mean objective P at the last check.
    eps_ : float
        The tolerance the gap was held to, scaled as scikit-learn's: tol · ||Y - Ȳ||² (weights summing to n).
    n_features_in_ : int"""


class _MultiTaskBase(_ElasticNetBase):
    _grouped = True
    # ElasticNet's options that the multi-task models do not take: fixed here, as ElasticNet's defaults
    precompute, positive, verbose = False, False, 0

    def fit(self, X: Any, y: Any, sample_weight: Any = None):
        """Fit the coefficients of every target at once, by FISTA until the duality gap is <= tol · ||Y - Ȳ||² / S.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        return super().fit(X, y, sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.single_output = False  # y of several columns only, as scikit-learn's multi-task models
        return tags


class MultiTaskElasticNet(_MultiTaskBase):
    __doc__ = f"""Several targets fitted at once with the multi-task L1 penalty (each feature's coefficients by their
    length) and an L2 penalty: the features are selected for all targets together.

    Parameters
    ----------
    {_PARAMETERS}
    l1_ratio : float, default=0.5
        The share of the L1 (multi-task) penalty, in [0, 1].

    Attributes
    ----------
    {_ATTRIBUTES}
    """

    _parameter_constraints = {**_CONSTRAINTS, "l1_ratio": [Interval(Real, 0, 1, closed="both")]}

    def __init__(self, alpha: float = 1.0, *, l1_ratio: float = 0.5, fit_intercept: bool = True, copy_X: bool = True,
                 max_iter: int = 1000, tol: float = 1e-4, warm_start: bool = False, random_state: Any = None,
                 selection: str = "cyclic", backend: Any = None, dtype: str | None = None):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.random_state = random_state
        self.selection = selection
        self.backend = backend
        self.dtype = dtype

    def _l1_ratio(self) -> float:
        return float(self.l1_ratio)


class MultiTaskLasso(_MultiTaskBase):
    __doc__ = f"""Several targets fitted at once with the multi-task L1 penalty: each feature's coefficients, one per
    target, are shrunk by their length, so that a feature is used by every target or by none.

    Parameters
    ----------
    {_PARAMETERS}

    Attributes
    ----------
    {_ATTRIBUTES}
    """

    _parameter_constraints = _CONSTRAINTS

    def __init__(self, alpha: float = 1.0, *, fit_intercept: bool = True, copy_X: bool = True, max_iter: int = 1000,
                 tol: float = 1e-4, warm_start: bool = False, random_state: Any = None, selection: str = "cyclic",
                 backend: Any = None, dtype: str | None = None):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.random_state = random_state
        self.selection = selection
        self.backend = backend
        self.dtype = dtype

    def _l1_ratio(self) -> float:
        return 1.0
