"""The logistic losses of linear classifiers and their gradients, computed together in one pass.

With sample weights sᵢ (class weights folded in), S = Σᵢ sᵢ and λ = 1/(C·S) (0 without penalty),
the objective is scikit-learn's, scaled by 1/S:

binary, yᵢ ∈ {0, 1}, zᵢ = xᵢ·w + b:

    L = (1/S) Σᵢ sᵢ [log(1 + e^{zᵢ}) - yᵢ zᵢ] + λ/2 ||w||²
    ∇_w L = Xᵀ(s ∘ (σ(z) - y)) / S + λ w,      ∂L/∂b = Σᵢ sᵢ (σ(zᵢ) - yᵢ) / S

multinomial, Y one-hot of shape (n, K), Z = XW + b of shape (n, K):

    L = (1/S) Σᵢ sᵢ [logsumexp(Zᵢ) - Zᵢ·Yᵢ] + λ/2 ||W||²
    ∇_W L = Xᵀ(s ∘ (softmax(Z) - Y)) / S + λ W,      ∇_b L = Σᵢ sᵢ (softmax(Zᵢ) - Yᵢ) / S

The intercept is not penalized, except in liblinear's form (`intercept_scaling` a): there the
intercept is a·v for a parameter v that is penalized like a coefficient, as the weight of a constant
feature a would be; the feature itself is never appended (X may be sparse). exp only ever sees arguments <= 0: log(1 + e^z) = max(z, 0) +
log1p(e^{-|z|}), and logsumexp subtracts each row's maximum, so large or separable logits neither
overflow nor lose the loss. One e^{-|z|} (or one exp(Z - max)) serves both loss and gradient, and
the data are read twice per call: once for Xw, once for Xᵀr.

The parameters travel as one flat vector θ, as the optimizers want: binary θ = [w, b] of length
p (+1); multinomial θ = the rows of [W | b], shape (K, p (+1)) (one row per class, as `coef_`),
flattened. The gradient with respect to W is computed as Rᵀ X, shape (K, p), rather than Xᵀ R:
XLA (jax) would copy the transpose of X on every call, while every library reads X in place for
Rᵀ X.

Reference: T. Hastie, R. Tibshirani and J. Friedman, The Elements of Statistical Learning (2nd ed.),
section 4.4.
"""

from __future__ import annotations

from ..utils._csr import is_csr

__all__ = ["LogisticLoss"]


class LogisticLoss:
    """`loss(θ) -> (L, ∇L)` for binary (n_classes=2) or multinomial logistic regression.

    Parameters
    ----------
    xp : array namespace
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,)
        Class indices 0 .. n_classes-1, integer.
    sample_weight : array of shape (n_samples,) or None
        Weights of the samples (class weights folded in); None: all 1.
    n_classes : int
    fit_intercept : bool
    l2 : float
        λ = 1/(C·S), the penalty on the coefficients (0: none).
    intercept_scaling : float or None
        liblinear's a: the intercept is a·v, and v is penalized with the coefficients. None: an
        unpenalized intercept b (θ holds b itself).
    """

    def __init__(self, xp, X, y, sample_weight, *, n_classes: int, fit_intercept: bool, l2: float,
                 intercept_scaling: float | None = None):
        self.xp, self.X, self.fit_intercept, self.l2 = xp, X, fit_intercept, l2
        self.scaling = intercept_scaling if fit_intercept else None
        n, p = X.shape
        self.binary = n_classes == 2
        columns = p + int(fit_intercept)
        self.shape = (columns,) if self.binary else (n_classes, columns)
        positive = xp.arange(1 if self.binary else 0, n_classes, dtype=y.dtype, device=X.device)  # [1] or 0..K-1
        target = xp.astype(y[:, None] == positive[None, :], X.dtype)  # (n, 1) or one-hot (n, K)
        self.target = target[:, 0] if self.binary else target
        # weights divided by S, so that sums are means; None when all equal (1/n), to save a product
        self.weight = None if sample_weight is None else sample_weight / xp.sum(sample_weight)  # (n,)

    def n_params(self) -> int:
        """The length of θ."""
        return self.shape[0] if self.binary else self.shape[0] * self.shape[1]

    def unpack(self, theta):
        """(coefficients, intercept) from θ: (p,) and () for binary, (K, p) and (K,) for multinomial (the
        intercept's parameter v, not a·v, in liblinear's form)."""
        xp, p = self.xp, self.X.shape[1]
        if self.binary:
            return theta[:p], (theta[p] if self.fit_intercept else xp.zeros_like(theta[0]))
        W = xp.reshape(theta, self.shape)  # (K, p+1)
        return W[:, :p], (W[:, p] if self.fit_intercept else xp.zeros_like(W[:, 0]))

    def decision(self, theta):
        """The logits z = Xw + b, (n,) for binary, or Z = XWᵀ + b, (n, K)."""
        coef, intercept = self.unpack(theta)
        Z = self.X @ coef if self.binary else self.X @ coef.T  # (n,) or (n, K)
        if self.scaling is not None:
            intercept = self.scaling * intercept
        return Z + intercept if self.fit_intercept else Z

    def _mean(self, values):
        """The weighted mean over samples (axis 0)."""
        xp = self.xp
        return xp.mean(values, axis=0) if self.weight is None else xp.sum(self.weight * values, axis=0)

    def __call__(self, theta):
        """The objective at θ and its gradient, shaped like θ."""
        xp, X = self.xp, self.X
        Z = self.decision(theta)  # (n,) or (n, K)
        if self.binary:
            e = xp.exp(-xp.abs(Z))  # (n,), in (0, 1]
            pointwise = xp.maximum(Z, 0.0) + xp.log1p(e) - self.target * Z  # log(1 + e^z) - y z
            residual = xp.where(Z >= 0, 1.0, e) / (1.0 + e) - self.target  # σ(z) - y
        else:
            shifted = Z - xp.max(Z, axis=1, keepdims=True)  # (n, K)
            E = xp.exp(shifted)
            total = xp.sum(E, axis=1, keepdims=True)  # (n, 1)
            pointwise = xp.log(total[:, 0]) - xp.sum(shifted * self.target, axis=1)  # logsumexp - z_y
            residual = E / total - self.target  # softmax - one-hot, (n, K)
        loss = self._mean(pointwise)
        if self.weight is None:
            residual = residual / X.shape[0]
        else:
            residual = residual * (self.weight if self.binary else self.weight[:, None])
        coef, intercept = self.unpack(theta)
        if is_csr(X):  # sparse: Xᵀ R through X's own transposed product
            grad = X.T @ residual if self.binary else (X.T @ residual).T  # (p,) or (K, p)
        else:
            grad = residual @ X if self.binary else residual.T @ X  # Xᵀr (p,) or RᵀX (K, p)
        if self.l2:
            loss = loss + 0.5 * self.l2 * xp.sum(coef * coef)
            grad = grad + self.l2 * coef
        if self.fit_intercept:
            grad_b = xp.sum(residual, axis=0)  # () or (K,)
            if self.scaling is not None:  # liblinear: ∂/∂v of the term a·v, and v's penalty
                grad_b = self.scaling * grad_b + self.l2 * intercept
                loss = loss + 0.5 * self.l2 * xp.sum(intercept * intercept)
            grad = xp.concat([grad, grad_b[None]]) if self.binary else xp.concat([grad, grad_b[:, None]], axis=1)
        return loss, xp.reshape(grad, (-1,))
