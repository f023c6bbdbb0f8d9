"""Dtypes a namespace can actually hold on a device."""

from __future__ import annotations

__all__ = ["int_dtype"]


def int_dtype(xp, device):
    """The default integer dtype of `xp` on `device`: int64, or int32 where there is none (jax without x64)."""
    return xp.__array_namespace_info__().default_dtypes(device=device)["integral"]
