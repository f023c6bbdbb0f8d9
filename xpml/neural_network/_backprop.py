"""A multi-layer perceptron's forward and backward passes, written out by hand.

The network has L dense layers. Layer l has a weight matrix Wₗ of shape (unitsₗ₋₁, unitsₗ) and a bias
bₗ of shape (unitsₗ,). For a batch X of n samples, the forward pass is

    a₀ = X                                                        (n, n_features)
    zₗ = aₗ₋₁ Wₗ + bₗ                                              (n, unitsₗ)
    aₗ = f(zₗ)   for the hidden layers, f = identity, logistic, tanh or relu
    a_L = g(z_L) for the output layer, g = identity, exp, logistic or softmax

and the loss, averaged over the batch, with an L2 penalty α on the weights (never on the biases), is

    squared_error    J = 1/(2nk) Σᵢⱼ (a_L - Y)²ᵢⱼ  +  α/(2n) Σₗ ‖Wₗ‖²   (k outputs)
    log_loss         J = -1/n Σᵢⱼ Yᵢⱼ log Pᵢⱼ                      (+ the same penalty), softmax P
    binary_log_loss  J = -1/n Σᵢⱼ [Y log P + (1 - Y) log(1 - P)]ᵢⱼ  (+ the same penalty), logistic P
    poisson          J = 1/n Σᵢⱼ [Y log(Y/μ) - Y + μ]ᵢⱼ            (+ the same penalty), μ = exp(z_L)

with P clipped to [eps, 1 - eps] inside the logarithms, as scikit-learn defines them. With sample
weights sᵢ, every 1/n above becomes 1/Σᵢ sᵢ and sample i's term is multiplied by sᵢ (the data term is
the weighted average, the penalty α/(2 Σᵢ sᵢ) Σₗ ‖Wₗ‖², as scikit-learn weighs them); in the backward
pass, δ_L's row i is multiplied by sᵢ and n is replaced by Σᵢ sᵢ.

Backpropagation is the chain rule applied from the loss back to the input. Write δₗ = ∂J/∂zₗ. Each
output activation above is paired with the loss whose derivative cancels its own, so the error at the
output is simply the prediction minus the target:

    δ_L = (a_L - Y) / n            ((a_L - Y) / (nk) for squared error)             (n, k)

(for the half Poisson deviance with its log link, ∂/∂z [Y log(Y/eᶻ) - Y + eᶻ] = eᶻ - Y, the same form).

Going back one layer, zₗ = aₗ₋₁ Wₗ + bₗ gives the three rules of the backward pass:

    ∂J/∂Wₗ = aₗ₋₁ᵀ δₗ + (α/n) Wₗ                                                    (unitsₗ₋₁, unitsₗ)
    ∂J/∂bₗ = Σᵢ δₗ[i, :]                                                           (unitsₗ,)
    δₗ₋₁   = (δₗ Wₗᵀ) ⊙ f′(zₗ₋₁)                                                    (n, unitsₗ₋₁)

where f′ is written through the layer's output a = f(z): 1 (identity), a(1 - a) (logistic),
1 - a² (tanh), [a > 0] (relu). So the forward pass keeps every aₗ, and the backward pass needs nothing else.

Reference: Rumelhart, Hinton & Williams, "Learning representations by back-propagating errors",
Nature 323 (1986); Glorot & Bengio, "Understanding the difficulty of training deep feedforward
neural networks", AISTATS (2010), for the initialization.
"""

from __future__ import annotations

import math

from ..utils._random import draw
from ..utils._special import softmax

__all__ = [
    "ACTIVATIONS",
    "backpropagate",
    "backward",
    "flat_loss_and_gradient",
    "forward",
    "glorot_uniform",
    "loss_and_gradients",
    "loss_value",
    "pack",
    "unpack",
]

ACTIVATIONS = ("identity", "logistic", "tanh", "relu")


# ---- activations: forward, and their derivative written through the output ------------------


def _logistic(xp, z):
    """1 / (1 + e⁻ᶻ) for z >= 0 and eᶻ / (1 + eᶻ) for z < 0: both from e^(-|z|), which cannot overflow.

    The two branches are blended with a 0/1 mask rather than `where`, which is many times slower on numpy.
    """
    e = xp.exp(-xp.abs(z))  # (n, units), in (0, 1]
    negative = xp.astype(z < 0, z.dtype)
    return (negative * e + (1 - negative)) / (1 + e)


def activate(xp, name: str, z):
    """aₗ = f(zₗ) for an activation named in ACTIVATIONS, or "softmax" for the output layer."""
    if name == "identity":
        return z
    if name == "logistic":
        return _logistic(xp, z)
    if name == "tanh":
        return xp.tanh(z)
    if name == "relu":
        return xp.maximum(z, 0.0)
    if name == "softmax":
        return softmax(z, xp=xp)
    if name == "exp":
        return xp.exp(z)
    raise ValueError(f"activation={name!r} should be one of {ACTIVATIONS} or 'softmax'.")


def activation_backward(xp, name: str, a, grad):
    """∂J/∂z = ∂J/∂a ⊙ f′(z), with f′ written through the output a = f(z)."""
    if name == "identity":
        return grad
    if name == "logistic":
        return grad * (a * (1 - a))
    if name == "tanh":
        return grad * (1 - a * a)
    if name == "relu":
        return grad * xp.astype(a > 0, grad.dtype)  # a 0/1 mask: many times faster than `where` on numpy
    raise ValueError(f"activation={name!r} should be one of {ACTIVATIONS}.")


# ---- the network --------------------------------------------------------------------------


def forward(xp, coefs, intercepts, X, activation: str, out_activation: str) -> list:
    """Every layer's output [a₀ = X, a₁, ..., a_L], each of shape (n_samples, unitsₗ)."""
    activations = [X]
    last = len(coefs) - 1
    for layer, (W, b) in enumerate(zip(coefs, intercepts)):
        z = activations[-1] @ W + b  # (n, unitsₗ)
        activations.append(activate(xp, out_activation if layer == last else activation, z))
    return activations


def _l2(xp, coefs):
    """Σₗ ‖Wₗ‖², as one dot product per layer."""
    total = 0.0
    for W in coefs:
        w = xp.reshape(W, (-1,))  # (unitsₗ₋₁ · unitsₗ,)
        total = total + w @ w
    return total


def loss_value(xp, loss: str, Y, out, coefs, alpha: float, sample_weight=None):
    """The batch loss J (a 0-d array): the data term for `loss`, plus α/(2n) Σₗ ‖Wₗ‖².

    Parameters
    ----------
    loss : {"squared_error", "poisson", "log_loss", "binary_log_loss"}
    Y : array of shape (n_samples, n_outputs)
        The targets: values, a one-hot matrix, or 0/1 indicators.
    out : array of shape (n_samples, n_outputs)
        The network's output a_L.
    sample_weight : array of shape (n_samples,) or None
        Each sample's weight sᵢ: the data term is their weighted average, and n becomes Σᵢ sᵢ.
    """
    n, k = Y.shape
    if loss == "squared_error":
        per_sample = xp.sum((out - Y) ** 2, axis=1) / (2 * k)  # (n,)
    elif loss == "poisson":
        positive = Y > 0  # Y log(Y/μ) is 0 at Y = 0
        ratio = xp.where(positive, Y, xp.ones_like(Y)) / out
        per_sample = xp.sum(xp.where(positive, Y * xp.log(ratio), xp.zeros_like(Y)) - Y + out, axis=1)  # (n,)
    else:
        eps = float(xp.finfo(out.dtype).eps)
        P = xp.clip(out, eps, 1 - eps)  # (n, k)
        if loss == "log_loss":
            per_sample = -xp.sum(Y * xp.log(P), axis=1)  # (n,)
        else:
            per_sample = -xp.sum(Y * xp.log(P) + (1 - Y) * xp.log(1 - P), axis=1)  # (n,)
    if sample_weight is None:
        total, data = n, xp.sum(per_sample) / n
    else:
        total = xp.sum(sample_weight)
        data = xp.sum(per_sample * sample_weight) / total
    if alpha == 0:
        return data
    return data + (alpha / (2 * total)) * _l2(xp, coefs)


def backward(xp, coefs, activations, Y, activation: str, loss: str, alpha: float, sample_weight=None):
    """The gradients of the batch loss J with respect to every Wₗ and bₗ.

    Parameters
    ----------
    coefs : list of arrays, Wₗ of shape (unitsₗ₋₁, unitsₗ)
    activations : list of arrays, aₗ of shape (n_samples, unitsₗ), from `forward`
    Y : array of shape (n_samples, n_outputs)
    sample_weight : array of shape (n_samples,) or None
        Each sample's weight sᵢ, as in `loss_value`.

    Returns
    -------
    coef_grads : list of arrays shaped like `coefs`
    intercept_grads : list of arrays, of shape (unitsₗ,)
    """
    n, k = Y.shape
    delta = activations[-1] - Y  # (n, k)
    if sample_weight is not None:
        n = xp.sum(sample_weight)  # Σᵢ sᵢ stands for n throughout
        delta = delta * sample_weight[:, None]
    scale = 1 / (n * k) if loss == "squared_error" else 1 / n
    return backpropagate(xp, coefs, activations, delta * scale, activation, alpha, n)  # δ_L = ∂J/∂z_L, (n, k)


def backpropagate(xp, coefs, activations, delta, activation: str, alpha: float = 0.0, n=1):
    """The chain rule from the output back to the input: every ∂J/∂Wₗ and ∂J/∂bₗ, given δ_L = ∂J/∂z_L.

    `backward` calls it with the δ_L of its losses; a loss of another form (the Huber loss of a deep
    Q-network, say) computes its own δ_L, of shape (n_samples, n_outputs), and calls it directly.
    The penalty term (α/n) Wₗ is added to ∂J/∂Wₗ when α != 0.

    Returns
    -------
    coef_grads : list of arrays shaped like `coefs`
    intercept_grads : list of arrays, of shape (unitsₗ,)
    """
    coef_grads, intercept_grads = [None] * len(coefs), [None] * len(coefs)
    for layer in range(len(coefs) - 1, -1, -1):
        W, a_in = coefs[layer], activations[layer]  # (unitsₗ₋₁, unitsₗ), (n, unitsₗ₋₁)
        grad_W = a_in.T @ delta  # (unitsₗ₋₁, unitsₗ)
        coef_grads[layer] = grad_W + (alpha / n) * W if alpha != 0 else grad_W
        intercept_grads[layer] = xp.sum(delta, axis=0)  # (unitsₗ,)
        if layer > 0:  # a₀ = X has no parameters before it: stop there
            delta = activation_backward(xp, activation, a_in, delta @ W.T)  # δₗ₋₁, (n, unitsₗ₋₁)
    return coef_grads, intercept_grads


def loss_and_gradients(xp, coefs, intercepts, X, Y, sample_weight=None, *, activation: str, out_activation: str,
                       loss: str, alpha: float):
    """One forward and one backward pass: (J, coef_grads, intercept_grads), J a 0-d array."""
    activations = forward(xp, coefs, intercepts, X, activation, out_activation)
    J = loss_value(xp, loss, Y, activations[-1], coefs, alpha, sample_weight)
    coef_grads, intercept_grads = backward(xp, coefs, activations, Y, activation, loss, alpha, sample_weight)
    return J, coef_grads, intercept_grads


def flat_loss_and_gradient(xp, theta, X, Y, sample_weight=None, *, layer_units: tuple, activation: str,
                           out_activation: str, loss: str, alpha: float):
    """`loss_and_gradients` on the flat vector θ of every weight and bias (`pack`): (J, ∂J/∂θ).

    The optimizers work on θ: one array instead of two per layer, so a step is a few operations.
    """
    coefs, intercepts = unpack(xp, theta, layer_units)
    J, coef_grads, intercept_grads = loss_and_gradients(xp, coefs, intercepts, X, Y, sample_weight, activation=activation,
                                                        out_activation=out_activation, loss=loss, alpha=alpha)
    return J, pack(xp, coef_grads, intercept_grads)


# ---- initialization and flat parameter vectors ---------------------------------------------


def glorot_uniform(rng, backend, layer_units: list[int], activation: str, dtype: str):
    """Glorot-uniform weights and biases, drawn on the host so a seed gives the same network everywhere.

    Layer l draws Wₗ, then bₗ, uniformly in [-r, r] with r = √(6 / (fan_in + fan_out)), or
    √(2 / (fan_in + fan_out)) when the hidden activation is logistic.

    Returns
    -------
    coefs : list of arrays of shape (layer_units[l], layer_units[l + 1])
    intercepts : list of arrays of shape (layer_units[l + 1],)
    """
    factor = 2.0 if activation == "logistic" else 6.0
    coefs, intercepts = [], []
    for fan_in, fan_out in zip(layer_units[:-1], layer_units[1:]):
        bound = math.sqrt(factor / (fan_in + fan_out))
        coefs.append(draw(rng, backend, "uniform", -bound, bound, (fan_in, fan_out), dtype=dtype))
        intercepts.append(draw(rng, backend, "uniform", -bound, bound, fan_out, dtype=dtype))
    return coefs, intercepts


def pack(xp, coefs, intercepts):
    """Every weight, then every bias, flattened into one vector (for L-BFGS)."""
    return xp.concat([xp.reshape(a, (-1,)) for a in [*coefs, *intercepts]])


def unpack(xp, theta, layer_units):
    """The inverse of `pack`: (coefs, intercepts) as views into the vector `theta`."""
    shapes = list(zip(layer_units[:-1], layer_units[1:]))
    coefs, intercepts, start = [], [], 0
    for fan_in, fan_out in shapes:
        coefs.append(xp.reshape(theta[start:start + fan_in * fan_out], (fan_in, fan_out)))
        start += fan_in * fan_out
    for _, fan_out in shapes:
        intercepts.append(theta[start:start + fan_out])
        start += fan_out
    return coefs, intercepts
