"""The backend layer's capability table, and a new backend added as one entry.

Helpers ask the backend layer for a capability ("scatter_add", "qr_r", ...) and fall back to a pure
array-API version; each helper's own tests compare the two. Here: the table itself, and the promise
that a backend is one entry (`register_library`) and nothing else.
"""

import dataclasses
import pathlib
import re

import numpy as np
import pytest

import xpml
from xpml._backend import CAPABILITIES, LIBRARIES, capability, make_backend, register_library
from xpml.cluster import KMeans
from xpml.linear_model import LinearRegression, LogisticRegression

ROOT = pathlib.Path(__file__).resolve().parents[1] / "xpml"


def test_every_library_lists_known_capabilities_only(backend):
    for name in CAPABILITIES:
        capability(backend, name)  # raises for a table that lists an unknown name
    with pytest.raises(ValueError, match=r"capability='fft' is unknown; expected one of \["):
        capability(backend, "fft")


def test_the_standards_reference_has_no_fast_path_and_numpy_has_its_own():
    strict, numpy = make_backend("array_api_strict"), make_backend("numpy")
    assert capability(strict, "scatter_add") is None and capability(strict, "qr_r") is None
    assert capability(numpy, "qr_r") is not None and capability(numpy, "bincount") is not None
    assert capability(numpy, "compile") is None


def test_no_code_outside_the_backend_layer_names_a_library_to_choose_a_path():
    """Helpers and estimators ask for capabilities; only xpml/_backend compares names with libraries."""
    compare = re.compile(r"""(\.name|library_of\([^)]*\))\s*(==|!=|in|not in)\s*[(\[{]?\s*["'](numpy|cupy|torch|jax|"""
                         r"""array_api_strict|dask)["']""")
    offenders = [f"{path.relative_to(ROOT)}:{i}" for path in ROOT.rglob("*.py") if "_backend" not in path.parts
                 for i, line in enumerate(path.read_text().splitlines(), 1) if compare.search(line)]
    assert offenders == []


def test_a_new_backend_is_one_entry_in_the_backend_layer(monkeypatch):
    """numpy registered again under another name: selection, conversion, the helpers' fast paths and
    estimators work on it, with no other change anywhere."""
    monkeypatch.setitem(LIBRARIES, "toy", LIBRARIES["numpy"])  # make the test undo the registration
    register_library(dataclasses.replace(LIBRARIES["numpy"], name="toy"))
    assert "toy" in xpml.available_backends()
    toy = make_backend("toy")
    assert toy.name == "toy" and capability(toy, "bincount") is not None

    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 3))
    y = X @ [1.0, -2.0, 0.5] + 0.1 * rng.standard_normal(60)
    with xpml.use_backend("toy"):
        on_toy = LinearRegression().fit(X, y)
    assert on_toy._backend is toy
    np.testing.assert_allclose(xpml.to_numpy(on_toy.coef_), LinearRegression().fit(X, y).coef_, rtol=1e-12)

    labels = (y > 0).astype(int)
    proba = LogisticRegression(backend="toy").fit(X, labels).predict_proba(X)
    assert isinstance(proba, np.ndarray)  # output follows input
    np.testing.assert_allclose(proba, LogisticRegression().fit(X, labels).predict_proba(X), rtol=1e-10)

    init = X[:4]
    toy_km = KMeans(n_clusters=4, init=init, n_init=1, backend="toy").fit(X)
    np_km = KMeans(n_clusters=4, init=init, n_init=1).fit(X)
    np.testing.assert_array_equal(toy_km.labels_, np_km.labels_)
    np.testing.assert_allclose(xpml.to_numpy(toy_km.cluster_centers_), np_km.cluster_centers_, rtol=1e-12)
