"""k-means clustering: finding groups in unlabelled points, on any backend.

We draw points around four hidden centres, let KMeans find them again, recompute its inertia by hand
with array-API calls, see why k-means++ seeding matters, and use the "elbow" to choose the number
of clusters. Run it with a backend of your choice:

    python examples/kmeans.py --backend torch
"""

import argparse
import os

import numpy as np

import xpml
from xpml.cluster import KMeans
from xpml.datasets import make_blobs
from xpml.metrics import adjusted_rand_score

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--backend", default="numpy", help="numpy, torch, jax, cupy, torch:cuda, ...")
parser.add_argument("--out", default="kmeans.png", help="where to save the figure")
args = parser.parse_args()
backend = xpml.set_backend(args.backend)
xp = backend.xp  # the backend's array namespace: the same calls work on numpy, torch, cupy and jax
SMALL = os.environ.get("XPML_EXAMPLE_SMALL") == "1"  # the test suite runs a shortened version

# 1. The data: points scattered around 4 centres in the plane. make_blobs builds them on the backend
#    (from host random draws, so the same seed gives the same points everywhere). KMeans never sees
#    the true blob of each point: it gets X alone.
n_samples = 300 if SMALL else 1500
X, blob, true_centers = make_blobs(n_samples, centers=4, cluster_std=1.0, random_state=1, return_centers=True)
print(f"X: {tuple(X.shape)} {type(X).__module__}.{type(X).__name__} on {backend.device}, 4 hidden centres")

# 2. Fit. Lloyd's algorithm alternates two steps until the centres stop moving: give every point to its
#    nearest centre, then move every centre to the mean of its points. Each step can only lower the
#    inertia, the sum of squared distances from the points to their centres.
model = KMeans(n_clusters=4, init="k-means++", random_state=0).fit(X)
print(f"KMeans converged in {model.n_iter_} iterations, inertia = {model.inertia_:.1f}")

# 3. What it learned: 4 centres. Match each to the nearest hidden one; the cluster numbers are arbitrary,
#    which is why the adjusted Rand index compares groupings, not numbers (1 = the same grouping).
found, hidden = xpml.to_numpy(model.cluster_centers_), xpml.to_numpy(true_centers)  # (4, 2), (4, 2)
for c in found[np.argsort(found[:, 0])]:
    nearest = hidden[np.argmin(((hidden - c) ** 2).sum(axis=1))]
    print(f"  centre ({c[0]:6.2f}, {c[1]:6.2f})   hidden centre ({nearest[0]:6.2f}, {nearest[1]:6.2f})")
print(f"adjusted Rand index against the hidden blobs: {adjusted_rand_score(blob, model.labels_):.3f}")

# 4. The inertia by hand, with the backend's own array functions: the squared distance from every point
#    to every centre, the nearest centre of each point, and the sum of those squared distances.
C = model.cluster_centers_  # (4, 2), an array of the backend
D = xp.sum((X[:, None, :] - C[None, :, :]) ** 2, axis=2)  # (n, 4)
labels = xp.argmin(D, axis=1)  # (n,)
inertia = float(xp.sum(xp.min(D, axis=1)))
print(f"inertia by hand: {inertia:.1f} (KMeans: {model.inertia_:.1f}); "
      f"labels agree: {bool(xp.all(labels == model.labels_))}")

# 5. Why k-means++. Lloyd's algorithm only finds a local minimum, so the start matters. "random" starts
#    from 4 random points, and often puts two of them in one blob and none in another; k-means++ picks
#    each new start with probability proportional to its squared distance from the starts so far,
#    which spreads them out. One run each, from different seeds:
seeds = range(6 if SMALL else 20)
runs = {init: [KMeans(n_clusters=4, init=init, n_init=1, random_state=s).fit(X) for s in seeds]
        for init in ("random", "k-means++")}
best = min(run.inertia_ for models in runs.values() for run in models)
for init, models in runs.items():
    inertias = np.array([run.inertia_ for run in models])
    print(f"  init={init!r:<12} reaches the best inertia in {np.sum(inertias < 1.01 * best):2d} of {len(seeds)} runs;"
          f" worst run {inertias.max():8.1f}")
worst = max(runs["random"], key=lambda run: run.inertia_)

# 6. How many clusters? Inertia always falls as k grows (k = n gives 0), so look for the "elbow": the k
#    after which another cluster buys little.
ks = list(range(1, 8 if SMALL else 11))
elbow = [KMeans(n_clusters=k, random_state=0).fit(X).inertia_ for k in ks]
print("inertia by k: " + ", ".join(f"{k}: {v:.0f}" for k, v in zip(ks, elbow)))
print(f"going from 3 to 4 clusters cuts the inertia by {1 - elbow[3] / elbow[2]:.0%}; "
      f"from 4 to 5, by only {1 - elbow[4] / elbow[3]:.0%}")

# 7. A picture: the clusters found, a bad local minimum from a random start, and the elbow curve.
from matplotlib.figure import Figure  # noqa: E402  (imported here: only this step draws)

from xpml import plot  # noqa: E402

fig = Figure(figsize=(15, 4.5), layout="constrained")
left, middle, right = fig.subplots(1, 3)
plot.clusters(X, model.labels_, centers=model.cluster_centers_, ax=left,
              title=f"k-means++ start: inertia {model.inertia_:.0f}")
plot.clusters(X, worst.labels_, centers=worst.cluster_centers_, ax=middle,
              title=f"worst random start: inertia {worst.inertia_:.0f}")
right.plot(ks, elbow, marker="o")
right.plot([4], [elbow[3]], marker="o", markersize=14, markerfacecolor="none", color="tab:red",
           label="the elbow, k = 4")
right.set(xlabel="number of clusters k", ylabel="inertia (sum of squared distances)", title="The elbow", xticks=ks)
right.grid(alpha=0.3)
right.legend()
fig.savefig(args.out, dpi=100)
print(f"saved {args.out}")
