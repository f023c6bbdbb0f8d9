"""Classify breast tumours: a scaler and a logistic regression in a pipeline, scored by 5-fold cross-validation.

    python classify_pipeline.py results.json
"""

import json
import sys

from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

X, y = load_breast_cancer(return_X_y=True)
model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
scores = cross_val_score(model, X, y, cv=5)
model.fit(X, y)
coef = model[-1].coef_
print(f"accuracy {scores.mean():.4f} +/- {scores.std():.4f}")
with open(sys.argv[1], "w") as f:
    json.dump({"cv_scores": scores.tolist(), "coef": coef.ravel().tolist(),
               "train_accuracy": model.score(X, y)}, f)
