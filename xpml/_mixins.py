"""The mixins that make an estimator a regressor, a classifier, an outlier detector or a transformer, as
scikit-learn's do: their tags, `score`, a classifier's labels, an outlier detector's `fit_predict`, and
`fit_transform` with `set_output`. (`xpml.base` exports them.)"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._backend import (
    capability,
    config_context,
    library_of,
    match_input,
    to_backend,
)
from .utils._lazy import align_rows, map_chunks
from .utils._set_output import SetOutputMixin
from .utils.validation import check_consistent_length, check_labels


def _require_y(estimator: Any, y: Any) -> None:
    if y is None:
        raise ValueError(f"{type(estimator).__name__} requires y to be passed, but the target y is None.")


class RegressorMixin:
    """Mixin for regressors: `score` is the coefficient of determination R²."""

    def __sklearn_tags__(self):
        from sklearn.utils import RegressorTags

        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        tags.regressor_tags = RegressorTags()
        tags.target_tags.required = True
        tags.target_tags.multi_output = self._multi_output
        return tags

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """R² of `predict(X)` against `y` (1 is perfect; 0 is as good as predicting the mean).

        With several targets, the R² of each is averaged uniformly.
        """
        from .metrics import r2_score

        with config_context(output="backend"):
            y_pred = self.predict(X)
        return r2_score(y, y_pred, sample_weight=sample_weight)


class ClassifierMixin:
    """Mixin for classifiers: labels of any type (`classes_`), and `score` as accuracy."""

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags

        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.classifier_tags = ClassifierTags()
        tags.target_tags.required = True
        tags.target_tags.multi_output = self._multi_output
        return tags

    def _validate_labels(self, X: Any, y: Any):
        """Check X and the labels y; set `classes_` (host numpy, sorted) and return (X, y_index).

        `y_index` holds, on the backend, each sample's class as an index into `classes_`.
        """
        _require_y(self, y)
        check_consistent_length(X=X, y=y)
        X = self._validate_X(X, reset=True)
        encode = capability(self._backend, "encode_labels")
        if encode is not None and library_of(y) == self._backend.name and len(y.shape) == 1:
            self.classes_, indices = encode(y)  # labels that stay where they are (dask): one pass for the classes
            if len(self.classes_) < 2:
                raise ValueError(f"y has {len(self.classes_)} class(es) ({self.classes_.tolist()}); a classifier "
                                 f"needs at least 2.")
        else:
            self.classes_, indices = check_labels(y, n_samples=X.shape[0])
            indices = to_backend(indices.astype(np.int64), self._backend)
        return X, align_rows(self._backend, indices, X)

    def _labels(self, indices: Any, like: Any, classes: Any = None) -> Any:
        """Class labels from class indices (an array of the backend), following the input `like`; on a lazy
        backend (dask) looked up chunk by chunk, lazily, never gathered (a dask array in, a dask array out).
        `classes`: the host table of labels the indices point into, `classes_` by default."""
        classes = self.classes_ if classes is None else classes
        labels = map_chunks(self._fitted_backend, lambda i: classes[i], indices, classes.dtype)
        if labels.dtype.kind in "biuf" or library_of(labels) == self._fitted_backend.name:
            return match_input(labels, like)
        return labels

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """The fraction of samples whose label `predict(X)` gets right."""
        from .metrics import accuracy_score

        return accuracy_score(y, self.predict(X), sample_weight=sample_weight)


class OutlierMixin:
    """Mixin for outlier detectors: `predict` labels inliers +1 and outliers -1, and `fit_predict` labels the
    training data, as scikit-learn's OutlierMixin."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "outlier_detector"
        return tags

    def fit_predict(self, X: Any, y: Any = None, **kwargs: Any) -> Any:
        """Fit on X (y is ignored; `kwargs` go to fit), then label each of its samples: +1 inlier, -1 outlier."""
        return self.fit(X, **kwargs).predict(X)


class TransformerMixin(SetOutputMixin):
    """Mixin for transformers: `fit_transform`, and `set_output` for DataFrames out."""

    def __sklearn_tags__(self):
        from sklearn.utils import TransformerTags

        tags = super().__sklearn_tags__()
        tags.transformer_tags = TransformerTags()
        return tags

    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> Any:
        """Fit to X, then transform it."""
        return self.fit(X, y, **fit_params).transform(X)
