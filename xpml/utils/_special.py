"""Numerically stable sigmoid, softmax and their logarithms, on the array API.

exp overflows for arguments above about 709 (float64) or 88 (float32), so each function is written
so that exp only ever sees arguments <= 0:

    σ(z) = 1 / (1 + e^{-z}) = e^{z} / (1 + e^{z}),  computed as  where(z >= 0, 1, e) / (1 + e),  e = e^{-|z|}
    log σ(z) = -softplus(-z) = min(z, 0) - log1p(e^{-|z|})
    softmax(z)_k = e^{z_k - m} / Σ_j e^{z_j - m},  m = max_j z_j  (log-sum-exp shifted by the maximum)

and the logarithm of probabilities that may be 0 (a class absent from a leaf, a prior of 0): log 0 = -inf.
"""

from __future__ import annotations

import math

from .._backend import namespace_of

__all__ = ["log_sigmoid", "log_softmax", "safe_log", "sigmoid", "softmax"]


def sigmoid(z, *, xp=None):
    """1 / (1 + exp(-z)), elementwise, without overflow."""
    xp = namespace_of(z) if xp is None else xp
    e = xp.exp(-xp.abs(z))
    return xp.where(z >= 0, 1.0, e) / (1.0 + e)


def log_sigmoid(z, *, xp=None):
    """log(1 / (1 + exp(-z))), elementwise, without overflow or log(0)."""
    xp = namespace_of(z) if xp is None else xp
    return xp.minimum(z, 0.0) - xp.log1p(xp.exp(-xp.abs(z)))


def log_softmax(Z, *, xp=None):
    """log softmax along the last axis: Z - logsumexp(Z). Z of shape (n, k)."""
    xp = namespace_of(Z) if xp is None else xp
    shifted = Z - xp.max(Z, axis=-1, keepdims=True)  # (n, k), each row's maximum is 0
    return shifted - xp.log(xp.sum(xp.exp(shifted), axis=-1, keepdims=True))


def softmax(Z, *, xp=None):
    """exp(Z) normalized along the last axis, without overflow. Z of shape (n, k)."""
    xp = namespace_of(Z) if xp is None else xp
    E = xp.exp(Z - xp.max(Z, axis=-1, keepdims=True))  # (n, k)
    return E / xp.sum(E, axis=-1, keepdims=True)


def safe_log(p, *, xp=None):
    """log p, elementwise, with log 0 = -inf and no divide-by-zero warning."""
    xp = namespace_of(p) if xp is None else xp
    positive = p > 0
    return xp.where(positive, xp.log(xp.where(positive, p, xp.ones_like(p))), -math.inf)
