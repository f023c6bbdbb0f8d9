"""The proxy classes: a subclass of each scikit-learn estimator that xpml also has, which fits on xpml
when it can and on scikit-learn when it cannot, decided per fit.

A proxy IS its scikit-learn class (isinstance, `clone`, `Pipeline`, `GridSearchCV` and `get_params`
see scikit-learn's estimator). At `fit` it checks three things, in order:

1. the input: scipy.sparse data goes to scikit-learn, unless the xpml estimator computes on it
   (`_accepts_sparse`: SGD, LogisticRegression, MultinomialNB, ...);
2. the parameters: each one xpml's constructor lacks must be at scikit-learn's default;
3. xpml itself: the xpml estimator is built with the same parameters plus `backend=` and fitted; a
   ValueError, TypeError or NotImplementedError from it (a parameter value or an input xpml refuses)
   sends the fit to scikit-learn.

After an xpml fit, the methods (`predict`, `transform`, `score`, ...) go to the xpml estimator and
return numpy arrays, and its fitted attributes are copied onto the proxy as numpy arrays. After a
scikit-learn fit, everything is scikit-learn's own.
"""

from __future__ import annotations

import inspect
from typing import Any


from .._backend import library_of, to_numpy
from . import _records

# Methods that go to the xpml estimator after an xpml fit (where both classes have them).
DELEGATED = ("predict", "predict_proba", "predict_log_proba", "decision_function", "transform",
             "inverse_transform", "score", "score_samples", "get_feature_names_out", "kneighbors")
# Methods that fit: each is decided like `fit`.
FITTING = ("fit", "fit_transform", "fit_predict")
# Exceptions by which xpml says "not this parameter value / not this input".
REFUSALS = (ValueError, TypeError, NotImplementedError)
# scikit-learn parameters that tune only its own memory or threads, not the result: ignored where xpml lacks them.
MACHINERY = {"copy", "copy_x", "n_jobs", "leaf_size"}


def to_host(value: Any) -> Any:
    """numpy from an array of any backend; lists, tuples and dicts element-wise; anything else unchanged."""
    if isinstance(value, (tuple, list)):
        return type(value)(to_host(v) for v in value)
    if isinstance(value, dict):
        return {k: to_host(v) for k, v in value.items()}
    library = library_of(value)
    if library is not None and library != "numpy":
        return to_numpy(value)
    return value


def _is_sparse(X: Any) -> bool:
    return type(X).__module__.startswith("scipy.sparse")


def _same_value(a: Any, b: Any) -> bool:
    try:
        return bool(a is b or a == b)
    except Exception:  # arrays and other values without a plain ==
        return False


# The Minkowski distances that xpml names (scikit-learn's neighbours take metric="minkowski" with p).
MINKOWSKI = {1: "manhattan", 2: "euclidean"}


def _translate(params: dict, accepted) -> dict:
    """scikit-learn's spelling of a parameter where xpml spells it otherwise."""
    if params.get("metric") == "minkowski" and "p" not in accepted and params.get("p") in MINKOWSKI:
        params = {**params, "metric": MINKOWSKI[params["p"]]}
        del params["p"]
    return params


def xpml_params(sk_estimator: Any, xpml_class: type) -> tuple[dict | None, str]:
    """The parameters to build the xpml estimator with, or (None, why not)."""
    accepted = inspect.signature(xpml_class.__init__).parameters
    defaults = {name: p.default for name, p in inspect.signature(type(sk_estimator).__init__).parameters.items()}
    kept = {}
    for name, value in _translate(sk_estimator.get_params(deep=False), accepted).items():
        if name in accepted:
            kept[name] = value
        elif name in MACHINERY:
            continue
        elif not _same_value(value, defaults.get(name, inspect.Parameter.empty)):
            return None, f"parameter {name}={value!r} is not supported by xpml"
    return kept, ""


def _fit_kwargs_problem(method: Any, kwargs: dict) -> str:
    accepted = inspect.signature(method).parameters
    if any(p.kind is p.VAR_KEYWORD for p in accepted.values()):
        return ""
    missing = [k for k in kwargs if k not in accepted]
    return f"fit argument {missing[0]}= is not supported by xpml" if missing else ""


def _copy_fitted_attributes(proxy: Any, fitted: Any) -> None:
    names = [k for k in vars(fitted) if k.endswith("_") and not k.startswith("_")
             and not isinstance(inspect.getattr_static(type(proxy), k, None), _FittedProperty)]  # those read xpml's
    for name in names:
        setattr(proxy, name, to_host(getattr(fitted, name)))
    proxy._xpml_attributes = names


def _forget_xpml(proxy: Any) -> None:
    for name in vars(proxy).pop("_xpml_attributes", ()):
        vars(proxy).pop(name, None)
    vars(proxy).pop("_xpml_estimator", None)


def accel_fit(proxy: Any, method: str, args: tuple, kwargs: dict) -> tuple[bool, Any]:
    """Try `method` ("fit", "fit_transform", ...) on xpml. (True, result) if it ran there, else (False, None)
    after recording why; the caller then runs scikit-learn's own method."""
    name = type(proxy).__name__
    _forget_xpml(proxy)
    if hasattr(proxy, "_validate_params"):
        proxy._validate_params()  # scikit-learn's own errors for invalid parameters, wherever the fit runs
    X = args[0] if args else kwargs.get("X")
    reason = ""
    if _is_sparse(X) and not proxy._xpml_class._accepts_sparse:
        reason = f"scipy.sparse input ({type(X).__name__}) runs on scikit-learn"
    params = None
    if not reason:
        params, reason = xpml_params(proxy, proxy._xpml_class)
    if not reason:
        reason = _fit_kwargs_problem(getattr(proxy._xpml_class, method), kwargs)
    if not reason:
        estimator = proxy._xpml_class(**params, backend=proxy._xpml_backend)
        try:
            result = getattr(estimator, method)(*args, **kwargs)
        except REFUSALS as exc:
            reason = f"xpml refused it ({type(exc).__name__}: {exc})"
        else:
            proxy._xpml_estimator = estimator
            _copy_fitted_attributes(proxy, estimator)
            _records.record(name, proxy._xpml_backend)
            return True, (proxy if result is estimator else to_host(result))
    _records.record(name, "sklearn", reason)
    return False, None


def _fitting_method(method: str):
    def fitting(self, *args, **kwargs):
        ran, result = accel_fit(self, method, args, kwargs)
        if ran:
            return result
        return getattr(super(self._xpml_proxy, self), method)(*args, **kwargs)

    fitting.__name__ = method
    return fitting


class _Delegated:
    """A method that goes to the xpml estimator after an xpml fit, and to scikit-learn's otherwise.

    A descriptor rather than a function, so that `hasattr(proxy, "predict_proba")` answers as
    scikit-learn's (some of its methods exist only for some parameters)."""

    def __init__(self, name: str):
        self.name = name

    def __set_name__(self, owner, name):
        self.owner = owner

    def __get__(self, obj, owner=None):
        if obj is None:
            return getattr(super(self.owner, owner), self.name)
        estimator = vars(obj).get("_xpml_estimator")
        if estimator is None:
            return getattr(super(self.owner, obj), self.name)
        method = getattr(estimator, self.name)

        def delegated(*args, **kwargs):
            return to_host(method(*args, **kwargs))

        delegated.__name__ = self.name
        return delegated


class _FittedProperty:
    """A fitted attribute that scikit-learn computes in a property (OneHotEncoder's and OrdinalEncoder's
    infrequent_categories_, ...): the xpml estimator's after an xpml fit, scikit-learn's property otherwise."""

    def __init__(self, name: str, prop: property):
        self.name, self.prop = name, prop

    def __get__(self, obj, owner=None):
        if obj is None:
            return self.prop
        estimator = vars(obj).get("_xpml_estimator")
        if estimator is None:
            return self.prop.__get__(obj, owner)
        return to_host(getattr(estimator, self.name))


def _transform_method(name: str):
    """transform and fit_transform are plain functions: scikit-learn's set_output wraps them in the
    subclass (pandas output where the user asked for it)."""
    if name == "fit_transform":
        return _fitting_method(name)

    def transform(self, *args, **kwargs):
        estimator = vars(self).get("_xpml_estimator")
        if estimator is None:
            return getattr(super(self._xpml_proxy, self), name)(*args, **kwargs)
        return to_host(getattr(estimator, name)(*args, **kwargs))

    transform.__name__ = name
    return transform


def make_proxy(sk_class: type, xpml_class: type, backend: str) -> type:
    """A subclass of `sk_class`, under its name and module, that fits on xpml's `xpml_class` when it can."""
    namespace: dict[str, Any] = {
        "__module__": sk_class.__module__,
        "__qualname__": sk_class.__qualname__,
        "__doc__": sk_class.__doc__,
        "_xpml_class": xpml_class,
        "_xpml_backend": backend,
        "_xpml_sklearn_class": sk_class,
    }
    for method in FITTING:
        if hasattr(sk_class, method) and hasattr(xpml_class, method) and method != "fit_transform":
            namespace[method] = _fitting_method(method)
    for method in ("transform", "fit_transform"):
        if hasattr(sk_class, method) and hasattr(xpml_class, method):
            namespace[method] = _transform_method(method)
    for method in DELEGATED:
        if method in namespace or not hasattr(xpml_class, method):
            continue
        if method in sk_class.__dict__ or any(method in vars(c) for c in sk_class.__mro__):
            namespace[method] = _Delegated(method)
    for name in dir(sk_class):  # fitted attributes that scikit-learn computes: xpml's own after an xpml fit
        prop = inspect.getattr_static(sk_class, name, None)
        if name.endswith("_") and not name.startswith("_") and isinstance(prop, property):
            namespace[name] = _FittedProperty(name, prop)
    proxy = type(sk_class.__name__, (sk_class,), namespace)
    proxy._xpml_proxy = proxy  # for super() in the methods above
    return proxy
