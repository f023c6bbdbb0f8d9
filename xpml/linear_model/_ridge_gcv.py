"""Leave-one-out cross-validation of ridge regression for every α of a grid, from one decomposition.

Write A (n, p) for X centred on its weighted means with rows scaled by √sᵢ, and Y (n, t) for y treated
alike (`center_data`), as Ridge does. The ridge fit's predictions of Y are H Y, with the hat matrix

    H = A (AᵀA + αI)⁻¹ Aᵀ  (+ s sᵀ / S with an intercept: s = √w, S = Σ wᵢ; s is orthogonal to A's columns).

Leaving out sample i and refitting changes the prediction of yᵢ in a way that needs no refit (the
Sherman-Morrison formula): the leave-one-out residual is

    eᵢ = (R Y)ᵢ / Rᵢᵢ,     R = I - H,

still scaled by √wᵢ. With an intercept, R = R₀ - s sᵀ / S, R₀ = I - A (AᵀA + αI)⁻¹ Aᵀ, so (R Y)ᵢ = (R₀ Y)ᵢ
(Y is centred: sᵀY = 0) and Rᵢᵢ = (R₀)ᵢᵢ - (R₀ s)ᵢ sᵢ / S. One decomposition of A gives R₀ for every α:

- n <= p ("eigen": the Gram matrix AAᵀ = Q Λ Qᵀ; "svd": A = U Σ Vᵀ, Q = U, Λ = Σ²): Q is an orthonormal
  basis of all Rⁿ, and R₀ = Q diag(α / (λ + α)) Qᵀ, computed directly; no 1 - (a number near 1) there,
  where the leverage Hᵢᵢ nears 1 (more features than samples);
- n > p ("eigen": the covariance AᵀA = V Λ Vᵀ, B = A V; "svd": B = U Σ): R₀ = I - B diag(1 / (λ + α)) Bᵀ.

In both, the coefficients are w = P diag(1 / (λ + α)) Bᵀ y, with (B, P) = (Q, AᵀQ) or (B, V). Each α then
costs O(n · m · t), m = min(n, p), after one O(n · p · m) decomposition.

References: G. H. Golub, M. Heath and G. Wahba, "Generalized cross-validation as a method for choosing a good
ridge parameter", Technometrics 21 (1979); R. Rifkin and R. A. Lippert, "Notes on regularized least squares",
MIT-CSAIL-TR-2007-025 (2007).
"""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["Spectrum", "decompose", "loo_residuals", "spectral_coef"]


class Spectrum(NamedTuple):
    """One decomposition of A, for every α: R₀ = B diag(f) Bᵀ (`complete`) or I - B diag(f) Bᵀ (see above)."""

    B: Any  # (n, m)
    squared: Any  # (n, m): B ∘ B, for the diagonal of R₀
    P: Any  # (p, m): w = P diag(1 / (λ + α)) Bᵀ y
    eigenvalues: Any  # (m,): λ
    BtY: Any  # (m, t): Bᵀ Y
    Bts: Any  # (m,): Bᵀ s, or None without an intercept
    complete: bool  # B is an orthonormal basis of Rⁿ (n <= p)


def decompose(xp, A, Y, root_w, mode: str) -> Spectrum:
    """The decomposition of A (n, p) that serves every α: `mode` "svd" (of A) or "eigen" (of the smaller of AAᵀ
    and AᵀA). `root_w` (n,) is s = √w with an intercept, else None."""
    n, p = A.shape
    if mode == "svd":
        U, sigma, Vt = xp.linalg.svd(A, full_matrices=False)  # (n, m), (m,), (m, p)
        eigenvalues = sigma * sigma  # (m,)
        B, P = (U, Vt.T * sigma) if n <= p else (U * sigma, Vt.T)  # AᵀU = V Σ
    elif n <= p:
        eigenvalues, Q = xp.linalg.eigh(A @ A.T)  # (n,), (n, n)
        B, P = Q, A.T @ Q  # (n, n), (p, n)
    else:
        eigenvalues, V = xp.linalg.eigh(A.T @ A)  # (p,), (p, p)
        B, P = A @ V, V  # (n, p), (p, p)
    Bts = None if root_w is None else root_w @ B  # (m,)
    return Spectrum(B, B * B, P, eigenvalues, B.T @ Y, Bts, n <= p)


def loo_residuals(xp, spectrum: Spectrum, Y, root_w, alpha: float):
    """The leave-one-out residuals (n, t) of the ridge fit with penalty `alpha`, scaled by √wᵢ as Y is."""
    B, inverse = spectrum.B, 1.0 / (spectrum.eigenvalues + alpha)  # (n, m), (m,)
    if spectrum.complete:  # R₀ = B diag(α / (λ + α)) Bᵀ
        f = alpha * inverse  # (m,)
        RY = B @ (f[:, None] * spectrum.BtY)  # (n, t)
        diagonal = spectrum.squared @ f  # (n,)
        Rs = None if root_w is None else B @ (f * spectrum.Bts)  # (n,)
    else:  # R₀ = I - B diag(1 / (λ + α)) Bᵀ
        RY = Y - B @ (inverse[:, None] * spectrum.BtY)  # (n, t)
        diagonal = 1.0 - spectrum.squared @ inverse  # (n,)
        Rs = None if root_w is None else root_w - B @ (inverse * spectrum.Bts)  # (n,)
    if root_w is not None:  # the intercept: Rᵢᵢ = (R₀)ᵢᵢ - (R₀ s)ᵢ sᵢ / S
        diagonal = diagonal - Rs * root_w / xp.sum(root_w * root_w)
    return RY / diagonal[:, None]  # (n, t)


def spectral_coef(spectrum: Spectrum, alphas):
    """The coefficients W (p, t) of the fit on all the data, target k with penalty alphas[k] ((t,), on the
    backend)."""
    inverse = 1.0 / (spectrum.eigenvalues[:, None] + alphas[None, :])  # (m, t)
    return spectrum.P @ (inverse * spectrum.BtY)  # (p, t)
