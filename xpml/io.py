"""Saving and loading fitted estimators, safely, across backends.

A model file is a zip archive:

- `model.json`: the format and its version, the xpml version, the estimator's class, its parameters,
  and its fitted state as a tree in which every array is replaced by a reference;
- `arrays/<n>.npy`: each array, written with numpy's `allow_pickle=False`, with its dtype and shape
  also recorded in `model.json`.

Besides numbers, strings, arrays, lists and dicts, the tree holds arrays of Python objects (as lists of
their items), numpy random generators (their bit generator's name, from a fixed list, and its state)
and xpml's own helper objects (an SGD solver's state, an optimizer's moments: their attributes, set on
an instance made without running its __init__). Nothing is ever unpickled, and only classes defined in
xpml are rebuilt, so opening a model file cannot run code. Arrays are stored on the host and moved, at
load, to whichever backend and device you ask for: a model trained with cupy on a GPU loads with numpy
on a laptop.
"""

from __future__ import annotations

import importlib
import io
import json
import math
import zipfile
import zlib
from os import PathLike
from typing import Any

import numpy as np

from ._backend import Backend, device_spec, dtype_name, float_dtype_for, library_of, resolve_backend, to_backend, to_numpy

__all__ = ["FORMAT_VERSION", "load", "save"]

FORMAT = "xpml-model"
FORMAT_VERSION = 1
_SCALARS = (type(None), bool, int, float, str)
_BIT_GENERATORS = ("MT19937", "PCG64", "PCG64DXSM", "Philox", "SFC64")  # numpy's; rebuilt by name
_DTYPE_TYPES = (bool, int, float, np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
                np.uint64, np.float16, np.float32, np.float64)  # `dtype=` values given as types (OneHotEncoder)


def _class_path(obj: Any) -> str:
    cls = type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


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
        from .base import BaseEstimator

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
        if isinstance(value, Backend):  # a `backend=` parameter given as a Backend: keep its name and device
            return f"{value.name}:{device_spec(value)}"
        if library_of(value) is not None:
            return self.array(value, "backend")
        if isinstance(value, (list, tuple)):
            items = [self.encode(v, f"{path}[{i}]", on_host) for i, v in enumerate(value)]
            return {"__list__": items} if isinstance(value, list) else {"__tuple__": items}
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            return {"__dict__": {k: self.encode(v, f"{path}[{k!r}]", on_host) for k, v in value.items()}}
        if isinstance(value, BaseEstimator):
            return {"__estimator__": self.estimator(value, path)}
        if _class_path(value).startswith("xpml.") and hasattr(value, "__dict__") and not isinstance(value, type):
            # xpml's own helper objects (an SGD solver's state, an optimizer's moments): their attributes
            return {"__object__": {"class": _class_path(value), "state": self.encode(vars(value), path, on_host)}}
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


def save(estimator: Any, path: str | PathLike) -> None:
    """Save an xpml estimator (fitted or not) to a model file at `path`.

    Raises TypeError for an object that is not an xpml estimator, or that holds something other than
    numbers, strings, arrays, lists, dicts and xpml estimators.
    """
    from . import __version__
    from .base import BaseEstimator

    if not isinstance(estimator, BaseEstimator):
        raise TypeError(f"estimator should be an xpml estimator; got {type(estimator).__name__}.")
    writer = _Writer()
    tree = writer.estimator(estimator, type(estimator).__name__)
    meta = {"format": FORMAT, "format_version": FORMAT_VERSION, "xpml_version": __version__,
            "estimator": tree, "arrays": writer.specs}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.json", json.dumps(meta, indent=1))
        for i, host in enumerate(writer.arrays):
            buffer = io.BytesIO()
            np.save(buffer, host, allow_pickle=False)
            archive.writestr(f"arrays/{i}.npy", buffer.getvalue())


class _Reader:
    """Rebuilds an estimator from a model file's JSON tree and arrays."""

    def __init__(self, archive: zipfile.ZipFile, specs: list, backend: Any):
        self.archive, self.specs, self.backend = archive, specs, backend

    def array(self, index: Any, target: Backend) -> Any:
        if not isinstance(index, int) or not 0 <= index < len(self.specs):
            raise ValueError(f"the model file refers to array {index!r}, which it does not list.")
        spec = self.specs[index]
        if not (isinstance(spec, dict) and isinstance(spec.get("dtype"), str) and isinstance(spec.get("shape"), list)):
            raise ValueError(f"the model file's metadata of array {index} is malformed: {str(spec)[:60]!r}.")
        try:
            with self.archive.open(f"arrays/{index}.npy") as stream:
                # The header first: an array that declares more bytes than its entry holds (73 TiB, say)
                # is refused before numpy tries to allocate it.
                version = np.lib.format.read_magic(stream)
                read_header = {(1, 0): np.lib.format.read_array_header_1_0,
                               (2, 0): np.lib.format.read_array_header_2_0}.get(version)
                if read_header is None:
                    raise ValueError(f"its .npy format version {version} is not one xpml writes")
                shape, _, dtype = read_header(stream)
                if dtype.hasobject:
                    raise ValueError("it holds Python objects, which are never unpickled (allow_pickle=False)")
                if dtype.kind not in ("buif" if spec.get("where") != "host" else "buifUS"):
                    raise ValueError(f"its dtype {dtype.str} is not one of real numbers"
                                     + ("" if spec.get("where") != "host" else " or strings"))
                size = self.archive.getinfo(f"arrays/{index}.npy").file_size
                if math.prod(shape) * dtype.itemsize > size:
                    raise ValueError(f"its header declares shape {list(shape)} of {dtype.str}, "
                                     f"more than the {size} bytes it holds")
            host = np.load(io.BytesIO(self.archive.read(f"arrays/{index}.npy")), allow_pickle=False)
        except (KeyError, ValueError, OSError, EOFError, NotImplementedError, zlib.error, zipfile.BadZipFile) as exc:
            raise ValueError(f"array {index} of the model file cannot be read: {exc}") from None
        if host.dtype.str != spec["dtype"] or list(host.shape) != spec["shape"]:
            raise ValueError(
                f"array {index} of the model file has dtype {host.dtype.str} and shape {list(host.shape)}, but its "
                f"metadata says dtype {spec['dtype']} and shape {spec['shape']}."
            )
        if spec["where"] == "host":
            return host
        dtype = float_dtype_for(host.dtype.name, target) if host.dtype.kind == "f" else None
        return to_backend(host, target, dtype=dtype)

    def decode(self, value: Any, target: Backend) -> Any:
        if isinstance(value, _SCALARS):
            return value
        if isinstance(value, list):  # JSON lists only appear inside the tags below
            raise ValueError("the model file's state is malformed.")
        (tag, inner), = value.items() if isinstance(value, dict) and len(value) == 1 else [(None, None)]
        if tag == "__array__":
            return self.array(inner, target)
        if tag == "__list__":
            return [self.decode(v, target) for v in inner]
        if tag == "__tuple__":
            return tuple(self.decode(v, target) for v in inner)
        if tag == "__dict__":
            return {k: self.decode(v, target) for k, v in inner.items()}
        if tag == "__estimator__":
            return self.estimator(inner, self.backend)
        if tag == "__objects__":
            items = [self.decode(v, target) for v in inner["items"]]
            out = np.empty(len(items), dtype=object)
            out[:] = items
            return out.reshape(inner["shape"])
        if tag == "__dtype__":
            dtype = np.dtype(inner["name"])
            python = {"bool": bool, "int64": int, "float64": float}
            return dtype if inner["as"] == "dtype" else python[dtype.name] if inner["as"] == "python" else dtype.type
        if tag == "__generator__":
            if inner["bit_generator"] not in _BIT_GENERATORS:
                raise ValueError(f"the model file holds an unknown bit generator {inner['bit_generator']!r}.")
            bit_generator = getattr(np.random, inner["bit_generator"])()
            bit_generator.state = self.decode(inner["state"], target)
            return np.random.Generator(bit_generator)
        if tag == "__object__":
            cls = _xpml_class(inner["class"])
            if not isinstance(cls, type) or cls.__new__ is not object.__new__:
                raise ValueError(f"the model file holds an unknown class {inner['class']!r}; it can only hold xpml "
                                 f"estimators and xpml's own objects.")
            obj = object.__new__(cls)  # no __init__: the attributes come from the file, as data
            vars(obj).update(self.decode(inner["state"], target))
            return obj
        raise ValueError(f"the model file's state is malformed near {str(value)[:60]!r}.")

    def estimator(self, tree: dict, backend: Any) -> Any:
        from .base import BaseEstimator

        path = tree.get("class", "")
        cls = _xpml_class(path)
        if not (isinstance(cls, type) and issubclass(cls, BaseEstimator)):
            raise ValueError(f"the model file holds an unknown class {path!r}; it can only hold xpml estimators.")
        params = self.decode(tree["params"], resolve_backend("numpy"))
        if backend is not None and "backend" in cls._get_param_names():  # meta-estimators pass it to their parts
            params["backend"] = backend
        estimator = cls(**params)
        fitted = tree["fitted_backend"] is not None
        target = resolve_backend(params.get("backend")) if fitted else resolve_backend("numpy")
        state = self.decode(tree["state"], target)
        if fitted:
            estimator._backend = target
            floats = [a for a in _leaves(state) if library_of(a) is not None and dtype_name(a).startswith("float")]
            if floats and "_dtype" in state:
                state["_dtype"] = dtype_name(floats[0])  # float64 saved, float32 where the device has no float64
        for key, value in state.items():
            setattr(estimator, key, value)
        return estimator


def _check_loaded(estimator: Any, where: str) -> None:
    """Validate a loaded estimator as user input: its parameters through the same checks as fit, its
    fitted attributes by name (`n_features_in_` an int >= 1, arrays of real numbers). Raises ValueError
    or TypeError naming the field."""
    from .base import BaseEstimator
    from .utils._param_validation import check_param

    constraints = getattr(type(estimator), "_parameter_constraints", {})
    for name, value in estimator.get_params(deep=False).items():
        if isinstance(value, BaseEstimator):
            _check_loaded(value, f"{where}.{name}")
        elif name in constraints:
            try:
                check_param(name, value, constraints[name])
            except (ValueError, TypeError) as exc:
                raise type(exc)(f"parameter {where}.{name}: {exc}") from None
    for name, value in vars(estimator).items():
        field = f"{where}.{name}"
        if name in ("n_features_in_", "n_outputs_", "n_output_features_") and not (
                isinstance(value, int) and not isinstance(value, bool) and value >= (name != "n_output_features_")):
            raise ValueError(f"field {field} should be an int >= 1; got {value!r}.")
        if name.endswith("_") and not name.startswith("_") and isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                if isinstance(item, BaseEstimator):
                    _check_loaded(item, f"{field}[{i}]")
        if isinstance(value, BaseEstimator):
            _check_loaded(value, field)
        elif library_of(value) is not None and not dtype_name(value).startswith(("float", "int", "uint", "bool")):
            raise ValueError(f"field {field} should be an array of real numbers; got dtype {dtype_name(value)}.")
    _check_fitted_ndims(estimator, where)


# The number of dimensions each common fitted array has after a real fit (a tuple: the ones allowed);
# `_NDIM_BY_CLASS` overrides it where an estimator's attribute of that name has another shape.
_NDIM = {"coef_": (1, 2), "intercept_": (0, 1), "cluster_centers_": (2,), "components_": (2,), "mean_": (1,),
         "var_": (1,), "scale_": (1,), "classes_": (1,), "theta_": (2,), "labels_": (1,)}
_NDIM_BY_CLASS = {"GaussianNB": {"var_": (2,)}}
_LIST_NDIM = {"coefs_": 2, "intercepts_": 1}  # lists of arrays, one per layer
_FEATURES_LAST = ("coef_", "cluster_centers_", "components_")  # (..., n_features_in_)


def _check_fitted_ndims(estimator: Any, where: str) -> None:
    """Refuse fitted arrays whose number of dimensions (or feature axis) differs from a real fit's:
    a file edited to hold a 2-D intercept_ or a 3-D coef_ would otherwise fail later, inside predict."""
    state = vars(estimator)
    allowed = {**_NDIM, **_NDIM_BY_CLASS.get(type(estimator).__name__, {})}
    for name, ndims in allowed.items():
        value = state.get(name)
        if library_of(value) is not None and value.ndim not in ndims:
            raise ValueError(f"field {where}.{name} should have {' or '.join(map(str, ndims))} dimension(s); "
                             f"got {value.ndim} (shape {tuple(value.shape)}).")
    for name, ndim in _LIST_NDIM.items():
        for i, item in enumerate(state.get(name) or ()) if isinstance(state.get(name), (list, tuple)) else ():
            if library_of(item) is not None and item.ndim != ndim:
                raise ValueError(f"field {where}.{name}[{i}] should have {ndim} dimension(s); got {item.ndim} "
                                 f"(shape {tuple(item.shape)}).")
    coef, intercept = state.get("coef_"), state.get("intercept_")
    if library_of(coef) is not None and library_of(intercept) is not None and (
            tuple(intercept.shape) not in (((coef.shape[0],),) if coef.ndim == 2 else ((), (1,)))):
        raise ValueError(f"field {where}.intercept_ has shape {tuple(intercept.shape)}, which does not match "
                         f"coef_ of shape {tuple(coef.shape)} (one intercept per row of a 2-D coef_, one in all for a 1-D coef_).")
    n_features = state.get("n_features_in_")
    for name in _FEATURES_LAST:
        value = state.get(name)
        if isinstance(n_features, int) and library_of(value) is not None and value.ndim >= 1 \
                and value.shape[-1] != n_features:
            raise ValueError(f"field {where}.{name} has shape {tuple(value.shape)}, but n_features_in_={n_features}: "
                             f"its last axis should have {n_features} entries.")


def _xpml_class(path: Any) -> Any:
    """The object named by a dotted path inside xpml, or None: nothing outside xpml is ever imported."""
    module, _, name = str(path).rpartition(".")
    if not (module.startswith("xpml.") or module == "xpml"):
        return None
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def _leaves(value: Any):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def load(path: str | PathLike, backend: Any = None) -> Any:
    """Load an estimator saved with `save`, onto a backend.

    Parameters
    ----------
    path : str or path-like
    backend : str or Backend, optional
        Where the fitted arrays go ("numpy", "torch:cuda", ...). None: the estimator's own `backend`
        parameter, which, if None, means the backend in force now.

    Raises
    ------
    ValueError
        For a file that is not an xpml model, is corrupt or truncated, has another format version, holds
        an unknown class, or has arrays whose dtype or shape disagree with its metadata.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                meta = json.loads(archive.read("model.json"))
            except KeyError:
                raise ValueError(f"{path} is not an xpml model file: it has no model.json.") from None
            if not isinstance(meta, dict) or meta.get("format") != FORMAT:
                raise ValueError(f"{path} is not an xpml model file.")
            if meta.get("format_version") != FORMAT_VERSION:
                raise ValueError(
                    f"{path} has model format version {meta.get('format_version')!r}; this xpml reads version "
                    f"{FORMAT_VERSION}. Save the model again with a matching xpml."
                )
            estimator = _Reader(archive, meta["arrays"], backend).estimator(meta["estimator"], backend)
            _check_loaded(estimator, type(estimator).__name__)
            return estimator
    except ValueError as exc:
        if str(path) in str(exc):
            raise
        raise ValueError(f"{path}: {exc}") from None
    except IsADirectoryError:
        raise ValueError(f"{path} is a directory, not an xpml model file.") from None
    except (FileNotFoundError, PermissionError):
        raise
    except RecursionError:
        raise ValueError(f"{path} is malformed: its model.json is nested too deeply.") from None
    except (MemoryError, NotImplementedError, OverflowError, OSError) as exc:
        raise ValueError(f"{path} is corrupt: {type(exc).__name__}: {exc}") from None
    except zipfile.BadZipFile as exc:
        raise ValueError(f"{path} is not a readable xpml model file (corrupt or truncated zip archive: {exc}).") from None
    except (json.JSONDecodeError, UnicodeDecodeError, zipfile.LargeZipFile, zlib.error, EOFError) as exc:
        raise ValueError(f"{path} is corrupt: {exc}") from None
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{path} is corrupt or malformed: {type(exc).__name__}: {exc}") from None
