"""Writing a model file: an estimator becomes a JSON tree plus a list of host arrays."""

from __future__ import annotations

import importlib
import numbers
from typing import Any

import numpy as np

from .._backend import Backend, device_spec, library_of, to_numpy
from ._format import _BIT_GENERATORS, _DTYPE_TYPES, _SCALARS, _TYPES, _class_path, _type_path


class _Writer:
    """Turns an estimator into a JSON tree plus a list of host arrays."""

    def __init__(self):
        self.arrays: list[np.ndarray] = []
        self.specs: list[dict] = []

    def array(self, value: Any, where: str) -> dict:
        host = np.asarray(to_numpy(value), order="C")  # (np.ascontiguousarray would turn a 0-d intercept_ 1-d)
        if host.dtype.kind == "O":
            raise TypeError("arrays of Python objects cannot be saved safely; convert them to numbers or strings.")
        self.arrays.append(host)
        self.specs.append({"dtype": host.dtype.str, "shape": list(host.shape), "where": where})
        return {"__array__": len(self.arrays) - 1}

    def encode(self, value: Any, path: str, on_host: bool = False) -> Any:
        """The JSON form of `value`; `on_host`: numpy arrays in it stay numpy at load (else go to the backend)."""
        from ..base import BaseEstimator

        if isinstance(value, np.generic):
            if value.dtype.kind == "f" and not on_host:  # a numpy backend's 0-d result (an intercept, say)
                return self.array(np.asarray(value), "backend")  # comes back as a 0-d array of the backend
            value = value.item()
        if isinstance(value, _SCALARS):
            return value
        if isinstance(value, np.ndarray) and value.dtype.kind == "O":  # objects: a list of their items
            items = [self.encode(v, f"{path}[{i}]", on_host) for i, v in enumerate(value.reshape(-1).tolist())]
            return {"__objects__": {"shape": list(value.shape), "items": items}}
        if isinstance(value, np.ndarray):
            return self.array(value, "host" if on_host or value.dtype.kind not in "biuf" else "backend")
        if isinstance(value, np.random.Generator):  # a generator kept to continue a random stream
            name = type(value.bit_generator).__name__
            if name not in _BIT_GENERATORS:
                raise TypeError(f"{path} is a Generator on a {name}, which an xpml model file cannot hold; it holds "
                                f"generators on {', '.join(_BIT_GENERATORS)}.")
            return {"__generator__": {"bit_generator": name,
                                      "state": self.encode(value.bit_generator.state, path, on_host=True)}}
        if isinstance(value, np.dtype) or (isinstance(value, type) and value in _DTYPE_TYPES):  # a `dtype=` parameter
            return {"__dtype__": {"name": np.dtype(value).name, "as": "dtype" if isinstance(value, np.dtype)
                                  else "python" if value in (bool, int, float) else "numpy"}}
        if isinstance(value, slice):  # columns of a ColumnTransformer, its output_indices_
            ends = [v if v is None or isinstance(v, str) else _slice_end(v, path) for v in (value.start, value.stop,
                                                                                           value.step)]
            return {"__slice__": ends}
        if isinstance(value, type) and _TYPES.get(_type_path(value)) is value:  # a dtype to select columns by
            return {"__type__": _type_path(value)}
        if isinstance(value, Backend):  # a `backend=` parameter given as a Backend: keep its name and device
            return f"{value.name}:{device_spec(value)}"
        if library_of(value) is not None:
            return self.array(value, "backend")
        if isinstance(value, (list, tuple)):
            items = [self.encode(v, f"{path}[{i}]", on_host) for i, v in enumerate(value)]
            return {"__list__": items} if isinstance(value, list) else {"__tuple__": items}
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            return {"__dict__": {k: self.encode(v, f"{path}[{k!r}]", on_host) for k, v in value.items()}}
        if isinstance(value, dict):  # keyed by other labels (classes): its (key, value) pairs, each key a scalar
            keys = [self.encode(k, f"{path}'s key {k!r}", True) for k in value]
            if not all(isinstance(k, _SCALARS) for k in keys):
                raise TypeError(f"{path} is a dict with a key that is no number or string, which an xpml model file "
                                f"cannot hold.")
            return {"__mapping__": [[k, self.encode(v, f"{path}[{k!r}]", on_host)] for k, v in zip(keys,
                                                                                                  value.values())]}
        if isinstance(value, BaseEstimator):
            return {"__estimator__": self.estimator(value, path)}
        if type(value).__module__.startswith("scipy.stats.") and hasattr(value, "rvs"):
            return {"__distribution__": _distribution(value, path, self.encode)}  # RandomizedSearchCV's draws
        if _class_path(value).startswith("xpml.") and hasattr(value, "__dict__") and not isinstance(value, type):
            # xpml's own helper objects (an SGD solver's state, an optimizer's moments): their attributes
            return {"__object__": {"class": _class_path(value), "state": self.encode(vars(value), path, on_host)}}
        if callable(value) and type(value).__name__ == "function" and value.__module__.startswith("xpml.") \
                and value.__name__ in getattr(importlib.import_module(value.__module__), "__all__", ()):
            return {"__function__": f"{value.__module__}.{value.__name__}"}  # xpml's own (SelectKBest's f_classif)
        raise TypeError(
            f"{path} is a {type(value).__name__}, which an xpml model file cannot hold; it holds numbers, strings, "
            f"arrays, lists, dicts and xpml estimators."
        )

    def estimator(self, est: Any, path: str) -> dict:
        if not _class_path(est).startswith("xpml."):
            raise TypeError(f"{path} is a {_class_path(est)}; only xpml estimators can be saved.")
        host = set(getattr(est, "_host_attributes", ()))  # numpy by design (labels, categories), whatever the backend
        state = {
            k: self.encode(v, f"{path}[{k!r}]", on_host=k in host)
            for k, v in vars(est).items() if k != "_backend" and k not in est._get_param_names()
        }
        backend = getattr(est, "_backend", None)
        return {
            "class": _class_path(est),
            "params": self.encode(est.get_params(deep=False), f"{path}.params", on_host=True),
            "state": {"__dict__": state},
            "fitted_backend": None if backend is None else backend.name,
        }


def _slice_end(value: Any, path: str) -> int:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    raise TypeError(f"{path} holds a slice with the end {value!r}, which an xpml model file cannot hold; it holds "
                    f"slices of ints and of strs.")


def _distribution(value: Any, path: str, encode: Any) -> dict:
    """A scipy.stats distribution by the name scipy.stats gives it, with its arguments if frozen; refused unless
    that name finds it again (the reader rebuilds only distributions of scipy.stats, by name)."""
    import scipy.stats

    frozen = hasattr(value, "dist")
    dist = value.dist if frozen else value
    name = getattr(dist, "name", None)
    if not isinstance(name, str) or type(getattr(scipy.stats, name, None)) is not type(dist):
        raise TypeError(f"{path} is a {type(value).__name__} that scipy.stats does not name, which an xpml model file "
                        f"cannot hold; it holds the distributions of scipy.stats, frozen or not.")
    args = encode(list(value.args) if frozen else [], f"{path}.args", True)
    return {"name": name, "frozen": frozen, "args": args, "kwds": encode(dict(value.kwds) if frozen else {},
                                                                         f"{path}.kwds", True)}
