"""FunctionTransformer: a transformer made of a function of X (and, optionally, of its inverse).

transform(X) = func(X, **kw_args) and inverse_transform(X) = inverse_func(X, **inv_kw_args); None is
the identity. With validate=False (the default) X goes to the function as it was given (a list, a
DataFrame, an array of any library) and the function's result comes back as it is, as in
scikit-learn. With validate=True, X is checked as every estimator checks it and moved to the
estimator's backend, so the function gets an array of the backend (write it with the array API, or
with the backend's own library, to run it there); an array it returns comes back in X's library
(output follows input), a scipy.sparse X (accept_sparse=True) goes to it as it is.

With `check_inverse`, `fit` applies func then inverse_func to every hundredth sample (every sample
of fewer than 200) and warns if that does not give them back, to 1e-7 relative and 1e-9 absolute.
"""

from __future__ import annotations

from typing import Any

from .._backend import library_of, match_input, resolve_backend
from ..base import BACKEND_CONSTRAINTS, BaseEstimator, SetOutputMixin, TransformerMixin
from ..utils._available_if import available_if
from ..utils._feature_names import check_feature_names, check_feature_names_in
from ..utils._frames import frame_library
from ..utils._host import as_host, host_array, host_namespace
from ..utils._param_validation import Options
from ..utils._set_output import _output_container
from ..utils._sparse_columns import check_sparse, is_sparse
from ..utils._sparse_input import host_sparse
from ..utils._warnings import warn
from ..utils.validation import check_array, check_n_features

__all__ = ["FunctionTransformer"]


def _n_columns(X: Any) -> int | None:
    """The number of columns of a 2-D X (an array, a DataFrame, a list of rows), None for anything else."""
    shape = getattr(X, "shape", None)
    if shape is not None:
        return int(shape[1]) if len(shape) == 2 else None
    if isinstance(X, (list, tuple)) and X and isinstance(X[0], (list, tuple)):
        return len(X[0])
    return None


def _host_values(X: Any):
    """A host numpy array of X's values (a sparse matrix made dense: a sample of rows only), or None where they are
    not numbers."""
    S = host_sparse(X)
    X = S.toarray() if is_sparse(S) else X
    try:
        values = as_host(X)
    except (TypeError, ValueError):
        return None
    return values if values.dtype.kind in "biuf" else None


class FunctionTransformer(TransformerMixin, BaseEstimator):
    """Apply a function of X (and its inverse, for inverse_transform), as a transformer.

    Parameters
    ----------
    func : callable, optional
        transform returns func(X, **kw_args); None: the identity.
    inverse_func : callable, optional
        inverse_transform returns inverse_func(X, **inv_kw_args); None: the identity.
    validate : bool, default=False
        Check X (2-D, numbers, finite) and move it to the backend before calling the functions;
        False gives them X as it is.
    accept_sparse : bool, default=False
        With validate=True, let a scipy.sparse X through (to the functions, as it is); else refuse it.
    check_inverse : bool, default=True
        At fit, warn if inverse_func(func(X)) is not X on a sample of rows (when both are given).
    feature_names_out : "one-to-one" or callable, optional
        What get_feature_names_out returns: the input names, or feature_names_out(self, input_features).
        None: there is no get_feature_names_out (set_output then needs func to return DataFrames).
    kw_args : dict, optional
        Keyword arguments of func.
    inv_kw_args : dict, optional
        Keyword arguments of inverse_func.
    backend : str or Backend, optional
        Where X goes with validate=True ("numpy", "torch", "jax", ...); None: the backend in force at fit.
    dtype : {"float32", "float64"}, optional
        The floating dtype X gets with validate=True; by default floating input keeps its precision.

    Attributes
    ----------
    n_features_in_ : int
        The number of columns of X at fit (left unset for X that has none, with validate=False).

    Examples
    --------
    >>> from xpml.preprocessing import FunctionTransformer
    >>> FunctionTransformer(lambda X: X * 2, validate=True).fit_transform([[1.0, 2.0]]).tolist()
    [[2.0, 4.0]]
    """

    _parameter_constraints = {
        "func": [None, "callable"],
        "inverse_func": [None, "callable"],
        "validate": ["boolean"],
        "accept_sparse": ["boolean"],
        "check_inverse": ["boolean"],
        "feature_names_out": [None, Options({"one-to-one"}), "callable"],
        "kw_args": [None, "dict"],
        "inv_kw_args": [None, "dict"],
        **BACKEND_CONSTRAINTS,
    }

    def __init__(self, func: Any = None, inverse_func: Any = None, *, validate: bool = False,
                 accept_sparse: bool = False, check_inverse: bool = True, feature_names_out: Any = None,
                 kw_args: dict | None = None, inv_kw_args: dict | None = None, backend: Any = None,
                 dtype: str | None = None):
        self.func = func
        self.inverse_func = inverse_func
        self.validate = validate
        self.accept_sparse = accept_sparse
        self.check_inverse = check_inverse
        self.feature_names_out = feature_names_out
        self.kw_args = kw_args
        self.inv_kw_args = inv_kw_args
        self.backend = backend
        self.dtype = dtype

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.no_validation = not self.validate
        tags.requires_fit = False
        tags.input_tags.sparse = not self.validate or self.accept_sparse
        return tags

    def _check_input(self, X: Any, *, reset: bool):
        """X as the functions get it: as it is (validate=False), or checked and on the backend (validate=True)."""
        fitted = "_backend" in vars(self)
        if reset or not fitted:
            self._validate_params()
        if not self.validate:
            if reset:
                self._backend = resolve_backend(self.backend)
                check_feature_names(self, X, reset=True)
                vars(self).pop("n_features_in_", None)
                if _n_columns(X) is not None:
                    self.n_features_in_ = _n_columns(X)
            return X
        sparse = host_sparse(X)
        if is_sparse(sparse):
            return self._check_sparse(sparse, reset=reset)
        if reset:
            return self._validate_X(X, reset=True)
        if fitted and "_dtype" in vars(self):
            return self._validate_X(X, reset=False)
        return check_array(X, resolve_backend(self.backend), dtype=self.dtype)

    def _check_sparse(self, X: Any, *, reset: bool):
        if not self.accept_sparse:
            raise TypeError(f"X is a sparse matrix ({type(X).__name__}), and accept_sparse=False with validate=True "
                            f"takes dense arrays: pass accept_sparse=True, or X.toarray() if it fits in memory.")
        X = check_sparse(X, self.dtype)
        if reset:
            self._backend = resolve_backend(self.backend)
            check_feature_names(self, X, reset=True)
            self.n_features_in_ = X.shape[1]
        elif "n_features_in_" in vars(self):
            check_n_features(self, X.shape[1])
        return X

    @staticmethod
    def _apply(function: Any, X: Any, kwargs: dict | None, name: str) -> Any:
        if function is None:
            if kwargs:
                raise TypeError(f"{name}={kwargs!r} are keyword arguments for the function, but it is None (the "
                                f"identity), which takes none.")
            return X
        return function(X, **(kwargs or {}))

    def _result(self, out: Any, X_in: Any) -> Any:
        """A backend array from the function (validate=True) back in X's library; anything else as it is."""
        if self.validate and library_of(out) is not None and not is_sparse(out):
            return match_input(out, X_in)
        return out

    def fit(self, X: Any, y: Any = None) -> FunctionTransformer:
        """Check X (validate=True), record n_features_in_, and check the functions are inverses (check_inverse).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or what func takes
        y : ignored

        Returns
        -------
        self
        """
        X = self._check_input(X, reset=True)
        for function, kwargs, name in ((self.func, self.kw_args, "kw_args"),
                                       (self.inverse_func, self.inv_kw_args, "inv_kw_args")):
            if function is None and kwargs:
                self._apply(function, X, kwargs, name)  # refused now rather than at transform
        if self.check_inverse and self.func is not None and self.inverse_func is not None:
            self._check_round_trip(X)
        return self

    def _check_round_trip(self, X: Any) -> None:
        n = X.shape[0] if hasattr(X, "shape") else len(X)
        rows = slice(None, None, max(1, n // 100))
        if hasattr(X, "iloc"):
            sample = X.iloc[rows]
        elif hasattr(X, "shape"):  # the first axis of an array of any library, or of a sparse matrix
            sample = X[(rows,) + (slice(None),) * (len(X.shape) - 1)]
        else:
            sample = X[rows]
        back = self._apply(self.inverse_func, self._apply(self.func, sample, self.kw_args, "kw_args"),
                           self.inv_kw_args, "inv_kw_args")
        want, got = _host_values(sample), _host_values(back)
        if want is None or got is None:
            return  # not numbers: nothing to compare
        hxp = host_namespace()
        if want.shape != got.shape or not bool(hxp.all(hxp.abs(want - got) <= 1e-9 + 1e-7 * hxp.abs(got))):
            warn("inverse_func(func(X)) is not X on a sample of X's rows: the functions given are not inverses of "
                 "each other. Pass check_inverse=False to skip this check.", UserWarning)

    def transform(self, X: Any):
        """func(X, **kw_args) (X checked and on the backend with validate=True)."""
        X_in, X = X, self._check_input(X, reset=False)
        out = self._result(self._apply(self.func, X, self.kw_args, "kw_args"), X_in)
        library = _output_container(self)
        if library != "default" and self.feature_names_out is None and frame_library(out) != library:
            warn(f"set_output(transform={library!r}) returns DataFrames named by get_feature_names_out, which needs "
                 f"feature_names_out; func returned a {type(out).__name__}, returned as it is. Define "
                 f"feature_names_out, or return a {library} DataFrame from func.", UserWarning)
        return out

    def inverse_transform(self, X: Any):
        """inverse_func(X, **inv_kw_args) (X checked and on the backend with validate=True)."""
        X_in = X
        if self.validate:
            sparse = host_sparse(X)
            X = self._check_sparse(sparse, reset=False) if is_sparse(sparse) else check_array(
                X, vars(self).get("_backend") or resolve_backend(self.backend), dtype=self.dtype)
        return self._result(self._apply(self.inverse_func, X, self.inv_kw_args, "inv_kw_args"), X_in)

    @available_if(lambda self: self.feature_names_out is not None)
    def get_feature_names_out(self, input_features: Any = None):
        """The output names: the input's ("one-to-one"), or feature_names_out(self, input_features)."""
        if "n_features_in_" in vars(self) or input_features is None:
            input_features = check_feature_names_in(self, input_features)
        if self.feature_names_out == "one-to-one":
            return host_array(list(input_features), "object")
        return host_array(list(self.feature_names_out(self, input_features)), "object")

    def set_output(self, *, transform: str | None = None) -> FunctionTransformer:
        """Choose what transform returns: "default", "pandas" or "polars" (DataFrames named by
        get_feature_names_out, or func's own DataFrames); None leaves it as it is. Returns self."""
        return SetOutputMixin.set_output(self, transform=transform)
