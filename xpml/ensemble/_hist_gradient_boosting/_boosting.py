"""Gradient boosting with histogram trees: the fitting loop.

Boosting builds the raw prediction F as a sum of small trees. It starts from the best constant
(`_losses.baseline`); then each iteration is

1. g, h = the loss's gradient and hessian at the current F, per sample (and class);
2. for each of the K outputs (one, or one per class), grow a tree on (g, h) (`_grower`) whose leaf
   values are Newton steps -G / (H + λ) (or leaf quantiles of the residuals), shrunk by the
   learning rate;
3. F += that tree's value at each sample (known from the leaf it ended in, without a walk);
4. with early stopping, score F (and the validation set's F) and stop once the last
   `n_iter_no_change` scores improve on the one before them by no more than `tol`.

The features are binned once, before the first iteration (`_bin_mapper`); categorical ones are
first replaced by their categories' codes (`_categories`). With `warm_start`, a fit with a larger
`max_iter` goes on from the previous fit's trees, raw predictions and scores.

Reference: Friedman, "Greedy Function Approximation: A Gradient Boosting Machine", Annals of
Statistics 29 (2001); scikit-learn's `HistGradientBoosting` (its parameters and scores).
"""

from __future__ import annotations

import copy
import math
from numbers import Integral, Real

from ..._backend import compiles_per_shape, to_numpy
from ...base import BACKEND_CONSTRAINTS, BaseEstimator
from ...utils._frames import is_frame
from ...utils._holdout import holdout_split
from ...utils._host import is_numeric
from ...utils._param_validation import Interval, Options
from ...utils._random import check_random_state
from ...utils._values import ALLOW_NAN
from ...utils.validation import check_sample_weight
from . import _losses
from ._bin_mapper import fit_bin_mapper
from ._categories import categorical_mask, encode_on_host, fit_category_table, to_codes
from ._grower import GrowRules, grow_tree, node_value, split_layout
from ._members import LeafRows, feature_columns
from ._predictor import concat_trees, extend_table, leaf_values, tree_arrays
from ._windows import LeafWindows

__all__ = ["CONSTRAINTS", "BaseHistGradientBoosting"]

CONSTRAINTS = {
    "learning_rate": [Interval(Real, 0, None, closed="neither")],
    "max_iter": [Interval(Integral, 1, None, closed="left")],
    "max_leaf_nodes": [Interval(Integral, 2, None, closed="left"), None],
    "max_depth": [Interval(Integral, 1, None, closed="left"), None],
    "min_samples_leaf": [Interval(Integral, 1, None, closed="left")],
    "l2_regularization": [Interval(Real, 0, None, closed="left")],
    "max_features": [Interval(float, 0, 1, closed="right")],
    "max_bins": [Interval(Integral, 2, 255, closed="both")],
    "categorical_features": [None, Options({"from_dtype"}), "array-like"],
    "monotonic_cst": [None],
    "interaction_cst": [None],
    "warm_start": ["boolean"],
    "early_stopping": [Options({"auto"}), "boolean"],
    "scoring": [Options({"loss"}), None],
    "validation_fraction": [Interval(Integral, 1, None, closed="left"), Interval(Real, 0, 1, closed="neither"), None],
    "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
    "tol": [Interval(Real, 0, None, closed="left")],
    "verbose": [Interval(Integral, 0, None, closed="left"), "boolean"],
    "random_state": ["random_state"],
    **BACKEND_CONSTRAINTS,
}


class BaseHistGradientBoosting(BaseEstimator):
    """The boosting loop shared by the classifier and the regressor."""

    _host_attributes = ("classes_", "train_score_", "validation_score_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # missing values
        return tags

    def _validate_X(self, X, *, reset, ensure_finite=ALLOW_NAN):
        """X checked as every estimator's, but NaN let through: they are missing values. At fit, the categorical
        features are found (`is_categorical_`); those of a DataFrame (or of a table of strings) are replaced by their
        codes on the host."""
        if reset:
            self._validate_params()
            mask = categorical_mask(X, self.categorical_features)
            self._host_categories = None
            if mask is not None and (is_frame(X) or not is_numeric(X)):
                X, self._host_categories = encode_on_host(X, mask, self.max_bins)
        elif getattr(self, "_host_categories", None) is not None:
            X, _ = encode_on_host(X, self._categorical_mask, self.max_bins, self._host_categories)
        X = super()._validate_X(X, reset=reset, ensure_finite=ALLOW_NAN)
        if reset:
            self._categorical_mask = mask
            self.is_categorical_ = None if mask is None else self._to_backend(mask)
        return X

    def _model_view(self, X):
        """Validated X (n, p) as the trees read it: the categorical features first, as codes (`_categories`)."""
        if self._categorical_mask is None:
            return X
        return to_codes(self._xp, X, self._categorical_mask, self._category_table)

    def _boost(self, X, y, w, labels=None, val=None):
        """Fit on validated X (n, p), targets y (class indices for a classifier), weights w (n,), and an optional
        validation set `val` = (X_val, y_val, w_val). Returns self. With warm_start, iterations are added to those of
        the previous fit (`_warm`)."""
        xp = self._xp
        warm = self._warm(X)
        start = copy.deepcopy(self._rng_start) if warm else check_random_state(self.random_state)
        if not warm:  # the draws of the split and the bins, replayed by a warm start
            self._rng_start = copy.deepcopy(start)
        n, p = X.shape
        mask, counts = self._categorical_mask, [None] * p
        if mask is not None:  # the categories of all of X, the validation set's included (as scikit-learn)
            self._category_table, found = fit_category_table(xp, X, mask, self.max_bins,
                                                             getattr(self, "feature_names_in_", None))
            counts = found + [None] * (p - len(found))
            X = self._model_view(X)
        self.do_early_stopping_ = (n > 10_000) if self.early_stopping == "auto" else bool(self.early_stopping)
        X_val = None
        if self.do_early_stopping_ and val is not None:  # the caller's validation set
            X_val, y_val, w_val = val
            X_val = self._model_view(X_val)
        elif self.do_early_stopping_ and self.validation_fraction is not None:
            fraction = self.validation_fraction
            fraction = fraction / n if isinstance(fraction, Integral) else fraction
            train, val = holdout_split(n, fraction, start, labels=labels)
            to = lambda a, rows: xp.take(a, self._to_backend(rows), axis=0)
            X, X_val, y, y_val, w, w_val = to(X, train), to(X, val), to(y, train), to(y, val), to(w, train), to(w, val)
        mapper = fit_bin_mapper(xp, X, self.max_bins, start, n_categories=counts)
        rng = self._rng if warm else start
        per_shape = compiles_per_shape(self._backend)
        codes = mapper.transform(xp, X, dtype=None if per_shape else xp.uint8)  # (n, p): at most 256 bins
        has_missing = to_numpy(xp.any(xp.isnan(X), axis=0)).tolist()
        n_categorical = sum(c is not None for c in counts)
        layout = split_layout(xp, mapper.n_bins, has_missing, self._device, n_categorical)
        if per_shape:  # fixed shapes where each shape compiles
            members = LeafWindows
        else:
            columns, fit_cache = feature_columns(xp, codes), {}  # (p, n) uint8, and the root's counts: once a fit
            members = lambda xp_, codes_, backend: LeafRows(xp_, codes_, backend, columns, fit_cache)
        thresholds = to_numpy(mapper.edges).tolist()  # host: a split on bin b of feature f is "x_f <= edges[f][b]"
        rules = GrowRules(max_leaf_nodes=self.max_leaf_nodes, max_depth=self.max_depth,
                          min_samples_leaf=self.min_samples_leaf, l2_regularization=self.l2_regularization,
                          n_features_per_split=max(1, math.ceil(self.max_features * p)), n_categorical=n_categorical)
        n_codes = None if mask is None else self._category_table.shape[1]
        K, loss, alpha = self.n_trees_per_iteration_, self._loss_name(), getattr(self, "quantile", None)
        q = _losses.quantile_of(loss, alpha)
        unweighted = bool(xp.all(w == w[0]))
        ones_only = unweighted and float(w[0]) == 1.0  # weights that leave the gradients as they are
        if not warm:
            self._baseline = _losses.baseline(xp, loss, y, w, K, alpha)  # (K,)
        F = self._raw_on(X, warm)  # (n, K) raw predictions
        F_val = None if X_val is None else self._raw_on(X_val, warm)
        ones = xp.ones(X.shape[0], dtype=X.dtype, device=self._device)
        trees = []
        train_score, val_score = (self._host_scores() if warm else ([], []))
        score = self._scorer(xp, loss, alpha)
        if self.do_early_stopping_ and not warm:
            train_score.append(score(y, F, w))
            if F_val is not None:
                val_score.append(score(y_val, F_val, w_val))
        for iteration in range(self.n_iter_ if warm else 0, self.max_iter):
            g, h = _losses.gradient_hessian(xp, loss, y, F, alpha)  # (n, K) each, unweighted: step 1
            steps, val_steps = [], []
            for k in range(K):  # step 2: one tree per output
                # as scikit-learn, gradients and hessians in float32, then weighted (so that weight 2 = a repeat)
                g_k, h_k = (xp.astype(xp.astype(a[:, k], xp.float32), X.dtype, copy=False) for a in (g, h))  # (n,)
                stats = xp.stack([g_k, h_k, ones] if ones_only else [g_k * w, h_k * w, ones], axis=1)  # (n, 3)
                grown = grow_tree(xp, codes, stats, layout, has_missing, rules, rng, members, self._backend)
                values = self._leaf_values(xp, grown, y, F[:, k], w, q, unweighted)
                tree = tree_arrays(xp, grown, thresholds, values, X, n_codes)
                trees.append(tree)
                steps.append(grown.members.steps(values, X.dtype))  # (n,): step 3, no walk needed
                if X_val is not None:
                    val_steps.append(leaf_values(xp, *concat_trees(xp, [tree]), X_val)[0, :])
            F = F + xp.stack(steps, axis=1)
            if X_val is not None:
                F_val = F_val + xp.stack(val_steps, axis=1)
            if self.do_early_stopping_:  # step 4
                train_score.append(score(y, F, w))
                scores = train_score
                if X_val is not None:
                    val_score.append(score(y_val, F_val, w_val))
                    scores = val_score
                if not math.isfinite(scores[-1]):
                    raise FloatingPointError(f"The loss became {-scores[-1]} at iteration {iteration + 1}; "
                                             f"try a smaller learning_rate (now {self.learning_rate}).")
                if self._should_stop(scores):
                    break
        if warm and trees:
            self._table, self._roots = extend_table(xp, self._table, self._roots, trees)
        elif not warm:
            self._table, self._roots = concat_trees(xp, trees)
        self.n_iter_ = len(self._roots) // K
        self._rng, self._fitted_shape = copy.deepcopy(rng), (p, K, mask)
        self.train_score_ = xp.asarray(train_score, dtype=getattr(xp, self._dtype), device=self._device)
        self.validation_score_ = xp.asarray(val_score, dtype=getattr(xp, self._dtype), device=self._device)
        return self

    def _warm(self, X) -> bool:
        """Whether this fit goes on from the previous one (warm_start, fitted): then max_iter may not be below n_iter_
        and the data must have the previous fit's features, outputs and categorical features."""
        if not (self.warm_start and hasattr(self, "_table")):
            return False
        if self.max_iter < self.n_iter_:
            raise ValueError(f"max_iter={self.max_iter} must be larger than or equal to n_iter_={self.n_iter_} when "
                             f"warm_start==True.")
        now = (X.shape[1], self.n_trees_per_iteration_, self._categorical_mask)
        if now != self._fitted_shape:
            raise ValueError(f"warm_start=True goes on from a fit on data of (n_features, n_trees_per_iteration, "
                             f"categorical mask) = {self._fitted_shape}; got {now}. Fit with warm_start=False to start "
                             f"anew.")
        return True

    def _raw_on(self, X, warm):
        """(n, K): the raw prediction of X (as the trees read it) before this fit's first iteration: the baseline, and
        with a warm start the trees fitted before, added an iteration at a time as the fit added them (so that it goes
        on from the very same numbers)."""
        xp, K = self._xp, self.n_trees_per_iteration_
        F = xp.broadcast_to(self._baseline[None, :], (X.shape[0], K))
        if not warm:
            return F
        per_iteration = self._per_iteration(leaf_values(xp, self._table, self._roots, X))  # (I, K, n)
        for i in range(self.n_iter_):
            F = F + xp.permute_dims(per_iteration[i, ...], (1, 0))
        return F

    def _host_scores(self):
        return to_numpy(self.train_score_).tolist(), to_numpy(self.validation_score_).tolist()


    def _scorer(self, xp, loss, alpha):
        """score(y, F, w): scoring="loss": the negative mean loss; None: the estimator's score (accuracy, R²)."""
        if self.scoring == "loss":
            return lambda y, F, w: -float(_losses.mean(xp, loss, y, F, w, alpha))
        return lambda y, F, w: float(self._score_raw(xp, y, F, w))

    def _leaf_values(self, xp, grown, y, f, w, q, unweighted):
        """Host list: each node's value, the learning rate times its Newton step or its residuals' quantile."""
        lam, rate = self.l2_regularization, self.learning_rate
        values = [rate * node_value(G, H, lam) for G, H, _ in grown.sums]
        if q is not None:  # absolute_error, quantile: the leaf's quantile of the residuals y - F
            for leaf in grown.members.leaves():
                values[leaf] = rate * float(grown.members.quantile(leaf, y - f, w, q, unweighted))
        return values

    def _should_stop(self, scores) -> bool:
        """Whether none of the last n_iter_no_change scores beats the one before them by more than tol."""
        reference = self.n_iter_no_change + 1
        if len(scores) < reference:
            return False
        return not any(s > scores[-reference] + self.tol for s in scores[-reference + 1:])

    # ---- prediction ----------------------------------------------------------------------

    def _raw_predict(self, X):
        """(n, K): the raw prediction of validated X."""
        xp, K = self._xp, self.n_trees_per_iteration_
        summed = leaf_values(xp, self._table, self._roots, self._model_view(X), outputs=K)  # (K, n)
        return self._baseline[None, :] + xp.permute_dims(summed, (1, 0))

    def _staged_raw_predict(self, X):
        """The raw prediction (n, K) after each iteration, as a generator."""
        xp = self._xp
        values = leaf_values(xp, self._table, self._roots, self._model_view(X))  # (T, n)
        cumulative = xp.cumulative_sum(self._per_iteration(values), axis=0)  # (I, K, n)
        for i in range(self.n_iter_):
            yield self._baseline[None, :] + xp.permute_dims(cumulative[i, ...], (1, 0))

    def _per_iteration(self, values):
        """(I, K, n): the trees' values (T, n) of n samples by iteration and output."""
        return self._xp.reshape(values, (self.n_iter_, self.n_trees_per_iteration_, values.shape[1]))


def sample_weights(est, sample_weight, n):
    """(n,) the sample weights on the backend (ones when None)."""
    return check_sample_weight(sample_weight, est._backend, n_samples=n, dtype=est._dtype)
