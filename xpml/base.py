"""The estimator base class: parameters, fitted checks, and data in and out (the mixins are in `_mixins`).

Every xpml estimator follows scikit-learn's conventions:

- `__init__` only stores its keyword parameters, which `get_params` / `set_params` read and write;
- `fit` validates its input, learns, sets attributes whose names end in "_" and returns `self`;
- `predict`, `transform` and `score` refuse to run before `fit` (`NotFittedError`).

On top of that, `BaseEstimator` is where an estimator meets its backend. At `fit`, the `backend`
parameter (None: the backend in force) is resolved and kept; every array then goes through
`_validate_data`, which moves it there, and results go back through `_output`, which returns them in
the library of the input (output follows input).

A pandas or polars DataFrame goes in wherever an array does: its string column names become
`feature_names_in_` at fit and are checked at predict and transform, as scikit-learn does.
Transformers have `set_output(transform="pandas")` (`SetOutputMixin`), which returns their
`transform` and `fit_transform` results as DataFrames named by `get_feature_names_out`.

scikit-learn is never imported here, except by `__sklearn_tags__`, which only scikit-learn calls.
"""

from __future__ import annotations

import copy
import functools
import inspect
import threading
from typing import Any

from ._backend import (
    Backend,
    dtype_name,
    library_of,
    match_input,
    resolve_backend,
    to_backend,
)
from ._mixins import ClassifierMixin, OutlierMixin, RegressorMixin, TransformerMixin, _require_y
from .exceptions import not_fitted_error
from .utils._feature_names import check_feature_names
from .utils._param_validation import Options, validate_params
from .utils._set_output import SetOutputMixin
from .utils._csr import is_csr
from .utils._sparse_input import sparse_output
from .utils._stream import stream, streams
from .utils.validation import check_array, check_consistent_length, check_n_features, check_target

__all__ = ["BaseEstimator", "ClassifierMixin", "OutlierMixin", "RegressorMixin", "SetOutputMixin", "TransformerMixin",
           "check_is_fitted", "clone", "is_classifier"]

# Every estimator has these two parameters; they are checked like any other.
BACKEND_CONSTRAINTS = {
    "backend": [None, "str", Backend],
    "dtype": [None, Options({"float32", "float64"})],
}


NO_Y = object()  # `_validate_data` without a y (transformers, predict), as opposed to y=None given to fit


def check_is_fitted(estimator: Any) -> None:
    """Raise NotFittedError unless `estimator` has been fitted."""
    if not estimator.__sklearn_is_fitted__():
        raise not_fitted_error(
            f"This {type(estimator).__name__} instance is not fitted yet. Call 'fit' with appropriate "
            f"arguments before using this estimator."
        )


def clone(estimator: Any, *, safe: bool = True) -> Any:
    """A new, unfitted estimator with the same parameters (scikit-learn's `clone`, without scikit-learn).

    Parameters that are estimators are cloned in turn, lists and tuples of them element by element
    (a Pipeline's steps); other values are deep-copied. With `safe=False`, an object that is not an
    estimator is deep-copied instead of refused.
    """
    if isinstance(estimator, (list, tuple, set, frozenset)):
        return type(estimator)(clone(e, safe=safe) for e in estimator)
    if not hasattr(estimator, "get_params") or isinstance(estimator, type):
        if safe:
            raise TypeError(
                f"Cannot clone {estimator!r} ({type(estimator).__name__}): it is not an estimator "
                f"(it has no get_params method)."
            )
        return copy.deepcopy(estimator)
    params = estimator.get_params(deep=False)
    new = type(estimator)(**{name: clone(value, safe=False) for name, value in params.items()})
    if "_sklearn_output_config" in vars(estimator):  # set_output's choice is kept, as scikit-learn's clone keeps it
        new._sklearn_output_config = dict(estimator._sklearn_output_config)
    return new


def is_classifier(estimator: Any) -> bool:
    """Whether `estimator` is a classifier: an xpml classifier, a meta-estimator around one, or a
    scikit-learn classifier (asked through its tags, so scikit-learn is imported only for its own estimators)."""
    if isinstance(estimator, ClassifierMixin):
        return True
    kind = getattr(estimator, "_estimator_type", None)  # xpml meta-estimators, older scikit-learn
    if kind is not None or isinstance(estimator, BaseEstimator):
        return kind == "classifier"
    tags = getattr(estimator, "__sklearn_tags__", None)
    try:
        return tags is not None and tags().estimator_type == "classifier"
    except Exception:  # an object with tags of another shape
        return False


_fitting = threading.local()  # how deep this thread is in fit / partial_fit calls


def _materializing(fit):
    """`fit` (or `partial_fit`) followed, on a lazy backend (dask), by one compute of the fitted arrays,
    so that predict and transform do not recompute the fit: the outermost call does it, once."""
    @functools.wraps(fit)
    def wrapper(self, *args, **kwargs):
        if self._chunk_loss is not None and not getattr(_fitting, "depth", 0) and streams(self, fit.__name__):
            return stream(self, fit, args, kwargs)  # learns from a stream: on dask, chunk by chunk (utils/_stream.py)
        _fitting.depth = getattr(_fitting, "depth", 0) + 1
        try:
            result = fit(self, *args, **kwargs)
        finally:
            _fitting.depth -= 1
        if _fitting.depth == 0 and "_backend" in vars(self):
            from .utils._lazy import is_lazy, materialize

            backend = vars(self)["_backend"]
            if is_lazy(backend):
                names = [k for k, v in vars(self).items() if library_of(v) == backend.name]
                for name, value in zip(names, materialize(backend, *(getattr(self, k) for k in names))):
                    setattr(self, name, value)
        return result
    wrapper._materializes = True
    return wrapper


def _check_scales_out(estimator: Any) -> None:
    from .utils._lazy import is_lazy

    if is_lazy(estimator._backend) and not estimator._scales_out and estimator._chunk_loss is None:
        name = type(estimator).__name__
        streams = hasattr(estimator, "partial_fit")
        raise ValueError(
            f"{name} cannot fit on backend={estimator._backend.name!r}: it does not compute chunk by chunk, and "
            f"xpml never gathers the data silently. "
            + (f"Stream the chunks through partial_fit on another backend instead, e.g. "
               f"`for block in X.blocks: est.partial_fit(block.compute(), ...)` with {name}(backend='numpy'); "
               if streams else "")
            + "or bring the data into memory (X.compute()) and fit with backend='numpy'."
        )


@functools.lru_cache(maxsize=None)
def _param_names(init, class_name: str) -> tuple[str, ...]:
    """The sorted parameter names of an estimator's __init__, read once per class (get_params asks every call)."""
    if init is object.__init__:
        return ()
    params = inspect.signature(init).parameters.values()
    if p := next((p for p in params if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)), None):
        raise TypeError(f"{class_name}.__init__ should take named parameters only; it has {p}.")
    return tuple(sorted(p.name for p in params if p.name != "self"))


class BaseEstimator:
    """Base class of every xpml estimator."""

    _parameter_constraints: dict = {}
    # Whether `fit` computes per chunk and reduces across chunks on a lazy backend (dask) without gathering
    # the data; an estimator that does not is refused there, with a message that says what to do.
    _scales_out: bool = False
    # Learns from a stream: fn(model, X, y, sample_weight) -> a chunk's loss; on dask, fit streams (utils/_stream.py)
    _chunk_loss = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in ("fit", "partial_fit", "_partial_fit"):
            method = vars(cls).get(name)
            if callable(method) and not getattr(method, "_materializes", False):
                setattr(cls, name, _materializing(method))
    # Fitted attributes that are numpy arrays on the host whatever the backend (labels of any type, say).
    _host_attributes: tuple = ("classes_",)

    # ---- parameters -----------------------------------------------------------------------

    @classmethod
    def _get_param_names(cls) -> list[str]:
        return list(_param_names(cls.__init__, cls.__name__))

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The estimator's parameters; with `deep`, those of nested estimators too, as "name__param"."""
        out = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params: Any) -> BaseEstimator:
        """Set parameters, nested ones as "name__param". Returns self."""
        valid = self.get_params(deep=True)
        nested: dict[str, dict] = {}
        for key, value in params.items():
            name, sep, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}. "
                    f"Valid parameters are: {sorted(self._get_param_names())}."
                )
            if sep:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
                valid[name] = value
        for name, sub_params in nested.items():
            valid[name].set_params(**sub_params)
        return self

    def __repr__(self) -> str:
        defaults = {
            p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values() if p.name != "self"
        }
        changed = []
        for name, value in self.get_params(deep=False).items():
            default = defaults.get(name, inspect.Parameter.empty)
            try:
                same = value is default or bool(value == default)
            except Exception:  # arrays and other values without a plain ==
                same = False
            if not same:
                changed.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(changed)})"

    def _validate_params(self) -> None:
        validate_params(self)

    # ---- scikit-learn interoperability -----------------------------------------------------

    def __sklearn_tags__(self):
        from sklearn.utils import InputTags, Tags, TargetTags

        return Tags(
            estimator_type=None,
            target_tags=TargetTags(required=False),
            input_tags=InputTags(allow_nan=False, sparse=not self._refuses_sparse),
            array_api_support=True,
        )

    # Tags that differ between estimators, read by __sklearn_tags__.
    _multi_output: bool = False  # accepts y of shape (n_samples, n_outputs)

    def __sklearn_is_fitted__(self) -> bool:
        return any(k.endswith("_") and not k.startswith("_") for k in vars(self))

    # ---- data in and out ---------------------------------------------------------------------

    @property
    def _fitted_backend(self) -> Backend:
        """The backend of the fit; before `fit`, NotFittedError (not a bare AttributeError)."""
        backend = vars(self).get("_backend")
        if backend is None:
            raise not_fitted_error(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with appropriate "
                f"arguments before using this estimator."
            )
        return backend

    @property
    def _xp(self):
        """The array namespace of the backend this estimator was fitted on."""
        return self._fitted_backend.xp

    @property
    def _device(self):
        return self._fitted_backend.device

    # An estimator that computes squares of X (distances, variances, Gram matrices) and cannot rescale them
    # sets this: X whose squares would overflow is refused with a ValueError that says so.
    _squares_X = False
    # An estimator that computes on scipy.sparse input sets this: its X is then a `CSR` (xpml.utils._csr);
    # any other makes a small sparse X dense with a warning and refuses a large one (`_sparse_input`), or,
    # with `_refuses_sparse`, refuses every sparse X (those that read X on the host, column by column).
    _accepts_sparse = False
    _refuses_sparse = False

    def _validate_X(self, X: Any, *, reset: bool, ensure_finite: bool | str = True) -> Any:
        """Check X and move it to the backend.

        With `reset` (in `fit`) the backend is chosen and `n_features_in_` recorded; otherwise (in
        `predict`, ...) the estimator must be fitted, X must have as many features as at fit, and it
        takes the dtype of the fit. `ensure_finite="allow-nan"` lets NaN through (missing values). A DataFrame's
        column names are recorded at fit (`feature_names_in_`) and must match later.
        """
        if reset:
            self._validate_params()
            self._backend = resolve_backend(getattr(self, "backend", None))
            _check_scales_out(self)
            check_feature_names(self, X, reset=True)
            X = check_array(X, self._backend, dtype=getattr(self, "dtype", None), ensure_finite=ensure_finite,
                            squared=type(self).__name__ if self._squares_X else None,
                            accept_sparse=self._accepts_sparse)
            self.n_features_in_ = X.shape[1]
            self._dtype = dtype_name(X.data if is_csr(X) else X)
            return X
        check_is_fitted(self)
        check_feature_names(self, X, reset=False)
        X = check_array(X, self._backend, dtype=self._dtype, ensure_finite=ensure_finite,
                        squared=type(self).__name__ if self._squares_X else None, accept_sparse=self._accepts_sparse)
        check_n_features(self, X.shape[1])
        return X

    def _validate_data(self, X: Any, y: Any = NO_Y, *, reset: bool = True, multi_output: bool = True):
        """Check X (and a numeric y, if given) and move them to the backend. Returns X or (X, y)."""
        if y is NO_Y:
            return self._validate_X(X, reset=reset)
        _require_y(self, y)
        check_consistent_length(X=X, y=y)
        X = self._validate_X(X, reset=reset)
        y = check_target(y, self._backend, n_samples=X.shape[0], dtype=self._dtype, multi_output=multi_output)
        from .utils._lazy import align_rows

        return X, align_rows(self._backend, y, X)

    def _output(self, result: Any, like: Any) -> Any:
        """`result` in the library and on the device of the user's input `like` (output follows input); a sparse
        result as scipy.sparse (`_sparse_input.sparse_output`)."""
        return sparse_output(result, like) if is_csr(result) else match_input(result, like)

    def _to_backend(self, x: Any, dtype: str | None = None) -> Any:
        """An array moved to this estimator's backend (for arrays that need no validation)."""
        return to_backend(x, self._backend, dtype=dtype)
