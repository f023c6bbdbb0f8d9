"""Reading a model file: the JSON tree and its arrays become an estimator again, on a chosen backend.

Nothing is unpickled and only classes defined in xpml are rebuilt (`_xpml_class`)."""

from __future__ import annotations

import importlib
import io
import math
import zipfile
import zlib
from typing import Any

import numpy as np

from .._backend import Backend, dtype_name, float_dtype_for, library_of, resolve_backend, to_backend
from ._format import _BIT_GENERATORS, _SCALARS, _TYPES


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
        if tag == "__mapping__":  # a dict keyed by numbers (class labels)
            if not all(isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], _SCALARS) for pair in inner):
                raise ValueError("the model file holds a malformed mapping.")
            return {key: self.decode(v, target) for key, v in inner}
        if tag == "__estimator__":
            return self.estimator(inner, self.backend)
        if tag == "__objects__":
            items = [self.decode(v, target) for v in inner["items"]]
            out = np.empty(len(items), dtype=object)
            out[:] = items
            return out.reshape(inner["shape"])
        if tag == "__slice__":
            if not (isinstance(inner, list) and len(inner) == 3
                    and all(v is None or type(v) in (int, str) for v in inner)):
                raise ValueError(f"the model file holds a malformed slice {str(inner)[:60]!r}.")
            return slice(*inner)
        if tag == "__type__":
            if inner not in _TYPES:
                raise ValueError(f"the model file holds an unknown type {str(inner)[:60]!r}.")
            return _TYPES[inner]
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
        if tag == "__distribution__":  # a scipy.stats distribution, rebuilt by its name in scipy.stats only
            import scipy.stats

            dist = getattr(scipy.stats, str(inner.get("name")), None)
            if not isinstance(dist, (scipy.stats.rv_continuous, scipy.stats.rv_discrete)):
                raise ValueError(f"the model file holds an unknown distribution {str(inner.get('name'))[:60]!r}; it "
                                 f"can only hold the distributions of scipy.stats.")
            if not inner.get("frozen"):
                return dist
            return dist(*self.decode(inner["args"], target), **self.decode(inner["kwds"], target))
        if tag == "__object__":
            cls = _xpml_class(inner["class"])
            if not isinstance(cls, type) or cls.__new__ is not object.__new__:
                raise ValueError(f"the model file holds an unknown class {inner['class']!r}; it can only hold xpml "
                                 f"estimators and xpml's own objects.")
            obj = object.__new__(cls)  # no __init__: the attributes come from the file, as data
            vars(obj).update(self.decode(inner["state"], target))
            return obj
        if tag == "__function__":  # a public function of xpml (a selector's score_func), by its dotted path
            func = _xpml_class(inner)
            if type(func).__name__ != "function" or func.__name__ not in getattr(
                    importlib.import_module(func.__module__), "__all__", ()):
                raise ValueError(f"the model file holds an unknown function {str(inner)[:60]!r}; it can only hold "
                                 f"xpml's public functions.")
            return func
        raise ValueError(f"the model file's state is malformed near {str(value)[:60]!r}.")

    def estimator(self, tree: dict, backend: Any) -> Any:
        from ..base import BaseEstimator

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
