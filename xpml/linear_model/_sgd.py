"""Linear models fitted by stochastic gradient descent: what they share, and SGDRegressor.

Both minimize (1/n) Σᵢ sᵢ L(yᵢ, xᵢ·w + b) + α R(w), the objective of scikit-learn's estimators
of the same names, with minibatch SGD (`_sgd_solver`, which explains the algorithm and how the
batch size trades speed against scikit-learn's per-sample steps; batch_size=1 reproduces them).
The losses are in `_sgd_losses`. The data stay on the device; only each epoch's stopping
criterion comes back to the host, and random orders are drawn on the host from `random_state`.

Reference: L. Bottou, "Stochastic gradient descent tricks", Neural Networks: Tricks of the Trade, 2012.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

from ..base import BACKEND_CONSTRAINTS, BaseEstimator, RegressorMixin
from ..exceptions import ConvergenceWarning
from ..utils._csr import is_csr, take_rows
from ..utils._holdout import holdout_split
from ..utils._param_validation import Interval, Options
from ..utils._random import check_random_state
from ..utils._warnings import warn
from ..utils.validation import check_sample_weight
from ._base import LinearModel
from ._sgd_losses import REGRESSION_LOSSES, make_loss
from ._sgd_solver import SGDSettings, SGDState, run_epochs
from ._sgd_stream import sgd_chunk_loss

__all__ = ["BaseSGD", "SGDRegressor"]

_L1_RATIO = {"l2": 0.0, "l1": 1.0}


def auto_batch_size(n_samples: int) -> int:
    """batch_size="auto": n_samples // 400, between 1 and 4096, so about 400 steps per epoch.

    The stopping rule counts epochs, so an epoch must hold enough steps for its mean objective to
    show progress above the noise: with a few dozen steps per epoch, fits stop too early. Small
    data (under 800 samples) therefore get per-sample steps, scikit-learn's own algorithm. A
    step costs some fifteen array operations whatever its size (about 10 µs on numpy, and on torch
    on a CPU, which runs them on numpy views; far more on a GPU), so on large data a batch grows to
    keep the steps per epoch near 400.
    """
    return min(4096, max(1, n_samples // 400))


SGD_CONSTRAINTS = {
    "penalty": [Options({"l2", "l1", "elasticnet"}), None],
    "alpha": [Interval(Real, 0, None, closed="left")],
    "l1_ratio": [Interval(Real, 0, 1)],
    "fit_intercept": ["boolean"],
    "max_iter": [Interval(Integral, 1, None)],
    "tol": [Interval(Real, 0, None, closed="left"), None],
    "shuffle": ["boolean"],
    "verbose": [Interval(Integral, 0, None), "boolean"],
    "epsilon": [Interval(Real, 0, None, closed="left")],
    "random_state": ["random_state"],
    "learning_rate": [Options({"constant", "optimal", "invscaling", "adaptive"})],
    "eta0": [Interval(Real, 0, None, closed="neither")],
    "power_t": [Interval(Real, 0, None, closed="left")],
    "early_stopping": ["boolean"],
    "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
    "n_iter_no_change": [Interval(Integral, 1, None)],
    "warm_start": ["boolean"],
    "average": ["boolean", Interval(Integral, 0, None)],
    "batch_size": [Interval(Integral, 1, None), Options({"auto"})],
    **BACKEND_CONSTRAINTS,
}


class BaseSGD(BaseEstimator):
    """What SGDClassifier and SGDRegressor share: settings, initial weights, the run, and its result.

    A subclass turns its y into k target columns Y (n_samples, k) and per-sample weights
    (n_samples, k), then calls `_run`; the weights come back as W (n_features, k) and b (k,).
    X may be sparse (a `CSR`): each step gathers its batch's rows.
    """

    _accepts_sparse = True
    _chunk_loss = staticmethod(sgd_chunk_loss)  # on dask, fit and partial_fit stream the chunks (utils/_stream.py)

    def _settings(self, n_samples: int, *, stream: bool = False, sparse: bool = False) -> SGDSettings:
        if self.learning_rate == "optimal" and self.alpha == 0:
            raise ValueError(
                f"alpha={self.alpha!r} should be > 0 with learning_rate='optimal' (its step is 1 / (alpha * t))."
            )
        return SGDSettings(
            loss=make_loss(self.loss, self.epsilon),
            alpha=float(self.alpha),
            l1_ratio=_L1_RATIO.get(self.penalty, float(self.l1_ratio)),
            penalized=self.penalty is not None,
            learning_rate=self.learning_rate,
            eta0=float(self.eta0),
            power_t=float(self.power_t),
            fit_intercept=self.fit_intercept,
            batch_size=auto_batch_size(n_samples) if self.batch_size == "auto" else int(self.batch_size),
            shuffle=self.shuffle,
            tol=None if stream else self.tol,  # partial_fit makes one pass and no stopping decision
            n_iter_no_change=self.n_iter_no_change,
            average=int(self.average),
            verbose=int(self.verbose),
            intercept_decay=0.01 if sparse else 1.0, sparse=sparse,  # scikit-learn's steps on sparse data
        )

    def _initial_state(self, X, k: int, coef_init=None, intercept_init=None) -> SGDState:
        """Zeros, or coef_init and intercept_init when given, or with warm_start the weights of the
        previous fit (the averaged ones, if averaging)."""
        xp, p = self._xp, X.shape[1]
        state = SGDState.zeros(xp, p, k, X.dtype, X.device)
        if coef_init is not None or intercept_init is not None:
            if coef_init is not None:
                W = self._to_backend(coef_init, self._dtype)
                if math.prod(W.shape) != p * k or (W.ndim == 2 and W.shape[0] != k):
                    raise ValueError(f"coef_init has shape {tuple(W.shape)}; expected {(k, p) if k > 1 else (p,)}.")
                state.W = xp.reshape(W, (k, p)).T  # (p, k)
            if intercept_init is not None:
                b = xp.reshape(self._to_backend(intercept_init, self._dtype), (-1,))
                if b.shape[0] != k:
                    raise ValueError(f"intercept_init has {b.shape[0]} values; expected {k}.")
                state.b = b  # (k,)
        elif self.warm_start and getattr(self, "_state", None) is not None:
            W, b = self._coef_as_columns()
            if tuple(W.shape) != (p, k):
                raise ValueError(
                    f"warm_start=True continues from weights of shape (n_features, k)={tuple(W.shape)}, "
                    f"but this fit needs {(p, k)}. Use warm_start=False."
                )
            state.W, state.b = self._to_backend(W, self._dtype), self._to_backend(b, self._dtype)
        return state

    def _run(self, X, Y, weights, sample_weight, state: SGDState, *, stream: bool, stratify=None):
        """Fit the k columns by SGD (one epoch if `stream`); set n_iter_, t_; return (W, b).

        `weights` (n_samples, k) weigh each sample's steps (None: all 1). With early stopping
        (never in a stream), a validation set is held out, stratified on the class indices
        `stratify`, and scored with `sample_weight` (n_samples,).
        """
        xp = self._xp
        rng = check_random_state(self.random_state)
        score = None
        if self.early_stopping and not stream:
            split = holdout_split(X.shape[0], self.validation_fraction, rng, labels=stratify)
            train, val = (self._to_backend(indices) for indices in split)
            X_val, Y_val, w_val = (take_rows(a, val, xp=xp) for a in (X, Y, sample_weight))
            X, Y = take_rows(X, train, xp=xp), xp.take(Y, train, axis=0)
            weights = None if weights is None else xp.take(weights, train, axis=0)
            score = lambda W, b: self._validation_score(X_val, Y_val, w_val, W, b)  # noqa: E731
        settings = self._settings(X.shape[0], stream=stream, sparse=is_csr(X))
        max_iter = 1 if stream else self.max_iter
        self.n_iter_ = run_epochs(self._backend, settings, state, X, Y, weights, max_iter=max_iter,
                                  rng=rng, validation_score=score)
        self._state = state
        self.t_ = state.t
        if not stream and self.tol is not None and self.n_iter_ == self.max_iter:
            warn(
                f"{type(self).__name__} reached max_iter={self.max_iter} epochs before the "
                f"{'validation score' if score else 'objective'} stopped improving by tol={self.tol}. "
                f"Increase max_iter, or raise tol.",
                ConvergenceWarning,
            )
        return state.coef(xp, averaged=bool(self.average))

    def _sample_weight(self, sample_weight, X):
        """The sample weights (n_samples,) on the backend: ones if None."""
        return check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)


class SGDRegressor(LinearModel, RegressorMixin, BaseSGD):
    """A linear regressor fitted by minibatch stochastic gradient descent.

    Minimizes (1/n) Σᵢ sᵢ L(yᵢ, xᵢ·w + b) + α ((1 - ρ)/2 ‖w‖² + ρ ‖w‖₁), as scikit-learn's
    SGDRegressor does. Learns from a stream with `partial_fit`.

    Parameters
    ----------
    loss : {"squared_error", "huber", "epsilon_insensitive", "squared_epsilon_insensitive"}, \
            default="squared_error"
        Least squares; Huber's robust loss (squared up to `epsilon`, then linear); or the losses of
        support vector regression, which ignore residuals within `epsilon`.
    penalty : {"l2", "l1", "elasticnet"} or None, default="l2"
        R(w): ½‖w‖², ‖w‖₁, or (1 - l1_ratio)/2 ‖w‖² + l1_ratio ‖w‖₁. The intercept is not penalized.
    alpha : float, default=1e-4
        The penalty's strength. Also sets the "optimal" learning rate.
    l1_ratio : float in [0, 1], default=0.15
        The L1 share of the elastic-net penalty.
    fit_intercept : bool, default=True
    max_iter : int, default=1000
        The most epochs (passes over the data).
    tol : float or None, default=1e-3
        Stop when, for n_iter_no_change epochs in a row, the epoch's mean objective has not fallen
        by tol below its best (or the validation score has not risen by tol). None: run max_iter epochs.
    shuffle : bool, default=True
        Visit the samples in a new random order each epoch.
    verbose : int, default=0
        Print the stopping criterion after each epoch.
    epsilon : float, default=0.1
        The width of the huber and epsilon-insensitive losses.
    random_state : int, numpy.random.Generator or None
        Seeds the orders of the samples and the validation split.
    learning_rate : {"invscaling", "constant", "optimal", "adaptive"}, default="invscaling"
        The step size η at step t: eta0 / t^power_t; eta0; 1 / (alpha (t₀ + t - 1)); or eta0,
        divided by 5 each time n_iter_no_change epochs pass without improvement.
    eta0 : float > 0, default=0.01
    power_t : float >= 0, default=0.25
    early_stopping : bool, default=False
        Hold out `validation_fraction` of the data and stop when its R² stops improving.
    validation_fraction : float in (0, 1), default=0.1
    n_iter_no_change : int, default=5
    warm_start : bool, default=False
        Start `fit` from the previous fit's coef_ and intercept_.
    average : bool or int, default=False
        Predict with the average of the weights over the steps (True: all of them; an int n:
        from step n on).
    batch_size : int or "auto", default="auto"
        Samples per step. 1 reproduces scikit-learn's per-sample SGD; larger batches make fewer,
        less noisy steps per epoch, and run far faster, above all on a GPU. "auto":
        n_samples // 400, between 1 and 4096 (about 400 steps per epoch).
    backend : str or Backend, optional
    dtype : {"float32", "float64"}, optional

    Attributes
    ----------
    coef_ : array of shape (n_features,)
    intercept_ : array of shape (1,)
    n_iter_ : int
        Epochs run.
    t_ : int
        The number of steps taken, plus one.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from xpml.linear_model import SGDRegressor
    >>> X = np.random.default_rng(0).standard_normal((200, 3))
    >>> model = SGDRegressor(random_state=0).fit(X, X @ [1.0, 2.0, 3.0] + 1)
    >>> bool(model.score(X, X @ [1.0, 2.0, 3.0] + 1) > 0.999)
    True
    """

    _parameter_constraints = {**SGD_CONSTRAINTS, "loss": [Options(set(REGRESSION_LOSSES))]}

    def __init__(self, loss="squared_error", *, penalty="l2", alpha=1e-4, l1_ratio=0.15, fit_intercept=True,
                 max_iter=1000, tol=1e-3, shuffle=True, verbose=0, epsilon=0.1, random_state=None,
                 learning_rate="invscaling", eta0=0.01, power_t=0.25, early_stopping=False,
                 validation_fraction=0.1, n_iter_no_change=5, warm_start=False, average=False, batch_size="auto",
                 backend=None, dtype=None):
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
        self.random_state = random_state
        self.learning_rate = learning_rate
        self.eta0 = eta0
        self.power_t = power_t
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.warm_start = warm_start
        self.average = average
        self.batch_size = batch_size
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, coef_init: Any = None, intercept_init: Any = None,
            sample_weight: Any = None) -> SGDRegressor:
        """Fit by SGD, from zeros, from coef_init and intercept_init, or with warm_start from the previous fit.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        coef_init : array-like of shape (n_features,), optional
            The starting coefficients.
        intercept_init : array-like of shape (1,), optional
            The starting intercept.
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        X, y = self._validate_data(X, y, multi_output=False)
        state = self._initial_state(X, 1, coef_init, intercept_init)
        return self._fit_target(X, y, sample_weight, state, stream=False)

    def partial_fit(self, X: Any, y: Any, sample_weight: Any = None) -> SGDRegressor:
        """One epoch of SGD on (X, y), continuing from the current weights and step count.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        first = getattr(self, "_state", None) is None
        X, y = self._validate_data(X, y, reset=first, multi_output=False)
        state = self._initial_state(X, 1) if first else self._state
        return self._fit_target(X, y, sample_weight, state, stream=True)

    def _fit_target(self, X, y, sample_weight, state, *, stream: bool):
        weights = self._sample_weight(sample_weight, X)  # (n,)
        steps = None if sample_weight is None else weights[:, None]  # (n, 1)
        W, b = self._run(X, y[:, None], steps, weights, state, stream=stream)
        self.coef_, self.intercept_ = W[:, 0], b  # (p,), (1,)
        return self

    def _coef_as_columns(self):
        return self.coef_[:, None], self.intercept_  # (p, 1), (1,)

    def _validation_score(self, X, Y, w, W, b):
        """The weighted R² of each column on the validation set. (k,)"""
        xp = self._xp
        w = w / xp.sum(w)  # (n_val,)
        residual = w @ (Y - (X @ W + b)) ** 2  # (k,)
        spread = w @ (Y - w @ Y) ** 2  # (k,)
        return 1.0 - residual / xp.where(spread > 0, spread, 1.0)

