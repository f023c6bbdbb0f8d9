"""Classify wines three ways: Gaussian naive Bayes, and k-nearest neighbours with the Euclidean and the
Canberra distance (which xpml does not have: scikit-learn fits it), each scored on a held-out quarter.

    python wine_neighbors.py results.json
"""

import json
import sys

from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
models = {
    "naive_bayes": GaussianNB(),
    "knn_euclidean": make_pipeline(MinMaxScaler(), KNeighborsClassifier(n_neighbors=5)),
    "knn_canberra": make_pipeline(MinMaxScaler(), KNeighborsClassifier(n_neighbors=5, metric="canberra")),
}
results = {}
for name, model in models.items():
    model.fit(X_train, y_train)
    results[name] = {"accuracy": model.score(X_test, y_test),
                     "proba": model.predict_proba(X_test[:5]).tolist()}
    print(f"{name}: {results[name]['accuracy']:.4f}")
with open(sys.argv[1], "w") as f:
    json.dump(results, f)
