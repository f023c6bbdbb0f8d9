"""The two solvers of non-negative matrix factorization (`NMF`): coordinate descent and multiplicative updates.

Both alternate between W (n, k) and H (k, p), each minimized with the other fixed, for the objective

    D_β(X | W H) + l1_W Σ W + ½ l2_W ‖W‖² + l1_H Σ H + ½ l2_H ‖H‖²,     W, H >= 0.

Coordinate descent (Frobenius loss, β = 2; Cichocki & Phan, "Fast local algorithms for large scale
nonnegative matrix and tensor factorizations", IEICE Trans. Fundamentals, 2009; Hsieh & Dhillon, "Fast
coordinate descent methods with variable selection for non-negative matrix factorization", KDD 2011). With
G = HHᵀ + l2 I and B = XHᵀ - l1, the objective in W is ½ tr(W G Wᵀ) - tr(Bᵀ W) + const, and column t of
W, all rows at once (each row is its own problem), takes the exact projected Newton step

    gradₜ = W G[:, t] - B[:, t],    W[:, t] <- max(W[:, t] - gradₜ / G[t, t], 0),

columns in turn (in a random order each sweep with `shuffle`). H is W's problem for Xᵀ. The fit stops when
the sweep's projected gradient Σ |∇ᴾ| (gradient, or its negative part where the entry sits at 0) falls
below `tol` times that of the first sweep.

Multiplicative updates (any β; Lee & Seung, "Algorithms for non-negative matrix factorization", NIPS
2001; Févotte & Idier, Neural Computation, 2011): W <- W ⊙ (N / D)^γ with

    N = (X ⊙ (WH)^(β-2)) Hᵀ,   D = (WH)^(β-1) Hᵀ + l1_W + l2_W W,

the negative and positive parts of the gradient (γ = 1/(2 - β) for β < 1, 1/(β - 1) for β > 2, else 1,
which makes each step decrease the objective). The fit stops, checked every 10 iterations, when the
β-divergence improved by less than `tol` times its initial value since the last check.
"""

from __future__ import annotations

import time
from typing import Any

from .._backend import to_backend
from ..utils._compile import compiled_once
from ..utils._csr import is_csr
from ..utils._iterate import checked_steps
from ..utils._random import check_random_state
from ._nmf_init import EPSILON, beta_divergence, gamma_of, wh_at_entries, wh_power_blocks

__all__ = ["coordinate_descent", "multiplicative_update"]

_CHECK_EVERY = 4  # sweeps between reads of the projected gradient on the host
_TINY = 2.0**-52  # float64's epsilon: multiplicative updates with β < 1 set entries below it to 0 (stability)


def cd_sweep(xp, W, G, B, order, columns) -> tuple[Any, Any]:
    """One pass of coordinate descent over the columns of W (n, k), for G (k, k) and B (n, k) as in the module's
    docstring, in the order of the integer array `order` (k,) (`columns`: 0, ..., k - 1). Returns the new W and the
    pass's Σ |projected gradient| (0-d). A pure function of arrays (a column is picked by `take`): compiled whole
    where that pays."""
    violation = xp.sum(xp.zeros_like(G[:1, 0]))
    for s in range(W.shape[1]):
        t = order[s:s + 1]  # (1,): the column updated now
        w, g = xp.take(W, t, axis=1)[:, 0], xp.take(G, t, axis=1)[:, 0]  # (n,), (k,)
        grad = W @ g - xp.take(B, t, axis=1)[:, 0]  # (n,), with the columns updated before this one
        projected = xp.where(w == 0, xp.clip(grad, max=0.0), grad)  # (n,)
        violation = violation + xp.sum(xp.abs(projected))
        hess = xp.take(g, t)  # (1,): G[t, t]
        moved = xp.clip(w - grad / xp.where(hess != 0, hess, xp.ones_like(hess)), min=0.0)  # (n,)
        W = xp.where(columns == t, xp.where(hess != 0, moved, w)[:, None], W)  # (n, k): column t replaced
    return W, violation


def coordinate_descent(xp, X, W, H, *, tol: float, max_iter: int, l1_W: float, l1_H: float, l2_W: float,
                       l2_H: float, update_H: bool, shuffle: bool, random_state: Any, verbose: int, backend):
    """Alternating coordinate descent on W and H (or on W alone) from W (n, k), H (k, p). Returns W, H, n_iter."""
    k = W.shape[1]
    eye = xp.eye(k, dtype=W.dtype, device=W.device)
    rng = check_random_state(random_state) if shuffle else None
    in_turn = xp.arange(k, device=W.device)
    order = (lambda: to_backend(rng.permutation(k), backend)) if shuffle else (lambda: in_turn)
    sweep = compiled_once(cd_sweep, backend, ("xp",))  # jax: one compiled call per sweep, not 15 k dispatches
    fixed_H = None if update_H else (H @ H.T + l2_W * eye, X @ H.T - l1_W)  # H is fixed: its products made once

    def step(state):
        W, Ht = state  # (n, k), (p, k)
        G, B = fixed_H or (Ht.T @ Ht + l2_W * eye, X @ Ht - l1_W)  # (k, k), (n, k)
        W, violation = sweep(xp, W, G, B, order(), in_turn)
        if update_H:  # H's problem is W's for Xᵀ
            Ht, violation_H = sweep(xp, Ht, W.T @ W + l2_H * eye, X.T @ W - l1_H, order(), in_turn)
            violation = violation + violation_H
        return (W, Ht), (violation,)

    first = []

    def check(i, before, after, flags):
        violation = flags[0]
        if i == 0:
            first.append(violation)
        if first[0] == 0:
            return after, True
        if verbose:
            print("violation:", violation / first[0])
        return after, violation / first[0] <= tol

    (W, Ht), n_iter, stopped = checked_steps(step, (W, H.T), check, max_steps=max_iter, check_every=_CHECK_EVERY,
                                              xp=xp)
    if verbose and stopped:
        print("Converged at iteration", n_iter)
    return W, Ht.T, n_iter


def _weighted_X(xp, X, W, H, beta: float):
    """X ⊙ (W H)^(β-2), W H kept >= ε where β < 2: dense (n, p), or a CSR with X's pattern."""
    WH = wh_at_entries(xp, X, W, H)  # (n, p) or (nnz,)
    if beta < 2:
        WH = xp.clip(WH, min=EPSILON)
    values = X.data if is_csr(X) else X
    if beta == 1:
        weighted = values / WH
    elif beta == 0:
        inverse = 1.0 / WH
        weighted = inverse * inverse * values
    else:
        weighted = WH ** (beta - 2) * values
    return X.with_data(weighted) if is_csr(X) else weighted


def _left_product(A, R):
    """Aᵀ R for a dense A (n, k) and R (n, p) dense or a CSR: (k, p)."""
    return (R.T @ A).T if is_csr(R) else A.T @ R


def _step(xp, A, numerator, denominator, l1: float, l2: float, gamma: float):
    """A ⊙ (numerator / denominator)^γ, the penalties added to the denominator, a zero in it made ε."""
    if l1 > 0:
        denominator = denominator + l1
    if l2 > 0:
        denominator = denominator + l2 * A
    denominator = xp.where(denominator == 0, xp.asarray(EPSILON, dtype=A.dtype, device=A.device), denominator)
    delta = numerator / denominator
    return A * (delta ** gamma if gamma != 1 else delta)


def mu_step_W(xp, X, W, H, beta: float, l1: float, l2: float, gamma: float, backend, fixed=None):
    """One multiplicative step on W (n, k); `fixed`, H's products (β = 2: XHᵀ and HHᵀ) when H does not change."""
    if beta == 2:
        XHt, HHt = fixed or (X @ H.T, H @ H.T)  # (n, k), (k, k)
        numerator, denominator = XHt, W @ HHt
    else:
        numerator = _weighted_X(xp, X, W, H, beta) @ H.T  # (n, k)
        if beta == 1:
            denominator = xp.sum(H, axis=1)[None, :]  # (1, k)
        else:
            denominator = wh_power_blocks(xp, W, H, beta - 1, beta < 1, backend, left=False)  # (n, k)
    return _step(xp, W, numerator, denominator, l1, l2, gamma)


def mu_step_H(xp, X, W, H, beta: float, l1: float, l2: float, gamma: float, backend):
    """One multiplicative step on H (k, p)."""
    if beta == 2:
        numerator, denominator = _left_product(W, X), (W.T @ W) @ H  # (k, p) each
    else:
        numerator = _left_product(W, _weighted_X(xp, X, W, H, beta))  # (k, p)
        if beta == 1:
            total = xp.sum(W, axis=0)  # (k,)
            denominator = xp.where(total == 0, xp.ones_like(total), total)[:, None]  # (k, 1)
        else:
            denominator = wh_power_blocks(xp, W, H, beta - 1, beta < 1, backend, left=True)  # (k, p)
    return _step(xp, H, numerator, denominator, l1, l2, gamma)


def multiplicative_update(xp, X, W, H, *, beta: float, tol: float, max_iter: int, l1_W: float, l1_H: float,
                          l2_W: float, l2_H: float, update_H: bool, verbose: int, backend):
    """Alternating multiplicative updates of W and H (or of W alone) from W (n, k), H (k, p). Returns W, H, n_iter."""
    gamma = gamma_of(beta)
    start = time.time()
    initial = previous = float(beta_divergence(xp, X, W, H, beta, backend)) if tol > 0 else None
    fixed = (X @ H.T, H @ H.T) if beta == 2 and not update_H else None  # H's products, made once when H is fixed
    zero_W, zero_H = xp.zeros_like(W), xp.zeros_like(H)
    for n_iter in range(1, max_iter + 1):
        W = mu_step_W(xp, X, W, H, beta, l1_W, l2_W, gamma, backend, fixed)
        if beta < 1:  # for stability, as scikit-learn
            W = xp.where(W < _TINY, zero_W, W)
        if update_H:
            H = mu_step_H(xp, X, W, H, beta, l1_H, l2_H, gamma, backend)
            if beta <= 1:
                H = xp.where(H < _TINY, zero_H, H)
        if tol > 0 and n_iter % 10 == 0:  # the convergence test, on the host every 10 iterations
            error = float(beta_divergence(xp, X, W, H, beta, backend))
            if verbose:
                print(f"Epoch {n_iter:02d} reached after {time.time() - start:.3f} seconds, error: {error:f}")
            if (previous - error) / initial < tol:
                break
            previous = error
    if verbose and (tol == 0 or n_iter % 10 != 0):
        print(f"Epoch {n_iter:02d} reached after {time.time() - start:.3f} seconds.")
    return W, H, n_iter

