"""Full-batch first-order methods: gradient descent with momentum, and FISTA for L1 penalties.

Gradient descent repeats the SGD step (`SGD.step`, with optional Nesterov momentum) on the full
gradient. FISTA minimizes F(x) = f(x) + h(x), with f smooth (its gradient L-Lipschitz) and h
simple enough to have a cheap proximal operator, prox_{a h}(v) = argmin_u h(u) + ||u - v||² / (2a).
For h = λ||x||₁ that operator is soft-thresholding. Each iteration takes a proximal gradient step
from an extrapolated point z:

    x_{k+1} = prox_{h/L}(z_k - ∇f(z_k) / L)
    t_{k+1} = (1 + √(1 + 4 t_k²)) / 2
    z_{k+1} = x_{k+1} + (t_k - 1) / t_{k+1} · (x_{k+1} - x_k)

which converges as O(1/k²), against O(1/k) without the extrapolation. When the momentum points
uphill, (z_k - x_{k+1})·(x_{k+1} - x_k) > 0, the sequence restarts (t = 1, z = x): on strongly
convex problems this recovers a linear rate. The restart is decided on the device (`where`), so
the loop never waits for the host; the convergence test runs every `check_every` iterations.

References: A. Beck and M. Teboulle, "A fast iterative shrinkage-thresholding algorithm for linear
inverse problems", SIAM J. Imaging Sciences 2 (2009); B. O'Donoghue and E. Candès, "Adaptive
restart for accelerated gradient schemes", Foundations of Computational Mathematics 15 (2015).
"""

from __future__ import annotations

import math
from typing import Any, Callable

from .._backend import device_of, namespace_of
from ._result import OptimizeResult, check_finite_loss
from ._stochastic import SGD

__all__ = ["fista", "gradient_descent", "soft_threshold"]


def soft_threshold(x: Any, threshold: Any) -> Any:
    """sign(x) · max(|x| - threshold, 0): the proximal operator of threshold·||x||₁.

    >>> import numpy as np
    >>> soft_threshold(np.array([-3.0, 0.5, 2.0]), 1.0)
    array([-2.,  0.,  1.])
    """
    xp = namespace_of(x)
    return xp.sign(x) * xp.maximum(xp.abs(x) - threshold, 0.0)


def gradient_descent(
    fun: Callable, x0: Any, *, learning_rate: float, momentum: float = 0.9, nesterov: bool = False,
    max_iter: int = 1000, tol: float = 1e-4, check_every: int = 10, verbose: int = 0,
) -> OptimizeResult:
    """Minimize a smooth function by gradient descent with momentum, on the full gradient.

    Parameters
    ----------
    fun : callable
        `fun(x) -> (loss, grad)`: the loss as a 0-d array and its gradient, shaped like `x`.
    x0 : array
        The starting point.
    learning_rate : float
        The step size η; for an L-smooth convex loss, η <= 1/L is safe.
    momentum : float
        μ in [0, 1).
    nesterov : bool
        Use Nesterov's momentum.
    max_iter : int
        The most steps.
    tol : float
        Stop when max|grad| <= tol (tested every `check_every` steps, and at the end).
    check_every : int
        Steps between two convergence tests (each brings two scalars to the host).
    verbose : int
        Print the loss and max|grad| at each test if > 0.

    Returns
    -------
    OptimizeResult

    Raises
    ------
    ValueError
        If the loss becomes NaN or infinite (the message suggests a smaller learning rate).
    """
    xp = namespace_of(x0)
    optimizer = SGD([x0], learning_rate=learning_rate, momentum=momentum, nesterov=nesterov)
    x, n_fev = x0, 0
    for k in range(max_iter + 1):
        f, g = fun(x)
        n_fev += 1
        if k % check_every == 0 or k == max_iter:
            loss, gmax = float(f), float(xp.max(xp.abs(g)))
            check_finite_loss(loss, k, learning_rate)
            if verbose > 0:
                print(f"gradient descent iteration {k}: loss {loss:.10g}, max|grad| {gmax:.3g}")
            if gmax <= tol:
                return OptimizeResult(x, loss, g, k, True, n_fev, "max|grad| <= tol")
        if k < max_iter:
            (x,) = optimizer.step([x], [g])
    return OptimizeResult(x, loss, g, max_iter, False, n_fev, f"max_iter={max_iter} reached")


def fista(
    fun: Callable, prox: Callable, x0: Any, *, lipschitz: float, max_iter: int = 1000, tol: float = 1e-4,
    criterion: Callable | None = None, check_every: int = 10, early_checks: bool = False, grad: Callable | None = None,
    verbose: int = 0,
) -> OptimizeResult:
    """Minimize f(x) + h(x) by accelerated proximal gradient (FISTA) with adaptive restart.

    Parameters
    ----------
    fun : callable
        `fun(x) -> (loss, grad)` of the smooth part f.
    prox : callable
        `prox(v, step) -> argmin_u h(u) + ||u - v||² / (2 step)`, e.g.
        `lambda v, step: soft_threshold(v, lam * step)` for h = lam·||x||₁.
    x0 : array
        The starting point (any shape).
    lipschitz : float
        A Lipschitz constant L of ∇f; the step is 1/L.
    max_iter : int
        The most iterations.
    tol : float
        Stop when the convergence measure is <= tol.
    criterion : callable, optional
        `criterion(x) -> float`, the convergence measure at the iterate x (a duality gap, say).
        Default: max|G|, with G = L (z - x) the gradient mapping at the extrapolated point z, which
        is 0 exactly at a minimizer (the proximal counterpart of max|grad|).
    check_every : int
        Iterations between two convergence tests (each brings a scalar to the host).
    early_checks : bool
        Also test at iterations 1, 2, 4, 8, ... below check_every: for a warm start, which may need only a few
        iterations (each fit of a regularization path starts from the last one's solution).
    grad : callable, optional
        `grad(x) -> ∇f(x)` alone, for the iterations, which need no loss; `fun` then gives the final loss.
    verbose : int
        Print the convergence measure at each test if > 0.

    Returns
    -------
    OptimizeResult
        `fun` and `grad` are those of the smooth part f at `x`.

    Raises
    ------
    ValueError
        If the iterates become NaN or infinite (`lipschitz` too small for f).
    """
    xp = namespace_of(x0)
    step = 1.0 / float(lipschitz)
    x = z = x0
    t = xp.asarray(1.0, dtype=x0.dtype, device=device_of(x0))  # 0-d, on the device
    converged, n_iter = False, 0
    gradient = (lambda v: fun(v)[1]) if grad is None else grad
    for n_iter in range(1, max_iter + 1):
        g = gradient(z)
        x_new = prox(z - step * g, step)
        restart = xp.sum((z - x_new) * (x_new - x)) > 0  # 0-d bool: the momentum points uphill
        t_new = (1.0 + xp.sqrt(1.0 + 4.0 * t * t)) / 2.0
        beta = xp.where(restart, 0.0, (t - 1.0) / t_new)
        t = xp.where(restart, 1.0, t_new)
        z_old, x, z = z, x_new, x_new + beta * (x_new - x)
        early = early_checks and n_iter < check_every and n_iter & (n_iter - 1) == 0  # a power of 2
        if n_iter % check_every == 0 or n_iter == max_iter or early:
            measure = criterion(x) if criterion is not None else float(xp.max(xp.abs(z_old - x))) * lipschitz
            if not math.isfinite(measure):
                raise ValueError(f"FISTA diverged at iteration {n_iter}: lipschitz={lipschitz!r} is too small "
                                 f"for this loss (its step 1/lipschitz is too large).")
            if verbose > 0:
                print(f"FISTA iteration {n_iter}: convergence measure {measure:.3g} (tol {tol:.3g})")
            if measure <= tol:
                converged = True
                break
    f, g = fun(x)
    message = "convergence measure <= tol" if converged else f"max_iter={max_iter} reached"
    return OptimizeResult(x, float(f), g, n_iter, converged, n_iter + 1, message)
