"""One epoch of MLPClassifier training: 10 classes, hidden layers (256, 128), Adam, batches of 256.

The data are float32 and training stays in float32. Each run fits a fresh network for one epoch
(max_iter=1), so the time is the time per epoch plus the small cost of validating the input and
drawing the initial weights; the score is the training loss after that epoch (lower is better).
"""

import warnings

from .._harness import Workload, host_data

HIDDEN, BATCH, N_CLASSES = (256, 128), 256, 10


def make_data(n, p, rng):
    y = rng.integers(0, N_CLASSES, n)
    centres = rng.standard_normal((N_CLASSES, p))
    X = centres[y] + 2.0 * rng.standard_normal((n, p))  # overlapping classes: the loss stays informative
    return host_data("float32", X, y)


def _one_epoch(model, X, y):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*max_iter=1.*|.*Maximum iterations \\(1\\).*")
        return model.fit(X, y)


def run_xpml(backend, X, y):
    from xpml._backend import to_backend
    from xpml.neural_network import MLPClassifier

    Xb = to_backend(X, backend)  # the features already live on the device; labels are read on the host

    def run():
        model = _one_epoch(MLPClassifier(hidden_layer_sizes=HIDDEN, batch_size=BATCH, max_iter=1, random_state=0,
                                         backend=backend), Xb, y)
        return model.coefs_[-1], model.loss_

    return run


def run_sklearn(X, y):
    from sklearn.neural_network import MLPClassifier

    def run():
        model = _one_epoch(MLPClassifier(hidden_layer_sizes=HIDDEN, batch_size=BATCH, max_iter=1, random_state=0), X, y)
        return model.coefs_[-1], model.loss_

    return run


def flops(n, p):
    """Matrix products of one epoch: forward aW, backward aᵀδ and δWᵀ (none for the input layer)."""
    units = [p, *HIDDEN, N_CLASSES]
    per_sample = sum(a * b for a, b in zip(units[:-1], units[1:]))
    return 2.0 * n * (3 * per_sample - units[0] * units[1])


WORKLOAD = Workload(
    name="mlp",
    sizes={"quick": [(5_000, 64)], "full": [(50_000, 64)], "large": [(2_000_000, 128)]},
    dtype="float32",
    make_data=make_data,
    run_xpml=run_xpml,
    run_sklearn=run_sklearn,
    flops=flops,
    gemm=lambda n, p: (BATCH, HIDDEN[0], HIDDEN[1]),  # a batch through the widest hidden layer
    notes="time per epoch (max_iter=1); score: the training loss after the epoch",
)
