"""Target encoding (TargetEncoder): each category replaced by a shrunk mean of the target over its samples.

For a category c seen n_c times, with target mean ȳ_c, in data of target mean ȳ and variance σ²:

- smooth = m (a number): enc(c) = (n_c ȳ_c + m ȳ) / (n_c + m), ȳ where n_c + m = 0;
- smooth = "auto" (empirical Bayes): enc(c) = λ_c ȳ_c + (1 - λ_c) ȳ with λ_c = n_c σ² / (n_c σ² + s²_c / n_c),
  s²_c = Σ (y - ȳ_c)² over c's samples (ȳ where λ_c is 0/0: an unseen category, or a constant target).

A binary target is encoded as 0/1 (its classes_ sorted), a multiclass one as one 0/1 column per class, each
encoded as a binary target (output: each feature's classes side by side); a continuous one as it is.
Unknown categories (at transform) get ȳ. The per-category sums are scatter-adds on the backend.

`fit_transform` encodes by *cross fitting*: the samples are split into cv folds (KFold for a continuous
target, StratifiedKFold otherwise, shuffled by default, as scikit-learn), and each fold is encoded with the
encodings learned on the other folds, so that a sample's own target does not leak into its encoding. A
sample of a category not seen in its training folds gets their mean. `encodings_` are learned on all the data,
for `transform`. Values outside given `categories` count in no category and are encoded as ȳ, at fit as at
transform (scikit-learn counts them in the first category at fit, and gives them the last fold's mean in
fit_transform).

Reference: D. Micci-Barreca, A preprocessing scheme for high-cardinality categorical attributes in
classification and prediction problems, SIGKDD Explorations 3 (2001) 27-32 (equations 3, 5 to 7).
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from .._backend import match_input, resolve_backend, to_backend
from .._mixins import _require_y
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, check_is_fitted
from ..model_selection._split import check_cv
from ..utils._feature_names import check_feature_names, check_feature_names_in
from ..utils._host import encode, host_array, host_namespace, unique_values
from ..utils._param_validation import Interval, Options, check_param
from ..utils._bincount import bincount
from ..utils._scatter import scatter_add
from ..utils._warnings import warn
from ..utils.validation import check_consistent_length, check_n_features, check_target
from ._categories import CategoryEncoder, category_columns
from ._label_binarizer import _host_target, _target_type

__all__ = ["TargetEncoder"]

TARGET_TYPES = ("binary", "multiclass", "continuous")


def _check_cv(cv: Any) -> None:
    """cv: None, an int >= 2, a splitter (split and get_n_splits) or an iterable of (train, test) pairs."""
    if cv is None or hasattr(cv, "split") or (hasattr(cv, "__iter__") and not isinstance(cv, (str, dict))):
        return
    check_param("cv", cv, [Interval(Integral, 2, None)])


def category_bins(xp, C, width: int):
    """The bin (n, p) of each sample's category of each feature, from codes C (n, p) of p features (-1: unknown),
    each feature's categories padded to `width`: feature j's category c in bin j (width + 1) + c, its unknown codes
    in bin j (width + 1) + width."""
    offsets = xp.arange(C.shape[1], dtype=C.dtype, device=C.device)[None, :] * (width + 1)  # (1, p)
    return xp.where(C < 0, width, C) + offsets


def encodings(xp, bins, width: int, Y, smooth: Any) -> tuple[Any, Any]:
    """The encodings (p, width, K) of targets Y (n, K) by the category bins (n, p) of p features (`category_bins`;
    unknown codes not counted); and ȳ (K,). All features at once: the per-category sums are one scatter-add into
    the p (width + 1) bins, the unknown ones left out."""
    n, p = bins.shape
    mean = xp.mean(Y, axis=0)  # (K,)
    variance = xp.mean((Y - mean) ** 2, axis=0)  # (K,) σ², scikit-learn's np.var
    bins = xp.reshape(bins, (-1,))  # (n p,) sample by sample, feature by feature
    to_tables = lambda sums: xp.reshape(sums, (p, width + 1, -1))[:, :width, :]  # (p, width, K)
    per_bin = lambda values: to_tables(scatter_add(values, bins, p * (width + 1)))
    rows = xp.reshape(xp.broadcast_to(Y[:, None, :], (n, p, Y.shape[1])), (n * p, Y.shape[1]))  # (n p, K)
    counts = to_tables(xp.astype(bincount(bins, p * (width + 1)), Y.dtype))  # (p, width, 1) n_c
    sums = per_bin(rows)  # (p, width, K) Σ y over c's samples
    if smooth != "auto":
        denominator = counts + smooth
        return xp.where(denominator > 0, (sums + smooth * mean) / xp.where(denominator > 0, denominator, 1), mean), mean
    seen = counts > 0
    means = sums / xp.where(seen, counts, 1)  # (p, width, K) ȳ_c
    padded = xp.concat([means, xp.zeros_like(means[:, :1, :])], axis=1)  # (p, width + 1, K) as the bins
    own = xp.take(xp.reshape(padded, (p * (width + 1), -1)), bins, axis=0)  # (n p, K) each sample's ȳ_c
    spread = per_bin((rows - own) ** 2)  # (p, width, K) s²_c, in a second pass as scikit-learn's
    denominator = variance * counts + spread / xp.where(seen, counts, 1)
    valid = seen & (denominator > 0)
    lam = variance * counts / xp.where(valid, denominator, 1)  # (p, width, K) λ_c
    return xp.where(valid, lam * means + (1 - lam) * mean, mean), mean


def _encode(xp, bins, tables, mean):
    """Each sample's encoding (n, p * K) from its category bins (n, p) (`category_bins`) and the encodings
    (p, width, K), with ȳ in each feature's unknown bin: feature by feature, its K columns side by side."""
    (n, p), (_, width, K) = bins.shape, tables.shape
    unknown = xp.broadcast_to(xp.reshape(mean, (1, 1, -1)), (p, 1, K))  # (p, 1, K)
    padded = xp.reshape(xp.concat([tables, unknown], axis=1), (p * (width + 1), K))  # (p (width + 1), K) as the bins
    return xp.reshape(xp.take(padded, xp.reshape(bins, (-1,)), axis=0), (n, p * K))


class TargetEncoder(CategoryEncoder, TransformerMixin, BaseEstimator):
    """Encode categorical features by a shrunk mean of the target over each category.

    Parameters
    ----------
    categories : "auto" or list of array-like, default="auto"
        The categories of each feature: found in the data (sorted), or given. NaN is a category of its own.
    target_type : {"auto", "continuous", "binary", "multiclass"}, default="auto"
        The kind of target; "auto" infers it as scikit-learn's type_of_target does.
    smooth : "auto" or float >= 0, default="auto"
        How much a category's mean is shrunk towards the global mean (see the module's docstring).
    cv : int, splitter or iterable of (train, test) pairs, default=5
        The folds of the cross fitting in `fit_transform`: an int gives KFold (continuous target) or
        StratifiedKFold (otherwise); each sample must be in exactly one test fold.
    shuffle : bool, default="deprecated"
        Shuffle the samples before an int cv's folds are cut (True where left to its default). Deprecated in
        scikit-learn 1.9 (pass a splitter as cv instead): setting it warns, as there.
    random_state : int, None or numpy Generator, default="deprecated"
        The seed of that shuffle (None where left to its default). Deprecated alike. xpml's splitters draw with
        numpy's Generator, so a seed gives other shuffled folds than scikit-learn's; the same splitter object
        (or shuffle=False) gives the same folds, and the same output.
    backend : str or Backend, optional
        Where numbers are encoded; None: the backend in force at fit.

    Attributes
    ----------
    encodings_ : list of arrays of shape (n_categories_j,)
        Each feature's encoding (multiclass: n_features * n_classes of them, each feature's classes in turn).
    categories_ : list of numpy arrays, one per feature
    target_type_ : str
    target_mean_ : float (a 0-d array of the backend) or array of shape (n_classes,)
    classes_ : numpy array of shape (n_classes,), or None for a continuous target
    n_features_in_ : int
    feature_names_in_ : array of shape (n_features_in_,), where X was a DataFrame with string column names

    Examples
    --------
    >>> from xpml.preprocessing import TargetEncoder
    >>> enc = TargetEncoder(target_type="continuous", smooth=0.0).fit([["a"], ["a"], ["b"]], [1.0, 3.0, 5.0])
    >>> [e.tolist() for e in enc.encodings_]
    [[2.0, 5.0]]
    """

    _parameter_constraints = {
        "categories": [Options({"auto"}), list],
        "target_type": [Options({"auto", *TARGET_TYPES})],
        "smooth": [Options({"auto"}), Interval(Real, 0, None, closed="left")],
        "shuffle": ["boolean", Options({"deprecated"})],
        "random_state": ["random_state", Options({"deprecated"})],
        "backend": BACKEND_CONSTRAINTS["backend"],
    }

    _host_attributes = ("categories_", "classes_")  # numpy, as they may be strings
    _missing_allowed = True  # NaN is a category (see _categories)
    _refuses_sparse = True  # reads X's columns as categories

    def __init__(self, categories: Any = "auto", target_type: str = "auto", smooth: Any = "auto", cv: Any = 5,
                 shuffle: Any = "deprecated", random_state: Any = "deprecated", *, backend: Any = None):
        self.categories = categories
        self.target_type = target_type
        self.smooth = smooth
        self.cv = cv
        self.shuffle = shuffle
        self.random_state = random_state
        self.backend = backend

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.allow_nan = True  # NaN is a category
        tags.input_tags.categorical = True
        return tags

    def _targets(self, y: Any, n_samples: int):
        """The target as (n, K) floats on the backend, setting target_type_ and classes_."""
        host = _host_target(y)
        kind = _target_type(host) if self.target_type != "continuous" else "continuous"  # refuses NaN labels
        if self.target_type == "auto" and kind not in TARGET_TYPES:
            raise ValueError(f"Unknown label type: the target type was inferred to be {kind!r}; TargetEncoder "
                             f"encodes only {TARGET_TYPES} targets.")
        self.target_type_ = kind if self.target_type == "auto" else self.target_type
        xp, dtype = self._backend.xp, self._backend.float_dtype
        self.classes_ = None
        if self.target_type_ == "continuous":
            name = "float64" if self._backend.has_float64 else "float32"
            return check_target(y, self._backend, n_samples=n_samples, dtype=name, multi_output=False)[:, None]
        if host.ndim != 1 and not (host.ndim == 2 and host.shape[1] == 1):
            raise ValueError(f"y should be a 1-D array of class labels for target_type={self.target_type_!r}; got "
                             f"shape {tuple(host.shape)}.")
        host = host.reshape(-1)
        self.classes_ = unique_values(host, "y")
        codes = to_backend(encode(host, self.classes_), self._backend)  # (n,) index of each label
        if self.target_type_ == "binary":
            return xp.astype(codes, dtype)[:, None]  # (n, 1) 0/1
        classes = xp.arange(len(self.classes_), dtype=codes.dtype, device=codes.device)
        return xp.astype(codes[:, None] == classes[None, :], dtype)  # (n, K) one 0/1 column per class

    def _fit_all(self, X: Any, y: Any):
        """Learn the categories, the target's kind and encodings_ on all the data; X's category bins and the target."""
        self._validate_params()
        _check_cv(self.cv)
        _require_y(self, y)
        check_consistent_length(X=X, y=y)
        self._backend = resolve_backend(self.backend)
        check_feature_names(self, X, reset=True)
        kind, data, _, _ = self._fit_categories(X, self._backend, check_known=False, count=False)
        codes = self._backend.xp.stack(self._category_codes(kind, data), axis=1)  # (n, p), -1: not a given category
        Y = self._targets(y, codes.shape[0])  # (n, K)
        bins = category_bins(self._backend.xp, codes, self._width())  # (n, p)
        tables, mean = encodings(self._backend.xp, bins, self._width(), Y, self.smooth)
        self._tables = tables  # (p, width, K): encodings_ as transform uses them
        self.encodings_ = [tables[j, :len(cats), c] for j, cats in enumerate(self.categories_)
                           for c in range(tables.shape[2])]
        self.target_mean_ = mean if self.target_type_ == "multiclass" else mean[0]
        return bins, Y

    def _width(self) -> int:
        return max(len(c) for c in self.categories_)  # every feature's categories padded to the most

    def fit(self, X: Any, y: Any) -> TargetEncoder:
        """Learn the categories and their encodings on all of X and y (for `transform`; `fit_transform` encodes
        the training data by cross fitting instead).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), numbers or strings; NaN is a category
        y : array-like of shape (n_samples,)

        Returns
        -------
        self
        """
        self._fit_all(X, y)
        return self

    def fit_transform(self, X: Any, y: Any, **params: Any):
        """Fit on all the data, and encode X by cross fitting: each fold with the encodings of the other folds.

        `params` may hold `groups`, given to the splitter's split (GroupKFold, say), as scikit-learn routes it.
        Returns an array of shape (n_samples, n_features) (multiclass: (n_samples, n_features * n_classes))."""
        if set(params) - {"groups"}:
            raise TypeError(f"fit_transform got unexpected parameters {sorted(set(params) - {'groups'})}; it takes "
                            f"groups, for the splitter, only.")
        bins, Y = self._fit_all(X, y)
        if self.shuffle != "deprecated" or self.random_state != "deprecated":
            warn("TargetEncoder.shuffle and TargetEncoder.random_state are deprecated in scikit-learn 1.9 (to be "
                 "removed in 1.11): pass a splitter as cv to choose the shuffling instead.", FutureWarning)
        shuffle = True if self.shuffle == "deprecated" else self.shuffle
        seed = None if self.random_state == "deprecated" else self.random_state
        labels = None if self.target_type_ == "continuous" else _host_target(y).reshape(-1)
        splitter = check_cv(self.cv, labels, classifier=labels is not None, shuffle=shuffle, random_state=seed)
        # the folds drawn once (a shuffle of random_state=None draws anew on each split)
        folds = [(host_array(train, "int64"), host_array(test, "int64")) for train, test in
                 splitter.split(X, y if labels is None else labels, params.get("groups"))]
        hxp, xp = host_namespace(), self._backend.xp
        tested = hxp.concat([test for _, test in folds])
        if tested.shape[0] != Y.shape[0] or bool(hxp.any(hxp.sort(tested) != hxp.arange(Y.shape[0]))):
            raise ValueError("Validation indices from cv must cover each sample index exactly once with no overlap. "
                             "Pass a splitter with non-overlapping validation folds as cv.")
        blocks = []
        for train, test in folds:
            train, test = to_backend(train, self._backend), to_backend(test, self._backend)
            tables, mean = encodings(xp, xp.take(bins, train, axis=0), self._width(), xp.take(Y, train, axis=0),
                                     self.smooth)
            blocks.append(_encode(xp, xp.take(bins, test, axis=0), tables, mean))  # (n_test, p * K)
        back = to_backend(hxp.argsort(tested), self._backend)  # each sample's row among the folds' rows
        return match_input(xp.take(xp.concat(blocks, axis=0), back, axis=0), X)

    def transform(self, X: Any):
        """Encode X with encodings_ (unknown categories: the target mean). Returns an array of shape
        (n_samples, n_features), or (n_samples, n_features * n_classes) for a multiclass target."""
        check_is_fitted(self)
        check_feature_names(self, X, reset=False)
        kind, data = category_columns(X, self._backend, allow_missing=True)
        check_n_features(self, data.shape[1] if kind == "numeric" else len(data))
        codes = self._backend.xp.stack(self._category_codes(kind, data), axis=1)  # (n, p)
        mean = self.target_mean_ if self.target_type_ == "multiclass" else self.target_mean_[None]
        bins = category_bins(self._backend.xp, codes, self._tables.shape[1])  # (n, p)
        return match_input(_encode(self._backend.xp, bins, self._tables, mean), X)

    def get_feature_names_out(self, input_features: Any = None):
        """The input's names (`feature_names_in_`, or x0, x1, ...); "<feature>_<class>" for a multiclass target."""
        check_is_fitted(self)
        names = check_feature_names_in(self, input_features)
        if self.target_type_ != "multiclass":
            return names
        return host_array([f"{name}_{c}" for name in names for c in self.classes_.tolist()], "object")
