"""Probabilities for SVC: Platt scaling of each pair's decision values, then pairwise coupling.

1. Platt scaling. An SVM's decision value f is not a probability, but P(first class | f) is well
   modelled by a sigmoid, 1 / (1 + exp(A f + B)). A and B are fitted by maximum likelihood on
   decision values the model did not train on (5-fold cross-validation on each pair's samples, as
   libsvm does), with Platt's smoothed targets t₊ = (N₊ + 1)/(N₊ + 2), t₋ = 1/(N₋ + 2). The fit is
   Newton's method with backtracking on the convex negative log-likelihood (Lin, Lin & Weng 2007).
2. Coupling. With k classes, each pair (a, b) gives rₐᵦ ≈ P(a | a or b); the class probabilities p
   minimize Σₐ Σ_{b≠a} (rᵦₐ pₐ - rₐᵦ pᵦ)² over the simplex (Wu, Lin & Weng 2004, method 2), a small
   quadratic program solved, for all samples at once, by the coordinate updates of libsvm.

libsvm draws its folds with its own random generator, which xpml does not reproduce: the folds here
come from `random_state`, so probabilities agree with scikit-learn's only as two cross-validations
of the same model do; the sigmoid fitted to given decision values is the same.

References: J. Platt, "Probabilistic outputs for support vector machines", 1999; H.-T. Lin, C.-J.
Lin & R. C. Weng, "A note on Platt's probabilistic outputs for SVMs", Machine Learning 68, 2007;
T.-F. Wu, C.-J. Lin & R. C. Weng, "Probability estimates for multi-class classification by pairwise
coupling", JMLR 5, 2004.
"""

from __future__ import annotations

import math

from ..utils._random import check_random_state

__all__ = ["fit_platt", "fit_sigmoid", "pairwise_probabilities"]

_FOLDS = 5
_MIN_PROBABILITY = 1e-7


def fit_platt(model, X, y_index, C):
    """(A (n_pairs,), B (n_pairs,)): a sigmoid per pair of classes, fitted on cross-validated values."""
    xp = model._xp
    rng = check_random_state(model.random_state)
    A, B = [], []
    for a, b in model._pairs:
        rows = xp.nonzero((y_index == a) | (y_index == b))[0]  # (m,)
        y = 2 * xp.astype(xp.take(y_index, rows) == a, X.dtype) - 1  # (m,) +1 for class a, -1 for b
        values = _cross_validated_values(model, X, rows, y, xp.take(C, rows), rng)  # (m,)
        A_ab, B_ab = fit_sigmoid(xp, values, y)
        A.append(A_ab)
        B.append(B_ab)
    return (xp.asarray(A, dtype=X.dtype, device=X.device), xp.asarray(B, dtype=X.dtype, device=X.device))


def _cross_validated_values(model, X, rows, y, C, rng):
    """Each sample's decision value from the model fitted on the other folds. (m,)"""
    xp, kernel = model._xp, model._kernel
    m = rows.shape[0]
    order = xp.asarray(rng.permutation(m), device=rows.device)
    parts, positions = [], []
    for fold in range(_FOLDS):
        start, stop = fold * m // _FOLDS, (fold + 1) * m // _FOLDS
        test, train = order[start:stop], xp.concat([order[:start], order[stop:]])
        y_train = xp.take(y, train)
        X_train, X_test = xp.take(X, xp.take(rows, train), axis=0), xp.take(X, xp.take(rows, test), axis=0)
        if kernel.name == "precomputed":
            X_train, X_test = (xp.take(M, xp.take(rows, train), axis=1) for M in (X_train, X_test))
        positives = int(xp.sum(xp.astype(y_train > 0, xp.int32)))
        if positives in (0, y_train.shape[0]):  # one class only: libsvm's constant value
            values = xp.full(test.shape[0], 1.0 if positives else -1.0, dtype=X.dtype, device=X.device)
        else:
            alpha, b, _ = model._solve(X_train, y_train, -xp.ones_like(y_train), xp.take(C, train))
            coef = (y_train * alpha)[:, None]  # (m_train, 1)
            if kernel.name == "precomputed":
                values = (X_test @ coef)[:, 0] + b
            else:
                values = (kernel.block(xp, kernel.left(xp, X_test), kernel.right(xp, X_train)) @ coef)[:, 0] + b
        parts.append(values)
        positions.append(test)
    values, positions = xp.concat(parts), xp.concat(positions)
    return xp.take(values, xp.argsort(positions))


def fit_sigmoid(xp, f, y, *, max_iter: int = 100, min_step: float = 1e-10, sigma: float = 1e-12):
    """(A, B) as floats, maximizing the likelihood of P(y = +1 | f) = 1 / (1 + exp(A f + B)) with Platt's
    targets, by Newton's method with a backtracking line search (Lin, Lin & Weng 2007, Algorithm 1)."""
    n_pos = float(xp.sum(xp.astype(y > 0, f.dtype)))
    n_neg = f.shape[0] - n_pos
    t = xp.where(y > 0, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))  # (m,) the smoothed targets

    def objective(A, B):  # the negative log-likelihood, computed without overflow
        z = A * f + B
        return float(xp.sum(xp.where(z >= 0, t * z + xp.log1p(xp.exp(-xp.abs(z))),
                                     (t - 1) * z + xp.log1p(xp.exp(-xp.abs(z))))))

    A, B = 0.0, math.log((n_neg + 1) / (n_pos + 1))
    value = objective(A, B)
    for _ in range(max_iter):
        z = A * f + B
        p = 1 / (1 + xp.exp(-xp.abs(z)))  # σ(|z|)
        p = xp.where(z >= 0, 1 - p, p)  # (m,) P(y = +1 | f) = 1 / (1 + exp(z))
        d2 = p * (1 - p)
        d1 = t - p
        h11, h22, h21, g1, g2 = (float(s) for s in (xp.sum(f * f * d2) + sigma, xp.sum(d2) + sigma,
                                                    xp.sum(f * d2), xp.sum(f * d1), xp.sum(d1)))
        if abs(g1) < 1e-5 and abs(g2) < 1e-5:
            break
        det = h11 * h22 - h21 * h21
        dA, dB = -(h22 * g1 - h21 * g2) / det, -(-h21 * g1 + h11 * g2) / det  # the Newton direction
        slope = g1 * dA + g2 * dB
        step = 1.0
        while step >= min_step:
            new = objective(A + step * dA, B + step * dB)
            if new < value + 1e-4 * step * slope:  # sufficient decrease
                A, B, value = A + step * dA, B + step * dB, new
                break
            step /= 2
        if step < min_step:
            break
    return A, B


def pairwise_probabilities(xp, D, A, B, pairs, k: int):
    """Class probabilities (n, k) from the pairs' decision values D (n, n_pairs) (libsvm's sign)."""
    z = D * A + B  # (n, n_pairs)
    r = 1 / (1 + xp.exp(-xp.abs(z)))
    r = xp.where(z >= 0, 1 - r, r)  # P(first class of the pair | one of the two)
    r = xp.clip(r, _MIN_PROBABILITY, 1 - _MIN_PROBABILITY)
    if k == 2:
        return xp.stack([r[:, 0], 1 - r[:, 0]], axis=1)
    R = [[None] * k for _ in range(k)]  # R[a][b] = r_ab (n,)
    for index, (a, b) in enumerate(pairs):
        R[a][b], R[b][a] = r[:, index], 1 - r[:, index]
    # Q[t][t] = Σ_{j≠t} r_jt², Q[t][j] = -r_jt r_tj: p minimizes pᵀQp on the simplex.
    zero = xp.zeros_like(r[:, 0])
    Q = [[sum((R[j][t] ** 2 for j in range(k) if j != t), zero) if j == t else -R[j][t] * R[t][j]
          for j in range(k)] for t in range(k)]
    p = [xp.full_like(zero, 1 / k) for _ in range(k)]
    for _ in range(max(100, k)):
        Qp = [sum((Q[t][j] * p[j] for j in range(k)), zero) for t in range(k)]
        pQp = sum((p[t] * Qp[t] for t in range(k)), zero)
        error = max(float(xp.max(xp.abs(Qp[t] - pQp))) for t in range(k))
        if error < 0.005 / k:
            break
        for t in range(k):  # libsvm's coordinate update, for every sample at once
            diff = (-Qp[t] + pQp) / Q[t][t]
            p[t] = p[t] + diff
            pQp = (pQp + diff * (diff * Q[t][t] + 2 * Qp[t])) / (1 + diff) ** 2
            Qp = [(Qp[j] + diff * Q[t][j]) / (1 + diff) for j in range(k)]
            p = [p_j / (1 + diff) for p_j in p]
    return xp.stack(p, axis=1)
