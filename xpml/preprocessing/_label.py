"""Encoding labels as integers 0 .. n_classes - 1 (LabelEncoder), in the sorted order of the classes.

Numeric labels are found and matched on the device (`unique_values`, `searchsorted`); strings exist
only on the host, where they are found and encoded. The classes are kept on the host, as numpy arrays
(like a classifier's `classes_`), since they may be strings. On a lazy backend (dask), labels that are
dask arrays are encoded and decoded chunk by chunk, lazily (`utils/_lazy.map_chunks`), never gathered;
a label not among the classes raises when its chunk is computed.
"""

from __future__ import annotations

from typing import Any

from .._backend import library_of, match_input, resolve_backend, to_backend
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, check_is_fitted
from ..utils._host import as_host, decode, encode, is_numeric, unique_values
from ..utils._lazy import map_chunks
from ._categories import common_dtype
from ._lazy_encoding import is_lazy_array

__all__ = ["LabelEncoder", "label_positions"]


def label_positions(y: Any, classes: Any, backend):
    """Numeric labels y (n,) against sorted numeric `classes` (host), on `backend`: each label's index in classes
    (that of a near one where it is not there) and whether it is not there, (n,) each."""
    xp = backend.xp
    values, classes = common_dtype(xp, to_backend(y, backend), to_backend(classes, backend))
    pos = xp.clip(xp.searchsorted(classes, values), 0, classes.shape[0] - 1)  # (n,)
    return pos, xp.take(classes, pos) != values


class LabelEncoder(BaseEstimator):
    """Encode labels as integers 0 .. n_classes - 1, in the sorted order of the classes.

    Parameters
    ----------
    backend : str or Backend, optional
        Where numeric labels are encoded; None: the backend in force at fit. (String labels are
        encoded on the host.) The codes are integers, so there is no `dtype` parameter.

    Attributes
    ----------
    classes_ : numpy array of shape (n_classes,), sorted

    Examples
    --------
    >>> from xpml.preprocessing import LabelEncoder
    >>> LabelEncoder().fit_transform(["b", "a", "b"]).tolist()
    [1, 0, 1]
    """

    _parameter_constraints = {"backend": BACKEND_CONSTRAINTS["backend"]}

    def __init__(self, *, backend: Any = None):
        self.backend = backend

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False  # it encodes y, not X (scikit-learn's estimator checks skip it)
        tags.target_tags.one_d_labels = True
        return tags

    def _y(self, y: Any):
        y = as_host(y, "y") if library_of(y) is None else y
        if len(y.shape) == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if len(y.shape) != 1:
            raise ValueError(f"y should be a 1-D array of labels of shape (n_samples,); got shape {tuple(y.shape)}.")
        return y

    def _fit_y(self, y: Any):
        y = self._y(y)
        if y.shape[0] == 0:
            raise ValueError("y has 0 sample(s) (shape=(0,)) while a minimum of 1 is required: there are no labels "
                             "to learn.")
        return y

    def fit(self, y: Any) -> LabelEncoder:
        """Learn the classes of y, of shape (n_samples,). Returns self."""
        self._validate_params()
        self._backend = resolve_backend(self.backend)
        y = self._fit_y(y)
        if is_numeric(y):
            y = to_backend(y, self._backend)
            self.classes_ = as_host(self._backend.xp.unique_values(y))
        else:
            self.classes_ = unique_values(y, "y")
        return self

    def transform(self, y: Any):
        """The index of each label in classes_; previously unseen labels raise. Shape (n_samples,)."""
        check_is_fitted(self)
        y_in, y = y, self._y(y)
        if is_lazy_array(y):  # chunk by chunk, lazily
            return map_chunks(self._backend, self._encode_host, to_backend(y, self._backend), self._backend.int_dtype)
        if is_numeric(y) and self.classes_.dtype.kind in "iufb":
            pos, unseen = label_positions(y, self.classes_, self._backend)  # (n,) each
            if bool(self._backend.xp.any(unseen)):
                self._raise_unseen(as_host(y)[as_host(unseen)])
            return match_input(pos, y_in)
        return self._encode_host(y)

    def _encode_host(self, y: Any):
        """The codes of labels on the host (numpy); unseen labels raise."""
        codes = encode(y, self.classes_)
        if (codes < 0).any():
            self._raise_unseen(as_host(y)[codes < 0])
        return codes

    def _raise_unseen(self, values) -> None:
        shown = sorted(set(values.tolist()))
        raise ValueError(f"y contains previously unseen labels: {shown[:10]}{' ...' if len(shown) > 10 else ''}; "
                         f"known classes: {self.classes_.tolist()[:10]}.")

    def fit_transform(self, y: Any):
        """Fit, then transform y."""
        return self.fit(y).transform(y)

    def inverse_transform(self, y: Any):
        """The labels of integer codes y, of shape (n_samples,)."""
        check_is_fitted(self)
        y = self._y(y)
        if is_lazy_array(y):  # chunk by chunk, lazily
            return map_chunks(self._backend, self._decode_host, to_backend(y, self._backend), self.classes_.dtype)
        labels = self._decode_host(as_host(y))
        return match_input(labels, y) if is_numeric(labels) else labels

    def _decode_host(self, codes: Any):
        """The labels of codes on the host (numpy)."""
        k = len(self.classes_)
        if codes.size and (not is_numeric(codes) or codes.min() < 0 or codes.max() >= k or (codes % 1 != 0).any()):
            raise ValueError(f"y should hold codes 0 to {k - 1}; got values from {codes.min()} to {codes.max()}.")
        return decode(self.classes_, codes)
