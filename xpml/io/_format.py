"""The model file's format: its name and version, and what its JSON tree holds besides arrays."""

from __future__ import annotations

from typing import Any

import numpy as np

FORMAT = "xpml-model"
FORMAT_VERSION = 1
_SCALARS = (type(None), bool, int, float, str)
_BIT_GENERATORS = ("MT19937", "PCG64", "PCG64DXSM", "Philox", "SFC64")  # numpy's; rebuilt by name
_DTYPE_TYPES = (bool, int, float, np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
                np.uint64, np.float16, np.float32, np.float64)  # `dtype=` values given as types (OneHotEncoder)


def _type_path(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


# Types kept by name, from this list only: the dtypes a column selector takes (make_column_selector(dtype_include=...)).
_TYPES = {_type_path(t): t for t in (
    np.number, np.integer, np.signedinteger, np.unsignedinteger, np.floating, np.complexfloating, np.bool_,
    np.object_, np.str_, np.datetime64, np.timedelta64, np.generic, object, str, bytes)}


def _class_path(obj: Any) -> str:
    cls = type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"

