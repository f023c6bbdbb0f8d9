"""The losses stochastic gradient descent minimizes, and their derivatives, on the array API.

A linear model scores a sample x with p = w·x + b. Each loss L(y, p) says how bad the score p is
for the target y, and `gradient` gives ∂L/∂p, from which SGD forms the step for w (∂L/∂p · x) and
for b (∂L/∂p). Classification losses take y in {-1, +1} and depend on the margin z = y·p;
regression losses take a real y and depend on the residual r = p - y.

| loss                          | L(y, p)                                        | ∂L/∂p                          |
| ----------------------------- | ---------------------------------------------- | ------------------------------ |
| hinge (threshold θ=1)         | max(0, θ - z)                                   | -y if z <= θ, else 0           |
| perceptron                    | hinge with θ = 0                                | -y if z <= 0, else 0           |
| squared_hinge                 | max(0, 1 - z)²                                  | -2y · max(0, 1 - z)            |
| log_loss                      | log(1 + exp(-z))                                | -y / (1 + exp(z))              |
| modified_huber                | 0 if z >= 1; (1 - z)² if z >= -1; else -4z      | 0; -2y(1 - z); -4y             |
| squared_error                 | r² / 2                                          | r                              |
| huber (ε)                     | r²/2 if |r| <= ε, else ε|r| - ε²/2             | clip(r, -ε, ε)                 |
| epsilon_insensitive (ε)       | max(0, |r| - ε)                                 | sign(r) if |r| > ε, else 0     |
| squared_epsilon_insensitive   | max(0, |r| - ε)²                                | 2 (r - clip(r, -ε, ε))         |

These are the losses of scikit-learn's SGDClassifier and SGDRegressor, so the two minimize the
same objective. A loss whose ∂L/∂p is bounded for targets ±1 (hinge, perceptron, log_loss,
modified_huber: |∂L/∂p| <= 4) says so with `bounded = True`: the SGD step skips its clip at ±1e12 there.
Each is a frozen dataclass: two losses with the same parameters are equal, so a compiled SGD step
(`_sgd_steps`) made for one serves the other. References: T. Zhang, "Solving large scale linear
prediction problems using stochastic gradient descent algorithms", ICML 2004 (modified Huber);
P. J. Huber, "Robust estimation of a location parameter", 1964.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CLASSIFICATION_LOSSES", "REGRESSION_LOSSES", "make_loss"]


@dataclass(frozen=True)
class Hinge:
    """max(0, θ - y·p): the SVM's loss with θ = 1, the perceptron's with θ = 0."""

    threshold: float = 1.0
    bounded = True  # |∂L/∂p| <= 1 for targets ±1 (not a field: no annotation)

    def value(self, xp, y, p):
        return xp.maximum(self.threshold - y * p, 0.0)

    def gradient(self, xp, y, p):
        return xp.where(y * p <= self.threshold, -y, 0.0)


@dataclass(frozen=True)
class SquaredHinge:
    """max(0, 1 - y·p)²: a smooth hinge."""

    def value(self, xp, y, p):
        return xp.maximum(1.0 - y * p, 0.0) ** 2

    def gradient(self, xp, y, p):
        return -2.0 * y * xp.maximum(1.0 - y * p, 0.0)


@dataclass(frozen=True)
class LogLoss:
    """log(1 + exp(-y·p)): logistic regression's loss, computed without overflow."""

    bounded = True  # |∂L/∂p| <= 1 for targets ±1

    def value(self, xp, y, p):
        return xp.logaddexp(xp.zeros_like(p), -y * p)

    def gradient(self, xp, y, p):
        z = y * p
        e = xp.exp(-xp.abs(z))  # in (0, 1]: never overflows
        sigmoid_minus_z = xp.where(z >= 0, e / (1.0 + e), 1.0 / (1.0 + e))  # 1 / (1 + exp(z))
        return -y * sigmoid_minus_z


@dataclass(frozen=True)
class ModifiedHuber:
    """A quadratically smoothed hinge that grows linearly for badly wrong margins (z < -1)."""

    bounded = True  # |∂L/∂p| <= 4 for targets ±1

    def value(self, xp, y, p):
        z = y * p
        return xp.where(z >= -1.0, xp.maximum(1.0 - z, 0.0) ** 2, -4.0 * z)

    def gradient(self, xp, y, p):
        z = y * p
        return -y * xp.where(z >= -1.0, 2.0 * xp.maximum(1.0 - z, 0.0), 4.0)


@dataclass(frozen=True)
class SquaredError:
    """(p - y)² / 2: least squares."""

    def value(self, xp, y, p):
        return 0.5 * (p - y) ** 2

    def gradient(self, xp, y, p):
        return p - y


@dataclass(frozen=True)
class Huber:
    """Squared error for residuals up to ε, absolute error beyond: robust to outliers."""

    epsilon: float

    def value(self, xp, y, p):
        r = xp.abs(p - y)
        eps = self.epsilon
        return xp.where(r <= eps, 0.5 * r**2, eps * r - 0.5 * eps * eps)  # eps * eps: inf, not an error, past 1e154

    def gradient(self, xp, y, p):
        return xp.minimum(xp.maximum(p - y, -self.epsilon), self.epsilon)


@dataclass(frozen=True)
class EpsilonInsensitive:
    """max(0, |p - y| - ε), or its square: residuals within ε cost nothing (support vector regression)."""

    epsilon: float
    squared: bool = False

    def value(self, xp, y, p):
        excess = xp.maximum(xp.abs(p - y) - self.epsilon, 0.0)
        return excess**2 if self.squared else excess

    def gradient(self, xp, y, p):
        r = p - y
        if self.squared:  # 2 sign(r) max(0, |r| - ε)
            return 2.0 * (r - xp.minimum(xp.maximum(r, -self.epsilon), self.epsilon))
        return xp.where(xp.abs(r) > self.epsilon, xp.sign(r), 0.0)


REGRESSION_LOSSES = ("squared_error", "huber", "epsilon_insensitive", "squared_epsilon_insensitive")
CLASSIFICATION_LOSSES = ("hinge", "log_loss", "modified_huber", "squared_hinge", "perceptron") + REGRESSION_LOSSES


def make_loss(name: str, epsilon: float):
    """The loss object for a `loss=` name; `epsilon` is used by the ε-losses and huber."""
    return {
        "hinge": lambda: Hinge(1.0),
        "perceptron": lambda: Hinge(0.0),
        "squared_hinge": SquaredHinge,
        "log_loss": LogLoss,
        "modified_huber": ModifiedHuber,
        "squared_error": SquaredError,
        "huber": lambda: Huber(epsilon),
        "epsilon_insensitive": lambda: EpsilonInsensitive(epsilon),
        "squared_epsilon_insensitive": lambda: EpsilonInsensitive(epsilon, squared=True),
    }[name]()
