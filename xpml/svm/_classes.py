"""Linear support vector classification: the maximum-margin linear classifier, one-vs-rest.

For two classes with labels sᵢ ∈ {-1, +1}, LinearSVC finds the weights w and intercept b that minimize

    ½‖w‖² + ½(b/a)² + C Σᵢ ωᵢ L(sᵢ (xᵢ·w + b)),     L(z) = max(0, 1 - z) or max(0, 1 - z)²,

the objective of LIBLINEAR (and so of scikit-learn's LinearSVC): the intercept is the weight of a
constant feature a = intercept_scaling, penalized like the others (a larger a penalizes it less),
and ω are sample weights. Points beyond the margin (s (x·w + b) >= 1) cost nothing; the penalty
½‖w‖² widens the margin, whose width is 2/‖w‖. With more than two classes, one classifier per
class separates it from the rest, and the class with the highest score wins.

`_solver.py` minimizes it with the shared L-BFGS (`xpml.optim.lbfgs`), directly for the squared
hinge and by proximal-point rounds on a smoothed hinge for the hinge, and stops on the duality gap;
LinearSVR (`_linear_svr.py`) shares it.

References: Cortes & Vapnik, "Support-vector networks", Machine Learning 20, 1995; Fan, Chang, Hsieh,
Wang & Lin, "LIBLINEAR: a library for large linear classification", JMLR 9, 2008.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, ClassifierMixin
from ..exceptions import ConvergenceWarning
from ..linear_model._base import LinearClassifierMixin
from ..utils._class_weight import compute_class_weight
from ..utils._param_validation import Interval, Options
from ..utils._warnings import warn
from ..utils.validation import check_sample_weight
from ._solver import solve, solve_l1

__all__ = ["LinearSVC"]

class LinearSVC(LinearClassifierMixin, ClassifierMixin, BaseEstimator):
    """Linear support vector classifier (one-vs-rest for several classes).

    Parameters
    ----------
    penalty : {"l2", "l1"}, default="l2"
        The penalty on the weights: ½‖w‖², or ‖w‖₁ (sparse weights; with the squared hinge and
        dual=False only, as in scikit-learn, and the intercept's weight penalized like the others,
        as in LIBLINEAR).
    loss : {"squared_hinge", "hinge"}, default="squared_hinge"
        The loss of a margin z: max(0, 1 - z)² or max(0, 1 - z).
    dual : "auto" or bool, default="auto"
        Whether LIBLINEAR solves the dual or the primal problem. Both have the same optimum, which
        xpml reaches from the primal; the value is checked as scikit-learn does (penalty="l1"
        needs dual=False or "auto", loss="hinge" needs dual=True or "auto").
    tol : float, default=1e-4
        Squared hinge: stop when the largest gradient entry (with penalty="l1", the largest entry of
        the proximal gradient mapping) is <= tol times its value at the start (as LIBLINEAR's primal
        solver). Hinge: stop when the relative duality gap (primal - dual) / primal is <= tol: the
        objective is then within a fraction tol of its minimum.
    C : float, default=1.0
        The weight of the losses against the penalty: larger C, less regularization.
    multi_class : {"ovr"}, default="ovr"
        One-vs-rest for more than two classes. scikit-learn's "crammer_singer" (a joint multiclass
        objective) is not implemented in xpml and raises ValueError.
    fit_intercept : bool, default=True
        Learn an intercept (penalized, through `intercept_scaling`).
    intercept_scaling : float, default=1
        The value a of the constant feature whose weight v gives the intercept b = a v. The penalty
        on the intercept is ½ (b / a)²: a larger a penalizes it less.
    class_weight : dict, "balanced" or None, default=None
        Multiplies C for the samples of a class: {label: weight}, or "balanced" for n_samples /
        (n_classes · count). With more than two classes, as in LIBLINEAR, a class's weight applies
        to its samples in its own one-vs-rest problem; the rest weigh 1 there.
    verbose : int, default=0
        Print the progress of the solver if > 0.
    random_state : int, numpy.random.Generator or None, default=None
        Accepted for scikit-learn compatibility: it shuffles LIBLINEAR's dual coordinate descent;
        xpml's solvers draw no random numbers.
    max_iter : int, default=1000
        The most L-BFGS (or FISTA) iterations, over all rounds.
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
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.svm import LinearSVC
    >>> model = LinearSVC().fit([[0.0, 0.0], [0.0, 1.0], [2.0, 0.0], [2.0, 1.0]], [0, 0, 1, 1])
    >>> model.predict([[0.2, 0.5], [1.8, 0.5]]).tolist()
    [0, 1]
    """

    _parameter_constraints = {
        "penalty": [Options({"l1", "l2"})],
        "loss": [Options({"squared_hinge", "hinge"})],
        "dual": ["boolean", Options({"auto"})],
        "tol": [Interval(Real, 0, None, closed="neither")],
        "C": [Interval(Real, 0, None, closed="neither")],
        "multi_class": [Options({"ovr", "crammer_singer"})],
        "fit_intercept": ["boolean"],
        "intercept_scaling": [Interval(Real, 0, None, closed="neither")],
        "class_weight": [None, "dict", Options({"balanced"})],
        "verbose": [Interval(Integral, 0, None, closed="left"), "boolean"],
        "random_state": ["random_state"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        **BACKEND_CONSTRAINTS,
    }

    _accepts_sparse = True  # the solvers read X through X @ W and Xᵀ R

    def __init__(self, penalty: str = "l2", loss: str = "squared_hinge", *, dual: Any = "auto", tol: float = 1e-4,
                 C: float = 1.0, multi_class: str = "ovr", fit_intercept: bool = True, intercept_scaling: float = 1,
                 class_weight: Any = None, verbose: int = 0, random_state: Any = None, max_iter: int = 1000,
                 backend: Any = None, dtype: str | None = None):
        self.penalty = penalty
        self.loss = loss
        self.dual = dual
        self.tol = tol
        self.C = C
        self.multi_class = multi_class
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.class_weight = class_weight
        self.verbose = verbose
        self.random_state = random_state
        self.max_iter = max_iter
        self.backend = backend
        self.dtype = dtype

    def _check_combination(self) -> None:
        """The combinations LIBLINEAR (so scikit-learn) supports, and those xpml does."""
        if self.penalty == "l1" and self.loss == "hinge":
            raise ValueError("penalty='l1' is not supported with loss='hinge'; use loss='squared_hinge'.")
        if self.penalty == "l1" and self.dual is True:
            raise ValueError("penalty='l1' with loss='squared_hinge' needs dual=False (or 'auto').")
        if self.loss == "hinge" and self.dual is False:
            raise ValueError("loss='hinge' with penalty='l2' needs dual=True (or 'auto').")
        if self.multi_class == "crammer_singer":
            raise ValueError("multi_class='crammer_singer' is not implemented in xpml; use multi_class='ovr'.")

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
        self._check_combination()
        xp = self._xp
        n, p = X.shape
        K = 1 if len(self.classes_) == 2 else len(self.classes_)
        first = 1 if K == 1 else 0  # two classes: one problem, classes_[1] is the positive one
        classes = xp.arange(first, first + K, dtype=y_index.dtype, device=y_index.device)  # (K,)
        signs = 2 * xp.astype(y_index[:, None] == classes, X.dtype) - 1  # (n, K): +1 for the class, -1 for the rest
        c = self.C * check_sample_weight(sample_weight, self._backend, n_samples=n, dtype=self._dtype)  # (n,)
        c = c[:, None] * self._class_weights(y_index, signs)  # (n, K)
        a = float(self.intercept_scaling) if self.fit_intercept else None
        if self.penalty == "l1":
            theta, self.n_iter_, converged = solve_l1(xp, X, signs, c, a, tol=self.tol, max_iter=self.max_iter,
                                                      verbose=self.verbose)
            self._duality_gap = None
        else:
            theta, self.n_iter_, converged, self._duality_gap = solve(
                xp, X, signs, c, a, squared=self.loss == "squared_hinge", tol=self.tol, max_iter=self.max_iter,
                verbose=self.verbose)
        if not converged:
            gap = "" if self._duality_gap is None else f"relative duality gap {self._duality_gap:.2g}, "
            warn(f"LinearSVC did not converge in max_iter={self.max_iter} iterations ({gap}tol={self.tol}). "
                 f"Increase max_iter or scale the features.", ConvergenceWarning)
        self.coef_ = xp.reshape(theta[:K * p], (K, p))
        self.intercept_ = a * theta[K * p:] if self.fit_intercept else xp.zeros(K, dtype=X.dtype, device=X.device)
        return self

    def _class_weights(self, y_index, signs):
        """The class weights as multipliers of C, (n, K): each sample's class weight (two classes), or
        in problem k the weight of class k for its samples and 1 for the rest (LIBLINEAR's one-vs-rest)."""
        xp = self._xp
        if self.class_weight is None:
            return xp.ones(signs.shape, dtype=signs.dtype, device=signs.device)
        per_class = self._to_backend(compute_class_weight(self.class_weight, classes=self.classes_,
                                                          y_indices=y_index), self._dtype)  # (n_classes,)
        of_sample = xp.take(per_class, y_index)[:, None]  # (n, 1)
        return xp.broadcast_to(of_sample, signs.shape) if signs.shape[1] == 1 else xp.where(signs > 0, of_sample, 1.0)
