"""C-support vector classification with a kernel, one-vs-one for several classes, as libsvm does it.

For two classes with labels yᵢ = ±1, SVC finds f(x) = Σᵢ yᵢαᵢ k(x, xᵢ) + b minimizing
½‖w‖² + Σᵢ Cᵢ max(0, 1 - yᵢ f(xᵢ)) (Cᵢ = C · class weight · sample weight), through its dual

    minimize ½ αᵀQα - Σ αᵢ   subject to  yᵀα = 0,  0 <= αᵢ <= Cᵢ,   Qᵢⱼ = yᵢyⱼ k(xᵢ, xⱼ),

solved by `_smo`. With k classes, one such problem per pair of classes (a, b), a < b, on their
samples only (class a is +1): k(k-1)/2 small problems rather than k large ones. A sample is a
support vector if it is one in any of its pairs. As in libsvm, `dual_coef_` (k-1, n_SV) holds, for a
support vector of class c, its coefficient in the pair (c, r+1) in row r >= c and in the pair (r, c)
in row r < c; the support vectors are grouped by class. `predict` lets each pair vote; the decision
function is the pairs' values ("ovo") or, by default, votes plus a small share of the summed values
("ovr", scikit-learn's transformation). With two classes the signs are flipped so that f > 0 means
classes_[1], as in scikit-learn.

Probabilities (probability=True): Platt scaling of each pair's decision values, fitted on
cross-validated decision values, then coupled into class probabilities (`_platt`).

Reference: C.-C. Chang & C.-J. Lin, "LIBSVM: a library for support vector machines", ACM TIST 2(3),
2011; C.-W. Hsu & C.-J. Lin, "A comparison of methods for multiclass support vector machines", 2002.
"""

from __future__ import annotations

from typing import Any

from ..base import ClassifierMixin
from ..utils._available_if import available_if
from ..utils._class_weight import compute_class_weight
from ..utils._param_validation import Options
from ..utils._scatter import scatter_add
from ._kernel_base import KERNEL_SVM_CONSTRAINTS, BaseKernelSVM
from ._platt import fit_platt, pairwise_probabilities

__all__ = ["SVC"]


class SVC(ClassifierMixin, BaseKernelSVM):
    """C-support vector classification with a kernel (one-vs-one for several classes).

    Parameters
    ----------
    C : float, default=1
        The weight of the margin violations against the margin's width (times the class weight and the
        sample weight of each sample).
    kernel : {"linear", "poly", "rbf", "sigmoid", "precomputed"}, default="rbf"
        The kernel (see `xpml.metrics.pairwise`); "precomputed": X is the kernel matrix, (n, n) at fit
        and (n_new, n) at predict.
    degree : int, default=3
    gamma : {"scale", "auto"} or float, default="scale"
        γ of the rbf, poly and sigmoid kernels: 1 / (n_features · X.var()), 1 / n_features, or the value.
    coef0 : float, default=0
    shrinking : bool, default=True
        Accepted for scikit-learn compatibility: libsvm's shrinking only tunes its speed (see `_smo`).
    probability : bool or "deprecated", default="deprecated"
        True: fit Platt's sigmoids on 5-fold cross-validated decision values, for `predict_proba`
        (scikit-learn 1.9 deprecates it in favour of CalibratedClassifierCV; "deprecated" means False).
    tol : float, default=1e-3
        Stop when the largest violation of the optimality conditions, m(α) - M(α), is below tol.
    cache_size : float, default=200
        Accepted for scikit-learn compatibility: libsvm's kernel cache (MB), a tuning knob only.
    class_weight : dict, "balanced" or None
        Multiplies C for the samples of a class; "balanced": n_samples / (n_classes · count).
    verbose : bool, default=False
    max_iter : int, default=-1
        The most SMO steps (pair updates) per pair of classes, or -1 for no limit.
    decision_function_shape : {"ovr", "ovo"}, default="ovr"
        The decision function's shape with more than two classes: (n, n_classes) or (n, n_pairs).
    break_ties : bool, default=False
        With "ovr" and more than two classes, predict the argmax of the decision function rather
        than the class with the most votes.
    random_state : int, numpy.random.Generator or None
        Seeds the folds of the cross-validation for probabilities.
    backend : str or Backend, optional
    dtype : {"float32", "float64"}, optional

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    class_weight_ : array of shape (n_classes,)
    support_ : array of shape (n_SV,), indices of the support vectors, grouped by class
    support_vectors_ : array of shape (n_SV, n_features)
    n_support_ : array of shape (n_classes,)
    dual_coef_ : array of shape (n_classes - 1, n_SV)
    intercept_ : array of shape (n_pairs,)
    probA_, probB_ : arrays of shape (n_pairs,), Platt's sigmoid parameters (probability=True)
    n_iter_ : array of shape (n_pairs,), the SMO steps of each pair
    shape_fit_ : tuple
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.svm import SVC
    >>> model = SVC().fit([[0.0, 0.0], [0.0, 1.0], [2.0, 0.0], [2.0, 1.0]], [0, 0, 1, 1])
    >>> model.predict([[0.2, 0.5], [1.8, 0.5]]).tolist()
    [0, 1]
    """

    _parameter_constraints = {
        **KERNEL_SVM_CONSTRAINTS,
        "probability": ["boolean", Options({"deprecated"})],
        "class_weight": [Options({"balanced"}), "dict", None],
        "decision_function_shape": [Options({"ovr", "ovo"})],
        "break_ties": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(self, *, C=1.0, kernel="rbf", degree=3, gamma="scale", coef0=0.0, shrinking=True,
                 probability="deprecated", tol=1e-3, cache_size=200, class_weight=None, verbose=False, max_iter=-1,
                 decision_function_shape="ovr", break_ties=False, random_state=None, backend=None, dtype=None):
        self.C = C
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.shrinking = shrinking
        self.probability = probability
        self.tol = tol
        self.cache_size = cache_size
        self.class_weight = class_weight
        self.verbose = verbose
        self.max_iter = max_iter
        self.decision_function_shape = decision_function_shape
        self.break_ties = break_ties
        self.random_state = random_state
        self.backend = backend
        self.dtype = dtype

    @property
    def _pairs(self) -> list[tuple[int, int]]:
        k = len(self.classes_)
        return [(a, b) for a in range(k) for b in range(a + 1, k)]

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> SVC:
        """Solve one dual problem per pair of classes.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or (n_samples, n_samples) if kernel="precomputed"
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Per-sample multipliers of C.

        Returns
        -------
        self
        """
        X, y_index = self._validate_labels(X, y)
        self._check_precomputed(X)
        if self.break_ties and self.decision_function_shape == "ovo":
            raise ValueError("break_ties must be False when decision_function_shape is 'ovo'.")
        xp = self._xp
        self._kernel = self._make_kernel(X)
        self.class_weight_ = self._to_backend(
            compute_class_weight(self.class_weight, classes=self.classes_, y_indices=y_index), self._dtype)
        C = float(self.C) * self._weights(sample_weight, X.shape[0]) * xp.take(self.class_weight_, y_index)  # (n,)
        coef, intercepts, steps = self._fit_pairs(X, y_index, C)  # (n, n_pairs), (n_pairs,)
        self._set_support(X, y_index, coef)
        self.intercept_ = xp.stack(intercepts)  # (n_pairs,)
        self.n_iter_ = xp.asarray(steps, device=X.device)
        if len(self.classes_) == 2:  # scikit-learn's sign: f > 0 means classes_[1]
            self.dual_coef_, self.intercept_ = -self.dual_coef_, -self.intercept_
        self.shape_fit_ = tuple(X.shape)
        self.fit_status_ = 0
        empty = xp.zeros(0, dtype=X.dtype, device=X.device)
        self._probA, self._probB = fit_platt(self, X, y_index, C) if self.probability is True else (empty, empty)
        return self

    def _fit_pairs(self, X, y_index, C):
        """Solve each pair's problem; returns each sample's coefficient yα in each pair (n, n_pairs),
        the pairs' intercepts -ρ (0-d each) and their SMO steps."""
        xp = self._xp
        n = X.shape[0]
        columns, intercepts, steps = [], [], []
        for a, b in self._pairs:
            rows = xp.nonzero((y_index == a) | (y_index == b))[0]  # (m,) the samples of the two classes
            X_ab = xp.take(X, rows, axis=0)
            if self.kernel == "precomputed":
                X_ab = xp.take(X_ab, rows, axis=1)
            y_ab = 2 * xp.astype(xp.take(y_index, rows) == a, X.dtype) - 1  # (m,) +1 for class a, -1 for b
            alpha, b_ab, taken = self._solve(X_ab, y_ab, -xp.ones_like(y_ab), xp.take(C, rows))
            columns.append(scatter_add(y_ab * alpha, rows, n))  # (n,)
            intercepts.append(b_ab)
            steps.append(taken)
        return xp.stack(columns, axis=1), intercepts, steps

    def _set_support(self, X, y_index, coef):
        """support_ (grouped by class), support_vectors_, n_support_ and libsvm's dual_coef_ layout."""
        xp = self._xp
        n, k = X.shape[0], len(self.classes_)
        is_sv = xp.any(coef != 0, axis=1)  # (n,)
        order = xp.argsort(xp.where(is_sv, y_index * n + xp.arange(n, device=X.device), k * n))
        support = order[:int(xp.sum(xp.astype(is_sv, y_index.dtype)))]  # (n_SV,) by class, then index
        sv_class = xp.take(y_index, support)  # (n_SV,)
        self.support_ = support
        self.support_vectors_ = (xp.take(X, support, axis=0) if self.kernel != "precomputed"
                                 else xp.zeros((0, 0), dtype=X.dtype, device=X.device))
        classes = xp.arange(k, device=X.device)
        self._n_support = xp.sum(xp.astype(sv_class[:, None] == classes, y_index.dtype), axis=0)  # (k,)
        self._pair_coef = xp.take(coef, support, axis=0)  # (n_SV, n_pairs)
        pair_of = {pair: i for i, pair in enumerate(self._pairs)}  # row r of class c: pair (c, r+1) or (r, c)
        table = [[pair_of[(c, r + 1)] if r >= c else pair_of[(r, c)] for r in range(k - 1)] for c in range(k)]
        table = xp.take(xp.asarray(table, device=X.device), sv_class, axis=0)  # (n_SV, k - 1)
        self.dual_coef_ = xp.take_along_axis(self._pair_coef, table, axis=1).T  # (k - 1, n_SV)

    # ---- prediction ----------------------------------------------------------------------------

    def _pair_values(self, X):
        """Each pair's decision value, libsvm's sign (> 0: the pair's first class), (n, n_pairs)."""
        intercept = -self.intercept_ if len(self.classes_) == 2 else self.intercept_
        return self._decision_values(X, self._pair_coef) + intercept

    def _pair_matrices(self, dtype, device):
        """(n_pairs, k) one-hot matrices of each pair's first and second class."""
        xp, k = self._xp, len(self.classes_)
        first = xp.asarray([[float(c == a) for c in range(k)] for a, _ in self._pairs], dtype=dtype, device=device)
        second = xp.asarray([[float(c == b) for c in range(k)] for _, b in self._pairs], dtype=dtype, device=device)
        return first, second

    def _ovr(self, D):
        """scikit-learn's one-vs-rest decision values from the pairs': votes plus summed values squashed
        into (-1/3, 1/3), so that they only break ties between votes. (n, k)"""
        xp = self._xp
        first, second = self._pair_matrices(D.dtype, D.device)
        votes = xp.astype(D >= 0, D.dtype) @ first + xp.astype(D < 0, D.dtype) @ second  # (n, k)
        confidence = D @ first - D @ second  # (n, k)
        return votes + confidence / (3 * (xp.abs(confidence) + 1))

    def decision_function(self, X: Any):
        """The decision values: (n,) for two classes (> 0: classes_[1]), else (n, n_classes) ("ovr") or
        (n, n_pairs) ("ovo").

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or (n_samples, n_train) if kernel="precomputed"
        """
        D = self._pair_values(self._validate_for_predict(X))  # (n, n_pairs)
        if len(self.classes_) == 2:
            return self._output(-D[:, 0], X)
        return self._output(D if self.decision_function_shape == "ovo" else self._ovr(D), X)

    def predict(self, X: Any):
        """The class with the most votes of the pairs (ties: the first), or with break_ties the argmax
        of the "ovr" decision function."""
        xp = self._xp
        D = self._pair_values(self._validate_for_predict(X))  # (n, n_pairs)
        if self.break_ties and self.decision_function_shape == "ovr" and len(self.classes_) > 2:
            return self._labels(xp.argmax(self._ovr(D), axis=1), X)
        first, second = self._pair_matrices(D.dtype, D.device)
        votes = xp.astype(D > 0, D.dtype) @ first + xp.astype(D <= 0, D.dtype) @ second  # (n, k)
        return self._labels(xp.argmax(votes, axis=1), X)

    def _check_proba(self) -> None:
        if self.probability is not True:
            raise AttributeError("predict_proba is not available when probability=False; fit with probability=True.")

    @available_if(lambda self: self._check_proba() or True)  # a method named predict_proba, as scikit-learn asks
    def predict_proba(self, X: Any):
        """Class probabilities (n_samples, n_classes) from Platt's sigmoids, coupled over the pairs."""
        D = self._pair_values(self._validate_for_predict(X))
        return self._output(pairwise_probabilities(self._xp, D, self.probA_, self.probB_, self._pairs,
                                                   len(self.classes_)), X)

    @available_if(lambda self: self._check_proba() or True)
    def predict_log_proba(self, X: Any):
        """The logarithm of `predict_proba`."""
        D = self._pair_values(self._validate_for_predict(X))
        return self._output(self._xp.log(pairwise_probabilities(self._xp, D, self.probA_, self.probB_, self._pairs,
                                                                len(self.classes_))), X)

    @property
    def probA_(self):
        """Platt's A of each pair (n_pairs,); empty without probability=True."""
        return self._probA

    @property
    def probB_(self):
        """Platt's B of each pair (n_pairs,); empty without probability=True."""
        return self._probB
