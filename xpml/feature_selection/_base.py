"""The base of feature selectors: a boolean mask over the input features (`_get_support_mask`), and from it
get_support, transform (keep the selected columns), inverse_transform (put them back, zeros elsewhere) and
get_feature_names_out. The mask is small (one entry per feature) and kept on the host; the columns are taken
on the backend.
"""

from __future__ import annotations

from typing import Any

from ..base import check_is_fitted
from ..utils._feature_names import check_feature_names_in
from ..utils._host import host_namespace
from ..utils._warnings import warn

__all__ = ["SelectorMixin", "clean_nans"]


def clean_nans(scores):
    """Host scores (numpy) with NaN replaced by the lowest float: a NaN score is never preferred."""
    hnp = host_namespace()
    scores = hnp.asarray(scores, dtype=float)
    return hnp.where(hnp.isnan(scores), hnp.finfo(scores.dtype).min, scores)


class SelectorMixin:
    """Transformers that keep a subset of the input features, given by `_get_support_mask()` (host bool (p,))."""

    def get_support(self, indices: bool = False):
        """The mask of the selected features, bool of shape (n_features_in_,); or their indices with
        `indices=True`. A numpy array."""
        mask = self._get_support_mask()
        return host_namespace().flatnonzero(mask) if indices else mask

    def _selected_columns(self, X: Any):
        xp = self._xp
        kept = self.get_support(indices=True)
        if len(kept) == 0:
            warn("No features were selected: either the data is too noisy or the selection test too strict.")
            return xp.zeros((X.shape[0], 0), dtype=X.dtype, device=self._device)
        return xp.take(X, self._to_backend(kept, dtype="int64"), axis=1)  # (n, k)

    def transform(self, X: Any):
        """X reduced to the selected features: shape (n_samples, n_selected)."""
        check_is_fitted(self)
        X_in, X = X, self._validate_X(X, reset=False, ensure_finite=self._finite_in_transform())
        return self._output(self._selected_columns(X), X_in)

    def _finite_in_transform(self):
        return True

    def inverse_transform(self, X: Any):
        """X of shape (n_samples, n_selected) put back among n_features_in_ columns, zeros where a feature
        was not selected."""
        check_is_fitted(self)
        xp = self._xp
        kept = self.get_support(indices=True)
        X_in = X
        X = xp.asarray(self._to_backend(X))
        if X.ndim == 1:
            X = X[None, :]
        if X.shape[1] != len(kept):
            raise ValueError(f"X has {X.shape[1]} features; inverse_transform expects {len(kept)}, the number of "
                             f"selected features.")
        hnp = host_namespace()
        # Column j of the result is column position[j] of X, or a zero column (index len(kept)) if j was dropped.
        mask = self.get_support()
        position = hnp.where(mask, hnp.cumsum(mask) - 1, len(kept)).astype("int64")  # (p,)
        padded = xp.concat([X, xp.zeros((X.shape[0], 1), dtype=X.dtype, device=self._device)], axis=1)  # (n, k+1)
        return self._output(xp.take(padded, self._to_backend(position, dtype="int64"), axis=1), X_in)

    def get_feature_names_out(self, input_features: Any = None):
        """The names of the selected features (input_features, feature_names_in_ or x0, x1, ...)."""
        check_is_fitted(self)
        return check_feature_names_in(self, input_features)[self.get_support()]
