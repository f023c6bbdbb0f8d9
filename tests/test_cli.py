"""The command line: `python -m xpml info` and `python -m xpml demo`."""

import os
import subprocess
import sys

import pytest


def xpml_command(*args):
    return subprocess.run([sys.executable, "-m", "xpml", *args], capture_output=True, text=True, check=False,
                          env={**os.environ, "JAX_ENABLE_X64": "1"})


def test_info_lists_every_backend():
    result = xpml_command("info")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["backend", "version", "float64", "device"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == {"numpy", "cupy", "torch", "jax", "array_api_strict"}
    assert rows["numpy"].split()[2:4] == ["yes", "cpu"]
    assert "pip install" in rows["cupy"] or "yes" in rows["cupy"]


def test_demo_trains_and_scores_every_model():
    result = xpml_command("demo", "--backend", "numpy")
    assert result.returncode == 0, result.stderr
    from xpml._demo import _entries

    for entry in _entries():
        line = next(l for l in result.stdout.splitlines() if l.startswith(entry.model + " "))
        score = float(line.split(entry.metric)[1].split()[0])
        assert entry.dataset in line and "numpy" in line
        assert score > 0.3, line  # every demo model learns something real from its data set


@pytest.mark.parametrize("backend", ["all"])
def test_demo_on_every_backend_gives_the_same_scores(backend):
    result = xpml_command("demo", "--backend", backend)
    assert result.returncode == 0, result.stderr
    rows = [l for l in result.stdout.splitlines() if l.startswith("LinearRegression ")]
    scores = {float(l.split("R²")[1].split()[0]) for l in rows}
    assert len(rows) >= 4 and len(scores) == 1, rows


def test_demo_with_a_bad_backend_says_what_is_available():
    result = xpml_command("demo", "--backend", "nosuch")
    assert result.returncode == 2
    assert "backend='nosuch' is not a backend" in result.stderr and "Available here" in result.stderr
