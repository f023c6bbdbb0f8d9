"""Gradient boosting of regression trees (Friedman's gradient boosting machine): the fitting loop shared by
GradientBoostingClassifier and GradientBoostingRegressor.

The raw prediction F (n, K) starts from the initial estimator's (`init_`, by default the constant that
minimizes the loss, through the loss's link), then each stage m = 1 .. M

1. draws, with subsample < 1, ⌊subsample · n⌋ of the n samples without replacement (the stage's in-bag ones);
2. takes the negative gradient r = -dL/dF at F (n, K) (`_gb_losses.negative_gradient`);
3. grows K regression trees on r, one per column, with the in-bag samples' weights (`_gb_trees.grow_stage`),
   and gives each leaf the loss's step γ on its in-bag samples (`_gb_losses.leaf_steps`);
4. adds F += learning_rate · γ(the leaf of each sample).

train_score_ is the loss on the in-bag samples after each stage; with subsample < 1 the out-of-bag ones
give oob_scores_ and oob_improvement_ (the drop of their loss). With n_iter_no_change, validation_fraction
of the samples is held out, and boosting stops at the first stage whose held-out loss is not below one of
the last n_iter_no_change held-out losses by more than tol (that stage is kept, as in scikit-learn).

References: Friedman, "Greedy Function Approximation: A Gradient Boosting Machine", Annals of Statistics 29
(2001); Friedman, "Stochastic Gradient Boosting", Computational Statistics & Data Analysis 38 (2002).
"""

from __future__ import annotations

import math
import time
import warnings
from numbers import Integral, Real

from .._backend import to_numpy
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, check_is_fitted
from ..tree._classes import _COMMON_CONSTRAINTS
from ..utils._holdout import holdout_split
from ..utils._host import host_array
from ..utils._param_validation import Interval, Options
from ..utils._random import check_random_state, draw
from . import _gb_losses as losses
from . import _gb_trees as trees
from ._members import accepts_sample_weight, ask, fit_member

__all__ = ["CONSTRAINTS", "BaseGradientBoosting"]

CONSTRAINTS = {
    **{k: v for k, v in _COMMON_CONSTRAINTS.items() if k not in ("splitter", "monotonic_cst", "criterion")},
    "learning_rate": [Interval(Real, 0.0, None, closed="left")],
    "n_estimators": [Interval(Integral, 1, None, closed="left")],
    "criterion": [Options({"deprecated", "friedman_mse", "squared_error"})],
    "subsample": [Interval(Real, 0.0, 1.0, closed="right")],
    "verbose": [Interval(Integral, 0, None, closed="left"), "boolean"],
    "warm_start": ["boolean"],
    "validation_fraction": [Interval(Real, 0.0, 1.0, closed="neither")],
    "n_iter_no_change": [Interval(Integral, 1, None, closed="left"), None],
    "tol": [Interval(Real, 0.0, None, closed="left")],
    **BACKEND_CONSTRAINTS,
}


class BaseGradientBoosting(BaseEstimator):
    """The boosting loop; a subclass encodes y (`_encode`), names its initial estimator (`_default_init`) and
    reads raw predictions off it (`_init_method`: "predict" or "predict_proba")."""

    _init_method = "predict"

    def _validate_params(self) -> None:
        super()._validate_params()
        init = self.init
        if isinstance(init, str):
            if init != "zero":
                raise ValueError(f"init={init!r} should be 'zero', None or an estimator with fit and "
                                 f"{self._init_method}.")
        elif init is not None and (isinstance(init, type) or not all(
                callable(getattr(init, m, None)) for m in ("fit", self._init_method))):
            raise TypeError(f"init should be 'zero', None or an estimator with fit and {self._init_method}; got "
                            f"{init!r}.")

    def fit(self, X, y, sample_weight=None, monitor=None):
        """Boost trees on X (n_samples, n_features) and y. Returns self.

        sample_weight : array-like of shape (n_samples,), optional
        monitor : callable, optional
            Called after each stage as monitor(i, self, locals); boosting stops when it returns True.
        """
        if not self.warm_start:
            for name in ("_stages", "train_score_", "oob_improvement_", "oob_scores_", "oob_score_", "init_",
                         "_rng", "n_estimators_"):
                vars(self).pop(name, None)
        X, y, w, given_weights = self._encode(X, y, sample_weight)
        if self.criterion != "deprecated":
            warnings.warn("The parameter `criterion` is deprecated (scikit-learn 1.9) and has no effect: "
                          "'friedman_mse' and 'squared_error' choose the same splits. Leave it to its default value "
                          "to avoid this warning.", FutureWarning, stacklevel=2)
        xp, n = self._xp, X.shape[0]
        self.max_features_ = trees.template(self)._max_features(X.shape[1])
        val = None
        if self.n_iter_no_change is not None:
            labels = y if self._init_method == "predict_proba" else None
            train, held = holdout_split(n, self.validation_fraction, check_random_state(self.random_state), labels)
            rows = [self._to_backend(r) for r in (train, held)]
            if labels is not None and (seen := len(set(to_numpy(y)[train].tolist()))) != self.n_classes_:
                raise ValueError(f"The training data after the early stopping split has {seen} of the "
                                 f"{self.n_classes_} classes; try another random_state or validation_fraction.")
            val = tuple(xp.take(a, rows[1], axis=0) for a in (X, y, w))
            X, y, w = (xp.take(a, rows[0], axis=0) for a in (X, y, w))
        begin = len(getattr(self, "_stages", ()))
        if begin and self._stages[0][0].n_features_in_ != X.shape[1]:
            raise ValueError(f"warm_start=True goes on from a fit on {self._stages[0][0].n_features_in_} features; X "
                             f"has {X.shape[1]}. Fit with warm_start=False to start anew.")
        if begin == 0:
            self.init_ = self._fit_init(X, y, w if given_weights else None)
            self._rng, self._stages = check_random_state(self.random_state), []
        elif self.n_estimators < begin:
            raise ValueError(f"n_estimators={self.n_estimators} must be larger or equal to estimators_.shape[0]="
                             f"{begin} when warm_start==True.")
        return self._boost(X, y, w, val, begin, monitor)

    def _fit_init(self, X, y, w):
        """The initial estimator fitted on (X, y[, w]): init's clone, "zero", or the default constant."""
        if isinstance(self.init, str):
            return "zero"
        from ..base import clone

        init = self._default_init() if self.init is None else clone(self.init)
        if w is not None and not accepts_sample_weight(init):
            raise ValueError(f"The initial estimator {type(init).__name__} does not support sample weights.")
        target = y if self._init_method == "predict" else self._xp.astype(y, X.dtype)  # classes as 0., 1., ...
        return fit_member(init, self._backend, X, target, w)

    def _boost(self, X, y, w, val, begin, monitor):
        xp, n = self._xp, X.shape[0]
        loss, alpha, rate = self.loss, getattr(self, "alpha", None), self.learning_rate
        F = self._raw_predict(X)  # (n, K): the initial estimator's, and the trees' of a warm start
        F_val = None if val is None else self._raw_predict(val[0])
        binned, template = trees.Binned(xp, X, self._backend), trees.template(self)
        rules = template._rules(n, X.shape[1], float(xp.sum(w)))
        n_inbag, do_oob = max(1, int(self.subsample * n)), self.subsample < 1.0
        scores = {"train": self._host_scores("train_score_", begin), "oob": self._host_scores("oob_scores_", begin),
                  "improvement": self._host_scores("oob_improvement_", begin)}
        history = [math.inf] * (self.n_iter_no_change or 0)
        report = _Reporter(self, begin) if self.verbose else None
        stages = self._stages[:begin]
        for i in range(begin, self.n_estimators):
            inbag = draw(self._rng, self._backend, "permutation", n) < n_inbag if do_oob else None  # (n,) step 1
            w_in = w if inbag is None else w * xp.astype(inbag, w.dtype)  # (n,) the in-bag weights
            delta = losses.huber_delta(xp, y, F, w, alpha) if loss == "huber" else None
            if do_oob and i == 0:
                initial = float(losses.mean_loss(xp, loss, y, F, w - w_in, alpha, delta))
            if do_oob and self.min_weight_fraction_leaf > 0:
                rules = template._rules(n, X.shape[1], float(xp.sum(w_in)))
            stage, steps = self._fit_stage(binned, rules, X, y, w_in, F, inbag, delta)  # steps 2 and 3
            stages.append(stage)
            F = F + rate * steps  # (n, K): step 4
            scores["train"].append(float(losses.mean_loss(xp, loss, y, F, w_in, alpha, delta)))
            losses.finite_or_raise(scores["train"][-1], i, rate)
            if do_oob:
                scores["oob"].append(float(losses.mean_loss(xp, loss, y, F, w - w_in, alpha, delta)))
                previous = initial if i == 0 else scores["oob"][-2]
                scores["improvement"].append(previous - scores["oob"][-1])
            elif "oob_scores_" in vars(self):  # a warm start without subsample after one with it
                scores["oob"].append(0.0)
                scores["improvement"].append(0.0)
            if report is not None:
                report.update(i, scores)
            if monitor is not None:
                self._set_stages(stages, scores)
                if monitor(i, self, locals()):
                    break
            if val is not None:
                F_val = F_val + rate * self._stage_values(val[0], stage)
                held = float(losses.mean_loss(xp, loss, val[1], F_val, val[2], alpha, delta))
                if not any(held + self.tol < h for h in history):
                    break
                history[i % len(history)] = held
        self._set_stages(stages, scores)
        return self

    def _fit_stage(self, binned, rules, X, y, w, F, inbag, delta):
        """Steps 2 and 3 of a stage: its K trees (DecisionTreeRegressor) grown on the negative gradient at F (n, K)
        with the in-bag weights w (n,), each leaf holding the loss's step on its in-bag samples (`inbag` (n,), None:
        all of them); and their steps for the samples (n, K)."""
        xp, K, loss, alpha = self._xp, self.n_trees_per_iteration_, self.loss, getattr(self, "alpha", None)
        R = losses.negative_gradient(xp, loss, y, F, alpha, delta)  # (n, K)
        grown = trees.grow_stage(xp, binned, R, w, rules, self._rng, self._backend, self.max_leaf_nodes,
                                 self.ccp_alpha)
        stage, steps = [], []
        for k, tree in enumerate(grown):
            leaf = trees.leaf_of(xp, tree, X)  # (n,)
            if loss == "squared_error":  # the leaves' means of r are the steps
                gamma = trees.node_values(tree)  # (P,) P: the node count padded
            else:  # each leaf's own step, from its in-bag samples
                P = trees.padded_size(tree)
                where = leaf if inbag is None else xp.where(inbag, leaf, P)  # (n,) P: out of the bag
                y_k = xp.astype(y == k, X.dtype) if K > 1 else y  # (n,) a class's indicator, or the targets
                gamma = losses.leaf_steps(xp, loss, where, P, y_k, R[:, k], F[:, k], w, K, alpha, delta)  # (P,)
                tree = trees.with_leaf_steps(tree, gamma)
            steps.append(xp.take(gamma, leaf))  # (n,)
            stage.append(trees.as_member(self, tree))
        return stage, xp.stack(steps, axis=1)

    def _set_stages(self, stages, scores):
        """The fitted attributes of the stages so far (`monitor` and the verbose report read them)."""
        xp = self._xp
        self._stages, self.n_estimators_ = stages, len(stages)
        as_array = lambda values: xp.asarray(values, dtype=getattr(xp, self._dtype), device=self._device)
        self.train_score_ = as_array(scores["train"])
        if scores["oob"]:
            self.oob_scores_, self.oob_improvement_ = as_array(scores["oob"]), as_array(scores["improvement"])
            self.oob_score_ = scores["oob"][-1]

    def _host_scores(self, name, begin):
        """The first `begin` values of a score attribute of the previous fit (a warm start), as a host list."""
        if name not in vars(self):
            return [0.0] * begin if name != "train_score_" and begin and self.subsample < 1 else []
        return to_numpy(getattr(self, name)).tolist()[:begin]

    # ---- prediction ----------------------------------------------------------------------

    def _init_raw(self, X):
        """(n, K): the initial estimator's raw prediction of validated X."""
        xp, K = self._xp, self.n_trees_per_iteration_
        if isinstance(self.init_, str):  # "zero"
            return xp.zeros((X.shape[0], K), dtype=X.dtype, device=self._device)
        predictions = ask(self.init_, self._init_method, X, self._backend)
        return losses.init_raw(xp, self.loss, xp.astype(predictions, X.dtype), K)

    def _stage_values(self, X, stage):
        """(n, K): the K trees' leaf values of a stage for validated X (n, p)."""
        xp = self._xp
        return xp.stack([trees._structure.leaf_values(xp, m.tree_, X)[:, 0] for m in stage], axis=1)

    def _raw_predict(self, X):
        """(n, K): the raw prediction of validated X: the initial estimator's plus the shrunk trees'."""
        F = self._init_raw(X)
        for stage in getattr(self, "_stages", ()):
            F = F + self.learning_rate * self._stage_values(X, stage)
        return F

    def _staged_raw_predict(self, X):
        """The raw prediction (n, K) after each stage, as a generator."""
        check_is_fitted(self)
        F = self._init_raw(X)
        for stage in self._stages:
            F = F + self.learning_rate * self._stage_values(X, stage)
            yield F

    def _leaves(self, X):
        """(n, M, K) of floats: the leaf each row of validated X falls in, in each tree."""
        xp = self._xp
        leaves = xp.stack([xp.stack([trees.leaf_of(xp, m.tree_, X) for m in stage], axis=1)
                           for stage in self._stages], axis=1)  # (n, M, K)
        return xp.astype(leaves, X.dtype)

    @property
    def estimators_(self):
        """ndarray of DecisionTreeRegressor of shape (n_estimators_, K): the trees of each stage."""
        check_is_fitted(self)
        members = host_array([m for stage in self._stages for m in stage], "object")
        return members.reshape((len(self._stages), self.n_trees_per_iteration_))

    @property
    def feature_importances_(self):
        """(n_features,): the trees' impurity decreases by feature, averaged over the trees that split, normalized
        to sum to 1 (all zeros when no tree splits)."""
        check_is_fitted(self)
        xp = self._xp
        split = [m for stage in self._stages for m in stage if m.tree_.node_count > 1]
        if not split:
            return xp.zeros(self.n_features_in_, dtype=getattr(xp, self._dtype), device=self._device)
        total = sum(m.feature_importances_ * trees.total_decrease(m.tree_) for m in split) / len(split)
        return total / xp.sum(total)

    def __len__(self) -> int:
        """The number of stages."""
        return len(self._stages)

    def __getitem__(self, index):
        """The trees of a stage (an array of K DecisionTreeRegressor), or a slice of stages."""
        return self.estimators_[index]

    def __iter__(self):
        return iter(self.estimators_)


class _Reporter:
    """verbose: the training loss (and out-of-bag improvement) of stages 1, ..., 10, 20, ..., 100, 200, ... (every
    stage with verbose > 1), and the time left, as scikit-learn prints them."""

    def __init__(self, est, begin):
        self.oob, self.begin, self.every, self.start = est.subsample < 1, begin, 1, time.time()
        self.n_estimators, self.verbose = est.n_estimators, est.verbose
        names = ["Iter", "Train Loss"] + (["OOB Improve"] if self.oob else []) + ["Remaining Time"]
        print(("%10s " + "%16s " * (len(names) - 1)) % tuple(names))

    def update(self, i, scores):
        done = i - self.begin + 1
        if done % self.every:
            return
        left = (self.n_estimators - (i + 1)) * (time.time() - self.start) / done
        left = f"{left / 60:.2f}m" if left > 60 else f"{left:.2f}s"
        line = f"{i + 1:>10d} {scores['train'][i]:>16.4f}"
        line += f" {scores['improvement'][i]:>16.4f}" if self.oob else ""
        print(f"{line} {left:>16s}")
        if self.verbose == 1 and done // (self.every * 10) > 0:
            self.every *= 10
