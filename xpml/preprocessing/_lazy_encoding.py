"""OneHotEncoder on a lazy backend (dask): fitted in one pass, applied chunk by chunk, never gathered.

Fitting reads the categories in one compute: each feature's unique values, found per chunk and reduced
across the chunks by dask (`unique_values`); given categories, or `min_frequency` / `max_categories`, add
one more, which reads every feature's unknown-category flag, or its counts, together. `transform` and
`inverse_transform` run the fitted encoder, moved to the host, on each chunk of rows lazily
(`utils/_lazy.map_rows`): a dask array in, a dask array out, each chunk encoded where it lives.

- sparse_output=True gives a dask array whose chunks are scipy CSR matrices (computed, one scipy CSR
  matrix), under `set_config(output="backend")` too: dask has no sparse matrix of its own, and xpml's `CSR`
  would gather the rows.
- An unknown category (handle_unknown="error") raises when the chunk that holds it is computed; the
  warnings of handle_unknown="warn" are given there too. The sample numbers in the errors of
  `inverse_transform` count from the first row of their chunk.
- Only numbers: a dask array of strings (objects) is refused, since finding and matching strings is done
  on the host, whole.
"""

from __future__ import annotations

import copy
from typing import Any

from .._backend import (
    LIBRARIES,
    capability,
    dtype_name,
    get_config,
    is_host_input,
    library_of,
    match_input,
)
from ..utils._lazy import map_rows
from ..utils._one_hot import has_scipy, output_dtype
from ..utils._warnings import warn

__all__ = ["inverse_transform_chunks", "is_lazy_array", "refuse_lazy_strings", "transform_chunks", "warn_no_scipy"]


def is_lazy_array(x: Any) -> bool:
    """Whether `x` is an array of a library whose data are never gathered into one process (dask)."""
    name = library_of(x)
    return name is not None and not LIBRARIES[name].gathers


def refuse_lazy_strings(X: Any) -> None:
    """A lazy array of anything but numbers is refused, saying what to do."""
    if is_lazy_array(X) and not dtype_name(X).startswith(("int", "uint", "float")):
        raise TypeError(f"X is a dask array of {dtype_name(X)} values: OneHotEncoder encodes dask arrays of numbers "
                        f"chunk by chunk, but strings are encoded on the host, whole, and xpml never gathers the data "
                        f"silently. Encode them as integer codes first (dask.dataframe's `categorize()` and "
                        f"`.cat.codes`), or bring X into memory (X.compute()) and fit with backend='numpy'.")


def warn_no_scipy() -> None:
    warn("OneHotEncoder(sparse_output=True) returns a scipy.sparse matrix, but scipy is not installed: returning a "
         "dense array. Install scipy, or pass sparse_output=False.", UserWarning)


def transform_chunks(encoder: Any, X: Any, like: Any) -> Any:
    """encoder.transform of X (n, p), an array of its lazy backend, chunk by chunk: (n, n_output_columns), lazily.

    `like` is the user's input: host input (numpy) gets the result computed, as numpy or scipy (output follows
    input), except under `set_config(output="backend")`.
    """
    sparse = encoder.sparse_output and has_scipy()
    if encoder.sparse_output and not sparse:
        warn_no_scipy()
        encoder = copy.copy(encoder)
        encoder.sparse_output = False  # the chunks dense, without a warning from each
    width = sum(encoder._widths())
    out = map_rows(encoder, "transform", X, width, output_dtype(encoder.dtype, encoder._backend), sparse=sparse)
    if not sparse:
        return match_input(out, like)
    if is_host_input(like) and get_config()["output"] != "backend":
        return capability(encoder._backend, "compute_chunks")(out)[0]  # one scipy CSR matrix
    return out


def inverse_transform_chunks(encoder: Any, X: Any) -> Any:
    """encoder.inverse_transform of X (n, n_output_columns), a lazy array (dense, or of scipy.sparse chunks),
    chunk by chunk: (n, n_features) of objects, lazily."""
    width = sum(encoder._widths())
    if X.ndim != 2 or X.shape[1] != width:
        raise ValueError(f"X should have {width} columns, the output of transform; got shape {X.shape}.")
    return map_rows(encoder, "inverse_transform", X, encoder.n_features_in_, object)
