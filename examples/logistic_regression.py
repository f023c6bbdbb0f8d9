"""Logistic regression: turning a linear score into a probability, on any backend.

We tell malignant from benign breast tumours with a standardizing pipeline and logistic regression,
recompute its probabilities by hand with the sigmoid, and measure it with a confusion matrix and a
ROC curve. Run it with a backend of your choice:

    python examples/logistic_regression.py --backend torch
"""

import argparse

import numpy as np

import xpml
from xpml.datasets import load_breast_cancer
from xpml.linear_model import LogisticRegression
from xpml.metrics import confusion_matrix, roc_auc_score
from xpml.model_selection import train_test_split
from xpml.pipeline import make_pipeline
from xpml.preprocessing import StandardScaler

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--backend", default="numpy", help="numpy, torch, jax, cupy, torch:cuda, ...")
parser.add_argument("--out", default="logistic_regression.png", help="where to save the figure")
args = parser.parse_args()
xpml.set_backend(args.backend)

# 1. The data: 569 tumours, 30 measurements of their cell nuclei (radius, texture, ...), and a diagnosis.
data = load_breast_cancer()
X, y = data.data, data.target
names = data.target_names  # label 0 is "malignant", label 1 is "benign"
print(f"X: {X.shape}, y: {y.shape}, " + ", ".join(f"{int((y == k).sum())} {names[k]}" for k in (0, 1)))

# 2. Hold out a quarter of the tumours; stratify so that both parts keep the same share of each diagnosis.
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
print(f"train: {len(y_train)} tumours, test: {len(y_test)} tumours")

# 3. The model. The features range from 0.001 (smoothness) to 4000 (area), so first standardize each
#    to mean 0 and variance 1; then logistic regression gives a score z = x·w + b and the probability
#    P(benign | x) = σ(z) = 1 / (1 + e^(-z)). Fitting maximizes the likelihood of the training labels.
model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0)).fit(X_train, y_train)
scaler, logistic = model.named_steps["standardscaler"], model.named_steps["logisticregression"]
print(f"held-out accuracy: {model.score(X_test, y_test):.3f}  (backend: {xpml.get_backend().name}, "
      f"{logistic.n_iter_} L-BFGS iterations)")

# 4. What it learned: one weight per standardized feature. A positive weight pushes towards benign.
w = xpml.to_numpy(logistic.coef_)[0]  # (30,)
b = float(xpml.to_numpy(logistic.intercept_)[0])
print("largest weights (per standard deviation of the feature):")
for j in np.argsort(-np.abs(w))[:5]:
    print(f"  {data.feature_names[j]:<24} {w[j]:+.2f}")

# 5. Probabilities, not just labels: a few held-out tumours, from the most to the least certain.
proba = model.predict_proba(X_test)  # (n_test, 2): P(malignant), P(benign)
print("a few held-out tumours, from the most to the least certain:")
for i in np.argsort(np.abs(proba[:, 1] - 0.5))[::-1][[0, 1, len(y_test) // 2, -2, -1]]:
    print(f"  tumour {i:3d}: P(benign) = {proba[i, 1]:.3f}  ->  predicted {names[int(proba[i, 1] > 0.5)]:<9}"
          f"  truly {names[y_test[i]]}")

# 6. The same probabilities by hand: standardize with the scaler's mean and scale, take the score
#    z = x·w + b, and squash it through the sigmoid.
Z = (X_test - xpml.to_numpy(scaler.mean_)) / xpml.to_numpy(scaler.scale_)  # (n_test, 30)
z = Z @ w + b  # (n_test,)
by_hand = 1.0 / (1.0 + np.exp(-z))
print(f"largest difference between σ(x·w + b) by hand and predict_proba: {np.abs(by_hand - proba[:, 1]).max():.2e}")

# 7. Which mistakes it makes. Rows are the true diagnosis, columns the predicted one. The ROC curve
#    shows every trade-off between the two kinds of mistake as the 0.5 threshold moves; its area (AUC)
#    is the chance that a random benign tumour scores higher than a random malignant one.
y_pred = model.predict(X_test)
matrix = confusion_matrix(y_test, y_pred)
print(f"confusion matrix (rows: true {names[0]}, {names[1]}):\n{matrix}")
print(f"missed malignant tumours: {matrix[0, 1]} of {matrix[0].sum()}; "
      f"ROC AUC = {roc_auc_score(y_test, proba[:, 1]):.4f}")

# 8. A picture: the confusion matrix, and the ROC curve of P(benign).
from matplotlib.figure import Figure  # noqa: E402  (imported here: only this step draws)

from xpml import plot  # noqa: E402

fig = Figure(figsize=(10, 4.3), layout="constrained")
left, right = fig.subplots(1, 2)
plot.confusion_matrix(names[y_test], names[y_pred], labels=names, ax=left,
                      title=f"Held-out tumours (accuracy {np.mean(y_pred == y_test):.3f})")
plot.roc_curve(y_test, proba[:, 1], ax=right, label="logistic regression", title="ROC curve of P(benign)")
right.set(xlabel="false positive rate (malignant called benign)", ylabel="true positive rate (benign called benign)")
fig.savefig(args.out, dpi=100)
print(f"saved {args.out}")
