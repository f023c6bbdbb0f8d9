"""Principal component analysis: the few directions that carry most of the variance, on any backend.

We find the principal axes of 8 x 8 images of handwritten digits, check them against the eigenvalues
of the covariance matrix, rebuild the images from a few components by hand and measure what is lost,
and draw the digits in the plane of the first two components. Run it with a backend of your choice:

    python examples/pca.py --backend torch
"""

import argparse

import numpy as np

import xpml
from xpml.datasets import load_digits
from xpml.decomposition import PCA

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--backend", default="numpy", help="numpy, torch, jax, cupy, torch:cuda, ...")
parser.add_argument("--out", default="pca.png", help="where to save the figure")
args = parser.parse_args()
xpml.set_backend(args.backend)

# 1. The data: 1797 images of handwritten digits, 8 x 8 pixels of ink from 0 to 16, one row of 64 per image.
X, y = load_digits(return_X_y=True)
n, p = X.shape
print(f"X: {X.shape}, y: {y.shape}, pixel values {X.min():.0f} to {X.max():.0f}")

# 2. Fit. PCA centres the data and finds orthonormal directions (the rows of components_) in order of
#    decreasing variance of the data along them: the first is the direction of largest variance, the
#    second the largest among those orthogonal to it, and so on.
pca = PCA().fit(X)  # all 64 components
ratio = xpml.to_numpy(pca.explained_variance_ratio_)  # (64,)
cumulative = np.cumsum(ratio)
print(f"the first two components explain {cumulative[1]:.1%} of the variance  (backend: {xpml.get_backend().name})")
for share in (0.5, 0.8, 0.9, 0.95):
    print(f"  {share:.0%} of the variance needs {int(np.searchsorted(cumulative, share)) + 1:2d} of {p} components")

# 3. The closed form: the components are the eigenvectors of the covariance matrix, and the variances
#    along them (explained_variance_) are its eigenvalues, largest first.
V = xpml.to_numpy(pca.components_)  # (64, 64), one component per row
eigenvalues = np.linalg.eigvalsh(np.cov(X, rowvar=False))[::-1]  # (64,), decreasing
print(f"largest difference from the eigenvalues of the covariance: "
      f"{np.abs(xpml.to_numpy(pca.explained_variance_) - eigenvalues).max():.2e}; "
      f"components orthonormal: {np.allclose(V @ V.T, np.eye(p))}")

# 4. Compression by hand. Keep k components: each image becomes k numbers, z = (x - mean) Vₖᵀ, and comes
#    back as x̂ = z Vₖ + mean. What is lost is the variance along the discarded directions: the mean
#    squared error per image is (n - 1)/n times the sum of the discarded eigenvalues.
mean = xpml.to_numpy(pca.mean_)  # (64,)
variance = xpml.to_numpy(pca.explained_variance_)  # (64,)
reconstructions = {}
for k in (2, 5, 10, 20, 40):
    Z = (X - mean) @ V[:k].T  # (n, k)
    X_hat = Z @ V[:k] + mean  # (n, 64)
    reconstructions[k] = X_hat
    error = np.mean(np.sum((X - X_hat) ** 2, axis=1))
    closed = (n - 1) / n * variance[k:].sum()
    print(f"  k = {k:2d}: {k:2d} numbers per image instead of {p}, mean ‖x - x̂‖² = {error:6.2f}"
          f" (closed form {closed:6.2f})")

# 5. The same with the model's own transform and inverse_transform, for k = 10.
pca10 = PCA(n_components=10).fit(X)
X_back = pca10.inverse_transform(pca10.transform(X))
print(f"PCA(n_components=10): largest difference from the reconstruction by hand: "
      f"{np.abs(X_back - reconstructions[10]).max():.2e}")

# 6. A picture: explained variance per component, the digits in the plane of the first two components,
#    and one image rebuilt from more and more components.
from matplotlib.figure import Figure  # noqa: E402  (imported here: only this step draws)

from xpml import plot  # noqa: E402

fig = Figure(figsize=(12, 8.5), layout="constrained")
top, bottom = fig.subfigures(2, 1, height_ratios=[2.2, 1.2])
left, right = top.subplots(1, 2)
plot.explained_variance(pca, ax=left, title="Explained variance of the 64 components")
Z2 = (X - mean) @ V[:2].T  # (n, 2)
for digit in range(10):
    points = Z2[y == digit]
    right.scatter(points[:, 0], points[:, 1], s=6, alpha=0.6, color=f"C{digit}", label=str(digit))
right.set(xlabel=f"principal component 1 ({ratio[0]:.1%} of the variance)",
          ylabel=f"principal component 2 ({ratio[1]:.1%} of the variance)",
          title="The digits projected on 2 components")
right.legend(title="digit", fontsize="small", markerscale=2.5, loc="center left", bbox_to_anchor=(1.0, 0.5))
image = int(np.flatnonzero(y == 3)[0])
panels = bottom.subplots(1, len(reconstructions) + 1)
for ax, (k, X_hat) in zip(panels, [*reconstructions.items(), (p, X)]):
    ax.imshow(X_hat[image].reshape(8, 8), cmap="gray_r", vmin=0, vmax=16)
    ax.set_title("original" if k == p else f"{k} components", fontsize="medium")
    ax.set_axis_off()
bottom.suptitle(f"A handwritten 3 (image {image}) rebuilt from its first k components", fontsize="medium")
fig.savefig(args.out, dpi=100)
print(f"saved {args.out}")
