"""RidgeClassifier and RidgeClassifierCV: classification by ridge regression on ±1 targets.

Each class k gets a target column, +1 for its samples and -1 for the others (one column for two classes:
+1 for classes_[1]; for a multi-label indicator y, one column per label). Ridge regression fits all the
columns at once (`_ridge._BaseRidge`, or RidgeCV's leave-one-out for RidgeClassifierCV), minimizing

    Σᵢ sᵢ ||Yᵢ - Wxᵢ - b||² + α ||W||²,

and a sample goes to the class of the highest score x·wₖ + bₖ (two classes: classes_[1] where the score is
> 0; multi-label: each label whose score is > 0). `class_weight` multiplies each sample's weight sᵢ by the
weight of its class. This is the least-squares classifier of Hastie, Tibshirani and Friedman, The Elements
of Statistical Learning (2nd ed.), section 4.2, with an L2 penalty (Rifkin, "Everything old is new again:
a fresh look at historical approaches in machine learning", MIT PhD thesis, 2002).
"""

from __future__ import annotations

from typing import Any

from .._mixins import _require_y
from ..base import BaseEstimator, ClassifierMixin
from ..utils._class_weight import compute_class_weight
from ..utils._host import encode, host_array, unique_values
from ..utils._labels import classification_targets, multilabel_indicator
from ..utils._param_validation import Options
from ..utils.validation import check_consistent_length, check_sample_weight
from ._base import LinearClassifierMixin, centre
from ._ridge import _BaseRidge
from ._ridge_cv import _CV, _PARAMETERS, _STORE, _BaseRidgeCV

__all__ = ["RidgeClassifier", "RidgeClassifierCV"]

_CLASS_WEIGHT = {"class_weight": [None, "dict", Options({"balanced"})]}


class _RidgeClassifierMixin(LinearClassifierMixin):
    """What the two ridge classifiers share: the ±1 targets, the class weights, and the labels from the scores."""

    def _classification_problem(self, X, y, sample_weight):
        """Validate X and the labels (or a multi-label indicator) y; set classes_. Returns X (n, p), the ±1
        targets Y (n, k) and the sample weights (n,) times the class weights (None if neither is given)."""
        shape = getattr(y, "shape", None)  # a 1-D y is read no further here (on dask: not gathered)
        self._multilabel = (shape is None or len(shape) == 2) and multilabel_indicator(y) is not None
        if not self._multilabel:
            X, codes = self._validate_labels(X, y)  # (n,) class indices
            xp, k = self._xp, len(self.classes_)
            first = 1 if k == 2 else 0  # two classes: one column, +1 for classes_[1]
            columns = xp.arange(first, k, dtype=codes.dtype, device=codes.device)  # (k,) or (1,)
            positive = codes[:, None] == columns  # (n, k)
        else:
            _require_y(self, y)
            check_consistent_length(X=X, y=y)
            X = self._validate_X(X, reset=True)
            self.classes_, indicator, _ = classification_targets(y, n_samples=X.shape[0])
            xp, codes = self._xp, indicator  # host (n, k) of 0/1
            positive = self._to_backend(indicator) == 1  # (n, k)
        Y = 2 * xp.astype(positive, X.dtype) - 1  # (n, k): +1 for the class, -1 for the rest
        w = None
        if sample_weight is not None:
            w = check_sample_weight(sample_weight, self._backend, n_samples=X.shape[0], dtype=self._dtype)
        if self.class_weight is not None:
            per_sample = self._class_weights(codes)  # (n,)
            w = per_sample if w is None else w * per_sample
        return X, Y, w

    def _class_weights(self, codes):
        """Each sample's class weight (n,); for multi-label, the product over the labels of the 'balanced' weight
        of its value (0 or 1) in each label's column, as scikit-learn's compute_sample_weight."""
        if not self._multilabel:
            per_class = compute_class_weight(self.class_weight, classes=self.classes_, y_indices=codes)
            return self._xp.take(self._to_backend(per_class, self._dtype), codes)
        if self.class_weight != "balanced":
            raise ValueError(f"class_weight={self.class_weight!r} cannot weigh a multi-label y, whose columns each "
                             f"have classes 0 and 1; use class_weight='balanced' or None.")
        weights = host_array([1.0] * codes.shape[0])  # (n,)
        for j in range(codes.shape[1]):
            present = unique_values(codes[:, j])
            index = encode(codes[:, j], present)  # (n,)
            weights = weights * compute_class_weight("balanced", classes=present, y_indices=index)[index]
        return self._to_backend(weights, self._dtype)

    def _scores(self, X):
        """X (n, p) -> the scores (n, k); coef_ is (n_features,) for one column (scikit-learn's shape)."""
        W = self.coef_[None, :] if self.coef_.ndim == 1 else self.coef_  # (k, p)
        return X @ W.T + self.intercept_

    def predict(self, X: Any):
        """The class of each sample (n_samples,), or for multi-label y the 0/1 indicator (n_samples, n_labels)."""
        if not getattr(self, "_multilabel", False):
            return super().predict(X)
        xp, Z = self._xp, self._scores(self._validate_X(X, reset=False))  # (n, k)
        index_dtype = xp.__array_namespace_info__().default_dtypes(device=Z.device)["indexing"]
        return self._output(xp.astype(Z > 0, index_dtype), X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


class RidgeClassifier(_RidgeClassifierMixin, ClassifierMixin, _BaseRidge, BaseEstimator):
    """A classifier that fits ridge regression to ±1 targets, one column per class.

    Parameters
    ----------
    alpha : float or array-like of shape (n_classes,), default=1.0
        The penalty strength, >= 0 (one value per target column is allowed).
    fit_intercept : bool, default=True
    copy_X : bool, default=True
        Accepted for scikit-learn compatibility: xpml never writes into X.
    max_iter : int or None, default=None
        The most iterations of the iterative solvers (positive=True; sparse X).
    tol : float, default=1e-4
        The precision of the iterative solvers.
    class_weight : dict, "balanced" or None, default=None
        Multipliers of the samples' weights by class ("balanced": n_samples / (n_classes · count of the class)).
    solver : {"auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga", "lbfgs"}, default="auto"
        As Ridge's: "cholesky" (the normal equations) and "svd" are xpml's direct solvers; scikit-learn's
        iterative "lsqr", "sparse_cg", "sag" and "saga" reach the optimum of the same problem, which xpml
        computes exactly with "cholesky" instead (sparse X: conjugate gradients, as "sparse_cg"); "lbfgs" is
        for positive=True only.
    positive : bool, default=False
        Constrain the coefficients to be >= 0.
    random_state : int, numpy.random.Generator or None, default=None
        Accepted for scikit-learn compatibility ("sag" and "saga" only; xpml's solvers draw no random numbers).
    backend : str or Backend, optional
    dtype : {"float32", "float64"}, optional

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : array of shape (n_features,) for two classes, else (n_classes, n_features)
    intercept_ : array of shape (1,) or (n_classes,)
    solver_ : str
    n_iter_ : None or numpy array of shape (n_targets,)
    n_features_in_ : int

    Examples
    --------
    >>> from xpml.linear_model import RidgeClassifier
    >>> model = RidgeClassifier().fit([[0.0], [1.0], [3.0], [4.0]], ["a", "a", "b", "b"])
    >>> model.predict([[0.5], [3.5]]).tolist()
    ['a', 'b']
    """

    _scales_out = True  # on dask: as Ridge, computed per chunk and reduced across chunks (tests/test_dask.py)
    _parameter_constraints = {**_BaseRidge._parameter_constraints, **_CLASS_WEIGHT}

    def __init__(self, alpha: Any = 1.0, *, fit_intercept: bool = True, copy_X: bool = True, max_iter: Any = None,
                 tol: float = 1e-4, class_weight: Any = None, solver: str = "auto", positive: bool = False,
                 random_state: Any = None, backend: Any = None, dtype: str | None = None):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.class_weight = class_weight
        self.solver = solver
        self.positive = positive
        self.random_state = random_state
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> RidgeClassifier:
        """Fit ridge regression to the ±1 targets of y.

        Parameters
        ----------
        X : array-like or sparse matrix of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), or a 0/1 indicator of shape (n_samples, n_labels)
        sample_weight : float or array-like of shape (n_samples,), optional

        Returns
        -------
        self
        """
        X, Y, w = self._classification_problem(X, y, sample_weight)
        if w is None:
            w = check_sample_weight(None, self._backend, n_samples=X.shape[0], dtype=self._dtype)
        Xs, Ys, X_offset, y_offset = centre(self._xp, X, Y, w, self.fit_intercept)
        self._fit_centred(Xs, Ys, X_offset, y_offset, one_d=False)
        return self


class RidgeClassifierCV(_RidgeClassifierMixin, ClassifierMixin, _BaseRidgeCV, BaseEstimator):
    __doc__ = f"""RidgeClassifier with its penalty chosen by cross-validation (efficient leave-one-out by default).

    Parameters
    ----------
    {_PARAMETERS}
        With cv=None, a scorer sees the class indices (0 .. n_classes - 1) and the held-out scores: two classes
        are told apart by the sign of their one column (scikit-learn 1.9 takes the argmax of that one column,
        which makes every binary accuracy 1.0 and keeps the first alpha: its issue 34942).
    {_CV}
    class_weight : dict, "balanced" or None, default=None
        As RidgeClassifier's.
    {_STORE}
    backend : str or Backend, optional
    dtype : {{"float32", "float64"}}, optional
        The dtype of the fit. The leave-one-out computes in float64 where the backend has it.

    Attributes
    ----------
    alpha_ : float
    best_score_ : float
        The score of the chosen α (cv=None, scoring=None: minus the mean squared held-out error of the ±1 targets).
    cv_results_ : array of shape (n_samples, n_targets, n_alphas)
        With store_cv_results (n_targets = 1 for two classes, else n_classes).
    classes_ : ndarray of shape (n_classes,)
    coef_ : array of shape (n_features,) for two classes, else (n_classes, n_features)
    intercept_ : array of shape (1,) or (n_classes,)
    n_features_in_ : int

    Notes
    -----
    As RidgeCV's: sparse X is made dense; with cv given, sample_weight weighs the fits and the folds' scores, and
    class_weight the fits.

    Examples
    --------
    >>> from xpml.linear_model import RidgeClassifierCV
    >>> model = RidgeClassifierCV().fit([[0.0], [1.0], [3.0], [4.0]], [0, 0, 1, 1])
    >>> model.predict([[0.5], [3.5]]).tolist()
    [0, 1]
    """

    # scikit-learn's RidgeClassifierCV has neither parameter: its leave-one-out uses these.
    gcv_mode = None
    alpha_per_target = False
    _parameter_constraints = {**_BaseRidgeCV._parameter_constraints, **_CLASS_WEIGHT}

    def __init__(self, alphas: Any = (0.1, 1.0, 10.0), *, fit_intercept: bool = True, scoring: Any = None,
                 cv: Any = None, class_weight: Any = None, store_cv_results: bool = False, backend: Any = None,
                 dtype: str | None = None):
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.scoring = scoring
        self.cv = cv
        self.class_weight = class_weight
        self.store_cv_results = store_cv_results
        self.backend = backend
        self.dtype = dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None, **params: Any) -> RidgeClassifierCV:
        """Choose alpha by cross-validation and fit RidgeClassifier with it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), or a 0/1 indicator of shape (n_samples, n_labels)
        sample_weight : float or array-like of shape (n_samples,), optional
        **params
            With cv=None, passed to the scorer; with cv given, `groups` goes to the splitter's split.

        Returns
        -------
        self
        """
        X, Y, w = self._classification_problem(X, y, sample_weight)
        self._check_fit_arguments(params)
        if self.cv is None:
            self._fit_leave_one_out(X, Y, w, params)
        else:
            classifier = RidgeClassifier(fit_intercept=self.fit_intercept, backend=self._backend, dtype=self._dtype)
            self._fit_grid(classifier, X, y, w, params)
        return self

    def _score_predictions(self, scorer, predictions, Y, sample_weight, per_target: bool, params: dict):
        """The score of the held-out decision values (n, k) against the classes of the ±1 targets Y (n, k)."""
        xp = self._xp
        index_dtype = xp.__array_namespace_info__().default_dtypes(device=Y.device)["indexing"]
        if self._multilabel:
            truth = xp.astype(Y > 0, index_dtype)  # (n, k)
        else:
            truth = xp.astype(Y[:, 0] > 0, index_dtype) if Y.shape[1] == 1 else xp.argmax(Y, axis=1)  # (n,)
        weighted = {**params, **({} if sample_weight is None else {"sample_weight": sample_weight})}
        return scorer(_IdentityClassifier(Y.shape[1], self._multilabel, index_dtype), predictions, truth, **weighted)


class _IdentityClassifier:
    """Stands for a classifier whose decision values are its input (k columns): scores held-out decisions."""

    def __init__(self, k: int, multilabel: bool, index_dtype):
        self.classes_ = host_array(list(range(2 if k == 1 else k)))
        self._multilabel, self._index_dtype = multilabel, index_dtype

    def decision_function(self, Z):
        return Z[:, 0] if Z.shape[1] == 1 else Z

    def predict(self, Z):
        from .._backend import namespace_of

        xp = namespace_of(Z)
        if self._multilabel or Z.shape[1] == 1:
            labels = Z > 0 if self._multilabel else Z[:, 0] > 0
            return xp.astype(labels, self._index_dtype)
        return xp.argmax(Z, axis=1)
