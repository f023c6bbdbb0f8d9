"""Categorical naive Bayes: each feature takes one of a few values, its categories coded 0, 1, 2, ...,
with a distribution of its own in each class:

    log P(x | c) = Σⱼ log θ_cj(xⱼ),   θ_cj(k) = (N_cjk + α) / (N_cj + α K_j),

where N_cjk is the (weighted) number of class c's samples whose feature j is category k, N_cj = Σₖ N_cjk,
and K_j the number of categories of feature j (its largest code + 1, or `min_categories`).

All the features are counted at once: the categories of feature j take the columns o_j, ..., o_j + K_j - 1
of one table of K = Σⱼ K_j columns (o_j = K_0 + ... + K_{j-1}), so that a sample i of class c adds its
weight at the flat position c K + o_j + x_ij for every j: one scatter-add for the batch. Likewise the joint
log-likelihood gathers each sample's p entries of the table of logs and sums them.

Reference: Murphy, Machine Learning: A Probabilistic Perspective (2012), section 3.5.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from ..utils._host import as_host
from ..utils._param_validation import Interval
from ..utils._scatter import scatter_add
from ..utils._sparse_input import DENSE_LIMIT
from ..utils.validation import check_dense
from ._base import DiscreteNB, log_normalized

__all__ = ["CategoricalNB"]


class CategoricalNB(DiscreteNB):
    """Naive Bayes classifier for categorical features, coded 0, 1, 2, ... (xpml.preprocessing.OrdinalEncoder
    makes such codes).

    Parameters
    ----------
    alpha : float, default=1.0
        Additive (Laplace/Lidstone) smoothing, >= 0, of every category's count.
    force_alpha : bool, default=True
        Keep alpha as given. If False, an alpha below 1e-10 is raised to 1e-10, with a warning.
    fit_prior : bool, default=True
        Learn the class probabilities P(c) from the data; if False, every class is equally likely.
    class_prior : array-like of shape (n_classes,), optional
        Fixed class probabilities, in the order of `classes_`; overrides `fit_prior`.
    min_categories : int or array-like of shape (n_features,), optional
        The least number of categories of each feature (one for all, or one per feature): the codes up to
        min_categories - 1 are known to the model even where the training data lack them, and may come at
        predict. By default a feature has the categories 0 to its largest code in the training data.
    backend : str or Backend, optional
        Where to compute ("numpy", "cupy", "torch", "jax", ..., optionally with a device). None uses
        the backend in force at fit time.
    dtype : {"float32", "float64"}, optional
        The floating dtype to count in. By default floating input keeps its precision.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    class_count_ : array of shape (n_classes,)
        The (weighted) number of samples of each class.
    class_log_prior_ : array of shape (n_classes,)
        log P(c).
    category_count_ : list of n_features arrays of shape (n_classes, n_categories_[j])
        N_cjk: for feature j, the (weighted) number of each class's samples in each category.
    feature_log_prob_ : list of n_features arrays of shape (n_classes, n_categories_[j])
        log θ_cj(k), the smoothed log probability of each category of feature j in each class.
    n_categories_ : array of shape (n_features,), integer
        The number of categories K_j of each feature.
    n_features_in_ : int

    Notes
    -----
    A non-integer value of X is truncated to its category code, as scikit-learn does; a negative value is
    refused. A code at predict beyond the categories of the fit is a ValueError that names it (scikit-learn
    raises an IndexError). After `partial_fit`, `n_categories_` counts the categories of every batch seen
    (scikit-learn's those of the latest batch only, while its counts keep all of them).

    Examples
    --------
    >>> from xpml.naive_bayes import CategoricalNB
    >>> X = [[0, 2], [0, 1], [1, 0], [2, 0]]  # two features: codes of colour and of shape
    >>> CategoricalNB().fit(X, ["a", "a", "b", "b"]).predict([[0, 1], [1, 0]]).tolist()
    ['a', 'b']
    """

    _parameter_constraints = {
        **DiscreteNB._parameter_constraints,
        "alpha": [Interval(Real, 0, None, closed="left")],
        "min_categories": [None, "array-like", Interval(Integral, 1, None, closed="left")],
    }

    _counts_X = True  # category codes are >= 0
    _scales_out = False  # the table widens with the codes each batch brings: not computed chunk by chunk on dask
    _accepts_sparse = False
    _refuses_sparse = True  # codes are dense: sparse X is refused, naming it (as scikit-learn)

    def __init__(self, *, alpha: float = 1.0, force_alpha: bool = True, fit_prior: bool = True,
                 class_prior: Any = None, min_categories: Any = None, backend: Any = None, dtype: str | None = None):
        self.alpha = alpha
        self.force_alpha = force_alpha
        self.fit_prior = fit_prior
        self.class_prior = class_prior
        self.min_categories = min_categories
        self.backend = backend
        self.dtype = dtype

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        return tags

    def _validate_X(self, X: Any, *, reset: bool, ensure_finite: bool = True) -> Any:
        """X checked: dense, and category codes >= 0."""
        check_dense(X)
        X = super()._validate_X(X, reset=reset, ensure_finite=ensure_finite)
        self._check_non_negative(X, "category codes")
        return X

    def _reset(self, n_classes: int, n_features: int) -> None:
        xp, dtype, device = self._xp, getattr(self._xp, self._dtype), self._device
        self.class_count_ = xp.zeros(n_classes, dtype=dtype, device=device)
        self.category_count_ = [xp.zeros((n_classes, 0), dtype=dtype, device=device) for _ in range(n_features)]

    def _count(self, X, Y) -> None:
        """N_cjk += Σ_{i in c, x_ij = k} w_i and N_c += Σ_{i in c} w_i, the tables widened first to the new codes."""
        xp, device = self._xp, self._device
        widths = self._widths(X, n_classes=Y.shape[1])  # K_j
        self.category_count_ = [_widened(xp, count, width, device)
                                for count, width in zip(self.category_count_, widths)]
        self.n_categories_ = xp.asarray(widths, dtype=self._backend.int_dtype, device=device)
        n_classes, offsets = Y.shape[1], _offsets(widths)
        width = offsets[-1]  # K
        classes = xp.argmax(Y, axis=1)  # (n,): each sample's class (a sample of weight 0 adds 0 anywhere)
        index = self._codes(X, offsets) + (classes * width)[:, None]  # (n, p): c K + o_j + x_ij
        weight = xp.broadcast_to(xp.sum(Y, axis=1)[:, None], index.shape)  # (n, p): w_i on each of its codes
        batch = scatter_add(xp.reshape(weight, (-1,)), xp.reshape(index, (-1,)), n_classes * width, xp=xp)  # (C K,)
        batch = xp.reshape(batch, (n_classes, width))  # (C, K)
        self.category_count_ = [count + batch[:, start:stop]  # (C, K_j)
                                for count, start, stop in zip(self.category_count_, offsets[:-1], offsets[1:])]
        self.class_count_ = self.class_count_ + xp.sum(Y, axis=0)  # (C,)

    def _estimate(self, alpha) -> None:
        """log θ_cj(k) = log (N_cjk + α) - log Σₖ' (N_cjk' + α), one (C, K_j) array per feature."""
        self.feature_log_prob_ = [log_normalized(count + alpha, xp=self._xp) for count in self.category_count_]

    def _joint_log_likelihood(self, X):
        """(n, C): log P(c) + Σⱼ log θ_cj(x_ij), each sample's p logs gathered from one table (K, C)."""
        xp = self._xp
        widths = [int(k) for k in as_host(self.n_categories_).tolist()]
        self._check_known(X, widths)
        table = xp.concat(self.feature_log_prob_, axis=1).T  # (K, C)
        index = self._codes(X, _offsets(widths))  # (n, p): o_j + x_ij
        logs = xp.take(table, xp.reshape(index, (-1,)), axis=0)  # (n p, C)
        n_samples, n_features = X.shape
        return xp.sum(xp.reshape(logs, (n_samples, n_features, table.shape[1])), axis=1) + self.class_log_prior_

    # ---- the codes and the width of each feature's table ------------------------------------

    def _codes(self, X, offsets: list[int]):
        """(n, p): o_j + x_ij, each value of X truncated to its integer code, as scikit-learn's cast to int."""
        xp = self._xp
        int_dtype = self._backend.int_dtype
        return xp.astype(X, int_dtype) + xp.asarray(offsets[:-1], dtype=int_dtype, device=self._device)

    def _widths(self, X, *, n_classes: int) -> list[int]:
        """K_j: the largest code seen so far + 1 (in this batch or an earlier one), and at least min_categories."""
        highest = as_host(self._xp.max(X, axis=0)).tolist()  # p floats, on the host: they set the table's shape
        floor = self._min_categories()
        widths = [max(int(top) + 1, count.shape[1], least)
                  for top, count, least in zip(highest, self.category_count_, floor)]
        if n_classes * sum(widths) > DENSE_LIMIT:
            also = "" if self.min_categories is None else f" with min_categories={self.min_categories!r}"
            raise ValueError(
                f"X holds category codes up to {max(highest):.6g}{also}: CategoricalNB would count {n_classes} classes "
                f"× {sum(widths):.6g} categories, more than xpml allocates (DENSE_LIMIT={DENSE_LIMIT:.0e}). Codes "
                f"should number each feature's categories 0, 1, 2, ... (xpml.preprocessing.OrdinalEncoder makes them).")
        return widths

    def _min_categories(self) -> list[int]:
        """`min_categories` as one int per feature (0 where there is none)."""
        least, n_features = self.min_categories, self.n_features_in_
        if least is None:
            return [0] * n_features
        if isinstance(least, Integral):
            return [int(least)] * n_features
        values = as_host(least, "min_categories")
        if values.dtype.kind not in "iu":
            raise ValueError(f"min_categories should hold integers, one per feature; got {least!r} "
                             f"(dtype {values.dtype}).")
        if tuple(values.shape) != (n_features,):
            raise ValueError(f"min_categories has shape {tuple(values.shape)}; expected one per feature, "
                             f"({n_features},).")
        return [int(v) for v in values.tolist()]

    def _check_known(self, X, widths: list[int]) -> None:
        """Refuse a code beyond the categories of the fit: it has no probability in the model."""
        xp = self._xp
        unseen = X >= xp.asarray(widths, dtype=X.dtype, device=self._device)  # (n, p)
        if bool(xp.any(unseen)):
            rows, columns = as_host(unseen).nonzero()
            i, j = int(rows[0]), int(columns[0])
            raise ValueError(
                f"X[{i}, {j}] = {float(X[i, j])!r} is a category CategoricalNB did not see at fit: feature {j} has "
                f"n_categories_[{j}]={widths[j]} (codes 0 to {widths[j] - 1}). Fit with min_categories covering the "
                f"codes to come.")


def _offsets(widths: list[int]) -> list[int]:
    """[0, K_0, K_0 + K_1, ..., K]: where each feature's categories start in the table, and its width."""
    offsets = [0]
    for width in widths:
        offsets.append(offsets[-1] + width)
    return offsets


def _widened(xp, count, width: int, device):
    """count (C, K_j) with zero columns appended up to `width` categories."""
    extra = width - count.shape[1]
    if extra == 0:
        return count
    return xp.concat([count, xp.zeros((count.shape[0], extra), dtype=count.dtype, device=device)], axis=1)
