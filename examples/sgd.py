"""Stochastic gradient descent: a linear classifier that learns a little from every batch, on any backend.

We train SGDClassifier with two losses, the hinge (a linear support vector machine) and the log loss
(logistic regression), check the log-loss model against LogisticRegression's exact optimum, then feed
the data in as a stream of batches with partial_fit and watch the held-out accuracy after each.
Run it with a backend of your choice:

    python examples/sgd.py --backend torch
"""

import argparse
import os

import numpy as np

import xpml
from xpml.datasets import make_classification
from xpml.linear_model import LogisticRegression, SGDClassifier
from xpml.model_selection import train_test_split
from xpml.preprocessing import StandardScaler

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--backend", default="numpy", help="numpy, torch, jax, cupy, torch:cuda, ...")
parser.add_argument("--out", default="sgd.png", help="where to save the figure")
args = parser.parse_args()
xpml.set_backend(args.backend)
SMALL = os.environ.get("XPML_EXAMPLE_SMALL") == "1"  # the test suite runs a shortened version

# 1. The data: a synthetic two-class problem with 20 features, of which 4 carry the signal, 4 are
#    mixtures of those, and 12 are noise; 2% of the labels are flipped at random. make_classification
#    builds it on the backend. SGD takes steps of the same size in every direction, so standardize first.
n_samples = 3000 if SMALL else 8000
X, y = make_classification(n_samples, 20, n_informative=4, n_redundant=4, n_clusters_per_class=1,
                           class_sep=0.6, flip_y=0.02, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
print(f"X_train: {tuple(X_train.shape)}, X_test: {tuple(X_test.shape)}, on {xpml.get_backend().name}")

# 2. Two losses of the margin m = y·(x·w + b), with y = ±1. Hinge: max(0, 1 - m), zero once a sample is
#    on the right side with a margin of 1 (a linear SVM). Log loss: log(1 + e^(-m)), never quite zero
#    (logistic regression). Each SGD step moves w against the gradient of the loss on a few samples,
#    plus the penalty α‖w‖²/2.
alpha = 1e-3
models = {loss: SGDClassifier(loss=loss, alpha=alpha, random_state=0).fit(X_train, y_train)
          for loss in ("hinge", "log_loss")}
for loss, model in models.items():
    print(f"  loss={loss!r:<11} held-out accuracy {model.score(X_test, y_test):.3f} after {model.n_iter_} epochs")
print(f"the log loss models a probability: predict_proba exists for log_loss "
      f"({hasattr(models['log_loss'], 'predict_proba')}), not for hinge ({hasattr(models['hinge'], 'predict_proba')})")

# 3. What it learned, by hand: the score is x·w + b (decision_function), and with the log loss the
#    probability of class 1 is the sigmoid of that score.
model = models["log_loss"]
Xt, w, b = xpml.to_numpy(X_test), xpml.to_numpy(model.coef_)[0], float(xpml.to_numpy(model.intercept_)[0])
score = Xt @ w + b  # (n_test,)
proba = 1 / (1 + np.exp(-score))  # (n_test,)
print(f"x·w + b by hand against decision_function: "
      f"{np.abs(score - xpml.to_numpy(model.decision_function(X_test))).max():.1e}; "
      f"σ(x·w + b) against predict_proba: {np.abs(proba - xpml.to_numpy(model.predict_proba(X_test))[:, 1]).max():.1e}")

# 4. A check against the exact answer. SGD with the log loss minimizes (1/n) Σ log(1 + e^(-m)) + α‖w‖²/2,
#    which is LogisticRegression's objective with C = 1/(n α); L-BFGS solves that one to high precision.
exact = LogisticRegression(C=1 / (alpha * X_train.shape[0])).fit(X_train, y_train)
v = xpml.to_numpy(exact.coef_)[0]
print(f"SGD's weights against LogisticRegression's: cosine {w @ v / np.linalg.norm(w) / np.linalg.norm(v):.4f}, "
      f"held-out accuracy {model.score(X_test, y_test):.3f} against {exact.score(X_test, y_test):.3f}")

# 5. A stream. When the data arrive in batches (or do not fit in memory), partial_fit runs one pass
#    over each batch as it comes, continuing from the weights and the step count so far. The first call
#    must name every class. Plain SGD's weights jitter with each step; average=True predicts with the
#    running average of the weights instead, which steadies them.
batch = 100 if SMALL else 200
n_batches = min(12 if SMALL else 30, X_train.shape[0] // batch)
curves = {}
for loss in ("hinge", "log_loss"):
    for average in (False, True):
        stream = SGDClassifier(loss=loss, alpha=alpha, average=average, batch_size=10, random_state=0)
        accuracy = []
        for i in range(n_batches):
            rows = slice(i * batch, (i + 1) * batch)
            stream.partial_fit(X_train[rows], y_train[rows], classes=[0, 1])
            accuracy.append(stream.score(X_test, y_test))
        curves[(loss, average)] = accuracy
print(f"held-out accuracy after batches 1, 2, 5, {n_batches // 2} and {n_batches} of {batch} samples:")
for (loss, average), accuracy in curves.items():
    picks = [accuracy[j - 1] for j in (1, 2, 5, n_batches // 2, n_batches)]
    print(f"  {loss:<8} {'averaged' if average else 'plain':<8} " + "  ".join(f"{a:.3f}" for a in picks))

# 6. A picture: the accuracy after each batch of the stream, and the two losses as functions of the margin.
from matplotlib.figure import Figure  # noqa: E402  (imported here: only this step draws)

fig = Figure(figsize=(11, 4.3), layout="constrained")
left, right = fig.subplots(1, 2, width_ratios=[1.6, 1])
batches = np.arange(1, n_batches + 1)
for (loss, average), accuracy in curves.items():
    colour = "tab:blue" if loss == "hinge" else "tab:orange"
    left.plot(batches, accuracy, color=colour, linewidth=2 if average else 1, alpha=1 if average else 0.6,
              linestyle="-" if average else "--", marker="." if average else None,
              label=f"{loss}, {'averaged weights' if average else 'plain'}")
for loss, model in models.items():
    left.axhline(model.score(X_test, y_test), color="tab:blue" if loss == "hinge" else "tab:orange",
                 linestyle=":", linewidth=1)
left.axhline(np.nan, color="grey", linestyle=":", linewidth=1, label="fit on all the data (each loss)")
left.set(xlabel=f"batches seen ({batch} samples each)", ylabel="held-out accuracy",
         title="Learning from a stream with partial_fit")
left.grid(alpha=0.3)
left.legend(fontsize="small", loc="lower right")
m = np.linspace(-3, 3, 200)
right.plot(m, np.maximum(0, 1 - m), label="hinge: max(0, 1 - m)")
right.plot(m, np.log1p(np.exp(-m)), label="log loss: log(1 + e^(-m))")
right.plot(m, (m < 0).astype(float), color="grey", linestyle="--", label="0-1 loss: m < 0")
right.set(xlabel="margin m = y · (x·w + b)", ylabel="loss", title="The two losses")
right.grid(alpha=0.3)
right.legend(fontsize="small")
fig.savefig(args.out, dpi=100)
print(f"saved {args.out}")
