"""The command line: `python -m xpml info` and `python -m xpml demo`."""

import importlib.util
import os
import subprocess
import sys


def xpml_command(*args):
    return subprocess.run([sys.executable, "-m", "xpml", *args], capture_output=True, text=True, check=False,
                          env={**os.environ, "JAX_ENABLE_X64": "1", "OMP_NUM_THREADS": "1"})  # one thread: see conftest


def test_info_lists_every_backend():
    result = xpml_command("info")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["backend", "version", "float64", "device"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == {"numpy", "cupy", "torch", "jax", "array_api_strict"}
    assert rows["numpy"].split()[2:4] == ["yes", "cpu"]
    assert "pip install" in rows["cupy"] or "yes" in rows["cupy"]


def _scores(stdout: str) -> dict:
    """{(model, data set): [score on each backend]} from the demo's table."""
    from xpml._demo import _entries

    table = {}
    for entry in _entries():
        for line in stdout.splitlines():
            if line.startswith(entry.model + " ") and f" {entry.dataset} " in line:
                table.setdefault((entry.model, entry.dataset, entry.metric), []).append(
                    float(line.split(entry.metric)[1].split()[0]))
    return table


def test_demo_trains_every_model_on_every_backend_to_the_same_good_score():
    """One run of `demo --backend all` (its numpy rows are what `demo --backend numpy` prints): every model
    on every backend here, each far better than chance, and the same score on every backend."""
    result = xpml_command("demo", "--backend", "all")
    assert result.returncode == 0, result.stderr
    from xpml._demo import _entries

    table = _scores(result.stdout)
    assert set(table) == {(e.model, e.dataset, e.metric) for e in _entries()}
    installed = [name for name in ("numpy", "array_api_strict", "torch", "jax") if importlib.util.find_spec(name)]
    for (model, dataset, metric), scores in table.items():
        assert len(scores) >= len(installed), (model, scores)  # numpy, array_api_strict, torch, jax
        for score in scores:
            # every supervised model does far better than chance (R² of 0; accuracy of 1/3 or less here)
            if metric == "R²":
                assert score > 0.2, (model, dataset, score)
            if metric == "accuracy":
                assert score > 0.85, (model, dataset, score)
            assert score == score, (model, dataset)  # and every score is a number
        assert max(scores) - min(scores) <= 1e-3 * max(1.0, abs(scores[0])), (model, dataset, scores)


def test_demo_with_a_bad_backend_says_what_is_available():
    result = xpml_command("demo", "--backend", "nosuch")
    assert result.returncode == 2
    assert "backend='nosuch' is not a backend" in result.stderr and "Available here" in result.stderr
