"""Starting points and the objective of non-negative matrix factorization (`NMF`).

Starting points for X ≈ W H, W (n, k) and H (k, p) non-negative:

- "random": |N(0, 1)| entries scaled by √(mean(X) / k), so that W H has X's mean order of magnitude.
- "nndsvd": Boutsidis & Gallopoulos, "SVD based initialization: a head start for nonnegative matrix
  factorization" (Pattern Recognition, 2008). From the k leading singular triplets (uⱼ, σⱼ, vⱼ) of X: the
  first is non-negative up to sign (Perron-Frobenius), W₀ = √σ₀ |u₀|, H₀ = √σ₀ |v₀|; each other one is split
  into its positive and negative parts, uⱼ = uⱼ⁺ - uⱼ⁻, and the pair of larger mass ‖u±‖ ‖v±‖ is kept,
  normalized and scaled by √(σⱼ ‖u±‖ ‖v±‖). Entries under 1e-6 become 0.
- "nndsvda": those zeros filled with mean(X); "nndsvdar": with |mean(X) N(0, 1) / 100|, drawn in row-major
  order (W's zeros, then H's), from a generator seeded afresh by `random_state`.

The objective is the β-divergence (Févotte & Idier, "Algorithms for nonnegative matrix factorization with
the β-divergence", Neural Computation, 2011), summed over the entries:

    d_β(x | y) = (x^β + (β - 1) y^β - β x y^(β-1)) / (β (β - 1)),

½(x - y)² at β = 2 (Frobenius), x log(x/y) - x + y at β = 1 (Kullback-Leibler) and x/y - log(x/y) - 1 at
β = 0 (Itakura-Saito). As in scikit-learn, entries with x <= ε (ε float32's epsilon) leave the x-terms
out, and y is kept >= ε there. `beta_divergence` returns √(2 D), scikit-learn's `reconstruction_err_`.
"""

from __future__ import annotations

from typing import Any

from .._backend import dtype_name
from ..utils._chunks import chunk_rows, row_slices
from ..utils._csr import is_csr
from ..utils._extmath import randomized_svd
from ..utils._random import check_random_state, draw

__all__ = ["EPSILON", "BETA_LOSSES", "beta_divergence", "initialize", "mean_of", "wh_at_entries", "wh_power_blocks"]

EPSILON = 2.0**-23  # float32's machine epsilon: the floor of W H where it divides or takes a negative power
BETA_LOSSES = {"frobenius": 2.0, "kullback-leibler": 1.0, "itakura-saito": 0.0}


def mean_of(xp, X) -> Any:
    """mean(X) over all n p entries, implicit zeros included, as a 0-d array."""
    n, p = X.shape
    return (xp.sum(X.data) if is_csr(X) else xp.sum(X)) / (n * p)


def initialize(xp, X, k: int, init: str, random_state: Any, backend) -> tuple[Any, Any]:
    """W (n, k) and H (k, p) to start from, by `init` ("random", "nndsvd", "nndsvda" or "nndsvdar")."""
    n, p = X.shape
    if init == "random":
        rng, dtype = check_random_state(random_state), dtype_name(X.data if is_csr(X) else X)
        scale = xp.sqrt(mean_of(xp, X) / k)
        H = scale * draw(rng, backend, "standard_normal", (k, p), dtype=dtype)  # (k, p)
        W = scale * draw(rng, backend, "standard_normal", (n, k), dtype=dtype)  # (n, k)
        return xp.abs(W), xp.abs(H)
    W, H = nndsvd(xp, X, k, random_state)
    if init == "nndsvda":
        mean = mean_of(xp, X)
        return xp.where(W == 0, mean, W), xp.where(H == 0, mean, H)
    if init == "nndsvdar":
        rng, mean = check_random_state(random_state), mean_of(xp, X)
        return _fill_zeros(xp, W, rng, mean, backend), _fill_zeros(xp, H, rng, mean, backend)
    return W, H


def nndsvd(xp, X, k: int, random_state: Any, eps: float = 1e-6) -> tuple[Any, Any]:
    """Boutsidis & Gallopoulos' non-negative double SVD, every component at once (see the module's docstring)."""
    n, p = X.shape
    if k + 10 >= min(n, p) and not is_csr(X):  # the randomized SVD's 10 extra directions span all of X: it is exact
        U, S, Vt = xp.linalg.svd(X, full_matrices=False)  # (n, m), (m,), (m, p) with m = min(n, p)
        U, S, Vt = U[:, :k], S[:k], Vt[:k, :]
    else:
        n_iter = 7 if k < 0.1 * min(n, p) else 4  # scikit-learn's randomized SVD settings
        U, S, Vt = randomized_svd(X, k, n_oversamples=10, n_iter=n_iter, rng=check_random_state(random_state),
                                  power_iteration_normalizer="auto", xp=xp)  # (n, k), (k,), (k, p)
    U_pos, U_neg = xp.clip(U, min=0.0), xp.clip(-U, min=0.0)  # (n, k) each
    V_pos, V_neg = xp.clip(Vt, min=0.0), xp.clip(-Vt, min=0.0)  # (k, p) each
    nu_pos, nu_neg = xp.sqrt(xp.sum(U_pos * U_pos, axis=0)), xp.sqrt(xp.sum(U_neg * U_neg, axis=0))  # (k,)
    nv_pos, nv_neg = xp.sqrt(xp.sum(V_pos * V_pos, axis=1)), xp.sqrt(xp.sum(V_neg * V_neg, axis=1))  # (k,)
    mass_pos, mass_neg = nu_pos * nv_pos, nu_neg * nv_neg  # (k,)
    positive = mass_pos > mass_neg  # (k,): which part of each pair is kept
    one = xp.ones_like(nu_pos)
    u = xp.where(positive, U_pos / xp.where(positive, nu_pos, one), U_neg / xp.where(positive, one, nu_neg))
    v = xp.where(positive[:, None], V_pos / xp.where(positive, nv_pos, one)[:, None],
                 V_neg / xp.where(positive, one, nv_neg)[:, None])
    scale = xp.sqrt(S * xp.where(positive, mass_pos, mass_neg))  # (k,)
    first = xp.arange(k, device=U.device) == 0  # the leading pair: |u₀|, |v₀| scaled by √σ₀
    W = xp.where(first, xp.sqrt(S) * xp.abs(U), scale * u)  # (n, k)
    H = xp.where(first[:, None], xp.sqrt(S)[:, None] * xp.abs(Vt), scale[:, None] * v)  # (k, p)
    return xp.where(W < eps, xp.zeros_like(W), W), xp.where(H < eps, xp.zeros_like(H), H)


def _fill_zeros(xp, A, rng, mean, backend) -> Any:
    """A's zeros replaced, in row-major order, by |mean N(0, 1) / 100|, drawn on the host (alike on every backend)."""
    zero = xp.reshape(A == 0, (-1,))  # (m,)
    count = int(xp.sum(xp.astype(zero, xp.int64)))
    noise = draw(rng, backend, "standard_normal", (max(count, 1),), dtype=dtype_name(A))  # (count,)
    slot = xp.cumulative_sum(xp.astype(zero, xp.int64)) - 1  # (m,): each zero's rank among the zeros
    filled = xp.abs(mean * xp.take(noise, xp.clip(slot, min=0)) / 100)  # (m,)
    return xp.reshape(xp.where(zero, xp.astype(filled, A.dtype), xp.reshape(A, (-1,))), A.shape)


def wh_at_entries(xp, X, W, H) -> Any:
    """(W H) where X has its values: the dense (n, p) product, or for a CSR the (nnz,) entries it stores."""
    if not is_csr(X):
        return W @ H  # (n, p)
    return xp.sum(xp.take(W, X.rows(), axis=0) * xp.take(H.T, X.indices, axis=0), axis=1)  # (nnz,)


def wh_power_blocks(xp, W, H, power: float, floor: bool, backend, *, left: bool) -> Any:
    """(W H)^power times H's transpose (`left=False`: (n, k)) or W's transpose on the left (`left=True`: (k, p)),
    W H kept >= ε first where `floor`; in blocks of rows, so that no (n, p) array is made at once."""
    n, p = W.shape[0], H.shape[1]
    parts = []
    for rows in row_slices(n, chunk_rows(backend, p)):
        WH = W[rows, :] @ H  # (b, p)
        if floor:
            WH = xp.clip(WH, min=EPSILON)
        WH = WH ** power
        parts.append(W[rows, :].T @ WH if left else WH @ H.T)  # (k, p) or (b, k)
    if left:
        total = parts[0]
        for part in parts[1:]:
            total = total + part
        return total
    return parts[0] if len(parts) == 1 else xp.concat(parts, axis=0)


def beta_divergence(xp, X, W, H, beta: float, backend) -> Any:
    """√(2 Σ d_β(X | W H)), a 0-d array: scikit-learn's `reconstruction_err_` (see the module's docstring)."""
    n, p = X.shape
    sparse = is_csr(X)
    if beta == 2:
        if sparse:  # ‖X‖² + ‖W H‖² - 2 <X, W H>, without the dense product
            norm_X = xp.sum(X.data * X.data)
            norm_WH = xp.sum(((W.T @ W) @ H) * H)
            cross = xp.sum((X @ H.T) * W)
            return xp.sqrt(xp.clip(norm_X + norm_WH - 2.0 * cross, min=0.0))  # rounding may go below 0
        R = X - W @ H  # (n, p)
        return xp.sqrt(xp.sum(R * R))
    values = X.data if sparse else X  # (nnz,) or (n, p)
    WH = wh_at_entries(xp, X, W, H)
    kept = values > EPSILON  # the x-terms of entries with x <= ε are left out
    x = xp.where(kept, values, xp.ones_like(values))
    y = xp.where(kept, xp.clip(WH, min=EPSILON), xp.ones_like(values))
    zero = xp.zeros_like(values)
    if beta == 1:
        total_WH = xp.sum(W, axis=0) @ xp.sum(H, axis=1)  # Σ (W H) without the product
        result = xp.sum(xp.where(kept, x * xp.log(x / y), zero)) + total_WH - xp.sum(xp.where(kept, x, zero))
    elif beta == 0:
        ratio = x / y  # (n, p) or (nnz,): 1 where left out, which the count of those takes back
        left_out = xp.sum(xp.astype(xp.logical_not(kept), values.dtype))
        result = xp.sum(ratio) - left_out - n * p - xp.sum(xp.log(ratio))
    else:
        power_sum = _sum_wh_power(xp, W, H, beta, backend) if sparse else xp.sum(WH ** beta)  # Σ (W H)^β, all entries
        cross = xp.sum(xp.where(kept, x * y ** (beta - 1), zero))
        result = (xp.sum(xp.where(kept, x ** beta, zero)) - beta * cross + (beta - 1) * power_sum) / (beta * (beta - 1))
    return xp.sqrt(2.0 * xp.clip(result, min=0.0))


def _sum_wh_power(xp, W, H, beta: float, backend) -> Any:
    """Σ (W H)^β over all n p entries, in blocks of rows."""
    n, p = W.shape[0], H.shape[1]
    total = xp.zeros((), dtype=W.dtype, device=W.device)
    for rows in row_slices(n, chunk_rows(backend, p)):
        total = total + xp.sum((W[rows, :] @ H) ** beta)
    return total


def gamma_of(beta: float) -> float:
    """The exponent of the majorize-minimize multiplicative step (Févotte & Idier, 2011): 1 for β in [1, 2]."""
    if beta < 1:
        return 1.0 / (2.0 - beta)
    if beta > 2:
        return 1.0 / (beta - 1.0)
    return 1.0

