"""Linear regression by least squares, on any backend.

We fit a straight line, then a plane, to the diabetes data, and check the answer against the
normal equations solved by hand. Run it with a backend of your choice:

    python examples/linear_regression.py --backend torch
"""

import argparse

import numpy as np

import xpml
from xpml.datasets import load_diabetes
from xpml.linear_model import LinearRegression

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--backend", default="numpy", help="numpy, torch, jax, cupy, torch:cuda, ...")
parser.add_argument("--out", default="linear_regression.png", help="where to save the figure")
args = parser.parse_args()
xpml.set_backend(args.backend)

# 1. The data: 442 patients, 10 baseline measurements, and disease progression one year later.
data = load_diabetes()
X, y = data.data, data.target
print(f"X: {X.shape}, y: {y.shape}, features: {', '.join(data.feature_names)}")

# 2. Hold out a quarter of the patients to measure how well the model generalizes.
order = np.random.default_rng(0).permutation(len(X))
train, test = order[: 3 * len(X) // 4], order[3 * len(X) // 4 :]

# 3. One feature first: body-mass index ("bmi") against progression is a straight line y = w x + b.
bmi = data.feature_names.index("bmi")
line = LinearRegression().fit(X[train][:, [bmi]], y[train])
print(f"bmi only:     y = {float(line.coef_[0]):.1f} * bmi + {float(line.intercept_):.1f}"
      f"   R² on held-out patients = {line.score(X[test][:, [bmi]], y[test]):.3f}")

# 4. All ten features. Least squares minimizes the sum of squared residuals, ||y - X w - b||².
model = LinearRegression().fit(X[train], y[train])
print(f"all features: R² on held-out patients = {model.score(X[test], y[test]):.3f}  (backend: {xpml.get_backend().name})")

# 5. The same answer by hand: centre the data, then solve the normal equations (XᵀX) w = Xᵀy.
Xc, yc = X[train] - X[train].mean(axis=0), y[train] - y[train].mean()
w = np.linalg.solve(Xc.T @ Xc, Xc.T @ yc)
print(f"largest difference from the normal equations: {np.abs(xpml.to_numpy(model.coef_) - w).max():.2e}")

# 6. A picture: the line through the bmi data, and predicted against true progression for all features.
from matplotlib.figure import Figure  # noqa: E402  (imported here: only this step draws)

fig = Figure(figsize=(10, 4), layout="constrained")
left, right = fig.subplots(1, 2)
left.scatter(X[test][:, bmi], y[test], s=12, alpha=0.7, label="held-out patients")
grid = np.linspace(X[:, bmi].min(), X[:, bmi].max(), 50)[:, None]
left.plot(grid[:, 0], line.predict(grid), color="tab:red", label="least-squares line")
left.set(xlabel="body-mass index (scaled)", ylabel="disease progression", title="One feature")
left.legend()
right.scatter(y[test], model.predict(X[test]), s=12, alpha=0.7)
right.plot([y.min(), y.max()], [y.min(), y.max()], color="grey", linestyle="--", label="perfect prediction")
right.set(xlabel="true progression", ylabel="predicted progression", title="All ten features (held out)")
right.legend()
fig.savefig(args.out, dpi=100)
print(f"saved {args.out}")
