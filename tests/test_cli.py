"""The command line: `python -m xpml info` and `python -m xpml demo`."""

import os
import subprocess
import sys

import pytest

from xpml._backend import all_targets


def xpml_command(*args):
    return subprocess.run([sys.executable, "-m", "xpml", *args], capture_output=True, text=True, check=False,
                          env={**os.environ, "JAX_ENABLE_X64": "1", "OMP_NUM_THREADS": "1"})  # one thread: see conftest


def test_info_lists_every_backend():
    result = xpml_command("info")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["backend", "version", "float64", "device"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == {"numpy", "cupy", "torch", "jax", "array_api_strict", "dask"}
    assert rows["numpy"].split()[2:4] == ["yes", "cpu"]
    assert "pip install" in rows["cupy"] or "yes" in rows["cupy"]


def _scores(stdout: str) -> dict:
    """{(model, data set): [score on each backend]} from the demo's table."""
    from xpml._demo_entries import _entries

    table = {}
    for entry in _entries():
        for line in stdout.splitlines():
            if line.startswith(entry.model + " ") and f" {entry.dataset} " in line:
                table.setdefault((entry.model, entry.dataset, entry.metric), []).append(
                    float(line.split(entry.metric)[1].split()[0]))
    return table


FAMILIES_DEMO = {"LogisticRegression", "Scaler+SGDClassifier", "GaussianNB", "KMeans", "PCA"}  # the demo's command
# and table on jax and array_api_strict, with a linear, a stochastic, a probabilistic, a clustering and a projection
# model: every model's first jax fit compiles its steps (ten models took 18.5 s of the suite), array_api_strict's
# checks of every operation made its whole table 12.6 s; test_common compares each model's fit on both with numpy's


@pytest.fixture(scope="module")
def numpy_demo():
    """The table of `demo --backend numpy`: every model, scored on numpy."""
    result = xpml_command("demo", "--backend", "numpy", "--once")
    assert result.returncode == 0, result.stderr
    return _scores(result.stdout)


@pytest.mark.parametrize("spec", all_targets())  # one test per backend, so that test workers share them out
def test_demo_trains_every_model_on_every_backend_to_the_same_good_score(spec, numpy_demo):
    """`demo --backend <spec>`: every model far better than chance, with numpy's score on every backend.
    (`demo --backend all` runs the same rows for every backend of `all_targets()`, in one table.)"""
    from xpml._demo_entries import _entries

    # On jax, a model's first fit compiles each of its operations (tens of seconds for the whole table, most of it
    # for the tree ensembles), and array_api_strict checks each operation: there the demo runs one model of each
    # family. Every model's fit on both is compared with numpy's in test_common
    # (test_same_seed_same_bits_and_round_trip_onto_numpy).
    few = spec.startswith(("jax", "array_api_strict"))
    skip = [e.model for e in _entries() if e.model not in FAMILIES_DEMO] if few else []
    options = ["--once", "--skip", *skip] if skip else ["--once"]
    result = numpy_demo if spec == "numpy" else xpml_command("demo", "--backend", spec, *options)
    table = result if spec == "numpy" else _scores(result.stdout)
    if spec != "numpy":
        assert result.returncode == 0, result.stderr
    assert set(table) == {(e.model, e.dataset, e.metric) for e in _entries() if e.model not in skip}
    for (model, dataset, metric), (score, *more) in table.items():
        assert not more, (model, dataset)  # one backend: one row per model
        # every supervised model does far better than chance (R² or D² of 0; accuracy of 1/3 or less here)
        if metric in ("R²", "D²"):
            assert score > 0.2, (model, dataset, score)
        if metric == "accuracy":
            assert score > 0.85, (model, dataset, score)
        reference = numpy_demo[(model, dataset, metric)][0]
        assert abs(score - reference) <= 1e-3 * max(1.0, abs(reference)), (model, dataset, score, reference)


def test_demo_skips_the_models_it_is_told_to_and_refuses_unknown_names():
    result = xpml_command("demo", "--skip", "NoSuchModel")
    assert result.returncode == 2 and "skip=['NoSuchModel'] names no model of the demo" in result.stderr


def test_demo_with_a_bad_backend_says_what_is_available():
    result = xpml_command("demo", "--backend", "nosuch")
    assert result.returncode == 2
    assert "backend='nosuch' is not a backend" in result.stderr and "Available here" in result.stderr
