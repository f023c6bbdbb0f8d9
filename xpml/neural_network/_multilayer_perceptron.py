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

from typing import Any

from .._backend import config_context
from ..base import ClassifierMixin, RegressorMixin, _require_y, check_is_fitted
from ..metrics import r2_score
from ..utils._labels import check_classes, classification_targets
from ..utils._param_validation import Options
from ..utils._special import log_sigmoid, log_softmax
from ._backprop import forward
from ._base import _ATTRIBUTES, _PARAMETERS, BaseMultilayerPerceptron

__all__ = ["MLPClassifier", "MLPRegressor"]


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

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> MLPClassifier:
        """Fit the network to X of shape (n_samples, n_features) and labels y of shape (n_samples,)
        (or a 0/1 indicator matrix of shape (n_samples, n_labels)). `sample_weight` of shape (n_samples,)
        weighs each sample's loss term (the loss is their weighted average). Returns self."""
        return self._fit(X, y, sample_weight, classes=None, incremental=False)

    def _partial_fit(self, X: Any, y: Any, sample_weight: Any = None, classes: Any = None) -> MLPClassifier:
        """One epoch over X and y. The first call needs `classes`, every label that y may hold."""
        self._refuse_early_stopping()
        if hasattr(self, "classes_"):
            if classes is not None:
                check_classes(classes, previous=self.classes_)
            return self._fit(X, y, sample_weight, classes=self.classes_, incremental=True)
        return self._fit(X, y, sample_weight, classes=check_classes(classes), incremental=True)

    def _fit(self, X_in, y, sample_weight, *, classes, incremental):
        _require_y(self, y)
        self._validate_params()
        first_pass = self._starts_fresh(incremental)
        X = self._validate_X(X_in, reset=first_pass)
        known = classes if first_pass else self.classes_  # warm start and partial_fit keep the classes
        found, encoded, multilabel = classification_targets(y, n_samples=X.shape[0], classes=known)
        xp, k = self._xp, len(found)
        codes = self._to_backend(encoded)
        if multilabel:  # one logistic unit per label
            Y, out_activation = xp.astype(codes, X.dtype), "logistic"  # (n, k)
        elif k == 2:  # one logistic unit: the probability of classes_[1]
            Y, out_activation = xp.astype(codes[:, None] == 1, X.dtype), "logistic"  # (n, 1)
        else:  # one-hot targets for a softmax over the classes
            grid = xp.arange(k, device=X.device)
            Y, out_activation = xp.astype(codes[:, None] == grid, X.dtype), "softmax"  # (n, k)
        loss = "binary_log_loss" if out_activation == "logistic" else "log_loss"
        return self._train(X, Y, out_activation=out_activation, loss=loss, first_pass=first_pass,
                           incremental=incremental, classes=found, stratify=None if multilabel else encoded,
                           sample_weight=sample_weight)

    def predict_proba(self, X: Any):
        """Class probabilities, of shape (n_samples, n_classes) (multi-label: each label's probability)."""
        X_in = X
        P = self._forward(self._validate_X(X, reset=False))  # (n, k)
        if P.shape[1] == 1 and len(self.classes_) == 2:
            P = self._xp.concat([1 - P, P], axis=1)  # (n, 2)
        return self._output(P, X_in)

    def predict_log_proba(self, X: Any):
        """The logarithm of `predict_proba`, from the output layer's scores z (log-softmax, log-sigmoid):
        finite even where a probability rounds to 0, as LogisticRegression's."""
        X_in, xp = X, self._xp
        X = self._validate_X(X, reset=False)
        Z = forward(xp, self.coefs_, self.intercepts_, X, self.activation, "identity")[-1]  # (n, k) scores
        if self.out_activation_ == "softmax":
            return self._output(log_softmax(Z, xp=xp), X_in)
        if Z.shape[1] == 1 and len(self.classes_) == 2:
            return self._output(xp.concat([log_sigmoid(-Z, xp=xp), log_sigmoid(Z, xp=xp)], axis=1), X_in)  # (n, 2)
        return self._output(log_sigmoid(Z, xp=xp), X_in)  # multi-label: each label's log-probability

    def predict(self, X: Any):
        """Predicted labels (n_samples,), or the 0/1 indicator matrix (n_samples, n_labels) for multi-label."""
        X_in = X
        P = self._forward(self._validate_X(X, reset=False))  # (n, k)
        xp = self._xp
        if self._is_multilabel():
            return self._output(xp.astype(P > 0.5, xp.int64), X_in)
        indices = xp.argmax(P, axis=1) if P.shape[1] > 1 else xp.astype(P[:, 0] > 0.5, xp.int64)  # (n,)
        return self._labels(indices, X_in)

    def _is_multilabel(self) -> bool:
        return self.out_activation_ == "logistic" and self.n_outputs_ > 1

    def _validation_score(self, X, Y, params, sample_weight=None) -> float:
        """Accuracy of the network `params` on validated X and 0/1 targets Y, on the backend (subset
        accuracy for multi-label), weighted by `sample_weight` (n_samples,) if given."""
        xp = self._xp
        P = self._forward(X, params)  # (n, k)
        if P.shape[1] > 1 and not self._is_multilabel():
            hit = xp.argmax(P, axis=1) == xp.argmax(Y, axis=1)  # (n,)
        else:
            hit = xp.all((P > 0.5) == (Y > 0.5), axis=1)  # (n,)
        hit = xp.astype(hit, X.dtype)
        if sample_weight is None:
            return float(xp.mean(hit))
        return float(xp.sum(hit * sample_weight) / xp.sum(sample_weight))

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Accuracy of `predict(X)`; for multi-label, the share of samples with every label right."""
        check_is_fitted(self)
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
    __doc__ = f"""A multi-layer perceptron regressor: identity output and squared error, or exp output and Poisson loss.

    Parameters
    ----------
    loss : {{"squared_error", "poisson"}}, default="squared_error"
        Half the squared error with an identity output, or half the Poisson deviance with an
        exponential output (a log link), for targets y >= 0 such as counts.
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

    _multi_output = True  # y may be (n_samples, n_outputs)
    _parameter_constraints = {"loss": [Options({"squared_error", "poisson"})],
                              **BaseMultilayerPerceptron._parameter_constraints}

    def __init__(self, loss="squared_error", hidden_layer_sizes=(100,), activation="relu", *, solver="adam",
                 alpha=1e-4, batch_size="auto", learning_rate="constant", learning_rate_init=1e-3, power_t=0.5,
                 max_iter=200, shuffle=True, random_state=None, tol=1e-4, verbose=False, warm_start=False,
                 momentum=0.9, nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1,
                 beta_1=0.9, beta_2=0.999, epsilon=1e-8, n_iter_no_change=10, max_fun=15000, backend=None,
                 dtype=None):
        self.loss = loss
        super().__init__(hidden_layer_sizes, activation, solver=solver, alpha=alpha, batch_size=batch_size,
                         learning_rate=learning_rate, learning_rate_init=learning_rate_init, power_t=power_t,
                         max_iter=max_iter, shuffle=shuffle, random_state=random_state, tol=tol, verbose=verbose,
                         warm_start=warm_start, momentum=momentum, nesterovs_momentum=nesterovs_momentum,
                         early_stopping=early_stopping, validation_fraction=validation_fraction, beta_1=beta_1,
                         beta_2=beta_2, epsilon=epsilon, n_iter_no_change=n_iter_no_change, max_fun=max_fun,
                         backend=backend, dtype=dtype)

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> MLPRegressor:
        """Fit the network to X of shape (n_samples, n_features) and y of shape (n_samples,) or
        (n_samples, n_outputs). `sample_weight` of shape (n_samples,) weighs each sample's loss term
        (the loss is their weighted average). Returns self."""
        return self._fit(X, y, sample_weight, incremental=False)

    def _partial_fit(self, X: Any, y: Any, sample_weight: Any = None) -> MLPRegressor:
        """One epoch over X and y, keeping the optimizer's state."""
        self._refuse_early_stopping()
        return self._fit(X, y, sample_weight, incremental=True)

    def _fit(self, X, y, sample_weight, *, incremental):
        self._validate_params()
        first_pass = self._starts_fresh(incremental)
        X, y = self._validate_data(X, y, reset=first_pass)
        Y = y[:, None] if y.ndim == 1 else y  # (n, k)
        if self.loss == "poisson" and bool(self._xp.any(Y < 0)):
            raise ValueError(f"loss='poisson' needs targets y >= 0; got a minimum of {float(self._xp.min(Y))}.")
        out_activation = "exp" if self.loss == "poisson" else "identity"
        return self._train(X, Y, out_activation=out_activation, loss=self.loss, first_pass=first_pass,
                           incremental=incremental, sample_weight=sample_weight)

    def predict(self, X: Any):
        """Predicted values, of shape (n_samples,) or (n_samples, n_outputs)."""
        X_in = X
        out = self._forward(self._validate_X(X, reset=False))  # (n, k)
        return self._output(out[:, 0] if out.shape[1] == 1 else out, X_in)

    def _validation_score(self, X, Y, params, sample_weight=None) -> float:
        """R² of the network `params` on validated X and Y (n_samples, n_outputs), averaged over the outputs,
        weighted by `sample_weight` (n_samples,) if given."""
        return r2_score(Y, self._forward(X, params), sample_weight=sample_weight)
