"""Binarizing label sets (MultiLabelBinarizer): a column per class, 1 where a sample's set holds that class.

The label sets are Python iterables read on the host (a 2-D array of any library is read as one set per
row), and the classes are their sorted distinct labels, or given (in the given order). Each set becomes
the column numbers of its labels, and the rows' column numbers become a CSR matrix of ones (indptr,
indices), which is the sparse output, or, scattered on the backend, the dense 0/1 matrix. A label not
among the classes is left out, with a warning, as scikit-learn does.
"""

from __future__ import annotations

import math
from typing import Any

from .._backend import library_of, resolve_backend, to_backend
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, TransformerMixin, _check_scales_out, check_is_fitted
from ..utils._csr import CSR
from ..utils._host import as_host, host_array, host_namespace
from ..utils._sparse_input import host_sparse
from ..utils._sparse_columns import is_sparse
from ..utils._warnings import warn

__all__ = ["MultiLabelBinarizer"]


def _label_sets(y: Any) -> list:
    """y as a list of label lists: an array (of any library) row by row, any other iterable set by set."""
    if library_of(y) is not None or hasattr(y, "__array__"):
        host = as_host(y, "y")
        if host.ndim != 2:
            raise ValueError(f"y should be label sets: an iterable of iterables of labels, or a 2-D array with a set "
                             f"per row; got an array of shape {tuple(host.shape)}.")
        return [row for row in host.tolist()]
    if isinstance(y, (str, bytes)) or not hasattr(y, "__iter__"):
        raise TypeError(f"y should be label sets: an iterable of iterables of labels; got {type(y).__name__}.")
    sets = []
    for labels in y:
        if not hasattr(labels, "__iter__"):
            raise TypeError(f"y should be label sets: an iterable of iterables of labels; it holds {labels!r} "
                            f"({type(labels).__name__}), which is not an iterable.")
        sets.append(list(labels))
    return sets


def _check_labels(sets: list) -> None:
    """Refuse NaN, which equals no label (not even itself), so could never be matched to its class."""
    for labels in sets:
        for label in labels:
            if isinstance(label, float) and math.isnan(label) or (hasattr(label, "dtype") and label != label):
                raise ValueError("y contains NaN: labels should be hashable values that equal themselves (NaN is "
                                 "never found again among the classes).")


def _classes_array(classes: list):
    """classes as a numpy array: integers where every class is a Python int, objects otherwise (as scikit-learn)."""
    if all(isinstance(c, int) and not isinstance(c, bool) for c in classes):
        return host_array(classes, "int64")
    out = host_array([None] * len(classes), "object")
    for i, c in enumerate(classes):  # one by one: tuples stay whole, not a row of a 2-D array
        out[i] = c
    return out


class MultiLabelBinarizer(TransformerMixin, BaseEstimator):
    """Transform label sets to a 0/1 indicator matrix, and back.

    Parameters
    ----------
    classes : array-like of shape (n_classes,), optional
        The classes, one per column, in this order; by default the sorted labels found at fit.
    sparse_output : bool, default=False
        Return a scipy CSR matrix (under `xpml.set_config(output="backend")`, the backend's own).
    backend : str or Backend, optional
        Where the dense indicator matrix is made; None: the backend in force at fit. (The label sets are read on
        the host.)

    Attributes
    ----------
    classes_ : numpy array of shape (n_classes,)
        The class of each column.

    Examples
    --------
    >>> from xpml.preprocessing import MultiLabelBinarizer
    >>> mlb = MultiLabelBinarizer()
    >>> mlb.fit_transform([(1, 2), (3,)]).tolist()
    [[1, 1, 0], [0, 0, 1]]
    >>> mlb.classes_.tolist()
    [1, 2, 3]
    """

    _parameter_constraints = {"classes": [None, "array-like"], "sparse_output": ["boolean"],
                              "backend": BACKEND_CONSTRAINTS["backend"]}

    def __init__(self, *, classes: Any = None, sparse_output: bool = False, backend: Any = None):
        self.classes = classes
        self.sparse_output = sparse_output
        self.backend = backend

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False  # it encodes label sets, not X (scikit-learn's estimator checks skip it)
        tags.target_tags.two_d_labels = True
        return tags

    def _start(self) -> None:
        """Check the parameters and the backend before y is read."""
        self._validate_params()
        self._backend = resolve_backend(self.backend)
        _check_scales_out(self)  # it reads the label sets on the host: refused on a lazy backend, saying what to do

    def _fit_sets(self, sets: list | None) -> MultiLabelBinarizer:
        if self.classes is not None:
            classes = list(self.classes)
            if len(set(classes)) < len(classes):
                raise ValueError(f"classes={classes!r} contains duplicate classes; each class should be given once.")
        else:
            _check_labels(sets)
            if not sets:
                raise ValueError("y has 0 label sets; a minimum of 1 is required to learn the classes (or give "
                                 "classes).")
            try:
                classes = sorted(set(label for labels in sets for label in labels))
            except TypeError as error:
                raise TypeError(f"The labels of y should be of one orderable kind (numbers, or strings): {error}.") \
                    from error
        self.classes_ = _classes_array(classes)
        return self

    def fit(self, y: Any) -> MultiLabelBinarizer:
        """Learn the classes of label sets y (an iterable of iterables of labels); with `classes` given, y is not
        read. Returns self."""
        self._start()
        return self._fit_sets(None if self.classes is not None else _label_sets(y))

    def fit_transform(self, y: Any):
        """Fit, then transform y (read once)."""
        self._start()
        sets = _label_sets(y)
        return self._fit_sets(sets)._indicator(sets, y)

    def transform(self, y: Any):
        """The indicator matrix of label sets y: integers of shape (n_samples, n_classes), 1 where
        classes_[j] is in y[i] (labels not among classes_ are ignored, with a warning); a scipy CSR matrix with
        sparse_output."""
        check_is_fitted(self)
        return self._indicator(_label_sets(y), y)

    def _indicator(self, sets: list, like: Any):
        _check_labels(sets)
        column = {c: j for j, c in enumerate(self.classes_.tolist())}
        indices, indptr, unknown = [], [0], set()
        for labels in sets:
            found = set()
            for label in labels:
                if label in column:
                    found.add(column[label])
                else:
                    unknown.add(label)
            indices += sorted(found)
            indptr.append(len(indices))
        if unknown:
            warn(f"unknown class(es) {sorted(unknown, key=str)} will be ignored", UserWarning)
        backend, xp = self._backend, self._backend.xp
        ones = CSR(to_backend(host_array(indptr, "int64"), backend), to_backend(host_array(indices, "int64"), backend),
                   xp.ones(len(indices), dtype=backend.int_dtype, device=backend.device),
                   (len(sets), len(self.classes_)))
        return self._output(ones if self.sparse_output else ones.toarray(), like if library_of(like) else [])

    def inverse_transform(self, yt: Any) -> list:
        """The label sets of an indicator matrix yt (n_samples, n_classes) of 0s and 1s, dense or sparse: a list of
        tuples of classes."""
        check_is_fitted(self)
        hxp, k = host_namespace(), len(self.classes_)
        yt = host_sparse(yt)
        if len(getattr(yt, "shape", ())) != 2 and not is_sparse(yt):
            yt = as_host(yt, "yt")
        if len(yt.shape) != 2 or yt.shape[1] != k:
            raise ValueError(f"Expected indicator for {k} classes, but got yt of shape {tuple(yt.shape)}.")
        if is_sparse(yt):
            csr = yt.tocsr()
            if bool(hxp.any((csr.data != 0) & (csr.data != 1))):
                raise ValueError("Expected only 0s and 1s in label indicator.")
            return [tuple(self.classes_[csr.indices[start:end]]) for start, end in
                    zip(csr.indptr[:-1].tolist(), csr.indptr[1:].tolist())]
        dense = as_host(yt, "yt")
        unexpected = hxp.unique_values(dense[(dense != 0) & (dense != 1)])
        if unexpected.shape[0]:
            raise ValueError(f"Expected only 0s and 1s in label indicator. Also got {unexpected.tolist()}.")
        return [tuple(self.classes_[row != 0]) for row in dense]
