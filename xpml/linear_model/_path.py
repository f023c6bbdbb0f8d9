"""The regularization path: the elastic net fitted along a decreasing grid of α, each fit starting from
the coefficients of the one before (a warm start, so that most fits take a few iterations), as
scikit-learn's `enet_path` and `lasso_path`.

The path fits no intercept and weighs no sample: X and y are used as given. With one target the
penalty is ElasticNet's; with several (y of shape (n, t)) it is the multi-task one, scikit-learn's
MultiTaskElasticNet: each feature's row of t coefficients is penalized by its length, so that a feature
is used by every target or by none (`_enet_solver`, grouped).

The grid: with c = Xᵀy/n, every coefficient is 0 from α_max = max_j |c_j| / ρ on (|c_j| the length of
row j of XᵀY/n with several targets; only c_j > 0 with positive=True), since then the gradient of the
least squares at 0 is within the L1 penalty's reach. The grid runs from α_max down to eps·α_max,
evenly spaced in log scale.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

from .._backend import match_input, namespace_of
from ..utils._host import as_host
from ..utils._param_validation import Interval, check_param
from ..utils._warnings import warn
from ..exceptions import ConvergenceWarning
from ._enet_solver import LeastSquares, solve

__all__ = ["alpha_grid", "enet_path", "fit_path", "lasso_path"]

_RESOLUTION = 1e-15  # numpy's finfo(float64).resolution: scikit-learn's grid when α_max is below it
_SOLVER_PARAMS = {"tol", "max_iter", "random_state", "selection", "backend", "dtype"}


def alpha_grid(c0, l1_ratio: float, eps: float, n_alphas: int, positive: bool) -> list[float]:
    """The n_alphas values of α from α_max down to eps·α_max, evenly in log scale (α_max: see the module
    docstring; c0 = XᵀY/n, (p, t))."""
    if l1_ratio == 0:
        raise ValueError("l1_ratio=0 has no L1 penalty, so no α beyond which every coefficient is 0: give the "
                         "grid yourself, alphas=[...].")
    xp = namespace_of(c0)
    reach = xp.max(c0) if positive else xp.max(xp.sqrt(xp.sum(c0 * c0, axis=1)))  # max_j |c_j|
    alpha_max = max(float(reach), 0.0) / l1_ratio
    if alpha_max <= _RESOLUTION:
        return [_RESOLUTION] * n_alphas
    if n_alphas == 1:
        return [alpha_max]
    return [alpha_max * eps ** (i / (n_alphas - 1)) for i in range(n_alphas)]


def enet_path(X: Any, y: Any, *, l1_ratio: float = 0.5, eps: float = 1e-3, n_alphas: int | None = None,
              alphas: Any = None, precompute: Any = "auto", Xy: Any = None, copy_X: bool = True,
              coef_init: Any = None, verbose: int | bool = False, return_n_iter: bool = False,
              positive: bool = False, check_input: bool = True, **params: Any):
    """The elastic net's coefficients along a grid of α (no intercept), each fit warm-started from the last.

    Minimizes, for each α, 1/(2n) ||y - Xw||² + α ρ ||w||₁ + α (1 - ρ)/2 ||w||² with ρ = l1_ratio; for
    y of several targets, the multi-task penalty α ρ Σⱼ ||Wⱼ||₂ + α (1 - ρ)/2 ||W||² (module docstring).

    Parameters
    ----------
    X : array-like or sparse matrix of shape (n_samples, n_features)
    y : array-like of shape (n_samples,) or (n_samples, n_targets)
    l1_ratio : float, default=0.5
        The share of the L1 penalty, in [0, 1].
    eps : float, default=1e-3
        The grid's length: its smallest α is eps times the largest.
    n_alphas : int, optional
        The number of α of the grid (100 by default; scikit-learn 1.9 deprecates it for alphas=int).
    alphas : int or array-like, optional
        An int: the number of α of the grid; values: the α to fit, in decreasing order (they are sorted).
        None: a grid of n_alphas (or 100).
    precompute : "auto", bool or array-like, default="auto"
        Whether the solver works on the Gram matrix XᵀX ("auto": when n_samples >= n_features). A given
        Gram matrix, like `Xy`, is recomputed from X rather than trusted.
    Xy : array-like, optional
        Accepted for scikit-learn compatibility: Xᵀy is recomputed.
    copy_X, check_input : bool, default=True
        Accepted for scikit-learn compatibility: xpml never writes into X, and always checks its input.
    coef_init : array-like of shape (n_features,) or (n_targets, n_features), optional
        The first fit's starting coefficients (zeros by default).
    verbose : bool or int, default=False
        Print each fit's iterations and duality gap.
    return_n_iter : bool, default=False
        Also return each fit's number of iterations.
    positive : bool, default=False
        Constrain the coefficients to be >= 0 (one target only).
    check_input : bool, default=True
    **params
        tol (1e-4) and max_iter (1000) of each fit, as ElasticNet's; random_state and selection, accepted
        for scikit-learn compatibility (FISTA updates every coefficient at each step); backend and dtype,
        where to compute (by default the backend in force, and the precision of X).

    Returns
    -------
    alphas : array of shape (n_alphas,)
    coefs : array of shape (n_features, n_alphas) or (n_targets, n_features, n_alphas)
    dual_gaps : array of shape (n_alphas,)
        Each fit's duality gap (of the objective above) at its last check.
    n_iters : list of int
        Each fit's FISTA iterations (with return_n_iter=True).
    """
    from ._elastic_net import ElasticNet  # it checks X, y and the parameters, as its fit does

    unexpected = sorted(set(params) - _SOLVER_PARAMS)
    if unexpected:
        raise ValueError(f"Unexpected parameters in params: {unexpected}; enet_path takes "
                         f"{sorted(_SOLVER_PARAMS)}.")
    check_param("eps", eps, [Interval(Real, 0, None, closed="neither")])
    for name, value in (("return_n_iter", return_n_iter), ("copy_X", copy_X), ("check_input", check_input)):
        check_param(name, value, ["boolean"])
    auto = isinstance(precompute, str) and precompute == "auto"  # ElasticNet's False: the Gram matrix when n >= p
    model = ElasticNet(l1_ratio=l1_ratio, fit_intercept=False, precompute=False if auto else precompute,
                       positive=positive, verbose=int(verbose), **params)
    Xs, Ys, _, _, _, single_target = model._least_squares_problem(X, y, None)
    xp, (n, p), t = model._xp, Xs.shape, Ys.shape[1]
    if positive and not single_target:
        raise ValueError(f"positive=True is not allowed for y of {t} targets (the multi-task penalty).")
    ls = LeastSquares(xp, Xs, Ys, float(n), model._use_gram(Xs))
    grid = path_grid(ls.c0, alphas, n_alphas, float(l1_ratio), eps, positive)
    W = _start(model, coef_init, p, t, single_target)
    coefs, gaps, n_iters = fit_path(xp, ls, grid, float(l1_ratio), W, positive=positive, grouped=not single_target,
                                    max_iter=model.max_iter, tol=model.tol, verbose=int(verbose))
    stacked = xp.stack(coefs, axis=-1)  # (p, t, n_alphas)
    stacked = stacked[:, 0, :] if single_target else xp.permute_dims(stacked, (1, 0, 2))
    dtype, device = stacked.dtype, stacked.device
    out = [match_input(xp.asarray(grid, dtype=dtype, device=device), X), match_input(stacked, X),
           match_input(xp.asarray(gaps, dtype=dtype, device=device), X)]
    return (*out, n_iters) if return_n_iter else tuple(out)


def fit_path(xp, ls: LeastSquares, grid: list, l1_ratio: float, W, *, positive: bool, grouped: bool, max_iter: int,
             tol: float, verbose: int = 0):
    """The fits along `grid` (decreasing α), each from the last one's coefficients (W (p, t) the first's start):
    their coefficients (p, t) each, duality gaps and iterations."""
    coefs, gaps, n_iters = [], [], []
    for i, alpha in enumerate(grid):
        fit = solve(xp, ls, W, alpha * l1_ratio, alpha * (1.0 - l1_ratio), positive=positive, grouped=grouped,
                    max_iter=max_iter, tol=tol, warm=True)
        W = fit.W
        coefs.append(W)
        gaps.append(fit.gap)
        n_iters.append(fit.n_iter)
        if verbose:
            print(f"enet_path: alpha {i + 1} of {len(grid)}, {alpha:.4g}: {fit.n_iter} iterations, "
                  f"duality gap {fit.gap:.3g}")
        if not fit.converged:
            warn(f"enet_path did not converge at alpha={alpha:.4g} in max_iter={max_iter} iterations: the "
                 f"duality gap is {fit.gap:.3g}. Increase max_iter or tol, or scale the features.",
                 ConvergenceWarning)
    return coefs, gaps, n_iters


def lasso_path(X: Any, y: Any, *, eps: float = 1e-3, n_alphas: int | None = None, alphas: Any = None,
               precompute: Any = "auto", Xy: Any = None, copy_X: bool = True, coef_init: Any = None,
               verbose: int | bool = False, return_n_iter: bool = False, positive: bool = False, **params: Any):
    """The lasso's coefficients along a grid of α: `enet_path` with l1_ratio=1 (see it for the parameters
    and what it returns)."""
    return enet_path(X, y, l1_ratio=1.0, eps=eps, n_alphas=n_alphas, alphas=alphas, precompute=precompute, Xy=Xy,
                     copy_X=copy_X, coef_init=coef_init, verbose=verbose, return_n_iter=return_n_iter,
                     positive=positive, **params)


def path_grid(c0, alphas, n_alphas, l1_ratio: float, eps: float, positive: bool) -> list[float]:
    """The α to fit, in decreasing order: a grid of alphas (an int), n_alphas or 100 values, or those given."""
    if alphas is None or isinstance(alphas, Integral):
        size = alphas if alphas is not None else (100 if n_alphas is None else n_alphas)
        name = "alphas" if alphas is not None else "n_alphas"
        check_param(name, size, [Interval(Integral, 1, None, closed="left")])
        return alpha_grid(c0, l1_ratio, eps, int(size), positive)
    given = as_host(alphas, "alphas")
    if given.ndim != 1 or given.shape[0] == 0 or given.dtype.kind not in "iuf":
        raise ValueError(f"alphas should be an int or a 1-d array-like of numbers; got {alphas!r}.")
    values = sorted((float(a) for a in given.tolist()), reverse=True)
    if not all(math.isfinite(a) and a > 0 for a in values):
        raise ValueError(f"alphas should be finite and > 0 (for alpha = 0, use LinearRegression); got {alphas!r}.")
    return values


def _start(model, coef_init, p: int, t: int, single_target: bool):
    """The first fit's coefficients, (p, t): zeros, or coef_init ((p,) with one target, (t, p) with several)."""
    xp = model._xp
    if coef_init is None:
        return xp.zeros((p, t), dtype=getattr(xp, model._dtype), device=model._backend.device)
    W0 = model._to_backend(coef_init, model._dtype)
    expected = (p,) if single_target else (t, p)
    if tuple(W0.shape) != expected:
        raise ValueError(f"coef_init should have shape {expected} (n_features,) or (n_targets, n_features); got "
                         f"{tuple(W0.shape)}.")
    W0 = xp.reshape(W0, (t, p)).T
    return xp.maximum(W0, 0.0) if model.positive else W0
