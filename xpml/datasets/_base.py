"""Small real data sets shipped with xpml, for examples, tests and the demo.

Each is a gzipped CSV (a header of feature names and "target", then one sample a line) beside a
JSON file of metadata: title, task, feature and target names, source and licence. They load as
numpy arrays on the host; estimators move them to their backend.
"""

from __future__ import annotations

import gzip
import json
from importlib import resources

import numpy as np

__all__ = ["Bunch", "load_breast_cancer", "load_diabetes", "load_digits", "load_iris", "load_wine"]


class Bunch(dict):
    """A dict whose keys are also attributes: `data.target` is `data["target"]`."""

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __dir__(self):
        return list(self.keys())


def _load(name: str, *, return_X_y: bool, target_dtype) -> Bunch | tuple[np.ndarray, np.ndarray]:
    folder = resources.files("xpml.datasets") / "data"
    meta = json.loads((folder / f"{name}.json").read_text())
    with (folder / f"{name}.csv.gz").open("rb") as raw, gzip.open(raw, "rt") as f:
        table = np.loadtxt(f, delimiter=",", skiprows=1, dtype=np.float64)  # (n_samples, n_features + 1)
    X, y = table[:, :-1], table[:, -1].astype(target_dtype)
    if return_X_y:
        return X, y
    descr = (
        f"{meta['title']}\n{'=' * len(meta['title'])}\n\n"
        f"Task: {meta['task']}.\n"
        f"Samples: {meta['n_samples']}. Features: {meta['n_features']}.\n"
        f"Source: {meta['source']}.\nLicence: {meta['license']}.\n"
    )
    target_names = np.asarray(meta["target_names"]) if meta["target_names"] else None
    return Bunch(data=X, target=y, feature_names=list(meta["feature_names"]), target_names=target_names, DESCR=descr)


def load_iris(*, return_X_y: bool = False):
    """Fisher's iris: 150 flowers, 4 measurements (cm), 3 species. Classification.

    Returns a Bunch with `data` (150, 4), `target` (150,) of ints 0-2, `feature_names`, `target_names`
    and `DESCR`; or `(data, target)` with `return_X_y=True`.
    """
    return _load("iris", return_X_y=return_X_y, target_dtype=np.int64)


def load_wine(*, return_X_y: bool = False):
    """Wine recognition: 178 wines, 13 chemical analyses, 3 cultivars. Classification."""
    return _load("wine", return_X_y=return_X_y, target_dtype=np.int64)


def load_breast_cancer(*, return_X_y: bool = False):
    """Breast cancer Wisconsin (diagnostic): 569 samples, 30 features, malignant (0) or benign (1)."""
    return _load("breast_cancer", return_X_y=return_X_y, target_dtype=np.int64)


def load_digits(*, return_X_y: bool = False):
    """Handwritten digits: 1,797 images of 8x8 pixels (grey levels 0-16), digits 0-9. Classification."""
    return _load("digits", return_X_y=return_X_y, target_dtype=np.int64)


def load_diabetes(*, return_X_y: bool = False, scaled: bool = True):
    """Diabetes: 442 patients, 10 baseline variables, disease progression a year later. Regression.

    With `scaled=True` (the default, as in scikit-learn) each feature is centred and scaled so that
    its sum of squares is 1; with `scaled=False` the raw values are returned.
    """
    out = _load("diabetes", return_X_y=return_X_y, target_dtype=np.float64)
    if scaled:
        X = out[0] if return_X_y else out.data
        X = X - X.mean(axis=0)
        X = X / np.sqrt((X**2).sum(axis=0))  # (n_samples, n_features), columns of unit norm
        out = (X, out[1]) if return_X_y else Bunch(out, data=X)
    return out
