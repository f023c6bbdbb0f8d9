"""The objective of the generalized linear models (Poisson, gamma, Tweedie), its gradient and its Hessian.

A GLM predicts the mean μ = h(η) of y from the linear predictor η = X w + b, through the inverse h of its link: the
log link, μ = e^η (always > 0), or the identity, μ = η. With ℓ(y, μ) = d(y, μ)/2, half the unit deviance of
Tweedie power p (`xpml.metrics._deviance`), sample weights sᵢ normalized to vᵢ = sᵢ / Σ s, and α >= 0, the objective
is scikit-learn's:

    F(w, b) = Σᵢ vᵢ ℓ(yᵢ, μᵢ) + (α/2) ‖w‖²            (the intercept b is not penalized)

Its derivatives come from those of ℓ in η. In μ, ∂ℓ/∂μ = (μ - y) μ⁻ᵖ (the deviance's residual over the variance
function μᵖ), and the chain rule gives

    log link:        ℓ'(η) = μ^(1-p) (μ - y),     ℓ''(η) = μ^(1-p) ((2-p) μ - (1-p) y)
    identity link:   ℓ'(η) = μ^(-p) (μ - y),      ℓ''(η) = μ^(-p) ((1-p) + p y/μ)

(the Poisson model's log link is its canonical one: ℓ' = μ - y, ℓ'' = μ), and with r = v ∘ ℓ'(η), D = diag(v ∘ ℓ''(η))

    ∇_w F = Xᵀ r + α w,   ∂F/∂b = Σᵢ rᵢ,      ∇²F = [X, 1]ᵀ D [X, 1] + α diag(1, ..., 1, 0).

Where a link is not the canonical one, ℓ'' can be negative far from the optimum (under the log link: for p = 0
where y > 2μ, for p = 3 where μ > 2y; never for 1 <= p <= 2): the Newton solver (`_glm_newton`) takes |ℓ''| there, as scikit-learn does, and is told what share of the
weight had ℓ'' <= 0. The identity link with p != 0 needs μ > 0: elsewhere log μ is NaN and so is F, which the line
searches treat as a step too long.

θ = (w, [b]) travels as one flat vector of length p (+1), as the optimizers want. The products with X are written
r @ X and (D X)ᵀ X, which contract X's first axis where it lies: every library reads X in place for them, where for
Xᵀ r XLA (jax) would first copy the transpose of X.

Reference: P. McCullagh and J. A. Nelder, Generalized Linear Models (2nd ed.), Chapman & Hall, 1989, chapter 2.
"""

from __future__ import annotations

from ..metrics._deviance import power_of, unit_deviance

__all__ = ["GLMLoss"]


class GLMLoss:
    """`loss(θ) -> (F, ∇F)` and `gradient_hessian(θ)` of the objective of the module docstring.

    Parameters
    ----------
    xp : array namespace
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,)
        In the domain of the deviance (checked by the estimator).
    sample_weight : array of shape (n_samples,)
    power : float
        The Tweedie power p.
    link : {"log", "identity"}
    alpha : float
        α, the strength of the L2 penalty.
    fit_intercept : bool
    """

    def __init__(self, xp, X, y, sample_weight, *, power: float, link: str, alpha: float, fit_intercept: bool):
        self.xp, self.X, self.y = xp, X, y
        self.power, self.link, self.alpha, self.fit_intercept = power, link, alpha, fit_intercept
        self.weight = sample_weight / xp.sum(sample_weight)  # (n,) v, summing to 1

    def n_params(self) -> int:
        """The length of θ."""
        return self.X.shape[1] + int(self.fit_intercept)

    def unpack(self, theta):
        """(w, b) from θ: (p,) and () (0 without an intercept)."""
        p = self.X.shape[1]
        return theta[:p], (theta[p] if self.fit_intercept else self.xp.zeros_like(theta[0]))

    def mean(self, eta):
        """(μ, log μ) from η: (e^η, η) for the log link; (η, log η, or None for p = 0) for the identity."""
        xp = self.xp
        if self.link == "log":
            return xp.exp(eta), eta
        return eta, (None if self.power == 0 else xp.log(eta))

    def link_of(self, mu):
        """η = g(μ), the link: log μ or μ."""
        return self.xp.log(mu) if self.link == "log" else mu

    def _pointwise(self, theta, *, hessian: bool):
        """(w, ℓ(y, μ) (n,), ℓ'(η) (n,), ℓ''(η) (n,) or None) at θ: half the deviance and its derivatives in η."""
        xp, y, p = self.xp, self.y, self.power
        w, b = self.unpack(theta)
        eta = self.X @ w + b  # (n,)
        mu, log_mu = self.mean(eta)
        half_deviance = unit_deviance(xp, y, mu, p, log_mu=log_mu) / 2  # (n,)
        if self.link == "log":
            m = power_of(xp, mu, log_mu, 1 - p)  # μ^(1-p)
            d1 = m * (mu - y)
            d2 = m * ((2 - p) * mu - (1 - p) * y) if hessian else None
        else:
            m = power_of(xp, mu, log_mu, -p)  # μ^(-p)
            d1 = m * (mu - y)
            d2 = (m * ((1 - p) + p * y / mu) if p != 0 else xp.ones_like(mu)) if hessian else None
        return w, half_deviance, d1, d2

    def __call__(self, theta):
        """F at θ and its gradient, shaped like θ."""
        xp = self.xp
        w, half_deviance, d1, _ = self._pointwise(theta, hessian=False)
        r = self.weight * d1  # (n,)
        loss = xp.sum(self.weight * half_deviance) + 0.5 * self.alpha * xp.sum(w * w)
        grad = r @ self.X + self.alpha * w  # (p,): Xᵀ r + α w
        return loss, (xp.concat([grad, xp.sum(r)[None]]) if self.fit_intercept else grad)

    def gradient_hessian(self, theta):
        """(∇F (k,), ∇²F (k, k) with |ℓ''|, the share of the weight where ℓ'' <= 0 (0-d)), k = len(θ)."""
        xp, X = self.xp, self.X
        w, _, d1, d2 = self._pointwise(theta, hessian=True)
        r, D = self.weight * d1, self.weight * xp.abs(d2)  # (n,), (n,)
        nonpositive = xp.sum(xp.where(d2 <= 0, self.weight, 0.0))  # () the weight of the samples with ℓ'' <= 0
        p = X.shape[1]
        eye = xp.eye(p, dtype=X.dtype, device=X.device)  # (p, p)
        H = (X * D[:, None]).T @ X + self.alpha * eye  # (p, p): Xᵀ D X + α I
        grad = r @ X + self.alpha * w  # (p,)
        if not self.fit_intercept:
            return grad, H, nonpositive
        column = D @ X  # (p,): Xᵀ D 1
        H = xp.concat([xp.concat([H, column[:, None]], axis=1),
                       xp.concat([column, xp.sum(D)[None]])[None, :]], axis=0)  # (p+1, p+1)
        return xp.concat([grad, xp.sum(r)[None]]), H, nonpositive
