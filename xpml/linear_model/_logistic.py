"""Logistic regression: binary (sigmoid) and multinomial (softmax) classification with an L2 penalty.

The model gives each class k a score zₖ = x·wₖ + bₖ and turns the scores into probabilities,
P(y = k | x) = softmax(z)ₖ. With two classes one score suffices: P(y = classes_[1] | x) = σ(x·w + b).
Fitting minimizes scikit-learn's objective, C Σᵢ sᵢ ℓᵢ + ||w||²/2 (ℓ the cross-entropy, sᵢ the
sample weight times the class weight, the intercept not penalized), divided by C·Σᵢ sᵢ so that
`tol` does not depend on the number of samples (`LogisticLoss`).

Solvers (both from `xpml.optim`, started from zero):

- "lbfgs": L-BFGS with a strong-Wolfe line search; stops when max|∇| <= tol, or when the relative
  decrease of the loss falls below 64 machine epsilons (scikit-learn's settings for scipy);
- "gd": gradient descent with Nesterov momentum 0.9; `learning_rate="auto"` is 1/L for an upper
  bound L of the loss's curvature, κ·λ_max(X̃ᵀDX̃) + 1/(C·S), with X̃ = [X, 1], D the normalized
  weights, κ = 1/4 (binary) or 1/2 (softmax); stops when max|∇| <= tol.

Reference: T. Hastie, R. Tibshirani and J. Friedman, The Elements of Statistical Learning (2nd ed.),
section 4.4; J. Nocedal and S. J. Wright, Numerical Optimization (2nd ed.), chapter 7.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, ClassifierMixin
from ..exceptions import ConvergenceWarning
from ..optim import gradient_descent, lbfgs
from ..utils._class_weight import compute_class_weight
from ..utils._linalg import max_eigenvalue_of_gram
from ..utils._param_validation import Interval, Options
from ..utils._special import log_sigmoid, log_softmax, sigmoid, softmax
from ..utils._warnings import warn
from ..utils.validation import check_sample_weight
from ._base import LinearClassifierMixin
from ._loss import LogisticLoss

__all__ = ["LogisticRegression"]


class LogisticRegression(LinearClassifierMixin, ClassifierMixin, BaseEstimator):
    """Logistic regression (a.k.a. logit, maximum-entropy classifier), binary or multinomial.

    Parameters
    ----------
    penalty : {"l2", None}, default="l2"
        The penalty on the coefficients: ||w||²/2, or none (C is then ignored).
    C : float, default=1.0
        The inverse of the penalty strength, > 0; smaller is stronger. C=inf is no penalty.
    fit_intercept : bool, default=True
        Whether to fit an (unpenalized) intercept per class.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplying the sample weights: {label: weight}, or "balanced" for
        weights inversely proportional to the classes' total sample weight.
    solver : {"lbfgs", "gd"}, default="lbfgs"
        L-BFGS, or gradient descent with Nesterov momentum.
    max_iter : int, default=100
        The most iterations of the solver.
    tol : float, default=1e-4
        Stop when the largest absolute entry of the objective's gradient is <= tol.
    learning_rate : "auto" or float, default="auto"
        The step of the "gd" solver; "auto" is 1/L for a bound L on the curvature of the objective.
    verbose : int, default=0
        Print the solver's progress if > 0.
    backend : str or Backend, optional
        Where to compute ("numpy", "cupy", "torch", "jax", ...); None: the backend in force at fit.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in. By default floating input keeps its precision.

    Attributes
    ----------
    classes_ : numpy array of shape (n_classes,)
        The sorted labels.
    coef_ : array of shape (1, n_features) for two classes, else (n_classes, n_features)
    intercept_ : array of shape (1,) or (n_classes,)
    n_iter_ : int
        Iterations the solver ran.
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.linear_model import LogisticRegression
    >>> model = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], ["no", "no", "yes", "yes"])
    >>> model.predict([[0.2], [2.8]]).tolist()
    ['no', 'yes']
    """

    _parameter_constraints = {
        "penalty": [Options({"l2"}), None],
        "C": [Interval(Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "class_weight": [None, "dict", Options({"balanced"})],
        "solver": [Options({"lbfgs", "gd"})],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "learning_rate": [Options({"auto"}), Interval(Real, 0, None, closed="neither")],
        "verbose": [Interval(Integral, 0, None, closed="left"), "boolean"],
        **BACKEND_CONSTRAINTS,
    }

    def __init__(self, *, penalty: str | None = "l2", C: float = 1.0, fit_intercept: bool = True,
                 class_weight: Any = None, solver: str = "lbfgs", max_iter: int = 100, tol: float = 1e-4,
                 learning_rate: Any = "auto", verbose: int = 0, backend: Any = None, dtype: str | None = None):
        self.penalty = penalty
        self.C = C
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol
        self.learning_rate = learning_rate
        self.verbose = verbose
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LogisticRegression:
        """Fit the coefficients by minimizing the penalized cross-entropy.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Labels of any type (numbers, strings, ...); at least two classes.
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        X, y = self._validate_labels(X, y)
        xp, n_classes = self._xp, len(self.classes_)
        weights = self._weights(y, sample_weight)  # (n,) or None
        total = X.shape[0] if weights is None else float(xp.sum(weights))
        l2 = 0.0 if self.penalty is None else 1.0 / (self.C * total)
        loss = LogisticLoss(xp, X, y, weights, n_classes=n_classes, fit_intercept=self.fit_intercept, l2=l2)
        theta0 = xp.zeros(loss.n_params(), dtype=X.dtype, device=X.device)
        if self.solver == "lbfgs":
            result = lbfgs(loss, theta0, max_iter=self.max_iter, tol=self.tol, verbose=self.verbose)
        else:
            result = gradient_descent(loss, theta0, learning_rate=self._step(X, weights, loss.binary, l2),
                                      momentum=0.9, nesterov=True, max_iter=self.max_iter, tol=self.tol,
                                      verbose=self.verbose)
        if not result.converged:
            warn(
                f"LogisticRegression (solver={self.solver!r}) did not converge: {result.message}. Increase "
                f"max_iter, or scale the features (xpml.preprocessing.StandardScaler).",
                ConvergenceWarning,
            )
        self.n_iter_ = result.n_iter
        coef, intercept = loss.unpack(result.x)  # (p,), () or (K, p), (K,)
        self.coef_ = coef[None, :] if loss.binary else coef
        self.intercept_ = intercept[None] if loss.binary else intercept
        return self

    def _weights(self, y, sample_weight):
        """Each sample's weight, sample_weight times its class's weight, on the backend; None if all 1."""
        if sample_weight is None and self.class_weight is None:
            return None
        xp = self._xp
        w = check_sample_weight(sample_weight, self._backend, n_samples=y.shape[0], dtype=self._dtype)
        if self.class_weight is None:
            return w
        per_class = compute_class_weight(self.class_weight, classes=self.classes_, y_indices=y,
                                         sample_weight=w if sample_weight is not None else None)  # (K,)
        return w * xp.take(self._to_backend(per_class, dtype=self._dtype), y)

    def _step(self, X, weights, binary: bool, l2: float) -> float:
        """The "gd" learning rate: the given one, or 1/L for a bound L on the objective's curvature."""
        if self.learning_rate != "auto":
            return float(self.learning_rate)
        xp, n = self._xp, X.shape[0]
        if self.fit_intercept:
            X = xp.concat([X, xp.ones((n, 1), dtype=X.dtype, device=X.device)], axis=1)  # (n, p+1)
        if weights is None:
            weights = xp.ones(n, dtype=X.dtype, device=X.device)
        root_w = xp.sqrt(weights / xp.sum(weights))  # (n,)
        kappa = 0.25 if binary else 0.5  # the largest curvature of the sigmoid / softmax cross-entropy
        return 1.0 / (kappa * max_eigenvalue_of_gram(X * root_w[:, None], xp=xp) + l2)

    # ---- probabilities (decision_function and predict: LinearClassifierMixin) ------------------

    def _proba(self, Z):
        """Scores (n, 1) or (n, K) -> P(class | x), (n, n_classes): sigmoid, or softmax."""
        xp = self._xp
        return xp.concat([sigmoid(-Z, xp=xp), sigmoid(Z, xp=xp)], axis=1) if Z.shape[1] == 1 else softmax(Z, xp=xp)

    def _log_proba(self, Z):
        """The log of `_proba`, computed without taking the log of a rounded-off 0."""
        xp = self._xp
        return xp.concat([log_sigmoid(-Z, xp=xp), log_sigmoid(Z, xp=xp)], axis=1) if Z.shape[1] == 1 else log_softmax(Z, xp=xp)
