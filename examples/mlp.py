"""A neural network from the inside: backpropagation by hand, then three ways to train it.

    python examples/mlp.py --backend numpy      (or torch, jax, cupy, "torch:cuda", ...)

The data are the 8 x 8 images of handwritten digits shipped with xpml. The script

1. trains a small MLPClassifier, then recomputes its forward pass from `coefs_` and `intercepts_`
   with plain array operations, and its gradient by the chain rule, and checks that gradient
   against finite differences: this is all `fit` does, many times over;
2. trains the same network with Adam, SGD with Nesterov momentum, and plain SGD, and compares their
   loss curves and held-out accuracy;
3. saves a figure (mlp.png): the loss curves, and what the first layer's units look for.
"""

import argparse
import os
import time
import warnings

import numpy as np

import xpml
from xpml import to_numpy
from xpml.datasets import load_digits
from xpml.exceptions import ConvergenceWarning
from xpml.neural_network import MLPClassifier

SHORT = os.environ.get("XPML_EXAMPLE_SMALL") == "1"  # the test suite runs a shortened version


def load_data(seed=0):
    """Digits scaled to [0, 1], split 75/25 at random."""
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    order = np.random.default_rng(seed).permutation(len(X))
    cut = (3 * len(X)) // 4
    return X[order[:cut]], X[order[cut:]], y[order[:cut]], y[order[cut:]]


def backprop_by_hand(model, X, y, backend):
    """Recompute a fitted one-hidden-layer network's output and gradient from its weights alone."""
    xp = backend.xp
    (W1, W2), (b1, b2) = model.coefs_, model.intercepts_  # (64, h), (h, 10), (h,), (10,)
    X = xp.asarray(X.astype(to_numpy(W1).dtype), device=backend.device)  # (n, 64), in the model's dtype
    Y = xp.asarray(np.eye(10)[y], dtype=X.dtype, device=backend.device)  # one-hot targets, (n, 10)
    n = X.shape[0]

    def forward(W1):
        """Hidden layer a1 = relu(X W1 + b1); output P = softmax(a1 W2 + b2); loss = mean cross-entropy."""
        a1 = xp.maximum(X @ W1 + b1, 0.0)  # (n, h)
        z2 = a1 @ W2 + b2  # (n, 10)
        e = xp.exp(z2 - xp.max(z2, axis=1, keepdims=True))
        P = e / xp.sum(e, axis=1, keepdims=True)  # (n, 10)
        loss = -xp.sum(Y * xp.log(P)) / n + model.alpha / (2 * n) * (xp.sum(W1 * W1) + xp.sum(W2 * W2))
        return a1, P, loss

    a1, P, loss = forward(W1)
    same = np.allclose(to_numpy(P), model.predict_proba(to_numpy(X)), rtol=1e-6, atol=1e-9)
    print(f"  forward pass by hand equals predict_proba: {same}")

    # Backward: the error at the output is P - Y; each layer passes it back through its weights,
    # and relu lets it through only where the unit was active.
    delta2 = (P - Y) / n  # ∂loss/∂z2, (n, 10)
    delta1 = (delta2 @ W2.T) * xp.astype(a1 > 0, a1.dtype)  # ∂loss/∂z1, (n, h)
    grad_W1 = X.T @ delta1 + model.alpha / n * W1  # ∂loss/∂W1, (64, h)

    # Check its largest entry: nudge that one weight up and down and watch the loss.
    g = to_numpy(grad_W1)
    i, j = np.unravel_index(np.argmax(np.abs(g)), g.shape)
    eps = 1e-6 if g.dtype == np.float64 else 1e-3  # float32 (jax without x64) resolves less
    bump = np.zeros(g.shape, dtype=g.dtype)
    bump[i, j] = eps
    bump = xp.asarray(bump, device=backend.device)
    numeric = (float(forward(W1 + bump)[2]) - float(forward(W1 - bump)[2])) / (2 * eps)
    print(f"  ∂loss/∂W1[{i}, {j}]: backprop {float(grad_W1[i, j]):.8f}, finite difference {numeric:.8f}")


def compare_solvers(X_train, X_test, y_train, y_test, backend):
    """The same network and seed, trained three ways for the same number of epochs."""
    solvers = {
        "Adam": dict(solver="adam", learning_rate_init=1e-3),
        "SGD, Nesterov momentum": dict(solver="sgd", learning_rate_init=0.1, momentum=0.9),
        "SGD, no momentum": dict(solver="sgd", learning_rate_init=0.1, momentum=0.0),
    }
    fitted = {}
    for name, params in solvers.items():
        model = MLPClassifier(hidden_layer_sizes=(32,), batch_size=64, max_iter=40 if SHORT else 1000,
                              random_state=0, backend=backend, **params)
        start = time.perf_counter()
        with warnings.catch_warnings():
            if SHORT:  # a shortened run stops before convergence, by design
                warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X_train, y_train)
        seconds = time.perf_counter() - start
        print(f"  {name:<24} {model.n_iter_:>3} epochs, final loss {model.loss_:.4f}, "
              f"held-out accuracy {model.score(X_test, y_test):.4f}  ({seconds:.2f} s)")
        fitted[name] = model
    return fitted


def plot(fitted, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(11, 4.5))
    ax = fig.add_subplot(1, 2, 1)
    for name, model in fitted.items():
        ax.plot(np.arange(1, len(model.loss_curve_) + 1), model.loss_curve_, label=name)
    ax.set(xlabel="epoch", ylabel="training loss (cross-entropy + L2)", yscale="log", title="Loss curves")
    ax.legend()

    W1 = to_numpy(fitted["Adam"].coefs_[0])  # (64, 32): column j is what hidden unit j responds to
    grid = fig.add_gridspec(4, 8, left=0.55, right=0.98, top=0.86, bottom=0.14, wspace=0.08, hspace=0.08)
    for j in range(32):
        cell = fig.add_subplot(grid[j // 8, j % 8])
        limit = np.abs(W1[:, j]).max()
        cell.imshow(W1[:, j].reshape(8, 8), cmap="RdBu", vmin=-limit, vmax=limit)
        cell.set_axis_off()
    fig.text(0.765, 0.93, "First-layer weights of the 32 hidden units (Adam)", ha="center")
    fig.savefig(path, dpi=120)
    print(f"saved {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", default="numpy", help="numpy, torch, jax, cupy, array_api_strict, 'torch:cuda', ...")
    parser.add_argument("--out", default="mlp.png", help="where to save the figure")
    args = parser.parse_args()
    backend = xpml.make_backend(args.backend)
    X_train, X_test, y_train, y_test = load_data()

    print(f"1. Backpropagation by hand, on {backend.name}")
    small = MLPClassifier(hidden_layer_sizes=(16,), max_iter=20, random_state=0, backend=backend)
    with warnings.catch_warnings():  # 20 epochs are not convergence, and need not be for this check
        warnings.simplefilter("ignore", ConvergenceWarning)
        small.fit(X_train, y_train)
    backprop_by_hand(small, X_train[:100], y_train[:100], backend)

    print("2. Three solvers, one network (32 hidden units)")
    fitted = compare_solvers(X_train, X_test, y_train, y_test, backend)
    plot(fitted, args.out)


if __name__ == "__main__":
    main()
