"""The dual of a kernel SVM, solved by SMO on working sets: libsvm's problem, a GPU-friendly solver.

Every kernel SVM of libsvm (and so of scikit-learn's SVC and SVR) is one quadratic program over N
variables α with labels yₜ = ±1, upper bounds Cₜ and a linear term p:

    minimize  f(α) = ½ αᵀQα + pᵀα   subject to  yᵀα = 0,  0 <= αₜ <= Cₜ,   Qₛₜ = yₛ yₜ k(xₛ, xₜ).

(SVC: one variable per sample, p = -1. SVR: two per sample, α and α*, with p = ε ∓ target.) With
the gradient G = Qα + p and Fₜ = -yₜ Gₜ, α is optimal when no pair can still lower f:

    m(α) = max {Fₜ : t ∈ I_up} <= M(α) = min {Fₜ : t ∈ I_low},

I_up = {t : yₜ = +1, αₜ < Cₜ, or yₜ = -1, αₜ > 0} (the variables that may move to raise yα), and
I_low the others that may move to lower it. Training stops when m - M < tol, as libsvm does, or when
no step moves α any more: in float32, rounding holds the gap near 1e-7 of F's scale, and a smaller tol
(as 1e-8) cannot be reached; no step is taken on a gap within a few units of F's last digit, and the
model then warns (ConvergenceWarning) instead of looping forever.

**SMO** (Platt 1998) moves two variables at a time, the least a step can change while keeping
yᵀα = 0: αᵢ += yᵢ δ, αⱼ -= yⱼ δ. Along that line f is a parabola with slope -(Fᵢ - Fⱼ) = -bᵢⱼ and
curvature aᵢⱼ = Kᵢᵢ + Kⱼⱼ - 2Kᵢⱼ, so the best step is δ = bᵢⱼ / aᵢⱼ, clipped to the box. The pair
is chosen by the **second-order rule** WSS2 (Fan, Chen & Lin 2005): i = argmax of F over I_up,
then j in I_low with Fⱼ < Fᵢ that most decreases f, argmax bᵢⱼ² / aᵢⱼ. Each step changes G by
δ yₜ (Kₜᵢ - Kₜⱼ): two kernel rows.

**Working sets** (Joachims 1999; ThunderSVM, Wen et al. 2018). On a GPU, a step of two rows is far
too small, and a host round trip per step is slower still. So each outer step (`solve`):

1. selects q variables: the q/2 with the largest F in I_up and the q/2 with the smallest in I_low
   (the most violating, one cheap top-k on the device). After the first step, it keeps the half of
   the last working set that was added last, with its kernel rows, and adds q/2 new violators
   (q/4 from each side), as ThunderSVM does: consecutive working sets overlap, which both saves
   half the kernel rows and keeps a variable from leaving just before it would have moved again,
2. computes the new kernel rows in one batch (q/2 × n × p, a matrix product on the device),
3. solves the q-variable subproblem (the other variables fixed) by SMO with WSS2 on its q × q block
   (`_smo_steps`: array operations on q-vectors, a chunk of steps per call, no host round trip
   inside a chunk; one compiled call on jax),
4. updates the gradient of all N variables with one product: G += y ⊙ K_Bᵀ (y_B ⊙ Δα_B).

When the whole problem fits in one working set (N <= q), step 1 is skipped: that is plain SMO on
the full kernel matrix, computed once. Only the gap m - M comes back to the host, once per outer
step and once per chunk of SMO steps (with whether the chunk moved any α). A subproblem is padded
to a power of two with variables that cannot move (C = 0), so that a compiling backend (jax) builds
one program per size class.

On a CPU, an SMO step costs some forty array operations of a few microseconds each, where libsvm's
costs a few microseconds in all (plus its kernel rows): the batched kernel rows win back that
overhead when the kernel dominates (rbf on 20,000 × 50: about 1.4x libsvm's time on numpy), not
on problems that need many steps on cheap kernels.

References: J. Platt, "Sequential minimal optimization", 1998; R.-E. Fan, P.-H. Chen & C.-J. Lin,
"Working set selection using second order information for training SVM", JMLR 6, 2005; C.-C. Chang
& C.-J. Lin, "LIBSVM: a library for support vector machines", 2011; Z. Wen, J. Shi, Q. Li, B. He
& J. Chen, "ThunderSVM: a fast SVM library on GPUs and CPUs", JMLR 19, 2018.
"""

from __future__ import annotations

import math

from .._backend import device_of
from ..utils._compile import compiled
from ..utils._errstate import float_errors_ignored
from ..utils._scatter import scatter_add
from ..utils._topk import topk

__all__ = ["intercept", "solve"]

TAU = 1e-12  # the curvature used where aᵢⱼ <= 0 (a kernel that is not positive semi-definite), as libsvm
_CHUNK = 8  # SMO steps per call of `_smo_steps` between two reads of the gap
_INNER = 4  # a working set of q variables gets at most _INNER · q SMO steps
_RATIO = 0.1  # ... and stops once its gap is below _RATIO times its gap at the start
_ULPS = 4  # a gap of at most _ULPS · eps · |m| is F's rounding: no step is taken on it
_IDLE = 4  # stop after this many outer steps in a row that move no α: their working sets cycle over the same violators


def _smo_step(xp, eps, alpha, F, y, C, K, diag, positive, positions, pair):
    """One SMO step with WSS2 on a (sub)problem of q variables; returns (α, F, gap m - M).

    alpha, F = -y ⊙ G, y, C, diag : (q,); K : (q, q) the kernel block; positive : y > 0; eps : the gap
    below which nothing moves. Nothing moves either where the gap is within the rounding of F: such a step
    changes F by less than its last digit, and would only move α along a direction in which f stays flat.
    """
    below_C, above_0 = alpha < C, alpha > 0
    up = xp.where(positive, below_C, above_0)  # (q,) may move so as to raise yα
    low = xp.where(positive, above_0, below_C)  # (q,) may move so as to lower it
    F_up = xp.where(up, F, -math.inf)
    i = xp.reshape(xp.argmax(F_up), (1,))  # (1,): the most violating variable of I_up
    K_i = xp.take(K, i, axis=0)[0, :]  # (q,)
    top = xp.take(F_up, i)  # (1,) m(α)
    b = top - F  # (q,) the slope of -f along each pair (i, t)
    a = xp.maximum(xp.take(diag, i) + diag - 2 * K_i, TAU)  # (q,) the curvature along it
    gap = xp.max(xp.where(low, b, -math.inf))  # m(α) - M(α)
    least = xp.maximum(eps, (_ULPS * xp.finfo(F.dtype).eps) * xp.abs(top))  # tol, or F's rounding where M ≈ m
    j = xp.reshape(xp.argmax(xp.where(low & (b > 0), b * b / a, -1.0)), (1,))  # (1,) WSS2
    ij = xp.concat([i, j])  # (2,)
    y_ij, C_ij, alpha_ij = xp.take(y, ij), xp.take(C, ij), xp.take(alpha, ij)  # (2,) each
    sign = y_ij * pair  # (2,) αᵢ += yᵢ δ, αⱼ -= yⱼ δ  (pair = [1, -1])
    room = xp.where(sign > 0, C_ij - alpha_ij, alpha_ij)  # (2,) how far δ may go before each hits a bound
    delta = xp.minimum(xp.take(b, j) / xp.take(a, j), xp.min(room))  # (1,)
    delta = xp.where(gap > least, delta, 0.0)  # a step within F's rounding would only drift α
    new = xp.where(delta >= room, xp.where(sign > 0, C_ij, 0.0), alpha_ij + sign * delta)  # (2,) bounds exactly
    new = xp.where(delta > 0, new, alpha_ij)
    alpha = xp.where(positions == i, new[0], xp.where(positions == j, new[1], alpha))
    step = y_ij * (new - alpha_ij)  # (2,) yₜ Δαₜ: F changes by -Σ yₜΔαₜ K[t] (Q's columns i and j, signed)
    F = F - step @ xp.take(K, ij, axis=0)
    return alpha, F, gap


def _smo_steps(xp, n_steps, eps, alpha, G, y, C, K, diag, positions, pair):
    """`n_steps` SMO steps (steps after convergence change nothing); returns (α, G, the last gap, whether
    any α moved). positions = arange(q) and pair = [1, -1] are made once by the caller."""
    positive = y > 0
    F = -y * G
    start, gap = alpha, None
    for _ in range(n_steps):
        alpha, F, gap = _smo_step(xp, eps, alpha, F, y, C, K, diag, positive, positions, pair)
    return alpha, -y * F, gap, xp.any(alpha != start)


def _padded(xp, vectors, K, size: int):
    """Pad the q-vectors α, G, y, C, diag and the q × q block K to `size` with variables that cannot
    move (C = 0, α = 0, y = +1), so that a compiling backend builds one program per power of two,
    not one per working-set size."""
    q = K.shape[0]
    if q == size:
        return (*vectors, K)
    V = xp.stack(vectors)  # (5, q): few operations, since each new shape costs a compilation on some backends
    fill = xp.asarray([[0.0], [0.0], [1.0], [0.0], [1.0]], dtype=V.dtype, device=device_of(V))  # α, G, y, C, diag
    V = xp.concat([V, xp.broadcast_to(fill, (5, size - q))], axis=1)  # (5, size)
    K = xp.concat([xp.concat([K, xp.zeros((size - q, q), dtype=K.dtype, device=device_of(K))]),
                   xp.zeros((size, size - q), dtype=K.dtype, device=device_of(K))], axis=1)
    return V[0, :], V[1, :], V[2, :], V[3, :], V[4, :], K


def _subproblem(xp, backend, tol, alpha, G, y, C, K, diag, max_steps: int, ratio: float):
    """SMO on a working set until its gap is below max(tol, ratio × its first gap), `max_steps` steps, or a
    chunk of steps in which no α moves; returns (α, G, y, C), padded to a power of two with variables that
    cannot move, the steps taken and whether any α moved.

    A step is a function of (α, G) alone, so after a chunk that moves nothing no later chunk moves: the gap
    stays where rounding leaves it (above a `tol` that the arithmetic cannot reach, as 1e-8 in float32)."""
    q = alpha.shape[0]
    size = 1 << max(q - 1, 1).bit_length()  # the next power of two
    pad = compiled(_padded, backend, static_argnames=("xp", "size"))
    alpha_p, G_p, y_p, C_p, diag_p, K_p = pad(xp, (alpha, G, y, C, diag), K, size)
    steps_fn = compiled(_smo_steps, backend, static_argnames=("xp", "n_steps"))
    eps = xp.asarray(tol, dtype=alpha.dtype, device=alpha.device)
    positions = xp.arange(size, device=alpha.device)
    pair = xp.asarray([1.0, -1.0], dtype=alpha.dtype, device=alpha.device)
    steps, first, moved = 0, None, False
    while steps < max_steps:
        with float_errors_ignored():
            alpha_p, G_p, gap, changed = steps_fn(xp, _CHUNK, eps, alpha_p, G_p, y_p, C_p, K_p, diag_p, positions,
                                                  pair)
        steps += _CHUNK
        gap, changed = float(gap), bool(changed)  # the reads of a chunk
        moved = moved or changed
        if first is None:
            first = gap
            eps = xp.asarray(max(tol, ratio * gap), dtype=alpha.dtype, device=alpha.device)
        if gap <= max(tol, ratio * first) or not changed:
            break
    return alpha_p, G_p, y_p, C_p, steps, moved


def solve(xp, backend, kernel_rows, diag, y, p, C, *, sample_of=None, tol: float, max_iter: int,
          working_set: int = 512):
    """Minimize ½ αᵀQα + pᵀα subject to yᵀα = 0, 0 <= α <= C (the module docstring).

    Parameters
    ----------
    kernel_rows : callable (samples (b,) int array) -> (b, n_samples) array
        The kernel rows of some samples against all of them, computed on the device.
    diag : array of shape (n_samples,)
        k(xₛ, xₛ) for each sample.
    y, p, C : arrays of shape (N,)
        The labels ±1, the linear term and the upper bounds of the N variables.
    sample_of : int array of shape (N,), optional
        The sample of each variable (SVR: two variables per sample); None: variable t is sample t.
    tol : float
        Stop when m(α) - M(α) < tol.
    max_iter : int
        The most SMO steps (pair updates) in all, or -1 for no limit.
    working_set : int
        q, the variables of one outer step.

    Returns
    -------
    alpha : array of shape (N,)
    intercept : 0-d array, -ρ (`intercept`)
    n_steps : int, the SMO steps taken
    gap : float, m(α) - M(α) at the end: below tol where it converged. Above it, either max_iter steps were
        taken, or no step moves α any more: rounding keeps the gap above a tol too small for the arithmetic.
    """
    N = y.shape[0]
    alpha, G = xp.zeros_like(p), p
    limit = math.inf if max_iter == -1 else max_iter
    if N <= working_set:  # plain SMO on the whole problem: the kernel matrix once
        samples = xp.arange(diag.shape[0], device=y.device)
        K = kernel_rows(samples)  # (n, n)
        if sample_of is not None:
            K = xp.take(xp.take(K, sample_of, axis=0), sample_of, axis=1)  # (N, N)
        d = diag if sample_of is None else xp.take(diag, sample_of)
        alpha, G, y, C, steps, _ = _subproblem(xp, backend, tol, alpha, G, y, C, K, d, limit, 0.0)
        b, gap = compiled(_result, backend, static_argnames=("xp",))(xp, alpha, G, y, C)
        return alpha[:N], b, steps, float(gap)
    steps, h, idle = 0, working_set // 2, 0
    B = None
    while True:
        gap = _gap(xp, alpha, G, y, C)  # one read per outer step
        if gap < tol or steps >= limit or idle == _IDLE:
            return alpha, intercept(xp, alpha, G, y, C), steps, gap
        if B is None:  # the first working set: q violators, and their kernel rows in two halves
            B = _select(xp, alpha, G, y, C, h)  # (q,)
            K_B = _rows(xp, kernel_rows, B, sample_of)  # (q, N): the batch of kernel rows
            K_old, K_new = K_B[:h, :], K_B[h:, :]
        else:  # keep the half added last, with its kernel rows; add q/2 new violators
            kept = B[h:]
            new = _select(xp, alpha, G, y, C, h // 2, exclude=kept)  # (q/2,)
            B = xp.concat([kept, new])
            K_old, K_new = K_new, _rows(xp, kernel_rows, new, sample_of)  # (q/2, N) each
        samples = B if sample_of is None else xp.take(sample_of, B)
        alpha_B, y_B = xp.take(alpha, B), xp.take(y, B)
        K_BB = xp.concat([xp.take(K_old, B, axis=1), xp.take(K_new, B, axis=1)])  # (q, q)
        new_B, _, _, _, taken, moved = _subproblem(xp, backend, tol, alpha_B, xp.take(G, B), y_B, xp.take(C, B),
                                                   K_BB, xp.take(diag, samples), min(_INNER * 2 * h, limit - steps),
                                                   _RATIO)
        steps += taken
        idle = 0 if moved else idle + 1
        new_B = new_B[:2 * h]
        change = y_B * (new_B - alpha_B)  # (q,)
        G = G + y * (change[:h] @ K_old + change[h:] @ K_new)  # (N,): Q's columns of the working set
        alpha = _set(xp, alpha, B, new_B)


def _rows(xp, kernel_rows, variables, sample_of):
    """The kernel rows of some variables against every variable, (b, N)."""
    if sample_of is None:
        return kernel_rows(variables)
    return xp.take(kernel_rows(xp.take(sample_of, variables)), sample_of, axis=1)


def _result(xp, alpha, G, y, C):
    """(-ρ, m(α) - M(α)) as 0-d arrays: one compiled call where the backend compiles."""
    F = -y * G
    up = xp.where(y > 0, alpha < C, alpha > 0)
    low = xp.where(y > 0, alpha > 0, alpha < C)
    return intercept(xp, alpha, G, y, C), xp.max(xp.where(up, F, -math.inf)) - xp.min(xp.where(low, F, math.inf))


def _gap(xp, alpha, G, y, C) -> float:
    """m(α) - M(α), the violation of the optimality condition, as a host float."""
    F = -y * G
    up = xp.where(y > 0, alpha < C, alpha > 0)
    low = xp.where(y > 0, alpha > 0, alpha < C)
    return float(xp.max(xp.where(up, F, -math.inf)) - xp.min(xp.where(low, F, math.inf)))


def _select(xp, alpha, G, y, C, half: int, exclude=None):
    """2·half variables: the `half` largest F in I_up, then the `half` smallest in I_low among the rest
    (variables in `exclude` left out of both)."""
    F = -y * G  # (N,)
    up = xp.where(y > 0, alpha < C, alpha > 0)
    low = xp.where(y > 0, alpha > 0, alpha < C)
    taken = xp.zeros(F.shape[0], dtype=xp.bool, device=F.device) if exclude is None else _mask(xp, exclude, F)
    first = topk(xp.where(up & ~taken, F, -math.inf)[None, :], half)[1][0, :]  # (half,)
    taken = taken | _mask(xp, first, F)
    second = topk(xp.where(low & ~taken, -F, -math.inf)[None, :], half)[1][0, :]  # (half,)
    return xp.concat([first, second])


def _mask(xp, indices, like):
    """A boolean mask of shape like's with True at `indices`."""
    return scatter_add(xp.ones(indices.shape[0], dtype=like.dtype, device=like.device), indices, like.shape[0]) > 0


def _set(xp, alpha, B, values):
    """α with α[B] = values (B distinct), written exactly, without writing in place."""
    q = B.shape[0]
    slot = scatter_add(xp.arange(1, q + 1, dtype=alpha.dtype, device=alpha.device), B, alpha.shape[0])  # (N,) k + 1
    index = xp.astype(xp.clip(slot - 1, 0, None), B.dtype)
    return xp.where(slot > 0, xp.take(values, index), alpha)


def intercept(xp, alpha, G, y, C):
    """-ρ, the intercept of the decision function Σ yₜαₜ k(x, xₜ) - ρ, as libsvm computes ρ.

    At the optimum yₜGₜ = ρ for every free variable (0 < αₜ < Cₜ): ρ is their mean. Without free
    variables, ρ is the midpoint of the interval that the variables at their bounds leave for it.
    """
    yG = y * G
    upper = alpha >= C
    lower = ~upper & (alpha <= 0)
    free = ~upper & ~lower
    n_free = xp.sum(xp.astype(free, G.dtype))
    fixed = C > 0  # a variable that cannot move (a sample of weight 0) says nothing about ρ
    above = fixed & ((upper & (y < 0)) | (lower & (y > 0)))  # ρ <= yG there
    below = fixed & ((upper & (y > 0)) | (lower & (y < 0)))  # ρ >= yG there
    has_ub, has_lb = xp.any(above), xp.any(below)
    ub = xp.min(xp.where(above, yG, math.inf))
    lb = xp.max(xp.where(below, yG, -math.inf))
    ub, lb = xp.where(has_ub, ub, lb), xp.where(has_lb, lb, ub)  # one side empty: the other's bound
    ub, lb = xp.where(has_ub | has_lb, ub, 0.0), xp.where(has_ub | has_lb, lb, 0.0)
    rho = xp.where(n_free > 0, xp.sum(xp.where(free, yG, 0.0)) / xp.maximum(n_free, 1.0), (ub + lb) / 2)
    return -rho
