"""Quantile regression as a linear program, solved by a primal-dual interior-point method and finished on a vertex.

QuantileRegressor minimizes, over the coefficients w (p,) and the intercept b, with weights hᵢ >= 0, the quantile
q in (0, 1) and λ = α Σᵢ hᵢ (scikit-learn scales its alpha by the sum of the weights),

    F(β) = Σᵢ hᵢ ρ_q(yᵢ - xᵢ·w - b) + λ Σⱼ |wⱼ|,    ρ_q(r) = q r⁺ + (1 - q) r⁻,    β = (w, b) of size k = p (+ 1).

The penalty is itself a pinball loss on p pseudo-observations: λ|wⱼ| = 2λ ρ_½(0 - wⱼ), a row eⱼ (no intercept)
of target 0, weight 2λ and quantile ½. So with m = n + p rows (n with α = 0), row weights hᵢ and quantiles qᵢ,
F(β) = Σᵢ ρ_qᵢ(ȳᵢ - aᵢ·β) on the scaled rows aᵢ = hᵢ (xᵢ, 1) and targets ȳᵢ = hᵢ yᵢ (rows A (m, k)). Writing
ρ_q(r) = max over a in [q - 1, q] of a r and minimizing over β gives the dual linear program of Koenker & Park
(1996), in the bounded form of Portnoy & Koenker's Frisch-Newton method (1997), with τᵢ = 1 - qᵢ; its own dual
is quantile regression as a linear program:

    maximize ȳᵀv  subject to  Aᵀv = Aᵀτ,  0 <= v <= 1           (v = τ is feasible),
    minimize (Aᵀτ)ᵀβ + 1ᵀw  over β free, z, w >= 0,  subject to  Aβ + w - z = ȳ.

w and z are the positive and negative parts of the scaled residuals; the dual objective is F(β) plus a
constant, and at the optimum rows with v = 1 lie above the fit, v = 0 below, 0 < v < 1 on it. A zero weight
gives a zero row, whose v is free in [0, 1]: it costs the method nothing.

The primal-dual method (Mehrotra 1992) follows the central path v∘z = μ, t∘w = μ (t = 1 - v). Each Newton
step on the KKT system reduces, with Θ = 1 / (z/v + w/t) (m,), to the k × k normal equations

    (Aᵀ Θ A) dβ = Aᵀ Θ ρ - r_p,    ρ = r_d - r_tw/t + r_vz/v,    dv = Θ (ρ - A dβ),

with the residuals r_p = Aᵀ(τ - v), r_d = ȳ - Aβ - w + z and the complementarity targets r_vz, r_tw;
Aᵀ Θ A costs n k² (X is read once per iteration; the k × k systems are solved by `xp.linalg.solve`), and
n >> k makes the method cheap. Each iteration
takes an affine (predictor) step, sets the centring σ = (μ_aff / μ)³ from how far it got, and solves again
with the second-order correction (corrector), then steps 0.99995 of the way to the boundary, separately
in the primal (v, t) and the dual (β, z, w), as Portnoy & Koenker's `rq.fit.fnb` does. It stops when the
duality gap Σ (v z + t w) is at most `tol` times F(β). An iteration (`_iteration`) is a pure function of
arrays: with a dense X it is compiled whole where the backend compiles (jax: one program, where run eagerly
each of its ~80 operations would compile on its own for every new shape).

The interior point ends inside the optimal face; scikit-learn's HiGHS ends on a vertex, an optimal basic
solution, where k rows (data or penalty) hold zero residual. The crossover (`vertex`) takes the k rows
furthest from their bounds relative to their dual slack, min(v, t) / (z + w) (large on the fit, near 0 off
it), solves the square system a_B β = ȳ_B, and keeps that vertex if its objective is no higher than the
interior point's (to rounding): where the solution is unique, it is that solution, exact. Where the basis
is singular (collinear columns, or fewer rows than k, with α = 0), the least-norm solution of its system is
kept on the same test. Otherwise (a tie between optimal vertices: the solution is not unique) the interior
point, optimal too, stays.

References: R. Koenker and B. Park, "An interior point algorithm for nonlinear quantile regression", Journal
of Econometrics 71 (1996); S. Portnoy and R. Koenker, "The Gaussian hare and the Laplacian tortoise",
Statistical Science 12 (1997); S. Mehrotra, "On the implementation of a primal-dual interior point method",
SIAM Journal on Optimization 2 (1992).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .._backend import device_of
from ..utils._chunks import chunk_rows, row_slices
from ..utils._compile import compiled_once
from ..utils._csr import is_csr
from ..utils._linalg import lstsq
from ..utils._sparse_input import DENSE_LIMIT

__all__ = ["QuantileLP", "SparseRows", "interior_point", "quantile_lp", "vertex"]

_STEP = 0.99995  # the share of the way to the boundary each step takes (Portnoy & Koenker's)


class QuantileLP(NamedTuple):
    """The program's m rows: A (m, k), dense or a `SparseRows`, the targets ȳ (m,), τ (m,), and which rows are not
    zero (m,). Rows 0 .. n-1 are the samples scaled by their weights, hᵢ (xᵢ, 1); rows n .. n+p-1 (with λ > 0) the
    penalty's, 2λ (eⱼ, 0)."""

    A: Any
    ybar: Any
    tau: Any
    live: Any
    n_penalty: int  # p with λ > 0, else 0


def quantile_lp(xp, X, y, h, *, quantile: float, lam, penalized: bool, fit_intercept: bool, backend) -> QuantileLP:
    """The rows of the module docstring's program for the samples X (n, p) (dense or a CSR), y (n,), weights h (n,)
    and the penalty λ (a 0-d array; the p penalty rows only if `penalized`, λ > 0)."""
    n, p = X.shape
    if is_csr(X) and p * p > DENSE_LIMIT:
        raise TypeError(f"QuantileRegressor forms the {p} × {p} normal matrix of the features, more than xpml makes "
                        f"dense (DENSE_LIMIT={DENSE_LIMIT:.0e} entries): select fewer features of the sparse X.")
    dtype, device = h.dtype, device_of(h)
    ybar, tau, live = h * y, xp.full(n, 1.0 - quantile, dtype=dtype, device=device), h > 0  # (n,) each
    penalty = 2 * lam * xp.eye(p, p + int(fit_intercept), dtype=dtype, device=device)  # (p, k): 2λ [I, 0]
    if is_csr(X):
        A = SparseRows(xp, X.scale_rows(h), h, penalty if penalized else None, fit_intercept, backend)
    else:
        A = h[:, None] * X  # (n, p)
        A = xp.concat([A, h[:, None]], axis=1) if fit_intercept else A  # (n, k)
        A = xp.concat([A, penalty], axis=0) if penalized else A  # (m, k)
    if not penalized:
        return QuantileLP(A, ybar, tau, live, 0)
    ybar = xp.concat([ybar, xp.zeros(p, dtype=dtype, device=device)])  # (m,)
    tau = xp.concat([tau, xp.full(p, 0.5, dtype=dtype, device=device)])  # (m,)
    return QuantileLP(A, ybar, tau, xp.concat([live, xp.ones(p, dtype=xp.bool, device=device)]), p)


class SparseRows:
    """A (m, k) over a CSR X: the sample rows sparse, their Gram matrix summed over dense blocks of rows."""

    def __init__(self, xp, Xh, h, penalty, fit_intercept: bool, backend):
        self.xp, self.Xh, self.h, self.penalty, self.fit_intercept = xp, Xh, h, penalty, fit_intercept
        self.n, self.p = Xh.shape
        self.blocks = [(rows, Xh.row_block(rows.start, rows.stop))
                       for rows in row_slices(self.n, chunk_rows(backend, self.p, scale=16))]

    def matvec(self, beta):
        """A β, (m,)."""
        out = self.Xh @ beta[:self.p] + (self.h * beta[self.p] if self.fit_intercept else 0.0)  # (n,)
        return out if self.penalty is None else self.xp.concat([out, self.penalty @ beta])

    def rmatvec(self, u):
        """Aᵀ u, (k,)."""
        xp, n = self.xp, self.n
        g = self.Xh.T @ u[:n] + (u[n:] @ self.penalty[:, :self.p] if self.penalty is not None else 0.0)  # (p,)
        return xp.concat([g, xp.sum(self.h * u[:n])[None]]) if self.fit_intercept else g

    def gram(self, root):
        """Aᵀ diag(root²) A, (k, k)."""
        xp, n, p = self.xp, self.n, self.p
        G = xp.zeros((p, p), dtype=root.dtype, device=device_of(root))
        for rows, Xb in self.blocks:
            S = root[rows, None] * Xb.toarray()  # (b, p)
            G = G + S.T @ S
        if self.penalty is not None:
            S = root[n:, None] * self.penalty[:, :p]  # (p, p)
            G = G + S.T @ S
        if not self.fit_intercept:
            return G
        th = root[:n] * root[:n] * self.h  # (n,)
        c = self.Xh.T @ th  # (p,)
        corner = xp.sum(th * self.h)[None, None]  # (1, 1)
        return xp.concat([xp.concat([G, c[:, None]], axis=1), xp.concat([c[None, :], corner], axis=1)], axis=0)

    def rows(self, index):
        """The dense rows `index` of A, (r, k)."""
        xp, n = self.xp, self.n
        sample = xp.clip(index, 0, n - 1)  # (r,)
        rows = self.Xh.take_rows(sample).toarray()  # (r, p)
        if self.fit_intercept:
            rows = xp.concat([rows, xp.take(self.h, sample)[:, None]], axis=1)  # (r, k)
        if self.penalty is None:
            return rows
        penalty = xp.take(self.penalty, xp.clip(index - n, 0, self.p - 1), axis=0)  # (r, k)
        return xp.where((index < n)[:, None], rows, penalty)


def _matvec(A, beta):
    return A.matvec(beta) if isinstance(A, SparseRows) else A @ beta  # (m,)


def _rmatvec(A, u):
    return A.rmatvec(u) if isinstance(A, SparseRows) else u @ A  # (k,)


def _gram(A, theta, xp):
    """Aᵀ diag(θ) A (k, k), as SᵀS with S = diag(√θ) A (θ > 0): one symmetric product (BLAS's syrk, 15 times faster
    than Aᵀ (θ A) on numpy at 10,000 × 21)."""
    root = xp.sqrt(theta)  # (m,)
    if isinstance(A, SparseRows):
        return A.gram(root)
    S = root[:, None] * A  # (m, k)
    return S.T @ S


def _terms(xp, A, ybar, tau, beta):
    """The rows' pinball losses ρ_qᵢ(ȳᵢ - aᵢ·β) with qᵢ = 1 - τᵢ, (m,): F(β) is their sum."""
    r = ybar - _matvec(A, beta)  # (m,)
    return xp.where(r < 0, -tau * r, (1 - tau) * r)


def _solve(xp, M, rhs):
    return xp.linalg.solve(M, rhs[:, None])[:, 0]


def _normal_matrix(xp, A, theta):
    """Aᵀ diag(θ) A plus a ridge of rounding's size, which keeps it invertible where A's columns are collinear."""
    M = _gram(A, theta, xp)  # (k, k)
    finfo = xp.finfo(M.dtype)
    eye = xp.eye(M.shape[0], dtype=M.dtype, device=device_of(M))
    return M + (finfo.eps * xp.max(xp.linalg.diagonal(M)) + finfo.smallest_normal) * eye


def _longest_step(xp, x, dx):
    """The largest s <= 1 with x + s dx >= 0 (every entry), as a 0-d array."""
    ratio = xp.where(dx < 0, -x / xp.where(dx < 0, dx, -1.0), 1.0)  # (m,)
    return xp.clip(xp.min(ratio), max=1.0)


class State(NamedTuple):
    beta: Any  # (k,): (w, b)
    v: Any  # (m,): the dual program's point, and t = 1 - v, kept apart (1 - v loses t's digits where v is near 1)
    t: Any
    z: Any  # (m,): the negative and positive parts of the scaled residuals
    w: Any
    gap: Any  # (): Σ (v z + t w)
    objective: Any  # (): F(β)


def _start(xp, A, ybar, tau) -> State:
    """v = τ (feasible) and the least-squares β, with z and w its residual's negative and positive parts shifted by
    their mean magnitude (so that Aβ + w - z = ȳ holds)."""
    v, t = tau, 1 - tau  # (m,)
    beta = _solve(xp, _normal_matrix(xp, A, xp.ones_like(v)), _rmatvec(A, ybar))  # (k,)
    r = ybar - _matvec(A, beta)  # (m,)
    shift = xp.mean(xp.abs(r)) + xp.finfo(r.dtype).eps * (1 + xp.mean(xp.abs(ybar)))
    w, z = xp.where(r > 0, r, 0.0) + shift, xp.where(r < 0, -r, 0.0) + shift  # (m,) each
    return State(beta, v, t, z, w, xp.sum(v * z + t * w), xp.sum(_terms(xp, A, ybar, tau, beta)))


def _iteration(xp, A, ybar, tau, state: State) -> State:
    """One step of Mehrotra's predictor-corrector (module docstring)."""
    beta, v, t, z, w, gap, _ = state
    m = v.shape[0]
    theta = v * t / (z * t + w * v)  # (m,): 1 / (z/v + w/t)
    M = _normal_matrix(xp, A, theta)  # (k, k)
    r_p = _rmatvec(A, tau - v)  # (k,)
    r_d = ybar - _matvec(A, beta) - w + z  # (m,)

    def direction(r_vz, r_tw):
        rho = r_d - r_tw / t + r_vz / v  # (m,)
        d_beta = _solve(xp, M, _rmatvec(A, theta * rho) - r_p)  # (k,)
        dv = theta * (rho - _matvec(A, d_beta))  # (m,)
        return dv, d_beta, (r_vz - z * dv) / v, (r_tw + w * dv) / t  # dv, dβ, dz, dw

    # predictor: the affine step (μ = 0), and how far it gets
    dv, d_beta, dz, dw = direction(-v * z, -t * w)
    step_p = xp.minimum(_longest_step(xp, v, dv), _longest_step(xp, t, -dv))
    step_d = xp.minimum(_longest_step(xp, z, dz), _longest_step(xp, w, dw))
    mu = gap / (2 * m)
    mu_aff = xp.sum((v + step_p * dv) * (z + step_d * dz) + (t - step_p * dv) * (w + step_d * dw)) / (2 * m)
    sigma_mu = (mu_aff / mu) ** 3 * mu
    # corrector: centred by σμ, with the predictor's second-order terms (dt = -dv)
    dv, d_beta, dz, dw = direction(sigma_mu - v * z - dv * dz, sigma_mu - t * w + dv * dw)
    step_p = _STEP * xp.minimum(_longest_step(xp, v, dv), _longest_step(xp, t, -dv))
    step_d = _STEP * xp.minimum(_longest_step(xp, z, dz), _longest_step(xp, w, dw))
    v, t = v + step_p * dv, t - step_p * dv
    beta, z, w = beta + step_d * d_beta, z + step_d * dz, w + step_d * dw
    return State(beta, v, t, z, w, xp.sum(v * z + t * w), xp.sum(_terms(xp, A, ybar, tau, beta)))


def interior_point(xp, lp: QuantileLP, *, tol: float, max_iter: int, backend) -> tuple[State, int, bool]:
    """Mehrotra's predictor-corrector on the bounded dual program until gap <= tol · F(β) (module docstring).
    Returns (the last state, the iterations made, whether the gap got there)."""
    if isinstance(lp.A, SparseRows):
        start, iteration = _start, _iteration
    else:  # a pure function of arrays: compiled whole where the backend compiles
        start, iteration = (compiled_once(f, backend, ("xp",)) for f in (_start, _iteration))
    state = start(xp, lp.A, lp.ybar, lp.tau)
    floor = xp.finfo(lp.ybar.dtype).eps * xp.sum(xp.abs(lp.ybar))  # (): F below this counts as 0
    for n_iter in range(max_iter + 1):
        # F >= 0: where it is 0 (y = 0, say), β is a minimizer whatever the gap
        if bool((state.gap <= tol * xp.maximum(state.objective, floor)) | (state.objective <= 0)):
            return state, n_iter, True
        if n_iter < max_iter:
            state = iteration(xp, lp.A, lp.ybar, lp.tau, state)
    return state, max_iter, False


def vertex(xp, lp: QuantileLP, state: State):
    """The crossover: the vertex through the k rows most clearly on the fit, if it is as good as the interior
    point (module docstring); else the interior point's β. Returns (β, whether it is the vertex)."""
    A, k, p = lp.A, state.beta.shape[0], lp.n_penalty
    score = xp.minimum(state.v, state.t) / (state.z + state.w)  # (m,): large on the fit
    score = xp.where(lp.live, score, 0.0)  # a sample of weight 0 is a zero row: on any fit, in no basis
    basis = xp.argsort(score, descending=True)[:k]  # (k,)
    rows = A.rows(basis) if isinstance(A, SparseRows) else xp.take(A, basis, axis=0)  # (k, k)
    beta, rank, _ = lstsq(rows, xp.take(lp.ybar, basis)[:, None])  # (k, 1): the least norm if singular
    beta = beta[:, 0]  # (k,)
    if p > 0:  # a penalty row in the basis holds its coefficient at 0: exactly, not to the solve's rounding
        m = lp.ybar.shape[0]
        held = xp.any(basis[:, None] == xp.arange(m - p, m, device=device_of(basis))[None, :], axis=0)  # (p,)
        beta = xp.concat([xp.where(held, 0.0, beta[:p]), beta[p:]])  # (k,)
    inner, corner = (_terms(xp, A, lp.ybar, lp.tau, b) for b in (state.beta, beta))  # (m,) each
    rounding = 100 * xp.finfo(beta.dtype).eps * (xp.sum(xp.abs(lp.ybar)) + xp.sum(inner))
    if bool(xp.sum(corner) <= xp.sum(inner) + rounding):
        return beta, rank == k
    return state.beta, False
