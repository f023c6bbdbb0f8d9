"""Binarizing labels one-vs-all (LabelBinarizer, label_binarize): a column per class, pos_label where a sample
has that class, neg_label elsewhere.

The kind of target is read as scikit-learn reads it (`_target_type`): "binary" (at most two labels), which
gives a single column, that of the last class; "multiclass", one column per class; "multilabel-indicator",
a 0/1 (or two-valued integer) matrix, one column per label, whose nonzeros become pos_label. A label not
among the classes gets a row of neg_label. The labels are matched to the classes as LabelEncoder matches
them: numbers on the device (`label_positions`), strings on the host; the one-hot rows are built as the
encoders build them (`xpml.utils._one_hot`): compared with the column numbers on the device, or as a CSR
matrix (`sparse_output`). inverse_transform takes each row's largest score (multiclass), or thresholds the
scores (binary, multilabel: above (pos_label + neg_label) / 2 by default).
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

from .._backend import dtype_name, library_of, match_input, namespace_of, resolve_backend, to_backend, to_numpy
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, _check_scales_out, check_is_fitted
from ..utils._csr import CSR
from ..utils._host import as_host, encode, host_namespace, label_kind, unique_values
from ..utils._one_hot import csr_from_slots
from ..utils._param_validation import Interval, check_param
from ..utils._sparse_columns import is_sparse
from ..utils._sparse_input import host_sparse, sparse_output
from ..utils.validation import check_array
from ._label import label_positions
from ._lazy_encoding import is_lazy_array

__all__ = ["LabelBinarizer", "label_binarize"]


def _target_type(y: Any) -> str:
    """scikit-learn's kind of target of y (host numpy, or a scipy matrix): "binary", "multiclass",
    "multilabel-indicator", "continuous", "...-multioutput" or "unknown"; NaN and infinity refused."""
    hxp = host_namespace()
    if is_sparse(y):
        values = hxp.unique_values(y.data)
        two_columns = len(y.shape) == 2 and y.shape[1] > 1
        if two_columns and (y.nnz == 0 or (values.shape[0] == 1 and (y.dtype.kind in "biu" or values[0] % 1 == 0))):
            return "multilabel-indicator"
        return "unknown"
    if y.ndim not in (1, 2) or (y.ndim == 2 and y.shape[1] == 0) or y.dtype.kind not in "biufUSO":
        return "unknown"
    if y.dtype.kind == "O":
        label_kind(y, "y")  # strings or numbers, not a mix (a TypeError or ValueError names it)
    if y.dtype.kind == "f" and not bool(hxp.all(hxp.isfinite(y))):
        raise ValueError(f"Input y contains {'NaN' if bool(hxp.any(hxp.isnan(y))) else 'infinity'}: labels should "
                         f"be finite class values.")
    wide = y.ndim == 2 and y.shape[1] > 1
    labels = unique_values(y) if y.size else y.reshape(-1)
    integral = y.dtype.kind in "biu" or (y.dtype.kind == "f" and bool(hxp.all(labels % 1 == 0)))
    if wide and labels.shape[0] < 3 and integral:
        return "multilabel-indicator"
    suffix = "-multioutput" if wide else ""
    if y.dtype.kind == "f" and not integral:
        return "continuous" + suffix
    return ("multiclass" if labels.shape[0] > 2 or wide else "binary") + suffix


def _host_target(y: Any):
    """y on the host, for reading its kind: a scipy matrix as a CSR, anything else as a numpy array (not empty); a
    lazy array (dask), which xpml never gathers silently, is refused."""
    if is_lazy_array(y):
        raise ValueError("Label binarization reads y on the host, and xpml never gathers a lazy array silently: bring "
                         "y into memory first (y.compute()).")
    y = host_sparse(y)
    host = y.tocsr() if is_sparse(y) else as_host(y, "y")
    if (host.shape[0] if len(host.shape) else 0) == 0:
        raise ValueError(f"y has 0 samples (shape {tuple(host.shape)}); a minimum of 1 is required.")
    return host


def _check_labels(neg_label: int, pos_label: int, sparse: bool) -> None:
    if neg_label >= pos_label:
        raise ValueError(f"neg_label={neg_label} must be strictly less than pos_label={pos_label}.")
    if sparse and (pos_label == 0 or neg_label != 0):
        raise ValueError(f"Sparse binarization is only supported with non zero pos_label and zero neg_label, got "
                         f"pos_label={pos_label} and neg_label={neg_label}.")


def _refuse(y_type: str) -> None:
    if "multioutput" in y_type:
        raise ValueError("Multioutput target data is not supported with label binarization: y should be a 1-D array "
                         "of labels or a 2-D 0/1 indicator matrix.")
    if y_type not in ("binary", "multiclass", "multilabel-indicator"):
        raise ValueError(f"{y_type} target data is not supported with label binarization: y should hold class labels "
                         f"(a 1-D array of shape (n_samples,)) or a 2-D 0/1 indicator matrix.")


def _columns(y: Any, host, classes, backend):
    """Each sample's column: the index of its label in `classes` (in their given order), -1 if not among them;
    numbers matched on the device (LabelEncoder's `label_positions`), other labels on the host. (n,)"""
    hxp, xp = host_namespace(), backend.xp
    if host.dtype.kind in "iuf" and classes.dtype.kind in "iuf":
        order = hxp.argsort(classes, stable=True)
        pos, unseen = label_positions(y, classes[order], backend)  # (n,) among the sorted classes
        return xp.where(unseen, -1, xp.take(to_backend(order, backend), pos))
    if label_kind(host, "y") != label_kind(classes, "classes"):  # strings never equal numbers: unknown labels
        return to_backend(hxp.full(host.shape[0], -1, dtype=hxp.int64), backend)
    return to_backend(encode(host, classes), backend)


def _int_dtype(y: Any, host, backend):
    """The output's integer dtype: y's where it is a signed integer one, else the backend's default."""
    name = dtype_name(y) if library_of(y) is not None else "" if is_sparse(host) else host.dtype.name
    return getattr(backend.xp, name) if name in ("int8", "int16", "int32", "int64") else backend.int_dtype


def _binarize(y: Any, host, classes: Any, neg_label: int, pos_label: int, sparse: bool, backend, y_type: str):
    """label_binarize on `backend` of y (`host`: y on the host, of kind `y_type`)."""
    _refuse(y_type)
    hxp, xp = host_namespace(), backend.xp
    classes = as_host(classes, "classes").reshape(-1)
    k, int_dtype = classes.shape[0], _int_dtype(y, host, backend)
    signs = lambda hit: xp.where(hit, xp.full(hit.shape, pos_label, dtype=int_dtype, device=backend.device),
                                 neg_label)  # pos_label where hit, (n, k)
    if y_type == "multilabel-indicator":
        if host.shape[1] != k:
            raise ValueError(f"classes {classes.tolist()} mismatch with the labels {list(range(host.shape[1]))} found "
                             f"in the data: y has {host.shape[1]} columns.")
        rank = hxp.argsort(hxp.argsort(classes, stable=True), stable=True)  # each class's column among the sorted
        if sparse and is_sparse(host):  # scipy's own matrix: its stored entries become pos_label
            S = host[:, rank]
            return type(S)((hxp.full(S.nnz, pos_label, dtype=hxp.int64), S.indices, S.indptr), shape=S.shape)
        dense = host.toarray() if is_sparse(host) else host
        if sparse:
            return _sparse([hxp.astype(dense[:, c] != 0, hxp.int64) - 1 for c in rank.tolist()], [1] * k, pos_label,
                           backend, y)
        hit = xp.take(to_backend(dense, backend), to_backend(rank, backend), axis=1) != 0  # (n, k)
        return match_input(signs(hit), y)
    labels = namespace_of(y).reshape(y, (-1,)) if library_of(y) is not None else host.reshape(-1)  # a column too
    column = _columns(labels, host.reshape(-1), classes, backend)
    if y_type == "binary" and k <= 2:  # one column: that of the last class (all neg_label with a single class)
        column, k = xp.astype(column == 1, column.dtype) - 1 if k == 2 else xp.full_like(column, -1), 1
    if sparse:
        return _sparse([column], [k], pos_label, backend, y)
    hit = column[:, None] == xp.arange(k, dtype=column.dtype, device=backend.device)[None, :]  # (n, k)
    return match_input(signs(hit), y)


def _sparse(slots: list, widths: list, pos_label: int, backend, like: Any):
    """A CSR matrix with pos_label at each slot (the encoders' `csr_from_slots`), scipy's by `sparse_output`'s rule."""
    ones = csr_from_slots(slots, widths, "int64", backend)
    return sparse_output(CSR(ones.indptr, ones.indices, ones.data * pos_label, ones.shape), like)


def label_binarize(y: Any, *, classes: Any, neg_label: int = 0, pos_label: int = 1, sparse_output: bool = False):
    """Binarize labels one-vs-all, against classes known in advance (see LabelBinarizer).

    Parameters
    ----------
    y : array-like of shape (n_samples,), or a multilabel indicator (n_samples, n_classes), dense or sparse
    classes : array-like of shape (n_classes,)
        The classes, one per column, in the order given.
    neg_label, pos_label : int, default=0 and 1
    sparse_output : bool, default=False
        A scipy CSR matrix (neg_label must then be 0 and pos_label nonzero).

    Returns
    -------
    Y : array of shape (n_samples, n_classes), (n_samples, 1) for binary y, or a scipy CSR matrix
    """
    check_param("neg_label", neg_label, [Interval(Integral, None, None, closed="neither")])
    check_param("pos_label", pos_label, [Interval(Integral, None, None, closed="neither")])
    check_param("sparse_output", sparse_output, ["boolean"])
    _check_labels(neg_label, pos_label, sparse_output)
    host = _host_target(y)
    return _binarize(y, host, classes, int(neg_label), int(pos_label), bool(sparse_output), resolve_backend(None),
                     _target_type(host))


class LabelBinarizer(BaseEstimator):
    """Binarize labels one-vs-all: a column per class (one column for two classes).

    Parameters
    ----------
    neg_label : int, default=0
        The value of the columns of the classes a sample does not have.
    pos_label : int, default=1
        The value of the column of its class (must exceed neg_label).
    sparse_output : bool, default=False
        Return a scipy CSR matrix (neg_label must then be 0 and pos_label nonzero).
    backend : str or Backend, optional
        Where numeric labels are matched; None: the backend in force at fit. (String labels are matched on the
        host.) The output is integers, so there is no `dtype` parameter.

    Attributes
    ----------
    classes_ : numpy array of shape (n_classes,), sorted
        The labels (for a multilabel indicator y, its column numbers).
    y_type_ : str
        The kind of target seen at fit: "binary", "multiclass" or "multilabel-indicator".
    sparse_input_ : bool
        Whether fit was given a scipy.sparse matrix.

    Examples
    --------
    >>> from xpml.preprocessing import LabelBinarizer
    >>> LabelBinarizer().fit([1, 2, 6, 4, 2]).transform([1, 6]).tolist()
    [[1, 0, 0, 0], [0, 0, 0, 1]]
    """

    _parameter_constraints = {"neg_label": [Interval(Integral, None, None, closed="neither")],
                              "pos_label": [Interval(Integral, None, None, closed="neither")],
                              "sparse_output": ["boolean"], "backend": BACKEND_CONSTRAINTS["backend"]}

    def __init__(self, *, neg_label: int = 0, pos_label: int = 1, sparse_output: bool = False, backend: Any = None):
        self.neg_label = neg_label
        self.pos_label = pos_label
        self.sparse_output = sparse_output
        self.backend = backend

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False  # it encodes y, not X (scikit-learn's estimator checks skip it)
        tags.target_tags.one_d_labels = True
        return tags

    def fit(self, y: Any) -> LabelBinarizer:
        """Learn the classes of y: labels (n_samples,), or a multilabel indicator matrix (n_samples, n_classes),
        dense or sparse. Returns self."""
        self._validate_params()
        _check_labels(self.neg_label, self.pos_label, self.sparse_output)
        self._backend = resolve_backend(self.backend)
        _check_scales_out(self)  # it reads y on the host: refused on a lazy backend, saying what to do
        host = _host_target(y)
        self.y_type_ = _target_type(host)
        _refuse(self.y_type_)
        self.sparse_input_ = is_sparse(host)
        hxp = host_namespace()
        self.classes_ = hxp.arange(host.shape[1]) if self.y_type_ == "multilabel-indicator" else \
            unique_values(host.reshape(-1))
        return self

    def fit_transform(self, y: Any):
        """Fit, then transform y."""
        return self.fit(y).transform(y)

    def transform(self, y: Any):
        """The one-vs-all columns of y: an integer array (n_samples, n_classes), (n_samples, 1) for two classes, or
        a scipy CSR matrix (sparse_output); a label not among classes_ gives a row of neg_label."""
        check_is_fitted(self)
        host = _host_target(y)
        y_type = _target_type(host)
        if y_type.startswith("multilabel") and not self.y_type_.startswith("multilabel"):
            raise ValueError("The object was not fitted with multilabel input.")
        return _binarize(y, host, self.classes_, self.neg_label, self.pos_label, self.sparse_output, self._backend,
                         y_type)

    def inverse_transform(self, Y: Any, threshold: float | None = None):
        """The labels of rows of scores Y (n_samples, n_classes): each row's largest (multiclass), or the scores
        above `threshold` (binary, multilabel; by default halfway between neg_label and pos_label, 0 for
        decision_function's scores, 0.5 for probabilities)."""
        check_is_fitted(self)
        threshold = (self.pos_label + self.neg_label) / 2.0 if threshold is None else threshold
        Y_in, host = Y, host_sparse(Y)
        dense = host.toarray() if is_sparse(host) else Y
        k, xp = len(self.classes_), self._backend.xp
        if library_of(dense) is None:
            dense = as_host(dense, "Y")
        if len(dense.shape) not in (1, 2):
            raise ValueError(f"Y should be scores of shape (n_samples, n_classes); got shape {tuple(dense.shape)}.")
        scores = check_array(dense, self._backend, name="Y", ndim=len(dense.shape))
        if self.y_type_ == "multiclass":
            return self._labels(xp.clip(xp.argmax(xp.reshape(scores, (scores.shape[0], -1)), axis=1), 0, k - 1), Y_in)
        if self.y_type_ == "binary" and scores.ndim == 2 and scores.shape[1] > 2:
            raise ValueError(f"output_type='binary', but y.shape = {tuple(scores.shape)}: Y should have 1 or 2 "
                             f"columns.")
        if self.y_type_ == "multilabel-indicator" and (scores.ndim != 2 or scores.shape[1] != k):
            raise ValueError(f"The number of class is not equal to the number of dimension of y: Y has shape "
                             f"{tuple(scores.shape)}, classes_ {k} classes.")
        hit = xp.astype(scores > threshold, _int_dtype(dense, dense, self._backend))  # (n, k) or (n,)
        if self.y_type_ == "multilabel-indicator":
            if self.sparse_input_:
                return _sparse([hit[:, c] - 1 for c in range(k)], [1] * k, 1, self._backend, [])
            return match_input(hit, Y_in if not is_sparse(host) else [])
        if scores.ndim == 2 and scores.shape[1] == 2:
            return self._labels(hit[:, 1], Y_in)
        return self._labels(xp.reshape(hit, (-1,)) if k > 1 else xp.zeros_like(xp.reshape(hit, (-1,))), Y_in)

    def _labels(self, indices: Any, like: Any):
        """classes_[indices], following `like` where the labels are numbers."""
        labels = self.classes_[to_numpy(indices)]
        return match_input(labels, like if not is_sparse(like) else []) if labels.dtype.kind in "biuf" else labels
