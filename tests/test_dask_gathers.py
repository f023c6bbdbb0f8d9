"""No silent gathers on dask: every public estimator and function computes chunk by chunk, or refuses.

A gather is a compute that brings an array as long as the data into this process: `np.asarray` of a
dask array, `to_numpy` of X or of the labels, the samples' codes read on the host. The guard
(`no_gathers`) runs dask's threads with a check on what each compute returns: an array of N/2 rows or
more, N the samples, fails the test, naming it. State computed at fit is small, and `materialize`,
which keeps arrays larger than a chunk lazy, is made to keep anything of N/4 elements or more lazy,
as it would at scale. Outputs must be dask arrays; they are computed after the guard, and compared
with those of the same model on numpy input. The few documented exceptions say why.
"""

from __future__ import annotations

import contextlib
import warnings

import numpy as np
import pytest

da = pytest.importorskip("dask.array", reason="dask is not installed (pip install 'xpml[dask]')")

import xpml
from tests._common_recipes import DATA, RECIPES
from tests.test_common import METHODS, fit
from xpml.exceptions import ConvergenceWarning

REPEATS = 8  # the recipes' data (36 to 40 rows) repeated: 288 to 320 rows, in 4 chunks
# The training set is the model of k nearest neighbours: it is computed whole into each predicting task
# (documented on the estimators); their fit is still guarded.
PREDICTS_FROM_THE_WHOLE_TRAINING_SET = {"KNeighborsClassifier", "KNeighborsRegressor", "RadiusNeighborsClassifier",
                                       "RadiusNeighborsRegressor"}
# The searches' fits are Ridge's on folds of indices, as cross_val_score's, guarded among the functions below.
GUARDED_ELSEWHERE = {"GridSearchCV", "RandomizedSearchCV"}
# The gathers are at stake, not convergence: short fits (a mini-batch step or an L-BFGS step is a compute)
SHORT = {"max_iter": 2, "model__max_iter": 2, "n_iter": 1, "n_init": 1, "batch_size": 96}


class Gathered(AssertionError):
    pass


@contextlib.contextmanager
def no_gathers(n_rows: int, monkeypatch):
    """dask's threads, failing any compute that returns an array of n_rows / 2 rows or more."""
    import dask
    import dask.threaded

    def guarded(dsk, keys, **kwargs):
        results = dask.threaded.get(dsk, keys, **kwargs)

        def check(value):
            if isinstance(value, (list, tuple)):
                for v in value:
                    check(v)
            elif len(getattr(value, "shape", ())) >= 1 and value.shape[0] >= n_rows // 2:
                raise Gathered(f"a compute brought a {type(value).__name__} of shape {value.shape} to the host")
        check(results)
        return results

    import xpml._backend._dask as dask_backend

    monkeypatch.setattr(dask_backend, "CHUNK_ELEMENTS", n_rows // 4)
    with dask.config.set(scheduler=guarded):
        yield


def _chunked(a, n_chunks=4):
    return None if a is None else da.from_array(a, chunks=(-(-a.shape[0] // n_chunks),) + a.shape[1:])


def test_the_guard_catches_a_gather(monkeypatch):
    X = _chunked(np.ones((100, 3)))
    with no_gathers(100, monkeypatch), pytest.raises(Gathered, match=r"shape \(100, 3\)"):
        xpml.to_numpy(X)
    with no_gathers(100, monkeypatch):
        assert float(X.sum()) == 300.0  # a reduction is no gather


def _on_dask(model):
    params = model.get_params()
    if "backend" in params:
        model.set_params(backend="dask")
    else:  # meta-estimators: their steps'
        model.set_params(**{k: "dask" for k in params if k.endswith("__backend")})
    return model.set_params(**{k: v for k, v in SHORT.items() if k in params})


@pytest.mark.parametrize("name", sorted(set(RECIPES) - GUARDED_ELSEWHERE))
def test_no_estimator_gathers_the_data(name, monkeypatch):
    X, y = DATA[RECIPES[name].data]
    X, y = (None if a is None else np.concatenate([a] * REPEATS) for a in (X, y))
    Xd, yd = _chunked(X), _chunked(y)
    model = _on_dask(RECIPES[name].make())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with no_gathers((X if X is not None else y).shape[0], monkeypatch):
            try:
                model = fit(name, model, Xd, yd)
            except ValueError as refusal:  # the refusals' messages: tests/test_dask.py
                assert "cannot fit on" in str(refusal) and "backend" in str(refusal), refusal
                return
            if name in PREDICTS_FROM_THE_WHOLE_TRAINING_SET:
                return
            args = (yd,) if name == "LabelEncoder" else (Xd,)
            outputs = {m: getattr(model, m)(*args) for m in METHODS if hasattr(model, m)}
            if hasattr(model, "inverse_transform") and "transform" in outputs:
                outputs["inverse_transform"] = model.inverse_transform(outputs["transform"])
            scored = hasattr(model, "score") and name != "LabelEncoder"
            if scored:
                score = model.score(Xd, yd) if yd is not None else model.score(Xd)
    if scored:  # a float, on numpy input the same
        np.testing.assert_allclose(score, model.score(X, y) if y is not None else model.score(X), rtol=1e-10)
    eager = (y,) if name == "LabelEncoder" else (X,)
    for method, out in outputs.items():
        assert type(out).__module__.startswith("dask"), f"{name}.{method} gave {type(out)}"
        expected = (getattr(model, method)(*eager) if method != "inverse_transform"
                    else model.inverse_transform(xpml.to_numpy(model.transform(*eager))))
        got, expected = np.asarray(out.compute()), np.asarray(xpml.to_numpy(expected))
        if got.dtype.kind in "biuf":
            np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12, err_msg=f"{name}.{method}")
        else:
            np.testing.assert_array_equal(got, expected, err_msg=f"{name}.{method}")


def _functions():
    import xpml.metrics as M
    from xpml.inspection import permutation_importance
    from xpml.linear_model import Ridge
    from xpml.model_selection import KFold, cross_val_score, train_test_split

    return {
        "accuracy_score": lambda X, y, c, s: M.accuracy_score(c, 2 - c),
        "confusion_matrix": lambda X, y, c, s: M.confusion_matrix(c, 2 - c),
        "log_loss": lambda X, y, c, s: M.log_loss(c, s),
        "r2_score": lambda X, y, c, s: M.r2_score(y, 2 * y),
        "silhouette_score": lambda X, y, c, s: M.silhouette_score(X, c),
        "adjusted_rand_score": lambda X, y, c, s: M.adjusted_rand_score(c, 2 - c),
        "train_test_split": lambda X, y, c, s: train_test_split(X, y, random_state=0)[0],
        "KFold": lambda X, y, c, s: list(KFold(3).split(X)),
        "cross_val_score": lambda X, y, c, s: cross_val_score(Ridge(backend="dask"), X, y, cv=2),
        "permutation_importance": lambda X, y, c, s: permutation_importance(
            Ridge(backend="dask").fit(X, y), X, y, n_repeats=1, random_state=0).importances_mean,
    }


@pytest.mark.parametrize("name", sorted(_functions()))
def test_no_function_gathers_the_data(name, monkeypatch):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))  # (200, 3)
    y, classes = X @ np.array([1.0, 2.0, 3.0]), rng.integers(0, 3, 200)
    scores = rng.dirichlet([1.0, 1.0, 1.0], 200)  # (200, 3)
    data = (X, y, classes, scores)
    with no_gathers(200, monkeypatch):
        got = _functions()[name](*(_chunked(a) for a in data))
    expected = _functions()[name](*data)
    if name == "KFold":
        got, expected = np.concatenate([t for _, t in got]), np.concatenate([t for _, t in expected])
    np.testing.assert_allclose(np.asarray(xpml.to_numpy(got)), np.asarray(xpml.to_numpy(expected)), rtol=1e-10)


def test_roc_curve_refuses_saying_what_to_do():
    from xpml.metrics import roc_curve

    y = _chunked(np.arange(40) % 2)
    with pytest.raises(ValueError, match=r"roc_curve .*backend='dask'.* never does silently. Use roc_auc_score"):
        roc_curve(y, y * 0.5)


def test_figures_refuse_dask_arrays_saying_what_to_do():
    from xpml import plot

    X = _chunked(np.ones((40, 2)))
    with pytest.raises(ValueError, match=r"X is a dask array: a figure draws every sample.*X\[:10_000\].compute\(\)"):
        plot.clusters(X, np.zeros(40))


def test_clip_keeps_the_chunks():
    """array_api_compat's clip on dask broadcast scalar bounds to x's shape as one chunk, a task as large as the
    data (xpml clips probabilities, steps, counts...); the dask backend mends it: no task makes more than a chunk."""
    from dask.callbacks import Callback

    xp = xpml.make_backend("dask").xp
    host = np.linspace(-2.0, 2.0, 80).reshape(40, 2)  # (40, 2)
    X = _chunked(host)  # 4 chunks of 10 rows
    largest = []
    with Callback(posttask=lambda key, result, *_: largest.append(
            0 if str(key).startswith("finalize") else getattr(result, "shape", (0,))[0])):
        for low, high in ((-1.0, 1.0), (None, 0.5), (xp.asarray([0.0, -1.0]), None)):
            out = xp.clip(X, low, high)
            assert out.chunks == X.chunks
            np.testing.assert_array_equal(out.compute(), np.clip(host, None if low is None else xpml.to_numpy(low), high))
    assert max(largest) == 10, max(largest)
