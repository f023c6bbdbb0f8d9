"""What MLPClassifier and MLPRegressor share: their parameters, initialization and forward pass.

`BaseMultilayerPerceptron._train` draws the Glorot-initialized network (or, with `warm_start` or
`partial_fit`, checks that the fitted one matches the data) and hands it to its solver, an
`_solvers.MLPSolver` that the model holds (`_solver`) and that keeps the training state between calls.
The parameter and attribute descriptions are written once here and shared by both docstrings.
"""

from __future__ import annotations

from numbers import Integral, Real

from ..base import BACKEND_CONSTRAINTS, BaseEstimator
from ..utils._param_validation import Interval, Options
from ..utils._random import check_random_state
from ..utils._stream import reported_loss
from ..utils.validation import check_sample_weight
from ._backprop import ACTIVATIONS, forward, glorot_uniform
from ._solvers import MLPSolver

__all__ = ["BaseMultilayerPerceptron"]

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
    max_fun : int, default=15000
        The most loss evaluations of L-BFGS (line searches included); reaching it stops the fit
        with a ConvergenceWarning. Unused by Adam and SGD.
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
        The training loss after each epoch (Adam and SGD only, as in scikit-learn).
    best_loss_ : float or None
        The least training loss seen; None with early stopping (Adam and SGD only).
    validation_scores_ : list of float or None
        The score on the validation set after each epoch, with early stopping (Adam and SGD only).
    best_validation_score_ : float or None
        The best of `validation_scores_` (Adam and SGD only).
    n_iter_ : int
        Epochs run by the last call (L-BFGS: iterations).
    t_ : int
        Training samples seen by the stochastic solvers, over all calls.
    n_layers_ : int
        Layers, counting the input and the output.
    n_outputs_ : int
        Output units.
    out_activation_ : str
        The output activation: "identity", "exp" (Poisson loss), "logistic" or "softmax".
    n_features_in_ : int"""


_MAX_WEIGHTS = 10**9  # weights (and biases) of the network: beyond this, memory runs out first

class BaseMultilayerPerceptron(BaseEstimator):
    """What MLPClassifier and MLPRegressor share: parameters, initialization, the forward pass."""

    _squares_X = True  # activations and squared losses of X: values beyond ~1e150 are refused at input
    _accepts_sparse = True  # the first layer reads X through X @ W₁ and Xᵀ δ₁
    _chunk_loss = staticmethod(reported_loss)  # on dask, fit and partial_fit stream the chunks (utils/_stream.py)

    _parameter_constraints = {
        "hidden_layer_sizes": [Interval(Integral, 1, None), "array-like"],
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
        "max_fun": [Interval(Integral, 1, None)],
        **BACKEND_CONSTRAINTS,
    }

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *, solver="adam", alpha=1e-4,
                 batch_size="auto", learning_rate="constant", learning_rate_init=1e-3, power_t=0.5,
                 max_iter=200, shuffle=True, random_state=None, tol=1e-4, verbose=False, warm_start=False,
                 momentum=0.9, nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1,
                 beta_1=0.9, beta_2=0.999, epsilon=1e-8, n_iter_no_change=10, max_fun=15000, backend=None,
                 dtype=None):
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
        self.max_fun = max_fun
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

    def _train(self, X, Y, *, out_activation: str, loss: str, first_pass: bool, incremental: bool,
               classes=None, stratify=None, sample_weight=None):
        """Check (or initialize) the network for X (n, p) and targets Y (n, k), then run the solver.

        `sample_weight` (array-like of shape (n,), or None) weighs each sample's loss term.

        `out_activation` and `loss` follow from the targets; `classes` (classifiers) is stored only
        once the data have been found to fit the network, so a refused call changes nothing.
        """
        units = [X.shape[1], *self._hidden_sizes(), Y.shape[1]]
        n_weights = sum((a + 1) * b for a, b in zip(units[:-1], units[1:]))
        if n_weights > _MAX_WEIGHTS:  # refused before any allocation: a MemoryError names nothing
            raise ValueError(f"hidden_layer_sizes={self.hidden_layer_sizes!r} would need {n_weights:.3g} weights "
                             f"for layer sizes {units}; at most {_MAX_WEIGHTS:.0e} are allowed. Use smaller layers.")
        if not first_pass and (units != self._layer_units or out_activation != self.out_activation_):
            raise ValueError(f"warm_start: the fitted network has layer sizes {self._layer_units} and output "
                             f"{self.out_activation_!r}, but this data and hidden_layer_sizes give {units} and "
                             f"{out_activation!r}. Set warm_start=False to start afresh.")
        if sample_weight is not None:  # checked before anything is set, so a refused call changes nothing
            sample_weight = check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)
        self.out_activation_, self._loss = out_activation, loss
        if classes is not None:
            self.classes_ = classes
        rng = check_random_state(self.random_state)
        if first_pass:
            self.n_layers_, self.n_outputs_, self._layer_units = len(units), Y.shape[1], units
            self.coefs_, self.intercepts_ = glorot_uniform(rng, self._backend, units, self.activation, self._dtype)
            self._solver = MLPSolver(validating=self.early_stopping and self.solver != "lbfgs")  # L-BFGS: all data
        self.coefs_, self.intercepts_ = self._solver.run(self, X, Y, rng, incremental=incremental, stratify=stratify,
                                                          sample_weight=sample_weight)
        for name, value in self._solver.fitted_attributes().items():
            setattr(self, name, value)
        return self

    def _forward(self, X, params=None):
        """The output a_L of the network (the fitted one, or `params` = (coefs, intercepts)) for validated X:
        (n_samples, n_outputs)."""
        coefs, intercepts = (self.coefs_, self.intercepts_) if params is None else params
        return forward(self._xp, coefs, intercepts, X, self.activation, self.out_activation_)[-1]

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
