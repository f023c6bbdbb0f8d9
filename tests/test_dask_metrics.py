"""Metrics and predictions on dask: lazy, in few passes over the data, equal to numpy's.

A metric of dask arrays reduces per-chunk partial sums lazily and computes once: regression metrics
in one pass over y_true and y_pred; classification metrics in two, the labels present first (their
number sizes the counts), then the counts. A pass is counted by the chunks that a counting function
in front of the data produces. Every estimator that scales out predicts and transforms a dask array
lazily: the outputs are dask arrays, equal to those of the same fitted model on numpy input.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

da = pytest.importorskip("dask.array", reason="dask is not installed (pip install 'xpml[dask]')")

import xpml
import xpml.metrics as M
from xpml.exceptions import ConvergenceWarning

N, CHUNK = 200, 50


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 3, N), rng.integers(0, 3, N)
    proba = rng.dirichlet([1.0, 1.0, 1.0], N)  # (N, 3)
    r_true = rng.normal(size=N)
    return {"labels": (y_true, y_pred), "proba": (y_true, proba), "values": (r_true, r_true + 0.3 * rng.normal(size=N)),
            "binary": (rng.integers(0, 2, N), rng.random(N))}


class _Counted:
    """Dask arrays whose chunks are counted when computed (`loads`)."""

    def __init__(self):
        self.loads = 0

    def __call__(self, a):
        def produce(chunk):
            self.loads += chunk.shape[0] > 0  # dask also calls it on empty arrays, to learn the output's type
            return chunk
        d = da.from_array(a, chunks=(CHUNK,) + a.shape[1:])
        return d.map_blocks(produce, dtype=d.dtype)


CASES = [
    ("accuracy_score", "labels", {}, 2), ("confusion_matrix", "labels", {}, 2),
    ("precision_score", "labels", {"average": "macro"}, 2), ("recall_score", "labels", {"average": "weighted"}, 2),
    ("f1_score", "labels", {"average": "micro"}, 2), ("log_loss", "proba", {}, 2),
    ("r2_score", "values", {}, 1), ("mean_squared_error", "values", {}, 1), ("mean_absolute_error", "values", {}, 1),
    ("roc_auc_score", "binary", {}, None),
    ("balanced_accuracy_score", "labels", {"adjusted": True}, 2), ("jaccard_score", "labels", {"average": "macro"}, 2),
    ("hamming_loss", "labels", {}, 2), ("top_k_accuracy_score", "proba", {"k": 2}, 2),
    ("average_precision_score", "binary", {}, None), ("explained_variance_score", "values", {}, 1),
    ("mean_absolute_percentage_error", "values", {}, 1), ("mean_pinball_loss", "values", {"alpha": 0.3}, 1),
    ("median_absolute_error", "values", {}, None), ("d2_absolute_error_score", "values", {}, None),
]


@pytest.mark.parametrize("name, kind, kwargs, passes", CASES, ids=[c[0] for c in CASES])
def test_metric_equals_numpy_in_few_passes(data, name, kind, kwargs, passes):
    import dask

    counted = _Counted()
    inputs = [counted(a) for a in data[kind]]
    with dask.config.set(scheduler="sync"):
        got = getattr(M, name)(*inputs, **kwargs)
        got = np.asarray(got.compute()) if hasattr(got, "compute") else got
    np.testing.assert_allclose(got, getattr(M, name)(*data[kind], **kwargs), rtol=1e-12)
    n_chunks = N // CHUNK
    if passes is not None:  # each pass reads every chunk of every input once (the first input: y_true)
        assert counted.loads <= passes * n_chunks * len(inputs), counted.loads


def _scaling_out():
    from tests._common_recipes import RECIPES

    return sorted(name for name, recipe in RECIPES.items() if recipe.make()._scales_out
                  or (recipe.make()._chunk_loss is not None and getattr(recipe.make(), "solver", None) != "lbfgs"))


@pytest.mark.parametrize("name", _scaling_out())
def test_outputs_are_lazy_and_equal_to_eager_ones(name):
    import dask

    from tests._common_recipes import DATA, RECIPES
    from tests.test_common import METHODS, fit

    X, y = DATA[RECIPES[name].data]
    Xd = da.from_array(X, chunks=(X.shape[0] // 2 + 1, X.shape[1]))  # 2 chunks
    model = RECIPES[name].make().set_params(backend="dask")
    short = {"max_iter": 2, "n_iter": 1, "n_init": 1}  # iterative fits kept short: the outputs are at stake
    model.set_params(**{k: v for k, v in short.items() if k in model.get_params()})
    with dask.config.set(scheduler="threads"), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = fit(name, model, Xd, None if y is None else da.from_array(y))
        for method in (m for m in METHODS if hasattr(model, m)):
            out = getattr(model, method)(Xd)
            assert type(out).__module__.startswith("dask"), f"{name}.{method} gave {type(out)}"
            expected = xpml.to_numpy(getattr(model, method)(X))  # numpy in, numpy out: the eager path
            np.testing.assert_allclose(np.asarray(out.compute()), expected, rtol=1e-12, atol=1e-12,
                                       err_msg=f"{name}.{method}")
