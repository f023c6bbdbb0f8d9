"""Choose a ridge penalty for the diabetes data by grid search, then score it on held-out patients.

    python ridge_grid.py results.json
"""

import json
import sys

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, train_test_split

X, y = load_diabetes(return_X_y=True, as_frame=True)  # a pandas DataFrame
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
search = GridSearchCV(Ridge(), {"alpha": np.logspace(-3, 2, 6)}, cv=5).fit(X_train, y_train)
test_r2 = search.score(X_test, y_test)
print(f"best alpha {search.best_params_['alpha']:.3g}, test R2 {test_r2:.4f}")
with open(sys.argv[1], "w") as f:
    json.dump({"best_alpha": float(search.best_params_["alpha"]), "best_score": float(search.best_score_),
               "mean_test_scores": search.cv_results_["mean_test_score"].tolist(), "test_r2": float(test_r2),
               "coef": search.best_estimator_.coef_.tolist()}, f)
