"""Small helpers for tests: comparing arrays of any backend with numpy references."""

import importlib.util

import numpy as np
import pytest

import xpml


def assert_allclose(actual, desired, rtol=1e-7, atol=0.0, err_msg=""):
    """numpy.testing.assert_allclose for arrays of any backend."""
    np.testing.assert_allclose(xpml.to_numpy(actual), xpml.to_numpy(desired), rtol=rtol, atol=atol, err_msg=err_msg)


def assert_on_backend(array, backend):
    """`array` belongs to `backend`'s library and lives on its device."""
    from xpml._backend import backend_of

    owner = backend_of(array)
    assert owner.name == backend.name, f"array of {owner.name}, expected {backend.name}"
    assert owner.device == backend.device, f"array on {owner.device}, expected {backend.device}"


def requires(*libraries):
    """A skip marker for a test that names an optional library itself (torch, jax, matplotlib, ...), not
    through the `xp` fixture: without the library the test is skipped with a reason, never failed."""
    missing = [name for name in libraries if importlib.util.find_spec(name) is None]
    return pytest.mark.skipif(bool(missing), reason=f"needs {', '.join(missing)}, not installed here")
