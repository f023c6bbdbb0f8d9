"""How many principal components the data support: Minka's Bayesian model selection for PCA.

T. P. Minka, "Automatic choice of dimensionality for PCA" (NIPS 2000). Under probabilistic PCA with
k components, the evidence of n samples whose covariance has eigenvalues λ₁ ≥ … ≥ λ_p is, in the
Laplace approximation (the paper's eq. 30),

    log p(D | k) ≈ log p(U) - n/2 Σ_{i≤k} log λᵢ - n(p-k)/2 log v + (m+k)/2 log 2π
                   - 1/2 Σ_{i≤k} Σ_{j>i} log((λᵢ - λⱼ)(1/λ̂ⱼ - 1/λ̂ᵢ) n) - k/2 log n,

with v = Σ_{j>k} λⱼ / (p - k) the mean discarded variance, λ̂ⱼ = λⱼ for j ≤ k and v beyond,
m = pk - k(k+1)/2 the dimension of the Stiefel manifold, and log p(U) = -k log 2 +
Σ_{i≤k} [log Γ((p-i+1)/2) - (p-i+1)/2 log π]. The chosen k maximizes it over 1 ≤ k < p.

The spectrum has p numbers: this runs on the host, in Python floats.
"""

from __future__ import annotations

import math

__all__ = ["infer_dimension", "log_evidence"]

_EPS = 1e-15  # eigenvalues below this are treated as zero


def log_evidence(spectrum: list[float], k: int, n_samples: int) -> float:
    """log p(D | k) for the eigenvalues `spectrum` (decreasing, length p) and 1 <= k < p."""
    p = len(spectrum)
    if spectrum[k - 1] < _EPS:  # a null direction kept: no evidence for it (and its logs would overflow)
        return -math.inf
    log_pu = -k * math.log(2.0) + sum(math.lgamma((p - i + 1) / 2.0) - math.log(math.pi) * (p - i + 1) / 2.0
                                      for i in range(1, k + 1))
    log_pl = -n_samples / 2.0 * sum(math.log(lam) for lam in spectrum[:k])
    v = max(_EPS, sum(spectrum[k:]) / (p - k))
    log_pv = -n_samples * (p - k) / 2.0 * math.log(v)
    m = p * k - k * (k + 1.0) / 2.0
    log_pp = math.log(2.0 * math.pi) * (m + k) / 2.0
    hat = spectrum[:k] + [v] * (p - k)
    log_pa = sum(math.log((spectrum[i] - spectrum[j]) * (1.0 / hat[j] - 1.0 / hat[i])) + math.log(n_samples)
                 for i in range(k) for j in range(i + 1, p))
    return log_pu + log_pl + log_pv + log_pp - log_pa / 2.0 - k * math.log(n_samples) / 2.0


def infer_dimension(spectrum: list[float], n_samples: int) -> int:
    """The k in [1, p - 1] of largest evidence (the first on ties); 0 when no k has any (a null spectrum)."""
    scores = [-math.inf] + [log_evidence(spectrum, k, n_samples) for k in range(1, len(spectrum))]
    return max(range(len(scores)), key=lambda k: (scores[k], -k))
