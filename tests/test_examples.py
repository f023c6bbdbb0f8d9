"""Every example runs to the end, on numpy (and a few on torch), and saves its figure."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import requires

ROOT = Path(__file__).resolve().parents[1]
# Examples written for an API still being built, each with why it cannot run yet (remove the entry when it can).
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


# Every example runs on numpy; this one also on torch, to show the backend switch at work end to end (each
# estimator's torch fits are compared with numpy's in test_common; all of them on torch took 21 s of the suite,
# three of them 7.8 s).
ON_TORCH = {"kmeans"}
CASES = [(script, "numpy") for script in EXAMPLES]
CASES += [pytest.param(script, "torch", marks=requires("torch")) for script in EXAMPLES if script.stem in ON_TORCH]


@requires("matplotlib")
@pytest.mark.parametrize(("script", "backend"), CASES, ids=lambda v: getattr(v, "stem", v))
def test_example_runs_and_saves_its_figure(script, backend, tmp_path):
    out = tmp_path / f"{script.stem}.png"
    # OpenMP kernels (torch's, the BLAS') on one thread: on shared cores a second one only spins (see conftest)
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT), "XPML_EXAMPLE_SMALL": "1",
           "OMP_NUM_THREADS": "1"}
    result = subprocess.run([sys.executable, str(script), "--backend", backend, "--out", str(out)],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert out.stat().st_size > 10_000, "the saved figure is suspiciously small"
    assert result.stdout.strip(), "an example should narrate what it does"
