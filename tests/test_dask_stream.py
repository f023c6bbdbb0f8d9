"""Learning from a stream on dask: SGD and the MLPs take X's chunks in order (`xpml/utils/_stream.py`).

On dask, `partial_fit` hands each chunk, computed once, to numpy's `partial_fit`, so the result is
numpy's `partial_fit` over the same chunks in the same order: the same coefficients, exactly (the
same arithmetic on the same arrays). `fit` on dask is epochs of that stream: with tol=None it equals
max_iter such passes on numpy. Its early stop, on the epoch's mean loss, is checked against the
losses it records.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

da = pytest.importorskip("dask.array", reason="dask is not installed (pip install 'xpml[dask]')")

from xpml.exceptions import ConvergenceWarning
from xpml.linear_model import SGDClassifier, SGDRegressor
from xpml.neural_network import MLPClassifier, MLPRegressor

CHUNK = 60


@pytest.fixture(scope="module")
def data():
    import dask

    rng = np.random.default_rng(0)
    X = rng.normal(size=(240, 4))  # (240, 4): 4 chunks of 60 rows
    y = X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.1 * rng.normal(size=240)
    labels = np.digitize(y, np.quantile(y, [0.33, 0.66]))  # 3 classes
    with dask.config.set(scheduler="threads"):
        yield {"X": X, "y": y, "labels": labels, "Xd": da.from_array(X, chunks=(CHUNK, 4)),
               "yd": da.from_array(y, chunks=CHUNK), "labelsd": da.from_array(labels, chunks=CHUNK)}


def _host(a):
    return np.asarray(a.compute()) if hasattr(a, "compute") else np.asarray(a)


def _weights(est):
    return [_host(w) for w in ([est.coef_, est.intercept_] if hasattr(est, "coef_") else est.coefs_ + est.intercepts_)]


CASES = [
    (SGDRegressor, {"random_state": 0}, "y"),
    (SGDClassifier, {"loss": "log_loss", "random_state": 0}, "labels"),
    (MLPClassifier, {"hidden_layer_sizes": (5,), "random_state": 0}, "labels"),
    (MLPRegressor, {"hidden_layer_sizes": (5,), "random_state": 0, "learning_rate_init": 0.01}, "y"),
]


def _numpy_stream(cls, params, X, y, epochs, **kwargs):
    est = cls(**params)
    for _ in range(epochs):
        for start in range(0, X.shape[0], CHUNK):
            est.partial_fit(X[start:start + CHUNK], y[start:start + CHUNK], **kwargs)
    return est


@pytest.mark.parametrize("cls, params, target", CASES, ids=[c[0].__name__ for c in CASES])
def test_partial_fit_is_numpy_over_the_same_chunks(data, cls, params, target):
    classes = {"classes": [0, 1, 2]} if target == "labels" else {}
    ref = _numpy_stream(cls, params, data["X"], data[target], 2, **classes)
    est = cls(**params, backend="dask").partial_fit(data["Xd"], data[target + "d"], **classes)
    est.partial_fit(data["Xd"], data[target])  # y on the host: its rows are sliced per chunk
    for got, expected in zip(_weights(est), _weights(ref), strict=True):
        np.testing.assert_array_equal(got, expected)  # the same steps on the same arrays
    pred = est.predict(data["Xd"])
    assert type(pred).__module__.startswith("dask")  # lazy
    np.testing.assert_allclose(_host(pred), ref.predict(data["X"]), rtol=1e-12)


@pytest.mark.parametrize("cls, params, target", CASES, ids=[c[0].__name__ for c in CASES])
def test_fit_is_epochs_of_the_stream(data, cls, params, target):
    stop = {"tol": None} if cls.__name__.startswith("SGD") else {}
    classes = {"classes": [0, 1, 2]} if target == "labels" else {}
    ref = _numpy_stream(cls, params, data["X"], data[target], 3, **classes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # MLP: 3 epochs, tol not met
        est = cls(**params, **stop, max_iter=3, backend="dask").fit(data["Xd"], data[target + "d"])
    assert est.n_iter_ == 3
    for got, expected in zip(_weights(est), _weights(ref), strict=True):
        np.testing.assert_array_equal(got, expected)
    if hasattr(est, "loss_curve_"):
        assert len(est.loss_curve_) == 3 and est.loss_ == est.loss_curve_[-1]


def test_fit_stops_when_the_mean_loss_stalls(data):
    est = SGDRegressor(random_state=0, tol=1e-3, n_iter_no_change=2, backend="dask").fit(data["Xd"], data["yd"])
    assert 3 <= est.n_iter_ < 1000
    np.testing.assert_allclose(_host(est.coef_), [1.0, -2.0, 0.5, 3.0], atol=0.05)  # the least-squares solution
    with pytest.warns(ConvergenceWarning, match="max_iter=2 epochs on dask"):
        SGDRegressor(random_state=0, max_iter=2, backend="dask").fit(data["Xd"], data["yd"])


def test_stream_refusals(data):
    with pytest.raises(ValueError, match="coef_init is not available"):
        SGDRegressor(backend="dask").fit(data["Xd"], data["yd"], coef_init=np.zeros(4))
    with pytest.raises(ValueError, match="classes"):
        SGDClassifier(backend="dask").partial_fit(data["Xd"], data["labelsd"])  # numpy's own message


def test_a_saved_stream_continues_where_it_stopped(data, tmp_path):
    """A model saved after partial_fit on dask and loaded onto dask continues as the one never saved."""
    from xpml.io import load, save

    params = {"hidden_layer_sizes": (5,), "random_state": 0}
    est = MLPClassifier(**params, backend="dask").partial_fit(data["Xd"], data["labelsd"], classes=[0, 1, 2])
    save(est, tmp_path / "model.xpml")
    loaded = load(tmp_path / "model.xpml", backend="dask")
    for model in (est, loaded):
        model.partial_fit(data["Xd"], data["labelsd"])
    for got, expected in zip(_weights(loaded), _weights(est), strict=True):
        np.testing.assert_array_equal(got, expected)
