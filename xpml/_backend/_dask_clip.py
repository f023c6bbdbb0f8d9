"""dask: `clip` that keeps the chunks of its input, put in the place of array_api_compat's (see the function)."""

from __future__ import annotations

__all__ = ["clip_chunk_by_chunk"]


def clip_chunk_by_chunk() -> None:
    """array_api_compat's `clip` for dask broadcasts scalar bounds to the shape of x as one chunk: a task that
    makes an array as large as the data (8 GB for 10**9 rows), whatever x's chunks. It is replaced, in that
    namespace, by elementwise maximum and minimum, which meet the bounds chunk by chunk, with the same values."""
    import array_api_compat.dask.array as namespace
    import dask.array as da

    if getattr(namespace.clip, "_chunk_by_chunk", False):
        return

    def clip(x, /, min=None, max=None):  # the standard's names
        out = x if min is None else da.maximum(x, min)
        out = out if max is None else da.minimum(out, max)
        return da.positive(x) if out is x else out.astype(x.dtype, copy=False)

    clip._chunk_by_chunk = True
    clip.__doc__ = namespace.clip.__doc__
    namespace.clip = clip
