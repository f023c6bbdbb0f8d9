"""HistGradientBoostingRegressor and HistGradientBoostingClassifier: scikit-learn's estimators.

Each is the boosting loop of `_boosting` with a loss of `_losses`; the classifier boosts one tree
per iteration for two classes (the logit) and one per class and iteration for more (the
multinomial logits, softmax-ed into probabilities).

Reference: scikit-learn's `HistGradientBoostingClassifier` / `HistGradientBoostingRegressor`.
"""

from __future__ import annotations

from numbers import Real
from typing import Any, ClassVar

from ...base import ClassifierMixin, RegressorMixin
from ...utils._binning import integer_dtype
from ...utils._class_weight import compute_class_weight
from ...utils._param_validation import Interval, Options
from ...utils.validation import check_labels
from . import _losses
from ._boosting import CONSTRAINTS, BaseHistGradientBoosting, sample_weights

__all__ = ["HistGradientBoostingClassifier", "HistGradientBoostingRegressor"]

_PARAMETERS = """learning_rate : float, default=0.1
        The shrinkage of each tree's leaf values.
    max_iter : int, default=100
        The most boosting iterations.
    max_leaf_nodes : int or None, default=31
        Each tree grows best-first (the leaf whose split gains most, first) to at most this many leaves.
    max_depth : int or None, default=None
        The most splits from a tree's root to a leaf.
    min_samples_leaf : int, default=20
        The fewest samples a leaf may hold.
    l2_regularization : float, default=0.0
        λ in the leaf values -G / (H + λ).
    max_features : float, default=1.0
        The share of the features each split chooses among (drawn at random per split when below 1).
    max_bins : int, default=255
        The most bins of non-missing values per feature (missing values get one more).
    categorical_features : array-like of {bool, int, str}, "from_dtype" or None, default="from_dtype"
        The categorical features: a boolean mask (n_features,), their indices, or their names (with a DataFrame);
        "from_dtype": a DataFrame's columns of categorical dtype (pandas' category, polars' Categorical and Enum).
        A categorical feature's categories are its distinct values at fit (at most max_bins); a split sends a set
        of them left. NaN and categories unseen at fit are missing values.
    monotonic_cst, interaction_cst : None
        Not supported (only None).
    warm_start : bool, default=False
        Whether a new fit (with a max_iter not below n_iter_, on data of the same features) adds iterations to
        those of the previous fit instead of starting anew.
    early_stopping : "auto" or bool, default="auto"
        Stop when the score stalls; "auto": when there are more than 10 000 samples.
    scoring : "loss" or None, default="loss"
        What early stopping scores: the negative loss, or (None) the estimator's score (accuracy, R²) on all
        the training data (scikit-learn: on a subset of at most 10 000 samples).
    validation_fraction : int, float or None, default=0.1
        The share (or number) of the samples held out to score early stopping; None: the training data.
    n_iter_no_change : int, default=10
        Stop when none of the last n_iter_no_change scores beats the one before them by more than tol.
    tol : float, default=1e-7
    verbose : int, default=0
        Accepted; nothing is printed.
    random_state : int, Generator, RandomState or None
        Seeds the validation split, the binning subsample and the feature draws.
"""

_ATTRIBUTES = """n_iter_ : int
        The iterations boosted.
    n_trees_per_iteration_ : int
    train_score_ : ndarray of shape (n_iter_ + 1,)
        The negative loss on the training data before and after each iteration (empty without early stopping).
    validation_score_ : ndarray of shape (n_iter_ + 1,)
        The same on the validation data (empty without one).
    do_early_stopping_ : bool
    is_categorical_ : ndarray of bool of shape (n_features,) or None
        Which features are categorical; None where none is.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Where X was a DataFrame.
"""


def _init(self, params):
    for name, value in params.items():
        if name not in ("self", "__class__"):
            setattr(self, name, value)


class HistGradientBoostingRegressor(RegressorMixin, BaseHistGradientBoosting):
    __doc__ = f"""Gradient boosting of histogram trees for regression.

    Parameters
    ----------
    loss : {{"squared_error", "absolute_error", "gamma", "poisson", "quantile"}}, default="squared_error"
    quantile : float, optional
        The quantile predicted with loss="quantile", in (0, 1).
    {_PARAMETERS}    backend : str or Backend, optional
    dtype : {{"float32", "float64"}}, optional

    Attributes
    ----------
    {_ATTRIBUTES}
    Examples
    --------
    >>> from xpml.ensemble import HistGradientBoostingRegressor
    >>> X = [[0.0], [1.0], [2.0], [3.0]] * 10
    >>> model = HistGradientBoostingRegressor(min_samples_leaf=5).fit(X, [1.0, 1.0, 5.0, 5.0] * 10)
    >>> [round(v, 2) for v in model.predict([[0.5], [2.5]]).tolist()]
    [1.0, 5.0]
    """

    _parameter_constraints: ClassVar[dict] = {
        **CONSTRAINTS, "loss": [Options({"squared_error", "absolute_error", "poisson", "gamma", "quantile"})],
        "quantile": [Interval(Real, 0, 1, closed="neither"), None]}

    def __init__(self, loss="squared_error", *, quantile=None, learning_rate=0.1, max_iter=100, max_leaf_nodes=31,
                 max_depth=None, min_samples_leaf=20, l2_regularization=0.0, max_features=1.0, max_bins=255,
                 categorical_features="from_dtype", monotonic_cst=None, interaction_cst=None, warm_start=False,
                 early_stopping="auto", scoring="loss", validation_fraction=0.1, n_iter_no_change=10, tol=1e-7,
                 verbose=0, random_state=None, backend=None, dtype=None):
        _init(self, locals())

    def _loss_name(self) -> str:
        return self.loss

    def _score_raw(self, xp, y, F, w):
        """The weighted R² of the predictions from raw predictions F (n, 1) (early stopping with scoring=None)."""
        residual = xp.sum(w * (y - _losses.inverse_link(xp, self.loss, F)) ** 2)
        mean = xp.sum(w * y) / xp.sum(w)
        return 1 - residual / xp.sum(w * (y - mean) ** 2)

    def fit(self, X: Any, y: Any, sample_weight: Any = None, *, X_val: Any = None, y_val: Any = None,
            sample_weight_val: Any = None):
        """Boost trees on X (n_samples, n_features), NaN allowed, and the targets y. Returns self.

        X_val, y_val, sample_weight_val: a validation set for early stopping, instead of a held-out share.
        """
        X, y = self._validate_Xy(X, y)
        xp = self._xp
        if self.loss == "quantile" and self.quantile is None:
            raise ValueError("loss='quantile' needs quantile=<a number in (0, 1)>; got quantile=None.")
        if self.loss == "poisson" and not (bool(xp.all(y >= 0)) and bool(xp.sum(y) > 0)):
            raise ValueError("loss='poisson' needs y >= 0 with sum(y) > 0.")
        if self.loss == "gamma" and not bool(xp.all(y > 0)):
            raise ValueError("loss='gamma' needs y > 0.")
        self.n_trees_per_iteration_ = 1
        val = None
        if X_val is not None:
            X_v, y_v = self._validate_Xy(X_val, y_val, reset=False)
            val = (X_v, y_v, sample_weights(self, sample_weight_val, X_v.shape[0]))
        return self._boost(X, y, sample_weights(self, sample_weight, X.shape[0]), val=val)

    def predict(self, X: Any):
        """The predicted target of each sample, shape (n_samples,)."""
        X_in, X = X, self._validate_X(X, reset=False)
        return self._output(_losses.inverse_link(self._xp, self.loss, self._raw_predict(X)), X_in)

    def staged_predict(self, X: Any):
        """The prediction after each iteration, as a generator of arrays of shape (n_samples,)."""
        X_in, X = X, self._validate_X(X, reset=False)
        for F in self._staged_raw_predict(X):
            yield self._output(_losses.inverse_link(self._xp, self.loss, F), X_in)

    def _validate_Xy(self, X, y, reset=True):
        from ..._mixins import _require_y
        from ...utils.validation import check_consistent_length, check_target

        _require_y(self, y)
        check_consistent_length(X=X, y=y)
        X = self._validate_X(X, reset=reset)
        return X, check_target(y, self._backend, n_samples=X.shape[0], dtype=self._dtype, multi_output=False)


class HistGradientBoostingClassifier(ClassifierMixin, BaseHistGradientBoosting):
    __doc__ = f"""Gradient boosting of histogram trees for classification (log loss).

    Parameters
    ----------
    loss : {{"log_loss"}}, default="log_loss"
    {_PARAMETERS}    class_weight : dict, "balanced" or None
        Weights of the classes, multiplying the sample weights.
    backend : str or Backend, optional
    dtype : {{"float32", "float64"}}, optional

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    {_ATTRIBUTES}
    Examples
    --------
    >>> from xpml.ensemble import HistGradientBoostingClassifier
    >>> X = [[0.0], [1.0], [2.0], [3.0]] * 10
    >>> model = HistGradientBoostingClassifier(min_samples_leaf=5).fit(X, [0, 0, 1, 1] * 10)
    >>> model.predict([[0.5], [2.5]]).tolist()
    [0, 1]
    """

    _parameter_constraints: ClassVar[dict] = {**CONSTRAINTS, "loss": [Options({"log_loss"})],
                                    "class_weight": [None, "dict", Options({"balanced"})]}

    def __init__(self, loss="log_loss", *, learning_rate=0.1, max_iter=100, max_leaf_nodes=31, max_depth=None,
                 min_samples_leaf=20, l2_regularization=0.0, max_features=1.0, max_bins=255,
                 categorical_features="from_dtype", monotonic_cst=None, interaction_cst=None, warm_start=False,
                 early_stopping="auto", scoring="loss", validation_fraction=0.1, n_iter_no_change=10, tol=1e-7,
                 verbose=0, random_state=None, class_weight=None, backend=None, dtype=None):
        _init(self, locals())

    def _loss_name(self) -> str:
        return "log_loss"

    def _score_raw(self, xp, y, F, w):
        """The weighted accuracy from raw predictions F (n, K) (early stopping with scoring=None)."""
        return xp.sum(w * xp.astype(self._argmax(F) == y, w.dtype)) / xp.sum(w)

    def fit(self, X: Any, y: Any, sample_weight: Any = None, *, X_val: Any = None, y_val: Any = None,
            sample_weight_val: Any = None):
        """Boost trees on X (n_samples, n_features), NaN allowed, and the labels y. Returns self.

        X_val, y_val, sample_weight_val: a validation set for early stopping, instead of a held-out share.
        """
        X, y_index = self._validate_labels(X, y)
        xp = self._xp
        w = sample_weights(self, sample_weight, X.shape[0])
        weighted = self._xp.sum(xp.astype(y_index[:, None] == xp.arange(len(self.classes_), dtype=y_index.dtype,
                                                                         device=self._device), w.dtype) * w[:, None], axis=0)
        if int(xp.sum(xp.astype(weighted > 0, xp.int32))) < 2:
            raise ValueError("y has 1 class with a positive sample weight; a classifier needs at least 2 classes.")
        class_w = compute_class_weight(self.class_weight, classes=self.classes_, y_indices=y_index,
                                       sample_weight=None if sample_weight is None else w)
        w = w * xp.take(self._to_backend(class_w, dtype=self._dtype), y_index)  # (n,)
        C = len(self.classes_)
        self.n_trees_per_iteration_ = 1 if C == 2 else C
        val = None
        if X_val is not None:
            X_v = self._validate_X(X_val, reset=False)
            y_v = self._class_indices(y_val, X_v.shape[0])
            w_v = sample_weights(self, sample_weight_val, X_v.shape[0])
            val = (X_v, y_v, w_v * xp.take(self._to_backend(class_w, dtype=self._dtype), y_v))
        return self._boost(X, y_index, w, labels=y_index, val=val)

    def _class_indices(self, y, n):
        """y (labels of classes_) as class indices on the backend."""
        classes, indices = check_labels(y, n_samples=n, min_classes=1)
        position = self.classes_.searchsorted(classes)  # (c,) host
        known = (position < len(self.classes_)) & (self.classes_[position.clip(0, len(self.classes_) - 1)] == classes)
        if not known.all():
            raise ValueError(f"y_val has labels {classes[~known].tolist()} not seen in y (classes_={self.classes_.tolist()}).")
        return self._to_backend(position[indices].astype("int64"))

    def decision_function(self, X: Any):
        """The raw predictions: shape (n_samples,) for two classes (the logit), else (n_samples, n_classes)."""
        X_in = X
        F = self._raw_predict(self._validate_X(X, reset=False))
        return self._output(F[:, 0] if F.shape[1] == 1 else F, X_in)

    def predict_proba(self, X: Any):
        """The probability of each class, shape (n_samples, n_classes)."""
        X_in = X
        return self._output(_losses.inverse_link(self._xp, "log_loss", self._raw_predict(self._validate_X(
            X, reset=False))), X_in)

    def predict(self, X: Any):
        """The most probable class of each sample."""
        X_in = X
        F = self._raw_predict(self._validate_X(X, reset=False))
        return self._labels(self._argmax(F), X_in)

    def staged_decision_function(self, X: Any):
        """The decision function after each iteration, as a generator."""
        X_in = X
        for F in self._staged_raw_predict(self._validate_X(X, reset=False)):
            yield self._output(F[:, 0] if F.shape[1] == 1 else F, X_in)

    def staged_predict_proba(self, X: Any):
        """The class probabilities after each iteration, as a generator."""
        X_in = X
        for F in self._staged_raw_predict(self._validate_X(X, reset=False)):
            yield self._output(_losses.inverse_link(self._xp, "log_loss", F), X_in)

    def staged_predict(self, X: Any):
        """The predicted classes after each iteration, as a generator."""
        X_in = X
        for F in self._staged_raw_predict(self._validate_X(X, reset=False)):
            yield self._labels(self._argmax(F), X_in)

    def _argmax(self, F):
        xp = self._xp
        return xp.astype(F[:, 0] > 0, integer_dtype(xp, F)) if F.shape[1] == 1 else xp.argmax(F, axis=1)
