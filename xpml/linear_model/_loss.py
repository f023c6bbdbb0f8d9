"""The logistic losses of linear classifiers and their gradients, computed together in one pass.

With sample weights sᵢ (class weights folded in), S = Σᵢ sᵢ and λ = 1/(C·S) (0 without penalty),
the objective is scikit-learn's, scaled by 1/S:

binary, yᵢ ∈ {0, 1}, zᵢ = xᵢ·w + b:

    L = (1/S) Σᵢ sᵢ [log(1 + e^{zᵢ}) - yᵢ zᵢ] + λ/2 ||w||²
    ∇_w L = Xᵀ(s ∘ (σ(z) - y)) / S + λ w,      ∂L/∂b = Σᵢ sᵢ (σ(zᵢ) - yᵢ) / S

multinomial, Y one-hot of shape (n, K), Z = XWᵀ + b of shape (n, K):

    L = (1/S) Σᵢ sᵢ [logsumexp(Zᵢ) - Zᵢ·Yᵢ] + λ/2 ||W||²
    ∇_W L = (s ∘ (softmax(Z) - Y))ᵀ X / S + λ W,      ∇_b L = Σᵢ sᵢ (softmax(Zᵢ) - Yᵢ) / S

The intercept is not penalized, except in liblinear's form (`intercept_scaling` a): there the
intercept is a·v for a parameter v that is penalized like a coefficient, as the weight of a constant
feature a would be; the feature itself is never appended (X may be sparse).

How it is computed, in one pass that reads the data twice (once for the logits, once for the gradient):

- binary: with the signed logits uᵢ = (1 - 2yᵢ) zᵢ, log(1 + e^{zᵢ}) - yᵢ zᵢ = log(1 + e^{uᵢ}) and
  σ(zᵢ) - yᵢ = (1 - 2yᵢ) σ(uᵢ); log(1 + e^u) = max(u, 0) + log1p(e^{-|u|}) and σ(u) = 1/(1 + e^{-|u|})
  (u >= 0) or e^{-|u|}/(1 + e^{-|u|}) (u < 0), so that one e^{-|z|} (|u| = |z|) serves both, exp
  only ever sees arguments <= 0, and no term cancels another;
- multinomial: each sample's logits have their maximum mᵢ subtracted before exp, and logsumexp(Zᵢ) -
  Z[i, yᵢ] = log Σₖ e^{Z[i, k] - mᵢ} + (mᵢ - Z[i, yᵢ]), two terms >= 0 (summed over i separately).

What does not change from one call to the next, the labels times the weights sᵢ/S, is made once,
at construction.

The multinomial logits are laid out class-major, Zᵀ = WXᵀ + b of shape (K, n), on the backends whose
reductions across rows are fastest (the capability "centre_major": numpy, torch on a CPU): the
reductions over the classes (max, logsumexp) then combine K rows of n values element by element,
where over the short rows of an (n, K) array they step through n tiny groups (numpy's max over the
5 classes of 4,000 samples: 150 µs against 4). Elsewhere they stay (n, K): jax's WXᵀ copies the
transpose of X on every call (33 ms against 4 for XWᵀ on a CPU, 80,000 × 50 and 5 classes), as would
its XᵀR; the gradient is RᵀX, which every library reads in place, as it reads RX class-major. (One
cost remains: torch's WXᵀ on a CPU takes about twice as long as its XWᵀ for large n, 8 ms against 4
on 80,000 × 50, which its faster reductions make up for on small data only.)

The parameters travel as one flat vector θ, as the optimizers want: binary θ = [w, b] of length
p (+1); multinomial θ = the rows of [W | b], shape (K, p (+1)) (one row per class, as `coef_`),
flattened.

Reference: T. Hastie, R. Tibshirani and J. Friedman, The Elements of Statistical Learning (2nd ed.),
section 4.4.
"""

from __future__ import annotations

from .._backend import backend_of, capability
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
        # weights divided by S, so that sums are means; None when all equal (1/n), to save a product
        self.weight = None if sample_weight is None else sample_weight / xp.sum(sample_weight)  # (n,)
        self.share = 1.0 / n if self.weight is None else self.weight  # each sample's share of the mean, sᵢ/S
        # the samples' axis of the logits: z (n,), Zᵀ (K, n) class-major, or Z (n, K)
        self.class_major = not self.binary and not is_csr(X) and bool(capability(backend_of(X), "centre_major"))
        self.sample_axis = -1 if self.binary or self.class_major else 0
        classes = xp.arange(n_classes, dtype=y.dtype, device=X.device)  # 0 .. K-1
        if self.binary:
            self.sign = 1.0 - 2.0 * xp.astype(y == 1, X.dtype)  # (n,) 1 - 2y: +1 for class 0, -1 for class 1
            self.signed_share = self.sign * self.share  # (n,)
        elif self.class_major:
            self.target_share = xp.astype(classes[:, None] == y[None, :], X.dtype) * self.share  # (K, n) Yᵀ sᵢ/S
        else:
            self.share = self.share if self.weight is None else self.share[:, None]  # (n, 1): along Z's rows
            self.target_share = xp.astype(y[:, None] == classes[None, :], X.dtype) * self.share  # (n, K) Y sᵢ/S

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
        """The logits z = Xw + b, (n,) for binary; Z = XWᵀ + b, (n, K), or Zᵀ, (K, n) where `class_major`."""
        return self._logits(*self.unpack(theta))

    def _logits(self, coef, intercept):
        """`decision` from θ's parts (`unpack`)."""
        X = self.X
        if self.binary:
            Z = X @ coef  # (n,)
        else:
            Z = coef @ X.T if self.class_major else X @ coef.T  # (K, n) or (n, K)
        if not self.fit_intercept:
            return Z
        if self.scaling is not None:
            intercept = self.scaling * intercept
        return Z + (intercept[:, None] if self.class_major else intercept)

    def _mean(self, values):
        """The weighted mean over the samples (values (n,)): Σᵢ (sᵢ/S) vᵢ."""
        xp = self.xp
        return xp.mean(values) if self.weight is None else xp.sum(self.weight * values)

    def __call__(self, theta):
        """The objective at θ and its gradient, shaped like θ."""
        xp, X = self.xp, self.X
        coef, intercept = self.unpack(theta)
        Z = self._logits(coef, intercept)  # (n,), (K, n) or (n, K)
        if self.binary:
            u = self.sign * Z  # (n,) signed logits
            e = xp.exp(-xp.abs(Z))  # (n,) e^{-|u|} = e^{-|z|}, in (0, 1]
            loss = self._mean(xp.maximum(u, 0.0) + xp.log1p(e))  # log(1 + e^u)
            residual = xp.where(u >= 0, 1.0, e) / (1.0 + e) * self.signed_share  # (σ(z) - y) sᵢ/S
        else:
            classes = 0 if self.class_major else 1  # Z's axis of classes
            shifted = Z - xp.max(Z, axis=classes, keepdims=True)  # Z - m, <= 0
            E = xp.exp(shifted)
            total = xp.sum(E, axis=classes, keepdims=True)  # (1, n) or (n, 1)
            # Σᵢ (sᵢ/S) [log Σₖ e^{Z[i, k] - mᵢ} + (mᵢ - Z[i, yᵢ])]
            loss = self._mean(xp.reshape(xp.log(total), (-1,))) - xp.sum(shifted * self.target_share)
            residual = E * (self.share / total) - self.target_share  # (softmax - one-hot) sᵢ/S, laid out as Z
        if self.binary:
            grad = X.T @ residual if is_csr(X) else residual @ X  # Xᵀr (p,), through a CSR's transposed product
        elif self.class_major:
            grad = residual @ X  # RX (K, p)
        else:
            grad = (X.T @ residual).T if is_csr(X) else residual.T @ X  # RᵀX (K, p)
        if self.l2:
            loss = loss + 0.5 * self.l2 * xp.sum(coef * coef)
            grad = grad + self.l2 * coef
        if self.fit_intercept:
            grad_b = xp.sum(residual, axis=self.sample_axis)  # () or (K,)
            if self.scaling is not None:  # liblinear: ∂/∂v of the term a·v, and v's penalty
                grad_b = self.scaling * grad_b + self.l2 * intercept
                loss = loss + 0.5 * self.l2 * xp.sum(intercept * intercept)
            grad = xp.concat([grad, grad_b[None]]) if self.binary else xp.concat([grad, grad_b[:, None]], axis=1)
        return loss, xp.reshape(grad, (-1,))
