"""Linear support vector classification: the maximum-margin linear classifier, one-vs-rest.

For two classes with labels sᵢ ∈ {-1, +1}, LinearSVC finds the weights w and intercept b that minimize

    ½‖w‖² + ½(b/a)² + C Σᵢ ωᵢ L(sᵢ (xᵢ·w + b)),     L(z) = max(0, 1 - z) or max(0, 1 - z)²,

the objective of LIBLINEAR (and so of scikit-learn's LinearSVC): the intercept is the weight of a
constant feature a = intercept_scaling, penalized like the others (a larger a penalizes it less),
and ω are sample weights. Points beyond the margin (s (x·w + b) >= 1) cost nothing; the penalty
½‖w‖² widens the margin, whose width is 2/‖w‖. With more than two classes, one classifier per
class separates it from the rest, and the class with the highest score wins.

`_solver.py` minimizes it with the shared L-BFGS (`xpml.optim.lbfgs`), directly for the squared
hinge and by proximal-point rounds on a smoothed hinge for the hinge, and stops on the duality gap.

References: Cortes & Vapnik, "Support-vector networks", Machine Learning 20, 1995; Fan, Chang, Hsieh,
Wang & Lin, "LIBLINEAR: a library for large linear classification", JMLR 9, 2008.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, ClassifierMixin
from ..exceptions import ConvergenceWarning
from ..linear_model._base import LinearClassifierMixin
from ..utils._param_validation import Interval, Options
from ..utils._warnings import warn
from ..utils.validation import check_sample_weight
from ._solver import solve

__all__ = ["LinearSVC"]

class LinearSVC(LinearClassifierMixin, ClassifierMixin, BaseEstimator):
    """Linear support vector classifier (one-vs-rest for several classes).

    Parameters
    ----------
    loss : {"squared_hinge", "hinge"}, default="squared_hinge"
        The loss of a margin z: max(0, 1 - z)² or max(0, 1 - z).
    C : float, default=1.0
        The weight of the losses against the penalty ½‖w‖²: larger C, less regularization.
    fit_intercept : bool, default=True
        Learn an intercept (penalized, through `intercept_scaling`).
    intercept_scaling : float, default=1.0
        The value a of the constant feature whose weight v gives the intercept b = a v. The penalty
        on the intercept is ½ (b / a)²: a larger a penalizes it less.
    tol : float, default=1e-4
        Squared hinge: stop when the largest gradient entry is <= tol times its value at the start
        (as LIBLINEAR's primal solver). Hinge: stop when the relative duality gap (primal - dual) /
        primal is <= tol: the objective is then within a fraction tol of its minimum.
    max_iter : int, default=1000
        The most L-BFGS iterations, over all rounds.
    verbose : int, default=0
        Print the progress of L-BFGS if > 0.
    backend : str or Backend, optional
        Where to compute ("numpy", "cupy", "torch", "jax", ..., optionally with a device). None uses
        the backend in force at fit time.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in. By default floating input keeps its precision.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : array of shape (1, n_features) for two classes, else (n_classes, n_features)
    intercept_ : array of shape (1,) or (n_classes,)
    n_iter_ : int
        L-BFGS iterations made.
    duality_gap_ : float
        (primal - dual) / primal at the solution: an upper bound on its relative distance from the
        minimum of the objective.
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.svm import LinearSVC
    >>> model = LinearSVC().fit([[0.0, 0.0], [0.0, 1.0], [2.0, 0.0], [2.0, 1.0]], [0, 0, 1, 1])
    >>> model.predict([[0.2, 0.5], [1.8, 0.5]]).tolist()
    [0, 1]
    """

    _parameter_constraints = {
        "loss": [Options({"squared_hinge", "hinge"})],
        "C": [Interval(Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "intercept_scaling": [Interval(Real, 0, None, closed="neither")],
        "tol": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "verbose": [Interval(Integral, 0, None, closed="left"), "boolean"],
        **BACKEND_CONSTRAINTS,
    }

    def __init__(self, *, loss: str = "squared_hinge", C: float = 1.0, fit_intercept: bool = True,
                 intercept_scaling: float = 1.0, tol: float = 1e-4, max_iter: int = 1000, verbose: int = 0,
                 backend: Any = None, dtype: str | None = None):
        self.loss = loss
        self.C = C
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.tol = tol
        self.max_iter = max_iter
        self.verbose = verbose
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LinearSVC:
        """Fit the classifier(s) by minimizing the primal objective.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Labels of any type.
        sample_weight : array-like of shape (n_samples,), optional
            Per-sample multipliers of C.

        Returns
        -------
        self
        """
        X, y_index = self._validate_labels(X, y)
        xp = self._xp
        n, p = X.shape
        K = 1 if len(self.classes_) == 2 else len(self.classes_)
        first = 1 if K == 1 else 0  # two classes: one problem, classes_[1] is the positive one
        classes = xp.arange(first, first + K, dtype=y_index.dtype, device=y_index.device)  # (K,)
        signs = 2 * xp.astype(y_index[:, None] == classes, X.dtype) - 1  # (n, K): +1 for the class, -1 for the rest
        c = self.C * check_sample_weight(sample_weight, self._backend, n_samples=n, dtype=self._dtype)  # (n,)
        a = float(self.intercept_scaling) if self.fit_intercept else None
        theta, self.n_iter_, converged, self.duality_gap_ = solve(
            xp, X, signs, c, a, self.loss, tol=self.tol, max_iter=self.max_iter, verbose=self.verbose)
        if not converged:
            warn(f"LinearSVC did not converge in max_iter={self.max_iter} iterations (relative duality "
                 f"gap {self.duality_gap_:.2g}, tol={self.tol}). Increase max_iter or scale the features.",
                 ConvergenceWarning)
        self.coef_ = xp.reshape(theta[:K * p], (K, p))
        self.intercept_ = a * theta[K * p:] if self.fit_intercept else xp.zeros(K, dtype=X.dtype, device=X.device)
        return self
