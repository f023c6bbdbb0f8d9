"""Multi-layer perceptrons: MLPClassifier and MLPRegressor.

A feed-forward network of dense layers with a hidden activation (identity, logistic, tanh or relu),
trained by backpropagation (`_backprop`) with Adam, SGD or L-BFGS (`_solvers`). The output layer and
the loss follow from the task:

    regression                 identity output,  squared error
    binary classification      one logistic unit, binary cross-entropy
    multi-class                softmax over the classes, cross-entropy
    multi-label (0/1 matrix)   one logistic unit per label, binary cross-entropy

Both estimators take scikit-learn's parameters and minimize scikit-learn's losses, with the same
Glorot initialization (drawn on the host, so a seed gives the same network on every backend).

Reference: Goodfellow, Bengio & Courville, "Deep Learning", MIT Press (2016), chapter 6.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from .._backend import config_context
from ..metrics import r2_score
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, ClassifierMixin, RegressorMixin
from ..utils._labels import encode_targets
from ..utils._param_validation import Interval, Options
from ..utils._random import check_random_state
from ._backprop import ACTIVATIONS, forward, glorot_uniform
from ._solvers import fit_lbfgs, fit_stochastic

__all__ = ["MLPClassifier", "MLPRegressor"]

_PARAMETERS = """hidden_layer_sizes : int or tuple of int, default=(100,)
        The number of units of each hidden layer.
    activation : {"relu", "identity", "logistic", "tanh"}, default="relu"
        The hidden layers' activation f.
    solver : {"adam", "sgd", "lbfgs"}, default="adam"
        Adam or SGD on mini-batches (`xpml.optim.Adam`, `SGD`), or L-BFGS on the full batch
        (`xpml.optim.lbfgs`), which suits small data sets.
    alpha : float, default=1e-4
        Strength of the L2 penalty α/(2n) Σ ‖W‖² on the weights (not the biases).
    batch_size : int or "auto", default="auto"
        Samples per mini-batch; "auto" is min(200, n_samples). Unused by L-BFGS.
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        SGD's schedule: constant; learning_rate_init / (t + 1)^power_t after t samples; or divided
        by 5 whenever n_iter_no_change epochs pass without improvement.
    learning_rate_init : float, default=1e-3
        The step size of Adam and SGD.
    power_t : float, default=0.5
        The exponent of the "invscaling" schedule.
    max_iter : int, default=200
        The most epochs (Adam, SGD) or iterations (L-BFGS).
    shuffle : bool, default=True
        Whether to shuffle the samples before each epoch.
    random_state : int, numpy.random.Generator or None, default=None
        Seeds the initial weights, the shuffling and the validation split (all drawn on the host).
    tol : float, default=1e-4
        The least improvement of the loss (or validation score) that counts; for L-BFGS, the
        gradient tolerance.
    verbose : bool or int, default=False
        Print the epoch, the loss and the elapsed time after each epoch.
    warm_start : bool, default=False
        Start `fit` from the previous solution instead of a fresh initialization.
    momentum : float, default=0.9
        SGD's momentum, in [0, 1].
    nesterovs_momentum : bool, default=True
        Use Nesterov's momentum (SGD with momentum > 0).
    early_stopping : bool, default=False
        Hold out `validation_fraction` of the data, stop when its score stops improving, and keep
        the network that scored best on it (Adam and SGD).
    validation_fraction : float, default=0.1
        The share of the training data held out for early stopping, in (0, 1).
    beta_1, beta_2 : float, default=0.9, 0.999
        Adam's decay rates of the first and second moment estimates, in [0, 1).
    epsilon : float, default=1e-8
        Adam's guard against division by zero.
    n_iter_no_change : int, default=10
        Epochs without improvement by at least `tol` before stopping (or, adaptive, slowing).
    backend : str or Backend, optional
        Where to compute ("numpy", "torch", "jax", "cupy", "torch:cuda", ...). None: the backend
        in force at fit time.
    dtype : {"float32", "float64"}, optional
        The floating dtype to compute in. By default floating input keeps its precision, so
        float32 data trains in float32 throughout."""

_ATTRIBUTES = """coefs_ : list of arrays
        coefs_[l] is the weight matrix of layer l + 1, of shape (units_l, units_{l+1}).
    intercepts_ : list of arrays
        intercepts_[l] is the bias vector of layer l + 1, of shape (units_{l+1},).
    loss_ : float
        The loss at the end of the fit (including the penalty).
    loss_curve_ : list of float
        The training loss after each epoch (Adam and SGD).
    best_loss_ : float or None
        The least training loss seen (Adam and SGD); None with early stopping.
    validation_scores_ : list of float or None
        The score on the validation set after each epoch, with early stopping.
    best_validation_score_ : float or None
        The best of `validation_scores_`.
    n_iter_ : int
        Epochs run by the last call (L-BFGS: iterations).
    t_ : int
        Training samples seen by the stochastic solvers, over all calls.
    n_layers_ : int
        Layers, counting the input and the output.
    n_outputs_ : int
        Output units.
    out_activation_ : str
        The output activation: "identity", "logistic" or "softmax".
    n_features_in_ : int"""


class BaseMultilayerPerceptron(BaseEstimator):
    """What MLPClassifier and MLPRegressor share: parameters, initialization, the forward pass."""

    _parameter_constraints = {
        "hidden_layer_sizes": [Interval(Integral, 1, None), tuple, list],
        "activation": [Options(ACTIVATIONS)],
        "solver": [Options({"adam", "sgd", "lbfgs"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [Options({"auto"}), Interval(Integral, 1, None)],
        "learning_rate": [Options({"constant", "invscaling", "adaptive"})],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None)],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["boolean", Interval(Integral, 0, None)],
        "warm_start": ["boolean"],
        "momentum": [Interval(Real, 0, 1)],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None)],
        **BACKEND_CONSTRAINTS,
    }

    def __init__(self, *, hidden_layer_sizes=(100,), activation="relu", solver="adam", alpha=1e-4,
                 batch_size="auto", learning_rate="constant", learning_rate_init=1e-3, power_t=0.5,
                 max_iter=200, shuffle=True, random_state=None, tol=1e-4, verbose=False, warm_start=False,
                 momentum=0.9, nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1,
                 beta_1=0.9, beta_2=0.999, epsilon=1e-8, n_iter_no_change=10, backend=None, dtype=None):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.backend = backend
        self.dtype = dtype

    def _hidden_sizes(self) -> list[int]:
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if isinstance(sizes, Integral) else list(sizes)
        if not all(isinstance(s, Integral) and not isinstance(s, bool) and s >= 1 for s in sizes):
            raise ValueError(f"hidden_layer_sizes={self.hidden_layer_sizes!r} should hold ints >= 1.")
        return [int(s) for s in sizes]

    def _starts_fresh(self, incremental: bool) -> bool:
        return not hasattr(self, "coefs_") or not (self.warm_start or incremental)

    def _train(self, X, Y, *, first_pass: bool, incremental: bool, stratify=None):
        """Initialize (or check) the network for X (n, p) and Y (n, k), then run the solver."""
        units = [X.shape[1], *self._hidden_sizes(), Y.shape[1]]
        rng = check_random_state(self.random_state)
        if first_pass:
            self.n_layers_, self.n_outputs_, self._layer_units = len(units), Y.shape[1], units
            self.coefs_, self.intercepts_ = glorot_uniform(rng, self._backend, units, self.activation, self._dtype)
            self._best_params = (self.coefs_, self.intercepts_)
            self.t_, self.loss_curve_, self._no_improvement_count = 0, [], 0
            self.best_loss_ = None if self.early_stopping else float("inf")
            self.validation_scores_ = [] if self.early_stopping else None
            self.best_validation_score_ = float("-inf") if self.early_stopping else None
        elif units != self._layer_units:
            raise ValueError(f"warm_start: the fitted network has layer sizes {self._layer_units}, "
                             f"but this data and hidden_layer_sizes give {units}. Set warm_start=False.")
        if self.solver == "lbfgs":
            fit_lbfgs(self, X, Y)
        else:
            fit_stochastic(self, X, Y, rng, incremental=incremental, stratify=stratify)
        return self

    def _forward(self, X):
        """The network's output a_L for validated X: (n_samples, n_outputs)."""
        return forward(self._xp, self.coefs_, self.intercepts_, X, self.activation, self.out_activation_)[-1]

    @property
    def partial_fit(self):
        """One epoch on the given data, keeping the optimizer's state (Adam and SGD only)."""
        if self.solver == "lbfgs":
            raise AttributeError("partial_fit is only available for the stochastic solvers 'adam' and 'sgd'; "
                                 "solver='lbfgs'.")
        return self._partial_fit

    def _refuse_early_stopping(self):
        if self.early_stopping:
            raise ValueError("partial_fit does not support early_stopping=True: it sees one batch of data at a time.")


class MLPClassifier(ClassifierMixin, BaseMultilayerPerceptron):
    __doc__ = f"""A multi-layer perceptron classifier: softmax or logistic outputs, cross-entropy loss.

    Multi-class labels get a softmax output unit per class; two classes get one logistic unit; a 0/1
    indicator matrix y of shape (n_samples, n_labels) is multi-label, with one logistic unit per label.

    Parameters
    ----------
    {_PARAMETERS}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels (for multi-label, 0 .. n_labels - 1).
    {_ATTRIBUTES}

    Examples
    --------
    >>> from xpml.neural_network import MLPClassifier
    >>> X, y = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0]
    >>> model = MLPClassifier(hidden_layer_sizes=(8,), activation="tanh", solver="lbfgs",
    ...                       random_state=0).fit(X, y)
    >>> model.predict(X).tolist()
    [0, 1, 1, 0]
    """

    def fit(self, X: Any, y: Any) -> MLPClassifier:
        """Fit the network to X of shape (n_samples, n_features) and labels y of shape (n_samples,)
        (or a 0/1 indicator matrix of shape (n_samples, n_labels)). Returns self."""
        return self._fit(X, y, classes=None, incremental=False)

    def _partial_fit(self, X: Any, y: Any, classes: Any = None) -> MLPClassifier:
        """One epoch over X and y. The first call needs `classes`, every label that y may hold."""
        self._refuse_early_stopping()
        if not hasattr(self, "classes_") and classes is None:
            raise ValueError("classes=None: the first call to partial_fit needs classes, every label y may hold.")
        return self._fit(X, y, classes=getattr(self, "classes_", classes), incremental=True)

    def _fit(self, X_in, y, *, classes, incremental):
        self._validate_params()
        first_pass = self._starts_fresh(incremental)
        X = self._validate_X(X_in, reset=first_pass)
        known = None if first_pass and not incremental else (classes if first_pass else self.classes_)
        found, encoded, multilabel = encode_targets(y, n_samples=X.shape[0], classes=known)
        if not first_pass and multilabel != self._is_multilabel():
            raise ValueError("y switches between multi-label and single-label targets; fit again with warm_start=False.")
        self.classes_ = found
        xp, k = self._xp, len(found)
        codes = self._to_backend(encoded)
        if multilabel:
            Y, self.out_activation_ = xp.astype(codes, X.dtype), "logistic"  # (n, k)
        elif k == 2:
            Y, self.out_activation_ = xp.astype(codes[:, None] == 1, X.dtype), "logistic"  # (n, 1)
        else:
            grid = xp.arange(k, device=X.device)
            Y, self.out_activation_ = xp.astype(codes[:, None] == grid, X.dtype), "softmax"  # (n, k)
        self._loss = "binary_log_loss" if self.out_activation_ == "logistic" else "log_loss"
        return self._train(X, Y, first_pass=first_pass, incremental=incremental,
                           stratify=None if multilabel else encoded)

    def predict_proba(self, X: Any):
        """Class probabilities, of shape (n_samples, n_classes) (multi-label: each label's probability)."""
        X_in = X
        P = self._forward(self._validate_X(X, reset=False))  # (n, k)
        if P.shape[1] == 1 and len(self.classes_) == 2:
            P = self._xp.concat([1 - P, P], axis=1)  # (n, 2)
        return self._output(P, X_in)

    def predict_log_proba(self, X: Any):
        """The logarithm of `predict_proba`."""
        with config_context(output="backend"):
            P = self.predict_proba(X)
        return self._output(self._xp.log(P), X)

    def predict(self, X: Any):
        """Predicted labels (n_samples,), or the 0/1 indicator matrix (n_samples, n_labels) for multi-label."""
        X_in = X
        xp = self._xp
        P = self._forward(self._validate_X(X, reset=False))  # (n, k)
        if self._is_multilabel():
            return self._output(xp.astype(P > 0.5, xp.int64), X_in)
        indices = xp.argmax(P, axis=1) if P.shape[1] > 1 else xp.astype(P[:, 0] > 0.5, xp.int64)  # (n,)
        return self._labels(indices, X_in)

    def _is_multilabel(self) -> bool:
        return self.out_activation_ == "logistic" and self.n_outputs_ > 1

    def _validation_score(self, X, Y) -> float:
        """Accuracy on validated X and 0/1 targets Y, on the backend (subset accuracy for multi-label)."""
        xp = self._xp
        P = self._forward(X)  # (n, k)
        if P.shape[1] > 1 and not self._is_multilabel():
            hit = xp.argmax(P, axis=1) == xp.argmax(Y, axis=1)  # (n,)
        else:
            hit = xp.all((P > 0.5) == (Y > 0.5), axis=1)  # (n,)
        return float(xp.mean(xp.astype(hit, X.dtype)))

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Accuracy of `predict(X)`; for multi-label, the share of samples with every label right."""
        if not self._is_multilabel():
            return super().score(X, y, sample_weight=sample_weight)
        xp = self._xp
        with config_context(output="backend"):
            hit = xp.all(self.predict(X) == self._to_backend(y, "int64"), axis=1)  # (n,)
        hit = xp.astype(hit, getattr(xp, self._dtype))
        if sample_weight is None:
            return float(xp.mean(hit))
        weights = self._to_backend(sample_weight, self._dtype)  # (n,)
        return float(xp.sum(hit * weights) / xp.sum(weights))


class MLPRegressor(RegressorMixin, BaseMultilayerPerceptron):
    __doc__ = f"""A multi-layer perceptron regressor: identity output, squared-error loss.

    Parameters
    ----------
    {_PARAMETERS}

    Attributes
    ----------
    {_ATTRIBUTES}

    Notes
    -----
    The loss is half the mean squared error over every sample and output, as scikit-learn reports it,
    and the gradients are those of that loss. With several outputs, scikit-learn's gradients are
    n_outputs times larger than its reported loss implies, so fits with several outputs differ.

    Examples
    --------
    >>> from xpml.neural_network import MLPRegressor
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 2.0, 3.0]
    >>> model = MLPRegressor(hidden_layer_sizes=(4,), activation="identity", solver="lbfgs",
    ...                      random_state=0).fit(X, y)
    >>> round(float(model.predict([[4.0]])[0]), 2)
    4.0
    """

    def fit(self, X: Any, y: Any) -> MLPRegressor:
        """Fit the network to X of shape (n_samples, n_features) and y of shape (n_samples,) or
        (n_samples, n_outputs). Returns self."""
        return self._fit(X, y, incremental=False)

    def _partial_fit(self, X: Any, y: Any) -> MLPRegressor:
        """One epoch over X and y, keeping the optimizer's state."""
        self._refuse_early_stopping()
        return self._fit(X, y, incremental=True)

    def _fit(self, X, y, *, incremental):
        self._validate_params()
        first_pass = self._starts_fresh(incremental)
        X, y = self._validate_data(X, y, reset=first_pass)
        self.out_activation_, self._loss = "identity", "squared_error"
        Y = y[:, None] if y.ndim == 1 else y  # (n, k)
        return self._train(X, Y, first_pass=first_pass, incremental=incremental)

    def predict(self, X: Any):
        """Predicted values, of shape (n_samples,) or (n_samples, n_outputs)."""
        X_in = X
        out = self._forward(self._validate_X(X, reset=False))  # (n, k)
        return self._output(out[:, 0] if out.shape[1] == 1 else out, X_in)

    def _validation_score(self, X, Y) -> float:
        """R² on validated X and Y (n_samples, n_outputs), averaged over the outputs."""
        return r2_score(Y, self._forward(X))
