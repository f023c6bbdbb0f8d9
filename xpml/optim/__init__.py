"""Optimizers, written once on the array API and shared by the models.

Full-batch minimizers take `fun(x) -> (loss, grad)` (loss a 0-d array, grad shaped like x) and a
start `x0`, run on the library and device of `x0`, and return an `OptimizeResult`:

- `lbfgs`: L-BFGS with a strong-Wolfe line search (smooth losses: logistic regression, MLP).
- `gradient_descent`: gradient descent with (Nesterov) momentum.
- `fista`: accelerated proximal gradient for a smooth loss plus a penalty with a cheap proximal
  operator, such as `soft_threshold` for L1 (Lasso, elastic net).

`newton_maximize` finds the maxima of a batch of functions of one variable, each over its own interval,
all at once, from their slopes and curvatures (Newton steps on the slope, guarded by a bracket that
falls back to bisection): PowerTransformer's λ.

Per-step optimizers for minibatch training hold their state for a list of parameter arrays and
return new parameters from `step(params, grads)`: `SGD` (momentum, Nesterov) and `Adam`.
"""

from ._first_order import fista, gradient_descent, soft_threshold
from ._lbfgs import lbfgs
from ._line_search import strong_wolfe
from ._result import OptimizeResult, check_finite_loss
from ._scalar import newton_maximize
from ._stochastic import SGD, Adam

__all__ = [
    "SGD",
    "Adam",
    "OptimizeResult",
    "check_finite_loss",
    "fista",
    "gradient_descent",
    "lbfgs",
    "newton_maximize",
    "soft_threshold",
    "strong_wolfe",
]
