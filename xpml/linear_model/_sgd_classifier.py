"""A linear classifier fitted by stochastic gradient descent, one-vs-rest.

With two classes, one linear score p = x·w + b separates them: the target is +1 for
`classes_[1]` and -1 for `classes_[0]`. With k > 2 classes, each class c gets its own score,
trained to separate c (+1) from the rest (-1), and a sample goes to the class of highest score.
The k binary problems are solved together (`_sgd_solver`), sharing each batch and each matrix
product, where scikit-learn runs them one after another; each still stops on its own, as there.
One difference: the k problems see the samples in the same random order, where scikit-learn
draws an order per class.

Probabilities: log_loss models P(c | x) = σ(p꜀); modified_huber gives (clip(p꜀, -1, 1) + 1) / 2
(Zhang, 2004). With more than two classes, the k one-vs-rest values are normalized to sum to 1
(Zadrozny & Elkan, "Transforming classifier scores into multiclass probability estimates", 2002).
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

from ..base import ClassifierMixin
from ..utils._errstate import float_errors_ignored
from ..utils._class_weight import compute_class_weight
from ..utils._labels import check_classes, label_indices
from ..utils._param_validation import Interval, Options
from ..utils._special import log_sigmoid, sigmoid
from ..utils.validation import check_consistent_length
from ._base import LinearClassifierMixin
from ._sgd import SGD_CONSTRAINTS, BaseSGD
from ._sgd_losses import CLASSIFICATION_LOSSES

__all__ = ["SGDClassifier"]


class SGDClassifier(LinearClassifierMixin, ClassifierMixin, BaseSGD):
    """A linear classifier (SVM, logistic regression, ...) fitted by minibatch SGD, one-vs-rest.

    Minimizes, for each one-vs-rest problem, (1/n) Σᵢ sᵢ L(yᵢ, xᵢ·w + b) + α R(w) with yᵢ = ±1,
    as scikit-learn's SGDClassifier does. Labels may be of any type. Learns from a stream with
    `partial_fit` (pass every class on the first call).

    Parameters
    ----------
    loss : str, default="hinge"
        "hinge" (a linear SVM), "log_loss" (logistic regression), "modified_huber" (a smooth hinge
        with probabilities), "squared_hinge", "perceptron", or a regression loss applied to the
        ±1 targets: "squared_error", "huber", "epsilon_insensitive", "squared_epsilon_insensitive".
    penalty : {"l2", "l1", "elasticnet"} or None, default="l2"
        R(w): ½‖w‖², ‖w‖₁, or (1 - l1_ratio)/2 ‖w‖² + l1_ratio ‖w‖₁. The intercept is not penalized.
    alpha : float, default=1e-4
        The penalty's strength; also sets the "optimal" learning rate (then it must be > 0).
    l1_ratio : float in [0, 1], default=0.15
    fit_intercept : bool, default=True
    max_iter : int, default=1000
        The most epochs (passes over the data).
    tol : float or None, default=1e-3
        A class's problem stops when, for n_iter_no_change epochs in a row, its mean objective has
        not fallen by tol below its best (or its validation accuracy has not risen by tol).
        None: run max_iter epochs.
    shuffle : bool, default=True
    verbose : int, default=0
    epsilon : float, default=0.1
        The width of the huber and epsilon-insensitive losses.
    n_jobs : int or None, default=None
        Accepted for scikit-learn compatibility, where it runs the one-vs-rest problems in threads;
        xpml solves them together in one run (see the module docstring).
    random_state : int, numpy.random.Generator or None
        Seeds the orders of the samples and the validation split.
    learning_rate : {"optimal", "constant", "invscaling", "adaptive"}, default="optimal"
        The step size at step t: 1 / (alpha (t₀ + t - 1)); eta0; eta0 / t^power_t; or eta0,
        divided by 5 each time n_iter_no_change epochs pass without improvement.
    eta0 : float > 0, default=0.01
    power_t : float >= 0, default=0.5
    early_stopping : bool, default=False
        Hold out a stratified `validation_fraction` of the data; stop on its accuracy.
    validation_fraction : float in (0, 1), default=0.1
    n_iter_no_change : int, default=5
    class_weight : dict, "balanced" or None
        Weights of the classes: a class's weight multiplies its samples' steps when it is the
        positive class of a problem. "balanced": n_samples / (n_classes · count).
    warm_start : bool, default=False
    average : bool or int, default=False
        Predict with the average of the weights over the steps (an int n: from step n on).
    batch_size : int or "auto", default="auto"
        Samples per step; 1 reproduces scikit-learn's per-sample SGD (see `_sgd_solver`). "auto":
        n_samples // 400, between 1 and 4096 (about 400 steps per epoch).
    backend : str or Backend, optional
    dtype : {"float32", "float64"}, optional

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : array of shape (1, n_features) for two classes, else (n_classes, n_features)
    intercept_ : array of shape (1,) or (n_classes,)
    n_iter_ : int
        Epochs run (the most over the one-vs-rest problems).
    t_ : int
        The number of steps taken, plus one.
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.datasets import load_iris
    >>> from xpml.linear_model import SGDClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> model = SGDClassifier(loss="log_loss", random_state=0).fit((X - X.mean(0)) / X.std(0), y)
    >>> model.coef_.shape
    (3, 4)
    """

    _parameter_constraints = {
        **SGD_CONSTRAINTS,
        "loss": [Options(set(CLASSIFICATION_LOSSES))],
        "class_weight": [Options({"balanced"}), "dict", None],
        "n_jobs": [None, Interval(Integral, None, None)],
    }

    def __init__(self, loss="hinge", *, penalty="l2", alpha=1e-4, l1_ratio=0.15, fit_intercept=True,
                 max_iter=1000, tol=1e-3, shuffle=True, verbose=0, epsilon=0.1, n_jobs=None, random_state=None,
                 learning_rate="optimal", eta0=0.01, power_t=0.5, early_stopping=False,
                 validation_fraction=0.1, n_iter_no_change=5, class_weight=None, warm_start=False,
                 average=False, batch_size="auto", backend=None, dtype=None):
        self.loss = loss
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.verbose = verbose
        self.epsilon = epsilon
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.learning_rate = learning_rate
        self.eta0 = eta0
        self.power_t = power_t
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.class_weight = class_weight
        self.warm_start = warm_start
        self.average = average
        self.batch_size = batch_size
        self.backend = backend
        self.dtype = dtype

    # ---- fitting ---------------------------------------------------------------------------

    def fit(self, X: Any, y: Any, coef_init: Any = None, intercept_init: Any = None,
            sample_weight: Any = None) -> SGDClassifier:
        """Fit by SGD, from zeros, from coef_init and intercept_init, or with warm_start from the previous fit.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Labels of any type; at least two classes.
        coef_init : array-like of shape (n_classes, n_features), optional
            The starting coefficients ((1, n_features) or (n_features,) for two classes).
        intercept_init : array-like of shape (n_classes,), optional
            The starting intercepts ((1,) for two classes).
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        X, y_index = self._validate_labels(X, y)
        state = self._initial_state(X, self._n_columns(), coef_init, intercept_init)
        return self._fit_labels(X, y_index, sample_weight, state, stream=False)

    def partial_fit(self, X: Any, y: Any, classes: Any = None, sample_weight: Any = None) -> SGDClassifier:
        """One epoch of SGD on (X, y), continuing from the current weights and step count.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        classes : array-like of shape (n_classes,)
            Every label the stream will hold: required on the first call, optional (and checked)
            on later ones.
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        check_consistent_length(X=X, y=y)
        first = getattr(self, "_state", None) is None
        if first:
            classes = check_classes(classes)
            X = self._validate_X(X, reset=True)
            self.classes_ = classes
        else:
            if classes is not None:
                check_classes(classes, previous=self.classes_)
            X = self._validate_X(X, reset=False)
        if self.class_weight == "balanced":
            raise ValueError(
                "class_weight='balanced' needs the class counts of the whole stream, which partial_fit "
                "cannot see; pass a dict of weights (n_samples / (n_classes * count) from a large sample)."
            )
        y_index = self._to_backend(label_indices(y, self.classes_, n_samples=X.shape[0]))
        state = self._initial_state(X, self._n_columns()) if first else self._state
        return self._fit_labels(X, y_index, sample_weight, state, stream=True)

    def _n_columns(self) -> int:
        return 1 if len(self.classes_) == 2 else len(self.classes_)

    def _fit_labels(self, X, y_index, sample_weight, state, *, stream: bool):
        """One-vs-rest targets and weights from the class indices, then the SGD run."""
        xp, k = self._xp, self._n_columns()
        dtype = X.dtype
        # (n_classes,) host; "balanced" on the counts, not the sample weights, as in scikit-learn's SGDClassifier
        weight_of_class = compute_class_weight(self.class_weight, classes=self.classes_, y_indices=y_index)
        weight_of_class = self._to_backend(weight_of_class, self._dtype)
        if k == 1:  # classes_[1] against classes_[0]
            positive = (y_index == 1)[:, None]  # (n, 1)
            positive_weight, negative_weight = weight_of_class[1:], weight_of_class[:1]  # (1,), (1,)
        else:  # class c against the rest; the rest weigh 1, as in scikit-learn
            positive = y_index[:, None] == xp.arange(k, device=X.device)[None, :]  # (n, k)
            positive_weight, negative_weight = weight_of_class, xp.ones_like(weight_of_class)
        Y = 2.0 * xp.astype(positive, dtype) - 1.0  # (n, k) in {-1, +1}
        sample_weight_in, sample_weight = sample_weight, self._sample_weight(sample_weight, X)  # (n,)
        weights = None  # every sample weighs 1 in every column
        if sample_weight_in is not None or self.class_weight is not None:
            weights = sample_weight[:, None] * xp.where(positive, positive_weight, negative_weight)  # (n, k)
        W, b = self._run(X, Y, weights, sample_weight, state, stratify=y_index, stream=stream)
        self.coef_, self.intercept_ = W.T, b  # (k, p), (k,)
        return self

    def _coef_as_columns(self):
        return self.coef_.T, self.intercept_  # (p, k), (k,)

    def _validation_score(self, X, Y, w, W, b):
        """The weighted accuracy of each one-vs-rest problem on the validation set. (k,)"""
        xp = self._xp
        hit = xp.astype((X @ W + b > 0) == (Y > 0), X.dtype)  # (n_val, k)
        return (w @ hit) / xp.sum(w)

    # ---- probabilities (decision_function and predict: LinearClassifierMixin) ------------------

    def _check_proba(self):
        if self.loss not in ("log_loss", "modified_huber"):
            raise AttributeError(
                f"probability estimates need loss='log_loss' or loss='modified_huber'; this model has "
                f"loss={self.loss!r}."
            )

    def _proba(self, Z):
        """One-vs-rest scores (n, k) -> P(class | x) for each class, (n_samples, n_classes)."""
        xp = self._xp
        if self.loss == "log_loss":
            P = sigmoid(Z, xp=xp)
        else:
            P = (xp.clip(Z, min=-1.0, max=1.0) + 1.0) / 2.0
        if P.shape[1] == 1:
            return xp.concat([1.0 - P, P], axis=1)  # (n, 2)
        total = xp.sum(P, axis=1, keepdims=True)  # (n, 1); modified_huber may give 0: then uniform
        return xp.where(total > 0, P / xp.where(total > 0, total, 1.0), 1.0 / P.shape[1])

    def _log_proba(self, Z):
        """The log of `_proba`; for log_loss from the scores, finite where a probability rounds to 0."""
        xp = self._xp
        if self.loss != "log_loss":
            with float_errors_ignored():  # modified_huber gives probabilities of exactly 0: log 0 = -inf
                return xp.log(self._proba(Z))
        L = log_sigmoid(Z, xp=xp)  # (n, k)
        if L.shape[1] == 1:
            return xp.concat([log_sigmoid(-Z, xp=xp), L], axis=1)  # (n, 2)
        top = xp.max(L, axis=1, keepdims=True)  # (n, 1): the normalization Σ σ(z) as a log-sum-exp
        return L - (top + xp.log(xp.sum(xp.exp(L - top), axis=1, keepdims=True)))
