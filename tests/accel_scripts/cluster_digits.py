"""Cluster handwritten digits: PCA to 16 dimensions, then k-means with 10 clusters, judged by silhouette.

    python cluster_digits.py results.json
"""

import json
import sys

from sklearn.cluster import KMeans
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, silhouette_score

X, y = load_digits(return_X_y=True)
pca = PCA(n_components=16, random_state=0)
X_reduced = pca.fit_transform(X)
kmeans = KMeans(n_clusters=10, n_init=4, random_state=0).fit(X_reduced)
silhouette = silhouette_score(X_reduced, kmeans.labels_)
print(f"explained variance {pca.explained_variance_ratio_.sum():.4f}, silhouette {silhouette:.4f}")
with open(sys.argv[1], "w") as f:
    json.dump({"explained_variance_ratio": pca.explained_variance_ratio_.tolist(),
               "inertia": float(kmeans.inertia_), "silhouette": float(silhouette),
               "ari_with_digits": adjusted_rand_score(y, kmeans.labels_)}, f)
