"""A tiny classifier for the model-selection and pipeline tests, until the real classifiers land.

NearestMean predicts the class whose training mean is closest (scikit-learn's NearestCentroid with
the Euclidean metric), written on the array API like any xpml estimator.
"""

from xpml.base import BACKEND_CONSTRAINTS, BaseEstimator, ClassifierMixin


class NearestMean(ClassifierMixin, BaseEstimator):
    _parameter_constraints = {**BACKEND_CONSTRAINTS}

    def __init__(self, *, backend=None, dtype=None):
        self.backend = backend
        self.dtype = dtype

    def fit(self, X, y):
        X, index = self._validate_labels(X, y)
        xp = self._xp
        k = len(self.classes_)
        onehot = xp.astype(index[:, None] == xp.arange(k, device=X.device)[None, :], X.dtype)  # (n, k)
        self.centroids_ = (onehot.T @ X) / xp.sum(onehot, axis=0)[:, None]  # (k, p)
        return self

    def _distances(self, X):
        return self._xp.sum((X[:, None, :] - self.centroids_[None, :, :]) ** 2, axis=2)  # (n, k)

    def predict(self, X):
        X_in, X = X, self._validate_data(X, reset=False)
        return self._labels(self._xp.argmin(self._distances(X), axis=1), X_in)

    def predict_proba(self, X):
        """A softmax of minus the squared distances (for the scorers that need probabilities)."""
        X_in, X = X, self._validate_data(X, reset=False)
        xp = self._xp
        z = -self._distances(X)
        e = xp.exp(z - xp.max(z, axis=1, keepdims=True))
        return self._output(e / xp.sum(e, axis=1, keepdims=True), X_in)
