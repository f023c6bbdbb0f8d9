"""k-nearest neighbours: classifying a flower by the flowers that look most like it, on any backend.

We classify iris flowers by a vote of their nearest neighbours, take one prediction apart neighbour by
neighbour, compare votes that all count the same with votes weighted by closeness, and draw the
regions each rule assigns to each species. Run it with a backend of your choice:

    python examples/neighbors.py --backend torch
"""

import argparse
import os

import numpy as np

import xpml
from xpml.datasets import load_iris
from xpml.model_selection import train_test_split
from xpml.neighbors import KNeighborsClassifier

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--backend", default="numpy", help="numpy, torch, jax, cupy, torch:cuda, ...")
parser.add_argument("--out", default="neighbors.png", help="where to save the figure")
args = parser.parse_args()
xpml.set_backend(args.backend)
SMALL = os.environ.get("XPML_EXAMPLE_SMALL") == "1"  # the test suite runs a shortened version

# 1. The data: 150 iris flowers, 4 measurements in cm (sepal and petal, length and width), 3 species.
#    All four are lengths in the same unit, so the plain euclidean distance between flowers is meaningful
#    without rescaling (with features in different units, standardize first).
data = load_iris()
X, y, species = data.data, data.target, data.target_names
print(f"X: {X.shape}, y: {y.shape}, species: {', '.join(species)}")
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
print(f"train: {len(y_train)} flowers, test: {len(y_test)} flowers")

# 2. Fit. There is nothing to learn: fit only stores the training flowers. To predict, the model finds
#    the k training flowers nearest to the query, and each casts a vote for its species.
model = KNeighborsClassifier(n_neighbors=5).fit(X_train, y_train)
print(f"5 neighbours, uniform votes: held-out accuracy {model.score(X_test, y_test):.3f}"
      f"  (backend: {xpml.get_backend().name})")

# 3. One prediction taken apart: a held-out flower whose neighbours disagree. kneighbors returns the
#    distances to its 5 nearest training flowers and their rows in X_train, nearest first.
proba = model.predict_proba(X_test)  # (n_test, 3): the vote shares
i = int(np.argmin(proba.max(axis=1)))  # the least unanimous vote
distances, indices = model.kneighbors(X_test[i:i + 1])  # (1, 5), (1, 5)
distances, indices = distances[0], indices[0]
print(f"held-out flower {i} {X_test[i]} is truly {species[y_test[i]]}; its 5 nearest training flowers:")
for d, j in zip(distances, indices):
    print(f"  row {j:3d} {X_train[j]}  at distance {d:.3f}  ({species[y_train[j]]})")
by_hand = np.sqrt(((X_train - X_test[i]) ** 2).sum(axis=1))  # (n_train,): distance to every training flower
print(f"distances by hand agree: {np.allclose(np.sort(by_hand)[:5], distances)}")
votes = np.bincount(y_train[indices], minlength=3) / 5
print(f"uniform votes by hand {votes} = predict_proba {proba[i]}  ->  {species[np.argmax(votes)]}")

# 4. Weights by distance: a neighbour's vote counts 1/d, so the nearest ones count most.
weighted = KNeighborsClassifier(n_neighbors=5, weights="distance").fit(X_train, y_train)
w = 1.0 / distances  # (5,)
votes = np.bincount(y_train[indices], weights=w, minlength=3) / w.sum()
print(f"1/d votes by hand {votes.round(3)} = predict_proba {weighted.predict_proba(X_test[i:i + 1])[0].round(3)}"
      f"  ->  {species[np.argmax(votes)]}")

# 5. Uniform against distance weights, as k grows. Scored on the training flowers themselves, distance
#    weights are always perfect (each flower is its own neighbour at distance 0 and outvotes the rest),
#    which says nothing about new flowers: only the held-out score counts.
print("  k   uniform: train  test    distance: train  test")
for k in (1, 3, 5, 10, 20, 40):
    scores = []
    for weights in ("uniform", "distance"):
        m = KNeighborsClassifier(n_neighbors=k, weights=weights).fit(X_train, y_train)
        scores += [m.score(X_train, y_train), m.score(X_test, y_test)]
    print(f"  {k:2d}           {scores[0]:.3f}  {scores[1]:.3f}             {scores[2]:.3f}  {scores[3]:.3f}")

# 6. A picture: the regions each rule gives each species, from two features only (sepal length and
#    width, where the species overlap), with k = 15.
from matplotlib.figure import Figure  # noqa: E402  (imported here: only this step draws)

from xpml import plot  # noqa: E402

two = [0, 1]  # sepal length, sepal width
fig = Figure(figsize=(11, 4.6), layout="constrained")
for ax, weights in zip(fig.subplots(1, 2), ("uniform", "distance")):
    m = KNeighborsClassifier(n_neighbors=15, weights=weights).fit(X_train[:, two], species[y_train])  # names as labels
    accuracy = m.score(X_test[:, two], species[y_test])
    plot.decision_boundary(m, X_train[:, two], species[y_train], ax=ax, resolution=100 if SMALL else 200,
                           title=f"15 neighbours, {weights} votes (held-out accuracy {accuracy:.2f})")
    ax.set(xlabel=data.feature_names[two[0]], ylabel=data.feature_names[two[1]])
    ax.get_legend().set_title("species (training flowers)")
fig.savefig(args.out, dpi=100)
print(f"saved {args.out}")
