"""Saving and loading fitted estimators, safely, across backends.

A model file is a zip archive:

- `model.json`: the format and its version, the xpml version, the estimator's class, its parameters,
  and its fitted state as a tree in which every array is replaced by a reference;
- `arrays/<n>.npy`: each array, written with numpy's `allow_pickle=False`, with its dtype and shape
  also recorded in `model.json`.

Besides numbers, strings, arrays, lists and dicts, the tree holds arrays of Python objects (as lists of
their items), numpy random generators (their bit generator's name, from a fixed list, and its state),
xpml's own helper objects (an SGD solver's state, an optimizer's moments: their attributes, set on
an instance made without running its __init__), slices of ints or strs (a ColumnTransformer's columns)
and, by name from a fixed list, the dtype classes a column selector takes (numpy.number, object, ...);
and scipy.stats distributions (a RandomizedSearchCV's), by their name in scipy.stats and their arguments.
Nothing is ever unpickled, and only classes defined in xpml are rebuilt, so opening a model file cannot run code. Arrays are stored on the host and moved, at
load, to whichever backend and device you ask for: a model trained with cupy on a GPU loads with numpy
on a laptop.
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from os import PathLike
from typing import Any

import numpy as np

from ._checks import check_loaded
from ._format import FORMAT, FORMAT_VERSION
from ._reader import _Reader
from ._writer import _Writer

__all__ = ["FORMAT_VERSION", "load", "save"]


def save(estimator: Any, path: str | PathLike) -> None:
    """Save an xpml estimator (fitted or not) to a model file at `path`.

    Raises TypeError for an object that is not an xpml estimator, or that holds something other than
    numbers, strings, arrays, lists, dicts and xpml estimators.
    """
    from .. import __version__
    from ..base import BaseEstimator

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
            check_loaded(estimator, type(estimator).__name__)
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
