"""Logistic regression: binary (sigmoid) and multinomial (softmax) classification, penalized.

The model gives each class k a score zₖ = x·wₖ + bₖ and turns the scores into probabilities,
P(y = k | x) = softmax(z)ₖ. With two classes one score suffices: P(y = classes_[1] | x) = σ(x·w + b).
Fitting minimizes scikit-learn's objective, C Σᵢ sᵢ ℓᵢ + ρ ||w||₁ + (1 - ρ) ||w||²/2 (ℓ the
cross-entropy, sᵢ the sample weight times the class weight, ρ = l1_ratio, the intercept not
penalized), divided by C·Σᵢ sᵢ so that `tol` does not depend on the number of samples (`LogisticLoss`).
scikit-learn's "liblinear" objective differs only in its intercept: the weight of a constant
feature `intercept_scaling`, penalized like the others; xpml's loss adds that feature's term to the
products with X rather than appending it, so that a sparse X stays as it is.

Solvers (from `xpml.optim`, started from zero or, with warm_start, from the previous fit):

- with an L1 share (ρ > 0): FISTA, gradient steps of 1/L (L as for "gd" below) on the smooth part
  followed by soft-thresholding of the coefficients; stops when the gradient mapping is <= tol;

- "lbfgs": L-BFGS with a strong-Wolfe line search; stops when max|∇| <= tol, or when the relative
  decrease of the loss falls below 64 machine epsilons (scikit-learn's settings for scipy);
- "gd": gradient descent with Nesterov momentum 0.9; `learning_rate="auto"` is 1/L for an upper
  bound L of the loss's curvature, κ·λ_max(X̃ᵀDX̃) + 1/(C·S), with X̃ = [X, 1], D the normalized
  weights, κ = 1/4 (binary) or 1/2 (softmax); stops when max|∇| <= tol.

Reference: T. Hastie, R. Tibshirani and J. Friedman, The Elements of Statistical Learning (2nd ed.),
section 4.4; J. Nocedal and S. J. Wright, Numerical Optimization (2nd ed.), chapter 7.
"""

from __future__ import annotations

import contextlib
import math
from numbers import Integral, Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, ClassifierMixin
from ..exceptions import ConvergenceWarning
from ..optim import fista, gradient_descent, lbfgs, soft_threshold
from ..utils._class_weight import compute_class_weight
from ..utils._csr import is_csr
from ..utils._host import host_array
from ..utils._linalg import max_eigenvalue_of_gram, max_eigenvalue_of_weighted_gram
from ..utils._param_validation import Interval, Options
from ..utils._special import log_sigmoid, log_softmax, sigmoid, softmax
from ..utils._threads import one_host_thread
from ..utils._warnings import warn
from ..utils.validation import check_sample_weight
from ._base import LinearClassifierMixin
from ._loss import LogisticLoss

__all__ = ["LogisticRegression"]


class LogisticRegression(LinearClassifierMixin, ClassifierMixin, BaseEstimator):
    """Logistic regression (a.k.a. logit, maximum-entropy classifier), binary or multinomial.

    Parameters
    ----------
    penalty : {"l1", "l2", "elasticnet", None} or "deprecated", default="deprecated"
        scikit-learn's older way to name the penalty (deprecated there since 1.8): "deprecated"
        means it follows from l1_ratio and C; "l1" is l1_ratio=1, "l2" is l1_ratio=0, "elasticnet"
        uses l1_ratio, None is no penalty (C=inf).
    C : float, default=1.0
        The inverse of the penalty strength, > 0; smaller is stronger. C=inf is no penalty.
    l1_ratio : float in [0, 1], default=0.0
        The L1 share of the penalty ρ ||w||₁ + (1 - ρ) ||w||²/2: 0 is L2, 1 is L1 (sparse
        coefficients), in between the elastic net.
    dual : bool, default=False
        scikit-learn's choice of liblinear's dual formulation (True only with solver="liblinear",
        as there). It changes how liblinear reaches the optimum, not the optimum, so xpml checks it
        and solves the primal.
    tol : float, default=1e-4
        Stop when the largest absolute entry of the objective's (proximal) gradient is <= tol.
    fit_intercept : bool, default=True
        Whether to fit an intercept per class (unpenalized, except with solver="liblinear").
    intercept_scaling : float, default=1
        With solver="liblinear" only, as in scikit-learn: the intercept is the weight v of a constant
        feature a = intercept_scaling, penalized like the other weights, so intercept_ = a·v and a
        larger a penalizes it less. The other solvers do not penalize the intercept.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplying the sample weights: {label: weight}, or "balanced" for
        weights inversely proportional to the classes' total sample weight.
    random_state : int, numpy.random.Generator or None, default=None
        Accepted for scikit-learn compatibility: it shuffles the data of scikit-learn's "sag",
        "saga" and "liblinear" solvers; xpml's solvers draw no random numbers.
    solver : {"lbfgs", "liblinear", "newton-cg", "newton-cholesky", "sag", "saga", "gd"}, default="lbfgs"
        How the objective is minimized. With an L2 penalty or none, "gd" is gradient descent with
        Nesterov momentum and every other name is L-BFGS; with an L1 or elastic-net penalty every
        name is FISTA (`xpml.optim.fista`). scikit-learn's "newton-cg", "newton-cholesky", "sag"
        and "saga" minimize the same objective, so xpml reaches their optimum with its own solver.
        "liblinear" minimizes liblinear's objective (the intercept penalized, see
        intercept_scaling) and, as in scikit-learn, takes two classes only.
    max_iter : int, default=100
        The most iterations of the solver.
    verbose : int, default=0
        Print the solver's progress if > 0.
    warm_start : bool, default=False
        Start from the previous fit's coef_ and intercept_ (when their shapes fit) instead of zeros.
    n_jobs : int or None, default=None
        Accepted for scikit-learn compatibility (where it no longer has an effect); xpml's
        parallelism is that of its backend.
    learning_rate : "auto" or float, default="auto"
        The step of the "gd" solver; "auto" is 1/L for a bound L on the curvature of the objective.
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
    n_iter_ : numpy array of shape (1,)
        Iterations the solver ran.
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.linear_model import LogisticRegression
    >>> model = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], ["no", "no", "yes", "yes"])
    >>> model.predict([[0.2], [2.8]]).tolist()
    ['no', 'yes']
    """

    _scales_out = True  # on dask: computed per chunk and reduced across chunks (tests/test_dask.py)

    _parameter_constraints = {
        "penalty": [Options({"l1", "l2", "elasticnet", "deprecated"}), None],
        "C": [Interval(Real, 0, None, closed="neither", allow_inf=True)],  # C=inf: no penalty, as in scikit-learn 1.8+
        "l1_ratio": [Interval(Real, 0, 1, closed="both"), None],
        "dual": ["boolean"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "fit_intercept": ["boolean"],
        "intercept_scaling": [Interval(Real, 0, None, closed="neither")],
        "class_weight": [None, "dict", Options({"balanced"})],
        "random_state": ["random_state"],
        "solver": [Options({"lbfgs", "liblinear", "newton-cg", "newton-cholesky", "sag", "saga", "gd"})],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "verbose": [Interval(Integral, 0, None, closed="left"), "boolean"],
        "warm_start": ["boolean"],
        "n_jobs": [None, Interval(Integral, None, None)],
        "learning_rate": [Options({"auto"}), Interval(Real, 0, None, closed="neither")],
        **BACKEND_CONSTRAINTS,
    }

    _accepts_sparse = True  # X may be a CSR: the loss reads it through X @ W and Xᵀ R

    def __init__(self, penalty: Any = "deprecated", *, C: float = 1.0, l1_ratio: Any = 0.0, dual: bool = False,
                 tol: float = 1e-4, fit_intercept: bool = True, intercept_scaling: float = 1, class_weight: Any = None,
                 random_state: Any = None, solver: str = "lbfgs", max_iter: int = 100, verbose: int = 0,
                 warm_start: bool = False, n_jobs: Any = None, learning_rate: Any = "auto", backend: Any = None,
                 dtype: str | None = None):
        self.penalty = penalty
        self.C = C
        self.l1_ratio = l1_ratio
        self.dual = dual
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.class_weight = class_weight
        self.random_state = random_state
        self.solver = solver
        self.max_iter = max_iter
        self.verbose = verbose
        self.warm_start = warm_start
        self.n_jobs = n_jobs
        self.learning_rate = learning_rate
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
        rho = self._l1_share()  # None: no penalty
        if self.dual and self.solver != "liblinear":
            raise ValueError(f"dual=True needs solver='liblinear'; got solver={self.solver!r}.")
        xp, n_classes = self._xp, len(self.classes_)
        liblinear = self.solver == "liblinear"
        if liblinear and n_classes > 2:
            raise ValueError(f"solver='liblinear' takes two classes, as in scikit-learn; y has {n_classes}. "
                             f"Use another solver (they fit the multinomial model).")
        # liblinear: the intercept is a·v, v the penalized weight of a constant feature a
        scaling = float(self.intercept_scaling) if liblinear and self.fit_intercept else None
        weights = self._weights(y, sample_weight)  # (n,) or None
        total = X.shape[0] if weights is None else float(xp.sum(weights))
        lam = 0.0 if rho is None else 1.0 / (self.C * total)
        l1, l2 = (0.0, lam) if rho is None else (rho * lam, (1.0 - rho) * lam)
        loss = LogisticLoss(xp, X, y, weights, n_classes=n_classes, l2=l2, fit_intercept=self.fit_intercept,
                            intercept_scaling=scaling)
        theta0 = self._start(loss, X)
        # sparse X: its products run on one thread, the rest are vector operations, which threads slow down
        with one_host_thread(self._backend) if is_csr(X) else contextlib.nullcontext():
            result = self._solve(loss, theta0, X, weights, l1, l2, 1.0 if scaling is None else scaling)
        if not result.converged:
            warn(
                f"LogisticRegression (solver={self.solver!r}) did not converge: {result.message}. Increase "
                f"max_iter, or scale the features (xpml.preprocessing.StandardScaler).",
                ConvergenceWarning,
            )
        self.n_iter_ = host_array([result.n_iter], "int32")  # (1,) on the host, as classes_
        coef, intercept = loss.unpack(result.x)  # (p,), () or (K, p), (K,)
        if scaling is not None:
            intercept = scaling * intercept
        self.coef_ = coef[None, :] if loss.binary else coef
        self.intercept_ = intercept[None] if loss.binary else intercept
        return self

    def _solve(self, loss, theta0, X, weights, l1: float, l2: float, intercept: float):
        """The optimizer's result for `loss` from θ₀: FISTA with an L1 share, else "gd" or L-BFGS."""
        xp = self._xp
        if l1 > 0:
            step = 1.0 / self._lipschitz(X, weights, loss.binary, l2, intercept)
            # (n_params,): the intercept is not thresholded, except liblinear's
            penalized = l1 * (self._coef_mask(loss, X) if loss.scaling is None else xp.ones_like(theta0))
            return fista(loss, lambda v, a: soft_threshold(v, penalized * a), theta0, lipschitz=1.0 / step,
                         max_iter=max(self.max_iter, 1), tol=self.tol, verbose=self.verbose)
        if self.solver == "gd":
            step = float(self.learning_rate) if self.learning_rate != "auto" else 1.0 / self._lipschitz(
                X, weights, loss.binary, l2, intercept)
            return gradient_descent(loss, theta0, learning_rate=step, momentum=0.9, nesterov=True,
                                    max_iter=self.max_iter, tol=self.tol, verbose=self.verbose)
        return lbfgs(loss, theta0, max_iter=self.max_iter, tol=self.tol, verbose=self.verbose)

    def _l1_share(self):
        """ρ, the L1 share of the penalty, from penalty, l1_ratio and C; None for no penalty."""
        if self.penalty is None or (self.penalty == "deprecated" and self.C == math.inf):
            return None
        if self.penalty == "deprecated":
            return 0.0 if self.l1_ratio is None else float(self.l1_ratio)
        if self.penalty == "elasticnet":
            if self.l1_ratio is None:
                raise ValueError("l1_ratio must be a number in [0, 1] with penalty='elasticnet'; got None.")
            return float(self.l1_ratio)
        return 1.0 if self.penalty == "l1" else 0.0

    def _start(self, loss, X):
        """θ₀: zeros, or with warm_start the previous fit's coefficients when their shapes fit."""
        xp = self._xp
        theta0 = xp.zeros(loss.n_params(), dtype=X.dtype, device=X.device)
        coef, intercept = vars(self).get("coef_"), vars(self).get("intercept_")
        if not self.warm_start or coef is None:
            return theta0
        coef, intercept = self._to_backend(coef, self._dtype), self._to_backend(intercept, self._dtype)  # (k, p), (k,)
        if loss.fit_intercept:  # liblinear: the intercept is the weight v of the feature a, a·v
            v = intercept if loss.scaling is None else intercept / loss.scaling
            coef = xp.concat([coef, v[:, None]], axis=1)  # (k, p + 1)
        flat = xp.reshape(coef, (-1,))
        return flat if flat.shape == theta0.shape else theta0

    @staticmethod
    def _coef_mask(loss, X):
        """1 on the entries of θ that are coefficients, 0 on the intercepts. (n_params,)"""
        xp = loss.xp
        p = X.shape[1]
        columns = xp.arange(loss.shape[-1], device=X.device) < p  # (p [+ 1],)
        mask = columns if loss.binary else xp.reshape(xp.broadcast_to(columns, loss.shape), (-1,))
        return xp.astype(mask, X.dtype)

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

    def _lipschitz(self, X, weights, binary: bool, l2: float, intercept: float) -> float:
        """A bound L on the objective's curvature: κ·λ_max(X̃ᵀDX̃) + l2, X̃ = [X, a] with the intercept's
        feature a (1, or liblinear's intercept_scaling; see the module docstring)."""
        xp, n = self._xp, X.shape[0]
        kappa = 0.25 if binary else 0.5  # the largest curvature of the sigmoid / softmax cross-entropy
        if is_csr(X):
            w = xp.ones(n, dtype=X.dtype, device=X.device) if weights is None else weights
            return kappa * max_eigenvalue_of_weighted_gram(X, w / xp.sum(w),
                                                            intercept=intercept if self.fit_intercept else None) + l2
        if self.fit_intercept:
            X = xp.concat([X, xp.full((n, 1), intercept, dtype=X.dtype, device=X.device)], axis=1)  # (n, p+1)
        if weights is None:
            weights = xp.ones(n, dtype=X.dtype, device=X.device)
        root_w = xp.sqrt(weights / xp.sum(weights))  # (n,)
        return kappa * max_eigenvalue_of_gram(X * root_w[:, None], xp=xp) + l2

    # ---- probabilities (decision_function and predict: LinearClassifierMixin) ------------------

    def _proba(self, Z):
        """Scores (n, 1) or (n, K) -> P(class | x), (n, n_classes): sigmoid, or softmax."""
        xp = self._xp
        return xp.concat([sigmoid(-Z, xp=xp), sigmoid(Z, xp=xp)], axis=1) if Z.shape[1] == 1 else softmax(Z, xp=xp)

    def _log_proba(self, Z):
        """The log of `_proba`, computed without taking the log of a rounded-off 0."""
        xp = self._xp
        if Z.shape[1] > 1:
            return log_softmax(Z, xp=xp)
        return xp.concat([log_sigmoid(-Z, xp=xp), log_sigmoid(Z, xp=xp)], axis=1)
