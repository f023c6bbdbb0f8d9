"""The backend layer: selection, its errors, the thread-local context, lazy imports, conversions,
the dtype policy and output following input."""

import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import xpml
from tests.helpers import assert_allclose, assert_on_backend
from xpml._backend import backend_of, dtype_name, float_dtype_for, library_of, match_input, to_backend


def run_python(code: str, **env) -> str:
    """Run `code` in a fresh interpreter (so imports start from nothing) and return its stdout."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env}, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_import_xpml_imports_no_array_library_nor_plotting():
    loaded = run_python(
        "import sys, xpml, xpml.linear_model, xpml.datasets, xpml.metrics; "
        "print(sorted(m for m in ('cupy', 'torch', 'jax', 'matplotlib', 'sklearn', 'array_api_strict') if m in sys.modules))"
    )
    assert loaded == "[]"


def test_a_library_is_imported_when_its_backend_is_first_selected():
    pytest.importorskip("torch")
    loaded = run_python(
        "import sys, xpml; before = 'torch' in sys.modules; xpml.set_backend('torch'); print(before, 'torch' in sys.modules)"
    )
    assert loaded == "False True"


def test_default_backend_comes_from_the_environment():
    assert run_python("import xpml; print(xpml.get_backend().name)", XPML_BACKEND="torch") == "torch"
    assert run_python("import xpml; print(xpml.get_backend().name)", XPML_BACKEND="") == "numpy"
    result = subprocess.run([sys.executable, "-c", "import xpml"], capture_output=True, text=True,
                            env={**os.environ, "XPML_BACKEND": "nosuch"}, check=False)
    assert result.returncode != 0
    assert "backend='nosuch' is not a backend" in result.stderr


def test_available_backends_lists_what_is_installed():
    names = xpml.available_backends()
    assert names[0] == "numpy"
    for name in ("torch", "jax", "array_api_strict"):
        assert name in names  # the test extras install all three


def test_unknown_backend_names_what_is_available():
    with pytest.raises(ValueError, match=r"backend='tensorflow' is not a backend; expected one of .*Available here: \['numpy'"):
        xpml.set_backend("tensorflow")
    with pytest.raises(TypeError, match=r"backend should be a str"):
        xpml.set_backend(3)


def test_uninstalled_backend_says_how_to_install(monkeypatch):
    import dataclasses

    from xpml._backend import LIBRARIES

    monkeypatch.setitem(LIBRARIES, "jax", dataclasses.replace(LIBRARIES["jax"], module="no_such_module_here"))
    with pytest.raises(ValueError, match=r"(?s)backend='jax' is not installed.*jax: pip install 'xpml\[jax\]'") as info:
        xpml.set_backend("jax")
    assert "jax" not in str(info.value).split("Available here:")[1].split("]")[0]


def test_bad_devices_are_refused():
    with pytest.raises(ValueError, match=r"device='cuda' is not a numpy device"):
        xpml.make_backend("numpy", "cuda")
    with pytest.raises(ValueError, match=r"not an array_api_strict device"):
        xpml.make_backend("array_api_strict", "device9")


def test_torch_cuda_without_a_gpu_is_refused():
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(ValueError, match=r"device='cuda': torch finds no CUDA GPU"):
        xpml.make_backend("torch", "cuda")


def test_set_backend_and_get_backend():
    previous = xpml.get_backend()
    try:
        b = xpml.set_backend("array_api_strict", device="device1")
        assert xpml.get_backend() is b
        assert b.name == "array_api_strict" and b.device == b.xp.Device("device1")
        assert repr(b) == "Backend(name=\"array_api_strict\", xp=<array_api_strict>, device=array_api_strict.Device('device1'))"
        assert xpml.make_backend("array_api_strict:device1") is b  # "name:device" is the same backend
    finally:
        xpml.set_backend(previous)


def test_use_backend_restores_the_previous_one_even_after_an_error():
    outer = xpml.get_backend()
    with pytest.raises(RuntimeError):
        with xpml.use_backend("torch") as b:
            assert xpml.get_backend() is b
            with xpml.use_backend("jax"):
                assert xpml.get_backend().name == "jax"
            assert xpml.get_backend() is b
            raise RuntimeError("boom")
    assert xpml.get_backend() is outer


def test_use_backend_is_local_to_its_thread():
    seen = {}
    inside, release = threading.Event(), threading.Event()

    def other_thread():
        seen["start"] = xpml.get_backend().name
        with xpml.use_backend("jax"):
            inside.set()
            release.wait(5)
            seen["inside"] = xpml.get_backend().name
        seen["end"] = xpml.get_backend().name

    with xpml.use_backend("torch"):
        thread = threading.Thread(target=other_thread)
        thread.start()
        inside.wait(5)
        assert xpml.get_backend().name == "torch"  # the other thread's jax does not leak here
        release.set()
        thread.join()
    assert seen == {"start": "numpy", "inside": "jax", "end": "numpy"}


def test_backends_pickle_by_name_and_device(backend):
    import pickle

    assert pickle.loads(pickle.dumps(backend)) is backend


def test_conversions_between_every_pair_of_libraries(backend):
    values = np.arange(12, dtype=np.float64).reshape(3, 4) / 7
    for source_spec in ("numpy", "torch", "jax", "array_api_strict", "array_api_strict:device1"):
        source = xpml.make_backend(source_spec)
        x = to_backend(values, source)
        assert_on_backend(x, source)
        moved = to_backend(x, backend)
        assert_on_backend(moved, backend)
        assert_allclose(moved, values, rtol=0)
        assert dtype_name(moved) == "float64"


def test_conversion_casts_and_reads_lists(backend):
    x = to_backend([[1, 2], [3, 4]], backend, dtype="float32")
    assert_on_backend(x, backend)
    assert dtype_name(x) == "float32"
    assert_allclose(x, [[1, 2], [3, 4]], rtol=0)


def test_read_only_numpy_input_is_accepted(backend):
    values = np.ones((2, 2))
    values.flags.writeable = False
    assert_allclose(to_backend(values, backend), values, rtol=0)


def test_torch_tensors_that_require_grad_are_detached():
    torch = pytest.importorskip("torch")

    t = torch.ones(3, dtype=torch.float64, requires_grad=True)
    assert not to_backend(t, xpml.make_backend("torch")).requires_grad
    assert_allclose(xpml.to_numpy(t), np.ones(3), rtol=0)


def test_library_of_tells_arrays_from_other_things(backend, xp, device):
    assert library_of(xp.ones(2, device=device)) == backend.name
    assert library_of([1.0, 2.0]) is None
    assert backend_of(xp.ones(2, device=device)) is backend
    assert backend_of([1.0]).name == "numpy"


def test_dtype_policy(backend):
    assert float_dtype_for("float32", backend) == "float32"
    assert float_dtype_for("int64", backend) == "float64"
    assert float_dtype_for("bool", backend) == "float64"
    assert float_dtype_for("float16", backend) == "float32"
    assert float_dtype_for("float64", backend) == "float64"
    assert float_dtype_for("float64", backend, override="float32") == "float32"


def test_a_device_without_float64_computes_in_float32(monkeypatch):
    from xpml._backend import _arrays

    monkeypatch.setattr(_arrays, "_reduced_warned", False)
    b = xpml.make_backend("array_api_strict", "no_float64")
    assert not b.has_float64
    assert float_dtype_for("int64", b) == "float32"
    with pytest.warns(UserWarning, match=r"has no float64: float64 input is computed in float32"):
        assert float_dtype_for("float64", b) == "float32"
    from xpml.linear_model import LinearRegression

    model = LinearRegression(backend=b).fit([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0])
    assert model._dtype == "float32"
    assert_allclose(model.coef_, [2.0], rtol=1e-6)


def test_jax_without_x64_computes_in_float32_and_warns_once():
    pytest.importorskip("jax")
    out = run_python(
        "import warnings, numpy as np, xpml\n"
        "from xpml.linear_model import LinearRegression\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    m = LinearRegression(backend='jax').fit(np.arange(10.0).reshape(5, 2), np.arange(5.0))\n"
        "    LinearRegression(backend='jax').fit(np.arange(10.0).reshape(5, 2), np.arange(5.0))\n"
        "import jax\n"
        "print(m._dtype, len([x for x in w if 'no float64' in str(x.message)]), jax.config.jax_enable_x64)",
        JAX_ENABLE_X64="0",
    )
    assert out == "float32 1 False"  # float32, one warning, and jax's own setting left alone


def test_output_follows_input(backend, xp, device):
    result = xpml.make_backend("numpy").xp.asarray([1.0, 2.0])
    assert isinstance(match_input(result, [[0.0]]), np.ndarray)
    assert isinstance(match_input(result, np.zeros(1)), np.ndarray)
    assert_on_backend(match_input(result, xp.zeros(1, device=device)), backend)
    strings = np.asarray(["a", "b"])
    assert match_input(strings, xp.zeros(1, device=device)) is strings  # only numpy can hold strings


def test_set_config_output_backend_keeps_results_on_the_backend(backend, xp, device):
    from xpml.linear_model import LinearRegression

    model = LinearRegression().fit(np.arange(10.0).reshape(5, 2), np.arange(5.0))
    with xpml.config_context(output="backend"):
        assert xpml.get_config() == {"output": "backend"}
        assert_on_backend(model.predict(np.ones((2, 2))), backend)
    assert xpml.get_config() == {"output": "input"}
    assert isinstance(model.predict(np.ones((2, 2))), np.ndarray)
    try:
        xpml.set_config(output="backend")
        assert_on_backend(model.predict([[1.0, 1.0]]), backend)
    finally:
        xpml.set_config(output="input")
    with pytest.raises(ValueError, match=r"output='gpu' should be one of \('input', 'backend'\)"):
        xpml.set_config(output="gpu")


def test_numpy_arrays_with_negative_strides_move_to_every_backend(backend):
    """X[::-1], np.flip(X) and reordered DataFrame columns have negative strides: some DLPack importers
    abort the process on them (torch), so the backend layer hands over a contiguous copy instead."""
    from xpml.linear_model import LinearRegression

    X = np.arange(24.0).reshape(6, 4) ** 1.5
    for view in (X[::-1], np.flip(X), X[:, ::-1], X[::-2, ::-1]):
        assert any(s < 0 for s in view.strides)
        moved = to_backend(view, backend)
        assert_on_backend(moved, backend)
        np.testing.assert_array_equal(xpml.to_numpy(moved), view)
    y = X @ [1.0, 2.0, -1.0, 0.5]
    flipped = LinearRegression().fit(X[::-1], y[::-1]).predict(X[:, ::-1][:, ::-1])
    np.testing.assert_allclose(flipped, y, rtol=1e-8, atol=1e-8)
